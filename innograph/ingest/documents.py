"""The canonical documents table that every raw-record reader produces, and merging by id.

One row per patent or paper (`Document`); `DOCUMENT_SCHEMA` is the Arrow schema derived from the
dataclass, so the Parquet files and the Python records cannot drift apart.

Ids (the `id` column):

- **patents**: the compact publication number, `US2015112182A1` (`normalize_publication_number`):
  office code, number, kind code. Numbers are normalised so every source writes one form:
  PatentsView's bare `5535303` / `RE36823` / `D349814` get the `US` prefix; US numbers lose
  leading zeros (USPTO XML `06859910` -> `US6859910`); 11-digit US pre-grant publication numbers
  (`20020032591`) take the 10-digit form Google Patents and DeepInnovationAI use (`2002032591`).
  PatentsView grants carry no kind code, so their id has none (`US5535303`); `kind_code` holds
  the kind where the source gives one.
- **papers**: the DOI (normalised: no `https://doi.org/` prefix, lower case) when the record has
  one, else `arXiv:<id>`, else `s2:<S2ORC paper_id>`, else the OpenAlex work id `W...`. The other
  identifiers of the record are kept in `alt_ids` in the same forms.

Merging (`merge_records`, used by the ingest pipeline): records of the same kind are one document
when they share a *match key*. A patent's key is its id without the kind code (`US5535303`), so
`5535303` from PatentsView, `US-5535303-A` from Google Patents and `US05535303` from USPTO XML
become one record; a paper's keys are its id and every alt id (DOI, arXiv id, S2 id, OpenAlex
id), and records sharing any key are merged transitively. In a merged record: the id is the first
record's id that has a kind code (patents) or the best id by DOI > arXiv > S2 > OpenAlex
(papers), the others go to `alt_ids`; single values (title, abstract, year, ...) come from the
first record, in input order, that has one; code and label lists (IPC, CPC, countries, arXiv
categories, fields of study, search queries, affiliations, ids) are united in order; people lists
(assignees, authors) come from the first record that has any (sources spell names differently);
`source`, `source_file` and `line` are the first record's and `merged_from` lists the others as
`format:file:line`.
"""

from __future__ import annotations

import re
import types
import typing
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields

import pyarrow as pa

from innograph.ingest.country import country_from_publication_number, is_known_code
from innograph.ingest.deepinnovation import YEAR_RANGE, normalize_doi, normalize_publication_number
from innograph.ingest.ipc import parse_ipc_list
from innograph.ingest.rejects import VALUE_DROPPED, RejectLog

PATENT = "patent"
PAPER = "paper"


@dataclass(slots=True)
class Document:
    """One canonical record. Lists are empty, not None, when the source has nothing."""

    kind: str  # "patent" or "paper"
    id: str  # see the module docstring
    title: str | None = None
    abstract: str | None = None
    year: int | None = None  # publication year (patents), first-version or publication year (papers)
    date: str | None = None  # ISO date behind `year` where the source gives one
    ipc: list[str] = field(default_factory=list)  # normalised IPC codes, `G06N3/08`
    cpc: list[str] = field(default_factory=list)  # normalised CPC codes, same notation
    country: str | None = None  # patents: office from the number; papers: first affiliation country
    countries: list[str] = field(default_factory=list)  # of affiliations / applicants and assignees
    assignees: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)  # paper authors, patent inventors
    affiliations: list[str] = field(default_factory=list)
    venue: str | None = None  # journal or conference (papers)
    language: str | None = None  # ISO 639-1 where the source says
    doi: str | None = None
    kind_code: str | None = None  # patents: A1, B2, ... where the source gives it
    alt_ids: list[str] = field(default_factory=list)
    arxiv_categories: list[str] = field(default_factory=list)  # weak label
    fields_of_study: list[str] = field(default_factory=list)  # weak label (S2ORC, OpenAlex)
    has_g06n: bool | None = None  # any IPC/CPC code in G06N; None when no codes are known
    search_queries: list[str] = field(default_factory=list)  # weak label (Google Patents search)
    source: str = ""  # reader format name
    source_file: str = ""
    line: int = 0  # physical line where the record starts
    merged_from: list[str] = field(default_factory=list)  # `format:file:line` of merged records


DOCUMENT_FIELDS = [f.name for f in fields(Document)]


