"""Themes of papers and patents (paper Fig. 6): keyword frequencies and the keywords that set
the two apart.

Counts are documents per keyword (HAS_KEYWORD links) on each side. The distinguishing keywords
come from the log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi and Quinn
2008, "Fightin' Words", eq. 22 and 23), papers (a) against patents (b):

    alpha_w = alpha0 * (y_a[w] + y_b[w]) / (n_a + n_b)          (prior from the pooled counts)
    delta_w = ln((y_a + alpha_w) / (n_a + alpha0 - y_a - alpha_w))
            - ln((y_b + alpha_w) / (n_b + alpha0 - y_b - alpha_w))
    var_w   = 1 / (y_a + alpha_w) + 1 / (y_b + alpha_w),   z_w = delta_w / sqrt(var_w)

with n_a, n_b the total keyword links of each side and alpha0 the prior's total weight (default:
n_a + n_b, so that alpha_w is the pooled count). z > 0 leans to papers, z < 0 to patents; unlike
raw counts or share differences it discounts rare keywords whose difference is noise.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from innograph.analysis.base import AnalysisResult, fetch
from innograph.errors import InnographError

PATENT_KEYWORDS = "MATCH (:Patent)-[:HAS_KEYWORD]->(k:Keyword) RETURN k.name AS keyword, count(*) AS n"
PAPER_KEYWORDS = "MATCH (:Paper)-[:HAS_KEYWORD]->(k:Keyword) RETURN k.name AS keyword, count(*) AS n"
DOCUMENTS = "MATCH (p:Patent) WITH count(p) AS patents MATCH (a:Paper) RETURN patents, count(a) AS papers"

STATEMENTS = {"patent_keywords": PATENT_KEYWORDS, "paper_keywords": PAPER_KEYWORDS, "documents": DOCUMENTS}


@dataclass
class ThemesConfig:
    """alpha0: total weight of the informative prior (None: the pooled count n_a + n_b);
    min_count: keywords on fewer documents (both sides together) are left out;
    top_n: rows of the `distinct` table per side."""

    alpha0: float | None = None
    min_count: int = 1
    top_n: int = 30

    def __post_init__(self) -> None:
        if self.alpha0 is not None and self.alpha0 <= 0:
            raise InnographError(f"alpha0 must be > 0, not {self.alpha0}.")


def log_odds_dirichlet(y_a, y_b, alpha0: float | None = None, n_a: float | None = None,
                       n_b: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(delta, z) of Monroe et al.'s log-odds ratio with an informative Dirichlet prior, a vs b.

    y_a, y_b: counts per word (same order), shape (V,). n_a, n_b: the corpora's total counts
    (None: the sums of y_a, y_b; give them when y holds only some of the words). alpha0: the
    prior's weight (None: n_a + n_b).
    """
    y_a = np.asarray(y_a, dtype=float)
    y_b = np.asarray(y_b, dtype=float)
    n_a = float(y_a.sum()) if n_a is None else float(n_a)
    n_b = float(y_b.sum()) if n_b is None else float(n_b)
    total = n_a + n_b
    if total == 0:
        return np.zeros_like(y_a), np.zeros_like(y_a)
    a0 = total if alpha0 is None else float(alpha0)
    alpha = a0 * (y_a + y_b) / total
    delta = (np.log((y_a + alpha) / (n_a + a0 - y_a - alpha))
             - np.log((y_b + alpha) / (n_b + a0 - y_b - alpha)))
    var = 1.0 / (y_a + alpha) + 1.0 / (y_b + alpha)
    return delta, delta / np.sqrt(var)


def themes(store: Any, config: ThemesConfig | None = None, *, progress: bool = False, **overrides: Any) -> AnalysisResult:
    """Keyword frequencies of papers and patents and the keywords that distinguish them.

    Tables
    - keywords: keyword, papers, patents (documents), paper_share, patent_share (of each side's
      documents), log_odds (delta), z, lean (paper|patent); sorted by z, papers first;
    - distinct: the top_n keywords of each side by |z| (lean, rank, keyword, z, papers, patents).
    """
    cfg = config or ThemesConfig(**overrides)
    if config is not None and overrides:
        cfg = ThemesConfig(**{**asdict(config), **overrides})
    bar = tqdm(total=3, desc="themes", disable=not progress, unit=" step")
    pk = fetch(store, PATENT_KEYWORDS)
    bar.update()
    ak = fetch(store, PAPER_KEYWORDS)
    bar.update()
    docs = fetch(store, DOCUMENTS)
    bar.update()
    bar.close()
    n_pat = int(docs["patents"].iloc[0]) if len(docs) else 0
    n_pap = int(docs["papers"].iloc[0]) if len(docs) else 0
    kw = pd.merge(ak.rename(columns={"n": "papers"}), pk.rename(columns={"n": "patents"}), on="keyword", how="outer")
    kw[["papers", "patents"]] = kw[["papers", "patents"]].fillna(0).astype(np.int64)
    n_a, n_b = int(kw["papers"].sum()), int(kw["patents"].sum())  # before min_count: the corpora's sizes
    kw = kw[kw["papers"] + kw["patents"] >= cfg.min_count].reset_index(drop=True)
    delta, z = log_odds_dirichlet(kw["papers"].to_numpy(), kw["patents"].to_numpy(), cfg.alpha0, n_a, n_b)
    kw["paper_share"] = kw["papers"] / n_pap if n_pap else 0.0
    kw["patent_share"] = kw["patents"] / n_pat if n_pat else 0.0
    kw["log_odds"] = delta
    kw["z"] = z
    kw["lean"] = np.where(kw["z"] >= 0, "paper", "patent")
    kw = kw.sort_values(["z", "keyword"], ascending=[False, True]).reset_index(drop=True)
    top_a = kw[kw["z"] > 0].head(cfg.top_n)
    top_b = kw[kw["z"] < 0].sort_values(["z", "keyword"]).head(cfg.top_n)
    distinct = pd.concat([top_a.assign(rank=np.arange(1, len(top_a) + 1)),
                          top_b.assign(rank=np.arange(1, len(top_b) + 1))], ignore_index=True)
    distinct = distinct[["lean", "rank", "keyword", "z", "log_odds", "papers", "patents"]]
    return AnalysisResult("themes", {"keywords": kw, "distinct": distinct},
                          {"config": asdict(cfg), "papers": n_pap, "patents": n_pat,
                           "paper_keyword_links": n_a, "patent_keyword_links": n_b, "keywords": int(len(kw))})
