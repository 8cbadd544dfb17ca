"""DeepInnovationAI readers on crafted bad input: which rows are kept, which are rejected, where.

Line numbers are physical lines of the file (1 = header), so a record whose abstract holds
newlines moves every later record down.
"""

import csv
import math

import numpy as np
import pandas as pd
import pytest

import innograph.ingest.deepinnovation as di
from innograph.errors import InputFormatError
from innograph.ingest.deepinnovation import (
    ReadStats,
    normalize_doi,
    normalize_publication_number,
    read_pairs,
    read_papers,
    read_patents,
)
from innograph.ingest.rejects import REJECT_COLUMNS, ROW_REJECTED, VALUE_DROPPED, RejectLog

DROP = VALUE_DROPPED
REJ = ROW_REJECTED
PATENT_HEADER = "ID,PN,IPC,Title,Abstract,Year,Keywords,Novelty"
PAPER_HEADER = ("ID,Title,Source,Abstract,Name,Year,Cited,Keywords,Doi,Language,Type,"
                "Affiliations,Novelty")
KW_NOT_A_LIST = 'Keywords is not a list of strings: not a list: expected a JSON or Python list such as ["a", "b"]'


def write(tmp_path, name, content):
    path = tmp_path / name
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def rejected(log):
    """(line, field, reason, raw_value, action) of every reject, by line."""
    return [(r.line, r.field, r.reason, r.raw_value, r.action)
            for r in sorted(log.items, key=lambda r: (r.line, r.action))]


def load(reader, path, kind, **kw):
    """Read a whole file as the loader does: frames, log, stats with `rejected` filled in."""
    log = RejectLog()
    stats = ReadStats(str(path), kind)
    frames = list(reader(path, log, stats, **kw))
    stats.rejected = log.rows_rejected
    frame = pd.concat(frames, ignore_index=True) if frames else None
    return frame, log, stats


# ---------------------------------------------------------------------------------------------
# patents

PATENT_ROWS = [
    PATENT_HEADER,                                                                        # 1
    '1,US10123456B2,"G06N3/08;G06F17/16",Title one,"line a\nline b\nline c",2020,'         # 2-4
    '"[""Deep Learning"", ""AI"", ""deep  learning""]",0.5',
    "2,CN112345678A,\"['G06N 3/08 (2006.01)', 'XYZ']\",x'}) DETACH DELETE n //,abs,2019,[],",  # 5
    "3,EP-3123456-A1,G06N0003046400,t3,abs,20x0,[],",                                    # 6
    "4,JP2020123456A,,t4,abs,1700,[],",                                                  # 7
    "abc,KR101234567B1,,t5,abs,2019,[],",                                                # 8
    "6,KR101234568B1,,t6,abs,2019,\"['a', 1]\",",                                         # 9
    "7,WO2020123456A1,G06N|bogus,t7,\"abs, \"\"quoted\"\"\",2019,"                        # 10
    "\"__import__('os').system('echo hi')\",",
    "8,US10123456B2,,dup,abs,2019,[],",                                                  # 11
    "9,DE102019123456A1,,t9",                                                            # 12
    "10,SU123456A1,G,caf@@,abs,1990,[],",                                                # 13
    "11,US9876543B1,,t11,abs,2018,[],nan",                                               # 14
    "12,,,t12,abs,2018,[],",                                                             # 15
    "13,12345,,t13,abs,2018,[],",                                                        # 16
    "14,us 2015112182 a1,G06N3,t14,\"a\n\nb\",2021,\"['X']\",0.9",                      # 17-19
    "15,WO-2020123457-A1,\"G06N3/08 20060101|Z99\",t15,abs,,,",                          # 20
    "99999999999999999999999,US5555555B2,,t16,abs,2020,[],",                             # 21
    "",                                                                                  # 22 blank
    "17,CN112345679A,G06N,t17,abs,2020,[],",                                             # 23
]


def patent_bytes(newline="\n", bom=True):
    text = newline.join(r.replace("\n", newline) for r in PATENT_ROWS) + newline
    data = text.encode("utf-8").replace(b"caf@@", b"caf\xe9")  # latin-1 byte: not UTF-8
    return (b"\xef\xbb\xbf" if bom else b"") + data


