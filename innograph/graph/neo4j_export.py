"""`innograph export neo4j-admin`: CSV files for `neo4j-admin database import full`.

The bulk path into Neo4j: loading millions of rows with transactional MERGE takes hours, while
neo4j-admin writes the store files directly in minutes. The export does not re-implement the
loader: it builds (or reuses) the embedded graph with `load_graph` - the same readers,
validation, rejects, upserts across files, pair resolution and tau - and writes that graph's
nodes and relationships as CSV in key-range slices of `chunk_rows` rows, so no query materialises
a whole table (LadybugDB's page cache still grows with the graph up to its own limit; cap it with
`buffer_pool_mb`). Measured (bench/results/neo4j-export.md, 2 cores): 2.6M rows in 6 s at 0.53 GB
peak RSS, 13.2M rows (10% of full scale) in 26 s at 1.45 GB. Counts in Neo4j after the import
therefore equal the embedded build.

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
                       keep_graph: bool = False, database: str = "neo4j", progress: bool = True,
                       chunk_rows: int = 500_000, buffer_pool_mb: int = 0) -> ExportSummary:
    """Build (or reuse) the embedded graph and write it as neo4j-admin import files under `out`.

    With input files, they are loaded into `db` (default: `out/graph`, removed afterwards unless
    `keep_graph`); without, the existing embedded graph at `db` is exported. Each file is read in
    slices of about `chunk_rows` rows (key ranges of the node or of the relationship's source), so
    neither LadybugDB nor pyarrow holds a whole table.
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
    with EmbeddedStore(graph_dir, read_only=True, buffer_pool_mb=buffer_pool_mb) as store:
        for table in schema.NODE_TABLES:
            cols = ", ".join(f"n.{p.name} AS {p.name}" for p in table.properties)
            query = f"MATCH (n:{table.label}) {{where}} RETURN {cols}"
            n = _export(store, query, ("n", table), node_header(table), [table.label], out / node_file(table),
                        chunk_rows)
            summary.nodes[table.label] = n
            summary.files[node_file(table)] = n
        for rel in schema.REL_TABLES:
            total = 0
            for a, b in rel.pairs:
                ka, kb = schema.NODE_BY_LABEL[a].key, schema.NODE_BY_LABEL[b].key
                props = "".join(f", r.{p.name} AS {p.name}" for p in rel.properties)
                query = f"MATCH (a:{a})-[r:{rel.type}]->(b:{b}) {{where}} RETURN a.{ka} AS src, b.{kb} AS dst{props}"
                n = _export(store, query, ("a", schema.NODE_BY_LABEL[a]), rel_header(rel, a, b), [rel.type],
                            out / rel_file(rel, a, b), chunk_rows,
                            expected=_count(store, f"MATCH (a:{a})-[r:{rel.type}]->(b:{b}) RETURN count(*) AS n"))
                summary.files[rel_file(rel, a, b)] = n
                total += n
            summary.relationships[rel.type] = total
    (out / "schema.cypher").write_text(neo4j_schema.files()["schema.cypher"], encoding="utf-8")
    summary.command = import_command(summary.files, database=database)
    _write_script(out / "import.sh", summary)
    if have_inputs and db is None and not keep_graph:
        shutil.rmtree(graph_dir, ignore_errors=True)
    summary.seconds = round(time.perf_counter() - started, 3)
    (out / "export.json").write_text(summary.to_json(), encoding="utf-8")
    return summary


def _count(store: EmbeddedStore, query: str) -> int:
    return int(store.execute(query).iloc[0, 0])


def _key_ranges(store: EmbeddedStore, table: schema.NodeTable, slices: int) -> list[tuple[str | None, str | None]]:
    """`slices` half-open key ranges [lo, hi) covering every key of `table` (None: unbounded)."""
    if slices <= 1:
        return [(None, None)]
    keys = store.execute_arrow(f"MATCH (n:{table.label}) RETURN n.{table.key} AS k").column("k").combine_chunks()
    keys = pc.take(keys, pc.sort_indices(keys)).to_pylist()
    step = -(-len(keys) // slices)
    bounds = sorted(set(keys[i] for i in range(step, len(keys), step)))
    return list(zip([None] + bounds, bounds + [None]))


def _export(store: EmbeddedStore, query: str, by: tuple[str, schema.NodeTable], header: list[str],
            trailing: list[str], target: Path, chunk_rows: int, expected: int | None = None) -> int:
    """Write the query's rows to `target` (header line first), slice by slice; returns the data rows.

    `query` has a `{where}` slot; `by` = (variable, node table) whose key is sliced. Each slice is one
    query (LadybugDB materialises a result, so slices bound its memory); the row count is checked
    against `expected` (the table's count) so no slice boundary can lose or repeat a row.
    """
    var, table = by
    total = _count(store, f"MATCH (n:{table.label}) RETURN count(*) AS n") if expected is None else expected
    ranges = _key_ranges(store, table, -(-total // chunk_rows) if total else 1)
    rows = 0
    with open(target, "wb") as fh:
        fh.write((",".join(header) + "\n").encode("utf-8"))
        writer = None
        for lo, hi in ranges:
            cond = [f"{var}.{table.key} >= $lo"] * (lo is not None) + [f"{var}.{table.key} < $hi"] * (hi is not None)
            params = {k: v for k, v in (("lo", lo), ("hi", hi)) if v is not None}
            result = store.execute_arrow(query.format(where=("WHERE " + " AND ".join(cond)) if cond else ""), params)
            for batch in result.to_batches(max_chunksize=200_000):
                chunk = _csv_ready(pa.Table.from_batches([batch]), trailing)
                if writer is None:
                    writer = pacsv.CSVWriter(fh, chunk.schema, write_options=pacsv.WriteOptions(
                        include_header=False, quoting_style="needed"))
                writer.write_table(chunk)
                rows += chunk.num_rows
            del result
        if writer is not None:
            writer.close()
    if rows != total:
        raise InnographError(f"Exported {rows:,} rows to {target.name} but the graph has {total:,}: "
                             "the key ranges did not cover the table exactly.")
    return rows


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
