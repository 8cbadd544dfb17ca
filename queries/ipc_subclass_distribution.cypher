// name: ipc_subclass_distribution
// purpose: Patents per IPC subclass (e.g. G06N), reached from each patent's codes up the PART_OF hierarchy, with the share of all patents.
// param: country str = ''  -- patent country or office (e.g. US, CN, EP) to keep; empty for all
// param: limit int = 20  -- how many subclasses to return
// returns: subclass, title, patents, share (a patent with codes in two subclasses counts in both)
MATCH (p:Patent)
WHERE $country = '' OR p.country = $country
WITH count(p) AS total
MATCH (p:Patent)-[:CLASSIFIED_AS]->(:IPC)-[:PART_OF*0..4]->(s:IPC)
WHERE s.level = 'subclass' AND ($country = '' OR p.country = $country)
WITH total, s, count(DISTINCT p) AS patents
RETURN s.code AS subclass, s.title AS title, patents, 1.0 * patents / total AS share
ORDER BY patents DESC, subclass
LIMIT $limit
