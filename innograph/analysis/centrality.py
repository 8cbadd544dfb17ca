"""Centrality and communities of a weighted network, meaning the same on both backends.

The input is an edge list (a DataFrame with `source`, `target`, `weight`) or a graph store plus
a `Projection` (Cypher that yields `source`, `target` nodes and a `weight`; see `PROJECTIONS`).
On the embedded store and for edge lists the measures are computed with networkit; on a
`Neo4jStore` with Neo4j Graph Data Science (GDS) through the `graphdatascience` client. Either
way one call to `centrality()` returns the same DataFrame: one row per node, a `node` column and
one column per measure, plus `attrs` (engine, projection, directed, modularity per community
measure).

What each measure means (both engines; checked against networkx and the GDS manual's examples in
tests/analysis/test_centrality.py):

- degree: weighted degree (strength): the sum of edge weights; out-going edges when directed.
- in_degree: weighted in-degree (directed graphs; the same as degree when undirected).
- pagerank: weighted PageRank, damping 0.85, GDS's recursion (no teleport from sink nodes),
  iterated to convergence and divided by its sum (so the scores sum to 1).
- betweenness: shortest paths by hop count (weights ignored), not normalised; in undirected
  graphs each pair of nodes counts once.
- eigenvector: on the undirected, unweighted graph, L2-normalised.
- closeness: on the undirected graph, hop distances, Wasserman-Faust (defined for disconnected
  graphs).
- louvain, leiden: community ids on the undirected, weighted graph (ids are arbitrary labels);
  `attrs["modularity"][measure]` is the partition's modularity, computed here from the edge
  list for both engines.

The edge list is cleaned the same way for both engines (`clean_edges`): self-loops dropped,
parallel edges combined (summed by default), undirected pairs merged regardless of order,
nodes without edges left out. Only those are the graph the measures see.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any, Iterable

import numpy as np
import pandas as pd

from innograph.errors import InnographError
from innograph.graph.store import is_neo4j

MEASURES = ("degree", "in_degree", "pagerank", "betweenness", "eigenvector", "closeness", "louvain", "leiden")
DEFAULT_MEASURES = ("degree", "pagerank", "betweenness", "eigenvector", "closeness", "louvain")
COMMUNITY_MEASURES = ("louvain", "leiden")
ENGINES = ("networkit", "gds")

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


# ---------------------------------------------------------------------------------------------
# projections: Cypher that turns the graph into a weighted edge list


@dataclass(frozen=True)
class Projection:
    """A weighted network between nodes of one label, defined by Cypher.

    match: Cypher clauses ending in `WITH source, target, <expression> AS weight`, where
        `source` and `target` are nodes of `label`. It must run on both engines (the subset of
        ARCHITECTURE.md). Self-loops and repeated pairs are fine (see `clean_edges`).
    directed: whether the edges have a direction.
    label, key: the node label and its key property (the `node` column of the results).
    """

    name: str
    match: str
    directed: bool
    label: str = "Country"
    key: str = "code"
    description: str = ""

    def __post_init__(self) -> None:
        for value in (self.label, self.key):
            if not _IDENT.fullmatch(value):
                raise InnographError(f"Projection {self.name}: {value!r} is not a plain label or property name.")

    def edge_query(self) -> str:
        """The Cypher for the edge list (runs on the embedded store and on Neo4j)."""
        return (f"{self.match.strip()}\n"
                f"RETURN source.{self.key} AS source, target.{self.key} AS target, weight")


PROJECTIONS: dict[str, Projection] = {
    p.name: p for p in (
        Projection(
            "transfer",
            "MATCH (source:Country)<-[:FROM_COUNTRY]-(:Paper)-[:SIMILAR_TO]->(:Patent)-[:FROM_COUNTRY]->(target:Country)\n"
            "WITH source, target, count(*) AS weight",
            directed=True,
            description="knowledge transfer: paper country -> patent country, weight = SIMILAR_TO pairs",
        ),
        Projection(
            "transfers_to",
            "MATCH (source:Country)-[r:TRANSFERS_TO]->(target:Country)\nWITH source, target, r.pairs AS weight",
            directed=True,
            description="the derived TRANSFERS_TO relationships, weight = pairs",
        ),
        Projection(
            "competes_with",
            "MATCH (source:Country)-[r:COMPETES_WITH]->(target:Country)\nWITH source, target, r.weight AS weight",
            directed=False,
            description="the derived COMPETES_WITH relationships, weight = competition coefficient",
        ),
    )
}


def get_projection(projection: Projection | str) -> Projection:
    if isinstance(projection, Projection):
        return projection
    try:
        return PROJECTIONS[projection]
    except KeyError:
        raise InnographError(f"Unknown projection {projection!r}; the projections are: "
                             f"{', '.join(PROJECTIONS)} (or pass a Projection).") from None


def edges_from_store(store: Any, projection: Projection | str) -> pd.DataFrame:
    """The projection's edge list from any GraphStore (embedded or Neo4j), cleaned."""
    p = get_projection(projection)
    df = store.execute(p.edge_query())
    if df.empty:
        df = pd.DataFrame({"source": [], "target": [], "weight": []})
    return clean_edges(df, directed=p.directed)


