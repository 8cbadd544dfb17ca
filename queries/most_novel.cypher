// name: most_novel
// purpose: The patents and papers with the highest hypergraph novelty score in a year range.
// param: kind str in (any, patent, paper) = any  -- which documents to rank
// param: from_year int = 0  -- earliest year
// param: to_year int = 9999  -- latest year
// param: limit int = 20  -- how many documents to return
// returns: kind, key (pn or paper_id), title, year, novelty
MATCH (d:Patent|Paper)
WHERE d.novelty IS NOT NULL AND d.year >= $from_year AND d.year <= $to_year
WITH d, CASE WHEN d.pn IS NULL THEN 'paper' ELSE 'patent' END AS kind
WHERE $kind = 'any' OR kind = $kind
RETURN kind, coalesce(d.pn, d.paper_id) AS key, d.title AS title, d.year AS year, d.novelty AS novelty
ORDER BY novelty DESC, key
LIMIT $limit
