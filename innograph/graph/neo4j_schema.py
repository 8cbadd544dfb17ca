"""Neo4j DDL and write statements, derived from the graph model in `innograph.graph.schema`.

Nothing here is written by hand per label: a uniqueness constraint per node key, range indexes
on the properties that the query pack filters and sorts on, full-text indexes over titles and
abstracts, and one `UNWIND $rows AS row MERGE ...` statement per node table and per
(relationship type, endpoint labels) pair. `cypher/neo4j/*.cypher` holds the same text for
people who run it by hand (cypher-shell, Neo4j Browser); regenerate it with

    python -m innograph.graph.neo4j_schema

and `tests/graph/test_neo4j_schema.py` fails when the files and the model disagree.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from innograph.graph import schema

# Properties that get a range index wherever the model has them (the pack filters and sorts on
# these); node keys get a uniqueness constraint, which brings its own index.
RANGE_INDEXED = ("year", "country", "level", "is_ai", "novelty", "run", "score")
# STRING properties that get a full-text index, one index per label that has any of them.
FULLTEXT_INDEXED = ("title", "abstract")

NODE_TABLES = schema.NODE_TABLES + (schema.LOAD_LOG,)
CYPHER_DIR = Path(__file__).resolve().parents[2] / "cypher" / "neo4j"
GENERATED = "// Generated from innograph/graph/schema.py by `python -m innograph.graph.neo4j_schema`; do not edit."


@dataclass(frozen=True)
class Statement:
    name: str
    text: str
    params: tuple[str, ...] = ()  # the $parameters it takes


def _snake(label: str) -> str:
    out = "".join(("_" + c.lower()) if c.isupper() and i else c.lower() for i, c in enumerate(label))
    return out.replace("i_p_c", "ipc").replace("load_log", "loadlog")


def constraints() -> list[Statement]:
    """One uniqueness constraint per node key (LoadLog included: the loader MERGEs on it)."""
    return [
        Statement(f"{_snake(t.label)}_{t.key}_unique",
                  f"CREATE CONSTRAINT {_snake(t.label)}_{t.key}_unique IF NOT EXISTS "
                  f"FOR (n:{t.label}) REQUIRE n.{t.key} IS UNIQUE")
        for t in NODE_TABLES
    ]


def range_indexes() -> list[Statement]:
    out = []
    for t in NODE_TABLES:
        for p in t.properties:
            if p.name in RANGE_INDEXED and p.name != t.key:
                name = f"{_snake(t.label)}_{p.name}"
                out.append(Statement(name, f"CREATE RANGE INDEX {name} IF NOT EXISTS FOR (n:{t.label}) ON (n.{p.name})"))
    for r in schema.REL_TABLES:
        for p in r.properties:
            if p.name in RANGE_INDEXED:
                name = f"{r.type.lower()}_{p.name}"
                out.append(Statement(
                    name, f"CREATE RANGE INDEX {name} IF NOT EXISTS FOR ()-[r:{r.type}]-() ON (r.{p.name})"))
    return out


def fulltext_indexes() -> list[Statement]:
    out = []
    for t in NODE_TABLES:
        props = [p.name for p in t.properties if p.name in FULLTEXT_INDEXED and p.type == "STRING"]
        if props:
            name = f"{_snake(t.label)}_text"
            on = ", ".join(f"n.{p}" for p in props)
            out.append(Statement(name, f"CREATE FULLTEXT INDEX {name} IF NOT EXISTS FOR (n:{t.label}) ON EACH [{on}]"))
    return out


def ddl() -> list[Statement]:
    """Every schema statement, idempotent (IF NOT EXISTS), constraints first."""
    return constraints() + range_indexes() + fulltext_indexes()


# -- writes ----------------------------------------------------------------------------------
def merge_nodes(table: schema.NodeTable) -> Statement:
    """Upsert a batch of nodes: MERGE on the key, SET every other property (null removes it)."""
    sets = ", ".join(f"n.{p.name} = row.{p.name}" for p in table.properties if p.name != table.key)
    text = f"UNWIND $rows AS row MERGE (n:{table.label} {{{table.key}: row.{table.key}}})"
    return Statement(f"merge_{_snake(table.label)}", text + (f" SET {sets}" if sets else ""), ("rows",))


def merge_rels(rel: schema.RelTable, from_label: str, to_label: str) -> Statement:
    """Upsert a batch of relationships between existing nodes; rows hold `src`, `dst` and the properties."""
    a, b = schema.NODE_BY_LABEL[from_label], schema.NODE_BY_LABEL[to_label]
    text = (f"UNWIND $rows AS row MATCH (a:{a.label} {{{a.key}: row.src}}) MATCH (b:{b.label} {{{b.key}: row.dst}}) "
            f"MERGE (a)-[r:{rel.type}]->(b)")
    if rel.properties:
        text += " SET " + ", ".join(f"r.{p.name} = row.{p.name}" for p in rel.properties)
    return Statement(f"merge_{rel.type.lower()}_{_snake(from_label)}_{_snake(to_label)}", text, ("rows",))


def write_statements() -> list[Statement]:
    """The batched upserts the Neo4j writer sends, one per node table and relationship pair."""
    out = [merge_nodes(t) for t in NODE_TABLES]  # LoadLog too: the loader records each step with it
    for r in schema.REL_TABLES:
        out += [merge_rels(r, a, b) for a, b in r.pairs]
    return out


# -- files -----------------------------------------------------------------------------------
def render(statements: list[Statement], title: str) -> str:
    lines = [GENERATED, f"// {title}", ""]
    for s in statements:
        if s.params:
            lines.append(f"// {s.name}: parameters {', '.join('$' + p for p in s.params)}")
        lines.append(s.text + ";")
    return "\n".join(lines) + "\n"


def files() -> dict[str, str]:
    """File name -> content of every generated `cypher/neo4j/` file."""
    return {
        "schema.cypher": render(ddl(), "Constraints, range indexes and full-text indexes (run once; idempotent)."),
        "writes.cypher": render(write_statements(),
                                "Batched upserts sent by `innograph load --backend neo4j` ($rows: a list of maps)."),
    }


def read_statements(path: str | Path) -> list[str]:
    """The statements of a generated file (`;`-terminated, `//` comment lines skipped)."""
    body = "\n".join(line for line in Path(path).read_text(encoding="utf-8").splitlines()
                     if not line.lstrip().startswith("//"))
    return [s.strip().rstrip(";").rstrip() for s in body.split(";\n") if s.strip().rstrip(";")]


def write_files(folder: str | Path = CYPHER_DIR) -> list[Path]:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, text in files().items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        out.append(path)
    return out


if __name__ == "__main__":
    for p in write_files(sys.argv[1] if len(sys.argv) > 1 else CYPHER_DIR):
        print(p)
