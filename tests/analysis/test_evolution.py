"""Evolution on the hand-worked graph (tests/analysis/conftest.py).

Patents per year: 2014 1 (novelty 0.8), 2019 2 (0.6, 0.5), 2020 2 (0.4, 0.7); papers 2015, 2017,
2018 one each (0.9, 0.5, 0.7). Patent countries: US 2014, 2019; CN 2019, 2020 (x1 each); JP 2020.
Paper 13 (2018) counts for JP and CN.
"""

from __future__ import annotations

import numpy as np
import pytest

from innograph.analysis import evolution as ev
from innograph.graph.embedded import EmbeddedStore

from test_competition import assert_same_tables, neo4j_twin  # noqa: E402


@pytest.fixture(scope="module")
def result(tiny_graph):
    with EmbeddedStore(tiny_graph, read_only=True) as store:
        return ev.evolution(store, top_k=2, growth_years=1)


def test_counts_novelty_and_growth_per_year(result):
    by = result["by_year"]
    pat = by[by["kind"] == "patent"].set_index("year")
    assert pat["documents"].to_dict() == {2014: 1, 2019: 2, 2020: 2}
    assert pat["mean_novelty"].to_dict() == pytest.approx({2014: 0.8, 2019: 0.55, 2020: 0.55})
    assert np.isnan(pat.loc[2019, "growth"])  # 2018 is missing: no year-over-year growth across a gap
    assert pat.loc[2020, "growth"] == 0.0 and pat["cumulative"].tolist() == [1, 3, 5]
    pap = by[by["kind"] == "paper"].set_index("year")
    assert pap["documents"].to_dict() == {2015: 1, 2017: 1, 2018: 1}
    assert pap.loc[2018, "growth"] == 0.0
    assert result.attrs["documents"] == {"paper": 3, "patent": 5}


def test_per_country_and_top_share(result):
    cy = result["by_country_year"]
    pat = cy[cy["kind"] == "patent"].set_index(["country", "year"])
    assert pat["documents"].to_dict() == {("CN", 2019): 1, ("CN", 2020): 1, ("JP", 2020): 1, ("US", 2014): 1,
                                          ("US", 2019): 1}
    assert pat.loc[("CN", 2020), "share"] == 0.5 and pat.loc[("CN", 2020), "growth"] == 0.0
    paper = cy[cy["kind"] == "paper"].set_index(["country", "year"])
    assert paper.loc[("JP", 2018), "share"] == 0.5 and paper.loc[("CN", 2018), "mean_novelty"] == pytest.approx(0.7)
    # top 2 patent countries: CN and US (2 each, ties by code), JP is `other`
    ts = result["top_share"]
    t = ts[(ts["kind"] == "patent") & (ts["year"] == 2020)]
    assert t[["country", "documents", "share"]].values.tolist() == [["CN", 1, 0.5], ["other", 1, 0.5]]
    g = result["country_growth"]
    g = g[g["kind"] == "patent"].set_index("country")
    assert g["documents"].to_dict() == {"CN": 2, "US": 2, "JP": 1}
    assert g.loc["CN", "cagr"] == 0.0  # 1 patent in 2019 and in 2020
    assert np.isnan(g.loc["JP", "cagr"])  # none in 2019
    assert g.loc["US", "mean_novelty"] == pytest.approx(0.7)


def test_the_neo4j_path(tiny_graph, result):
    with EmbeddedStore(tiny_graph, read_only=True) as store:
        neo, _, driver = neo4j_twin(store)
        got = ev.evolution(neo, top_k=2, growth_years=1)
    assert_same_tables(result, got)
