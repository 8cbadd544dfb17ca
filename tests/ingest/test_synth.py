"""Synthetic DeepInnovationAI files: formats, invariants, determinism, distributions."""

from __future__ import annotations

import csv
import hashlib
import json

import numpy as np
import pandas as pd
import pytest

from innograph.errors import InnographError
from innograph.ingest import synth
from innograph.ingest.synth import (
    FILE_NAMES, PAIR_HEADER, PAIR_HEADER_LONG, PAPER_HEADER, PATENT_HEADER, SynthConfig,
    synth_cli, synthesize,
)

SMALL = SynthConfig(patents=2_000, papers=3_000, pairs=10_000, seed=7, chunk_rows=4_000)


def _digest(paths: dict) -> dict:
    return {k: hashlib.sha256(p.read_bytes()).hexdigest() for k, p in paths.items()}


def _read(path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    out = tmp_path_factory.mktemp("synth")
    paths = synthesize(out, SMALL, progress=False)
    return {
        "dir": out, "paths": paths, "patents": _read(paths["patents"]),
        "papers": _read(paths["papers"]), "pairs": pd.read_csv(paths["pairs"]),
    }


def test_files_and_headers(small):
    paths = small["paths"]
    assert set(paths) == {"patents", "papers", "pairs"}
    for key, name in FILE_NAMES.items():
        assert paths[key] == small["dir"] / name
    expected = {"patents": PATENT_HEADER, "papers": PAPER_HEADER, "pairs": PAIR_HEADER}
    for key, header in expected.items():
        with open(paths[key], encoding="utf-8", newline="") as fh:
            assert fh.readline() == ",".join(header) + "\n"
    assert PATENT_HEADER == ("ID", "PN", "IPC", "Title", "Abstract", "Year", "Keywords", "Novelty")
    assert PAPER_HEADER == ("ID", "Title", "Source", "Abstract", "Name", "Year", "Cited",
                            "Keywords", "Doi", "Language", "Type", "Affiliations", "Novelty")
    assert PAIR_HEADER == ("paper_id", "patent_id", "similarity")
    assert sorted(p.name for p in small["dir"].iterdir()) == sorted(FILE_NAMES.values())  # no temp


def test_row_counts_and_one_line_per_row(small):
    assert len(small["patents"]) == SMALL.patents
    assert len(small["papers"]) == SMALL.papers
    assert len(small["pairs"]) == SMALL.pairs
    for key, n in (("patents", SMALL.patents), ("papers", SMALL.papers), ("pairs", SMALL.pairs)):
        data = small["paths"][key].read_bytes()
        assert data.count(b"\n") == n + 1  # text never holds a line break
        assert b"\r" not in data
        data.decode("utf-8")
    # the stdlib csv module agrees with pandas (RFC 4180 quoting)
    with open(small["paths"]["papers"], encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert len(rows) == SMALL.papers + 1 and {len(r) for r in rows} == {len(PAPER_HEADER)}


def test_ids_sequential_and_pn_unique(small):
    for key in ("patents", "papers"):
        ids = small[key]["ID"].astype(int).to_numpy()
        assert (ids == np.arange(1, len(ids) + 1)).all()
    pn = small["patents"]["PN"]
    assert pn.is_unique
    assert pn.str.fullmatch(r"[A-Z]{2}\d+[A-Z]\d?").all()
    doi = small["papers"]["Doi"]
    assert doi[doi != ""].is_unique and doi[doi != ""].str.startswith("10.").all()
    assert 0.05 < (doi == "").mean() < 0.15


def test_country_mix(small):
    share = small["patents"]["PN"].str[:2].value_counts(normalize=True)
    assert list(share.index[:2]) == ["CN", "US"]
    assert 0.35 < share["CN"] < 0.55 and 0.15 < share["US"] < 0.35
    assert {"JP", "KR", "WO", "EP"} <= set(share.index)


def test_pairs_reference_existing_ids_and_are_unique(small):
    pairs = small["pairs"]
    assert pairs["paper_id"].between(1, SMALL.papers).all()
    assert pairs["patent_id"].between(1, SMALL.patents).all()
    assert not pairs.duplicated(["paper_id", "patent_id"]).any()
    # heavy-tailed degrees on both sides
    for col in ("paper_id", "patent_id"):
        deg = pairs[col].value_counts()
        assert deg.max() > 8 * deg.median()


def test_keywords_are_json_lists(small):
    for key in ("patents", "papers"):
        lists = small[key]["Keywords"].map(json.loads)
        assert lists.map(lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v)).all()
        sizes = lists.map(len)
        assert sizes.between(3, 10).all()
        assert (lists.map(lambda v: len(set(v))) == sizes).all()
    # same vocabulary, different emphasis (Fig. 6): patents lean to applications, papers to theory
    top = {k: pd.Series([w for v in small[k]["Keywords"].map(json.loads) for w in v]).value_counts()
           for k in ("patents", "papers")}
    assert "method" in top["patents"].index[:5] and "method" not in top["papers"].index[:50]
    assert "optimization" in top["papers"].index[:5]


def test_years_grow_exponentially(small):
    for key in ("patents", "papers"):
        years = small[key]["Year"].astype(int)
        assert years.between(1960, 2020).all()
        assert (years.between(2011, 2020)).sum() > (years.between(1960, 1990)).sum()


def test_numeric_fields(small):
    for key in ("patents", "papers"):
        nov = small[key]["Novelty"].astype(float)
        assert np.isfinite(nov).all() and (nov >= 0).all()
        assert nov.mean() > nov.median()  # right-skewed
    cited = small["papers"]["Cited"].astype(int)
    assert (cited >= 0).all() and cited.max() > 20 * max(cited.median(), 1)
    years = small["papers"]["Year"].astype(int)
    assert cited[years < 2005].median() > cited[years >= 2018].median()


def test_text_fields(small):
    pat, pap = small["patents"], small["papers"]
    for frame in (pat, pap):
        assert (frame["Title"].str.len() > 10).all()
        assert 0.005 < (frame["Abstract"] == "").mean() < 0.05
        words = frame.loc[frame["Abstract"] != "", "Abstract"].str.split().str.len()
        assert 50 < words.median() < 150
    names = pap["Name"].str.split("; ")
    assert names.map(len).between(1, 10).all()
    assert 0.01 < (pap["Affiliations"] == "").mean() < 0.06
    assert pap["Language"].value_counts().index[0] == "English"
    assert pap["Type"].isin({"Article", "Conference Paper", "Review", "Book Chapter", "Letter",
                             "Editorial", "Erratum", "Note", "Preprint"}).all()


def test_ipc_notations_parse(small):
    from innograph.ingest.ipc import parse_ipc_list

    raw = small["patents"]["IPC"]
    assert (raw.str.fullmatch(r"[A-Z0-9/;]+")).mean() > 0.85  # mostly compact `;` lists
    assert raw.str.contains(" ").any() and raw.str.contains(r"\[").any()
    for value in raw:
        codes, bad = parse_ipc_list(value)
        assert not bad and 1 <= len(codes) <= 4, value


def test_affiliations_name_their_country(small):
    from innograph.ingest.country import country_of_affiliation, countries_of_affiliations

    tab = synth._paper_tables()
    countries = list(synth.V.AFFILIATION_COUNTRIES)
    for ci, c in enumerate(countries):
        start, count = tab.inst_start[ci], tab.inst_count[ci]
        for inst in range(start, start + count):
            first = tab.inst_alias_start[inst]
            for a in range(len(synth.V.AFFILIATION_COUNTRIES[c][1])):
                text = tab.aff_first[first + a].as_py()
                assert country_of_affiliation(text) == c, text
    first = small["papers"]["Affiliations"].map(
        lambda s: (countries_of_affiliations(s) or [None])[0])
    assert set(first.value_counts().index[:2]) == {"US", "CN"}


def test_similarity_distribution(small):
    sim = small["pairs"]["similarity"]
    assert sim.between(0.0, 1.0).all()
    assert 0.10 <= (sim < 0.6).mean() <= 0.30
    assert 0.85 < sim.between(0.5, 0.9).mean()
    hist, edges = np.histogram(sim, bins=np.arange(0.3, 1.0001, 0.02))
    mode = edges[np.argmax(hist)]
    assert 0.58 <= mode <= 0.70
    assert sim.mean() > sim.median() > mode - 0.02  # right-skewed
    text = small["paths"]["pairs"].read_text().splitlines()[1:]
    assert all(len(line.rsplit(",", 1)[1]) == 6 for line in text[:500])  # 0.dddd


def test_deterministic(small, tmp_path):
    again = synthesize(tmp_path / "a", SMALL, progress=False)
    assert _digest(again) == _digest(small["paths"])
    other = synthesize(tmp_path / "b", SynthConfig(2_000, 3_000, 10_000, seed=8, chunk_rows=4_000),
                       progress=False)
    digests = _digest(other)
    assert all(digests[k] != v for k, v in _digest(small["paths"]).items())


def test_long_variant_and_small_chunks(small, tmp_path):
    config = SynthConfig(patents=1_500, papers=2_000, pairs=8_000, seed=3, chunk_rows=700,
                         pairs_variant="long")
    paths = synthesize(tmp_path, config, progress=False)
    with open(paths["pairs"], encoding="utf-8") as fh:
        assert fh.readline() == ",".join(PAIR_HEADER_LONG) + "\n"
    pairs = pd.read_csv(paths["pairs"])
    patents = _read(paths["patents"])
    papers = _read(paths["papers"])
    assert len(pairs) == 8_000 and len(patents) == 1_500 and len(papers) == 2_000
    assert not pairs.duplicated(["Paper_ID", "Patent_ID"]).any()
    assert patents["PN"].is_unique
    assert (patents["ID"].astype(int) == np.arange(1, 1_501)).all()
    paper_year = papers["Year"].astype(int).to_numpy()
    patent_year = patents["Year"].astype(int).to_numpy()
    assert (pairs["Paper_Year"].to_numpy() == paper_year[pairs["Paper_ID"] - 1]).all()
    assert (pairs["Patent_Year"].to_numpy() == patent_year[pairs["Patent_ID"] - 1]).all()
    lag = pairs["Patent_Year"] - pairs["Paper_Year"]
    assert (lag >= 0).mean() > 0.5  # most patents follow the paper
    assert 1 <= lag[(lag >= 0) & (lag <= 10)].mode().iloc[0] <= 3


def test_empty_and_tiny(tmp_path):
    paths = synthesize(tmp_path / "e", SynthConfig(0, 0, 0), progress=False)
    assert paths["pairs"].read_text() == "paper_id,patent_id,similarity\n"
    assert paths["patents"].read_text() == ",".join(PATENT_HEADER) + "\n"
    paths = synthesize(tmp_path / "t", SynthConfig(3, 5, 5, chunk_rows=1), progress=False)
    pairs = pd.read_csv(paths["pairs"])
    assert len(pairs) == 5 and not pairs.duplicated().any()


def test_config_validation():
    with pytest.raises(ValueError):
        SynthConfig(-1, 1, 0)
    with pytest.raises(ValueError):
        SynthConfig(10, 10, 1, pairs_variant="wide")
    with pytest.raises(ValueError):
        SynthConfig(0, 10, 5)
    with pytest.raises(ValueError):
        SynthConfig(4, 2, 5)  # at most 2 patents per paper
    with pytest.raises(ValueError):
        SynthConfig(1, 1, 0, chunk_rows=0)
    scaled = SynthConfig.scaled(0.1)
    assert (scaled.patents, scaled.papers, scaled.pairs) == (235_620, 351_193, 10_000_000)


def test_cli_hook(tmp_path):
    paths = synth_cli(tmp_path, scale=0.0002, pairs=500, seed=1, progress=False)
    assert len(pd.read_csv(paths["patents"])) == 471
    assert len(pd.read_csv(paths["pairs"])) == 500
    with pytest.raises(InnographError):
        synth_cli(tmp_path, patents=0, papers=5, pairs=3, progress=False)
    with pytest.raises(InnographError):
        synth_cli(tmp_path, scale=-1, progress=False)