def _arrow_type(annotation) -> pa.DataType:
    """Arrow type of a field annotation (`str | None`, `int`, `list[str]`, ...)."""
    if isinstance(annotation, str):  # postponed annotations
        annotation = eval(annotation, {"list": list})  # noqa: S307 - our own dataclass annotations
    origin = typing.get_origin(annotation)
    if origin is list:
        return pa.list_(_arrow_type(typing.get_args(annotation)[0]))
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _arrow_type(inner[0])
    return {str: pa.string(), int: pa.int64(), bool: pa.bool_(), float: pa.float64()}[annotation]


def _nullable(annotation) -> bool:
    text = annotation if isinstance(annotation, str) else repr(annotation)
    return "None" in text


DOCUMENT_SCHEMA = pa.schema([
    pa.field(f.name, _arrow_type(f.type), nullable=_nullable(f.type)) for f in fields(Document)
])
_LIST_FIELDS = frozenset(f.name for f in DOCUMENT_SCHEMA if pa.types.is_list(f.type))


def documents_to_table(docs: list[Document]) -> pa.Table:
    """Column-wise conversion of records to a table with `DOCUMENT_SCHEMA`."""
    return pa.table({name: pa.array([getattr(d, name) for d in docs], type=DOCUMENT_SCHEMA.field(name).type)
                     for name in DOCUMENT_FIELDS}, schema=DOCUMENT_SCHEMA)


# ---------------------------------------------------------------------------------------------
# reading records one by one


class RecordError(ValueError):
    """A record that cannot become a document: which field, why, and the raw value."""

    def __init__(self, field_name: str, reason: str, raw: object = ""):
        super().__init__(reason)
        self.field = field_name
        self.reason = reason
        self.raw = raw


def convert_records(records: Iterable[tuple[int, object]], convert, file: str, rejects: RejectLog,
                    stats, chunk_rows: int, progress=None) -> Iterator[list[Document]]:
    """Turn raw records `(line, raw)` into chunks of documents; `convert(raw, line)` returns a
    Document (or None to skip silently, e.g. a blank line) or raises RecordError.

    Counts `stats.read` and `stats.kept`; rows that fail go to `rejects` (flushed per chunk).
    """
    out: list[Document] = []
    for line, raw in records:
        stats.read += 1
        try:
            doc = convert(raw, line)
        except RecordError as exc:
            rejects.add(file, line, exc.field, exc.reason, exc.raw)
            doc = None
        if doc is not None:
            out.append(doc)
        if len(out) >= chunk_rows:
            stats.kept += len(out)
            rejects.flush()
            if progress is not None:
                progress.update(len(out))
            yield out
            out = []
    stats.kept += len(out)
    rejects.flush()
    if progress is not None:
        progress.update(len(out))
    if out:
        yield out


# ---------------------------------------------------------------------------------------------
# field helpers shared by the readers

_SPACES = re.compile(r"\s+")


def clean_text(value) -> str | None:
    """Single-spaced, stripped text in Unicode NFC (`i` + combining breve -> `ĭ`); None when empty."""
    if value is None:
        return None
    text = _SPACES.sub(" ", str(value)).strip()
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return text or None


def unwrap_quotes(value: str | None) -> str | None:
    """Undo one extra level of CSV quoting some exports carry: `"A ""B"" C"` -> `A "B" C`."""
    if value is None:
        return None
    text = value.strip()
    if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
        inner = text[1:-1]
        if '"' not in inner.replace('""', ""):
            return inner.replace('""', '"').strip()
    return text


_DATE_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})")
_DATE_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")
_YEAR_ONLY = re.compile(r"^\s*(\d{4})\s*$")


def parse_date(value) -> tuple[int | None, str | None]:
    """`2015-01-06`, `20150106`, `2015` -> (year, ISO date or None); (None, None) when not a date.

    Years outside 1800-2100 and impossible months or days count as not a date.
    """
    if value is None:
        return None, None
    if isinstance(value, int):
        return (value, None) if YEAR_RANGE[0] <= value <= YEAR_RANGE[1] else (None, None)
    text = str(value)
    m = _DATE_ISO.match(text) or _DATE_COMPACT.match(text)
    if m:
        y, mo, d = (int(g) for g in m.groups())
        if YEAR_RANGE[0] <= y <= YEAR_RANGE[1] and 1 <= mo <= 12 and 0 <= d <= 31:
            iso = f"{y:04d}-{mo:02d}-{d:02d}" if mo and d else None  # `20101100`: month known, day not
            return y, iso
        return None, None
    m = _YEAR_ONLY.match(text)
    if m and YEAR_RANGE[0] <= int(m.group(1)) <= YEAR_RANGE[1]:
        return int(m.group(1)), None
    return None, None


