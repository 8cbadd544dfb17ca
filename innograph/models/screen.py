"""The coarse AI screen (paper section 2.2, "Data Acquisition and Initial Filtering"): IPC/CPC
codes and AI keywords in title and abstract mark a document as likely AI, with the reason.

Two editable tables drive it, shipped in `innograph/data/` (pass your own files to replace them):

- `ai_screen_ipc.csv` (`code, level, action, subfield, note`): codes at any level. A document code
  matches an entry when it lies under it in the hierarchy, on normalised codes
  (`innograph.ingest.ipc.normalize_ipc`), so `G06N` matches `G06N3/08`, `G06N 3/08`,
  `G06N0003080000` and a field `['G06N3/08']`; `G06N3` matches `G06N3/08` but not `G06N30/00`;
  a subgroup entry `G06N3/08` matches `G06N3/084` (digits extending it: the IPC convention for
  indented subgroups). `action=exclude` carves out a narrower part (`G06N10`, quantum computing);
  the most specific entry wins.
- `ai_screen_keywords.csv` (`term, subfield, strength, case_sensitive, note`): terms matched on
  word boundaries, in any case (unless `case_sensitive=1`: `GAN` is not gallium nitride `GaN`),
  with plurals (`neural networks`, `ontologies`) and with spaces, hyphens or nothing between the
  words (`deep-learning`, `deep learning`, `deeplearning`). `re:<regex>` terms are raw regexes.
  One `strong` term marks a document AI; `weak` terms need `min_weak` distinct weak terms.

Lines starting with `#` are comments. `subfield` is one of `SUBFIELDS` (the USPTO AI patent
dataset's subfields; evolutionary computation is folded into machine learning) or empty.

The public code of the paper compared IPC codes as whole strings (so `G06N` never matched
`G06N3/08`, and `G06N 3/08` or `['G06N3/08']` were missed) and its keyword regex missed plurals
and hyphens; tests/models/test_screen.py checks each of these cases.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from innograph.errors import InputFormatError
from innograph.ingest.ipc import LEVELS, normalize_ipc, parse_ipc_list

SUBFIELDS = ("machine_learning", "nlp", "speech", "vision", "knowledge_processing",
             "planning_control", "ai_hardware")
STRENGTHS = ("strong", "weak")
ACTIONS = ("include", "exclude")
SCREEN_COLUMNS = ("id", "kind", "screen_ai", "screen_reason", "matched_ipc", "matched_terms",
                  "term_subfields", "subfields")


class TableError(InputFormatError):
    """A screen table row that cannot be used: file, line, field and why."""


def default_table(name: str) -> Path:
    """Path of a table shipped in `innograph/data/` (`ai_screen_ipc.csv`, `ai_screen_keywords.csv`)."""
    return Path(str(resources.files("innograph") / "data" / name))


DEFAULT_IPC_TABLE = "ai_screen_ipc.csv"
DEFAULT_KEYWORD_TABLE = "ai_screen_keywords.csv"


# ---------------------------------------------------------------------------------------------
# the tables


@dataclass(frozen=True)
class KeywordRule:
    """One row of the keyword table."""

    term: str
    subfield: str = ""
    strength: str = "strong"
    case_sensitive: bool = False
    note: str = ""
    line: int = 0


@dataclass(frozen=True)
class IpcRule:
    """One row of the IPC table; `code` normalised (`G06N3/00` for a main group)."""

    code: str
    level: str
    action: str = "include"
    subfield: str = ""
    note: str = ""
    line: int = 0


def _rows(path: Path, required: Sequence[str]) -> Iterable[tuple[int, dict]]:
    """(line, row) of a CSV table, skipping blank rows and `#` comments."""
    path = Path(path)
    if not path.is_file():
        raise TableError(f"{path}: no such file.")
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = None
        for row in reader:
            line = reader.line_num
            if not row or not "".join(row).strip() or row[0].lstrip().startswith("#"):
                continue
            if header is None:
                header = [h.strip() for h in row]
                missing = [c for c in required if c not in header]
                if missing:
                    raise TableError(f"{path}, line {line}: header lacks column(s) {', '.join(missing)} "
                                     f"(expected {', '.join(required)}).")
                continue
            yield line, {h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(header)}
    if header is None:
        raise TableError(f"{path}: empty table (no header row).")


def _check_subfield(path, line, value: str) -> str:
    value = value.strip().lower().replace(" ", "_").replace("/", "_")
    if value and value not in SUBFIELDS:
        raise TableError(f"{path}, line {line}, field subfield: {value!r} is not one of {', '.join(SUBFIELDS)} "
                         "(or empty).")
    return value


def load_keyword_table(path=None) -> list[KeywordRule]:
    """The keyword rules of a table (default: the shipped `ai_screen_keywords.csv`).

    Raises TableError naming file, line and field for a bad row; duplicate terms are errors too.
    """
    path = Path(path) if path is not None else default_table(DEFAULT_KEYWORD_TABLE)
    rules: list[KeywordRule] = []
    seen: dict[tuple[str, bool], int] = {}
    for line, row in _rows(path, ("term",)):
        term = row["term"]
        if not term:
            raise TableError(f"{path}, line {line}, field term: empty term.")
        strength = (row.get("strength") or "strong").lower()
        if strength not in STRENGTHS:
            raise TableError(f"{path}, line {line}, field strength: {strength!r} is not strong or weak.")
        cs = (row.get("case_sensitive") or "0").lower()
        if cs not in ("0", "1", "true", "false", "yes", "no"):
            raise TableError(f"{path}, line {line}, field case_sensitive: {cs!r} is not 0 or 1.")
        case_sensitive = cs in ("1", "true", "yes")
        if term.startswith("re:"):
            try:
                re.compile(term[3:])
            except re.error as exc:
                raise TableError(f"{path}, line {line}, field term: bad regex {term[3:]!r} ({exc}).") from None
        key = (term if case_sensitive else term.lower(), case_sensitive)
        if key in seen:
            raise TableError(f"{path}, line {line}, field term: {term!r} repeats line {seen[key]}.")
        seen[key] = line
        rules.append(KeywordRule(term, _check_subfield(path, line, row.get("subfield", "")), strength,
                                 case_sensitive, row.get("note", ""), line))
    return rules


def load_ipc_table(path=None) -> list[IpcRule]:
    """The IPC rules of a table (default: the shipped `ai_screen_ipc.csv`), codes normalised.

    `level`, when given, must be the level of the code (catches `G06N3/0` meant as a group).
    """
    path = Path(path) if path is not None else default_table(DEFAULT_IPC_TABLE)
    rules: list[IpcRule] = []
    seen: dict[str, int] = {}
    for line, row in _rows(path, ("code",)):
        ipc = normalize_ipc(row["code"]) if row["code"] else None
        if ipc is None:
            raise TableError(f"{path}, line {line}, field code: {row['code']!r} is not an IPC/CPC code.")
        level = row.get("level", "").lower()
        if level and level not in LEVELS:
            raise TableError(f"{path}, line {line}, field level: {level!r} is not one of {', '.join(LEVELS)}.")
        if level and level != ipc.level:
            raise TableError(f"{path}, line {line}, field level: {row['code']!r} is a {ipc.level}, "
                             f"not a {level}.")
        action = (row.get("action") or "include").lower()
        if action not in ACTIONS:
            raise TableError(f"{path}, line {line}, field action: {action!r} is not include or exclude.")
        if ipc.code in seen:
            raise TableError(f"{path}, line {line}, field code: {ipc.code} repeats line {seen[ipc.code]}.")
        seen[ipc.code] = line
        rules.append(IpcRule(ipc.code, ipc.level, action, _check_subfield(path, line, row.get("subfield", "")),
                             row.get("note", ""), line))
    return rules


# ---------------------------------------------------------------------------------------------
# keywords

_SEP_CHARS = r"\s\-\u2010-\u2015"
_SEP = f"[{_SEP_CHARS}]*"  # words may be joined by spaces, hyphens, dashes or nothing
_SPLIT = re.compile(f"[{_SEP_CHARS}]+")
_VOWELS = set("aeiou")
_END = ""


_SUFFIXES = frozenset({"(?:y|ies)", "(?:Y|IES)", "(?:es)?", "s?", "(?:s|S)?"})


def _plural(word: str) -> tuple[str, str]:
    """(stem, suffix regex) of the last word of a term: network -> networks, ontology -> ontologies."""
    low = word.lower()
    if len(low) > 2 and low.endswith("y") and low[-2] not in _VOWELS:
        return word[:-1], "(?:y|ies)" if word[-1].islower() else "(?:Y|IES)"
    if low.endswith(("s", "x", "z", "ch", "sh")):
        return word, "(?:es)?"
    return word, "s?" if not word.isupper() else "(?:s|S)?"


def _atoms(term: str) -> list[str]:
    """A term as regex atoms: escaped characters, the separator, the plural suffix last."""
    words = [w for w in _SPLIT.split(term.strip()) if w]
    atoms: list[str] = []
    for i, w in enumerate(words):
        if i:
            atoms.append(_SEP)
        if i == len(words) - 1:
            stem, suffix = _plural(w)
            atoms.extend(re.escape(c) for c in stem)
            atoms.append(suffix)
        else:
            atoms.extend(re.escape(c) for c in w)
    return atoms


def _trie_regex(terms: list[list[str]]) -> str:
    """One alternation of all terms factored as a character trie (fast: one branch per letter)."""
    root: dict = {}
    for atoms in terms:
        node = root
        for a in atoms:
            node = node.setdefault(a, {})
        node[_END] = {}

    def rank(atom: str) -> int:
        # Python's alternation takes the first branch that matches, not the longest: letters
        # (a longer word) first, then the separator (a longer term), then the plural suffix, then
        # the end, so "natural language processing" wins over "natural language".
        if atom == _SEP:
            return 1
        return 2 if atom in _SUFFIXES else 0

    def gen(node: dict) -> str:
        alts = [a + gen(node[a]) for a in sorted((k for k in node if k != _END), key=rank)]
        if _END in node:
            alts.append("")
        if len(alts) == 1:
            return alts[0]
        return "(?:" + "|".join(alts) + ")"

    return gen(root)


_BOUND_L = r"(?<![^\W_])"  # no letter or digit right before
_BOUND_R = r"(?![^\W_])"


@dataclass(frozen=True)
class TermHit:
    """A keyword found in a text: the rule's term, its subfield and strength, and where."""

    term: str
    subfield: str
    strength: str
    field: str
    start: int
    end: int
    text: str


