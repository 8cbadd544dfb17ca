"""Signatures of the GDS 2.x procedures and functions the Neo4j backend calls, for the linter.

Written from the syntax sections of the GDS manual (neo4j.com/docs/graph-data-science/current:
algorithms/page-rank, degree-centrality, betweenness-centrality, eigenvector-centrality,
closeness-centrality, louvain, leiden; management-ops/graph-creation/graph-project-cypher-projection,
graph-drop; management-ops/utility-functions), in the `name(arg :: TYPE, ...) :: (field :: TYPE, ...)`
notation that `SHOW PROCEDURES` prints, and turned into the registry shape of
@neo4j-cypher/language-support by `procedure_registry()` / `function_registry()`.
tests/graph/test_neo4j_lint.py also checks them against the registry recorded from a real server
that ships with that package.
"""

from __future__ import annotations

import re

_CENTRALITY_WRITE = ("nodePropertiesWritten :: INTEGER, writeMillis :: INTEGER, centralityDistribution :: MAP, "
                     "postProcessingMillis :: INTEGER, preProcessingMillis :: INTEGER, computeMillis :: INTEGER, "
                     "configuration :: MAP")
_ITERATIVE_WRITE = ("writeMillis :: INTEGER, nodePropertiesWritten :: INTEGER, ranIterations :: INTEGER, "
                    "didConverge :: BOOLEAN, centralityDistribution :: MAP, postProcessingMillis :: INTEGER, "
                    "preProcessingMillis :: INTEGER, computeMillis :: INTEGER, configuration :: MAP")
_ALGO_ARGS = "graphName :: STRING, configuration = {} :: MAP"

PROCEDURES = [
    f"gds.pageRank.stream({_ALGO_ARGS}) :: (nodeId :: INTEGER, score :: FLOAT)",
    f"gds.pageRank.write({_ALGO_ARGS}) :: ({_ITERATIVE_WRITE})",
    f"gds.degree.stream({_ALGO_ARGS}) :: (nodeId :: INTEGER, score :: FLOAT)",
    f"gds.degree.write({_ALGO_ARGS}) :: ({_CENTRALITY_WRITE})",
    f"gds.betweenness.stream({_ALGO_ARGS}) :: (nodeId :: INTEGER, score :: FLOAT)",
    f"gds.betweenness.write({_ALGO_ARGS}) :: ({_CENTRALITY_WRITE})",
    f"gds.eigenvector.stream({_ALGO_ARGS}) :: (nodeId :: INTEGER, score :: FLOAT)",
    f"gds.eigenvector.write({_ALGO_ARGS}) :: ({_ITERATIVE_WRITE})",
    f"gds.closeness.stream({_ALGO_ARGS}) :: (nodeId :: INTEGER, score :: FLOAT)",
    f"gds.closeness.write({_ALGO_ARGS}) :: ({_CENTRALITY_WRITE})",
    f"gds.louvain.stream({_ALGO_ARGS}) :: (nodeId :: INTEGER, communityId :: INTEGER, "
    "intermediateCommunityIds :: LIST<INTEGER>)",
    f"gds.louvain.write({_ALGO_ARGS}) :: (writeMillis :: INTEGER, nodePropertiesWritten :: INTEGER, "
    "modularity :: FLOAT, modularities :: LIST<FLOAT>, ranLevels :: INTEGER, communityCount :: INTEGER, "
    "communityDistribution :: MAP, postProcessingMillis :: INTEGER, preProcessingMillis :: INTEGER, "
    "computeMillis :: INTEGER, configuration :: MAP)",
    f"gds.leiden.stream({_ALGO_ARGS}) :: (nodeId :: INTEGER, communityId :: INTEGER, "
    "intermediateCommunityIds :: LIST<INTEGER>)",
    f"gds.leiden.write({_ALGO_ARGS}) :: (writeMillis :: INTEGER, nodePropertiesWritten :: INTEGER, "
    "ranLevels :: INTEGER, didConverge :: BOOLEAN, nodeCount :: INTEGER, communityCount :: INTEGER, "
    "communityDistribution :: MAP, modularity :: FLOAT, modularities :: LIST<FLOAT>, postProcessingMillis :: INTEGER, "
    "preProcessingMillis :: INTEGER, computeMillis :: INTEGER, configuration :: MAP)",
    "gds.graph.drop(graphName :: ANY, failIfMissing = true :: BOOLEAN, dbName =  :: STRING, username =  :: STRING) :: "
    "(graphName :: STRING, database :: STRING, databaseLocation :: STRING, memoryUsage :: STRING, "
    "sizeInBytes :: INTEGER, nodeCount :: INTEGER, relationshipCount :: INTEGER, configuration :: MAP, "
    "density :: FLOAT, creationTime :: ZONED DATETIME, modificationTime :: ZONED DATETIME, schema :: MAP, "
    "schemaWithOrientation :: MAP)",
]

FUNCTIONS = [
    # the Cypher projection: an aggregation function
    ("gds.graph.project(graphName :: STRING, sourceNode :: ANY, targetNode = null :: ANY, dataConfig = null :: ANY, "
     "configuration = null :: ANY, alphaMigrationConfig = null :: ANY) :: MAP", True),
    ("gds.util.asNode(nodeId :: INTEGER | FLOAT) :: NODE", False),
    ("gds.version() :: STRING", False),
]

_SIG = re.compile(r"^(?P<name>[\w.]+)\((?P<args>.*?)\) :: (?P<ret>.+)$")


def _split(text: str) -> list[str]:
    """Split on commas that are not inside <...>."""
    parts, depth, cur = [], 0, ""
    for ch in text:
        if ch == "<":
            depth += 1
        elif ch == ">":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        parts.append(cur.strip())
    return parts


def _arg(text: str) -> dict:
    left, typ = text.rsplit(" :: ", 1)
    out = {"isDeprecated": False, "description": text, "type": typ}
    if "=" in left:
        name, default = left.split("=", 1)
        out["name"] = name.strip()
        out["default"] = f"DefaultParameterValue{{value={default.strip()}, type={typ}}}"
    else:
        out["name"] = left.strip()
    return out


def parse(signature: str) -> tuple[str, list[dict], str]:
    m = _SIG.match(signature)
    if not m:
        raise ValueError(f"not a signature: {signature}")
    args = [_arg(a) for a in _split(m.group("args"))]
    return m.group("name"), args, m.group("ret")


def procedure_registry() -> dict:
    entries = {}
    for sig in PROCEDURES:
        name, args, ret = parse(sig)
        fields = [{"isDeprecated": False, "description": f, "name": f.split(" :: ")[0], "type": f.split(" :: ")[1]}
                  for f in _split(ret.strip("()"))]
        entries[name] = {
            "name": name, "description": "", "mode": "READ" if name.endswith(".stream") else "WRITE",
            "worksOnSystem": False, "signature": sig, "argumentDescription": args, "returnDescription": fields,
            "admin": False, "isDeprecated": False, "deprecatedBy": None, "option": {"deprecated": False},
        }
    return {"CYPHER 5": entries}


def function_registry() -> dict:
    entries = {}
    for sig, aggregating in FUNCTIONS:
        name, args, ret = parse(sig)
        entries[name] = {
            "name": name, "category": "", "description": "", "signature": sig, "isBuiltIn": False,
            "argumentDescription": args, "returnDescription": ret, "aggregating": aggregating,
            "isDeprecated": False, "deprecatedBy": None,
        }
    return {"CYPHER 5": entries}
