"""KeyBERT keywords on real records of ../shared/data: keywords come from the text, sorted scores,
top-k, diversity options, the table function, and the resumable file stage (interrupted between
parts, then rerun, equals an uninterrupted run)."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pandas as pd
import pyarrow.parquet as pq
import pytest

from innograph.errors import InnographError
from innograph.ingest.lists import normalize_keyword
from innograph.ingest.pipeline import ingest
from innograph.models.keywords import (KEYWORD_SCHEMA, KeywordExtractor, document_text, extract_keywords,
                                       keywords_file)

os.environ.setdefault("HF_HUB_OFFLINE", "1")
TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's token pattern, which KeyBERT's candidates use


@pytest.fixture(scope="module")
def documents(shared_data, tmp_path_factory) -> pd.DataFrame:
    """12 real documents with short abstracts: 6 papers (fos_small.json), 6 AI patents (PatentsView)."""
    out = tmp_path_factory.mktemp("kw-ingest")
    ingest([shared_data / "papers" / "fos_small.json", shared_data / "patents" / "patentsview_neural_network.csv"],
           out, progress=False)
    df = pd.read_parquet(out / "documents.parquet", columns=["id", "kind", "title", "abstract"])
    df = df[df["abstract"].notna() & (df["abstract"].str.len() > 200)]
    df = df.assign(n=df["abstract"].str.len()).sort_values(["n", "id"]).drop(columns="n")
    return pd.concat([df[df.kind == "paper"].head(6), df[df.kind == "patent"].head(6)], ignore_index=True)


@pytest.fixture(scope="module")
def extractor() -> KeywordExtractor:
    return KeywordExtractor(top_k=5, ngram_range=(1, 2)).fit()


@pytest.fixture(scope="module")
def table(documents, extractor) -> pd.DataFrame:
    return extract_keywords(documents, extractor, chunk_rows=5)


def test_keywords_come_from_the_text(documents, table):
    texts = {r.id: set(TOKEN.findall(normalize_keyword(document_text(r.title, r.abstract))))
             for r in documents.itertuples()}
    assert set(table["id"]) == set(documents["id"])  # every document with text has keywords
    for row in table.itertuples():
        assert row.keyword == normalize_keyword(row.keyword)
        assert set(row.keyword.split()) <= texts[row.id], (row.id, row.keyword)
        assert 1 <= len(row.keyword.split()) <= 2


def test_scores_sorted_ranks_and_top_k(table):
    assert list(table.columns) == KEYWORD_SCHEMA.names
    for _, g in table.groupby("id", sort=False):
        assert 1 <= len(g) <= 5
        assert list(g["rank"]) == list(range(1, len(g) + 1))
        assert g["score"].is_monotonic_decreasing
        assert g["keyword"].is_unique
    assert table["score"].between(-1, 1).all()
    assert table["score"].max() > 0.3  # the best keywords are close to their document


def test_top_k_and_chunking_do_not_change_the_ranking(documents, table, extractor):
    """A document's candidates are its own n-grams: chunking and top_k only cut the same list."""
    ex3 = KeywordExtractor(top_k=3, ngram_range=(1, 2))
    texts = [document_text(t, a) for t, a in zip(documents["title"], documents["abstract"])]
    got = ex3.transform(texts)  # one chunk of 12, where the table was made in chunks of 5
    for doc_id, kws in zip(documents["id"], got):
        assert len(kws) == 3
        expect = table[table["id"] == doc_id].head(3)
        assert [k for k, _ in kws] == list(expect["keyword"])
        assert [s for _, s in kws] == pytest.approx(list(expect["score"]), abs=2e-4)


def test_diversity_changes_results(documents):
    texts = [document_text(t, a) for t, a in zip(documents["title"], documents["abstract"])][3:7]
    plain = KeywordExtractor(top_k=5, ngram_range=(1, 2), method="mmr", diversity=0.0).transform(texts)
    diverse = KeywordExtractor(top_k=5, ngram_range=(1, 2), method="mmr", diversity=0.9).transform(texts)
    maxsum = KeywordExtractor(top_k=5, ngram_range=(1, 2), method="maxsum", nr_candidates=8).transform(texts)
    assert sum(set(a) != set(b) for a, b in zip(plain, diverse)) >= 2
    for a, b, c in zip(plain, diverse, maxsum):
        assert len(a) == len(b) == len(c) == 5
        assert [s for _, s in b] == sorted((s for _, s in b), reverse=True)
        # high diversity trades similarity for spread: the mean score drops
    assert sum(s for d in diverse for _, s in d) < sum(s for d in plain for _, s in d)
    # diverse picks share fewer words with each other than the plain ranking's picks
    def overlap(kws):
        words = [w for k, _ in kws for w in k.split()]
        return len(words) - len(set(words))
    assert sum(map(overlap, diverse)) < sum(map(overlap, plain))


def test_empty_texts_and_bad_parameters():
    ex = KeywordExtractor(top_k=3)
    assert ex.transform(["", None, "the of and"]) == [[], [], []]  # no candidate words at all
    with pytest.raises(InnographError, match="method"):
        KeywordExtractor(method="tfidf")
    with pytest.raises(InnographError, match="nr_candidates"):
        KeywordExtractor(method="maxsum", top_k=10, nr_candidates=5)


class Stop(Exception):
    pass


def test_resume_after_interruption(documents, tmp_path):
    src = tmp_path / "documents.parquet"
    documents.to_parquet(src)
    ex = KeywordExtractor(top_k=4)
    full = keywords_file(src, tmp_path / "full.parquet", ex, chunk_rows=5, progress=False)
    assert (full.chunks, full.chunks_reused) == (3, 0)

    def stop_after_first(i, table):
        if i == 0:
            raise Stop

    out = tmp_path / "resumed.parquet"
    with pytest.raises(Stop):
        keywords_file(src, out, ex, chunk_rows=5, progress=False, on_chunk=stop_after_first)
    assert not out.exists() and [p.name for p in (tmp_path / "resumed.parquet.parts").glob("part-*")] == [
        "part-000000.parquet"]
    seen = []
    again = keywords_file(src, out, ex, chunk_rows=5, progress=False, on_chunk=lambda i, t: seen.append(i))
    assert seen == [1, 2] and again.chunks_reused == 1
    assert pq.read_table(out).equals(pq.read_table(tmp_path / "full.parquet"))
    assert again.keywords == full.keywords == pq.read_table(out).num_rows
    # other settings on the same parts folder are refused, not mixed in
    with pytest.raises(InnographError, match="other settings"):
        keywords_file(src, out, KeywordExtractor(top_k=2), chunk_rows=5, progress=False)


def test_cli_killed_process_then_rerun(documents, tmp_path):
    """A real process stopped mid-run (SIGKILL after its first part), then the same command again."""
    src = tmp_path / "documents.parquet"
    documents.head(4).to_parquet(src)
    out = tmp_path / "kw.parquet"
    cmd = [sys.executable, "-m", "innograph.cli", "keywords", "--documents", str(src), "--out", str(out),
           "--top-k", "3", "--chunk-rows", "2", "--no-progress"]
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    first = tmp_path / "kw.parquet.parts" / "part-000000.parquet"
    import time

    deadline = time.monotonic() + 120
    while not first.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.kill()
    proc.wait()
    assert first.exists()
    assert not list((tmp_path / "kw.parquet.parts").glob("*.tmp"))
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert re.search(r"2 parts, [12] done before", done.stdout)
    got = pq.read_table(out).to_pandas()
    assert set(got["id"]) == set(documents.head(4)["id"]) and (got.groupby("id").size() == 3).all()
