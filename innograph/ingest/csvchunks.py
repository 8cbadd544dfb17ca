"""Streaming a CSV file in chunks of string columns, with the physical line of every record.

The Python csv module is used for files whose records can span lines (quoted newlines in
abstracts): it knows where each record starts. Rows with the wrong number of fields or bytes that
are not UTF-8 are reported to the reject log and left out of the chunk.
"""

from __future__ import annotations

import csv
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from innograph.errors import InputFormatError
from innograph.ingest.rejects import RejectLog

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


@dataclass
class Chunk:
    """Up to `chunk_rows` records: one list of strings per canonical field, and their lines."""

    columns: dict[str, list[str]]
    lines: np.ndarray  # int64, 1-based physical line where each record starts

    def __len__(self) -> int:
        return len(self.lines)


def match_header(path: str, header: list[str], fields: dict[str, tuple[str, ...]],
                 required: tuple[str, ...], what: str,
                 foreign: tuple[str, ...] = ()) -> dict[str, int]:
    """Map canonical field -> column index; headers are matched case-insensitively.

    `fields` maps each canonical field to the header names accepted for it; a header holding
    any of the `foreign` names belongs to another format and is refused.
    """
    index = {h.strip().lower(): i for i, h in enumerate(header)}
    if wrong := [name for name in foreign if name in index]:
        raise InputFormatError(
            f"{path}: line 1 is not a {what} header (it has column {header[index[wrong[0]]]!r}, "
            f"which belongs to another file type).")
    found = {}
    for field, names in fields.items():
        for name in names:
            if name in index:
                found[field] = index[name]
                break
    missing = [f for f in required if f not in found]
    if missing:
        expected = ", ".join(names[0] for names in fields.values())
        raise InputFormatError(
            f"{path}: line 1 is not a {what} header (no column for {', '.join(missing)}); "
            f"expected columns like: {expected}."
        )
    return found


def open_text(path: str | os.PathLike):
    """Open for csv reading: BOM stripped, undecodable bytes kept as surrogates to be reported."""
    if not os.path.exists(path):
        raise InputFormatError(f"{path}: no such file.")
    if os.path.isdir(path):
        raise InputFormatError(f"{path}: is a directory, expected a CSV file.")
    return open(path, encoding="utf-8-sig", errors="surrogateescape", newline="")


def iter_chunks(path: str | os.PathLike, fields: dict[str, tuple[str, ...]],
                required: tuple[str, ...], what: str, rejects: RejectLog,
                chunk_rows: int = 100_000, counter: list[int] | None = None,
                progress=None, *, foreign: tuple[str, ...] = (), skip_lines: int = 0,
                delimiter: str = ",") -> Iterator[Chunk]:
    """Yield chunks of records; `counter[0]` counts the records read (including rejected ones).

    `skip_lines` lines before the header are skipped (a preamble such as Google Patents'
    `search URL:` line); line numbers stay physical lines of the file.
    """
    name = str(path)
    counter = counter if counter is not None else [0]
    with open_text(path) as fh:
        for _ in range(skip_lines):
            fh.readline()
        reader = csv.reader(fh, delimiter=delimiter)
        try:
            header = next(reader)
        except StopIteration:
            raise InputFormatError(f"{name}: the file is empty, expected a {what} header.") from None
        except csv.Error as exc:
            raise InputFormatError(f"{name}: line {skip_lines + 1} is not a CSV header ({exc}).") from None
        cols = match_header(name, header, fields, required, what, foreign)
        width = len(header)
        names = list(cols)
        positions = [cols[f] for f in names]
        out: dict[str, list[str]] = {f: [] for f in names}
        lines: list[int] = []
        last_line = reader.line_num + skip_lines
        while True:
            start = last_line + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                counter[0] += 1
                rejects.add(name, start, "", f"unparseable CSV record ({exc})", "")
                last_line = reader.line_num + skip_lines
                continue
            last_line = reader.line_num + skip_lines
            if progress is not None:
                progress.update(1)
            if not row:  # a blank line holds no record
                continue
            counter[0] += 1
            if len(row) != width:
                rejects.add(name, start, "", f"expected {width} fields, found {len(row)}", ",".join(row))
                continue
            try:
                "\x1f".join(row).encode("utf-8")
            except UnicodeEncodeError:
                bad = next(i for i, v in enumerate(row) if _has_surrogates(v))
                rejects.add(name, start, header[bad], "invalid UTF-8 bytes", row[bad])
                continue
            for f, p in zip(names, positions):
                out[f].append(row[p])
            lines.append(start)
            if len(lines) >= chunk_rows:
                yield Chunk(out, np.asarray(lines, dtype=np.int64))
                out = {f: [] for f in names}
                lines = []
        if lines:
            yield Chunk(out, np.asarray(lines, dtype=np.int64))


def _has_surrogates(value: str) -> bool:
    try:
        value.encode("utf-8")
        return False
    except UnicodeEncodeError:
        return True