# ---------------------------------------------------------------------------------------------
# edge lists


def clean_edges(edges: pd.DataFrame, directed: bool, combine: str = "sum") -> pd.DataFrame:
    """`source`, `target` (strings), `weight` (float > 0): the graph every engine sees.

    Self-loops are dropped; repeated (source, target) pairs are combined with `combine` (sum,
    max or mean); when undirected, (a, b) and (b, a) are the same pair, written with a < b.
    A missing `weight` column means weight 1. Negative or missing weights are errors; zero
    weights are dropped.
    """
    missing = {"source", "target"} - set(edges.columns)
    if missing:
        raise InnographError(f"The edge list needs the columns source, target (and weight); missing: {', '.join(sorted(missing))}.")
    if combine not in ("sum", "max", "mean"):
        raise InnographError(f"combine must be sum, max or mean, not {combine!r}.")
    df = pd.DataFrame({
        "source": edges["source"].astype(str).to_numpy(),
        "target": edges["target"].astype(str).to_numpy(),
        "weight": pd.to_numeric(edges["weight"], errors="coerce").to_numpy(dtype=float)
        if "weight" in edges.columns else np.ones(len(edges)),
    })
    if df["weight"].isna().any() or (df["weight"] < 0).any():
        raise InnographError("Edge weights must be numbers >= 0; the edge list has missing or negative weights.")
    df = df[(df["source"] != df["target"]) & (df["weight"] > 0)]
    if not directed:
        a, b = df["source"].to_numpy(), df["target"].to_numpy()
        swap = a > b
        df = df.assign(source=np.where(swap, b, a), target=np.where(swap, a, b))
    df = df.groupby(["source", "target"], as_index=False, sort=True)["weight"].agg(combine)
    return df.reset_index(drop=True)


def undirected_edges(edges: pd.DataFrame) -> pd.DataFrame:
    """The undirected version of a directed edge list: weights of a->b and b->a summed."""
    return clean_edges(edges, directed=False, combine="sum")


def _nodes(edges: pd.DataFrame) -> pd.Index:
    return pd.Index(np.unique(np.concatenate([edges["source"].to_numpy(), edges["target"].to_numpy()])))


def _nk_graph(edges: pd.DataFrame, directed: bool, weighted: bool = True, nodes: pd.Index | None = None):
    import networkit as nk

    nodes = _nodes(edges) if nodes is None else nodes
    src = nodes.get_indexer(edges["source"]).astype(np.uint64)
    dst = nodes.get_indexer(edges["target"]).astype(np.uint64)
    w = edges["weight"].to_numpy(dtype=float) if weighted else np.ones(len(edges))
    graph = nk.GraphFromCoo((w, (src, dst)), n=len(nodes), directed=directed, weighted=weighted)
    return graph, nodes


def _frame(nodes: pd.Index, name: str, values) -> pd.DataFrame:
    return pd.DataFrame({"node": nodes.to_numpy(dtype=object), name: np.asarray(values)})


# ---------------------------------------------------------------------------------------------
# the measures with networkit (plain functions over edge lists)


def degree(edges: pd.DataFrame, directed: bool = False, direction: str = "out") -> pd.DataFrame:
    """Weighted degree (strength) per node; `direction` in/out for directed graphs."""
    e = clean_edges(edges, directed)
    graph, nodes = _nk_graph(e, directed)
    fn = graph.weightedDegreeIn if (directed and direction == "in") else graph.weightedDegree
    return _frame(nodes, "in_degree" if direction == "in" else "degree", [fn(i) for i in range(len(nodes))])


