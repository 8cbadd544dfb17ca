"""innograph/cli.py: errors reach the user as one sentence, not a traceback."""

from __future__ import annotations

import sys

import pandas as pd
import pytest

from innograph.cli import main


@pytest.fixture
def keywords(tmp_path):
    path = tmp_path / "keywords.parquet"
    pd.DataFrame({"id": ["a", "b"], "kind": ["paper", "patent"], "keyword": ["deep learning", "robot"],
                  "rank": [1, 1], "score": [0.5, 0.4]}).to_parquet(path)
    return path


def test_a_missing_optional_package_names_its_extra(keywords, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "hypernetx", None)  # as if the `ml` extra were not installed
    with pytest.raises(SystemExit) as exit_info:
        main(["novelty", "--keywords", str(keywords), "--out", str(keywords.with_name("novelty.parquet"))])
    err = capsys.readouterr().err
    assert exit_info.value.code == 2 and "Traceback" not in err
    assert "needs the package 'hypernetx'" in err and "pip install 'innograph[ml]'" in err


def test_a_missing_module_of_no_extra_is_not_hidden(keywords, monkeypatch):
    monkeypatch.setitem(sys.modules, "hypernetx", None)
    monkeypatch.setattr("innograph.cli._EXTRAS", {})
    with pytest.raises(ModuleNotFoundError):
        main(["novelty", "--keywords", str(keywords), "--out", str(keywords.with_name("novelty.parquet"))])


def test_a_table_that_is_not_parquet_is_one_sentence(tmp_path, capsys):
    bad = tmp_path / "keywords.parquet"
    bad.write_text("id,keyword\n")
    with pytest.raises(SystemExit):
        main(["novelty", "--keywords", str(bad), "--out", str(tmp_path / "n.parquet")])
    err = capsys.readouterr().err
    assert err.startswith(f"error: {bad}: not a Parquet file") and "Traceback" not in err
