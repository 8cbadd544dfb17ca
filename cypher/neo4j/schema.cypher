// Generated from innograph/graph/schema.py by `python -m innograph.graph.neo4j_schema`; do not edit.
// Constraints, range indexes and full-text indexes (run once; idempotent).

CREATE CONSTRAINT patent_pn_unique IF NOT EXISTS FOR (n:Patent) REQUIRE n.pn IS UNIQUE;
CREATE CONSTRAINT paper_paper_id_unique IF NOT EXISTS FOR (n:Paper) REQUIRE n.paper_id IS UNIQUE;
CREATE CONSTRAINT keyword_name_unique IF NOT EXISTS FOR (n:Keyword) REQUIRE n.name IS UNIQUE;
CREATE CONSTRAINT ipc_code_unique IF NOT EXISTS FOR (n:IPC) REQUIRE n.code IS UNIQUE;
CREATE CONSTRAINT country_code_unique IF NOT EXISTS FOR (n:Country) REQUIRE n.code IS UNIQUE;
CREATE CONSTRAINT loadlog_key_unique IF NOT EXISTS FOR (n:LoadLog) REQUIRE n.key IS UNIQUE;
CREATE RANGE INDEX patent_year IF NOT EXISTS FOR (n:Patent) ON (n.year);
CREATE RANGE INDEX patent_country IF NOT EXISTS FOR (n:Patent) ON (n.country);
CREATE RANGE INDEX patent_novelty IF NOT EXISTS FOR (n:Patent) ON (n.novelty);
CREATE RANGE INDEX patent_is_ai IF NOT EXISTS FOR (n:Patent) ON (n.is_ai);
CREATE RANGE INDEX paper_year IF NOT EXISTS FOR (n:Paper) ON (n.year);
CREATE RANGE INDEX paper_novelty IF NOT EXISTS FOR (n:Paper) ON (n.novelty);
CREATE RANGE INDEX paper_is_ai IF NOT EXISTS FOR (n:Paper) ON (n.is_ai);
CREATE RANGE INDEX ipc_level IF NOT EXISTS FOR (n:IPC) ON (n.level);
CREATE RANGE INDEX loadlog_run IF NOT EXISTS FOR (n:LoadLog) ON (n.run);
CREATE RANGE INDEX has_keyword_score IF NOT EXISTS FOR ()-[r:HAS_KEYWORD]-() ON (r.score);
CREATE RANGE INDEX similar_to_score IF NOT EXISTS FOR ()-[r:SIMILAR_TO]-() ON (r.score);
CREATE FULLTEXT INDEX patent_text IF NOT EXISTS FOR (n:Patent) ON EACH [n.title, n.abstract];
CREATE FULLTEXT INDEX paper_text IF NOT EXISTS FOR (n:Paper) ON EACH [n.title, n.abstract];
CREATE FULLTEXT INDEX ipc_text IF NOT EXISTS FOR (n:IPC) ON EACH [n.title];
