"""`innograph export neo4j-admin`: CSV files for `neo4j-admin database import full`.

The bulk path into Neo4j: loading millions of rows with transactional MERGE takes hours, while
neo4j-admin writes the store files directly in minutes. The export does not re-implement the
loader: it builds (or reuses) the embedded graph with `load_graph` - the same readers,
validation, rejects, upserts across files, pair resolution and tau - and writes that graph's
nodes and relationships as CSV, streaming through Parquet (`COPY (MATCH ...) TO`), so memory
stays bounded at any size. Counts in Neo4j after the import therefore equal the embedded build.

Layout of OUT:
    nodes/<Label>.csv                      header row + data, `key:ID(<Label>)`, typed properties, `:LABEL`
    relationships/<TYPE>-<From>-<To>.csv   `:START_ID(<From>)`, `:END_ID(<To>)`, properties, `:TYPE`
    import.sh                              the exact `neo4j-admin database import full` command
    schema.cypher                          constraints and indexes to create after the import
    export.json                            rows per file and totals

Header types follow the neo4j-admin header format: INT64 -> `long` (`int` for year, rank and
lag_years, which always fit 32 bits), DOUBLE -> `double` (`float` would round scores to 32
bits), BOOLEAN -> `boolean`, STRING -> `string`, STRING[] -> `string[]` with `;` between
elements. Empty lists are not imported (neo4j-admin cannot tell them from null); nulls are empty
unquoted fields, so the property is absent, as after `innograph load --backend neo4j`.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from innograph.errors import InnographError
from innograph.graph import neo4j_schema, schema
from innograph.graph.embedded import EmbeddedStore, database_path
from innograph.graph.load import LoadConfig, _as_list, load_graph

ARRAY_DELIMITER = ";"
_INT32_PROPERTIES = {"year", "rank", "lag_years"}
_TYPE = {"INT64": "long", "DOUBLE": "double", "BOOLEAN": "boolean", "STRING": "string", "STRING[]": "string[]"}


@dataclass
class ExportSummary:
    out: str
    graph: str
    nodes: dict[str, int] = field(default_factory=dict)
    relationships: dict[str, int] = field(default_factory=dict)
    files: dict[str, int] = field(default_factory=dict)  # path relative to out -> data rows
    command: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2)


def property_type(prop: schema.Property) -> str:
    if prop.type == "INT64" and prop.name in _INT32_PROPERTIES:
        return "int"
    return _TYPE[prop.type]


def node_header(table: schema.NodeTable) -> list[str]:
    fields = []
    for p in table.properties:
        fields.append(f"{p.name}:ID({table.label})" if p.name == table.key else f"{p.name}:{property_type(p)}")
    return fields + [":LABEL"]


def rel_header(rel: schema.RelTable, from_label: str, to_label: str) -> list[str]:
    return ([f":START_ID({from_label})", f":END_ID({to_label})"]
            + [f"{p.name}:{property_type(p)}" for p in rel.properties] + [":TYPE"])


def node_file(table: schema.NodeTable) -> str:
    return f"nodes/{table.label}.csv"


def rel_file(rel: schema.RelTable, from_label: str, to_label: str) -> str:
    return f"relationships/{rel.type}-{from_label}-{to_label}.csv"


def export_neo4j_admin(out: str | os.PathLike, patents=(), papers=(), pairs=(), tau: float = 0.6,
                       db: str | os.PathLike | None = None, load_config: Any = None,
                       keep_graph: bool = False, database: str = "neo4j", progress: bool = True) -> ExportSummary:
    """Build (or reuse) the embedded graph and write it as neo4j-admin import files under `out`.

    With input files, they are loaded into `db` (default: `out/graph`, removed afterwards unless
    `keep_graph`); without, the existing embedded graph at `db` is exported.
    """
    started = time.perf_counter()
    out = Path(out)
    have_inputs = any(_as_list(x) for x in (patents, papers, pairs))
    if not have_inputs and db is None:
        raise InnographError("Nothing to export: give --patents/--papers/--pairs, or an existing graph with --db.")
    graph_dir = Path(db) if db is not None else out / "graph"
    if not have_inputs and not database_path(graph_dir).exists():
        raise InnographError(f"No graph database at {graph_dir}: build one with `innograph load` first.")
    for sub in ("nodes", "relationships"):
        shutil.rmtree(out / sub, ignore_errors=True)
        (out / sub).mkdir(parents=True)
    if have_inputs:
        config = load_config or LoadConfig(tau=tau, progress=progress)
        load_graph(graph_dir, patents=patents, papers=papers, pairs=pairs, tau=tau, config=config)
    summary = ExportSummary(str(out), str(graph_dir))
    tmp = out / ".export-tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        with EmbeddedStore(graph_dir, read_only=True) as store:
            for table in schema.NODE_TABLES:
                cols = ", ".join(f"n.{p.name} AS {p.name}" for p in table.properties)
                n = _export(store, f"MATCH (n:{table.label}) RETURN {cols}", node_header(table),
                            [table.label], out / node_file(table), tmp)
                summary.nodes[table.label] = n
                summary.files[node_file(table)] = n
            for rel in schema.REL_TABLES:
                total = 0
                for a, b in rel.pairs:
                    ka, kb = schema.NODE_BY_LABEL[a].key, schema.NODE_BY_LABEL[b].key
                    props = "".join(f", r.{p.name} AS {p.name}" for p in rel.properties)
                    n = _export(store, f"MATCH (a:{a})-[r:{rel.type}]->(b:{b}) RETURN a.{ka} AS src, b.{kb} AS dst{props}",
                                rel_header(rel, a, b), [rel.type], out / rel_file(rel, a, b), tmp)
                    summary.files[rel_file(rel, a, b)] = n
                    total += n
                summary.relationships[rel.type] = total
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    (out / "schema.cypher").write_text(neo4j_schema.files()["schema.cypher"], encoding="utf-8")
    summary.command = import_command(summary.files, database=database)
    _write_script(out / "import.sh", summary)
    if have_inputs and db is None and not keep_graph:
        shutil.rmtree(graph_dir, ignore_errors=True)
    summary.seconds = round(time.perf_counter() - started, 3)
    (out / "export.json").write_text(summary.to_json(), encoding="utf-8")
    return summary


def _export(store: EmbeddedStore, query: str, header: list[str], trailing: list[str], target: Path,
            tmp: Path) -> int:
    """Stream the query's rows into `target` (header line first); returns the number of data rows."""
    parquet = tmp / (target.stem + ".parquet")
    store.execute(f"COPY ({query}) TO '{_literal_path(parquet)}'")
    rows = 0
    with open(target, "wb") as fh:
        fh.write((",".join(header) + "\n").encode("utf-8"))
        writer = None
        for batch in pq.ParquetFile(str(parquet)).iter_batches(batch_size=200_000):
            table = _csv_ready(pa.Table.from_batches([batch]), trailing)
            table = table.rename_columns([f"c{i}" for i in range(table.num_columns)])
            if writer is None:
                writer = pacsv.CSVWriter(fh, table.schema, write_options=pacsv.WriteOptions(
                    include_header=False, quoting_style="needed"))
            writer.write_table(table)
            rows += table.num_rows
        if writer is not None:
            writer.close()
    parquet.unlink(missing_ok=True)
    return rows


