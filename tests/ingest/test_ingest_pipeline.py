"""`innograph ingest`: all of ../shared/data into one table, merges across formats, bounded
merge buckets, resuming, rejects beside the table, and the CLI."""

import csv
import json
import os
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from rawread import write

from innograph.cli import main
from innograph.ingest.documents import DOCUMENT_SCHEMA
from innograph.ingest.pipeline import ingest, merge_parts

OPENALEX_PAGE = Path(__file__).resolve().parents[1] / "data" / "openalex" / "works_page.json"


def table(out):
    return pq.read_table(Path(out) / "documents.parquet")


def by_id(out) -> dict:
    return {r["id"]: r for r in table(out).to_pylist()}


@pytest.fixture(scope="module")
def everything(shared_data, tmp_path_factory):
    out = tmp_path_factory.mktemp("ingest-all")
    return out, ingest([shared_data], out, progress=False)


def test_all_shared_data(everything):
    out, s = everything
    assert len(s.files) == 28 and len(s.skipped) == 12  # SOURCES.md, fos_labels.txt, 10 abstract files
    assert all(f.reconciles for f in s.files)
    m = s.merge
    assert (m.records, m.documents, m.merged) == (22558, 19550, 3008)
    assert m.records == sum(f.kept for f in s.files) and m.documents == m.records - m.merged
    assert (m.patents, m.papers, m.merged_groups, m.cross_file_groups) == (16216, 3334, 2643, 2285)
    t = table(out)
    assert t.schema == DOCUMENT_SCHEMA and t.num_rows == m.documents
    ids = t.column("id").to_pylist()
    assert len(set(ids)) == len(ids)
    with open(out / "rejects.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == s.rejected + sum(f.values_dropped for f in s.files) == 5  # 4 IPC codes, 1 handle
    summary = json.loads((out / "summary.json").read_text())
    assert summary["merge"]["documents"] == 19550 and summary["files"][0]["reconciles"]


def test_same_patent_from_patentsview_and_google(shared_data, tmp_path):
    """The real overlap of two sources: 581 patents of the neural-network PatentsView export are
    in Google Patents' "neural networks" search export; each becomes one record."""
    s = ingest([shared_data / "patents" / "patentsview_neural_network.csv",
                shared_data / "patents" / "google_patents_search" / "gp-search-neural-networks.csv"],
               tmp_path, progress=False)
    assert (s.merge.records, s.merge.documents, s.merge.merged, s.merge.cross_file_groups) == (4373, 3792, 581, 581)
    d = by_id(tmp_path)["US5535303A"]  # PatentsView 5535303 + Google US-5535303-A
    assert d["alt_ids"] == ["US5535303"] and d["kind_code"] == "A"
    assert d["title"] == '"Barometer" neuron for a neural network'  # first input wins
    assert d["abstract"].startswith('A "Barometer" Neuron')  # only PatentsView has it
    assert d["assignees"] == ["Litton Systems, Inc."] and d["search_queries"] == ["neural networks"]  # Google's
    assert (d["source"], d["line"]) == ("patentsview", 2)
    assert d["merged_from"] == [f"google_patents_search:{shared_data}/patents/google_patents_search/gp-search-neural-networks.csv:762"]


def test_same_patent_in_three_formats(shared_data, tmp_path):
    xml = shared_data / "patents" / "uspto_xml" / "xml2014" / "US08930553.xml"
    pv = write(tmp_path, "pv.csv", "patent_abstract,patent_date,patent_number,patent_title\n"
                                   "PatentsView abstract,2015-01-06,8930553,Managing SIP messages\n")
    gp = write(tmp_path, "gp.csv", "search URL:,https://patents.google.com/?q=%28SIP%29\n"
                                   "id,title,assignee,inventor/author,priority date,filing/creation date,publication date,grant date,result link,representative figure link\n"
                                   "US-8930553-B2,Managing mid-dialog SIP messages ,IBM,Nitzan Nissim,,,2015-01-06,2015-01-06,,\n")
    s = ingest([pv, gp, xml], tmp_path / "out", progress=False)
    assert (s.merge.records, s.merge.documents, s.merge.merged) == (3, 1, 2)
    (d,) = table(tmp_path / "out").to_pylist()
    assert (d["id"], d["kind_code"], d["alt_ids"]) == ("US8930553B2", "B2", ["US8930553"])
    assert (d["title"], d["abstract"]) == ("Managing SIP messages", "PatentsView abstract")
    assert d["ipc"] == ["G06F15/16"] and d["has_g06n"] is False  # only the XML has codes
    assert d["assignees"] == ["IBM"] and d["search_queries"] == ["SIP"] and d["countries"] == ["US", "IL"]
    assert [m.split(":")[0] for m in d["merged_from"]] == ["google_patents_search", "uspto_xml"]


def test_papers_merge_through_shared_ids(shared_data, tmp_path):
    """arXiv CSV and JSONL samples overlap (DOI or arXiv id); S2ORC links an arXiv id to a DOI
    that OpenAlex has: three records, one paper."""
    s = ingest([shared_data / "papers" / "arxiv_snapshot_sample.csv",
                shared_data / "papers" / "arxiv_snapshot_sample.jsonl"], tmp_path / "a", progress=False)
    assert (s.merge.records, s.merge.documents, s.merge.merged) == (3130, 2129, 1001)
    d = by_id(tmp_path / "a")["arXiv:0704.0002"]  # no DOI: matched on the repaired arXiv id (704.0002)
    assert d["line"] == 18 and d["merged_from"][0].startswith("arxiv:") and d["merged_from"][0].endswith(":17")

    arx = write(tmp_path, "a.jsonl", json.dumps({"id": "1706.03762", "title": "Attention", "categories": "cs.CL cs.LG",
                                                  "authors": "A. Vaswani", "versions": []}) + "\n")
    s2 = write(tmp_path, "s.jsonl", json.dumps({"paper_id": "13756489", "doi": "10.5555/attn", "arxiv_id": "1706.03762",
                                                 "title": "Attention is all you need", "mag_field_of_study": ["Computer Science"]}) + "\n")
    oa = write(tmp_path, "o.jsonl", json.dumps({"id": "https://openalex.org/W1", "doi": "https://doi.org/10.5555/ATTN",
                                                 "title": "Attention Is All You Need", "publication_year": 2017}) + "\n")
    s = ingest([arx, oa, s2], tmp_path / "b", progress=False)  # the link comes last
    assert (s.merge.records, s.merge.documents) == (3, 1)
    (d,) = table(tmp_path / "b").to_pylist()
    assert d["id"] == "10.5555/attn" and sorted(d["alt_ids"]) == ["W1", "arXiv:1706.03762", "s2:13756489"]
    assert d["doi"] == "10.5555/attn" and d["title"] == "Attention" and d["year"] == 2017
    assert d["arxiv_categories"] == ["cs.CL", "cs.LG"] and d["fields_of_study"] == ["Computer Science"]


def test_buckets_give_the_same_documents(everything, tmp_path):
    out, s = everything
    parts = [Path(f.part) / "documents.parquet" for f in s.files]
    stats = merge_parts(parts, tmp_path / "docs.parquet", tmp_path / "work", bucket_rows=6_000)
    assert stats.buckets == 4 and (stats.documents, stats.merged) == (s.merge.documents, s.merge.merged)

    def key(rows):
        return sorted((r["id"], tuple(sorted(r["alt_ids"])), tuple(sorted(r["merged_from"]))) for r in rows)

    assert key(pq.read_table(tmp_path / "docs.parquet").to_pylist()) == key(table(out).to_pylist())
    assert not (tmp_path / "work").exists()


def test_rerun_reads_only_changed_files(tmp_path):
    a = write(tmp_path / "in", "a.jsonl", json.dumps({"paper_id": "1", "title": "one"}) + "\n")
    b = write(tmp_path / "in", "b.jsonl", json.dumps({"paper_id": "2", "title": "two"}) + "\n{broken\n")
    out = tmp_path / "out"
    s1 = ingest([a, b], out, progress=False)
    assert [f.reused for f in s1.files] == [False, False] and not s1.merge_reused
    s2 = ingest([a, b], out, progress=False)
    assert [f.reused for f in s2.files] == [True, True] and s2.merge_reused
    assert s2.merge.documents == s1.merge.documents == 2
    b.write_text(json.dumps({"paper_id": "2", "title": "two"}) + "\n" + json.dumps({"paper_id": "1", "title": "dup"}) + "\n")
    os.utime(b, ns=(1, 1))  # a different modification time
    s3 = ingest([a, b], out, progress=False)
    assert [f.reused for f in s3.files] == [True, False] and not s3.merge_reused
    assert (s3.merge.documents, s3.merge.merged) == (2, 1)
    assert s3.rejected == 0 and len(list((out / "parts").iterdir())) == 2  # the old part is gone
    s4 = ingest([a], out, progress=False)
    assert s4.merge.documents == 1 and len(list((out / "parts").iterdir())) == 1


def test_rejects_file_beside_the_table(tmp_path):
    bad = write(tmp_path, "pv.csv", "patent_abstract,patent_date,patent_number,patent_title\n"
                                    "x,2001-01-01,,no number\nx,2001-01-01,6000000,kept\n")
    s = ingest([bad], tmp_path / "out", progress=False)
    with open(tmp_path / "out" / "rejects.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["file"], r["line"], r["field"], r["reason"], r["action"]) for r in rows] == [
        (str(bad), "2", "publication_number", "publication number is missing", "row rejected")]
    assert (s.files[0].read, s.files[0].kept, s.files[0].rejected) == (2, 1, 1)


def test_cli(tmp_path, capsys):
    main(["ingest", str(OPENALEX_PAGE), "--out", str(tmp_path / "o"), "--json", "--no-progress"])
    data = json.loads(capsys.readouterr().out)
    assert data["merge"]["documents"] == 4 and data["rejected"] == 1 and data["files"][0]["format"] == "openalex"
    main(["ingest", str(OPENALEX_PAGE), "--out", str(tmp_path / "o"), "--no-progress"])
    text = capsys.readouterr().out
    assert "4 (0 patents, 4 papers) from 4 records" in text and "(read before)" in text
    with pytest.raises(SystemExit) as exc:
        main(["ingest", str(tmp_path / "missing.csv"), "--out", str(tmp_path / "x")])
    assert exc.value.code == 2 and capsys.readouterr().err.strip().endswith("missing.csv: no such file.")
    with pytest.raises(SystemExit) as exc:
        main(["ingest", str(OPENALEX_PAGE), "--out", str(tmp_path / "y"), "--format", "uspto_xml", "--no-progress"])
    assert exc.value.code == 2 and "line 1 is not XML" in capsys.readouterr().err
