"""Every statement the Neo4j backend sends passes Neo4j's own linter (@neo4j-cypher/language-support).

The statements are not copied here: they are recorded from the code paths themselves, with a
`RecordingDriver` standing in for the server (no Neo4j can run on these machines):

- `Neo4jStore.ensure_schema()` (constraints, range and full-text indexes);
- `load_graph(..., store=Neo4jStore)` on the pack fixture, twice over a graph that already holds
  it, so the new-node, update, delete and relationship statements are all sent (reads are
  answered from an embedded twin of the graph);
- the store's counts and every query of the pack, with its parameters;
- `centrality()` with GDS: the graphdatascience client's version check, the Cypher projection,
  stream and write calls for every measure, the graph drops; and each projection's edge query.

Each is linted with its actual parameters declared, the GDS procedure and function signatures
of tests/graph/gds_signatures.py supplied, and must give no error diagnostics.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from innograph.analysis import centrality as c
from innograph.cli_neo4j import browser_script
from innograph.graph import query_pack, schema
from innograph.graph.embedded import EmbeddedStore
from innograph.graph.load import LoadConfig, load_graph
from innograph.graph.neo4j_store import Neo4jConfig, Neo4jStore

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the linter helper
sys.path.insert(0, str(Path(__file__).resolve().parent))
from gds_signatures import function_registry, procedure_registry  # noqa: E402
from lintcypher import default_db_schema, lint_cypher  # noqa: E402
from neo4j_fakes import EmbeddedResponder, GdsEmulator, RecordingDriver  # noqa: E402

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "pack_fixture"
FILES = dict(patents=FIXTURE / "DeepPatentAI.csv", papers=FIXTURE / "DeepDiveAI.csv",
             pairs=FIXTURE / "DeepCosineAI.csv")
QUIET = LoadConfig(progress=False)


def _sample(value):
    """Parameters as the linter sees them: lists cut to two items (only names and shapes matter)."""
    if isinstance(value, list):
        return [_sample(v) for v in value[:2]]
    if isinstance(value, dict):
        return {k: _sample(v) for k, v in value.items()}
    return value


@pytest.fixture(scope="module")
def recorded(tmp_path_factory) -> dict[str, tuple[str, dict]]:
    """Statement text -> (name, parameters) of everything the backend sent, in first-sent order."""
    tmp = tmp_path_factory.mktemp("neo4j-lint")
    load_graph(tmp / "twin", config=QUIET, **FILES)
    out: dict[str, tuple[str, dict]] = {}

    def collect(driver: RecordingDriver, what: str) -> None:
        for text, params in driver.statements():
            if text not in out:
                out[text] = (f"{what} #{len(out) + 1}", _sample(params))

    with EmbeddedStore(tmp / "twin", read_only=True) as twin:
        answer = EmbeddedResponder(twin)
        # schema + a load into an empty "server" (every row new) ...
        empty = RecordingDriver()
        store = Neo4jStore(Neo4jConfig(batch_size=5, progress=False), driver=empty)
        store.ensure_schema()
        load_graph(tmp / "work-a", config=QUIET, store=store, **FILES)
        collect(empty, "load-new")
        # ... and into one that holds the graph already (updates, deletes, pair replacement)
        full = RecordingDriver(answer)
        store = Neo4jStore(Neo4jConfig(batch_size=5, progress=False), driver=full)
        summary = load_graph(tmp / "work-b", config=QUIET, store=store, **FILES)
        assert [f.updated for f in summary.files] == [f.loaded for f in summary.files]
        store.node_counts()
        store.rel_counts()
        collect(full, "load-update")
        # the query pack, read-only
        pack = RecordingDriver(answer)
        ro = Neo4jStore(Neo4jConfig(), driver=pack, read_only=True)
        for spec in query_pack.list_queries():
            overrides = {p.name: ("x" if p.type == "str" else 1) for p in spec.params if p.required}
            query_pack.run_query(ro, spec, query_pack.bind_params(spec, overrides))
        collect(pack, "pack")
        # GDS: projections' edge queries on the twin, GDS statements to the emulator
        emulator = GdsEmulator()
        gds_driver = RecordingDriver(lambda t, p: emulator(t, p) if "gds." in t else answer(t, p))
        gstore = Neo4jStore(Neo4jConfig(), driver=gds_driver)
        df = c.centrality(gstore, "transfer", measures=c.MEASURES, write=True, write_prefix="transfer_")
        assert len(df) > 1 and set(emulator.written) == {f"transfer_{m}" for m in c.MEASURES}
        for name in c.PROJECTIONS:
            c.centrality(gstore, name, measures=["degree"])
        c.gds_centrality(gstore, df.assign(source=df["node"], target=df["node"].shift(-1), weight=1.0).dropna(),
                         False, ["pagerank", "louvain"], bind=None)
        collect(gds_driver, "gds")
    return out


def _lint(statements, **kwargs):
    base = default_db_schema()
    base["labels"] = base["labels"] + ["LoadLog"]
    # LoadLog's properties, and the keys of the `UNWIND $rows AS row` maps (row.src, row.a, ...), which
    # the linter cannot tell from graph properties and would otherwise warn about.
    row_keys = {"src", "dst", "a", "b", "source", "target", "weight"}
    base["propertyKeys"] = sorted(set(base["propertyKeys"]) | set(schema.LOAD_LOG.columns) | row_keys)
    return lint_cypher(statements, procedures=procedure_registry(),
                       functions={"base": "builtin", "add": function_registry()}, **{**base, **kwargs})


def test_the_recording_covers_every_kind_of_statement(recorded):
    texts = list(recorded)
    kinds = {
        "constraint": "CREATE CONSTRAINT", "range index": "CREATE RANGE INDEX", "fulltext": "CREATE FULLTEXT INDEX",
        "merge nodes": "MERGE (n:Patent", "merge keyword": "MERGE (n:Keyword", "merge rels": "MERGE (a)-[r:HAS_KEYWORD]->(b)",
        "similar_to": "MERGE (a)-[r:SIMILAR_TO]->(b)", "part_of": "MERGE (a)-[r:PART_OF]->(b)",
        "delete doc rels": "-[r:CLASSIFIED_AS]->() DELETE r", "delete pairs": "-[r:SIMILAR_TO]->(b:Patent {pn: row.b}) DELETE r",
        "loadlog": "MERGE (n:LoadLog", "resume": "MATCH (l:LoadLog)", "counts": "RETURN count(r) AS n",
        "gds version": "gds.version()", "projection": "gds.graph.project($graph_name",
        "stream": "gds.pageRank.stream", "write": "gds.louvain.write", "drop": "gds.graph.drop",
        "edge query": "RETURN source.code AS source", "pack": "ORDER BY",
    }
    missing = [k for k, frag in kinds.items() if not any(frag in t for t in texts)]
    assert not missing, missing
    # every GDS procedure the code can call was called
    for m in c.MEASURES:
        proc = c._GDS_PROC[m]
        assert any(f"CALL {proc}.stream(" in t for t in texts) and any(f"CALL {proc}.write(" in t for t in texts)
    assert len(texts) > 60


BROKEN = "broken: "


def _broken(recorded) -> list[tuple[str, str, dict]]:
    """Statements that must fail: one broken the way each kind of mistake would break ours."""
    merge = next(t for t in recorded if t.startswith("UNWIND $rows AS row MERGE (n:Patent"))
    return [(BROKEN + name, text, params) for name, text, params in [
        ("syntax", "UNWIND $rows AS row MERGE (n:Patent {pn: row.pn} SET n.title = row.title", {"rows": []}),
        ("undeclared parameter", merge.replace("$rows", "$row"), {"rows": []}),
        ("wrong procedure name", "CALL gds.pagerank.stream($graph_name, $config) YIELD nodeId, score RETURN score",
         {"graph_name": "g", "config": {}}),
        ("unknown yield field", "CALL gds.louvain.stream($graph_name, $config) YIELD nodeId, community RETURN community",
         {"graph_name": "g", "config": {}}),
        ("too many arguments", "CALL gds.graph.drop($graph_name, false, 'neo4j', 'me', 1) YIELD graphName RETURN graphName",
         {"graph_name": "g"}),
        ("apoc is not installed", "RETURN apoc.text.clean('x') AS t", {}),
    ]]


@pytest.fixture(scope="module")
def linted(recorded):
    """One linter run over every recorded statement except the pack's (see below) and the broken ones."""
    pack = {s.text for s in query_pack.list_queries()}
    items = [(name, text, params) for text, (name, params) in recorded.items() if text not in pack]
    # what `innograph query NAME --browser` prints: Browser evaluates `:param x => <expr>` as `RETURN <expr>`
    for spec in query_pack.list_queries():
        overrides = {p.name: ("it's" if p.type == "str" else 1) for p in spec.params if p.required}
        for line in browser_script(spec.text, query_pack.bind_params(spec, overrides)).splitlines():
            if not line.startswith(":param "):
                continue
            text = "RETURN " + line.split(" => ", 1)[1] + " AS value"
            if all(text != t for _, t, _ in items):
                items.append((f"browser {spec.name} {line}", text, {}))
    return {r.name: r for r in _lint(items + _broken(recorded))}


