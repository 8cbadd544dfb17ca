"""Format detection on every file of ../shared/data, and the files no reader takes."""

import json
from pathlib import Path

import pytest
from rawread import write

from innograph.errors import InputFormatError
from innograph.ingest.detect import FORMATS, detect_format, get_reader

OPENALEX_PAGE = Path(__file__).resolve().parents[1] / "data" / "openalex" / "works_page.json"


def expected_format(rel: str) -> str | None:
    if rel.startswith("patents/google_patents_search/"):
        return "google_patents_search"
    if rel.startswith("patents/uspto_xml/"):
        return "uspto_xml"
    if rel.startswith("patents/patentsview_"):
        return "patentsview"
    return {
        "patents/google_patents_public_ro_membrane.csv": "google_patents_public",
        "papers/arxiv_snapshot_sample.csv": "arxiv",
        "papers/arxiv_snapshot_sample.jsonl": "arxiv",
        "papers/s2orc_metadata_sample.jsonl": "s2orc",
        "papers/fos_small.json": "s2orc",
    }.get(rel)


def test_every_shared_file(shared_data):
    files = sorted(p for p in shared_data.rglob("*") if p.is_file())
    assert len(files) == 40
    readable = 0
    for path in files:
        rel = path.relative_to(shared_data).as_posix()
        fmt = expected_format(rel)
        if fmt is None:  # SOURCES.md, fos_labels.txt, the [abstract, title] lines
            with pytest.raises(InputFormatError):
                detect_format(path)
        else:
            assert detect_format(path) == fmt, rel
            readable += 1
    assert readable == 28


def test_google_abstract_lines_are_explained(shared_data):
    path = shared_data / "patents" / "google_patents_abstracts" / "deep-learning_abstracts.ndjson"
    with pytest.raises(InputFormatError, match=r"JSON array of values, not records with ids"):
        detect_format(path)


def test_json_kinds(tmp_path):
    assert detect_format(OPENALEX_PAGE) == "openalex"
    assert detect_format(write(tmp_path, "pv.json", json.dumps({"patents": [{"patent_id": "1", "patent_title": "t"}]}))) == "patentsview"
    assert detect_format(write(tmp_path, "s2.jsonl", json.dumps({"corpusid": 1, "title": "t"}) + "\n")) == "s2orc"
    with pytest.raises(InputFormatError, match="unknown kind"):
        detect_format(write(tmp_path, "x.json", '{"a": 1}\n'))


def test_tables(tmp_path):
    g = write(tmp_path, "g_patent.tsv", "patent_id\tpatent_type\tpatent_date\tpatent_title\n")
    assert detect_format(g) == "patentsview_bulk"
    side = write(tmp_path, "g_patent_abstract.tsv", "patent_id\tpatent_abstract\n")
    with pytest.raises(InputFormatError, match="PatentsView side table"):
        detect_format(side)
    with pytest.raises(InputFormatError, match="not the header of a known raw-record format"):
        detect_format(write(tmp_path, "x.csv", "a,b,c\n1,2,3\n"))
    with pytest.raises(InputFormatError, match="not a USPTO patent document"):
        detect_format(write(tmp_path, "x.xml", "<?xml version='1.0'?><html/>"))
    with pytest.raises(InputFormatError, match="empty"):
        detect_format(write(tmp_path, "e.csv", ""))
    with pytest.raises(InputFormatError, match="no such file"):
        detect_format(tmp_path / "missing.csv")


def test_every_format_has_a_reader():
    assert all(callable(get_reader(f)) for f in FORMATS)
    with pytest.raises(InputFormatError, match="Unknown format"):
        get_reader("epo")
