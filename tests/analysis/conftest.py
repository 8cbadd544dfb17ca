"""Fixtures of tests/analysis: the hand-worked graph of tinygraph.py, built with the real loader
into the real embedded database."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tinygraph import write_csvs  # tests/analysis is on sys.path: pytest puts a conftest's folder there

from innograph.graph.load import LoadConfig, load_graph


@pytest.fixture(scope="session")
def tiny_graph(tmp_path_factory) -> Path:
    """The hand-worked graph (open it read-only; copy it with `writable_copy` to write)."""
    root = tmp_path_factory.mktemp("tiny")
    files = write_csvs(root / "csv")
    summary = load_graph(root / "graph", config=LoadConfig(progress=False), **files)
    assert [f.loaded for f in summary.files] == [5, 3, 4]
    return root / "graph"


@pytest.fixture
def writable_copy(tiny_graph, tmp_path) -> Path:
    dst = tmp_path / "graph"
    shutil.copytree(tiny_graph, dst)
    return dst
