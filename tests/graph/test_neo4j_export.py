"""`innograph export neo4j-admin`: headers against the documented grammar, endpoints, counts, values.

The grammar is the one of the Neo4j Operations Manual, "Import header format": every field is
`<name>:<field_type>`; node files have an `ID` field (`name:ID(group)`, the name is the
property that keeps the id) and optionally `:LABEL`; relationship files have `:START_ID(group)`,
`:END_ID(group)` and `:TYPE`; property types are int, long, float, double, boolean, byte,
short, char, string, point, date, localtime, time, localdatetime, datetime, duration, vector,
each optionally an array (`[]`, elements split by --array-delimiter). No Neo4j (hence no
neo4j-admin) can run here, so the files are checked by parsing them the way the documentation
says neo4j-admin does.
"""

from __future__ import annotations

import csv
import re
import shlex
import stat
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from innograph.cli import main
from innograph.graph import schema
from innograph.graph.embedded import EmbeddedStore
from innograph.graph.load import LoadConfig, load_graph
from innograph.graph.neo4j_export import export_neo4j_admin
from innograph.ingest.synth import SynthConfig, synthesize

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "pack_fixture"
QUIET = LoadConfig(progress=False)

TYPES = ("int", "long", "float", "double", "boolean", "byte", "short", "char", "string", "point", "date",
         "localtime", "time", "localdatetime", "datetime", "duration", "vector")
SPECIAL = re.compile(r"^(?P<name>[^:]*):(?P<kind>ID|START_ID|END_ID|LABEL|TYPE|IGNORE)(?:\((?P<group>[^()]+)\))?$")
PROPERTY = re.compile(rf"^(?P<name>[^:]+?)(?::(?P<type>{'|'.join(TYPES)})(?P<array>\[\])?)?$")


def parse_header(line: str) -> list[dict]:
    """Fields of a header line, each {kind, name, group, type, array}; raises on anything off-grammar."""
    fields = []
    for raw in next(csv.reader([line])):
        m = SPECIAL.match(raw)
        if m:
            fields.append({"kind": m["kind"], "name": m["name"], "group": m["group"], "type": "string", "array": False})
            continue
        m = PROPERTY.match(raw)
        if not m:
            raise ValueError(f"header field {raw!r} is not <name>:<type> with a known type")
        fields.append({"kind": "PROPERTY", "name": m["name"], "group": None, "type": m["type"] or "string",
                       "array": bool(m["array"])})
    return fields


def _value(text: str, f: dict):
    """A CSV field as neo4j-admin reads it (empty = no property)."""
    if text == "":
        return None
    if f["array"]:
        return tuple(_scalar(v, f["type"]) for v in text.split(";"))
    return _scalar(text, f["type"])


def _scalar(text: str, typ: str):
    if typ in ("int", "long", "short", "byte"):
        return int(text)
    if typ in ("float", "double"):
        return float(text)
    if typ == "boolean":
        assert text in ("true", "false"), text
        return text == "true"
    return text


def read_export(out: Path) -> dict:
    """Parse every exported file: node ids per group, typed rows, relationship endpoints."""
    nodes, rels = {}, {}
    for path in sorted((out / "nodes").glob("*.csv")):
        with open(path, newline="", encoding="utf-8") as fh:
            header = parse_header(fh.readline().rstrip("\n"))
            kinds = [f["kind"] for f in header]
            assert kinds.count("ID") == 1 and kinds.count("LABEL") <= 1, path
            assert not {"START_ID", "END_ID", "TYPE"} & set(kinds), path
            rows = [r for r in csv.reader(fh)]
        assert all(len(r) == len(header) for r in rows), path
        id_field = header[kinds.index("ID")]
        ids = [r[kinds.index("ID")] for r in rows]
        assert len(set(ids)) == len(ids), f"duplicate ids in {path}"
        label = {r[kinds.index("LABEL")] for r in rows} if "LABEL" in kinds else set()
        nodes[id_field["group"]] = {
            "ids": set(ids), "label": label, "header": header, "path": path,
            "rows": [tuple(_value(v, f) for v, f in zip(r, header) if f["kind"] in ("ID", "PROPERTY")) for r in rows],
        }
    for path in sorted((out / "relationships").glob("*.csv")):
        with open(path, newline="", encoding="utf-8") as fh:
            header = parse_header(fh.readline().rstrip("\n"))
            kinds = [f["kind"] for f in header]
            assert kinds.count("START_ID") == 1 and kinds.count("END_ID") == 1 and kinds.count("TYPE") == 1, path
            assert not {"ID", "LABEL"} & set(kinds), path
            rows = [r for r in csv.reader(fh)]
        assert all(len(r) == len(header) for r in rows), path
        s, e, t = kinds.index("START_ID"), kinds.index("END_ID"), kinds.index("TYPE")
        rels[path.stem] = {
            "start": header[s]["group"], "end": header[e]["group"], "types": {r[t] for r in rows}, "header": header,
            "rows": [(r[s], r[e]) + tuple(_value(v, f) for v, f in zip(r, header) if f["kind"] == "PROPERTY")
                     for r in rows],
        }
    return {"nodes": nodes, "rels": rels}


