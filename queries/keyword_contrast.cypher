// name: keyword_contrast
// purpose: Keywords frequent in papers but rare in patents, or the reverse (paper Fig. 6), compared by share of each kind's documents, not raw counts.
// param: lean str in (paper, patent) = paper  -- paper: themes papers favour; patent: themes patents favour
// param: min_documents int = 1  -- keywords on fewer documents (patents + papers) are left out
// param: limit int = 20  -- how many keywords to return
// returns: keyword, patents, papers, patent_share, paper_share, share_diff (paper_share - patent_share)
MATCH (p:Patent)
WITH count(p) AS n_patents
MATCH (a:Paper)
WITH n_patents, count(a) AS n_papers
MATCH (k:Keyword)
OPTIONAL MATCH (k)<-[:HAS_KEYWORD]-(p:Patent)
WITH n_patents, n_papers, k, count(DISTINCT p) AS patents
OPTIONAL MATCH (k)<-[:HAS_KEYWORD]-(a:Paper)
WITH n_patents, n_papers, k, patents, count(DISTINCT a) AS papers
WHERE patents + papers >= $min_documents
WITH k, patents, papers,
     CASE WHEN n_patents = 0 THEN 0.0 ELSE 1.0 * patents / n_patents END AS patent_share,
     CASE WHEN n_papers = 0 THEN 0.0 ELSE 1.0 * papers / n_papers END AS paper_share
RETURN k.name AS keyword, patents, papers, patent_share, paper_share,
       paper_share - patent_share AS share_diff
ORDER BY CASE WHEN $lean = 'patent' THEN patent_share - paper_share ELSE paper_share - patent_share END DESC,
         keyword
LIMIT $limit
