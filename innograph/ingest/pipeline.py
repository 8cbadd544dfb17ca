"""`innograph ingest`: raw record files -> one canonical documents table (Parquet) + rejects.

Work directory layout (`OUT`):

    OUT/documents.parquet   the canonical table (DOCUMENT_SCHEMA), merged by id
    OUT/rejects.csv         every rejected record and dropped value, with file, line and reason
    OUT/summary.json        counts per input file and of the merge
    OUT/parts/<name>-<fingerprint>/documents.parquet, rejects.csv, done.json
                            what each input file gave, before merging

Each input is read in chunks (bounded memory) into its own part folder, which is written under a
temporary name and renamed when complete: a rerun skips the inputs whose part folder exists (same
path, size, modification time and format) and reads only the others. The merge then runs over all
parts (`merge_parts`); with unchanged inputs and an existing table it is skipped too.

Counts reconcile per file: `read = kept + rejected`; and overall
`documents = sum(kept) - merged`, where `merged` counts records folded into another one.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import os
import shutil
import time
import zlib
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from innograph.errors import InputFormatError
from innograph.ingest.deepinnovation import ReadStats
from innograph.ingest.detect import KINDS, detect_format, get_reader, is_side_table
from innograph.ingest.documents import DOCUMENT_SCHEMA, documents_to_table, match_keys, merge_records
from innograph.ingest.rejects import REJECT_COLUMNS, RejectLog

READER_VERSION = "1"  # part folders written by another version are read again
BUCKET_ROWS = 50_000  # the merge holds about this many records in memory at a time
_ORDER = "_order"
_GROUP = "_group"


@dataclass
class FileResult:
    file: str
    format: str
    kind: str
    read: int = 0
    kept: int = 0
    rejected: int = 0
    values_dropped: int = 0
    seconds: float = 0.0
    reused: bool = False  # the part folder of an earlier run was used
    part: str = ""

    @property
    def reconciles(self) -> bool:
        return self.read == self.kept + self.rejected


@dataclass
class MergeStats:
    records: int = 0  # rows of all parts
    documents: int = 0  # rows written
    merged: int = 0  # records folded into another: records - documents
    merged_groups: int = 0  # documents made of more than one record
    cross_file_groups: int = 0  # of those, documents whose records come from several files
    patents: int = 0
    papers: int = 0
    buckets: int = 1


@dataclass
class IngestSummary:
    out: str
    documents_file: str
    rejects_file: str
    files: list[FileResult] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # inputs not read, with the reason
    merge: MergeStats = field(default_factory=MergeStats)
    merge_reused: bool = False
    seconds: float = 0.0

    @property
    def rejected(self) -> int:
        return sum(f.rejected for f in self.files)

    def to_dict(self) -> dict:
        d = asdict(self)
        for f, fd in zip(self.files, d["files"]):
            fd["reconciles"] = f.reconciles
        d["rejected"] = self.rejected
        return d

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2)


# ---------------------------------------------------------------------------------------------


def expand_inputs(paths: Iterable, fmt: str | None) -> tuple[list[tuple[Path, str]], list[str]]:
    """(file, format) of every input, and the inputs left out with why.

    A directory stands for the files under it; there, files no reader recognises are left out
    (listed in `skipped`), while a file named explicitly must be readable. PatentsView side
    tables beside a g_patent.tsv are joined by it, not read on their own.
    """
    chosen: list[tuple[Path, str]] = []
    skipped: list[str] = []
    seen: set[Path] = set()
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            files = sorted(f for f in p.rglob("*") if f.is_file() and not f.name.startswith("."))
            explicit = False
        elif p.exists():
            files, explicit = [p], True
        else:
            raise InputFormatError(f"{p}: no such file.")
        for f in files:
            key = f.resolve()
            if key in seen:
                continue
            seen.add(key)
            if is_side_table(f) and (f.parent / "g_patent.tsv").is_file():
                skipped.append(f"{f}: joined from g_patent.tsv beside it")
                continue
            try:
                chosen.append((f, fmt or detect_format(f)))
            except InputFormatError as exc:
                if explicit:
                    raise
                skipped.append(str(exc))
    if not chosen:
        raise InputFormatError("No input file holds records a reader recognises"
                               + (f" ({skipped[0]})" if skipped else "") + ".")
    return chosen, skipped


def _fingerprint(path: Path, fmt: str) -> str:
    st = path.stat()
    text = f"{path.resolve()}|{st.st_size}|{st.st_mtime_ns}|{fmt}|{READER_VERSION}"
    return hashlib.sha1(text.encode()).hexdigest()[:16]


def ingest(paths: Iterable, out_dir, fmt: str | None = None, chunk_rows: int = 5_000,
           progress: bool = True, bucket_rows: int = BUCKET_ROWS) -> IngestSummary:
    """Read raw record files into `out_dir` (see the module docstring)."""
    started = time.perf_counter()
    if fmt is not None:
        get_reader(fmt)  # unknown names fail before anything is read
    inputs, skipped = expand_inputs(paths, fmt)
    out = Path(out_dir)
    parts_dir = out / "parts"
    parts_dir.mkdir(parents=True, exist_ok=True)
    summary = IngestSummary(out=str(out), documents_file=str(out / "documents.parquet"),
                            rejects_file=str(out / "rejects.csv"), skipped=skipped)
    folders = []
    for path, f in inputs:
        folder = parts_dir / f"{path.name}-{_fingerprint(path, f)}"
        folders.append(folder)
        summary.files.append(_read_file(path, f, folder, chunk_rows, progress))
    for stale in parts_dir.iterdir():  # parts of inputs no longer given
        if stale not in folders:
            shutil.rmtree(stale, ignore_errors=True)

    manifest = [fr.part for fr in summary.files]
    previous = _load_json(out / "summary.json")
    if (previous and previous.get("manifest") == manifest and previous.get("bucket_rows") == bucket_rows
            and Path(summary.documents_file).exists() and Path(summary.rejects_file).exists()):
        summary.merge = MergeStats(**previous["merge"])
        summary.merge_reused = True
    else:
        summary.merge = merge_parts([Path(p) / "documents.parquet" for p in manifest],
                                    Path(summary.documents_file), out / "buckets", bucket_rows, progress)
        _concat_rejects([Path(p) / "rejects.csv" for p in manifest], Path(summary.rejects_file))
    summary.seconds = round(time.perf_counter() - started, 3)
    data = summary.to_dict() | {"manifest": manifest, "bucket_rows": bucket_rows}
    _write_atomic(out / "summary.json", json.dumps(data, indent=2).encode())
    return summary


def _load_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _read_file(path: Path, fmt: str, folder: Path, chunk_rows: int, progress: bool) -> FileResult:
    done = _load_json(folder / "done.json")
    if done is not None:
        result = FileResult(**done)
        result.reused, result.part = True, str(folder)
        return result
    tmp = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    started = time.perf_counter()
    kind = KINDS[fmt]
    rejects = RejectLog(tmp / "rejects.csv")
    stats = ReadStats(str(path), kind + "s")
    reader = get_reader(fmt)
    from tqdm import tqdm

    bar = tqdm(desc=path.name[-40:], unit=" rec", disable=not progress, leave=False)
    writer = pq.ParquetWriter(tmp / "documents.parquet", DOCUMENT_SCHEMA, compression="zstd")
    try:
        for docs in reader(path, rejects, stats, chunk_rows=chunk_rows, progress=bar):
            writer.write_table(documents_to_table(docs))
    except BaseException:
        writer.close()
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        writer.close()
        bar.close()
    rejects.flush()
    result = FileResult(file=str(path), format=fmt, kind=kind, read=stats.read, kept=stats.kept,
                        rejected=rejects.rows_rejected, values_dropped=rejects.values_dropped,
                        seconds=round(time.perf_counter() - started, 3), part=str(folder))
    (tmp / "done.json").write_text(json.dumps(asdict(result), indent=2))
    shutil.rmtree(folder, ignore_errors=True)
    os.replace(tmp, folder)
    return result


def _concat_rejects(files: list[Path], out: Path) -> None:
    tmp = out.with_name(out.name + ".tmp")
    with open(tmp, "w", newline="", encoding="utf-8") as dst:
        csv.writer(dst).writerow(REJECT_COLUMNS)
        for f in files:
            with open(f, encoding="utf-8", newline="") as src:
                src.readline()
                shutil.copyfileobj(src, dst)
    os.replace(tmp, out)


# ---------------------------------------------------------------------------------------------
# merge


class _UnionFind:
    """Keys of records that carry several ids (papers with a DOI and an arXiv id)."""

    def __init__(self):
        self.parent: dict[str, str] = {}

    def find(self, k: str) -> str:
        parent = self.parent
        if k not in parent:
            return k
        root = k
        while parent[root] != root:
            root = parent[root]
        while parent[k] != root:  # path compression
            parent[k], k = root, parent[k]
        return root

    def union(self, keys: list[str]) -> None:
        for k in keys:
            self.parent.setdefault(k, k)
        roots = [self.find(k) for k in keys]
        first = min(roots)  # deterministic representative
        for r in roots:
            self.parent[r] = first


_KEY_COLUMNS = ["kind", "id", "kind_code", "alt_ids"]


def _iter_keys(parts: list[Path], batch_rows: int):
    """Per batch of each part: the list of match keys of every row."""
    for part in parts:
        pf = pq.ParquetFile(part, pre_buffer=False)  # pre-buffering keeps every row group read
        for batch in pf.iter_batches(batch_size=batch_rows, columns=_KEY_COLUMNS):
            cols = batch.to_pydict()
            yield [match_keys(k, i, c, a) for k, i, c, a in
                   zip(cols["kind"], cols["id"], cols["kind_code"], cols["alt_ids"])]


def merge_parts(parts: list[Path], out_file: Path, work: Path, bucket_rows: int = BUCKET_ROWS,
                progress: bool = False) -> MergeStats:
    """Merge records that share a match key (see `documents.merge_records`) into `out_file`.

    Bounded memory: records are spread over buckets of about `bucket_rows` by a hash of their
    group key and each bucket is merged on its own. Only the keys of records with several ids
    (papers with a DOI and an arXiv id, say) are held for the whole run, to link their ids.
    Small inputs (one bucket) keep input order; with several buckets documents come out bucket
    by bucket, each in input order.
    """
    stats = MergeStats()
    uf = _UnionFind()
    batch_rows = max(1_000, min(20_000, bucket_rows // 4))
    for keys in _iter_keys(parts, batch_rows):
        stats.records += len(keys)
        for ks in keys:
            if len(ks) > 1:
                uf.union(ks)
    n = max(1, math.ceil(stats.records / max(1, bucket_rows)))
    stats.buckets = n
    schema = DOCUMENT_SCHEMA.append(pa.field(_GROUP, pa.string())).append(pa.field(_ORDER, pa.int64()))
    tmp_out = out_file.with_name(out_file.name + ".tmp")
    shutil.rmtree(work, ignore_errors=True)
    writer = pq.ParquetWriter(tmp_out, DOCUMENT_SCHEMA, compression="zstd")
    try:
        if n == 1:
            tables = list(_annotated(parts, uf, batch_rows))
            bucket = pa.concat_tables(tables) if tables else schema.empty_table()
            del tables
            _write_bucket(bucket, writer, stats)
        else:
            # buckets are Arrow IPC streams: an open stream writer holds next to no memory, where
            # a Parquet writer holds page and dictionary buffers (n of them grew with the input)
            work.mkdir(parents=True)
            options = pa.ipc.IpcWriteOptions(compression="lz4")
            sinks = [pa.OSFile(str(work / f"bucket-{b:04d}.arrows"), "wb") for b in range(n)]
            writers = [pa.ipc.new_stream(sink, schema, options=options) for sink in sinks]
            try:
                for table in _annotated(parts, uf, batch_rows):
                    ids = pa.array([zlib.crc32(g.encode("utf-8", "surrogatepass")) % n
                                    for g in table.column(_GROUP).to_pylist()], pa.int32())
                    for b in pc.unique(ids).to_pylist():
                        writers[b].write_table(table.filter(pc.equal(ids, b)))
            finally:
                for w, sink in zip(writers, sinks):
                    w.close()
                    sink.close()
            from tqdm import tqdm

            for b in tqdm(range(n), desc="merge", unit=" bucket", disable=not progress, leave=False):
                path = work / f"bucket-{b:04d}.arrows"
                with pa.OSFile(str(path), "rb") as src:
                    bucket = pa.ipc.open_stream(src).read_all().combine_chunks()
                _write_bucket(bucket, writer, stats)
                del bucket
                path.unlink()
                pa.default_memory_pool().release_unused()
    finally:
        writer.close()
        shutil.rmtree(work, ignore_errors=True)
    os.replace(tmp_out, out_file)
    stats.merged = stats.records - stats.documents
    return stats


def _annotated(parts: list[Path], uf: _UnionFind, batch_rows: int):
    """Batches of all parts with their group key and global input order."""
    order = 0
    for part in parts:
        pf = pq.ParquetFile(part, pre_buffer=False)  # pre-buffering keeps every row group read
        for batch in pf.iter_batches(batch_size=batch_rows):
            kinds = batch.column("kind").to_pylist()
            ids = batch.column("id").to_pylist()
            codes = batch.column("kind_code").to_pylist()
            alts = batch.column("alt_ids").to_pylist()
            groups = [uf.find(match_keys(k, i, c, a)[0]) for k, i, c, a in zip(kinds, ids, codes, alts)]
            table = pa.Table.from_batches([batch]).cast(DOCUMENT_SCHEMA)  # nullability as declared
            table = table.append_column(_GROUP, pa.array(groups, pa.string()))
            table = table.append_column(_ORDER, pa.array(range(order, order + len(groups)), pa.int64()))
            order += len(groups)
            yield table


def _write_bucket(table: pa.Table, writer: pq.ParquetWriter, stats: MergeStats) -> None:
    if table.num_rows == 0:
        return
    counts = table.group_by(_GROUP).aggregate([(_ORDER, "count")])
    multi = counts.filter(pc.greater(counts.column(f"{_ORDER}_count"), 1)).column(_GROUP)
    if len(multi):
        mask = pc.is_in(table.column(_GROUP), value_set=multi)
        singles = table.filter(pc.invert(mask))
        rows = table.filter(mask).sort_by(_ORDER).to_pylist()
        groups: dict[str, list[dict]] = {}
        for r in rows:
            groups.setdefault(r[_GROUP], []).append(r)
        merged = []
        for members in groups.values():
            m = merge_records(members)
            m[_ORDER] = members[0][_ORDER]
            merged.append(m)
            stats.merged_groups += 1
            if len({r["source_file"] for r in members}) > 1:
                stats.cross_file_groups += 1
        table = pa.concat_tables([singles, pa.Table.from_pylist(merged, schema=table.schema)]).sort_by(_ORDER)
        del singles, rows, groups, merged
    table = table.drop_columns([_GROUP, _ORDER])
    kinds = pc.value_counts(table.column("kind")).to_pylist()
    for kv in kinds:
        if kv["values"] == "patent":
            stats.patents += kv["counts"]
        elif kv["values"] == "paper":
            stats.papers += kv["counts"]
    stats.documents += table.num_rows
    writer.write_table(table, row_group_size=50_000)
