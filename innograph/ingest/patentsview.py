'''PatentsView: API exports (CSV or JSON) and the bulk `g_*` TSV tables.

- **API export** (`patentsview`): a CSV with `patent_number` (or `patent_id`), `patent_title`,
  `patent_abstract`, `patent_date` and optionally `assignee_organization`, `ipc`, `cpc`
  columns; or the JSON of the legacy API / PatentSearch API (`{"patents": [...]}`, a JSON array or
  JSON lines of patent objects, with nested `assignees`, `inventors`, `ipcs`/`ipcr` and
  `cpcs`/`cpc_current`). Some CSV exports quote text twice (`"""Barometer"" neuron"` becomes `"Barometer" neuron`): one
  level is undone, and the literal values `None`, `NULL`, `nan` count as empty (the baseball
  export has 608 design patents whose abstract reads `None` or `NULL`).
- **bulk tables** (`patentsview_bulk`): give `g_patent.tsv`; `g_patent_abstract.tsv`,
  `g_ipc_at_issue.tsv`, `g_cpc_current.tsv` and `g_assignee_disambiguated.tsv` found beside it
  are joined on `patent_id`. Tables that fit in `side_memory_bytes` are joined in memory; larger
  ones are first split by a hash of `patent_id` into buckets on disk (next to the output, or in
  the system temp folder) and joined one bucket at a time, so memory stays bounded; records
  then come out bucket by bucket rather than in file order. The bulk `wipo_kind` is the kind
  code; a side-table row that cannot be used is logged as a dropped value of that table.

Patent numbers get the `US` prefix: `5535303` -> `US5535303`, `RE36823` -> `USRE36823`.
'''

from __future__ import annotations

import csv
import os
import shutil
import tempfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from innograph.ingest.csvchunks import match_header, open_text
from innograph.ingest.documents import (
    Document,
    RecordError,
    clean_text,
    convert_records,
    csv_records,
    date_field,
    ipc_field,
    patent_document,
    split_names,
    unique,
    unwrap_quotes,
)
from innograph.ingest.ipc import normalize_ipc
from innograph.ingest.rejects import VALUE_DROPPED, RejectLog

API = "patentsview"
BULK = "patentsview_bulk"

CSV_FIELDS = {
    "pn": ("patent_number", "patent_id"),
    "title": ("patent_title",),
    "abstract": ("patent_abstract",),
    "date": ("patent_date",),
    "assignees": ("assignee_organization", "assignees"),
    "country": ("assignee_country",),
    "inventors": ("inventors",),
    "ipc": ("ipc", "ipcs", "ipc_codes"),
    "cpc": ("cpc", "cpcs", "cpc_group_id", "cpc_subgroup_id", "cpc_codes"),
}


def read(path, rejects: RejectLog, stats, chunk_rows: int = 20_000, progress=None) -> Iterator[list[Document]]:
    """A PatentsView API export, CSV or JSON."""
    name = str(path)
    if _is_json(path):
        from innograph.ingest.jsonrecords import read_json_documents

        yield from read_json_documents(path, lambda obj, file, line: _from_json(obj, file, line, rejects),
                                       "a patent record", rejects, stats, chunk_rows, progress,
                                       records=_patent_objects(path))
        return

    def convert_row(row, line):
        return _from_csv(row, name, line, rejects)

    records = csv_records(path, CSV_FIELDS, ("pn",), "PatentsView export", rejects, stats, chunk_rows)
    yield from convert_records(records, convert_row, name, rejects, stats, chunk_rows, progress)


def _is_json(path) -> bool:
    with open(path, "rb") as fh:
        head = fh.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head[:1] in (b"{", b"[")


def _patent_objects(path):
    """Records of a PatentsView JSON file: the API response wrapper or plain arrays / lines."""
    from innograph.ingest.jsonrecords import iter_json_records

    for line, obj in iter_json_records(path):
        if isinstance(obj, dict) and isinstance(obj.get("patents"), list):  # one response object
            for item in obj["patents"]:
                yield line, item
        else:
            yield line, obj


_NULLS = {"None", "NULL", "nan", "NaN"}  # written by the tools that made some exports


def _from_csv(row: dict, file: str, line: int, rejects: RejectLog) -> Document:
    text = {k: None if v.strip() in _NULLS else unwrap_quotes(v) for k, v in row.items()}
    year, date = date_field(text.get("date"), file, line, "patent_date", rejects)
    return patent_document(
        text["pn"], API, file, line, country="US",
        title=clean_text(text.get("title")), abstract=clean_text(text.get("abstract")),
        year=year, date=date,
        ipc=ipc_field(text.get("ipc"), file, line, "ipc", rejects),
        cpc=ipc_field(text.get("cpc"), file, line, "cpc", rejects),
        assignees=split_names(text.get("assignees")) if text.get("assignees") else [],
        authors=split_names(text.get("inventors")) if text.get("inventors") else [],
        countries=unique([(text.get("country") or "").strip().upper()]) if text.get("country") else [],
    )


