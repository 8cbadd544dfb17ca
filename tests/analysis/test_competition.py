"""Competition network on the hand-worked graph (tests/analysis/conftest.py).

All years, 3 countries (N = 3). Keyword counts: US {neural network 2, image processing 1},
CN {neural network 1, speech recognition 2}, JP {robot 1}. idf = ln((1 + N) / (1 + df)) + 1:
neural network (df 2) a = 1 + ln(4/3); the others (df 1) b = 1 + ln 2.
  US = (2a, b, 0, 0) / sqrt(4a^2 + b^2),  CN = (a, 0, 2b, 0) / sqrt(a^2 + 4b^2),  JP = robot only
  cos_kw(US, CN) = 2a^2 / (sqrt(4a^2 + b^2) sqrt(a^2 + 4b^2)), cos_kw(., JP) = 0.
IPC subclasses: US {G06N 2}, CN {G06N 1, G06F 1}, JP {G06F 1}; both df 2, so idf cancels:
  cos_ipc(US, CN) = 1/sqrt 2, cos_ipc(US, JP) = 0, cos_ipc(CN, JP) = 1/sqrt 2.
competition = 0.5 cos_kw + 0.5 cos_ipc: US-CN 0.5 cos_kw + 0.3536 = 0.5021, CN-JP 0.3536, US-JP 0.
Threshold 0.3 gives the path US - CN - JP: CN has betweenness 1, closeness 1 (the others 2/3),
eigenvector (1/2, 1/sqrt 2, 1/2) (A's leading eigenvector), every core number 1.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from innograph.analysis import centrality as c
from innograph.analysis import competition as comp
from innograph.analysis import writeback
from innograph.errors import InnographError
from innograph.graph.embedded import EmbeddedStore
from innograph.graph.neo4j_store import Neo4jConfig, Neo4jStore

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "graph"))
from gds_signatures import function_registry, procedure_registry  # noqa: E402
from lintcypher import default_db_schema, lint_cypher  # noqa: E402
from neo4j_fakes import EmbeddedResponder, GdsEmulator, RecordingDriver  # noqa: E402

A = 1 + math.log(4 / 3)
B = 1 + math.log(2)
COS_KW = 2 * A * A / (math.sqrt(4 * A * A + B * B) * math.sqrt(A * A + 4 * B * B))
US_CN = 0.5 * COS_KW + 0.5 / math.sqrt(2)
CN_JP = 0.5 / math.sqrt(2)


def run(store, **kw):
    return comp.competition(store, min_patents=1, threshold=0.3, **kw)


def test_country_vectors_and_cosines(tiny_graph):
    with EmbeddedStore(tiny_graph, read_only=True) as store:
        res = run(store)
    v = res["vectors"]
    v = v[v["window"] == "all"].set_index(["country", "block", "term"])["weight"]
    n_us = math.sqrt(4 * A * A + B * B)
    assert v[("US", "keyword", "neural network")] == pytest.approx(2 * A / n_us)
    assert v[("US", "keyword", "image processing")] == pytest.approx(B / n_us)
    assert v[("CN", "keyword", "speech recognition")] == pytest.approx(2 * B / math.sqrt(A * A + 4 * B * B))
    assert v[("JP", "keyword", "robot")] == pytest.approx(1.0)
    assert v[("CN", "ipc", "G06N")] == pytest.approx(1 / math.sqrt(2)) and v[("US", "ipc", "G06N")] == pytest.approx(1.0)
    sim = res["similarity"]
    sim = sim[sim["window"] == "all"].set_index(["source", "target"])
    assert COS_KW == pytest.approx(0.29700, abs=1e-5)  # the hand arithmetic, once in numbers
    assert sim.loc[("CN", "US"), "keyword_cosine"] == pytest.approx(COS_KW)
    assert sim.loc[("CN", "US"), "ipc_cosine"] == pytest.approx(1 / math.sqrt(2))
    assert sim.loc[("CN", "US"), "competition"] == pytest.approx(US_CN)
    assert sim.loc[("CN", "JP"), "competition"] == pytest.approx(CN_JP)
    assert sim.loc[("JP", "US"), "competition"] == pytest.approx(0.0)
    e = res["edges"]
    assert e[e["window"] == "all"][["source", "target"]].values.tolist() == [["CN", "JP"], ["CN", "US"]]


def test_network_measures_of_the_path(tiny_graph):
    with EmbeddedStore(tiny_graph, read_only=True) as store:
        res = run(store)
    n = res["nodes"]
    n = n[n["window"] == "all"].set_index("node")
    assert n["patents"].to_dict() == {"CN": 2, "JP": 1, "US": 2}
    assert n["degree"].to_dict() == pytest.approx({"CN": US_CN + CN_JP, "JP": CN_JP, "US": US_CN})
    assert n["neighbours"].to_dict() == {"CN": 2, "JP": 1, "US": 1}
    assert n["betweenness"].to_dict() == {"CN": 1.0, "JP": 0.0, "US": 0.0}
    assert n["closeness"].to_dict() == pytest.approx({"CN": 1.0, "JP": 2 / 3, "US": 2 / 3})
    # the path is bipartite: see test_eigenvector_of_a_bipartite_network for the exact value
    assert n.loc["CN", "eigenvector"] > n.loc["US", "eigenvector"] == pytest.approx(n.loc["JP", "eigenvector"])
    assert n["core_number"].to_dict() == {"CN": 1, "JP": 1, "US": 1}
    assert n["coreness"].idxmax() == "CN" and n.loc["CN", "coreness"] == 1.0
    assert n["pagerank"].sum() == pytest.approx(1.0) and n["pagerank"].idxmax() == "CN"
    assert res.attrs["engine"] == "networkit" and res.attrs["windows"]["all"] == {
        "countries": 3, "edges": 2, "modularity": {"louvain": pytest.approx(res.attrs["windows"]["all"]["modularity"]["louvain"])}}


def test_eigenvector_of_a_bipartite_network(tiny_graph):
    with EmbeddedStore(tiny_graph, read_only=True) as store:
        n = run(store)["nodes"].set_index("node")
    assert n["eigenvector"].to_dict() == pytest.approx({"CN": 1 / math.sqrt(2), "JP": 0.5, "US": 0.5}, abs=1e-6)


def test_threshold_windows_and_min_patents(tiny_graph):
    with EmbeddedStore(tiny_graph, read_only=True) as store:
        high = comp.competition(store, min_patents=1, threshold=0.45)
        win = run(store, window_years=5)
        few = comp.competition(store, min_patents=2, threshold=0.0)
    assert high["edges"][["source", "target"]].values.tolist() == [["CN", "US"]]
    hn = high["nodes"].set_index("node")
    assert hn.loc["JP", "neighbours"] == 0 and hn.loc["JP", "louvain"] == -1 and hn.loc["JP", "degree"] == 0
    # 5-year windows from 1: patent 1 (US, 2014) alone in 2011-2015; the rest in 2016-2020
    assert win.attrs["windows"]["2011-2015"] == {"countries": 1, "edges": 0, "modularity": {}}
    assert set(win["nodes"]["window"]) == {"all", "2011-2015", "2016-2020"}
    w2 = win["nodes"][win["nodes"]["window"] == "2016-2020"].set_index("node")
    assert w2["patents"].to_dict() == {"CN": 2, "JP": 1, "US": 1}
    # only countries with >= 2 patents: JP is left out
    assert sorted(few["nodes"]["node"]) == ["CN", "US"]


def test_config_errors():
    with pytest.raises(InnographError, match="threshold"):
        comp.CompetitionConfig(threshold=1.5)
    with pytest.raises(InnographError, match="block_weights"):
        comp.CompetitionConfig(block_weights=(0.7, 0.7))
    with pytest.raises(InnographError, match="ipc_level"):
        comp.CompetitionConfig(ipc_level="group")


def test_write_back_competes_with(writable_copy):
    with EmbeddedStore(writable_copy) as store:
        res = run(store, write=True)
        assert res.attrs["written"] == 2
        rels = store.execute("MATCH (x:Country)-[r:COMPETES_WITH]->(y:Country) RETURN x.code AS a, y.code AS b, "
                             "r.weight AS w ORDER BY a, b")
        assert rels[["a", "b"]].values.tolist() == [["CN", "JP"], ["CN", "US"]]
        assert rels["w"].tolist() == pytest.approx([CN_JP, US_CN])
        # the competes_with projection of centrality.py now sees the same network
        cen = c.centrality(store, "competes_with", measures=["degree"])
        assert dict(zip(cen["node"], cen["degree"])) == pytest.approx({"CN": US_CN + CN_JP, "JP": CN_JP, "US": US_CN})
        # a second write replaces, not adds
        comp.competition(store, min_patents=1, threshold=0.45, write=True)
        assert len(store.execute("MATCH ()-[r:COMPETES_WITH]->() RETURN r.weight AS w")) == 1
    with EmbeddedStore(writable_copy, read_only=True) as ro:
        with pytest.raises(InnographError, match="read-only"):
            run(ro, write=True)


# -- Neo4j: the same tables through the Neo4j store with GDS (stand-in driver), statements linted
def neo4j_twin(store):
    emulator = GdsEmulator()
    answer = EmbeddedResponder(store)
    driver = RecordingDriver(lambda t, p: emulator(t, p) if "gds." in t else answer(t, p))
    return Neo4jStore(Neo4jConfig(progress=False), driver=driver), emulator, driver


def assert_same_tables(a, b, skip=("louvain",)):
    """Equal tables; louvain ids are arbitrary labels, so they are left out."""
    assert set(a.tables) == set(b.tables)
    for key in a.tables:
        x, y = a[key].reset_index(drop=True), b[key].reset_index(drop=True)
        assert list(x.columns) == list(y.columns), key
        assert len(x) == len(y), key
        for col in x.columns:
            if col in skip:
                continue
            if pd.api.types.is_numeric_dtype(x[col]) and pd.api.types.is_numeric_dtype(y[col]):
                assert np.allclose(x[col].astype(float), y[col].astype(float), atol=1e-6, equal_nan=True), (key, col)
            else:
                assert x[col].astype(str).tolist() == y[col].astype(str).tolist(), (key, col)


def lint(items):
    """(name, query, parameters) items through Neo4j's linter with the GDS signatures; the results."""
    base = default_db_schema()
    base["propertyKeys"] = sorted(set(base["propertyKeys"]) | {"source", "target", "weight", "pairs", "mean_score"})
    return lint_cypher(items, procedures=procedure_registry(),
                       functions={"base": "builtin", "add": function_registry()}, **base)


