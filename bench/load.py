"""Benchmark: synthesise DeepInnovationAI at (a fraction of) full scale, load it, compare to a floor.

    python bench/load.py --scale 1.0 --workdir /tmp/bench-load

Phases, each in its own process so that its peak RSS is its own (os.wait4):
1. synth   `innograph synth` with the full-scale counts times --scale
2. floor   pyarrow reading and parsing the same three CSVs (nothing else)
3. load    `innograph load --json` into an empty graph
Writes bench/results/load-<scale>.json and appends a line to bench/results/load.md.
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

FLOOR = r"""
import sys, pyarrow.csv as c
for path in sys.argv[1:]:
    opts = c.ParseOptions(newlines_in_values=True)
    r = c.open_csv(path, parse_options=opts, read_options=c.ReadOptions(block_size=64 << 20))
    n = sum(b.num_rows for b in r)
    print(path, n, flush=True)
"""


def timed(cmd: list[str], log: Path) -> dict:
    """Run `cmd`; wall time, peak RSS (MB) and exit status of that process alone."""
    started = time.perf_counter()
    with open(log, "w") as fh:
        proc = subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
    return {"seconds": round(time.perf_counter() - started, 1),
            "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
            "exit": os.waitstatus_to_exitcode(status), "log": str(log)}


def du_mb(path: Path) -> float:
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return round(sum(p.stat().st_size for p in files) / 2**20, 1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/bench-load"))
    ap.add_argument("--keep-data", action="store_true", help="reuse synthesised files if present")
    args = ap.parse_args()
    counts = {k: max(1, int(v * args.scale)) for k, v in FULL.items()}
    data, db = args.workdir / "data", args.workdir / "graph"
    args.workdir.mkdir(parents=True, exist_ok=True)
    exe = [sys.executable, "-m", "innograph.cli"]
    result = {"scale": args.scale, "counts": counts,
              "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                          "python": platform.python_version(),
                          "mem_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)}}
    files = [data / "DeepPatentAI.csv", data / "DeepDiveAI.csv", data / "DeepCosineAI.csv"]
    if not (args.keep_data and all(f.exists() for f in files)):
        shutil.rmtree(data, ignore_errors=True)
        result["synth"] = timed(exe + ["synth", "--patents", str(counts["patents"]), "--papers", str(counts["papers"]),
                                       "--pairs", str(counts["pairs"]), "--out", str(data)], args.workdir / "synth.log")
        print("synth", result["synth"], flush=True)
        if result["synth"]["exit"] != 0:
            sys.exit(f"synth failed, see {result['synth']['log']}")
    result["input_mb"] = {f.name: round(f.stat().st_size / 2**20, 1) for f in files}
    result["floor"] = timed([sys.executable, "-c", FLOOR, *map(str, files)], args.workdir / "floor.log")
    print("floor", result["floor"], flush=True)
    shutil.rmtree(db, ignore_errors=True)
    result["load"] = timed(exe + ["load", "--patents", str(files[0]), "--papers", str(files[1]),
                                  "--pairs", str(files[2]), "--db", str(db), "--json", "--no-progress"],
                           args.workdir / "load.log")
    print("load", result["load"], flush=True)
    if result["load"]["exit"] != 0:
        sys.exit(f"load failed, see {result['load']['log']}")
    text = Path(result["load"]["log"]).read_text()
    result["load_summary"] = json.loads(text[text.index("{"):]) if "{" in text else None
    result["db_mb"] = du_mb(db / "graph.lbug") if (db / "graph.lbug").exists() else None
    result["db_dir_mb_with_staging"] = du_mb(db)
    result["load_over_floor"] = round(result["load"]["seconds"] / max(result["floor"]["seconds"], 1e-9), 2)
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"load-{args.scale:g}.json"
    out.write_text(json.dumps(result, indent=2))
    print(json.dumps({k: result[k] for k in ("counts", "floor", "load", "db_mb", "load_over_floor")}, indent=2))


if __name__ == "__main__":
    main()
