// name: country_ranking
// purpose: Countries (and patent offices) ranked by patents, papers or mean novelty, with the mean novelty of each kind of document.
// param: order_by str in (patents, papers, novelty) = patents  -- ranking column
// param: limit int = 20  -- how many countries to return
// returns: country, name, patents, papers, mean_patent_novelty, mean_paper_novelty, mean_novelty
MATCH (c:Country)
OPTIONAL MATCH (c)<-[:FROM_COUNTRY]-(p:Patent)
WITH c, count(p) AS patents, avg(p.novelty) AS mean_patent_novelty,
     count(p.novelty) AS n_pat_nov, sum(p.novelty) AS sum_pat_nov
OPTIONAL MATCH (c)<-[:FROM_COUNTRY]-(a:Paper)
WITH c, patents, mean_patent_novelty, n_pat_nov, sum_pat_nov,
     count(a) AS papers, avg(a.novelty) AS mean_paper_novelty,
     count(a.novelty) AS n_pap_nov, sum(a.novelty) AS sum_pap_nov
WITH c, patents, papers, mean_patent_novelty, mean_paper_novelty,
     CASE WHEN n_pat_nov + n_pap_nov = 0 THEN NULL
          ELSE (coalesce(sum_pat_nov, 0.0) + coalesce(sum_pap_nov, 0.0)) / (n_pat_nov + n_pap_nov)
     END AS mean_novelty
WHERE patents + papers > 0
RETURN c.code AS country, c.name AS name, patents, papers,
       mean_patent_novelty, mean_paper_novelty, mean_novelty
ORDER BY CASE $order_by WHEN 'papers' THEN 1.0 * papers
                        WHEN 'novelty' THEN coalesce(mean_novelty, -1.0)
                        ELSE 1.0 * patents END DESC,
         patents DESC, papers DESC, country
LIMIT $limit
