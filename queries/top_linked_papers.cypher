// name: top_linked_papers
// purpose: The papers linked to the most patents by SIMILAR_TO, the scientific work with the widest technological uptake.
// param: limit int = 10  -- how many papers to return
// param: min_score float = 0.0  -- lowest similarity score that counts as a link
// returns: paper_id, title, year, cited, patents, max_score, mean_score
MATCH (a:Paper)-[s:SIMILAR_TO]->(p:Patent)
WHERE s.score >= $min_score
WITH a, count(DISTINCT p) AS patents, max(s.score) AS max_score, avg(s.score) AS mean_score
RETURN a.paper_id AS paper_id, a.title AS title, a.year AS year, a.cited AS cited,
       patents, max_score, mean_score
ORDER BY patents DESC, max_score DESC, paper_id
LIMIT $limit
