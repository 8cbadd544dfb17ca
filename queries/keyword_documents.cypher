// name: keyword_documents
// purpose: The patents and papers that carry one keyword, newest first.
// param: keyword str  -- the keyword (normalised: lower case, single spaces)
// param: limit int = 50  -- how many documents to return
// returns: kind, key (pn or paper_id), title, year, rank (position of the keyword in the document's list)
MATCH (d:Patent|Paper)-[r:HAS_KEYWORD]->(k:Keyword {name: $keyword})
RETURN CASE WHEN d.pn IS NULL THEN 'paper' ELSE 'patent' END AS kind,
       coalesce(d.pn, d.paper_id) AS key, d.title AS title, d.year AS year, r.rank AS rank
ORDER BY year DESC, key
LIMIT $limit
