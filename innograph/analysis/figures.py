"""The report's figures (after the paper's Fig. 3 and 5-8), drawn with matplotlib from the tables
of the analyses. Each function takes an AnalysisResult and a PNG path, and returns the path.
Every figure has a title, axis labels and a legend or colour bar where colours carry meaning.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np
import pandas as pd

from innograph.analysis.base import AnalysisResult

DPI = 110
KIND_COLORS = {"patent": "#1f77b4", "paper": "#d62728"}


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"font.size": 10, "axes.titlesize": 11, "figure.titlesize": 13})
    return plt


def _save(fig, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=DPI, bbox_inches="tight", facecolor="white")
    import matplotlib.pyplot as plt

    plt.close(fig)
    return path


def _empty(ax, text: str = "no data") -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, color="grey")
    ax.set_xticks([])
    ax.set_yticks([])


# ---------------------------------------------------------------------------------------------
def competition_network(res: AnalysisResult, path: str | Path, window: str = "all", max_nodes: int = 40) -> Path:
    """Fig. 5: the COMPETES_WITH network laid out core to periphery (distance from the centre falls
    with coreness, min-max scaled), grouped by community around the circle; node size = patents,
    colour = Louvain community."""
    plt = _plt()
    nodes = res["nodes"]
    nodes = nodes[nodes["window"] == window]
    edges = res["edges"]
    edges = edges[edges["window"] == window]
    fig, ax = plt.subplots(figsize=(8.5, 8))
    cfg = res.attrs.get("config", {})
    title = f"Competition network of countries ({window}): cosine of patent topic vectors >= {cfg.get('threshold', '?')}"
    connected = nodes[nodes["neighbours"] > 0].sort_values("degree", ascending=False) if "neighbours" in nodes else nodes
    if connected.empty:
        _empty(ax, "no country pair above the threshold" if len(nodes) else
               f"no country with at least {cfg.get('min_patents', '?')} patents")
        ax.set_title(title)
        return _save(fig, path)
    shown = connected.head(max_nodes).copy()
    shown = shown.sort_values(["louvain", "coreness"], ascending=[True, False]).reset_index(drop=True)
    angle = 2 * np.pi * np.arange(len(shown)) / len(shown)
    core = shown["coreness"].to_numpy(dtype=float)
    spread = core.max() - core.min()
    rel = (core - core.min()) / spread if spread > 1e-9 else np.ones_like(core)
    radius = 0.3 + 0.65 * (1 - rel)  # most core-like country nearest the centre
    pos = {n: (r * np.cos(a), r * np.sin(a)) for n, r, a in zip(shown["node"], radius, angle)}
    e = edges[edges["source"].isin(pos) & edges["target"].isin(pos)]
    if len(e):
        w = e["weight"].to_numpy(dtype=float)
        lo, hi = w.min(), w.max()
        scaled = (w - lo) / (hi - lo) if hi > lo else np.ones_like(w)
        for (s, t), x in zip(e[["source", "target"]].itertuples(index=False), scaled):
            (x0, y0), (x1, y1) = pos[s], pos[t]
            ax.plot([x0, x1], [y0, y1], color="grey", alpha=0.08 + 0.45 * x, lw=0.3 + 2.0 * x, zorder=1)
    pat = np.sqrt(shown["patents"].to_numpy(dtype=float))
    size = 120 + 1100 * pat / pat.max() if pat.max() > 0 else np.full(len(pat), 200.0)
    cmap = plt.get_cmap("tab10")
    comms = shown["louvain"].to_numpy()
    xs = [pos[n][0] for n in shown["node"]]
    ys = [pos[n][1] for n in shown["node"]]
    ax.scatter(xs, ys, s=size, c=[cmap(int(k) % 10) for k in comms], edgecolors="black", linewidths=0.6,
               alpha=0.9, zorder=2)
    for n, x, y in zip(shown["node"], xs, ys):
        ax.annotate(n, (x, y), ha="center", va="center", fontsize=8, fontweight="bold", zorder=3)
    for k in sorted(set(comms)):
        members = shown.loc[shown["louvain"] == k, "node"].tolist()
        ax.scatter([], [], color=cmap(int(k) % 10), s=60, label=f"community {k}: " + ", ".join(members[:4])
                   + ("..." if len(members) > 4 else ""))
    ax.set_aspect("equal")
    ax.set_xlim(-1.15, 1.15)
    ax.set_ylim(-1.15, 1.15)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel(f"distance from the centre: coreness, min-max scaled ({core.min():.4f} at the rim, {core.max():.4f} "
                  "nearest the centre);\nnode size = patents (square root); edge width and darkness = competition "
                  f"coefficient ({e['weight'].min() if len(e) else 0:.4f} to {e['weight'].max() if len(e) else 0:.4f})")
    extra = f" (top {max_nodes} of {len(connected)} by weighted degree)" if len(connected) > max_nodes else ""
    ax.set_title(title + extra, fontsize=10)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, title="Louvain communities", frameon=False)
    return _save(fig, path)


def competition_centrality(res: AnalysisResult, path: str | Path, window: str = "all", top: int = 15) -> Path:
    """Bar charts of the most central countries: weighted degree, PageRank, coreness."""
    plt = _plt()
    nodes = res["nodes"]
    nodes = nodes[nodes["window"] == window]
    nodes = nodes.sort_values("degree", ascending=False).head(top) if "degree" in nodes else nodes
    fig, axes = plt.subplots(1, 3, figsize=(12, 4.8), sharey=True)
    cols = [("degree", "weighted degree (sum of coefficients)"), ("pagerank", "PageRank"), ("coreness", "coreness (0-1)")]
    for ax, (col, label) in zip(axes, cols):
        if nodes.empty or col not in nodes:
            _empty(ax)
            continue
        ax.barh(nodes["node"][::-1], nodes[col][::-1], color="#4c72b0")
        ax.set_xlabel(label)
        ax.set_title(label.split(" (")[0])
    axes[0].set_ylabel("country")
    fig.suptitle(f"Competition network ({window}): the {len(nodes)} countries with the highest weighted degree")
    fig.tight_layout()
    return _save(fig, path)


# ---------------------------------------------------------------------------------------------
def transfer_similarity(res: AnalysisResult, path: str | Path) -> Path:
    """Fig. 3: probability density and cumulative distribution of the pair scores."""
    plt = _plt()
    h = res["score_hist"]
    fig, (a, b) = plt.subplots(1, 2, figsize=(11, 4.2))
    if h.empty:
        _empty(a), _empty(b)
    else:
        width = float(h["bin_hi"].iloc[0] - h["bin_lo"].iloc[0])
        a.bar(h["bin_lo"], h["density"], width=width, align="edge", color="#4c72b0", label="pairs per bin (density)")
        a.set_xlabel("similarity score")
        a.set_ylabel("probability density")
        a.set_title("a  Probability density of paper-patent similarity")
        a.legend()
        b.step(h["bin_hi"], h["cdf"], where="post", color="#dd8452", label="share of pairs with score <= x")
        b.set_xlabel("similarity score")
        b.set_ylabel("cumulative share of pairs")
        b.set_ylim(0, 1.02)
        b.set_title("b  Cumulative distribution")
        b.legend(loc="lower right")
    fig.suptitle(f"SIMILAR_TO scores of {res.attrs.get('pairs', 0):,} paper-patent pairs")
    fig.tight_layout()
    return _save(fig, path)


def transfer_lag(res: AnalysisResult, path: str | Path, coverage: float = 0.99, min_pairs: int = 30) -> Path:
    """Time lag patent year - paper year: share of pairs per lag (the central lags holding
    `coverage` of the pairs), mean score on a second axis (lags with >= min_pairs pairs)."""
    plt = _plt()
    lags = res["lags"]
    fig, ax = plt.subplots(figsize=(9, 4.2))
    if lags.empty:
        _empty(ax)
    else:
        cum = lags["pairs"].cumsum() / lags["pairs"].sum()
        tail = (1 - coverage) / 2
        lo = lags.loc[cum >= tail, "lag_years"].iloc[0]
        hi = lags.loc[cum >= 1 - tail, "lag_years"].iloc[0]
        lg = lags[(lags["lag_years"] >= lo) & (lags["lag_years"] <= hi)]
        ax.bar(lg["lag_years"], lg["share"], color="#55a868", label="share of pairs")
        ax.set_xlabel("lag in years (patent year - paper year)")
        ax.set_ylabel("share of pairs")
        ax2 = ax.twinx()
        ms = lg[lg["pairs"] >= min_pairs].set_index("lag_years")["mean_score"]
        ms = ms.reindex(range(int(lo), int(hi) + 1)).reset_index()  # gaps break the line
        ax2.plot(ms["lag_years"], ms["mean_score"], color="black", marker=".", lw=1,
                 label=f"mean score (lags with >= {min_pairs} pairs)")
        ax2.set_ylabel("mean similarity score")
        h1, l1 = ax.get_legend_handles_labels()
        h2, l2 = ax2.get_legend_handles_labels()
        ax.legend(h1 + h2, l1 + l2, loc="upper left", fontsize=8)
        mean = res.attrs.get("mean_lag_years")
        ax.set_title("Science-to-technology time lag" + (f" (mean {mean:.1f} years" if mean is not None else " (")
                     + f"; lags {lo} to {hi} hold {coverage:.1%} of the pairs)")
    fig.tight_layout()
    return _save(fig, path)


def transfer_top_pairs(res: AnalysisResult, path: str | Path) -> Path:
    """Fig. 8: the top-N pairs by paper year and patent year; size and colour = similarity."""
    plt = _plt()
    top = res["top_pairs"]
    fig, ax = plt.subplots(figsize=(8, 6.5))
    if top.empty:
        _empty(ax)
    else:
        rng = np.random.default_rng(0)
        x = top["paper_year"].to_numpy(dtype=float) + rng.uniform(-0.35, 0.35, len(top))
        y = top["patent_year"].to_numpy(dtype=float) + rng.uniform(-0.35, 0.35, len(top))
        s = top["score"].to_numpy(dtype=float)
        lo, hi = s.min(), s.max()
        size = 10 + 120 * ((s - lo) / (hi - lo) if hi > lo else np.ones_like(s))
        sc = ax.scatter(x, y, s=size, c=s, cmap="viridis", alpha=0.75, edgecolors="none")
        fig.colorbar(sc, ax=ax, label="similarity score")
        lo_y, hi_y = min(x.min(), y.min()), max(x.max(), y.max())
        ax.plot([lo_y, hi_y], [lo_y, hi_y], ls="--", color="grey", lw=1, label="same year (lag 0)")
        ax.legend(loc="upper left")
        ax.set_xlabel("paper year (jittered)")
        ax.set_ylabel("patent year (jittered)")
    ax.set_title(f"The {len(top)} paper-patent pairs with the highest similarity")
    fig.tight_layout()
    return _save(fig, path)


def transfer_flows(res: AnalysisResult, path: str | Path, top: int = 12) -> Path:
    """Heat map of pairs from paper countries (rows) to patent countries (columns), top countries."""
    plt = _plt()
    from matplotlib.colors import LogNorm

    cf = res["country_flows"]
    fig, ax = plt.subplots(figsize=(8.5, 7))
    if cf.empty:
        _empty(ax)
    else:
        src = cf.groupby("source")["pairs"].sum().sort_values(ascending=False).head(top).index
        dst = cf.groupby("target")["pairs"].sum().sort_values(ascending=False).head(top).index
        m = cf.pivot_table(index="source", columns="target", values="pairs", aggfunc="sum").reindex(index=src, columns=dst)
        vals = m.to_numpy(dtype=float)
        im = ax.imshow(np.where(vals > 0, vals, np.nan), cmap="magma_r",
                       norm=LogNorm(vmin=max(np.nanmin(vals), 1), vmax=max(np.nanmax(vals), 1)))
        fig.colorbar(im, ax=ax, label="paper-patent pairs (log scale)")
        ax.set_xticks(range(len(dst)), dst, rotation=90)
        ax.set_yticks(range(len(src)), src)
        ax.set_xlabel("patent country (knowledge received)")
        ax.set_ylabel("paper country (knowledge source)")
    ax.set_title(f"Knowledge transfer between countries (top {top} each side; diagonal = domestic)")
    fig.tight_layout()
    return _save(fig, path)


def transfer_intensity(res: AnalysisResult, path: str | Path, min_patents: int = 20) -> Path:
    """Transfer intensity per year: pairs by patent year (bars), pairs per patent (line, years with
    >= min_patents patents)."""
    plt = _plt()
    it = res["intensity"]
    it = it[it["pairs_by_patent_year"] > 0] if len(it) else it
    fig, ax = plt.subplots(figsize=(9, 4.2))
    if it.empty:
        _empty(ax)
    else:
        ax.bar(it["year"], it["pairs_by_patent_year"], color="#8172b3", label="pairs (by patent year)")
        ax.set_xlabel("patent year")
        ax.set_ylabel("paper-patent pairs")
        ax2 = ax.twinx()
        pp = it[it["patents"] >= min_patents]
        ax2.plot(pp["year"], pp["pairs_per_patent"], color="black", marker=".", lw=1,
                 label=f"pairs per patent (years with >= {min_patents} patents)")
        ax2.set_ylabel("pairs per patent of that year")
        h1, l1 = ax.get_legend_handles_labels()
        h2, l2 = ax2.get_legend_handles_labels()
        ax.legend(h1 + h2, l1 + l2, loc="upper left")
    ax.set_title("Knowledge-transfer intensity per year")
    fig.tight_layout()
    return _save(fig, path)


# ---------------------------------------------------------------------------------------------
def themes_wordclouds(res: AnalysisResult, path: str | Path, max_words: int = 120) -> Path:
    """Fig. 6: word clouds of patent and paper keywords (size = documents)."""
    plt = _plt()
    from wordcloud import WordCloud

    kw = res["keywords"]
    fig, axes = plt.subplots(1, 2, figsize=(13, 5.2))
    for ax, (col, title) in zip(axes, [("patents", "a  Patents"), ("papers", "b  Papers")]):
        freq = {k: int(v) for k, v in zip(kw["keyword"], kw[col]) if v > 0}
        if not freq:
            _empty(ax)
        else:
            hue = 210 if col == "patents" else 0
            wc = WordCloud(width=900, height=650, background_color="white", max_words=max_words,
                           random_state=0, prefer_horizontal=0.95, min_font_size=8,
                           color_func=_shades(hue))
            wc.generate_from_frequencies(freq)
            ax.imshow(wc.to_array(), interpolation="bilinear")
            ax.set_xticks([])
            ax.set_yticks([])
        ax.set_title(f"{title}: {len(freq):,} keywords, word size = number of documents")
    fig.suptitle("Themes of AI patents and papers (keywords)")
    fig.tight_layout()
    return _save(fig, path)


def _shades(hue: int):
    """Word colours: one hue, dark enough to read on white (lightness 15-45 %)."""
    def color(word, font_size, position, orientation, random_state=None, **kwargs):
        light = 15 + (zlib.crc32(word.encode("utf-8")) % 31)  # stable across runs
        return f"hsl({hue}, 75%, {light}%)"
    return color


def themes_log_odds(res: AnalysisResult, path: str | Path, top: int = 15) -> Path:
    """The keywords that distinguish papers from patents: z-scores of the log-odds ratio."""
    plt = _plt()
    d = res["distinct"]
    fig, ax = plt.subplots(figsize=(9, 7))
    if d.empty:
        _empty(ax)
    else:
        a = d[d["lean"] == "paper"].head(top)
        b = d[d["lean"] == "patent"].head(top)
        rows = pd.concat([a.sort_values("z"), b.sort_values("z")]).sort_values("z")
        colors = [KIND_COLORS["paper"] if z > 0 else KIND_COLORS["patent"] for z in rows["z"]]
        ax.barh(range(len(rows)), rows["z"], color=colors)
        ax.set_yticks(range(len(rows)), rows["keyword"])
        ax.axvline(0, color="black", lw=0.8)
        ax.set_xlabel("z-score of the log-odds ratio (papers vs patents, informative Dirichlet prior)")
        ax.set_ylabel("keyword")
        from matplotlib.patches import Patch

        ax.legend(handles=[Patch(color=KIND_COLORS["paper"], label="more typical of papers"),
                           Patch(color=KIND_COLORS["patent"], label="more typical of patents")], loc="lower right")
    ax.set_title(f"Keywords that distinguish papers from patents (top {top} each side)")
    fig.tight_layout()
    return _save(fig, path)


# ---------------------------------------------------------------------------------------------
def evolution_counts(res: AnalysisResult, path: str | Path, min_documents: int = 20) -> Path:
    """Fig. 7 a-d: documents per year, growth, share of the top countries (patents, papers); growth
    and shares only for years with >= min_documents documents (small counts are noise)."""
    plt = _plt()
    by = res["by_year"]
    share = res["top_share"]
    fig, axes = plt.subplots(2, 2, figsize=(13, 9))
    a, b, c, d = axes.ravel()
    for kind, g in by.groupby("kind"):
        a.plot(g["year"], g["documents"], marker=".", color=KIND_COLORS.get(kind), label=f"{kind}s")
        gr = g[g["documents"].shift(1) >= min_documents]
        b.plot(gr["year"], 100 * gr["growth"], marker=".", color=KIND_COLORS.get(kind), label=f"{kind}s")
    a.set_yscale("log")
    a.set_xlabel("year")
    a.set_ylabel("documents per year (log scale)")
    a.set_title("a  Number of AI patents and papers")
    b.axhline(0, color="black", lw=0.8)
    b.set_xlabel("year")
    b.set_ylabel("growth over the year before (%)")
    b.set_title(f"b  Year-over-year growth (years after >= {min_documents} documents)")
    for ax in (a, b):
        if by.empty:
            _empty(ax)
        else:
            ax.legend()
    # one colour per country in both panels (by first appearance: patents' top countries first)
    named = [x for x in dict.fromkeys(share["country"]) if x != "other"] if len(share) else []
    palette = [plt.get_cmap("tab10")(i) for i in range(10)] + [plt.get_cmap("tab20b")(i) for i in range(0, 20, 2)]
    color_of = {x: palette[i % len(palette)] for i, x in enumerate(named)}
    color_of["other"] = "lightgrey"
    for ax, kind, letter in ((c, "patent", "c"), (d, "paper", "d")):
        s = share[share["kind"] == kind]
        s = s[s.groupby("year")["documents"].transform("sum") >= min_documents]
        if s.empty:
            _empty(ax)
            ax.set_title(f"{letter}  Share of the top countries: {kind}s")
            continue
        order = list(dict.fromkeys(s["country"]))
        order = [x for x in order if x != "other"] + (["other"] if "other" in order else [])
        p = s.pivot_table(index="year", columns="country", values="share", aggfunc="sum").fillna(0)[order]
        colors = [color_of[x] for x in order]
        ax.stackplot(p.index, p.T.to_numpy(), labels=order, colors=colors)
        ax.set_xlim(p.index.min(), p.index.max())
        ax.set_ylim(0, 1)
        ax.set_xlabel("year")
        ax.set_ylabel(f"share of {kind}s (by country links)")
        ax.set_title(f"{letter}  Share of the top countries: {kind}s (years with >= {min_documents})")
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, title="country", frameon=False)
    fig.suptitle("Spatiotemporal evolution: quantity")
    fig.tight_layout()
    return _save(fig, path)


def evolution_novelty(res: AnalysisResult, path: str | Path, top: int = 5, min_documents: int = 20) -> Path:
    """Fig. 7 e-h: mean novelty per year, overall and for the top countries of each kind."""
    plt = _plt()
    by = res["by_year"]
    cy = res["by_country_year"]
    growth = res["country_growth"]
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.6))
    a, b, c = axes
    for kind, g in by.groupby("kind"):
        g = g[g["documents"] >= min_documents]
        a.plot(g["year"], g["mean_novelty"], marker=".", color=KIND_COLORS.get(kind), label=f"{kind}s")
    a.set_title(f"e  Mean novelty per year (years with >= {min_documents} documents)")
    a.set_xlabel("year")
    a.set_ylabel("mean novelty score")
    if by.empty:
        _empty(a)
    else:
        a.legend()
    for ax, kind, letter in ((b, "patent", "f"), (c, "paper", "g")):
        names = growth[growth["kind"] == kind].head(top)["country"].tolist()
        sub = cy[(cy["kind"] == kind) & cy["country"].isin(names) & (cy["documents"] >= min_documents)]
        for name in names:
            g = sub[sub["country"] == name]
            ax.plot(g["year"], g["mean_novelty"], marker=".", lw=1, label=name)
        ax.set_title(f"{letter}  Mean novelty of {kind}s, top {top} countries")
        ax.set_xlabel("year")
        ax.set_ylabel("mean novelty score")
        if sub.empty:
            _empty(ax)
        else:
            ax.legend(title="country", fontsize=8)
    fig.suptitle("Spatiotemporal evolution: content novelty")
    fig.tight_layout()
    return _save(fig, path)


FIGURES = {
    "competition": [("competition_network", competition_network), ("competition_centrality", competition_centrality)],
    "transfer": [("transfer_similarity", transfer_similarity), ("transfer_lag", transfer_lag),
                 ("transfer_top_pairs", transfer_top_pairs), ("transfer_flows", transfer_flows),
                 ("transfer_intensity", transfer_intensity)],
    "themes": [("themes_wordclouds", themes_wordclouds), ("themes_log_odds", themes_log_odds)],
    "evolution": [("evolution_counts", evolution_counts), ("evolution_novelty", evolution_novelty)],
}


def draw(res: AnalysisResult, out: str | Path) -> dict[str, Path]:
    """All figures of one analysis as OUT/<figure>.png."""
    return {name: fn(res, Path(out) / f"{name}.png") for name, fn in FIGURES.get(res.name, [])}
