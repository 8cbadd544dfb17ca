"""arXiv metadata snapshot: the real JSON-lines and CSV samples of ../shared/data, and bad records."""

import json

import pytest
from rawread import read_all, rejected, write

from innograph.ingest import arxiv
from innograph.ingest.rejects import ROW_REJECTED, VALUE_DROPPED

AI = {"cs.AI", "cs.LG", "cs.CL", "cs.CV", "cs.NE", "cs.IR", "stat.ML"}


@pytest.fixture(scope="module")
def jsonl(shared_data):
    return read_all(arxiv.read, shared_data / "papers" / "arxiv_snapshot_sample.jsonl")


@pytest.fixture(scope="module")
def csv_sample(shared_data):
    return read_all(arxiv.read, shared_data / "papers" / "arxiv_snapshot_sample.csv")


def test_json_lines(jsonl):
    docs, log, stats = jsonl
    assert (stats.read, stats.kept, stats.rejected) == (1130, 1130, 0)
    first, last = docs[0], docs[-1]
    assert (first.id, first.alt_ids, first.doi, first.line) == ("arXiv:acc-phys/9411001", [], None, 1)
    assert first.title == "Symplectic Computation of Lyapunov Exponents"
    assert (first.date, first.year) == ("1994-11-01", 1994)  # versions[0].created
    assert first.authors == ["Salman Habib", "Robert D. Ryne"]
    assert first.arxiv_categories == ["acc-phys", "physics.acc-ph"]
    assert (last.id, last.alt_ids, last.line) == ("10.1103/physrevb.51.15478", ["arXiv:supr-con/9411001"], 1130)
    assert last.venue == "Phys. Rev. B 51, 15478--15483 (1995)"
    assert last.affiliations == ["Physik-Institut, University Zurich, CH-8057 Zurich, Switzerland"]
    assert (last.countries, last.country) == (["CH"], "CH")  # from the bracketed affiliation
    assert sum(d.id.startswith("10.") for d in docs) == 646
    # the one non-DOI in the doi field (a handle) is logged, the record kept under its arXiv id
    assert [(r[1], r[2], r[3]) for r in rejected(log)] == [("doi", "not a DOI", VALUE_DROPPED)]
    assert sum(bool(AI & set(d.arxiv_categories)) for d in docs) == 18
    assert min(d.year for d in docs) == 1991 and max(d.year for d in docs) == 2024
    nash = next(d for d in docs if d.id == "arXiv:acc-phys/9411002")
    assert nash.authors == ["Patrick L. Nash"] and nash.affiliations == ["University of Texas at San Antonio"]


def test_csv(csv_sample):
    docs, log, stats = csv_sample
    assert (stats.read, stats.kept, stats.rejected, stats.values_dropped) == (2000, 2000, 0, 0)
    first, last = docs[0], docs[-1]
    # ids that a spreadsheet turned into numbers are repaired: 704.0001 -> 0704.0001, 704.2 -> 0704.2000
    assert (first.id, first.alt_ids, first.line) == ("10.1103/physrevd.76.013009", ["arXiv:0704.0001"], 2)
    assert (last.id, last.alt_ids, last.line) == ("10.1016/j.physletb.2007.08.070", ["arXiv:0704.2000"], 26363)
    assert first.authors == ["C. Balázs", "E. L. Berger", "P. M. Nadolsky", "C. -P. Yuan"]  # authors_parsed
    assert first.title == "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies"
    assert (first.date, first.venue, first.arxiv_categories) == ("2007-04-02", "Phys.Rev.D76:013009,2007", ["hep-ph"])
    assert all(d.year == 2007 for d in docs)
    assert sum(d.id.startswith("10.") for d in docs) == 1316
    assert sum(bool(AI & set(d.arxiv_categories)) for d in docs) == 20
    assert sum(bool(d.countries) for d in docs) == 64


def test_bad_records(tmp_path):
    good = {"id": "0704.0001", "title": "T", "authors": "A. Author (MIT, Cambridge, USA)", "categories": "cs.LG",
            "versions": [{"version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"}], "doi": None}
    lines = [json.dumps(good), json.dumps(dict(good, id=None)), "{\"id\": \"0704.0003\", \"title\": ",
             json.dumps(dict(good, id="not-an-id")), "", json.dumps(dict(good, id="0704.0005", versions=[]))]
    docs, log, stats = read_all(arxiv.read, write(tmp_path, "a.jsonl", "\n".join(lines) + "\n"))
    assert [(d.id, d.year, d.countries) for d in docs] == [("arXiv:0704.0001", 2007, ["US"]),
                                                           ("arXiv:0704.0005", 2007, ["US"])]  # year from the id
    assert rejected(log) == [
        (2, "id", "arXiv id is missing", ROW_REJECTED),
        (3, "json", "malformed JSON (Expecting value)", ROW_REJECTED),
        (4, "id", "not an arXiv id", ROW_REJECTED),
    ]
    assert (stats.read, stats.kept, stats.rejected) == (5, 2, 3) and stats.reconciles()
