"""Neo4jStore and the Neo4j writer through a recording stand-in for the driver (no server here).

What these show: configuration from options and NEO4J_* variables, batching, retries with
backoff on transient errors, one-sentence errors, read-only refusal, the loader's idempotent
MERGE writes, and the CLI's --backend neo4j plumbing. Bolt itself is exercised in
test_neo4j_bolt.py against a real Bolt server (FalkorDB).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import neo4j
import pandas as pd
import pytest

from innograph.cli import main
from innograph.graph import neo4j_schema, schema
from innograph.graph.load import LoadConfig, load_graph
from innograph.graph.neo4j_store import Neo4jConfig, Neo4jError, Neo4jStore

sys.path.insert(0, str(Path(__file__).resolve().parent))
from neo4j_fakes import RecordingDriver  # noqa: E402

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "pack_fixture"
FILES = dict(patents=FIXTURE / "DeepPatentAI.csv", papers=FIXTURE / "DeepDiveAI.csv",
             pairs=FIXTURE / "DeepCosineAI.csv")


def test_config_from_environment_and_overrides():
    env = {"NEO4J_URI": "neo4j://db:7687", "NEO4J_USER": "alice", "NEO4J_PASSWORD": "s3cret", "NEO4J_DATABASE": "ai"}
    cfg = Neo4jConfig.from_env(env)
    assert (cfg.uri, cfg.user, cfg.password, cfg.database) == ("neo4j://db:7687", "alice", "s3cret", "ai")
    cfg = Neo4jConfig.from_env(env, uri="bolt://other:7687", batch_size=500, user=None)
    assert (cfg.uri, cfg.user, cfg.batch_size) == ("bolt://other:7687", "alice", 500)
    assert Neo4jConfig.from_env({}).uri == "bolt://localhost:7687"
    assert "s3cret" not in repr(cfg)


def test_writes_are_batched_in_managed_transactions():
    drv = RecordingDriver()
    store = Neo4jStore(Neo4jConfig(batch_size=4, progress=False), driver=drv)
    rows = [{"code": f"C{i}", "name": f"n{i}"} for i in range(10)]
    stmt = neo4j_schema.merge_nodes(schema.COUNTRY).text
    assert store.write_batches(stmt, iter(rows)) == 10
    sent = [c for c in drv.calls if c.via == "tx.run"]
    assert [len(c.params["rows"]) for c in sent] == [4, 4, 2]
    assert all(c.text == stmt for c in sent)
    assert [r for c in sent for r in c.params["rows"]] == rows


def test_transient_errors_are_retried_with_backoff(monkeypatch):
    sleeps = []
    monkeypatch.setattr("innograph.graph.neo4j_store.time.sleep", sleeps.append)
    fails = {1: neo4j.exceptions.TransientError("deadlock"), 2: neo4j.exceptions.ServiceUnavailable("gone")}
    drv = RecordingDriver(fail_write=lambda attempt: fails.get(attempt))
    store = Neo4jStore(Neo4jConfig(batch_size=10, retries=3, backoff=0.5, progress=False), driver=drv)
    store.write_batches("UNWIND $rows AS row MERGE (c:Country {code: row.code})", [{"code": "US"}])
    assert drv.write_attempts == 3 and sleeps == [0.5, 1.0]
    assert len([c for c in drv.calls if c.via == "tx.run"]) == 1  # written once, after two failures


def test_retries_give_up_with_one_sentence(monkeypatch):
    monkeypatch.setattr("innograph.graph.neo4j_store.time.sleep", lambda s: None)
    drv = RecordingDriver(fail_write=lambda attempt: neo4j.exceptions.ServiceUnavailable("down"))
    store = Neo4jStore(Neo4jConfig(retries=2, progress=False), driver=drv)
    with pytest.raises(Neo4jError, match=r"^Cannot reach Neo4j at bolt://localhost:7687: start the server"):
        store.write("MERGE (c:Country {code: 'US'})")
    assert drv.write_attempts == 3


def test_other_errors_are_not_retried():
    err = neo4j.exceptions.ClientError("Invalid input 'MERG'")
    drv = RecordingDriver(fail_write=lambda attempt: err)
    store = Neo4jStore(Neo4jConfig(retries=5, progress=False), driver=drv)
    with pytest.raises(Neo4jError, match="failed the statement"):
        store.write("MERG (c:Country)")
    assert drv.write_attempts == 1


def test_read_only_store_refuses_writes_and_routes_reads():
    drv = RecordingDriver(lambda text, params: [{"n": 3}])
    store = Neo4jStore(Neo4jConfig(database="ai"), driver=drv, read_only=True)
    with pytest.raises(Neo4jError, match="read-only"):
        store.write_batches("UNWIND $rows AS row CREATE (:Country)", [{}])
    assert store.node_counts() == {t.label: 3 for t in schema.NODE_TABLES}
    assert all(c.database == "ai" for c in drv.calls if c.via == "tx.run")
    store.close()
    assert not drv.closed  # a driver handed in is the caller's to close


def test_connection_errors_are_one_sentence(monkeypatch):
    class Refusing(RecordingDriver):
        def verify_connectivity(self, **kw):
            raise neo4j.exceptions.AuthError("The client is unauthorized due to authentication failure.")

    with pytest.raises(Neo4jError, match=r"refused the login of user 'neo4j': check NEO4J_USER / NEO4J_PASSWORD"):
        Neo4jStore(Neo4jConfig(), driver=Refusing())
    with pytest.raises(Neo4jError, match="is not a Neo4j URI"):
        Neo4jStore(Neo4jConfig(uri="http://localhost:7474"))


def test_load_sends_only_merges_and_converges(tmp_path):
    """Loading the fixture twice into the stand-in sends the same idempotent MERGE statements."""
    drv = RecordingDriver()
    store = Neo4jStore(Neo4jConfig(batch_size=3, progress=False), driver=drv)
    cfg = LoadConfig(progress=False)
    summary = load_graph(tmp_path / "work", config=cfg, store=store, **FILES)
    assert all(f.reconciles for f in summary.files)
    writes = [c for c in drv.calls if c.via == "tx.run" and "rows" in c.params]
    assert writes and all(c.text.startswith("UNWIND $rows AS row") and " MERGE (" in c.text and "CREATE" not in c.text
                          for c in writes)
    patents = [r for c in writes if "MERGE (n:Patent" in c.text for r in c.params["rows"]]
    assert sorted(r["pn"] for r in patents) == sorted(pd.read_csv(FIXTURE / "DeepPatentAI.csv")["PN"])
    assert max(len(c.params["rows"]) for c in writes) <= 3
    logs = [c.params["rows"][0] for c in writes if "MERGE (n:LoadLog" in c.text]
    assert [r["kind"] for r in logs] == ["patents", "papers", "pairs"]
    assert json.loads(logs[0]["summary"])["loaded"] == len(patents)
    pairs = json.loads(logs[2]["summary"])  # the stand-in holds no papers: every pair above tau is rejected
    assert pairs["loaded"] == 0 and pairs["rejected"] + pairs["below_tau"] == pairs["read"]
    # nothing in the local folder but staging and rejects: no embedded database was created
    assert not (tmp_path / "work" / "graph.lbug").exists()


@pytest.fixture
def fake_server(monkeypatch):
    """`neo4j.GraphDatabase.driver(...)` returns a RecordingDriver; the created drivers are listed."""
    made = []

    def driver(uri, auth=None, **kwargs):
        d = RecordingDriver(lambda text, params: [{"n": 0}] if "count(" in text else [])
        d.uri, d.auth, d.kwargs = uri, auth, kwargs
        made.append(d)
        return d

    monkeypatch.setattr(neo4j.GraphDatabase, "driver", driver)
    return made


def test_cli_load_and_query_with_the_neo4j_backend(tmp_path, fake_server, monkeypatch, capsys):
    monkeypatch.setenv("NEO4J_PASSWORD", "from-env")
    main(["load", "--backend", "neo4j", "--uri", "bolt://graph:7687", "--user", "bob", "--batch-size", "2",
          "--db", str(tmp_path / "work"), "--patents", str(FILES["patents"]), "--no-progress"])
    d = fake_server[-1]
    assert d.uri == "bolt://graph:7687" and d.auth == neo4j.basic_auth("bob", "from-env")
    texts = [c.text for c in d.calls]
    assert texts.count(neo4j_schema.ddl()[0].text) == 1  # the schema is ensured before loading
    assert max(len(c.params.get("rows", [])) for c in d.calls) == 2
    assert d.closed
    assert "Patent" in capsys.readouterr().out

    monkeypatch.setenv("NEO4J_URI", "neo4j://env-host:7687")
    main(["query", "country_ranking", "--backend", "neo4j", "--param", "limit=3", "--format", "json"])
    d = fake_server[-1]
    assert d.uri == "neo4j://env-host:7687"
    [call] = [c for c in d.calls if c.via == "tx.run"]
    assert call.params["limit"] == 3 and "MATCH" in call.text
    assert isinstance(json.loads(capsys.readouterr().out), list)


def test_cli_query_still_needs_db_for_the_embedded_backend(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["query", "country_ranking"])
    assert exc.value.code == 2
    assert "Give the graph with --db DIR." in capsys.readouterr().err


def test_cli_query_prints_paste_ready_text_for_neo4j_browser(capsys):
    main(["query", "top_pairs", "--browser", "--param", "limit=5"])
    out = capsys.readouterr().out
    assert out.startswith(":param limit => 5\n:param min_score => 0.0\n\n// name: top_pairs\n")
    assert out.rstrip().endswith("LIMIT $limit")
    from innograph.cli_neo4j import cypher_literal

    assert cypher_literal("it's a \\ test") == "'it\\'s a \\\\ test'"
    assert cypher_literal(["a", "b"]) == "['a', 'b']" and cypher_literal(True) == "true"

