"""LLM annotation (paper section 2.2, "LLM Annotation"): ask a chat model whether each document
is about AI, through the `openai` client against any OpenAI-compatible endpoint.

- **Prompt**: the paper's template (`PAPER_PROMPT`, its `{text}` is the title and abstract) by
  default; any template with a `{text}` field can replace it.
- **Answer**: parsed strictly (`parse_answer`): after stripping white space, quotes and one final
  full stop, only `True`/`False`/`Yes`/`No` (any case) are answers. Anything else is *malformed*:
  recorded, asked again up to `max_malformed` more times, then left unlabelled with the reason.
- **Transport**: `concurrency` requests in flight at most (threads sharing one client); 429
  (honouring `Retry-After` / `retry-after-ms`), 408, 409, 5xx, time-outs and dropped connections
  are retried up to `max_retries` times with exponential back-off and jitter; other 4xx fail the
  row (401/403/404 stop the run: the key, model or URL is wrong).
- **Cache**: SQLite, keyed by model + SHA-256 of the prompt. Answers (and malformed final answers)
  are stored as they arrive, so a rerun sends no request for them: the cache is the resume.
  Transport failures are not stored, so a rerun tries them again.
- **Accounting**: prompt and completion tokens per row (summed over attempts) from the response's
  `usage`, cost from prices per million tokens given as parameters.
"""

from __future__ import annotations

import email.utils
import hashlib
import os
import random
import sqlite3
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from innograph.errors import InnographError
from innograph.models.text import document_text

PAPER_PROMPT = (
    "You are an Artificial Intelligence (AI) patent classifier. Your task is to determine whether each "
    "provided text, consisting of a patent title and abstract, is related to AI. If the text contains "
    "sensitive terms, skip analyzing those parts but still make an accurate classification based on the "
    "remaining content. Focus on identifying AI-related topics such as machine learning, deep learning, "
    "neural networks, natural language processing, computer vision, and other core AI technologies or "
    "applications. If the text lacks clear connections to AI, classify it as not related to AI.\n\n"
    'Text: "{text}"\n\n'
    'Please respond with only "True" or "False" without any additional explanation or labels.'
)
ANNOTATION_COLUMNS = ("id", "kind", "llm_label", "llm_raw", "error", "prompt_tokens", "completion_tokens",
                      "cached", "attempts")
_YES = frozenset({"true", "yes"})
_NO = frozenset({"false", "no"})
_RETRY_STATUS = frozenset({408, 409, 429})
_FATAL_STATUS = frozenset({401, 403, 404})


class LLMConfigError(InnographError):
    """The endpoint refuses the key, the model or the URL: every request would fail."""


def parse_answer(raw: str | None) -> bool | None:
    """True/False for a strict yes/no answer, None for anything else.

    `True`, ` "false". `, `YES` are answers; `True, because ...`, `Yes/No`, `` are not.
    """
    if raw is None:
        return None
    text = raw.strip().strip("\"'`").strip()
    if text.endswith("."):  # one full stop, inside or outside the quotes
        text = text[:-1].strip().strip("\"'`").strip()
    low = text.lower()
    if low in _YES:
        return True
    if low in _NO:
        return False
    return None