def date_field(value, file: str, line: int, name: str, rejects: RejectLog) -> tuple[int | None, str | None]:
    """`parse_date`, logging a non-empty value that is not a date as a dropped value."""
    year, iso = parse_date(value)
    if year is None and value not in (None, "") and str(value).strip():
        rejects.add(file, line, name, "not a date (or year outside 1800-2100)", str(value), VALUE_DROPPED)
    return year, iso


def ipc_field(raw: str | list[str] | None, file: str, line: int, name: str,
              rejects: RejectLog) -> list[str]:
    """Normalised IPC/CPC codes of a field or of a list of raw codes; bad codes are logged."""
    if raw is None:
        return []
    codes: list[str] = []
    for part in ([raw] if isinstance(raw, str) else raw):
        got, bad = parse_ipc_list(part)
        codes.extend(c for c in got if c not in codes)
        for b in bad:
            rejects.add(file, line, name, "not an IPC/CPC code", b, VALUE_DROPPED)
    return codes


def has_g06n(ipc: list[str], cpc: list[str]) -> bool | None:
    """The CPC/IPC G06N weak label: None when the record has no codes at all."""
    if not ipc and not cpc:
        return None
    return any(c.startswith("G06N") for c in ipc) or any(c.startswith("G06N") for c in cpc)


_NAME_SPLIT = re.compile(r"\s*[,;]\s*")
_SUFFIXES = {
    "inc", "ltd", "llc", "llp", "lp", "co", "corp", "corporation", "company", "gmbh", "ag", "sa",
    "s a", "nv", "bv", "plc", "kk", "k k", "srl", "spa", "s p a", "ab", "as", "oy", "limited",
    "incorporated", "jr", "sr", "ii", "iii", "iv", "et al", "pte", "pty", "sas", "se",
}


def split_names(text: str | None) -> list[str]:
    """Split a `,`/`;`-separated list of names, keeping company and name suffixes attached:
    `Samsung Electronics Co., Ltd., Sony Corp` -> [`Samsung Electronics Co., Ltd.`, `Sony Corp`].
    """
    if not text or not text.strip():
        return []
    out: list[str] = []
    for part in _NAME_SPLIT.split(text.strip()):
        if not part:
            continue
        key = re.sub(r"[^a-z ]", "", part.lower().replace(".", " ")).strip()
        key = _SPACES.sub(" ", key)
        if out and key in _SUFFIXES:
            out[-1] = f"{out[-1]}, {part}"
        else:
            out.append(part)
    return out


def unique(items: Iterable) -> list:
    """Items without duplicates or empties, first occurrence kept."""
    out = []
    seen = set()
    for it in items:
        if it and it not in seen:
            seen.add(it)
            out.append(it)
    return out


# ---------------------------------------------------------------------------------------------
# ids

_PN = re.compile(r"^([A-Z]{2})([A-Z0-9]*?\d[A-Z0-9]*?)([A-Z]\d?)?$")
_PN_PARTS = re.compile(r"^([A-Za-z]{2})[\s\-]+([A-Za-z0-9]*\d[A-Za-z0-9]*)[\s\-]+([A-Za-z]\d?)$")
_US_NUMBER = re.compile(r"^(RE|PP|RX|AI|D|H|T|X)?0*(\d+)$")
_US_PGPUB11 = re.compile(r"^((?:19|20)\d\d)0(\d{6})$")


