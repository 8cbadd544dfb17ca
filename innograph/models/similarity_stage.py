"""The `similarity` stage: documents (+ keywords) -> document vectors -> paper-patent pairs.

    OUT/embeddings/   vectors.npy, ids.parquet, meta.json   (innograph.models.embeddings)
    OUT/part-NNNNNN.parquet, meta.json, summary.json      (innograph.models.similarity)

Resumable: the embeddings are reused when their inputs (documents and keyword files: path, size,
modification time) and settings are unchanged; pair blocks already written are skipped. A rerun
with other inputs or settings for the pairs is refused (use another OUT).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from innograph.errors import InnographError
from innograph.models.parts import input_fingerprint, open_documents

DOC_COLUMNS = ["id", "kind", "title", "abstract", "year"]


@dataclass
class SimilarityConfig:
    """Settings of the similarity stage (see `CosineTopK` and `embed_documents`)."""

    method: str = "sbert-keywords"  # doc2vec | sbert-text | sbert-keywords
    k: int = 10
    tau: float | None = 0.6
    require_later: bool = False
    device: str = "cpu"
    precision: str | None = None  # None: fp32 on the CPU, fp16 on a GPU
    block_rows: int | None = None  # None: 1024 on the CPU, 4096 on a GPU
    model: str | None = None  # sentence-transformers name or path
    batch_size: int = 64
    doc2vec_vector_size: int = 300
    doc2vec_epochs: int = 20
    seed: int = 0


@dataclass
class SimilarityRunSummary:
    out: str
    method: str
    papers: int = 0
    patents: int = 0
    embeddings_reused: bool = False
    embedding_fallbacks: int = 0  # sbert-keywords: documents embedded by their title
    embedding_seconds: float = 0.0
    pairs: int = 0
    pairs_top_k: int = 0
    pairs_ge_tau: int = 0
    blocks: int = 0
    blocks_skipped: int = 0
    fallback_rows: int = 0
    seconds: float = 0.0
    config: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


def similarity_file(documents_file, out_dir, keywords_file=None, config: SimilarityConfig | None = None,
                    progress: bool = True, on_block: Callable[[int], None] | None = None,
                    shard: tuple[int, int] = (0, 1)) -> SimilarityRunSummary:
    """Pairs of every paper of `documents_file` with the patents of the same table.

    `shard=(i, n)`: this process writes the paper blocks b with b % n == i; n processes (one per
    GPU, say) can share OUT. Each computes the same embeddings (deterministic) unless one ran
    before and left them in OUT/embeddings."""
    from innograph.models.embeddings import Doc2VecEmbedder, embed_documents, read_embeddings, write_embeddings
    from innograph.models.similarity import CosineTopK

    cfg = config or SimilarityConfig()
    started = time.perf_counter()
    out = Path(out_dir)
    documents_file = Path(documents_file)
    open_documents(documents_file)  # a clear error for a missing or malformed table, before any work
    if cfg.method == "sbert-keywords" and (keywords_file is None or not Path(keywords_file).is_file()):
        raise InnographError("--method sbert-keywords needs --keywords (the table from `innograph keywords`).")
    emb_settings = {k: v for k, v in asdict(cfg).items()
                    if k in ("method", "model", "doc2vec_vector_size", "doc2vec_epochs", "seed")}
    inputs = {"documents": input_fingerprint(documents_file),
              "keywords": input_fingerprint(keywords_file) if keywords_file and cfg.method == "sbert-keywords" else None,
              "settings": emb_settings}
    key = hashlib.sha1(json.dumps(inputs, sort_keys=True).encode()).hexdigest()[:16]
    summary = SimilarityRunSummary(out=str(out), method=cfg.method, config=asdict(cfg))

    emb_dir = out / "embeddings"
    emb = None
    if (emb_dir / "meta.json").exists():
        meta = json.loads((emb_dir / "meta.json").read_text())
        if meta.get("params", {}).get("inputs_key") == key:
            emb = read_embeddings(emb_dir)
            summary.embeddings_reused = True
    if emb is None:
        t0 = time.perf_counter()
        docs = pd.read_parquet(documents_file, columns=DOC_COLUMNS)
        kw = pd.read_parquet(keywords_file) if cfg.method == "sbert-keywords" else None
        d2v = Doc2VecEmbedder(vector_size=cfg.doc2vec_vector_size, epochs=cfg.doc2vec_epochs, seed=cfg.seed)
        emb = embed_documents(docs, cfg.method, kw, model=cfg.model, device=cfg.device, batch_size=cfg.batch_size,
                              doc2vec=d2v, progress=progress)
        emb.params["inputs_key"] = key
        write_embeddings(emb, emb_dir)
        summary.embedding_seconds = round(time.perf_counter() - t0, 3)
    summary.embedding_fallbacks = emb.fallbacks

    papers, patents = emb.select("paper"), emb.select("patent")
    summary.papers, summary.patents = len(papers.ids), len(patents.ids)
    if summary.papers == 0 or summary.patents == 0:
        out.mkdir(parents=True, exist_ok=True)
        summary.seconds = round(time.perf_counter() - started, 3)
        (out / "summary.json").write_text(json.dumps(summary.to_dict(), indent=2))
        return summary
    gpu = cfg.device != "cpu"
    est = CosineTopK(k=cfg.k, tau=cfg.tau, require_later=cfg.require_later, device=cfg.device,
                     precision=cfg.precision or ("fp16" if gpu else "fp32"),
                     block_rows=cfg.block_rows or (4096 if gpu else 1024),
                     # measured best on an H200 (bench/results/mining-gpu-h200-run2.json)
                     extra=24 if gpu else 8, group=128 if gpu else 64, progress=progress)
    est.fit(np.asarray(patents.vectors), patents.years)
    res = est.search_to_parquet(np.asarray(papers.vectors), out, papers.ids, patents.ids, papers.years,
                                patents.years, fingerprint=key, on_block=on_block, shard=shard)
    summary.pairs, summary.pairs_top_k, summary.pairs_ge_tau = res.pairs, res.pairs_top_k, res.pairs_ge_tau
    summary.blocks, summary.blocks_skipped, summary.fallback_rows = res.blocks, res.blocks_skipped, res.fallback_rows
    summary.seconds = round(time.perf_counter() - started, 3)
    (out / "summary.json").write_text(json.dumps(summary.to_dict(), indent=2))
    return summary
