"""USPTO bulk full-text XML: grants and pre-grant publications, all formats since 2001.

A weekly bulk file (`ipg*.xml`, `ipa*.xml`, `pg*.xml`, `pa*.xml`) concatenates thousands of XML
documents, each with its own `<?xml ...?>` declaration and DOCTYPE; single-document files work
the same. The file is split at the declarations (or at a DOCTYPE that starts a document without
one) and each document is parsed on its own, so memory holds one document at a time. The
DOCTYPE is dropped without loading the DTD (no network, no file access); the HTML entities the
DTDs define (`&minus;`, `&emsp;`, ...) are replaced by their characters first.

Document types (root element):
- `us-patent-grant`, `us-patent-application`: the ICE formats (v4.x, 2005 on);
- `patent-application-publication`: pre-grant publications 2001-2004 (v1.5, v1.6);
- `PATDOC`: grants 2001-2004 (ST.32 "Red Book" v2.4, v2.5; written from the DTD's tag list,
  there is no sample of it in ../shared/data).

Per record: publication number and kind (`US6859910B2`), date and year, title, abstract, IPC
(and CPC where present), assignees, inventors, and `countries` of assignees and inventors.
A document that is not well-formed XML (a truncated file) or has no publication number is
rejected with the line where it starts; the next document is read as usual.
"""

from __future__ import annotations

import html.entities
import re
from collections.abc import Iterator

from lxml import etree

from innograph.errors import InputFormatError
from innograph.ingest.documents import (
    Document,
    RecordError,
    clean_text,
    convert_records,
    date_field,
    ipc_field,
    patent_document,
    unique,
)
from innograph.ingest.rejects import RejectLog

FORMAT = "uspto_xml"
ROOTS = ("us-patent-grant", "us-patent-application", "patent-application-publication", "PATDOC")

_DECL = re.compile(rb"^\s*<\?xml[^>]*\?>", re.S)
_ENCODING = re.compile(rb"""encoding\s*=\s*["']([A-Za-z0-9._\-]+)["']""")
_DOCTYPE = re.compile(rb"<!DOCTYPE[^\[>]*(\[.*?\]\s*)?>", re.S)
_ENTITY = re.compile(rb"&([A-Za-z][A-Za-z0-9]*);")
_ELEMENT = re.compile(rb"<[A-Za-z]")
_XML_ENTITIES = {b"amp", b"lt", b"gt", b"quot", b"apos"}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True,
                          remove_comments=True, remove_pis=True)


def _entity(m: re.Match) -> bytes:
    name = m.group(1)
    if name in _XML_ENTITIES:
        return m.group(0)
    chars = html.entities.html5.get(name.decode("ascii") + ";")  # HTML 5 names cover ISO 8879 ones
    if chars is None:
        return b" "  # an unknown entity: a space, not an error
    return b"".join(b"&#%d;" % ord(c) for c in chars)


def split_documents(path) -> Iterator[tuple[int, bytes]]:
    """`(line, bytes)` of each XML document in a (possibly concatenated) file.

    A document starts at an `<?xml` declaration, or at a DOCTYPE, once the current one has had
    its root element; text before the first document is part of it.
    """
    try:
        fh = open(path, "rb")
    except FileNotFoundError:
        raise InputFormatError(f"{path}: no such file.") from None
    except IsADirectoryError:
        raise InputFormatError(f"{path}: is a directory, expected a USPTO XML file.") from None
    buf: list[bytes] = []
    start = None
    seen_root = False
    with fh:
        for number, line in enumerate(fh, 1):
            head = line.lstrip(b"\xef\xbb\xbf \t\r\n")
            if start is None and head and not head.startswith(b"<"):
                raise InputFormatError(f"{path}: line {number} is not XML; expected USPTO bulk XML "
                                       "(<?xml ...?> and a us-patent-grant or similar document).")
            if seen_root and head.startswith((b"<?xml", b"<!DOCTYPE")):
                yield start, b"".join(buf)
                buf, start, seen_root = [], None, False
            if start is None and head:
                start = number
            if _ELEMENT.match(head):
                seen_root = True
            buf.append(line)
    if seen_root or (start is not None and any(x.strip() for x in buf)):
        yield start, b"".join(buf)


