"""What the analyses share: pulling projections out of a store, time windows, results on disk.

Every analysis (competition, transfer, themes, evolution) is a plain function over a graph store
(`EmbeddedStore` or `Neo4jStore`) that runs a few aggregating Cypher projections in the subset
both engines accept, pulls them out as Arrow (`execute_arrow`; the Neo4j store converts), and does
the rest in pandas/numpy. It returns an `AnalysisResult`: named DataFrames plus attributes.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from innograph.errors import InnographError

FORMATS = ("csv", "parquet")


def fetch(store: Any, cypher: str, params: dict[str, Any] | None = None) -> pd.DataFrame:
    """Rows of one read statement as a DataFrame, through Arrow where the store has it."""
    if hasattr(store, "execute_arrow"):
        table = store.execute_arrow(cypher, params)
        return table.to_pandas() if table.num_columns else pd.DataFrame()
    return store.execute(cypher, params)


def window_labels(years: pd.Series, window_years: int | None, origin: int = 1) -> pd.Series:
    """Label each year with its window: `all` when `window_years` is None, else `start-end`.

    Windows are `window_years` wide and start at `origin + k * window_years` (origin 1 gives
    1961-1965, ..., 2016-2020 for 5-year windows). Missing years get a missing label.
    """
    if window_years is None:
        return pd.Series("all", index=years.index, dtype=object)
    if window_years < 1:
        raise InnographError(f"window_years must be at least 1, not {window_years}.")
    y = pd.to_numeric(years, errors="coerce")
    start = origin + np.floor((y - origin) / window_years) * window_years
    labels = start.map(lambda s: None if pd.isna(s) else f"{int(s)}-{int(s) + window_years - 1}")
    return labels.astype(object)


@dataclass
class AnalysisResult:
    """Named tables of one analysis, plus its parameters and facts (`attrs`, JSON-able)."""

    name: str
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    attrs: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, key: str) -> pd.DataFrame:
        return self.tables[key]

    def write(self, out: str | os.PathLike, fmt: str = "csv") -> list[Path]:
        """Write each table as OUT/<name>_<table>.<fmt> (atomically) and OUT/<name>.json (attrs)."""
        if fmt not in FORMATS:
            raise InnographError(f"Unknown format {fmt!r}: choose csv or parquet.")
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        paths = []
        for key, df in self.tables.items():
            path = out / f"{self.name}_{key}.{fmt}"
            tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
            if fmt == "csv":
                df.to_csv(tmp, index=False)
            else:
                df.to_parquet(tmp, index=False)
            os.replace(tmp, path)
            paths.append(path)
        meta = out / f"{self.name}.json"
        tmp = meta.with_name(f".{meta.name}.tmp-{os.getpid()}")
        tmp.write_text(json.dumps(self.attrs, indent=2, default=_jsonable), encoding="utf-8")
        os.replace(tmp, meta)
        paths.append(meta)
        return paths


def read_result(folder: str | os.PathLike, name: str) -> AnalysisResult:
    """An AnalysisResult written by `AnalysisResult.write` (CSV or Parquet tables and the JSON)."""
    folder = Path(folder)
    meta = folder / f"{name}.json"
    if not meta.exists():
        raise InnographError(f"No {name} results in {folder}: run `innograph analyze {name}` first.")
    tables = {}
    for path in sorted(folder.glob(f"{name}_*")):
        key = path.name[len(name) + 1:].rsplit(".", 1)[0]
        if path.suffix == ".csv":
            tables[key] = pd.read_csv(path, keep_default_na=False, na_values=[""])
        elif path.suffix == ".parquet":
            tables[key] = pd.read_parquet(path)
    return AnalysisResult(name, tables, json.loads(meta.read_text(encoding="utf-8")))


def _jsonable(value: Any) -> Any:
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    if isinstance(value, np.ndarray):
        return value.tolist()
    return str(value)
