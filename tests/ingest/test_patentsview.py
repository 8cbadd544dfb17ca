"""PatentsView: the real API-export CSVs of ../shared/data, API JSON, and the bulk g_* tables."""

import json

import pytest
from rawread import read_all, rejected, write

from innograph.ingest import patentsview as pv
from innograph.ingest.rejects import ROW_REJECTED, VALUE_DROPPED


@pytest.fixture(scope="module")
def neural(shared_data):
    return read_all(pv.read, shared_data / "patents" / "patentsview_neural_network.csv")


@pytest.fixture(scope="module")
def baseball(shared_data):
    return read_all(pv.read, shared_data / "patents" / "patentsview_baseball.csv")


def test_neural_network_export(neural):
    docs, log, stats = neural
    assert (stats.read, stats.kept, stats.rejected) == (3522, 3522, 0) and stats.reconciles()
    first, last = docs[0], docs[-1]
    assert first.id == "US5535303" and first.kind == "patent" and first.kind_code is None
    assert first.title == '"Barometer" neuron for a neural network'  # one quoting level undone
    assert first.abstract.startswith('A "Barometer" Neuron enhances stability in a Neural Network System')
    assert (first.date, first.year, first.country, first.line) == ("1996-07-09", 1996, "US", 2)
    assert first.has_g06n is None  # the export carries no codes
    assert (last.id, last.title, last.date, last.line) == (
        "US7376661", "XML-based symbolic language and interpreter", "2008-05-20", 3523)
    assert min(d.year for d in docs) == 1978 and max(d.year for d in docs) == 2018
    assert {d.id for d in docs} >= {"USRE36823", "USH2215"}  # reissues, statutory invention registrations
    assert all(d.country == "US" and d.source == "patentsview" for d in docs)


def test_baseball_export(baseball):
    docs, log, stats = baseball
    assert (stats.read, stats.kept, stats.rejected) == (2664, 2664, 0)
    assert docs[0].id == "US5269177" and docs[0].year == 1993
    assert docs[0].title == 'Apparatus and method for determining the center of percussion ("sweet spot") for baseball bats and other objects'
    assert (docs[-1].id, docs[-1].title, docs[-1].date, docs[-1].abstract) == (
        "USD707018", "Zippered baseball cap", "2014-06-17", None)  # design patents have no abstract
    assert sum(d.id.startswith("USD") for d in docs) == 608
    assert sum(d.abstract is None for d in docs) == 608  # `None` / `NULL` in the file
    assert min(d.year for d in docs) == 1976 and max(d.year for d in docs) == 2018


def test_broken_csv_rows_are_rejected(tmp_path):
    path = write(tmp_path, "pv.csv", (
        "patent_abstract,patent_date,patent_number,patent_title\n"
        "An abstract,1996-07-09,5535303,Good one\n"
        "No number,1996-07-09,,Missing id\n"
        "Bad date,1996-13-45,5535304,Kept without date\n"
        "too,few\n"
        "Bad number,2001-01-01,??,Rejected\n"))
    docs, log, stats = read_all(pv.read, path)
    assert [d.id for d in docs] == ["US5535303", "US5535304"]
    assert docs[1].year is None and docs[1].date is None
    assert rejected(log) == [
        (3, "publication_number", "publication number is missing", ROW_REJECTED),
        (4, "patent_date", "not a date (or year outside 1800-2100)", VALUE_DROPPED),
        (5, "", "expected 4 fields, found 2", ROW_REJECTED),
        (6, "publication_number", "not a publication number", ROW_REJECTED),
    ]
    assert (stats.read, stats.kept, stats.rejected) == (5, 2, 3) and stats.reconciles()


def test_api_json_legacy_and_patentsearch(tmp_path):
    legacy = {"patents": [
        {"patent_number": "10000000", "patent_title": "Coherent LADAR using intra-pixel quadrature detection",
         "patent_date": "2018-06-19", "patent_abstract": "A frequency modulated coherent laser detection...",
         "ipcs": [{"ipc_section": "G", "ipc_class": "01", "ipc_subclass": "S", "ipc_main_group": "7",
                   "ipc_subgroup": "4865"}],
         "cpcs": [{"cpc_subgroup_id": "G01S7/4865"}, {"cpc_subgroup_id": "not a code"}],
         "assignees": [{"assignee_organization": "Raytheon Company", "assignee_country": "US"}],
         "inventors": [{"inventor_first_name": "Joseph", "inventor_last_name": "Marron",
                        "inventor_country": "US"}]},
        {"patent_title": "No number"},
    ], "count": 2, "total_patent_count": 2}
    path = write(tmp_path, "legacy.json", json.dumps(legacy, indent=1))
    docs, log, stats = read_all(pv.read, path)
    d = docs[0]
    assert (d.id, d.year, d.ipc, d.cpc) == ("US10000000", 2018, ["G01S7/4865"], ["G01S7/4865"])
    assert d.assignees == ["Raytheon Company"] and d.authors == ["Joseph Marron"] and d.countries == ["US"]
    assert d.has_g06n is False
    assert [(r[1], r[2]) for r in rejected(log)] == [
        ("cpcs", "not an IPC/CPC code"), ("publication_number", "publication number is missing")]
    assert stats.reconciles() and (stats.read, stats.kept) == (2, 1)

    search = {"error": False, "count": 1, "total_hits": 1, "patents": [
        {"patent_id": "11000000", "patent_title": "Neural thing", "patent_date": "2021-05-11",
         "ipcr": [{"ipc_section": "G", "ipc_class": "06", "ipc_subclass": "N", "ipc_main_group": "3",
                   "ipc_subgroup": "08"}],
         "cpc_current": [{"cpc_group_id": "G06N3/084"}],
         "inventors": [{"inventor_name_first": "Ada", "inventor_name_last": "Lovelace", "inventor_country": "GB"}]}]}
    path = write(tmp_path, "search.json", json.dumps(search))
    docs, log, stats = read_all(pv.read, path)
    assert (docs[0].id, docs[0].ipc, docs[0].cpc, docs[0].has_g06n) == ("US11000000", ["G06N3/08"], ["G06N3/084"], True)
    assert docs[0].countries == ["GB"] and docs[0].authors == ["Ada Lovelace"]