def pagerank(edges: pd.DataFrame, directed: bool = True, damping: float = 0.85, tol: float = 1e-12,
             max_iterations: int = 1000) -> pd.DataFrame:
    """Weighted PageRank with GDS's recursion (no sink handling), scaled to sum 1."""
    import networkit as nk

    e = clean_edges(edges, directed)
    graph, nodes = _nk_graph(e, directed)
    if len(nodes) == 0:
        return _frame(nodes, "pagerank", [])
    pr = nk.centrality.PageRank(graph, damp=damping, tol=tol, normalized=False,
                                distributeSinks=nk.centrality.SinkHandling.NO_SINK_HANDLING)
    pr.maxIterations = max_iterations
    pr.run()
    scores = np.asarray(pr.scores(), dtype=float)
    return _frame(nodes, "pagerank", scores / scores.sum())


def betweenness(edges: pd.DataFrame, directed: bool = False) -> pd.DataFrame:
    """Betweenness by hop-count shortest paths, not normalised; undirected pairs count once."""
    import networkit as nk

    e = clean_edges(edges, directed)
    graph, nodes = _nk_graph(e, directed, weighted=False)
    if len(nodes) == 0:
        return _frame(nodes, "betweenness", [])
    bc = nk.centrality.Betweenness(graph, normalized=False)
    bc.run()
    scores = np.asarray(bc.scores(), dtype=float)
    return _frame(nodes, "betweenness", scores if directed else scores / 2.0)


def eigenvector(edges: pd.DataFrame) -> pd.DataFrame:
    """Eigenvector centrality of the undirected, unweighted graph: the leading eigenvector of the
    adjacency matrix, L2-normalised, non-negative.

    Computed with a symmetric eigensolver, not power iteration: on a bipartite graph (a path, a
    star) plain power iteration oscillates between two vectors (networkit's returned (1, 2, 1)/sqrt 6
    for the path a-b-c instead of (1/2, 1/sqrt 2, 1/2)), while GDS and networkx converge to A's
    leading eigenvector.
    """
    import scipy.sparse as sp
    import scipy.sparse.linalg as spla

    e = undirected_edges(edges)
    nodes = _nodes(e)
    n = len(nodes)
    if n == 0:
        return _frame(nodes, "eigenvector", [])
    i = nodes.get_indexer(e["source"])
    j = nodes.get_indexer(e["target"])
    off = i != j  # a self-loop adds 1 to the diagonal, as in networkx and GDS's undirected projection
    rows = np.concatenate([i[off], j[off], i[~off]])
    cols = np.concatenate([j[off], i[off], i[~off]])
    adj = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    adj.data[:] = 1.0  # unweighted: duplicate entries count once
    if n <= 64:
        values, vectors = np.linalg.eigh(adj.toarray())
        vec = vectors[:, np.argmax(values)]
    else:
        _, vectors = spla.eigsh(adj, k=1, which="LA", tol=1e-12, v0=np.ones(n))
        vec = vectors[:, 0]
    scores = np.abs(vec)
    norm = np.linalg.norm(scores)
    return _frame(nodes, "eigenvector", scores / norm if norm else scores)


def closeness(edges: pd.DataFrame) -> pd.DataFrame:
    """Closeness of the undirected graph by hop distances, Wasserman-Faust variant."""
    import networkit as nk

    e = undirected_edges(edges)
    graph, nodes = _nk_graph(e, directed=False, weighted=False)
    if len(nodes) == 0:
        return _frame(nodes, "closeness", [])
    cc = nk.centrality.Closeness(graph, True, nk.centrality.ClosenessVariant.GENERALIZED)
    cc.run()
    return _frame(nodes, "closeness", cc.scores())


def _communities(edges: pd.DataFrame, method: str, seed: int) -> pd.DataFrame:
    import networkit as nk

    e = undirected_edges(edges)
    graph, nodes = _nk_graph(e, directed=False)
    if len(nodes) == 0:
        return _frame(nodes, method, np.zeros(0, dtype=np.int64))
    nk.engineering.setSeed(seed, False)
    algo = nk.community.PLM(graph, refine=False) if method == "louvain" else nk.community.ParallelLeiden(graph)
    algo.run()
    part = algo.getPartition()
    raw = np.asarray([part.subsetOf(i) for i in range(len(nodes))])
    # Number the communities by first appearance in node order (stable, comparable labels).
    _, first, inverse = np.unique(raw, return_index=True, return_inverse=True)
    order = np.argsort(np.argsort(first))
    return _frame(nodes, method, order[inverse].astype(np.int64))