EXPECTED_PATENT_REJECTS = [
    (5, "IPC", "not an IPC code", "XYZ", DROP),
    (6, "Year", "Year is not an integer", "20x0", REJ),
    (7, "Year", "Year outside 1800-2100", "1700", REJ),
    (8, "ID", "ID is not an integer", "abc", REJ),
    (9, "Keywords", "Keywords is not a list of strings: list items must be strings", "['a', 1]", REJ),
    (10, "Keywords", KW_NOT_A_LIST, "__import__('os').system('echo hi')", REJ),
    (11, "PN", "duplicate key (first occurrence on line 2 kept)", "US10123456B2", REJ),
    (12, "", "expected 8 fields, found 4", "9,DE102019123456A1,,t9", REJ),
    (13, "Title", "invalid UTF-8 bytes", "caf\\xe9", REJ),
    (14, "Novelty", "Novelty is not a finite number", "nan", REJ),
    (15, "PN", "PN is missing or not a publication number", "", REJ),
    (16, "PN", "PN is missing or not a publication number", "12345", REJ),
    (20, "IPC", "not an IPC code", "Z99", DROP),
    (21, "ID", "ID is too large", "99999999999999999999999", REJ),
]


@pytest.mark.parametrize("chunk_rows", [100_000, 3, 1])
def test_patents_bad_rows_rejected_with_line_field_reason(tmp_path, chunk_rows):
    path = write(tmp_path, "DeepPatentAI.csv", patent_bytes())
    frame, log, stats = load(read_patents, path, "patents", chunk_rows=chunk_rows)

    assert rejected(log) == EXPECTED_PATENT_REJECTS
    assert all(r.file == str(path) for r in log.items)
    assert frame["pn"].tolist() == ["US10123456B2", "CN112345678A", "US2015112182A1",
                                    "WO2020123457A1", "CN112345679A"]
    assert frame["_line"].tolist() == [2, 5, 17, 20, 23]
    assert stats.read == 17  # records; the blank line 22 is none
    assert stats.kept == 5
    assert stats.duplicates == 1
    assert log.rows_rejected == 12
    assert log.values_dropped == 2
    assert stats.rejected == 12
    assert stats.reconciles()


def test_patents_kept_values(tmp_path):
    path = write(tmp_path, "DeepPatentAI.csv", patent_bytes())
    frame, _, _ = load(read_patents, path, "patents")
    rows = frame.set_index("pn")

    first = rows.loc["US10123456B2"]
    assert first["id"] == 1
    assert first["title"] == "Title one"
    assert first["abstract"] == "line a\nline b\nline c"  # quoted newlines kept
    assert first["year"] == 2020
    assert first["ipc"] == ["G06N3/08", "G06F17/16"]
    assert first["keywords"] == ["deep learning", "ai"]  # normalised, deduped, rank order
    assert first["country"] == "US"
    assert first["novelty"] == 0.5
    assert first["source"] == "DeepPatentAI"
    assert bool(first["is_ai"]) and math.isnan(first["ai_score"])

    cypher = rows.loc["CN112345678A"]
    assert cypher["title"] == "x'}) DETACH DELETE n //"  # kept literally
    assert cypher["ipc"] == ["G06N3/08"]  # 'XYZ' dropped, the row kept
    assert cypher["country"] == "CN"
    assert math.isnan(cypher["novelty"])  # empty novelty is null, not a reject

    lower = rows.loc["US2015112182A1"]  # from "us 2015112182 a1"
    assert lower["ipc"] == ["G06N3/00"]
    assert lower["abstract"] == "a\n\nb"
    assert lower["keywords"] == ["x"]
    assert lower["novelty"] == 0.9

    wo = rows.loc["WO2020123457A1"]  # from "WO-2020123457-A1"
    assert wo["country"] == "WO"
    assert wo["year"] is pd.NA  # empty year is null
    assert wo["keywords"] == []
    assert wo["ipc"] == ["G06N3/08"]

    assert rows.loc["CN112345679A", "ipc"] == ["G06N"]
    assert frame["id"].dtype == "Int64" and frame["year"].dtype == "Int64"


@pytest.mark.parametrize("bom", [True, False])
def test_patents_crlf_line_endings_same_lines(tmp_path, bom):
    path = write(tmp_path, "crlf.csv", patent_bytes("\r\n", bom=bom))
    frame, log, stats = load(read_patents, path, "patents")
    assert frame["_line"].tolist() == [2, 5, 17, 20, 23]
    assert [r[0] for r in rejected(log)] == [r[0] for r in EXPECTED_PATENT_REJECTS]
    assert frame.loc[0, "abstract"] == "line a\r\nline b\r\nline c"
    assert stats.reconciles()


