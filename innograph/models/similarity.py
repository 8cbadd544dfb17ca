"""Exact cosine top-k of papers against patents, by blocked matrix products (paper Module 3).

For every paper (query row) the search returns its `k` most similar patents and, beside them,
every patent whose cosine similarity is at least `tau` (the DeepCosineAI rule, eq. 5 of the
paper). Optionally only patents published in the paper's year or later are allowed
(`require_later`: knowledge flows forward in time).

How scores stay exact while the products run fast
-------------------------------------------------
Vectors are L2-normalised once (float64 arithmetic, stored as float32). The *reported* score of a
pair is the float64 dot product of the two float32 unit vectors, rounded to float32: it does not
depend on the block sizes, the device or the precision of the bulk products. The bulk products
(NumPy float32 on the CPU, torch on a GPU in fp32, fp16 or bf16) only pick candidates:

1. per paper, the `k + extra` best patents by the approximate score (a running top-C kept over
   patent column blocks), and every patent whose approximate score is >= tau - eps;
2. the candidates are re-scored exactly (float64 dots) and ranked by (score desc, patent index asc),
   so ties go to the patent that comes first;
3. `eps` bounds the approximation error of the bulk product (input and output rounding plus
   accumulation; PRECISION_EPS). If the C-th approximate score + eps is below the k-th exact score,
   no patent outside the candidates can belong to the top k; rows where that fails are computed
   again exactly over all patents (`fallback_rows` counts them). Pairs >= tau are always exact:
   an exact score >= tau implies an approximate score >= tau - eps.

Missing years: with `require_later` a pair needs both years known and patent_year >= paper_year.
A zero vector (a document without text) scores 0 with every patent; its top k are then the first
k patents, which a tau > 0 drops at load time.

Output (`CosineTopK.search_to_parquet`): one Parquet file per paper block
(`part-000000.parquet`, columns paper_id, patent_id, score float32, lag_years Int32 (patent year -
paper year, null when a year is missing), rank Int32 (1..k; null for pairs >= tau beyond the top
k)), written atomically; `meta.json` records the parameters and a fingerprint of the inputs, so a
rerun with the same inputs skips finished blocks and a rerun with other inputs is refused.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from innograph.errors import InnographError, InputFormatError
from innograph.models.parts import write_text_atomic

# Bound on |approximate - exact| of the bulk product of two unit vectors (d <= ~4096):
# fp16/bf16: inputs rounded (2u), output rounded (u), fp32 accumulation; u = 2^-11 / 2^-9.
PRECISION_EPS = {"fp32": 1e-4, "fp16": 4 * 2.0 ** -11 + 1e-4, "bf16": 4 * 2.0 ** -9 + 1e-4}
_MISSING_PAPER_YEAR = np.iinfo(np.int32).max  # no patent year is >= this
_MISSING_PATENT_YEAR = np.iinfo(np.int32).min  # >= no paper year
PAIR_SCHEMA = pa.schema([
    ("paper_id", pa.string()), ("patent_id", pa.string()), ("score", pa.float32()),
    ("lag_years", pa.int32()), ("rank", pa.int32()),
])


def normalize_rows(x) -> np.ndarray:
    """Rows scaled to unit L2 norm (float64 arithmetic, float32 result); zero rows stay zero.

    x: (n, d) array-like. Returns (n, d) float32, C-contiguous.
    """
    x = np.asarray(x)
    if x.ndim != 2:
        raise InputFormatError(f"Vectors must be a 2-d array (n, d); got shape {x.shape}.")
    out = np.empty(x.shape, dtype=np.float32)
    step = 65536  # bounded float64 temporaries
    for s in range(0, x.shape[0], step):
        blk = x[s:s + step].astype(np.float64)
        if not np.isfinite(blk).all():
            bad = s + int(np.argwhere(~np.isfinite(blk).all(axis=1))[0, 0])
            raise InputFormatError(f"Vector row {bad} holds NaN or infinity.")
        norms = np.linalg.norm(blk, axis=1, keepdims=True)
        out[s:s + step] = blk / np.where(norms == 0, 1.0, norms)
    return out


def _years(years, n: int, missing: int, what: str) -> np.ndarray:
    """Years as int32, a missing year (None, NaN, <NA>) replaced by the sentinel `missing`."""
    if years is None:
        return np.full(n, missing, dtype=np.int32)
    y = pd.to_numeric(pd.Series(np.asarray(years, dtype=object)), errors="coerce")
    if len(y) != n:
        raise InputFormatError(f"{what} years: {len(y)} values for {n} vectors.")
    return y.fillna(missing).to_numpy(np.int64).astype(np.int32)


@dataclass
class BlockResult:
    """Pairs of one paper block; indices are global row numbers of the inputs."""

    block: int
    paper_index: np.ndarray  # (m,) int64
    patent_index: np.ndarray  # (m,) int64
    score: np.ndarray  # (m,) float32, exact
    rank: np.ndarray  # (m,) int32, 1..k, 0 = beyond the top k (score >= tau)
    fallback_rows: int = 0


@dataclass
class SearchSummary:
    papers: int = 0
    patents: int = 0
    blocks: int = 0
    blocks_skipped: int = 0  # finished by an earlier run
    pairs: int = 0
    pairs_top_k: int = 0
    pairs_tau_only: int = 0  # >= tau beyond the top k
    pairs_ge_tau: int = 0
    fallback_rows: int = 0
    seconds: float = 0.0
    out: str | None = None


@dataclass
class CosineTopK:
    """Exact cosine top-k (+ all pairs >= tau) of query rows (papers) against a fitted index.

    Parameters
    ----------
    k: top-k per paper (0: only the pairs >= tau).
    tau: keep every pair with score >= tau as well (None: top-k only).
    require_later: allow only patent_year >= paper_year (both known).
    device: "cpu" (NumPy) or a torch device ("cuda", "cuda:1").
    precision: bulk product precision, "fp32" | "fp16" | "bf16" (fp16/bf16 only on a GPU; the
        reported scores are exact either way, see the module docstring).
    block_rows: papers per block (and per output file).
    block_cols: patents per column block (None: a block of scores of ~256 MB on the CPU; 262144
        columns on a GPU), rounded to whole groups.
    extra: candidates beyond k per paper that are re-scored exactly.
    group: top-C selection by groups of this many columns (0: plain top-k over the block): the C
        best of a row lie in the C groups with the largest maxima, so one pass computes group
        maxima and the selection runs over 1/group of the scores (see `_topc_grouped`).
    progress: tqdm bar over paper blocks.
    """

    k: int = 10
    tau: float | None = 0.6
    require_later: bool = False
    device: str = "cpu"
    precision: str = "fp32"
    block_rows: int = 1024
    block_cols: int | None = None
    extra: int = 8
    group: int = 64
    progress: bool = True
    backend: str | None = None  # "numpy" | "torch"; default numpy on "cpu", torch elsewhere

    def __post_init__(self) -> None:
        if self.backend is None:
            self.backend = "numpy" if self.device == "cpu" else "torch"
        if self.backend not in ("numpy", "torch") or (self.backend == "numpy" and self.device != "cpu"):
            raise InnographError(f"backend must be numpy (device cpu) or torch, not {self.backend!r}.")
        if self.precision not in PRECISION_EPS:
            raise InnographError(f"precision must be one of {sorted(PRECISION_EPS)}, not {self.precision!r}.")
        if self.backend == "numpy" and self.precision != "fp32":
            raise InnographError("fp16/bf16 bulk products need torch (a GPU device); use precision fp32 on the CPU.")
        if self.k < 0 or self.block_rows < 1 or (self.block_cols is not None and self.block_cols < 1):
            raise InnographError("k must be >= 0 and block sizes >= 1.")
        if self.k == 0 and self.tau is None:
            raise InnographError("Nothing to search for: give k > 0 or a tau.")

    # -- index ---------------------------------------------------------------------------------
    def fit(self, patent_vecs, patent_years=None) -> CosineTopK:
        """Index the patents. patent_vecs: (n_patents, d); patent_years: (n_patents,) or None."""
        self._gpu = self.backend == "torch"  # torch kernel (a GPU, or the CPU in tests)
        if self._gpu:
            import torch
            q = patent_vecs if isinstance(patent_vecs, torch.Tensor) else torch.from_numpy(normalize_rows(patent_vecs))
            q = q.to(self.device, torch.float32)
            if isinstance(patent_vecs, torch.Tensor):  # normalise on the device
                q = (q.double() / q.double().norm(dim=1, keepdim=True).clamp_min(1e-300)).float()
            self.patents_ = q
            self._q_bulk = q.to(_torch_dtype(self.precision)) if self.precision != "fp32" else q
            n = q.shape[0]
        else:
            self.patents_ = normalize_rows(patent_vecs)
            n = self.patents_.shape[0]
        self.n_patents_ = n
        self.patent_years_ = _years(patent_years, n, _MISSING_PATENT_YEAR, "Patent")
        if self._gpu:
            import torch
            self._pyears = torch.from_numpy(self.patent_years_).to(self.device)
        if self.block_cols is None:  # measured best on an H200: 262144 (bench/results/mining.md)
            cols = 262144 if self._gpu else (256 << 20) // 4 // self.block_rows
            cols = max(self.group, cols // max(self.group, 1) * max(self.group, 1))  # whole groups
            self._block_cols = max(1, min(n, cols))
        else:
            self._block_cols = min(self.block_cols, max(n, 1))
        return self

    # -- search --------------------------------------------------------------------------------
    def iter_blocks(self, paper_vecs, paper_years=None, skip: Callable[[int], bool] | None = None,
                    ) -> Iterator[BlockResult]:
        """Yield one BlockResult per paper block (blocks for which `skip(b)` is true are left out)."""
        if not hasattr(self, "patents_"):
            raise InnographError("Call fit(patent_vecs) before searching.")
        if self._gpu:
            import torch
            p_all = paper_vecs if isinstance(paper_vecs, torch.Tensor) else torch.from_numpy(normalize_rows(paper_vecs))
            if isinstance(paper_vecs, torch.Tensor):
                p_all = p_all.to(self.device, torch.float64)
                p_all = (p_all / p_all.norm(dim=1, keepdim=True).clamp_min(1e-300)).float()
            n_p = p_all.shape[0]
        else:
            p_all = normalize_rows(paper_vecs)
            n_p = p_all.shape[0]
        d = p_all.shape[1]
        if d != self.patents_.shape[1]:
            raise InputFormatError(f"Paper vectors have {d} dimensions, patent vectors {self.patents_.shape[1]}.")
        ayears = _years(paper_years, n_p, _MISSING_PAPER_YEAR, "Paper")
        for b, r0 in enumerate(range(0, n_p, self.block_rows)):
            if skip is not None and skip(b):
                continue
            r1 = min(n_p, r0 + self.block_rows)
            if self._gpu:
                yield self._block_torch(b, r0, p_all[r0:r1], ayears[r0:r1])
            else:
                yield self._block_numpy(b, r0, p_all[r0:r1], ayears[r0:r1])

    def search(self, paper_vecs, paper_years=None) -> pd.DataFrame:
        """All pairs in memory: DataFrame[paper_index, patent_index, score, rank] (rank 0 = >= tau only)."""
        parts = list(self._progress(self.iter_blocks(paper_vecs, paper_years), paper_vecs))
        if not parts:
            return pd.DataFrame({"paper_index": np.zeros(0, np.int64), "patent_index": np.zeros(0, np.int64),
                                 "score": np.zeros(0, np.float32), "rank": np.zeros(0, np.int32)})
        self.fallback_rows_ = sum(p.fallback_rows for p in parts)
        return pd.DataFrame({
            "paper_index": np.concatenate([p.paper_index for p in parts]),
            "patent_index": np.concatenate([p.patent_index for p in parts]),
            "score": np.concatenate([p.score for p in parts]),
            "rank": np.concatenate([p.rank for p in parts]),
        })

    def _progress(self, it, paper_vecs, initial: int = 0):
        if not self.progress:
            return it
        from tqdm.auto import tqdm
        n = int(paper_vecs.shape[0])
        return tqdm(it, total=-(-n // self.block_rows) - initial, unit="block", desc="similarity")

    # -- numpy kernel --------------------------------------------------------------------------
    def _block_numpy(self, b: int, r0: int, p: np.ndarray, ay: np.ndarray) -> BlockResult:
        q, py = self.patents_, self.patent_years_
        r, n = p.shape[0], self.n_patents_
        eps = PRECISION_EPS[self.precision]
        c = min(self.k + self.extra, n) if self.k else 0
        top_val = np.full((r, 0), -np.inf, np.float32)
        top_idx = np.zeros((r, 0), np.int64)
        tau_rows, tau_cols = [], []
        for c0 in range(0, n, self._block_cols):
            c1 = min(n, c0 + self._block_cols)
            s = p @ q[c0:c1].T  # (r, cb) float32
            if self.require_later:
                s[py[c0:c1][None, :] < ay[:, None]] = -np.inf
            if c:
                cb = c1 - c0
                if cb > c:
                    part = _topc_grouped_np(s, c, self.group)
                else:
                    part = np.broadcast_to(np.arange(cb), (r, cb))
                vals = np.take_along_axis(s, part, axis=1)
            if self.tau is not None:
                lo = self.tau - eps
                if c:  # only rows whose C-th best in this block is >= tau - eps have more
                    scan = vals.min(axis=1) >= lo if cb > c else np.zeros(r, bool)
                    rr, jj = np.nonzero((vals >= lo) & ~scan[:, None])
                    tau_rows.append(rr)
                    tau_cols.append(part[rr, jj] + c0)
                    srows = np.nonzero(scan)[0]
                    rr, cc = np.nonzero(s[srows] >= lo)
                    tau_rows.append(srows[rr])
                    tau_cols.append(cc + c0)
                else:
                    rr, cc = np.nonzero(s >= lo)
                    tau_rows.append(rr)
                    tau_cols.append(cc + c0)
            if c:
                top_val = np.concatenate([top_val, vals], axis=1)
                top_idx = np.concatenate([top_idx, part + c0], axis=1)
                if top_val.shape[1] > c:
                    keep = np.argpartition(top_val, top_val.shape[1] - c, axis=1)[:, -c:]
                    top_val = np.take_along_axis(top_val, keep, axis=1)
                    top_idx = np.take_along_axis(top_idx, keep, axis=1)
        # exact re-scoring of the top-C candidates
        top, tau_pairs, fallback = None, None, 0
        if c:
            valid = np.isfinite(top_val)
            exact = _exact_np(p, q, np.repeat(np.arange(r), c), top_idx.ravel()).reshape(r, c)
            exact = np.where(valid, exact, -np.inf).astype(np.float32)
            order = np.argsort(top_idx, axis=1, kind="stable")
            exact, idx = np.take_along_axis(exact, order, 1), np.take_along_axis(top_idx, order, 1)
            order = np.argsort(-exact, axis=1, kind="stable")
            exact, idx = np.take_along_axis(exact, order, 1), np.take_along_axis(idx, order, 1)
            kk = min(self.k, c)
            a_c = top_val.min(axis=1).astype(np.float64)  # C-th approximate score
            e_k = exact[:, kk - 1].astype(np.float64)
            ok = (~np.isfinite(a_c)) | (valid.sum(1) < c) | (a_c + eps + 1e-6 < e_k)
            for i in np.nonzero(~ok)[0]:  # ambiguous rows: exact over all patents
                fallback += 1
                sc = self._exact_row_np(p[i], ay[i])
                o = np.lexsort((np.arange(n), -sc))[:kk]
                exact[i, :kk], idx[i, :kk] = sc[o], o
            ex, ix = exact[:, :kk], idx[:, :kk]
            m = np.isfinite(ex)
            top = (np.repeat(np.arange(r), kk)[m.ravel()], ix[m], ex[m],
                   np.tile(np.arange(1, kk + 1, dtype=np.int32), r)[m.ravel()])
        if self.tau is not None and tau_rows:
            rr, cc = np.concatenate(tau_rows), np.concatenate(tau_cols)
            sc = _exact_np(p, q, rr, cc).astype(np.float32)
            keep = sc.astype(np.float64) >= self.tau
            tau_pairs = (rr[keep], cc[keep], sc[keep])
        return _assemble(b, r0, top, tau_pairs, fallback)

    def _exact_row_np(self, pv: np.ndarray, ay: int) -> np.ndarray:
        q = self.patents_
        out = np.empty(self.n_patents_, np.float32)
        step = 262144
        for s in range(0, self.n_patents_, step):
            out[s:s + step] = (q[s:s + step].astype(np.float64) @ pv.astype(np.float64)).astype(np.float32)
        if self.require_later:
            out[self.patent_years_ < ay] = -np.inf
        return out

    # -- torch kernel --------------------------------------------------------------------------
    def _block_torch(self, b: int, r0: int, p, ay: np.ndarray) -> BlockResult:
        import torch
        q, qb = self.patents_, self._q_bulk
        r, n = p.shape[0], self.n_patents_
        eps = PRECISION_EPS[self.precision]
        c = min(self.k + self.extra, n) if self.k else 0
        dev = q.device
        ayt = torch.from_numpy(ay).to(dev)
        pb = p.to(qb.dtype)
        top_val = torch.full((r, 0), -float("inf"), device=dev)
        top_idx = torch.zeros((r, 0), dtype=torch.int64, device=dev)
        tau_r, tau_c = [], []
        prev = torch.backends.cuda.matmul.allow_tf32
        torch.backends.cuda.matmul.allow_tf32 = False  # fp32 means fp32 (eps assumes it)
        try:
            for c0 in range(0, n, self._block_cols):
                c1 = min(n, c0 + self._block_cols)
                s = pb @ qb[c0:c1].T
                if self.require_later:
                    s.masked_fill_(self._pyears[c0:c1][None, :] < ayt[:, None], -float("inf"))
                if c:
                    vals, part = _topc_grouped_torch(s, min(c, c1 - c0), self.group)
                if self.tau is not None:
                    lo = self.tau - eps
                    if c:  # only rows whose C-th best in this block is >= tau - eps have more
                        scan = vals.min(dim=1).values >= lo if c1 - c0 > c else \
                            torch.zeros(r, dtype=torch.bool, device=dev)
                        nz = torch.nonzero((vals >= lo) & ~scan[:, None])
                        tau_r.append(nz[:, 0])
                        tau_c.append(part[nz[:, 0], nz[:, 1]] + c0)
                        srows = torch.nonzero(scan).flatten()
                        if srows.numel():
                            nz = torch.nonzero(s[srows] >= lo)
                            tau_r.append(srows[nz[:, 0]])
                            tau_c.append(nz[:, 1] + c0)
                    else:
                        nz = torch.nonzero(s >= lo)
                        tau_r.append(nz[:, 0])
                        tau_c.append(nz[:, 1] + c0)
                if c:
                    top_val = torch.cat([top_val, vals.float()], 1)
                    top_idx = torch.cat([top_idx, part + c0], 1)
                    if top_val.shape[1] > c:
                        top_val, keep = torch.topk(top_val, c, dim=1, sorted=False)
                        top_idx = torch.gather(top_idx, 1, keep)
                del s
        finally:
            torch.backends.cuda.matmul.allow_tf32 = prev
        top, tau_pairs, fallback = None, None, 0
        p64 = p.double()
        if c:
            valid = torch.isfinite(top_val)
            exact = (p64[:, None, :] * q[top_idx].double()).sum(-1).float()
            exact = torch.where(valid, exact, torch.full_like(exact, -float("inf")))
            idx_sorted, order = torch.sort(top_idx, dim=1, stable=True)
            exact = torch.gather(exact, 1, order)
            exact, order = torch.sort(exact, dim=1, descending=True, stable=True)
            idx = torch.gather(idx_sorted, 1, order)
            kk = min(self.k, c)
            a_c = top_val.min(dim=1).values.double()
            e_k = exact[:, kk - 1].double()
            ok = (~torch.isfinite(a_c)) | (valid.sum(1) < c) | (a_c + eps + 1e-6 < e_k)
            bad = torch.nonzero(~ok).flatten()
            if bad.numel():
                fallback = int(bad.numel())
                for i0 in range(0, fallback, 256):
                    rows = bad[i0:i0 + 256]
                    sc = torch.cat([(p64[rows] @ q[s:s + (1 << 20)].double().T).float()
                                    for s in range(0, n, 1 << 20)], 1)
                    if self.require_later:
                        sc.masked_fill_(self._pyears[None, :] < ayt[rows][:, None], -float("inf"))
                    # (score desc, index asc): indices ascending already, stable sort keeps them
                    sv, so = torch.sort(sc, dim=1, descending=True, stable=True)
                    exact[rows, :kk], idx[rows, :kk] = sv[:, :kk], so[:, :kk]
            ex, ix = exact[:, :kk], idx[:, :kk]
            m = torch.isfinite(ex)
            rows = torch.arange(r, device=dev)[:, None].expand(r, kk)
            ranks = torch.arange(1, kk + 1, device=dev, dtype=torch.int32)[None, :].expand(r, kk)
            top = (rows[m].cpu().numpy(), ix[m].cpu().numpy(), ex[m].cpu().numpy(), ranks[m].cpu().numpy())
        if self.tau is not None and tau_r:
            rr, cc = torch.cat(tau_r), torch.cat(tau_c)
            sc = (p64[rr] * q[cc].double()).sum(-1).float()
            keep = sc.double() >= self.tau
            tau_pairs = (rr[keep].cpu().numpy(), cc[keep].cpu().numpy(), sc[keep].cpu().numpy())
        return _assemble(b, r0, top, tau_pairs, fallback)

    # -- Parquet output ------------------------------------------------------------------------
    def search_to_parquet(self, paper_vecs, out_dir, paper_ids, patent_ids, paper_years=None,
                          patent_years=None, fingerprint: str | None = None,
                          on_block: Callable[[int], None] | None = None,
                          shard: tuple[int, int] = (0, 1)) -> SearchSummary:
        """Write the pairs of every paper block to OUT/part-NNNNNN.parquet (PAIR_SCHEMA).

        paper_ids (n_papers,), patent_ids (n_patents,): the ids written in the pairs (patent ids
        and years must be those given to fit). A rerun with the same inputs and parameters skips
        the blocks already written; `on_block(b)` is called after block b is written.
        `shard=(i, n)`: only blocks b with b % n == i (n processes or GPUs can share one OUT;
        the summary counts the parts present).
        """
        i_shard, n_shard = shard
        if not 0 <= i_shard < n_shard:
            raise InnographError(f"shard must be i/n with 0 <= i < n, not {i_shard}/{n_shard}.")
        t0 = time.perf_counter()
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        paper_ids = np.asarray(paper_ids, dtype=object).astype(str)
        patent_ids = np.asarray(patent_ids, dtype=object).astype(str)
        n_p = int(paper_vecs.shape[0])
        if len(paper_ids) != n_p or len(patent_ids) != self.n_patents_:
            raise InputFormatError(f"{len(paper_ids)} paper ids for {n_p} paper vectors, "
                                   f"{len(patent_ids)} patent ids for {self.n_patents_} patent vectors.")
        ay = _years(paper_years, n_p, _MISSING_PAPER_YEAR, "Paper")
        meta = {"params": {k: v for k, v in asdict(self).items()
                           if k not in ("progress", "device", "precision", "backend", "block_cols")},
                "papers": n_p, "patents": self.n_patents_,
                "fingerprint": fingerprint or _fingerprint(paper_vecs, self.patents_, paper_ids, patent_ids,
                                                           ay, self.patent_years_)}
        meta_path = out / "meta.json"
        if meta_path.exists():
            old = json.loads(meta_path.read_text())
            if old != meta:
                raise InnographError(
                    f"{out} holds pairs of other inputs or parameters ({meta_path}); "
                    "use another --out folder or delete that one.")
        else:
            write_text_atomic(meta_path, json.dumps(meta, indent=2))
        n_blocks = -(-n_p // self.block_rows)
        mine = [b for b in range(n_blocks) if b % n_shard == i_shard]
        done = {b for b in mine if (out / _part_name(b)).exists()}
        skip = set(range(n_blocks)) - set(mine) | done
        summary = SearchSummary(papers=n_p, patents=self.n_patents_, blocks=len(mine),
                                blocks_skipped=len(done), out=str(out))
        py = self.patent_years_
        it = self._progress(self.iter_blocks(paper_vecs, paper_years, skip=skip.__contains__), paper_vecs,
                            initial=len(skip))
        for res in it:
            lag = np.where((ay[res.paper_index] != _MISSING_PAPER_YEAR) & (py[res.patent_index] != _MISSING_PATENT_YEAR),
                           py[res.patent_index].astype(np.int64) - ay[res.paper_index], np.iinfo(np.int64).min)
            table = pa.table({
                "paper_id": pa.array(paper_ids[res.paper_index], pa.string()),
                "patent_id": pa.array(patent_ids[res.patent_index], pa.string()),
                "score": pa.array(res.score, pa.float32()),
                "lag_years": pa.array(lag.astype(np.int32), pa.int32(), mask=lag == np.iinfo(np.int64).min),
                "rank": pa.array(res.rank, pa.int32(), mask=res.rank == 0),
            }, schema=PAIR_SCHEMA)
            path = out / _part_name(res.block)
            tmp = path.with_suffix(".parquet.tmp")
            pq.write_table(table, tmp)
            os.replace(tmp, path)
            summary.fallback_rows += res.fallback_rows
            if on_block is not None:
                on_block(res.block)
        pairs = read_pairs(out)
        summary.pairs = len(pairs)
        summary.pairs_top_k = int(pairs["rank"].notna().sum())
        summary.pairs_tau_only = summary.pairs - summary.pairs_top_k
        summary.pairs_ge_tau = int((pairs["score"].astype(np.float64) >= self.tau).sum()) if self.tau is not None else 0
        summary.seconds = round(time.perf_counter() - t0, 3)
        write_text_atomic(out / "summary.json", json.dumps(asdict(summary), indent=2))
        return summary


def top_k_similar(paper_vecs, patent_vecs, k: int = 10, tau: float | None = 0.6, paper_years=None,
                  patent_years=None, require_later: bool = False, **kwargs) -> pd.DataFrame:
    """Functional form of `CosineTopK(...).fit(patents).search(papers)`.

    Returns DataFrame[paper_index, patent_index, score (float32, exact), rank (1..k, 0 = only >= tau)],
    ordered by paper, then rank, then the >= tau pairs.
    """
    est = CosineTopK(k=k, tau=tau, require_later=require_later, **kwargs)
    return est.fit(patent_vecs, patent_years).search(paper_vecs, paper_years)


def read_pairs(out_dir) -> pd.DataFrame:
    """All finished parts of a pairs folder, in block order (PAIR_SCHEMA columns)."""
    parts = sorted(Path(out_dir).glob("part-*.parquet"))
    table = pa.concat_tables([pq.read_table(p, schema=PAIR_SCHEMA) for p in parts]) if parts \
        else PAIR_SCHEMA.empty_table()
    return table.to_pandas(types_mapper={pa.int32(): pd.Int32Dtype()}.get)


# ---------------------------------------------------------------------------------------------
def _torch_dtype(precision: str):
    import torch
    return {"fp32": torch.float32, "fp16": torch.float16, "bf16": torch.bfloat16}[precision]


def _exact_np(p: np.ndarray, q: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """float64 dots of p[rows] and q[cols] (float32 inputs), in chunks to bound memory."""
    out = np.empty(len(rows), np.float64)
    step = 65536
    for s in range(0, len(rows), step):
        out[s:s + step] = np.einsum("ij,ij->i", p[rows[s:s + step]].astype(np.float64),
                                    q[cols[s:s + step]].astype(np.float64))
    return out


def _topc_grouped_np(s: np.ndarray, c: int, group: int) -> np.ndarray:
    """Column indices (r, c) of the c largest entries of each row of s (any order).

    The c largest of a row lie in the c groups (of `group` consecutive columns) with the largest
    maxima: a group outside them has a maximum <= c other groups' maxima, i.e. <= c entries.
    """
    r, n = s.shape
    if group < 2 or n % group or n // group < 2 * c:
        return np.argpartition(s, n - c, axis=1)[:, n - c:]
    gmax = s.reshape(r, n // group, group).max(axis=2)
    g = np.argpartition(gmax, gmax.shape[1] - c, axis=1)[:, -c:]  # (r, c) groups
    cols = (g[:, :, None] * group + np.arange(group)).reshape(r, c * group)
    pool = np.take_along_axis(s, cols, axis=1)
    j = np.argpartition(pool, pool.shape[1] - c, axis=1)[:, -c:]
    return np.take_along_axis(cols, j, axis=1)


def _topc_grouped_torch(s, c: int, group: int):
    """(values, column indices) of the c largest entries per row; see `_topc_grouped_np`."""
    import torch
    r, n = s.shape
    if group < 2 or n % group or n // group < 2 * c:
        return torch.topk(s, c, dim=1, sorted=False)
    gmax = s.view(r, n // group, group).amax(dim=2)
    _, g = torch.topk(gmax, c, dim=1, sorted=False)
    cols = (g[:, :, None] * group + torch.arange(group, device=s.device)).reshape(r, c * group)
    v, j = torch.topk(torch.gather(s, 1, cols), c, dim=1, sorted=False)
    return v, torch.gather(cols, 1, j)


def _assemble(b: int, r0: int, top, tau_pairs, fallback: int) -> BlockResult:
    """One block's pairs: `top` (rows, cols, scores, ranks) and `tau_pairs` (rows, cols, scores),
    the latter without the pairs already in the top k; ordered by paper, then rank, then the
    >= tau pairs by (score desc, patent)."""
    parts = []
    if top is not None:
        parts.append(top)
    if tau_pairs is not None and len(tau_pairs[0]):
        rr, cc, sc = tau_pairs
        if top is not None:
            new = ~pd.MultiIndex.from_arrays([rr, cc]).isin(pd.MultiIndex.from_arrays([top[0], top[1]]))
            rr, cc, sc = rr[new], cc[new], sc[new]
        parts.append((rr, cc, sc, np.zeros(len(rr), np.int32)))
    if not parts:
        z = np.zeros(0, np.int64)
        return BlockResult(b, z, z.copy(), np.zeros(0, np.float32), np.zeros(0, np.int32), fallback)
    rr, cc, ss, kk = (np.concatenate([p[i] for p in parts]) for i in range(4))
    rr, cc, ss, kk = rr.astype(np.int64), cc.astype(np.int64), ss.astype(np.float32), kk.astype(np.int32)
    order = np.lexsort((cc, -ss.astype(np.float64), np.where(kk == 0, np.iinfo(np.int32).max, kk), rr))
    return BlockResult(b, rr[order] + r0, cc[order], ss[order], kk[order], fallback)


def _part_name(b: int) -> str:
    return f"part-{b:06d}.parquet"


def _fingerprint(*arrays) -> str:
    h = hashlib.blake2b(digest_size=12)
    for a in arrays:
        if hasattr(a, "detach"):  # torch tensor
            a = a.detach().cpu().numpy()
        a = np.asarray(a)
        h.update(str((a.shape, a.dtype.str)).encode())
        if a.dtype == object:
            for s in range(0, len(a), 100_000):
                h.update("\x00".join(a[s:s + 100_000].tolist()).encode())
        else:
            h.update(np.ascontiguousarray(a).tobytes())
    return h.hexdigest()
