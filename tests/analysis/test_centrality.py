"""Centrality and communities: networkit against networkx and the GDS manual, and GDS against networkit.

- networkit results equal networkx's on small graphs (PageRank, betweenness, degree,
  eigenvector, closeness, Louvain modularity), with the tolerances asserted below.
- The GDS semantics the module promises are pinned to the GDS manual's own examples (PageRank
  and betweenness tables of neo4j.com/docs/graph-data-science/current/algorithms/...).
- The GDS path (graphdatascience client -> Cypher projection -> stream -> DataFrame) run against a
  recording stand-in that answers like GDS gives the same DataFrame as the networkit path.
"""

from __future__ import annotations

import sys
from pathlib import Path

import networkit as nk
import networkx as nx
import numpy as np
import pandas as pd
import pytest

from innograph.analysis import centrality as c
from innograph.errors import InnographError
from innograph.graph.embedded import EmbeddedStore
from innograph.graph.load import LoadConfig, load_graph
from innograph.graph.neo4j_store import Neo4jConfig, Neo4jStore

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "graph"))
from neo4j_fakes import EmbeddedResponder, GdsEmulator, RecordingDriver  # noqa: E402

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "pack_fixture"
nk.setNumberOfThreads(1)  # graphs of tens of nodes: threads only spin (slowly, on a busy 2-core machine)


def random_edges(n: int, m: int, seed: int, directed: bool) -> pd.DataFrame:
    g = nx.gnm_random_graph(n, m, seed=seed, directed=directed)
    rng = np.random.default_rng(seed)
    return pd.DataFrame([(f"v{a:03d}", f"v{b:03d}", float(rng.integers(1, 10))) for a, b in g.edges()],
                        columns=["source", "target", "weight"])


def nx_graph(edges: pd.DataFrame, directed: bool):
    g = nx.DiGraph() if directed else nx.Graph()
    g.add_weighted_edges_from(c.clean_edges(edges, directed).itertuples(index=False))
    return g


def by_node(df: pd.DataFrame, col: str) -> dict:
    return dict(zip(df["node"], df[col]))


def assert_close(ours: dict, ref: dict, atol: float) -> None:
    assert set(ours) == set(ref)
    worst = max(abs(ours[k] - ref[k]) for k in ref)
    assert worst <= atol, f"max difference {worst} > {atol}"


GRAPHS = [(30, 90, 1), (60, 150, 2), (25, 40, 3)]  # (nodes, edges, seed); the last one is disconnected


# -- networkit against networkx --------------------------------------------------------------
@pytest.mark.parametrize("n,m,seed", GRAPHS)
def test_degree_matches_networkx(n, m, seed):
    for directed in (False, True):
        e = random_edges(n, m, seed, directed)
        g = nx_graph(e, directed)
        ref = dict(g.out_degree(weight="weight") if directed else g.degree(weight="weight"))
        assert_close(by_node(c.degree(e, directed), "degree"), ref, 0)
        if directed:
            assert_close(by_node(c.degree(e, True, direction="in"), "in_degree"), dict(g.in_degree(weight="weight")), 0)


@pytest.mark.parametrize("n,m,seed", GRAPHS)
def test_pagerank_matches_networkx(n, m, seed):
    e = random_edges(n, m, seed, directed=False)
    ref = nx.pagerank(nx_graph(e, False), alpha=0.85, weight="weight", tol=1e-15, max_iter=10_000)
    assert_close(by_node(c.pagerank(e, directed=False), "pagerank"), ref, 1e-9)
    # directed, every node with an out-edge (a cycle through all nodes): no sinks, so no sink rule matters
    e = random_edges(n, m, seed, directed=True)
    ring = pd.DataFrame({"source": [f"v{i:03d}" for i in range(n)], "target": [f"v{(i + 1) % n:03d}" for i in range(n)],
                         "weight": 1.0})
    e = pd.concat([e, ring])
    ref = nx.pagerank(nx_graph(e, True), alpha=0.85, weight="weight", tol=1e-15, max_iter=10_000)
    assert_close(by_node(c.pagerank(e, directed=True), "pagerank"), ref, 1e-9)


