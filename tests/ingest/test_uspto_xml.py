"""USPTO bulk XML: the eleven real documents of ../shared/data (grants 2004/2006/2014 formats,
applications 2001/2004), a concatenated weekly-style file, broken documents, and PATDOC."""

import pytest
from rawread import read_all, rejected, write

from innograph.errors import InputFormatError
from innograph.ingest import uspto_xml as ux
from innograph.ingest.rejects import ROW_REJECTED

# file -> id, kind, date, title start, IPC, first abstract words, assignees, first inventor, countries
EXPECTED = {
    "pap/US20010000044A1.xml": ("US2001000044A1", "A1", "2001-03-15",
                                "Systems and Methods For Transacting Business Over A Global Communications Network",
                                ["G06F17/60"], "A business model / process is described", [], "Wayne W Lin", ["US"]),
    "pap/US20010000943A1.xml": ("US2001000943A1", "A1", "2001-05-10",
                                "Organic electroluminescence device and method of manufacturing same",
                                ["H01J1/62"], "An organic ELECTROLUMINESCENCE device exhibiting",
                                ["IDEMITSU KOSAN CO., LTD."], "Kenichi Fukuoka", ["JP"]),
    "pap/US20010009014A1.xml": ("US2001009014A1", "A1", "2001-07-19", "Facilitating real-time, multi-point communications",
                                ["G06F15/16"], "Methods and apparatus are described for facilitating", [],
                                "James A. Savage", ["US"]),
    "xml2004/US06859910.xml": ("US6859910B2", "B2", "2005-02-22", "Methods and systems for transactional tunneling",
                               ["G06F15/00", "G06F17/00", "G06F17/21", "G06F17/24"],
                               "Methods and systems for executing an electronic transaction", ["Bluestreak.com"],
                               "John Charles Croy", ["US"]),
    "xml2004/US06970935.xml": ("US6970935B1", "B1", "2005-11-29", "Conversational networking via transport, coding an",
                               ["G06F15/16"], "Conversational protocols for implementing distributed",
                               ["International Business Machines Corporation"], "Stephane H. Maes", ["US"]),
    "xml2006/US07272630B2.xml": ("US7272630B2", "B2", "2007-09-18", "Locating potentially identical objects across mult",
                                 ["G06F15/13"], "Potentially identical objects (e.g., files) are located",
                                 ["Microsoft Corporation"], "John R. Douceur", ["US"]),
    "xml2014/US08926509.xml": ("US8926509B2", "B2", "2015-01-06", "Wireless physiological sensor patches and systems",
                               None, "The present invention provides methods, devices, and systems",
                               ["Hmicro, Inc."], "Surendar Magar", ["US"]),
    "xml2014/US08927118.xml": ("US8927118B2", "B2", "2015-01-06", "Material for organic electroluminescence device",
                               None, "Provided are an organic electroluminescence device",
                               ["Idemitsu Kosan Co., Ltd."], "Tomoki Kato", ["JP"]),
    "xml2014/US08930553.xml": ("US8930553B2", "B2", "2015-01-06",
                               "Managing mid-dialog session initiation protocol (SIP) messages", ["G06F15/16"],
                               "Processing mid-dialog SIP messages by receiving a mid-dialog",
                               ["International Business Machines Corporation"], "Nitzan Nissim", ["US", "IL"]),
    "xmlApp2004/US20050004437A1.xml": ("US2005004437A1", "A1", "2005-01-06",
                                       "Simulation device for playful evaluation and display of bl", ["A61B5/00"],
                                       "A simulation device for playful evaluation and display", [],
                                       "Heiner Kaufmann", ["CH"]),
    "xmlApp2004/US20050004974A1.xml": ("US2005004974A1", "A1", "2005-01-06", "Device model agent", ["G06F15/16"],
                                       "The Device Model Agent (DMA), the device side technology",
                                       ["Xerox Corporation"], "Naveen Sharma", ["US"]),
}


@pytest.fixture(scope="module")
def xml_dir(shared_data):
    return shared_data / "patents" / "uspto_xml"


@pytest.mark.parametrize("name", list(EXPECTED))
def test_real_documents(xml_dir, name):
    pid, kind, date, title, ipc, abstract, assignees, inventor, countries = EXPECTED[name]
    docs, log, stats = read_all(ux.read, xml_dir / name)
    assert (stats.read, stats.kept, stats.rejected) == (1, 1, 0) and not log.items
    d = docs[0]
    assert (d.id, d.kind_code, d.date, d.year, d.country) == (pid, kind, date, int(date[:4]), "US")
    assert d.title.startswith(title) and d.abstract.startswith(abstract)
    if ipc is not None:
        assert d.ipc == ipc
    assert d.assignees == assignees and d.authors[0] == inventor and d.countries == countries
    assert d.line == 1 and d.source == "uspto_xml"


def test_ice_2014_classifications(xml_dir):
    d = read_all(ux.read, xml_dir / "xml2014/US08926509.xml")[0][0]
    assert d.ipc[:4] == ["A61B5/00", "A61B5/0205", "A61B5/0404", "A61B5/11"] and len(d.ipc) == 14
    assert d.cpc[:3] == ["A61B5/0205", "A61B5/0024", "A61B5/0404"]  # main CPC first
    assert d.language == "en" and d.has_g06n is False


