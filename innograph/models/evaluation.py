"""Classifier evaluation: accuracy, per-class precision/recall/F1, PR curve and AUPRC, figures.

The metrics follow the paper's definitions (section 4, equations 6-10): accuracy over all
documents, per-class precision TP/(TP+FP), recall TP/(TP+FN), F1, and the area under the
precision-recall curve of the positive (AI) class. They are computed from confusion counts with
numpy (no sklearn call), so the tests can check them against sklearn and hand-worked values.

AUPRC is reported two ways, because published numbers use both:

- `auprc`: average precision, sum over thresholds of (R_k - R_{k-1}) * P_k (sklearn's
  `average_precision_score`; no interpolation, no optimism from the trapezoid);
- `auprc_trapezoid`: the trapezoidal area under the (recall, precision) points (sklearn
  `auc(recall, precision)`).

Figures are PNG files written with matplotlib's Agg backend (no display needed).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

AI_NAMES = ("non-AI", "AI")


def _safe_div(num: float, den: float) -> float:
    return float(num) / float(den) if den else 0.0


def confusion(y_true, y_pred, labels: Sequence) -> np.ndarray:
    """Counts, shape (n_labels, n_labels): rows are true labels, columns predicted ones."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    index = {lab: i for i, lab in enumerate(labels)}
    out = np.zeros((len(labels), len(labels)), dtype=np.int64)
    for t, p in zip(y_true.tolist(), y_pred.tolist()):
        out[index[t], index[p]] += 1
    return out


def prf_from_counts(tp: float, fp: float, fn: float) -> tuple[float, float, float]:
    """(precision, recall, F1); 0 where undefined (no predicted or no true positives)."""
    p, r = _safe_div(tp, tp + fp), _safe_div(tp, tp + fn)
    return p, r, _safe_div(2 * p * r, p + r)


def pr_curve(y_true, y_score) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Precision and recall at every distinct score threshold, highest threshold first.

    Returns (precision, recall, thresholds), each shape (n_thresholds,): predicting positive when
    score >= threshold. Ties share a threshold (the curve steps once per distinct score).
    """
    y_true = np.asarray(y_true).astype(bool)
    y_score = np.asarray(y_score, dtype=np.float64)
    order = np.argsort(-y_score, kind="mergesort")
    s, t = y_score[order], y_true[order]
    last_of_tie = np.r_[np.flatnonzero(np.diff(s)), len(s) - 1] if len(s) else np.array([], int)
    tp = np.cumsum(t)[last_of_tie]
    fp = (last_of_tie + 1) - tp
    n_pos = t.sum()
    precision = tp / np.maximum(tp + fp, 1)
    recall = tp / n_pos if n_pos else np.zeros_like(tp, dtype=np.float64)
    return precision, recall, s[last_of_tie]


def average_precision(y_true, y_score) -> float:
    """AUPRC as average precision: sum_k (R_k - R_{k-1}) P_k over the thresholds of `pr_curve`."""
    precision, recall, _ = pr_curve(y_true, y_score)
    if not len(recall) or recall[-1] == 0:
        return 0.0
    return float(np.sum(np.diff(np.r_[0.0, recall]) * precision))


def trapezoid_auprc(y_true, y_score) -> float:
    """Trapezoidal area under (recall, precision), with sklearn's end point (R=0, P=1)."""
    precision, recall, _ = pr_curve(y_true, y_score)
    if not len(recall):
        return 0.0
    r, p = np.r_[0.0, recall], np.r_[1.0, precision]
    return float(np.sum(np.diff(r) * (p[1:] + p[:-1]) / 2))


def binary_report(y_true, y_score, threshold: float = 0.5, names: Sequence[str] = AI_NAMES) -> dict:
    """Metrics of a binary classifier.

    Parameters
    ----------
    y_true : shape (n,), 0/1 (1 = the positive class, `names[1]`).
    y_score : shape (n,), the classifier's probability of the positive class.
    threshold : predict positive when score >= threshold.

    Returns a JSON-ready dict: n, n_positive, accuracy, macro_f1, per-class precision/recall/F1/
    support under `classes`, confusion counts `[[tn, fp], [fn, tp]]`, auprc, auprc_trapezoid.
    """
    y_true = np.asarray(y_true).astype(int)
    y_score = np.asarray(y_score, dtype=np.float64)
    if y_true.shape != y_score.shape:
        raise ValueError(f"y_true has shape {y_true.shape} but y_score has {y_score.shape}")
    y_pred = (y_score >= threshold).astype(int)
    cm = confusion(y_true, y_pred, [0, 1])
    (tn, fp), (fn, tp) = cm.tolist()
    classes = {}
    for k, name in enumerate(names):
        # class k as the positive one: its TP/FP/FN
        ctp, cfp, cfn = (tp, fp, fn) if k == 1 else (tn, fn, fp)
        p, r, f = prf_from_counts(ctp, cfp, cfn)
        classes[name] = {"precision": p, "recall": r, "f1": f, "support": int(cm[k].sum())}
    has_both = 0 < y_true.sum() < len(y_true)
    return {
        "n": int(len(y_true)),
        "n_positive": int(y_true.sum()),
        "threshold": threshold,
        "accuracy": _safe_div(tp + tn, len(y_true)),
        "macro_f1": float(np.mean([c["f1"] for c in classes.values()])),
        "classes": classes,
        "confusion": cm.tolist(),
        "auprc": average_precision(y_true, y_score) if y_true.sum() else None,
        "auprc_trapezoid": trapezoid_auprc(y_true, y_score) if y_true.sum() else None,
        "both_classes_present": bool(has_both),
    }


