"""The transfer analysis's aggregates on the embedded store, from one pull of the pairs.

At full scale (80M SIMILAR_TO pairs) each aggregating Cypher query scans the pairs again and
joins the country, IPC and keyword relationships per pair inside the engine (minutes each: see
bench/results/analytics.md). Here the pairs come out once as Arrow columns of LadybugDB's
internal node offsets (`offset(id(n))`, LadybugDB dialect, so this path is for the embedded
store only), the small per-node tables (years, countries, IPC codes, keywords) likewise, and
the aggregates are bincounts over integer keys in numpy, in chunks of pairs (bounded memory).
The results are the same tables the portable Cypher of innograph.analysis.transfer returns
(tests/analysis/test_transfer.py compares the two paths).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

PAIRS = ("MATCH (a:Paper)-[s:SIMILAR_TO]->(p:Patent) WHERE s.score >= $tau "
         "RETURN offset(id(a)) AS a, offset(id(p)) AS p, s.score AS score")
YEARS = "MATCH (n:{label}) RETURN offset(id(n)) AS n, n.year AS year"
COUNTRIES = "MATCH (n:{label})-[:FROM_COUNTRY]->(c:Country) RETURN offset(id(n)) AS n, c.code AS v"
PATENT_IPC = "MATCH (n:Patent)-[:CLASSIFIED_AS]->(i:IPC) RETURN offset(id(n)) AS n, i.code AS v"
KEYWORDS = "MATCH (n:{label})-[:HAS_KEYWORD]->(k:Keyword) RETURN offset(id(n)) AS n, offset(id(k)) AS k"
KEYWORD_NAMES = "MATCH (k:Keyword) RETURN offset(id(k)) AS k, k.name AS name"
PAPER_DETAILS = ("MATCH (a:Paper) WHERE offset(id(a)) IN $offsets RETURN offset(id(a)) AS a, a.paper_id AS paper_id, "
                 "a.title AS paper_title, a.year AS paper_year")
PATENT_DETAILS = ("MATCH (p:Patent) WHERE offset(id(p)) IN $offsets RETURN offset(id(p)) AS p, p.pn AS pn, "
                  "p.title AS patent_title, p.year AS patent_year, p.country AS patent_country")

CHUNK = 4_000_000  # pairs per chunk of the expansions (keeps the temporary arrays to a few hundred MB)


def _np(col: pa.ChunkedArray, dtype=np.int64) -> np.ndarray:
    return col.to_numpy() if col.null_count == 0 else pc.fill_null(col, 0).to_numpy()


class _Multi:
    """A node -> values relation (CSR by node offset): values[starts[n]: starts[n] + counts[n]]."""

    def __init__(self, owner: np.ndarray, values: np.ndarray, n: int):
        order = np.argsort(owner, kind="stable")
        self.counts = np.bincount(owner, minlength=n)
        self.starts = np.concatenate([[0], np.cumsum(self.counts)[:-1]])
        self.values = values[order]

    def padded(self, fill: int) -> np.ndarray:
        """(nodes x max values) matrix of the values, rows padded with `fill`."""
        n, w = len(self.counts), int(self.counts.max()) if len(self.counts) else 0
        out = np.full((n, max(w, 1)), fill, dtype=np.int32)
        owner = np.repeat(np.arange(n), self.counts)
        within = np.arange(len(owner)) - np.repeat(self.starts, self.counts)
        out[owner, within] = self.values
        return out

    def expand(self, nodes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each position i of `nodes`, one row per value of nodes[i]: (i repeated, value)."""
        cnt = self.counts[nodes]
        rep = np.repeat(np.arange(len(nodes)), cnt)
        first = np.repeat(self.starts[nodes], cnt)
        within = np.arange(len(rep)) - np.repeat(np.cumsum(cnt) - cnt, cnt)
        return rep, self.values[first + within]