def gds_pagerank_reference(edges: pd.DataFrame, directed: bool, iterations: int, d: float = 0.85,
                           weighted: bool = True) -> dict:
    """GDS's recursion as its manual states it: PR = (1 - d) + d * sum(w / out_w * PR), from PR = 1 - d."""
    e = c.clean_edges(edges, directed)
    nodes = sorted(set(e["source"]) | set(e["target"]))
    idx = {v: i for i, v in enumerate(nodes)}
    w = np.zeros((len(nodes), len(nodes)))
    for a, b, x in e.itertuples(index=False):
        w[idx[a], idx[b]] += x if weighted else 1.0
        if not directed:
            w[idx[b], idx[a]] += x if weighted else 1.0
    out = w.sum(1)
    m = (w / np.where(out > 0, out, 1)[:, None]).T
    x = np.full(len(nodes), 1 - d)
    for _ in range(iterations):
        x = (1 - d) + d * m @ x
    return dict(zip(nodes, x))


def test_pagerank_with_sinks_follows_gds_not_networkx():
    """With sink nodes GDS (and so innograph) does not teleport their mass; networkx does."""
    e = random_edges(40, 70, 4, directed=True)
    g = nx_graph(e, True)
    assert any(g.out_degree(v) == 0 for v in g)  # the graph has sinks
    ref = gds_pagerank_reference(e, True, iterations=2000)
    total = sum(ref.values())
    assert_close(by_node(c.pagerank(e, directed=True), "pagerank"), {k: v / total for k, v in ref.items()}, 1e-9)
    # networkit's own sink rule reproduces networkx, so the difference is the sink rule alone
    graph, nodes = c._nk_graph(c.clean_edges(e, True), True)
    pr = nk.centrality.PageRank(graph, damp=0.85, tol=1e-13, distributeSinks=nk.centrality.SinkHandling.DistributeSinks)
    pr.maxIterations = 5000
    pr.run()
    s = np.asarray(pr.scores())
    assert_close(dict(zip(nodes, s / s.sum())), nx.pagerank(g, weight="weight", tol=1e-15, max_iter=10_000), 1e-8)


@pytest.mark.parametrize("n,m,seed", GRAPHS)
def test_betweenness_matches_networkx(n, m, seed):
    for directed in (False, True):
        e = random_edges(n, m, seed, directed)
        ref = nx.betweenness_centrality(nx_graph(e, directed), normalized=False, weight=None)
        assert_close(by_node(c.betweenness(e, directed), "betweenness"), ref, 1e-9)


@pytest.mark.parametrize("n,m,seed", GRAPHS[:2])
def test_eigenvector_matches_networkx(n, m, seed):
    e = random_edges(n, m, seed, directed=False)
    g = nx.Graph(nx_graph(e, False).edges())  # unweighted
    assert nx.is_connected(g) and not nx.is_bipartite(g)
    ref = {k: abs(v) for k, v in nx.eigenvector_centrality_numpy(g).items()}
    assert_close(by_node(c.eigenvector(e), "eigenvector"), ref, 1e-6)
    assert np.isclose(np.linalg.norm(c.eigenvector(e)["eigenvector"]), 1.0)


@pytest.mark.parametrize("n,m,seed", GRAPHS)
def test_closeness_matches_networkx(n, m, seed):
    e = random_edges(n, m, seed, directed=False)
    ref = nx.closeness_centrality(nx.Graph(nx_graph(e, False).edges()), wf_improved=True)
    assert_close(by_node(c.closeness(e), "closeness"), ref, 1e-12)


@pytest.mark.parametrize("n,m,seed", GRAPHS)
def test_modularity_function_matches_networkx(n, m, seed):
    e = random_edges(n, m, seed, directed=False)
    g = nx_graph(e, False)
    part = c.louvain(e)
    comms = [set(grp["node"]) for _, grp in part.groupby("louvain")]
    assert abs(c.modularity(e, part) - nx.community.modularity(g, comms, weight="weight")) < 1e-12


@pytest.mark.parametrize("n,m,seed", GRAPHS)
def test_louvain_and_leiden_modularity_close_to_networkx(n, m, seed):
    e = random_edges(n, m, seed, directed=False)
    g = nx_graph(e, False)
    best_nx = max(nx.community.modularity(g, nx.community.louvain_communities(g, weight="weight", seed=s), weight="weight")
                  for s in range(3))
    for method in (c.louvain, c.leiden):
        q = c.modularity(e, method(e))
        assert q > best_nx - 0.03, (method.__name__, q, best_nx)


