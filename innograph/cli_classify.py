"""CLI commands of the AI classification stack (issue 6): `screen` and `annotate` (the coarse
screen and LLM labels); `train`, `classify` and `evaluate` (the BERT classifiers) join them here.

Each command reads a documents table (`innograph ingest` -> WORK/documents.parquet) and writes one
Parquet table atomically (temp file, then `os.replace`).
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from innograph.errors import InputFormatError


def read_documents(path: str, columns: list[str] | None = None):
    """The documents table at `path` (a clear error when it is missing or not Parquet)."""
    import pandas as pd
    import pyarrow.parquet as pq

    p = Path(path)
    if not p.is_file():
        raise InputFormatError(f"{path}: no such file (make it with `innograph ingest ... --out WORK`).")
    try:
        names = pq.read_schema(p).names
    except Exception as exc:  # pyarrow raises several types for non-Parquet input
        raise InputFormatError(f"{path}: not a Parquet file ({exc}).") from None
    if "id" not in names:
        raise InputFormatError(f"{path}: no `id` column; expected the documents table of `innograph ingest`.")
    cols = [c for c in columns if c in names] if columns else None
    return pd.read_parquet(p, columns=cols)


def write_parquet_atomic(df, path: str) -> None:
    """Write a DataFrame to Parquet through a temp file and `os.replace` (never half a file)."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    df.to_parquet(tmp, index=False)
    os.replace(tmp, out)


# ---------------------------------------------------------------------------------------------
@click.command("screen")
@click.option("--documents", type=click.Path(dir_okay=False), required=True,
              help="Documents table (WORK/documents.parquet).")
@click.option("--out", type=click.Path(dir_okay=False), required=True, help="Output Parquet (WORK/screen.parquet).")
@click.option("--ipc-table", type=click.Path(dir_okay=False), default=None,
              help="IPC table CSV (code, level, action, subfield, note); default: the shipped ai_screen_ipc.csv.")
@click.option("--keyword-table", type=click.Path(dir_okay=False), default=None,
              help="Keyword table CSV (term, subfield, strength, case_sensitive, note); default: ai_screen_keywords.csv.")
@click.option("--min-weak", type=int, default=2, show_default=True,
              help="Distinct weak terms that together mark a document AI.")
@click.option("--jobs", type=int, default=1, show_default=True, help="Processes (the screen is CPU-bound).")
@click.option("--batch-rows", type=int, default=50_000, show_default=True,
              help="Documents read at a time (memory stays flat at any input size).")
@click.option("--no-progress", is_flag=True, help="Hide the progress bar.")
def screen_cmd(documents: str, out: str, ipc_table, keyword_table, min_weak: int, jobs: int, batch_rows: int,
               no_progress: bool) -> None:
    """Coarse IPC + keyword AI screen: one row per document with screen_ai and the reason."""
    from innograph.models.screen import screen_file

    s = screen_file(documents, out, ipc_table, keyword_table, min_weak=min_weak, n_jobs=jobs,
                    batch_rows=batch_rows, progress=not no_progress)
    n = s.documents
    click.echo(f"screen {out}: {n:,} documents, {s.ai:,} AI ({s.ai / max(n, 1):.1%}), {n - s.ai:,} non-AI; "
               f"{s.with_ipc_hit:,} with an AI code, {s.with_term_hit:,} with an AI term; "
               f"{s.docs_per_s:,.0f} docs/s")
    for kind, c in sorted(s.by_kind.items()):
        click.echo(f"  {kind}: {c['documents']:,} documents, {c['ai']:,} AI")
    if s.subfields:
        click.echo("  subfields: " + ", ".join(f"{k} {v:,}" for k, v in sorted(s.subfields.items(), key=lambda kv: -kv[1])))


# ---------------------------------------------------------------------------------------------
@click.command("annotate")
@click.option("--documents", type=click.Path(dir_okay=False), required=True,
              help="Documents table (WORK/documents.parquet).")
@click.option("--out", type=click.Path(dir_okay=False), required=True, help="Output Parquet (WORK/llm.parquet).")
@click.option("--base-url", default=None, help="OpenAI-compatible endpoint, e.g. http://localhost:8000/v1 "
              "(default: OPENAI_BASE_URL or api.openai.com). The key comes from OPENAI_API_KEY.")
