// name: country_transfer
// purpose: Knowledge transfer between countries: SIMILAR_TO pairs counted from the paper's country to the patent's country.
// param: min_score float = 0.0  -- lowest similarity score to include
// param: limit int = 50  -- how many country pairs to return
// returns: paper_country, patent_country, pairs, mean_score (a paper with authors in two countries counts for both)
MATCH (a:Paper)-[s:SIMILAR_TO]->(p:Patent)
WHERE s.score >= $min_score
MATCH (a)-[:FROM_COUNTRY]->(ca:Country)
MATCH (p)-[:FROM_COUNTRY]->(cp:Country)
WITH ca.code AS paper_country, cp.code AS patent_country, count(*) AS pairs, avg(s.score) AS mean_score
RETURN paper_country, patent_country, pairs, mean_score
ORDER BY pairs DESC, paper_country, patent_country
LIMIT $limit
