"""`innograph report` on the hand-worked graph: every figure is written as a PNG, the HTML page
embeds exactly those PNGs (base64) and the key tables, and the tables read back."""

from __future__ import annotations

import base64
import re

import pandas as pd
import pytest
from PIL import Image

from innograph.analysis import figures
from innograph.analysis.base import read_result
from innograph.cli import main


@pytest.fixture(scope="module")
def report(tiny_graph, tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    main(["report", "--db", str(tiny_graph), "--out", str(out), "--no-progress",
          "-o", "competition.min_patents=1", "-o", "competition.threshold=0.3", "-o", "transfer.bin_width=0.1"])
    return out


def test_report_writes_every_figure_and_embeds_it(report):
    names = [name for figs in figures.FIGURES.values() for name, _ in figs]
    assert len(names) == 11
    page = (report / "report.html").read_text(encoding="utf-8")
    embedded = re.findall(r"src='data:image/png;base64,([A-Za-z0-9+/=]+)'", page)
    assert len(embedded) == len(names)
    for name in names:
        png = report / f"{name}.png"
        with Image.open(png) as im:
            assert im.format == "PNG" and im.width >= 600 and im.height >= 350, name
        assert base64.b64encode(png.read_bytes()).decode("ascii") in embedded, name
    assert "src='http" not in page and "<script" not in page  # self-contained
    for heading in ("Global competition network", "Knowledge transfer", "Technology themes", "Spatiotemporal evolution"):
        assert heading in page
    # key tables inline: the top pair and the distinguishing keyword
    assert "US10000001B2" in page and "deep learning" in page


def test_report_tables_read_back(report):
    comp = read_result(report / "tables", "competition")
    assert comp.attrs["config"]["threshold"] == 0.3
    nodes = comp["nodes"]
    assert sorted(nodes[nodes["window"] == "all"]["node"]) == ["CN", "JP", "US"]
    tr = read_result(report / "tables", "transfer")
    assert tr["lags"]["lag_years"].tolist() == [-1, 2, 3, 4]
    assert isinstance(pd.read_csv(report / "tables" / "themes_keywords.csv"), pd.DataFrame)


def test_report_option_errors(tiny_graph, tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["report", "--db", str(tiny_graph), "--out", str(tmp_path), "-o", "threshold=0.3"])
    assert exc.value.code == 2 and "NAME.key=value" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["report", "--db", str(tiny_graph), "--out", str(tmp_path), "-o", "themes.nope=1"])
    assert exc.value.code == 2 and "themes has no option(s) nope" in capsys.readouterr().err
