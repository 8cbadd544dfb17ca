"""Hypergraph novelty of documents (the paper's section 2.3, after Shi & Evans 2023).

Each document is a hyperedge over its keywords (optionally also its IPC codes, as nodes
`IPC:G06N`). The hypergraph is built with `hypernetx` (structure and statistics:
`build_hypergraph`, `hypergraph_stats`); the model is fitted in torch.

Model. Node i has a nonnegative membership theta_i over d latent dimensions (a probability
vector: sum_d theta_{i,d} = 1) and a salience r_i > 0. A hyperedge h (a set of nodes) occurs
X_h ~ Poisson(lambda_h) times, with

    lambda_h = c_|h| * sum_d prod_{i in h} theta_{i,d} * prod_{i in h} r_i

and Novelty(h) = -log sum_d prod_{i in h} theta_{i,d}, computed in log space (a logsumexp over
d of sums of log theta), so it stays finite for any size. It is the surprise of the combination
once the popularity of its elements (r) is factored out: -log of the probability that all its
elements, each drawing one latent dimension from its theta, draw the same one. Higher = a rarer
combination. A single element has novelty 0; the novelty of a hyperedge grows with its size, so
compare documents of equal size, or cap sizes (below).

Fitting (maximum likelihood, torch, Adam, on CPU or GPU). The parameters are a_{i,d} = log
(theta_{i,d} r_i), so positivity needs no projection; theta and r are read off after the fit
(r_i = sum_d exp(a_{i,d}), theta = exp(a) / r). The Poisson likelihood runs over every possible
hyperedge: observed ones with their counts and all unobserved ones as zeros. The sum of lambda
over all hyperedges of size k is taken over node multisets (sampling with replacement), which
makes it closed-form: sum_d (sum_i w_{i,d})^k with w = exp(a); it differs from the sum over
k-subsets only by the terms with a repeated node, which are small unless a dimension
concentrates on a few nodes (the approximation of hypergraph stochastic block models). The
per-size constant c_k is profiled out (its maximum-likelihood value makes the expected number of
size-k hyperedges equal the observed one), so sizes are handled by per-size normalisation: the
fitted objective is the conditional likelihood of each hyperedge given its size,

    mean_h [ logsumexp_d sum_{i in h} a_{i,d} ] - sum_k (M_k / M) log sum_d exp(k logsumexp_i a_{i,d})

minus a small penalty alpha * mean (a_{i,d} - mean_d a_{i,d})^2 that keeps memberships soft
(memberships of rarely seen nodes would otherwise go to 0/1). Minibatches of hyperedges make it
scale (the normaliser term is exact in every step: it needs only the n x d parameters).

Size and sparsity: hyperedges are capped at `max_size` nodes (the first ones given: the top
keywords by rank; KeyBERT's top-k already caps them); nodes seen in fewer than `min_degree`
hyperedges are dropped before fitting (a keyword used once carries no information on which
combinations are usual); hyperedges left with fewer than 2 nodes are not fitted. Scoring uses the
known nodes of a hyperedge and ignores unknown ones (the `size` column of `novelty_scores` says
how many were used).

Validation (`heldout_auc`): fit on 90% of the hyperedges, then rank the held-out real hyperedges
(restricted to known nodes) against random hyperedges of the same sizes by log lambda_h; the
AUC is the probability that a real one ranks above a random one (Shi & Evans report 0.95).
"""

from __future__ import annotations

import math
import time
from collections.abc import Hashable, Sequence
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from innograph.errors import InnographError

NOVELTY_COLUMNS = ("id", "kind", "novelty", "size")


# ---------------------------------------------------------------------------------------------
# the hypergraph (hypernetx)


def hyperedge_table(doc_nodes: pd.DataFrame, node_col: str = "keyword", max_size: int | None = None) -> pd.DataFrame:
    """Long (id, kind, node) rows, in rank order, at most `max_size` nodes per document, no repeats."""
    missing = [c for c in ("id", node_col) if c not in doc_nodes.columns]
    if missing:
        raise InnographError(f"the keyword table lacks column(s) {', '.join(missing)}")
    df = doc_nodes
    if "rank" in df.columns:
        df = df.sort_values(["id", "rank"], kind="stable")
    df = df.dropna(subset=[node_col]).drop_duplicates(["id", node_col])
    if max_size is not None:
        df = df[df.groupby("id", sort=False).cumcount() < max_size]
    kind = df["kind"] if "kind" in df.columns else pd.Series("", index=df.index)
    return pd.DataFrame({"id": df["id"].to_numpy(), "kind": kind.to_numpy(), "node": df[node_col].to_numpy()})


