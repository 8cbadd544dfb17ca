"""Parsing list-valued fields (keywords) safely and normalising keyword strings."""

from __future__ import annotations

import ast
import json
import re
import unicodedata

_SPACES = re.compile(r"\s+")


def parse_list_literal(text: str | None) -> list[str]:
    """Parse a JSON list (`["a", "b"]`) or a Python-literal list (`['a', 'b']`) of strings.

    Empty text is the empty list. Anything else (not a list, items that are not strings,
    unbalanced brackets) raises ValueError with the reason. Never evaluates code: Python
    literals go through `ast.literal_eval`.
    """
    if text is None or not text.strip():
        return []
    text = text.strip()
    if not text.startswith("["):
        raise ValueError("not a list: expected a JSON or Python list such as [\"a\", \"b\"]")
    try:
        value = json.loads(text)
    except (json.JSONDecodeError, RecursionError):  # deep nesting: ast reports it as an error
        try:
            value = ast.literal_eval(text)
        except (ValueError, SyntaxError, MemoryError, RecursionError) as exc:
            raise ValueError(f"malformed list ({type(exc).__name__})") from None
    if not isinstance(value, (list, tuple)):
        raise ValueError("not a list")
    if not all(isinstance(v, str) for v in value):
        raise ValueError("list items must be strings")
    return list(value)


def normalize_keyword(text: str) -> str:
    """Lower case, Unicode NFKC, single spaces: "  Neural\u00a0Networks " -> "neural networks"."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip().lower()


def normalize_keywords(items: list[str]) -> list[str]:
    """Normalised, non-empty, first occurrence kept (the position is the keyword's rank)."""
    out: list[str] = []
    seen: set[str] = set()
    for item in items:
        k = normalize_keyword(item)
        if k and k not in seen:
            seen.add(k)
            out.append(k)
    return out