@click.option("--model", required=True, help="Model name at the endpoint.")
@click.option("--sample", type=int, default=None, help="Annotate N documents drawn at random (with text).")
@click.option("--screen", "screen_file", type=click.Path(dir_okay=False), default=None,
              help="Screen table: --sample draws half from its AI and half from its non-AI documents.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of --sample and of the back-off jitter.")
@click.option("--concurrency", type=int, default=8, show_default=True, help="Requests in flight at most.")
@click.option("--cache", type=click.Path(dir_okay=False), default=None,
              help="SQLite answer cache (default: OUT with .cache.sqlite); reruns reuse it.")
@click.option("--prompt-file", type=click.Path(dir_okay=False), default=None,
              help="Prompt template with a {text} field (default: the paper's).")
@click.option("--timeout", type=float, default=60.0, show_default=True, help="Seconds per request.")
@click.option("--max-retries", type=int, default=6, show_default=True,
              help="Retries per request after 429/5xx/time-outs.")
@click.option("--max-malformed", type=int, default=2, show_default=True,
              help="Extra requests after an answer that is not a strict yes/no.")
@click.option("--price-prompt", type=float, default=0.0, show_default=True, help="USD per million prompt tokens.")
@click.option("--price-completion", type=float, default=0.0, show_default=True,
              help="USD per million completion tokens.")
@click.option("--retry-malformed", is_flag=True, help="Ask again documents cached with a malformed answer.")
@click.option("--no-progress", is_flag=True, help="Hide the progress bar.")
def annotate_cmd(documents: str, out: str, base_url, model: str, sample, screen_file, seed: int, concurrency: int,
                 cache, prompt_file, timeout: float, max_retries: int, max_malformed: int, price_prompt: float,
                 price_completion: float, retry_malformed: bool, no_progress: bool) -> None:
    """LLM labels (AI yes/no) for documents through an OpenAI-compatible chat endpoint, cached and
    resumable: an interrupted or repeated run pays only for what is not in the cache."""
    from innograph.models.llm import PAPER_PROMPT, LLMAnnotator, sample_documents

    template = Path(prompt_file).read_text(encoding="utf-8") if prompt_file else PAPER_PROMPT
    ann = LLMAnnotator(model, base_url=base_url, prompt_template=template, concurrency=concurrency,
                       max_retries=max_retries, max_malformed=max_malformed, timeout=timeout,
                       price_prompt=price_prompt, price_completion=price_completion,
                       cache=cache or str(Path(out).with_suffix(".cache.sqlite")), seed=seed)
    docs = read_documents(documents, ["id", "kind", "title", "abstract"])
    if sample is not None:
        screen = read_documents(screen_file, ["id", "screen_ai"]) if screen_file else None
        docs = sample_documents(docs, sample, seed=seed, screen=screen)
    table = ann.annotate(docs, progress=not no_progress, retry_malformed=retry_malformed)
    write_parquet_atomic(table, out)
    st = ann.stats_
    click.echo(f"annotate {out}: {st.documents:,} documents: {st.labelled:,} labelled ({st.ai:,} AI, "
               f"{st.labelled - st.ai:,} non-AI), {st.unlabelled:,} unlabelled ({st.malformed_final:,} malformed, "
               f"{st.failed:,} failed, {st.no_text:,} without text); {st.from_cache:,} from the cache")
    click.echo(f"  requests {st.requests:,} (answered {st.answered:,}, retries {st.retries:,}, 429s "
               f"{st.rate_limited:,}, 5xx {st.server_errors:,}, time-outs {st.timeouts:,}, malformed answers "
               f"{st.malformed_answers:,}); tokens {st.prompt_tokens:,} prompt + {st.completion_tokens:,} "
               f"completion; cost ${st.cost_usd:,.4f}; {st.seconds:,.1f} s")
    if st.failed:
        click.echo("  rerun the same command to retry the failed documents (the cache keeps the rest).")


COMMANDS = [screen_cmd, annotate_cmd]