def ipc_nodes(documents: pd.DataFrame, level: str = "subclass") -> pd.DataFrame:
    """(id, kind, node) rows `IPC:<code>` from the documents' `ipc` lists, cut to `level`
    ("section" G, "class" G06, "subclass" G06N, "group" G06N3, or "full" G06N3/08)."""
    cut = {"section": lambda c: c[:1], "class": lambda c: c[:3], "subclass": lambda c: c[:4],
           "group": lambda c: c.split("/")[0], "full": lambda c: c}
    if level not in cut:
        raise InnographError(f"ipc level must be one of {', '.join(cut)}, not {level!r}")
    df = documents[["id", "kind", "ipc"]].explode("ipc").dropna(subset=["ipc"])
    df = df.assign(node="IPC:" + df["ipc"].map(cut[level])).drop_duplicates(["id", "node"])
    return df[["id", "kind", "node"]].reset_index(drop=True)


def build_hypergraph(edges: pd.DataFrame):
    """A `hypernetx.Hypergraph` with one edge per document id over its nodes (table of
    `hyperedge_table`)."""
    import hypernetx as hnx

    return hnx.Hypergraph(edges[["id", "node"]].astype(str), edge_col="id", node_col="node")


def hypergraph_stats(hg) -> dict:
    """Node and edge counts, edge-size and node-degree distributions (hypernetx's statistics)."""
    from hypernetx.reports import descriptive_stats as ds

    sizes = np.asarray(ds.edge_size_dist(hg))
    degrees = np.asarray(ds.degree_dist(hg))
    return {"nodes": int(hg.shape[0]), "edges": int(hg.shape[1]), "incidences": int(sizes.sum()),
            "edge_size_mean": float(sizes.mean()) if len(sizes) else 0.0,
            "edge_size_max": int(sizes.max()) if len(sizes) else 0,
            "edge_sizes": {int(k): int(v) for k, v in zip(*np.unique(sizes, return_counts=True))},
            "node_degree_mean": float(degrees.mean()) if len(degrees) else 0.0,
            "node_degree_max": int(degrees.max()) if len(degrees) else 0,
            "nodes_degree_1": int((degrees == 1).sum())}


def hyperedges_of(hg) -> tuple[list[str], list[list[str]]]:
    """(edge names, node lists) of a hypernetx hypergraph, from its incidence matrix."""
    matrix, node_names, edge_names = hg.incidence_matrix(index=True)
    csc = matrix.tocsc()
    nodes = np.asarray(node_names, dtype=object)
    return list(edge_names), [list(nodes[csc.indices[csc.indptr[j]:csc.indptr[j + 1]]])
                              for j in range(csc.shape[1])]


# ---------------------------------------------------------------------------------------------
# the model