def test_pack_queries_are_sent_verbatim_and_linted_by_the_pack_tests(recorded):
    """The backend sends each pack query as its file's text with the declared parameters, which is
    exactly what tests/graph/test_query_pack.py lints; it is not linted twice here."""
    sent = {text: params for text, (name, params) in recorded.items() if name.startswith("pack")}
    specs = query_pack.list_queries()
    assert set(sent) == {s.text for s in specs}
    for s in specs:
        assert set(sent[s.text]) == {p.name for p in s.params}


def test_every_statement_passes_the_neo4j_linter(linted):
    ours = [r for name, r in linted.items() if not name.startswith(BROKEN)]
    assert len(ours) > 60 and any(name.startswith("browser ") for name in linted)
    errors = "\n".join(r.describe() for r in ours if r.errors)
    assert not errors, errors
    warnings = "\n".join(r.describe(severity=2) for r in ours if r.warnings)
    assert not warnings, warnings


def test_the_check_fails_on_broken_statements(linted):
    broken = {name: r for name, r in linted.items() if name.startswith(BROKEN)}
    assert len(broken) == 6
    for name, r in broken.items():
        assert r.errors, f"{name} should fail the linter"
    assert "$row" in broken[BROKEN + "undeclared parameter"].errors[0]["message"]


