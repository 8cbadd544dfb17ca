"""The interface every graph backend implements.

A store runs Cypher with parameters and returns pandas DataFrames. Values always travel as
parameters, never inside the query text.
"""

from __future__ import annotations

from typing import Any, Protocol

import pandas as pd


class GraphStore(Protocol):
    """What analytics, the query runner and the loader need from a backend."""

    read_only: bool

    def execute(self, cypher: str, params: dict[str, Any] | None = None) -> pd.DataFrame:
        """Run one statement; return its rows (empty frame for statements without results)."""
        ...

    def node_counts(self) -> dict[str, int]:
        """Number of nodes per label of the graph model."""
        ...

    def rel_counts(self) -> dict[str, int]:
        """Number of relationships per type of the graph model."""
        ...

    def close(self) -> None: ...


def is_embedded(store: Any) -> bool:
    """Whether `store` is the embedded LadybugDB store (by class name: no backend gets imported)."""
    return type(store).__name__ == "EmbeddedStore"


def is_neo4j(store: Any) -> bool:
    """Whether `store` is a Neo4j store (by class name: the driver need not be installed)."""
    return type(store).__name__ == "Neo4jStore"
