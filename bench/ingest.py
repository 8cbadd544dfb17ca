"""Benchmark `innograph ingest`: records/s per raw format, and memory on a several-GB input.

    python bench/ingest.py rates --workdir /tmp/bench-ingest
    python bench/ingest.py big --gb 3 --format patentsview --workdir /tmp/bench-ingest

Inputs are generated from the real records of ../shared/data (INNOGRAPH_SHARED_DATA): each
generated record is a real one with a new id (publication number, arXiv id, DOI suffix, S2 or
OpenAlex id), and every 100th record repeats the id of an earlier one so that the merge has work.
OpenAlex has no real file there: its records come from tests/data/openalex/works_page.json.

Every ingest runs as its own process (`innograph ingest FILE --out DIR --json --no-progress`);
its wall time and peak RSS come from os.wait4. `rates` reads N records of each format;
`big` reads a file of --gb GB and, for comparison, one of a tenth of that, then deletes both.
Results: bench/results/ingest-rates.json, bench/results/ingest-big-<format>.json, and a line per
run in bench/results/ingest.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
SHARED = Path(os.environ.get("INNOGRAPH_SHARED_DATA", REPO.parent / "shared" / "data"))
OPENALEX = REPO / "tests" / "data" / "openalex" / "works_page.json"
csv.field_size_limit(2**31 - 1)


# ---------------------------------------------------------------------------------------------
# generators: write records until `limit` records or bytes; return the number of records


class Budget:
    def __init__(self, records: int | None = None, nbytes: int | None = None):
        self.records, self.nbytes, self.n, self.size = records, nbytes, 0, 0

    def more(self) -> bool:
        return (self.records is None or self.n < self.records) and (self.nbytes is None or self.size < self.nbytes)

    def take(self, text: str | bytes) -> None:
        self.n += 1
        self.size += len(text)


def _dup(i: int) -> int:
    """The record number whose id record i takes: itself, or (every 100th) an earlier one."""
    return i // 2 if i % 100 == 99 else i


def _read_csv(path: Path, skip_first_line: bool = False) -> tuple[str, list[str], list[list[str]]]:
    """(preamble line, header, rows) of a real CSV file."""
    with open(path, newline="", encoding="utf-8-sig") as fh:
        first = fh.readline() if skip_first_line else ""
        r = csv.reader(fh)
        header = next(r)
        return first, header, list(r)


def _write_csv(path: Path, budget: Budget, header: list[str], rows: list[list[str]], edit, preamble: str = "") -> int:
    """Real rows in turn, each changed by `edit(row, i)` (the new id), until the budget is spent."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        fh.write(preamble)
        w = csv.writer(fh)
        w.writerow(header)
        while budget.more():
            row = list(rows[budget.n % len(rows)])
            edit(row, _dup(budget.n))
            w.writerow(row)
            budget.take(",".join(row))
    return budget.n


def _write_jsonl(path: Path, budget: Budget, recs: list[dict], edit) -> int:
    with open(path, "w", encoding="utf-8") as fh:
        while budget.more():
            rec = dict(recs[budget.n % len(recs)])
            edit(rec, _dup(budget.n))
            line = json.dumps(rec) + "\n"
            fh.write(line)
            budget.take(line)
    return budget.n


def _suffixed(doi, j: int):
    """A real DOI made unique for record j (its first DOI when the field holds several)."""
    return f"{doi.split()[0]}.r{j}" if doi and doi.strip() else None


def gen_patentsview(path: Path, budget: Budget) -> int:
    _, header, rows = _read_csv(SHARED / "patents" / "patentsview_neural_network.csv")
    rows += _read_csv(SHARED / "patents" / "patentsview_baseball.csv")[2]
    return _write_csv(path, budget, header, rows, lambda row, j: row.__setitem__(2, str(20_000_000 + j)))


def gen_google_search(path: Path, budget: Budget) -> int:
    rows = []
    for f in sorted((SHARED / "patents" / "google_patents_search").glob("*.csv")):
        first, header, more = _read_csv(f, skip_first_line=True)
        rows += more
    return _write_csv(path, budget, header, rows, lambda row, j: row.__setitem__(0, f"US-{30_000_000 + j}-B2"),
                      preamble=first)


