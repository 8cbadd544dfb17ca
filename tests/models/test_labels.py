"""Weak-label rules on the real files of ../shared/data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from innograph.models.labels import (AI_ARXIV_CATEGORIES, agreement, attach_search_abstracts, load_real_documents,
                                     read_documents, weak_labels)


@pytest.fixture(scope="module")
def labelled(shared_data):
    """All labelled sources, cut to at most 400 records per file (every G06N and arXiv-AI record
    kept) so the screen runs in seconds; real records throughout."""
    docs = load_real_documents(shared_data)
    keep = (docs.groupby("source_file").cumcount() < 400) | (docs["has_g06n"] == True)  # noqa: E712
    keep |= docs["arxiv_categories"].apply(lambda c: bool(set(c) & AI_ARXIV_CATEGORIES))
    return weak_labels(docs[keep])


def rule_of(labelled, rule):
    return labelled[labelled["label_rule"] == rule]


def test_patentsview_queries(labelled):
    nn, bb = rule_of(labelled, "pv_query_neural_network"), rule_of(labelled, "pv_query_baseball")
    assert len(nn) == 400 and len(bb) == 400
    assert (nn["label"] == 1).all() and (bb["label"] == 0).all()
    # noise estimate: the independent keyword/IPC screen agrees with the query label almost always
    assert nn["screen_ai"].mean() > 0.95 and bb["screen_ai"].mean() < 0.01


def test_google_patents_queries_and_abstracts(labelled):
    gp = labelled[labelled["dataset"] == "google_patents_search"]
    ai = gp[gp["label_rule"] == "gp_ai_query"]
    broad = gp[gp["label_rule"] == "gp_broad_query_screen"]
    assert len(ai) > 1000 and len(broad) > 500
    assert (ai["label"] == 1).all()
    assert (broad["label"] == broad["screen_ai"].astype(float)).all()  # broad queries defer to the screen
    assert broad["label"].mean() < 0.2  # computer science / information processing: mostly not AI
    assert gp["abstract"].notna().mean() > 0.7  # joined from the *_abstracts.ndjson files
    assert (gp["search_queries"].str.len() > 0).all()


def test_search_abstract_join_by_title(shared_data):
    path = shared_data / "patents" / "google_patents_search" / "gp-search-autonomous-systems.csv"
    df = read_documents(path)
    filled = attach_search_abstracts(df, shared_data / "patents" / "google_patents_abstracts"
                                     / "autonomous-systems_abstracts.ndjson")
    assert filled > 0.7 * len(df)
    row = df[df["title"].str.startswith("Fault-tolerant system for routing between autonomous systems")]
    assert row["abstract"].iloc[0].startswith("A system for routing between autonomous systems connected to peer routers")


def test_ro_membrane_g06n_and_arxiv(labelled):
    ro_ai, ro = rule_of(labelled, "ro_membrane_g06n"), rule_of(labelled, "ro_membrane")
    assert len(ro_ai) == 45 and (ro_ai["label"] == 1).all() and ro_ai["has_g06n"].all()
    assert (ro["label"] == 0).all() and not (ro["has_g06n"] == True).any()  # noqa: E712
    ax_ai = rule_of(labelled, "arxiv_ai_category")
    assert len(ax_ai) == 34  # 38 AI rows in the two arXiv files, 4 in both: one row per id
    assert ax_ai["arxiv_categories"].apply(lambda c: bool(set(c) & AI_ARXIV_CATEGORIES)).all()
    assert not labelled.duplicated(["kind", "id"]).any()
    assert labelled.attrs["duplicates_dropped"] > 0


def test_fields_of_study(labelled):
    fos = labelled[labelled["dataset"].isin(["s2orc", "fos"])]
    cs = fos[fos["label_rule"] == "fos_cs_screen"]
    assert len(cs) > 10 and (cs["label"] == cs["screen_ai"].astype(float)).all()
    assert cs["fields_of_study"].apply(lambda f: any(x.lower() == "computer science" for x in f)).all()
    assert (fos.loc[fos["label_rule"] == "fos_not_cs", "label"] == 0).all()
    # SciRepEval's lower-case "Computer science" counts too
    assert (cs["dataset"] == "fos").any()


def test_conflicting_ids_get_no_label(shared_data):
    # the same patent exported by an AI query and a broad query that the screen calls non-AI
    gp = load_real_documents(shared_data, ["google_patents_search"])
    out = weak_labels(gp)
    conflicts = out[out["label_rule"].str.startswith("conflict")]
    assert len(conflicts) > 0 and conflicts["label"].isna().all()
    assert len(out) + out.attrs["duplicates_dropped"] == len(gp)
    table = agreement(out)
    assert set(table["label_rule"]) >= {"gp_ai_query", "gp_broad_query_screen"}
    ai_row = table[table["label_rule"] == "gp_ai_query"].iloc[0]
    assert 0.6 < ai_row["agree_with_screen"] < 1.0  # the AI queries return some non-AI patents
