"""The query pack: read-only Cypher files in `queries/` and the runner behind `innograph query`.

Each pack file starts with a header of `//` comment lines in a fixed format::

    // name: top_pairs
    // purpose: The N paper-patent pairs with the highest similarity (paper Fig. 8).
    // param: limit int = 20  -- how many pairs
    // param: lean str in (paper, patent) = paper  -- which side to favour
    // param: key str  -- a parameter without a default is required
    // returns: paper_id, pn, score
    //   (a line of `//` plus two or more spaces continues the field above it)

Parameter types are int, float, str, bool and list[str]. Values always travel as parameters
(`$limit`), never inside the text; `bind_params` turns the strings a command line gives into the
declared types (LadybugDB, for one, refuses `LIMIT $n` unless `$n` is an integer).

The pack queries are written in the Cypher subset that both LadybugDB 0.22 and Neo4j 5 accept
(see ARCHITECTURE.md); the tests run each on LadybugDB and through Neo4j's own linter.
"""

from __future__ import annotations

import json
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

import innograph
from innograph.errors import InnographError, WriteQueryError

ENV_VAR = "INNOGRAPH_QUERIES"
PARAM_TYPES = ("int", "float", "str", "bool", "list[str]")
FORMATS = ("table", "csv", "json")


class QueryParamError(InnographError):
    """A query parameter is unknown, missing or not of its declared type."""


@dataclass(frozen=True)
class QueryParam:
    name: str
    type: str  # one of PARAM_TYPES
    default: Any = None  # already of `type`; meaningless when `required`
    help: str = ""
    choices: tuple[str, ...] = ()  # allowed values (str parameters only); empty: any
    required: bool = False

    def describe(self) -> str:
        text = f"{self.name} ({self.type}"
        if self.choices:
            text += " in " + "|".join(self.choices)
        text += ", required" if self.required else f", default {_show(self.default)}"
        return text + ")"


@dataclass(frozen=True)
class QuerySpec:
    name: str
    purpose: str
    params: list[QueryParam]
    text: str
    path: Path | None = None
    returns: str = ""
    adhoc: bool = False  # text without a header: parameters are taken as given

    def param(self, name: str) -> QueryParam | None:
        return next((p for p in self.params if p.name == name), None)

    def usage(self) -> str:
        """Several lines for `innograph query --describe NAME`."""
        lines = [f"{self.name}: {self.purpose}"]
        for p in self.params:
            lines.append(f"  --param {p.name}=...  {p.describe()}" + (f"  {p.help}" if p.help else ""))
        if self.returns:
            lines.append(f"  returns: {self.returns}")
        return "\n".join(lines)


# -- the pack --------------------------------------------------------------------------------
def find_pack_dir(override: str | os.PathLike | None = None) -> Path:
    """The folder of the query pack: `override`, else $INNOGRAPH_QUERIES, else `queries/` beside the package."""
    if override is not None:
        path = Path(override)
    elif os.environ.get(ENV_VAR):
        path = Path(os.environ[ENV_VAR])
    else:
        path = Path(innograph.__file__).resolve().parents[1] / "queries"
    if not path.is_dir():
        raise InnographError(
            f"The query pack folder {path} does not exist: set {ENV_VAR} to the folder holding the *.cypher files."
        )
    return path


def list_queries(pack_dir: str | os.PathLike | None = None) -> list[QuerySpec]:
    """All pack queries, sorted by name. A malformed header or a duplicate name is an error."""
    folder = find_pack_dir(pack_dir)
    specs: dict[str, QuerySpec] = {}
    for path in sorted(folder.glob("*.cypher")):
        spec = load_query_file(path, require_header=True)
        if spec.name in specs:
            raise InnographError(
                f"Two pack files declare the query name {spec.name!r}: {specs[spec.name].path} and {path}."
            )
        specs[spec.name] = spec
    return sorted(specs.values(), key=lambda s: s.name)