def parse_document(raw: bytes) -> etree._Element:
    """Parse one document without its DTD; raises RecordError when it is not well-formed."""
    decl = _DECL.match(raw)
    encoding = None
    if decl:
        enc = _ENCODING.search(decl.group(0))
        encoding = enc.group(1).decode("ascii") if enc else None
        raw = raw[decl.end():]
    raw = _DOCTYPE.sub(b"", raw, count=1)
    raw = _ENTITY.sub(_entity, raw)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True,
                             remove_comments=True, remove_pis=True, encoding=encoding) if encoding else _PARSER
    try:
        return etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as exc:
        raise RecordError("xml", f"not well-formed XML ({exc.msg}); truncated file?",
                          raw[:300].decode("utf-8", "replace")) from None


def read(path, rejects: RejectLog, stats, chunk_rows: int = 2_000, progress=None) -> Iterator[list[Document]]:
    name = str(path)

    def convert(raw, line):
        root = parse_document(raw)
        return to_document(root, name, line, rejects)

    yield from convert_records(split_documents(path), convert, name, rejects, stats, chunk_rows, progress)


def to_document(root, file: str, line: int, rejects: RejectLog) -> Document:
    tag = root.tag
    if tag in ("us-patent-grant", "us-patent-application"):
        return _ice(root, file, line, rejects)
    if tag == "patent-application-publication":
        return _pap(root, file, line, rejects)
    if tag == "PATDOC":
        return _patdoc(root, file, line, rejects)
    raise RecordError("xml", f"not a USPTO patent document (root element <{tag}>)", tag)


# ---------------------------------------------------------------------------------------------


def _text(el) -> str | None:
    return clean_text(" ".join(el.itertext())) if el is not None else None


def _body(el) -> str | None:
    """Text of an abstract without its headings (`<heading>Abstract of Disclosure</heading>`)."""
    if el is None:
        return None
    parts = [el.text or ""]
    for child in el:
        if child.tag not in ("heading", "HEADING", "H"):
            parts.extend(child.itertext())
        parts.append(child.tail or "")
    return clean_text(" ".join(parts))


def _first(root, path: str) -> str | None:
    found = root.find(path)
    return _text(found)


def _person(el) -> str | None:
    """`first-name last-name` of an addressbook / name element, or its orgname."""
    if el is None:
        return None
    org = _first(el, "orgname") or _first(el, "organization-name")
    if org:
        return org
    parts = [_first(el, t) for t in ("first-name", "given-name", "middle-name", "last-name", "family-name")]
    return clean_text(" ".join(p for p in parts if p)) or None


def _country(el) -> str | None:
    if el is None:
        return None
    for path in (".//address/country", ".//residence/country", ".//country-code", ".//country"):
        c = _first(el, path)
        if c and len(c) == 2 and c.isalpha():
            return c.upper()
    return None


def _ice(root, file: str, line: int, rejects: RejectLog) -> Document:
    biblio = root.find("us-bibliographic-data-grant")
    if biblio is None:
        biblio = root.find("us-bibliographic-data-application")
    if biblio is None:
        raise RecordError("us-bibliographic-data", "no bibliographic data", root.tag)
    doc_id = biblio.find("publication-reference/document-id")
    if doc_id is None:
        raise RecordError("publication-reference", "publication number is missing", "")
    number = _first(doc_id, "doc-number")
    year, date = date_field(_first(doc_id, "date"), file, line, "publication date", rejects)
    ipc = []
    for c in biblio.iterfind("classifications-ipcr/classification-ipcr"):
        ipc.append("".join(_first(c, t) or "" for t in ("section", "class", "subclass"))
                   + f"{_first(c, 'main-group') or ''}/{_first(c, 'subgroup') or ''}")
    for c in biblio.iterfind("classification-ipc/main-classification"):
        ipc.append(_text(c) or "")
    for c in biblio.iterfind("classification-ipc/further-classification"):
        ipc.append(_text(c) or "")
    cpc = ["".join(_first(c, t) or "" for t in ("section", "class", "subclass"))
           + f"{_first(c, 'main-group') or ''}/{_first(c, 'subgroup') or ''}"
           for c in biblio.iterfind("classifications-cpc//classification-cpc")]
    parties = biblio.find("us-parties")
    if parties is None:
        parties = biblio.find("parties")
    assignees, inventors, countries = [], [], []
    for a in biblio.iterfind("assignees/assignee"):
        book = a.find("addressbook")
        assignees.append(_person(book if book is not None else a))
        countries.append(_country(a))
    if parties is not None:
        people = list(parties.iterfind("inventors/inventor"))
        if not people:  # 2004-2006: inventors are applicants of type applicant-inventor
            people = [a for a in parties.iterfind("applicants/applicant")
                      if "inventor" in (a.get("app-type") or "")]
            people = people or list(parties.iterfind("applicants/applicant"))
        for p in people:
            inventors.append(_person(p.find("addressbook")))
            countries.append(_country(p))
    return patent_document(
        number, FORMAT, file, line, country=_first(doc_id, "country") or "US",
        kind=_first(doc_id, "kind"),
        title=_first(biblio, "invention-title"), abstract=_body(root.find("abstract")),
        year=year, date=date,
        ipc=ipc_field([c for c in ipc if c.strip("/")], file, line, "classification-ipc", rejects),
        cpc=ipc_field([c for c in cpc if c.strip("/")], file, line, "classification-cpc", rejects),
        assignees=unique(assignees), authors=unique(inventors), countries=unique(countries),
        language=(root.get("lang") or "").lower() or None,
    )