def _codes(store: Any, cypher: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(node offsets, value index, distinct values) of a node -> string relation."""
    t = store.execute_arrow(cypher)
    enc = pc.dictionary_encode(t["v"]).combine_chunks()
    return _np(t["n"]), enc.indices.to_numpy(zero_copy_only=False).astype(np.int64), \
        np.asarray(enc.dictionary.to_pylist(), dtype=object)


def _years(store: Any, label: str, n: int) -> np.ndarray:
    t = store.execute_arrow(YEARS.format(label=label))
    nodes = _np(t["n"])
    out = np.full(max(n, int(nodes.max()) + 1 if len(nodes) else 0), np.nan)
    year = t["year"].to_numpy(zero_copy_only=False)
    out[nodes] = np.where(pd.isna(year), np.nan, year).astype(float)
    return out


def _year_pairs(ya: np.ndarray, yp: np.ndarray, a: np.ndarray, p: np.ndarray, score: np.ndarray) -> pd.DataFrame:
    """pairs and score sums per (paper year, patent year) by bincount over a combined integer key;
    a missing year is its own group (NaN), as Cypher's null group, so that the counts reconcile."""
    valid = np.concatenate([ya[~np.isnan(ya)], yp[~np.isnan(yp)]])
    lo = int(valid.min()) if len(valid) else 0
    span = (int(valid.max()) - lo + 2) if len(valid) else 1  # the last slot is "missing"
    rows = []
    n_cells = span * span
    cnt = np.zeros(n_cells)
    ssum = np.zeros(n_cells)
    for i in range(0, len(a), CHUNK):
        y1, y2 = ya[a[i:i + CHUNK]], yp[p[i:i + CHUNK]]
        k1 = np.where(np.isnan(y1), span - 1, y1 - lo).astype(np.int64)
        k2 = np.where(np.isnan(y2), span - 1, y2 - lo).astype(np.int64)
        key = k1 * span + k2
        cnt += np.bincount(key, minlength=n_cells)
        ssum += np.bincount(key, weights=score[i:i + CHUNK], minlength=n_cells)
    nz = np.flatnonzero(cnt)
    k1, k2 = nz // span, nz % span
    rows = pd.DataFrame({"paper_year": np.where(k1 == span - 1, np.nan, k1 + lo),
                         "patent_year": np.where(k2 == span - 1, np.nan, k2 + lo),
                         "pairs": cnt[nz].astype(np.int64), "score_sum": ssum[nz]})
    return rows


def aggregates(store: Any, tau: float, per_unit: float, keyword_tau: float | None, top_n: int,
               ) -> dict[str, pd.DataFrame]:
    """The raw aggregates of `transfer` (same columns as its Cypher): bins, year_pairs,
    country_flows, ipc_flows (by full code), keyword_flows (None when keyword_tau is None), top."""
    t = store.execute_arrow(PAIRS, {"tau": float(tau)})
    a, p, score = _np(t["a"]), _np(t["p"]), t["score"].to_numpy()
    del t
    n_a = int(a.max()) + 1 if len(a) else 0
    n_p = int(p.max()) + 1 if len(p) else 0
    out: dict[str, pd.DataFrame] = {}

    # score bins
    bins = np.floor(score * per_unit + 1e-9).astype(np.int64)
    if len(bins):
        lo = bins.min()
        cnt = np.bincount(bins - lo)
        ssum = np.bincount(bins - lo, weights=score)
        keep = cnt > 0
        out["bins"] = pd.DataFrame({"bin": np.flatnonzero(keep) + lo, "pairs": cnt[keep], "score_sum": ssum[keep]})
    else:
        out["bins"] = pd.DataFrame({"bin": [], "pairs": [], "score_sum": []})

    # year pairs (pairs with a missing year drop out, as in Cypher's grouping they form a null group:
    # kept here as NaN so that the counts reconcile)
    ya = _years(store, "Paper", max(n_a, 1))
    yp = _years(store, "Patent", max(n_p, 1))
    out["year_pairs"] = _year_pairs(ya, yp, a, p, score)
    del ya, yp, bins

    # countries and IPC codes per node
    pa_n, pa_v, countries = _codes(store, COUNTRIES.format(label="Paper"))
    pt_n, pt_v, pt_countries = _codes(store, COUNTRIES.format(label="Patent"))
    # one country index space for both sides
    allc = np.unique(np.concatenate([countries, pt_countries]).astype(str))
    pa_v = np.searchsorted(allc, countries.astype(str))[pa_v]
    pt_v = np.searchsorted(allc, pt_countries.astype(str))[pt_v]
    paper_c = _Multi(pa_n, pa_v, max(n_a, int(pa_n.max()) + 1 if len(pa_n) else 0))
    patent_c = _Multi(pt_n, pt_v, max(n_p, int(pt_n.max()) + 1 if len(pt_n) else 0))
    ip_n, ip_v, codes = _codes(store, PATENT_IPC)
    patent_ipc = _Multi(ip_n, ip_v, max(n_p, int(ip_n.max()) + 1 if len(ip_n) else 0))
    nc, ncode = len(allc), len(codes)
    cf_n = np.zeros(nc * nc)
    cf_s = np.zeros(nc * nc)
    ipc_n = np.zeros(max(nc * ncode, 1))
    ipc_s = np.zeros(max(nc * ncode, 1))
    for i in range(0, len(a), CHUNK):
        ca, cp, cs = a[i:i + CHUNK], p[i:i + CHUNK], score[i:i + CHUNK]
        r1, src = paper_c.expand(ca)
        r2, dst = patent_c.expand(cp[r1])
        key = src[r2] * nc + dst
        cf_n += np.bincount(key, minlength=nc * nc)
        cf_s += np.bincount(key, weights=cs[r1][r2], minlength=nc * nc)
        if ncode:
            r3, code = patent_ipc.expand(cp[r1])
            key = src[r3] * ncode + code
            ipc_n += np.bincount(key, minlength=nc * ncode)
            ipc_s += np.bincount(key, weights=cs[r1][r3], minlength=nc * ncode)
    nz = np.flatnonzero(cf_n)
    out["country_flows"] = pd.DataFrame({"source": allc[nz // nc], "target": allc[nz % nc],
                                         "pairs": cf_n[nz].astype(np.int64), "score_sum": cf_s[nz]})
    nz = np.flatnonzero(ipc_n) if ncode else np.zeros(0, dtype=np.int64)
    out["ipc_flows"] = pd.DataFrame({"source": allc[nz // max(ncode, 1)], "code": codes[nz % max(ncode, 1)],
                                     "pairs": ipc_n[nz].astype(np.int64), "score_sum": ipc_s[nz]})

    # shared keywords: for each paper keyword of a pair, the number of times the patent has it
    if keyword_tau is not None:
        names = store.execute_arrow(KEYWORD_NAMES)
        n_k = int(pc.max(names["k"]).as_py()) + 1 if names.num_rows else 0
        ka = store.execute_arrow(KEYWORDS.format(label="Paper"))
        paper_k = _Multi(_np(ka["n"]), _np(ka["k"]), max(n_a, int(pc.max(ka["n"]).as_py() or 0) + 1 if ka.num_rows else 0))
        del ka
        kp = store.execute_arrow(KEYWORDS.format(label="Patent"))
        pkeys = np.sort(_np(kp["n"]) * max(n_k, 1) + _np(kp["k"]))
        del kp
        kw_n = np.zeros(max(n_k, 1))
        kw_s = np.zeros(max(n_k, 1))
        sel = np.flatnonzero(score >= keyword_tau)
        pat_k = _Multi(pkeys // max(n_k, 1), pkeys % max(n_k, 1), max(n_p, int(pkeys.max() // max(n_k, 1)) + 1
                                                                      if len(pkeys) else 0))
        wa, wp = (int(paper_k.counts.max()) if len(paper_k.counts) else 0), (int(pat_k.counts.max()) if len(pat_k.counts) else 0)
        if 0 < wa * wp <= 400:
            # padded keyword matrices: compare each pair's lists all-against-all (sequential memory)
            pa_m, pt_m = paper_k.padded(-1), pat_k.padded(-2)
            step = max(1, CHUNK // (wa * wp) * 8)
            for i in range(0, len(sel), step):
                idx = sel[i:i + step]
                x = pa_m[a[idx]]
                m = (x[:, :, None] == pt_m[p[idx]][:, None, :]).sum(axis=2)
                hit = m > 0
                k = x[hit]
                w = m[hit].astype(float)
                kw_n += np.bincount(k, weights=w, minlength=max(n_k, 1))
                kw_s += np.bincount(k, weights=w * np.broadcast_to(score[idx][:, None], x.shape)[hit],
                                    minlength=max(n_k, 1))
        else:
            for i in range(0, len(sel), CHUNK):
                idx = sel[i:i + CHUNK]
                r, k = paper_k.expand(a[idx])
                q = p[idx][r] * max(n_k, 1) + k
                m = (np.searchsorted(pkeys, q, side="right") - np.searchsorted(pkeys, q, side="left")).astype(float)
                kw_n += np.bincount(k, weights=m, minlength=max(n_k, 1))
                kw_s += np.bincount(k, weights=m * score[idx][r], minlength=max(n_k, 1))
        name_of = np.empty(max(n_k, 1), dtype=object)
        name_of[_np(names["k"])] = np.asarray(names["name"].to_pylist(), dtype=object)
        nz = np.flatnonzero(kw_n)
        out["keyword_flows"] = pd.DataFrame({"keyword": name_of[nz], "pairs": kw_n[nz].astype(np.int64),
                                             "score_sum": kw_s[nz]})

    # top pairs: every pair scoring at least the n-th best (ties included), then the Cypher's order
    if top_n and len(score):
        thresh = np.partition(score, -min(top_n, len(score)))[-min(top_n, len(score))]
        cand = np.flatnonzero(score >= thresh)
        pa_d = store.execute(PAPER_DETAILS, {"offsets": sorted(set(a[cand].tolist()))}).set_index("a")
        pt_d = store.execute(PATENT_DETAILS, {"offsets": sorted(set(p[cand].tolist()))}).set_index("p")
        top = pd.concat([pa_d.loc[a[cand]].reset_index(drop=True), pt_d.loc[p[cand]].reset_index(drop=True)], axis=1)
        top["score"] = score[cand]
        top = top.sort_values(["score", "paper_id", "pn"], ascending=[False, True, True]).head(top_n)
        out["top"] = top[["paper_id", "paper_title", "paper_year", "pn", "patent_title", "patent_year",
                          "patent_country", "score"]].reset_index(drop=True)
    else:
        out["top"] = pd.DataFrame()
    return out