def get_query(name: str, pack_dir: str | os.PathLike | None = None) -> QuerySpec:
    specs = list_queries(pack_dir)
    for spec in specs:
        if spec.name == name:
            return spec
    raise InnographError(
        f"There is no query named {name!r} in the pack; the queries are: {', '.join(s.name for s in specs)}."
    )


def load_query_file(path: str | os.PathLike, require_header: bool = False) -> QuerySpec:
    """A query from a file: a pack file, or an ad-hoc file (the header is then optional)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InnographError(f"Cannot read the query file {path}: {exc.strerror or exc}.") from None
    return parse_query(text, path=path, require_header=require_header)


def parse_query(text: str, name: str | None = None, path: str | os.PathLike | None = None,
                require_header: bool = False) -> QuerySpec:
    """Parse the header of a query text; without a header the query is ad hoc (see `bind_params`).

    `name` names an ad-hoc query (default: the file's stem, else "adhoc"); a header's name wins.
    """
    path = Path(path) if path is not None else None
    where = str(path) if path else "the query text"
    fields: list[list[str]] = []  # [key, value] in order; continuation lines extend the last one
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if not line.startswith("//"):
            break
        body = line[2:]
        m = re.match(r"\s*(name|purpose|param|returns)\s*:(.*)$", body)
        if m:
            fields.append([m.group(1), m.group(2).strip()])
        elif fields and re.match(r"\s{2,}\S", body):
            fields[-1][1] += " " + body.strip()
        # any other leading comment is free text and ignored
    names = [v for k, v in fields if k == "name"]
    purposes = [v for k, v in fields if k == "purpose"]
    if not fields:
        if require_header:
            raise InnographError(f"{where} has no header: start it with `// name:` and `// purpose:` lines.")
        return QuerySpec(name or (path.stem if path else "adhoc"), "", [], text, path, adhoc=True)
    if len(names) != 1 or not re.fullmatch(r"[a-z][a-z0-9_]*", names[0]):
        raise InnographError(f"{where} must have exactly one `// name:` line with a lower_snake_case name.")
    if len(purposes) != 1 or not purposes[0]:
        raise InnographError(f"{where} must have exactly one non-empty `// purpose:` line.")
    params = [_parse_param(v, where) for k, v in fields if k == "param"]
    seen: set[str] = set()
    for p in params:
        if p.name in seen:
            raise InnographError(f"{where} declares the parameter {p.name!r} twice.")
        seen.add(p.name)
    used = referenced_params(text)
    if used - seen:
        raise InnographError(
            f"{where} uses {', '.join('$' + n for n in sorted(used - seen))} without a `// param:` line for it."
        )
    if seen - used:
        raise InnographError(
            f"{where} declares {', '.join(sorted(seen - used))} but its Cypher never uses "
            f"{'it' if len(seen - used) == 1 else 'them'}."
        )
    returns = " ".join(v for k, v in fields if k == "returns")
    return QuerySpec(names[0], purposes[0], params, text, path, returns=returns)


_PARAM_RE = re.compile(
    r"(?P<name>[A-Za-z_]\w*)\s+(?P<type>int|float|str|bool|list\[str\])"
    r"(?:\s+in\s+\((?P<choices>[^)]*)\))?"
    r"(?:\s*=\s*(?P<default>.*?))?"
    r"\s*(?:--\s*(?P<help>.*))?$"
)


def _parse_param(spec: str, where: str) -> QueryParam:
    m = _PARAM_RE.fullmatch(spec.strip())
    if not m:
        raise InnographError(
            f"{where} has a malformed parameter line {spec!r}: write `// param: NAME TYPE [= DEFAULT]  -- help` "
            f"with TYPE one of {', '.join(PARAM_TYPES)}."
        )
    name, typ = m.group("name"), m.group("type")
    choices = tuple(c.strip() for c in (m.group("choices") or "").split(",") if c.strip())
    if choices and typ != "str":
        raise InnographError(f"{where}: only str parameters can list choices ({name}).")
    help_ = (m.group("help") or "").strip()
    raw = m.group("default")
    if raw is None:
        return QueryParam(name, typ, None, help_, choices, required=True)
    raw = raw.strip()
    if typ == "str" and len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"":
        raw = raw[1:-1]
    try:
        default = _convert(raw, typ)
    except ValueError as exc:
        raise InnographError(f"{where}: the default of {name} is not a valid {typ} ({exc}).") from None
    if choices and default not in choices:
        raise InnographError(f"{where}: the default of {name} is not one of {', '.join(choices)}.")
    return QueryParam(name, typ, default, help_, choices)


# -- parameters ------------------------------------------------------------------------------
def bind_params(spec: QuerySpec, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """The parameter dict for `spec`: defaults, replaced by `overrides`.

    Override values given as strings (as a command line gives them) are parsed to the declared
    type; values already of that type are checked. A key may carry its type (`limit:int`), which
    is how ad-hoc queries without a header get non-string parameters.
    """
    overrides = dict(overrides or {})
    typed: dict[str, tuple[str | None, Any]] = {}
    for key, value in overrides.items():
        name, _, typ = str(key).partition(":")
        name, typ = name.strip(), typ.strip() or None
        if typ is not None and typ not in PARAM_TYPES:
            raise QueryParamError(
                f"Parameter {key!r} of query {spec.name} names the type {typ!r}; the types are {', '.join(PARAM_TYPES)}."
            )
        typed[name] = (typ, value)

    if spec.adhoc:
        used = referenced_params(spec.text)
        unknown = sorted(set(typed) - used)
        if unknown:
            raise QueryParamError(
                f"Query {spec.name} has no parameter {', '.join(unknown)}; it uses "
                f"{', '.join('$' + n for n in sorted(used)) or 'no parameters'}."
            )
        missing = sorted(used - set(typed))
        if missing:
            raise QueryParamError(f"Query {spec.name} needs a value for {', '.join('$' + n for n in missing)}.")
        return {name: (_coerce(spec, name, typ, value) if typ else value) for name, (typ, value) in typed.items()}

    declared = {p.name: p for p in spec.params}
    unknown = sorted(set(typed) - set(declared))
    if unknown:
        listing = "; ".join(p.describe() for p in spec.params) or "none"
        raise QueryParamError(
            f"Query {spec.name} has no parameter {', '.join(repr(u) for u in unknown)}; its parameters are: {listing}."
        )
    bound: dict[str, Any] = {}
    for p in spec.params:
        if p.name in typed:
            typ, value = typed[p.name]
            if typ is not None and typ != p.type:
                raise QueryParamError(
                    f"Parameter {p.name} of query {spec.name} is {_article(p.type)} {p.type}, not {_article(typ)} {typ}."
                )
            value = _coerce(spec, p.name, p.type, value)
        elif p.required:
            raise QueryParamError(
                f"Query {spec.name} needs a value for its parameter {p.describe()}" + (f": {p.help}." if p.help else ".")
            )
        else:
            value = p.default
        if p.choices and value not in p.choices:
            raise QueryParamError(
                f"Parameter {p.name} of query {spec.name} must be one of {', '.join(p.choices)}, not {value!r}."
            )
        bound[p.name] = list(value) if isinstance(value, (list, tuple)) else value
    return bound


def _coerce(spec: QuerySpec, name: str, typ: str, value: Any) -> Any:
    try:
        if isinstance(value, str):
            return _convert(value, typ)
        return _check(value, typ)
    except ValueError as exc:
        raise QueryParamError(f"Parameter {name} of query {spec.name} must be {_article(typ)} {typ}: {exc}.") from None


def _convert(raw: str, typ: str) -> Any:
    text = raw.strip()
    if typ == "str":
        return raw
    if typ == "int":
        try:
            return int(text)
        except ValueError:
            raise ValueError(f"{raw!r} is not a whole number") from None
    if typ == "float":
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"{raw!r} is not a number") from None
        if not math.isfinite(value):
            raise ValueError(f"{raw!r} is not a finite number")
        return value
    if typ == "bool":
        low = text.lower()
        if low in ("true", "yes", "1", "on"):
            return True
        if low in ("false", "no", "0", "off"):
            return False
        raise ValueError(f"{raw!r} is not true or false")
    if typ == "list[str]":
        if text.startswith("["):
            try:
                items = json.loads(text)
            except json.JSONDecodeError:
                raise ValueError(f"{raw!r} is not a JSON list") from None
            if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
                raise ValueError(f"{raw!r} is not a list of strings")
            return items
        return [item.strip() for item in text.split(",") if item.strip()]
    raise ValueError(f"unknown type {typ}")


def _check(value: Any, typ: str) -> Any:
    if typ == "int" and isinstance(value, int) and not isinstance(value, bool):
        return value
    if typ == "float" and isinstance(value, (int, float)) and not isinstance(value, bool):
        if not math.isfinite(value):
            raise ValueError(f"{value!r} is not a finite number")
        return float(value)
    if typ == "bool" and isinstance(value, bool):
        return value
    if typ == "list[str]" and isinstance(value, (list, tuple)) and all(isinstance(i, str) for i in value):
        return list(value)
    raise ValueError(f"got {value!r}")


def _article(typ: str) -> str:
    return "an" if typ[0] in "aeiou" else "a"


def _show(value: Any) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return json.dumps(value)
    return str(value)


# -- read-only check -------------------------------------------------------------------------
# Clauses that write data or schema, load files or extensions, or administer the database, in
# Neo4j 5 or LadybugDB.
WRITE_WORDS = frozenset(
    """CREATE MERGE SET DELETE DETACH REMOVE DROP COPY ALTER LOAD INSTALL UNINSTALL ATTACH IMPORT
    EXPORT CHECKPOINT FOREACH GRANT REVOKE DENY RENAME START STOP TERMINATE ENABLE DEALLOCATE
    REALLOCATE BEGIN COMMIT ROLLBACK""".split()
)
# Procedures known not to write (lower case). Other CALLs are refused.
READ_ONLY_PROCEDURES = frozenset(
    """db.labels db.relationshiptypes db.propertykeys db.schema.visualization db.schema.nodetypeproperties
    db.schema.reltypeproperties db.info db.ping dbms.components gds.version gds.graph.list gds.graph.exists
    show_tables table_info show_connection db_version show_functions show_warnings current_setting
    show_indexes show_sequences show_attached_databases show_official_extensions
    show_loaded_extensions""".split()
)
_READ_ONLY_PROC_RE = re.compile(r"gds(\.\w+)+\.(stream|stats|estimate)")

_TOKEN_RE = re.compile(
    r"""(?P<ws>\s+)
      | (?P<line_comment>//[^\n]*)
      | (?P<block_comment>/\*.*?(?:\*/|\Z))
      | (?P<string>'(?:[^'\\]|\\.)*(?:'|\Z)|"(?:[^"\\]|\\.)*(?:"|\Z))
      | (?P<backtick>`(?:[^`]|``)*(?:`|\Z))
      | (?P<param>\$(?:[A-Za-z_]\w*|`[^`]*`|\d+))
      | (?P<number>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
      | (?P<word>[A-Za-z_]\w*)
      | (?P<punct>.)""",
    re.VERBOSE | re.DOTALL,
)


@dataclass
class _Token:
    kind: str
    text: str
    pos: int


def tokenize(cypher: str) -> list[_Token]:
    """Cypher tokens without whitespace and comments; string literals are single tokens."""
    out = []
    for m in _TOKEN_RE.finditer(cypher):
        kind = m.lastgroup
        if kind in ("ws", "line_comment", "block_comment"):
            continue
        out.append(_Token(kind, m.group(), m.start()))
    return out


def referenced_params(cypher: str) -> set[str]:
    """Names of the `$parameters` a query uses (not counting those in strings or comments)."""
    return {t.text[1:].strip("`") for t in tokenize(cypher) if t.kind == "param"}


def assert_read_only(cypher: str, what: str = "the query", allow_procedures: frozenset[str] = frozenset()) -> None:
    """Raise WriteQueryError if `cypher` contains a write or admin clause or calls a procedure not known to be read-only.

    Words inside string literals, comments and backtick-quoted names, property names (`n.set`),
    labels (`:Set`) and map keys (`{create: 1}`) do not count.
    """
    tokens = tokenize(cypher)
    allowed = READ_ONLY_PROCEDURES | {p.lower() for p in allow_procedures}
    for i, tok in enumerate(tokens):
        if tok.kind != "word":
            continue
        prev = tokens[i - 1].text if i > 0 else ""
        nxt = tokens[i + 1].text if i + 1 < len(tokens) else ""
        if prev in (".", ":", "$"):
            continue
        if nxt == ":" and prev in ("{", ","):
            continue
        word = tok.text.upper()
        line = cypher.count("\n", 0, tok.pos) + 1
        if word in WRITE_WORDS:
            raise WriteQueryError(
                f"Refused to run {what}: it contains the write or admin clause {word} (line {line}), "
                "and the query runner only runs read-only Cypher."
            )
        if word == "CALL":
            if nxt in ("{", "("):  # a subquery: its own clauses are checked as they come
                continue
            j, parts = i + 1, []
            while j < len(tokens) and tokens[j].kind in ("word", "backtick"):
                parts.append(tokens[j].text.strip("`"))
                if j + 1 < len(tokens) and tokens[j + 1].text == ".":
                    j += 2
                else:
                    j += 1
                    break
            proc = ".".join(parts)
            follows = tokens[j].text if j < len(tokens) else ""
            if proc and follows != "=" and (proc.lower() in allowed or _READ_ONLY_PROC_RE.fullmatch(proc.lower())):
                continue
            raise WriteQueryError(
                f"Refused to run {what}: it calls {proc or 'a procedure'} (line {line}), which is not a procedure "
                "known to be read-only, and the query runner only runs read-only Cypher."
            )


# -- running ---------------------------------------------------------------------------------
def run_query(store: Any, spec_or_text: QuerySpec | str | os.PathLike, params: dict[str, Any] | None = None) -> pd.DataFrame:
    """Run a pack query, a query file (a Path) or Cypher text read-only on `store`; return its rows.

    `params` may hold strings (parsed to the declared types) or values of the declared types.
    """
    if isinstance(spec_or_text, QuerySpec):
        spec = spec_or_text
    elif isinstance(spec_or_text, os.PathLike):
        spec = load_query_file(spec_or_text)
    else:
        spec = parse_query(str(spec_or_text))
    what = f"query {spec.name}" if not spec.adhoc else (f"the query in {spec.path}" if spec.path else "the query")
    assert_read_only(spec.text, what)
    bound = bind_params(spec, params)
    return store.execute(spec.text, bound)


def format_result(df: pd.DataFrame, fmt: str = "table") -> str:
    """Rows as text: an aligned `table`, `csv` (with header) or `json` (a list of objects; missing values are null)."""
    if fmt not in FORMATS:
        raise InnographError(f"Unknown output format {fmt!r}: choose one of {', '.join(FORMATS)}.")
    if fmt == "csv":
        return df.to_csv(index=False)
    if fmt == "json":
        return json.dumps([{k: _jsonable(v) for k, v in row.items()} for row in df.to_dict("records")],
                          ensure_ascii=False, indent=None) + "\n"
    if df.empty:
        return ("(no rows)" if len(df.columns) == 0 else " ".join(map(str, df.columns)) + "\n(no rows)") + "\n"
    return df.to_string(index=False, na_rep="") + "\n"


def _jsonable(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):  # numpy scalars and arrays
        value = value.tolist()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return str(value)
