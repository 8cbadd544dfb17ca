"""Themes on the hand-worked graph (tests/analysis/conftest.py).

Documents per keyword, papers (a) vs patents (b):
  deep learning 3 / 0, neural network 1 / 3, speech recognition 1 / 2, robot 1 / 1, image processing 0 / 1;
  n_a = 6 paper-keyword links, n_b = 7 patent-keyword links, alpha0 = n_a + n_b = 13, alpha_w = y_a + y_b.
deep learning: delta = ln((3 + 3) / (6 + 13 - 3 - 3)) - ln((0 + 3) / (7 + 13 - 0 - 3)) = ln(6/13) - ln(3/17),
  var = 1/6 + 1/3 = 1/2, z = delta / sqrt(1/2) = 1.3597.
neural network: delta = ln(5/14) - ln(7/13) < 0 (leans to patents).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from innograph.analysis import themes as th
from innograph.graph.embedded import EmbeddedStore

from test_competition import neo4j_twin  # noqa: E402


@pytest.fixture(scope="module")
def result(tiny_graph):
    with EmbeddedStore(tiny_graph, read_only=True) as store:
        return th.themes(store)


def test_keyword_frequencies(result):
    kw = result["keywords"].set_index("keyword")
    assert kw[["papers", "patents"]].to_dict("index") == {
        "deep learning": {"papers": 3, "patents": 0}, "neural network": {"papers": 1, "patents": 3},
        "speech recognition": {"papers": 1, "patents": 2}, "robot": {"papers": 1, "patents": 1},
        "image processing": {"papers": 0, "patents": 1}}
    assert kw.loc["neural network", "patent_share"] == pytest.approx(3 / 5)  # of the 5 patents
    assert kw.loc["deep learning", "paper_share"] == pytest.approx(1.0)  # every paper
    assert result.attrs["paper_keyword_links"] == 6 and result.attrs["patent_keyword_links"] == 7


def test_log_odds_with_informative_dirichlet_prior(result):
    kw = result["keywords"].set_index("keyword")
    delta = math.log(6 / 13) - math.log(3 / 17)
    assert kw.loc["deep learning", "log_odds"] == pytest.approx(delta)
    assert kw.loc["deep learning", "z"] == pytest.approx(delta / math.sqrt(0.5))
    assert kw.loc["deep learning", "z"] == pytest.approx(1.3597, abs=1e-4)
    assert kw.loc["neural network", "log_odds"] == pytest.approx(math.log(5 / 14) - math.log(7 / 13))
    assert kw.loc["neural network", "lean"] == "patent" and kw.loc["deep learning", "lean"] == "paper"
    assert result["keywords"]["keyword"].iloc[0] == "deep learning"  # sorted by z, papers' side first
    d = result["distinct"]
    assert d[d["lean"] == "paper"]["keyword"].iloc[0] == "deep learning"
    assert d[d["lean"] == "patent"]["keyword"].tolist()[0] in {"neural network", "image processing"}
    assert (d[d["lean"] == "patent"]["z"].diff().dropna() >= 0).all()  # most negative first


def test_log_odds_function_properties():
    # a word used at the same rate on both sides has delta 0; swapping the corpora flips the sign
    d, z = th.log_odds_dirichlet([10, 90], [20, 180])
    assert np.allclose(d, 0) and np.allclose(z, 0)
    a, b = np.array([30, 5, 1]), np.array([3, 50, 1])
    d1, z1 = th.log_odds_dirichlet(a, b)
    d2, z2 = th.log_odds_dirichlet(b, a)
    assert np.allclose(d1, -d2) and np.allclose(z1, -z2)
    # a stronger prior shrinks the estimates
    d3, _ = th.log_odds_dirichlet(a, b, alpha0=1000)
    assert (np.abs(d3) < np.abs(d1)).all()


def test_min_count_and_the_neo4j_path(tiny_graph, result):
    with EmbeddedStore(tiny_graph, read_only=True) as store:
        r = th.themes(store, min_count=3)
        neo, _, driver = neo4j_twin(store)
        got = th.themes(neo)
    assert set(r["keywords"]["keyword"]) == {"deep learning", "neural network", "speech recognition"}
    # the corpus sizes stay those of all keywords
    assert r["keywords"].set_index("keyword").loc["deep learning", "z"] == pytest.approx(
        result["keywords"].set_index("keyword").loc["deep learning", "z"])
    assert got["keywords"].equals(result["keywords"])