def patent_id(raw: str | None, country: str | None = None, kind: str | None = None) -> tuple[str, str | None] | None:
    """(id, kind code) of a publication number in any common form, None when it is not one.

    `US-2015112182-A1`, `US2015112182A1`, `us 2015112182 a1` -> (`US2015112182A1`, `A1`);
    `5535303` with `country="US"` -> (`US5535303`, None); `06859910`, country US, kind B2 ->
    (`US6859910B2`, `B2`); `20020032591`, US, A1 -> (`US2002032591A1`, `A1`). Numbers holding
    letters (`SG-11201601799V-A`, `IN-2014DN09120-A`) are split at their separators; written
    without separators the last letter is taken for the kind code.
    """
    if raw is None:
        return None
    text = str(raw).strip()
    if m := _PN_PARTS.match(text):
        office, number, kind_code = m.group(1).upper(), m.group(2).upper(), m.group(3).upper()
    else:
        pn = normalize_publication_number(text)
        if not pn:
            return None
        if country and not pn.startswith(country.upper()):  # bare numbers: `5535303`, `RE36823`
            pn = country.upper() + pn
        m = _PN.match(pn)
        if not m:
            return None
        office, number, kind_code = m.groups()
        if kind and not kind_code:
            kind_code = normalize_publication_number(kind) or None
    if not is_known_code(office):
        return None
    if office == "US":
        if u := _US_NUMBER.match(number):
            number = (u.group(1) or "") + u.group(2)
        if p := _US_PGPUB11.match(number):
            number = p.group(1) + p.group(2)
    return f"{office}{number}{kind_code or ''}", kind_code


def patent_key(pid: str, kind_code: str | None) -> str:
    """The match key of a patent: its id without the kind code (`US5535303A` -> `US5535303`)."""
    return pid[: -len(kind_code)] if kind_code and pid.endswith(kind_code) else pid


_ARXIV_NEW = re.compile(r"^(\d{3,4})\.(\d{1,5})(v\d+)?$")
_ARXIV_OLD = re.compile(r"^([a-z\-]+(?:\.[A-Z]{2})?)/(\d{7})(v\d+)?$")
_ARXIV_PREFIX = re.compile(r"^(arxiv:|https?://arxiv\.org/abs/)", re.I)


def normalize_arxiv_id(raw: str | None) -> str | None:
    """`0704.0001`, `arXiv:0704.0001v2`, `hep-th/9901001` -> canonical id without version.

    Repairs ids that a spreadsheet turned into numbers: the leading zero (`704.0001` ->
    `0704.0001`) and trailing zeros (`704.2` -> `0704.2000`): numbers have 4 digits before
    2015-01 and 5 from then on, so the padding is unambiguous. None when the text is no arXiv id.
    """
    if raw is None:
        return None
    text = _ARXIV_PREFIX.sub("", str(raw).strip())
    if m := _ARXIV_NEW.match(text):
        yymm = m.group(1).zfill(4)
        width = 5 if int(yymm) >= 1501 else 4
        if not 1 <= int(yymm[2:]) <= 12 or len(m.group(2)) > width:
            return None
        return f"{yymm}.{m.group(2).ljust(width, '0')}"
    if m := _ARXIV_OLD.match(text):
        return f"{m.group(1)}/{m.group(2)}"
    return None


def arxiv_year(arxiv: str) -> int | None:
    """Submission year encoded in an arXiv id: `0704.0001` -> 2007, `hep-th/9901001` -> 1999."""
    m = re.search(r"(?:^|/)(\d{2})(\d{2})", arxiv)
    if not m:
        return None
    yy = int(m.group(1))
    return 1900 + yy if yy >= 91 else 2000 + yy


def doi_or_none(raw) -> str | None:
    """Normalised DOI (`normalize_doi`), None unless it looks like one (`10.<registrant>/...`)."""
    if raw is None:
        return None
    doi = normalize_doi(str(raw))
    return doi if doi.startswith("10.") and "/" in doi else None


_PAPER_PRIORITY = (("10.", 0), ("arXiv:", 1), ("s2:", 2), ("W", 3))


def _paper_rank(pid: str) -> int:
    for prefix, rank in _PAPER_PRIORITY:
        if pid.startswith(prefix):
            return rank
    return len(_PAPER_PRIORITY)


def paper_ids(doi: str | None = None, arxiv: str | None = None, s2: str | None = None,
              openalex: str | None = None) -> tuple[str, list[str]] | None:
    """(id, alt_ids) by the rule DOI > `arXiv:<id>` > `s2:<id>` > OpenAlex `W...`; None if none."""
    ids = [i for i in (doi, f"arXiv:{arxiv}" if arxiv else None, f"s2:{s2}" if s2 else None, openalex) if i]
    if not ids:
        return None
    return ids[0], ids[1:]


def patent_document(raw_pn, source: str, file: str, line: int, country: str | None = None,
                    kind: str | None = None, **values) -> Document:
    """A patent record with its id, office country and G06N label filled in.

    Raises RecordError when the publication number is missing or not one.
    """
    if raw_pn is None or not str(raw_pn).strip():
        raise RecordError("publication_number", "publication number is missing", "")
    got = patent_id(raw_pn, country, kind)
    if got is None:
        raise RecordError("publication_number", "not a publication number", str(raw_pn))
    pid, kind_code = got
    doc = Document(kind=PATENT, id=pid, kind_code=kind_code, source=source, source_file=file,
                   line=line, **values)
    doc.country = country_from_publication_number(pid)
    doc.has_g06n = has_g06n(doc.ipc, doc.cpc)
    return doc