class KeywordMatcher:
    """All terms of a keyword table compiled once into two trie regexes (case-insensitive and
    case-sensitive) plus one per raw `re:` term.

    >>> m = KeywordMatcher()
    >>> [h.term for h in m.find("Deep-learning with convolutional neural networks")]
    ['deep learning', 'convolutional', 'neural network']

    `find` returns leftmost-longest, non-overlapping hits of each of the scanners (a raw regex
    term may overlap a plain one); the surface text maps back to its rule through a cache, so the
    per-text cost is the regex scan.
    """

    def __init__(self, rules: Sequence[KeywordRule] | str | Path | None = None):
        if rules is None or isinstance(rules, (str, Path)):
            rules = load_keyword_table(rules)
        self.rules = list(rules)
        plain_i = [r for r in self.rules if not r.term.startswith("re:") and not r.case_sensitive]
        plain_s = [r for r in self.rules if not r.term.startswith("re:") and r.case_sensitive]
        self._raw = [(re.compile(_BOUND_L + f"(?:{r.term[3:]})" + _BOUND_R, 0 if r.case_sensitive else re.I), r)
                     for r in self.rules if r.term.startswith("re:")]
        # (scanner, lower-case scanner or None, per-rule patterns): the case-insensitive terms are
        # scanned on the lower-cased text with a case-sensitive pattern, twice as fast as re.I
        self._scanners: list[tuple[re.Pattern, re.Pattern | None, list[tuple[re.Pattern, KeywordRule]]]] = []
        for group, flags in ((plain_i, re.I), (plain_s, 0)):
            if not group:
                continue
            atoms = [_atoms(r.term.lower() if flags else r.term) for r in group]
            pattern = _BOUND_L + _trie_regex(atoms) + _BOUND_R
            lower = re.compile(pattern) if flags else None
            singles = [(re.compile("".join(a), flags), r) for a, r in zip(atoms, group)]
            self._scanners.append((re.compile(pattern, flags), lower, singles))
        self._lookup: dict[tuple[int, str], KeywordRule] = {}

    def _rule_of(self, which: int, surface: str) -> KeywordRule:
        insensitive = self._scanners[which][1] is not None
        key = (which, surface.lower() if insensitive else surface)
        rule = self._lookup.get(key)
        if rule is None:
            singles = self._scanners[which][2]
            # the longest term that spells the whole surface text (`neural net` vs `neural network`)
            found = [r for p, r in singles if p.fullmatch(surface)]
            rule = max(found, key=lambda r: len(r.term))
            self._lookup[key] = rule
        return rule

    def find(self, text: str | None, field: str = "text") -> list[TermHit]:
        """Every hit in `text`, in order of position."""
        if not text:
            return []
        hits: list[TermHit] = []
        for which, (scanner, lower, _) in enumerate(self._scanners):
            if lower is not None:
                low = text.lower()
                if len(low) == len(text):  # offsets agree (not so for a few non-ASCII letters)
                    for m in lower.finditer(low):
                        a, b = m.span()
                        r = self._rule_of(which, text[a:b])
                        hits.append(TermHit(r.term, r.subfield, r.strength, field, a, b, text[a:b]))
                    continue
            for m in scanner.finditer(text):
                r = self._rule_of(which, m.group())
                hits.append(TermHit(r.term, r.subfield, r.strength, field, m.start(), m.end(), m.group()))
        for pattern, r in self._raw:
            for m in pattern.finditer(text):
                hits.append(TermHit(r.term, r.subfield, r.strength, field, m.start(), m.end(), m.group()))
        if len(self._scanners) + len(self._raw) > 1:
            hits.sort(key=lambda h: (h.start, -h.end))
        return hits

    def terms(self, text: str | None) -> list[str]:
        """The distinct terms found in `text`, in order of first occurrence."""
        return list(dict.fromkeys(h.term for h in self.find(text)))


