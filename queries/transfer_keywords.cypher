// name: transfer_keywords
// purpose: Keywords shared by both sides of paper-patent pairs: the themes along which science flows into technology.
// param: min_score float = 0.0  -- lowest similarity score to include
// param: limit int = 20  -- how many keywords to return
// returns: keyword, pairs, mean_score
MATCH (a:Paper)-[s:SIMILAR_TO]->(p:Patent)
WHERE s.score >= $min_score
MATCH (a)-[:HAS_KEYWORD]->(k:Keyword)<-[:HAS_KEYWORD]-(p)
WITH k.name AS keyword, count(*) AS pairs, avg(s.score) AS mean_score
RETURN keyword, pairs, mean_score
ORDER BY pairs DESC, mean_score DESC, keyword
LIMIT $limit
