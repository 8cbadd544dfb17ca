"""`innograph similarity` on real records: Doc2Vec pairs, a rerun reuses the embeddings and the
finished blocks, clear one-sentence errors."""

from __future__ import annotations

import json
import os

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from innograph.cli import cli, main
from innograph.ingest.pipeline import ingest
from innograph.models.similarity import read_pairs

os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture(scope="module")
def documents(shared_data, tmp_path_factory):
    out = tmp_path_factory.mktemp("cli-sim")
    nn = pd.read_csv(shared_data / "patents" / "patentsview_neural_network.csv", dtype=str).head(120)
    nn.to_csv(out / "patents.csv", index=False)
    ax = pd.read_csv(shared_data / "papers" / "arxiv_snapshot_sample.csv", dtype=str).head(70)
    ax.to_csv(out / "papers.csv", index=False)
    ingest([out / "patents.csv", out / "papers.csv"], out / "work", progress=False)
    return out / "work" / "documents.parquet"


def test_similarity_command_doc2vec_and_rerun(documents, tmp_path):
    args = ["similarity", "--documents", str(documents), "--out", str(tmp_path / "pairs"), "--method", "doc2vec",
            "--vector-size", "32", "--epochs", "5", "--k", "3", "--tau", "0.9", "--block-rows", "16",
            "--require-later", "--no-progress", "--json"]
    first = CliRunner().invoke(cli, args)
    assert first.exit_code == 0, first.output
    s1 = json.loads(first.output[first.output.index("{"):])
    assert (s1["papers"], s1["patents"], s1["blocks"]) == (70, 120, 5) and not s1["embeddings_reused"]
    pairs = read_pairs(tmp_path / "pairs")
    assert len(pairs) == s1["pairs"] > 0 and pairs["rank"].notna().sum() == s1["pairs_top_k"]
    assert (pairs["lag_years"].dropna() >= 0).all() and pairs["lag_years"].notna().all()
    assert set(pairs["patent_id"]) <= set(pd.read_parquet(documents, columns=["id"])["id"])
    assert np.all(pairs.groupby("paper_id")["rank"].count() <= 3)
    again = CliRunner().invoke(cli, args)
    s2 = json.loads(again.output[again.output.index("{"):])
    assert s2["embeddings_reused"] and s2["blocks_skipped"] == 5 and s2["pairs"] == s1["pairs"]
    pd.testing.assert_frame_equal(read_pairs(tmp_path / "pairs"), pairs)


def test_similarity_command_shards_share_one_folder(documents, tmp_path):
    base = ["similarity", "--documents", str(documents), "--method", "doc2vec", "--vector-size", "32", "--epochs", "5",
            "--k", "3", "--tau", "0.8", "--block-rows", "16", "--no-progress", "--json"]
    whole = CliRunner().invoke(cli, base + ["--out", str(tmp_path / "whole")])
    assert whole.exit_code == 0, whole.output
    for i in (1, 0, 2):
        res = CliRunner().invoke(cli, base + ["--out", str(tmp_path / "sharded"), "--shard", f"{i}/3"])
        assert res.exit_code == 0, res.output
        s = json.loads(res.output[res.output.index("{"):])
        assert s["blocks"] == len(range(i, 5, 3)) and s["blocks_skipped"] == 0
    pd.testing.assert_frame_equal(read_pairs(tmp_path / "sharded"), read_pairs(tmp_path / "whole"))


@pytest.mark.parametrize("extra, message", [
    (["--method", "sbert-keywords"], "needs --keywords"),
    (["--method", "doc2vec", "--precision", "fp16"], "needs a GPU"),
    (["--method", "doc2vec", "--k", "-1"], "--k must be >= 0"),
    (["--method", "doc2vec", "--shard", "3/3"], "shard must be"),
])
def test_similarity_command_errors(documents, tmp_path, capsys, extra, message):
    with pytest.raises(SystemExit) as exc:
        main(["similarity", "--documents", str(documents), "--out", str(tmp_path / "p"), *extra])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err and "Traceback" not in err


def test_similarity_command_missing_documents(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["similarity", "--documents", str(tmp_path / "nope.parquet"), "--out", str(tmp_path / "p"),
              "--method", "doc2vec"])
    assert "nope.parquet: no such file (make it with `innograph ingest" in capsys.readouterr().err