# ---------------------------------------------------------------------------------------------
# IPC


@dataclass(frozen=True)
class IpcHit:
    """A document code under an include entry of the IPC table."""

    code: str  # the document's code, normalised
    rule: IpcRule
    field: str  # the column it came from: ipc or cpc


def _rule_key(rule_code: str, level: str) -> str:
    if level == "group":
        return rule_code.split("/")[0] + "/"
    return rule_code


def _candidate_keys(code: str) -> list[str]:
    """Keys of the entries a normalised code lies under, most specific first."""
    keys: list[str] = []
    if "/" in code:
        main, sg = code.split("/", 1)
        keys.extend(f"{main}/{sg[:k]}" for k in range(len(sg), 1, -1))
        keys.append(main + "/")
        code = main
        keys.append(code[:4])
    elif len(code) > 4:  # `G06N3` never comes out of normalize_ipc, kept for safety
        keys.append(code + "/")
        keys.append(code[:4])
    elif len(code) == 4:
        keys.append(code)
    if len(code) >= 3:
        keys.append(code[:3])
    keys.append(code[:1])
    return keys


def as_code_list(value) -> list[str]:
    """Normalised codes of a cell: a list/array of codes (any notation) or one string holding a
    list (`G06N3/08;G06F17/16`, `['G06N 3/08']`); unparseable parts are dropped."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return []
    parts = [value] if isinstance(value, str) else list(value)
    out: list[str] = []
    for p in parts:
        if p is None or not isinstance(p, str):
            continue
        ipc = normalize_ipc(p)
        codes = [ipc.code] if ipc is not None else parse_ipc_list(p)[0]
        out.extend(c for c in codes if c not in out)
    return out


class IpcMatcher:
    """The IPC table as a dict of hierarchy keys; `match` walks each code's ancestors."""

    def __init__(self, rules: Sequence[IpcRule] | str | Path | None = None):
        if rules is None or isinstance(rules, (str, Path)):
            rules = load_ipc_table(rules)
        self.rules = list(rules)
        self._by_key = {_rule_key(r.code, r.level): r for r in self.rules}
        self._cache: dict[str, IpcRule | None] = {}

    def rule_for(self, code: str) -> IpcRule | None:
        """The most specific entry a normalised code lies under, None when none."""
        try:
            return self._cache[code]
        except KeyError:
            pass
        rule = next((self._by_key[k] for k in _candidate_keys(code) if k in self._by_key), None)
        self._cache[code] = rule
        return rule

    def match(self, codes, field: str = "ipc") -> list[IpcHit]:
        """Hits of the codes of a cell (see `as_code_list`) under include entries."""
        hits = []
        for c in as_code_list(codes):
            r = self.rule_for(c)
            if r is not None and r.action == "include":
                hits.append(IpcHit(c, r, field))
        return hits


