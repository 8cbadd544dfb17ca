"""The report: every analysis, its tables, its figures, and one self-contained HTML page.

`build_report(store, out)` runs competition, transfer, themes and evolution on the store, writes
their tables to OUT/tables/ (CSV or Parquet, plus one JSON of attributes per analysis), the
figures to OUT/*.png, and OUT/report.html with the figures embedded as base64 PNGs and the key
tables inline (no external files or scripts: the page can be mailed as it is).
"""

from __future__ import annotations

import base64
import html
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import pandas as pd
from tqdm.auto import tqdm

from innograph.analysis import figures
from innograph.analysis.base import AnalysisResult
from innograph.analysis.competition import CompetitionConfig, competition
from innograph.analysis.evolution import EvolutionConfig, evolution
from innograph.analysis.themes import ThemesConfig, themes
from innograph.analysis.transfer import TransferConfig, transfer
from innograph.errors import InnographError

ANALYSES: dict[str, tuple[Callable[..., AnalysisResult], type]] = {
    "competition": (competition, CompetitionConfig),
    "transfer": (transfer, TransferConfig),
    "themes": (themes, ThemesConfig),
    "evolution": (evolution, EvolutionConfig),
}

# analysis -> [(table, heading, rows shown, columns or None)]
KEY_TABLES = {
    "competition": [("nodes", "Countries of the competition network (all years), by weighted degree", 15,
                     ["window", "node", "patents", "neighbours", "degree", "pagerank", "betweenness", "eigenvector",
                      "closeness", "louvain", "core_number", "coreness"]),
                    ("edges", "Strongest competition coefficients", 10, None)],
    "transfer": [("top_pairs", "Most similar paper-patent pairs", 10,
                  ["paper_id", "paper_title", "paper_year", "paper_countries", "pn", "patent_title", "patent_year",
                   "score", "lag_years"]),
                 ("country_flows", "Largest country-to-country flows", 10, None),
                 ("ipc_flows", "Largest flows from paper countries into IPC subclasses", 10, None),
                 ("keyword_flows", "Keywords shared by both sides of pairs", 10, None),
                 ("country_centrality", "Transfer network: most central countries (PageRank)", 10, None)],
    "themes": [("distinct", "Keywords that distinguish papers from patents (log-odds z)", 40, None)],
    "evolution": [("country_growth", "Countries: documents, growth (CAGR over the last years), novelty", 16, None)],
}

SECTIONS = {
    "competition": ("Global competition network (Fig. 5)",
                    "Countries are linked when the cosine similarity of their patents' TF-IDF topic vectors "
                    "(keywords and IPC subclasses) is at least the threshold. Radius: core-periphery position "
                    "(continuous coreness); colour: Louvain community."),
    "transfer": ("Knowledge transfer (Fig. 3 and Fig. 8)",
                 "SIMILAR_TO pairs between papers and patents: the score distribution, the science-to-technology "
                 "lag, flows between countries, and the strongest pairs."),
    "themes": ("Technology themes (Fig. 6)",
               "Keyword frequencies of patents and papers, and the keywords whose use differs most, by the "
               "log-odds ratio with an informative Dirichlet prior (Monroe et al. 2008)."),
    "evolution": ("Spatiotemporal evolution (Fig. 7)",
                  "Documents and mean novelty per year and country, growth, and the share of the top countries."),
}


@dataclass
class ReportSummary:
    out: str
    html: str
    figures: dict[str, str] = field(default_factory=dict)
    tables: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(self.__dict__, indent=2)


def run_analysis(store: Any, name: str, options: dict[str, Any] | None = None, *, write: bool = False,
                 engine: str | None = None, progress: bool = False) -> AnalysisResult:
    """Run one analysis by name with config options (the config dataclass's fields).

    write: competition and transfer write COMPETES_WITH / TRANSFERS_TO back; engine: centrality
    engine of their networks (networkit | gds; default by backend)."""
    fn, config = _config(name, options)
    kwargs: dict[str, Any] = {"progress": progress}
    if name in ("competition", "transfer"):
        kwargs.update(write=write, engine=engine)
    elif write:
        raise InnographError(f"{name} writes nothing back; only competition and transfer do.")
    return fn(store, config, **kwargs)


def _config(name: str, options: dict[str, Any] | None):
    """The analysis function and its config built from `options` (errors name the bad option)."""
    from innograph.errors import InnographError

    if name not in ANALYSES:
        raise InnographError(f"Unknown analysis {name!r}; the analyses are: {', '.join(ANALYSES)}.")
    fn, config_cls = ANALYSES[name]
    options = dict(options or {})
    known = set(config_cls.__dataclass_fields__)
    unknown = sorted(set(options) - known)
    if unknown:
        raise InnographError(f"{name} has no option(s) {', '.join(unknown)}; its options are: {', '.join(sorted(known))}.")
    try:
        return fn, config_cls(**options)
    except TypeError as exc:
        raise InnographError(f"{name}: bad option value ({exc}).") from None