def louvain(edges: pd.DataFrame, seed: int = 0) -> pd.DataFrame:
    """Louvain communities (networkit PLM) of the undirected, weighted graph."""
    return _communities(edges, "louvain", seed)


def leiden(edges: pd.DataFrame, seed: int = 0) -> pd.DataFrame:
    """Leiden communities (networkit ParallelLeiden) of the undirected, weighted graph."""
    return _communities(edges, "leiden", seed)


def modularity(edges: pd.DataFrame, communities: pd.DataFrame | pd.Series | dict, gamma: float = 1.0) -> float:
    """Newman modularity of a partition of the undirected, weighted graph.

    `communities`: node -> community, as a dict, a Series indexed by node, or a DataFrame with
    `node` and one more column.
    """
    if isinstance(communities, pd.DataFrame):
        col = [c for c in communities.columns if c != "node"][0]
        communities = dict(zip(communities["node"], communities[col]))
    elif isinstance(communities, pd.Series):
        communities = communities.to_dict()
    e = undirected_edges(edges)
    if e.empty:
        return 0.0
    m = e["weight"].sum()
    strength = pd.concat([e.groupby("source")["weight"].sum(), e.groupby("target")["weight"].sum()]).groupby(level=0).sum()
    cs = e["source"].map(communities)
    ct = e["target"].map(communities)
    if cs.isna().any() or ct.isna().any():
        raise InnographError("The partition does not assign every node of the edge list to a community.")
    inside = e.loc[cs.to_numpy() == ct.to_numpy(), "weight"].sum()
    comm_strength = strength.groupby(strength.index.map(communities)).sum()
    return float(inside / m - gamma * ((comm_strength / (2 * m)) ** 2).sum())


_NETWORKIT = {
    "degree": lambda e, d, kw: degree(e, d),
    "in_degree": lambda e, d, kw: degree(e, d, direction="in") if d else degree(e, d).rename(columns={"degree": "in_degree"}),
    "pagerank": lambda e, d, kw: pagerank(e, d, damping=kw["damping"]),
    "betweenness": lambda e, d, kw: betweenness(e, d),
    "eigenvector": lambda e, d, kw: eigenvector(e),
    "closeness": lambda e, d, kw: closeness(e),
    "louvain": lambda e, d, kw: louvain(e, seed=kw["seed"]),
    "leiden": lambda e, d, kw: leiden(e, seed=kw["seed"]),
}


# ---------------------------------------------------------------------------------------------
# one call for both backends


def centrality(source: Any, projection: Projection | str | None = None, *, directed: bool | None = None,
               measures: Iterable[str] = DEFAULT_MEASURES, engine: str | None = None, write: bool = False,
               write_prefix: str = "", damping: float = 0.85, seed: int = 0) -> pd.DataFrame:
    """Centrality and community measures, one row per node.

    source: an edge list (DataFrame with source, target, weight; give `directed`), or a graph
        store with a `projection` (a name of `PROJECTIONS` or a `Projection`).
    engine: "networkit" (default for edge lists and the embedded store) or "gds" (default for a
        Neo4jStore: GDS on the server; `write=True` then also writes each measure as the node
        property `write_prefix + measure` with GDS's write mode).
    """
    measures = _check_measures(measures)
    is_frame = isinstance(source, pd.DataFrame)
    if is_frame:
        if directed is None:
            raise InnographError("Say whether the edge list is directed (directed=True or False).")
        edges, name, bind = clean_edges(source, directed), "edges", None
    else:
        if projection is None:
            raise InnographError(f"Name a projection ({', '.join(PROJECTIONS)}) or pass a Projection.")
        p = get_projection(projection)
        directed = p.directed if directed is None else directed
        edges, name, bind = edges_from_store(source, p), p.name, (p.label, p.key)
    on_neo4j = is_neo4j(source)
    engine = engine or ("gds" if on_neo4j else "networkit")
    if engine not in ENGINES:
        raise InnographError(f"Unknown engine {engine!r}: choose networkit or gds.")
    if engine == "gds":
        if not on_neo4j:
            raise InnographError("The gds engine needs a Neo4jStore (Neo4j with the Graph Data Science plugin).")
        out = gds_centrality(source, edges, directed, measures, bind=bind, name=name, write=write,
                             write_prefix=write_prefix, damping=damping, seed=seed)
    else:
        if write:
            raise InnographError("write=True writes node properties with GDS: use a Neo4jStore (engine gds); "
                                 "on the embedded store, save the returned DataFrame instead.")
        out = _frame(_nodes(edges), "_", np.zeros(len(_nodes(edges))))[["node"]]
        kw = {"damping": damping, "seed": seed}
        for m in measures:
            out = out.merge(_NETWORKIT[m](edges, directed, kw), on="node", how="left")
    out.attrs.update({"engine": engine, "projection": name, "directed": bool(directed),
                      "nodes": int(len(out)), "edges": int(len(edges))})
    out.attrs["modularity"] = {m: modularity(edges, out[["node", m]]) for m in measures if m in COMMUNITY_MEASURES}
    return out