def test_patents_bom_does_not_hide_first_column(tmp_path):
    path = write(tmp_path, "bom.csv", b"\xef\xbb\xbf" + f"{PATENT_HEADER}\n5,US1234567B1,,t,a,2020,[],\n".encode())
    frame, log, _ = load(read_patents, path, "patents")
    assert frame["id"].tolist() == [5]  # the ID column was found despite the BOM
    assert log.items == []


@pytest.mark.parametrize(
    "header",
    [
        "id,pn,ipc,title,abstract,year,keywords,novelty",
        "Id,pN,Ipc,TITLE,abstract,YEAR,KeyWords,NOVELTY",
        " ID , PN ,IPC,Title,Abstract,Year,Keywords,Novelty",
    ],
)
def test_patents_header_case_insensitive(tmp_path, header):
    path = write(tmp_path, "p.csv", f"{header}\n5,US1234567B1,G06N3/08,T,A,2020,\"['K']\",0.1\n")
    frame, log, stats = load(read_patents, path, "patents")
    assert log.items == []
    row = frame.iloc[0]
    assert (row["id"], row["pn"], row["ipc"], row["title"], row["year"], row["keywords"]) == (
        5, "US1234567B1", ["G06N3/08"], "T", 2020, ["k"])
    assert stats.read == stats.kept == 1


def test_patents_reordered_and_extra_columns(tmp_path):
    path = write(tmp_path, "p.csv", "Extra,pn,Year,ID\nzzz,US1234567B1,2020,5\n")
    frame, log, _ = load(read_patents, path, "patents")
    assert log.items == []
    row = frame.iloc[0]
    assert (row["pn"], row["year"], row["id"], row["ipc"], row["keywords"]) == (
        "US1234567B1", 2020, 5, [], [])
    assert row["title"] is pd.NA


def test_patents_duplicates_after_pn_normalisation_and_unknown_office(tmp_path):
    path = write(tmp_path, "p.csv", PATENT_HEADER + "\n"
                 "1,US-10123456-B2,,a,x,2020,[],\n"
                 "2,XX123456A,,b,x,2020,[],\n"
                 "3,us 10123456 b2,,c,x,2020,[],\n"
                 "4,US10123456B2,,d,x,2020,[],\n")
    frame, log, stats = load(read_patents, path, "patents")
    assert frame["pn"].tolist() == ["US10123456B2", "XX123456A"]
    assert frame["country"].tolist() == ["US", None]  # a PN with an unknown prefix is kept
    assert rejected(log) == [
        (4, "PN", "duplicate key (first occurrence on line 2 kept)", "us 10123456 b2", REJ),
        (5, "PN", "duplicate key (first occurrence on line 2 kept)", "US10123456B2", REJ),
    ]
    assert stats.duplicates == 2 and stats.reconciles()


def test_patents_invalid_utf8_in_each_field_names_the_field(tmp_path):
    data = (PATENT_HEADER + "\n"
            "1,US1111111B1,,t,ab\xff\xfecd,2020,[],\n"
            "2,US22\xff22222B1,,t,a,2020,[],\n"
            "3,US3333333B1,,t,a,2020,\"['k\xe9']\",\n"
            "4,US4444444B1,,t,a,2020,[],\n").encode("latin-1")
    path = write(tmp_path, "p.csv", data)
    frame, log, stats = load(read_patents, path, "patents")
    assert rejected(log) == [
        (2, "Abstract", "invalid UTF-8 bytes", "ab\\xff\\xfecd", REJ),
        (3, "PN", "invalid UTF-8 bytes", "US22\\xff22222B1", REJ),
        (4, "Keywords", "invalid UTF-8 bytes", "['k\\xe9']", REJ),
    ]
    assert frame["pn"].tolist() == ["US4444444B1"]
    assert frame["_line"].tolist() == [5]
    assert stats.reconciles()


def test_papers_file_passed_as_patents(tmp_path):
    path = write(tmp_path, "DeepDiveAI.csv", PAPER_HEADER + "\n1,T,S,A,N,2020,1,[],d,en,t,a,0.1\n")
    with pytest.raises(InputFormatError) as err:
        list(read_patents(path, RejectLog()))
    msg = str(err.value)
    assert str(path) in msg and "line 1" in msg and "no column for pn" in msg


