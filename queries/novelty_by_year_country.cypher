// name: novelty_by_year_country
// purpose: Mean novelty of patents and papers per year and country, the spatiotemporal novelty map of the paper's Fig. 7.
// param: country str = ''  -- ISO alpha-2 code (or EP, WO) to keep; empty for all countries
// param: from_year int = 0  -- earliest year
// param: to_year int = 9999  -- latest year
// returns: year, country, patents, papers, mean_patent_novelty, mean_paper_novelty
MATCH (d:Patent|Paper)-[:FROM_COUNTRY]->(c:Country)
WHERE ($country = '' OR c.code = $country) AND d.year >= $from_year AND d.year <= $to_year
RETURN d.year AS year, c.code AS country, count(d.pn) AS patents, count(d.paper_id) AS papers,
       avg(CASE WHEN d.pn IS NOT NULL THEN d.novelty END) AS mean_patent_novelty,
       avg(CASE WHEN d.paper_id IS NOT NULL THEN d.novelty END) AS mean_paper_novelty
ORDER BY year, country