def _check_measures(measures: Iterable[str]) -> list[str]:
    measures = list(measures)
    unknown = [m for m in measures if m not in MEASURES]
    if unknown:
        raise InnographError(f"Unknown measure(s) {', '.join(unknown)}; the measures are: {', '.join(MEASURES)}.")
    if not measures:
        raise InnographError("Ask for at least one measure.")
    return measures


# ---------------------------------------------------------------------------------------------
# GDS (Neo4j Graph Data Science) through the graphdatascience client

# procedure family per measure, whether it runs on the undirected graph, and its configuration
_GDS_PROC = {
    "degree": "gds.degree", "in_degree": "gds.degree", "pagerank": "gds.pageRank",
    "betweenness": "gds.betweenness", "eigenvector": "gds.eigenvector", "closeness": "gds.closeness",
    "louvain": "gds.louvain", "leiden": "gds.leiden",
}
_GDS_UNDIRECTED = {"eigenvector", "closeness", "louvain", "leiden"}


def gds_config(measure: str, directed: bool, damping: float = 0.85, seed: int = 0) -> dict[str, Any]:
    """The GDS configuration map that gives `measure` the meaning of the networkit version."""
    if measure == "degree":
        return {"relationshipWeightProperty": "weight", "orientation": "NATURAL"}
    if measure == "in_degree":
        return {"relationshipWeightProperty": "weight", "orientation": "REVERSE" if directed else "NATURAL"}
    if measure == "pagerank":
        return {"relationshipWeightProperty": "weight", "dampingFactor": damping, "maxIterations": 1000,
                "tolerance": 1e-12}
    if measure == "betweenness":
        return {}
    if measure == "eigenvector":
        return {"maxIterations": 1000, "tolerance": 1e-12}
    if measure == "closeness":
        return {"useWassermanFaust": True}
    if measure == "louvain":
        return {"relationshipWeightProperty": "weight", "concurrency": 1}
    if measure == "leiden":
        return {"relationshipWeightProperty": "weight", "concurrency": 1, "randomSeed": seed}
    raise InnographError(f"Unknown measure {measure!r}.")


def gds_project_statement(bind: tuple[str, str] | None) -> str:
    """Cypher projection (gds.graph.project aggregation) of `$rows` [{source, target, weight}].

    bind=(label, key): rows name nodes by key and the projection holds the database nodes (so
    write mode works); None: rows carry integer ids (for edge lists whose nodes are not in the
    database).
    """
    tail = ("WITH gds.graph.project($graph_name, source, target, {relationshipProperties: {weight: row.weight}}, "
            "{undirectedRelationshipTypes: $undirected}) AS g\n"
            "RETURN g.graphName AS graph, g.nodeCount AS nodes, g.relationshipCount AS relationships")
    if bind is None:
        return "UNWIND $rows AS row\nWITH row, row.source AS source, row.target AS target\n" + tail
    label, key = bind
    return (f"UNWIND $rows AS row\nMATCH (source:{label} {{{key}: row.source}})\n"
            f"MATCH (target:{label} {{{key}: row.target}})\n" + tail)


def gds_stream_statement(measure: str, bind: tuple[str, str] | None) -> str:
    proc = _GDS_PROC[measure]
    field = "communityId" if measure in COMMUNITY_MEASURES else "score"
    node = f"gds.util.asNode(nodeId).{bind[1]}" if bind else "nodeId"
    return f"CALL {proc}.stream($graph_name, $config) YIELD nodeId, {field}\nRETURN {node} AS node, {field} AS value"


