"""The canonical documents table: schema from the dataclass, ids, field helpers, merge rules."""

import dataclasses

import pyarrow as pa
import pytest

from innograph.ingest.documents import (
    DOCUMENT_SCHEMA,
    Document,
    documents_to_table,
    match_keys,
    merge_records,
    normalize_arxiv_id,
    paper_ids,
    parse_date,
    patent_id,
    patent_key,
    split_names,
    unwrap_quotes,
)


def test_schema_is_derived_from_the_dataclass():
    assert DOCUMENT_SCHEMA.names == [f.name for f in dataclasses.fields(Document)]
    assert DOCUMENT_SCHEMA.field("ipc").type == pa.list_(pa.string())
    assert DOCUMENT_SCHEMA.field("year").type == pa.int64() and DOCUMENT_SCHEMA.field("year").nullable
    assert DOCUMENT_SCHEMA.field("has_g06n").type == pa.bool_()
    assert not DOCUMENT_SCHEMA.field("id").nullable and not DOCUMENT_SCHEMA.field("line").nullable


def test_documents_to_table_round_trip():
    docs = [Document(kind="patent", id="US5535303", ipc=["G06N3/08"], year=1996, line=2, source="x"),
            Document(kind="paper", id="10.1/a", alt_ids=["arXiv:0704.0001"], line=3)]
    table = documents_to_table(docs)
    assert table.schema == DOCUMENT_SCHEMA
    rows = table.to_pylist()
    assert rows[0]["ipc"] == ["G06N3/08"] and rows[0]["year"] == 1996 and rows[1]["year"] is None
    assert rows[1]["alt_ids"] == ["arXiv:0704.0001"] and rows[1]["cpc"] == []


@pytest.mark.parametrize("args, expected", [
    (("US-2015112182-A1",), ("US2015112182A1", "A1")),
    (("us 2015112182 a1",), ("US2015112182A1", "A1")),
    (("US 2015/0112182 A1",), ("US2015112182A1", "A1")),  # 11-digit pre-grant number -> 10 digits
    (("20010000044", "US", "A1"), ("US2001000044A1", "A1")),  # USPTO XML doc-number + kind
    (("06859910", "US", "B2"), ("US6859910B2", "B2")),  # leading zeros of US numbers dropped
    (("5535303", "US"), ("US5535303", None)),  # PatentsView: no office, no kind
    (("RE36823", "US"), ("USRE36823", None)),  # not Reunion
    (("D349814", "US"), ("USD349814", None)),
    (("H002215", "US"), ("USH2215", None)),
    (("D707018", "US", "S"), ("USD707018S", "S")),
    (("JP-H10289006-A",), ("JPH10289006A", "A")),
    (("SG-11201601799V-A",), ("SG11201601799VA", "A")),  # letters inside the number
    (("IN-2014DN09120-A",), ("IN2014DN09120A", "A")),
    (("EP-4119596-A4",), ("EP4119596A4", "A4")),
    (("XX-123-A",), None),  # unknown office
    (("",), None),
    (("not a number",), None),
])
def test_patent_id(args, expected):
    assert patent_id(*args) == expected


def test_patent_key_drops_the_kind_code_only():
    assert patent_key("US5535303A", "A") == "US5535303"
    assert patent_key("US5535303", None) == "US5535303"
    assert patent_key("SG11201601799VA", "A") == "SG11201601799V"
    assert match_keys("patent", "US10000000B2", "B2", []) == match_keys("patent", "US10000000", None, [])
    assert match_keys("paper", "10.1/x", None, ["arXiv:0704.0001", "W1"]) == [
        "paper|10.1/x", "paper|arXiv:0704.0001", "paper|W1"]


@pytest.mark.parametrize("raw, expected", [
    ("0704.0001", "0704.0001"), ("arXiv:0704.0001v2", "0704.0001"), ("704.0001", "0704.0001"),
    ("704.2", "0704.2000"),  # a spreadsheet dropped the zeros
    ("1501.0001", "1501.00010"),  # 5-digit numbers from 2015 on
    ("2301.12345", "2301.12345"), ("hep-th/9901001v1", "hep-th/9901001"),
    ("math.GT/0309136", "math.GT/0309136"), ("https://arxiv.org/abs/1706.03762", "1706.03762"),
    ("1313.0001", None), ("0704.123456", None), ("foo", None),
])
def test_normalize_arxiv_id(raw, expected):
    assert normalize_arxiv_id(raw) == expected


