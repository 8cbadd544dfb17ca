"""Readers for the three DeepInnovationAI files (Tables 1-2 of the paper).

- DeepPatentAI.csv: ID, PN, IPC, Title, Abstract, Year, Keywords, Novelty
- DeepDiveAI.csv: ID, Title, Source, Abstract, Name, Year, Cited, Keywords, Doi, Language, Type,
  Affiliations, Novelty
- DeepCosineAI.csv: paper_id, patent_id, similarity  (or Paper_ID, Patent_ID, Similarity,
  Paper_Year, Patent_Year)

Each reader streams chunks of canonical rows (pandas DataFrames, one row per kept record, with
its source line in `_line`) and reports every row it cannot use to a `RejectLog`.

Rules (documented in the README):
- headers are matched case-insensitively; unknown columns are ignored;
- a row is rejected when its field count is wrong, it holds bytes that are not UTF-8, its key is
  missing or invalid, a number field (ID, Year, Cited, Novelty, similarity) is not a number, or
  its Keywords are not a JSON/Python list of strings;
- an IPC code that cannot be parsed is dropped from its row and logged as a dropped value;
- duplicate keys within a file: the first occurrence is kept, later ones are rejected with the
  line of the kept one. Across files, a later file updates the earlier record (upsert).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from innograph.errors import InputFormatError
from innograph.ingest.country import countries_of_affiliations, country_from_publication_number
from innograph.ingest.csvchunks import Chunk, iter_chunks, match_header
from innograph.ingest.ipc import parse_ipc_list
from innograph.ingest.lists import normalize_keywords, parse_list_literal
from innograph.ingest.rejects import VALUE_DROPPED, RejectLog

PATENT_FIELDS = {
    "id": ("id",), "pn": ("pn", "publication_number", "patent_number"), "ipc": ("ipc",),
    "title": ("title",), "abstract": ("abstract",), "year": ("year",),
    "keywords": ("keywords",), "novelty": ("novelty",),
}
PAPER_FIELDS = {
    "id": ("id",), "title": ("title",), "source": ("source",), "abstract": ("abstract",),
    "authors": ("name", "authors"), "year": ("year",), "cited": ("cited",),
    "keywords": ("keywords",), "doi": ("doi",), "language": ("language",), "type": ("type",),
    "affiliations": ("affiliations",), "novelty": ("novelty",),
}
PAIR_FIELDS = {
    "paper": ("paper_id",), "patent": ("patent_id",), "score": ("similarity",),
    "paper_year": ("paper_year",), "patent_year": ("patent_year",),
}
# Header names as the files spell them, for messages.
HEADER_NAMES = {
    "id": "ID", "pn": "PN", "ipc": "IPC", "title": "Title", "abstract": "Abstract", "year": "Year",
    "keywords": "Keywords", "novelty": "Novelty", "source": "Source", "authors": "Name",
    "cited": "Cited", "doi": "Doi", "language": "Language", "type": "Type",
    "affiliations": "Affiliations", "paper": "paper_id", "patent": "patent_id",
    "score": "similarity", "paper_year": "Paper_Year", "patent_year": "Patent_Year",
}

YEAR_RANGE = (1800, 2100)
_PN_CLEAN = re.compile(r"[\s\-./,]")
_PN_VALID = re.compile(r"^[A-Z]{2}[A-Z0-9]*\d[A-Z0-9]*$")
_DOI_PREFIX = re.compile(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", re.I)


@dataclass
class ReadStats:
    """Per-file counts. `read = kept + rejected (+ below_tau for pairs)` always holds.

    Readers count `read` (and `kept` for documents); the loader fills the rest from the file's
    RejectLog once the file is done, because it rejects too (unknown ids, duplicate pairs).
    """

    file: str
    kind: str
    read: int = 0
    kept: int = 0
    rejected: int = 0
    duplicates: int = 0  # included in `rejected`
    values_dropped: int = 0
    below_tau: int = 0
    extra: dict = field(default_factory=dict)

    def reconciles(self) -> bool:
        return self.read == self.kept + self.rejected + self.below_tau


def normalize_publication_number(pn: str) -> str:
    """`US-2015112182-A1`, `us 2015112182 a1` -> `US2015112182A1`."""
    return _PN_CLEAN.sub("", pn).upper()


def normalize_doi(doi: str) -> str:
    return _DOI_PREFIX.sub("", doi.strip()).lower()


# ---------------------------------------------------------------------------------------------
# field checks shared by the document readers


class _Checker:
    """Collects, per row, the first field that fails; rows keep their input order."""

    def __init__(self, chunk: Chunk, file: str, rejects: RejectLog):
        self.chunk = chunk
        self.file = file
        self.rejects = rejects
        self.ok = np.ones(len(chunk), dtype=bool)

    def fail(self, mask: np.ndarray, fld: str, reason: str) -> None:
        """Reject rows where `mask` holds and that have not failed an earlier check."""
        new = mask & self.ok
        if not new.any():
            return
        raw = self.chunk.columns[fld]
        for i in np.flatnonzero(new):
            self.rejects.add(self.file, int(self.chunk.lines[i]), HEADER_NAMES[fld], reason, raw[i])
        self.ok &= ~mask

    def integer(self, fld: str, lo: int | None = None, hi: int | None = None,
                required: bool = False) -> pd.Series:
        """Parse an integer column; empty is null unless required; bad values reject the row."""
        if fld not in self.chunk.columns:
            if required:
                raise AssertionError(fld)
            return pd.Series(pd.NA, index=range(len(self.chunk)), dtype="Int64")
        raw = pd.Series(self.chunk.columns[fld], dtype="string").str.strip()
        empty = (raw == "").to_numpy()
        num = pd.to_numeric(raw.mask(raw == ""), errors="coerce")
        bad = (num.isna().to_numpy() & ~empty) | ~np.isfinite(num.fillna(0).to_numpy(dtype=float))
        whole = (num.fillna(0) % 1 == 0).to_numpy()
        self.fail(bad | ~whole, fld, f"{HEADER_NAMES[fld]} is not an integer")
        # beyond 2**53 the float parse is inexact (and beyond 2**63 Int64 wraps): reject, never alter
        self.fail(np.abs(num.fillna(0).to_numpy(dtype=float)) > 2**53, fld,
                  f"{HEADER_NAMES[fld]} is too large")
        if required:
            self.fail(empty, fld, f"{HEADER_NAMES[fld]} is missing")
        if lo is not None:
            vals = num.fillna(lo).to_numpy(dtype=float)
            self.fail((vals < lo) | (vals > hi), fld, f"{HEADER_NAMES[fld]} outside {lo}-{hi}")
        out = num.where(self.ok & ~empty)
        return out.round().astype("Int64")

    def real(self, fld: str) -> pd.Series:
        if fld not in self.chunk.columns:
            return pd.Series(np.nan, index=range(len(self.chunk)))
        raw = pd.Series(self.chunk.columns[fld], dtype="string").str.strip()
        empty = (raw == "").to_numpy()
        num = pd.to_numeric(raw.mask(raw == ""), errors="coerce").astype(float)
        bad = (num.isna().to_numpy() & ~empty) | np.isinf(num.to_numpy())
        self.fail(bad, fld, f"{HEADER_NAMES[fld]} is not a finite number")
        return num

    def keywords(self) -> list[list[str]]:
        out: list[list[str]] = []
        bad = np.zeros(len(self.chunk), dtype=bool)
        reasons: dict[int, str] = {}
        for i, text in enumerate(self.chunk.columns.get("keywords", [""] * len(self.chunk))):
            try:
                out.append(normalize_keywords(parse_list_literal(text)))
            except ValueError as exc:
                out.append([])
                bad[i] = True
                reasons[i] = str(exc)
        for i in np.flatnonzero(bad & self.ok):
            self.rejects.add(self.file, int(self.chunk.lines[i]), "Keywords",
                             f"Keywords is not a list of strings: {reasons[i]}",
                             self.chunk.columns["keywords"][i])
        self.ok &= ~bad
        return out

    def dedupe(self, keys: pd.Series, seen: dict[str, int], fld: str) -> int:
        """First occurrence wins; `seen` maps key -> line across the chunks of one file.

        Returns the number of duplicates rejected.
        """
        dup = np.zeros(len(self.chunk), dtype=bool)
        first: dict[int, int] = {}
        for i in np.flatnonzero(self.ok):
            k = keys.iat[i]
            if k in seen:
                dup[i] = True
                first[i] = seen[k]
            else:
                seen[k] = int(self.chunk.lines[i])
        for i in np.flatnonzero(dup):
            self.rejects.add(self.file, int(self.chunk.lines[i]), HEADER_NAMES[fld],
                             f"duplicate key (first occurrence on line {first[i]} kept)",
                             self.chunk.columns[fld][i])
        self.ok &= ~dup
        return int(dup.sum())


def _account(frame: pd.DataFrame, rejects: RejectLog, stats: ReadStats, counter: list[int]) -> pd.DataFrame:
    """A chunk is done: write its rejects, count what was read and what was kept."""
    rejects.flush()
    stats.kept += len(frame)
    stats.read = counter[0]
    return frame


def _text(chunk: Chunk, fld: str) -> pd.Series:
    """A text column with empty strings as null."""
    if fld not in chunk.columns:
        return pd.Series(pd.NA, index=range(len(chunk)), dtype="string")
    s = pd.Series(chunk.columns[fld], dtype="string")
    return s.mask(s.str.strip() == "")


# ---------------------------------------------------------------------------------------------
# patents


def read_patents(path: str | os.PathLike, rejects: RejectLog, stats: ReadStats | None = None,
                 chunk_rows: int = 100_000, source: str = "DeepPatentAI",
                 progress=None) -> Iterator[pd.DataFrame]:
    """Stream DeepPatentAI rows as canonical patent frames.

    Columns: pn, id, title, abstract, year, ipc (list), country, novelty, is_ai, ai_score,
    source, keywords (list, rank order), _line.
    """
    name = str(path)
    stats = stats or ReadStats(name, "patents")
    counter = [0]
    seen: dict[str, int] = {}
    for chunk in iter_chunks(path, PATENT_FIELDS, ("pn",), "DeepPatentAI", rejects,
                             chunk_rows, counter, progress):
        chk = _Checker(chunk, name, rejects)
        pn = pd.Series(chunk.columns["pn"], dtype="string").map(normalize_publication_number)
        chk.fail(~pn.str.fullmatch(_PN_VALID.pattern).fillna(False).to_numpy(dtype=bool), "pn",
                 "PN is missing or not a publication number")
        ids = chk.integer("id")
        year = chk.integer("year", *YEAR_RANGE)
        novelty = chk.real("novelty")
        keywords = chk.keywords()
        stats.duplicates += chk.dedupe(pn, seen, "pn")
        ipc_lists = []
        raw_ipc = chunk.columns.get("ipc", [""] * len(chunk))
        for i, raw in enumerate(raw_ipc):
            codes, bad = parse_ipc_list(raw) if chk.ok[i] else ([], [])
            for b in bad:
                rejects.add(name, int(chunk.lines[i]), "IPC", "not an IPC code", b, VALUE_DROPPED)
            ipc_lists.append(codes)
        keep = chk.ok
        frame = pd.DataFrame({
            "pn": pn, "id": ids, "title": _text(chunk, "title"), "abstract": _text(chunk, "abstract"),
            "year": year, "ipc": ipc_lists,
            "country": pn.map(lambda v: country_from_publication_number(v) if isinstance(v, str) else None),
            "novelty": novelty, "is_ai": True, "ai_score": np.nan, "source": source,
            "keywords": keywords, "_line": chunk.lines,
        })[keep].reset_index(drop=True)
        if len(_account(frame, rejects, stats, counter)):
            yield frame
    stats.read = counter[0]


# ---------------------------------------------------------------------------------------------
# papers


def read_papers(path: str | os.PathLike, rejects: RejectLog, stats: ReadStats | None = None,
                chunk_rows: int = 100_000, progress=None) -> Iterator[pd.DataFrame]:
    """Stream DeepDiveAI rows as canonical paper frames.

    Columns: paper_id (str of ID), doi, title, abstract, source (venue), year, cited, language,
    type, authors, affiliations, novelty, is_ai, ai_score, keywords (list), countries (list),
    _line.
    """
    name = str(path)
    stats = stats or ReadStats(name, "papers")
    counter = [0]
    seen: dict[str, int] = {}
    for chunk in iter_chunks(path, PAPER_FIELDS, ("id", "title"), "DeepDiveAI", rejects,
                             foreign=PATENT_FIELDS["pn"], chunk_rows=chunk_rows, counter=counter,
                             progress=progress):
        chk = _Checker(chunk, name, rejects)
        ids = chk.integer("id", required=True)
        paper_id = ids.astype("string")
        year = chk.integer("year", *YEAR_RANGE)
        cited = chk.integer("cited", 0, 10**9)
        novelty = chk.real("novelty")
        keywords = chk.keywords()
        stats.duplicates += chk.dedupe(paper_id, seen, "id")
        doi = _text(chunk, "doi").map(lambda v: normalize_doi(v) if isinstance(v, str) else v)
        affiliations = _text(chunk, "affiliations")
        countries = [countries_of_affiliations(a) if ok and isinstance(a, str) else []
                     for a, ok in zip(affiliations, chk.ok)]
        frame = pd.DataFrame({
            "paper_id": paper_id, "doi": doi.astype("string"), "title": _text(chunk, "title"),
            "abstract": _text(chunk, "abstract"), "source": _text(chunk, "source"),
            "year": year, "cited": cited, "language": _text(chunk, "language"),
            "type": _text(chunk, "type"), "authors": _text(chunk, "authors"),
            "affiliations": affiliations, "novelty": novelty, "is_ai": True, "ai_score": np.nan,
            "keywords": keywords, "countries": countries, "_line": chunk.lines,
        })[chk.ok].reset_index(drop=True)
        if len(_account(frame, rejects, stats, counter)):
            yield frame
    stats.read = counter[0]


# ---------------------------------------------------------------------------------------------
# pairs


@dataclass
class PairChunk:
    """Raw pairs: references as strings (IDs or publication numbers), score, optional years."""

    paper: pa.Array  # string
    patent: pa.Array  # string
    score: np.ndarray  # float64
    paper_year: np.ndarray | None  # float64 with NaN
    patent_year: np.ndarray | None
    lines: np.ndarray  # int64


def read_pairs(path: str | os.PathLike, rejects: RejectLog, stats: ReadStats,
               chunk_rows: int = 1_000_000) -> Iterator[PairChunk]:
    """Stream DeepCosineAI pairs; rows with a bad similarity are rejected here.

    Clean files (every line one record, no quoting problems) take a pyarrow fast path where the
    line of row i is i + 2. A file with malformed rows switches to the exact csv-module path,
    which knows every record's line; nothing is yielded twice because the fast path checks the
    whole file for malformed rows before yielding anything (a scan that costs a fraction of
    the parse).
    """
    name = str(path)
    if not os.path.exists(path):
        raise InputFormatError(f"{name}: no such file.")
    if _pairs_file_is_clean(path):
        yield from _read_pairs_fast(path, rejects, stats, chunk_rows)
    else:
        yield from _read_pairs_exact(path, rejects, stats, chunk_rows)


def _pairs_header(path) -> list[str]:
    with open(path, encoding="utf-8-sig", errors="replace") as fh:
        first = fh.readline()
    if not first.strip():
        raise InputFormatError(f"{path}: the file is empty, expected a DeepCosineAI header.")
    return [h.strip().strip('"') for h in first.rstrip("\r\n").split(",")]


def _pairs_file_is_clean(path) -> bool:
    header = _pairs_header(path)
    match_header(str(path), header, PAIR_FIELDS, ("paper", "patent", "score"), "DeepCosineAI")
    width = len(header)
    invalid = []

    def handler(row):  # pyarrow ignores exceptions raised here, so record and skip
        invalid.append(row)
        return "skip"

    try:
        reader = pacsv.open_csv(
            path,
            read_options=pacsv.ReadOptions(block_size=64 << 20, use_threads=True),
            parse_options=pacsv.ParseOptions(invalid_row_handler=handler),
            convert_options=pacsv.ConvertOptions(column_types={h: pa.string() for h in header}),
        )
        if any(t != pa.string() for t in reader.schema.types):  # names differ from the stripped header
            return False
        rows = 0
        for batch in reader:
            if invalid or batch.num_columns != width:
                return False
            rows += batch.num_rows
        # line = row + 2 holds only if no blank lines (pyarrow skips them) and no quoted newlines
        return not invalid and rows + 1 == _count_lines(path)
    except pa.ArrowInvalid:
        return False


def _count_lines(path) -> int:
    """Physical lines of a file; a last line without a newline counts."""
    n, last = 0, b"\n"
    with open(path, "rb") as fh:
        while block := fh.read(16 << 20):
            n += block.count(b"\n")
            last = block[-1:]
    return n + (last != b"\n")


def _read_pairs_fast(path, rejects: RejectLog, stats: ReadStats, chunk_rows: int) -> Iterator[PairChunk]:
    header = _pairs_header(path)
    cols = match_header(str(path), header, PAIR_FIELDS, ("paper", "patent", "score"), "DeepCosineAI")
    reader = pacsv.open_csv(
        path,
        read_options=pacsv.ReadOptions(block_size=32 << 20, use_threads=True),
        convert_options=pacsv.ConvertOptions(column_types={h: pa.string() for h in header}),
    )
    row0 = 0
    for batch in reader:
        n = batch.num_rows
        lines = np.arange(row0 + 2, row0 + 2 + n, dtype=np.int64)
        row0 += n
        for s in range(0, n, chunk_rows):
            part = batch.slice(s, chunk_rows)
            columns = {f: part.column(i) for f, i in cols.items()}
            stats.read += part.num_rows
            yield _pair_chunk(str(path), columns, lines[s:s + chunk_rows], rejects)


def _read_pairs_exact(path, rejects: RejectLog, stats: ReadStats, chunk_rows: int) -> Iterator[PairChunk]:
    counter = [0]
    for chunk in iter_chunks(path, PAIR_FIELDS, ("paper", "patent", "score"), "DeepCosineAI",
                             rejects, chunk_rows, counter):
        columns = {f: pa.array(v, pa.string()) for f, v in chunk.columns.items()}
        stats.read = counter[0]
        yield _pair_chunk(str(path), columns, chunk.lines, rejects)
    stats.read = counter[0]


def _to_float(arr: pa.Array) -> np.ndarray:
    """Strings -> float64 with NaN for empty or unparseable values."""
    try:
        return pc.cast(pc.if_else(pc.equal(pc.utf8_trim_whitespace(arr), ""), None, arr),
                       pa.float64()).to_numpy(zero_copy_only=False)
    except pa.ArrowInvalid:
        return pd.to_numeric(pd.Series(arr.to_pandas(), dtype="string").str.strip(),
                             errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _pair_chunk(file: str, columns: dict[str, pa.Array], lines: np.ndarray,
                rejects: RejectLog) -> PairChunk:
    paper = pc.utf8_trim_whitespace(columns["paper"].cast(pa.string()))
    patent = pc.utf8_trim_whitespace(columns["patent"].cast(pa.string()))
    score = _to_float(columns["score"])
    bad_score = ~np.isfinite(score) | (score < -1.0) | (score > 1.0)
    missing_paper = np.asarray(pc.fill_null(pc.equal(paper, ""), True))
    missing_patent = np.asarray(pc.fill_null(pc.equal(patent, ""), True))
    bad = bad_score | missing_paper | missing_patent
    if bad.any():
        raw_score = columns["score"].to_pylist()
        raw_paper = paper.to_pylist()
        raw_patent = patent.to_pylist()
        for i in np.flatnonzero(bad):
            if missing_paper[i]:
                rejects.add(file, int(lines[i]), "paper_id", "paper_id is missing", raw_paper[i] or "")
            elif missing_patent[i]:
                rejects.add(file, int(lines[i]), "patent_id", "patent_id is missing", raw_patent[i] or "")
            else:
                rejects.add(file, int(lines[i]), "similarity",
                            "similarity is not a number in [-1, 1]", raw_score[i] or "")
        keep = pa.array(~bad)
        paper, patent = paper.filter(keep), patent.filter(keep)
        score, lines = score[~bad], lines[~bad]
        columns = {k: v.filter(keep) for k, v in columns.items()}
    years = {k: _to_float(columns[k]) if k in columns else None for k in ("paper_year", "patent_year")}
    return PairChunk(paper, patent, score, years["paper_year"], years["patent_year"], lines)

