// Hand-written examples for Neo4j Browser (docs/neo4j-browser-guide.md): full-text search over the
// indexes of schema.cypher and the transfer network with GDS. Run them one at a time.
// tests/graph/test_neo4j_lint.py lints every statement here with Neo4j's linter.

// A patent's neighbourhood as paths (Browser's graph view); first run :param key => 'US10123456B2'
MATCH path = (d:Patent {pn: $key})-[:HAS_KEYWORD|CLASSIFIED_AS|FROM_COUNTRY|SIMILAR_TO]-(x)
RETURN path LIMIT 50;

// Full-text search over patent titles and abstracts (index patent_text; Lucene query syntax)
CALL db.index.fulltext.queryNodes('patent_text', 'reinforcement AND learning') YIELD node, score
RETURN node.pn AS pn, node.title AS title, node.year AS year, score
ORDER BY score DESC LIMIT 10;

// The same for papers
CALL db.index.fulltext.queryNodes('paper_text', '"graph neural network"') YIELD node, score
RETURN node.paper_id AS paper_id, node.title AS title, node.year AS year, score
ORDER BY score DESC LIMIT 10;

// 1. Project the knowledge-transfer network (paper country -> patent country, weight = pairs)
MATCH (source:Country)<-[:FROM_COUNTRY]-(:Paper)-[:SIMILAR_TO]->(:Patent)-[:FROM_COUNTRY]->(target:Country)
WHERE source <> target
WITH source, target, count(*) AS weight
WITH gds.graph.project('transfer', source, target, {relationshipProperties: {weight: toFloat(weight)}}) AS g
RETURN g.graphName AS graph, g.nodeCount AS nodes, g.relationshipCount AS relationships;

// 2. Weighted PageRank of the countries
CALL gds.pageRank.stream('transfer', {relationshipWeightProperty: 'weight'}) YIELD nodeId, score
RETURN gds.util.asNode(nodeId).code AS country, gds.util.asNode(nodeId).name AS name, score
ORDER BY score DESC LIMIT 15;

// 3. Betweenness (hop counts) and Louvain communities
CALL gds.betweenness.stream('transfer') YIELD nodeId, score
RETURN gds.util.asNode(nodeId).code AS country, score ORDER BY score DESC LIMIT 15;

CALL gds.louvain.stream('transfer', {relationshipWeightProperty: 'weight'}) YIELD nodeId, communityId
RETURN communityId, collect(gds.util.asNode(nodeId).code) AS countries ORDER BY size(countries) DESC;

// 4. Write PageRank back as a node property, then look at it like any property
CALL gds.pageRank.write('transfer', {relationshipWeightProperty: 'weight', writeProperty: 'transfer_pagerank'})
YIELD nodePropertiesWritten
RETURN nodePropertiesWritten;

MATCH (c:Country) WHERE c.transfer_pagerank IS NOT NULL
RETURN c.code AS country, c.transfer_pagerank AS pagerank ORDER BY pagerank DESC LIMIT 15;

// 5. Free the memory of the projection
CALL gds.graph.drop('transfer') YIELD graphName
RETURN graphName;
