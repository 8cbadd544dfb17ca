"""`innograph analyze NAME` on the hand-worked graph of tests/analysis/conftest.py."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "analysis"))
from tinygraph import write_csvs  # noqa: E402

from innograph.cli import main  # noqa: E402
from innograph.graph.embedded import EmbeddedStore  # noqa: E402
from innograph.graph.load import LoadConfig, load_graph  # noqa: E402


@pytest.fixture(scope="module")
def graph(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli-analysis")
    load_graph(root / "graph", config=LoadConfig(progress=False), **write_csvs(root / "csv"))
    return root / "graph"


def test_analyze_writes_tables(graph, tmp_path, capsys):
    main(["analyze", "transfer", "--db", str(graph), "--out", str(tmp_path), "--no-progress", "-o", "bin_width=0.1"])
    out = capsys.readouterr().out
    assert "transfer_lags.csv: 4 rows" in out
    lags = pd.read_csv(tmp_path / "transfer_lags.csv")
    assert lags["lag_years"].tolist() == [-1, 2, 3, 4]
    main(["analyze", "evolution", "--db", str(graph), "--out", str(tmp_path), "--format", "parquet", "--no-progress"])
    by = pd.read_parquet(tmp_path / "evolution_by_year.parquet")
    assert by.groupby("kind")["documents"].sum().to_dict() == {"paper": 3, "patent": 5}


def test_analyze_competition_write(graph, tmp_path, capsys):
    db = tmp_path / "g"
    shutil.copytree(graph, db)
    main(["analyze", "competition", "--db", str(db), "--out", str(tmp_path / "o"), "--no-progress", "--write",
          "-o", "min_patents=1", "-o", "threshold=0.3", "-o", "block_weights=[0.5, 0.5]"])
    assert "wrote 2 COMPETES_WITH relationships" in capsys.readouterr().out
    with EmbeddedStore(db, read_only=True) as store:
        assert len(store.execute("MATCH ()-[r:COMPETES_WITH]->() RETURN r.weight AS w")) == 2


def test_analyze_errors(graph, tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["analyze", "themes", "--db", str(graph), "--out", str(tmp_path), "--write"])
    assert exc.value.code == 2 and "--write applies to competition" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["analyze", "competition", "--db", str(graph), "--out", str(tmp_path), "-o", "threshold=2"])
    assert exc.value.code == 2 and "threshold must be between 0 and 1" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["analyze", "transfer", "--db", str(tmp_path / "none"), "--out", str(tmp_path)])
    assert exc.value.code == 2 and "No graph database" in capsys.readouterr().err


def test_buffer_pool_reaches_the_store_and_changes_no_result(graph, tmp_path, monkeypatch, capsys):
    seen = []
    real_init = EmbeddedStore.__init__

    def spy(self, *args, **kwargs):
        seen.append(kwargs.get("buffer_pool_mb"))
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(EmbeddedStore, "__init__", spy)
    main(["analyze", "transfer", "--db", str(graph), "--out", str(tmp_path / "a"), "--buffer-pool-mb", "256",
          "--no-progress"])
    main(["analyze", "transfer", "--db", str(graph), "--out", str(tmp_path / "b"), "--no-progress"])
    main(["report", "--db", str(graph), "--out", str(tmp_path / "r"), "--buffer-pool-mb", "128", "--no-progress"])
    assert seen == [256, 0, 128]
    for table in sorted((tmp_path / "a").glob("*.csv")):
        assert pd.read_csv(table).equals(pd.read_csv(tmp_path / "b" / table.name)), table.name
