"""Canonical document tables -> node and relationship tables of the graph model.

Plain functions over pandas frames; the loader stages their output as Parquet with the column
order of `innograph.graph.schema` (LadybugDB's COPY maps columns by position).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import pandas as pd
import pyarrow as pa

from innograph.graph import schema
from innograph.ingest.country import country_name
from innograph.ingest.ipc import ipc_lineage


def node_table(frame: pd.DataFrame, table: schema.NodeTable) -> pa.Table:
    """Select and type the columns of `table` (NaN becomes null)."""
    return pa.Table.from_pandas(frame[table.columns], schema=table.arrow_schema, preserve_index=False)


def rel_table(frame: pd.DataFrame, rel: schema.RelTable) -> pa.Table:
    """`frame` holds `from`, `to` and the properties of `rel`."""
    return pa.Table.from_pandas(frame[["from", "to", *rel.columns]], schema=rel.arrow_schema(),
                                preserve_index=False)


def keyword_edges(keys: pd.Series, keywords: pd.Series) -> pd.DataFrame:
    """One HAS_KEYWORD row per (document, keyword); rank is the 1-based position in the list.

    DeepInnovationAI lists carry no scores, so `score` is null.
    """
    df = pd.DataFrame({"from": keys, "to": keywords}).explode("to").dropna(subset=["to"])
    df["rank"] = df.groupby(level=0).cumcount() + 1
    df["score"] = float("nan")
    return df.reset_index(drop=True)


def list_edges(keys: pd.Series, values: pd.Series) -> pd.DataFrame:
    """One row per (key, value) of a list column (IPC codes, countries)."""
    df = pd.DataFrame({"from": keys, "to": values}).explode("to").dropna(subset=["to"])
    return df.reset_index(drop=True)


@lru_cache(maxsize=1)
def ipc_titles() -> dict[str, str]:
    """Titles of IPC sections and of the AI-relevant classes shipped in `innograph/data`."""
    with resources.files("innograph.data").joinpath("ipc_titles.csv").open(encoding="utf-8") as fh:
        df = pd.read_csv(fh, dtype=str)
    return dict(zip(df["code"], df["title"]))


def ipc_nodes_and_links(codes: set[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """IPC nodes for `codes` and all their ancestors, and the PART_OF links child -> parent."""
    titles = ipc_titles()
    nodes: dict[str, str] = {}
    links: set[tuple[str, str]] = set()
    for code in codes:
        chain = ipc_lineage(code)
        for i, ipc in enumerate(chain):
            nodes[ipc.code] = ipc.level
            if i + 1 < len(chain):
                links.add((ipc.code, chain[i + 1].code))
    node_df = pd.DataFrame({"code": list(nodes), "level": list(nodes.values())})
    node_df["title"] = node_df["code"].map(titles)
    link_df = pd.DataFrame(sorted(links), columns=["from", "to"])
    return node_df.sort_values("code").reset_index(drop=True), link_df


def country_nodes(codes: set[str]) -> pd.DataFrame:
    codes_sorted = sorted(codes)
    return pd.DataFrame({"code": codes_sorted, "name": [country_name(c) for c in codes_sorted]})


def keyword_nodes(names: set[str]) -> pd.DataFrame:
    return pd.DataFrame({"name": sorted(names)})