def paper_document(source: str, file: str, line: int, doi=None, arxiv=None, s2=None,
                   openalex=None, **values) -> Document:
    """A paper record with its id and alt ids; raises RecordError when it has no identifier."""
    got = paper_ids(doi, arxiv, s2, openalex)
    if got is None:
        raise RecordError("id", "no identifier (DOI, arXiv id or source id)", "")
    pid, alt = got
    doc = Document(kind=PAPER, id=pid, alt_ids=alt, doi=doi, source=source, source_file=file,
                   line=line, **values)
    if doc.country is None and doc.countries:
        doc.country = doc.countries[0]
    return doc


# ---------------------------------------------------------------------------------------------
# merging


def match_keys(kind: str, pid: str, kind_code: str | None, alt_ids: list[str] | None) -> list[str]:
    """Keys under which a record is matched, namespaced by kind: a patent's id without kind
    code (`patent|US5535303`); a paper's id and alt ids (`paper|10.1103/...`, `paper|arXiv:...`)."""
    if kind == PATENT:
        return [f"{kind}|{patent_key(pid, kind_code)}"]
    return unique(f"{kind}|{i}" for i in [pid, *(alt_ids or [])])


_FIRST_VALUE = ("title", "abstract", "year", "date", "country", "venue", "language", "doi")
_UNION = ("ipc", "cpc", "countries", "affiliations", "arxiv_categories", "fields_of_study",
          "search_queries")
_FIRST_LIST = ("assignees", "authors")


def merge_records(rows: list[dict]) -> dict:
    """Merge rows (dicts with the Document fields, in input order) that are one document."""
    first = rows[0]
    out = dict(first)
    all_ids = unique(i for r in rows for i in [r["id"], *(r["alt_ids"] or [])])
    if first["kind"] == PATENT:
        chosen = next((r for r in rows if r["kind_code"]), first)
        out["id"], out["kind_code"] = chosen["id"], chosen["kind_code"]
    else:
        out["id"] = min(all_ids, key=_paper_rank)  # stable: first of the best rank
    out["alt_ids"] = [i for i in all_ids if i != out["id"]]
    for name in _FIRST_VALUE:
        out[name] = next((r[name] for r in rows if r[name] not in (None, "")), None)
    if first["kind"] == PAPER and out["doi"] is None and out["id"].startswith("10."):
        out["doi"] = out["id"]
    for name in _UNION:
        out[name] = unique(v for r in rows for v in (r[name] or []))
    for name in _FIRST_LIST:
        out[name] = next((list(r[name]) for r in rows if r[name]), [])
    labels = [r["has_g06n"] for r in rows]
    merged_label = has_g06n(out["ipc"], out["cpc"])
    out["has_g06n"] = True if (merged_label or True in labels) else (
        False if (merged_label is False or False in labels) else None)
    out["merged_from"] = unique(
        [m for m in (first["merged_from"] or [])]
        + [p for r in rows[1:] for p in [f"{r['source']}:{r['source_file']}:{r['line']}", *(r["merged_from"] or [])]])
    return out


def csv_records(path, fields: dict[str, tuple[str, ...]], required: tuple[str, ...], what: str,
                rejects: RejectLog, stats, chunk_rows: int = 20_000, **kw) -> Iterator[tuple[int, dict]]:
    """`(line, {field: text})` of a CSV file (through `iter_chunks`), for `convert_records`.

    Rows `iter_chunks` itself rejects (wrong field count, bad UTF-8) are added to `stats.read`
    here, so `read = kept + rejected` holds for the file.
    """
    from innograph.ingest.csvchunks import iter_chunks

    counter = [0]
    seen = 0
    for chunk in iter_chunks(path, fields, required, what, rejects, chunk_rows, counter, **kw):
        names = list(chunk.columns)
        cols = [chunk.columns[n] for n in names]
        for i, line in enumerate(chunk.lines.tolist()):
            seen += 1
            yield line, {n: c[i] for n, c in zip(names, cols)}
    stats.read += counter[0] - seen
