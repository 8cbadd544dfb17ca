// name: keyword_trends
// purpose: Patents and papers per keyword and year, to follow how themes rise and fade.
// param: keywords list[str] = []  -- keywords to follow (normalised: lower case); empty for all
// param: from_year int = 0  -- earliest year
// param: to_year int = 9999  -- latest year
// returns: keyword, year, patents, papers
MATCH (d:Patent|Paper)-[:HAS_KEYWORD]->(k:Keyword)
WHERE (size($keywords) = 0 OR k.name IN $keywords) AND d.year >= $from_year AND d.year <= $to_year
RETURN k.name AS keyword, d.year AS year, count(d.pn) AS patents, count(d.paper_id) AS papers
ORDER BY keyword, year
