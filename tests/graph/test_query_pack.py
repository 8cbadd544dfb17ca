"""The query pack: every query on LadybugDB with hand-worked answers, through Neo4j's linter, and the runner.

The graph is built with `load_graph` from tests/data/pack_fixture (tau = 0.6):

patents (pn, country, year, IPC, keywords, novelty)
  US10123456B2 US 2018 G06N3/08;G06F17/16  neural network, deep learning, training data  0.80
  US10234567B1 US 2019 G06N3/04            image processing, neural network             0.60
  CN110123456A CN 2019 G06N3/08;G06K9/62   speech recognition, neural network, method   0.50
  CN111234567A CN 2020 G06F17/16           method, matrix multiplication                0.40
  JP2019123456A JP 2019 G06N20/00          machine learning, method                     0.70
  EP3456789A1  EP 2020 G06N3/08            reinforcement learning, neural network       0.90
  CN112345678B CN 2020 G06K9/62            image processing, method                     0.30
  US10345678B2 US 2018 G06N5/04            knowledge graph, inference                   0.65
papers (paper_id, countries, year, keywords, novelty)
  101 US    2015 deep learning, image processing, neural network  0.9
  102 CN    2016 deep learning, speech recognition                0.7
  103 JP,CN 2017 reinforcement learning, deep learning            0.8
  104 DE    2016 knowledge graph, deep learning                   0.6
  105 CN    2018 matrix multiplication, neural network            0.5
  106 US    2019 deep learning, transfer learning                 0.4
SIMILAR_TO (score >= 0.6; 0.55, 0.59 and 0.40 are dropped; 0.60 is kept):
  103->EP3456789A1 .95 lag 3 | 101->US10234567B1 .92 lag 4 | 102->CN110123456A .88 lag 3
  101->US10123456B2 .85 lag 3 | 104->US10345678B2 .78 lag 2 | 105->CN111234567A .70 lag 2
  101->CN112345678B .65 lag 5 | 106->US10123456B2 .62 lag -1 | 106->JP2019123456A .61 lag 0
  104->JP2019123456A .60 lag 3
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import pandas as pd
import pytest

from innograph.errors import InnographError, WriteQueryError
from innograph.graph import query_pack
from innograph.graph.embedded import EmbeddedStore
from innograph.graph.query_pack import (
    QueryParamError, assert_read_only, bind_params, format_result, get_query, list_queries,
    parse_query, run_query,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/ holds the linter helper
from lintcypher import lint_cypher  # noqa: E402

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "pack_fixture"

# Every pack query, with (parameters, expected rows in column order). Floats compare to 1e-9;
# None stands for a missing value. The numbers are worked out by hand from the table above.
CASES: dict[str, list[tuple[dict, list[tuple]]]] = {
    "top_pairs": [
        ({"limit": "3"}, [
            ("103", "Reinforcement learning for robot control", 2017, "EP3456789A1",
             "Reinforcement learning control", 2020, 0.95, 3),
            ("101", "Deep learning for image recognition", 2015, "US10234567B1",
             "Image processing with convolutional networks", 2019, 0.92, 4),
            ("102", "Speech recognition with recurrent networks", 2016, "CN110123456A",
             "Method for speech recognition", 2019, 0.88, 3),
        ]),
    ],
    "pairs_by_lag": [
        ({}, [(3, 3, (0.95 + 0.88 + 0.85) / 3, 0.95), (4, 1, 0.92, 0.92)]),  # default min_score 0.8
        ({"min_score": "0.6"}, [
            (-1, 1, 0.62, 0.62), (0, 1, 0.61, 0.61), (2, 2, 0.74, 0.78),
            (3, 4, (0.95 + 0.88 + 0.85 + 0.60) / 4, 0.95), (4, 1, 0.92, 0.92), (5, 1, 0.65, 0.65),
        ]),
    ],
    "lag_distribution": [
        ({}, [(-1, 1, 0.1), (0, 1, 0.1), (2, 2, 0.2), (3, 4, 0.4), (4, 1, 0.1), (5, 1, 0.1)]),
        # papers of 2016-2017: 102 (lag 3), 103 (lag 3), 104 (lags 2 and 3)
        ({"from_year": "2016", "to_year": "2017"}, [(2, 1, 0.25), (3, 3, 0.75)]),
    ],
    "top_linked_papers": [
        ({"limit": "4"}, [
            ("101", "Deep learning for image recognition", 2015, 500, 3, 0.92, (0.92 + 0.85 + 0.65) / 3),
            ("104", "Knowledge graph embedding", 2016, 45, 2, 0.78, 0.69),
            ("106", "A survey of deep transfer learning", 2019, 12, 2, 0.62, 0.615),
            ("103", "Reinforcement learning for robot control", 2017, 80, 1, 0.95, 0.95),
        ]),
        ({"min_score": "0.8"}, [
            ("101", "Deep learning for image recognition", 2015, 500, 2, 0.92, 0.885),
            ("103", "Reinforcement learning for robot control", 2017, 80, 1, 0.95, 0.95),
            ("102", "Speech recognition with recurrent networks", 2016, 120, 1, 0.88, 0.88),
        ]),
    ],
    "top_linked_patents": [
        ({"limit": "3"}, [
            ("US10123456B2", "Neural network training method", 2018, "US", 2, 0.85, 0.735),
            ("JP2019123456A", "Machine learning device", 2019, "JP", 2, 0.61, 0.605),
            ("EP3456789A1", "Reinforcement learning control", 2020, "EP", 1, 0.95, 0.95),
        ]),
    ],
    "country_ranking": [
        ({}, [
            ("CN", "China", 3, 3, 0.4, 2.0 / 3, 3.2 / 6),
            ("US", "United States", 3, 2, 2.05 / 3, 0.65, 0.67),
            ("JP", "Japan", 1, 1, 0.7, 0.8, 0.75),
            ("EP", "European Patent Office", 1, 0, 0.9, None, 0.9),
            ("DE", "Germany", 0, 1, None, 0.6, 0.6),
        ]),
        ({"order_by": "novelty", "limit": "3"}, [
            ("EP", "European Patent Office", 1, 0, 0.9, None, 0.9),
            ("JP", "Japan", 1, 1, 0.7, 0.8, 0.75),
            ("US", "United States", 3, 2, 2.05 / 3, 0.65, 0.67),
        ]),
        ({"order_by": "papers", "limit": "2"}, [
            ("CN", "China", 3, 3, 0.4, 2.0 / 3, 3.2 / 6),
            ("US", "United States", 3, 2, 2.05 / 3, 0.65, 0.67),
        ]),
    ],
    "documents_by_year_country": [
        ({}, [
            (2015, "US", 0, 1), (2016, "CN", 0, 1), (2016, "DE", 0, 1), (2017, "CN", 0, 1),
            (2017, "JP", 0, 1), (2018, "CN", 0, 1), (2018, "US", 2, 0), (2019, "CN", 1, 0),
            (2019, "JP", 1, 0), (2019, "US", 1, 1), (2020, "CN", 2, 0), (2020, "EP", 1, 0),
        ]),
        ({"country": "CN", "from_year": "2017"}, [(2017, "CN", 0, 1), (2018, "CN", 0, 1), (2019, "CN", 1, 0), (2020, "CN", 2, 0)]),
    ],
    "novelty_by_year": [
        ({}, [
            (2015, 0, 1, None, 0.9), (2016, 0, 2, None, 0.65), (2017, 0, 1, None, 0.8),
            (2018, 2, 1, 0.725, 0.5), (2019, 3, 1, 0.6, 0.4), (2020, 3, 0, 1.6 / 3, None),
        ]),
        ({"from_year": "2019", "to_year": "2019"}, [(2019, 3, 1, 0.6, 0.4)]),
    ],
    "novelty_by_year_country": [
        ({"country": "US"}, [(2015, "US", 0, 1, None, 0.9), (2018, "US", 2, 0, 0.725, None), (2019, "US", 1, 1, 0.6, 0.4)]),
        ({"from_year": "2020"}, [(2020, "CN", 2, 0, 0.35, None), (2020, "EP", 1, 0, 0.9, None)]),
    ],
    "keyword_trends": [
        ({"keywords": "deep learning, neural network"}, [
            ("deep learning", 2015, 0, 1), ("deep learning", 2016, 0, 2), ("deep learning", 2017, 0, 1),
            ("deep learning", 2018, 1, 0), ("deep learning", 2019, 0, 1),
            ("neural network", 2015, 0, 1), ("neural network", 2018, 1, 1), ("neural network", 2019, 2, 0),
            ("neural network", 2020, 1, 0),
        ]),
        # "Image  Processing" in the patent file is normalised to "image processing" by the loader
        ({"keywords": '["image processing"]', "from_year": "2016"}, [("image processing", 2019, 1, 0), ("image processing", 2020, 1, 0)]),
        ({"to_year": "2015"}, [("deep learning", 2015, 0, 1), ("image processing", 2015, 0, 1), ("neural network", 2015, 0, 1)]),
    ],
    "keyword_contrast": [
        # shares: 8 patents, 6 papers
        ({"limit": "3"}, [
            ("deep learning", 1, 5, 1 / 8, 5 / 6, 5 / 6 - 1 / 8),
            ("transfer learning", 0, 1, 0.0, 1 / 6, 1 / 6),
            ("knowledge graph", 1, 1, 1 / 8, 1 / 6, 1 / 6 - 1 / 8),
        ]),
        ({"lean": "patent", "limit": "4"}, [
            ("method", 4, 0, 0.5, 0.0, -0.5),
            ("neural network", 4, 2, 0.5, 2 / 6, 2 / 6 - 0.5),
            ("inference", 1, 0, 1 / 8, 0.0, -1 / 8),
            ("machine learning", 1, 0, 1 / 8, 0.0, -1 / 8),
        ]),
        ({"min_documents": "4"}, [  # deep learning and neural network on 6 documents, method on 4
            ("deep learning", 1, 5, 1 / 8, 5 / 6, 5 / 6 - 1 / 8),
            ("neural network", 4, 2, 0.5, 2 / 6, 2 / 6 - 0.5),
            ("method", 4, 0, 0.5, 0.0, -0.5),
        ]),
    ],
    "keyword_cooccurrence": [
        ({"limit": "3"}, [
            ("deep learning", "neural network", 2, 1, 1),
            ("image processing", "neural network", 2, 1, 1),
            ("deep learning", "image processing", 1, 0, 1),
        ]),
        ({"keyword": "method"}, [
            ("image processing", "method", 1, 1, 0), ("machine learning", "method", 1, 1, 0),
            ("matrix multiplication", "method", 1, 1, 0), ("method", "neural network", 1, 1, 0),
            ("method", "speech recognition", 1, 1, 0),
        ]),
        ({"min_documents": "2"}, [("deep learning", "neural network", 2, 1, 1), ("image processing", "neural network", 2, 1, 1)]),
    ],
    "ipc_subclass_distribution": [
        ({}, [
            ("G06N", "Computing arrangements based on specific computational models", 6, 0.75),
            ("G06F", "Electric digital data processing", 2, 0.25),
            ("G06K", "Graphical data reading; presentation of data; record carriers", 2, 0.25),
        ]),
        ({"country": "CN"}, [
            ("G06K", "Graphical data reading; presentation of data; record carriers", 2, 2 / 3),
            ("G06F", "Electric digital data processing", 1, 1 / 3),
            ("G06N", "Computing arrangements based on specific computational models", 1, 1 / 3),
        ]),
    ],
    "country_subclass_profile": [
        ({}, [
            ("CN", "G06K", 2), ("CN", "G06F", 1), ("CN", "G06N", 1), ("EP", "G06N", 1),
            ("JP", "G06N", 1), ("US", "G06N", 3), ("US", "G06F", 1),
        ]),
        ({"min_patents": "2"}, [("CN", "G06K", 2), ("US", "G06N", 3)]),
    ],
    "country_transfer": [
        # paper 103 has authors in JP and CN, so its pair counts for both
        ({}, [
            ("US", "US", 3, (0.92 + 0.85 + 0.62) / 3), ("CN", "CN", 2, 0.79), ("CN", "EP", 1, 0.95),
            ("DE", "JP", 1, 0.60), ("DE", "US", 1, 0.78), ("JP", "EP", 1, 0.95),
            ("US", "CN", 1, 0.65), ("US", "JP", 1, 0.61),
        ]),
        ({"min_score": "0.8", "limit": "2"}, [("US", "US", 2, 0.885), ("CN", "CN", 1, 0.88)]),
    ],
    "transfer_keywords": [
        ({}, [
            ("neural network", 2, 0.885), ("image processing", 2, 0.785), ("deep learning", 2, 0.735),
            ("reinforcement learning", 1, 0.95), ("speech recognition", 1, 0.88),
            ("knowledge graph", 1, 0.78), ("matrix multiplication", 1, 0.70),
        ]),
        ({"min_score": "0.9"}, [("reinforcement learning", 1, 0.95), ("image processing", 1, 0.92), ("neural network", 1, 0.92)]),
    ],
    "document_neighbourhood": [
        # UNION ALL parts have no common order: compared sorted
        ({"key": "US10123456B2"}, sorted([
            ("patent", "keyword", "neural network", None, 1, None),
            ("patent", "keyword", "deep learning", None, 2, None),
            ("patent", "keyword", "training data", None, 3, None),
            ("patent", "ipc", "G06N3/08", "subgroup", None, None),
            ("patent", "ipc", "G06F17/16", "subgroup", None, None),
            ("patent", "country", "US", "United States", None, None),
            ("patent", "similar_paper", "101", "Deep learning for image recognition", None, 0.85),
            ("patent", "similar_paper", "106", "A survey of deep transfer learning", None, 0.62),
        ], key=repr)),
        ({"key": "103"}, sorted([
            ("paper", "keyword", "reinforcement learning", None, 1, None),
            ("paper", "keyword", "deep learning", None, 2, None),
            ("paper", "country", "JP", "Japan", None, None),
            ("paper", "country", "CN", "China", None, None),
            ("paper", "similar_patent", "EP3456789A1", "Reinforcement learning control", None, 0.95),
        ], key=repr)),
        ({"key": "JP2019123456A"}, sorted([
            ("patent", "keyword", "machine learning", None, 1, None),
            ("patent", "keyword", "method", None, 2, None),
            ("patent", "ipc", "G06N20/00", "group", None, None),
            ("patent", "country", "JP", "Japan", None, None),
            ("patent", "similar_paper", "104", "Knowledge graph embedding", None, 0.60),
            ("patent", "similar_paper", "106", "A survey of deep transfer learning", None, 0.61),
        ], key=repr)),
        ({"key": "no-such-document"}, []),
    ],
    "search_titles": [
        ({"text": "LEARNING"}, [
            ("patent", "EP3456789A1", "Reinforcement learning control", 2020, 0.9),
            ("paper", "106", "A survey of deep transfer learning", 2019, 0.4),
            ("patent", "JP2019123456A", "Machine learning device", 2019, 0.7),
            ("paper", "103", "Reinforcement learning for robot control", 2017, 0.8),
            ("paper", "101", "Deep learning for image recognition", 2015, 0.9),
        ]),
        ({"text": "method", "kind": "patent"}, [
            ("patent", "CN112345678B", "Image classification method", 2020, 0.3),
            ("patent", "CN110123456A", "Method for speech recognition", 2019, 0.5),
            ("patent", "US10123456B2", "Neural network training method", 2018, 0.8),
        ]),
        ({"text": "method", "kind": "paper"}, []),
    ],
    "keyword_documents": [
        ({"keyword": "neural network"}, [
            ("patent", "EP3456789A1", "Reinforcement learning control", 2020, 2),
            ("patent", "CN110123456A", "Method for speech recognition", 2019, 2),
            ("patent", "US10234567B1", "Image processing with convolutional networks", 2019, 2),
            ("paper", "105", "Fast matrix multiplication for neural networks", 2018, 2),
            ("patent", "US10123456B2", "Neural network training method", 2018, 1),
            ("paper", "101", "Deep learning for image recognition", 2015, 3),
        ]),
    ],
    "most_novel": [
        ({"limit": "4"}, [
            ("paper", "101", "Deep learning for image recognition", 2015, 0.9),
            ("patent", "EP3456789A1", "Reinforcement learning control", 2020, 0.9),
            ("paper", "103", "Reinforcement learning for robot control", 2017, 0.8),
            ("patent", "US10123456B2", "Neural network training method", 2018, 0.8),
        ]),
        ({"kind": "patent", "from_year": "2019", "limit": "2"}, [
            ("patent", "EP3456789A1", "Reinforcement learning control", 2020, 0.9),
            ("patent", "JP2019123456A", "Machine learning device", 2019, 0.7),
        ]),
    ],
    "ai_share_by_year": [
        # every DeepInnovationAI record is AI
        ({}, [
            (2015, 0, 0, None, 1, 1, 1.0), (2016, 0, 0, None, 2, 2, 1.0), (2017, 0, 0, None, 1, 1, 1.0),
            (2018, 2, 2, 1.0, 1, 1, 1.0), (2019, 3, 3, 1.0, 1, 1, 1.0), (2020, 3, 3, 1.0, 0, 0, None),
        ]),
    ],
}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    from innograph.graph.load import LoadConfig, load_graph

    db = tmp_path_factory.mktemp("pack") / "graph"
    summary = load_graph(
        db, patents=FIXTURE / "DeepPatentAI.csv", papers=FIXTURE / "DeepDiveAI.csv",
        pairs=FIXTURE / "DeepCosineAI.csv", tau=0.6, config=LoadConfig(progress=False),
    )
    assert summary.nodes["Patent"] == 8 and summary.nodes["Paper"] == 6
    assert summary.relationships["SIMILAR_TO"] == 10
    with EmbeddedStore(db, read_only=True) as s:
        yield s


def _value(v):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if hasattr(v, "item"):
        v = v.item()
    if isinstance(v, float):
        if v.is_integer() and abs(v) < 1e6:
            return v  # compared with ints by ==
        return round(v, 9)
    return v


def _rows(df: pd.DataFrame) -> list[tuple]:
    return [tuple(_value(v) for v in row) for row in df.itertuples(index=False, name=None)]


def _norm(rows: list[tuple]) -> list[tuple]:
    return [tuple(round(v, 9) if isinstance(v, float) else v for v in row) for row in rows]


ALL_CASES = [(name, i, params, rows) for name, cases in CASES.items() for i, (params, rows) in enumerate(cases)]


def test_every_pack_query_has_hand_worked_cases():
    names = {s.name for s in list_queries()}
    assert len(names) >= 14
    assert names == set(CASES), f"queries without cases: {names - set(CASES)}; cases without query: {set(CASES) - names}"


@pytest.mark.parametrize("name,i,params,expected", ALL_CASES, ids=[f"{c[0]}-{c[1]}" for c in ALL_CASES])
def test_pack_query_answers(store, name, i, params, expected):
    spec = get_query(name)
    df = run_query(store, spec, params)
    if spec.returns:  # the header lists the columns in order
        declared = [c.strip().split(" ")[0] for c in _split_top(spec.returns)]
        assert list(df.columns) == declared
    got = _rows(df)
    if name == "document_neighbourhood":
        got = sorted(got, key=repr)
    assert got == _norm(expected)


def _split_top(text: str) -> list[str]:
    """Split 'a, b (x, y), c' at top-level commas."""
    out, depth, cur = [], 0, ""
    for ch in text:
        depth += ch == "("
        depth -= ch == ")"
        if ch == "," and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    return [c for c in out + [cur] if c.strip()]


def test_top_pairs_min_score_and_the_tau_edge(store):
    keys = [(r.paper_id, r.pn) for r in run_query(store, get_query("top_pairs"), {"min_score": "0.62"}).itertuples()]
    assert len(keys) == 8 and ("106", "US10123456B2") in keys and ("106", "JP2019123456A") not in keys
    every = run_query(store, get_query("top_pairs"), {"limit": 100})
    assert len(every) == 10 and every.score.min() == pytest.approx(0.60)  # 0.60 == tau is kept, 0.59 is not


def test_limit_given_as_string_reaches_the_engine_as_an_integer(store):
    bound = bind_params(get_query("top_pairs"), {"limit": "2"})
    assert bound["limit"] == 2 and isinstance(bound["limit"], int)
    with pytest.raises(RuntimeError, match="integer"):  # why: LadybugDB refuses LIMIT '2' and LIMIT 2.0
        store.execute(get_query("top_pairs").text, {"limit": "2", "min_score": 0.0})


# -- Neo4j's linter --------------------------------------------------------------------------
def _sample_params(spec):
    return {p.name: ("x" if p.type == "str" else 1) if p.required else p.default for p in spec.params}


def test_every_pack_query_passes_the_neo4j_linter():
    specs = list_queries()
    results = lint_cypher([(s.name, s.text, _sample_params(s)) for s in specs])
    problems = "\n".join(r.describe(severity=2) for r in results if r.diagnostics)
    assert not problems, problems  # no errors and no warnings (unknown labels, properties, directions)


def test_linter_fails_broken_and_engine_specific_statements():
    results = lint_cypher([
        ("syntax", "MATCH (n:Patent RETURN n", {}),
        ("ladybug_label", "MATCH (n:Patent) RETURN label(n) AS l", {}),
        ("apoc", "MATCH (n:Patent) RETURN apoc.text.clean(n.title) AS t", {}),
        ("undeclared_param", "MATCH (n:Patent) RETURN n.pn LIMIT $limit", {}),
        ("implicit_grouping", "MATCH (p:Patent) WITH count(p) AS total MATCH (p:Patent) RETURN 1.0 * count(p) / total AS s", {}),
        ("ok", "MATCH (n:Patent) RETURN n.pn LIMIT $limit", {"limit": 5}),
    ])
    by_name = {r.name: r for r in results}
    for name in ("syntax", "ladybug_label", "apoc", "undeclared_param", "implicit_grouping"):
        assert by_name[name].errors, f"{name} should fail the linter"
    assert "label" in by_name["ladybug_label"].errors[0]["message"]
    assert "$limit" in by_name["undeclared_param"].errors[0]["message"]
    assert by_name["ok"].diagnostics == []


def test_linter_passes_extra_schema_and_procedures_through():
    # how the Neo4j backend will check CALLs: a procedures registry ("mock" = the package's recorded one)
    results = lint_cypher(
        [("known", "CALL db.labels() YIELD label RETURN label"), ("unknown", "CALL db.noSuchThing() YIELD x RETURN x")],
        procedures="mock",
    )
    assert results[0].errors == [] and results[1].errors
    # a per-statement dbSchema key reaches the linter: with no labels known, :Patent is a warning
    [r] = lint_cypher([{"name": "x", "query": "MATCH (n:Patent) RETURN n", "dbSchema": {"labels": ["Other"]}}])
    assert r.errors == [] and any("Patent" in d["message"] for d in r.warnings)


# -- read-only check -------------------------------------------------------------------------
@pytest.mark.parametrize("cypher,word", [
    ("CREATE (:Country {code: 'XX', name: 'X'})", "CREATE"),
    ("MERGE (c:Country {code: 'XX'}) RETURN c", "MERGE"),
    ("MATCH (c:Country) SET c.name = 'x'", "SET"),
    ("MATCH (c:Country) DELETE c", "DELETE"),
    ("MATCH (c:Country) DETACH DELETE c", "DETACH"),
    ("MATCH (c:Country) REMOVE c.name", "REMOVE"),
    ("DROP TABLE Country", "DROP"),
    ("COPY Country FROM 'c.csv'", "COPY"),
    ("ALTER TABLE Country ADD x INT64", "ALTER"),
    ("LOAD CSV FROM 'file:///x.csv' AS row RETURN row", "LOAD"),
    ("LOAD FROM '/etc/passwd' RETURN *", "LOAD"),
    ("INSTALL fts", "INSTALL"),
    ("ATTACH 'other.lbug' AS o", "ATTACH"),
    ("MATCH (c:Country) FOREACH (x IN [1] | SET c.name = 'y')", "FOREACH"),
    ("match (c:Country) return c;\ncreate (:Country {code: 'YY'})", "CREATE"),
    ("MATCH (c) CALL { WITH c DELETE c } RETURN 1", "DELETE"),
])
def test_write_statements_are_refused(cypher, word):
    with pytest.raises(WriteQueryError) as info:
        assert_read_only(cypher)
    msg = str(info.value)
    assert word in msg and "read-only" in msg and msg.endswith(".") and "\n" not in msg


@pytest.mark.parametrize("cypher", [
    "CALL apoc.create.node(['X'], {}) YIELD node RETURN node",
    "CALL db.createIndex('i', ['Patent'], ['pn'], 'range')",
    "CALL gds.pageRank.write('g', {writeProperty: 'pr'})",
    "CALL threads = 1",
])
def test_procedures_not_known_to_be_read_only_are_refused(cypher):
    with pytest.raises(WriteQueryError, match="not a procedure known to be read-only"):
        assert_read_only(cypher)


@pytest.mark.parametrize("cypher", [
    "MATCH (p:Patent) WHERE p.title CONTAINS 'CREATE a DELETE' RETURN p.pn",
    'MATCH (p:Patent) WHERE p.title = "drop table; set x" RETURN p.pn',
    "MATCH (p:Patent) WHERE p.title = 'it\\'s a MERGE' RETURN p.pn",
    "// this comment says DELETE everything\nMATCH (p:Patent) RETURN p.pn /* SET, REMOVE */",
    "MATCH (p:Patent) RETURN p.pn AS `DELETE`",
    "MATCH (p:Patent) RETURN {create: 1, set: 2} AS m",
    "MATCH (k:Keyword) WHERE k.name STARTS WITH $set RETURN k.name",
    "CALL db.labels() YIELD label RETURN label",
    "CALL show_tables() RETURN *",
    "CALL gds.pageRank.stream('g') YIELD nodeId, score RETURN nodeId, score",
])
def test_read_statements_are_allowed(cypher):
    assert_read_only(cypher)


def test_every_pack_query_is_read_only():
    for spec in list_queries():
        assert_read_only(spec.text, spec.name)


def test_run_query_refuses_writes_and_runs_adhoc_files(store, tmp_path):
    with pytest.raises(WriteQueryError):
        run_query(store, "MATCH (c:Country) SET c.name = 'x' RETURN c")
    with pytest.raises(WriteQueryError, match="bad.cypher"):
        path = tmp_path / "bad.cypher"
        path.write_text("MATCH (c:Country) DETACH DELETE c\n")
        run_query(store, path)
    assert store.node_counts()["Country"] == 5
    # a header-less file: parameters pass as given, or typed with name:type
    path = tmp_path / "by_year.cypher"
    path.write_text("// patents of one year\nMATCH (p:Patent) WHERE p.year = $year RETURN count(*) AS n\n")
    assert run_query(store, path, {"year:int": "2019"}).n.tolist() == [3]
    assert run_query(store, path, {"year": 2020}).n.tolist() == [3]
    # a file with a header binds like a pack query
    path.write_text("// name: by_year\n// purpose: Patents of one year.\n// param: year int = 2018\n"
                    "MATCH (p:Patent) WHERE p.year = $year RETURN count(*) AS n\n")
    assert run_query(store, path).n.tolist() == [2]
    assert run_query(store, path, {"year": "2019"}).n.tolist() == [3]


# -- parameters and headers ------------------------------------------------------------------
def _spec(params: str, body: str) -> query_pack.QuerySpec:
    return parse_query(f"// name: t\n// purpose: A test.\n{params}\n{body}")


def test_bind_params_parses_each_type_from_strings():
    spec = _spec(
        "// param: n int = 5\n// param: x float = 0.5\n// param: s str = ''\n// param: b bool = false\n"
        "// param: ks list[str] = []\n// param: side str in (a, b) = a",
        "RETURN $n, $x, $s, $b, $ks, $side",
    )
    assert bind_params(spec, {}) == {"n": 5, "x": 0.5, "s": "", "b": False, "ks": [], "side": "a"}
    got = bind_params(spec, {"n": "-3", "x": "1e-2", "s": " a b ", "b": "YES", "ks": "deep learning, ai ,", "side": "b"})
    assert got == {"n": -3, "x": 0.01, "s": " a b ", "b": True, "ks": ["deep learning", "ai"], "side": "b"}
    assert bind_params(spec, {"ks": '["a, b", "c"]'})["ks"] == ["a, b", "c"]
    assert bind_params(spec, {"n": 7, "x": 2, "ks": ("q",)}) == {**bind_params(spec, {}), "n": 7, "x": 2.0, "ks": ["q"]}


@pytest.mark.parametrize("overrides,pattern", [
    ({"lmit": "3"}, r"top_pairs has no parameter 'lmit'; its parameters are: limit \(int, default 20\); min_score"),
    ({"limit": "ten"}, r"limit of query top_pairs must be an int: 'ten' is not a whole number"),
    ({"limit": "2.5"}, r"must be an int"),
    ({"limit": 2.5}, r"must be an int"),
    ({"limit": True}, r"must be an int"),
    ({"min_score": "high"}, r"min_score of query top_pairs must be a float"),
    ({"min_score": "inf"}, r"not a finite number"),
    ({"limit:float": "3"}, r"limit of query top_pairs is an int, not a float"),
    ({"limit:decimal": "3"}, r"names the type 'decimal'"),
])
def test_bind_params_errors(overrides, pattern):
    with pytest.raises(QueryParamError, match=pattern):
        bind_params(get_query("top_pairs"), overrides)


def test_bind_params_required_choices_and_bool():
    with pytest.raises(QueryParamError, match="document_neighbourhood needs a value for its parameter key"):
        bind_params(get_query("document_neighbourhood"), {})
    with pytest.raises(QueryParamError, match="lean of query keyword_contrast must be one of paper, patent"):
        bind_params(get_query("keyword_contrast"), {"lean": "both"})
    spec = _spec("// param: b bool = true", "RETURN $b")
    with pytest.raises(QueryParamError, match="must be a bool: 'maybe' is not true or false"):
        bind_params(spec, {"b": "maybe"})
    spec = _spec("// param: ks list[str] = []", "RETURN $ks")
    with pytest.raises(QueryParamError, match="not a list of strings"):
        bind_params(spec, {"ks": "[1, 2]"})


def test_adhoc_parameters_must_match_the_text():
    spec = parse_query("MATCH (p:Patent) WHERE p.year = $year RETURN p.pn  // $ignored in a comment", name="adhoc1")
    assert spec.adhoc and spec.name == "adhoc1"
    with pytest.raises(QueryParamError, match=r"adhoc1 needs a value for \$year"):
        bind_params(spec, {})
    with pytest.raises(QueryParamError, match="adhoc1 has no parameter ignored"):
        bind_params(spec, {"year": "1", "ignored": "2"})


@pytest.mark.parametrize("text,pattern", [
    ("// purpose: no name\nRETURN 1", "exactly one `// name:`"),
    ("// name: Bad-Name\n// purpose: x\nRETURN 1", "lower_snake_case"),
    ("// name: t\nRETURN 1", "purpose"),
    ("// name: t\n// purpose: x\nRETURN $n", r"uses \$n without a `// param:` line"),
    ("// name: t\n// purpose: x\n// param: n int = 1\nRETURN 1", "declares n but its Cypher never uses it"),
    ("// name: t\n// purpose: x\n// param: n integer = 1\nRETURN $n", "malformed parameter line"),
    ("// name: t\n// purpose: x\n// param: n int = one\nRETURN $n", "default of n is not a valid int"),
    ("// name: t\n// purpose: x\n// param: n int = 1\n// param: n int = 2\nRETURN $n", "twice"),
    ("// name: t\n// purpose: x\n// param: s str in (a, b) = c\nRETURN $s", "not one of a, b"),
])
def test_malformed_headers_are_errors(text, pattern):
    with pytest.raises(InnographError, match=pattern):
        parse_query(text, require_header=True)


def test_header_fields_and_continuation_lines():
    spec = get_query("document_neighbourhood")
    assert spec.path.name == "document_neighbourhood.cypher"
    assert spec.purpose.startswith("Everything one patent or paper")
    assert spec.returns.endswith("score (similarity)")  # continued on a second `//   ` line
    [key] = spec.params
    assert key.required and key.type == "str" and "paper id" in key.help


def test_pack_dir_override_and_errors(tmp_path, monkeypatch):
    (tmp_path / "one.cypher").write_text("// name: one\n// purpose: One.\nRETURN 1 AS x\n")
    monkeypatch.setenv("INNOGRAPH_QUERIES", str(tmp_path))
    assert [s.name for s in list_queries()] == ["one"]
    with pytest.raises(InnographError, match="no query named 'two'.*one"):
        get_query("two")
    (tmp_path / "again.cypher").write_text("// name: one\n// purpose: Again.\nRETURN 2 AS x\n")
    with pytest.raises(InnographError, match="Two pack files declare the query name 'one'"):
        list_queries()
    monkeypatch.setenv("INNOGRAPH_QUERIES", str(tmp_path / "missing"))
    with pytest.raises(InnographError, match="set INNOGRAPH_QUERIES"):
        list_queries()
    monkeypatch.delenv("INNOGRAPH_QUERIES")
    assert query_pack.find_pack_dir() == Path(query_pack.__file__).resolve().parents[2] / "queries"


# -- output ----------------------------------------------------------------------------------
def test_format_result():
    df = pd.DataFrame({"k": ["a", "b"], "n": [1, 2], "x": [0.5, float("nan")], "l": [["p", "q"], []]})
    assert format_result(df, "csv").splitlines() == ["k,n,x,l", "a,1,0.5,\"['p', 'q']\"", "b,2,,[]"]
    assert json.loads(format_result(df, "json")) == [
        {"k": "a", "n": 1, "x": 0.5, "l": ["p", "q"]}, {"k": "b", "n": 2, "x": None, "l": []},
    ]
    table = format_result(df, "table").splitlines()
    assert table[0].split() == ["k", "n", "x", "l"] and table[1].split()[:3] == ["a", "1", "0.5"]
    assert "nan" not in format_result(df, "table").lower()
    assert "(no rows)" in format_result(df.iloc[0:0], "table")
    with pytest.raises(InnographError, match="table, csv, json"):
        format_result(df, "xml")
