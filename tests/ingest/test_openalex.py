"""OpenAlex works. No real OpenAlex file is in ../shared/data: tests/data/openalex/works_page.json
is a hand-written API page following the documented Work schema (abstract_inverted_index,
authorships[].institutions[].country_code, publication_year, doi, primary_location.source,
topics and concepts)."""

import json
from pathlib import Path

import pytest
from rawread import read_all, rejected, write

from innograph.ingest import openalex
from innograph.ingest.openalex import abstract_from_inverted_index
from innograph.ingest.rejects import ROW_REJECTED, VALUE_DROPPED

PAGE = Path(__file__).resolve().parents[1] / "data" / "openalex" / "works_page.json"


@pytest.fixture(scope="module")
def page():
    return read_all(openalex.read, PAGE)


def test_api_page(page):
    docs, log, stats = page
    assert (stats.read, stats.kept, stats.rejected) == (5, 4, 1) and stats.reconciles()
    lstm, attention, old, fed = docs
    assert (lstm.id, lstm.alt_ids, lstm.doi, lstm.line) == (
        "10.1162/neco.1997.9.8.1735", ["W2064675550"], "10.1162/neco.1997.9.8.1735", 4)
    assert lstm.abstract == ("Learning to store information to over extended time intervals by recurrent "
                             "backpropagation takes a very long time.")
    assert (lstm.year, lstm.date, lstm.venue, lstm.language) == (1997, "1997-11-01", "Neural Computation", "en")
    assert lstm.authors == ["Sepp Hochreiter", "Jürgen Schmidhuber"]
    assert (lstm.countries, lstm.country) == (["DE", "CH"], "DE")
    assert lstm.fields_of_study == ["Computer Science", "Neuroscience"]  # topics' fields
    # no DOI: the arXiv id from its arxiv.org location; raw affiliation strings where no institution
    assert (attention.id, attention.alt_ids) == ("arXiv:1706.03762", ["W2963403868"])
    assert attention.affiliations == ["Google (United States)", "Google Research, Mountain View, CA, USA"]
    assert attention.countries == ["US"]
    # neither: the OpenAlex id; older schema: host_venue and level-0 concepts
    assert (old.id, old.venue, old.language, old.abstract) == ("W1981234567", "Kybernetik", "de", None)
    assert old.fields_of_study == ["Computer science", "Mathematics"]
    assert (fed.id, fed.year, fed.date, fed.countries) == ("10.5555/example.2021.42", 2021, None, ["CN"])
    assert rejected(log) == [
        (123, "id", "OpenAlex work id is missing", ROW_REJECTED),
        (128, "publication_date", "not a date (or year outside 1800-2100)", VALUE_DROPPED),
        (128, "country_code", "not a country code", VALUE_DROPPED),
    ]


def test_snapshot_lines_and_array(tmp_path):
    works = json.loads(PAGE.read_text())["results"]
    lines = write(tmp_path, "part_000.jsonl", "\n".join(json.dumps(w) for w in works) + "\n")
    docs, log, stats = read_all(openalex.read, lines)
    assert [d.id for d in docs] == [d.id for d in read_all(openalex.read, PAGE)[0]]
    assert [d.line for d in docs] == [1, 2, 3, 5] and stats.rejected == 1
    array = write(tmp_path, "works.json", json.dumps(works[:2]))
    assert [d.id for d in read_all(openalex.read, array)[0]] == ["10.1162/neco.1997.9.8.1735", "arXiv:1706.03762"]


def test_truncated_page_rejects_the_rest(tmp_path):
    text = PAGE.read_text()
    cut = write(tmp_path, "cut.json", text[: text.index('"Zur Theorie')])
    docs, log, stats = read_all(openalex.read, cut)
    assert len(docs) == 2 and stats.rejected == 1
    assert rejected(log)[0][1:3] == ("json", "malformed or truncated JSON (Expecting value); "
                                             "the rest of the file is not read")


def test_abstract_from_inverted_index():
    assert abstract_from_inverted_index({"nets": [1, 3], "Deep": [0], "learn": [2]}) == "Deep nets learn nets"
    assert abstract_from_inverted_index(None) is None and abstract_from_inverted_index({}) is None
