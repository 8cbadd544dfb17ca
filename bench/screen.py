"""Benchmark the coarse AI screen: throughput (documents/s, one core) and agreement with the weak
labels of each real source in ../shared/data.

    python bench/screen.py                       # ingests ../shared/data into a temp dir first
    python bench/screen.py --documents WORK/documents.parquet

Weak labels (what the sources give; all noisy):
- PatentsView: the query the file was downloaded with ("neural network" -> AI, "baseball" -> non-AI).
- Google Patents search exports: the query; AI for artificial intelligence, machine learning, deep
  learning, (deep / recurrent) neural networks; non-AI for computer science, information processing,
  autonomous systems, thinking machines (broad queries: a non-AI label there is the weakest).
  89 % of these rows have only a title.
- Google Patents Public (reverse-osmosis membranes): a G06N code (`has_g06n`) -> AI. The screen uses
  the codes, so this agreement is by construction; what it shows is that the rest stays non-AI.
- arXiv: categories cs.AI, cs.LG, cs.CL, cs.CV, cs.NE, cs.IR, stat.ML -> AI.
- S2ORC and the fields-of-study sample: field of study "Computer Science" -> "AI" (a loose proxy:
  most CS papers are not AI).

Throughput: `AIScreen.transform` on the table in memory (one core), the keyword scan alone (MB/s
of title + abstract text), and `screen_file` end to end with 1 and 2 processes. The load average is
recorded: the development machine has 2 cores shared with other work.

Result: bench/results/screen.json (machine, throughput, per-source confusion counts, precision,
recall, accuracy, Cohen's kappa).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SHARED = Path(os.environ.get("INNOGRAPH_SHARED_DATA", REPO.parent / "shared" / "data"))
RESULTS = REPO / "bench" / "results"

AI_QUERIES = {"artificial intelligence", "machine learning", "deep learning", "neural networks",
              "deep neural networks", "recurrent neural networks"}
AI_ARXIV = {"cs.AI", "cs.LG", "cs.CL", "cs.CV", "cs.NE", "cs.IR", "stat.ML"}


def machine() -> dict:
    info = {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
            "mem_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)}
    try:
        info["lscpu"] = subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines()[:12]
    except OSError:
        pass
    return info


def weak_labels(docs: pd.DataFrame) -> pd.DataFrame:
    """(group, weak_ai) per document; group names the source and label rule. NaN: no label."""
    file = docs["source_file"].str.rsplit("/", n=1).str[-1]
    group = pd.Series([None] * len(docs), index=docs.index, dtype=object)
    weak = pd.Series([np.nan] * len(docs), index=docs.index, dtype=float)

    pv = docs["source"] == "patentsview"
    group[pv] = "patentsview (query)"
    weak[pv] = file[pv].str.contains("neural").astype(float)

    gps = docs["source"] == "google_patents_search"
    group[gps] = "google_patents_search (query)"
    weak[gps] = docs.loc[gps, "search_queries"].map(lambda q: float(any(x in AI_QUERIES for x in q)))

    gpp = docs["source"] == "google_patents_public"
    group[gpp] = "google_patents_public (G06N code)"
    weak[gpp] = docs.loc[gpp, "has_g06n"].eq(True).astype(float)

    ax = docs["source"] == "arxiv"
    group[ax] = "arxiv (categories)"
    weak[ax] = docs.loc[ax, "arxiv_categories"].map(lambda c: float(any(x in AI_ARXIV for x in c)))

    s2 = docs["source"] == "s2orc"
    group[s2] = "s2orc + fos (field Computer Science)"
    weak[s2] = docs.loc[s2, "fields_of_study"].map(lambda f: float("Computer Science" in list(f)))
    return pd.DataFrame({"group": group, "weak_ai": weak, "file": file})


def agreement(weak: np.ndarray, pred: np.ndarray) -> dict:
    tp = int(((weak == 1) & pred).sum())
    fp = int(((weak == 0) & pred).sum())
    fn = int(((weak == 1) & ~pred).sum())
    tn = int(((weak == 0) & ~pred).sum())
    n = tp + fp + fn + tn
    acc = (tp + tn) / n if n else None
    pe = ((tp + fp) * (tp + fn) + (fn + tn) * (fp + tn)) / n**2 if n else None
    kappa = (acc - pe) / (1 - pe) if n and pe is not None and pe < 1 else None
    r = lambda x: None if x is None else round(x, 4)  # noqa: E731
    return {"n": n, "weak_ai": tp + fn, "screen_ai": tp + fp, "tp": tp, "fp": fp, "fn": fn, "tn": tn,
            "precision": r(tp / (tp + fp)) if tp + fp else None, "recall": r(tp / (tp + fn)) if tp + fn else None,
            "accuracy": r(acc), "kappa": r(kappa)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--documents", type=Path, help="documents.parquet (default: ingest ../shared/data)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--out", type=Path, default=RESULTS / "screen.json")
    args = ap.parse_args()

    from innograph.models.screen import AIScreen, screen_file

    if args.documents is None:
        from innograph.ingest.pipeline import ingest

        work = Path(tempfile.mkdtemp(prefix="bench-screen-"))
        ingest([SHARED], work, progress=False)
        args.documents = work / "documents.parquet"
    docs = pd.read_parquet(args.documents)
    screen = AIScreen()

    # throughput: the whole table, `repeats` times (one core, the table in memory)
    times = []
    for _ in range(args.repeats):
        started = time.perf_counter()
        table = screen.transform(docs)
        times.append(time.perf_counter() - started)
    texts = [t for col in ("title", "abstract") for t in docs[col].tolist() if isinstance(t, str) and t]
    chars = sum(map(len, texts))
    started = time.perf_counter()
    for t in texts:
        screen.keywords.find(t)
    scan_s = time.perf_counter() - started

    files = {}
    for jobs in (1, 2):  # end to end: read Parquet in batches, screen, write Parquet
        tmp_out = Path(tempfile.mkdtemp(prefix="bench-screen-out-")) / "screen.parquet"
        summary = screen_file(args.documents, tmp_out, n_jobs=jobs, batch_rows=5_000, progress=False)
        files[f"jobs_{jobs}"] = {"seconds": summary.seconds, "docs_per_s": summary.docs_per_s}

    lab = weak_labels(docs)
    pred = table["screen_ai"].to_numpy(dtype=bool)
    per_source = {}
    for group, idx in lab.groupby("group").groups.items():
        rows = lab.index.get_indexer(idx)
        per_source[group] = agreement(lab["weak_ai"].to_numpy()[rows], pred[rows])
    per_file = {}
    for f, idx in lab.groupby("file").groups.items():
        rows = lab.index.get_indexer(idx)
        per_file[f] = {"n": len(rows), "screen_ai_rate": round(float(pred[rows].mean()), 4),
                       "weak_ai_rate": round(float(np.nanmean(lab["weak_ai"].to_numpy()[rows])), 4)
                       if not np.isnan(lab["weak_ai"].to_numpy()[rows]).all() else None}
    by_reason = {"ipc": int((table["matched_ipc"].map(len) > 0).sum()),
                 "terms": int((table["matched_terms"].map(len) > 0).sum()), "ai": int(pred.sum())}
    result = {
        "machine": machine(),
        "documents": str(args.documents), "n_documents": len(docs),
        "n_keyword_rules": len(screen.keywords.rules), "n_ipc_rules": len(screen.ipc.rules),
        "throughput": {"seconds": [round(t, 3) for t in times],
                       "docs_per_s_median": round(len(docs) / statistics.median(times)),
                       "docs_per_s_best": round(len(docs) / min(times)),
                       "keyword_scan_mb_per_s": round(chars / scan_s / 1e6, 2),
                       "texts": len(texts), "mean_chars_per_doc": round(chars / len(docs)),
                       "screen_file": files, "load_average": os.getloadavg()},
        "hits": by_reason,
        "agreement_per_source": per_source,
        "rates_per_file": per_file,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps({k: result[k] for k in ("n_documents", "throughput", "hits", "agreement_per_source")}, indent=2))


if __name__ == "__main__":
    main()
