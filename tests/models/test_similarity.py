"""Exact cosine top-k + tau pairs on vectors of real records: equal to a brute force for every
block shape (ragged last blocks, grouped selection, fp16 bulk products with re-scoring), exact
ties, tau filtering, the year restriction, and resume after an interruption between blocks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from innograph.errors import InnographError
from innograph.ingest.pipeline import ingest
from innograph.models.similarity import CosineTopK, normalize_rows, read_pairs, top_k_similar


@pytest.fixture(scope="module")
def corpus(shared_data, tmp_path_factory):
    """TF-IDF + SVD vectors (48-d) of 140 real papers (arXiv) and 260 real patents (PatentsView),
    with 6 patents repeated so that exact ties exist; years from the records."""
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer

    out = tmp_path_factory.mktemp("sim-ingest")
    ingest([shared_data / "papers" / "arxiv_snapshot_sample.csv",
            shared_data / "patents" / "patentsview_neural_network.csv"], out, progress=False)
    docs = pd.read_parquet(out / "documents.parquet", columns=["id", "kind", "title", "abstract", "year"])
    docs = docs[docs["abstract"].notna()]
    papers = docs[docs.kind == "paper"].head(140)
    patents = docs[docs.kind == "patent"].head(254)
    patents = pd.concat([patents, patents.iloc[[3, 3, 10, 20, 20, 20]]], ignore_index=True)  # ties
    texts = (pd.concat([papers, patents])["title"] + ". " + pd.concat([papers, patents])["abstract"]).tolist()
    x = TfidfVectorizer(min_df=2, stop_words="english").fit_transform(texts)
    v = TruncatedSVD(48, random_state=0).fit_transform(x).astype(np.float32)
    return {"p": v[: len(papers)], "q": v[len(papers):], "py": papers["year"].to_numpy(dtype=float),
            "qy": patents["year"].to_numpy(dtype=float), "pid": papers["id"].to_numpy(), "qid": patents["id"].to_numpy()}


def brute(p, q, k, tau, py=None, qy=None, later=False):
    """Rows (paper, patent, score, rank) by the definition: float64 dots of the unit float32 rows,
    rounded to float32; top k by (score desc, patent asc), then pairs >= tau beyond them (rank 0)."""
    s = (normalize_rows(p).astype(np.float64) @ normalize_rows(q).astype(np.float64).T).astype(np.float32)
    if later:
        ok = (qy[None, :] >= py[:, None]) & ~np.isnan(qy)[None, :] & ~np.isnan(py)[:, None]
        s[~ok] = -np.inf
    rows = []
    for i in range(len(p)):
        order = np.lexsort((np.arange(len(q)), -s[i]))
        top = [j for j in order[:k] if np.isfinite(s[i, j])]
        rows += [(i, j, s[i, j], r + 1) for r, j in enumerate(top)]
        if tau is not None:
            rows += [(i, j, s[i, j], 0) for j in order if s[i, j] >= tau and j not in set(top)]
    return pd.DataFrame(rows, columns=["paper_index", "patent_index", "score", "rank"])


def same(got: pd.DataFrame, ref: pd.DataFrame) -> None:
    got = got.reset_index(drop=True)
    assert len(got) == len(ref)
    np.testing.assert_array_equal(got["paper_index"].to_numpy(), ref["paper_index"].to_numpy())
    np.testing.assert_array_equal(got["patent_index"].to_numpy(), ref["patent_index"].to_numpy())
    np.testing.assert_array_equal(got["score"].to_numpy(np.float32), ref["score"].to_numpy(np.float32))
    np.testing.assert_array_equal(got["rank"].to_numpy(), ref["rank"].to_numpy())


def tau_for(c, quantile=0.97) -> float:
    s = normalize_rows(c["p"]) @ normalize_rows(c["q"]).T
    return float(np.quantile(s, quantile))


SHAPES = [
    dict(block_rows=1000),  # one block
    dict(block_rows=37, block_cols=50),  # ragged last row and column blocks
    dict(block_rows=64, block_cols=200, group=4),  # grouped selection on whole blocks, plain on the last
    dict(block_rows=1, block_cols=260),
    dict(backend="torch", block_rows=50, block_cols=200, group=4),
    dict(backend="torch", precision="fp16", block_rows=64),
    dict(backend="torch", precision="bf16", block_rows=140, block_cols=64, group=4),
]


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: "-".join(f"{k}{v}" for k, v in s.items()))
def test_top_k_and_tau_equal_brute_force(corpus, shape, monkeypatch):
    import innograph.models.similarity as sim

    grouped = []
    for name in ("_topc_grouped_np", "_topc_grouped_torch"):
        real = getattr(sim, name)

        def spy(s, c, group, real=real):
            grouped.append(group >= 2 and s.shape[1] % group == 0 and s.shape[1] // group >= 2 * c)
            return real(s, c, group)
        monkeypatch.setattr(sim, name, spy)
    tau = tau_for(corpus)
    ref = brute(corpus["p"], corpus["q"], 10, tau)
    assert (ref["rank"] == 0).sum() > 20, "the tau must select pairs beyond the top 10"
    got = top_k_similar(corpus["p"], corpus["q"], k=10, tau=tau, progress=False, **shape)
    same(got, ref)
    if shape.get("block_cols") == 200:  # both selections ran: grouped on whole blocks, plain on the ragged one
        assert any(grouped) and not all(grouped)


def test_ties_go_to_the_first_patent(corpus):
    q = corpus["q"]
    dup = np.flatnonzero((normalize_rows(q)[:, None, :] == normalize_rows(q)[None, :, :]).all(-1).sum(1) > 1)
    assert len(dup) >= 5  # the repeated patents
    p = np.vstack([corpus["p"], q[dup]])  # papers equal to a duplicated patent: score 1 for each copy
    got = top_k_similar(p, q, k=3, tau=None, block_rows=16, block_cols=100, progress=False)
    ref = brute(p, q, 3, None)
    same(got, ref)
    first = got[(got.paper_index >= len(corpus["p"])) & (got["rank"] == 1)]
    twins = got[(got.paper_index >= len(corpus["p"])) & (got["rank"] == 2)]
    assert (first["patent_index"].to_numpy() < twins["patent_index"].to_numpy()).all()
    assert (first["score"].to_numpy() == twins["score"].to_numpy()).all()


def test_tau_only_and_exact_threshold(corpus):
    s = (normalize_rows(corpus["p"]).astype(np.float64) @ normalize_rows(corpus["q"]).astype(np.float64).T).astype(np.float32)
    tau = float(np.sort(s.ravel())[-200])  # a score that occurs: pairs equal to tau are kept
    got = top_k_similar(corpus["p"], corpus["q"], k=0, tau=tau, block_rows=33, progress=False)
    assert len(got) == int((s.astype(np.float64) >= tau).sum()) >= 200
    assert (got["score"].astype(np.float64) >= tau).all() and (got["rank"] == 0).all()
    same(got, brute(corpus["p"], corpus["q"], 0, tau))


def test_require_later(corpus):
    py, qy = corpus["py"].copy(), corpus["qy"].copy()
    py[5] = np.nan  # a paper without year gets no pairs
    tau = tau_for(corpus)
    ref = brute(corpus["p"], corpus["q"], 10, tau, py, qy, later=True)
    for shape in (dict(block_rows=29, block_cols=70), dict(backend="torch", precision="fp16", block_rows=64)):
        got = top_k_similar(corpus["p"], corpus["q"], k=10, tau=tau, paper_years=py, patent_years=qy,
                            require_later=True, progress=False, **shape)
        same(got, ref)
    assert not (got["paper_index"] == 5).any()
    assert (qy[got["patent_index"]] >= py[got["paper_index"]]).all()
    unrestricted = top_k_similar(corpus["p"], corpus["q"], k=10, tau=tau, progress=False)
    assert (qy[unrestricted["patent_index"]] < py[unrestricted["paper_index"]]).any()  # the rule matters here


def test_fallback_rows_stay_exact(corpus):
    """No extra candidates and fp16 products: rows whose bound is not met are recomputed exactly."""
    est = CosineTopK(k=10, tau=None, backend="torch", precision="fp16", extra=0, block_rows=40, progress=False)
    got = est.fit(corpus["q"]).search(corpus["p"])
    assert est.fallback_rows_ > 0
    same(got, brute(corpus["p"], corpus["q"], 10, None))


def test_resume_after_interruption(corpus, tmp_path):
    tau = tau_for(corpus)
    kw = dict(k=5, tau=tau, require_later=True, block_rows=32, progress=False)
    args = (corpus["pid"], corpus["qid"], corpus["py"], corpus["qy"])

    full = CosineTopK(**kw).fit(corpus["q"], corpus["qy"])
    s_full = full.search_to_parquet(corpus["p"], tmp_path / "full", *args)
    assert s_full.blocks == 5 and s_full.blocks_skipped == 0

    class Stop(Exception):
        pass

    def stop_after_two(b):
        if b == 1:
            raise Stop

    est = CosineTopK(**kw).fit(corpus["q"], corpus["qy"])
    with pytest.raises(Stop):
        est.search_to_parquet(corpus["p"], tmp_path / "cut", *args, on_block=stop_after_two)
    assert len(list((tmp_path / "cut").glob("part-*.parquet"))) == 2
    resumed = est.search_to_parquet(corpus["p"], tmp_path / "cut", *args)
    assert resumed.blocks_skipped == 2 and resumed.pairs == s_full.pairs > 0
    a, b = read_pairs(tmp_path / "full"), read_pairs(tmp_path / "cut")
    pd.testing.assert_frame_equal(a, b)
    # ids, years and lag as written
    pid = dict(enumerate(corpus["pid"]))
    assert set(a["paper_id"]) <= set(pid.values())
    lag = a["lag_years"].dropna()
    assert (lag >= 0).all() and len(lag) == len(a)
    # other settings into the same folder are refused
    with pytest.raises(InnographError, match="other inputs or parameters"):
        CosineTopK(**{**kw, "k": 6}).fit(corpus["q"], corpus["qy"]).search_to_parquet(
            corpus["p"], tmp_path / "cut", *args)


def test_bad_input_is_a_clear_error(corpus):
    with pytest.raises(InnographError, match="dimensions"):
        top_k_similar(corpus["p"][:, :10], corpus["q"], progress=False)
    bad = corpus["p"].copy()
    bad[7, 3] = np.nan
    with pytest.raises(InnographError, match="row 7"):
        top_k_similar(bad, corpus["q"], progress=False)
    with pytest.raises(InnographError, match="GPU"):
        CosineTopK(precision="fp16")
