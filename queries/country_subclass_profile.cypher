// name: country_subclass_profile
// purpose: Patents per country and IPC subclass: the technology profile whose similarity underlies the competition network of the paper's Fig. 5.
// param: min_patents int = 1  -- country-subclass cells with fewer patents are left out
// returns: country, subclass, patents
MATCH (p:Patent)-[:FROM_COUNTRY]->(c:Country)
MATCH (p)-[:CLASSIFIED_AS]->(:IPC)-[:PART_OF*0..4]->(s:IPC)
WHERE s.level = 'subclass'
WITH c.code AS country, s.code AS subclass, count(DISTINCT p) AS patents
WHERE patents >= $min_patents
RETURN country, subclass, patents
ORDER BY country, patents DESC, subclass
