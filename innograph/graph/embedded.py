"""The embedded backend: LadybugDB (pip package `ladybug`, the maintained fork of Kuzu).

A graph lives in a directory: `graph.lbug` (the database file and its WAL), plus the loader's
`staging/`, `rejects/` and `load-summary.json`. LadybugDB allows one writer process at a time.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from innograph.errors import DatabaseLockedError, InnographError
from innograph.graph import schema

DB_FILE = "graph.lbug"


def database_path(db_dir: str | os.PathLike) -> Path:
    return Path(db_dir) / DB_FILE


class EmbeddedStore:
    """A LadybugDB graph in `db_dir`.

    Parameters
    ----------
    db_dir : directory holding the graph; created (with the schema) when `read_only` is False.
    read_only : open without write access; several readers may share a database.
    threads : worker threads for query execution (0 = all cores).
    buffer_pool_mb : LadybugDB's page cache in MiB (0 = its default, most of the machine's memory).
    """

    def __init__(self, db_dir: str | os.PathLike, read_only: bool = False, threads: int = 0,
                 buffer_pool_mb: int = 0):
        import ladybug

        self.db_dir = Path(db_dir)
        self.read_only = read_only
        self.buffer_pool_mb = buffer_pool_mb
        path = database_path(self.db_dir)
        if read_only and not path.exists():
            raise InnographError(f"No graph database at {self.db_dir}: build one with `innograph load` first.")
        if not read_only:
            self.db_dir.mkdir(parents=True, exist_ok=True)
        try:
            self._db = ladybug.Database(str(path), read_only=read_only, max_num_threads=threads,
                                        buffer_pool_size=buffer_pool_mb << 20)
        except RuntimeError as exc:
            if "lock" in str(exc).lower():
                raise DatabaseLockedError(
                    f"The graph at {self.db_dir} is open for writing by another process; "
                    "LadybugDB allows one writer at a time, so wait for it to finish and retry."
                ) from None
            raise InnographError(f"Cannot open the graph at {self.db_dir}: {exc}") from None
        self._conn = ladybug.Connection(self._db)
        if not read_only:
            for stmt in schema.ladybug_ddl():
                self._conn.execute(stmt)

    # -- queries -----------------------------------------------------------------------------
    def execute(self, cypher: str, params: dict[str, Any] | None = None) -> pd.DataFrame:
        result = self._run(cypher, params)
        if isinstance(result, list):  # several statements: keep the last result
            result = result[-1]
        if not result.get_column_names():
            return pd.DataFrame()
        return result.get_as_df()

    def execute_arrow(self, cypher: str, params: dict[str, Any] | None = None) -> pa.Table:
        """Like `execute`, but returns an Arrow table (no pandas copy; for large projections)."""
        result = self._run(cypher, params)
        return result.get_as_arrow(chunk_size=1_000_000)

    def _run(self, cypher: str, params: dict[str, Any] | None):
        try:
            return self._conn.execute(cypher, params or {})
        except RuntimeError as exc:
            if "buffer pool is full" in str(exc):
                # One load step is one transaction: a 100M-pair file needs a large page cache.
                raise InnographError(
                    f"LadybugDB's page cache ({self.buffer_pool_mb} MiB; 0 means its default) is too "
                    "small for this transaction; give more with --buffer-pool-mb (the full "
                    "DeepInnovationAI pairs file needs about 8 GB) and run the same command again."
                ) from None
            raise

    def node_counts(self) -> dict[str, int]:
        return {
            t.label: int(self.execute(f"MATCH (n:{t.label}) RETURN count(*) AS n").iloc[0, 0])
            for t in schema.NODE_TABLES
        }

    def rel_counts(self) -> dict[str, int]:
        return {
            r.type: int(self.execute(f"MATCH ()-[r:{r.type}]->() RETURN count(*) AS n").iloc[0, 0])
            for r in schema.REL_TABLES
        }

    # -- transactions ------------------------------------------------------------------------
    def begin(self) -> None:
        self._conn.execute("BEGIN TRANSACTION")

    def commit(self) -> None:
        self._conn.execute("COMMIT")

    def rollback(self) -> None:
        """Roll back the open transaction; a failed statement may already have ended it."""
        try:
            self._conn.execute("ROLLBACK")
        except RuntimeError as exc:
            if "no active transaction" not in str(exc).lower():
                raise

    def close(self) -> None:
        self._conn.close()
        self._db.close()

    def __enter__(self) -> "EmbeddedStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