def cache_key(model: str, prompt: str) -> str:
    """The cache key of a request: the model and the SHA-256 of the full prompt."""
    return model + ":" + hashlib.sha256(prompt.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------------------------------------
# the cache


class AnswerCache:
    """SQLite store of final answers, keyed by `cache_key` (one writer: the calling thread)."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, model TEXT, raw TEXT, label INTEGER, "
            "error TEXT, prompt_tokens INTEGER, completion_tokens INTEGER, attempts INTEGER, created REAL)")
        self._db.commit()
        self._pending = 0

    def get_many(self, keys: list[str]) -> dict[str, tuple]:
        out: dict[str, tuple] = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            marks = ",".join("?" * len(chunk))
            for row in self._db.execute(
                    f"SELECT key, raw, label, error, prompt_tokens, completion_tokens, attempts FROM answers "
                    f"WHERE key IN ({marks})", chunk):
                out[row[0]] = row[1:]
        return out

    def put(self, key: str, model: str, raw: str | None, label: bool | None, error: str | None,
            prompt_tokens: int, completion_tokens: int, attempts: int) -> None:
        self._db.execute("INSERT OR REPLACE INTO answers VALUES (?,?,?,?,?,?,?,?,?)",
                         (key, model, raw, None if label is None else int(label), error, prompt_tokens,
                          completion_tokens, attempts, time.time()))
        self._pending += 1
        if self._pending >= 50:
            self.commit()

    def commit(self) -> None:
        self._db.commit()
        self._pending = 0

    def __len__(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM answers").fetchone()[0]

    def close(self) -> None:
        self.commit()
        self._db.close()


# ---------------------------------------------------------------------------------------------
# the annotator


@dataclass
class AnnotationStats:
    """What a run did. `documents = labelled + unlabelled`; `labelled = from_cache_labelled +
    new_labelled`; `requests = answered + failed_requests`."""

    documents: int = 0
    labelled: int = 0
    unlabelled: int = 0
    ai: int = 0
    from_cache: int = 0
    from_cache_labelled: int = 0
    new_labelled: int = 0
    no_text: int = 0
    malformed_final: int = 0  # rows left unlabelled because every answer was malformed
    failed: int = 0  # rows left unlabelled by transport errors (not cached: a rerun retries them)
    requests: int = 0  # HTTP requests sent this run
    answered: int = 0  # requests that got a completion
    failed_requests: int = 0
    malformed_answers: int = 0  # completions that were not a strict yes/no
    rate_limited: int = 0  # 429 responses
    server_errors: int = 0  # 5xx responses
    timeouts: int = 0
    retries: int = 0  # requests repeated after a transport error
    prompt_tokens: int = 0  # spent this run
    completion_tokens: int = 0
    cost_usd: float = 0.0
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class _Outcome:
    raw: str | None = None
    label: bool | None = None
    error: str | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    attempts: int = 0
    malformed: int = 0
    cacheable: bool = False
    counts: dict = field(default_factory=dict)


class LLMAnnotator:
    """Label documents AI / non-AI with a chat model.

    Parameters
    ----------
    model : str
        Model name at the endpoint (`gpt-4o-mini`, a vLLM model path, ...).
    base_url : str or None
        OpenAI-compatible endpoint (`http://localhost:8000/v1`); None: the `openai` default
        (`OPENAI_BASE_URL` or api.openai.com).
    api_key : str or None
        None reads `OPENAI_API_KEY` (servers without authentication accept any value).
    prompt_template : str
        Must contain `{text}`; default `PAPER_PROMPT`.
    concurrency : int
        Requests in flight at most.
    max_retries : int
        Retries per request after 429 / 408 / 409 / 5xx / time-out / connection errors.
    max_malformed : int
        Extra requests after a malformed answer before the row is left unlabelled.
    timeout : float
        Seconds per request (connect + read).
    backoff_base, backoff_max : float
        Retry n waits `min(backoff_max, backoff_base * 2**n)`, jittered to 50-100 % of it, or the
        server's Retry-After when it says longer (capped by `max_retry_after`).
    price_prompt, price_completion : float
        USD per million prompt / completion tokens, for `AnnotationStats.cost_usd`.
    cache : path or None
        SQLite cache file; None disables caching.
    temperature, max_tokens : sent with every request (None leaves them out).
    """

    def __init__(self, model: str, base_url: str | None = None, api_key: str | None = None,
                 prompt_template: str = PAPER_PROMPT, concurrency: int = 8, max_retries: int = 6,
                 max_malformed: int = 2, timeout: float = 60.0, backoff_base: float = 1.0,
                 backoff_max: float = 60.0, max_retry_after: float = 120.0, price_prompt: float = 0.0,
                 price_completion: float = 0.0, cache: str | os.PathLike | None = None,
                 temperature: float | None = 0.0, max_tokens: int | None = 5, seed: int | None = None):
        if "{text}" not in prompt_template:
            raise InnographError("The prompt template has no {text} field for the document's title and abstract.")
        if concurrency < 1:
            raise InnographError("concurrency must be at least 1.")
        self.model = model
        self.base_url = base_url
        self.api_key = api_key
        self.prompt_template = prompt_template
        self.concurrency = concurrency
        self.max_retries = max_retries
        self.max_malformed = max_malformed
        self.timeout = timeout
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self.max_retry_after = max_retry_after
        self.price_prompt = price_prompt
        self.price_completion = price_completion
        self.cache = cache
        self.temperature = temperature
        self.max_tokens = max_tokens
        self._rng = random.Random(seed)
        self._rng_lock = threading.Lock()
        self._client = None
        self.stats_ = AnnotationStats()

    # -- requests ------------------------------------------------------------------------------

    def prompt(self, text: str) -> str:
        """The full prompt of one document text (`str.replace`, so braces in the text are safe)."""
        return self.prompt_template.replace("{text}", text)

    def _get_client(self):
        if self._client is None:
            try:
                import openai
            except ImportError as exc:  # the `llm` extra
                raise InnographError("LLM annotation needs the openai package: pip install 'innograph[llm]'.") from exc
            key = self.api_key or os.environ.get("OPENAI_API_KEY")
            if not key:
                raise InnographError("Set OPENAI_API_KEY (any value for a local server without authentication).")
            kw = {"api_key": key, "timeout": self.timeout, "max_retries": 0}
            if self.base_url:
                kw["base_url"] = self.base_url
            self._client = openai.OpenAI(**kw)
        return self._client

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        base = min(self.backoff_max, self.backoff_base * (2 ** attempt))
        with self._rng_lock:
            jittered = base * (0.5 + 0.5 * self._rng.random())
        if retry_after is not None:
            return max(jittered, min(retry_after, self.max_retry_after))
        return jittered

    @staticmethod
    def _retry_after(exc) -> float | None:
        headers = getattr(getattr(exc, "response", None), "headers", None)
        if not headers:
            return None
        if (ms := headers.get("retry-after-ms")) is not None:
            try:
                return float(ms) / 1000
            except ValueError:
                pass
        value = headers.get("retry-after")
        if value is None:
            return None
        try:
            return max(0.0, float(value))
        except ValueError:
            when = email.utils.parsedate_to_datetime(value) if value else None
            return max(0.0, when.timestamp() - time.time()) if when else None

    def _ask(self, prompt: str) -> _Outcome:
        """One document: requests until a strict answer, the malformed budget or the retry budget
        is spent. Runs in a worker thread; counts go back in `_Outcome.counts`."""
        import openai

        client = self._get_client()
        out = _Outcome()
        c = {"requests": 0, "answered": 0, "failed_requests": 0, "malformed_answers": 0, "rate_limited": 0,
             "server_errors": 0, "timeouts": 0, "retries": 0}
        out.counts = c
        kw: dict = {"model": self.model, "messages": [{"role": "user", "content": prompt}]}
        if self.temperature is not None:
            kw["temperature"] = self.temperature
        if self.max_tokens is not None:
            kw["max_tokens"] = self.max_tokens
        transport_failures = 0
        malformed_raws: list[str] = []
        while True:
            c["requests"] += 1
            out.attempts += 1
            try:
                resp = client.chat.completions.create(**kw)
            except openai.APIStatusError as exc:
                c["failed_requests"] += 1
                status = exc.status_code
                if status in _FATAL_STATUS:
                    raise LLMConfigError(f"{self.base_url or 'the OpenAI endpoint'} answered {status} for model "
                                         f"{self.model!r}: {_short(exc)}. Check --base-url, --model and "
                                         "OPENAI_API_KEY.") from None
                if status == 429:
                    c["rate_limited"] += 1
                elif status >= 500:
                    c["server_errors"] += 1
                if status in _RETRY_STATUS or status >= 500:
                    if transport_failures < self.max_retries:
                        time.sleep(self._delay(transport_failures, self._retry_after(exc)))
                        transport_failures += 1
                        c["retries"] += 1
                        continue
                    out.error = f"HTTP {status} after {transport_failures + 1} tries: {_short(exc)}"
                else:
                    out.error = f"HTTP {status}: {_short(exc)}"
                return out
            except (openai.APITimeoutError, openai.APIConnectionError) as exc:
                c["failed_requests"] += 1
                is_timeout = isinstance(exc, openai.APITimeoutError)
                c["timeouts"] += int(is_timeout)
                if transport_failures < self.max_retries:
                    time.sleep(self._delay(transport_failures, None))
                    transport_failures += 1
                    c["retries"] += 1
                    continue
                what = f"timed out ({self.timeout:g} s)" if is_timeout else f"connection failed ({_short(exc)})"
                out.error = f"{what} after {transport_failures + 1} tries"
                return out
            c["answered"] += 1
            usage = getattr(resp, "usage", None)
            out.prompt_tokens += int(getattr(usage, "prompt_tokens", 0) or 0)
            out.completion_tokens += int(getattr(usage, "completion_tokens", 0) or 0)
            choices = getattr(resp, "choices", None) or []
            raw = choices[0].message.content if choices and choices[0].message else None
            out.raw = raw
            label = parse_answer(raw)
            if label is not None:
                out.label = label
                out.error = None
                out.cacheable = True
                return out
            c["malformed_answers"] += 1
            out.malformed += 1
            malformed_raws.append(repr(raw))
            if out.malformed > self.max_malformed:
                out.error = f"malformed answer ({out.malformed} tries): " + ", ".join(malformed_raws[-3:])
                out.cacheable = True  # the model's answer, not a transport failure
                return out

    # -- tables --------------------------------------------------------------------------------

    def annotate(self, documents: pd.DataFrame, progress: bool = True,
                 retry_malformed: bool = False) -> pd.DataFrame:
        """Label every row of a documents table (`id`, `kind`, `title`, `abstract`).

        Returns `ANNOTATION_COLUMNS`, one row per input row in input order: llm_label (nullable
        bool: True AI, False non-AI, <NA> unlabelled), llm_raw (the last answer), error (why a row
        is unlabelled), prompt_tokens / completion_tokens (summed over its requests; for cached
        rows those of the run that paid for them), cached, attempts. `stats_` holds the run's
        counts (`AnnotationStats`). `retry_malformed` asks again rows cached as malformed.
        """
        started = time.perf_counter()
        n = len(documents)
        st = AnnotationStats(documents=n)
        titles = documents["title"].tolist() if "title" in documents else [None] * n
        abstracts = documents["abstract"].tolist() if "abstract" in documents else [None] * n
        texts = [document_text(t, a) for t, a in zip(titles, abstracts)]
        prompts = [self.prompt(t) if t else None for t in texts]
        keys = [cache_key(self.model, p) if p else None for p in prompts]
        rows = {"llm_label": [None] * n, "llm_raw": [None] * n, "error": [None] * n,
                "prompt_tokens": [0] * n, "completion_tokens": [0] * n, "cached": [False] * n, "attempts": [0] * n}
        cache = AnswerCache(self.cache) if self.cache is not None else None
        try:
            hits = cache.get_many(sorted({k for k in keys if k})) if cache else {}
            todo: dict[str, list[int]] = {}  # key -> rows (identical prompts are asked once)
            first_use: set[str] = set()
            for i, k in enumerate(keys):
                if k is None:
                    rows["error"][i] = "no text: title and abstract are empty"
                    st.no_text += 1
                    continue
                hit = hits.get(k)
                if hit is not None and not (retry_malformed and hit[1] is None):
                    raw, label, error, pt, ct, att = hit
                    rows["llm_raw"][i], rows["error"][i] = raw, error
                    rows["llm_label"][i] = None if label is None else bool(label)
                    if k not in first_use:  # a repeated prompt is paid once, as in a fresh run
                        first_use.add(k)
                        rows["prompt_tokens"][i], rows["completion_tokens"][i], rows["attempts"][i] = pt, ct, att
                    rows["cached"][i] = True
                    st.from_cache += 1
                    continue
                todo.setdefault(k, []).append(i)
            self._run(todo, prompts, rows, cache, st, progress)
        finally:
            if cache is not None:
                cache.close()
        labels = rows["llm_label"]
        st.labelled = sum(lab is not None for lab in labels)
        st.unlabelled = n - st.labelled
        st.ai = sum(lab is True for lab in labels)
        st.from_cache_labelled = sum(1 for i in range(n) if rows["cached"][i] and labels[i] is not None)
        st.new_labelled = st.labelled - st.from_cache_labelled
        st.cost_usd = st.prompt_tokens * self.price_prompt / 1e6 + st.completion_tokens * self.price_completion / 1e6
        st.seconds = round(time.perf_counter() - started, 3)
        self.stats_ = st
        out = pd.DataFrame({
            "id": documents["id"].tolist() if "id" in documents else list(range(n)),
            "kind": documents["kind"].tolist() if "kind" in documents else [None] * n,
            **rows})
        out["llm_label"] = out["llm_label"].astype("boolean")
        for col in ("prompt_tokens", "completion_tokens", "attempts"):
            out[col] = out[col].astype("int64")
        out["cached"] = out["cached"].astype(bool)
        return out[list(ANNOTATION_COLUMNS)]

    def _run(self, todo: dict[str, list[int]], prompts: list, rows: dict, cache: AnswerCache | None,
             st: AnnotationStats, progress: bool) -> None:
        if not todo:
            return
        self._get_client()  # a missing key fails before any thread starts
        bar = None
        if progress:
            from tqdm.auto import tqdm

            bar = tqdm(total=sum(len(v) for v in todo.values()), desc="annotate", unit="doc")
        items = iter(todo.items())
        window = self.concurrency * 4  # futures queued at most: memory stays flat for millions of rows
        pool = ThreadPoolExecutor(max_workers=self.concurrency, thread_name_prefix="llm")
        pending: dict[Future, str] = {}
        n_ai = 0
        try:
            while True:
                while len(pending) < window:
                    nxt = next(items, None)
                    if nxt is None:
                        break
                    key, idx = nxt
                    pending[pool.submit(self._ask, prompts[idx[0]])] = key
                if not pending:
                    break
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for fut in done:
                    key = pending.pop(fut)
                    res = fut.result()  # LLMConfigError propagates and stops the run
                    self._record(key, todo[key], res, rows, cache, st)
                    n_ai += len(todo[key]) if res.label is True else 0
                    if bar is not None:
                        bar.update(len(todo[key]))
                        bar.set_postfix(ai=n_ai, failed=st.failed, retries=st.retries, refresh=False)
        finally:
            # on an error or Ctrl-C: answers so far are in the cache (committed by the caller);
            # queued requests are dropped and running ones are not waited for
            pool.shutdown(wait=False, cancel_futures=True)
            if bar is not None:
                bar.close()

    def _record(self, key: str, idx: list[int], res: _Outcome, rows: dict, cache: AnswerCache | None,
                st: AnnotationStats) -> None:
        for name, v in res.counts.items():
            setattr(st, name, getattr(st, name) + v)
        st.prompt_tokens += res.prompt_tokens
        st.completion_tokens += res.completion_tokens
        if res.label is None:
            if res.cacheable:
                st.malformed_final += len(idx)
            else:
                st.failed += len(idx)
        for j, i in enumerate(idx):
            rows["llm_label"][i] = res.label
            rows["llm_raw"][i] = res.raw
            rows["error"][i] = res.error
            # a prompt asked once for several identical rows is paid once: tokens on the first row
            rows["prompt_tokens"][i] = res.prompt_tokens if j == 0 else 0
            rows["completion_tokens"][i] = res.completion_tokens if j == 0 else 0
            rows["attempts"][i] = res.attempts if j == 0 else 0
        if cache is not None and res.cacheable:
            cache.put(key, self.model, res.raw, res.label, res.error, res.prompt_tokens, res.completion_tokens,
                      res.attempts)


def _short(exc, limit: int = 200) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def annotate_documents(documents: pd.DataFrame, model: str, base_url: str | None = None,
                       progress: bool = True, **kwargs) -> tuple[pd.DataFrame, AnnotationStats]:
    """`LLMAnnotator(model, base_url, **kwargs).annotate(documents)` and the run's stats."""
    ann = LLMAnnotator(model, base_url=base_url, **kwargs)
    table = ann.annotate(documents, progress=progress)
    return table, ann.stats_


def sample_documents(documents: pd.DataFrame, n: int, seed: int = 0,
                     screen: pd.DataFrame | None = None) -> pd.DataFrame:
    """`n` documents at random; with a screen table (id, screen_ai), half from each screen class
    (the paper labels the screen's AI and non-AI sets), topped up from the other when one is short.
    Documents without title and abstract are left out."""
    has_text = [bool(document_text(t, a)) for t, a in
                zip(documents.get("title", [None] * len(documents)), documents.get("abstract", [None] * len(documents)))]
    docs = documents[has_text]
    if n >= len(docs):
        return docs.reset_index(drop=True)
    if screen is None:
        return docs.sample(n=n, random_state=seed).reset_index(drop=True)
    ai_ids = set(screen.loc[screen["screen_ai"].astype(bool), "id"])
    is_ai = docs["id"].isin(ai_ids)
    a, b = docs[is_ai], docs[~is_ai]
    na = min(len(a), n // 2)
    nb = min(len(b), n - na)
    na = min(len(a), n - nb)
    picked = pd.concat([a.sample(n=na, random_state=seed), b.sample(n=nb, random_state=seed)])
    return picked.sample(frac=1.0, random_state=seed).reset_index(drop=True)