def recorded(driver) -> list[tuple[str, str, dict]]:
    """Every distinct statement the Neo4j store was sent, with its parameters (lists cut to 2)."""
    seen = {}
    for text, params in driver.statements():
        seen.setdefault(text, {k: (v[:2] if isinstance(v, list) else v) for k, v in params.items()})
    return [(f"sent #{i}", t, p) for i, (t, p) in enumerate(seen.items())]


def test_gds_path_gives_the_same_tables(tiny_graph):
    with EmbeddedStore(tiny_graph, read_only=True) as emb:
        expected = run(emb, window_years=5)
        neo, emulator, driver = neo4j_twin(emb)
        got = run(neo, window_years=5)
        # write-back through the Neo4j store: the MERGE statement, batched
        written = run(neo, write=True)
    assert got.attrs["engine"] == "gds" and expected.attrs["engine"] == "networkit"
    assert_same_tables(expected, got)
    assert got["nodes"].set_index(["window", "node"])["louvain"].ge(-1).all()
    assert emulator.graphs == {}  # every projected graph was dropped
    texts = [t for t, _ in driver.statements()]
    assert any("gds.pageRank.stream" in t for t in texts) and any("gds.graph.project(" in t for t in texts)
    assert any(t.startswith("UNWIND $rows AS row") and "MERGE (a)-[r:COMPETES_WITH]->(b)" in t for t in texts)
    rows = next(p["rows"] for t, p in driver.statements() if "MERGE (a)-[r:COMPETES_WITH]" in t)
    assert written.attrs["written"] == 2 and sorted((r["source"], r["target"]) for r in rows) == [("CN", "JP"), ("CN", "US")]


