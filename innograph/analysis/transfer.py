"""Knowledge transfer from papers to patents (paper Fig. 3 and Fig. 8).

Over the SIMILAR_TO pairs with score >= `tau` (the graph holds only pairs at or above the load's
tau; a higher `tau` here narrows them):

- score_hist: the score distribution in bins of `bin_width`: pairs, density (pairs / total /
  bin_width, so it integrates to 1) and cdf (share of pairs with score below the bin's upper edge);
- lags: the lag patent year - paper year: pairs, share, mean_score per lag;
- intensity: per year: pairs whose patent is of that year, pairs whose paper is of that year,
  patents and papers of that year, pairs per patent, mean score (by patent year);
- country_flows: paper country -> patent country, pairs, mean_score, share of all flow counts
  (a paper with authors in two countries counts for both; domestic flows included);
- ipc_flows: paper country -> patent IPC code cut to `ipc_level` (subclass: G06N), pairs,
  mean_score (a patent in two subclasses counts for both);
- keyword_flows: keywords on both sides of a pair with score >= `keyword_tau`: pairs, mean_score;
- top_pairs: the `top_n` pairs with the highest score, with titles, years, lag and countries;
- country_centrality: the transfer network's measures (directed, weight = pairs, no domestic
  flows; centrality.py on networkit or GDS, plus k-core and coreness).

`write=True` replaces the graph's TRANSFERS_TO relationships with country_flows (domestic ones
included as self-relationships) as {pairs, mean_score}.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from innograph.analysis.base import AnalysisResult, fetch
from innograph.analysis.competition import IPC_LEVELS, _cut_ipc
from innograph.analysis.network import NETWORK_MEASURES, network_measures
from innograph.errors import InnographError
from innograph.graph.store import is_embedded

SCORE_BINS = """
MATCH (:Paper)-[s:SIMILAR_TO]->(:Patent)
WHERE s.score >= $tau
RETURN floor(s.score * $per_unit + 1e-9) AS bin, count(*) AS pairs, sum(s.score) AS score_sum
""".strip()

YEAR_PAIRS = """
MATCH (a:Paper)-[s:SIMILAR_TO]->(p:Patent)
WHERE s.score >= $tau
RETURN a.year AS paper_year, p.year AS patent_year, count(*) AS pairs, sum(s.score) AS score_sum
""".strip()

COUNTRY_FLOWS = """
MATCH (ca:Country)<-[:FROM_COUNTRY]-(a:Paper)-[s:SIMILAR_TO]->(p:Patent)-[:FROM_COUNTRY]->(cp:Country)
WHERE s.score >= $tau
RETURN ca.code AS source, cp.code AS target, count(*) AS pairs, sum(s.score) AS score_sum
""".strip()

IPC_FLOWS = """
MATCH (ca:Country)<-[:FROM_COUNTRY]-(a:Paper)-[s:SIMILAR_TO]->(p:Patent)-[:CLASSIFIED_AS]->(i:IPC)
WHERE s.score >= $tau
RETURN ca.code AS source, i.code AS code, count(*) AS pairs, sum(s.score) AS score_sum
""".strip()

KEYWORD_FLOWS = """
MATCH (a:Paper)-[s:SIMILAR_TO]->(p:Patent)
WHERE s.score >= $tau
MATCH (a)-[:HAS_KEYWORD]->(k:Keyword)<-[:HAS_KEYWORD]-(p)
RETURN k.name AS keyword, count(*) AS pairs, sum(s.score) AS score_sum
""".strip()

TOP_PAIRS = """
MATCH (a:Paper)-[s:SIMILAR_TO]->(p:Patent)
WHERE s.score >= $tau
RETURN a.paper_id AS paper_id, a.title AS paper_title, a.year AS paper_year, p.pn AS pn,
       p.title AS patent_title, p.year AS patent_year, p.country AS patent_country, s.score AS score
