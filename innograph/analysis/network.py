"""Measures of a small weighted country network: centrality.py's measures, k-core and coreness.

`network_measures(store, edges, directed)` returns one row per node with centrality.py's
measures (networkit on the embedded store and on edge lists, GDS on a `Neo4jStore`), plus the
core-periphery measures computed here from the same cleaned edge list on every backend (country
networks have at most a few hundred nodes):

- core_number: the node's k-core number on the undirected, unweighted graph (the largest k such
  that the node is in a subgraph where every node has at least k neighbours);
- coreness: Borgatti and Everett's continuous core-periphery score on the undirected, weighted
  graph: the vector c >= 0 that minimises sum over i != j of (w_ij - c_i c_j)^2 (the "minres"
  fit of the weighted adjacency matrix without its diagonal), scaled so the largest is 1. In a
  complete graph with equal weights every node has coreness 1; in a star the hub has the most.
"""

from __future__ import annotations

from typing import Any, Iterable

import numpy as np
import pandas as pd

from innograph.analysis import centrality as c
from innograph.graph.store import is_neo4j

NETWORK_MEASURES = ("degree", "pagerank", "betweenness", "eigenvector", "closeness", "louvain")


def core_numbers(edges: pd.DataFrame) -> pd.DataFrame:
    """k-core number of every node of the undirected, unweighted graph (`node`, `core_number`)."""
    e = c.undirected_edges(edges)
    nodes = pd.Index(np.unique(np.concatenate([e["source"].to_numpy(), e["target"].to_numpy()])))
    n = len(nodes)
    adj = [set() for _ in range(n)]
    for a, b in zip(nodes.get_indexer(e["source"]), nodes.get_indexer(e["target"])):
        adj[a].add(b)
        adj[b].add(a)
    deg = np.array([len(s) for s in adj])
    core = np.zeros(n, dtype=np.int64)
    alive = np.ones(n, dtype=bool)
    k = 0
    # peeling: repeatedly remove a node of smallest remaining degree
    for _ in range(n):
        i = int(np.flatnonzero(alive)[np.argmin(deg[alive])])
        k = max(k, int(deg[i]))
        core[i] = k
        alive[i] = False
        for j in adj[i]:
            if alive[j]:
                deg[j] -= 1
    return pd.DataFrame({"node": nodes.to_numpy(dtype=object), "core_number": core})


def coreness(edges: pd.DataFrame, iterations: int = 1000, tol: float = 1e-12) -> pd.DataFrame:
    """Borgatti-Everett continuous coreness (`node`, `coreness` in [0, 1]); see the module docstring."""
    e = c.undirected_edges(edges)
    nodes = pd.Index(np.unique(np.concatenate([e["source"].to_numpy(), e["target"].to_numpy()])))
    n = len(nodes)
    if n == 0:
        return pd.DataFrame({"node": [], "coreness": []})
    w = np.zeros((n, n))
    ia, ib = nodes.get_indexer(e["source"]), nodes.get_indexer(e["target"])
    w[ia, ib] = e["weight"].to_numpy()
    w[ib, ia] = e["weight"].to_numpy()
    x = np.sqrt(w.sum(1) / max(n - 1, 1)) + 1e-9
    for _ in range(iterations):
        # the minimiser's fixed point: c_i = sum_{j != i} w_ij c_j / sum_{j != i} c_j^2
        denom = (x ** 2).sum() - x ** 2
        nxt = np.where(denom > 0, (w @ x) / np.where(denom > 0, denom, 1), 0.0)
        nxt = 0.5 * (x + nxt)  # damped: the plain iteration can oscillate
        if np.abs(nxt - x).max() < tol:
            x = nxt
            break
        x = nxt
    top = x.max()
    return pd.DataFrame({"node": nodes.to_numpy(dtype=object), "coreness": x / top if top > 0 else x})


def network_measures(store: Any, edges: pd.DataFrame, directed: bool, *,
                     measures: Iterable[str] = NETWORK_MEASURES, engine: str | None = None,
                     name: str = "edges", seed: int = 0) -> pd.DataFrame:
    """Centrality (centrality.py: networkit, or GDS on a Neo4jStore), k-core and coreness per node.

    `edges`: source, target, weight with node keys of `Country.code`. Returns `node`,
    `neighbours` (distinct neighbours, undirected), each measure, `core_number`, `coreness`;
    `attrs` carries engine and modularity.
    """
    measures = list(measures)
    e = c.clean_edges(edges, directed)
    engine = engine or ("gds" if is_neo4j(store) else "networkit")
    if e.empty:
        out = pd.DataFrame({"node": pd.Series([], dtype=object)})
        for col in ["neighbours", *measures, "core_number", "coreness"]:
            out[col] = pd.Series([], dtype=float)
        out.attrs.update({"engine": engine, "modularity": {}})
        return out
    if engine == "gds":
        out = c.gds_centrality(store, e, directed, measures, bind=("Country", "code"), name=name, seed=seed)
    else:
        out = c.centrality(e, directed=directed, measures=measures, seed=seed)
    u = c.undirected_edges(e)
    nb = pd.concat([u["source"], u["target"]]).value_counts()
    out.insert(1, "neighbours", out["node"].map(nb).fillna(0).astype(np.int64))
    out = out.merge(core_numbers(e), on="node", how="left").merge(coreness(e), on="node", how="left")
    out.attrs["engine"] = engine
    out.attrs["modularity"] = {m: c.modularity(e, out[["node", m]]) for m in measures if m in c.COMMUNITY_MEASURES}
    return out
