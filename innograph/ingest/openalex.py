"""OpenAlex works: snapshot files (JSON lines), API pages (`{"meta": ..., "results": [...]}`) or a
JSON array of work objects.

Per work: id = DOI if any, else `arXiv:<id>` (from an arxiv.org location), else the OpenAlex id
`W...` (always kept as an alt id); abstract rebuilt from `abstract_inverted_index` (word ->
positions); year `publication_year`; venue `primary_location.source.display_name` (or the
older `host_venue.display_name`); authors and affiliations from `authorships` (institution
names, else the raw affiliation strings); `countries` from the institutions' `country_code`
(and `authorships[].countries`; from the raw strings where no institution is matched), in order
of appearance; language `language`;
`fields_of_study` = the distinct `field` of `topics` (2024 schema), else level-0 `concepts`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from innograph.ingest.country import countries_of_affiliations, is_known_code
from innograph.ingest.documents import (
    Document,
    RecordError,
    clean_text,
    date_field,
    doi_or_none,
    normalize_arxiv_id,
    paper_document,
    unique,
)
from innograph.ingest.jsonrecords import read_json_documents
from innograph.ingest.rejects import VALUE_DROPPED, RejectLog

FORMAT = "openalex"
_WORK_ID = re.compile(r"(?:https?://openalex\.org/)?(W\d+)$", re.I)
_ARXIV_URL = re.compile(r"arxiv\.org/(?:abs|pdf)/([^\s?#]+?)(?:\.pdf)?$", re.I)


def read(path, rejects: RejectLog, stats, chunk_rows: int = 20_000, progress=None) -> Iterator[list[Document]]:
    yield from read_json_documents(path, lambda obj, file, line: to_document(obj, file, line, rejects),
                                   "an OpenAlex work", rejects, stats, chunk_rows, progress)


def abstract_from_inverted_index(index) -> str | None:
    """`{"Deep": [0], "nets": [1, 3], "learn": [2]}` -> `Deep nets learn nets`."""
    if not isinstance(index, dict) or not index:
        return None
    slots: dict[int, str] = {}
    for word, positions in index.items():
        for p in positions if isinstance(positions, list) else []:
            if isinstance(p, int):
                slots[p] = word
    return clean_text(" ".join(slots[i] for i in sorted(slots)))


def _arxiv_of(work: dict) -> str | None:
    locations = [work.get("primary_location"), work.get("best_oa_location"), *(work.get("locations") or [])]
    for loc in locations:
        if not isinstance(loc, dict):
            continue
        for key in ("landing_page_url", "pdf_url"):
            m = _ARXIV_URL.search(str(loc.get(key) or ""))
            if m and (arxiv := normalize_arxiv_id(m.group(1))):
                return arxiv
    return None


def to_document(work: dict, file: str, line: int, rejects: RejectLog) -> Document:
    m = _WORK_ID.search(str(work.get("id") or ""))
    if not m:
        raise RecordError("id", "OpenAlex work id is missing" if not work.get("id") else "not an OpenAlex work id",
                          str(work.get("id") or ""))
    wid = m.group(1).upper()
    ids = work.get("ids") if isinstance(work.get("ids"), dict) else {}
    doi = doi_or_none(work.get("doi") or ids.get("doi"))
    year, date = date_field(work.get("publication_date"), file, line, "publication_date", rejects)
    if work.get("publication_year") is not None:
        y, _ = date_field(work.get("publication_year"), file, line, "publication_year", rejects)
        year = y if y is not None else year
    authors, affiliations, countries = [], [], []
    for a in work.get("authorships") or []:
        if not isinstance(a, dict):
            continue
        authors.append(clean_text((a.get("author") or {}).get("display_name")) or clean_text(a.get("raw_author_name")))
        insts = [i for i in a.get("institutions") or [] if isinstance(i, dict)]
        affiliations += [clean_text(i.get("display_name")) for i in insts]
        if not insts:  # no matched institution: the raw strings, and countries read from them
            raw = [clean_text(s) for s in a.get("raw_affiliation_strings") or [] if isinstance(s, str)]
            affiliations += raw
            countries += countries_of_affiliations("; ".join(r for r in raw if r))
        for code in [i.get("country_code") for i in insts] + list(a.get("countries") or []):
            code = (code or "").strip().upper()
            if code and not is_known_code(code):
                rejects.add(file, line, "country_code", "not a country code", code, VALUE_DROPPED)
            elif code:
                countries.append(code)
    topics = [t for t in work.get("topics") or [] if isinstance(t, dict)]
    if topics:
        fos = [(t.get("field") or {}).get("display_name") for t in topics]
    else:
        fos = [c.get("display_name") for c in work.get("concepts") or []
               if isinstance(c, dict) and c.get("level") == 0]
    source = ((work.get("primary_location") or {}).get("source") or {}) if isinstance(
        work.get("primary_location"), dict) else {}
    venue = source.get("display_name") or (work.get("host_venue") or {}).get("display_name")
    doc = paper_document(
        FORMAT, file, line, doi=doi, arxiv=_arxiv_of(work), openalex=wid,
        title=clean_text(work.get("title") or work.get("display_name")),
        abstract=abstract_from_inverted_index(work.get("abstract_inverted_index")),
        year=year, date=date, authors=unique(authors), affiliations=unique(affiliations),
        countries=unique(countries), venue=clean_text(venue),
        language=clean_text(work.get("language")), fields_of_study=unique(clean_text(f) for f in fos),
    )
    return doc
