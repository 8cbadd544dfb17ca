"""Synthetic data in the three DeepInnovationAI CSV formats (Tables 1-2 and Fig. 3 of the paper).

`synthesize(out_dir, SynthConfig(patents, papers, pairs, seed))` writes

- `DeepPatentAI.csv`: ID, PN, IPC, Title, Abstract, Year, Keywords, Novelty
- `DeepDiveAI.csv`: ID, Title, Source, Abstract, Name, Year, Cited, Keywords, Doi, Language,
  Type, Affiliations, Novelty
- `DeepCosineAI.csv`: paper_id, patent_id, similarity (or, with `pairs_variant="long"`,
  Paper_ID, Patent_ID, Similarity, Paper_Year, Patent_Year)

realistic in structure (publication numbers by office, IPC codes in the notations real files
use, Zipf-distributed keywords from a 20,000-term AI vocabulary as JSON lists, affiliations
ending in a country, exponential growth of filings, a right-skewed similarity density with its
mode near 0.65), deterministic for a seed (same config -> byte-identical files) and in bounded
memory at any scale.

How it stays fast: nothing loops over rows in Python. A chunk of rows is a set of NumPy index
arrays into pools of pre-built strings (terms, sentences, names, affiliations, separators
baked into the pool entries); one Arrow `binary_join_element_wise` turns the pieces into CSV
lines, and the data buffer of that string array is written to the file as it is. Quoting is
decided in NumPy (which pieces hold a comma is known), so no text is scanned or copied twice.
The three files are generated concurrently, each with a writer thread that does the final join
and the write, so both cores stay busy. Per-entity state is a few small arrays (years as int16,
publication-number formats, pair degrees, a year-sorted patent permutation).

Text never contains a line break, so line i + 1 of a file is row i. Quoting is RFC 4180,
minimal (a field is quoted only when it holds a comma or a quote), UTF-8, `\n` line ends.
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from queue import Queue

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from tqdm import tqdm

from innograph.ingest import synth_vocab as V

FULL_SCALE = {"patents": 2_356_204, "papers": 3_511_929, "pairs": 100_000_000}
YEAR_MIN, YEAR_MAX = 1960, 2020
N_YEARS = YEAR_MAX - YEAR_MIN + 1

PATENT_HEADER = ("ID", "PN", "IPC", "Title", "Abstract", "Year", "Keywords", "Novelty")
PAPER_HEADER = ("ID", "Title", "Source", "Abstract", "Name", "Year", "Cited", "Keywords", "Doi",
                "Language", "Type", "Affiliations", "Novelty")
PAIR_HEADER = ("paper_id", "patent_id", "similarity")
PAIR_HEADER_LONG = ("Paper_ID", "Patent_ID", "Similarity", "Paper_Year", "Patent_Year")
FILE_NAMES = {"patents": "DeepPatentAI.csv", "papers": "DeepDiveAI.csv",
              "pairs": "DeepCosineAI.csv"}

VOCAB_SIZE = 20_000
ZIPF_EXPONENT = 1.1
_TEXT_CHUNK_MAX = 50_000  # rows of text per batch (~60 MB of lines): bounds peak memory


@dataclass(frozen=True)
class SynthConfig:
    """Sizes and seed of one synthetic dataset.

    `chunk_rows` bounds the pairs generated at once; patents and papers go in batches of at
    most 50,000 rows because their rows are ~1 kB of text. `pairs_variant` is "short"
    (paper_id, patent_id, similarity) or "long" (adds Paper_Year and Patent_Year).
    """

    patents: int
    papers: int
    pairs: int
    seed: int = 0
    chunk_rows: int = 500_000
    pairs_variant: str = "short"

    def __post_init__(self):
        for name in ("patents", "papers", "pairs", "seed", "chunk_rows"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
                raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
        if self.chunk_rows < 1:
            raise ValueError(f"chunk_rows must be at least 1, got {self.chunk_rows}")
        if self.pairs_variant not in ("short", "long"):
            raise ValueError(f"pairs_variant must be 'short' or 'long', got {self.pairs_variant!r}")
        if self.pairs and (self.patents == 0 or self.papers == 0):
            raise ValueError("pairs need at least one patent and one paper")
        if self.pairs > self.papers * _max_degree(self.patents):
            raise ValueError(
                f"{self.pairs} distinct pairs do not fit: at most {_max_degree(self.patents)} "
                f"patents per paper, {self.papers * _max_degree(self.patents)} pairs in all")

    @classmethod
    def scaled(cls, fraction: float, **kwargs) -> SynthConfig:
        """The full DeepInnovationAI sizes times `fraction` (0.1 -> 235,620 / 351,193 / 10M)."""
        sizes = {k: int(round(v * fraction)) for k, v in FULL_SCALE.items()}
        return cls(**sizes, **kwargs)


def _max_degree(n_patents: int) -> int:
    """Most patents one paper may pair with (half of them, so sampling stays fast)."""
    return max(1, n_patents // 2)


# ---------------------------------------------------------------------------------------------
# string helpers: a row is a list of parts (Arrow string arrays or str scalars), joined once.


def _lines(parts) -> pa.Array:
    """Concatenate parts element-wise; null parts count as "" (absent optional pieces)."""
    out = pc.binary_join_element_wise(*parts, "", null_handling="replace", null_replacement="")
    lengths = {len(p) for p in parts if isinstance(p, (pa.Array, pa.ChunkedArray))}
    if lengths and lengths != {len(out)}:
        raise AssertionError("binary_join_element_wise changed the row count")
    return out


def _str(values: np.ndarray) -> pa.Array:
    return pc.cast(pa.array(values), pa.string())


def _take(pool: pa.Array, idx: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    """pool[idx]; rows where `mask` is True become null (that is, "" in `_lines`)."""
    return pool.take(pa.array(idx, mask=mask))


_ONE: dict[str, pa.Array] = {}


def _const(text: str, mask: np.ndarray) -> pa.Array:
    """`text` per row, null where `mask`."""
    pool = _ONE.setdefault(text, pa.array([text]))
    return pool.take(pa.array(np.zeros(len(mask), np.int32), mask=mask))


def _fixed4(values: np.ndarray) -> list:
    """Parts of non-negative floats as text with exactly four decimals ("7.0312")."""
    v = np.rint(np.asarray(values, dtype=np.float64) * 10_000).astype(np.int64)
    return [_str(v // 10_000), ".", pc.utf8_lpad(_str(v % 10_000), 4, "0")]


def _check_pool(strings, commas: bool = True) -> None:
    for s in strings:
        if '"' in s or "\n" in s or "\r" in s or (not commas and "," in s):
            raise AssertionError(f"pool string holds a quote, comma or line break: {s!r}")


def _cdf(weights) -> np.ndarray:
    w = np.asarray(weights, dtype=np.float64)
    c = np.cumsum(w / w.sum())
    c[-1] = 1.0
    return c


def _pick(cdf: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Index into a discrete distribution for uniforms `u`."""
    return np.minimum(np.searchsorted(cdf, u, side="right"), len(cdf) - 1)


