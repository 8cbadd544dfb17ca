"""Hypergraph novelty: planted synthetic structure (held-out AUC, unusual combinations score
higher), log-space stability for large hyperedges, and real records of ../shared/data (IPC codes of
the Google Patents export, KeyBERT keywords of a few real abstracts): finite novelty for every
document, the table function and the CLI."""

from __future__ import annotations

import json
import os

import numpy as np
import pandas as pd
import pytest

from innograph.cli import main
from innograph.errors import InnographError
from innograph.ingest.pipeline import ingest
from innograph.models.novelty import (HypergraphNovelty, build_hypergraph, edge_lists, heldout_auc,
                                      hypergraph_stats, hyperedge_table, ipc_nodes, novelty_scores,
                                      planted_hypergraph)

os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture(autouse=True)
def one_thread():
    import torch

    n = torch.get_num_threads()
    torch.set_num_threads(1)  # small tensors: threads only add overhead on the shared 2-core machine
    yield
    torch.set_num_threads(n)


@pytest.fixture(scope="module")
def planted():
    return planted_hypergraph(n_nodes=400, n_groups=6, n_edges=2500, seed=3)


@pytest.fixture(scope="module")
def fitted(planted):
    edges, _ = planted
    return HypergraphNovelty(dim=12, epochs=60, batch_size=256, seed=0).fit(edges)


def test_heldout_auc_on_planted_structure(planted):
    edges, _ = planted
    rep = heldout_auc(edges, HypergraphNovelty(dim=12, epochs=60, batch_size=256), test_frac=0.1, seed=1)
    assert rep.test_edges >= 200
    assert rep.auc >= 0.95 and rep.auc_novelty >= 0.95
    assert rep.auc_degree > 0.9  # popularity-matched negatives: only theta can tell them apart


def test_unusual_combinations_are_more_novel(planted, fitted):
    _, group = planted
    rng = np.random.default_rng(7)
    node_group = {n: group[n] for n in fitted.nodes_}
    by_group = {g: [n for n, gg in node_group.items() if gg == g] for g in set(node_group.values())}
    typical = [list(rng.choice(by_group[g], 5, replace=False)) for g in rng.integers(0, 6, 200)]
    unusual = [[rng.choice(by_group[g]) for g in rng.choice(6, 5, replace=False)] for _ in range(200)]
    t, u = fitted.score(typical), fitted.score(unusual)
    assert np.isfinite(t).all() and np.isfinite(u).all() and (t >= 0).all()
    assert np.median(u) > np.median(t) + 3  # nats
    assert (u > np.quantile(t, 0.9)).mean() > 0.9
    # theta rows are probability vectors, r positive
    assert np.allclose(fitted.theta_.sum(1), 1) and (fitted.r_ > 0).all()
    # the planted groups are recovered: a latent dimension holds the nodes of one group (a group
    # may spread over several of the 12 dimensions: homogeneity, not completeness)
    from sklearn.metrics import homogeneity_score

    main = fitted.theta_.argmax(1)
    assert homogeneity_score([node_group[n] for n in fitted.nodes_], main) > 0.9


def test_log_space_stability_for_large_hyperedges():
    """Hyperedges of 200-900 nodes: the product of their memberships underflows float64, the
    log-space sum does not, and agrees with 50-digit arithmetic."""
    mpmath = pytest.importorskip("mpmath")
    edges, _ = planted_hypergraph(n_nodes=1000, n_groups=2, n_edges=200, sizes=(200, 300), mixing=0.0, seed=1)
    model = HypergraphNovelty(dim=4, max_size=1000, epochs=15, batch_size=300).fit(edges)
    assert np.all(np.isfinite(model.loss_))
    rng = np.random.default_rng(0)
    mixed = [list(rng.choice(model.nodes_, 900, replace=False)) for _ in range(5)]  # both groups
    hyperedges = edges[:5] + mixed
    nov = model.score(hyperedges)
    assert np.isfinite(nov).all() and (nov > 0).all()
    assert np.isfinite(model.log_rate(edges[:5])).all()  # sizes seen in training
    assert np.isneginf(model.log_rate(mixed)).all()  # size 900 has no fitted rate constant
    rows = [[model.node_index_[n] for n in h] for h in hyperedges]
    with np.errstate(divide="ignore", under="ignore"):
        naive = np.array([-np.log(np.prod(model.theta_[r], axis=0).sum()) for r in rows])
    mpmath.mp.dps = 50
    exact = [float(-mpmath.log(mpmath.fsum(mpmath.fprod(mpmath.mpf(float(v)) for v in model.theta_[r, d])
                                           for d in range(model.dim)))) for r in rows]
    assert nov == pytest.approx(exact, rel=1e-9)
    assert (nov[5:] > 745).all() and np.isinf(naive[5:]).all()  # below float64's smallest: 0 -> inf
    assert nov[5:].min() > nov[:5].max()  # mixing the two planted groups is the novel combination


