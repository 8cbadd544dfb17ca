"""The seven AI subfields of the USPTO AI Patent Dataset as a multi-label head (one sigmoid per
subfield, binary cross-entropy): machine learning, NLP, speech, vision, knowledge processing,
planning/control, AI hardware.

Weak subfield labels of an AI-labelled record are the union of:

- the coarse screen's subfields (`screen_subfields`): the subfield of every matched term of the
  keyword table and of every matched IPC entry (innograph/data/ai_screen_*.csv);
- arXiv categories (`ARXIV_SUBFIELDS`): cs.CL -> nlp, cs.CV -> vision, cs.SD / eess.AS -> speech,
  cs.RO -> planning_control, cs.AI -> knowledge_processing, cs.LG / stat.ML / cs.NE -> machine_learning;
- IPC/CPC codes by prefix (`IPC_SUBFIELDS`): G10L speech, G06V and G06K9 vision, G06F40 nlp,
  G06N5 / G06N7 knowledge_processing, G05B13 planning_control, G06N3/063 and G06N3/067
  ai_hardware, G06N3 and G06N20 machine_learning;
- the Google Patents query of the record (`QUERY_SUBFIELDS`): the neural-network, deep-learning
  and machine-learning queries -> machine_learning.

A record with none of them has no subfield label and is left out of subfield training (the
USPTO dataset gives every AI patent at least one subfield).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

SUBFIELDS = ("machine_learning", "nlp", "speech", "vision", "knowledge_processing", "planning_control",
             "ai_hardware")
ARXIV_SUBFIELDS = {"cs.CL": "nlp", "cs.CV": "vision", "cs.SD": "speech", "eess.AS": "speech",
                   "cs.RO": "planning_control", "cs.AI": "knowledge_processing", "cs.LG": "machine_learning",
                   "stat.ML": "machine_learning", "cs.NE": "machine_learning"}
IPC_SUBFIELDS = (  # longest prefix first; a code takes the first that matches
    ("G06N3/063", "ai_hardware"), ("G06N3/067", "ai_hardware"), ("G06N3", "machine_learning"),
    ("G06N20", "machine_learning"), ("G06N5", "knowledge_processing"), ("G06N7", "knowledge_processing"),
    ("G10L", "speech"), ("G06V", "vision"), ("G06K9", "vision"), ("G06T7", "vision"),
    ("G06F40", "nlp"), ("G06F17/27", "nlp"), ("G06F17/28", "nlp"), ("G05B13", "planning_control"),
)
QUERY_SUBFIELDS = {"machine learning": "machine_learning", "deep learning": "machine_learning",
                   "deep neural networks": "machine_learning", "neural networks": "machine_learning",
                   "recurrent neural networks": "machine_learning"}


def _ipc_subfields(codes) -> list[str]:
    out = []
    for code in codes if codes is not None else []:
        c = str(code).replace(" ", "")
        for prefix, sub in IPC_SUBFIELDS:
            # G06K9 must not match G06K19: a prefix ending in a digit needs a non-digit after it
            if c.startswith(prefix) and not (prefix[-1].isdigit() and c[len(prefix):][:1].isdigit()):
                out.append(sub)
                break
    return out


def weak_subfields(row: dict) -> list[str]:
    """The weak subfield labels of one labelled record (see the module docstring)."""
    found = list(row.get("screen_subfields") if row.get("screen_subfields") is not None else [])
    found += [ARXIV_SUBFIELDS[c] for c in (row.get("arxiv_categories") if row.get("arxiv_categories") is not None else [])
              if c in ARXIV_SUBFIELDS]
    for col in ("ipc", "cpc"):
        found += _ipc_subfields(row.get(col))
    found += [QUERY_SUBFIELDS[q.lower()] for q in (row.get("search_queries") if row.get("search_queries") is not None else [])
              if q.lower() in QUERY_SUBFIELDS]
    return [s for s in SUBFIELDS if s in found]


def subfield_matrix(labelled: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """AI-labelled records with at least one weak subfield, and their 0/1 matrix (n, 7) in
    `SUBFIELDS` order. The frame gets a `weak_subfields` column."""
    ai = labelled[labelled["label"] == 1].copy()
    cols = [c for c in ("screen_subfields", "arxiv_categories", "ipc", "cpc", "search_queries") if c in ai]
    ai["weak_subfields"] = [weak_subfields(r) for r in ai[cols].to_dict("records")]
    ai = ai[ai["weak_subfields"].str.len() > 0].reset_index(drop=True)
    Y = np.array([[int(s in subs) for s in SUBFIELDS] for subs in ai["weak_subfields"]], dtype=np.int64)
    return ai, Y.reshape(len(ai), len(SUBFIELDS))


def subfield_classifier(**params):
    """A multi-label `BertClassifier` for the seven subfields (`label_names` = SUBFIELDS)."""
    from innograph.models.bert import BertClassifier

    return BertClassifier(multilabel=True, **params)


def fit_subfields(model, texts, Y, X_val=None, Y_val=None):
    """Fit a multi-label classifier on texts (n,) and Y (n, 7), label names = SUBFIELDS."""
    Y = np.asarray(Y)
    if Y.ndim != 2 or Y.shape[1] != len(SUBFIELDS):
        raise ValueError(f"Y must have shape (n, {len(SUBFIELDS)}), got {Y.shape}")
    return model.fit(list(texts), Y, X_val, Y_val, label_names=list(SUBFIELDS))