def _norm(v):
    if v is None or (isinstance(v, float) and v != v):
        return None
    if hasattr(v, "tolist") and not isinstance(v, str):
        v = v.tolist()
    if isinstance(v, list):
        return tuple(v) or None  # neo4j-admin does not import empty arrays
    return v


def embedded_rows(db: Path) -> dict:
    out = {}
    with EmbeddedStore(db, read_only=True) as store:
        for t in schema.NODE_TABLES:
            df = store.execute(f"MATCH (n:{t.label}) RETURN " + ", ".join(f"n.{c} AS {c}" for c in t.columns))
            out[t.label] = sorted((tuple(_norm(v) for v in r) for r in df.itertuples(index=False)), key=repr)
        for r in schema.REL_TABLES:
            for a, b in r.pairs:
                ka, kb = schema.NODE_BY_LABEL[a].key, schema.NODE_BY_LABEL[b].key
                props = "".join(f", r.{c} AS {c}" for c in r.columns)
                df = store.execute(f"MATCH (x:{a})-[r:{r.type}]->(y:{b}) RETURN x.{ka} AS a, y.{kb} AS b{props}")
                out[f"{r.type}-{a}-{b}"] = sorted((tuple(_norm(v) for v in row) for row in df.itertuples(index=False)),
                                                  key=repr)
        counts = store.node_counts(), store.rel_counts()
    return {"rows": out, "counts": counts}


def check_export(out: Path, embedded_db: Path, summary) -> None:
    parsed = read_export(out)
    expected = embedded_rows(embedded_db)
    nodes, rels = expected["counts"]
    # counts equal to the embedded build of the same input
    assert summary.nodes == nodes and summary.relationships == rels
    assert {g: len(n["ids"]) for g, n in parsed["nodes"].items()} == nodes
    per_type: dict[str, int] = {}
    for stem, r in parsed["rels"].items():
        per_type[stem.split("-")[0]] = per_type.get(stem.split("-")[0], 0) + len(r["rows"])
    assert per_type == rels
    for label, n in parsed["nodes"].items():
        table = schema.NODE_BY_LABEL[label]
        assert n["label"] <= {label}
        id_field = next(f for f in n["header"] if f["kind"] == "ID")
        assert id_field["name"] == table.key  # the key is kept as a property
        assert [f["name"] for f in n["header"] if f["kind"] in ("ID", "PROPERTY")] == table.columns
        assert sorted(n["rows"], key=repr) == expected["rows"][label], label
    for stem, r in parsed["rels"].items():
        rel_type, a, b = stem.split("-")
        assert (r["start"], r["end"]) == (a, b) and r["types"] <= {rel_type}
        # every endpoint is among the exported node ids of its group
        assert {row[0] for row in r["rows"]} <= parsed["nodes"][a]["ids"], stem
        assert {row[1] for row in r["rows"]} <= parsed["nodes"][b]["ids"], stem
        assert sorted(r["rows"], key=repr) == expected["rows"][stem], stem


def check_script(out: Path, summary, tmp_path: Path) -> None:
    script = out / "import.sh"
    assert script.stat().st_mode & stat.S_IXUSR
    assert subprocess.run(["sh", "-n", str(script)]).returncode == 0
    # run it with a stand-in neo4j-admin that prints its arguments, one per line
    fake = tmp_path / "neo4j-admin"
    fake.write_text('#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done\n')
    fake.chmod(0o755)
    run = subprocess.run(["sh", str(script)], capture_output=True, text=True,
                         env={"PATH": "/usr/bin:/bin", "NEO4J_ADMIN": str(fake), "NEO4J_DATABASE": "innograph"})
    assert run.returncode == 0, run.stderr
    args = run.stdout.splitlines()
    assert args[:3] == ["database", "import", "full"] and args[-1] == "innograph"
    expected = [a.replace("$DATA", str(out.resolve())) for a in summary.command[1:-1]]
    assert args[:-1] == expected
    files = [a.split("=", 1)[1] for a in args if a.startswith(("--nodes=", "--relationships="))]
    assert all(Path(f).is_file() for f in files)
    assert {str(Path(f).relative_to(out.resolve())) for f in files} == {p for p, n in summary.files.items() if n}
    for option in ("--overwrite-destination=true", "--id-type=string", "--array-delimiter=;",
                   "--multiline-fields=true", "--bad-tolerance=0", "--skip-duplicate-nodes=false"):
        assert option in args
    assert "neo4j-admin database import full" in " ".join(shlex.split(" ".join(summary.command)))


