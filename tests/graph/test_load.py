"""The loader on the real embedded database: counts, idempotence, updates, kill -9, errors."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from innograph.errors import InputFormatError
from innograph.graph import schema
from innograph.graph.embedded import EmbeddedStore
from innograph.graph.load import LoadConfig, load_graph

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "pack_fixture"
QUIET = LoadConfig(progress=False)


def graph_dump(db_dir: Path) -> dict[str, list[tuple]]:
    """Every node and relationship of the graph model with all properties, sorted."""
    out: dict[str, list[tuple]] = {}
    with EmbeddedStore(db_dir, read_only=True) as store:
        for t in schema.NODE_TABLES:
            cols = ", ".join(f"n.{c}" for c in t.columns)
            df = store.execute(f"MATCH (n:{t.label}) RETURN {cols}")
            out[t.label] = sorted(_row(r) for r in df.itertuples(index=False))
        for r in schema.REL_TABLES:
            for a, b in r.pairs:
                ka, kb = schema.NODE_BY_LABEL[a].key, schema.NODE_BY_LABEL[b].key
                props = "".join(f", r.{c}" for c in r.columns)
                df = store.execute(f"MATCH (a:{a})-[r:{r.type}]->(b:{b}) RETURN a.{ka}, b.{kb}{props}")
                out[f"{r.type}:{a}->{b}"] = sorted(_row(x) for x in df.itertuples(index=False))
    return out


def _row(values) -> tuple:
    return tuple(repr(list(v)) if hasattr(v, "__len__") and not isinstance(v, str) else
                 (None if v is None or (isinstance(v, float) and v != v) or v is pd.NA else v)
                 for v in values)


def fixture_load(db: Path, **kw):
    return load_graph(db, patents=FIXTURE / "DeepPatentAI.csv", papers=FIXTURE / "DeepDiveAI.csv",
                      pairs=FIXTURE / "DeepCosineAI.csv", config=QUIET, **kw)


def test_fixture_load_counts_reconcile_and_model(tmp_path):
    summary = fixture_load(tmp_path / "g")
    for f in summary.files:
        assert f.reconciles, f
        assert f.read == f.loaded + f.rejected + f.below_tau
    pairs = [f for f in summary.files if f.kind == "pairs"][0]
    raw = pd.read_csv(FIXTURE / "DeepCosineAI.csv")
    assert pairs.below_tau == int((raw["similarity"] < 0.6).sum())
    assert summary.relationships["SIMILAR_TO"] == int((raw["similarity"] >= 0.6).sum())
    patents = pd.read_csv(FIXTURE / "DeepPatentAI.csv")
    assert summary.nodes["Patent"] == len(patents)
    with EmbeddedStore(tmp_path / "g", read_only=True) as store:
        # every patent's IPC chain reaches its section through PART_OF
        df = store.execute("MATCH (p:Patent)-[:CLASSIFIED_AS]->(c:IPC)-[:PART_OF*1..4]->(s:IPC) "
                           "WHERE s.level = 'section' RETURN DISTINCT c.code AS code, s.code AS section")
        assert len(df) and all(code[0] == sec for code, sec in zip(df["code"], df["section"]))
        # lag_years = patent year - paper year
        lag = store.execute("MATCH (a:Paper)-[r:SIMILAR_TO]->(b:Patent) RETURN r.lag_years AS lag, "
                            "b.year - a.year AS diff")
        assert (lag["lag"] == lag["diff"]).all()


def test_same_files_twice_gives_identical_graph(tmp_path):
    fixture_load(tmp_path / "g")
    first = graph_dump(tmp_path / "g")
    again = fixture_load(tmp_path / "g")
    assert again.steps_skipped == 3
    assert graph_dump(tmp_path / "g") == first
    # a different run (patents only) re-applies as upserts: still the same graph
    load_graph(tmp_path / "g", patents=FIXTURE / "DeepPatentAI.csv", config=QUIET)
    assert graph_dump(tmp_path / "g") == first


def test_more_files_add_and_update(tmp_path):
    fixture_load(tmp_path / "g")
    first_pn = pd.read_csv(FIXTURE / "DeepPatentAI.csv", dtype=str).iloc[0]
    extra = tmp_path / "more.csv"
    extra.write_text(
        "ID,PN,IPC,Title,Abstract,Year,Keywords,Novelty\n"
        f'1,{first_pn["PN"]},H04L41/16,Updated title,new abstract,2020,"[""edge computing""]",9.5\n'
        '99,US99999999B2,G06N20/00,Brand new,abs,2021,"[""federated learning""]",1.0\n',
        encoding="utf-8")
    s = load_graph(tmp_path / "g", patents=extra, config=QUIET)
    assert (s.files[0].new, s.files[0].updated) == (1, 1)
    with EmbeddedStore(tmp_path / "g", read_only=True) as store:
        row = store.execute("MATCH (p:Patent {pn: $pn}) RETURN p.title AS t, p.year AS y, p.ipc AS ipc",
                            {"pn": first_pn["PN"]}).iloc[0]
        assert (row["t"], row["y"], list(row["ipc"])) == ("Updated title", 2020, ["H04L41/16"])
        kws = store.execute("MATCH (p:Patent {pn: $pn})-[:HAS_KEYWORD]->(k) RETURN k.name AS k",
                            {"pn": first_pn["PN"]})["k"].tolist()
        assert kws == ["edge computing"]  # the old keyword links were replaced
        ipc = store.execute("MATCH (p:Patent {pn: $pn})-[:CLASSIFIED_AS]->(c) RETURN c.code AS c",
                            {"pn": first_pn["PN"]})["c"].tolist()
        assert ipc == ["H04L41/16"]
        assert store.execute("MATCH (p:Patent {pn: 'US99999999B2'}) RETURN count(*)").iloc[0, 0] == 1
        # SIMILAR_TO links of the updated patent survive the update
        assert store.execute("MATCH ()-[r:SIMILAR_TO]->() RETURN count(*)").iloc[0, 0] == s.relationships["SIMILAR_TO"]


def test_pairs_with_unknown_ids_and_duplicates_are_rejected(tmp_path):
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("Paper_ID,Patent_ID,Similarity,Paper_Year,Patent_Year\n"
                     "101,1,0.9,2010,2012\n101,1,0.95,2010,2012\n424242,1,0.9,,\n101,777777,0.8,,\n"
                     "102,2,0.1,,\n101,x,notanumber,,\n", encoding="utf-8")
    s = load_graph(tmp_path / "g", patents=FIXTURE / "DeepPatentAI.csv", papers=FIXTURE / "DeepDiveAI.csv",
                   pairs=pairs, config=QUIET)
    f = s.files[-1]
    assert (f.read, f.loaded, f.below_tau, f.rejected, f.duplicates) == (6, 1, 1, 4, 1)
    rejects = pd.read_csv(f.rejects_file)
    assert sorted(zip(rejects["line"], rejects["field"])) == [
        (3, "patent_id"), (4, "paper_id"), (5, "patent_id"), (7, "similarity")]
    assert "first occurrence" in rejects.set_index("line").loc[3, "reason"]


def test_missing_file_and_wrong_format_are_one_sentence(tmp_path):
    with pytest.raises(InputFormatError, match="no such file"):
        load_graph(tmp_path / "g", patents=tmp_path / "nope.csv", config=QUIET)
    with pytest.raises(InputFormatError, match=r"line 1 is not a DeepPatentAI header"):
        load_graph(tmp_path / "g", patents=FIXTURE / "DeepDiveAI.csv", config=QUIET)
    with pytest.raises(InputFormatError, match=r"not a DeepDiveAI header \(it has column 'PN'"):
        load_graph(tmp_path / "g", papers=FIXTURE / "DeepPatentAI.csv", config=QUIET)
    cli = subprocess.run([sys.executable, "-m", "innograph.cli", "load", "--patents", str(tmp_path / "nope.csv"),
                          "--db", str(tmp_path / "g")], capture_output=True, text=True)
    assert cli.returncode == 2
    assert cli.stderr.strip().startswith("error:") and "Traceback" not in cli.stderr
    assert len(cli.stderr.strip().splitlines()) == 1


def test_second_writer_gets_a_clear_error(tmp_path):
    fixture_load(tmp_path / "g")
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys,time; from innograph.graph.embedded import EmbeddedStore; "
         "s = EmbeddedStore(sys.argv[1]); print('open', flush=True); time.sleep(30)", str(tmp_path / "g")],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        cli = subprocess.run([sys.executable, "-m", "innograph.cli", "load", "--patents",
                              str(FIXTURE / "DeepPatentAI.csv"), "--db", str(tmp_path / "g"), "--no-progress"],
                             capture_output=True, text=True)
        assert cli.returncode == 2
        assert "open for writing by another process" in cli.stderr and "Traceback" not in cli.stderr
    finally:
        holder.kill()
        holder.wait()


def test_json_summary_from_cli(tmp_path):
    cli = subprocess.run([sys.executable, "-m", "innograph.cli", "load",
                          "--patents", str(FIXTURE / "DeepPatentAI.csv"), "--papers", str(FIXTURE / "DeepDiveAI.csv"),
                          "--pairs", str(FIXTURE / "DeepCosineAI.csv"), "--db", str(tmp_path / "g"),
                          "--json", "--no-progress"], capture_output=True, text=True)
    assert cli.returncode == 0, cli.stderr
    summary = json.loads(cli.stdout)
    assert [f["kind"] for f in summary["files"]] == ["patents", "papers", "pairs"]
    assert all(f["read"] == f["loaded"] + f["rejected"] + f["below_tau"] for f in summary["files"])
    stats = subprocess.run([sys.executable, "-m", "innograph.cli", "stats", "--db", str(tmp_path / "g"), "--json"],
                           capture_output=True, text=True)
    assert json.loads(stats.stdout) == {"nodes": summary["nodes"], "relationships": summary["relationships"]}


@pytest.mark.slow
def test_kill_9_midway_then_rerun_equals_clean_build(tmp_path):
    from innograph.ingest.synth import SynthConfig, synthesize

    files = synthesize(tmp_path / "data", SynthConfig(patents=20_000, papers=25_000, pairs=400_000, seed=3),
                       progress=False)
    args = ["--patents", str(files["patents"]), "--papers", str(files["papers"]), "--pairs", str(files["pairs"])]

    def run(db: Path) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "innograph.cli", "load", *args, "--db", str(db),
                                 "--no-progress"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    clean = tmp_path / "clean"
    assert run(clean).wait() == 0
    expected = graph_dump(clean)

    killed = tmp_path / "killed"
    # kill at several moments: while parsing, between and inside transactions
    for delay in (1.5, 4.0, 7.0):
        proc = run(killed)
        time.sleep(delay)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    assert run(killed).wait() == 0
    assert graph_dump(killed) == expected


def test_rerun_repairs_a_graph_that_no_longer_matches_its_load_log(tmp_path):
    """If the graph lost what a recorded step wrote, the same command re-applies every step."""
    fixture_load(tmp_path / "g")
    expected = graph_dump(tmp_path / "g")
    with EmbeddedStore(tmp_path / "g") as store:
        store.execute("MATCH (p:Paper) DETACH DELETE p")
    assert graph_dump(tmp_path / "g") != expected
    again = fixture_load(tmp_path / "g")
    assert again.steps_skipped == 0
    assert graph_dump(tmp_path / "g") == expected


def test_damaged_staging_is_parsed_again(tmp_path):
    fixture_load(tmp_path / "g")
    expected = graph_dump(tmp_path / "g")
    for part in (tmp_path / "g" / "staging").glob("*/nodes/part-00000.parquet"):
        part.unlink()  # as if a crash had lost it
    with EmbeddedStore(tmp_path / "g") as store:
        store.execute("MATCH (n) DETACH DELETE n")
    fixture_load(tmp_path / "g")
    assert graph_dump(tmp_path / "g") == expected
