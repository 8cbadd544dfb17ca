"""Spatiotemporal evolution of papers and patents (paper Fig. 7): counts and mean novelty per year
and country, growth rates, and the share of the top countries over time.

Documents without a year are left out; a paper with authors in two countries counts once in the
yearly totals and once for each country in the per-country tables. Mean novelty is over the
documents that have a novelty score.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from innograph.analysis.base import AnalysisResult, fetch
from innograph.errors import InnographError

KINDS = {"patent": "Patent", "paper": "Paper"}


def by_year_statement(label: str) -> str:
    return (f"MATCH (d:{label}) WHERE d.year IS NOT NULL\n"
            "RETURN d.year AS year, count(*) AS documents, sum(d.novelty) AS novelty_sum, "
            "count(d.novelty) AS novelty_n")


def by_country_year_statement(label: str) -> str:
    return (f"MATCH (d:{label})-[:FROM_COUNTRY]->(c:Country) WHERE d.year IS NOT NULL\n"
            "RETURN c.code AS country, d.year AS year, count(*) AS documents, sum(d.novelty) AS novelty_sum, "
            "count(d.novelty) AS novelty_n")


STATEMENTS = {f"{kind}_{what}": fn(label) for kind, label in KINDS.items()
              for what, fn in (("by_year", by_year_statement), ("by_country_year", by_country_year_statement))}


@dataclass
class EvolutionConfig:
    """top_k: countries named in `top_share` (by documents over all years, per kind; the rest is
    `other`); growth_years: span of the compound annual growth rate in `country_growth`, ending at
    each kind's last year; from_year, to_year: years kept."""

    top_k: int = 8
    growth_years: int = 10
    from_year: int = 0
    to_year: int = 9999

    def __post_init__(self) -> None:
        if self.top_k < 1 or self.growth_years < 1:
            raise InnographError("top_k and growth_years must be at least 1.")


def _mean_novelty(df: pd.DataFrame) -> pd.Series:
    return df["novelty_sum"] / df["novelty_n"].where(df["novelty_n"] > 0)


def _growth(counts: pd.Series) -> pd.Series:
    """Year-over-year growth (n_t / n_{t-1} - 1) of a year-indexed series; NaN after a gap or a 0."""
    prev = counts.shift(1)
    consecutive = pd.Series(counts.index, index=counts.index).diff() == 1
    return (counts / prev.where(prev > 0) - 1).where(consecutive)


def evolution(store: Any, config: EvolutionConfig | None = None, *, progress: bool = False,
              **overrides: Any) -> AnalysisResult:
    """Tables
    - by_year: kind, year, documents, mean_novelty, growth (year over year), cumulative;
    - by_country_year: kind, country, year, documents, mean_novelty, share (of the kind's
      country-linked documents that year), growth;
    - top_share: kind, year, country (top_k countries and `other`), documents, share;
    - country_growth: kind, country, documents (all years), first_year, last_year, cagr over the
      last growth_years years, mean_novelty.
    """
    cfg = config or EvolutionConfig(**overrides)
    if config is not None and overrides:
        cfg = EvolutionConfig(**{**asdict(config), **overrides})
    bar = tqdm(total=2 * len(KINDS), desc="evolution", disable=not progress, unit=" step")
    years, countries = [], []
    for kind, label in KINDS.items():
        y = fetch(store, by_year_statement(label))
        bar.update()
        cy = fetch(store, by_country_year_statement(label))
        bar.update()
        years.append(y.assign(kind=kind))
        countries.append(cy.assign(kind=kind))
    bar.close()
    y = pd.concat(years, ignore_index=True)
    cy = pd.concat(countries, ignore_index=True)
    y = y[(y["year"] >= cfg.from_year) & (y["year"] <= cfg.to_year)]
    cy = cy[(cy["year"] >= cfg.from_year) & (cy["year"] <= cfg.to_year)]

    by_year = []
    for kind, g in y.groupby("kind", sort=False):
        g = g.groupby("year").sum(numeric_only=True).sort_index()
        by_year.append(pd.DataFrame({"kind": kind, "year": g.index.astype(np.int64), "documents": g["documents"].to_numpy(),
                                     "mean_novelty": _mean_novelty(g).to_numpy(), "growth": _growth(g["documents"]).to_numpy(),
                                     "cumulative": g["documents"].cumsum().to_numpy()}))
    by_year = pd.concat(by_year, ignore_index=True) if by_year else pd.DataFrame(
        columns=["kind", "year", "documents", "mean_novelty", "growth", "cumulative"])

    rows, shares, growth = [], [], []
    for kind, g in cy.groupby("kind", sort=False):
        g = g.groupby(["country", "year"], as_index=False).sum(numeric_only=True).sort_values(["country", "year"])
        g["mean_novelty"] = _mean_novelty(g)
        g["share"] = g["documents"] / g.groupby("year")["documents"].transform("sum")
        g["growth"] = g.groupby("country", group_keys=False)[["year", "documents"]].apply(
            lambda h: _growth(h.set_index("year")["documents"]).set_axis(h.index))
        rows.append(g.assign(kind=kind)[["kind", "country", "year", "documents", "mean_novelty", "share", "growth"]])
        totals = g.groupby("country")["documents"].sum().sort_values(ascending=False, kind="stable")
        totals = totals.sort_index().sort_values(ascending=False, kind="stable")  # ties by code
        top = list(totals.index[:cfg.top_k])
        named = g.assign(country=np.where(g["country"].isin(top), g["country"], "other"))
        t = named.groupby(["year", "country"], as_index=False)["documents"].sum()
        t["share"] = t["documents"] / t.groupby("year")["documents"].transform("sum")
        order = {c: i for i, c in enumerate(top + ["other"])}
        t = t.sort_values(["year", "country"], key=lambda s: s.map(order) if s.name == "country" else s)
        shares.append(t.assign(kind=kind)[["kind", "year", "country", "documents", "share"]])
        last = int(g["year"].max())
        first = last - cfg.growth_years
        for country, h in g.groupby("country"):
            h = h.set_index("year")
            n0, n1 = h["documents"].get(first, 0), h["documents"].get(last, 0)
            growth.append({"kind": kind, "country": country, "documents": int(h["documents"].sum()),
                           "first_year": int(h.index.min()), "last_year": int(h.index.max()),
                           "cagr": (n1 / n0) ** (1 / cfg.growth_years) - 1 if n0 > 0 else np.nan,
                           "mean_novelty": float(h["novelty_sum"].sum() / h["novelty_n"].sum()) if h["novelty_n"].sum() else np.nan})
    cols = {"by_country_year": ["kind", "country", "year", "documents", "mean_novelty", "share", "growth"],
            "top_share": ["kind", "year", "country", "documents", "share"],
            "country_growth": ["kind", "country", "documents", "first_year", "last_year", "cagr", "mean_novelty"]}
    by_cy = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=cols["by_country_year"])
    top_share = pd.concat(shares, ignore_index=True) if shares else pd.DataFrame(columns=cols["top_share"])
    cg = pd.DataFrame(growth, columns=cols["country_growth"])
    cg = cg.sort_values(["kind", "documents", "country"], ascending=[True, False, True]).reset_index(drop=True)
    attrs = {"config": asdict(cfg),
             "documents": {k: int(g["documents"].sum()) for k, g in by_year.groupby("kind")},
             "years": {k: [int(g["year"].min()), int(g["year"].max())] for k, g in by_year.groupby("kind")}}
    return AnalysisResult("evolution", {"by_year": by_year, "by_country_year": by_cy, "top_share": top_share,
                                        "country_growth": cg}, attrs)