# ---------------------------------------------------------------------------------------------
# the screen


@dataclass
class ScreenResult:
    """The screen's verdict on one document."""

    screen_ai: bool
    reason: str
    ipc_hits: list[IpcHit] = field(default_factory=list)
    term_hits: list[TermHit] = field(default_factory=list)

    @property
    def matched_ipc(self) -> list[str]:
        return list(dict.fromkeys(h.code for h in self.ipc_hits))

    @property
    def matched_terms(self) -> list[str]:
        return list(dict.fromkeys(h.term for h in self.term_hits))


class AIScreen:
    """IPC + keyword coarse screen.

    Parameters
    ----------
    ipc_table, keyword_table : path, list of rules or None (the shipped tables).
    min_weak : int
        Distinct weak terms that together mark a document AI (one strong term or one included
        IPC code always does).
    text_fields : the document columns searched for terms.
    code_fields : the document columns holding IPC/CPC codes.
    """

    def __init__(self, ipc_table=None, keyword_table=None, min_weak: int = 2,
                 text_fields: Sequence[str] = ("title", "abstract"),
                 code_fields: Sequence[str] = ("ipc", "cpc")):
        self.ipc = ipc_table if isinstance(ipc_table, IpcMatcher) else IpcMatcher(ipc_table)
        self.keywords = keyword_table if isinstance(keyword_table, KeywordMatcher) else KeywordMatcher(keyword_table)
        self.min_weak = min_weak
        self.text_fields = tuple(text_fields)
        self.code_fields = tuple(code_fields)

    def screen_one(self, texts: dict[str, str | None], codes: dict[str, object]) -> ScreenResult:
        """The verdict on one document given its text fields and code cells."""
        ipc_hits = [h for f, v in codes.items() for h in self.ipc.match(v, f)]
        term_hits = [h for f, t in texts.items() for h in self.keywords.find(t, f)]
        strong = list(dict.fromkeys(h.term for h in term_hits if h.strength == "strong"))
        weak = list(dict.fromkeys(h.term for h in term_hits if h.strength == "weak"))
        is_ai = bool(ipc_hits or strong or len(weak) >= self.min_weak)
        return ScreenResult(is_ai, self._reason(is_ai, ipc_hits, term_hits, weak), ipc_hits, term_hits)

    def _reason(self, is_ai: bool, ipc_hits: list[IpcHit], term_hits: list[TermHit], weak: list[str]) -> str:
        parts = []
        for code in dict.fromkeys(h.code for h in ipc_hits):
            h = next(x for x in ipc_hits if x.code == code)
            parts.append(f"{h.field} {code} under {h.rule.code}" + (f" ({h.rule.note})" if h.rule.note else ""))
        by_term: dict[str, list[TermHit]] = {}
        for h in term_hits:
            by_term.setdefault(h.term, []).append(h)
        for term, hs in by_term.items():
            where = ", ".join(dict.fromkeys(f"{h.field} '{h.text}'" for h in hs))
            parts.append(f"{hs[0].strength} term '{term}' in {where}")
        if is_ai:
            return "AI: " + "; ".join(parts)
        if not parts:
            return "non-AI: no AI code or term"
        return f"non-AI: {len(weak)} weak term(s), {self.min_weak} needed: " + "; ".join(parts)

    def transform(self, documents: pd.DataFrame, progress: bool = False) -> pd.DataFrame:
        """The screen table of a documents table (n rows in, n rows out, same order).

        Columns: `SCREEN_COLUMNS`: id, kind, screen_ai (bool), screen_reason (str), matched_ipc
        (document codes under include entries), matched_terms (distinct terms), term_subfields
        (the subfield of each matched term, '' for general AI), subfields (distinct subfields of
        the terms and codes). Missing text or code columns count as empty.
        """
        n = len(documents)
        texts = {f: documents[f].tolist() if f in documents else [None] * n for f in self.text_fields}
        codes = {f: documents[f].tolist() if f in documents else [None] * n for f in self.code_fields}
        ids = documents["id"].tolist() if "id" in documents else list(range(n))
        kinds = documents["kind"].tolist() if "kind" in documents else [None] * n
        cols: dict[str, list] = {c: [] for c in SCREEN_COLUMNS}
        rows = range(n)
        if progress:
            from tqdm.auto import tqdm

            rows = tqdm(rows, desc="screen", unit="doc")
        for i in rows:
            res = self.screen_one({f: v[i] for f, v in texts.items()}, {f: v[i] for f, v in codes.items()})
            terms = res.matched_terms
            sub_of = {h.term: h.subfield for h in res.term_hits}
            subs = [sub_of[t] for t in terms]
            allsubs = [s for s in dict.fromkeys([*subs, *(h.rule.subfield for h in res.ipc_hits)]) if s]
            cols["id"].append(ids[i])
            cols["kind"].append(kinds[i])
            cols["screen_ai"].append(res.screen_ai)
            cols["screen_reason"].append(res.reason)
            cols["matched_ipc"].append(res.matched_ipc)
            cols["matched_terms"].append(terms)
            cols["term_subfields"].append(subs)
            cols["subfields"].append(allsubs)
        out = pd.DataFrame(cols)
        out["screen_ai"] = out["screen_ai"].astype(bool)
        return out

    def predict(self, documents: pd.DataFrame) -> np.ndarray:
        """screen_ai as a boolean array of shape (n_documents,)."""
        return self.transform(documents)["screen_ai"].to_numpy(dtype=bool)


