"""Google Patents: the search page's "Download (CSV)" export and Google Patents Public Data exports.

- **search export** (`google_patents_search`): line 1 is `search URL:,<url>`, the header is on
  line 2: `id, title, assignee, inventor/author, priority date, filing/creation date,
  publication date, grant date, result link, representative figure link`. The id
  (`US-2015112182-A1`) gives the office and kind code; the year is the publication year. The
  search terms (`q=` of the URL, brackets removed) are kept as the `search_queries` label, and
  `language=ENGLISH` in the URL sets `language` to `en`. The export has no abstracts or codes.
- **Public Data export** (`google_patents_public`): a BigQuery result with
  `publication_number, title, abstract, publication_date (YYYYMMDD), ipc_codes, assignees`
  (codes and assignees separated by `,` or `;`), optionally `cpc_codes` and `inventors`.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

from innograph.ingest.csvchunks import open_text
from innograph.ingest.documents import (
    Document,
    clean_text,
    convert_records,
    csv_records,
    date_field,
    ipc_field,
    patent_document,
    split_names,
)
from innograph.ingest.rejects import RejectLog

SEARCH = "google_patents_search"
PUBLIC = "google_patents_public"

SEARCH_FIELDS = {
    "pn": ("id",), "title": ("title",), "assignee": ("assignee",),
    "inventor": ("inventor/author", "inventor"), "priority": ("priority date",),
    "filing": ("filing/creation date",), "publication": ("publication date",),
    "grant": ("grant date",), "link": ("result link",),
}
PUBLIC_FIELDS = {
    "pn": ("publication_number",), "title": ("title",), "abstract": ("abstract",),
    "date": ("publication_date",), "ipc": ("ipc_codes", "ipc"), "cpc": ("cpc_codes", "cpc"),
    "assignees": ("assignees", "assignee", "assignee_harmonized"), "inventors": ("inventors", "inventor"),
}


def search_url(path) -> str:
    """The URL on line 1 of a search export ('' when the line has none)."""
    with open_text(path) as fh:
        first = fh.readline().strip()
    return first.split(",", 1)[1].strip().strip('"') if "," in first else ""


def query_of(url: str) -> tuple[list[str], str | None]:
    """(search terms, language) of a Google Patents search URL."""
    params = parse_qs(urlsplit(url).query)
    terms = [q.strip().strip("()").strip() for q in params.get("q", [])]
    query = " AND ".join(t for t in terms if t)
    lang = (params.get("language") or [None])[0]
    return ([query] if query else []), ({"ENGLISH": "en"}.get(lang.upper()) if lang else None)


def read_search(path, rejects: RejectLog, stats, chunk_rows: int = 20_000, progress=None) -> Iterator[list[Document]]:
    name = str(path)
    queries, language = query_of(search_url(path))

    def convert(row, line):
        year, date = date_field(row.get("publication"), name, line, "publication date", rejects)
        return patent_document(
            row["pn"], SEARCH, name, line, title=clean_text(row.get("title")), year=year, date=date,
            assignees=split_names(row.get("assignee")), authors=split_names(row.get("inventor")),
            search_queries=list(queries), language=language,
        )

    records = csv_records(path, SEARCH_FIELDS, ("pn", "title"), "Google Patents search export", rejects,
                          stats, chunk_rows, skip_lines=1)
    yield from convert_records(records, convert, name, rejects, stats, chunk_rows, progress)


def read_public(path, rejects: RejectLog, stats, chunk_rows: int = 20_000, progress=None) -> Iterator[list[Document]]:
    name = str(path)

    def convert(row, line):
        year, date = date_field(row.get("date"), name, line, "publication_date", rejects)
        return patent_document(
            row["pn"], PUBLIC, name, line, title=clean_text(row.get("title")),
            abstract=clean_text(row.get("abstract")), year=year, date=date,
            ipc=ipc_field(row.get("ipc"), name, line, "ipc_codes", rejects),
            cpc=ipc_field(row.get("cpc"), name, line, "cpc_codes", rejects),
            assignees=split_names(row.get("assignees")), authors=split_names(row.get("inventors")),
        )

    records = csv_records(path, PUBLIC_FIELDS, ("pn",), "Google Patents Public Data export", rejects,
                          stats, chunk_rows)
    yield from convert_records(records, convert, name, rejects, stats, chunk_rows, progress)
