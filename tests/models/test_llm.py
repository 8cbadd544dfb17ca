"""LLM annotation against a real local HTTP server speaking /v1/chat/completions (started here):
strict answers, 429 with Retry-After, 500s, hanging responses, malformed answers, the cache,
the concurrency limit and the accounting. Documents are real PatentsView records."""

from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pandas as pd
import pytest
from click.testing import CliRunner

from innograph.cli import cli
from innograph.ingest.deepinnovation import ReadStats
from innograph.ingest.documents import documents_to_table
from innograph.ingest.rejects import RejectLog
from innograph.models.llm import (
    ANNOTATION_COLUMNS,
    PAPER_PROMPT,
    AnswerCache,
    LLMAnnotator,
    LLMConfigError,
    document_text,
    parse_answer,
    sample_documents,
)

_TEXT = re.compile(r'Text: "(.*)"\n\nPlease', re.S)


class FakeLLM:
    """A chat-completions server. Default answer: "True" when the document text mentions
    "neural", else "False". `plan[title] = [step, step, ...]` scripts the answers to the requests
    for the document with that title, one step per request (the last step repeats):
    ("answer", text) | ("status", code, headers) | ("hang", seconds)."""

    def __init__(self, delay: float = 0.0):
        self.plan: dict[str, list[tuple]] = {}
        self.delay = delay
        self.lock = threading.Lock()
        self.requests: list[tuple[float, str]] = []  # (time, title or text) of every request
        self.seen: dict[str, int] = {}
        self.in_flight = 0
        self.max_in_flight = 0
        self.prompt_tokens = 0
        self.completion_tokens = 0
        self.bodies: list[dict] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def do_POST(self):
                try:
                    fake.handle(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (time-out): nothing to answer

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def handle(self, h: BaseHTTPRequestHandler) -> None:
        body = json.loads(h.rfile.read(int(h.headers["Content-Length"])))
        if h.path != "/v1/chat/completions" or h.headers.get("Authorization") != "Bearer test-key":
            return self._send(h, 404 if h.path != "/v1/chat/completions" else 401, {"error": {"message": "no"}})
        prompt = body["messages"][0]["content"]
        text = _TEXT.search(prompt).group(1)
        title = next((t for t in self.plan if t in text), None)
        with self.lock:
            self.bodies.append(body)
            key = title or text
            n = self.seen.get(key, 0)
            self.seen[key] = n + 1
            self.requests.append((time.monotonic(), key))
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if self.delay:
                time.sleep(self.delay)
            steps = self.plan.get(title) or [("answer", "True" if "neural" in text.lower() else "False")]
            step = steps[min(n, len(steps) - 1)]
            if step[0] == "hang":
                time.sleep(step[1])
                step = ("answer", "True")
            if step[0] == "status":
                reply = (step[1], {"error": {"message": f"scripted {step[1]}"}}, step[2])
            else:
                pt, ct = len(prompt.split()), 1
                with self.lock:
                    self.prompt_tokens += pt
                    self.completion_tokens += ct
                reply = (200, {
                    "id": f"chatcmpl-{n}", "object": "chat.completion", "created": 0, "model": body["model"],
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": step[1]},
                                 "finish_reason": "stop"}],
                    "usage": {"prompt_tokens": pt, "completion_tokens": ct, "total_tokens": pt + ct}}, None)
        finally:
            # out of flight BEFORE the answer is sent: once the client has read it, it may send its
            # next request, and counting that one while this handler is still unwinding would
            # report one request more in flight than the client ever had
            with self.lock:
                self.in_flight -= 1
        self._send(h, *reply)

    @staticmethod
    def _send(h, code: int, payload: dict, headers: dict | None = None) -> None:
        data = json.dumps(payload).encode()
        h.send_response(code)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(data)


@pytest.fixture
def server():
    fake = FakeLLM()
    fake.thread.start()
    yield fake
    fake.server.shutdown()
    fake.server.server_close()


