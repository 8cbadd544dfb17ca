"""Benchmark the LLM annotation client (not a model): documents/s through `LLMAnnotator` against a
local chat-completions server that answers after a fixed latency, at several concurrency limits,
and the rerun from the cache.

    python bench/annotate.py [--docs 2000] [--latency 0.05]

The server answers "True"/"False" after `--latency` seconds (a stand-in for a real endpoint's
time per request); documents are the real PatentsView records of ../shared/data. With latency L
and concurrency K the ideal is K/L documents/s: the gap is the client's overhead (threads, JSON,
the openai client, SQLite). The server runs in its own process; both share this machine's cores.
Result: bench/results/annotate.json.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import tempfile
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SHARED = Path(os.environ.get("INNOGRAPH_SHARED_DATA", REPO.parent / "shared" / "data"))
RESULTS = REPO / "bench" / "results"


def serve(latency: float) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            prompt = body["messages"][0]["content"]
            time.sleep(latency)
            answer = "True" if "neural" in prompt.lower().split('text: "', 1)[-1] else "False"
            data = json.dumps({"id": "x", "object": "chat.completion", "created": 0, "model": body["model"],
                               "choices": [{"index": 0, "message": {"role": "assistant", "content": answer},
                                            "finish_reason": "stop"}],
                               "usage": {"prompt_tokens": len(prompt.split()), "completion_tokens": 1,
                                         "total_tokens": len(prompt.split()) + 1}}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    return server


def serve_in_process(latency: float):
    """The server in its own (forked) process, so it does not share the client's GIL."""
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    q = ctx.Queue()

    def run():
        server = serve(latency)
        q.put(server.server_address[1])
        server.serve_forever()

    proc = ctx.Process(target=run, daemon=True)
    proc.start()
    return proc, q.get(timeout=30)


def load_docs(n: int) -> pd.DataFrame:
    from innograph.ingest import patentsview
    from innograph.ingest.deepinnovation import ReadStats
    from innograph.ingest.documents import documents_to_table
    from innograph.ingest.rejects import RejectLog

    frames = []
    for name in ("patentsview_neural_network.csv", "patentsview_baseball.csv"):
        path = SHARED / "patents" / name
        docs = [d for c in patentsview.read(path, RejectLog(), ReadStats(str(path), "documents")) for d in c]
        frames.append(documents_to_table(docs).to_pandas())
    docs = pd.concat(frames, ignore_index=True).drop_duplicates("id")
    docs = docs[docs["abstract"].notna()]
    return docs.sample(n=min(n, len(docs)), random_state=0).reset_index(drop=True)


def main() -> None:
    import argparse

    from innograph.models.llm import LLMAnnotator

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--latency", type=float, default=0.05)
    ap.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 32])
    ap.add_argument("--out", type=Path, default=RESULTS / "annotate.json")
    args = ap.parse_args()
    docs = load_docs(args.docs)
    proc, port = serve_in_process(args.latency)
    url = f"http://127.0.0.1:{port}/v1"
    runs = []
    for k in args.concurrency:
        n = len(docs) if k > 1 else min(len(docs), 200)  # one at a time is slow by design
        sub = docs.head(n)
        cache = Path(tempfile.mkdtemp(prefix="bench-annotate-")) / "cache.sqlite"
        ann = LLMAnnotator("bench", base_url=url, api_key="x", concurrency=k, cache=cache)
        started = time.perf_counter()
        ann.annotate(sub, progress=False)
        fresh = time.perf_counter() - started
        st = ann.stats_
        again = LLMAnnotator("bench", base_url=url, api_key="x", concurrency=k, cache=cache)
        started = time.perf_counter()
        again.annotate(sub, progress=False)
        cached = time.perf_counter() - started
        runs.append({"concurrency": k, "documents": n, "requests": st.requests, "seconds": round(fresh, 3),
                     "docs_per_s": round(n / fresh, 1), "ideal_docs_per_s": round(k / args.latency, 1),
                     "rerun_requests": again.stats_.requests, "rerun_seconds": round(cached, 3),
                     "rerun_docs_per_s": round(n / cached, 1), "prompt_tokens": st.prompt_tokens})
        print(runs[-1], flush=True)
    proc.terminate()
    result = {"machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
                          "load_average": os.getloadavg()},
              "latency_s": args.latency, "runs": runs}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