def gen_google_public(path: Path, budget: Budget) -> int:
    _, header, rows = _read_csv(SHARED / "patents" / "google_patents_public_ro_membrane.csv")
    return _write_csv(path, budget, header, rows,
                      lambda row, j: row.__setitem__(0, f"EP-{4_000_000 + j % 5_000_000:07d}-A1"))


_FIRST_NUMBER = re.compile(rb"<doc-number>[^<]*</doc-number>")


def gen_uspto_xml(path: Path, budget: Budget) -> int:
    docs = []
    for f in sorted((SHARED / "patents" / "uspto_xml").rglob("*.xml")):
        data = f.read_bytes()
        docs.append(data if data.endswith(b"\n") else data + b"\n")
    with open(path, "wb") as fh:
        while budget.more():
            doc = docs[budget.n % len(docs)]
            number = b"<doc-number>%d</doc-number>" % (40_000_000 + _dup(budget.n))
            doc = _FIRST_NUMBER.sub(number, doc, count=1)
            fh.write(doc)
            budget.take(doc)
    return budget.n


def _arxiv_id(i: int) -> str:
    return f"{1501 + (i // 99_999) // 12 * 100 + (i // 99_999) % 12:04d}.{i % 99_999 + 1:05d}"


def _read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def gen_arxiv_jsonl(path: Path, budget: Budget) -> int:
    def edit(rec, j):
        rec["id"], rec["doi"] = _arxiv_id(j), _suffixed(rec.get("doi"), j)
    return _write_jsonl(path, budget, _read_jsonl(SHARED / "papers" / "arxiv_snapshot_sample.jsonl"), edit)


def gen_arxiv_csv(path: Path, budget: Budget) -> int:
    _, header, rows = _read_csv(SHARED / "papers" / "arxiv_snapshot_sample.csv")

    def edit(row, j):
        row[0], row[6] = _arxiv_id(j), _suffixed(row[6], j) or ""
    return _write_csv(path, budget, header, rows, edit)


def gen_s2orc(path: Path, budget: Budget) -> int:
    def edit(rec, j):
        rec["paper_id"], rec["doi"], rec["arxiv_id"] = str(1_000_000_000 + j), _suffixed(rec.get("doi"), j), None
    return _write_jsonl(path, budget, _read_jsonl(SHARED / "papers" / "s2orc_metadata_sample.jsonl"), edit)


def gen_openalex(path: Path, budget: Budget) -> int:
    def edit(w, j):
        w["id"], w["doi"] = f"https://openalex.org/W{10**10 + j}", _suffixed((w.get("doi") or "").rsplit("doi.org/", 1)[-1], j)
        w["primary_location"] = {"source": (w.get("primary_location") or {}).get("source")}  # no shared arXiv URL
    works = [w for w in json.loads(OPENALEX.read_text())["results"] if w.get("id")]
    return _write_jsonl(path, budget, works, edit)


GENERATORS = {
    "patentsview": (gen_patentsview, "csv"),
    "google_patents_search": (gen_google_search, "csv"),
    "google_patents_public": (gen_google_public, "csv"),
    "uspto_xml": (gen_uspto_xml, "xml"),
    "arxiv_jsonl": (gen_arxiv_jsonl, "jsonl"),
    "arxiv_csv": (gen_arxiv_csv, "csv"),
    "s2orc": (gen_s2orc, "jsonl"),
    "openalex": (gen_openalex, "jsonl"),
}


# ---------------------------------------------------------------------------------------------