@pytest.fixture(scope="module")
def docs(shared_data) -> pd.DataFrame:
    """24 neural-network and 24 baseball PatentsView patents with abstracts."""
    from innograph.ingest import patentsview

    out = []
    for name in ("patentsview_neural_network.csv", "patentsview_baseball.csv"):
        log = RejectLog()
        path = shared_data / "patents" / name
        got = [d for chunk in patentsview.read(path, log, ReadStats(str(path), "documents")) for d in chunk]
        table = documents_to_table(got).to_pandas()
        table = table[table["abstract"].notna()].drop_duplicates("title")  # the plans key on titles
        out.append(table.head(24))
    return pd.concat(out, ignore_index=True)


def annotator(server, tmp_path, **kw) -> LLMAnnotator:
    params = dict(base_url=server.url, api_key="test-key", concurrency=4, timeout=2.0, backoff_base=0.01,
                  backoff_max=0.05, max_retries=3, cache=tmp_path / "cache.sqlite", seed=0)
    params.update(kw)
    return LLMAnnotator("test-model", **params)


def expected_label(title, abstract) -> bool:
    return "neural" in document_text(title, abstract).lower()


# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw,label", [
    ("True", True), ("false", False), (' "TRUE". ', True), ("Yes", True), ("no.", False), ("`False`", False),
    ("True, because it uses neural networks", None), ("Yes/No", None), ("", None), (None, None),
    ("Truee", None), ("not AI", None), ("True\nFalse", None)])
def test_parse_answer_is_strict(raw, label):
    assert parse_answer(raw) is label


def test_paper_prompt_and_text():
    ann = LLMAnnotator("m", api_key="x")
    text = document_text("Neural net {x}", "It learns.")
    assert text == "Neural net {x}. It learns."
    prompt = ann.prompt(text)
    assert prompt.startswith("You are an Artificial Intelligence (AI) patent classifier.")
    assert 'Text: "Neural net {x}. It learns."' in prompt and prompt.endswith('"True" or "False" without any '
                                                                             'additional explanation or labels.')
    assert PAPER_PROMPT.count("{text}") == 1


def test_labels_tokens_cost_concurrency_and_cache(server, tmp_path, docs):
    server.delay = 0.05  # requests overlap, so the limit is reached
    ann = annotator(server, tmp_path, price_prompt=2.5, price_completion=10.0)
    out = ann.annotate(docs, progress=False)
    st = ann.stats_
    assert list(out.columns) == list(ANNOTATION_COLUMNS) and out["id"].tolist() == docs["id"].tolist()
    want = [expected_label(t, a) for t, a in zip(docs["title"], docs["abstract"])]
    assert out["llm_label"].tolist() == want
    assert sum(want) >= 20 and len(want) - sum(want) >= 20  # both classes among the real records
    assert server.max_in_flight == 4  # the limit is reached and never passed
    unique = len({document_text(t, a) for t, a in zip(docs["title"], docs["abstract"])})
    assert len(server.requests) == st.requests == st.answered == unique
    assert out["prompt_tokens"].sum() == st.prompt_tokens == server.prompt_tokens
    assert out["completion_tokens"].sum() == st.completion_tokens == server.completion_tokens == unique
    assert st.cost_usd == pytest.approx(server.prompt_tokens * 2.5e-6 + server.completion_tokens * 10e-6)
    assert not out["cached"].any() and st.labelled == len(docs) and st.unlabelled == 0
    assert {b["temperature"] for b in server.bodies} == {0.0} and {b["model"] for b in server.bodies} == {"test-model"}

    # the rerun: every answer from the cache, no request sent, nothing spent
    again = annotator(server, tmp_path, price_prompt=2.5, price_completion=10.0)
    out2 = again.annotate(docs, progress=False)
    assert len(server.requests) == unique
    assert out2["cached"].all() and out2["llm_label"].tolist() == want
    assert again.stats_.requests == 0 and again.stats_.cost_usd == 0 and again.stats_.from_cache == len(docs)
    assert out2["prompt_tokens"].sum() == server.prompt_tokens  # the tokens the answers cost when paid
    # another model is another cache key
    other = annotator(server, tmp_path)
    other.model = "other-model"
    other.annotate(docs.head(3), progress=False)
    assert len(server.requests) == unique + 3