def _server_registry(names: list[str], kind: str) -> dict:
    """Entries of the registry that @neo4j-cypher/language-support recorded from a real Neo4j with GDS."""
    from lintcypher import LINT_DIR, require_linter

    require_linter()
    script = ("import('@neo4j-cypher/language-support').then(p => { const r = p.testData.mockSchema[process.argv[1]]"
              "['CYPHER 5']; const out = {}; for (const n of JSON.parse(process.argv[2])) out[n] = r[n] ?? null;"
              " process.stdout.write(JSON.stringify(out)); })")
    proc = subprocess.run(["node", "-e", script, kind, json.dumps(names)], cwd=LINT_DIR, capture_output=True,
                          text=True, timeout=120, check=True)
    return json.loads(proc.stdout)


def _shape(entry: dict, kind: str):
    args = [(a["name"], a["type"], "default" in a) for a in entry["argumentDescription"]]
    ret = ([(f["name"], f["type"]) for f in entry["returnDescription"]] if kind == "procedures"
           else entry["returnDescription"])
    return args, ret


def test_gds_signatures_match_those_recorded_from_a_server():
    """The signature map (written from the GDS manual) agrees with the package's recording of a real
    server: same arguments (names, types, optional or not) and the same YIELD fields / return type."""
    for kind, ours in (("procedures", procedure_registry()["CYPHER 5"]), ("functions", function_registry()["CYPHER 5"])):
        server = _server_registry(sorted(ours), kind)
        for name, entry in ours.items():
            assert server[name] is not None, f"{name} is not in the recorded registry"
            got, want = _shape(entry, kind), _shape(server[name], kind)
            if kind == "procedures":  # our YIELD fields are the documented ones; the server may have more
                assert got[0] == want[0] and set(got[1]) <= set(want[1]), name
            else:
                assert got == want, name
            if kind == "functions":
                assert entry["aggregating"] == server[name]["aggregating"], name


def test_hand_written_browser_examples_pass_the_linter():
    """The Browser guide's GDS and full-text examples (cypher/neo4j/examples.cypher), with the GDS
    signatures above and db.index.fulltext.queryNodes as recorded from a real server."""
    from innograph.graph import neo4j_schema

    examples = neo4j_schema.read_statements(neo4j_schema.CYPHER_DIR / "examples.cypher")
    assert len(examples) == 10
    base = default_db_schema()
    base["propertyKeys"] = base["propertyKeys"] + ["transfer_pagerank"]
    fulltext = _server_registry(["db.index.fulltext.queryNodes"], "procedures")  # as recorded from a server
    procedures = {"CYPHER 5": {**procedure_registry()["CYPHER 5"], **fulltext}}
    params = [{name: "x" for name in query_pack.referenced_params(t)} for t in examples]
    results = lint_cypher([(f"example {i + 1}", t, p) for i, (t, p) in enumerate(zip(examples, params))],
                          procedures=procedures,
                          functions={"base": "builtin", "add": function_registry()}, **base)
    problems = "\n".join(r.describe(severity=2) for r in results if r.diagnostics)
    assert not problems, problems
