"""Stand-ins for a Neo4j server in the tests (no Neo4j can run on these machines).

`RecordingDriver` is a `neo4j.Driver` (a subclass, so the graphdatascience client accepts it)
that records every statement the code under test sends - through `execute_query`, sessions,
managed write transactions - and answers with rows from a responder:

- `EmbeddedResponder` answers read statements from an embedded LadybugDB graph (the loader's
  reads are in the Cypher subset both engines accept) and nothing for writes.
- `GdsEmulator` answers the GDS statements of `innograph.analysis.centrality` (version,
  Cypher projection, stream, write, drop) by computing the measures with networkx and numpy,
  following the GDS manual's definitions.

Nothing here speaks Bolt: the driver's network code is never exercised by these fakes (the
FalkorDB test, test_neo4j_bolt.py, does that against a real Bolt server).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

import neo4j
import networkx as nx
import numpy as np
import pandas as pd


@dataclass
class Call:
    via: str  # execute_query | session.run | tx.run | verify
    text: str
    params: dict[str, Any]
    database: str | None = None


class _Result:
    def __init__(self, rows: list[dict[str, Any]]):
        self._rows = rows

    def consume(self):
        return None

    def data(self):
        return list(self._rows)

    def to_df(self, *a, **k):
        return pd.DataFrame(self._rows)

    def single(self):
        return self._rows[0] if self._rows else None

    def __iter__(self):
        return iter(self._rows)


class _Tx:
    def __init__(self, driver: "RecordingDriver", database):
        self.driver, self.database = driver, database

    def run(self, query, parameters=None, **kwargs):
        return _Result(self.driver._answer("tx.run", query, {**(parameters or {}), **kwargs}, self.database))


class _Session:
    def __init__(self, driver: "RecordingDriver", database=None, **_):
        self.driver, self.database = driver, database

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def close(self):
        pass

    def run(self, query, parameters=None, **kwargs):
        return _Result(self.driver._answer("session.run", query, {**(parameters or {}), **kwargs}, self.database))

    def execute_write(self, fn, *args, **kwargs):
        self.driver.write_attempts += 1
        exc = self.driver.fail_write(self.driver.write_attempts) if self.driver.fail_write else None
        if exc is not None:
            raise exc
        return fn(_Tx(self.driver, self.database), *args, **kwargs)

    execute_read = execute_write

    def last_bookmarks(self):
        return None


class RecordingDriver(neo4j.Driver):
    def __init__(self, responder: Callable[[str, dict], list[dict]] | None = None,
                 fail_write: Callable[[int], BaseException | None] | None = None):
        # neo4j.Driver.__init__ needs a connection pool; this stand-in has none.
        self.calls: list[Call] = []
        self.responder = responder or (lambda text, params: [])
        self.fail_write = fail_write
        self.write_attempts = 0
        self.closed = False

    @property
    def encrypted(self) -> bool:
        return False

    def _answer(self, via: str, query: Any, params: dict, database) -> list[dict]:
        text = getattr(query, "text", query)
        self.calls.append(Call(via, text, dict(params), database))
        return self.responder(text, dict(params))

    def verify_connectivity(self, **kwargs):
        self.calls.append(Call("verify", "", {}, kwargs.get("database")))

    def verify_authentication(self, *a, **k):
        return True

    def session(self, **kwargs):
        return _Session(self, **kwargs)

    def execute_query(self, query_, parameters_=None, routing_=None, database_=None, impersonated_user_=None,
                      bookmark_manager_=None, auth_=None, result_transformer_=None, **kwargs):
        rows = self._answer("execute_query", query_, {**dict(parameters_ or {}), **kwargs}, database_)
        if result_transformer_ is None:
            return neo4j.EagerResult(rows, None, list(rows[0]) if rows else [])
        if result_transformer_ is neo4j.Result.to_df:
            return pd.DataFrame(rows)
        return result_transformer_(_Result(rows))

    def close(self):
        self.closed = True

    def __del__(self):
        pass

    # -- what was sent -------------------------------------------------------------------------
    def statements(self) -> list[tuple[str, dict]]:
        return [(c.text, c.params) for c in self.calls if c.text]


# ---------------------------------------------------------------------------------------------
_WRITE = re.compile(r"\b(CREATE|MERGE|SET|DELETE|REMOVE|DROP)\b", re.IGNORECASE)


class EmbeddedResponder:
    """Answers read statements from an embedded graph; writes and LoadLog reads get no rows."""

    def __init__(self, store):
        self.store = store

    def __call__(self, text: str, params: dict) -> list[dict]:
        if _WRITE.search(text) or "LoadLog" in text or text.lstrip().upper().startswith("CALL"):
            return []
        df = self.store.execute(text, params)
        return df.to_dict("records")


class GdsEmulator:
    """Answers centrality.py's GDS statements as GDS would, computing with networkx / numpy."""

    def __init__(self, version: str = "2.13.3"):
        self.version = version
        self.graphs: dict[str, tuple[nx.Graph, bool]] = {}
        self.written: dict[str, dict] = {}

    def __call__(self, text: str, params: dict) -> list[dict]:
        if "gds.version()" in text:
            return [{"gds.version()": self.version}]
        if "gds.graph.project(" in text:
            directed = params["undirected"] == []
            g = nx.DiGraph() if directed else nx.Graph()
            for row in params["rows"]:
                g.add_edge(row["source"], row["target"], weight=row["weight"])
            self.graphs[params["graph_name"]] = (g, directed)
            return [{"graph": params["graph_name"], "nodes": g.number_of_nodes(), "relationships": g.number_of_edges()}]
        if "gds.graph.drop(" in text:
            self.graphs.pop(params["graph_name"], None)
            return [{"graphName": params["graph_name"]}]
        m = re.search(r"CALL gds\.(\w+)\.(stream|write)\(", text)
        if not m:
            return []
        g, directed = self.graphs[params["graph_name"]]
        values = self._compute(m.group(1), g, directed, params.get("config") or {})
        if m.group(2) == "write":
            self.written[params["config"]["writeProperty"]] = values
            return [{"written": len(values)}]
        return [{"node": n, "value": v} for n, v in values.items()]

    @staticmethod
    def _compute(algo: str, g, directed: bool, cfg: dict) -> dict:
        weight = cfg.get("relationshipWeightProperty")
        if algo == "degree":
            if directed and cfg.get("orientation") == "REVERSE":
                return dict(g.in_degree(weight=weight))
            return dict(g.out_degree(weight=weight) if directed else g.degree(weight=weight))
        if algo == "pageRank":  # GDS's recursion: x = (1 - d) + d * M x, no sink handling
            nodes = list(g.nodes())
            idx = {n: i for i, n in enumerate(nodes)}
            w = np.zeros((len(nodes), len(nodes)))
            for a, b, data in g.edges(data=True):
                w[idx[a], idx[b]] += data["weight"] if weight else 1.0
                if not directed:
                    w[idx[b], idx[a]] += data["weight"] if weight else 1.0
            out = w.sum(1)
            m = (w / np.where(out > 0, out, 1)[:, None]).T
            d = cfg.get("dampingFactor", 0.85)
            x = np.full(len(nodes), 1 - d)
            for _ in range(cfg.get("maxIterations", 20)):
                nxt = (1 - d) + d * m @ x
                if np.abs(nxt - x).max() < cfg.get("tolerance", 1e-7):
                    x = nxt
                    break
                x = nxt
            return dict(zip(nodes, x))
        if algo == "betweenness":
            return nx.betweenness_centrality(g, normalized=False)
        if algo == "eigenvector":
            return {n: abs(v) for n, v in nx.eigenvector_centrality_numpy(nx.Graph(g.edges())).items()}
        if algo == "closeness":
            return nx.closeness_centrality(g, wf_improved=bool(cfg.get("useWassermanFaust")))
        if algo in ("louvain", "leiden"):
            comms = nx.community.louvain_communities(g, weight=weight, seed=0)
            return {n: 100 + i for i, c in enumerate(comms) for n in c}
        raise AssertionError(f"the emulator does not know gds.{algo}")
