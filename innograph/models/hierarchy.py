"""The paper's dual-layer classifier: BERT_outer on a small labelled set, BERT_inner on a larger
set selected with the outer model's help (section 2.2), and `classify_documents`.

Training (`DualBertClassifier.fit`), with `y` the weak labels and `coarse_ai` the screen:

1. **outer set**: `outer_per_class` records per class, drawn evenly over `groups` (source
   datasets) - the paper's "small sample set" of 30,000 + 30,000 LLM-labelled patents.
2. **BERT_outer** is fine-tuned on it and scores every other labelled record.
3. **inner set**: positives are the "high-confidence AI" records - labelled AI and marked AI by
   the coarse screen (the paper: GPT-4-AI among the initially filtered AI patents); negatives are
   records labelled non-AI, screened non-AI and classified non-AI by BERT_outer (score below
   `outer_threshold`), drawn evenly over groups and over deciles of the outer score, so hard
   negatives near the boundary are represented ("selected ... based on BERT_outer's
   classification characteristics"). Up to `inner_per_class` per class.
4. The inner set is split 8:1:1 (stratified by label and group); **BERT_inner** trains on 80%,
   stops early on the 10% validation part, and is scored on the 10% test part (`test_report_`).

Prediction uses BERT_inner: `ai_score` is its AI probability.

Model folder layout (`save`/`load`, used by `classify_documents` and the CLI):
`outer/`, `inner/` (BertClassifier folders), optional `subfields/`, and `training.json`.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from innograph.models.bert import BertClassifier
from innograph.models.splits import stratified_split


def document_texts(documents: pd.DataFrame) -> list[str]:
    """`title. abstract` per row (the paper's input: titles and abstracts)."""
    from innograph.models.text import document_text

    titles = documents["title"].tolist() if "title" in documents else [None] * len(documents)
    abstracts = documents["abstract"].tolist() if "abstract" in documents else [None] * len(documents)
    return [document_text(t, a) for t, a in zip(titles, abstracts)]


def balanced_sample(y, groups, per_class: int, seed: int = 0, bins=None) -> np.ndarray:
    """Up to `per_class` row indices per label, spread evenly over `groups` (and `bins`).

    Each (label) quota is shared round-robin between its (group, bin) cells, so small cells are
    taken whole and large ones fill the rest. Returns sorted indices.
    """
    rng = np.random.default_rng(seed)
    y, groups = np.asarray(y), np.asarray(groups).astype(str)
    bins = np.zeros(len(y), dtype=int) if bins is None else np.asarray(bins)
    chosen = []
    for label in np.unique(y):
        cells = {}
        for i in np.flatnonzero(y == label):
            cells.setdefault((groups[i], bins[i]), []).append(i)
        queues = [list(rng.permutation(v)) for _, v in sorted(cells.items())]
        taken = 0
        while taken < per_class and any(queues):
            for q in queues:
                if q and taken < per_class:
                    chosen.append(q.pop())
                    taken += 1
    return np.sort(np.asarray(chosen, dtype=np.int64))


class DualBertClassifier:
    """BERT_outer + BERT_inner (see the module docstring).

    Parameters
    ----------
    outer, inner : unfitted `BertClassifier`s (same settings by default: `BertClassifier()`).
    outer_per_class : records per class for the outer model (paper: 30,000).
    inner_per_class : records per class for the inner model (paper: 500,000).
    outer_threshold : outer AI score under which a record counts as classified non-AI.
    require_screen : positives of the inner set must be screened AI too (the paper's "initially
        filtered AI" records); False takes every labelled AI record.
    score_limit : score at most this many of the remaining records with BERT_outer (half per
        class, even over groups) - a CPU budget; None scores all of them, as the paper does.
    seed : sampling and split seed.
    """

    def __init__(self, outer: BertClassifier | None = None, inner: BertClassifier | None = None,
                 outer_per_class: int = 300, inner_per_class: int = 1500, outer_threshold: float = 0.5,
                 require_screen: bool = True, score_limit: int | None = None, seed: int = 0):
        self.outer = outer
        self.inner = inner
        self.outer_per_class = outer_per_class
        self.inner_per_class = inner_per_class
        self.outer_threshold = outer_threshold
        self.require_screen = require_screen
        self.score_limit = score_limit
        self.seed = seed

    def fit(self, X, y, coarse_ai=None, groups=None) -> DualBertClassifier:
        """Train both layers.

        X : texts, shape (n,); y : 0/1 weak labels, shape (n,); coarse_ai : screen verdicts,
        shape (n,) bool (None = all True for AI-labelled, all False otherwise); groups : source
        name per record, shape (n,), for even sampling and stratified splits.
        """
        from innograph.models.evaluation import binary_report

        X = list(X)
        y = np.asarray(y).astype(int)
        n = len(X)
        groups = np.asarray(groups).astype(str) if groups is not None else np.array(["all"] * n)
        coarse = np.asarray(coarse_ai, dtype=bool) if coarse_ai is not None else y.astype(bool)
        self.outer_ = self.outer if self.outer is not None else BertClassifier(seed=self.seed)
        self.inner_ = self.inner if self.inner is not None else BertClassifier(seed=self.seed)

        outer_idx = balanced_sample(y, groups, self.outer_per_class, seed=self.seed)
        self.outer_.fit([X[i] for i in outer_idx], y[outer_idx])
        rest = np.setdiff1d(np.arange(n), outer_idx)
        if self.score_limit is not None and len(rest) > self.score_limit:
            rest = rest[balanced_sample(y[rest], groups[rest], self.score_limit // 2, seed=self.seed)]
        outer_score = np.full(n, np.nan)
        outer_score[rest] = self._ai_proba(self.outer_, [X[i] for i in rest])
        self.outer_report_ = binary_report(y[rest], outer_score[rest])  # outer on everything it did not see

        pos = rest[(y[rest] == 1) & (coarse[rest] if self.require_screen else True)]
        neg = rest[(y[rest] == 0) & ~coarse[rest] & (outer_score[rest] < self.outer_threshold)]
        deciles = np.minimum((np.nan_to_num(outer_score) * 10).astype(int), 9)
        pos_take = pos[balanced_sample(np.ones(len(pos)), groups[pos], self.inner_per_class, self.seed)]
        neg_take = neg[balanced_sample(np.zeros(len(neg)), groups[neg], self.inner_per_class, self.seed,
                                       bins=deciles[neg])]
        inner_idx = np.sort(np.r_[pos_take, neg_take])
        strata = np.char.add(y[inner_idx].astype(str), groups[inner_idx])
        tr, va, te = (inner_idx[p] for p in stratified_split(strata, (0.8, 0.1, 0.1), seed=self.seed))
        self.inner_.fit([X[i] for i in tr], y[tr], [X[i] for i in va], y[va])
        test_score = self._ai_proba(self.inner_, [X[i] for i in te])
        self.test_report_ = binary_report(y[te], test_score)
        self.selection_ = {
            "outer_records": int(len(outer_idx)), "outer_ai": int(y[outer_idx].sum()),
            "scored_by_outer": int(len(rest)),
            "inner_candidates_ai": int(len(pos)), "inner_candidates_non_ai": int(len(neg)),
            "inner_records": int(len(inner_idx)), "inner_ai": int(y[inner_idx].sum()),
            "inner_train": int(len(tr)), "inner_val": int(len(va)), "inner_test": int(len(te)),
            "outer_rejected_non_ai": int(((y[rest] == 0) & ~coarse[rest] & (outer_score[rest] >= self.outer_threshold)).sum()),
        }
        self.split_ = {"outer": outer_idx, "inner_train": tr, "inner_val": va, "inner_test": te}
        return self

    @staticmethod
    def _ai_proba(model: BertClassifier, texts: list[str]) -> np.ndarray:
        proba = model.predict_proba(texts)
        return proba[:, list(model.classes_).index(1)]

    def predict_proba(self, X) -> np.ndarray:
        """BERT_inner's AI probability, shape (n,)."""
        return self._ai_proba(self.inner_, list(X))

    def predict(self, X, threshold: float = 0.5) -> np.ndarray:
        return (self.predict_proba(X) >= threshold).astype(int)

    def save(self, path) -> Path:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        self.outer_.save(path / "outer")
        self.inner_.save(path / "inner")
        info = {"outer_per_class": self.outer_per_class, "inner_per_class": self.inner_per_class,
                "outer_threshold": self.outer_threshold, "require_screen": self.require_screen,
                "score_limit": self.score_limit, "seed": self.seed, "selection": getattr(self, "selection_", None),
                "outer_report": getattr(self, "outer_report_", None), "test_report": getattr(self, "test_report_", None)}
        tmp = path / "training.json.tmp"
        tmp.write_text(json.dumps(info, indent=2, default=float))
        tmp.replace(path / "training.json")
        return path

    @classmethod
    def load(cls, path, device: str | None = "auto", progress: bool = True) -> DualBertClassifier:
        path = Path(path)
        info = json.loads((path / "training.json").read_text()) if (path / "training.json").exists() else {}
        est = cls(**{k: info[k] for k in ("outer_per_class", "inner_per_class", "outer_threshold",
                                          "require_screen", "score_limit", "seed") if k in info})
        est.outer_ = BertClassifier.load(path / "outer", device=device, progress=progress) if (path / "outer").exists() else None
        est.inner_ = BertClassifier.load(path / "inner", device=device, progress=progress)
        est.selection_, est.test_report_ = info.get("selection"), info.get("test_report")
        return est


CLASSIFY_COLUMNS = ["id", "kind", "ai_score", "is_ai", "subfields"]


def load_models(model_dir, device: str | None = "auto", progress: bool = True):
    """(AI classifier, subfield classifier or None) of a model folder (see `classify_documents`)."""
    model_dir = Path(model_dir)
    inner_dir = model_dir / "inner" if (model_dir / "inner").exists() else model_dir
    model = BertClassifier.load(inner_dir, device=device, progress=progress)
    if model.multilabel or 1 not in list(model.classes_):
        raise ValueError(f"{inner_dir}: not a binary AI classifier with classes 0/1 (classes: "
                         f"{getattr(model, 'classes_', None)})")
    sub_dir = model_dir / "subfields"
    sub = BertClassifier.load(sub_dir, device=device, progress=progress) if sub_dir.exists() else None
    return model, sub


def classify_documents(documents: pd.DataFrame, model_dir, threshold: float = 0.5,
                       subfield_threshold: float = 0.5, device: str | None = "auto",
                       batch_size: int | None = None, progress: bool = True, models=None) -> pd.DataFrame:
    """AI scores (and subfields) of a documents table with a trained model folder.

    Parameters
    ----------
    documents : canonical documents columns; needs `id` and title/abstract (`kind` if present).
    model_dir : a `DualBertClassifier` folder (uses `inner/`) or a single `BertClassifier` folder;
        its `subfields/` folder, when present, adds the subfield scores.
    threshold : `is_ai` = ai_score >= threshold.
    models : the pair from `load_models` (skips loading; for chunked runs).

    Returns one row per document, same order: id, kind, ai_score (float, P(AI)), is_ai (bool),
    subfields (list of subfield names with score >= subfield_threshold, only for AI documents),
    and `sf_<subfield>` (float, NaN for non-AI documents) per subfield when a subfield model exists.
    """
    model, sub = models if models is not None else load_models(model_dir, device=device, progress=progress)
    for m in (model, sub):
        if m is not None and batch_size:
            m.eval_batch_size = batch_size
    texts = document_texts(documents)
    ai = model.predict_proba(texts)[:, list(model.classes_).index(1)] if len(texts) else np.zeros(0)
    out = pd.DataFrame({"id": documents["id"].astype(str).to_numpy(),
                        "kind": documents["kind"].to_numpy() if "kind" in documents else None,
                        "ai_score": ai.astype(np.float64), "is_ai": ai >= threshold})
    subs: list[list[str]] = [[] for _ in range(len(out))]
    if sub is not None:
        is_ai = out["is_ai"].to_numpy()
        scores = np.full((len(out), len(sub.label_names_)), np.nan)
        if is_ai.any():
            scores[is_ai] = sub.predict_proba([t for t, a in zip(texts, is_ai) if a])
        for j, name in enumerate(sub.label_names_):
            out[f"sf_{name}"] = scores[:, j]
        for i in np.flatnonzero(is_ai):
            subs[i] = [n for j, n in enumerate(sub.label_names_) if scores[i, j] >= subfield_threshold]
    out["subfields"] = subs
    return out


def classify_file(documents_file, model_dir, out, threshold: float = 0.5, subfield_threshold: float = 0.5,
                  device: str | None = "auto", batch_size: int | None = None, chunk_rows: int = 50_000,
                  progress: bool = True) -> dict:
    """`classify_documents` over a documents Parquet file in chunks, resumable.

    Chunk i goes to `<out>.parts/part-i.parquet` (atomic); a rerun with the same input, model and
    settings skips finished chunks; the parts are then concatenated into `out` (atomic).
    Returns counts: documents, ai, chunks, chunks_reused, seconds, documents_per_s.
    """
    import time

    import pyarrow.parquet as pq

    from innograph.models.parts import PartStore, input_fingerprint, open_documents

    started = time.perf_counter()
    pf = open_documents(documents_file)  # a clear error for a missing or malformed table
    model_dir = Path(model_dir)
    weights = sorted(model_dir.rglob("model.safetensors"))
    config = {"input": input_fingerprint(documents_file),
              "model": [input_fingerprint(w) for w in weights] or str(model_dir.resolve()),
              "threshold": threshold, "subfield_threshold": subfield_threshold, "chunk_rows": chunk_rows}
    out = Path(out)
    store = PartStore(out.with_name(out.name + ".parts"), config)
    names = pf.schema_arrow.names
    columns = [c for c in ("id", "kind", "title", "abstract") if c in names]
    n_rows = pf.metadata.num_rows
    n_chunks = max(1, -(-n_rows // chunk_rows))
    models, reused, n_ai, schema = None, 0, 0, None
    for i, batch in enumerate(pf.iter_batches(batch_size=chunk_rows, columns=columns)):
        if store.done(i):
            reused += 1
            table = pq.read_table(store.path(i))
        else:
            if models is None:
                models = load_models(model_dir, device=device, progress=progress)
            df = classify_documents(batch.to_pandas(), model_dir, threshold, subfield_threshold, device,
                                    batch_size, progress, models=models)
            table = _arrow(df)
            store.write(i, table)
        schema = schema or table.schema
        n_ai += int(pc_sum(table.column("is_ai")))
    if n_rows == 0:  # empty input: one empty part with the output columns
        if models is None:
            models = load_models(model_dir, device=device, progress=progress)
        empty = classify_documents(pd.DataFrame({"id": [], "title": [], "abstract": []}), model_dir, models=models)
        table = _arrow(empty)
        store.write(0, table)
        schema = table.schema
    rows = store.concat(out, schema, n_chunks)
    seconds = time.perf_counter() - started
    return {"documents": rows, "ai": n_ai, "chunks": n_chunks, "chunks_reused": reused,
            "seconds": round(seconds, 2), "documents_per_s": round(rows / seconds, 1) if seconds else None}


def _arrow(df: pd.DataFrame):
    """The classify table with fixed column types (an all-empty `subfields` chunk stays list<string>)."""
    import pyarrow as pa

    types = {"id": pa.string(), "kind": pa.string(), "ai_score": pa.float64(), "is_ai": pa.bool_(),
             "subfields": pa.list_(pa.string())}
    schema = pa.schema([(c, types.get(c, pa.float64())) for c in df.columns])
    return pa.Table.from_pandas(df, schema=schema, preserve_index=False)


def pc_sum(column) -> int:
    import pyarrow.compute as pc

    value = pc.sum(column).as_py()
    return int(value or 0)