def _pap(root, file: str, line: int, rejects: RejectLog) -> Document:
    biblio = root.find("subdoc-bibliographic-information")
    if biblio is None:
        raise RecordError("subdoc-bibliographic-information", "no bibliographic data", root.tag)
    doc_id = biblio.find("document-id")
    number = _first(doc_id, "doc-number") if doc_id is not None else None
    year, date = date_field(_first(doc_id, "document-date") if doc_id is not None else None,
                            file, line, "document-date", rejects)
    ipc = [_text(c) or "" for c in biblio.iterfind("technical-information/classification-ipc//ipc")]
    inventors, countries, assignees = [], [], []
    inv = biblio.find("inventors")
    if inv is not None:
        for p in list(inv.iterfind("first-named-inventor")) + list(inv.iterfind("inventor")):
            inventors.append(_person(p.find("name")))
            countries.append(_country(p.find("residence")))
    for a in biblio.iterfind("assignee"):
        assignees.append(_first(a, "organization-name") or _person(a.find("name")))
        countries.append(_country(a))
    return patent_document(
        number, FORMAT, file, line, country="US",
        kind=_first(doc_id, "kind-code") if doc_id is not None else None,
        title=_first(biblio, "technical-information/title-of-invention"),
        abstract=_body(root.find("subdoc-abstract")), year=year, date=date,
        ipc=ipc_field([c for c in ipc if c], file, line, "classification-ipc", rejects),
        assignees=unique(assignees), authors=unique(inventors), countries=unique(countries),
    )


def _patdoc(root, file: str, line: int, rejects: RejectLog) -> Document:
    b100 = root.find("SDOBI/B100")
    if b100 is None:
        raise RecordError("B100", "publication number is missing", "")
    number = _first(b100, "B110")
    year, date = date_field(_first(b100, "B140"), file, line, "B140", rejects)
    ipc = [_text(c) or "" for c in root.iterfind("SDOBI/B500/B510/B511")]
    ipc += [_text(c) or "" for c in root.iterfind("SDOBI/B500/B510/B512")]
    inventors, assignees, countries = [], [], []
    for p in root.iterfind("SDOBI/B700/B720/B721"):
        nam = p.find(".//NAM")
        parts = [_first(nam, t) for t in ("FNM", "SNM")] if nam is not None else []
        inventors.append(clean_text(" ".join(x for x in parts if x)))
        countries.append(_first(p, ".//CTRY"))
    for a in root.iterfind("SDOBI/B700/B730/B731"):
        assignees.append(_first(a, ".//ONM") or _first(a, ".//NAM"))
        countries.append(_first(a, ".//CTRY"))
    return patent_document(
        number, FORMAT, file, line, country="US", kind=_first(b100, "B130"),
        title=_first(root, "SDOBI/B500/B540"), abstract=_body(root.find("SDOAB")), year=year, date=date,
        ipc=ipc_field([c for c in ipc if c], file, line, "B510", rejects),
        assignees=unique(assignees), authors=unique(inventors),
        countries=unique(c.upper() for c in countries if c and len(c) == 2 and c.isalpha()),
    )
