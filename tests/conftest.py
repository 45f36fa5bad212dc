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

# Tests that take seconds each (measured 2026-12-02 on 2 shared cores: 3-26 s): marked
# `slow` here, by node id, so that the files stay as their owners wrote them.  `make
# test` runs them; `make test-fast` (`pytest -m "not slow"`) leaves them out.  Tests in
# files of this conftest's owner carry `@pytest.mark.slow` themselves.
SLOW_TESTS = frozenset({
    "tests/cli/test_cli.py::test_resources_build_makes_a_versioned_cache",
    "tests/evaluate/test_eval_stance.py::test_dev_macro_f1_above_threshold",
    "tests/evaluate/test_eval_ner.py::test_shipped_model_on_anercorp_test_slice",
    "tests/knowledge/test_accurate_ner.py::test_a_long_sentence_is_tagged_in_windows",
    "tests/knowledge/test_accurate_ner.py::test_pretrained_encoder_ranks_a_paraphrase_above_an_unrelated_sentence",
    "tests/knowledge/test_accurate_ner.py::test_tagger_finds_the_names_of_a_sentence",
    "tests/knowledge/test_ner.py::test_crf_with_neural_partner",
    "tests/knowledge/test_ner.py::test_word_cluster_features_cover_known_and_new_forms",
    "tests/knowledge/test_ner_training.py::test_silver_sentences_are_tagged_by_the_accurate_tagger_and_cached",
    "tests/temporal/test_dates.py::test_spans_lie_in_the_text",
    "tests/temporal/test_quantities.py::test_spans_lie_in_the_text",
    "tests/test_real_articles.py::test_two_hundred_conflict_articles",
    "tests/test_offsets_property.py::test_every_span_of_every_stage_quotes_document_text",
})


def pytest_collection_modifyitems(config, items) -> None:
    for item in items:
        if item.nodeid.split("[")[0] in SLOW_TESTS:
            item.add_marker(pytest.mark.slow)


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
