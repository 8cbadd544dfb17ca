"""The text the models read from a document: its title and abstract."""

from __future__ import annotations


def document_text(title, abstract) -> str:
    """`title. abstract`, as the paper's classifier, KeyBERT and the similarity step read it.

    Either part may be missing (None, NaN, empty); no full stop is added after a title that already
    ends a sentence or a clause (`.`, `?`, `!`, `:`). Returns "" when both are missing.
    """
    parts = [p.strip() for p in (title, abstract) if isinstance(p, str) and p.strip()]
    if len(parts) == 2 and not parts[0].endswith((".", "?", "!", ":")):
        return f"{parts[0]}. {parts[1]}"
    return " ".join(parts)