def gds_write_statement(measure: str) -> str:
    return (f"CALL {_GDS_PROC[measure]}.write($graph_name, $config) YIELD nodePropertiesWritten\n"
            "RETURN nodePropertiesWritten AS written")


GDS_DROP = "CALL gds.graph.drop($graph_name, false) YIELD graphName\nRETURN graphName"


def gds_client(store: Any) -> Any:
    """A `graphdatascience.GraphDataScience` on the store's driver (checks that GDS is installed)."""
    try:
        from graphdatascience import GraphDataScience
    except ImportError:
        raise InnographError("The gds engine needs the graphdatascience package: pip install 'innograph[neo4j]'.") from None
    try:
        return GraphDataScience(store.driver, database=store.database, arrow=False, show_progress=False)
    except Exception as exc:  # noqa: BLE001 - GdsNotFound, UnableToConnectError
        raise InnographError(f"Neo4j at {store.config.describe()} has no usable Graph Data Science library "
                             f"({type(exc).__name__}: {str(exc).strip().splitlines()[0]}); install the GDS plugin "
                             "(docker/docker-compose.yml does) or use engine='networkit'.") from None


def gds_centrality(store: Any, edges: pd.DataFrame, directed: bool, measures: Iterable[str], *,
                   bind: tuple[str, str] | None = ("Country", "code"), name: str = "edges",
                   write: bool = False, write_prefix: str = "", damping: float = 0.85, seed: int = 0,
                   gds: Any = None) -> pd.DataFrame:
    """The measures with GDS: project the cleaned edge list, stream each measure, drop the graphs."""
    measures = _check_measures(measures)
    if write and bind is None:
        raise InnographError("write=True needs the edge list's nodes in the database (a projection with a label and key).")
    gds = gds or gds_client(store)
    edges = clean_edges(edges, directed)
    nodes = _nodes(edges)
    ids = {n: i for i, n in enumerate(nodes)}
    tag = f"innograph_{re.sub(r'[^A-Za-z0-9_]', '_', name)}_{uuid.uuid4().hex[:8]}"
    graphs: dict[bool, str] = {}

    def rows(e: pd.DataFrame) -> list[dict[str, Any]]:
        if bind is None:
            return [{"source": ids[s], "target": ids[t], "weight": float(w)}
                    for s, t, w in e.itertuples(index=False)]
        return [{"source": s, "target": t, "weight": float(w)} for s, t, w in e.itertuples(index=False)]

    def graph(undirected: bool) -> str:
        if undirected not in graphs:
            gname = f"{tag}_{'u' if undirected else 'd'}"
            e = undirected_edges(edges) if (undirected and directed) else edges
            gds.run_cypher(gds_project_statement(bind), {"graph_name": gname, "rows": rows(e),
                                                         "undirected": ["*"] if undirected else []})
            graphs[undirected] = gname
        return graphs[undirected]

    out = pd.DataFrame({"node": nodes.to_numpy(dtype=object)})
    try:
        if len(nodes):
            for m in measures:
                gname = graph(undirected=(not directed) or m in _GDS_UNDIRECTED)
                cfg = gds_config(m, directed, damping=damping, seed=seed)
                df = gds.run_cypher(gds_stream_statement(m, bind), {"graph_name": gname, "config": cfg})
                values = pd.DataFrame({"node": df["node"] if len(df) else [], m: df["value"] if len(df) else []})
                if bind is None:
                    values["node"] = nodes.to_numpy(dtype=object)[values["node"].astype(int).to_numpy()]
                if m == "pagerank" and len(values):
                    values[m] = values[m] / values[m].sum()
                if m in COMMUNITY_MEASURES:
                    values = pd.DataFrame({"node": out["node"],
                                           m: _relabel(out["node"], values.set_index("node")[m])})
                out = out.merge(values, on="node", how="left")
                if write:
                    gds.run_cypher(gds_write_statement(m), {"graph_name": gname,
                                                            "config": {**cfg, "writeProperty": write_prefix + m}})
    finally:
        for gname in graphs.values():
            gds.run_cypher(GDS_DROP, {"graph_name": gname})
    return out


def _relabel(order: pd.Series, communities: pd.Series) -> np.ndarray:
    """Community ids renumbered by first appearance in `order` (as the networkit path does)."""
    raw = communities.reindex(order.to_numpy()).to_numpy()
    _, first, inverse = np.unique(raw, return_index=True, return_inverse=True)
    return np.argsort(np.argsort(first))[inverse].astype(np.int64)
