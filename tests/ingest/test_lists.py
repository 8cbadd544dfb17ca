"""Keyword list fields: parsed safely (never evaluated), then normalised."""

import pytest

from innograph.ingest.lists import normalize_keyword, normalize_keywords, parse_list_literal


@pytest.mark.parametrize(
    "text, items",
    [
        ('["deep learning", "AI"]', ["deep learning", "AI"]),  # JSON
        ("['deep learning', 'AI']", ["deep learning", "AI"]),  # Python literal
        ("['it\\'s', \"quoted \\\"x\\\"\"]", ["it's", 'quoted "x"']),
        ('["caf\\u00e9"]', ["café"]),
        ("  ['a']  ", ["a"]),
        ("[]", []),
        ("['a',]", ["a"]),  # trailing comma: Python, not JSON
        ("[u'a']", ["a"]),
        ('["a, b; c"]', ["a, b; c"]),  # separators inside an item stay
        ("", []),
        ("   ", []),
        (None, []),
    ],
)
def test_parse_list_literal_accepts(text, items):
    assert parse_list_literal(text) == items


@pytest.mark.parametrize(
    "text, reason",
    [
        ("['a', 'b'", "malformed list"),  # unbalanced
        ('["a", "b"', "malformed list"),
        ("['a'] ]", "malformed list"),
        ("[['a']", "malformed list"),
        ("deep learning, AI", "not a list"),
        ("'deep learning'", "not a list"),
        ('{"a": 1}', "not a list"),
        ("('a', 'b')", "not a list"),  # a tuple literal does not start with [
        ("[1, 2]", "list items must be strings"),
        ("['a', 1]", "list items must be strings"),
        ("['a', None]", "list items must be strings"),
        ("[['a']]", "list items must be strings"),
        ("[b'a']", "list items must be strings"),
        ('["a", null]', "list items must be strings"),
        ("['a'] + ['b']", "malformed list"),
        ("[x for x in 'ab']", "malformed list"),
        ("__import__('os').system('echo hi')", "not a list"),
        ("[__import__('os').system('echo hi')]", "malformed list"),
        ("[" * 100_000, "malformed list"),  # deep nesting: ValueError, not RecursionError
        ("[" * 50 + "]" * 50, "list items must be strings"),
    ],
)
def test_parse_list_literal_rejects_with_value_error(text, reason):
    with pytest.raises(ValueError, match=reason.replace("[", r"\[")):
        parse_list_literal(text)


def test_dangerous_literal_is_never_evaluated(tmp_path, monkeypatch):
    marker = tmp_path / "pwned"
    calls = []
    monkeypatch.setattr("os.system", lambda *a: calls.append(a) or 0)
    payloads = [
        f"[__import__('pathlib').Path({str(marker)!r}).touch()]",
        f"[open({str(marker)!r}, 'w')]",
        "[__import__('os').system('echo hi')]",
        "__import__('os').system('echo hi')",
        f"['a', __import__('pathlib').Path({str(marker)!r}).touch()]",
    ]
    for text in payloads:
        with pytest.raises(ValueError):
            parse_list_literal(text)
    assert not marker.exists()
    assert calls == []


@pytest.mark.parametrize(
    "raw, norm",
    [
        ("Deep Learning", "deep learning"),
        ("  Neural\u00a0Networks ", "neural networks"),  # NBSP
        ("neural   \t networks", "neural networks"),
        ("Neural\nNetworks", "neural networks"),
        ("\ufb01ne-tuning", "fine-tuning"),  # NFKC: the fi ligature
        ("ＢＥＲＴ", "bert"),  # NFKC: full-width letters
        ("Transformer\u2003Model", "transformer model"),  # em space
        ("   ", ""),
    ],
)
def test_normalize_keyword(raw, norm):
    assert normalize_keyword(raw) == norm


def test_normalize_keywords_first_occurrence_keeps_rank():
    items = ["Deep Learning", "AI", "deep  learning", "", "  ", "Neural\u00a0Networks",
             "DEEP LEARNING", "ai", "neural networks", "Robotics"]
    assert normalize_keywords(items) == ["deep learning", "ai", "neural networks", "robotics"]


def test_normalize_keywords_empty():
    assert normalize_keywords([]) == []
    assert normalize_keywords(["", " \u00a0 "]) == []
