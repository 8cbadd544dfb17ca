"""`innograph analyze NAME` and `innograph report`: the analyses of innograph.analysis from the
command line, on the embedded store or on Neo4j. innograph.cli registers them."""

from __future__ import annotations

import json
import time

import click

from innograph.cli_neo4j import backend_options, open_backend, split_backend_options
from innograph.errors import InnographError

ANALYSIS_NAMES = ("competition", "transfer", "themes", "evolution")


def _parse_options(items) -> dict:
    """--option k=v (repeatable) -> {k: value}, values parsed as JSON where they parse (0.5, 5, true, [..])."""
    out = {}
    for item in items:
        if "=" not in item:
            raise InnographError(f"Option {item!r} is not of the form key=value.")
        k, v = item.split("=", 1)
        try:
            out[k.strip()] = json.loads(v)
        except json.JSONDecodeError:
            out[k.strip()] = v
        if isinstance(out[k.strip()], list):
            out[k.strip()] = tuple(out[k.strip()])
    return out


@click.command("analyze")
@click.argument("name", type=click.Choice(ANALYSIS_NAMES))
@click.option("--db", type=click.Path(file_okay=False), help="Graph directory (embedded backend).")
@click.option("--out", type=click.Path(file_okay=False), required=True, help="Folder for the tables.")
@click.option("--format", "fmt", type=click.Choice(["csv", "parquet"]), default="csv", show_default=True)
@click.option("--option", "-o", "options", multiple=True, metavar="K=V",
              help="Analysis option, repeatable: competition threshold=0.5 window_years=5 min_patents=10 "
                   "ipc_level=subclass block_weights=[0.5,0.5]; transfer tau=0.7 bin_width=0.01 top_n=500 "
                   "keyword_tau=0.8; themes alpha0=1000 min_count=5 top_n=30; evolution top_k=8 growth_years=10.")
@click.option("--write", is_flag=True, help="competition: write COMPETES_WITH (all years); transfer: write "
              "TRANSFERS_TO; replaces the relationships of that type (the graph must not be open elsewhere).")
@click.option("--engine", type=click.Choice(["networkit", "gds"]), help="Centrality engine (default: gds on neo4j).")
@click.option("--no-progress", is_flag=True, help="Hide progress bars.")
@click.option("--buffer-pool-mb", type=int, default=0, show_default=True,
              help="Embedded backend: LadybugDB's page cache in MiB (0 = its default, most of the memory).")
@backend_options
def analyze_cmd(name: str, db, out: str, fmt: str, options, write: bool, engine, no_progress: bool,
                buffer_pool_mb: int, **kwargs) -> None:
    """Run one analysis (competition, transfer, themes, evolution) and write its tables to OUT."""
    from innograph.analysis.report import run_analysis

    opts = split_backend_options(kwargs) | {"buffer_pool_mb": buffer_pool_mb}
    if write and name not in ("competition", "transfer"):
        raise InnographError("--write applies to competition (COMPETES_WITH) and transfer (TRANSFERS_TO) only.")
    started = time.perf_counter()
    with _open(opts, db, write) as store:
        res = run_analysis(store, name, _parse_options(options), write=write, progress=not no_progress,
                           engine=engine)
    paths = res.write(out, fmt)
    click.echo(f"{name}: {len(paths) - 1} tables in {out} ({time.perf_counter() - started:.1f} s)")
    for key, df in res.tables.items():
        click.echo(f"  {name}_{key}.{fmt}: {len(df):,} rows")
    if "written" in res.attrs:
        rel = "COMPETES_WITH" if name == "competition" else "TRANSFERS_TO"
        click.echo(f"  wrote {res.attrs['written']:,} {rel} relationships")


def _open(opts, db, write: bool):
    if write and (opts.get("backend") or "embedded") == "embedded":
        from innograph.graph.embedded import EmbeddedStore

        if db is None:
            raise InnographError("Give the graph with --db DIR.")
        return EmbeddedStore(db, read_only=False, buffer_pool_mb=opts.get("buffer_pool_mb") or 0)
    return open_backend(opts, db, read_only=not write)


@click.command("report")
@click.option("--db", type=click.Path(file_okay=False), help="Graph directory (embedded backend).")
@click.option("--out", type=click.Path(file_okay=False), required=True,
              help="Folder for report.html, the PNG figures and tables/.")
@click.option("--format", "fmt", type=click.Choice(["csv", "parquet"]), default="csv", show_default=True,
              help="Format of the tables.")
@click.option("--option", "-o", "options", multiple=True, metavar="NAME.K=V",
              help="Option of one analysis, e.g. competition.threshold=0.6 transfer.keyword_tau=0.8 (repeatable).")
@click.option("--title", default="innograph report", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print what was written as JSON.")
@click.option("--no-progress", is_flag=True, help="Hide progress bars.")
@click.option("--buffer-pool-mb", type=int, default=0, show_default=True,
              help="Embedded backend: LadybugDB's page cache in MiB (0 = its default, most of the memory).")
@backend_options
def report_cmd(db, out: str, fmt: str, options, title: str, as_json: bool, no_progress: bool, buffer_pool_mb: int,
               **kwargs) -> None:
    """All analyses: tables, figures (PNG) and one self-contained HTML page (OUT/report.html)."""
    from innograph.analysis.report import build_report

    opts = split_backend_options(kwargs) | {"buffer_pool_mb": buffer_pool_mb}
    per: dict[str, dict] = {}
    for item in options:
        head, _, rest = item.partition(".")
        if not rest or head not in ANALYSIS_NAMES:
            raise InnographError(f"Option {item!r} is not of the form NAME.key=value with NAME one of "
                                 f"{', '.join(ANALYSIS_NAMES)}.")
        per.setdefault(head, {}).update(_parse_options([rest]))
    started = time.perf_counter()
    with open_backend(opts, db, read_only=True) as store:
        summary = build_report(store, out, options=per, fmt=fmt, progress=not no_progress, title=title)
    if as_json:
        click.echo(summary.to_json())
        return
    click.echo(f"report: {summary.html} ({len(summary.figures)} figures, {len(summary.tables)} table files, "
               f"{time.perf_counter() - started:.1f} s)")