class HypergraphNovelty:
    """Poisson hypergraph model with latent memberships theta and saliences r (module docstring).

    Parameters
    ----------
    dim : latent dimensions d.
    max_size : nodes kept per hyperedge (the first ones: top keywords by rank).
    min_degree : nodes in fewer training hyperedges are ignored.
    alpha : L2 penalty on log-memberships around each node's mean (soft memberships).
    epochs : passes over the training hyperedges (100 suits thousands of documents; millions need
        only a few, each pass holding thousands of Adam steps).
    batch_size : hyperedges per Adam step.
    lr : Adam learning rate.
    device : torch device ("cpu", "cuda").
    salience : "fitted" (r by maximum likelihood, with theta) or "degree" (r_i fixed to the node's
        degree, the moment estimate; only theta is fitted: steadier memberships on small data).
    seed : random initialisation.

    Attributes after `fit`: nodes_ (n,), theta_ (n, d) rows summing to 1, r_ (n,) salience,
    log_c_ {size: log c_k}, degree_ (n,), loss_ (per-epoch objective), seconds_.
    """

    def __init__(self, dim: int = 32, max_size: int = 10, min_degree: int = 2, alpha: float = 0.01,
                 epochs: int = 100, batch_size: int = 1024, lr: float = 0.05, device: str = "cpu",
                 salience: str = "fitted", seed: int = 0):
        self.dim = dim
        self.salience = salience
        self.max_size = max_size
        self.min_degree = min_degree
        self.alpha = alpha
        self.epochs = epochs
        self.batch_size = batch_size
        self.lr = lr
        self.device = device
        self.seed = seed
        if salience not in ("degree", "fitted"):
            raise InnographError(f"salience must be 'degree' or 'fitted', not {salience!r}")
        if dim < 1 or max_size < 2 or min_degree < 1 or epochs < 1:
            raise InnographError("dim, min_degree and epochs must be >= 1 and max_size >= 2")

    def get_params(self) -> dict:
        return {k: getattr(self, k) for k in ("dim", "max_size", "min_degree", "alpha", "epochs",
                                              "batch_size", "lr", "salience", "seed")}

    # -- indexing ---------------------------------------------------------------------------
    def _index(self, hyperedges: Sequence[Sequence[Hashable]]) -> tuple[np.ndarray, np.ndarray]:
        """(m, max_size) node indices padded with 0, and the number of known nodes of each edge."""
        k = self.max_size
        idx = np.zeros((len(hyperedges), k), np.int64)
        sizes = np.zeros(len(hyperedges), np.int64)
        get = self.node_index_.get
        for j, h in enumerate(hyperedges):
            seen = []
            for node in h:
                i = get(node)
                if i is not None and i not in seen:
                    seen.append(i)
                    if len(seen) == k:
                        break
            idx[j, :len(seen)] = seen
            sizes[j] = len(seen)
        return idx, sizes

    # -- fitting ----------------------------------------------------------------------------
    def fit(self, hyperedges: Sequence[Sequence[Hashable]], y=None) -> HypergraphNovelty:
        """Fit theta and r to hyperedges (each a sequence of node names, in rank order)."""
        import torch

        started = time.perf_counter()
        capped = [list(dict.fromkeys(h))[: self.max_size] for h in hyperedges]
        counts: dict[Hashable, int] = {}
        for h in capped:
            for node in h:
                counts[node] = counts.get(node, 0) + 1
        nodes = [n for n, c in counts.items() if c >= self.min_degree]
        if len(nodes) < 2:
            raise InnographError(f"too few nodes seen in >= {self.min_degree} hyperedges to fit ({len(nodes)})")
        self.nodes_ = np.asarray(nodes, dtype=object)
        self.node_index_ = {n: i for i, n in enumerate(nodes)}
        self.degree_ = np.asarray([counts[n] for n in nodes])
        idx, sizes = self._index(capped)
        keep = sizes >= 2
        idx, sizes = idx[keep], sizes[keep]
        if len(idx) == 0:
            raise InnographError("no hyperedge has two known nodes: nothing to fit")
        self.n_edges_fitted_ = int(len(idx))
        ks, mk = np.unique(sizes, return_counts=True)

        g = torch.Generator().manual_seed(self.seed)
        dev = torch.device(self.device)
        n, d = len(nodes), self.dim
        # start: log-degree salience spread evenly over dimensions, plus noise to break symmetry
        init = (torch.log(torch.as_tensor(self.degree_, dtype=torch.float64))[:, None] - math.log(d)
                + 0.5 * torch.randn(n, d, generator=g, dtype=torch.float64))
        log_deg = torch.log(torch.as_tensor(self.degree_, dtype=torch.float64, device=dev))[:, None]
        b = init.to(dev).requires_grad_(True)

        def params(b):  # a = log w = log theta + log r
            return torch.log_softmax(b, dim=1) + log_deg if self.salience == "degree" else b
        idx_t = torch.as_tensor(idx, device=dev)
        mask_t = (torch.arange(self.max_size)[None, :] < torch.as_tensor(sizes)[:, None]).to(dev, torch.float64)
        ks_t = torch.as_tensor(ks, dtype=torch.float64, device=dev)
        wk_t = torch.as_tensor(mk / mk.sum(), dtype=torch.float64, device=dev)
        opt = torch.optim.Adam([b], lr=self.lr)
        m = len(idx)
        self.loss_ = []
        for _ in range(self.epochs):
            perm = torch.randperm(m, generator=g).to(dev)
            total = 0.0
            for s in range(0, m, self.batch_size):
                batch = perm[s:s + self.batch_size]
                loss = -self._objective(params(b), idx_t[batch], mask_t[batch], ks_t, wk_t)
                opt.zero_grad()
                loss.backward()
                opt.step()
                total += float(loss.detach()) * len(batch)
            self.loss_.append(total / m)
        a = params(b).detach().cpu()
        log_r = torch.logsumexp(a, dim=1)
        self.log_theta_ = (a - log_r[:, None]).numpy()
        self.log_r_ = log_r.numpy()
        # profiled per-size constant: expected count of size-k hyperedges = observed count
        log_s = torch.logsumexp(a, dim=0)
        self.log_c_ = {int(k): float(math.log(c) - torch.logsumexp(k * log_s, dim=0))
                       for k, c in zip(ks, mk)}
        self.seconds_ = time.perf_counter() - started
        return self

    def _objective(self, a, idx, mask, ks, wk):
        import torch

        obs = torch.logsumexp((a[idx] * mask[..., None]).sum(1), dim=1)  # (B,) log sum_d prod w
        log_s = torch.logsumexp(a, dim=0)  # (d,) log sum_i w_{i,d}
        norm = torch.logsumexp(ks[:, None] * log_s[None, :], dim=1)  # (sizes,)
        centred = a - a.mean(dim=1, keepdim=True)
        return obs.mean() - (wk * norm).sum() - self.alpha * (centred ** 2).mean()

    @property
    def theta_(self) -> np.ndarray:
        return np.exp(self.log_theta_)

    @property
    def r_(self) -> np.ndarray:
        return np.exp(self.log_r_)

    # -- scoring ----------------------------------------------------------------------------
    def _check_fitted(self) -> None:
        if not hasattr(self, "log_theta_"):
            raise InnographError("the novelty model is not fitted: call fit first")

    def _sums(self, hyperedges, table: np.ndarray, chunk: int = 65536) -> tuple[np.ndarray, np.ndarray]:
        """logsumexp_d sum_{i in h} table[i, d] for each hyperedge (0 for < 2 known nodes)."""
        from scipy.special import logsumexp

        idx, sizes = self._index(hyperedges)
        out = np.zeros(len(idx))
        ar = np.arange(self.max_size)
        for s in range(0, len(idx), chunk):
            sub, sz = idx[s:s + chunk], sizes[s:s + chunk]
            mask = (ar[None, :] < sz[:, None])[..., None]
            out[s:s + chunk] = logsumexp(np.where(mask, table[sub], 0.0).sum(1), axis=1)
        return out, sizes

    def score(self, hyperedges: Sequence[Sequence[Hashable]]) -> np.ndarray:
        """Novelty(h) = -log sum_d prod_{i in h} theta_{i,d} over the known nodes of each hyperedge;
        (m,) floats >= 0, 0 for hyperedges with fewer than 2 known nodes."""
        self._check_fitted()
        lse, sizes = self._sums(hyperedges, self.log_theta_)
        return np.where(sizes >= 2, -lse, 0.0)

    def log_rate(self, hyperedges: Sequence[Sequence[Hashable]]) -> np.ndarray:
        """log lambda_h (the expected count of the hyperedge) over its known nodes; -inf for sizes
        < 2 or sizes not seen in training."""
        self._check_fitted()
        a = self.log_theta_ + self.log_r_[:, None]
        lse, sizes = self._sums(hyperedges, a)
        log_c = np.array([self.log_c_.get(int(k), -np.inf) for k in sizes])
        return np.where(sizes >= 2, lse + log_c, -np.inf)


