"""Writing derived country relationships back to the graph: COMPETES_WITH and TRANSFERS_TO.

The schema declares both relationship tables (innograph.graph.schema). A write replaces all the
relationships of that type: delete, then create from `$rows`, values always as parameters.
The statements differ per backend and live here side by side:

- embedded (LadybugDB): one transaction; `CREATE` after the delete (two MATCH clauses, not the
  slow comma form; see ARCHITECTURE.md);
- neo4j: `UNWIND $rows ... MERGE ... SET` in batches of managed write transactions (the store's
  `write_batches`), idempotent if a batch is retried. These statements are linted with Neo4j's
  own linter in tests/analysis/test_competition.py.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from innograph.graph.store import is_neo4j
from innograph.errors import InnographError

# relationship type -> the properties written, in order (the rows' keys besides source and target)
PROPERTIES = {"COMPETES_WITH": ("weight",), "TRANSFERS_TO": ("pairs", "mean_score")}


def delete_statement(rel_type: str) -> str:
    return f"MATCH (:Country)-[r:{_check(rel_type)}]->(:Country) DELETE r"


def embedded_create_statement(rel_type: str) -> str:
    props = ", ".join(f"{p}: row.{p}" for p in PROPERTIES[_check(rel_type)])
    return ("UNWIND $rows AS row\n"
            "MATCH (a:Country {code: row.source})\n"
            "MATCH (b:Country {code: row.target})\n"
            f"CREATE (a)-[:{rel_type} {{{props}}}]->(b)")


def neo4j_merge_statement(rel_type: str) -> str:
    sets = ", ".join(f"r.{p} = row.{p}" for p in PROPERTIES[_check(rel_type)])
    return ("UNWIND $rows AS row\n"
            "MATCH (a:Country {code: row.source})\n"
            "MATCH (b:Country {code: row.target})\n"
            f"MERGE (a)-[r:{rel_type}]->(b)\n"
            f"SET {sets}")


def _check(rel_type: str) -> str:
    if rel_type not in PROPERTIES:
        raise InnographError(f"Only {', '.join(PROPERTIES)} are written back, not {rel_type!r}.")
    return rel_type


def write_country_rels(store: Any, rel_type: str, edges: pd.DataFrame) -> int:
    """Replace all `rel_type` relationships with `edges` (source, target and the properties)."""
    props = PROPERTIES[_check(rel_type)]
    if getattr(store, "read_only", False):
        raise InnographError(f"Writing {rel_type} needs the graph opened for writing (the store is read-only).")
    rows = [{"source": str(r["source"]), "target": str(r["target"]),
             **{p: (int(r[p]) if p == "pairs" else float(r[p])) for p in props}}
            for r in edges.to_dict("records")]
    if is_neo4j(store):
        store.write(delete_statement(rel_type))
        store.write_batches(neo4j_merge_statement(rel_type), rows)
        return len(rows)
    store.begin()
    try:
        store.execute(delete_statement(rel_type))
        if rows:
            store.execute(embedded_create_statement(rel_type), {"rows": rows})
        store.commit()
    except BaseException:
        store.rollback()
        raise
    return len(rows)
