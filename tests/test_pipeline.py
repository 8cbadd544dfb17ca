"""`innograph pipeline` on a small real subset (PatentsView patents + arXiv papers of ../shared/data)
into the real embedded graph: stopped after the keywords stage, resumed through the CLI, run a
third time (everything skipped); the graph's counts equal the mined tables'."""

from __future__ import annotations

import json
import os

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from innograph.cli import cli
from innograph.graph.embedded import EmbeddedStore
from innograph.models.similarity import read_pairs
from innograph.pipeline import STAGES, PipelineConfig, StopPipeline, run_pipeline

os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture(scope="module")
def raw(shared_data, tmp_path_factory):
    """Real raw records: 22 neural-network and 8 baseball PatentsView patents; 20 arXiv papers
    with AI categories and 8 without (CSV files in the readers' own formats)."""
    out = tmp_path_factory.mktemp("pipeline-raw")
    nn = pd.read_csv(shared_data / "patents" / "patentsview_neural_network.csv", dtype=str)
    bb = pd.read_csv(shared_data / "patents" / "patentsview_baseball.csv", dtype=str)
    pd.concat([nn.head(22), bb.head(8)]).to_csv(out / "patents.csv", index=False)
    ax = pd.read_csv(shared_data / "papers" / "arxiv_snapshot_sample.csv", dtype=str)
    ai = ax["categories"].str.contains(r"cs\.(?:AI|LG|CL|CV|NE|IR)|stat\.ML", na=False)
    pd.concat([ax[ai].head(20), ax[~ai].head(8)]).to_csv(out / "papers.csv", index=False)
    return out


def test_pipeline_stop_resume_and_counts(raw, tmp_path):
    db, work = tmp_path / "db", tmp_path / "work"
    cfg = PipelineConfig(patents=(str(raw / "patents.csv"),), papers=(str(raw / "papers.csv"),), db=str(db),
                         work=str(work), novelty_epochs=30, k=5, tau=0.5, progress=False)

    def stop(name):
        if name == "keywords":
            raise StopPipeline(name)

    first = run_pipeline(cfg, on_stage=stop)
    assert [s.stage for s in first.stages] == ["ingest", "screen", "classify", "keywords"]
    assert all(s.status == "ran" for s in first.stages) and not db.exists()
    ing = first.stage("ingest").counts
    assert ing["patents"] == 30 and ing["papers"] == 28 and ing["rejected"] == 0
    cls = first.stage("classify").counts
    assert 0 < cls["ai_patents"] <= 30 and 0 < cls["ai_papers"] <= 28
    assert "screen" in first.stage("classify").note  # no --model: is_ai from the screen, said so

    # resume through the CLI: the first four stages are skipped
    res = CliRunner().invoke(cli, ["pipeline", "--patents", str(raw / "patents.csv"), "--papers", str(raw / "papers.csv"),
                                   "--db", str(db), "--work", str(work), "--novelty-epochs", "30", "--k", "5",
                                   "--tau", "0.5", "--no-progress", "--json"])
    assert res.exit_code == 0, res.output
    second = json.loads(res.output[res.output.index("{"):])
    status = {s["stage"]: s["status"] for s in second["stages"]}
    assert status == {**{s: "skipped" for s in STAGES[:4]}, **{s: "ran" for s in STAGES[4:]}}
    load = next(s for s in second["stages"] if s["stage"] == "load")["counts"]
    assert load["reconciled"] and load["graph_was_empty"]

    # the graph against the tables
    ai = pd.read_parquet(work / "ai_documents.parquet")
    kw = pd.read_parquet(work / "keywords.parquet")
    pairs = read_pairs(work / "pairs")
    nov = pd.read_parquet(work / "novelty.parquet")
    n_pat, n_pap = int((ai.kind == "patent").sum()), int((ai.kind == "paper").sum())
    assert (n_pat, n_pap) == (cls["ai_patents"], cls["ai_papers"])
    ge_tau = pairs[pairs["score"].astype(np.float64) >= 0.5]
    assert pairs["rank"].notna().sum() == 5 * n_pap and 0 < len(ge_tau) < len(pairs)
    assert (pairs.loc[pairs["rank"].isna(), "score"].astype(np.float64) >= 0.5).all()  # beyond top 5: >= tau
    with EmbeddedStore(db, read_only=True) as store:
        nodes, rels = store.node_counts(), store.rel_counts()
        assert nodes["Patent"] == n_pat and nodes["Paper"] == n_pap
        assert rels["SIMILAR_TO"] == len(ge_tau)
        assert rels["HAS_KEYWORD"] == len(kw.drop_duplicates(["id", "kind", "keyword"]))
        assert nodes["Keyword"] == kw["keyword"].nunique()
        # one pair: the paper (by DOI/arXiv id via paper_ids.csv) and the patent, same score
        ids = pd.read_csv(work / "deepinnovation" / "paper_ids.csv")
        top = ge_tau.sort_values("score", ascending=False).iloc[0]
        num = str(int(ids.loc[ids["id"] == top["paper_id"], "ID"].iat[0]))
        got = store.execute("MATCH (a:Paper)-[r:SIMILAR_TO]->(p:Patent) WHERE a.paper_id = $a AND p.pn = $p "
                            "RETURN r.score AS s", {"a": num, "p": top["patent_id"]})
        assert len(got) == 1 and abs(float(got["s"].iat[0]) - float(top["score"])) < 1e-6
        nv = store.execute("MATCH (p:Patent) WHERE p.novelty IS NOT NULL RETURN count(p) AS n")["n"].iat[0]
        assert nv == int(((nov.kind == "patent") & np.isfinite(nov["novelty"])).sum()) > 0

    # a third run changes nothing
    third = run_pipeline(cfg)
    assert all(s.status == "skipped" for s in third.stages)
    with EmbeddedStore(db, read_only=True) as store:
        assert store.node_counts() == nodes and store.rel_counts() == rels


