"""Weak AI / non-AI labels from the real records in ../shared/data (no paid LLM needed).

The paper labelled its training sets with GPT-4 (section 2.2). Without an LLM budget, the labels
here come from what each source says about a record, one rule per record (`label_rule`):

| rule | records | label | why |
|---|---|---|---|
| `pv_query_neural_network` | PatentsView export of the query "neural network" | AI | the query term is the core AI technique |
| `pv_query_baseball` | PatentsView export of the query "baseball" | non-AI | unrelated topic |
| `gp_ai_query` | Google Patents search exports of AI queries (artificial intelligence, machine learning, deep learning, (deep/recurrent) neural networks) | AI | query term |
| `gp_broad_query_screen` | Google Patents exports of broad or ambiguous queries (computer science, information processing, autonomous systems, thinking machines) | the screen's verdict | the query says nothing either way |
| `ro_membrane` | Google Patents Public Data export on reverse-osmosis membranes, no G06N code | non-AI | topic |
| `ro_membrane_g06n` | the same export, records with a G06N code (45) | AI | G06N is the AI subclass; read: image classifiers, neural-network predictors |
| `arxiv_ai_category` | arXiv records with cs.AI, cs.LG, cs.CL, cs.CV, cs.NE, cs.IR or stat.ML | AI | subject category |
| `arxiv_other_category` | the other arXiv records | non-AI | subject category |
| `fos_not_cs` | S2ORC / SciRepEval records without Computer Science among their fields of study | non-AI | field of study |
| `fos_cs_screen` | records with Computer Science | the screen's verdict | CS is wider than AI |

Records met more than once (arXiv CSV and JSON lines, one patent under several queries) keep one
row per id; ids whose rules disagree get no label (`label_rule = "conflict: ..."`).

Google Patents search exports carry no abstracts; the `*_abstracts.ndjson` file of the same query
holds `[abstract, title]` lines in export order, which are joined back by title within the query.

How noisy the rules are is measured, not assumed: `agreement` cross-tabulates each rule with the
coarse screen (an independent keyword+IPC signal), and bench/classify.py records it together with
a hand-read sample (see notes and bench/results/classify-quality.json).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

AI_ARXIV_CATEGORIES = frozenset({"cs.AI", "cs.LG", "cs.CL", "cs.CV", "cs.NE", "cs.IR", "stat.ML"})
AI_QUERIES = frozenset({"artificial intelligence", "machine learning", "deep learning", "deep neural networks",
                        "neural networks", "recurrent neural networks"})
BROAD_QUERIES = frozenset({"computer science", "information processing", "autonomous systems", "thinking machines"})
CS_FIELDS = frozenset({"computer science"})

# file (relative to the data folder) -> dataset name used in reports
DATASETS = {
    "patents/patentsview_neural_network.csv": "patentsview",
    "patents/patentsview_baseball.csv": "patentsview",
    "patents/google_patents_public_ro_membrane.csv": "google_patents_ro",
    "patents/google_patents_search": "google_patents_search",
    "papers/arxiv_snapshot_sample.csv": "arxiv",
    "papers/arxiv_snapshot_sample.jsonl": "arxiv",
    "papers/s2orc_metadata_sample.jsonl": "s2orc",
    "papers/fos_small.json": "fos",
}
LABEL_COLUMNS = ["label", "label_rule", "dataset"]


def read_documents(path, fmt: str | None = None) -> pd.DataFrame:
    """One raw file through the ingest reader (format detected) as a canonical documents frame.

    Rejected rows are counted in `df.attrs["rejected"]`, nothing is dropped silently.
    """
    from innograph.ingest.deepinnovation import ReadStats
    from innograph.ingest.detect import KINDS, detect_format, get_reader
    from innograph.ingest.documents import DOCUMENT_SCHEMA, documents_to_table
    from innograph.ingest.rejects import RejectLog

    fmt = fmt or detect_format(path)
    rejects, stats = RejectLog(None), ReadStats(str(path), KINDS[fmt])
    frames = [documents_to_table(docs).to_pandas() for docs in get_reader(fmt)(path, rejects, stats)]
    df = pd.concat(frames, ignore_index=True) if frames else DOCUMENT_SCHEMA.empty_table().to_pandas()
    df.attrs["read"], df.attrs["rejected"] = stats.read, rejects.rows_rejected
    return df


def _norm_title(t) -> str:
    return re.sub(r"\s+", " ", str(t or "")).strip().lower()


def attach_search_abstracts(df: pd.DataFrame, abstracts_file) -> int:
    """Fill `abstract` of a Google Patents search export from its `[abstract, title]` lines.

    Lines are matched to rows by normalised title, in order (repeated titles take the lines in
    turn). Returns the number of rows that got an abstract. Malformed lines are skipped and
    counted in `df.attrs["abstract_lines_bad"]`.
    """
    by_title: dict[str, list[str]] = {}
    bad = 0
    with open(abstracts_file, encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if not line:
                continue
            try:
                abstract, title = json.loads(line)
            except (ValueError, TypeError):
                bad += 1
                continue
            if abstract:
                by_title.setdefault(_norm_title(title), []).append(str(abstract).strip())
    filled = 0
    abstracts = df["abstract"].tolist()
    for i, t in enumerate(df["title"].tolist()):
        queue = by_title.get(_norm_title(t))
        if queue and not abstracts[i]:
            abstracts[i] = queue.pop(0)
            filled += 1
    df["abstract"] = abstracts
    df.attrs["abstract_lines_bad"] = bad
    return filled


def load_real_documents(data_dir, datasets: Iterable[str] | None = None) -> pd.DataFrame:
    """The labelled sources of ../shared/data as one documents frame with a `dataset` column.

    `datasets` picks a subset of the names in `DATASETS` (default: all). Rows are in file order.
    """
    data_dir = Path(data_dir)
    want = set(datasets) if datasets is not None else set(DATASETS.values())
    frames = []
    for rel, name in DATASETS.items():
        if name not in want:
            continue
        path = data_dir / rel
        if not path.exists():
            raise FileNotFoundError(f"{path}: missing from the shared data folder")
        files = sorted(path.glob("gp-search-*.csv")) if path.is_dir() else [path]
        for f in files:
            df = read_documents(f)
            if name == "google_patents_search":
                slug = f.stem.removeprefix("gp-search-")
                ab = data_dir / "patents" / "google_patents_abstracts" / f"{slug}_abstracts.ndjson"
                if ab.exists():
                    attach_search_abstracts(df, ab)
            df["dataset"] = name
            frames.append(df)
    return pd.concat(frames, ignore_index=True)


def infer_dataset(source: str, source_file: str) -> str:
    """The `dataset` name of a canonical document from its reader format and file (for a
    documents table made by `innograph ingest`, which has no `dataset` column)."""
    name = Path(str(source_file)).name.lower()
    if source == "google_patents_public":
        return "google_patents_ro" if "ro_membrane" in name else "google_patents_public"
    if source == "s2orc":
        return "fos" if name.startswith("fos") else "s2orc"
    return source


def _rule(row) -> tuple[float, str]:
    """(label, rule) of one record; label NaN when the rule defers to the screen or has none."""
    name, file = row["dataset"], str(row["source_file"])
    if name == "patentsview":
        if "neural_network" in file:
            return 1.0, "pv_query_neural_network"
        if "baseball" in file:
            return 0.0, "pv_query_baseball"
        return np.nan, "pv_unknown_query"
    if name == "google_patents_search":
        queries = {q.lower() for q in row["search_queries"]}
        if queries & AI_QUERIES:
            return 1.0, "gp_ai_query"
        if queries & BROAD_QUERIES:
            return np.nan, "gp_broad_query_screen"
        return np.nan, "gp_unknown_query"
    if name == "google_patents_ro":
        return (1.0, "ro_membrane_g06n") if row["has_g06n"] is True else (0.0, "ro_membrane")
    if name == "arxiv":
        cats = set(row["arxiv_categories"])
        return (1.0, "arxiv_ai_category") if cats & AI_ARXIV_CATEGORIES else (0.0, "arxiv_other_category")
    if name in ("s2orc", "fos"):
        fos = {f.lower() for f in row["fields_of_study"]}
        if not fos:
            return np.nan, "fos_missing"
        return (np.nan, "fos_cs_screen") if fos & CS_FIELDS else (0.0, "fos_not_cs")
    return np.nan, "no_rule"


SCREEN_RULES = frozenset({"gp_broad_query_screen", "fos_cs_screen"})


def weak_labels(documents: pd.DataFrame, screen: pd.DataFrame | None = None) -> pd.DataFrame:
    """Documents with `label` (1 AI, 0 non-AI, NaN unknown), `label_rule`, screen columns.

    Parameters
    ----------
    documents : output of `load_real_documents` (canonical columns + `dataset`), or a documents
        table of `innograph ingest` (`dataset` is then inferred from `source` and `source_file`).
    screen : the coarse screen of the same rows (`innograph.models.screen.screen_documents`);
        computed when None. Its `screen_ai`, `screen_reason` and `subfields` are added
        (`subfields` renamed `screen_subfields`).

    One row per id (first occurrence kept, in input order); ids met under disagreeing labels get
    NaN and `label_rule = "conflict: r1 | r2"`. Returns a new frame.
    """
    from innograph.models.screen import screen_documents

    docs = documents.reset_index(drop=True).copy()
    if "dataset" not in docs:
        docs["dataset"] = [infer_dataset(a, b) for a, b in zip(docs["source"], docs["source_file"])]
    if screen is None:
        screen = screen_documents(docs)
    if len(screen) != len(docs):
        raise ValueError(f"screen has {len(screen)} rows for {len(docs)} documents")
    docs["screen_ai"] = screen["screen_ai"].to_numpy(dtype=bool)
    docs["screen_reason"] = screen["screen_reason"].to_numpy()
    docs["screen_subfields"] = screen["subfields"].to_numpy()
    rules = [_rule(r) for r in docs[["dataset", "source_file", "search_queries", "has_g06n", "arxiv_categories",
                                      "fields_of_study"]].to_dict("records")]
    docs["label"] = [lab for lab, _ in rules]
    docs["label_rule"] = [r for _, r in rules]
    defer = docs["label_rule"].isin(SCREEN_RULES)
    docs.loc[defer, "label"] = docs.loc[defer, "screen_ai"].astype(float)

    # one row per id; conflicting labels -> unknown
    key = docs["kind"] + "|" + docs["id"]
    grouped = docs.groupby(key, sort=False)
    n_labels = grouped["label"].transform(lambda s: s.dropna().nunique())
    conflict_rules = grouped["label_rule"].transform(lambda s: " | ".join(dict.fromkeys(s)))
    docs.loc[n_labels > 1, "label_rule"] = "conflict: " + conflict_rules[n_labels > 1]
    docs.loc[n_labels > 1, "label"] = np.nan
    first_label = grouped["label"].transform(lambda s: s.dropna().iloc[0] if s.notna().any() else np.nan)
    docs["label"] = np.where(n_labels > 1, np.nan, first_label)
    out = docs[~key.duplicated()].reset_index(drop=True)
    out.attrs["duplicates_dropped"] = int(key.duplicated().sum())
    out.attrs["conflicts"] = int((out["label_rule"].str.startswith("conflict")).sum())
    return out


def agreement(labelled: pd.DataFrame) -> pd.DataFrame:
    """Per rule: records, labelled records, share AI, and agreement of the label with the screen.

    For rules that defer to the screen, agreement is 1 by construction (marked `screen_defined`).
    """
    rows = []
    for rule, g in labelled.groupby("label_rule", sort=True):
        lab = g["label"].dropna()
        s = g.loc[lab.index, "screen_ai"].astype(float)
        rows.append({"label_rule": rule, "dataset": g["dataset"].iloc[0], "records": len(g),
                     "labelled": len(lab), "share_ai": float(lab.mean()) if len(lab) else np.nan,
                     "screen_ai_share": float(g["screen_ai"].mean()),
                     "agree_with_screen": float((lab == s).mean()) if len(lab) else np.nan,
                     "with_abstract": (float(g["abstract"].fillna("").str.len().gt(0).mean())
                                       if "abstract" in g else np.nan),
                     "screen_defined": rule in SCREEN_RULES})
    return pd.DataFrame(rows)
