// name: novelty_by_year
// purpose: Documents and their mean hypergraph novelty per year, patents and papers side by side (paper Fig. 7 e-h, worldwide).
// param: from_year int = 0  -- earliest year
// param: to_year int = 9999  -- latest year
// returns: year, patents, papers, mean_patent_novelty, mean_paper_novelty
MATCH (d:Patent|Paper)
WHERE d.year >= $from_year AND d.year <= $to_year
RETURN d.year AS year, count(d.pn) AS patents, count(d.paper_id) AS papers,
       avg(CASE WHEN d.pn IS NOT NULL THEN d.novelty END) AS mean_patent_novelty,
       avg(CASE WHEN d.paper_id IS NOT NULL THEN d.novelty END) AS mean_paper_novelty
ORDER BY year
