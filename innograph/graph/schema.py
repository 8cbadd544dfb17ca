"""The graph model (the public contract of ARCHITECTURE.md) as data.

Every backend derives its DDL from these definitions, and the loader writes its staged
tables with exactly these columns in this order (LadybugDB's COPY maps columns by position).
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa


@dataclass(frozen=True)
class Property:
    name: str
    type: str  # LadybugDB type name: STRING, INT64, DOUBLE, BOOLEAN, STRING[]

    @property
    def arrow_type(self) -> pa.DataType:
        return _ARROW_TYPES[self.type]


@dataclass(frozen=True)
class NodeTable:
    label: str
    key: str
    properties: tuple[Property, ...]  # the key first

    @property
    def columns(self) -> list[str]:
        return [p.name for p in self.properties]

    @property
    def arrow_schema(self) -> pa.Schema:
        return pa.schema([(p.name, p.arrow_type) for p in self.properties])


@dataclass(frozen=True)
class RelTable:
    type: str
    pairs: tuple[tuple[str, str], ...]  # (from label, to label)
    properties: tuple[Property, ...] = ()

    @property
    def columns(self) -> list[str]:
        return [p.name for p in self.properties]

    def arrow_schema(self) -> pa.Schema:
        """Schema of a staged rel file: `from` key, `to` key, then the properties."""
        return pa.schema(
            [("from", pa.string()), ("to", pa.string())]
            + [(p.name, p.arrow_type) for p in self.properties]
        )


_ARROW_TYPES = {
    "STRING": pa.string(),
    "INT64": pa.int64(),
    "DOUBLE": pa.float64(),
    "BOOLEAN": pa.bool_(),
    "STRING[]": pa.list_(pa.string()),
}


def _props(*spec: str) -> tuple[Property, ...]:
    out = []
    for item in spec:
        name, typ = item.split(":")
        out.append(Property(name, typ))
    return tuple(out)


PATENT = NodeTable(
    "Patent",
    "pn",
    _props(
        "pn:STRING", "id:INT64", "title:STRING", "abstract:STRING", "year:INT64",
        "ipc:STRING[]", "country:STRING", "novelty:DOUBLE", "is_ai:BOOLEAN",
        "ai_score:DOUBLE", "source:STRING",
    ),
)
PAPER = NodeTable(
    "Paper",
    "paper_id",
    _props(
        "paper_id:STRING", "doi:STRING", "title:STRING", "abstract:STRING", "source:STRING",
        "year:INT64", "cited:INT64", "language:STRING", "type:STRING", "authors:STRING",
        "affiliations:STRING", "novelty:DOUBLE", "is_ai:BOOLEAN", "ai_score:DOUBLE",
    ),
)
KEYWORD = NodeTable("Keyword", "name", _props("name:STRING"))
IPC = NodeTable("IPC", "code", _props("code:STRING", "level:STRING", "title:STRING"))
COUNTRY = NodeTable("Country", "code", _props("code:STRING", "name:STRING"))

NODE_TABLES: tuple[NodeTable, ...] = (PATENT, PAPER, KEYWORD, IPC, COUNTRY)

HAS_KEYWORD = RelTable(
    "HAS_KEYWORD", (("Patent", "Keyword"), ("Paper", "Keyword")), _props("rank:INT64", "score:DOUBLE")
)
CLASSIFIED_AS = RelTable("CLASSIFIED_AS", (("Patent", "IPC"),))
PART_OF = RelTable("PART_OF", (("IPC", "IPC"),))
FROM_COUNTRY = RelTable("FROM_COUNTRY", (("Patent", "Country"), ("Paper", "Country")))
SIMILAR_TO = RelTable("SIMILAR_TO", (("Paper", "Patent"),), _props("score:DOUBLE", "lag_years:INT64"))
# Derived by analytics, declared here so that every database has the same schema.
COMPETES_WITH = RelTable("COMPETES_WITH", (("Country", "Country"),), _props("weight:DOUBLE"))
TRANSFERS_TO = RelTable(
    "TRANSFERS_TO", (("Country", "Country"),), _props("pairs:INT64", "mean_score:DOUBLE")
)

REL_TABLES: tuple[RelTable, ...] = (
    HAS_KEYWORD, CLASSIFIED_AS, PART_OF, FROM_COUNTRY, SIMILAR_TO, COMPETES_WITH, TRANSFERS_TO,
)

# Bookkeeping, not part of the graph model: one node per applied load step (provenance and
# resumption; see innograph.graph.load).
LOAD_LOG = NodeTable(
    "LoadLog",
    "key",
    _props("key:STRING", "run:STRING", "seq:INT64", "step:INT64", "kind:STRING", "file:STRING",
           "summary:STRING", "graph:STRING", "loaded_at:STRING"),
)

NODE_BY_LABEL = {t.label: t for t in NODE_TABLES}
REL_BY_TYPE = {t.type: t for t in REL_TABLES}


def ladybug_ddl() -> list[str]:
    """CREATE statements for LadybugDB, idempotent (IF NOT EXISTS)."""
    stmts = []
    for t in NODE_TABLES + (LOAD_LOG,):
        cols = ", ".join(f"{p.name} {p.type}" for p in t.properties)
        stmts.append(f"CREATE NODE TABLE IF NOT EXISTS {t.label}({cols}, PRIMARY KEY ({t.key}))")
    for r in REL_TABLES:
        parts = [f"FROM {a} TO {b}" for a, b in r.pairs]
        parts += [f"{p.name} {p.type}" for p in r.properties]
        stmts.append(f"CREATE REL TABLE IF NOT EXISTS {r.type}({', '.join(parts)})")
    return stmts