def test_pairs_file_passed_as_papers(tmp_path):
    path = write(tmp_path, "DeepCosineAI.csv", "paper_id,patent_id,similarity\n1,US1A,0.5\n")
    with pytest.raises(InputFormatError, match="line 1 is not a DeepDiveAI header"):
        list(read_papers(path, RejectLog()))


@pytest.mark.parametrize("reader", [read_patents, read_papers])
def test_missing_empty_and_directory_inputs(tmp_path, reader):
    missing = tmp_path / "nope.csv"
    with pytest.raises(InputFormatError, match="no such file") as err:
        list(reader(missing, RejectLog()))
    assert str(missing) in str(err.value)
    for content in (b"", b"\xef\xbb\xbf"):
        empty = write(tmp_path, "empty.csv", content)
        with pytest.raises(InputFormatError, match="the file is empty") as err:
            list(reader(empty, RejectLog()))
        assert str(empty) in str(err.value)
    with pytest.raises(InputFormatError, match="is a directory"):
        list(reader(tmp_path, RejectLog()))


@pytest.mark.parametrize("reader, header", [(read_patents, PATENT_HEADER), (read_papers, PAPER_HEADER)])
def test_header_only_file(tmp_path, reader, header):
    path = write(tmp_path, "h.csv", header + "\n")
    frame, log, stats = load(reader, path, "docs")
    assert frame is None and log.items == []
    assert (stats.read, stats.kept, stats.rejected) == (0, 0, 0) and stats.reconciles()


def test_patents_unterminated_quote_swallows_the_rest(tmp_path):
    # csv is not strict: an unterminated quote runs to the end of the file as one field
    path = write(tmp_path, "p.csv", PATENT_HEADER + "\n1,US1111111B1,,t,a,2020,[],\n"
                 '2,US2222222B1,,"t,a,2020,[],\n3,US3333333B1,,t,a,2020,[],\n')
    frame, log, stats = load(read_patents, path, "patents")
    assert frame["_line"].tolist() == [2]
    assert rejected(log) == [
        (3, "", "expected 8 fields, found 4", "2,US2222222B1,,t,a,2020,[],\n3,US3333333B1,,t,a,2020,[],\n", REJ)]
    assert stats.read == 2 and stats.reconciles()


