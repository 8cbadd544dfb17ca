"""Stratified train/validation/test splits (the paper's 8:1:1)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def stratified_split(strata, fractions: Sequence[float] = (0.8, 0.1, 0.1), seed: int = 0) -> list[np.ndarray]:
    """Row indices of each part, with every stratum split in the same proportions.

    Parameters
    ----------
    strata : shape (n,), the value to stratify on (a label, or a label+source key).
    fractions : shares of the parts, summing to 1 (e.g. 0.8, 0.1, 0.1).

    Returns one sorted index array per part. Within a stratum of size m, part k gets
    round(m * fractions[k]) rows by largest remainder, so sizes add up to m exactly; a stratum
    with at least as many rows as parts puts at least one row in each part with a positive share.
    """
    fractions = np.asarray(fractions, dtype=np.float64)
    if (fractions < 0).any() or not np.isclose(fractions.sum(), 1.0):
        raise ValueError(f"fractions must be non-negative and sum to 1, got {fractions.tolist()}")
    strata = np.asarray(strata)
    rng = np.random.default_rng(seed)
    parts: list[list[np.ndarray]] = [[] for _ in fractions]
    values, inverse = np.unique(strata.astype(str), return_inverse=True)
    for v in range(len(values)):
        rows = rng.permutation(np.flatnonzero(inverse == v))
        counts = _allocate(len(rows), fractions)
        start = 0
        for k, c in enumerate(counts):
            parts[k].append(rows[start:start + c])
            start += c
    return [np.sort(np.concatenate(p)) if p else np.array([], dtype=np.int64) for p in parts]


def _allocate(m: int, fractions: np.ndarray) -> list[int]:
    raw = m * fractions
    counts = np.floor(raw).astype(int)
    if m >= (fractions > 0).sum():  # every part with a share gets a row when it can
        for k in np.flatnonzero((fractions > 0) & (counts == 0)):
            counts[k] = 1
    while counts.sum() > m:  # took too many for the minimums: give back from the largest part
        counts[np.argmax(counts)] -= 1
    remainder = raw - np.floor(raw)
    for k in np.argsort(-remainder, kind="stable"):
        if counts.sum() >= m:
            break
        counts[k] += 1
    return counts.tolist()
