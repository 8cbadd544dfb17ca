"""Metrics against sklearn and hand-worked values; figures are written as PNG."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import accuracy_score, auc, average_precision_score, precision_recall_curve
from sklearn.metrics import precision_recall_fscore_support

from innograph.models.evaluation import (average_precision, binary_report, multilabel_report, plot_confusion,
                                         plot_per_class, plot_pr_curves, pr_curve, report_by_group,
                                         trapezoid_auprc)


def test_hand_worked_binary_report():
    # 4 AI, 4 non-AI; at 0.5: TP=3 (0.9, 0.8, 0.6), FN=1 (0.3), FP=1 (0.7), TN=3
    y = [1, 1, 1, 1, 0, 0, 0, 0]
    s = [0.9, 0.8, 0.6, 0.3, 0.7, 0.2, 0.1, 0.4]
    r = binary_report(y, s)
    assert r["confusion"] == [[3, 1], [1, 3]]
    assert r["accuracy"] == pytest.approx(6 / 8)
    assert r["classes"]["AI"] == pytest.approx({"precision": 0.75, "recall": 0.75, "f1": 0.75, "support": 4})
    # ranking 0.9+ 0.8+ 0.7- 0.6+ 0.4- 0.3+ ...: AP = (1 + 1 + 3/4 + 4/6) / 4
    assert r["auprc"] == pytest.approx((1 + 1 + 0.75 + 4 / 6) / 4)


def test_binary_metrics_match_sklearn():
    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, 500)
    s = np.clip(y * 0.3 + rng.random(500) * 0.7, 0, 1).round(2)  # ties on purpose
    r = binary_report(y, s, threshold=0.45)
    pred = (s >= 0.45).astype(int)
    p, rec, f, sup = precision_recall_fscore_support(y, pred, labels=[0, 1], zero_division=0)
    assert r["accuracy"] == pytest.approx(accuracy_score(y, pred))
    for k, name in enumerate(("non-AI", "AI")):
        c = r["classes"][name]
        assert (c["precision"], c["recall"], c["f1"], c["support"]) == pytest.approx((p[k], rec[k], f[k], sup[k]))
    assert r["macro_f1"] == pytest.approx(f.mean())
    assert r["auprc"] == pytest.approx(average_precision_score(y, s))
    sp, sr, _ = precision_recall_curve(y, s)
    assert r["auprc_trapezoid"] == pytest.approx(auc(sr, sp))
    prec, recall, thr = pr_curve(y, s)
    assert set(np.round(thr, 6)) == set(np.round(np.unique(s), 6))
    assert np.all(np.diff(recall) >= 0)


def test_degenerate_inputs():
    r = binary_report([0, 0, 0], [0.1, 0.9, 0.2])
    assert r["auprc"] is None and r["classes"]["AI"]["precision"] == 0.0 and not r["both_classes_present"]
    assert average_precision([1, 1], [0.5, 0.5]) == 1.0
    assert trapezoid_auprc([1, 0], [0.9, 0.1]) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="shape"):
        binary_report([0, 1], [0.5])


def test_multilabel_against_sklearn():
    rng = np.random.default_rng(0)
    Y = rng.integers(0, 2, (200, 3))
    S = np.clip(Y * 0.4 + rng.random((200, 3)) * 0.6, 0, 1)
    r = multilabel_report(Y, S, ["a", "b", "c"])
    P = (S >= 0.5).astype(int)
    p, rec, f, sup = precision_recall_fscore_support(Y, P, average=None, zero_division=0)
    for j, n in enumerate("abc"):
        assert (r["labels"][n]["precision"], r["labels"][n]["recall"], r["labels"][n]["f1"]) == pytest.approx((p[j], rec[j], f[j]))
        assert r["labels"][n]["auprc"] == pytest.approx(average_precision_score(Y[:, j], S[:, j]))
    mp, mr, mf, _ = precision_recall_fscore_support(Y, P, average="micro")
    assert (r["micro_precision"], r["micro_recall"], r["micro_f1"]) == pytest.approx((mp, mr, mf))
    assert r["subset_accuracy"] == pytest.approx(accuracy_score(Y, P))


def test_groups_and_figures(tmp_path):
    y = np.array([1, 0, 1, 0, 1, 0])
    s = np.array([0.9, 0.2, 0.4, 0.6, 0.8, 0.1])
    g = np.array(["pv", "pv", "arxiv", "arxiv", "pv", "pv"])
    r = report_by_group(y, s, g)
    assert set(r) == {"all", "pv", "arxiv"} and r["pv"]["accuracy"] == 1.0 and r["arxiv"]["accuracy"] == 0.0
    for path in (plot_pr_curves({"all": (y, s), "pv": (y[g == "pv"], s[g == "pv"])}, tmp_path / "pr.png"),
                 plot_confusion(r["all"], tmp_path / "cm.png"), plot_per_class(r, tmp_path / "f1.png")):
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