def test_louvain_recovers_a_planted_partition():
    g = nx.planted_partition_graph(4, 12, 0.9, 0.02, seed=7)
    e = pd.DataFrame([(f"v{a:02d}", f"v{b:02d}", 1.0) for a, b in g.edges()], columns=["source", "target", "weight"])
    planted = {f"v{v:02d}": v // 12 for v in g}
    for method in (c.louvain, c.leiden):
        found = by_node(method(e), method.__name__)
        assert pd.crosstab(pd.Series(planted), pd.Series(found)).gt(0).sum(axis=1).eq(1).all()
        assert abs(c.modularity(e, found) - c.modularity(e, planted)) < 1e-12


# -- the GDS manual's examples ----------------------------------------------------------------
# algorithms/page-rank.adoc: the "web network" graph, `gds.pageRank.stream('myGraph')` results
WEB = [("Home", "About", .2), ("Home", "Links", .2), ("Home", "Product", .6), ("About", "Home", 1.0),
       ("Product", "Home", 1.0), ("Site A", "Home", 1.0), ("Site B", "Home", 1.0), ("Site C", "Home", 1.0),
       ("Site D", "Home", 1.0), ("Links", "Home", .8), ("Links", "Site A", .05), ("Links", "Site B", .05),
       ("Links", "Site C", .05), ("Links", "Site D", .05)]
GDS_PAGERANK_UNWEIGHTED = {"Home": 3.215681999884452, "About": 1.0542700552146722, "Links": 1.0542700552146722,
                           "Product": 1.0542700552146722, "Site A": 0.3278578964488539, "Site B": 0.3278578964488539,
                           "Site C": 0.3278578964488539, "Site D": 0.3278578964488539}
GDS_PAGERANK_WEIGHTED = {"Home": 3.53751028396339, "Product": 1.9357838291651097, "About": 0.7452612763883698,
                         "Links": 0.7452612763883698, "Site A": 0.18152677135466103, "Site B": 0.18152677135466103,
                         "Site C": 0.18152677135466103, "Site D": 0.18152677135466103}
# algorithms/betweenness-centrality.adoc: the "social network" graph
SOCIAL = [("Alice", "Carol", 1.0), ("Bob", "Carol", 1.0), ("Carol", "Dan", 1.0), ("Carol", "Eve", 1.3),
          ("Dan", "Frank", 1.0), ("Eve", "Frank", 0.5), ("Frank", "Gale", 1.0)]
GDS_BETWEENNESS = {"Alice": 0.0, "Bob": 0.0, "Carol": 8.0, "Dan": 3.0, "Eve": 3.0, "Frank": 5.0, "Gale": 0.0}
GDS_BETWEENNESS_UNDIRECTED = {"Alice": 0.0, "Bob": 0.0, "Carol": 9.5, "Dan": 3.0, "Eve": 3.0, "Frank": 5.5, "Gale": 0.0}


def test_gds_manual_pagerank_example():
    e = pd.DataFrame(WEB, columns=["source", "target", "weight"])
    for weighted, table in ((False, GDS_PAGERANK_UNWEIGHTED), (True, GDS_PAGERANK_WEIGHTED)):
        # the recursion we attribute to GDS reproduces the manual's table (GDS stops after 20 rounds)
        assert_close(gds_pagerank_reference(e, True, iterations=19, weighted=weighted), table, 1e-12)
    # and our scores are that recursion's fixed point, scaled to sum 1
    ref = gds_pagerank_reference(e, True, iterations=3000)
    total = sum(ref.values())
    assert_close(by_node(c.pagerank(e, directed=True), "pagerank"), {k: v / total for k, v in ref.items()}, 1e-10)
    # 20 rounds are not converged: the manual's weighted table is within 2e-3 of the fixed point
    t = sum(GDS_PAGERANK_WEIGHTED.values())
    assert_close(by_node(c.pagerank(e, directed=True), "pagerank"), {k: v / t for k, v in GDS_PAGERANK_WEIGHTED.items()},
                 2e-3)


def test_gds_manual_betweenness_example():
    e = pd.DataFrame(SOCIAL, columns=["source", "target", "weight"])
    assert by_node(c.betweenness(e, directed=True), "betweenness") == GDS_BETWEENNESS
    assert by_node(c.betweenness(e, directed=False), "betweenness") == GDS_BETWEENNESS_UNDIRECTED


# -- edge lists --------------------------------------------------------------------------------
def test_clean_edges():
    e = pd.DataFrame({"source": ["a", "b", "a", "c", "a"], "target": ["b", "a", "b", "c", "d"],
                      "weight": [1.0, 2.0, 4.0, 5.0, 0.0]})
    und = c.clean_edges(e, directed=False)
    assert und.to_dict("records") == [{"source": "a", "target": "b", "weight": 7.0}]  # loop and zero weight dropped
    assert c.clean_edges(e, directed=True).to_dict("records") == [
        {"source": "a", "target": "b", "weight": 5.0}, {"source": "b", "target": "a", "weight": 2.0}]
    assert c.clean_edges(e, directed=False, combine="max")["weight"].tolist() == [4.0]
    assert c.clean_edges(e[["source", "target"]], directed=False)["weight"].tolist() == [3.0, 1.0]  # no weight: 1 each
    with pytest.raises(InnographError, match=">= 0"):
        c.clean_edges(e.assign(weight=-1.0), directed=True)
    with pytest.raises(InnographError, match="missing: target"):
        c.clean_edges(e[["source"]], directed=True)


# -- one call, both backends -------------------------------------------------------------------
@pytest.fixture(scope="module")
def fixture_graph(tmp_path_factory):
    db = tmp_path_factory.mktemp("centrality") / "g"
    load_graph(db, patents=FIXTURE / "DeepPatentAI.csv", papers=FIXTURE / "DeepDiveAI.csv",
               pairs=FIXTURE / "DeepCosineAI.csv", config=LoadConfig(progress=False))
    return db


def test_transfer_network_of_the_fixture(fixture_graph):
    """Worked out from the pairs in tests/graph/test_query_pack.py (paper country -> patent country):
    103 (JP, CN) -> EP; 104 (DE) -> US and -> JP; 101 (US) -> CN; 106 (US) -> JP; the rest are
    domestic (US->US, CN->CN) and dropped as self-loops."""
    with EmbeddedStore(fixture_graph, read_only=True) as store:
        edges = c.edges_from_store(store, "transfer")
        df = c.centrality(store, "transfer", measures=c.MEASURES)
    assert edges.to_dict("records") == [
        {"source": s, "target": t, "weight": 1.0}
        for s, t in [("CN", "EP"), ("DE", "JP"), ("DE", "US"), ("JP", "EP"), ("US", "CN"), ("US", "JP")]]
    assert df["node"].tolist() == ["CN", "DE", "EP", "JP", "US"]
    assert df["degree"].tolist() == [1, 2, 0, 1, 2]
    assert df["in_degree"].tolist() == [1, 0, 2, 2, 1]
    # directed hop paths through a node: DE->US->CN, US->JP->EP, DE->JP->EP, US->CN->EP, DE->US->CN->EP
    # (DE->EP has two shortest paths: via JP (2 hops); DE->US->CN->EP is 3 hops, so only via JP)
    assert by_node(df, "betweenness") == nx.betweenness_centrality(nx_graph(edges, True), normalized=False)
    assert df["pagerank"].sum() == pytest.approx(1.0) and df.loc[df["node"] == "EP", "pagerank"].item() == df["pagerank"].max()
    assert df.attrs["engine"] == "networkit" and df.attrs["directed"] and df.attrs["edges"] == 6
    assert set(df.attrs["modularity"]) == {"louvain", "leiden"}


def _gds_store(fixture_store=None):
    emulator = GdsEmulator()
    answer = EmbeddedResponder(fixture_store) if fixture_store is not None else (lambda t, p: [])
    driver = RecordingDriver(lambda t, p: emulator(t, p) if "gds." in t else answer(t, p))
    return Neo4jStore(Neo4jConfig(), driver=driver), emulator, driver


def test_same_dataframe_from_gds_and_networkit(fixture_graph):
    with EmbeddedStore(fixture_graph, read_only=True) as emb:
        nk_df = c.centrality(emb, "transfer", measures=c.MEASURES)
        edges = c.edges_from_store(emb, "transfer")
        store, emulator, driver = _gds_store(emb)
        gds_df = c.centrality(store, "transfer", measures=c.MEASURES, write=True, write_prefix="t_")
    assert gds_df.attrs["engine"] == "gds"
    assert list(gds_df.columns) == list(nk_df.columns) and (gds_df.dtypes == nk_df.dtypes).all()
    assert gds_df["node"].tolist() == nk_df["node"].tolist()
    for m in c.MEASURES:
        if m in c.COMMUNITY_MEASURES:
            assert gds_df.attrs["modularity"][m] == pytest.approx(c.modularity(edges, gds_df[["node", m]]))
            continue
        assert np.allclose(gds_df[m], nk_df[m], atol=1e-6), m
    texts = [t for t, _ in driver.statements()]
    assert sum("gds.graph.project(" in t for t in texts) == 2  # the directed graph and its undirected version
    assert sum("gds.graph.drop(" in t for t in texts) == 2 and emulator.graphs == {}
    assert set(emulator.written) == {f"t_{m}" for m in c.MEASURES}
    assert all("gds.util.asNode(nodeId).code" in t for t in texts if ".stream(" in t)


@pytest.mark.parametrize("directed", [False, True])
def test_gds_path_on_edge_lists_matches_networkit(directed):
    e = random_edges(40, 110, 5, directed)
    store, emulator, driver = _gds_store()
    gds_df = c.gds_centrality(store, e, directed, c.MEASURES, bind=None)
    nk_df = c.centrality(e, directed=directed, measures=c.MEASURES)
    assert list(gds_df.columns) == list(nk_df.columns) and gds_df["node"].tolist() == nk_df["node"].tolist()
    for m in c.MEASURES:
        if m not in c.COMMUNITY_MEASURES:
            assert np.allclose(gds_df[m], nk_df[m], atol=1e-6), m
        else:  # both partitions are good ones: within 0.05 modularity
            assert abs(c.modularity(e, gds_df[["node", m]]) - c.modularity(e, nk_df[["node", m]])) < 0.05
    rows = next(p["rows"] for t, p in driver.statements() if "gds.graph.project(" in t)
    assert all(isinstance(r["source"], int) for r in rows)  # integer ids: nodes not bound to the database


def test_gds_graphs_are_dropped_when_an_algorithm_fails():
    store, emulator, driver = _gds_store()
    original = emulator._compute

    def failing(algo, *args):
        if algo == "betweenness":
            raise RuntimeError("out of memory")
        return original(algo, *args)

    emulator._compute = failing
    with pytest.raises(Exception, match="out of memory"):
        c.gds_centrality(store, random_edges(10, 20, 1, False), False, ["degree", "betweenness"], bind=None)
    assert emulator.graphs == {}


def test_errors(fixture_graph):
    e = random_edges(10, 20, 1, False)
    with pytest.raises(InnographError, match="Unknown measure"):
        c.centrality(e, directed=False, measures=["katz"])
    with pytest.raises(InnographError, match="directed=True or False"):
        c.centrality(e)
    with pytest.raises(InnographError, match="write=True writes node properties with GDS"):
        c.centrality(e, directed=False, write=True)
    with EmbeddedStore(fixture_graph, read_only=True) as store:
        with pytest.raises(InnographError, match="needs a Neo4jStore"):
            c.centrality(store, "transfer", engine="gds")
        with pytest.raises(InnographError, match="Unknown projection"):
            c.centrality(store, "nope")


def test_cli_centrality_on_the_embedded_store(fixture_graph, capsys):
    from innograph.cli import main

    main(["centrality", "transfer", "--db", str(fixture_graph), "--measure", "degree", "--measure", "in_degree",
          "--format", "csv"])
    out = pd.read_csv(__import__("io").StringIO(capsys.readouterr().out))
    assert out.to_dict("list") == {"node": ["CN", "DE", "EP", "JP", "US"], "degree": [1.0, 2.0, 0.0, 1.0, 2.0],
                                   "in_degree": [1.0, 0.0, 2.0, 2.0, 1.0]}
    with pytest.raises(SystemExit) as exc:
        main(["centrality", "transfer", "--db", str(fixture_graph), "--write"])
    assert exc.value.code == 2 and "write=True writes node properties with GDS" in capsys.readouterr().err

