"""IPC (and CPC) codes: parsing the notations real files use, normalising, and the hierarchy.

Normal form: `G06N3/08` (subclass, main group without leading zeros, `/`, subgroup with at
least two digits and no trailing zeros beyond them). Accepted notations:

- `G06N3/08`, `G06N 3/08`, `g06n  3 / 08`, `G06N 3/08 (2006.01)`, `G06N3/08 20060101`
- `G06N0003080000` (the fixed-width 14-character form of bulk data)
- `G06N`, `G06`, `G` (subclass, class, section), `G06N3` (main group without subgroup)
- lists separated by `;`, `,`, `|` or new lines, with or without brackets and quotes:
  `G06N3/08;G06F17/16`, `['G06N3/08', 'G06F17/16']`, `["G06N 3/08"]`
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

LEVELS = ("section", "class", "subclass", "group", "subgroup")

_SPACES = re.compile(r"\s+")
_VERSION = re.compile(r"\(\s*\d{4}\.\d{2}\s*\)|\b(?:19|20)\d{6}\b")  # (2006.01), 20060101
_LONG = re.compile(r"^([A-HY])(\d{2})([A-Z])(\d{4})(\d{6})$")
_GROUP = re.compile(r"^([A-HY])(\d{2})([A-Z])(\d{1,4})(?:/(\d{1,6}))?$")
_SUBCLASS = re.compile(r"^([A-HY])(\d{2})([A-Z])$")
_CLASS = re.compile(r"^([A-HY])(\d{2})$")
_SECTION = re.compile(r"^([A-HY])$")
_LIST_SPLIT = re.compile(r"[;,|\n]+")
_STRIP = "[]()'\" \t"
_PART_STRIP = "[]'\" \t"  # parentheses may hold a version: "G06N 3/08 (2006.01)"


@dataclass(frozen=True)
class IpcCode:
    """A normalised code and its level."""

    code: str
    level: str

    @property
    def section(self) -> str:
        return self.code[0]


def _subgroup(digits: str) -> str:
    digits = digits.rstrip("0")
    return digits.ljust(2, "0")


@lru_cache(maxsize=200_000)
def normalize_ipc(raw: str) -> IpcCode | None:
    """Normalise one code; None when it is not an IPC/CPC code in any known notation."""
    text = _VERSION.sub("", raw).strip(_STRIP).upper()
    text = _SPACES.sub("", text)
    if not text:
        return None
    if m := _LONG.match(text):
        sec, cls, sub, grp, sg = m.groups()
        return _group_code(sec, cls, sub, str(int(grp)), sg)
    if m := _GROUP.match(text):
        sec, cls, sub, grp, sg = m.groups()
        if int(grp) == 0:
            return IpcCode(f"{sec}{cls}{sub}", "subclass")
        return _group_code(sec, cls, sub, str(int(grp)), sg or "00")
    if m := _SUBCLASS.match(text):
        return IpcCode(text, "subclass")
    if m := _CLASS.match(text):
        return IpcCode(text, "class")
    if m := _SECTION.match(text):
        return IpcCode(text, "section")
    return None


def _group_code(sec: str, cls: str, sub: str, grp: str, sg: str) -> IpcCode:
    sg = _subgroup(sg)
    level = "group" if sg == "00" else "subgroup"
    return IpcCode(f"{sec}{cls}{sub}{grp}/{sg}", level)


def split_ipc_list(raw: str | None) -> list[str]:
    """Split a field holding one or more codes into the raw code strings (not yet normalised)."""
    if raw is None:
        return []
    text = raw.strip().strip("[]")
    parts = (p.strip(_PART_STRIP) for p in _LIST_SPLIT.split(text))
    return [p for p in parts if p]


def parse_ipc_list(raw: str | None) -> tuple[list[str], list[str]]:
    """Normalised, de-duplicated codes of a field (order kept) and the parts that did not parse."""
    codes: list[str] = []
    bad: list[str] = []
    for part in split_ipc_list(raw):
        ipc = normalize_ipc(part)
        if ipc is None:
            bad.append(part)
        elif ipc.code not in codes:
            codes.append(ipc.code)
    return codes, bad


@lru_cache(maxsize=200_000)
def ipc_lineage(code: str) -> tuple[IpcCode, ...]:
    """The code and its ancestors, most specific first: G06N3/08, G06N3/00, G06N, G06, G.

    `code` must already be normalised.
    """
    ipc = normalize_ipc(code)
    if ipc is None:
        raise ValueError(f"not a normalised IPC code: {code!r}")
    chain = [ipc]
    c = ipc.code
    if ipc.level == "subgroup":
        chain.append(IpcCode(c.split("/")[0] + "/00", "group"))
    if ipc.level in ("subgroup", "group"):
        chain.append(IpcCode(c[:4], "subclass"))
    if ipc.level in ("subgroup", "group", "subclass"):
        chain.append(IpcCode(c[:3], "class"))
    if ipc.level != "section":
        chain.append(IpcCode(c[0], "section"))
    return tuple(chain)


def ipc_subclass(code: str) -> str | None:
    """The subclass (e.g. `G06N`) of a normalised code, None above subclass level."""
    return code[:4] if len(code) >= 4 else None
