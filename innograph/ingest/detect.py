"""Which reader a raw file needs, from its first bytes (or forced by name with `--format`).

| format | recognised by |
|---|---|
| `google_patents_search` | line 1 starts with `search URL:` |
| `google_patents_public` | CSV header with `publication_number` and `title` |
| `patentsview` | CSV header with `patent_number`/`patent_id` and `patent_title`; JSON with `patent_title` |
| `patentsview_bulk` | tab-separated header with `patent_id` and `patent_title` (`g_patent.tsv`) |
| `uspto_xml` | XML whose root is `us-patent-grant`, `us-patent-application`, `patent-application-publication` or `PATDOC` |
| `arxiv` | JSON with `categories` and `versions`/`authors`; CSV header with `id`, `categories`, `abstract` |
| `s2orc` | JSON with `paper_id` + `mag_field_of_study`/`s2_url`, `corpus_id`/`corpusid` |
| `openalex` | JSON with `abstract_inverted_index`, `authorships` or `openalex.org/W` ids |
"""

from __future__ import annotations

import csv
import importlib
import io
import os
import re
from collections.abc import Callable

from innograph.errors import InputFormatError

# format -> (module, function): imported on first use
READERS: dict[str, tuple[str, str]] = {
    "patentsview": ("innograph.ingest.patentsview", "read"),
    "patentsview_bulk": ("innograph.ingest.patentsview", "read_bulk"),
    "google_patents_search": ("innograph.ingest.google_patents", "read_search"),
    "google_patents_public": ("innograph.ingest.google_patents", "read_public"),
    "uspto_xml": ("innograph.ingest.uspto_xml", "read"),
    "arxiv": ("innograph.ingest.arxiv", "read"),
    "s2orc": ("innograph.ingest.s2orc", "read"),
    "openalex": ("innograph.ingest.openalex", "read"),
}
FORMATS = tuple(READERS)
KINDS = {"patentsview": "patent", "patentsview_bulk": "patent", "google_patents_search": "patent",
         "google_patents_public": "patent", "uspto_xml": "patent", "arxiv": "paper", "s2orc": "paper",
         "openalex": "paper"}
_HEAD = 64 << 10
_XML_ROOT = re.compile(rb"<(us-patent-grant|us-patent-application|patent-application-publication|PATDOC)[\s>]")


def get_reader(fmt: str) -> Callable:
    if fmt not in READERS:
        raise InputFormatError(f"Unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}.")
    module, func = READERS[fmt]
    return getattr(importlib.import_module(module), func)


def detect_format(path) -> str:
    """The format name of a raw file; InputFormatError (one sentence) when no reader fits."""
    if not os.path.exists(path):
        raise InputFormatError(f"{path}: no such file.")
    if os.path.isdir(path):
        raise InputFormatError(f"{path}: is a directory, expected a file of raw records.")
    with open(path, "rb") as fh:
        head = fh.read(_HEAD)
    text = head.decode("utf-8", "replace").lstrip("\ufeff \t\r\n")
    if not text:
        raise InputFormatError(f"{path}: the file is empty.")
    if text.startswith("search URL:"):
        return "google_patents_search"
    if text.startswith("<"):
        if _XML_ROOT.search(head):
            return "uspto_xml"
        raise InputFormatError(f"{path}: XML, but not a USPTO patent document (no us-patent-grant, "
                               "us-patent-application, patent-application-publication or PATDOC element).")
    if text[0] in "[{":
        return _detect_json(path, text)
    return _detect_table(path, text)


def _detect_json(path, text: str) -> str:
    if re.match(r"\[\s*(\[|\"|null)", text):  # arrays of arrays: no keys, no ids
        raise InputFormatError(
            f"{path}: line 1 holds a JSON array of values, not records with ids (such as the "
            "[abstract, title] lines of Google Patents abstracts); no reader takes it.")

    def has(*keys: str) -> bool:
        return any(f'"{k}"' in text for k in keys)

    if has("abstract_inverted_index", "authorships") or "openalex.org/W" in text:
        return "openalex"
    if has("patent_title", "patent_number"):
        return "patentsview"
    if has("mag_field_of_study", "s2_url", "corpus_id", "corpusid", "corpusId", "s2fieldsofstudy"):
        return "s2orc"
    if has("categories") and has("versions", "authors", "submitter"):
        return "arxiv"
    if has("paper_id"):
        return "s2orc"
    raise InputFormatError(
        f"{path}: JSON records of an unknown kind (no arXiv, S2ORC, OpenAlex or PatentsView keys in "
        "the first records); give --format.")


def _detect_table(path, text: str) -> str:
    first = text.split("\n", 1)[0].rstrip("\r")
    tab = first.count("\t") > first.count(",")
    try:
        header = next(csv.reader(io.StringIO(first), delimiter="\t" if tab else ","))
    except (csv.Error, StopIteration):
        header = []
    cols = {h.strip().lower() for h in header}
    if tab and "patent_id" in cols and "patent_title" in cols:
        return "patentsview_bulk"
    if tab and "patent_id" in cols:
        name = os.path.basename(path)
        raise InputFormatError(
            f"{path}: a PatentsView side table ({name}); give g_patent.tsv, which is joined with the "
            "g_patent_abstract, g_ipc_at_issue, g_cpc_current and g_assignee_disambiguated tables beside it.")
    if "publication_number" in cols and "title" in cols:
        return "google_patents_public"
    if ({"patent_number", "patent_id"} & cols) and "patent_title" in cols:
        return "patentsview"
    if {"id", "categories", "abstract"} <= cols:
        return "arxiv"
    shown = ", ".join(header[:6]) if header else first[:80]
    raise InputFormatError(
        f"{path}: line 1 ({shown}) is not the header of a known raw-record format; give --format "
        f"(one of {', '.join(FORMATS)}).")


def is_side_table(path) -> bool:
    """A PatentsView table that `patentsview_bulk` joins from beside g_patent.tsv."""
    from innograph.ingest.patentsview import SIDE_TABLES

    return os.path.basename(path) in SIDE_TABLES.values()
