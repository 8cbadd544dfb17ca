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
@click.option("--no-progress", is_flag=True, help="Hide the progress bar.")
def screen_cmd(documents: str, out: str, ipc_table, keyword_table, min_weak: int, no_progress: bool) -> None:
    """Coarse IPC + keyword AI screen: one row per document with screen_ai and the reason."""
    import time

    from innograph.models.screen import AIScreen

    screen = AIScreen(ipc_table, keyword_table, min_weak=min_weak)  # bad tables fail before reading
    docs = read_documents(documents, ["id", "kind", "title", "abstract", "ipc", "cpc"])
    started = time.perf_counter()
    table = screen.transform(docs, progress=not no_progress)
    seconds = time.perf_counter() - started
    write_parquet_atomic(table, out)
    n = len(table)
    n_ai = int(table["screen_ai"].sum())
    by_ipc = int((table["matched_ipc"].map(len) > 0).sum())
    by_term = int((table["matched_terms"].map(len) > 0).sum())
    click.echo(f"screen {out}: {n:,} documents, {n_ai:,} AI ({n_ai / max(n, 1):.1%}), {n - n_ai:,} non-AI; "
               f"{by_ipc:,} with an AI code, {by_term:,} with an AI term; {n / max(seconds, 1e-9):,.0f} docs/s")
    for kind, grp in table.groupby("kind", dropna=False):
        click.echo(f"  {kind}: {len(grp):,} documents, {int(grp['screen_ai'].sum()):,} AI")
    subs = table["subfields"].explode().dropna().value_counts()
    if len(subs):
        click.echo("  subfields: " + ", ".join(f"{k} {v:,}" for k, v in subs.items()))


COMMANDS = [screen_cmd]
