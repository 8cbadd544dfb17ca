"""Work-directory IO of the stages: the documents table they read, Parquet they write atomically,
and resumable chunked stages (numbered Parquet parts written atomically, then one output file).

A stage that works through its input in chunks writes chunk i to `<folder>/part-<i>.parquet`
(temp file, then `os.replace`, so a killed run never leaves half a part). A rerun with the same
settings skips the parts that exist; `concat` streams the parts, in order, into the final file
(again temp + replace). `config.json` in the folder records the settings the parts were made with;
a rerun with other settings is refused rather than mixing results.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from innograph.errors import InnographError, InputFormatError


def open_parquet(path: str | os.PathLike, required: tuple[str, ...] = (), what: str = "table",
                 made_by: str = "") -> pq.ParquetFile:
    """A stage's input table at `path`, opened for streaming.

    A clear error names the file when it is missing, is not Parquet, or lacks a `required` column;
    `what` names the table and `made_by` the command that writes it, for the message.
    """
    p = Path(path)
    hint = f" (make it with {made_by})" if made_by else ""
    if not p.is_file():
        raise InputFormatError(f"{p}: no such file{hint}.")
    try:
        pf = pq.ParquetFile(p)
    except Exception as exc:  # pyarrow raises several types for non-Parquet input
        raise InputFormatError(f"{p}: not a Parquet file ({exc}).") from None
    missing = [c for c in required if c not in pf.schema_arrow.names]
    if missing:
        raise InputFormatError(f"{p}: the {what} lacks column(s) {', '.join(missing)}{hint}.")
    return pf


def open_documents(path: str | os.PathLike, required: tuple[str, ...] = ("id",)) -> pq.ParquetFile:
    """The documents table of `innograph ingest` at `path` (see `open_parquet`)."""
    return open_parquet(path, required, "documents table", "`innograph ingest ... --out WORK`")


def write_text_atomic(path: str | os.PathLike, text: str) -> None:
    """Write a text file (JSON, CSV header, ...) through a temp file and `os.replace`."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, out)


def write_parquet_atomic(df, path: str | os.PathLike) -> None:
    """Write a DataFrame to Parquet through a temp file and `os.replace` (never half a file)."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    df.to_parquet(tmp, index=False)
    os.replace(tmp, out)


def input_fingerprint(path: str | os.PathLike) -> dict:
    """Size and modification time of an input file: changes when the file is rewritten."""
    st = os.stat(path)
    return {"path": str(Path(path).resolve()), "size": st.st_size, "mtime_ns": st.st_mtime_ns}


class PartStore:
    """Numbered Parquet parts of one stage run in `folder`, tied to `config` (JSON-able dict)."""

    def __init__(self, folder: str | os.PathLike, config: dict):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        cfg_file = self.folder / "config.json"
        text = json.dumps(config, sort_keys=True, indent=2, default=str)
        if cfg_file.exists():
            old = cfg_file.read_text(encoding="utf-8")
            if old != text and any(self.folder.glob("part-*.parquet")):
                raise InnographError(
                    f"{self.folder} holds parts made with other settings or another input "
                    f"(see {cfg_file}); delete that folder or give the same settings to resume.")
        write_text_atomic(cfg_file, text)

    def path(self, i: int) -> Path:
        return self.folder / f"part-{i:06d}.parquet"

    def done(self, i: int) -> bool:
        return self.path(i).exists()

    def write(self, i: int, table: pa.Table) -> None:
        final = self.path(i)
        tmp = final.with_name(final.name + ".tmp")
        pq.write_table(table, tmp, compression="zstd")
        os.replace(tmp, final)

    def parts(self) -> list[Path]:
        return sorted(self.folder.glob("part-*.parquet"))

    def concat(self, out: str | os.PathLike, schema: pa.Schema, n_parts: int) -> int:
        """Stream parts 0..n_parts-1 into `out` (atomically); returns the row count."""
        missing = [i for i in range(n_parts) if not self.done(i)]
        if missing:
            raise InnographError(f"{self.folder}: parts {missing[:5]} are missing; rerun the stage to finish them.")
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(out.name + ".tmp")
        rows = 0
        with pq.ParquetWriter(tmp, schema, compression="zstd") as writer:
            for i in range(n_parts):
                table = pq.read_table(self.path(i), schema=schema)
                writer.write_table(table)
                rows += table.num_rows
        os.replace(tmp, out)
        return rows
