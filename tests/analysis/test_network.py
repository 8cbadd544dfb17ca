"""k-core numbers and continuous coreness on graphs whose answers are known."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from innograph.analysis import network


def frame(edges, weight=1.0):
    return pd.DataFrame([(a, b, weight) for a, b in edges], columns=["source", "target", "weight"])


def test_core_numbers_match_networkx():
    g = nx.gnm_random_graph(40, 120, seed=3)
    e = frame([(f"v{a:02d}", f"v{b:02d}") for a, b in g.edges()])
    ours = dict(network.core_numbers(e).itertuples(index=False))
    ref = {f"v{k:02d}": v for k, v in nx.core_number(g).items() if g.degree(k) > 0}
    assert ours == ref


def test_k_core_by_hand():
    # a triangle a-b-c with a tail c-d: the triangle is the 2-core, d has core number 1
    e = frame([("a", "b"), ("b", "c"), ("a", "c"), ("c", "d")])
    assert dict(network.core_numbers(e).itertuples(index=False)) == {"a": 2, "b": 2, "c": 2, "d": 1}


def test_coreness_complete_graph_and_star():
    # complete graph, equal weights w: c_i c_j = w fits exactly with c_i = sqrt(w) for all: coreness 1 each
    k4 = frame([(a, b) for i, a in enumerate("abcd") for b in "abcd"[i + 1:]], weight=0.25)
    assert network.coreness(k4)["coreness"].tolist() == pytest.approx([1.0] * 4)
    # star: the hub is the core
    star = frame([("hub", x) for x in "abcde"])
    cs = dict(network.coreness(star).itertuples(index=False))
    assert cs["hub"] == 1.0 and all(cs[x] < 0.5 for x in "abcde")


def test_coreness_is_the_minres_fit():
    """At the result the gradient of sum_{i != j} (w_ij - c_i c_j)^2 vanishes."""
    g = nx.gnm_random_graph(15, 50, seed=1)
    rng = np.random.default_rng(1)
    e = pd.DataFrame([(f"v{a:02d}", f"v{b:02d}", float(rng.uniform(0.1, 1))) for a, b in g.edges()],
                     columns=["source", "target", "weight"])
    res = network.coreness(e, iterations=20000, tol=1e-14)
    nodes = res["node"].tolist()
    w = np.zeros((len(nodes), len(nodes)))
    for a, b, x in e.itertuples(index=False):
        i, j = nodes.index(a), nodes.index(b)
        w[i, j] = w[j, i] = x
    # undo the max-scaling: c = s * coreness, with s fitted by least squares
    u = res["coreness"].to_numpy()
    off = ~np.eye(len(u), dtype=bool)
    s2 = (w[off] * np.outer(u, u)[off]).sum() / (np.outer(u, u)[off] ** 2).sum()
    c = np.sqrt(s2) * u
    grad = [((w[i] - c[i] * c) * c)[np.arange(len(c)) != i].sum() for i in range(len(c))]
    assert np.abs(grad).max() < 1e-6