def test_every_analysis_statement_for_neo4j_passes_the_linter(tiny_graph):
    """All four analyses (and both write-backs) through the Neo4j store: every statement sent, linted
    in one run with parameters declared, plus broken statements that must fail (so the check can fail)."""
    from innograph.analysis import evolution, themes, transfer

    with EmbeddedStore(tiny_graph, read_only=True) as emb:
        neo, _, driver = neo4j_twin(emb)
        run(neo, window_years=5, write=True)
        transfer.transfer(neo, write=True)
        themes.themes(neo)
        evolution.evolution(neo)
    ours = recorded(driver)
    texts = [t for _, t, _ in ours]
    for stmt in [*comp.STATEMENTS.values(), *transfer.STATEMENTS.values(), *themes.STATEMENTS.values(),
                 *evolution.STATEMENTS.values()]:
        assert stmt in texts, stmt
    for rel in writeback.PROPERTIES:
        assert writeback.neo4j_merge_statement(rel) in texts and writeback.delete_statement(rel) in texts
    assert any("gds.graph.project(" in t for t in texts) and any("gds.louvain.stream" in t for t in texts)
    broken = [("broken label()", "MATCH (c:Country)-[r:COMPETES_WITH]->() RETURN label(r) AS t", {}),
              ("broken undeclared", comp.KEYWORD_COUNTS, {"from_year": 0}),
              ("broken syntax", writeback.neo4j_merge_statement("TRANSFERS_TO").replace("MERGE (a)", "MERGE (a"),
               {"rows": []})]
    results = {r.name: r for r in lint(ours + broken)}
    problems = "\n".join(r.describe(severity=2) for n, r in results.items() if r.diagnostics and not n.startswith("broken"))
    assert not problems, problems
    assert all(results[n].errors for n, _, _ in broken)
