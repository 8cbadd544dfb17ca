"""arXiv metadata snapshot (the Kaggle / arXiv bulk file), as JSON lines or as CSV.

Keys: `id, submitter, authors, title, comments, journal-ref, doi, report-no, categories,
license, abstract, versions, update_date` (+ `authors_parsed`). In the CSV form `versions` and
`authors_parsed` are Python-literal lists; ids that a spreadsheet turned into numbers
(`704.0001`) are repaired (`normalize_arxiv_id`).

Per record: id = DOI if any, else `arXiv:<id>` (the arXiv id is then an alt id); year and date
of the first version (`versions[0].created`), else from the id (`0704.xxxx` -> 2007); authors
from `authors_parsed` when present, else split from `authors`; affiliations are the bracketed
parts of `authors` (`Patrick L. Nash (University of Texas at San Antonio)`), and `countries`
comes from them; venue = `journal-ref`; `arxiv_categories` = `categories` split on spaces.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from email.utils import parsedate

from innograph.ingest.country import countries_of_affiliations
from innograph.ingest.documents import (
    Document,
    RecordError,
    arxiv_year,
    clean_text,
    convert_records,
    csv_records,
    doi_or_none,
    normalize_arxiv_id,
    paper_document,
    unique,
)
from innograph.ingest.rejects import VALUE_DROPPED, RejectLog

FORMAT = "arxiv"
CSV_FIELDS = {
    "id": ("id",), "authors": ("authors",), "title": ("title",), "journal-ref": ("journal-ref",),
    "doi": ("doi",), "categories": ("categories",), "abstract": ("abstract",),
    "versions": ("versions",), "update_date": ("update_date",), "authors_parsed": ("authors_parsed",),
}
_CREATED = re.compile(r"'created':\s*'([^']*)'")
_AND = re.compile(r",\s*(?:and\s+)?|\s+and\s+")
_NUMBERED = re.compile(r"\(\d+\)")
_LETTERS = re.compile(r"[^\W\d_]{2}")
_AND_ONLY = re.compile(r"^[\s\d,]*(and[\s\d,]*)*$")


def read(path, rejects: RejectLog, stats, chunk_rows: int = 20_000, progress=None) -> Iterator[list[Document]]:
    name = str(path)
    with open(path, "rb") as fh:
        head = fh.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    if head[:1] in (b"{", b"["):
        from innograph.ingest.jsonrecords import read_json_documents

        yield from read_json_documents(path, lambda obj, file, line: to_document(obj, file, line, rejects),
                                       "an arXiv record", rejects, stats, chunk_rows, progress)
        return
    records = csv_records(path, CSV_FIELDS, ("id", "title"), "arXiv metadata", rejects, stats, chunk_rows)
    yield from convert_records(records, lambda row, line: to_document(row, name, line, rejects), name, rejects,
                               stats, chunk_rows, progress)


def first_version_date(versions) -> tuple[int | None, str | None]:
    """(year, ISO date) of `versions[0].created` (`Mon, 2 Apr 2007 19:18:42 GMT`)."""
    created = None
    if isinstance(versions, list) and versions and isinstance(versions[0], dict):
        created = versions[0].get("created")
    elif isinstance(versions, str) and (m := _CREATED.search(versions)):
        created = m.group(1)
    t = parsedate(created) if created else None
    if not t:
        return None, None
    return t[0], f"{t[0]:04d}-{t[1]:02d}-{t[2]:02d}"


def split_authors(text: str | None) -> tuple[list[str], list[str]]:
    """(authors, affiliations) of an arXiv `authors` string; bracketed parts are affiliations."""
    if not text:
        return [], []
    affiliations: list[str] = []
    names: list[str] = []
    depth, cur, aff = 0, [], []
    for ch in text:
        if ch == "(":
            depth += 1
            if depth == 1:
                continue
        elif ch == ")" and depth:
            depth -= 1
            if depth == 0:
                affiliations.append("".join(aff))
                aff = []
                continue
        (aff if depth else cur).append(ch)
    for part in _AND.split(" ".join("".join(cur).split())):
        part = clean_text(part)
        if part and part.lower() not in ("et al", "et al."):
            names.append(part)
    pieces = [x for a in affiliations for x in _NUMBERED.split(a)]  # "(1) CREST, (2) Univ. Tokyo"
    return names, unique(clean_text(x.strip(" ,;")) for x in pieces if _LETTERS.search(x) and not _AND_ONLY.match(x))


def _parsed_authors(value) -> list[str] | None:
    if isinstance(value, str):
        if not value.strip():
            return None
        try:
            value = ast.literal_eval(value)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            return None
    if not isinstance(value, list):
        return None
    out = []
    for item in value:
        if isinstance(item, (list, tuple)) and item:
            last, first, suffix = (list(item) + ["", "", ""])[:3]
            out.append(clean_text(" ".join(str(x) for x in (first, last, suffix) if x)))
    return [o for o in out if o]


def to_document(rec: dict, file: str, line: int, rejects: RejectLog) -> Document:
    raw_id = rec.get("id")
    if raw_id is None or not str(raw_id).strip():
        raise RecordError("id", "arXiv id is missing", "")
    arxiv = normalize_arxiv_id(str(raw_id))
    if arxiv is None:
        raise RecordError("id", "not an arXiv id", str(raw_id))
    doi_field = rec.get("doi") or ""
    dois = []
    for raw in str(doi_field).split():
        if doi := doi_or_none(raw):
            dois.append(doi)
        else:
            rejects.add(file, line, "doi", "not a DOI", raw, VALUE_DROPPED)
    year, date = first_version_date(rec.get("versions"))
    if year is None:
        year = arxiv_year(arxiv)
    authors, affiliations = split_authors(rec.get("authors"))
    parsed = _parsed_authors(rec.get("authors_parsed"))
    categories = str(rec.get("categories") or "").split()
    doc = paper_document(
        FORMAT, file, line, doi=dois[0] if dois else None, arxiv=arxiv,
        title=clean_text(rec.get("title")), abstract=clean_text(rec.get("abstract")),
        year=year, date=date, authors=parsed or authors, affiliations=affiliations,
        countries=countries_of_affiliations("; ".join(affiliations)),
        venue=clean_text(rec.get("journal-ref")), arxiv_categories=categories,
    )
    doc.alt_ids += dois[1:]
    return doc