def _ipc_of(item: dict) -> str | None:
    """`{"ipc_section": "G", "ipc_class": "06", "ipc_subclass": "N", "ipc_main_group": "3",
    "ipc_subgroup": "08"}` -> `G06N3/08` (raw; normalised by the caller)."""
    parts = [str(item.get(k) or "").strip() for k in
             ("ipc_section", "ipc_class", "ipc_subclass", "ipc_main_group", "ipc_subgroup")]
    if not parts[0]:
        return None
    head = "".join(parts[:3])
    return f"{head}{parts[3]}/{parts[4]}" if parts[3] else head


def _from_json(obj, file: str, line: int, rejects: RejectLog) -> Document:
    pn = obj.get("patent_number") or obj.get("patent_id")
    year, date = date_field(obj.get("patent_date"), file, line, "patent_date", rejects)
    ipc_raw = [c for c in (_ipc_of(i) for i in (obj.get("ipcs") or obj.get("ipcr") or [])
                           if isinstance(i, dict)) if c]
    cpc_raw = [str(c.get("cpc_subgroup_id") or c.get("cpc_group_id") or c.get("cpc_group") or "")
               for c in (obj.get("cpcs") or obj.get("cpc_current") or obj.get("cpc_at_issue") or [])
               if isinstance(c, dict)]
    assignees, countries = [], []
    for a in obj.get("assignees") or []:
        if not isinstance(a, dict):
            continue
        org = a.get("assignee_organization") or " ".join(
            filter(None, (a.get("assignee_individual_name_first") or a.get("assignee_first_name"),
                          a.get("assignee_individual_name_last") or a.get("assignee_last_name"))))
        if org:
            assignees.append(clean_text(org))
        countries.append((a.get("assignee_country") or "").strip().upper())
    inventors = []
    for i in obj.get("inventors") or []:
        if not isinstance(i, dict):
            continue
        nm = " ".join(filter(None, (i.get("inventor_name_first") or i.get("inventor_first_name"),
                                    i.get("inventor_name_last") or i.get("inventor_last_name"))))
        if nm:
            inventors.append(clean_text(nm))
        countries.append((i.get("inventor_country") or "").strip().upper())
    return patent_document(
        pn if pn is None else str(pn), API, file, line, country="US",
        title=clean_text(obj.get("patent_title")), abstract=clean_text(obj.get("patent_abstract")),
        year=year, date=date,
        ipc=ipc_field(ipc_raw, file, line, "ipcs", rejects),
        cpc=ipc_field([c for c in cpc_raw if c], file, line, "cpcs", rejects),
        assignees=unique(assignees), authors=unique(inventors),
        countries=unique(c for c in countries if len(c) == 2),
    )


# ---------------------------------------------------------------------------------------------
# bulk tables

SIDE_TABLES = {
    "abstract": "g_patent_abstract.tsv",
    "ipc": "g_ipc_at_issue.tsv",
    "cpc": "g_cpc_current.tsv",
    "assignees": "g_assignee_disambiguated.tsv",
}
BULK_FIELDS = {
    "pn": ("patent_id",), "type": ("patent_type",), "date": ("patent_date",),
    "title": ("patent_title",), "kind": ("wipo_kind",), "withdrawn": ("withdrawn",),
}
SIDE_FIELDS = {
    "abstract": {"pn": ("patent_id",), "abstract": ("patent_abstract",)},
    "ipc": {"pn": ("patent_id",), "seq": ("ipc_sequence",), "section": ("section",),
            "class": ("ipc_class",), "subclass": ("subclass",), "main_group": ("main_group",),
            "subgroup": ("subgroup",)},
    "cpc": {"pn": ("patent_id",), "seq": ("cpc_sequence",), "group": ("cpc_group",)},
    "assignees": {"pn": ("patent_id",), "seq": ("assignee_sequence",),
                  "org": ("disambig_assignee_organization",),
                  "first": ("disambig_assignee_individual_name_first",),
                  "last": ("disambig_assignee_individual_name_last",)},
}
SIDE_MEMORY_BYTES = 1 << 30  # side tables up to this size on disk are joined in memory
_BUCKET_BYTES = 256 << 20


def side_tables(path) -> dict[str, Path]:
    """The bulk tables found beside `g_patent.tsv`."""
    folder = Path(path).parent
    return {k: folder / v for k, v in SIDE_TABLES.items() if (folder / v).is_file()}


