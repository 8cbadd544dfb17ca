// name: document_neighbourhood
// purpose: Everything one patent or paper is linked to: its keywords (with rank), IPC codes, countries and SIMILAR_TO documents (with score).
// param: key str  -- a patent number (Patent.pn, e.g. US10123456B2) or a paper id (Paper.paper_id)
// returns: kind, relation (keyword, ipc, country, similar_paper, similar_patent), target, detail (IPC level, country name
//   or document title), rank (keyword rank), score (similarity)
MATCH (d:Patent {pn: $key})-[r:HAS_KEYWORD]->(k:Keyword)
RETURN 'patent' AS kind, 'keyword' AS relation, k.name AS target, CASE WHEN false THEN '' END AS detail, r.rank AS rank, r.score AS score
UNION ALL
MATCH (d:Patent {pn: $key})-[:CLASSIFIED_AS]->(i:IPC)
RETURN 'patent' AS kind, 'ipc' AS relation, i.code AS target, i.level AS detail,
       CASE WHEN false THEN 0 END AS rank, CASE WHEN false THEN 0.0 END AS score
UNION ALL
MATCH (d:Patent {pn: $key})-[:FROM_COUNTRY]->(c:Country)
RETURN 'patent' AS kind, 'country' AS relation, c.code AS target, c.name AS detail,
       CASE WHEN false THEN 0 END AS rank, CASE WHEN false THEN 0.0 END AS score
UNION ALL
MATCH (d:Patent {pn: $key})<-[s:SIMILAR_TO]-(a:Paper)
RETURN 'patent' AS kind, 'similar_paper' AS relation, a.paper_id AS target, a.title AS detail,
       CASE WHEN false THEN 0 END AS rank, s.score AS score
UNION ALL
MATCH (d:Paper {paper_id: $key})-[r:HAS_KEYWORD]->(k:Keyword)
RETURN 'paper' AS kind, 'keyword' AS relation, k.name AS target, CASE WHEN false THEN '' END AS detail, r.rank AS rank, r.score AS score
UNION ALL
MATCH (d:Paper {paper_id: $key})-[:FROM_COUNTRY]->(c:Country)
RETURN 'paper' AS kind, 'country' AS relation, c.code AS target, c.name AS detail,
       CASE WHEN false THEN 0 END AS rank, CASE WHEN false THEN 0.0 END AS score
UNION ALL
MATCH (d:Paper {paper_id: $key})-[s:SIMILAR_TO]->(p:Patent)
RETURN 'paper' AS kind, 'similar_patent' AS relation, p.pn AS target, p.title AS detail,
       CASE WHEN false THEN 0 END AS rank, s.score AS score
