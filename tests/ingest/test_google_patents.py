"""Google Patents: the ten real search exports and the Public Data export of ../shared/data."""

import pytest
from rawread import read_all, rejected, write

from innograph.ingest import google_patents as gp
from innograph.ingest.rejects import ROW_REJECTED, VALUE_DROPPED

# file -> (records, first id, first date, last id, last date, last line)
SEARCH = {
    "artificial-intelligence": (750, "US4999833A", "1991-03-12", "JPH10289006A", "1998-10-27", 752),
    "autonomous-systems": (677, "US6914886B2", "2005-07-05", "US9120622B1", "2015-09-01", 679),
    "computer-science": (752, "US5259766A", "1993-11-09", "US2004249643A1", "2004-12-09", 754),
    "deep-learning": (771, "US2015112182A1", "2015-04-23", "US2006224528A1", "2006-10-05", 773),
    "deep-neural-networks": (700, "US8527276B1", "2013-09-03", "CN102821002A", "2012-12-12", 702),
    "information-processing": (949, "US6567068B2", "2003-05-20", "US6215746B1", "2001-04-10", 951),
    "machine-learning": (736, "US7197497B2", "2007-03-27", "US2014310220A1", "2014-10-16", 738),
    "neural-networks": (851, "US6725208B1", "2004-04-20", "US2003055796A1", "2003-03-20", 853),
    "recurrent-neural-networks": (697, "US5828812A", "1998-10-27", "US5898304A", "1999-04-27", 699),
    "thinking-machines": (659, "US2006217818A1", "2006-09-28", "JP2010057666A", "2010-03-18", 661),
}


@pytest.fixture(scope="module")
def searches(shared_data):
    folder = shared_data / "patents" / "google_patents_search"
    return {q: read_all(gp.read_search, folder / f"gp-search-{q}.csv") for q in SEARCH}


@pytest.mark.parametrize("query", list(SEARCH))
def test_search_export(searches, query):
    n, first_id, first_date, last_id, last_date, last_line = SEARCH[query]
    docs, log, stats = searches[query]
    assert (stats.read, stats.kept, stats.rejected, stats.values_dropped) == (n, n, 0, 0)
    assert (docs[0].id, docs[0].date, docs[0].line) == (first_id, first_date, 3)  # header on line 2
    assert (docs[-1].id, docs[-1].date, docs[-1].line) == (last_id, last_date, last_line)
    label = query.replace("-", " ")
    assert all(d.search_queries == [label] and d.language == "en" for d in docs)
    assert all(d.year == int(d.date[:4]) for d in docs)


def test_search_export_fields(searches):
    docs = searches["artificial-intelligence"][0]
    first, last = docs[0], docs[-1]
    assert first.title == "Network connectivity control by artificial intelligence"  # trailing space gone
    assert (first.kind_code, first.country, first.assignees, first.authors) == (
        "A", "US", ["Itt Corporation"], ["William C. Lee"])
    assert (last.country, last.kind_code) == ("JP", "A")
    assert last.assignees == ["Yamaha Motor Co Ltd", "ヤマハ発動機株式会社"]
    assert last.authors == ["Tsuyoshi Kamiya", "Masaya Sakagami", "昌也 坂上", "剛志 神谷"]
    countries = {d.country for q in SEARCH for d in searches[q][0]}
    assert countries == {"US", "CN", "KR", "WO", "JP", "EP", "DE", "RU", "GB", "CA", "FR", "ES", "BE", "NL"}
    assert sum(len(searches[q][0]) for q in SEARCH) == 7542


def test_public_data_export(shared_data):
    docs, log, stats = read_all(gp.read_public, shared_data / "patents" / "google_patents_public_ro_membrane.csv")
    assert (stats.read, stats.kept, stats.rejected) == (4484, 4484, 0) and stats.reconciles()
    first, last = docs[0], docs[-1]
    assert (first.id, first.kind_code, first.country, first.date, first.year) == (
        "EP4119596A4", "A4", "EP", "2024-04-17", 2024)
    assert (first.title, first.abstract, first.ipc, first.assignees) == (
        "Method for producing silicone polymer", None, ["B01D15/36"], ["TORAY FINECHEMICALS CO LTD"])
    assert (last.id, last.title, last.year, last.line) == ("CN106659986A", "Composite semipermeable membrane", 2017, 4704)
    assert last.ipc == ["B01D69/10", "B01D71/56", "B01D69/12", "B01D69/00"]
    assert last.abstract.startswith("The purpose of the present invention is to provide a composite")
    assert sum(d.abstract is None for d in docs) == 1050
    assert sum(d.has_g06n is True for d in docs) == 45
    assert min(d.year for d in docs) == 2015 and max(d.year for d in docs) == 2025
    by_id = {d.id: d for d in docs}
    assert by_id["SG11201601799VA"].country == "SG" and by_id["IN2014DN09120A"].country == "IN"
    assert by_id["WO2021090601A1"].ipc == ["G06N20/00"]
    # four codes without a group ("B01D/") are dropped and logged, the records kept
    assert [(r[1], r[2], r[3]) for r in rejected(log)] == [("ipc_codes", "not an IPC/CPC code", VALUE_DROPPED)] * 4


def test_public_export_rejects(tmp_path):
    path = write(tmp_path, "pd.csv", (
        "publication_number,title,abstract,publication_date,ipc_codes,assignees\n"
        "US-2015112182-A1,Machine learning FFR,An abstract,20150423,G06N 3/08;A61B 5/02,SIEMENS\n"
        ",No number,,20150423,,\n"
        "XX-1-A,Unknown office,,20150423,,\n"
        "US-9999999-B2,\"unterminated\n"))
    docs, log, stats = read_all(gp.read_public, path)
    assert [(d.id, d.ipc, d.has_g06n) for d in docs] == [("US2015112182A1", ["G06N3/08", "A61B5/02"], True)]
    assert [(r[0], r[2], r[3]) for r in rejected(log)] == [
        (3, "publication number is missing", ROW_REJECTED),
        (4, "not a publication number", ROW_REJECTED),
        (5, "expected 6 fields, found 2", ROW_REJECTED),
    ]
    assert stats.reconciles() and stats.read == 4


def test_search_export_url_and_header(tmp_path):
    path = write(tmp_path, "gp.csv", (
        "search URL:,https://patents.google.com/?q=%28neural+network%29&q=%28chip%29&oq=x\n"
        "id,title,assignee,inventor/author,priority date,filing/creation date,publication date,grant date,result link,representative figure link\n"
        "US-10000000-B2,Coherent LADAR ,Raytheon Company,Joseph Marron,2015-03-10,2015-03-10,2018-06-19,2018-06-19,,\n"))
    docs, _, _ = read_all(gp.read_search, path)
    assert docs[0].search_queries == ["neural network AND chip"] and docs[0].language is None
    assert (docs[0].id, docs[0].title, docs[0].line) == ("US10000000B2", "Coherent LADAR", 3)
