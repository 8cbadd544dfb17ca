// name: search_titles
// purpose: Patents and papers whose title contains a text, ignoring case.
// param: text str  -- the text to look for
// param: kind str in (any, patent, paper) = any  -- which documents to search
// param: limit int = 50  -- how many documents to return
// returns: kind, key (pn or paper_id), title, year, novelty
MATCH (d:Patent|Paper)
WHERE toLower(d.title) CONTAINS toLower($text)
WITH d, CASE WHEN d.pn IS NULL THEN 'paper' ELSE 'patent' END AS kind
WHERE $kind = 'any' OR kind = $kind
RETURN kind, coalesce(d.pn, d.paper_id) AS key, d.title AS title, d.year AS year, d.novelty AS novelty
ORDER BY year DESC, key
LIMIT $limit
