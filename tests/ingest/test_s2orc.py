"""Semantic Scholar records: the real S2ORC metadata sample and the field-of-study sample."""

import json

from rawread import read_all, rejected, write

from innograph.ingest import s2orc
from innograph.ingest.rejects import ROW_REJECTED, VALUE_DROPPED


def test_s2orc_metadata(shared_data):
    docs, log, stats = read_all(s2orc.read, shared_data / "papers" / "s2orc_metadata_sample.jsonl")
    assert (stats.read, stats.kept, stats.rejected, stats.values_dropped) == (1000, 1000, 0, 0)
    first, last = docs[0], docs[-1]
    assert (first.id, first.alt_ids, first.line) == ("s2:77490025", [], 1)  # no DOI, no arXiv id
    assert first.title == "State of external ocular muscles in strabismus of different duration"
    assert (first.year, first.venue, first.fields_of_study) == (1975, "Oftalmologicheskiĭ zhurnal", ["Medicine"])
    assert first.authors[:2] == ["Pen'kov Ma", "Konstantinovskaia Ke"]
    assert (last.id, last.alt_ids, last.line) == ("10.1134/s1027451011020169", ["s2:123626555"], 1000)
    assert (last.year, last.fields_of_study, last.authors[0]) == (2011, ["Physics"], "A. B. Rubtsov")
    assert last.venue == "Journal of Surface Investigation. X-ray, Synchrotron and Neutron Techniques"
    assert sum(d.id.startswith("10.") for d in docs) == 587
    arxiv_ids = [d for d in docs if "arXiv:" in d.id or any(a.startswith("arXiv:") for a in d.alt_ids)]
    assert len(arxiv_ids) == 36
    assert next(d for d in docs if d.id == "arXiv:math/0610659").alt_ids == ["s2:18981336"]
    assert sum(d.abstract is not None for d in docs) == 488
    assert sum("Computer Science" in d.fields_of_study for d in docs) == 65
    assert sum(d.year is None for d in docs) == 13


def test_field_of_study_sample(shared_data):
    docs, log, stats = read_all(s2orc.read, shared_data / "papers" / "fos_small.json")  # one JSON array
    assert (stats.read, stats.kept, stats.rejected) == (205, 205, 0)
    assert (docs[0].id, docs[0].fields_of_study) == ("s2:121676082", ["Mathematics"])
    assert docs[0].title == "Estimating quantiles using optimally selected order statistics"
    assert (docs[-1].id, docs[-1].fields_of_study) == ("s2:111274344", ["Engineering"])
    labels = (shared_data / "papers" / "fos_labels.txt").read_text().split("\n")
    assert {f for d in docs for f in d.fields_of_study} <= {x.strip() for x in labels if x.strip()}
    assert sum(len(d.fields_of_study) > 1 for d in docs) == 32


def test_datasets_api_lines_and_rejects(tmp_path):
    rows = [
        {"corpusid": 42, "externalids": {"DOI": "10.1000/XYZ", "ArXiv": "1706.03762"}, "title": "T",
         "authors": [{"authorId": "1", "name": "Ada Lovelace"}], "year": 2017, "publicationdate": "2017-06-12",
         "venue": "NeurIPS", "s2fieldsofstudy": [{"category": "Computer Science", "source": "s2-fos-model"}]},
        {"title": "no ids at all"},
        {"paper_id": "7", "title": "bad year and arXiv id", "year": 3000, "arxiv_id": "nope"},
    ]
    path = write(tmp_path, "papers.jsonl", "\n".join(json.dumps(r) for r in rows) + "\n[1, 2]\n")
    docs, log, stats = read_all(s2orc.read, path)
    a = docs[0]
    assert (a.id, a.alt_ids, a.year, a.date, a.venue) == ("10.1000/xyz", ["arXiv:1706.03762", "s2:42"], 2017,
                                                          "2017-06-12", "NeurIPS")
    assert a.authors == ["Ada Lovelace"] and a.fields_of_study == ["Computer Science"]
    assert (docs[1].id, docs[1].year) == ("s2:7", None)
    assert rejected(log) == [
        (2, "paper_id", "paper_id (or corpus_id) is missing", ROW_REJECTED),
        (3, "arxiv_id", "not an arXiv id", VALUE_DROPPED),
        (3, "year", "not a year in 1800-2100", VALUE_DROPPED),
        (4, "json", "a paper record must be a JSON object", ROW_REJECTED),
    ]
    assert stats.reconciles() and (stats.read, stats.kept) == (4, 2)


def test_bytes_that_are_not_utf8_reject_the_record(tmp_path):
    path = write(tmp_path, "bad.jsonl", b'{"paper_id": "1", "title": "ok"}\n{"paper_id": "2", "title": "caf\xe9"}\n'
                                        b'{"paper_id": "3", "title": "ok"}\n')
    docs, log, stats = read_all(s2orc.read, path)
    assert [d.id for d in docs] == ["s2:1", "s2:3"]
    assert rejected(log) == [(2, "json", "invalid UTF-8 bytes", ROW_REJECTED)]
    array = write(tmp_path, "bad.json", b'[{"paper_id": "1"}, {"paper_id": "2", "title": "caf\xe9"}]')
    docs, log, stats = read_all(s2orc.read, array)
    assert [d.id for d in docs] == ["s2:1"] and rejected(log)[0][2] == "invalid UTF-8 bytes"