def multilabel_report(y_true, y_score, label_names: Sequence[str], threshold: float = 0.5) -> dict:
    """Per-label and averaged metrics of a multi-label classifier.

    Parameters
    ----------
    y_true : shape (n, n_labels), 0/1.
    y_score : shape (n, n_labels), per-label probabilities.

    Returns per-label precision/recall/F1/support/AUPRC, micro and macro F1 (macro over labels
    with support), subset accuracy (all labels right) and Hamming loss.
    """
    y_true = np.asarray(y_true).astype(int)
    y_score = np.asarray(y_score, dtype=np.float64)
    if y_true.shape != y_score.shape or y_true.ndim != 2 or y_true.shape[1] != len(label_names):
        raise ValueError(f"expected shapes (n, {len(label_names)}), got {y_true.shape} and {y_score.shape}")
    y_pred = (y_score >= threshold).astype(int)
    labels, sums = {}, np.zeros(3)
    for j, name in enumerate(label_names):
        t, p = y_true[:, j], y_pred[:, j]
        tp, fp, fn = int((t & p).sum()), int(((1 - t) & p).sum()), int((t & (1 - p)).sum())
        sums += (tp, fp, fn)
        prec, rec, f1 = prf_from_counts(tp, fp, fn)
        labels[name] = {"precision": prec, "recall": rec, "f1": f1, "support": int(t.sum()),
                        "predicted": int(p.sum()),
                        "auprc": average_precision(t, y_score[:, j]) if t.sum() else None}
    micro = prf_from_counts(*sums)
    with_support = [v["f1"] for v in labels.values() if v["support"]]
    return {
        "n": int(len(y_true)),
        "labels": labels,
        "micro_precision": micro[0], "micro_recall": micro[1], "micro_f1": micro[2],
        "macro_f1": float(np.mean(with_support)) if with_support else 0.0,
        "subset_accuracy": float(np.mean((y_pred == y_true).all(axis=1))) if len(y_true) else 0.0,
        "hamming_loss": float(np.mean(y_pred != y_true)) if y_true.size else 0.0,
    }


def report_by_group(y_true, y_score, groups, threshold: float = 0.5) -> dict:
    """`binary_report` overall (key "all") and per value of `groups` (shape (n,), e.g. source)."""
    y_true, y_score, groups = np.asarray(y_true), np.asarray(y_score), np.asarray(groups)
    out = {"all": binary_report(y_true, y_score, threshold)}
    for g in sorted(set(groups.tolist())):
        m = groups == g
        out[str(g)] = binary_report(y_true[m], y_score[m], threshold)
    return out


# ---------------------------------------------------------------------------------------------
# figures


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_pr_curves(curves: Mapping[str, tuple], path, title: str = "Precision-recall, AI class") -> Path:
    """One PNG with a PR curve per entry of `curves` ({name: (y_true, y_score)}), AUPRC in the legend."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(5.5, 4.5), dpi=120)
    for name, (y_true, y_score) in curves.items():
        if not np.asarray(y_true).sum():
            continue
        precision, recall, _ = pr_curve(y_true, y_score)
        ax.step(np.r_[0.0, recall], np.r_[precision[0] if len(precision) else 1.0, precision], where="post",
                label=f"{name} (AUPRC {average_precision(y_true, y_score):.3f}, n={len(y_true)})")
    ax.set_xlabel("recall")
    ax.set_ylabel("precision")
    ax.set_xlim(0, 1.01)
    ax.set_ylim(0, 1.02)
    ax.grid(alpha=0.3)
    ax.set_title(title)
    ax.legend(fontsize=7, loc="lower left")
    return _save(fig, plt, path)


def plot_confusion(report: dict, path, title: str = "Confusion counts") -> Path:
    """PNG of the 2x2 confusion counts of a `binary_report`."""
    plt = _pyplot()
    cm = np.asarray(report["confusion"])
    names = list(report["classes"])
    fig, ax = plt.subplots(figsize=(3.8, 3.4), dpi=120)
    ax.imshow(cm, cmap="Blues")
    for i in range(cm.shape[0]):
        for j in range(cm.shape[1]):
            ax.text(j, i, str(cm[i, j]), ha="center", va="center",
                    color="white" if cm[i, j] > cm.max() / 2 else "black")
    ax.set_xticks(range(len(names)), names)
    ax.set_yticks(range(len(names)), names)
    ax.set_xlabel("predicted")
    ax.set_ylabel("weak label")
    ax.set_title(title, fontsize=9)
    return _save(fig, plt, path)


def plot_per_class(reports: Mapping[str, dict], path, metric: str = "f1",
                   title: str = "Per-class F1 by source") -> Path:
    """Grouped bars of one per-class metric for several `binary_report`s ({name: report})."""
    plt = _pyplot()
    names = list(reports)
    classes = list(next(iter(reports.values()))["classes"]) if reports else []
    fig, ax = plt.subplots(figsize=(max(4.5, 1.1 * len(names) + 2), 3.8), dpi=120)
    width = 0.8 / max(len(classes), 1)
    for k, cls in enumerate(classes):
        values = [reports[n]["classes"][cls][metric] if reports[n]["classes"][cls]["support"] else np.nan
                  for n in names]
        ax.bar(np.arange(len(names)) + k * width, values, width, label=cls)
    ax.set_xticks(np.arange(len(names)) + width * (len(classes) - 1) / 2, names, rotation=20, fontsize=7)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel(metric)
    ax.set_title(title, fontsize=9)
    ax.legend(fontsize=7)
    return _save(fig, plt, path)


def _save(fig, plt, path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path