def test_score_details(fitted):
    # unknown nodes are ignored; fewer than 2 known nodes -> 0
    known = list(fitted.nodes_[:3])
    s = fitted.score([known, known + ["never-seen"], known[:1], ["never-seen", "nor-this"]])
    assert s[0] == pytest.approx(s[1]) and s[2] == 0 and s[3] == 0
    # order and duplicates do not matter
    assert fitted.score([known[::-1] + known[:1]])[0] == pytest.approx(s[0])
    with pytest.raises(InnographError, match="not fitted"):
        HypergraphNovelty().score([known])
    with pytest.raises(InnographError, match="salience"):
        HypergraphNovelty(salience="pagerank")


@pytest.fixture(scope="module")
def real_patents(shared_data, tmp_path_factory) -> pd.DataFrame:
    """The 4,484 reverse-osmosis patents of the Google Patents Public Data export, with IPC codes."""
    out = tmp_path_factory.mktemp("nov-ingest")
    ingest([shared_data / "patents" / "google_patents_public_ro_membrane.csv"], out, progress=False)
    return pd.read_parquet(out / "documents.parquet", columns=["id", "kind", "title", "abstract", "ipc"])


def test_real_ipc_hypergraph(real_patents):
    edges = ipc_nodes(real_patents, "group")
    hg = build_hypergraph(edges)
    stats = hypergraph_stats(hg)
    with_codes = real_patents[real_patents["ipc"].map(len) > 0]
    assert stats["edges"] == edges["id"].nunique() == len(with_codes)
    assert stats["incidences"] == len(edges)
    assert stats["nodes"] == edges["node"].nunique()
    docs, lists = edge_lists(edges)
    rep = heldout_auc(lists, HypergraphNovelty(dim=8, epochs=40, batch_size=512), seed=0)
    assert rep.test_edges > 100 and rep.auc >= 0.9  # real IPC combinations are far from random


def test_novelty_scores_on_real_keywords(real_patents, tmp_path):
    """KeyBERT keywords of 24 real abstracts plus their IPC groups: every document gets a finite
    score, and the CLI writes the same table and prints the AUC."""
    from innograph.models.keywords import KeywordExtractor, extract_keywords

    docs = real_patents[real_patents["abstract"].notna() & (real_patents["ipc"].map(len) > 0)]
    docs = docs.assign(n=docs["abstract"].str.len()).sort_values(["n", "id"]).head(24).drop(columns="n")
    kw = extract_keywords(docs, KeywordExtractor(top_k=6))
    table = novelty_scores(kw, HypergraphNovelty(dim=4, max_size=12, epochs=30, batch_size=64),
                           documents=docs, ipc_level="subclass")
    assert list(table.columns) == ["id", "kind", "novelty", "size"]
    assert set(table["id"]) == set(docs["id"]) and table["id"].is_unique
    assert np.isfinite(table["novelty"]).all() and (table["novelty"] >= 0).all()
    assert (table["size"] <= 12).all() and (table.loc[table["size"] < 2, "novelty"] == 0).all()
    assert (table["size"] >= 2).sum() > 12  # shared keywords and IPC subclasses link most documents

    kw_file, docs_file, out = tmp_path / "kw.parquet", tmp_path / "docs.parquet", tmp_path / "nov.parquet"
    kw.to_parquet(kw_file)
    docs.to_parquet(docs_file)
    main(["novelty", "--keywords", str(kw_file), "--out", str(out), "--documents", str(docs_file),
          "--ipc-level", "subclass", "--dim", "4", "--max-size", "12", "--epochs", "30", "--batch-size", "64",
          "--test-frac", "0.25", "--json"])
    got = pd.read_parquet(out)
    assert got.equals(table)  # same seed, same fit


def test_hyperedge_table_caps_by_rank():
    kw = pd.DataFrame({"id": ["a"] * 4 + ["b"] * 2, "kind": "paper", "keyword": ["w", "x", "y", "x", "p", "q"],
                       "rank": [4, 1, 2, 3, 2, 1]})
    e = hyperedge_table(kw, "keyword", max_size=2)
    assert e.groupby("id")["node"].apply(list).to_dict() == {"a": ["x", "y"], "b": ["q", "p"]}
    with pytest.raises(InnographError, match="keyword"):
        hyperedge_table(kw.drop(columns="keyword"))
