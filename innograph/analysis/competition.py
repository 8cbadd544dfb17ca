"""The global competition network of countries (paper Fig. 5).

A country's topic vector in a time window comes from its patents in that window: the counts of
their keywords (HAS_KEYWORD) and of their IPC codes cut to `ipc_level` (CLASSIFIED_AS), each
block TF-IDF weighted over the countries of the window and L2-normalised:

    weight[c, t] = count[c, t] * idf[t],  idf[t] = ln((1 + N) / (1 + df[t])) + 1

with N the number of countries in the window and df[t] the number of them that use term t
(scikit-learn's smooth idf), then each block divided by its L2 norm. The two blocks are joined
with weights `block_weights` (keyword, ipc; summing to 1) as sqrt(weight) * block, so that

    competition(a, b) = w_kw * cos_kw(a, b) + w_ipc * cos_ipc(a, b)

(a block a country lacks contributes 0). Pairs with competition >= `threshold` become undirected
`COMPETES_WITH {weight}` edges; their network gets centrality.py's measures (networkit, or GDS
on Neo4j), k-core number, continuous coreness and communities (innograph.analysis.network).
The `all` window (every year) is always computed; `window_years` adds windows of that width.
`write=True` replaces the graph's COMPETES_WITH relationships with the `all` window's edges.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from innograph.analysis.base import AnalysisResult, fetch, window_labels
from innograph.analysis.network import NETWORK_MEASURES, network_measures
from innograph.errors import InnographError

KEYWORD_COUNTS = """
MATCH (c:Country)<-[:FROM_COUNTRY]-(p:Patent)-[:HAS_KEYWORD]->(k:Keyword)
WHERE p.year >= $from_year AND p.year <= $to_year
RETURN c.code AS country, p.year AS year, k.name AS term, count(*) AS n
""".strip()

IPC_COUNTS = """
MATCH (c:Country)<-[:FROM_COUNTRY]-(p:Patent)-[:CLASSIFIED_AS]->(i:IPC)
WHERE p.year >= $from_year AND p.year <= $to_year
RETURN c.code AS country, p.year AS year, i.code AS term, count(*) AS n
""".strip()

PATENT_COUNTS = """
MATCH (c:Country)<-[:FROM_COUNTRY]-(p:Patent)
WHERE p.year >= $from_year AND p.year <= $to_year
RETURN c.code AS country, p.year AS year, count(*) AS patents
""".strip()

STATEMENTS = {"keyword_counts": KEYWORD_COUNTS, "ipc_counts": IPC_COUNTS, "patent_counts": PATENT_COUNTS}

IPC_LEVELS = {"section": 1, "class": 3, "subclass": 4}


@dataclass
class CompetitionConfig:
    """threshold: lowest competition coefficient that makes an edge (0..1).
    window_years: width of the extra time windows (None: only `all`).
    block_weights: (keyword, ipc) weights of the two term blocks, summing to 1.
    ipc_level: section, class, subclass (codes cut to 1, 3, 4 characters) or full (as linked).
    min_patents: countries with fewer patents in a window are left out of it.
    from_year, to_year: the patent years considered.
    """

    threshold: float = 0.5
    window_years: int | None = None
    block_weights: tuple[float, float] = (0.5, 0.5)
    ipc_level: str = "subclass"
    min_patents: int = 10
    from_year: int = 0
    to_year: int = 9999
    measures: tuple[str, ...] = NETWORK_MEASURES
    seed: int = 0

    def __post_init__(self) -> None:
        if not 0.0 <= self.threshold <= 1.0:
            raise InnographError(f"threshold must be between 0 and 1, not {self.threshold}.")
        if self.ipc_level not in (*IPC_LEVELS, "full"):
            raise InnographError(f"ipc_level must be one of section, class, subclass, full, not {self.ipc_level!r}.")
        w = tuple(float(x) for x in self.block_weights)
        if len(w) != 2 or min(w) < 0 or abs(sum(w) - 1.0) > 1e-9:
            raise InnographError(f"block_weights must be two numbers >= 0 summing to 1, not {self.block_weights}.")
        self.block_weights = w


def tfidf_block(counts: pd.DataFrame, countries: pd.Index) -> tuple[np.ndarray, pd.Index]:
    """Rows of L2-normalised TF-IDF weights (countries x terms) from `country, term, n` counts."""
    terms = pd.Index(np.sort(counts["term"].unique()))
    x = np.zeros((len(countries), len(terms)))
    if len(terms):
        ci, ti = countries.get_indexer(counts["country"]), terms.get_indexer(counts["term"])
        keep = ci >= 0
        np.add.at(x, (ci[keep], ti[keep]), counts["n"].to_numpy(dtype=float)[keep])
    n = len(countries)
    df = (x > 0).sum(0)
    idf = np.log((1 + n) / (1 + df)) + 1.0
    w = x * idf
    norm = np.linalg.norm(w, axis=1, keepdims=True)
    return np.divide(w, norm, out=np.zeros_like(w), where=norm > 0), terms


def _cut_ipc(codes: pd.Series, level: str) -> pd.Series:
    if level == "full":
        return codes
    k = IPC_LEVELS[level]
    cut = codes.str.slice(0, k)
    return cut.where(codes.str.len() >= k)


def competition(store: Any, config: CompetitionConfig | None = None, *, write: bool = False,
                engine: str | None = None, progress: bool = False, **overrides: Any) -> AnalysisResult:
    """Country topic vectors, competition coefficients, the COMPETES_WITH network and its measures.

    Returns an AnalysisResult with tables
    - vectors: window, country, block (keyword|ipc), term, count, weight (the TF-IDF vector entry);
    - similarity: window, source, target (source < target), keyword_cosine, ipc_cosine, competition;
    - edges: window, source, target, weight (competition >= threshold);
    - nodes: window, node, patents, neighbours, degree (weighted), pagerank, betweenness,
      eigenvector, closeness, louvain, core_number, coreness (isolated countries have 0 and
      community -1).
    attrs: config, engine, per-window node/edge counts and modularity, `written` edges.
    """
    cfg = config or CompetitionConfig(**overrides)
    if config is not None and overrides:
        cfg = CompetitionConfig(**{**asdict(config), **overrides})
    params = {"from_year": cfg.from_year, "to_year": cfg.to_year}
    steps = tqdm(total=4, desc="competition", disable=not progress, unit=" step")
    kw = fetch(store, KEYWORD_COUNTS, params)
    steps.update()
    ipc = fetch(store, IPC_COUNTS, params)
    ipc = ipc.assign(term=_cut_ipc(ipc["term"].astype(str), cfg.ipc_level)).dropna(subset=["term"]) if len(ipc) else ipc
    steps.update()
    pat = fetch(store, PATENT_COUNTS, params)
    steps.update()

    windows = [None] + ([cfg.window_years] if cfg.window_years else [])
    vectors, sims, edges, nodes, per_window = [], [], [], [], {}
    engine_used = None
    for width in windows:
        wk = kw.assign(window=window_labels(kw["year"], width)) if len(kw) else kw.assign(window=[])
        wi = ipc.assign(window=window_labels(ipc["year"], width)) if len(ipc) else ipc.assign(window=[])
        wp = pat.assign(window=window_labels(pat["year"], width)) if len(pat) else pat.assign(window=[])
        labels = sorted(set(wp["window"].dropna()))
        for label in labels:
            counts = wp[wp["window"] == label].groupby("country")["patents"].sum()
            countries = pd.Index(np.sort(counts[counts >= cfg.min_patents].index.to_numpy(dtype=object)))
            blocks = {}
            for block, frame in (("keyword", wk), ("ipc", wi)):
                f = frame[frame["window"] == label].groupby(["country", "term"], as_index=False)["n"].sum()
                mat, terms = tfidf_block(f, countries)
                blocks[block] = mat
                nz = np.nonzero(mat)
                if len(nz[0]):
                    cnt = f.set_index(["country", "term"])["n"]
                    keys = list(zip(countries[nz[0]], terms[nz[1]]))
                    vectors.append(pd.DataFrame({
                        "window": label, "country": countries[nz[0]], "block": block, "term": terms[nz[1]],
                        "count": cnt.reindex(keys).to_numpy(dtype=np.int64), "weight": mat[nz]}))
            cos_kw = blocks["keyword"] @ blocks["keyword"].T
            cos_ipc = blocks["ipc"] @ blocks["ipc"].T
            comp = cfg.block_weights[0] * cos_kw + cfg.block_weights[1] * cos_ipc
            iu = np.triu_indices(len(countries), k=1)
            sim = pd.DataFrame({"window": label, "source": countries[iu[0]], "target": countries[iu[1]],
                                "keyword_cosine": cos_kw[iu], "ipc_cosine": cos_ipc[iu], "competition": comp[iu]})
            sims.append(sim)
            e = sim.loc[sim["competition"] >= cfg.threshold, ["source", "target", "competition"]]
            e = e.rename(columns={"competition": "weight"})
            edges.append(e.assign(window=label)[["window", "source", "target", "weight"]])
            m = network_measures(store, e, directed=False, measures=cfg.measures, engine=engine,
                                 name=f"competes_{label}", seed=cfg.seed)
            engine_used = m.attrs.get("engine")
            node = pd.DataFrame({"window": label, "node": countries.to_numpy(dtype=object),
                                 "patents": counts.reindex(countries).to_numpy(dtype=np.int64)})
            node = node.merge(m, on="node", how="left")
            for col in m.columns:
                if col == "node":
                    continue
                fill = -1 if col in ("louvain", "leiden") else 0
                node[col] = node[col].fillna(fill)
                if col in ("louvain", "leiden", "neighbours", "core_number"):
                    node[col] = node[col].astype(np.int64)
            nodes.append(node)
            per_window[label] = {"countries": int(len(countries)), "edges": int(len(e)),
                                 "modularity": m.attrs.get("modularity", {})}
    steps.update()
    steps.close()

    def cat(frames, cols):
        frames = [f for f in frames if len(f)]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=cols)

    res = AnalysisResult("competition", {
        "vectors": cat(vectors, ["window", "country", "block", "term", "count", "weight"]),
        "similarity": cat(sims, ["window", "source", "target", "keyword_cosine", "ipc_cosine", "competition"]),
        "edges": cat(edges, ["window", "source", "target", "weight"]),
        "nodes": cat(nodes, ["window", "node", "patents", "neighbours", *cfg.measures, "core_number", "coreness"]),
    }, {"config": asdict(cfg), "engine": engine_used, "windows": per_window})
    if write:
        from innograph.analysis.writeback import write_country_rels

        all_edges = res["edges"][res["edges"]["window"] == "all"]
        res.attrs["written"] = write_country_rels(store, "COMPETES_WITH", all_edges)
    return res