def test_patents_rejects_file_on_disk(tmp_path):
    src = write(tmp_path, "DeepPatentAI.csv", patent_bytes())
    out = tmp_path / "out" / "rejects" / "patents.csv"
    log = RejectLog(out)
    stats = ReadStats(str(src), "patents")
    for _ in read_patents(src, log, stats, chunk_rows=4):
        pass
    assert log.items == []  # flushed per chunk
    with open(out, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == REJECT_COLUMNS == ["file", "line", "field", "reason", "raw_value", "action"]
    assert [(int(r[1]), r[2], r[3], r[4], r[5]) for r in rows[1:]] == EXPECTED_PATENT_REJECTS
    assert {r[0] for r in rows[1:]} == {str(src)}
    stats.rejected = log.rows_rejected
    assert stats.reconciles() and log.values_dropped == 2


# ---------------------------------------------------------------------------------------------
# papers

PAPER_ROWS = [
    PAPER_HEADER,                                                                          # 1
    '7,Paper seven,NeurIPS,"abs\nmore",A. B; C. D,2020,12,"[\'Deep Learning\']",'           # 2-3
    'https://doi.org/10.1000/ABC.Def,en,article,'
    '"Tsinghua University, Beijing 100084, China; Stanford University, Stanford, CA 94305;'
    ' Peking University, Beijing, China",0.3',
    "8,Paper eight,,,,,,,DOI: 10.5555/XYZ,,,\"Stanford University, Stanford, CA\",",     # 4
    ",No id,,,,2020,,,,,,,",                                                               # 5
    "9,T9,,,,2020,-1,,,,,,",                                                               # 6
    "10,T10,,,,2020,1.5,,,,,,",                                                            # 7
    "7,dup,,,,,,,,,,,",                                                                    # 8
    "11,T11,,,,2020,3,not a list,,,,,",                                                    # 9
    "12.0,T12,,,,2020,,,,,,,",                                                             # 10
    "13,T13,,,,1999,,,http://dx.doi.org/10.1/A,,,"                                         # 11
    "\"ETH Zürich, Zürich, Switzerland | KAIST, Daejeon, Korea\",",
    "x13,T,,,,2020,,,,,,,",                                                                # 12
    "14,\"T14, with comma\",,,,2020,,,,,,",                                                # 13
    "015,T15,,,,2020,,,,,,,",                                                              # 14
    "15,T15 again,,,,2020,,,,,,,",                                                         # 15
    "16,T16,,,,2101,,,,,,,",                                                               # 16
    "17,T17,,,,2020,,,,,,,inf",                                                            # 17
]


def test_papers_bad_rows_rejected_with_line_field_reason(tmp_path):
    path = write(tmp_path, "DeepDiveAI.csv", "\n".join(PAPER_ROWS) + "\n")
    frame, log, stats = load(read_papers, path, "papers", chunk_rows=4)
    assert rejected(log) == [
        (5, "ID", "ID is missing", "", REJ),
        (6, "Cited", "Cited outside 0-1000000000", "-1", REJ),
        (7, "Cited", "Cited is not an integer", "1.5", REJ),
        (8, "ID", "duplicate key (first occurrence on line 2 kept)", "7", REJ),
        (9, "Keywords", KW_NOT_A_LIST, "not a list", REJ),
        (12, "ID", "ID is not an integer", "x13", REJ),
        (13, "", "expected 13 fields, found 12", "14,T14, with comma,,,,2020,,,,,,", REJ),
        (15, "ID", "duplicate key (first occurrence on line 14 kept)", "15", REJ),
        (16, "Year", "Year outside 1800-2100", "2101", REJ),
        (17, "Novelty", "Novelty is not a finite number", "inf", REJ),
    ]
    assert frame["paper_id"].tolist() == ["7", "8", "12", "13", "15"]  # str(int(ID))
    assert frame["_line"].tolist() == [2, 4, 10, 11, 14]
    assert (stats.read, stats.kept, stats.duplicates, stats.rejected) == (15, 5, 2, 10)
    assert stats.reconciles()


def test_papers_kept_values(tmp_path):
    path = write(tmp_path, "DeepDiveAI.csv", "\n".join(PAPER_ROWS) + "\n")
    frame, _, _ = load(read_papers, path, "papers")
    rows = frame.set_index("paper_id")
    assert str(frame["paper_id"].dtype) == "string"

    p7 = rows.loc["7"]
    assert p7["doi"] == "10.1000/abc.def"
    assert p7["title"] == "Paper seven" and p7["abstract"] == "abs\nmore"
    assert p7["source"] == "NeurIPS" and p7["authors"] == "A. B; C. D"
    assert (p7["year"], p7["cited"], p7["novelty"]) == (2020, 12, 0.3)
    assert (p7["language"], p7["type"]) == ("en", "article")
    assert p7["keywords"] == ["deep learning"]
    assert p7["countries"] == ["CN", "US"]  # deduped, order of appearance

    p8 = rows.loc["8"]
    assert p8["doi"] == "10.5555/xyz"
    assert p8["countries"] == []  # "Stanford, CA" is ambiguous
    assert p8["year"] is pd.NA and p8["cited"] is pd.NA and p8["keywords"] == []
    assert p8["source"] is pd.NA and p8["abstract"] is pd.NA

    p13 = rows.loc["13"]
    assert p13["doi"] == "10.1/a"
    assert p13["countries"] == ["CH", "KR"]
    assert rows.loc["12", "countries"] == [] and rows.loc["12", "doi"] is pd.NA


def test_papers_header_lower_case_and_authors_alias(tmp_path):
    path = write(tmp_path, "p.csv", "id,TITLE,authors,doi\n1,T,Ann Lee,10.1/X\n")
    frame, log, _ = load(read_papers, path, "papers")
    assert log.items == []
    assert frame.loc[0, ["paper_id", "title", "authors", "doi"]].tolist() == ["1", "T", "Ann Lee", "10.1/x"]


def test_papers_need_id_and_title(tmp_path):
    path = write(tmp_path, "p.csv", "ID,Name,Year\n1,A,2020\n")
    with pytest.raises(InputFormatError, match=r"line 1 .*no column for title"):
        list(read_papers(path, RejectLog()))


# ---------------------------------------------------------------------------------------------
# pairs


@pytest.fixture
def path_spy(monkeypatch):
    """Records which pairs path ran: 'fast' or 'exact'."""
    taken = []
    fast, exact = di._read_pairs_fast, di._read_pairs_exact

    def spy(name, fn):
        def wrapper(*a, **kw):
            taken.append(name)
            return fn(*a, **kw)
        return wrapper

    monkeypatch.setattr(di, "_read_pairs_fast", spy("fast", fast))
    monkeypatch.setattr(di, "_read_pairs_exact", spy("exact", exact))
    return taken


def load_pairs(path, chunk_rows=1_000_000):
    log = RejectLog()
    stats = ReadStats(str(path), "pairs")
    chunks = list(read_pairs(path, log, stats, chunk_rows))
    stats.kept = sum(len(c.lines) for c in chunks)
    stats.rejected = log.rows_rejected
    return chunks, log, stats


def cat(chunks, attr):
    parts = [getattr(c, attr) for c in chunks]
    if attr in ("paper", "patent"):
        return [v for p in parts for v in p.to_pylist()]
    return [v for p in parts for v in np.asarray(p).tolist()]


@pytest.mark.parametrize("chunk_rows", [1_000_000, 2])
def test_pairs_clean_file_fast_path(tmp_path, path_spy, chunk_rows):
    path = write(tmp_path, "DeepCosineAI.csv",
                 "paper_id,patent_id,similarity\n1,US1A,0.5\n2, US2A ,-1\n3,US3A,1\n4,US4A,0.25\n5,US5A,0\n")
    chunks, log, stats = load_pairs(path, chunk_rows)
    assert path_spy == ["fast"]
    assert log.items == []
    assert cat(chunks, "paper") == ["1", "2", "3", "4", "5"]
    assert cat(chunks, "patent") == ["US1A", "US2A", "US3A", "US4A", "US5A"]  # trimmed
    assert cat(chunks, "score") == [0.5, -1.0, 1.0, 0.25, 0.0]
    assert cat(chunks, "lines") == [2, 3, 4, 5, 6]
    assert all(c.paper_year is None and c.patent_year is None for c in chunks)
    if chunk_rows == 2:
        assert [len(c.lines) for c in chunks] == [2, 2, 1]
    assert stats.read == 5 and stats.reconciles()


def test_pairs_capitalised_header_with_years(tmp_path, path_spy):
    path = write(tmp_path, "DeepCosineAI.csv",
                 "\ufeffPaper_ID,Patent_ID,Similarity,Paper_Year,Patent_Year\n"
                 "10,US1A,0.5,2019,2021\n11,US2A,0.6,,2020\n12,US3A,0.7,x,\n")
    chunks, log, stats = load_pairs(path)
    assert path_spy == ["fast"]
    assert log.items == []
    (c,) = chunks
    assert c.paper.to_pylist() == ["10", "11", "12"]
    np.testing.assert_array_equal(c.paper_year, [2019.0, np.nan, np.nan])  # bad year: null, kept
    np.testing.assert_array_equal(c.patent_year, [2021.0, 2020.0, np.nan])
    assert c.lines.tolist() == [2, 3, 4]
    assert stats.reconciles()


def test_pairs_bad_similarity_and_missing_ids(tmp_path, path_spy):
    path = write(tmp_path, "DeepCosineAI.csv",
                 "paper_id,patent_id,similarity\n"
                 "1,US1A,0.5\n"       # 2 kept
                 "2,US2A,abc\n"       # 3
                 "3,US3A,1.5\n"       # 4
                 "4,US4A,-1.01\n"     # 5
                 "5,US5A,nan\n"       # 6
                 "6,US6A,inf\n"       # 7
                 "7,US7A,\n"          # 8
                 ",US8A,0.5\n"        # 9
                 "9,  ,0.5\n"         # 10
                 ",,x\n"              # 11 paper first
                 "10,US10A, 0.75 \n"  # 12 kept (spaces)
                 )
    chunks, log, stats = load_pairs(path)
    assert path_spy == ["fast"]
    bad = "similarity is not a number in [-1, 1]"
    assert rejected(log) == [
        (3, "similarity", bad, "abc", REJ),
        (4, "similarity", bad, "1.5", REJ),
        (5, "similarity", bad, "-1.01", REJ),
        (6, "similarity", bad, "nan", REJ),
        (7, "similarity", bad, "inf", REJ),
        (8, "similarity", bad, "", REJ),
        (9, "paper_id", "paper_id is missing", "", REJ),
        (10, "patent_id", "patent_id is missing", "", REJ),
        (11, "paper_id", "paper_id is missing", "", REJ),
    ]
    assert cat(chunks, "lines") == [2, 12]
    assert cat(chunks, "score") == [0.5, 0.75]
    assert stats.read == 11 and stats.kept == 2 and stats.rejected == 9 and stats.reconciles()


PAIRS_MALFORMED = (
    b"\xef\xbb\xbfpaper_id,patent_id,similarity\n"  # 1
    b"1,US1A,0.5\n"                                  # 2 kept
    b"2,US2A\n"                                      # 3 wrong field count
    b"\n"                                            # 4 blank
    b'3,"US3A\n'                                     # 5 kept, spans 5-6
    b'B",0.25\n'                                     # 6
    b",US4A,0.1\n"                                   # 7 paper missing
    b"5,US5A,abc\n"                                  # 8 bad similarity
    b"6,US6A,0.7,9\n"                                # 9 wrong field count
    b"7,US\xe97A,0.3\n"                              # 10 not UTF-8
    b"8,US8A,0.9\n"                                  # 11 kept
    b"9,US9A,2\n"                                    # 12 bad similarity
    b"10,US10A,-0.5\n"                               # 13 kept
)


@pytest.mark.parametrize("chunk_rows", [1_000_000, 2, 1])
def test_pairs_malformed_file_exact_path_true_lines(tmp_path, path_spy, chunk_rows):
    path = write(tmp_path, "DeepCosineAI.csv", PAIRS_MALFORMED)
    chunks, log, stats = load_pairs(path, chunk_rows)
    assert path_spy == ["exact"]
    bad = "similarity is not a number in [-1, 1]"
    assert rejected(log) == [
        (3, "", "expected 3 fields, found 2", "2,US2A", REJ),
        (7, "paper_id", "paper_id is missing", "", REJ),
        (8, "similarity", bad, "abc", REJ),
        (9, "", "expected 3 fields, found 4", "6,US6A,0.7,9", REJ),
        (10, "patent_id", "invalid UTF-8 bytes", "US\\xe97A", REJ),
        (12, "similarity", bad, "2", REJ),
    ]
    assert cat(chunks, "lines") == [2, 5, 11, 13]
    assert cat(chunks, "paper") == ["1", "3", "8", "10"]
    assert cat(chunks, "patent") == ["US1A", "US3A\nB", "US8A", "US10A"]
    assert cat(chunks, "score") == [0.5, 0.25, 0.9, -0.5]
    assert stats.read == 10  # the blank line is no record
    assert stats.kept == 4 and stats.rejected == 6 and stats.reconciles()


@pytest.mark.parametrize(
    "content, lines, rejects",
    [
        # a blank line: pyarrow skips it, so row i is not on line i + 2
        (b"paper_id,patent_id,similarity\n1,US1A,0.5\n\n2,US2A,0.6\n3,US3A,x\n", [2, 4], [5]),
        # a quoted newline that pyarrow parses without complaint
        (b'paper_id,patent_id,similarity\n1,"US1A\nB",0.5\n2,US2A,0.6\n3,US3A,2\n', [2, 4], [5]),
        # blank lines at the end
        (b"paper_id,patent_id,similarity\n1,US1A,0.5\n2,US2A,0.6\n\n\n", [2, 3], []),
    ],
)
def test_pairs_well_formed_but_not_one_record_per_line(tmp_path, content, lines, rejects):
    path = write(tmp_path, "DeepCosineAI.csv", content)
    chunks, log, stats = load_pairs(path)
    assert cat(chunks, "lines") == lines
    assert [r.line for r in log.items] == rejects
    assert stats.reconciles()


def test_pairs_no_trailing_newline_and_crlf_stay_fast(tmp_path, path_spy):
    a = write(tmp_path, "a.csv", "paper_id,patent_id,similarity\n1,US1A,0.5\n2,US2A,0.6")
    b = write(tmp_path, "b.csv", "paper_id,patent_id,similarity\r\n1,US1A,0.5\r\n2,US2A,0.6\r\n")
    for path in (a, b):
        chunks, log, _ = load_pairs(path)
        assert cat(chunks, "lines") == [2, 3] and log.items == []
    assert path_spy == ["fast", "fast"]


def test_pairs_header_with_spaces_and_quotes(tmp_path):
    for i, header in enumerate(["paper_id, patent_id, similarity", '"paper_id","patent_id","similarity"']):
        path = write(tmp_path, f"h{i}.csv", f"{header}\n1,US1A,0.5\n2,US2A, 0.6\n")
        chunks, log, stats = load_pairs(path)
        assert log.items == []
        assert cat(chunks, "paper") == ["1", "2"] and cat(chunks, "score") == [0.5, 0.6]
        assert cat(chunks, "lines") == [2, 3]


def test_pairs_input_errors(tmp_path):
    with pytest.raises(InputFormatError, match="no such file"):
        list(read_pairs(tmp_path / "nope.csv", RejectLog(), ReadStats("x", "pairs")))
    empty = write(tmp_path, "empty.csv", b"")
    with pytest.raises(InputFormatError, match="the file is empty"):
        list(read_pairs(empty, RejectLog(), ReadStats("x", "pairs")))
    patents = write(tmp_path, "DeepPatentAI.csv", PATENT_HEADER + "\n1,US1A,,t,a,2020,[],\n")
    with pytest.raises(InputFormatError, match=r"line 1 is not a DeepCosineAI header") as err:
        list(read_pairs(patents, RejectLog(), ReadStats("x", "pairs")))
    assert str(patents) in str(err.value)
    header_only = write(tmp_path, "h.csv", "paper_id,patent_id,similarity\n")
    chunks, log, stats = load_pairs(header_only)
    assert cat(chunks, "lines") == [] and stats.read == 0 and stats.reconciles()


# ---------------------------------------------------------------------------------------------
# small pieces


@pytest.mark.parametrize(
    "raw, pn",
    [("US-2015112182-A1", "US2015112182A1"), ("us 2015112182 a1", "US2015112182A1"),
     ("US 10,123,456 B2", "US10123456B2"), ("EP.3123456/A1", "EP3123456A1"),
     ("CN112345678A", "CN112345678A")],
)
def test_normalize_publication_number(raw, pn):
    assert normalize_publication_number(raw) == pn


@pytest.mark.parametrize(
    "raw, doi",
    [("10.1000/ABC", "10.1000/abc"), ("https://doi.org/10.1000/ABC", "10.1000/abc"),
     ("http://dx.doi.org/10.1000/ABC", "10.1000/abc"), ("HTTPS://DOI.ORG/10.1/x", "10.1/x"),
     ("doi:10.1/X", "10.1/x"), ("DOI: 10.1/X", "10.1/x"), ("  10.1/x  ", "10.1/x")],
)
def test_normalize_doi(raw, doi):
    assert normalize_doi(raw) == doi


def test_read_stats_reconciles():
    assert ReadStats("f", "pairs", read=10, kept=6, rejected=3, below_tau=1).reconciles()
    assert not ReadStats("f", "pairs", read=10, kept=6, rejected=3).reconciles()
    assert ReadStats("f", "patents").reconciles()


def test_reject_log_csv_sorted_counts_and_escaping(tmp_path):
    path = tmp_path / "deep" / "er" / "rejects.csv"
    log = RejectLog(path)
    with open(path, newline="", encoding="utf-8") as fh:
        assert list(csv.reader(fh)) == [REJECT_COLUMNS]  # header written at once

    log.add("f.csv", 9, "Year", "Year is not an integer", "20x0")
    log.add("f.csv", 3, "IPC", "not an IPC code", "XYZ", VALUE_DROPPED)
    log.add("f.csv", 5, "Title", "invalid UTF-8 bytes", "caf\udce9")  # as surrogateescape reads
    log.add("f.csv", 4, "Cited", "odd", 12)  # not a string: repr
    log.add("f.csv", 7, "Abstract", "long", "x" * 2000)
    log.add("f.csv", 6, "", "quoting", 'a,"b"\nc')
    assert (log.rows_rejected, log.values_dropped) == (5, 1)
    log.flush()
    assert log.items == []
    log.add("f.csv", 1, "PN", "later chunk", "")
    log.flush()
    log.flush()  # nothing new: no change

    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == REJECT_COLUMNS
    assert [r[1] for r in rows[1:]] == ["3", "4", "5", "6", "7", "9", "1"]  # sorted per flush
    by_line = {int(r[1]): r for r in rows[1:]}
    assert by_line[3] == ["f.csv", "3", "IPC", "not an IPC code", "XYZ", VALUE_DROPPED]
    assert by_line[5][4] == "caf\\xe9"
    assert by_line[4][4] == "12"
    assert by_line[7][4] == "x" * 500  # raw values are truncated
    assert by_line[6][4] == 'a,"b"\nc'  # CSV quoting round-trips
    assert by_line[9][5] == ROW_REJECTED
    assert (log.rows_rejected, log.values_dropped) == (6, 1)


def test_reject_log_in_memory_keeps_items():
    log = RejectLog()
    log.add("f", 2, "x", "r", "v")
    log.flush()
    assert [(r.line, r.raw_value) for r in log.items] == [(2, "v")]
