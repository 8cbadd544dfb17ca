// name: top_linked_patents
// purpose: The patents linked to the most papers by SIMILAR_TO, the inventions that draw on the most science.
// param: limit int = 10  -- how many patents to return
// param: min_score float = 0.0  -- lowest similarity score that counts as a link
// returns: pn, title, year, country, papers, max_score, mean_score
MATCH (a:Paper)-[s:SIMILAR_TO]->(p:Patent)
WHERE s.score >= $min_score
WITH p, count(DISTINCT a) AS papers, max(s.score) AS max_score, avg(s.score) AS mean_score
RETURN p.pn AS pn, p.title AS title, p.year AS year, p.country AS country,
       papers, max_score, mean_score
ORDER BY papers DESC, max_score DESC, pn
LIMIT $limit