def test_pipeline_classify_with_a_bert_model(raw, tmp_path):
    """--model: is_ai comes from the BERT classifier (a small random-init BERT fitted for a few
    steps on real texts: the wiring, not the accuracy, is under test); no model: from the screen."""
    from transformers import BertConfig

    from innograph.models.bert import BertClassifier

    pat = pd.read_csv(raw / "patents.csv")
    texts = (pat["patent_title"] + ". " + pat["patent_abstract"]).tolist()
    y = np.array([1] * 22 + [0] * 8)  # neural-network vs baseball query
    cfg_small = BertConfig(vocab_size=30522, hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                           intermediate_size=64, max_position_embeddings=64)
    clf = BertClassifier(cfg_small, max_length=32, batch_size=8, max_steps=2, device="cpu", progress=False)
    clf.fit(texts[:16] + texts[-4:], np.concatenate([y[:16], y[-4:]]), texts[16:26], y[16:26])
    clf.save(tmp_path / "model")

    base = dict(patents=(str(raw / "patents.csv"),), papers=(str(raw / "papers.csv"),), db=str(tmp_path / "db"),
                work=str(tmp_path / "work"), progress=False, threshold=0.45)

    def stop(name):
        if name == "classify":
            raise StopPipeline(name)

    s = run_pipeline(PipelineConfig(model=str(tmp_path / "model"), **base), on_stage=stop)
    assert s.stage("classify").counts["source"] == "bert" and "BERT" in s.stage("classify").note
    table = pd.read_parquet(tmp_path / "work" / "classify.parquet")
    assert len(table) == 58 and (table["ai_source"] == "bert").all()
    assert table["ai_score"].between(0, 1).all() and (table["is_ai"] == (table["ai_score"] >= 0.45)).all()
    chosen = pd.read_parquet(tmp_path / "work" / "ai_documents.parquet")
    assert sorted(chosen["id"]) == sorted(table.loc[table["is_ai"], "id"])
    # without the model the classify stage runs again (its settings changed): the screen decides
    s = run_pipeline(PipelineConfig(**base), on_stage=stop)
    assert [x.status for x in s.stages] == ["skipped", "skipped", "ran"]
    table = pd.read_parquet(tmp_path / "work" / "classify.parquet")
    assert (table["ai_source"] == "screen").all() and table["ai_score"].isna().all()