def subfield_matrix(screen_table: pd.DataFrame, column: str = "subfields") -> pd.DataFrame:
    """Weak multi-label subfield targets from a screen table: one boolean column per `SUBFIELDS`
    entry (n_documents x 7), True where the document's terms or codes point to that subfield.
    `column="term_subfields"` uses the terms only."""
    sets = [set(v) if v is not None else set() for v in screen_table[column].tolist()]
    return pd.DataFrame({s: [s in got for got in sets] for s in SUBFIELDS}, index=screen_table.index)


def screen_documents(documents: pd.DataFrame, ipc_table=None, keyword_table=None, min_weak: int = 2,
                     progress: bool = False) -> pd.DataFrame:
    """Screen a documents table (the canonical `documents.parquet` columns; at least `id` and
    any of title, abstract, ipc, cpc). See `AIScreen.transform` for the output columns."""
    return AIScreen(ipc_table, keyword_table, min_weak=min_weak).transform(documents, progress=progress)


# ---------------------------------------------------------------------------------------------
# files: streamed in batches, optionally over several processes

_INPUT_COLUMNS = ("id", "kind", "title", "abstract", "ipc", "cpc")
_worker_screen: AIScreen | None = None


def screen_schema():
    """Arrow schema of the screen table (`SCREEN_COLUMNS`)."""
    import pyarrow as pa

    lst = pa.list_(pa.string())
    return pa.schema([("id", pa.string()), ("kind", pa.string()), ("screen_ai", pa.bool_()),
                      ("screen_reason", pa.string()), ("matched_ipc", lst), ("matched_terms", lst),
                      ("term_subfields", lst), ("subfields", lst)])


