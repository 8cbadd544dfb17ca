"""Helpers for the raw-record reader tests (imported by tests/ingest/test_*.py)."""

from __future__ import annotations

from innograph.ingest.deepinnovation import ReadStats
from innograph.ingest.rejects import RejectLog


def read_all(reader, path, **kw):
    """All documents of a file, its reject log and its stats (rejected/values_dropped filled)."""
    log = RejectLog()
    stats = ReadStats(str(path), "documents")
    docs = [d for chunk in reader(path, log, stats, **kw) for d in chunk]
    stats.rejected = log.rows_rejected
    stats.values_dropped = log.values_dropped
    return docs, log, stats


def rejected(log):
    """(line, field, reason, action) of every reject, by line."""
    return [(r.line, r.field, r.reason, r.action) for r in sorted(log.items, key=lambda r: (r.line, r.action))]


def write(tmp_path, name, content):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path
