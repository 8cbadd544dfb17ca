// Generated from innograph/graph/schema.py by `python -m innograph.graph.neo4j_schema`; do not edit.
// Batched upserts sent by `innograph load --backend neo4j` ($rows: a list of maps).

// merge_patent: parameters $rows
UNWIND $rows AS row MERGE (n:Patent {pn: row.pn}) SET n.id = row.id, n.title = row.title, n.abstract = row.abstract, n.year = row.year, n.ipc = row.ipc, n.country = row.country, n.novelty = row.novelty, n.is_ai = row.is_ai, n.ai_score = row.ai_score, n.source = row.source;
// merge_paper: parameters $rows
UNWIND $rows AS row MERGE (n:Paper {paper_id: row.paper_id}) SET n.doi = row.doi, n.title = row.title, n.abstract = row.abstract, n.source = row.source, n.year = row.year, n.cited = row.cited, n.language = row.language, n.type = row.type, n.authors = row.authors, n.affiliations = row.affiliations, n.novelty = row.novelty, n.is_ai = row.is_ai, n.ai_score = row.ai_score;
// merge_keyword: parameters $rows
UNWIND $rows AS row MERGE (n:Keyword {name: row.name});
// merge_ipc: parameters $rows
UNWIND $rows AS row MERGE (n:IPC {code: row.code}) SET n.level = row.level, n.title = row.title;
// merge_country: parameters $rows
UNWIND $rows AS row MERGE (n:Country {code: row.code}) SET n.name = row.name;
// merge_loadlog: parameters $rows
UNWIND $rows AS row MERGE (n:LoadLog {key: row.key}) SET n.run = row.run, n.seq = row.seq, n.step = row.step, n.kind = row.kind, n.file = row.file, n.summary = row.summary, n.graph = row.graph, n.loaded_at = row.loaded_at;
// merge_has_keyword_patent_keyword: parameters $rows
UNWIND $rows AS row MATCH (a:Patent {pn: row.src}) MATCH (b:Keyword {name: row.dst}) MERGE (a)-[r:HAS_KEYWORD]->(b) SET r.rank = row.rank, r.score = row.score;
// merge_has_keyword_paper_keyword: parameters $rows
UNWIND $rows AS row MATCH (a:Paper {paper_id: row.src}) MATCH (b:Keyword {name: row.dst}) MERGE (a)-[r:HAS_KEYWORD]->(b) SET r.rank = row.rank, r.score = row.score;
// merge_classified_as_patent_ipc: parameters $rows
UNWIND $rows AS row MATCH (a:Patent {pn: row.src}) MATCH (b:IPC {code: row.dst}) MERGE (a)-[r:CLASSIFIED_AS]->(b);
// merge_part_of_ipc_ipc: parameters $rows
UNWIND $rows AS row MATCH (a:IPC {code: row.src}) MATCH (b:IPC {code: row.dst}) MERGE (a)-[r:PART_OF]->(b);
// merge_from_country_patent_country: parameters $rows
UNWIND $rows AS row MATCH (a:Patent {pn: row.src}) MATCH (b:Country {code: row.dst}) MERGE (a)-[r:FROM_COUNTRY]->(b);
// merge_from_country_paper_country: parameters $rows
UNWIND $rows AS row MATCH (a:Paper {paper_id: row.src}) MATCH (b:Country {code: row.dst}) MERGE (a)-[r:FROM_COUNTRY]->(b);
// merge_similar_to_paper_patent: parameters $rows
UNWIND $rows AS row MATCH (a:Paper {paper_id: row.src}) MATCH (b:Patent {pn: row.dst}) MERGE (a)-[r:SIMILAR_TO]->(b) SET r.score = row.score, r.lag_years = row.lag_years;
// merge_competes_with_country_country: parameters $rows
UNWIND $rows AS row MATCH (a:Country {code: row.src}) MATCH (b:Country {code: row.dst}) MERGE (a)-[r:COMPETES_WITH]->(b) SET r.weight = row.weight;
// merge_transfers_to_country_country: parameters $rows
UNWIND $rows AS row MATCH (a:Country {code: row.src}) MATCH (b:Country {code: row.dst}) MERGE (a)-[r:TRANSFERS_TO]->(b) SET r.pairs = row.pairs, r.mean_score = row.mean_score;
