"""Knowledge transfer on the hand-worked graph (tests/analysis/conftest.py).

Loaded pairs (tau 0.6): 11(US,2015)-1(US,2014) 0.90, 11-3(CN,2019) 0.80, 12(CN,2017)-4(CN,2020) 0.70,
13(JP+CN,2018)-5(JP,2020) 0.65; 12-2 (0.55) is below the load's tau.
- lags: -1, 4, 3, 2 (one pair each), mean 2.
- score bins of 0.1: one pair in each of [0.6, 0.7), [0.7, 0.8), [0.8, 0.9), [0.9, 1.0):
  density 1 / 4 / 0.1 = 2.5, cdf 0.25, 0.5, 0.75, 1.
- country flows (paper country -> patent country; paper 13 counts for JP and CN): US->US 0.90,
  US->CN 0.80, CN->CN 0.70, JP->JP 0.65, CN->JP 0.65: 5 flow counts.
- IPC subclass flows: (US, G06N) 2 pairs mean 0.85; (CN, G06F) 2 mean 0.675; (JP, G06F) 1 0.65.
- shared keywords: neural network (11-1, 11-3) mean 0.85; speech recognition (12-4); robot (13-5).
- intensity by patent year: 2014 1 pair / 1 patent, 2019 1 / 2, 2020 2 / 2.
- transfer network without domestic flows: US -> CN -> JP.
"""

from __future__ import annotations

import pytest

from innograph.analysis import centrality as c
from innograph.analysis import transfer as tr
from innograph.errors import InnographError
from innograph.graph.embedded import EmbeddedStore

from test_competition import assert_same_tables, neo4j_twin  # noqa: E402


@pytest.fixture(scope="module")
def result(tiny_graph):
    with EmbeddedStore(tiny_graph, read_only=True) as store:
        return tr.transfer(store, bin_width=0.1)


def test_score_distribution(result):
    h = result["score_hist"]
    assert h["bin_lo"].tolist() == [0.6, 0.7, 0.8, 0.9]
    assert h["pairs"].tolist() == [1, 1, 1, 1]
    assert h["density"].tolist() == pytest.approx([2.5] * 4)
    assert h["cdf"].tolist() == pytest.approx([0.25, 0.5, 0.75, 1.0])
    assert result.attrs["pairs"] == 4 and result.attrs["mean_score"] == pytest.approx((0.9 + 0.8 + 0.7 + 0.65) / 4)


def test_lags(result):
    lags = result["lags"]
    assert lags["lag_years"].tolist() == [-1, 2, 3, 4]
    assert lags["pairs"].tolist() == [1, 1, 1, 1] and lags["share"].tolist() == pytest.approx([0.25] * 4)
    assert lags["mean_score"].tolist() == pytest.approx([0.90, 0.65, 0.70, 0.80])
    assert result.attrs["mean_lag_years"] == pytest.approx(2.0)


def test_country_ipc_and_keyword_flows(result):
    cf = result["country_flows"]
    got = {(s, t): (n, m) for s, t, n, m in cf[["source", "target", "pairs", "mean_score"]].itertuples(index=False)}
    assert got == {("US", "US"): (1, pytest.approx(0.90)), ("US", "CN"): (1, pytest.approx(0.80)),
                   ("CN", "CN"): (1, pytest.approx(0.70)), ("JP", "JP"): (1, pytest.approx(0.65)),
                   ("CN", "JP"): (1, pytest.approx(0.65))}
    assert cf["share"].tolist() == pytest.approx([0.2] * 5)
    ipc = result["ipc_flows"]
    assert ipc[["source", "ipc", "pairs"]].values.tolist() == [["CN", "G06F", 2], ["US", "G06N", 2], ["JP", "G06F", 1]]
    assert ipc["mean_score"].tolist() == pytest.approx([0.675, 0.85, 0.65])
    kf = result["keyword_flows"]
    assert kf[["keyword", "pairs"]].values.tolist() == [["neural network", 2], ["robot", 1], ["speech recognition", 1]]
    assert kf["mean_score"].tolist() == pytest.approx([0.85, 0.65, 0.70])


def test_intensity_and_top_pairs(result):
    it = result["intensity"].set_index("year")
    assert it.loc[[2014, 2019, 2020], "pairs_by_patent_year"].tolist() == [1, 1, 2]
    assert it.loc[[2014, 2019, 2020], "pairs_per_patent"].tolist() == pytest.approx([1.0, 0.5, 1.0])
    assert it.loc[[2015, 2017, 2018], "pairs_by_paper_year"].tolist() == [2, 1, 1]
    assert it.loc[2019, "mean_score"] == pytest.approx(0.8)
    top = result["top_pairs"]
    assert top["score"].tolist() == pytest.approx([0.9, 0.8, 0.7, 0.65])
    assert top[["paper_id", "pn"]].values.tolist() == [["11", "US10000001B2"], ["11", "CN110000003A"],
                                                       ["12", "CN110000004A"], ["13", "JP2020000005A"]]
    assert top["lag_years"].tolist() == [-1, 4, 3, 2]
    assert top["paper_countries"].tolist() == ["US", "US", "CN", "CN;JP"]


