"""Keywords throughput and hypergraph-novelty validation (issue 7, part A).

    python bench/novelty.py --keywords WORK/keywords.parquet [--keywords-summary kw.json]
                            [--documents WORK/documents.parquet] --out bench/results/novelty.json

Measures, on this machine:
- the held-out AUC of `HypergraphNovelty` (real hyperedges vs random ones of the same sizes) on
  synthetic hypergraphs with planted groups (3 seeds) and on the real keyword hypergraph of
  KeyBERT keywords extracted from real records (the `--keywords` table), plus the real IPC
  hypergraph of the Google Patents export in ../shared/data (IPC main groups);
- fit time per hyperedge;
- keywords documents/s: read from the JSON summary of an `innograph keywords --json` run
  (`--keywords-summary`), which times only the chunks it computed, model loading excluded.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from innograph.models.novelty import (HypergraphNovelty, build_hypergraph, edge_lists, heldout_auc,  # noqa: E402
                                      hyperedge_table, hypergraph_stats, ipc_nodes, planted_hypergraph)


def machine() -> dict:
    lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines()[:12]
    mem = Path("/proc/meminfo").read_text().splitlines()[0]
    return {"lscpu": lscpu, "memory": mem, "python": platform.python_version(),
            "load_average_at_start": os.getloadavg()}


def run_auc(name: str, lists, model: HypergraphNovelty, stats: dict | None = None) -> dict:
    rep = heldout_auc(lists, model, test_frac=0.1, seed=0)
    row = {"data": name, **rep.to_dict(), "model": model.get_params(),
           "fit_us_per_edge_epoch": round(1e6 * model.seconds_ / max(1, model.n_edges_fitted_) / model.epochs, 2)}
    if stats:
        row["hypergraph"] = stats
    print(f"{name:40s} AUC {rep.auc:.4f}  popularity-matched {rep.auc_degree:.4f}  novelty-only "
          f"{rep.auc_novelty:.4f}  test {rep.test_edges}  fit {model.seconds_:.1f} s", flush=True)
    return row


def keyword_throughput(documents: str, n: int) -> list[dict]:
    """Documents/s of KeywordExtractor (model loaded beforehand) on n real records with an abstract:
    a fresh extractor (cold phrase cache), then the same documents again (every phrase cached)."""
    from innograph.models.keywords import KeywordExtractor, document_text

    torch_threads = __import__("torch").get_num_threads()
    __import__("torch").set_num_threads(os.cpu_count() or 1)  # the embedding model uses all cores
    df = pd.read_parquet(documents, columns=["id", "kind", "title", "abstract"])
    df = df[df["abstract"].notna()].sample(n, random_state=0)
    texts = [document_text(t, a) for t, a in zip(df["title"], df["abstract"])]
    rows = []
    for ngram in ((1, 1), (1, 2)):
        ex = KeywordExtractor(ngram_range=ngram, batch_size=64).fit()
        for cache in ("cold", "warm"):
            load = os.getloadavg()[0]
            t = time.perf_counter()
            for s in range(0, n, 100):
                ex.transform(texts[s:s + 100])
            dt = time.perf_counter() - t
            rows.append({"ngram_range": list(ngram), "phrase_cache": cache, "documents": n,
                         "seconds": round(dt, 2), "docs_per_s": round(n / dt, 2), "load_average_1min": load,
                         "mean_chars": round(sum(map(len, texts)) / n)})
            print(f"keywords ngram {ngram} {cache}: {n / dt:.2f} docs/s (load {load:.1f})", flush=True)
    __import__("torch").set_num_threads(torch_threads)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--keywords", help="keyword table (innograph keywords output) of real records")
    ap.add_argument("--keywords-summary", help="JSON printed by `innograph keywords --json` for that table")
    ap.add_argument("--documents", help="documents table: time KeywordExtractor on --keyword-docs of its records")
    ap.add_argument("--keyword-docs", type=int, default=200)
    ap.add_argument("--shared-data", default=os.environ.get("INNOGRAPH_SHARED_DATA", str(ROOT.parent / "shared" / "data")))
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "novelty.json"))
    args = ap.parse_args()
    import torch

    torch.set_num_threads(1)
    result = {"machine": machine(), "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()), "auc": []}

    for seed in (0, 1, 2):
        edges, _ = planted_hypergraph(n_nodes=2000, n_groups=20, n_edges=20000, seed=seed)
        result["auc"].append(run_auc(f"planted 2000 nodes/20 groups seed {seed}", edges,
                                     HypergraphNovelty(dim=32, epochs=60, batch_size=1024)))

    if args.keywords:
        kw = pd.read_parquet(args.keywords)
        for dim, sal in ((16, "fitted"), (32, "fitted"), (16, "degree")):
            edges = hyperedge_table(kw, "keyword", 10)
            stats = hypergraph_stats(build_hypergraph(edges))
            _, lists = edge_lists(edges)
            result["auc"].append(run_auc(f"real keywords ({edges['id'].nunique()} docs) d={dim} {sal}", lists,
                                         HypergraphNovelty(dim=dim, epochs=100, batch_size=256, salience=sal),
                                         stats))
    ro = Path(args.shared_data) / "patents" / "google_patents_public_ro_membrane.csv"
    if ro.exists():
        from tempfile import TemporaryDirectory

        from innograph.ingest.pipeline import ingest

        with TemporaryDirectory() as tmp:
            ingest([ro], tmp, progress=False)
            docs = pd.read_parquet(Path(tmp) / "documents.parquet", columns=["id", "kind", "ipc"])
        edges = ipc_nodes(docs, "group")
        stats = hypergraph_stats(build_hypergraph(edges))
        _, lists = edge_lists(edges)
        result["auc"].append(run_auc("real IPC main groups (RO-membrane patents)", lists,
                                     HypergraphNovelty(dim=16, epochs=60, batch_size=512), stats))
    if args.documents:
        result["keywords_throughput"] = keyword_throughput(args.documents, args.keyword_docs)
    if args.keywords_summary:
        result["keywords_run"] = json.loads(Path(args.keywords_summary).read_text())
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
