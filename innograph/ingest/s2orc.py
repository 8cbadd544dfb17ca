"""Semantic Scholar records: S2ORC metadata lines, the Datasets API `papers` lines, and labelled
samples such as SciRepEval's field-of-study file (a JSON array with `corpus_id`).

- S2ORC metadata (JSON lines): `paper_id, title, authors[{first, middle[], last, suffix}],
  abstract, year, venue, journal, doi, arxiv_id, mag_field_of_study[], ...`
- Datasets API `papers` (JSON lines): `corpusid, externalids{DOI, ArXiv}, title, authors[{name}],
  year, publicationdate, venue, s2fieldsofstudy[{category}]`
- labelled samples: `corpus_id, title, abstract, labels_text[]` (JSON array or lines)

Per record: id = DOI if any, else `arXiv:<id>`, else `s2:<paper_id / corpus id>` (the others
are alt ids); venue = `venue`, else `journal`; `fields_of_study` = `mag_field_of_study`,
`s2fieldsofstudy` categories or `labels_text` (the weak label).
"""

from __future__ import annotations

from collections.abc import Iterator

from innograph.ingest.documents import (
    Document,
    RecordError,
    clean_text,
    doi_or_none,
    normalize_arxiv_id,
    paper_document,
    parse_date,
    unique,
)
from innograph.ingest.jsonrecords import read_json_documents
from innograph.ingest.rejects import VALUE_DROPPED, RejectLog

FORMAT = "s2orc"


def read(path, rejects: RejectLog, stats, chunk_rows: int = 20_000, progress=None) -> Iterator[list[Document]]:
    yield from read_json_documents(path, lambda obj, file, line: to_document(obj, file, line, rejects),
                                   "a paper record", rejects, stats, chunk_rows, progress)


def _author(a) -> str | None:
    if isinstance(a, str):
        return clean_text(a)
    if not isinstance(a, dict):
        return None
    if a.get("name"):
        return clean_text(a["name"])
    middle = a.get("middle") or []
    parts = [a.get("first") or "", *(middle if isinstance(middle, list) else [middle]),
             a.get("last") or "", a.get("suffix") or ""]
    return clean_text(" ".join(str(p) for p in parts if p))


def to_document(rec: dict, file: str, line: int, rejects: RejectLog) -> Document:
    ext = rec.get("externalids") or rec.get("externalIds") or {}
    s2 = rec.get("paper_id") or rec.get("corpus_id") or rec.get("corpusid") or rec.get("corpusId")
    s2 = str(s2).strip() if s2 not in (None, "") else None
    doi = doi_or_none(rec.get("doi") or ext.get("DOI"))
    raw_arxiv = rec.get("arxiv_id") or ext.get("ArXiv")
    arxiv = normalize_arxiv_id(raw_arxiv) if raw_arxiv else None
    if raw_arxiv and arxiv is None:
        rejects.add(file, line, "arxiv_id", "not an arXiv id", str(raw_arxiv), VALUE_DROPPED)
    if not (s2 or doi or arxiv):
        raise RecordError("paper_id", "paper_id (or corpus_id) is missing", "")
    year, date = parse_date(rec.get("publicationdate") or rec.get("publicationDate"))
    if rec.get("year") not in (None, ""):
        y, _ = parse_date(rec.get("year") if isinstance(rec.get("year"), int) else str(rec.get("year")))
        if y is None:
            rejects.add(file, line, "year", "not a year in 1800-2100", str(rec.get("year")), VALUE_DROPPED)
        else:
            year = y
            date = date if date and date.startswith(f"{y:04d}") else None
    fos = rec.get("mag_field_of_study") or rec.get("labels_text") or [
        f.get("category") for f in rec.get("s2fieldsofstudy") or rec.get("s2FieldsOfStudy") or []
        if isinstance(f, dict)]
    authors = rec.get("authors") or []
    return paper_document(
        FORMAT, file, line, doi=doi, arxiv=arxiv, s2=s2,
        title=clean_text(rec.get("title")), abstract=clean_text(rec.get("abstract")),
        year=year, date=date,
        authors=unique(_author(a) for a in (authors if isinstance(authors, list) else [])),
        venue=clean_text(rec.get("venue")) or clean_text(rec.get("journal")),
        fields_of_study=unique(clean_text(f) for f in (fos if isinstance(fos, list) else [fos])),
    )