def test_transfer_network(result):
    n = result["country_centrality"].set_index("node")
    assert n["degree"].to_dict() == {"CN": 1.0, "JP": 0.0, "US": 1.0}  # out-going pairs, domestic left out
    assert n["betweenness"].to_dict() == {"CN": 1.0, "JP": 0.0, "US": 0.0}
    assert n["pagerank"].idxmax() == "JP"  # the sink of the chain
    assert n["core_number"].to_dict() == {"CN": 1, "JP": 1, "US": 1}


def test_higher_tau_top_n_and_keyword_tau(tiny_graph):
    with EmbeddedStore(tiny_graph, read_only=True) as store:
        r = tr.transfer(store, tau=0.75, top_n=1, keyword_tau=0.85)
    assert r.attrs["pairs"] == 2
    assert r["top_pairs"]["score"].tolist() == [0.9]
    assert r["keyword_flows"][["keyword", "pairs"]].values.tolist() == [["neural network", 1]]
    assert r["lags"]["lag_years"].tolist() == [-1, 4]
    with pytest.raises(InnographError, match="bin_width"):
        tr.TransferConfig(bin_width=0)


def test_write_back_transfers_to(writable_copy):
    with EmbeddedStore(writable_copy) as store:
        r = tr.transfer(store, write=True)
        assert r.attrs["written"] == 5
        rels = store.execute("MATCH (x:Country)-[r:TRANSFERS_TO]->(y:Country) RETURN x.code AS a, y.code AS b, "
                             "r.pairs AS n, r.mean_score AS m ORDER BY a, b")
        assert rels[["a", "b", "n"]].values.tolist() == [["CN", "CN", 1], ["CN", "JP", 1], ["JP", "JP", 1],
                                                         ["US", "CN", 1], ["US", "US", 1]]
        # centrality.py's transfers_to projection reads them: the same network as the transfer projection
        a = c.centrality(store, "transfers_to", measures=["degree", "betweenness"])
        b = c.centrality(store, "transfer", measures=["degree", "betweenness"])
        assert a.to_dict("list") == b.to_dict("list")


def test_gds_path_gives_the_same_tables(tiny_graph, result):
    with EmbeddedStore(tiny_graph, read_only=True) as emb:
        neo, emulator, driver = neo4j_twin(emb)
        got = tr.transfer(neo, bin_width=0.1, write=True)
    assert got.attrs["engine"] == "gds" and got.attrs["written"] == 5
    assert_same_tables(result, got)
    assert emulator.graphs == {}
    texts = [t for t, _ in driver.statements()]
    assert any("MERGE (a)-[r:TRANSFERS_TO]->(b)" in t for t in texts)
    assert all(any(stmt == t for t in texts) for stmt in (tr.SCORE_BINS, tr.COUNTRY_FLOWS, tr.KEYWORD_FLOWS, tr.TOP_PAIRS))


def test_numpy_and_cypher_paths_agree_on_the_pack_fixture(tmp_path):
    """The embedded store's numpy aggregates (innograph.analysis.pairs) equal the portable Cypher's
    on a graph with multi-country papers, several IPC codes per patent and shared keywords."""
    from pathlib import Path

    from innograph.graph.load import LoadConfig, load_graph

    fixture = Path(__file__).resolve().parents[1] / "data" / "pack_fixture"
    load_graph(tmp_path / "g", patents=fixture / "DeepPatentAI.csv", papers=fixture / "DeepDiveAI.csv",
               pairs=fixture / "DeepCosineAI.csv", config=LoadConfig(progress=False))
    with EmbeddedStore(tmp_path / "g", read_only=True) as store:
        for kw in ({}, {"tau": 0.7, "top_n": 3, "keyword_tau": 0.8, "ipc_level": "full"}):
            fast = tr.transfer(store, **kw)
            slow = tr.transfer(store, engine_path="cypher", **kw)
            assert fast.attrs["aggregates"] == "numpy" and slow.attrs["aggregates"] == "cypher"
            assert_same_tables(slow, fast)
            assert len(fast["keyword_flows"]) and len(fast["ipc_flows"]) and len(fast["top_pairs"])