# ---------------------------------------------------------------------------------------------
# validation


def random_hyperedges(sizes: np.ndarray, n_nodes: int, rng: np.random.Generator,
                      weights: np.ndarray | None = None) -> list[np.ndarray]:
    """Random node sets of the given sizes (distinct nodes), uniform or weighted by `weights`."""
    p = None if weights is None else weights / weights.sum()
    return [rng.choice(n_nodes, size=int(k), replace=False, p=p) for k in sizes]


@dataclass
class AucReport:
    auc: float  # held-out real vs uniformly random hyperedges of the same sizes, by log lambda
    # (all AUCs are computed within each size and averaged with the real hyperedges' size counts)
    auc_degree: float  # negatives drawn in proportion to node degree (popularity-matched)
    auc_novelty: float  # by -novelty alone (theta only), uniform negatives
    test_edges: int  # held-out hyperedges with >= 2 known nodes
    train_edges: int
    nodes: int
    seconds: float

    def to_dict(self) -> dict:
        return asdict(self)


def heldout_auc(hyperedges: Sequence[Sequence[Hashable]], model: HypergraphNovelty | None = None,
                test_frac: float = 0.1, seed: int = 0) -> AucReport:
    """Fit on a random (1 - test_frac) of the hyperedges and rank the held-out ones against random
    hyperedges of the same sizes (see the module docstring)."""
    from sklearn.metrics import roc_auc_score

    started = time.perf_counter()
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(hyperedges))
    n_test = max(1, int(round(test_frac * len(hyperedges))))
    test = [hyperedges[i] for i in order[:n_test]]
    train = [hyperedges[i] for i in order[n_test:]]
    model = model if model is not None else HypergraphNovelty()
    model.fit(train)
    idx, sizes = model._index(test)
    real = [list(model.nodes_[row[:k]]) for row, k in zip(idx, sizes) if k >= 2]
    if not real:
        raise InnographError("no held-out hyperedge has two nodes known from training")
    real_sizes = np.array([len(h) for h in real])
    n = len(model.nodes_)
    uniform = [list(model.nodes_[h]) for h in random_hyperedges(real_sizes, n, rng)]
    by_degree = [list(model.nodes_[h]) for h in random_hyperedges(real_sizes, n, rng, model.degree_.astype(float))]
    def auc(pos, neg) -> float:
        """ROC AUC within each size (real vs random of that size), weighted by the real count:
        pooling sizes would rank across sizes, where log lambda differs by log c_k."""
        total = 0.0
        for k in np.unique(real_sizes):
            at = real_sizes == k
            y = np.r_[np.ones(at.sum()), np.zeros(at.sum())]
            total += at.sum() * roc_auc_score(y, np.r_[pos[at], neg[at]])
        return float(total / len(real_sizes))

    return AucReport(auc=auc(model.log_rate(real), model.log_rate(uniform)),
                     auc_degree=auc(model.log_rate(real), model.log_rate(by_degree)),
                     auc_novelty=auc(-model.score(real), -model.score(uniform)),
                     test_edges=len(real), train_edges=len(train), nodes=n,
                     seconds=round(time.perf_counter() - started, 3))