def timed_ingest(path: Path, out: Path, log: Path) -> dict:
    """`innograph ingest` in its own process: wall time, peak RSS, its JSON summary."""
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, "-m", "innograph.cli", "ingest", str(path), "--out", str(out), "--json", "--no-progress"]
    started = time.perf_counter()
    with open(log, "w") as fh:
        proc = subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    text = log.read_text()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"ingest failed ({code}), see {log}")
    summary = json.loads(text[text.index("{"):])
    f = summary["files"][0]
    m = summary["merge"]
    return {
        "input_mb": round(path.stat().st_size / 2**20, 1), "records": f["read"], "kept": f["kept"],
        "rejected": f["rejected"], "documents": m["documents"], "merged": m["merged"], "buckets": m["buckets"],
        "read_seconds": f["seconds"], "total_seconds": round(seconds, 2),
        "read_records_per_s": round(f["read"] / max(f["seconds"], 1e-9)),
        "total_records_per_s": round(f["read"] / max(seconds, 1e-9)),
        "read_mb_per_s": round(path.stat().st_size / 2**20 / max(f["seconds"], 1e-9), 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "output_mb": round((out / "documents.parquet").stat().st_size / 2**20, 1),
    }


def machine() -> dict:
    return {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
            "mem_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)}


def append_md(lines: list[str]) -> None:
    md = RESULTS / "ingest.md"
    if not md.exists():
        md.write_text("# innograph ingest benchmark\n\nWritten by `bench/ingest.py`; one block per run.\n")
    with open(md, "a") as fh:
        fh.write("\n" + "\n".join(lines) + "\n")


def run_rates(args) -> None:
    work = args.workdir
    work.mkdir(parents=True, exist_ok=True)
    results = {"machine": machine(), "records": args.records, "uspto_records": args.uspto_records, "formats": {}}
    for name, (gen, ext) in GENERATORS.items():
        path = work / f"{name}.{ext}"
        n = args.uspto_records if name == "uspto_xml" else args.records
        gen(path, Budget(records=n))
        r = timed_ingest(path, work / f"out-{name}", work / f"{name}.log")
        results["formats"][name] = r
        print(name, r, flush=True)
        path.unlink()
        shutil.rmtree(work / f"out-{name}", ignore_errors=True)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "ingest-rates.json").write_text(json.dumps(results, indent=2))
    lines = [f"## rates ({time.strftime('%Y-%m-%d')}, {results['machine']['cpus']} CPUs, "
             f"`python bench/ingest.py rates --records {args.records} --uspto-records {args.uspto_records}`)", "",
             "| format | records | input MB | read records/s | read MB/s | end-to-end records/s (with merge) | peak RSS MB |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for name, r in results["formats"].items():
        lines.append(f"| {name} | {r['records']:,} | {r['input_mb']} | {r['read_records_per_s']:,} | {r['read_mb_per_s']} "
                     f"| {r['total_records_per_s']:,} | {r['peak_rss_mb']} |")
    append_md(lines)


def run_big(args) -> None:
    work = args.workdir
    work.mkdir(parents=True, exist_ok=True)
    gen, ext = GENERATORS[args.format]
    results = {"machine": machine(), "format": args.format, "runs": []}
    for gb in (args.gb / 10, args.gb):
        path = work / f"big-{args.format}.{ext}"
        started = time.perf_counter()
        n = gen(path, Budget(nbytes=int(gb * 2**30)))
        gen_s = round(time.perf_counter() - started, 1)
        try:
            r = timed_ingest(path, work / "out-big", work / f"big-{args.format}.log")
        finally:
            path.unlink(missing_ok=True)
            shutil.rmtree(work / "out-big", ignore_errors=True)
        r["generated_records"], r["generate_seconds"] = n, gen_s
        results["runs"].append(r)
        print(gb, "GB", r, flush=True)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"ingest-big-{args.format}.json").write_text(json.dumps(results, indent=2))
    lines = [f"## bounded memory, {args.format} ({time.strftime('%Y-%m-%d')}, "
             f"`python bench/ingest.py big --gb {args.gb:g} --format {args.format}`)", "",
             "| input MB | records | documents | merged | buckets | read s | total s | records/s (total) | peak RSS MB |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results["runs"]:
        lines.append(f"| {r['input_mb']:,} | {r['records']:,} | {r['documents']:,} | {r['merged']:,} | {r['buckets']} "
                     f"| {r['read_seconds']} | {r['total_seconds']} | {r['total_records_per_s']:,} | {r['peak_rss_mb']} |")
    append_md(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    rates = sub.add_parser("rates", help="records/s per format")
    rates.add_argument("--records", type=int, default=50_000)
    rates.add_argument("--uspto-records", type=int, default=1_000, help="USPTO documents are ~150 KB each")
    big = sub.add_parser("big", help="peak memory on a several-GB input")
    big.add_argument("--gb", type=float, default=3.0)
    big.add_argument("--format", choices=list(GENERATORS), default="patentsview")
    for p in (rates, big):
        p.add_argument("--workdir", type=Path, default=Path("/tmp/bench-ingest"))
    args = ap.parse_args()
    if not SHARED.is_dir():
        sys.exit(f"{SHARED} not found: set INNOGRAPH_SHARED_DATA")
    run_rates(args) if args.cmd == "rates" else run_big(args)


if __name__ == "__main__":
    main()