def _literal_path(path: Path) -> str:
    return str(path).replace("\\", "/").replace("'", "\\'")


def _csv_ready(table: pa.Table, trailing: list[str]) -> pa.Table:
    """Lists joined with `;`, NaN as null, then the constant :LABEL / :TYPE column."""
    cols = []
    for col in table.columns:
        if pa.types.is_list(col.type) or pa.types.is_large_list(col.type):
            values = col.to_pylist()
            for v in values:
                if v and any(ARRAY_DELIMITER in s for s in v if s is not None):
                    raise InnographError(f"A list value contains the array delimiter {ARRAY_DELIMITER!r}: {v!r}.")
            col = pa.array([ARRAY_DELIMITER.join(s for s in v if s is not None) if v else None for v in values],
                           pa.string())
        elif pa.types.is_floating(col.type):
            col = pc.if_else(pc.is_nan(col), pa.scalar(None, col.type), col)
        cols.append(col)
    for value in trailing:
        cols.append(pa.array([value] * table.num_rows, pa.string()))
    return pa.table(cols, names=[f"c{i}" for i in range(len(cols))])


def import_command(files: dict[str, int], database: str = "neo4j", data_dir: str = "$DATA") -> list[str]:
    """The neo4j-admin command as an argument list (file paths under `data_dir`)."""
    cmd = ["neo4j-admin", "database", "import", "full",
           "--overwrite-destination=true", "--id-type=string", f"--array-delimiter={ARRAY_DELIMITER}",
           "--multiline-fields=true", "--skip-bad-relationships=false", "--skip-duplicate-nodes=false",
           "--bad-tolerance=0"]
    for path in files:
        if files[path] == 0:
            continue  # an empty file (only a header) would still be valid, but says nothing
        flag = "--nodes" if path.startswith("nodes/") else "--relationships"
        cmd.append(f"{flag}={data_dir}/{path}")
    cmd.append(database)
    return cmd


def _write_script(path: Path, summary: ExportSummary) -> None:
    args = summary.command
    lines = [
        "#!/bin/sh",
        "# Generated by `innograph export neo4j-admin`. Imports this folder into an empty Neo4j 5 database",
        "# (it replaces the database if it exists). Run it with Neo4j STOPPED, as the neo4j user, e.g. with the",
        "# compose file of innograph (this folder under docker/import/, mounted at /import):",
        "#   docker compose -f docker/docker-compose.yml stop neo4j",
        "#   docker compose -f docker/docker-compose.yml run --rm neo4j sh /import/<this folder>/import.sh",
        "#   docker compose -f docker/docker-compose.yml start neo4j",
        "# then create the constraints and indexes: cypher-shell -f schema.cypher (or paste it in Neo4j Browser).",
        "# NEO4J_ADMIN (default neo4j-admin), IMPORT_DIR (default: this folder) and NEO4J_DATABASE override.",
        "set -eu",
        'HERE=$(cd "$(dirname "$0")" && pwd)',
        'DATA="${IMPORT_DIR:-$HERE}"',
        'DATABASE="${NEO4J_DATABASE:-' + args[-1] + '}"',
        '"${NEO4J_ADMIN:-neo4j-admin}" ' + " ".join(args[1:4]) + " \\",
    ]
    for a in args[4:-1]:
        # file arguments expand $DATA (our file names are plain: labels and types); the rest is quoted
        lines.append(f'  "{a}" \\' if "$DATA" in a else f"  {shlex.quote(a)} \\")
    lines.append('  "$DATABASE"')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path.chmod(0o755)