def planted_hypergraph(n_nodes: int = 600, n_groups: int = 8, n_edges: int = 4000, sizes: tuple[int, int] = (3, 8),
                       mixing: float = 0.05, seed: int = 0) -> tuple[list[list[int]], np.ndarray]:
    """Synthetic hyperedges with planted structure: nodes belong to groups and have Zipf-like
    popularity; a hyperedge picks a group, then its nodes from that group by popularity (each node,
    with probability `mixing`, from anywhere instead). Returns (hyperedges, group of each node)."""
    rng = np.random.default_rng(seed)
    group = rng.integers(0, n_groups, n_nodes)
    pop = 1.0 / (1.0 + rng.permutation(n_nodes)) ** 0.7
    members = [np.flatnonzero(group == g) for g in range(n_groups)]
    if sizes[1] > min(len(m) for m in members):
        raise InnographError(f"hyperedges of {sizes[1]} nodes do not fit in groups of {min(map(len, members))}")
    edges = []
    for _ in range(n_edges):
        k = int(rng.integers(sizes[0], sizes[1] + 1))
        g = members[int(rng.integers(n_groups))]
        foreign = int(rng.binomial(k, mixing))
        inside = rng.choice(g, size=k - foreign, replace=False, p=pop[g] / pop[g].sum())
        others = np.setdiff1d(np.arange(n_nodes), inside)
        outside = rng.choice(others, size=foreign, replace=False, p=pop[others] / pop[others].sum())
        edges.append([int(i) for i in np.r_[inside, outside]])
    return edges, group


# ---------------------------------------------------------------------------------------------
# the table function


def edge_lists(edges: pd.DataFrame) -> tuple[pd.DataFrame, list[list[str]]]:
    """(one row per document: id, kind) and its node list, in the order of first appearance."""
    codes, uniques = pd.factorize(edges["id"], sort=False)
    order = np.argsort(codes, kind="stable")
    nodes = edges["node"].to_numpy(object)[order]
    bounds = np.r_[0, np.cumsum(np.bincount(codes, minlength=len(uniques)))]
    lists = [list(nodes[bounds[j]:bounds[j + 1]]) for j in range(len(uniques))]
    first = edges.drop_duplicates("id")[["id", "kind"]].reset_index(drop=True)  # factorize's order
    return first, lists


def novelty_scores(doc_keywords: pd.DataFrame, model: HypergraphNovelty | None = None, *,
                   documents: pd.DataFrame | None = None, ipc_level: str | None = None,
                   **params) -> pd.DataFrame:
    """Novelty of every document of a keyword table (id, kind, keyword[, rank]).

    Fits `model` (or `HypergraphNovelty(**params)`) on all documents' hyperedges and returns one
    row per document: id, kind, novelty, size (nodes used). With `documents` (a table with id,
    kind, ipc lists) and `ipc_level`, IPC codes join the keywords as nodes `IPC:<code>`.
    """
    model = model or HypergraphNovelty(**params)
    edges = hyperedge_table(doc_keywords, "keyword", model.max_size)
    if documents is not None and ipc_level:
        edges = pd.concat([edges, ipc_nodes(documents, ipc_level)], ignore_index=True)
    if edges.empty:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in
                             zip(NOVELTY_COLUMNS, ("object", "object", "float64", "int64"))})
    docs, lists = edge_lists(edges)
    model.fit(lists)
    _, sizes = model._index(lists)
    return pd.DataFrame({"id": docs["id"], "kind": docs["kind"], "novelty": model.score(lists),
                         "size": sizes.astype(np.int64)})
