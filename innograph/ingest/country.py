"""Countries: of a patent from its publication number, of a paper from its affiliations.

Country codes are ISO 3166-1 alpha-2 (from pycountry), plus the codes of patent offices that
are not countries (EP, WO, EA, AP, OA, GC) and historic codes that appear on old patents (SU,
DD, CS, YU). Paper affiliations are matched against pycountry's names, official and common
names, alpha-3 codes, US states (with their ZIP codes) and Chinese provinces; the few colloquial
forms pycountry lacks ("USA", "UK", "P.R. China", "South Korea" ...) are in `_ALIASES`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import pycountry

OFFICES = {
    "EP": "European Patent Office",
    "WO": "WIPO (PCT)",
    "EA": "Eurasian Patent Organization",
    "AP": "ARIPO",
    "OA": "OAPI",
    "GC": "GCC Patent Office",
}

# Colloquial forms that pycountry does not carry; keys are normalised (see `_norm`).
_ALIASES = {
    "usa": "US", "u s a": "US", "u s": "US", "us": "US", "united states of america": "US",
    "america": "US", "uk": "GB", "u k": "GB", "england": "GB", "scotland": "GB", "wales": "GB",
    "northern ireland": "GB", "great britain": "GB", "britain": "GB",
    "pr china": "CN", "p r china": "CN", "prc": "CN", "p r c": "CN", "peoples republic of china": "CN",
    "people s republic of china": "CN", "mainland china": "CN", "china mainland": "CN",
    "korea": "KR", "south korea": "KR", "republic of korea": "KR", "s korea": "KR", "rok": "KR",
    "north korea": "KP", "russia": "RU", "turkey": "TR", "czech republic": "CZ",
    "iran": "IR", "vietnam": "VN", "taiwan roc": "TW", "roc": "TW", "republic of china": "TW",
    "hong kong sar": "HK", "hong kong china": "HK", "macau": "MO", "macao sar": "MO",
    "the netherlands": "NL", "holland": "NL", "uae": "AE", "ivory coast": "CI", "laos": "LA",
    "syria": "SY", "brunei": "BN", "dr congo": "CD", "democratic republic of the congo": "CD",
    "republic of ireland": "IE", "slovak republic": "SK", "macedonia": "MK",
    "inner mongolia": "CN", "tibet": "CN",  # else "mongolia" -> MN, "tibet" -> nothing
}

# Two-letter codes that are also US state codes: alone they are ambiguous ("Stanford, CA").
_US_STATE_CODES = {s.code.split("-")[1] for s in pycountry.subdivisions.get(country_code="US")}
_ZIP = re.compile(r"^([A-Z]{2})\s*\d{5}(-\d{4})?$")
_PN_PREFIX = re.compile(r"^\s*([A-Za-z]{2})")


def _norm(text: str) -> str:
    """Lower case ASCII with punctuation as single spaces: "Côte d'Ivoire" -> "cote d ivoire"."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def _build_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(c, attr, None)
            if value:
                names[_norm(value)] = c.alpha_2
                # "Korea, Republic of" -> also "republic of korea"
                if "," in value:
                    head, tail = (v.strip() for v in value.split(",", 1))
                    names[_norm(f"{tail} {head}")] = c.alpha_2
                    names.setdefault(_norm(head), c.alpha_2)
        names[c.alpha_3.lower()] = c.alpha_2
    names.update(_ALIASES)
    return names


def _build_regions() -> dict[str, str]:
    """US states and Chinese provinces/municipalities, for affiliations without a country."""
    regions: dict[str, str] = {}
    for s in pycountry.subdivisions.get(country_code="US"):
        regions[_norm(s.name)] = "US"
    suffix = re.compile(r"\s+(sheng|shi|zizhiqu|sar|huizu|zhuangzu|uygur)\b.*$")
    for s in pycountry.subdivisions.get(country_code="CN"):
        base = suffix.sub("", _norm(s.name))
        if s.code not in ("CN-TW", "CN-HK", "CN-MO"):  # their own ISO codes win
            regions[base] = "CN"
    regions.pop("georgia", None)  # the country, not the state, by default
    return regions


_NAMES = _build_names()
_REGIONS = _build_regions()
_COUNTRY_CODES = {c.alpha_2 for c in pycountry.countries}
_HISTORIC = {c.alpha_2: c.name for c in pycountry.historic_countries if hasattr(c, "alpha_2")}


def country_name(code: str) -> str | None:
    """English name of a country or office code."""
    if code in OFFICES:
        return OFFICES[code]
    c = pycountry.countries.get(alpha_2=code)
    if c is not None:
        return getattr(c, "common_name", None) or c.name
    return _HISTORIC.get(code)


def is_known_code(code: str) -> bool:
    return code in _COUNTRY_CODES or code in OFFICES or code in _HISTORIC


def country_from_publication_number(pn: str) -> str | None:
    """`US10123456B2` -> `US`; `EP-3123456-A1` -> `EP`; None when the prefix is no known code."""
    m = _PN_PREFIX.match(pn or "")
    if not m:
        return None
    code = m.group(1).upper()
    return code if is_known_code(code) else None


@lru_cache(maxsize=500_000)
def country_of_affiliation(affiliation: str) -> str | None:
    """Country of one affiliation string, looking from its end: "..., Beijing 100084, China"."""
    parts = [p.strip() for p in affiliation.split(",") if p.strip()]
    for part in reversed(parts):
        code = _match_part(part, last=part is parts[-1])
        if code:
            return code
    return None


def _match_part(part: str, last: bool) -> str | None:
    if m := _ZIP.match(part.strip()):
        if m.group(1) in _US_STATE_CODES:
            return "US"
    raw = part.strip().strip(".")
    if last and len(raw) == 2 and raw.isupper() and raw in _COUNTRY_CODES:
        return None if raw in _US_STATE_CODES else raw
    words = _norm(part).split()
    # the component itself, then its trailing words ("beijing 100084 china" -> "china")
    for n in range(len(words), 0, -1):
        key = " ".join(words[-n:])
        if key in _NAMES and not (n == 1 and len(key) == 2 and key.upper() in _US_STATE_CODES):
            return _NAMES[key]
        if key in _REGIONS:  # longer than the country it ends in: "new mexico", "new jersey"
            return _REGIONS[key]
    words = [w for w in words if not w.isdigit()]
    for n in range(len(words), 0, -1):
        key = " ".join(words[-n:])
        if key in _REGIONS:
            return _REGIONS[key]
    return None


_AFFIL_SPLIT = re.compile(r"[;|\n]+")


def countries_of_affiliations(text: str | None) -> list[str]:
    """Distinct countries of a `;`-separated affiliations field, in order of appearance."""
    if not text:
        return []
    out: list[str] = []
    for aff in _AFFIL_SPLIT.split(text):
        code = country_of_affiliation(aff.strip()) if aff.strip() else None
        if code and code not in out:
            out.append(code)
    return out
