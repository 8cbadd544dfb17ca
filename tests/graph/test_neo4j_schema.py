"""The Neo4j DDL and write statements are derived from the graph model and match cypher/neo4j/."""

from __future__ import annotations

import re

from innograph.graph import neo4j_schema, schema


def test_generated_files_are_in_step_with_the_model():
    for name, text in neo4j_schema.files().items():
        path = neo4j_schema.CYPHER_DIR / name
        assert path.exists(), f"{path} is missing: run python -m innograph.graph.neo4j_schema"
        assert path.read_text(encoding="utf-8") == text, (
            f"{path} differs from the graph model: run python -m innograph.graph.neo4j_schema")


def test_every_key_has_a_uniqueness_constraint():
    ddl = [s.text for s in neo4j_schema.ddl()]
    for t in schema.NODE_TABLES + (schema.LOAD_LOG,):
        assert any(re.fullmatch(rf"CREATE CONSTRAINT \w+ IF NOT EXISTS FOR \(n:{t.label}\) REQUIRE n\.{t.key} IS UNIQUE", s)
                   for s in ddl), t.label
    assert all("IF NOT EXISTS" in s for s in ddl)  # idempotent
    # constraints come first (the loader's MERGEs rely on their indexes)
    kinds = [s.split()[1] for s in ddl]
    assert kinds[:len(schema.NODE_TABLES) + 1] == ["CONSTRAINT"] * (len(schema.NODE_TABLES) + 1)


def test_range_and_fulltext_indexes():
    ddl = {s.name: s.text for s in neo4j_schema.ddl()}
    assert ddl["patent_year"] == "CREATE RANGE INDEX patent_year IF NOT EXISTS FOR (n:Patent) ON (n.year)"
    assert ddl["similar_to_score"] == ("CREATE RANGE INDEX similar_to_score IF NOT EXISTS "
                                       "FOR ()-[r:SIMILAR_TO]-() ON (r.score)")
    assert ddl["patent_text"] == ("CREATE FULLTEXT INDEX patent_text IF NOT EXISTS FOR (n:Patent) "
                                  "ON EACH [n.title, n.abstract]")
    assert ddl["paper_text"].endswith("ON EACH [n.title, n.abstract]")
    names = list(ddl)
    assert len(names) == len(set(names))


def test_write_statements_cover_every_table_and_pair():
    stmts = {s.name: s.text for s in neo4j_schema.write_statements()}
    for t in schema.NODE_TABLES:
        text = neo4j_schema.merge_nodes(t).text
        assert text in stmts.values()
        assert text.startswith(f"UNWIND $rows AS row MERGE (n:{t.label} {{{t.key}: row.{t.key}}})")
        for p in t.properties:
            if p.name != t.key:
                assert f"n.{p.name} = row.{p.name}" in text
    for r in schema.REL_TABLES:
        for a, b in r.pairs:
            text = neo4j_schema.merge_rels(r, a, b).text
            assert text in stmts.values()
            assert f"MERGE (a)-[r:{r.type}]->(b)" in text
    assert neo4j_schema.merge_rels(schema.SIMILAR_TO, "Paper", "Patent").text == (
        "UNWIND $rows AS row MATCH (a:Paper {paper_id: row.src}) MATCH (b:Patent {pn: row.dst}) "
        "MERGE (a)-[r:SIMILAR_TO]->(b) SET r.score = row.score, r.lag_years = row.lag_years")


def test_read_statements_round_trips_the_files(tmp_path):
    neo4j_schema.write_files(tmp_path)
    assert neo4j_schema.read_statements(tmp_path / "schema.cypher") == [s.text for s in neo4j_schema.ddl()]
    assert neo4j_schema.read_statements(tmp_path / "writes.cypher") == [
        s.text for s in neo4j_schema.write_statements()]