def test_rate_limits_server_errors_and_retry_after(server, tmp_path, docs):
    t429, t429ms, t500, tdead = docs["title"].iloc[0], docs["title"].iloc[1], docs["title"].iloc[2], docs["title"].iloc[3]
    server.plan[t429] = [("status", 429, {"Retry-After": "1"}), ("answer", "True")]
    server.plan[t429ms] = [("status", 429, {"retry-after-ms": "300"}), ("status", 429, {"retry-after-ms": "300"}),
                           ("answer", "False")]
    server.plan[t500] = [("status", 500, {}), ("status", 503, {}), ("answer", "True")]
    server.plan[tdead] = [("status", 502, {})]
    ann = annotator(server, tmp_path, max_retries=3)
    sub = docs.head(6)
    out = ann.annotate(sub, progress=False)
    st = ann.stats_
    by_title = dict(zip(sub["title"], out.to_dict("records")))
    assert by_title[t429]["llm_label"] is True and by_title[t429]["attempts"] == 2
    assert by_title[t429ms]["llm_label"] is False and by_title[t429ms]["attempts"] == 3
    assert by_title[t500]["llm_label"] is True and by_title[t500]["attempts"] == 3
    assert pd.isna(by_title[tdead]["llm_label"]) and by_title[tdead]["error"].startswith("HTTP 502 after 4 tries")
    times = {k: [t for t, key in server.requests if key == k] for k in (t429, t429ms)}
    assert times[t429][1] - times[t429][0] >= 0.95  # Retry-After: 1 respected (back-off alone: <= 0.05 s)
    assert min(b - a for a, b in zip(times[t429ms], times[t429ms][1:])) >= 0.28
    assert st.rate_limited == 3 and st.server_errors == 2 + 4 and st.retries == 1 + 2 + 2 + 3
    assert st.requests == len(server.requests) == st.answered + st.failed_requests
    assert st.failed == 1 and st.labelled == 5 and st.labelled + st.unlabelled == len(sub)
    # transport failures are not cached: a rerun asks only for that document again
    server.plan[tdead] = [("answer", "False")]
    before = len(server.requests)
    out2 = annotator(server, tmp_path).annotate(sub, progress=False)
    assert len(server.requests) == before + 1 and out2["llm_label"].notna().all()
    assert out2["cached"].sum() == len(sub) - 1


def test_hanging_responses_time_out_and_are_retried(server, tmp_path, docs):
    slow_once, always = docs["title"].iloc[0], docs["title"].iloc[1]
    server.plan[slow_once] = [("hang", 3.0), ("answer", "True")]
    server.plan[always] = [("hang", 3.0)]
    ann = annotator(server, tmp_path, timeout=0.3, max_retries=1)
    started = time.monotonic()
    out = ann.annotate(docs.head(4), progress=False)
    assert time.monotonic() - started < 2.5  # nobody waited for the hanging responses
    st = ann.stats_
    assert out["llm_label"].tolist()[0] is True and out["attempts"].iloc[0] == 2
    assert pd.isna(out["llm_label"].iloc[1]) and "timed out (0.3 s) after 2 tries" in out["error"].iloc[1]
    assert st.timeouts == 3 and st.failed == 1 and st.labelled == 3


def test_malformed_answers_retried_then_left_unlabelled(server, tmp_path, docs):
    fixed, chatty = docs["title"].iloc[0], docs["title"].iloc[1]
    server.plan[fixed] = [("answer", "Maybe"), ("answer", "True")]
    server.plan[chatty] = [("answer", "True, because it uses a neural network.")]
    ann = annotator(server, tmp_path, max_malformed=2)
    out = ann.annotate(docs.head(3), progress=False)
    st = ann.stats_
    assert out["llm_label"].tolist()[0] is True and out["attempts"].iloc[0] == 2
    assert pd.isna(out["llm_label"].iloc[1]) and out["attempts"].iloc[1] == 3
    assert out["error"].iloc[1].startswith("malformed answer (3 tries)")
    assert out["llm_raw"].iloc[1] == "True, because it uses a neural network."
    assert st.malformed_answers == 1 + 3 and st.malformed_final == 1 and st.failed == 0
    assert st.prompt_tokens == server.prompt_tokens  # malformed answers are paid for too
    # the model's malformed answer is cached: a rerun does not pay again unless asked to
    n = len(server.requests)
    rerun = annotator(server, tmp_path).annotate(docs.head(3), progress=False)
    assert len(server.requests) == n and pd.isna(rerun["llm_label"].iloc[1])
    server.plan[chatty] = [("answer", "False")]
    again = annotator(server, tmp_path)
    out3 = again.annotate(docs.head(3), progress=False, retry_malformed=True)
    assert len(server.requests) == n + 1 and out3["llm_label"].tolist()[1] is False
    assert len(AnswerCache(tmp_path / "cache.sqlite")) == 3


