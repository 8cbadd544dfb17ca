// name: lag_distribution
// purpose: Distribution of the science-to-technology time lag: the share of pairs at each lag, for papers published in a year range.
// param: min_score float = 0.0  -- lowest similarity score to include
// param: from_year int = 0  -- earliest paper year
// param: to_year int = 9999  -- latest paper year
// returns: lag_years, pairs, share
MATCH (a:Paper)-[s:SIMILAR_TO]->(:Patent)
WHERE s.score >= $min_score AND a.year >= $from_year AND a.year <= $to_year
WITH count(*) AS total
MATCH (a:Paper)-[s:SIMILAR_TO]->(:Patent)
WHERE s.score >= $min_score AND a.year >= $from_year AND a.year <= $to_year
WITH total, s.lag_years AS lag_years, count(*) AS pairs
RETURN lag_years, pairs, 1.0 * pairs / total AS share
ORDER BY lag_years
