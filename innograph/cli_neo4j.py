"""Command-line pieces for the Neo4j backend: the shared connection options, `export neo4j-admin`
and `centrality`. `innograph.cli` registers them; kept here so that cli.py stays small.
"""

from __future__ import annotations

import contextlib
import functools
import json
from typing import Any, Iterator

import click

from innograph.errors import InnographError

BACKENDS = ("embedded", "neo4j")
_OPTION_NAMES = ("backend", "uri", "user", "password", "database", "batch_size")


def backend_options(fn):
    """--backend, --uri, --user, --password, --database, --batch-size (NEO4J_* environment variables)."""
    options = [
        click.option("--backend", type=click.Choice(BACKENDS), default="embedded", show_default=True,
                     envvar="INNOGRAPH_BACKEND", help="Graph backend: the embedded LadybugDB folder, or a Neo4j server."),
        click.option("--uri", envvar="NEO4J_URI", help="Neo4j URI [env NEO4J_URI; default bolt://localhost:7687]."),
        click.option("--user", envvar="NEO4J_USER", help="Neo4j user [env NEO4J_USER; default neo4j]."),
        click.option("--password", envvar="NEO4J_PASSWORD", help="Neo4j password [env NEO4J_PASSWORD]."),
        click.option("--database", envvar="NEO4J_DATABASE", help="Neo4j database [env NEO4J_DATABASE; default: the server's]."),
        click.option("--batch-size", type=int, help="Rows per Neo4j write transaction [default 10000]."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def split_backend_options(kwargs: dict[str, Any]) -> dict[str, Any]:
    """Pop the backend options out of a command's kwargs."""
    return {k: kwargs.pop(k, None) for k in _OPTION_NAMES}


def neo4j_config(opts: dict[str, Any], progress: bool = True):
    from innograph.graph.neo4j_store import Neo4jConfig

    if opts.get("batch_size") is not None and opts["batch_size"] < 1:
        raise InnographError("--batch-size must be at least 1.")
    return Neo4jConfig.from_env(uri=opts.get("uri"), user=opts.get("user"), password=opts.get("password"),
                                database=opts.get("database"), batch_size=opts.get("batch_size"), progress=progress)


@contextlib.contextmanager
def open_backend(opts: dict[str, Any], db: str | None, read_only: bool, progress: bool = True) -> Iterator[Any]:
    """The store named by the options: EmbeddedStore(db) or a Neo4jStore (schema ensured when writing).

    For loads on the embedded backend this yields None: load_graph opens the folder itself.
    """
    backend = opts.get("backend") or "embedded"
    if backend == "embedded":
        if db is None:
            raise InnographError("Give the graph with --db DIR.")
        if not read_only:
            yield None
            return
        from innograph.graph.embedded import EmbeddedStore

        with EmbeddedStore(db, read_only=True, buffer_pool_mb=opts.get("buffer_pool_mb") or 0) as store:
            yield store
        return
    from innograph.graph.neo4j_store import Neo4jStore

    with Neo4jStore(neo4j_config(opts, progress), read_only=read_only) as store:
        if not read_only:
            store.ensure_schema()
        yield store


# ---------------------------------------------------------------------------------------------
@click.group()
def export() -> None:
    """Export the graph for other tools."""


@export.command("neo4j-admin")
@click.option("--patents", multiple=True, type=click.Path(), help="DeepPatentAI.csv (repeatable).")
@click.option("--papers", multiple=True, type=click.Path(), help="DeepDiveAI.csv (repeatable).")
@click.option("--pairs", multiple=True, type=click.Path(), help="DeepCosineAI.csv (repeatable).")
@click.option("--tau", type=float, default=0.6, show_default=True, help="Keep pairs with similarity >= tau.")
@click.option("--out", type=click.Path(file_okay=False), required=True, help="Folder for the CSVs and import.sh.")
@click.option("--db", type=click.Path(file_okay=False),
              help="Embedded graph to build into (kept) or, without input files, to export as it is.")
@click.option("--database", default="neo4j", show_default=True, help="Database name in the import command.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--no-progress", is_flag=True, help="Hide progress bars.")
def export_neo4j_admin_cmd(patents, papers, pairs, tau: float, out: str, db, database: str, as_json: bool,
                           no_progress: bool) -> None:
    """CSV files and import.sh for `neo4j-admin database import full` (bulk load into Neo4j)."""
    from innograph.graph.neo4j_export import export_neo4j_admin

    summary = export_neo4j_admin(out, patents=patents, papers=papers, pairs=pairs, tau=tau, db=db,
                                 database=database, progress=not no_progress)
    if as_json:
        click.echo(summary.to_json())
        return
    click.echo(f"neo4j-admin import files in {summary.out} ({summary.seconds:.1f} s)")
    click.echo("  nodes: " + ", ".join(f"{k} {v:,}" for k, v in summary.nodes.items()))
    click.echo("  relationships: " + ", ".join(f"{k} {v:,}" for k, v in summary.relationships.items()))
    click.echo(f"  import with Neo4j stopped: sh {summary.out}/import.sh ; then create the indexes from "
               f"{summary.out}/schema.cypher")


# ---------------------------------------------------------------------------------------------
@click.command("centrality")
@click.argument("projection")
@click.option("--db", type=click.Path(file_okay=False), help="Graph directory (embedded backend).")
@click.option("--measure", "measures", multiple=True,
              help="degree, in_degree, pagerank, betweenness, eigenvector, closeness, louvain, leiden (repeatable; "
                   "default: degree pagerank betweenness eigenvector closeness louvain).")
@click.option("--engine", type=click.Choice(["networkit", "gds"]), help="Default: gds on neo4j, networkit on embedded.")
@click.option("--write", is_flag=True, help="Neo4j/GDS: also write each measure as a node property.")
@click.option("--write-prefix", default="", help="Prefix of the written property names (e.g. transfer_).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@backend_options
def centrality_cmd(projection: str, db, measures, engine, write: bool, write_prefix: str, fmt: str, **kwargs) -> None:
    """Centrality and communities of a country network (PROJECTION: transfer, transfers_to, competes_with)."""
    from innograph.analysis import centrality as c
    from innograph.graph.query_pack import format_result

    opts = split_backend_options(kwargs)
    # only GDS writes (on Neo4j); the embedded store is always opened read-only
    with open_backend(opts, db, read_only=not write or opts["backend"] != "neo4j") as store:
        df = c.centrality(store, projection, measures=measures or c.DEFAULT_MEASURES, engine=engine,
                          write=write, write_prefix=write_prefix)
    click.echo(format_result(df, fmt), nl=False)
    if fmt == "table" and df.attrs.get("modularity"):
        click.echo("modularity: " + json.dumps({k: round(v, 4) for k, v in df.attrs["modularity"].items()}))


def with_backend(fn):
    """Decorator for commands taking **kwargs: adds the options and passes them as `backend_opts`."""
    @backend_options
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return fn(*args, backend_opts=split_backend_options(kwargs), **kwargs)
    return wrapper


# ---------------------------------------------------------------------------------------------
def cypher_literal(value: Any) -> str:
    """A Python parameter value as a Cypher literal (for Neo4j Browser's `:param name => literal`)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if value == value and value not in (float("inf"), float("-inf")) else "null"
    if isinstance(value, str):
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(cypher_literal(v) for v in value) + "]"
    raise InnographError(f"Cannot write {value!r} as a Cypher literal.")


def browser_script(text: str, params: dict[str, Any]) -> str:
    """`:param` lines (run each on its own in Neo4j Browser), then the query to run after them.

    The right side of `:param x => ...` is evaluated by the server as Cypher, so integers stay
    integers (`LIMIT $limit` needs one); `:params {...}` would turn them into JavaScript numbers.
    """
    lines = [f":param {name} => {cypher_literal(value)}" for name, value in params.items()]
    return "\n".join(lines + [""] + [text.rstrip()]) + "\n"
