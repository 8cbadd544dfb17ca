"""Neo4j's Cypher linter for the tests: `lint_cypher(statements) -> list[LintResult]`.

Runs `node tests/neo4j_lint/lint.mjs` (package `@neo4j-cypher/language-support`, installed with
`npm ci --prefix tests/neo4j_lint`) over a batch of statements in one process. Every statement
meant for Neo4j (query pack, schema, bulk writes, GDS calls) should pass with no error
diagnostics. By default the linter knows the labels, relationship types and property keys of
`innograph.graph.schema` and Neo4j's built-in functions (so APOC, GDS and LadybugDB-only
functions such as `label()` are errors); pass `procedures=` a signature registry (or "mock") to
check CALLs, and any other DbSchema key (`graphSchema`, `functions`, ...) as a keyword argument.

When node or the package is missing the calling test is skipped with the command to run, except
under CI=true, where it fails.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

LINT_DIR = Path(__file__).resolve().parent / "neo4j_lint"
LINT_SCRIPT = LINT_DIR / "lint.mjs"
PACKAGE_DIR = LINT_DIR / "node_modules" / "@neo4j-cypher" / "language-support"
INSTALL_HINT = "npm ci --prefix tests/neo4j_lint"

ERROR, WARNING = 1, 2


@dataclass
class LintResult:
    name: str
    query: str
    diagnostics: list[dict[str, Any]] = field(default_factory=list)

    @property
    def errors(self) -> list[dict[str, Any]]:
        return [d for d in self.diagnostics if d.get("severity") == ERROR]

    @property
    def warnings(self) -> list[dict[str, Any]]:
        return [d for d in self.diagnostics if d.get("severity") == WARNING]

    def describe(self, severity: int = ERROR) -> str:
        """The diagnostics at `severity` or worse, one per line with the offending text."""
        lines = []
        for d in self.diagnostics:
            if d.get("severity", ERROR) > severity:
                continue
            offsets = d.get("offsets") or {}
            snippet = self.query[offsets.get("start", 0): offsets.get("end", 0)] if offsets else ""
            rng = (d.get("range") or {}).get("start") or {}
            where = f"line {rng.get('line', 0) + 1}:{rng.get('character', 0) + 1}" if rng else "?"
            lines.append(f"{self.name} {where}: {d.get('message')}" + (f"  [{snippet!r}]" if snippet else ""))
        return "\n".join(lines)


def linter_unavailable() -> str | None:
    """Why the linter cannot run here, or None when it can."""
    if shutil.which("node") is None:
        return f"node is not installed, so Neo4j's Cypher linter cannot run (install Node.js, then {INSTALL_HINT})"
    if not PACKAGE_DIR.is_dir():
        return f"@neo4j-cypher/language-support is not installed: run {INSTALL_HINT}"
    return None


def require_linter() -> None:
    """Skip the calling test when the linter is missing; fail instead under CI=true."""
    reason = linter_unavailable()
    if reason is None:
        return
    import pytest

    if os.environ.get("CI", "").lower() in ("true", "1"):
        pytest.fail(f"CI=true but {reason}", pytrace=False)
    pytest.skip(reason)


def default_db_schema() -> dict[str, Any]:
    from innograph.graph import schema

    keys: set[str] = set()
    for t in schema.NODE_TABLES:
        keys.update(t.columns)
    for r in schema.REL_TABLES:
        keys.update(r.columns)
    return {
        "labels": [t.label for t in schema.NODE_TABLES],
        "relationshipTypes": [r.type for r in schema.REL_TABLES],
        "propertyKeys": sorted(keys),
        "graphSchema": [{"from": a, "to": b, "relType": r.type} for r in schema.REL_TABLES for a, b in r.pairs],
    }


def _statement(item: Any, i: int) -> dict[str, Any]:
    if isinstance(item, str):
        return {"name": f"statement {i + 1}", "query": item}
    if isinstance(item, dict):
        if "query" not in item:
            raise ValueError(f"statement {i + 1} has no 'query'")
        return dict(item)
    if isinstance(item, (tuple, list)) and len(item) in (2, 3):
        out = {"name": item[0], "query": item[1]}
        if len(item) == 3 and item[2] is not None:
            out["parameters"] = item[2]
        return out
    raise TypeError(f"statement {i + 1}: give a string, (name, query[, parameters]) or a dict, not {item!r}")


def lint_cypher(
    statements: Iterable[Any],
    *,
    functions: str | dict = "builtin",
    procedures: str | dict = "none",
    use_schema: bool = True,
    timeout: float = 300,
    **db_schema: Any,
) -> list[LintResult]:
    """Lint each statement with Neo4j's front end; results in the order given.

    statements: strings, `(name, query)` or `(name, query, parameters)` tuples, or dicts with
        `name`, `query` and optionally `parameters` (name -> sample value; when given, every
        `$param` used must be declared there) and `dbSchema` (per-statement DbSchema keys).
    functions, procedures: "builtin" / "mock" / "none" or a registry, or {"base": "builtin", "add":
        registry} for a registry plus extra entries (see lint.mjs).
    use_schema: start from the innograph graph model (labels, types, property keys).
    db_schema: further DbSchema keys passed through as they are (e.g. `defaultLanguage`).
    """
    require_linter()
    stmts = [_statement(s, i) for i, s in enumerate(statements)]
    schema_ = default_db_schema() if use_schema else {}
    schema_.update(db_schema)
    batch = {"statements": stmts, "dbSchema": schema_, "functions": functions, "procedures": procedures}
    proc = subprocess.run(
        ["node", str(LINT_SCRIPT)],
        input=json.dumps(batch, default=str),
        capture_output=True,
        text=True,
        cwd=LINT_DIR,
        timeout=timeout,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"lint.mjs failed (exit {proc.returncode}): {proc.stderr.strip()[-2000:]}")
    raw = json.loads(proc.stdout)
    return [LintResult(r["name"], s["query"], r["diagnostics"]) for r, s in zip(raw, stmts)]
