"""Build or extend the embedded graph from DeepInnovationAI files.

How a load runs (and why it survives `kill -9`):

1. **Stage** each document file: stream it in chunks, validate, and write node and relationship
   tables as Parquet under `DB/staging/<fingerprint>/` (a temp folder renamed when complete, so
   a rerun reuses finished files). Rejected rows go to `DB/rejects/<file>.rejects.csv`.
2. **Apply** each input file in ONE database transaction: COPY the new nodes, update the
   existing ones (MATCH by key + SET), replace the relationships of updated documents, COPY the
   relationships, and record a `LoadLog` node for the step. A kill at any moment leaves either
   the whole step or none of it.
3. A rerun of the same command (same files, same sizes and modification times, same tau) finds
   its `LoadLog` steps and skips them; an interrupted run resumes at the first missing step.
   Any other load starts a new run whose steps are upserts: a later file updates the records it
   shares with earlier ones.

Duplicate keys inside one file: the first occurrence is kept, later ones are rejected. Pairs
below tau are counted (`below_tau`), not loaded. For every file `read = loaded + rejected +
below_tau`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from tqdm.auto import tqdm

from innograph.errors import InputFormatError
from innograph.graph import schema, tables
from innograph.graph.embedded import EmbeddedStore
from innograph.graph.store import is_embedded
from innograph.ingest.deepinnovation import (
    ReadStats, normalize_publication_number, read_pairs, read_papers, read_patents,
)
from innograph.ingest.rejects import RejectLog

LOADER_VERSION = "1"


@dataclass(frozen=True)
class LoadConfig:
    """Tuning knobs of a load; the defaults keep peak memory well under 8 GB at full scale."""

    tau: float = 0.6
    chunk_rows: int = 100_000  # document rows per chunk while staging
    pair_chunk_rows: int = 2_000_000
    update_batch: int = 5_000  # rows per UNWIND batch on the update path
    progress: bool = True
    # LadybugDB's page cache in MiB; 0 = its default (most of the machine's memory). Each file
    # is one transaction, and COPY of the full 100M-pair file fails with a 3 GB cache.
    buffer_pool_mb: int = 0


@dataclass
class FileSummary:
    file: str
    kind: str
    read: int
    loaded: int
    rejected: int
    duplicates: int
    values_dropped: int
    below_tau: int
    new: int
    updated: int
    rejects_file: str | None
    reconciles: bool
    seconds_parse: float = 0.0  # reading, validating and staging the file
    seconds_write: float = 0.0  # applying it to the database (the step's transaction)


@dataclass
class LoadSummary:
    db: str
    run: str
    files: list[FileSummary]
    nodes: dict[str, int]
    relationships: dict[str, int]
    steps_skipped: int
    seconds: float
    tau: float

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2)


@dataclass
class _Input:
    kind: str  # patents | papers | pairs
    path: Path
    fingerprint: str = field(init=False)

    def __post_init__(self) -> None:
        if not self.path.exists():
            raise InputFormatError(f"{self.path}: no such file.")
        if self.path.is_dir():
            raise InputFormatError(f"{self.path}: is a directory, expected a CSV file.")
        st = self.path.stat()
        ident = f"{self.kind}|{self.path.resolve()}|{st.st_size}|{st.st_mtime_ns}|{LOADER_VERSION}"
        self.fingerprint = hashlib.sha1(ident.encode()).hexdigest()[:16]


def load_graph(db_dir: str | os.PathLike, patents=(), papers=(), pairs=(),
               tau: float = 0.6, config: LoadConfig | None = None, store: Any = None) -> LoadSummary:
    """Load DeepInnovationAI files into the embedded graph at `db_dir` (created if needed).

    `patents`, `papers`, `pairs` are a path or a sequence of paths, applied in that order.
    `store`: another backend to write to (a `Neo4jStore`, left open); `db_dir` then holds only
    the staging, the rejects and nothing else. Staging is the same for every backend; only the
    writer that applies the staged tables differs (`_EmbeddedWriter` here, `Neo4jWriter`).
    """
    config = config or LoadConfig(tau=tau)
    if config.tau != tau:
        config = LoadConfig(**{**asdict(config), "tau": tau})
    inputs = ([_Input("patents", Path(p)) for p in _as_list(patents)]
              + [_Input("papers", Path(p)) for p in _as_list(papers)]
              + [_Input("pairs", Path(p)) for p in _as_list(pairs)])
    if not inputs:
        raise InputFormatError("Nothing to load: give at least one of --patents, --papers, --pairs.")
    started = time.perf_counter()
    db_dir = Path(db_dir)
    run_key = hashlib.sha1(
        json.dumps([i.fingerprint for i in inputs] + [repr(tau)]).encode()).hexdigest()[:16]
    with (EmbeddedStore(db_dir, buffer_pool_mb=config.buffer_pool_mb) if store is None else contextlib.nullcontext(store)) as store:
        writer = _EmbeddedWriter(store, config) if is_embedded(store) else store.writer(config.progress)
        seq, done = _resume_point(store, run_key)
        summaries: list[FileSummary] = []
        skipped = 0
        for step, item in enumerate(inputs):
            key = f"{run_key}:{seq}:{step}"
            if key in done:
                summaries.append(FileSummary(**json.loads(done[key])))
                skipped += 1
                continue
            t0 = time.perf_counter()
            if item.kind == "pairs":
                summary = _apply_pairs(writer, item, db_dir, config)
                t1 = t0  # pairs are parsed while they are applied
            else:
                staged = _stage_documents(item, db_dir, config)
                t1 = time.perf_counter()
                summary = _apply_documents(writer, item, staged, config)
            summary.seconds_parse = round(t1 - t0, 1)
            summary.seconds_write = round(time.perf_counter() - t1, 1)
            _commit_step(store, writer, key, run_key, seq, step, item, summary)
            summaries.append(summary)
        nodes, rels = store.node_counts(), store.rel_counts()
    return LoadSummary(str(db_dir), run_key, summaries, nodes, rels, skipped,
                       round(time.perf_counter() - started, 3), tau)


def _as_list(value) -> list:
    if value is None:
        return []
    if isinstance(value, (str, os.PathLike)):
        return [value]
    return list(value)


# ---------------------------------------------------------------------------------------------
# bookkeeping


def _resume_point(store: EmbeddedStore, run_key: str) -> tuple[int, dict[str, str]]:
    """The run's sequence number and the steps it already finished (key -> summary JSON).

    Only the most recent run can be resumed, and only if the graph still holds what its last
    step recorded (node and relationship counts); otherwise this is a new run, whose steps are
    upserts and so give the right graph whatever state an interrupted run left.
    """
    last = store.execute("MATCH (l:LoadLog) RETURN l.run AS run, l.seq AS seq, l.graph AS graph "
                         "ORDER BY l.seq DESC, l.step DESC LIMIT 1")
    if last.empty:
        return 1, {}
    seq = int(last.iloc[0]["seq"])
    if last.iloc[0]["run"] != run_key or last.iloc[0]["graph"] != _graph_counts(store):
        return seq + 1, {}
    rows = store.execute("MATCH (l:LoadLog) WHERE l.run = $run AND l.seq = $seq "
                         "RETURN l.key AS key, l.summary AS summary", {"run": run_key, "seq": seq})
    return seq, dict(zip(rows["key"], rows["summary"]))


def _graph_counts(store: EmbeddedStore) -> str:
    return json.dumps({"nodes": store.node_counts(), "relationships": store.rel_counts()}, sort_keys=True)


def _commit_step(store: Any, writer: Any, key: str, run: str, seq: int, step: int, item: _Input,
                 summary: FileSummary) -> None:
    """Record the step (with the graph's counts) and commit it (the embedded store: its transaction)."""
    writer.log_step({"key": key, "run": run, "seq": seq, "step": step, "kind": item.kind,
                     "file": str(item.path), "summary": json.dumps(asdict(summary)),
                     "graph": _graph_counts(store),
                     "loaded_at": datetime.now(timezone.utc).isoformat(timespec="seconds")})


def _rejects_path(db_dir: Path, item: _Input) -> Path:
    return db_dir / "rejects" / f"{item.path.name}.{item.fingerprint}.rejects.csv"


# ---------------------------------------------------------------------------------------------
# staging documents


_DOC_TABLE = {"patents": schema.PATENT, "papers": schema.PAPER}


def _stage_documents(item: _Input, db_dir: Path, config: LoadConfig) -> Path:
    """Parse one document file into Parquet parts; reuse them if a previous run finished."""
    final = db_dir / "staging" / item.fingerprint
    if _staging_complete(final):
        return final
    tmp = final.with_name(final.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    for sub in ("nodes", "has_keyword", "classified_as", "from_country"):
        (tmp / sub).mkdir(parents=True)
    rejects = RejectLog(tmp / "rejects.csv")
    stats = ReadStats(str(item.path), item.kind)
    table = _DOC_TABLE[item.kind]
    keywords: set[str] = set()
    ipc_codes: set[str] = set()
    countries: set[str] = set()
    bar = tqdm(desc=f"parse {item.path.name}", unit=" rows", disable=not config.progress,
               mininterval=0.5)
    reader = (read_patents(item.path, rejects, stats, config.chunk_rows, progress=bar)
              if item.kind == "patents" else
              read_papers(item.path, rejects, stats, config.chunk_rows, progress=bar))
    for part, frame in enumerate(reader):
        key = frame[table.key]
        name = f"part-{part:05d}.parquet"
        pq.write_table(tables.node_table(frame, table), tmp / "nodes" / name)
        kw = tables.keyword_edges(key, frame["keywords"])
        keywords.update(kw["to"].unique())
        pq.write_table(tables.rel_table(kw, schema.HAS_KEYWORD), tmp / "has_keyword" / name)
        if item.kind == "patents":
            cls = tables.list_edges(key, frame["ipc"])
            ipc_codes.update(cls["to"].unique())
            pq.write_table(tables.rel_table(cls, schema.CLASSIFIED_AS), tmp / "classified_as" / name)
            ctry = pd.DataFrame({"from": key, "to": frame["country"]}).dropna(subset=["to"])
        else:
            ctry = tables.list_edges(key, frame["countries"])
        countries.update(ctry["to"].unique())
        pq.write_table(tables.rel_table(ctry, schema.FROM_COUNTRY), tmp / "from_country" / name)
    bar.close()
    ipc_nodes, part_of = tables.ipc_nodes_and_links(ipc_codes)
    pq.write_table(tables.node_table(tables.keyword_nodes(keywords), schema.KEYWORD), tmp / "keywords.parquet")
    pq.write_table(tables.node_table(ipc_nodes, schema.IPC), tmp / "ipc.parquet")
    pq.write_table(tables.rel_table(part_of, schema.PART_OF), tmp / "part_of.parquet")
    pq.write_table(tables.node_table(tables.country_nodes(countries), schema.COUNTRY), tmp / "countries.parquet")
    stats.rejected = rejects.rows_rejected
    stats.values_dropped = rejects.values_dropped
    (tmp / "stats.json").write_text(json.dumps(asdict(stats)))
    shutil.rmtree(final, ignore_errors=True)
    os.replace(tmp, final)
    return final


def _staging_complete(folder: Path) -> bool:
    """A finished staging folder whose node parts hold as many rows as its stats say."""
    try:
        kept = json.loads((folder / "stats.json").read_text())["kept"]
        return kept == sum(pq.read_metadata(p).num_rows for p in _parts(folder / "nodes"))
    except (OSError, ValueError, KeyError, pa.ArrowException):
        return False


# ---------------------------------------------------------------------------------------------
# applying staged documents


def _parts(folder: Path) -> list[str]:
    return sorted(str(p) for p in folder.glob("part-*.parquet"))


class _EmbeddedWriter:
    """Applies staged tables to LadybugDB: one transaction per load step, COPY from Parquet for
    new rows, a two-phase upsert (MATCH by key + SET) for existing nodes.

    `innograph.graph.neo4j_store.Neo4jWriter` has the same methods for Neo4j.
    """

    def __init__(self, store: EmbeddedStore, config: LoadConfig):
        self.store = store
        self.batch = config.update_batch

    def begin(self) -> None:
        self.store.begin()

    def commit(self) -> None:
        self.store.commit()

    def rollback(self) -> None:
        self.store.rollback()

    def read_arrow(self, cypher: str, params: dict[str, Any] | None = None) -> pa.Table:
        return self.store.execute_arrow(cypher, params)

    def run_batched(self, cypher: str, rows: list, param: str = "rows") -> None:
        for start in range(0, len(rows), self.batch):
            self.store.execute(cypher, {param: rows[start:start + self.batch]})

    def write_nodes(self, table: schema.NodeTable, paths: list[str | Path]) -> None:
        """COPY nodes that are not in the graph yet."""
        if paths:
            self.store.execute(f"COPY {table.label} FROM {_list_literal(paths)}")

    def update_nodes(self, table: schema.NodeTable, data: pa.Table) -> None:
        """Two-phase upsert, phase one: MATCH existing nodes by key and SET every property."""
        # CAST: a batch where a column is all null would otherwise bind as STRING.
        sets = ", ".join(f"n.{p.name} = CAST(row.{p.name} AS {p.type})"
                         for p in table.properties if p.name != table.key)
        cypher = f"UNWIND $rows AS row MATCH (n:{table.label} {{{table.key}: row.{table.key}}}) SET {sets}"
        for start in range(0, data.num_rows, self.batch):
            self.store.execute(cypher, {"rows": data.slice(start, self.batch).to_pylist()})

    def write_rels(self, rel: schema.RelTable, from_label: str, to_label: str, paths: list[str | Path]) -> None:
        if paths:
            opts = f" (from='{from_label}', to='{to_label}')" if len(rel.pairs) > 1 else ""
            self.store.execute(f"COPY {rel.type} FROM {_list_literal(paths)}{opts}")

    def log_step(self, props: dict[str, Any]) -> None:
        """Record the step inside the open transaction, then commit it."""
        names = [p.name for p in schema.LOAD_LOG.properties]
        self.store.execute(f"CREATE (:LoadLog {{{', '.join(f'{n}: ${n}' for n in names)}}})",
                           {n: props.get(n) for n in names})
        self.store.commit()


def _existing_keys(writer: Any, table: schema.NodeTable) -> pa.Array:
    t = writer.read_arrow(f"MATCH (n:{table.label}) RETURN n.{table.key} AS k")
    return t.column("k").combine_chunks().cast(pa.string()) if t.num_rows else pa.array([], pa.string())


def _write_nodes_if_new(writer: Any, table: schema.NodeTable, data: pa.Table, work: Path) -> int:
    """Write the rows of `data` whose key is not in the graph yet; returns how many."""
    if data.num_rows == 0:
        return 0
    existing = _existing_keys(writer, table)
    new = data.filter(pc.invert(pc.is_in(data.column(table.key), value_set=existing)))
    if new.num_rows:
        path = work / f"new-{table.label}.parquet"
        pq.write_table(new, path)
        writer.write_nodes(table, [_cypher_path(path)])
    return new.num_rows


def _cypher_path(path: Path) -> str:
    # COPY takes a file name literal (it cannot be a parameter); our own staging paths only.
    return str(path).replace("\\", "/").replace("'", "\\'")


def _apply_documents(writer: Any, item: _Input, staged: Path, config: LoadConfig) -> FileSummary:
    table = _DOC_TABLE[item.kind]
    stats = ReadStats(**json.loads((staged / "stats.json").read_text()))
    work = staged / "apply"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    existing = _existing_keys(writer, table)
    writer.begin()
    try:
        # Shared nodes first: relationships need both ends.
        _write_nodes_if_new(writer, schema.KEYWORD, pq.read_table(staged / "keywords.parquet"), work)
        _write_nodes_if_new(writer, schema.COUNTRY, pq.read_table(staged / "countries.parquet"), work)
        ipc = pq.read_table(staged / "ipc.parquet")
        ipc_before = _existing_keys(writer, schema.IPC)
        _write_nodes_if_new(writer, schema.IPC, ipc, work)
        _write_part_of(writer, pq.read_table(staged / "part_of.parquet"), ipc_before, work)

        new_count = updated = 0
        new_parts: list[str] = []
        updated_keys: list[str] = []
        for i, part in enumerate(_parts(staged / "nodes")):
            data = pq.read_table(part)
            is_old = pc.is_in(data.column(table.key), value_set=existing)
            new = data.filter(pc.invert(is_old))
            old = data.filter(is_old)
            if new.num_rows:
                path = work / f"nodes-{i:05d}.parquet"
                pq.write_table(new, path)
                new_parts.append(_cypher_path(path))
                new_count += new.num_rows
            if old.num_rows:
                writer.update_nodes(table, old)
                updated_keys.extend(old.column(table.key).to_pylist())
                updated += old.num_rows
        writer.write_nodes(table, new_parts)
        if updated_keys:
            _delete_document_rels(writer, table, updated_keys)
        rel_sources = [("has_keyword", schema.HAS_KEYWORD, "Keyword"),
                       ("from_country", schema.FROM_COUNTRY, "Country")]
        if item.kind == "patents":
            rel_sources.append(("classified_as", schema.CLASSIFIED_AS, "IPC"))
        for folder, rel, target in rel_sources:
            parts = [p for p in _parts(staged / folder) if pq.read_metadata(p).num_rows]
            writer.write_rels(rel, table.label, target, parts)
    except BaseException:
        writer.rollback()
        raise
    rejects_file = _publish_rejects(staged / "rejects.csv", item, staged.parent.parent)
    return FileSummary(
        file=str(item.path), kind=item.kind, read=stats.read, loaded=stats.kept,
        rejected=stats.rejected, duplicates=stats.duplicates, values_dropped=stats.values_dropped,
        below_tau=0, new=new_count, updated=updated, rejects_file=rejects_file,
        reconciles=stats.read == stats.kept + stats.rejected,
    )


def _list_literal(paths: list[str]) -> str:
    return "[" + ", ".join(f"'{p}'" for p in paths) + "]"


def _write_part_of(writer: Any, links: pa.Table, ipc_before: pa.Array, work: Path) -> None:
    """PART_OF links of IPC nodes that were not in the graph before this step."""
    new = links.filter(pc.invert(pc.is_in(links.column("from"), value_set=ipc_before)))
    if new.num_rows:
        path = work / "part_of.parquet"
        pq.write_table(new, path)
        writer.write_rels(schema.PART_OF, "IPC", "IPC", [_cypher_path(path)])


def _delete_document_rels(writer: Any, table: schema.NodeTable, keys: list[str]) -> None:
    """Remove the outgoing keyword, IPC and country links of documents being replaced."""
    types = ["HAS_KEYWORD", "FROM_COUNTRY"] + (["CLASSIFIED_AS"] if table is schema.PATENT else [])
    for rel in types:
        writer.run_batched(f"UNWIND $keys AS k MATCH (n:{table.label} {{{table.key}: k}})-[r:{rel}]->() DELETE r",
                           keys, param="keys")


def _publish_rejects(staged_rejects: Path, item: _Input, db_dir: Path) -> str | None:
    target = _rejects_path(db_dir, item)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(staged_rejects, target)
    return str(target)


# ---------------------------------------------------------------------------------------------
# pairs


@dataclass
class _Resolver:
    """Maps pair references to graph nodes: paper ids, patent ids (the ID column) or PNs."""

    paper_ids: pd.Index  # position -> paper_id
    paper_years: np.ndarray  # float, NaN when unknown
    patent_pns: pd.Index
    patent_by_id: pd.Index  # Patent.id values (int), aligned with patent_pns
    patent_years: np.ndarray

    @classmethod
    def from_store(cls, writer: Any) -> "_Resolver":
        pap = _read_columns(writer, "MATCH (p:Paper) RETURN p.paper_id AS k, p.year AS y", ("k", "y"))
        pat = _read_columns(writer, "MATCH (p:Patent) RETURN p.pn AS k, p.id AS id, p.year AS y", ("k", "id", "y"))
        return cls(
            paper_ids=pd.Index(pap.column("k").to_pandas(), dtype=object),
            paper_years=pap.column("y").to_numpy(zero_copy_only=False).astype(float),
            patent_pns=pd.Index(pat.column("k").to_pandas(), dtype=object),
            patent_by_id=pd.Index(pat.column("id").to_pandas().astype("float")),
            patent_years=pat.column("y").to_numpy(zero_copy_only=False).astype(float),
        )

    def papers(self, refs: pa.Array) -> np.ndarray:
        return self.paper_ids.get_indexer(refs.to_pandas())

    def patents(self, refs: pa.Array) -> np.ndarray:
        """Numeric references are the ID column; others are publication numbers."""
        values = refs.to_pandas()
        numeric = pd.to_numeric(values, errors="coerce")
        pos = np.full(len(values), -1, dtype=np.int64)
        is_num = numeric.notna().to_numpy()
        if is_num.any():
            pos[is_num] = self.patent_by_id.get_indexer(numeric[is_num].astype(float))
        if (~is_num).any():
            pns = values[~is_num].map(normalize_publication_number)
            pos[~is_num] = self.patent_pns.get_indexer(pns)
        return pos


def _read_columns(writer: Any, cypher: str, names: tuple[str, ...]) -> pa.Table:
    """`writer.read_arrow(cypher)`, with the named columns present (and null-typed) when it has no rows."""
    t = writer.read_arrow(cypher)
    return t if t.num_rows else pa.table({n: pa.array([], pa.float64()) for n in names})


def _apply_pairs(writer: Any, item: _Input, db_dir: Path, config: LoadConfig) -> FileSummary:
    """Resolve, filter by tau, de-duplicate and write one pairs file (one transaction when embedded)."""
    work = db_dir / "staging" / f"{item.fingerprint}.pairs"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    rejects = RejectLog(work / "rejects.csv")
    stats = ReadStats(str(item.path), "pairs")
    resolver = _Resolver.from_store(writer)
    n_patents = max(len(resolver.patent_pns), 1)
    name = str(item.path)
    parts: list[Path] = []
    bar = tqdm(desc=f"pairs {item.path.name}", unit=" rows", disable=not config.progress, mininterval=0.5)
    for i, chunk in enumerate(read_pairs(item.path, rejects, stats, config.pair_chunk_rows)):
        bar.update(len(chunk.lines))
        above = chunk.score >= config.tau
        stats.below_tau += int((~above).sum())
        paper_pos = resolver.papers(chunk.paper)
        patent_pos = resolver.patents(chunk.patent)
        unknown = above & ((paper_pos < 0) | (patent_pos < 0))
        if unknown.any():
            papers, patents = chunk.paper.to_pylist(), chunk.patent.to_pylist()
            for j in np.flatnonzero(unknown):
                if paper_pos[j] < 0:
                    rejects.add(name, int(chunk.lines[j]), "paper_id", "paper_id is not a paper in the graph", papers[j])
                else:
                    rejects.add(name, int(chunk.lines[j]), "patent_id", "patent_id is not a patent in the graph", patents[j])
        keep = above & ~unknown
        part = pa.table({
            "key": paper_pos[keep].astype(np.int64) * n_patents + patent_pos[keep],
            "paper": paper_pos[keep].astype(np.int64), "patent": patent_pos[keep],
            "score": chunk.score[keep], "line": chunk.lines[keep],
        })
        path = work / f"resolved-{i:05d}.parquet"
        pq.write_table(part, path)
        parts.append(path)
        rejects.flush()
    bar.close()
    stats.rejected = rejects.rows_rejected  # updated again after de-duplication

    # Duplicates across the whole file: the first occurrence (lowest line) wins.
    keys = np.concatenate([pq.read_table(p, columns=["key"]).column("key").to_numpy() for p in parts]) \
        if parts else np.zeros(0, np.int64)
    _, first = np.unique(keys, return_index=True)
    is_first = np.zeros(len(keys), dtype=bool)
    is_first[first] = True
    del keys
    existing_keys = _existing_pair_keys(writer, resolver, n_patents)

    writer.begin()
    try:
        copy_parts: list[str] = []
        loaded = 0
        to_delete: list[dict[str, str]] = []
        offset = 0
        for i, path in enumerate(parts):
            t = pq.read_table(path)
            n = t.num_rows
            first_here = is_first[offset:offset + n]
            offset += n
            if (~first_here).any():
                dup = t.filter(pa.array(~first_here))
                for line, pp, tp in zip(dup.column("line").to_pylist(), dup.column("paper").to_pylist(),
                                        dup.column("patent").to_pylist()):
                    rejects.add(name, line, "patent_id", "duplicate pair (first occurrence kept)",
                                f"{resolver.paper_ids[pp]},{resolver.patent_pns[tp]}")
                t = t.filter(pa.array(first_here))
            paper = t.column("paper").to_numpy()
            patent = t.column("patent").to_numpy()
            if existing_keys is not None and len(existing_keys):
                old = np.isin(t.column("key").to_numpy(), existing_keys)
                to_delete += [{"a": resolver.paper_ids[a], "b": resolver.patent_pns[b]}
                              for a, b in zip(paper[old], patent[old])]
            lag = resolver.patent_years[patent] - resolver.paper_years[paper]
            out = pa.table({
                "from": pa.array(resolver.paper_ids.take(paper), pa.string()),
                "to": pa.array(resolver.patent_pns.take(patent), pa.string()),
                "score": pa.array(t.column("score").to_numpy()),
                "lag_years": pa.array(lag, pa.float64(), from_pandas=True).cast(pa.int64()),
            })
            loaded += out.num_rows
            if out.num_rows:
                out_path = work / f"copy-{i:05d}.parquet"
                pq.write_table(out, out_path)
                copy_parts.append(_cypher_path(out_path))
        rejects.flush()
        if to_delete:
            writer.run_batched("UNWIND $rows AS row MATCH (a:Paper {paper_id: row.a})-[r:SIMILAR_TO]->"
                               "(b:Patent {pn: row.b}) DELETE r", to_delete)
        writer.write_rels(schema.SIMILAR_TO, "Paper", "Patent", copy_parts)
    except BaseException:
        writer.rollback()
        raise
    stats.rejected = rejects.rows_rejected
    rejects_file = _publish_rejects(work / "rejects.csv", item, db_dir)
    return FileSummary(
        file=name, kind="pairs", read=stats.read, loaded=loaded, rejected=stats.rejected,
        duplicates=int((~is_first).sum()), values_dropped=0, below_tau=stats.below_tau,
        new=loaded - len(to_delete), updated=len(to_delete), rejects_file=rejects_file,
        reconciles=stats.read == loaded + stats.rejected + stats.below_tau,
    )


def _existing_pair_keys(writer: Any, resolver: _Resolver, n_patents: int) -> np.ndarray | None:
    """Keys (paper position * n_patents + patent position) of SIMILAR_TO links in the graph."""
    t = writer.read_arrow("MATCH (a:Paper)-[:SIMILAR_TO]->(b:Patent) RETURN a.paper_id AS a, b.pn AS b")
    if t.num_rows == 0:
        return None
    a = resolver.paper_ids.get_indexer(t.column("a").to_pandas())
    b = resolver.patent_pns.get_indexer(t.column("b").to_pandas())
    return np.sort(a.astype(np.int64) * n_patents + b)
