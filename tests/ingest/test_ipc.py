"""IPC/CPC notations as real files write them, lists of them, and the hierarchy."""

import pytest

from innograph.ingest.ipc import (
    IpcCode,
    ipc_lineage,
    ipc_subclass,
    normalize_ipc,
    parse_ipc_list,
    split_ipc_list,
)


@pytest.mark.parametrize(
    "raw, code, level",
    [
        ("G06N3/08", "G06N3/08", "subgroup"),
        ("G06N 3/08", "G06N3/08", "subgroup"),
        ("g06n  3 / 08", "G06N3/08", "subgroup"),
        ("G06N0003080000", "G06N3/08", "subgroup"),  # fixed-width bulk-data form
        ("G06N0003046400", "G06N3/0464", "subgroup"),  # trailing zeros dropped, not all of them
        ("G06N0003000000", "G06N3/00", "group"),
        ("G06N 3/08 (2006.01)", "G06N3/08", "subgroup"),  # version in parentheses
        ("G06N3/08 20060101", "G06N3/08", "subgroup"),  # version as a date
        ("G06N 20/00", "G06N20/00", "group"),  # group 20 is not taken for a version
        ("G06N3/10", "G06N3/10", "subgroup"),
        ("G06N3/100", "G06N3/10", "subgroup"),  # subgroup digits are decimal: /100 == /10
        ("G06N", "G06N", "subclass"),
        ("G06", "G06", "class"),
        ("G", "G", "section"),
        ("G06N3", "G06N3/00", "group"),  # main group without subgroup
        ("G06N0", "G06N", "subclass"),  # group 0 is the subclass itself
        ("Y02T10/70", "Y02T10/70", "subgroup"),  # CPC section Y
        ("'G06N3/08'", "G06N3/08", "subgroup"),
        ("[G06N3/08]", "G06N3/08", "subgroup"),
    ],
)
def test_normalize_ipc_notations(raw, code, level):
    assert normalize_ipc(raw) == IpcCode(code, level)


def test_ipc_code_section():
    assert normalize_ipc("g06n 3/08").section == "G"


@pytest.mark.parametrize(
    "raw",
    ["", "   ", "XYZ", "Z99", "I06N3/08", "G6N", "G06NN", "G06N3/08/09", "G06N12345/00",
     "G06N3/1234567", "G06N 3/08 (2006.01) extra", "06N3/08"],
)
def test_normalize_ipc_rejects_non_codes(raw):
    assert normalize_ipc(raw) is None


@pytest.mark.parametrize(
    "raw",
    [
        "G06N3/08;G06F17/16",
        "G06N3/08,G06F17/16",
        "G06N3/08|G06F17/16",
        "G06N3/08 ; G06F17/16",
        "G06N3/08\nG06F17/16",
        "['G06N3/08', 'G06F17/16']",  # Python style
        '["G06N3/08", "G06F17/16"]',  # JSON style
        "[G06N3/08, G06F17/16]",  # brackets, no quotes
        "'G06N3/08';'G06F17/16'",  # quotes, no brackets
        '["G06N 3/08", "G06F 17/16"]',
        "['G06N 3/08 (2006.01)', 'G06F 17/16 (2006.01)']",
        "G06N0003080000|G06F0017160000",
    ],
)
def test_parse_ipc_list_separators_brackets_quotes(raw):
    assert parse_ipc_list(raw) == (["G06N3/08", "G06F17/16"], [])


def test_split_ipc_list_keeps_raw_parts():
    assert split_ipc_list('["G06N 3/08", "G06F 17/16"]') == ["G06N 3/08", "G06F 17/16"]
    assert split_ipc_list("G06N3/08; ; bad ;") == ["G06N3/08", "bad"]
    assert split_ipc_list(None) == []
    assert split_ipc_list("") == []
    assert split_ipc_list("[]") == []


def test_parse_ipc_list_dedupes_in_order_and_reports_bad_parts():
    codes, bad = parse_ipc_list("G06F17/16; bogus; G06N 3/08; g06f 17/16; G06N0003080000; Z99")
    assert codes == ["G06F17/16", "G06N3/08"]
    assert bad == ["bogus", "Z99"]


def test_parse_ipc_list_empty():
    assert parse_ipc_list(None) == ([], [])
    assert parse_ipc_list("") == ([], [])
    assert parse_ipc_list("[]") == ([], [])


def test_ipc_lineage_subgroup_to_section():
    assert ipc_lineage("G06N3/08") == (
        IpcCode("G06N3/08", "subgroup"),
        IpcCode("G06N3/00", "group"),
        IpcCode("G06N", "subclass"),
        IpcCode("G06", "class"),
        IpcCode("G", "section"),
    )


def test_ipc_lineage_of_higher_levels():
    assert [c.code for c in ipc_lineage("G06N3/0464")] == ["G06N3/0464", "G06N3/00", "G06N", "G06", "G"]
    assert [c.code for c in ipc_lineage("G06N20/00")] == ["G06N20/00", "G06N", "G06", "G"]
    assert ipc_lineage("G06N") == (IpcCode("G06N", "subclass"), IpcCode("G06", "class"),
                                   IpcCode("G", "section"))
    assert ipc_lineage("G06") == (IpcCode("G06", "class"), IpcCode("G", "section"))
    assert ipc_lineage("G") == (IpcCode("G", "section"),)


def test_ipc_lineage_levels_are_the_documented_ones():
    assert [c.level for c in ipc_lineage("G06N3/08")] == [
        "subgroup", "group", "subclass", "class", "section"]


def test_ipc_lineage_rejects_garbage():
    with pytest.raises(ValueError, match="not a normalised IPC code"):
        ipc_lineage("bogus")


@pytest.mark.parametrize(
    "code, subclass",
    [("G06N3/08", "G06N"), ("G06N3/00", "G06N"), ("G06N", "G06N"), ("G06", None), ("G", None)],
)
def test_ipc_subclass(code, subclass):
    assert ipc_subclass(code) == subclass
