"""NER evaluation: span scoring and a quick score of the shipped model."""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.evaluate.ner import evaluate_ner, format_ner_report, iob_spans, score_spans

TEST = Path(__file__).resolve().parents[3] / "shared" / "data" / "anercorp" / "test.conll"


def test_iob_spans_conlleval_style() -> None:
    tags = ["B-PERS", "I-PERS", "O", "I-LOC", "B-ORG", "I-LOC", "O"]
    assert iob_spans(tags) == {(0, 2, "PERSON"), (3, 4, "LOC"), (4, 5, "ORG"), (5, 6, "LOC")}
    assert iob_spans([]) == set()


def test_score_spans_exact_match() -> None:
    gold = [{(0, 2, "PERSON"), (3, 4, "LOC")}]
    pred = [{(0, 2, "PERSON"), (3, 5, "LOC")}]
    result = score_spans(gold, pred)
    assert result["precision"] == 0.5 and result["recall"] == 0.5 and result["micro_f1"] == 0.5
    assert result["per_type"]["PERSON"] == 1.0 and result["per_type"]["LOC"] == 0.0


def test_custom_tagger(tmp_path: Path) -> None:
    path = tmp_path / "tiny.conll"
    path.write_text("زار\tO\nبوش\tB-PERS\nبغداد\tB-LOC\n\nقال\tO\n", encoding="utf-8")
    result = evaluate_ner(path, tagger=lambda words: ["O"] * len(words))
    assert result["micro_f1"] == 0.0 and result["tokens"] == 4
    perfect = evaluate_ner(path, tagger=lambda w: ["O", "B-PERS", "B-LOC"][: len(w)] if len(w) == 3 else ["O"])
    assert perfect["micro_f1"] == 1.0
    assert "micro-F1" in format_ner_report(perfect)


@pytest.mark.skipif(not TEST.exists(), reason="shared ANERcorp test file not available")
def test_shipped_model_on_anercorp_test_slice() -> None:
    result = evaluate_ner(TEST, max_sentences=300)
    assert result["tokens"] > 5000
    assert result["micro_f1"] > 0.6
    assert set(result["per_type"]) == {"PERSON", "ORG", "LOC", "MISC"}
    assert result["tokens_per_second"] > 1000
    report = format_ner_report(result)
    assert "PERSON" in report


def test_pipeline_tags_score_surnames_but_not_organisation_descriptions() -> None:
    """A person's later surname is a name in the CoNLL sense; an organisation's short
    form ("التنظيم") is a description, O in ANERcorp, though marsad links both."""
    from marsad.evaluate.ner import pipeline_tag_sentences

    sentences = [["وقال", "أيمن", "الظواهري", "إن", "تنظيم", "القاعدة", "باق", "."],
                 ["وأضاف", "الظواهري", "أن", "التنظيم", "قوي", "."]]
    first, second = pipeline_tag_sentences(sentences)
    assert first[1:3] == ["B-PERS", "I-PERS"] and first[4:6] == ["B-ORG", "I-ORG"]
    assert second[1] == "B-PERS"
    assert second[3] == "O"


def test_state_organs_of_the_actor_dictionary_are_not_scored_as_names() -> None:
    """"الحكومة العراقية" is an actor for marsad but O in ANERcorp (211 of 213 such
    mentions in its train part); a proper name of the dictionary still counts."""
    from marsad.evaluate.ner import _is_name, pipeline_tag_sentences

    assert not _is_name("ORG", "dictionary", "الحكومة العراقية")
    assert not _is_name("ORG", "dictionary", "والجيش الإسرائيلي")
    assert _is_name("ORG", "dictionary", "حزب الله")
    assert _is_name("ORG", "dictionary", "المرصد السوري لحقوق الإنسان")
    assert _is_name("ORG", "model", "وكالة الأنباء العراقية")  # the model learnt ANERcorp's view
    assert _is_name("PERSON", "short_form", "الظواهري")
    assert not _is_name("ORG", "short_form", "التنظيم")
    assert not _is_name("LOC", "nationality", "الروسية")
    (tags,) = pipeline_tag_sentences([["وقالت", "الحكومة", "العراقية", "إن", "حزب", "الله", "."]])
    assert tags[1:3] == ["O", "O"]
    assert tags[4:6] == ["B-ORG", "I-ORG"]