def test_paper_id_rule():
    assert paper_ids("10.1/x", "0704.0001", "123", "W9") == ("10.1/x", ["arXiv:0704.0001", "s2:123", "W9"])
    assert paper_ids(None, "0704.0001", "123") == ("arXiv:0704.0001", ["s2:123"])
    assert paper_ids(None, None, None, "W9") == ("W9", [])
    assert paper_ids() is None


@pytest.mark.parametrize("raw, expected", [
    ("1996-07-09", (1996, "1996-07-09")), ("20150106", (2015, "2015-01-06")),
    ("20101100", (2010, None)), (1975, (1975, None)), ("2007", (2007, None)),
    ("2021-13-45", (None, None)), ("1700-01-01", (None, None)), ("soon", (None, None)), (None, (None, None)),
])
def test_parse_date(raw, expected):
    assert parse_date(raw) == expected


def test_split_names_keeps_company_suffixes():
    assert split_names("Samsung Electronics Co., Ltd., Sony Corp") == ["Samsung Electronics Co., Ltd.", "Sony Corp"]
    assert split_names("TORAY KP FILMS INC,TORAY INDUSTRIES") == ["TORAY KP FILMS INC", "TORAY INDUSTRIES"]
    assert split_names("John Smith, Jr., Ann Lee") == ["John Smith, Jr.", "Ann Lee"]
    assert split_names("") == [] and split_names(None) == []


def test_unwrap_quotes():
    assert unwrap_quotes('"""Barometer"" neuron for a neural network"') == '"Barometer" neuron for a neural network'
    assert unwrap_quotes('" A ""B"" C "') == 'A "B" C'
    assert unwrap_quotes('"a" and "b"') == '"a" and "b"'  # real quotes stay
    assert unwrap_quotes("plain") == "plain"


def _row(**kw):
    return dataclasses.asdict(Document(**kw))


def test_merge_patents_first_value_wins_codes_are_united():
    a = _row(kind="patent", id="US5535303", title="Barometer neuron", abstract="An abstract.",
             year=1996, date="1996-07-09", country="US", source="patentsview", source_file="pv.csv", line=2)
    b = _row(kind="patent", id="US5535303A", kind_code="A", title="Barometer neuron (GP)", year=1996,
             assignees=["Navy"], authors=["A. Inventor"], search_queries=["neural networks"],
             ipc=["G06N3/04"], has_g06n=True, source="google_patents_search", source_file="gp.csv", line=9)
    m = merge_records([a, b])
    assert m["id"] == "US5535303A" and m["kind_code"] == "A" and m["alt_ids"] == ["US5535303"]
    assert m["title"] == "Barometer neuron" and m["abstract"] == "An abstract."
    assert m["assignees"] == ["Navy"] and m["search_queries"] == ["neural networks"]
    assert m["ipc"] == ["G06N3/04"] and m["has_g06n"] is True
    assert m["source"] == "patentsview" and m["line"] == 2
    assert m["merged_from"] == ["google_patents_search:gp.csv:9"]


def test_merge_papers_prefers_the_doi():
    a = _row(kind="paper", id="arXiv:0704.0001", arxiv_categories=["hep-ph"], source="arxiv", source_file="a", line=1)
    b = _row(kind="paper", id="10.1103/x", alt_ids=["arXiv:0704.0001", "s2:7"], fields_of_study=["Physics"],
             doi="10.1103/x", source="s2orc", source_file="b", line=4)
    m = merge_records([a, b])
    assert m["id"] == "10.1103/x" and m["alt_ids"] == ["arXiv:0704.0001", "s2:7"] and m["doi"] == "10.1103/x"
    assert m["arxiv_categories"] == ["hep-ph"] and m["fields_of_study"] == ["Physics"]