def test_wrong_key_stops_the_run_and_empty_text_sends_nothing(server, tmp_path, docs):
    with pytest.raises(LLMConfigError, match="answered 401"):
        annotator(server, tmp_path, api_key="wrong").annotate(docs.head(2), progress=False)
    empty = pd.DataFrame({"id": ["x"], "kind": ["patent"], "title": [None], "abstract": ["  "]})
    ann = annotator(server, tmp_path)
    out = ann.annotate(empty, progress=False)
    assert out["error"].iloc[0].startswith("no text") and ann.stats_.no_text == 1
    assert server.requests == [] and ann.stats_.requests == 0  # the 401s are not logged by the server


def test_interrupted_run_resumes_from_the_cache(server, tmp_path, docs):
    """The endpoint starts refusing the key half-way: the run stops with a clear error, the
    answers it got are kept, and the rerun asks only for the rest."""
    sub = docs.head(10)
    server.plan[sub["title"].iloc[6]] = [("status", 401, {})]
    with pytest.raises(LLMConfigError, match="answered 401"):
        annotator(server, tmp_path, concurrency=1).annotate(sub, progress=False)
    assert len(AnswerCache(tmp_path / "cache.sqlite")) == 6
    del server.plan[sub["title"].iloc[6]]
    before = len(server.requests)
    ann = annotator(server, tmp_path, concurrency=1)
    out = ann.annotate(sub, progress=False)
    assert len(server.requests) - before == 4 == ann.stats_.requests
    assert out["cached"].sum() == 6 and out["llm_label"].notna().all()


def test_identical_prompts_are_asked_once(server, tmp_path, docs):
    twice = pd.concat([docs.head(2), docs.head(2)], ignore_index=True)
    ann = annotator(server, tmp_path)
    out = ann.annotate(twice, progress=False)
    assert len(server.requests) == 2 and out["llm_label"].notna().all()
    assert out["prompt_tokens"].sum() == server.prompt_tokens


def test_sample_balances_screen_classes(docs):
    screen = pd.DataFrame({"id": docs["id"], "screen_ai": [expected_label(t, a) for t, a in
                                                           zip(docs["title"], docs["abstract"])]})
    picked = sample_documents(docs, 10, seed=1, screen=screen)
    flags = picked["id"].isin(screen.loc[screen["screen_ai"], "id"])
    assert len(picked) == 10 and flags.sum() == 5 and picked["id"].is_unique


def test_annotate_cli(server, tmp_path, docs, monkeypatch):
    src = tmp_path / "documents.parquet"
    docs.to_parquet(src, index=False)
    out = tmp_path / "llm.parquet"
    monkeypatch.setenv("OPENAI_API_KEY", "test-key")
    args = ["annotate", "--documents", str(src), "--out", str(out), "--base-url", server.url, "--model", "m",
            "--sample", "10", "--concurrency", "3", "--cache", str(tmp_path / "c.sqlite"), "--no-progress",
            "--price-prompt", "1.0"]
    res = CliRunner().invoke(cli, args)
    assert res.exit_code == 0, res.output
    table = pd.read_parquet(out)
    assert len(table) == 10 and table["llm_label"].notna().all() and server.max_in_flight <= 3
    assert "10 documents: 10 labelled" in res.output and "requests 10" in res.output
    res = CliRunner().invoke(cli, args)
    assert "10 from the cache" in res.output and "requests 0" in res.output and len(server.requests) == 10
