"""Benchmark: `innograph export neo4j-admin` from an embedded graph (the bulk path into Neo4j).

    python bench/neo4j_export.py --scale 0.02 --workdir /tmp/bench-export

Phases, each in its own process (peak RSS via os.wait4): synth, load (embedded), export (from the
loaded graph with --db, so the time is the export alone). Writes bench/results/neo4j-export-<scale>.json
and appends a line to bench/results/neo4j-export.md. neo4j-admin itself cannot run here.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

FULL = {"patents": 2_356_204, "papers": 3_511_929, "pairs": 100_000_000}
RESULTS = Path(__file__).resolve().parent / "results"


def timed(cmd: list[str], log: Path) -> dict:
    started = time.perf_counter()
    with open(log, "w") as fh:
        proc = subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
    return {"seconds": round(time.perf_counter() - started, 2), "peak_rss_mb": round(usage.ru_maxrss / 1024),
            "exit": os.waitstatus_to_exitcode(status)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=float, default=0.02)
    ap.add_argument("--workdir", default="/tmp/bench-neo4j-export")
    args = ap.parse_args()
    work = Path(args.workdir)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    exe = [sys.executable, "-m", "innograph.cli"]
    counts = {k: max(1, int(v * args.scale)) for k, v in FULL.items()}
    phases = {}
    phases["synth"] = timed(exe + ["synth", "--out", str(work / "data"), "--no-progress"]
                            + [x for k, v in counts.items() for x in (f"--{k}", str(v))], work / "synth.log")
    data = work / "data"
    phases["load"] = timed(exe + ["load", "--db", str(work / "graph"), "--no-progress", "--json",
                                  "--patents", str(data / "DeepPatentAI.csv"), "--papers", str(data / "DeepDiveAI.csv"),
                                  "--pairs", str(data / "DeepCosineAI.csv")], work / "load.log")
    phases["export"] = timed(exe + ["export", "neo4j-admin", "--db", str(work / "graph"), "--out", str(work / "export"),
                                    "--json", "--no-progress"], work / "export.log")
    summary = json.loads((work / "export" / "export.json").read_text())
    size = sum(p.stat().st_size for p in (work / "export").rglob("*.csv"))
    rows = sum(summary["nodes"].values()) + sum(summary["relationships"].values())
    result = {"scale": args.scale, "inputs": counts, "phases": phases, "nodes": summary["nodes"],
              "relationships": summary["relationships"], "csv_mb": round(size / 2**20),
              "export_rows_per_s": round(rows / phases["export"]["seconds"]),
              "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"neo4j-export-{args.scale}.json").write_text(json.dumps(result, indent=2))
    with open(RESULTS / "neo4j-export.md", "a") as fh:
        fh.write(f"| {args.scale} | {rows:,} | {phases['load']['seconds']} s | {phases['export']['seconds']} s "
                 f"| {phases['export']['peak_rss_mb']} MB | {result['csv_mb']} MB | {result['export_rows_per_s']:,} rows/s |\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