def read_bulk(path, rejects: RejectLog, stats, chunk_rows: int = 20_000, progress=None,
              side_memory_bytes: int = SIDE_MEMORY_BYTES, work_dir=None) -> Iterator[list[Document]]:
    """`g_patent.tsv` joined with the side tables beside it."""
    name = str(path)
    sides = side_tables(path)
    side_size = sum(p.stat().st_size for p in sides.values())

    def convert(index):
        return lambda row, line: _from_bulk(row, index, name, line, rejects)

    if side_size <= side_memory_bytes:
        index = {k: _load_side(k, _table_rows(p, SIDE_FIELDS[k], rejects), rejects, str(p))
                 for k, p in sides.items()}
        records = csv_records(path, BULK_FIELDS, ("pn", "title"), "PatentsView g_patent", rejects,
                              stats, chunk_rows, delimiter="\t")
        yield from convert_records(records, convert(index), name, rejects, stats, chunk_rows, progress)
        return
    n = max(2, -(-(side_size + os.path.getsize(path)) // _BUCKET_BYTES))
    tmp = Path(tempfile.mkdtemp(prefix="patentsview-join-", dir=work_dir))
    try:
        patents = _split(csv_records(path, BULK_FIELDS, ("pn", "title"), "PatentsView g_patent",
                                     rejects, stats, chunk_rows, delimiter="\t"),
                         list(BULK_FIELDS), n, tmp / "g_patent")
        split_sides = {k: _split(_table_rows(p, SIDE_FIELDS[k], rejects), list(SIDE_FIELDS[k]), n, tmp / k)
                       for k, p in sides.items()}
        for b in range(n):
            index = {k: _load_side(k, _bucket_rows(files[b], list(SIDE_FIELDS[k])), rejects, str(sides[k]))
                     for k, files in split_sides.items()}
            yield from convert_records(_bucket_rows(patents[b], list(BULK_FIELDS)), convert(index),
                                       name, rejects, stats, chunk_rows, progress)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _split(rows, names: list[str], n: int, prefix: Path) -> list[Path]:
    """Spread `(line, row)` over n TSV bucket files by a hash of the row's patent id."""
    files = [Path(f"{prefix}-{b:04d}.tsv") for b in range(n)]
    handles = [open(f, "w", encoding="utf-8", errors="surrogateescape", newline="") for f in files]
    try:
        writers = [csv.writer(h, delimiter="\t") for h in handles]
        for line, row in rows:
            pn = row["pn"].strip()
            writers[zlib.crc32(pn.encode("utf-8", "surrogateescape")) % n].writerow(
                [line] + [row.get(k, "") for k in names])
    finally:
        for h in handles:
            h.close()
    return files


def _bucket_rows(file: Path, names: list[str]):
    with open(file, encoding="utf-8", errors="surrogateescape", newline="") as fh:
        for rec in csv.reader(fh, delimiter="\t"):
            yield int(rec[0]), dict(zip(names, rec[1:]))


def _table_rows(path: Path, fields: dict, rejects: RejectLog):
    """`(line, row)` of a side table; unusable rows are logged as dropped values of that table."""
    file = str(path)
    with open_text(path) as fh:
        reader = csv.reader(fh, delimiter="\t")
        header = next(reader, None)
        if header is None:
            return
        cols = match_header(file, header, fields, ("pn",), f"PatentsView {path.name}")
        last = reader.line_num
        for row in reader:
            line, last = last + 1, reader.line_num
            if not row:
                continue
            if len(row) != len(header):
                rejects.add(file, line, "", f"expected {len(header)} fields, found {len(row)}",
                            "\t".join(row), VALUE_DROPPED)
                continue
            got = {f: row[i] for f, i in cols.items()}
            if not got["pn"].strip():
                rejects.add(file, line, "patent_id", "patent_id is missing", "", VALUE_DROPPED)
                continue
            yield line, got


def _load_side(kind: str, rows, rejects: RejectLog, file: str) -> dict:
    """patent_id -> abstract text, or -> list of (sequence, value) for the list tables."""
    out: dict[str, object] = {}
    for line, get in rows:
        pn = get["pn"].strip()
        if kind == "abstract":
            out[pn] = get.get("abstract")
            continue
        try:
            seq = int(get.get("seq") or 0)
        except ValueError:
            seq = 0
        if kind in ("ipc", "cpc"):
            raw = get.get("group") if kind == "cpc" else (
                f"{get.get('section', '')}{get.get('class', '')}{get.get('subclass', '')}"
                f"{get.get('main_group', '')}/{get.get('subgroup', '')}")
            code = normalize_ipc(raw or "")
            value = code.code if code else None
            if value is None:
                rejects.add(file, line, "cpc_group" if kind == "cpc" else "ipc", "not an IPC/CPC code",
                            raw or "", VALUE_DROPPED)
        else:
            value = clean_text(get.get("org") or " ".join(filter(None, (get.get("first"), get.get("last")))))
        if value:
            out.setdefault(pn, []).append((seq, value))
    return out


def _from_bulk(row: dict, index: dict, file: str, line: int, rejects: RejectLog) -> Document:
    pn = row["pn"].strip()
    if (row.get("withdrawn") or "").strip() in ("1", "true", "True"):
        raise RecordError("withdrawn", "patent is withdrawn", pn)
    year, date = date_field(row.get("date"), file, line, "patent_date", rejects)

    def listed(kind):
        return unique(v for _, v in sorted(index.get(kind, {}).get(pn, []), key=lambda t: t[0]))

    abstract = index.get("abstract", {}).get(pn)
    return patent_document(
        pn, BULK, file, line, country="US", kind=(row.get("kind") or "").strip() or None,
        title=clean_text(row.get("title")), abstract=clean_text(abstract), year=year, date=date,
        ipc=listed("ipc"), cpc=listed("cpc"), assignees=listed("assignees"),
    )