ORDER BY score DESC, paper_id, pn
LIMIT $top_n
""".strip()

PAPER_COUNTRIES = """
MATCH (a:Paper)-[:FROM_COUNTRY]->(c:Country)
WHERE a.paper_id IN $ids
RETURN a.paper_id AS paper_id, c.code AS country
""".strip()

PATENTS_PER_YEAR = "MATCH (p:Patent) RETURN p.year AS year, count(*) AS patents"
PAPERS_PER_YEAR = "MATCH (a:Paper) RETURN a.year AS year, count(*) AS papers"

STATEMENTS = {"score_bins": SCORE_BINS, "year_pairs": YEAR_PAIRS, "country_flows": COUNTRY_FLOWS,
              "ipc_flows": IPC_FLOWS, "keyword_flows": KEYWORD_FLOWS, "top_pairs": TOP_PAIRS,
              "paper_countries": PAPER_COUNTRIES, "patents_per_year": PATENTS_PER_YEAR,
              "papers_per_year": PAPERS_PER_YEAR}


@dataclass
class TransferConfig:
    """tau: lowest score considered; bin_width: score histogram bin (0..1); top_n: top pairs kept;
    keyword_tau: lowest score of the pairs whose shared keywords are counted (None: tau; the
    keyword join is the most expensive step at full scale); ipc_level: section, class, subclass, full;
    keyword_flows: whether to compute keyword_flows at all; engine_path: auto (on the embedded
    store, one pull of the pairs and numpy aggregates: innograph.analysis.pairs) or cypher (the
    portable aggregating Cypher, which Neo4j always uses)."""

    tau: float = 0.0
    bin_width: float = 0.01
    top_n: int = 500
    keyword_tau: float | None = None
    ipc_level: str = "subclass"
    keyword_flows: bool = True
    measures: tuple[str, ...] = NETWORK_MEASURES
    seed: int = 0
    engine_path: str = "auto"

    def __post_init__(self) -> None:
        if self.engine_path not in ("auto", "cypher"):
            raise InnographError(f"engine_path must be auto or cypher, not {self.engine_path!r}.")
        if not 0 < self.bin_width <= 1:
            raise InnographError(f"bin_width must be in (0, 1], not {self.bin_width}.")
        if self.top_n < 0:
            raise InnographError(f"top_n must be >= 0, not {self.top_n}.")
        if self.ipc_level not in (*IPC_LEVELS, "full"):
            raise InnographError(f"ipc_level must be one of section, class, subclass, full, not {self.ipc_level!r}.")


def _mean(df: pd.DataFrame) -> pd.DataFrame:
    out = df.assign(mean_score=df["score_sum"] / df["pairs"].where(df["pairs"] > 0))
    return out.drop(columns="score_sum")


def score_histogram(bins: pd.DataFrame, bin_width: float) -> pd.DataFrame:
    """bin_lo, bin_hi, pairs, mean_score, density, cdf from `bin` (floor(score / bin_width)) counts.

    (The query computes floor(score * (1 / bin_width) + 1e-9): 0.6 / 0.05 is 11.999... in floating point.)
    """
    if bins.empty:
        return pd.DataFrame(columns=["bin_lo", "bin_hi", "pairs", "mean_score", "density", "cdf"])
    b = bins.assign(bin=bins["bin"].astype(np.int64)).groupby("bin", as_index=False)[["pairs", "score_sum"]].sum()
    b = b.sort_values("bin")
    total = b["pairs"].sum()
    out = pd.DataFrame({"bin_lo": np.round(b["bin"].to_numpy() * bin_width, 10),
                        "bin_hi": np.round((b["bin"].to_numpy() + 1) * bin_width, 10),
                        "pairs": b["pairs"].to_numpy(dtype=np.int64),
                        "mean_score": (b["score_sum"] / b["pairs"]).to_numpy()})
    out["density"] = out["pairs"] / total / bin_width
    out["cdf"] = out["pairs"].cumsum() / total
    return out.reset_index(drop=True)


def transfer(store: Any, config: TransferConfig | None = None, *, write: bool = False, engine: str | None = None,
             progress: bool = False, **overrides: Any) -> AnalysisResult:
    """Score distribution, lags, yearly intensity, country / IPC / keyword flows, top pairs, network."""
    cfg = config or TransferConfig(**overrides)
    if config is not None and overrides:
        cfg = TransferConfig(**{**asdict(config), **overrides})
    ktau = (cfg.tau if cfg.keyword_tau is None else max(cfg.tau, cfg.keyword_tau)) if cfg.keyword_flows else None
    bar = tqdm(total=3, desc="transfer", disable=not progress, unit=" step")
    if is_embedded(store) and cfg.engine_path != "cypher":
        from innograph.analysis.pairs import aggregates  # one pull of the pairs, numpy aggregates

        raw = aggregates(store, cfg.tau, 1.0 / cfg.bin_width, ktau, int(cfg.top_n))
        path = "numpy"
    else:
        raw = _cypher_aggregates(store, cfg, ktau)
        path = "cypher"
    bar.update()
    tables: dict[str, pd.DataFrame] = {}
    tables["score_hist"] = score_histogram(raw["bins"], cfg.bin_width)
    yp = raw["year_pairs"]
    if len(yp):
        yp = yp.assign(paper_year=pd.to_numeric(yp["paper_year"]).astype("Int64"),
                       patent_year=pd.to_numeric(yp["patent_year"]).astype("Int64"))
    total = int(yp["pairs"].sum()) if len(yp) else 0
    lag = yp.assign(lag_years=yp["patent_year"] - yp["paper_year"]).dropna(subset=["lag_years"]) if len(yp) else yp
    if len(lag):
        lags = _mean(lag.groupby("lag_years", as_index=False)[["pairs", "score_sum"]].sum())
        lags["lag_years"] = lags["lag_years"].astype(np.int64)
        lags["pairs"] = lags["pairs"].astype(np.int64)
        lags.insert(2, "share", lags["pairs"] / lags["pairs"].sum())
    else:
        lags = pd.DataFrame(columns=["lag_years", "pairs", "share", "mean_score"])
    tables["lags"] = lags
    tables["intensity"] = _intensity(yp, fetch(store, PATENTS_PER_YEAR), fetch(store, PAPERS_PER_YEAR))

    cf = raw["country_flows"]
    cf = _mean(cf).sort_values(["pairs", "source", "target"], ascending=[False, True, True]) if len(cf) else \
        pd.DataFrame(columns=["source", "target", "pairs", "mean_score"])
    cf["share"] = cf["pairs"] / cf["pairs"].sum() if len(cf) else []
    tables["country_flows"] = cf.reset_index(drop=True)

    ipc = raw["ipc_flows"]
    if len(ipc):
        ipc = ipc.assign(ipc=_cut_ipc(ipc["code"].astype(str), cfg.ipc_level)).dropna(subset=["ipc"])
        ipc = _mean(ipc.groupby(["source", "ipc"], as_index=False)[["pairs", "score_sum"]].sum())
        ipc = ipc.sort_values(["pairs", "source", "ipc"], ascending=[False, True, True]).reset_index(drop=True)
    else:
        ipc = pd.DataFrame(columns=["source", "ipc", "pairs", "mean_score"])
    tables["ipc_flows"] = ipc

    if ktau is not None:
        kf = raw["keyword_flows"]
        kf = _mean(kf).sort_values(["pairs", "keyword"], ascending=[False, True]).reset_index(drop=True) if len(kf) \
            else pd.DataFrame(columns=["keyword", "pairs", "mean_score"])
        tables["keyword_flows"] = kf
    bar.update()

    top = raw["top"]
    if len(top):
        top["lag_years"] = top["patent_year"] - top["paper_year"]
        pc = fetch(store, PAPER_COUNTRIES, {"ids": sorted(set(top["paper_id"].astype(str)))})
        joined = pc.groupby("paper_id")["country"].agg(lambda s: ";".join(sorted(set(s)))) if len(pc) else pd.Series(dtype=object)
        top.insert(3, "paper_countries", top["paper_id"].map(joined))
    tables["top_pairs"] = top
    bar.update()

    net_edges = cf[cf["source"] != cf["target"]][["source", "target", "pairs"]].rename(columns={"pairs": "weight"}) \
        if len(cf) else pd.DataFrame(columns=["source", "target", "weight"])
    net = network_measures(store, net_edges, directed=True, measures=cfg.measures, engine=engine,
                           name="transfer", seed=cfg.seed)
    tables["country_centrality"] = net.sort_values("pagerank", ascending=False).reset_index(drop=True) \
        if "pagerank" in net.columns else net
    bar.update()
    bar.close()

    hist = tables["score_hist"]
    attrs = {"config": asdict(cfg), "pairs": total, "engine": net.attrs.get("engine"), "aggregates": path,
             "modularity": net.attrs.get("modularity", {})}
    if len(hist):
        attrs["mean_score"] = float((hist["mean_score"] * hist["pairs"]).sum() / hist["pairs"].sum())
        attrs["median_bin"] = float(hist.loc[hist["cdf"] >= 0.5, "bin_lo"].iloc[0])
    if len(lags):
        attrs["mean_lag_years"] = float((lags["lag_years"] * lags["pairs"]).sum() / lags["pairs"].sum())
    res = AnalysisResult("transfer", tables, attrs)
    if write:
        from innograph.analysis.writeback import write_country_rels

        res.attrs["written"] = write_country_rels(store, "TRANSFERS_TO", cf)
    return res


def _cypher_aggregates(store: Any, cfg: "TransferConfig", ktau: float | None) -> dict[str, pd.DataFrame]:
    """The raw aggregates with the portable Cypher (any backend; the server aggregates on Neo4j)."""
    p = {"tau": float(cfg.tau)}
    raw = {"bins": fetch(store, SCORE_BINS, {**p, "per_unit": 1.0 / cfg.bin_width}),
           "year_pairs": fetch(store, YEAR_PAIRS, p),
           "country_flows": fetch(store, COUNTRY_FLOWS, p),
           "ipc_flows": fetch(store, IPC_FLOWS, p)}
    if ktau is not None:
        raw["keyword_flows"] = fetch(store, KEYWORD_FLOWS, {"tau": float(ktau)})
    raw["top"] = fetch(store, TOP_PAIRS, {**p, "top_n": int(cfg.top_n)}) if cfg.top_n else pd.DataFrame()
    return raw


def _intensity(yp: pd.DataFrame, patents: pd.DataFrame, papers: pd.DataFrame) -> pd.DataFrame:
    cols = ["year", "pairs_by_patent_year", "pairs_by_paper_year", "patents", "papers", "pairs_per_patent",
            "pairs_per_paper", "mean_score"]
    by_pat = yp.groupby("patent_year")[["pairs", "score_sum"]].sum() if len(yp) else pd.DataFrame(columns=["pairs", "score_sum"])
    by_pap = yp.groupby("paper_year")["pairs"].sum() if len(yp) else pd.Series(dtype=np.int64)
    pt = patents.dropna(subset=["year"]).set_index("year")["patents"] if len(patents) else pd.Series(dtype=np.int64)
    pp = papers.dropna(subset=["year"]).set_index("year")["papers"] if len(papers) else pd.Series(dtype=np.int64)
    years = sorted(set(by_pat.index) | set(by_pap.index) | set(pt.index) | set(pp.index))
    if not years:
        return pd.DataFrame(columns=cols)
    out = pd.DataFrame({"year": np.asarray(years, dtype=np.int64)})
    out["pairs_by_patent_year"] = out["year"].map(by_pat["pairs"]).fillna(0).astype(np.int64)
    out["pairs_by_paper_year"] = out["year"].map(by_pap).fillna(0).astype(np.int64)
    out["patents"] = out["year"].map(pt).fillna(0).astype(np.int64)
    out["papers"] = out["year"].map(pp).fillna(0).astype(np.int64)
    out["pairs_per_patent"] = out["pairs_by_patent_year"] / out["patents"].where(out["patents"] > 0)
    out["pairs_per_paper"] = out["pairs_by_paper_year"] / out["papers"].where(out["papers"] > 0)
    out["mean_score"] = out["year"].map(by_pat["score_sum"] / by_pat["pairs"]) if len(by_pat) else np.nan
    return out[cols]
