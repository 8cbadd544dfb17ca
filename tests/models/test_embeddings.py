"""Document vectors of real records: Doc2Vec deterministic for a seed (also across processes with
other hash seeds), inference stable and near the trained vectors; sentence embeddings of text and
keywords unit-norm and topical; files round-trip."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from innograph.errors import InnographError
from innograph.ingest.pipeline import ingest
from innograph.models.embeddings import (Doc2VecEmbedder, SentenceEmbedder, document_text, embed_documents,
                                         keyword_strings, read_embeddings, tokenize, write_embeddings)

os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture(scope="module")
def docs(shared_data, tmp_path_factory) -> pd.DataFrame:
    """80 real patents: 40 from the "neural network" query, 40 from "baseball" (PatentsView), and
    40 real arXiv papers."""
    out = tmp_path_factory.mktemp("emb-ingest")
    ingest([shared_data / "patents" / "patentsview_neural_network.csv",
            shared_data / "patents" / "patentsview_baseball.csv",
            shared_data / "papers" / "arxiv_snapshot_sample.csv"], out, progress=False)
    d = pd.read_parquet(out / "documents.parquet", columns=["id", "kind", "title", "abstract", "year", "source_file"])
    d = d[d["abstract"].notna()]
    nn = d[d.source_file.str.contains("neural")].head(40).assign(topic="nn")
    bb = d[d.source_file.str.contains("baseball")].head(40).assign(topic="baseball")
    pa_ = d[d.kind == "paper"].head(40).assign(topic="paper")
    return pd.concat([nn, bb, pa_], ignore_index=True)


def texts_of(docs):
    return [document_text(t, a) for t, a in zip(docs["title"], docs["abstract"])]


def test_doc2vec_deterministic_for_a_seed(docs):
    texts = texts_of(docs)
    a = Doc2VecEmbedder(vector_size=32, epochs=5, seed=7).fit_transform(texts)
    b = Doc2VecEmbedder(vector_size=32, epochs=5, seed=7).fit_transform(texts)
    c = Doc2VecEmbedder(vector_size=32, epochs=5, seed=8).fit_transform(texts)
    assert a.shape == (len(docs), 32) and a.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(a, axis=1), 1.0, rtol=1e-5)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_doc2vec_same_vectors_in_a_process_with_another_hash_seed(docs, tmp_path):
    texts = texts_of(docs)[:30]
    est = Doc2VecEmbedder(vector_size=16, epochs=3, seed=1)
    here_train = est.fit_transform(texts)
    here_infer = est.transform(texts[:5])
    pd.DataFrame({"t": texts}).to_parquet(tmp_path / "t.parquet")
    code = ("import sys, numpy as np, pandas as pd\n"
            "from innograph.models.embeddings import Doc2VecEmbedder\n"
            f"t = pd.read_parquet({str(tmp_path / 't.parquet')!r})['t'].tolist()\n"
            "e = Doc2VecEmbedder(vector_size=16, epochs=3, seed=1)\n"
            f"np.save({str(tmp_path / 'a.npy')!r}, e.fit_transform(t)); np.save({str(tmp_path / 'b.npy')!r}, e.transform(t[:5]))\n")
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-c", code], check=True, env=env, timeout=120)
    np.testing.assert_array_equal(np.load(tmp_path / "a.npy"), here_train)
    np.testing.assert_array_equal(np.load(tmp_path / "b.npy"), here_infer)


def test_doc2vec_inference_stable_and_near_training(docs):
    texts = texts_of(docs)
    est = Doc2VecEmbedder(vector_size=32, epochs=20, seed=0)
    trained = est.fit_transform(texts)
    inferred = est.transform(texts[:20])
    np.testing.assert_array_equal(inferred, est.transform(texts[:20]))  # same text, same vector
    own = np.sum(inferred * trained[:20], axis=1)
    others = inferred @ trained[20:].T
    # each inferred vector is closer to its own trained vector than to most other documents
    assert np.mean(own[:, None] > others) > 0.9
    with pytest.raises(InnographError, match="no document"):
        Doc2VecEmbedder().fit(["", None, "a"])


def test_sentence_embeddings_are_unit_and_topical(docs):
    pat = docs[docs["topic"] != "paper"]
    v = SentenceEmbedder(batch_size=32).transform(pat["title"].tolist())  # titles: fast on a busy CPU
    assert v.shape == (len(pat), 384) and v.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, rtol=1e-5)
    topic = pat["topic"].to_numpy()
    nn, bb = v[topic == "nn"], v[topic == "baseball"]
    within = (nn @ nn.T)[np.triu_indices(len(nn), 1)].mean()
    across = (nn @ bb.T).mean()
    assert within > across + 0.1  # neural-network patents resemble each other more than baseball ones


def test_embed_documents_text(docs):
    few = docs.iloc[[0, 40, 80]]
    emb = embed_documents(few, "sbert-text")
    ref = SentenceEmbedder().transform([document_text(few["title"].iat[i], few["abstract"].iat[i]) for i in range(3)])
    np.testing.assert_allclose(emb.vectors, ref, atol=1e-5)
    assert emb.kinds.tolist() == ["patent", "patent", "paper"] and emb.years.dtype == "Int32"


def test_embed_documents_keywords_and_files(docs, tmp_path):
    kw = pd.DataFrame({"id": docs["id"].repeat(3).to_numpy(), "kind": docs["kind"].repeat(3).to_numpy(),
                       "keyword": [w for t in docs["title"] for w in (tokenize(t) + ["x", "y", "z"])[:3]],
                       "rank": [1, 2, 3] * len(docs)})
    kw = kw[kw["id"] != docs["id"].iat[0]]  # one document without keywords -> its title
    emb = embed_documents(docs, "sbert-keywords", kw, batch_size=32)
    assert emb.fallbacks == 1 and emb.vectors.shape == (len(docs), 384)
    joined = keyword_strings(kw)
    one = SentenceEmbedder().transform([joined.loc[(docs["id"].iat[1], docs["kind"].iat[1])]])[0]
    np.testing.assert_allclose(emb.vectors[1], one, atol=1e-5)
    title = SentenceEmbedder().transform([docs["title"].iat[0]])[0]
    np.testing.assert_allclose(emb.vectors[0], title, atol=1e-5)
    write_embeddings(emb, tmp_path / "e")
    back = read_embeddings(tmp_path / "e")
    np.testing.assert_array_equal(np.asarray(back.vectors), emb.vectors)
    assert back.ids.tolist() == emb.ids.tolist() and back.method == "sbert-keywords"
    assert back.select("paper").vectors.shape[0] == 40
    with pytest.raises(InnographError, match="keywords"):
        embed_documents(docs, "sbert-keywords", None)
