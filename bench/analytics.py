"""Benchmark: each analysis, and the whole report, on a built graph (full scale: 2.36M patents,
3.51M papers, ~80M SIMILAR_TO pairs at tau 0.6).

    python bench/analytics.py --db /tmp/full/db --out /tmp/bench-analytics [--only transfer ...]

Each analysis runs in its own process (so its peak RSS is its own; os.wait4) and records the
time of every Cypher projection it pulls out (the store's execute_arrow, wrapped) and the rest
(pandas/numpy, networks). Then `innograph report` runs as a whole in one process.
Writes bench/results/analytics-<label>.json; targets: each analysis <= 5 min, report <= 15 min.
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

RESULTS = Path(__file__).resolve().parent / "results"
NAMES = ("competition", "transfer", "themes", "evolution")

ONE = r"""
import json, sys, time
from innograph.graph.embedded import EmbeddedStore
from innograph.analysis.report import run_analysis
name, db, out, options = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
steps = []
t0 = time.perf_counter()
with EmbeddedStore(db, read_only=True) as store:
    raw = store.execute_arrow
    def timed(cypher, params=None):
        s = time.perf_counter()
        t = raw(cypher, params)
        steps.append({"cypher": " ".join(cypher.split())[:160], "seconds": round(time.perf_counter() - s, 2),
                      "rows": t.num_rows})
        print(json.dumps(steps[-1]), file=sys.stderr, flush=True)  # progress in the log
        return t
    store.execute_arrow = timed
    res = run_analysis(store, name, options)
t1 = time.perf_counter()
res.write(out)
print(json.dumps({"analysis_seconds": round(t1 - t0, 2), "write_seconds": round(time.perf_counter() - t1, 2),
                  "query_seconds": round(sum(s["seconds"] for s in steps), 2), "queries": steps,
                  "tables": {k: len(v) for k, v in res.tables.items()}}))
"""


def timed(cmd: list[str], log: Path) -> dict:
    """Run `cmd`; wall time, peak RSS (MB), exit status, and its stdout's last line as JSON if it is."""
    started = time.perf_counter()
    with open(log, "w") as fh:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=fh, text=True)
        out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
    result = {"seconds": round(time.perf_counter() - started, 1), "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
              "exit": os.waitstatus_to_exitcode(status), "log": str(log)}
    lines = out.strip().splitlines()
    try:
        result["detail"] = json.loads(lines[-1]) if lines else None
    except json.JSONDecodeError:
        result["stdout"] = out[-2000:]
    return result


def machine() -> dict:
    lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines()[:12]
    return {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
            "mem_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1), "lscpu": lscpu}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", type=Path, required=True, help="the graph to analyse")
    ap.add_argument("--out", type=Path, default=Path("/tmp/bench-analytics"))
    ap.add_argument("--label", default="full", help="results file: bench/results/analytics-<label>.json")
    ap.add_argument("--only", nargs="*", choices=NAMES, help="analyses to run (default: all, then the report)")
    ap.add_argument("--no-report", action="store_true")
    ap.add_argument("--option", action="append", default=[], metavar="NAME.K=V",
                    help="analysis option (JSON value), as for `innograph report -o`")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    options: dict[str, dict] = {}
    for item in args.option:
        head, _, rest = item.partition(".")
        k, _, v = rest.partition("=")
        try:
            options.setdefault(head, {})[k] = json.loads(v)
        except json.JSONDecodeError:
            options.setdefault(head, {})[k] = v
    path = RESULTS / f"analytics-{args.label}.json"
    result = json.loads(path.read_text()) if path.exists() else {}
    result.update({"db": str(args.db), "machine": machine(), "options": options})
    from innograph.graph.embedded import EmbeddedStore

    with EmbeddedStore(args.db, read_only=True) as store:
        result["graph"] = {"nodes": store.node_counts(), "relationships": store.rel_counts()}
    print("graph", result["graph"], flush=True)
    result.setdefault("analyses", {})
    for name in args.only or NAMES:
        r = timed([sys.executable, "-c", ONE, name, str(args.db), str(args.out / "tables"),
                   json.dumps(options.get(name, {}))], args.out / f"{name}.log")
        r["target_seconds"] = 300
        result["analyses"][name] = r
        print(name, {k: v for k, v in r.items() if k != "detail"},
              (r.get("detail") or {}).get("queries"), flush=True)
        path.write_text(json.dumps(result, indent=2))
    if not args.no_report and not args.only:
        cmd = [sys.executable, "-m", "innograph.cli", "report", "--db", str(args.db), "--out", str(args.out / "report"),
               "--no-progress", "--json"]
        for name, opts in options.items():
            cmd += [x for k, v in opts.items() for x in ("-o", f"{name}.{k}={json.dumps(v)}")]
        # the report prints multi-line JSON: keep it whole
        started = time.perf_counter()
        with open(args.out / "report.log", "w") as fh:
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=fh, text=True)
            out = proc.stdout.read()
            _, status, usage = os.wait4(proc.pid, 0)
        rep = {"seconds": round(time.perf_counter() - started, 1), "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
               "exit": os.waitstatus_to_exitcode(status), "target_seconds": 900}
        try:
            rep["detail"] = {"seconds": json.loads(out)["seconds"]}
        except (json.JSONDecodeError, KeyError):
            rep["stdout"] = out[-2000:]
        result["report"] = rep
        print("report", rep, flush=True)
    path.write_text(json.dumps(result, indent=2))
    print("wrote", path)


if __name__ == "__main__":
    main()
