"""Shared fixtures: the real data beside the project, and small graphs built with the loader."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "data"


def shared_data_dir() -> Path | None:
    """`../shared/data` (or $INNOGRAPH_SHARED_DATA) if present."""
    env = os.environ.get("INNOGRAPH_SHARED_DATA")
    path = Path(env) if env else REPO.parent / "shared" / "data"
    return path if path.is_dir() else None


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real records of ../shared/data; missing data fails in CI and skips elsewhere."""
    path = shared_data_dir()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("../shared/data is missing (set INNOGRAPH_SHARED_DATA); CI must not skip these tests")
        pytest.skip("../shared/data not found (set INNOGRAPH_SHARED_DATA to run these tests)")
    return path
