"""Shared fixtures: the defining example and documents built through the text stage."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from marsad.document import Document
from marsad.text.normalize import build_shadow, document_text
from marsad.text.sentences import split_sentences
from marsad.text.tokens import tokenize

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
EXAMPLE = REPO / "examples" / "albukamal.txt"
PUBLISHED = dt.date(2017, 11, 13)


def text_document(raw: str, published: dt.date | None = None) -> Document:
    """A Document after the text stage only."""
    text = document_text(raw)
    doc = Document(text=text, published=published)
    doc.shadow = build_shadow(text)
    doc.paragraphs, doc.sentences = split_sentences(doc.shadow)
    doc.tokens = tokenize(doc.shadow, doc.text, doc.sentences)
    return doc


@pytest.fixture(scope="session")
def example_text() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def example_doc(example_text) -> Document:
    return text_document(example_text, PUBLISHED)


@pytest.fixture(scope="session", params=["fast", "accurate"], ids=["fast-ner", "accurate-ner"])
def example_analysis(example_text, request):
    """The example analysed with each entity tagger: every golden test runs on both."""
    import marsad

    return marsad.analyze(example_text, published="2017-11-13", source="example",
                          ner=request.param)


@pytest.fixture(scope="session")
def example_contract(example_analysis) -> dict:
    from marsad.contract import validate

    data = example_analysis.to_dict()
    validate(data)
    return data