def build_report(store: Any, out: str | os.PathLike, *, options: dict[str, dict[str, Any]] | None = None,
                 fmt: str = "csv", progress: bool = True, title: str = "innograph report") -> ReportSummary:
    """Run every analysis, write tables, figures and OUT/report.html; return what was written."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    options = options or {}
    for name in ANALYSES:  # check every option before the first (long) analysis runs
        _config(name, options.get(name))
    results: dict[str, AnalysisResult] = {}
    summary = ReportSummary(out=str(out), html=str(out / "report.html"))
    bar = tqdm(list(ANALYSES), desc="report", unit=" analysis", disable=not progress)
    for name in bar:
        bar.set_postfix_str(name)
        t0 = time.perf_counter()
        res = run_analysis(store, name, options.get(name), progress=False)
        t1 = time.perf_counter()
        summary.tables += [str(p) for p in res.write(out / "tables", fmt)]
        for fig, path in figures.draw(res, out).items():
            summary.figures[fig] = str(path)
        summary.seconds[name] = round(t1 - t0, 2)
        summary.seconds[f"{name}_figures"] = round(time.perf_counter() - t1, 2)
        results[name] = res
    page = render_html(results, {k: Path(v) for k, v in summary.figures.items()}, title=title)
    tmp = out / f".report.html.tmp-{os.getpid()}"
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, out / "report.html")
    return summary


def _table_html(df: pd.DataFrame, rows: int, columns: list[str] | None) -> str:
    if "window" in df.columns and (df["window"] == "all").any():
        df = df[df["window"] == "all"]
    for col in ("degree", "weight"):  # competition nodes and edges: strongest first
        if col in df.columns and "window" in df.columns:
            df = df.sort_values(col, ascending=False)
            break
    if columns:
        df = df[[c for c in columns if c in df.columns]]
    df = df.head(rows)
    if df.empty:
        return "<p class='empty'>(no rows)</p>"
    return df.to_html(index=False, border=0, classes="tbl", float_format=lambda x: f"{x:.4g}", na_rep="",
                      escape=True)


def render_html(results: dict[str, AnalysisResult], figs: dict[str, Path], title: str = "innograph report") -> str:
    """One self-contained HTML page: sections per analysis, figures as data: URIs, key tables."""
    parts = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(title)}</title>",
             "<style>body{font-family:system-ui,sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222}"
             "img{max-width:100%;border:1px solid #ddd;margin:.5em 0}"
             "table.tbl{border-collapse:collapse;font-size:12px;margin:.5em 0 1.5em}"
             "table.tbl th,table.tbl td{border-bottom:1px solid #ddd;padding:3px 8px;text-align:left}"
             "table.tbl th{background:#f4f4f4}.facts{color:#555;font-size:13px}</style></head><body>",
             f"<h1>{html.escape(title)}</h1>",
             f"<p class='facts'>Generated {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by innograph.</p>",
             "<ul>" + "".join(f"<li><a href='#{n}'>{html.escape(SECTIONS[n][0])}</a></li>" for n in results) + "</ul>"]
    for name, res in results.items():
        heading, text = SECTIONS[name]
        parts.append(f"<h2 id='{name}'>{html.escape(heading)}</h2><p>{html.escape(text)}</p>")
        facts = {k: v for k, v in res.attrs.items() if k not in ("config", "windows", "modularity")}
        if facts:
            parts.append("<p class='facts'>" + html.escape(json.dumps(facts, default=str)) + "</p>")
        parts.append("<p class='facts'>options: " + html.escape(json.dumps(res.attrs.get("config", {}), default=str)) + "</p>")
        for fig, _ in figures.FIGURES.get(name, []):
            if fig in figs and Path(figs[fig]).exists():
                data = base64.b64encode(Path(figs[fig]).read_bytes()).decode("ascii")
                parts.append(f"<figure><img alt='{fig}' src='data:image/png;base64,{data}'>"
                             f"<figcaption>{html.escape(fig)}.png</figcaption></figure>")
        for table, heading_t, rows, cols in KEY_TABLES.get(name, []):
            if table in res.tables:
                parts.append(f"<h3>{html.escape(heading_t)}</h3>" + _table_html(res.tables[table], rows, cols))
    parts.append("</body></html>")
    return "\n".join(parts)
