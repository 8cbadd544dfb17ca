"""Rejected rows and dropped values: where they went and why, so counts reconcile.

Every reader reports rows it cannot use (`action="row rejected"`) and values it had to drop from
a row it kept (`action="value dropped"`, e.g. one unparseable IPC code among several). The file
is a CSV with the columns of `Reject`.
"""

from __future__ import annotations

import csv
import os
from dataclasses import astuple, dataclass, fields
from pathlib import Path

ROW_REJECTED = "row rejected"
VALUE_DROPPED = "value dropped"
_MAX_RAW = 500  # characters of the raw value kept in the rejects file


@dataclass(frozen=True)
class Reject:
    file: str
    line: int
    field: str
    reason: str
    raw_value: str
    action: str = ROW_REJECTED


REJECT_COLUMNS = [f.name for f in fields(Reject)]


class RejectLog:
    """Collects rejects in memory per chunk and appends them to a CSV file.

    Parameters
    ----------
    path : CSV to write; None keeps rejects in memory only (`self.items`).
    """

    def __init__(self, path: str | os.PathLike | None = None):
        self.path = Path(path) if path is not None else None
        self.items: list[Reject] = []
        self.rows_rejected = 0
        self.values_dropped = 0
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.path, "w", newline="", encoding="utf-8") as fh:
                csv.writer(fh).writerow(REJECT_COLUMNS)

    def add(self, file: str, line: int, field: str, reason: str, raw_value: object,
            action: str = ROW_REJECTED) -> None:
        raw = raw_value if isinstance(raw_value, str) else repr(raw_value)
        try:  # undecodable bytes (read with surrogateescape) as \xNN
            raw = raw.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        except UnicodeEncodeError:  # other lone surrogates
            raw = raw.encode("utf-8", "backslashreplace").decode("utf-8")
        self.items.append(Reject(file, line, field, reason, raw[:_MAX_RAW], action))
        if action == ROW_REJECTED:
            self.rows_rejected += 1
        else:
            self.values_dropped += 1

    def flush(self) -> None:
        """Append the collected rejects to the file and forget them (memory stays bounded).

        Without a file, rejects stay in `items`.
        """
        if self.path is None or not self.items:
            return
        with open(self.path, "a", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows(astuple(r) for r in sorted(self.items, key=lambda r: r.line))
        self.items = []
