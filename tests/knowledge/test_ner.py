"""The shipped statistical NER model."""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.document import Document
from marsad.knowledge.ner import NerModel, default_ner_model
from marsad.text.normalize import build_shadow, document_text
from marsad.text.sentences import split_sentences
from marsad.text.tokens import tokenize

EXAMPLE = Path(__file__).resolve().parents[3] / "shared" / "examples" / "albukamal.txt"


@pytest.fixture(scope="module")
def model() -> NerModel:
    return default_ner_model()


def _doc(raw: str) -> Document:
    text = document_text(raw)
    doc = Document(text=text)
    doc.shadow = build_shadow(text)
    doc.sentences, doc.paragraphs = split_sentences(doc.shadow)
    doc.tokens = tokenize(doc.shadow, text, doc.sentences)
    return doc


def test_loads_and_tags_person_and_place(model: NerModel) -> None:
    words = ["قال", "الرئيس", "الأمريكي", "جورج", "بوش", "في", "واشنطن", "إن"]
    tags = model.tag_tokens(words)
    assert len(tags) == len(words)
    assert tags[3] == "B-PERS" and tags[4] == "I-PERS"
    assert tags[6] == "B-LOC"
    assert model.tag_tokens([]) == []


def test_load_explicit_path_and_missing() -> None:
    assert NerModel.load(default_ner_model().path).tag_tokens(["بغداد"])
    with pytest.raises(FileNotFoundError):
        NerModel.load("/nonexistent/ner.crfsuite")


def test_find_on_small_document(model: NerModel) -> None:
    doc = _doc("وصل الرئيس السوري بشار الأسد إلى موسكو أمس. وقال وزير الخارجية إن الزيارة ناجحة.")
    spans = model.find(doc)
    found = {(doc.text[s.start:s.end], s.type) for s in spans}
    assert ("بشار الأسد", "PERSON") in found
    assert ("موسكو", "LOC") in found
    for span in spans:
        assert span.source == "model"
        assert 0.0 < span.score <= 1.0


def test_find_drops_proclitic_from_span_start(model: NerModel) -> None:
    doc = _doc("زار الوفد بغداد وبيروت ودمشق الأسبوع الماضي.")
    texts = {doc.text[s.start:s.end] for s in model.find(doc) if s.type == "LOC"}
    assert "بيروت" in texts
    assert not any(t.startswith("وب") for t in texts)


@pytest.mark.skipif(not EXAMPLE.exists(), reason="shared example article not available")
def test_find_on_example_article(model: NerModel) -> None:
    doc = _doc(EXAMPLE.read_text(encoding="utf-8"))
    spans = model.find(doc)
    assert spans
    for span in spans:
        piece = doc.text[span.start:span.end]
        assert piece and piece == piece.strip()
        assert len(piece) < len(doc.text)
        assert span.type in {"PERSON", "ORG", "LOC", "MISC"}
    found = {(doc.text[s.start:s.end], s.type) for s in spans}
    assert ("قحطان غانم العلي", "PERSON") in found
    assert any(t == "البوكمال" and k == "LOC" for t, k in found)