def test_pap_abstract_has_no_heading(xml_dir):
    d = read_all(ux.read, xml_dir / "pap/US20010000044A1.xml")[0][0]
    assert d.abstract.startswith("A business model")  # <heading>Abstract of Disclosure</heading> left out


def test_concatenated_file_with_broken_documents(xml_dir, tmp_path):
    """A weekly file: many documents, one truncated, one without a number; the rest is read."""
    names = list(EXPECTED)
    good = [(xml_dir / n).read_bytes() for n in names]
    truncated = good[3][: len(good[3]) // 2]  # cut in the middle of US06859910
    no_number = good[9].replace(b"<doc-number>20050004437</doc-number>", b"")
    no_number = no_number.replace(b"<publication-reference>", b"<publication-reference-x>", 1).replace(
        b"</publication-reference>", b"</publication-reference-x>", 1)
    parts = good[:3] + [truncated] + good[4:9] + [no_number] + good[10:]
    blob = b"".join(p if p.endswith(b"\n") else p + b"\n" for p in parts)
    path = write(tmp_path, "ipa_week.xml", blob)
    starts, line = [], 1
    for p in parts:
        starts.append(line)
        line += (p if p.endswith(b"\n") else p + b"\n").count(b"\n")
    docs, log, stats = read_all(ux.read, path)
    assert (stats.read, stats.kept, stats.rejected) == (11, 9, 2) and stats.reconciles()
    assert [d.id for d in docs] == [EXPECTED[n][0] for i, n in enumerate(names) if i not in (3, 9)]
    assert [d.line for d in docs] == [s for i, s in enumerate(starts) if i not in (3, 9)]
    reasons = rejected(log)
    assert [(r[0], r[1], r[3]) for r in reasons] == [(starts[3], "xml", ROW_REJECTED),
                                                     (starts[9], "publication-reference", ROW_REJECTED)]
    assert "not well-formed XML" in reasons[0][2] and reasons[1][2] == "publication number is missing"


def test_truncated_single_file_is_one_reject(tmp_path, xml_dir):
    data = (xml_dir / "xml2006/US07272630B2.xml").read_bytes()
    path = write(tmp_path, "cut.xml", data[:5000])
    docs, log, stats = read_all(ux.read, path)
    assert docs == [] and [(r[0], r[1]) for r in rejected(log)] == [(1, "xml")] and stats.reconciles()


def test_not_xml_is_a_format_error(tmp_path):
    path = write(tmp_path, "x.xml", "id,title\n1,a\n")
    with pytest.raises(InputFormatError, match="line 1 is not XML"):
        read_all(ux.read, path)


def test_other_xml_document_is_rejected(tmp_path):
    path = write(tmp_path, "x.xml", '<?xml version="1.0"?>\n<sequence-cwu><x/></sequence-cwu>\n')
    docs, log, _ = read_all(ux.read, path)
    assert docs == [] and rejected(log)[0][2] == "not a USPTO patent document (root element <sequence-cwu>)"


PATDOC = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE PATDOC [
<!ENTITY US06334332-20020101-D00001.TIF SYSTEM "US06334332-20020101-D00001.TIF" NDATA TIF>
]>
<PATDOC DTD="2.4" STATUS="BUILD 20011221">
<SDOBI>
<B100><B110><DNUM><PDAT>06334332</PDAT></DNUM></B110><B130><PDAT>B1</PDAT></B130>
<B140><DATE><PDAT>20020101</PDAT></DATE></B140><B190><PDAT>US</PDAT></B190></B100>
<B500><B510><B511><PDAT>G06N 3/08</PDAT></B511><B512><PDAT>G06F 15/18</PDAT></B512></B510>
<B540><STEXT><PDAT>Neural network with &ldquo;quoted&rdquo; learning &mdash; rule</PDAT></STEXT></B540></B500>
<B700><B720><B721><PARTY-US><NAM><FNM><PDAT>Ada</PDAT></FNM><SNM><STEXT><PDAT>Lovelace</PDAT></STEXT></SNM></NAM>
<ADR><CITY><PDAT>London</PDAT></CITY><CTRY><PDAT>GB</PDAT></CTRY></ADR></PARTY-US></B721></B720>
<B730><B731><PARTY-US><NAM><ONM><STEXT><PDAT>Analytical Engines Ltd.</PDAT></STEXT></ONM></NAM></PARTY-US></B731></B730></B700>
</SDOBI>
<SDOAB><BTEXT><PARA ID="P-00001"><PTEXT><PDAT>A network learns &plus; forgets.</PDAT></PTEXT></PARA></BTEXT></SDOAB>
</PATDOC>
"""


def test_patdoc_grant_2001_2004(tmp_path):
    docs, log, stats = read_all(ux.read, write(tmp_path, "pg020101.xml", PATDOC + PATDOC.replace("06334332", "06334333")))
    assert [d.id for d in docs] == ["US6334332B1", "US6334333B1"] and not log.items
    d = docs[0]
    assert (d.date, d.ipc, d.has_g06n) == ("2002-01-01", ["G06N3/08", "G06F15/18"], True)
    assert d.title == "Neural network with \u201cquoted\u201d learning \u2014 rule"  # HTML entities resolved
    assert d.abstract == "A network learns + forgets."
    assert (d.authors, d.assignees, d.countries) == (["Ada Lovelace"], ["Analytical Engines Ltd."], ["GB"])
    assert docs[1].line == PATDOC.count("\n") + 1
