// name: pairs_by_lag
// purpose: Paper-patent pairs at or above a similarity threshold, grouped by time lag (patent year minus paper year).
// param: min_score float = 0.8  -- similarity threshold (the graph holds only pairs at or above the load threshold tau)
// returns: lag_years, pairs, mean_score, max_score
MATCH (:Paper)-[s:SIMILAR_TO]->(:Patent)
WHERE s.score >= $min_score
RETURN s.lag_years AS lag_years, count(*) AS pairs,
       avg(s.score) AS mean_score, max(s.score) AS max_score
ORDER BY lag_years