def _table(cdf: np.ndarray, bits: int = 16) -> np.ndarray:
    """Lookup table for a discrete distribution: uniform integer of `bits` bits -> index."""
    return _pick(cdf, (np.arange(1 << bits) + 0.5) / (1 << bits)).astype(np.int32)


def _row_cdf_pick(cdf_rows: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Per-row discrete choice: `cdf_rows` (n, k) cumulative, `u` (n,)."""
    return np.minimum((u[:, None] >= cdf_rows).sum(axis=1), cdf_rows.shape[1] - 1)


def _distinct_first(cand: np.ndarray, k: np.ndarray, width: int) -> np.ndarray:
    """First `k[i]` distinct values of row i of `cand` in order; -1 pads (fewer if not enough)."""
    n, m = cand.shape
    cand = np.ascontiguousarray(cand, dtype=np.int32)
    ok = np.ones((n, m), dtype=bool)
    for j in range(1, m):
        ok[:, j] = ~(cand[:, :j] == cand[:, j:j + 1]).any(axis=1)
    pos = np.cumsum(ok, axis=1) - 1
    take = ok & (pos < k[:, None])
    out = np.full((n, width), -1, dtype=np.int64)
    rows, cols = np.nonzero(take)
    out[rows, pos[rows, cols]] = cand[rows, cols]
    return out


def _listed(pool_first: pa.Array, pool_next: pa.Array, idx: np.ndarray) -> list:
    """Parts of a separated list: idx (n, w), -1 = absent; `pool_next` entries carry the
    separator in front. Column 0 must be present in every row."""
    parts = [_take(pool_first, np.maximum(idx[:, 0], 0), idx[:, 0] < 0)]
    parts += [_take(pool_next, np.maximum(idx[:, j], 0), idx[:, j] < 0)
              for j in range(1, idx.shape[1])]
    return parts


# ---------------------------------------------------------------------------------------------
# vocabulary and pools (seed-independent, built once)


@dataclass(frozen=True)
class _Vocab:
    terms: tuple[str, ...]
    plain: pa.Array  # V terms, then V capitalised terms, then ""
    json_first: pa.Array  # '""term""': a JSON string inside a quoted CSV field
    json_next: pa.Array  # ', ""term""'
    patent_order: np.ndarray  # rank -> term index
    paper_order: np.ndarray
    zipf_table: np.ndarray  # 2**22 uniform buckets -> rank
    generic: np.ndarray  # bool per term: too generic for a title

    @property
    def size(self) -> int:
        return len(self.terms)

    @property
    def empty(self) -> int:
        return 2 * self.size


_ZIPF_BITS = 22


@lru_cache(maxsize=1)
def _vocab() -> _Vocab:
    rng = np.random.default_rng(20_250_324)
    terms = list(dict.fromkeys(V.CORE_TERMS + V.PATENT_HEAD + V.PAPER_HEAD))
    seen = set(terms)
    combos: list[tuple[float, str]] = []
    for ti, t in enumerate(V.CORE_TERMS):
        words = t.split()
        for mi, m in enumerate(V.MODIFIERS):
            if m.split()[-1] in words or words[0] in m.split():
                continue
            combos.append((np.log(ti + 2) + 0.7 * np.log(mi + 2), f"{m} {t}"))
        for si, s in enumerate(V.SUFFIXES):
            if words[-1] == s or (s in ("network", "model") and words[-1] in ("network", "model")):
                continue
            combos.append((np.log(ti + 2) + 0.7 * np.log(si + 2) + 0.3, f"{t} {s}"))
    noise = rng.gumbel(size=len(combos)) * 0.6
    ranked = sorted(range(len(combos)), key=lambda i: (combos[i][0] + noise[i], combos[i][1]))
    for i in ranked:
        if len(terms) >= VOCAB_SIZE:
            break
        if combos[i][1] not in seen:
            terms.append(combos[i][1])
            seen.add(combos[i][1])
    _check_pool(terms, commas=False)
    patent_re = re.compile("|".join(map(re.escape, V.PATENT_WORDS)))
    paper_re = re.compile("|".join(map(re.escape, V.PAPER_WORDS)))
    tilt_patent = np.array([bool(patent_re.search(t)) - bool(paper_re.search(t)) for t in terms],
                           dtype=np.float64)
    base = np.log(np.arange(len(terms)) + 2.0)
    index = {t: i for i, t in enumerate(terms)}
    orders = []
    for head, sign, stream in ((V.PATENT_HEAD, 1.0, 1), (V.PAPER_HEAD, -1.0, 2)):
        r = np.random.default_rng([20_250_324, stream])
        score = base - 0.9 * sign * tilt_patent + r.normal(0.0, 0.5, len(terms))
        head_idx = [index[t] for t in head]
        score[head_idx] = -10.0 + np.arange(len(head_idx)) * 1e-3
        orders.append(np.argsort(score, kind="stable").astype(np.int32))
    table = _table(_cdf((np.arange(len(terms)) + 1.0) ** -ZIPF_EXPONENT), _ZIPF_BITS)
    caps = [t[0].upper() + t[1:] for t in terms]
    return _Vocab(
        terms=tuple(terms),
        plain=pa.array(terms + caps + [""], pa.string()),
        json_first=pa.array([f'""{t}""' for t in terms], pa.string()),
        json_next=pa.array([f', ""{t}""' for t in terms], pa.string()),
        patent_order=orders[0], paper_order=orders[1], zipf_table=table,
        generic=np.array([t in V.GENERIC_TERMS for t in terms]),
    )


def _zipf_terms(rng: np.random.Generator, shape, order: np.ndarray) -> np.ndarray:
    ranks = _vocab().zipf_table[rng.integers(0, 1 << _ZIPF_BITS, size=shape, dtype=np.int32)]
    return order[ranks]


@dataclass(frozen=True)
class _Sentences:
    pool: pa.Array  # sentence + " "
    comma: np.ndarray  # bool per sentence


@lru_cache(maxsize=2)
def _sentences(kind: str, n: int = 6000) -> _Sentences:
    """A pool of filled template sentences for patent or paper abstracts."""
    voc = _vocab()
    rng = np.random.default_rng([20_250_324, 10 if kind == "patent" else 11])
    templates = V.PATENT_SENTENCES if kind == "patent" else V.PAPER_SENTENCES
    order = voc.patent_order if kind == "patent" else voc.paper_order
    t_idx = rng.integers(0, len(templates), n)
    fills = _zipf_terms(rng, (n, 3), order)
    out = []
    for i in range(n):
        a, b, c = (voc.terms[j] for j in fills[i])
        out.append(templates[t_idx[i]].format(A=a, B=b, C=c) + " ")
    _check_pool(out)
    return _Sentences(pa.array(out, pa.string()), np.array(["," in s for s in out]))


# ---------------------------------------------------------------------------------------------
# shared column builders


def _years(rng: np.random.Generator, n: int, rate: float) -> np.ndarray:
    """Filing/publication years 1960-2020 with exponential growth (2020 partly covered)."""
    w = np.exp(rate * np.arange(N_YEARS))
    w[-1] *= 0.85
    return (YEAR_MIN + _pick(_cdf(w), rng.random(n))).astype(np.int16)


def _keywords(rng: np.random.Generator, n: int, order: np.ndarray) -> np.ndarray:
    """(n, 10) term indices, -1 padded: 3-10 distinct Zipf-drawn keywords per row."""
    k = 3 + rng.binomial(7, 0.4, n)
    kw = _distinct_first(_zipf_terms(rng, (n, 16), order), k, 10)
    short = np.flatnonzero(kw[:, 2] < 0)  # fewer than 3 distinct in 16 draws: ~1e-11 per row
    while len(short):
        cand = np.column_stack([kw[short, :2], rng.integers(0, len(order), (len(short), 16))])
        cand = np.where(cand < 0, cand[:, 2:3], cand)
        kw[short] = _distinct_first(cand, k[short], 10)
        short = short[kw[short, 2] < 0]
    return kw


def _subjects(kw: np.ndarray, order: np.ndarray) -> np.ndarray:
    """(n, 3) keywords that name the document in its title and abstract: the rarest, the second
    rarest and the most common of its non-generic keywords (rare terms keep titles distinct)."""
    voc = _vocab()
    n, w = kw.shape
    rank = np.empty(len(order), np.int64)
    rank[order] = np.arange(len(order))
    cls = np.where(kw < 0, 2, voc.generic[np.maximum(kw, 0)].astype(np.int64))
    slots = np.argsort(cls * (1 << 20) - rank[np.maximum(kw, 0)], axis=1, kind="stable")
    ranked = np.take_along_axis(kw, slots, axis=1)
    last = np.maximum((cls == 0).sum(axis=1) - 1, 1)  # most common non-generic, at least slot 1
    rows = np.arange(n)
    return np.column_stack([ranked[:, 0], np.where(last > 1, ranked[:, 1], ranked[:, 2]),
                            ranked[rows, last]])


def _keywords_parts(kw: np.ndarray) -> list:
    """`"[""a"", ""b""]"`: a JSON list in a quoted CSV field."""
    voc = _vocab()
    return ['"[', *_listed(voc.json_first, voc.json_next, kw), ']"']


@lru_cache(maxsize=4)
def _templates(templates: tuple) -> tuple:
    p1, p2, p3 = (pa.array([t[i] for t in templates]) for i in range(3))
    comma = np.array([any("," in t[i] for i in range(3)) for t in templates])
    cap = np.array([t[0] == "" for t in templates])
    use_b = np.array([t[3] for t in templates])
    return p1, p2, p3, comma, cap, use_b


def _title_parts(subj: np.ndarray, templates: tuple, tmpl: np.ndarray) -> list:
    voc = _vocab()
    p1, p2, p3, comma, cap, use_b = _templates(templates)
    a = subj[:, 0] + cap[tmpl] * voc.size
    b = np.where(use_b[tmpl], subj[:, 1], voc.empty)
    q = _const('"', ~comma[tmpl])
    t = pa.array(tmpl)
    return [q, p1.take(t), _take(voc.plain, a), p2.take(t), _take(voc.plain, b), p3.take(t), q]


@lru_cache(maxsize=2)
def _abstract_pools(kind: str) -> tuple:
    if kind == "patent":
        openings, links, closings = V.PATENT_OPENINGS, V.PATENT_OPENING_LINKS, V.PATENT_CLOSINGS
    else:
        openings, links, closings = V.PAPER_OPENINGS, V.PAPER_OPENING_LINKS, V.PAPER_CLOSINGS
    close_a = [s.split("{A}")[0] for s in closings]
    close_b = [s.split("{A}")[1] for s in closings]
    pools = (openings, links, close_a, close_b)
    for p in pools:
        _check_pool(p)
    return tuple(pa.array(p) for p in pools) + tuple(
        np.array(["," in s for s in p]) for p in pools)


def _abstract_parts(rng: np.random.Generator, subj: np.ndarray, kind: str,
                    empty_share: float) -> list:
    """Opening with subjects 1-2, 2-5 (patents) or 3-6 (papers) pool sentences, closing with
    subject 3; a share of rows empty."""
    voc = _vocab()
    sent = _sentences(kind)
    opening, link, close_a, close_b, c_open, c_link, c_a, c_b = _abstract_pools(kind)
    n = len(subj)
    empty = rng.random(n) < empty_share
    o = rng.integers(0, len(opening), n)
    li = rng.integers(0, len(link), n)
    c = rng.integers(0, len(close_a), n)
    m = rng.integers(2, 6, n) if kind == "patent" else rng.integers(3, 7, n)
    idx = rng.integers(0, len(sent.pool), (n, 6))
    absent = (np.arange(6)[None, :] >= m[:, None]) | empty[:, None]
    comma = c_open[o] | c_link[li] | c_a[c] | c_b[c] | (sent.comma[idx] & ~absent).any(axis=1)
    q = _const('"', ~comma | empty)
    return [
        q, _take(opening, o, empty), _take(voc.plain, subj[:, 0], empty), _take(link, li, empty),
        _take(voc.plain, subj[:, 1], empty), _const(". ", empty),
        *[_take(sent.pool, idx[:, j], absent[:, j]) for j in range(6)],
        _take(close_a, c, empty), _take(voc.plain, subj[:, 2], empty), _take(close_b, c, empty), q,
    ]


# ---------------------------------------------------------------------------------------------
# patents


@dataclass(frozen=True)
class _PatentTables:
    countries: tuple[str, ...]
    country_cdf: np.ndarray  # (N_YEARS, C)
    fmt_cdf: np.ndarray  # (C, F_max) within-country cumulative
    fmt_index: np.ndarray  # (C, F_max) -> format id
    prefix: pa.Array
    mid: pa.Array
    suffix: pa.Array
    year_embedded: np.ndarray
    width: np.ndarray
    base: np.ndarray
    step: np.ndarray
    us_app: int
    us_grant: int
    ipc_first: pa.Array  # notation * n_codes + code
    ipc_next: pa.Array  # the same with the notation's separator in front
    n_codes: int
    ipc_table: np.ndarray  # Zipf over codes
    ipc_k_table: np.ndarray


# notation: 0 `;` compact (90%), 1 spaced, 2 fixed width, 3 Python list, 4 `|`, 5 `, `
_IPC_SEP = (";", ";", ";", ", ", "|", ", ")
_IPC_PRE = ("", "[", '"', '"[')  # index: list notation + 2 * quoted
_IPC_POST = ("", "]", '"', ']"')


@lru_cache(maxsize=1)
def _patent_tables() -> _PatentTables:
    countries = tuple(c[0] for c in V.PATENT_COUNTRIES)
    years = np.arange(YEAR_MIN, YEAR_MAX + 1)
    t = np.clip((years - 1990) / 25.0, 0.0, 1.0)
    w = np.zeros((N_YEARS, len(countries)))
    for j, (_, first, early, late) in enumerate(V.PATENT_COUNTRIES):
        share = early + (late - early) * t
        w[:, j] = np.where(years >= first, np.maximum(share, 0.003), 0.0)
    country_cdf = np.cumsum(w / w.sum(axis=1, keepdims=True), axis=1)
    country_cdf[:, -1] = 1.0
    fmts = V.PN_FORMATS
    per = [[i for i, f in enumerate(fmts) if f[0] == c] for c in countries]
    fmax = max(len(p) for p in per)
    fmt_cdf = np.ones((len(countries), fmax))
    fmt_index = np.zeros((len(countries), fmax), dtype=np.int64)
    for ci, ids in enumerate(per):
        fmt_cdf[ci, :len(ids)] = _cdf([fmts[i][8] for i in ids])
        fmt_index[ci, :len(ids)] = ids
        fmt_index[ci, len(ids):] = ids[-1]
    us_app = next(i for i, f in enumerate(fmts) if f[0] == "US" and f[2])
    us_grant = next(i for i, f in enumerate(fmts) if f[0] == "US" and f[7] == "B2")
    codes = V.IPC_CODES
    first, nxt = [], []
    for notation, fn in enumerate((_ipc_compact, _ipc_spaced, _ipc_padded, _ipc_quoted,
                                   _ipc_compact, _ipc_compact)):
        first.extend(fn(c) for c in codes)
        nxt.extend(_IPC_SEP[notation] + fn(c) for c in codes)
    _check_pool(first + nxt)
    return _PatentTables(
        countries=countries, country_cdf=country_cdf, fmt_cdf=fmt_cdf, fmt_index=fmt_index,
        prefix=pa.array([f[1] for f in fmts]), mid=pa.array([f[3] for f in fmts]),
        suffix=pa.array([f[7] for f in fmts]),
        year_embedded=np.array([f[2] for f in fmts]), width=np.array([f[4] for f in fmts]),
        base=np.array([f[5] for f in fmts], dtype=np.int64),
        step=np.array([f[6] for f in fmts], dtype=np.int64), us_app=us_app, us_grant=us_grant,
        ipc_first=pa.array(first), ipc_next=pa.array(nxt), n_codes=len(codes),
        ipc_table=_table(_cdf((np.arange(len(codes)) + 1.0) ** -1.0)),
        ipc_k_table=_table(_cdf([0.30, 0.35, 0.22, 0.13])),
    )


def _ipc_compact(code: str) -> str:
    return code


def _ipc_spaced(code: str) -> str:
    return f"{code[:4]} {code[4:]}"


def _ipc_padded(code: str) -> str:
    group, sub = code[4:].split("/")
    return f"{code[:4]}{group.zfill(4)}{sub.ljust(6, '0')}"


def _ipc_quoted(code: str) -> str:
    return f"'{code}'"


def _ipc_parts(rng: np.random.Generator, n: int) -> list:
    """1-4 distinct codes (Zipf over ~40), 90% `G06N3/08;G06F17/16`, 10% other notations."""
    tab = _patent_tables()
    k = 1 + tab.ipc_k_table[rng.integers(0, 1 << 16, n, dtype=np.int32)]
    cand = tab.ipc_table[rng.integers(0, 1 << 16, (n, 6), dtype=np.int32)]
    codes = _distinct_first(cand, k, 4)
    notation = np.where(rng.random(n) < 0.9, 0, rng.integers(1, 6, n))
    idx = np.where(codes >= 0, codes + (notation * tab.n_codes)[:, None], -1)
    quoted = np.isin(notation, (3, 5)) & ((codes >= 0).sum(axis=1) > 1)
    wrap = pa.array((notation == 3) + 2 * quoted)
    return [pa.array(_IPC_PRE).take(wrap), *_listed(tab.ipc_first, tab.ipc_next, idx),
            pa.array(_IPC_POST).take(wrap)]


_PUB_YEARS = 64  # publication years 1960..2023 per format


def _patent_offices(rng: np.random.Generator, years: np.ndarray, chunk: int = 200_000):
    """Per patent: publication-number format (by office, year-dependent mix) and publication
    year; and per (format, publication year) group the first serial, so that plain numbers
    grow with the year (CN100000001A ... CN102345678A) and stay unique."""
    tab = _patent_tables()
    n = len(years)
    fmt = np.empty(n, np.int16)
    pub = np.empty(n, np.int16)
    for s in range(0, n, chunk):
        y = years[s:s + chunk].astype(np.int64)
        m = len(y)
        country = _row_cdf_pick(tab.country_cdf[y - YEAR_MIN], rng.random(m))
        local = _row_cdf_pick(tab.fmt_cdf[country], rng.random(m))
        f = tab.fmt_index[country, local]
        p = y + _pick(_cdf([0.1, 0.6, 0.3]), rng.random(m))
        fmt[s:s + m] = np.where((f == tab.us_app) & (p < 2001), tab.us_grant, f)
        pub[s:s + m] = p
    n_fmt = len(V.PN_FORMATS)
    counts = np.bincount(_pn_group(fmt, pub), minlength=n_fmt * _PUB_YEARS)
    counts = counts.reshape(n_fmt, _PUB_YEARS)
    first = np.zeros_like(counts)
    plain = ~tab.year_embedded
    first[plain] = np.cumsum(counts[plain], axis=1) - counts[plain]
    return fmt, pub, first.ravel()


def _pn_group(fmt: np.ndarray, pub: np.ndarray) -> np.ndarray:
    return fmt.astype(np.int64) * _PUB_YEARS + (pub.astype(np.int64) - YEAR_MIN)


_POW10 = 10 ** np.arange(19, dtype=np.int64)
_ZEROS = pa.array(["0" * i for i in range(20)])
_YEAR_STRINGS = pa.array([""] + [str(y) for y in range(1, 2200)])  # index 0 is ""


def _publication_number_parts(rng: np.random.Generator, fmt: np.ndarray, pub: np.ndarray,
                              first_serial: np.ndarray, counters: np.ndarray) -> list:
    """Unique publication numbers: a serial per (format, publication year) group, counted
    across chunks in `counters`. A year-embedded number starts at an offset of its group;
    its text is prefix + year + middle + zero-padded number + kind, so it is unique too."""
    tab = _patent_tables()
    n = len(fmt)
    fmt = fmt.astype(np.int64)
    group = _pn_group(fmt, pub)
    order = np.argsort(group, kind="stable")
    g_sorted = group[order]
    starts = np.flatnonzero(np.r_[True, g_sorted[1:] != g_sorted[:-1]])
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n) - np.repeat(starts, np.diff(np.r_[starts, n]))
    serial = first_serial[group] + counters[group] + rank
    counters += np.bincount(group, minlength=len(counters))
    emb = tab.year_embedded[fmt]
    width = tab.width[fmt]
    golden = ((group + 1) * 0.6180339887498949) % 1.0
    offset = np.where(emb, (10.0 ** (width - 1) * (0.1 + 0.9 * golden)).astype(np.int64), 0)
    step = tab.step[fmt]
    number = tab.base[fmt] + offset + serial * step + (rng.random(n) * step).astype(np.int64)
    digits = np.maximum(np.searchsorted(_POW10, number, side="right"), 1)
    pad = np.maximum(width - digits, 0)
    return [tab.prefix.take(pa.array(fmt)), _take(_YEAR_STRINGS, np.where(emb, pub, 0)),
            tab.mid.take(pa.array(fmt)), _take(_ZEROS, pad), _str(number),
            tab.suffix.take(pa.array(fmt))]


def _patent_parts(rng: np.random.Generator, start: int, years: np.ndarray, offices,
                  counters: np.ndarray) -> list:
    voc = _vocab()
    n = len(years)
    fmt, pub, first_serial = offices
    pn = _publication_number_parts(rng, fmt[start:start + n], pub[start:start + n],
                                   first_serial, counters)
    ipc = _ipc_parts(rng, n)
    kw = _keywords(rng, n, voc.patent_order)
    subj = _subjects(kw, voc.patent_order)
    templates = V.PATENT_TITLE_TEMPLATES
    title = _title_parts(subj, templates, rng.integers(0, len(templates), n))
    abstract = _abstract_parts(rng, subj, "patent", 0.02)
    novelty = rng.lognormal(np.log(8.0) + 0.012 * (years.astype(np.float64) - 2000), 0.45)
    return [_str(np.arange(start + 1, start + n + 1, dtype=np.int64)), ",", *pn, ",", *ipc, ",",
            *title, ",", *abstract, ",", _take(_YEAR_STRINGS, years), ",", *_keywords_parts(kw),
            ",", *_fixed4(novelty), "\n"]


# ---------------------------------------------------------------------------------------------
# papers


@dataclass(frozen=True)
class _PaperTables:
    venue: pa.Array  # CSV-ready names
    venue_cdf: np.ndarray
    venue_start: np.ndarray
    venue_kind: np.ndarray  # index into _KINDS
    venue_doi: pa.Array
    fallback_venue: int
    type_names: pa.Array
    type_cdf: np.ndarray  # (n_kinds, max types)
    type_index: np.ndarray
    review_type: int
    lang: pa.Array
    lang_cdf: np.ndarray
    chinese: int
    aff_first: pa.Array  # "Institution, City, Country alias"; last entry ""
    aff_next: pa.Array  # "; " + the same
    country_cdf: np.ndarray  # (N_YEARS, n_countries)
    country_table: np.ndarray  # year-independent shares
    cn: int
    inst_start: np.ndarray  # per country, into institutions
    inst_count: np.ndarray
    inst_alias_start: np.ndarray  # per institution, into aff pools
    inst_country: np.ndarray  # per institution
    alias_cdf: np.ndarray  # (n_countries, max aliases)
    names_first: pa.Array
    names_next: pa.Array  # "; " + name
    culture_of_country: np.ndarray
    name_start: np.ndarray
    name_count: np.ndarray
    culture_table: np.ndarray


_KINDS = ("conference", "series", "journal", "preprint")


@lru_cache(maxsize=1)
def _paper_tables() -> _PaperTables:
    venues = V.VENUES
    _check_pool(v[0] for v in venues)
    types = sorted({t for opts in V.TYPES.values() for t, _ in opts})
    tmax = max(len(o) for o in V.TYPES.values())
    type_cdf = np.ones((len(_KINDS), tmax))
    type_index = np.zeros((len(_KINDS), tmax), dtype=np.int64)
    for ki, kind in enumerate(_KINDS):
        opts = V.TYPES[kind]
        type_cdf[ki, :len(opts)] = _cdf([w for _, w in opts])
        type_index[ki, :len(opts)] = [types.index(t) for t, _ in opts]
        type_index[ki, len(opts):] = type_index[ki, len(opts) - 1]
    countries = list(V.AFFILIATION_COUNTRIES)
    shares = np.array([V.AFFILIATION_COUNTRIES[c][0] for c in countries])
    years = np.arange(YEAR_MIN, YEAR_MAX + 1)
    adj = np.ones((N_YEARS, len(countries)))
    cn, us = countries.index("CN"), countries.index("US")
    adj[:, cn] = np.interp(years, [1960, 1990, 2005, 2020], [0.05, 0.15, 0.7, 1.3])
    adj[:, us] = np.interp(years, [1960, 1990, 2020], [2.5, 2.0, 0.9])
    w = shares[None, :] * adj
    country_cdf = np.cumsum(w / w.sum(axis=1, keepdims=True), axis=1)
    country_cdf[:, -1] = 1.0
    pool: list[str] = []
    inst_count, alias_start = [], []
    amax = max(len(v[1]) for v in V.AFFILIATION_COUNTRIES.values())
    alias_cdf = np.ones((len(countries), amax))
    for ci, c in enumerate(countries):
        _, aliases, _, insts = V.AFFILIATION_COUNTRIES[c]
        alias_cdf[ci, :len(aliases)] = _cdf([a[1] for a in aliases])
        inst_count.append(len(insts))
        for inst in insts:
            alias_start.append(len(pool))
            pool.extend(f"{inst}, {a}" for a, _ in aliases)
    _check_pool(pool)
    cultures = list(V.NAMES)
    name_pool: list[str] = []
    name_start, name_count = [], []
    for cu in cultures:
        given, family = V.NAMES[cu]
        name_start.append(len(name_pool))
        full = [f"{g} {f}" for f in family for g in given]
        name_count.append(len(full))
        name_pool.extend(full)
    _check_pool(name_pool, commas=False)
    culture_of_country = np.array([cultures.index(V.AFFILIATION_COUNTRIES[c][2])
                                   for c in countries])
    culture_w = np.bincount(culture_of_country, weights=shares, minlength=len(cultures))
    inst_count = np.array(inst_count)
    return _PaperTables(
        venue=pa.array([f'"{v[0]}"' if "," in v[0] else v[0] for v in venues]),
        venue_cdf=_cdf([v[4] for v in venues]), venue_start=np.array([v[3] for v in venues]),
        venue_kind=np.array([_KINDS.index(v[1]) for v in venues]),
        venue_doi=pa.array([v[2] for v in venues]),
        fallback_venue=next(i for i, v in enumerate(venues)
                            if v[3] <= YEAR_MIN and v[1] == "journal"),
        type_names=pa.array(types), type_cdf=type_cdf, type_index=type_index,
        review_type=types.index("Review"),
        lang=pa.array([name for name, _ in V.LANGUAGES]),
        lang_cdf=_cdf([w for _, w in V.LANGUAGES]),
        chinese=[name for name, _ in V.LANGUAGES].index("Chinese"),
        aff_first=pa.array(pool + [""]), aff_next=pa.array(["; " + a for a in pool]),
        country_cdf=country_cdf, country_table=_table(_cdf(shares)), cn=cn,
        inst_start=np.r_[0, np.cumsum(inst_count)[:-1]], inst_count=inst_count,
        inst_alias_start=np.array(alias_start), alias_cdf=alias_cdf,
        inst_country=np.repeat(np.arange(len(countries)), inst_count),
        names_first=pa.array(name_pool), names_next=pa.array(["; " + s for s in name_pool]),
        culture_of_country=culture_of_country, name_start=np.array(name_start),
        name_count=np.array(name_count), culture_table=_table(_cdf(culture_w)),
    )


def _affiliation_parts(rng: np.random.Generator, years: np.ndarray) -> tuple[list, np.ndarray]:
    """`;`-separated affiliations (1-3, ~3% none) and the first affiliation's country."""
    tab = _paper_tables()
    n = len(years)
    c0 = _row_cdf_pick(tab.country_cdf[years.astype(np.int64) - YEAR_MIN], rng.random(n))
    other = tab.country_table[rng.integers(0, 1 << 16, (n, 2), dtype=np.int32)]
    same = rng.random((n, 2)) < 0.7
    country = np.column_stack([c0, np.where(same, c0[:, None], other)])
    inst = tab.inst_start[country] + (rng.random((n, 3)) * tab.inst_count[country]).astype(np.int64)
    k = 1 + (rng.random(n) > 0.55) + (rng.random(n) > 0.83)
    k = np.where(rng.random(n) < 0.03, 0, k)
    inst = _distinct_first(inst, k, 3)
    home = tab.inst_country[np.maximum(inst, 0)]  # slots moved left by the de-duplication
    alias = _row_cdf_pick(tab.alias_cdf[home.ravel()], rng.random(3 * n)).reshape(n, 3)
    idx = np.where(inst >= 0, tab.inst_alias_start[np.maximum(inst, 0)] + alias, -1)
    idx[:, 0] = np.where(idx[:, 0] < 0, len(tab.aff_first) - 1, idx[:, 0])  # the "" entry
    q = _const('"', k == 0)  # every affiliation holds a comma
    return [q, *_listed(tab.aff_first, tab.aff_next, idx), q], c0


def _author_parts(rng: np.random.Generator, c0: np.ndarray) -> list:
    """1-10 authors, "Given Family; ...", mostly of the first affiliation's naming culture."""
    tab = _paper_tables()
    n = len(c0)
    k = np.clip(1 + rng.poisson(2.4, n), 1, 10)
    home = tab.culture_of_country[c0]
    culture = np.where(rng.random((n, 10)) < 0.75, home[:, None],
                       tab.culture_table[rng.integers(0, 1 << 16, (n, 10), dtype=np.int32)])
    idx = tab.name_start[culture] + (rng.random((n, 10)) * tab.name_count[culture]).astype(np.int64)
    idx[np.arange(10)[None, :] >= k[:, None]] = -1
    return _listed(tab.names_first, tab.names_next, idx)


_DOI_MOD = 100_000_000
_DOI_MUL = 7_654_321  # odd and not a multiple of 5: a bijection of 0..10**8-1


def _paper_parts(rng: np.random.Generator, start: int, years: np.ndarray) -> list:
    voc = _vocab()
    tab = _paper_tables()
    n = len(years)
    ids = np.arange(start + 1, start + n + 1, dtype=np.int64)
    y64 = years.astype(np.int64)
    venue = _pick(tab.venue_cdf, rng.random(n))
    for _ in range(4):
        bad = np.flatnonzero(tab.venue_start[venue] > y64)
        if not len(bad):
            break
        venue[bad] = _pick(tab.venue_cdf, rng.random(len(bad)))
    venue = np.where(tab.venue_start[venue] > y64, tab.fallback_venue, venue)
    kind = tab.venue_kind[venue]
    ptype = tab.type_index[kind, _row_cdf_pick(tab.type_cdf[kind], rng.random(n))]
    kw = _keywords(rng, n, voc.paper_order)
    subj = _subjects(kw, voc.paper_order)
    n_plain, n_review = len(V.PAPER_TITLE_TEMPLATES), len(V.REVIEW_TITLE_TEMPLATES)
    tmpl = np.where(ptype == tab.review_type, n_plain + rng.integers(0, n_review, n),
                    rng.integers(0, n_plain, n))
    title = _title_parts(subj, V.PAPER_TITLE_TEMPLATES + V.REVIEW_TITLE_TEMPLATES, tmpl)
    abstract = _abstract_parts(rng, subj, "paper", 0.02)
    affiliations, c0 = _affiliation_parts(rng, years)
    authors = _author_parts(rng, c0)
    age = (YEAR_MAX + 1 - y64).astype(np.float64)
    lam = np.exp(rng.normal(np.log1p(2.2 * age ** 0.9), 1.15))
    cited = rng.poisson(np.minimum(lam, 1e6))
    lang = _pick(tab.lang_cdf, rng.random(n))
    lang = np.where((c0 == tab.cn) & (rng.random(n) < 0.06), tab.chinese, lang)
    no_doi = rng.random(n) < 0.10
    scrambled = (ids * _DOI_MUL + 12_345) % _DOI_MOD
    doi = [_take(tab.venue_doi, venue, no_doi), _const(".", no_doi),
           _take(_YEAR_STRINGS, years, no_doi), _const(".", no_doi),
           pc.if_else(pa.array(no_doi), pa.scalar(None, pa.string()),
                      pc.utf8_lpad(_str(scrambled), 8, "0"))]
    novelty = rng.lognormal(np.log(10.0) - 0.006 * (y64 - 2000), 0.5)
    return [_str(ids), ",", *title, ",", _take(tab.venue, venue), ",", *abstract, ",", *authors,
            ",", _take(_YEAR_STRINGS, years), ",", _str(cited), ",", *_keywords_parts(kw), ",",
            *doi, ",", _take(tab.lang, lang), ",", _take(tab.type_names, ptype), ",",
            *affiliations, ",", *_fixed4(novelty), "\n"]


# ---------------------------------------------------------------------------------------------
# pairs

# Lag (patent year - paper year): mostly 0..10 with mode 2-3, a minority of patents before.
_LAGS = np.arange(-10, 11)
_LAG_AFTER = np.where(_LAGS >= 0, (_LAGS + 1.0) ** 3 * np.exp(-(_LAGS + 1.0)), 0.0)
_LAG_BEFORE = np.where(_LAGS < 0, np.exp(-0.6 * np.abs(_LAGS)), 0.0)
_LAG_TABLE = _LAGS[_table(_cdf(0.88 * _LAG_AFTER / _LAG_AFTER.sum()
                          + 0.12 * _LAG_BEFORE / _LAG_BEFORE.sum()))]
_POPULARITY = 2.5  # position in the year block = count * u**2.5: power-law patent degrees


class _PatentIndex:
    """Patents sorted by year, each year's block in a random 'popularity' order."""

    def __init__(self, years: np.ndarray, rng: np.random.Generator):
        self.n = len(years)
        key = rng.random(self.n)
        self.perm = np.lexsort((key, years)).astype(np.int32)
        self.count = np.bincount(years.astype(np.int64) - YEAR_MIN, minlength=N_YEARS)
        self.start = np.r_[0, np.cumsum(self.count)[:-1]]
        # nearest year that has patents (ties: the later one), for target years 1950..2030
        have = np.flatnonzero(self.count)
        targets = np.arange(YEAR_MIN - 10, YEAR_MAX + 11) - YEAR_MIN
        dist = np.abs(targets[:, None] - have[None, :]) * 2 - (have[None, :] > targets[:, None])
        self.nearest = have[np.argmin(dist, axis=1)]

    def _lags(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return _LAG_TABLE[rng.integers(0, 1 << 16, n, dtype=np.int32)]

    def sample(self, paper_years: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """One patent per paper year: a year lag (redrawn where no patent exists), then a
        position in that year's block skewed to its head (preferential attachment)."""
        n = len(paper_years)
        py = paper_years.astype(np.int64) - YEAR_MIN
        ty = py + self._lags(rng, n)
        for _ in range(4):
            bad = (ty < 0) | (ty >= N_YEARS)
            bad[~bad] = self.count[ty[~bad]] == 0
            idx = np.flatnonzero(bad)
            if not len(idx):
                break
            ty[idx] = py[idx] + self._lags(rng, len(idx))
        ty = self.nearest[np.clip(ty, -10, N_YEARS + 9) + 10]
        pos = (self.count[ty] * rng.random(n) ** _POPULARITY).astype(np.int64)
        return self.perm[self.start[ty] + pos].astype(np.int64)


def _degrees(rng: np.random.Generator, paper_years: np.ndarray, n_pairs: int,
             cap: int) -> np.ndarray:
    """Pairs per paper: heavy-tailed (lognormal weights), fewer for papers of the last five
    years (less time to be taken up), capped, summing to exactly n_pairs."""
    age = (YEAR_MAX + 1 - paper_years.astype(np.float64))
    w = rng.lognormal(0.0, 1.2, len(paper_years)) * np.minimum(1.0, age / 5.0)
    exact = n_pairs * w / w.sum()
    d = np.minimum(np.floor(exact), cap).astype(np.int64)
    left = n_pairs - int(d.sum())
    while left > 0:
        room = np.flatnonzero(d < cap)
        if left >= len(room):
            d[room] += 1
            left -= len(room)
            continue
        gap = exact[room] - d[room]
        d[room[np.argpartition(-gap, left - 1)[:left]]] += 1
        left = 0
    return d


def _pair_chunk(rng: np.random.Generator, p0: int, need: np.ndarray, paper_years: np.ndarray,
                index: _PatentIndex) -> tuple[np.ndarray, np.ndarray]:
    """Distinct patents for papers p0..p0+len(need)-1: (paper index, patent index), 0-based,
    ordered by paper and, within a paper, by draw.

    Candidates are drawn per paper (year lag + popularity); a duplicate (paper, patent) keeps
    its first draw; papers short of their degree draw again (uniformly after 8 rounds).
    """
    n_local = len(need)
    done_p, done_t = [], []
    act_p = np.empty(0, np.int64)
    act_t = np.empty(0, np.int64)
    deficit = need.copy()
    rounds = 0
    while True:
        papers = np.flatnonzero(deficit)
        if not len(papers):
            break
        factor = 1.1 if rounds == 0 else 1.6
        draws = np.ceil(deficit[papers] * factor).astype(np.int64) + (rounds > 0)
        cp = np.repeat(papers, draws)
        if rounds < 8:
            ct = index.sample(paper_years[cp], rng)
        else:
            ct = rng.integers(0, index.n, len(cp))
        if len(act_p):  # earlier keeps first: a stable sort by paper merges two sorted runs
            p = np.concatenate([act_p, cp])
            o = np.argsort(p, kind="stable")
            p, t = p[o], np.concatenate([act_t, ct])[o]
        else:
            p, t = cp, ct
        key = p * index.n + t
        o = np.argsort(key, kind="stable")
        ks = key[o]
        first = np.ones(len(p), dtype=bool)
        first[o[1:][ks[1:] == ks[:-1]]] = False
        p, t = p[first], t[first]
        starts = np.flatnonzero(np.r_[True, p[1:] != p[:-1]])
        rank = np.arange(len(p)) - np.repeat(starts, np.diff(np.r_[starts, len(p)]))
        keep = rank < need[p]
        p, t = p[keep], t[keep]
        got = np.bincount(p, minlength=n_local)
        deficit = np.zeros_like(need)
        deficit[papers] = need[papers] - got[papers]
        finished = deficit[p] == 0
        done_p.append(p[finished])
        done_t.append(t[finished])
        act_p, act_t = p[~finished], t[~finished]
        rounds += 1
        if rounds > 200:
            raise RuntimeError("pair sampling did not converge")
    p = np.concatenate(done_p) if done_p else np.empty(0, np.int64)
    t = np.concatenate(done_t) if done_t else np.empty(0, np.int64)
    o = np.argsort(p, kind="stable")
    return p[o] + p0, t[o]


def _similarity(rng: np.random.Generator, lag: np.ndarray) -> np.ndarray:
    """Similarity x 10,000: two-piece normal, mode ~0.66 (lower for unusual lags), sd 0.075
    below and 0.10 above the mode: ~20% below 0.6, a thin tail to ~0.97."""
    n = len(lag)
    mode = 0.662 - 0.004 * np.minimum(np.abs(lag - 2), 10)
    sd_l, sd_r = 0.075, 0.10
    left = rng.random(n) < sd_l / (sd_l + sd_r)
    z = np.abs(rng.standard_normal(n))
    x = np.where(left, mode - sd_l * z, mode + sd_r * z)
    for _ in range(4):
        bad = np.flatnonzero((x < 0.0) | (x > 0.9999))
        if not len(bad):
            break
        side = np.where(x[bad] < 0, -sd_l, sd_r)
        x[bad] = mode[bad] + side * np.abs(rng.standard_normal(len(bad)))
    return np.clip(np.rint(x * 10_000), 0, 9_999).astype(np.int64)


def _pair_lines(paper: np.ndarray, patent: np.ndarray, sim: np.ndarray, long: bool,
                paper_years: np.ndarray, patent_years: np.ndarray) -> pa.Array:
    parts = [_str(paper + 1), ",", _str(patent + 1), ",0.", pc.utf8_lpad(_str(sim), 4, "0")]
    if long:
        parts += [",", _take(_YEAR_STRINGS, paper_years[paper]), ",",
                  _take(_YEAR_STRINGS, patent_years[patent])]
    return _lines(parts + ["\n"])


# ---------------------------------------------------------------------------------------------
# writing


class _Cancelled(Exception):
    pass


class _Writer:
    """Turns queued batches (callables returning an Arrow string array of whole CSV lines)
    into bytes in a background thread, writing a temp file renamed into place at the end."""

    def __init__(self, path: Path, header, total: int, progress: bool, position: int):
        self.path = path
        self.tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        self.fh = open(self.tmp, "wb")
        self.fh.write((",".join(header) + "\n").encode())
        self.queue: Queue = Queue(maxsize=2)
        self.error: BaseException | None = None
        self.bar = tqdm(total=total, desc=path.name, unit="rows", unit_scale=True,
                        disable=not progress, leave=True, position=position)
        self.thread = threading.Thread(target=self._run, name=f"write {path.name}", daemon=True)
        self.thread.start()

    def _run(self):
        while True:
            make = self.queue.get()
            if make is None:
                return
            if self.error is not None:
                continue
            try:
                lines: pa.Array = make()
                if lines.null_count:
                    raise AssertionError("a generated CSV line is null")
                offsets = np.frombuffer(lines.buffers()[1], dtype=np.int32,
                                        count=len(lines) + 1, offset=lines.offset * 4)
                data = lines.buffers()[2]
                if data is not None:
                    self.fh.write(memoryview(data)[offsets[0]:offsets[-1]])
                self.bar.update(len(lines))
            except BaseException as exc:  # re-raised by put()/close()
                self.error = exc

    def put(self, make) -> None:
        if self.error is not None:
            raise self.error
        self.queue.put(make)

    def close(self, ok: bool) -> None:
        self.queue.put(None)
        self.thread.join()
        self.bar.close()
        self.fh.close()
        if ok and self.error is None:
            os.replace(self.tmp, self.path)
            return
        self.tmp.unlink(missing_ok=True)
        if ok:
            raise self.error


def _write(path: Path, header, total: int, progress: bool, position: int, batches,
           failed: threading.Event) -> None:
    writer = _Writer(path, header, total, progress, position)
    ok = False
    try:
        for make in batches:
            if failed.is_set():
                raise _Cancelled()
            writer.put(make)
        ok = True
    except BaseException:
        failed.set()
        raise
    finally:
        writer.close(ok)


def _streams(seed: int) -> dict[str, np.random.Generator]:
    names = ("patent_years", "paper_years", "patents", "papers", "patent_index", "degrees", "pairs",
             "patent_offices")
    return {name: np.random.default_rng([seed, 0x5EED, i]) for i, name in enumerate(names)}


def synthesize(out_dir: str | os.PathLike, config: SynthConfig,
               progress: bool = True) -> dict[str, Path]:
    """Write DeepPatentAI.csv, DeepDiveAI.csv and DeepCosineAI.csv into `out_dir`.

    Returns {"patents": path, "papers": path, "pairs": path}. Each file is written to a
    temporary name and renamed when complete; the three are generated concurrently, each from
    its own random stream, so the bytes depend only on the config.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {k: out / v for k, v in FILE_NAMES.items()}
    rng = _streams(config.seed)
    patent_years = _years(rng["patent_years"], config.patents, 0.20)
    paper_years = _years(rng["paper_years"], config.papers, 0.12)
    text_rows = min(config.chunk_rows, _TEXT_CHUNK_MAX)
    for build in (_vocab, _patent_tables, _paper_tables):  # shared caches, before the threads
        build()
    for kind in ("patent", "paper"):
        _sentences(kind)
        _abstract_pools(kind)

    def patent_batches():
        offices = _patent_offices(rng["patent_offices"], patent_years)
        counters = np.zeros(len(V.PN_FORMATS) * _PUB_YEARS, dtype=np.int64)
        for s in range(0, config.patents, text_rows):
            parts = _patent_parts(rng["patents"], s, patent_years[s:s + text_rows], offices,
                                  counters)
            yield partial(_lines, parts)

    def paper_batches():
        for s in range(0, config.papers, text_rows):
            yield partial(_lines, _paper_parts(rng["papers"], s, paper_years[s:s + text_rows]))

    def pair_batches():
        if not config.pairs:
            return
        index = _PatentIndex(patent_years, rng["patent_index"])
        deg = _degrees(rng["degrees"], paper_years, config.pairs, _max_degree(config.patents))
        cum = np.cumsum(deg)
        long = config.pairs_variant == "long"
        s = 0
        while s < config.papers:
            base = int(cum[s - 1]) if s else 0
            e = int(np.searchsorted(cum, base + config.chunk_rows, side="right"))
            e = min(max(e, s + 1), config.papers)
            paper, patent = _pair_chunk(rng["pairs"], s, deg[s:e], paper_years[s:e], index)
            if len(paper):
                lag = patent_years[patent].astype(np.int64) - paper_years[paper]
                sim = _similarity(rng["pairs"], lag)
                yield partial(_pair_lines, paper, patent, sim, long, paper_years, patent_years)
            s = e

    header = PAIR_HEADER_LONG if config.pairs_variant == "long" else PAIR_HEADER
    jobs = [
        (paths["pairs"], header, config.pairs, pair_batches),
        (paths["papers"], PAPER_HEADER, config.papers, paper_batches),
        (paths["patents"], PATENT_HEADER, config.patents, patent_batches),
    ]
    failed = threading.Event()
    errors: list[BaseException] = []

    def run(position, path, head, total, batches):
        try:
            _write(path, head, total, progress, position, batches(), failed)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i, *job), name=f"synth {job[0].name}")
               for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    try:
        for t in threads:
            while t.is_alive():
                t.join(0.25)
    except BaseException:  # Ctrl-C: stop the generators at their next batch, drop temp files
        failed.set()
        for t in threads:
            t.join()
        raise
    real = [e for e in errors if not isinstance(e, _Cancelled)]
    if real or errors:
        raise (real or errors)[0]
    return paths


# ---------------------------------------------------------------------------------------------
# CLI hook


def synth_cli(out_dir: str | os.PathLike, *, patents: int | None = None,
              papers: int | None = None, pairs: int | None = None, scale: float | None = None,
              seed: int = 0, chunk_rows: int = 500_000, pairs_variant: str = "short",
              progress: bool = True) -> dict[str, Path]:
    """Entry point for `innograph synth`: sizes from `scale` (a fraction of the full dataset;
    without it 2,000 / 3,000 / 10,000), overridden by explicit counts. Raises InnographError
    with a one-sentence message for a bad request."""
    from innograph.errors import InnographError

    sizes = {"patents": 2_000, "papers": 3_000, "pairs": 10_000}
    if scale is not None:
        if not scale > 0:
            raise InnographError(f"--scale must be positive, got {scale}.")
        sizes = {k: int(round(v * scale)) for k, v in FULL_SCALE.items()}
    for name, value in (("patents", patents), ("papers", papers), ("pairs", pairs)):
        if value is not None:
            sizes[name] = value
    try:
        config = SynthConfig(**sizes, seed=seed, chunk_rows=chunk_rows, pairs_variant=pairs_variant)
    except ValueError as exc:
        raise InnographError(f"Cannot synthesize: {exc}.") from None
    return synthesize(out_dir, config, progress=progress)