def test_header_grammar_accepts_the_documented_examples_and_refuses_others():
    assert [f["kind"] for f in parse_header("movieId:ID,title,year:int,:LABEL")] == ["ID", "PROPERTY", "PROPERTY", "LABEL"]
    assert parse_header(":START_ID(Person),role,:END_ID(Movie),:TYPE")[0]["group"] == "Person"
    assert parse_header("ipc:string[]")[0] == {"kind": "PROPERTY", "name": "ipc", "group": None, "type": "string",
                                               "array": True}
    for bad in ("year:integer", "pn:ID(Patent", "score:float[][]", ":FROM_ID(Paper)"):
        with pytest.raises(ValueError):
            parse_header(bad)


def test_fixture_export_with_the_cli(tmp_path, capsys):
    out = tmp_path / "export"
    main(["export", "neo4j-admin", "--patents", str(FIXTURE / "DeepPatentAI.csv"), "--papers",
          str(FIXTURE / "DeepDiveAI.csv"), "--pairs", str(FIXTURE / "DeepCosineAI.csv"), "--out", str(out),
          "--db", str(tmp_path / "graph"), "--no-progress", "--json"])
    import json

    from innograph.graph.neo4j_export import ExportSummary

    summary = ExportSummary(**json.loads(capsys.readouterr().out))
    # the same input built by `innograph load`
    load_graph(tmp_path / "embedded", config=QUIET, patents=FIXTURE / "DeepPatentAI.csv",
               papers=FIXTURE / "DeepDiveAI.csv", pairs=FIXTURE / "DeepCosineAI.csv")
    check_export(out, tmp_path / "embedded", summary)
    check_script(out, summary, tmp_path)
    header = (out / "nodes" / "Patent.csv").read_text().splitlines()[0]
    assert header.startswith("pn:ID(Patent),id:long,") and "year:int" in header and "ipc:string[]" in header
    assert (out / "relationships" / "SIMILAR_TO-Paper-Patent.csv").read_text().splitlines()[0] == \
        ":START_ID(Paper),:END_ID(Patent),score:double,lag_years:int,:TYPE"
    assert (out / "schema.cypher").read_text().count("CREATE CONSTRAINT") == len(schema.NODE_TABLES) + 1


def test_synthetic_corpus_with_an_update_file(tmp_path):
    files = synthesize(tmp_path / "synth", SynthConfig(patents=400, papers=400, pairs=4000, seed=11), progress=False)
    # a second patents file: 30 records revised (one with a multi-line abstract and quotes), 10 new
    df = pd.read_csv(files["patents"], dtype=str, keep_default_na=False)
    upd = df.head(40).copy()
    upd.loc[:29, "Title"] = upd.loc[:29, "Title"] + ' "revised", again'
    upd.loc[0, "Abstract"] = "first line\nsecond line, with a comma"
    upd.loc[30:, "PN"] = [f"US99{i:05d}A1" for i in range(10)]
    upd.loc[30:, "ID"] = [str(900000 + i) for i in range(10)]
    upd.to_csv(tmp_path / "update.csv", index=False)
    inputs = dict(patents=[files["patents"], tmp_path / "update.csv"], papers=files["papers"], pairs=files["pairs"])
    summary = export_neo4j_admin(tmp_path / "out", progress=False, chunk_rows=300, **inputs)  # many slices
    assert not (tmp_path / "out" / "graph").exists()  # the intermediate graph is removed
    load_graph(tmp_path / "embedded", config=QUIET, **inputs)
    check_export(tmp_path / "out", tmp_path / "embedded", summary)
    check_script(tmp_path / "out", summary, tmp_path)
    assert summary.nodes["Patent"] == 410 and summary.relationships["SIMILAR_TO"] > 0
    text = (tmp_path / "out" / "nodes" / "Patent.csv").read_text(encoding="utf-8")
    assert '"first line\nsecond line, with a comma"' in text  # multi-line field, quoted


def test_export_of_an_existing_graph_and_errors(tmp_path):
    from innograph.errors import InnographError

    load_graph(tmp_path / "g", config=QUIET, patents=FIXTURE / "DeepPatentAI.csv")
    summary = export_neo4j_admin(tmp_path / "out", db=tmp_path / "g", progress=False)
    assert summary.nodes["Patent"] == 8 and summary.nodes["Paper"] == 0
    assert "Paper.csv" not in " ".join(summary.command)  # empty files are left out of the command
    with pytest.raises(InnographError, match="Nothing to export"):
        export_neo4j_admin(tmp_path / "out2")
    with pytest.raises(InnographError, match="No graph database"):
        export_neo4j_admin(tmp_path / "out3", db=tmp_path / "missing")
