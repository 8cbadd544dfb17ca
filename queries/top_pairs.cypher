// name: top_pairs
// purpose: The paper-patent pairs with the highest similarity, the knowledge-transfer pathways of the paper's Fig. 8.
// param: limit int = 20  -- how many pairs to return
// param: min_score float = 0.0  -- lowest similarity score to include
// returns: paper_id, paper_title, paper_year, pn, patent_title, patent_year, score, lag_years
MATCH (a:Paper)-[s:SIMILAR_TO]->(p:Patent)
WHERE s.score >= $min_score
RETURN a.paper_id AS paper_id, a.title AS paper_title, a.year AS paper_year,
       p.pn AS pn, p.title AS patent_title, p.year AS patent_year,
       s.score AS score, s.lag_years AS lag_years
ORDER BY score DESC, paper_id, pn
LIMIT $limit
