"""innograph/models/text.py: the one text that the classifier, KeyBERT, the LLM and embeddings read."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from innograph.models.text import document_text


@pytest.mark.parametrize("title,abstract,text", [
    ("Neural net", "It learns.", "Neural net. It learns."),
    ("  Neural net  ", " It learns. ", "Neural net. It learns."),
    ("Is it a net?", "Yes.", "Is it a net? Yes."),
    ("Neural nets.", "They learn.", "Neural nets. They learn."),
    ("Robots: a survey:", "Arms.", "Robots: a survey: Arms."),
    ("Only a title", None, "Only a title"),
    (None, "Only an abstract.", "Only an abstract."),
    (math.nan, "Abstract", "Abstract"),
    ("Title", "   ", "Title"),
    (None, None, ""),
])
def test_document_text(title, abstract, text):
    assert document_text(title, abstract) == text


def test_every_stage_reads_the_same_text():
    from innograph.models import embeddings, hierarchy, keywords, llm

    assert llm.document_text is keywords.document_text is embeddings.document_text is document_text
    frame = pd.DataFrame({"title": ["Neural net", None], "abstract": ["It learns.", math.nan]})
    assert hierarchy.document_texts(frame) == ["Neural net. It learns.", ""]
