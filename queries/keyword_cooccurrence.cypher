// name: keyword_cooccurrence
// purpose: Pairs of keywords that appear on the same document, with how many patents and papers carry both.
// param: keyword str = ''  -- keep only pairs containing this keyword (normalised: lower case); empty for all
// param: min_documents int = 1  -- pairs on fewer documents are left out
// param: limit int = 50  -- how many pairs to return
// returns: keyword_a, keyword_b (keyword_a < keyword_b), documents, patents, papers
MATCH (k1:Keyword)<-[:HAS_KEYWORD]-(d:Patent|Paper)-[:HAS_KEYWORD]->(k2:Keyword)
WHERE k1.name < k2.name AND ($keyword = '' OR k1.name = $keyword OR k2.name = $keyword)
WITH k1.name AS keyword_a, k2.name AS keyword_b, count(*) AS documents,
     count(d.pn) AS patents, count(d.paper_id) AS papers
WHERE documents >= $min_documents
RETURN keyword_a, keyword_b, documents, patents, papers
ORDER BY documents DESC, keyword_a, keyword_b
LIMIT $limit