BULK_PATENT = (
    "patent_id\tpatent_type\tpatent_date\tpatent_title\twipo_kind\tnum_claims\twithdrawn\tfilename\n"
    "10000000\tutility\t2018-06-19\tCoherent LADAR using intra-pixel quadrature detection\tB2\t20\t0\tipg180619.xml\n"
    "D800000\tdesign\t2017-10-17\tOrnamental lamp\tS1\t1\t0\tipg171017.xml\n"
    "10000001\tutility\t2018-06-19\tWithdrawn thing\tB2\t3\t1\tipg180619.xml\n"
    "\tutility\t2018-06-19\tNo id\tB2\t3\t0\tipg180619.xml\n"
    "10000002\tutility\t2018-06-19\t\"Learning, with a \"\"quoted\"\" title\"\tB1\t3\t0\tipg180619.xml\n"
)
BULK_ABSTRACT = ("patent_id\tpatent_abstract\n"
                 "10000002\tA network learns.\n"
                 "10000000\tA frequency modulated coherent laser detection system.\n")
BULK_IPC = ("patent_id\tipc_sequence\tclassification_level\tsection\tipc_class\tsubclass\tmain_group\tsubgroup\n"
            "10000002\t1\tA\tG\t06\tN\t3\t08\n"
            "10000002\t0\tA\tG\t06\tF\t17\t16\n"
            "10000000\t0\tA\tG\t01\tS\t7\t4865\n"
            "10000000\t1\tA\tQ\t99\tZ\t\t\n"
            "\t0\tA\tG\t06\tN\t3\t08\n")
BULK_CPC = ("patent_id\tcpc_sequence\tcpc_section\tcpc_class\tcpc_subclass\tcpc_group\tcpc_type\n"
            "10000002\t0\tG\tG06\tG06N\tG06N3/084\tinventional\n")
BULK_ASSIGNEE = ("patent_id\tassignee_sequence\tassignee_id\tdisambig_assignee_individual_name_first\t"
                 "disambig_assignee_individual_name_last\tdisambig_assignee_organization\tassignee_type\tlocation_id\n"
                 "10000000\t0\tabc\t\t\tRaytheon Company\t2\tloc1\n")


@pytest.fixture()
def bulk_dir(tmp_path):
    write(tmp_path, "g_patent.tsv", BULK_PATENT)
    write(tmp_path, "g_patent_abstract.tsv", BULK_ABSTRACT)
    write(tmp_path, "g_ipc_at_issue.tsv", BULK_IPC)
    write(tmp_path, "g_cpc_current.tsv", BULK_CPC)
    write(tmp_path, "g_assignee_disambiguated.tsv", BULK_ASSIGNEE)
    return tmp_path


@pytest.mark.parametrize("side_memory", [1 << 30, 0])  # joined in memory / through disk buckets
def test_bulk_tables_are_joined(bulk_dir, side_memory):
    docs, log, stats = read_all(pv.read_bulk, bulk_dir / "g_patent.tsv", side_memory_bytes=side_memory)
    by_id = {d.id: d for d in docs}
    assert set(by_id) == {"US10000000B2", "USD800000S1", "US10000002B1"}
    a = by_id["US10000000B2"]
    assert (a.kind_code, a.year, a.line) == ("B2", 2018, 2)
    assert a.abstract == "A frequency modulated coherent laser detection system."
    assert a.ipc == ["G01S7/4865"] and a.assignees == ["Raytheon Company"] and a.has_g06n is False
    c = by_id["US10000002B1"]
    assert c.title == 'Learning, with a "quoted" title'
    assert c.ipc == ["G06F17/16", "G06N3/08"]  # in ipc_sequence order
    assert c.cpc == ["G06N3/084"] and c.has_g06n is True and c.line == 6
    assert by_id["USD800000S1"].abstract is None and by_id["USD800000S1"].has_g06n is None
    assert rejected(log) == [
        (4, "withdrawn", "patent is withdrawn", ROW_REJECTED),
        (5, "publication_number", "publication number is missing", ROW_REJECTED),
        (5, "ipc", "not an IPC/CPC code", VALUE_DROPPED),  # line 5 of g_ipc_at_issue.tsv
        (6, "patent_id", "patent_id is missing", VALUE_DROPPED),
    ]
    files = {r.line: r.file for r in log.items}
    assert files[6].endswith("g_ipc_at_issue.tsv") and files[4].endswith("g_patent.tsv")
    assert (stats.read, stats.kept, stats.rejected) == (5, 3, 2) and stats.reconciles()