def _init_worker(ipc_table, keyword_table, min_weak):
    global _worker_screen
    _worker_screen = AIScreen(ipc_table, keyword_table, min_weak=min_weak)


def _screen_chunk(frame: pd.DataFrame) -> pd.DataFrame:
    return _worker_screen.transform(frame)


@dataclass
class ScreenFileSummary:
    documents: int = 0
    ai: int = 0
    with_ipc_hit: int = 0
    with_term_hit: int = 0
    seconds: float = 0.0
    docs_per_s: float = 0.0
    by_kind: dict = field(default_factory=dict)
    subfields: dict = field(default_factory=dict)


def screen_file(documents_file, out, ipc_table=None, keyword_table=None, min_weak: int = 2, n_jobs: int = 1,
                batch_rows: int = 50_000, progress: bool = True) -> ScreenFileSummary:
    """`documents.parquet` -> screen Parquet (`screen_schema()`), in batches of `batch_rows` so
    memory stays flat at any size, on `n_jobs` processes.

    Tables are checked before anything is read. Rows keep the input order. Batch i is written to
    `<out>.parts/part-i.parquet` atomically; a rerun with the same input, tables and settings skips
    the finished batches (an interrupted run resumes), then the parts are joined into `out`
    (atomically).
    """
    import hashlib
    import time
    from concurrent.futures import ProcessPoolExecutor

    import pyarrow as pa
    import pyarrow.parquet as pq
    from tqdm.auto import tqdm

    from innograph.models.parts import PartStore, input_fingerprint, open_documents

    screen = AIScreen(ipc_table, keyword_table, min_weak=min_weak)  # bad tables fail here
    documents_file, out = Path(documents_file), Path(out)
    pf = open_documents(documents_file)
    names = pf.schema_arrow.names
    columns = [c for c in _INPUT_COLUMNS if c in names]
    schema = screen_schema()
    rules = hashlib.sha1(repr((screen.ipc.rules, screen.keywords.rules)).encode()).hexdigest()
    store = PartStore(out.with_name(out.name + ".parts"),
                      {"stage": "screen", "input": input_fingerprint(documents_file), "rules": rules,
                       "min_weak": min_weak, "batch_rows": batch_rows})
    summary = ScreenFileSummary()
    started = time.perf_counter()
    pool = None
    bar = tqdm(total=pf.metadata.num_rows, desc="screen", unit="doc", disable=not progress)
    n_parts = 0
    try:
        for i, batch in enumerate(pf.iter_batches(batch_size=batch_rows, columns=columns)):
            n_parts = i + 1
            if store.done(i):
                table = pq.read_table(store.path(i), schema=schema).to_pandas()
            else:
                frame = batch.to_pandas()
                if n_jobs > 1 and pool is None:
                    pool = ProcessPoolExecutor(n_jobs, initializer=_init_worker,
                                               initargs=(screen.ipc.rules, screen.keywords.rules, min_weak))
                if pool is None:
                    table = screen.transform(frame)
                else:
                    step = max(1, -(-len(frame) // (n_jobs * 4)))
                    pieces = [frame.iloc[j:j + step] for j in range(0, len(frame), step)]
                    table = pd.concat(list(pool.map(_screen_chunk, pieces)), ignore_index=True)
                store.write(i, pa.Table.from_pandas(table, schema=schema, preserve_index=False))
            summary.documents += len(table)
            summary.ai += int(table["screen_ai"].sum())
            summary.with_ipc_hit += int((table["matched_ipc"].map(len) > 0).sum())
            summary.with_term_hit += int((table["matched_terms"].map(len) > 0).sum())
            for kind, grp in table.groupby(table["kind"].fillna("?")):
                got = summary.by_kind.setdefault(kind, {"documents": 0, "ai": 0})
                got["documents"] += len(grp)
                got["ai"] += int(grp["screen_ai"].sum())
            for sub, cnt in table["subfields"].explode().dropna().value_counts().items():
                summary.subfields[sub] = summary.subfields.get(sub, 0) + int(cnt)
            bar.update(len(table))
    finally:
        bar.close()
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    if n_parts == 0:  # an empty documents table still gives an (empty) screen table
        store.write(0, schema.empty_table())
        n_parts = 1
    store.concat(out, schema, n_parts)
    summary.seconds = round(time.perf_counter() - started, 3)
    summary.docs_per_s = round(summary.documents / summary.seconds, 1) if summary.seconds else 0.0
    return summary
