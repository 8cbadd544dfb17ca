// name: ai_share_by_year
// purpose: Patents and papers per year and the share classified as AI (is_ai), the growth curve of AI activity.
// param: from_year int = 0  -- earliest year
// param: to_year int = 9999  -- latest year
// returns: year, patents, ai_patents, patent_ai_share, papers, ai_papers, paper_ai_share (documents never classified count as not AI)
MATCH (d:Patent|Paper)
WHERE d.year >= $from_year AND d.year <= $to_year
WITH d.year AS year, count(d.pn) AS patents, count(d.paper_id) AS papers,
     count(CASE WHEN d.pn IS NOT NULL AND d.is_ai THEN 1 END) AS ai_patents,
     count(CASE WHEN d.paper_id IS NOT NULL AND d.is_ai THEN 1 END) AS ai_papers
RETURN year, patents, ai_patents,
       CASE WHEN patents = 0 THEN NULL ELSE 1.0 * ai_patents / patents END AS patent_ai_share,
       papers, ai_papers,
       CASE WHEN papers = 0 THEN NULL ELSE 1.0 * ai_papers / papers END AS paper_ai_share
ORDER BY year
