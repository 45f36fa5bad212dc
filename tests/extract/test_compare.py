"""Pairwise claim comparison: labels on clear pairs, scores, reasons, batching."""

from __future__ import annotations

import dataclasses

import pytest

from marsad.extract.compare import (
    LABELS,
    Comparer,
    Comparison,
    compare,
    default_comparer,
    stem,
    words,
)

BUKAMAL_A = "المرصد: داعش استعاد السيطرة على البوكمال"
BUKAMAL_B = "روسيا تنفي انسحاب قوات النظام من البوكمال"
PARAPHRASE = (
    "الصليب الأحمر يسحب 71 عامل إغاثة من اليمن خوفا على سلامتهم",
    "سحب 71 عامل إغاثة تابعين للصليب الأحمر من اليمن خوفا على سلامتهم",
)
UNRELATED = (
    "الرئيس التونسي يدعو إلى المساواة في الميراث",
    "منتخب البرازيل يفوز بكأس العالم لكرة القدم",
)


def test_bukamal_pair_is_not_agree():
    assert compare(BUKAMAL_A, BUKAMAL_B).label != "agree"


def test_paraphrase_agrees():
    result = compare(*PARAPHRASE)
    assert result.label == "agree"
    assert "overlap" in result.reason.lower()


def test_unrelated_is_other():
    assert compare(*UNRELATED).label == "other"


def test_one_sided_negation_disagrees_and_names_the_word():
    result = compare("الجيش الإسرائيلي يقصف غزة", "الجيش الإسرائيلي لم يقصف غزة")
    assert result.label == "disagree"
    assert "لم" in result.reason and "Negation" in result.reason


def test_number_mismatch_disagrees():
    result = compare("مقتل 50 شخصا في غارة على إدلب", "مقتل ٣٠ شخصا في غارة على إدلب")
    assert result.label == "disagree"
    assert "50" in result.reason and "30" in result.reason


def test_learnt_swap_disagrees():
    result = compare("الذهب يرتفع لأعلى مستوى له منذ 12 أسبوعا",
                     "انخفاض الذهب لأدنى مستوى في ١٢ اسبوعا")
    assert result.label == "disagree"


@pytest.mark.parametrize("a,b", [(BUKAMAL_A, BUKAMAL_B), PARAPHRASE, UNRELATED, ("", "")])
def test_score_is_a_probability_and_reason_is_present(a, b):
    result = compare(a, b)
    assert result.label in LABELS
    assert 0.0 <= result.score <= 1.0
    assert result.reason.strip()
    probs = dict(result.probabilities)
    assert set(probs) == set(LABELS)
    assert abs(sum(probs.values()) - 1) < 1e-3
    assert result.score == pytest.approx(max(probs.values()), abs=1e-3)


def test_comparison_is_frozen():
    result = compare(*PARAPHRASE)
    assert isinstance(result, Comparison)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.label = "other"  # type: ignore[misc]


def test_symmetric():
    ab, ba = compare(BUKAMAL_A, BUKAMAL_B), compare(BUKAMAL_B, BUKAMAL_A)
    assert ab.label == ba.label
    assert ab.score == pytest.approx(ba.score, abs=1e-6)


def test_compare_many_matches_single_and_is_deterministic():
    pairs = [(BUKAMAL_A, BUKAMAL_B), PARAPHRASE, UNRELATED]
    comparer = default_comparer()
    assert comparer is default_comparer()
    many = comparer.compare_many(pairs, batch_size=2)
    assert [c.label for c in many] == [compare(a, b).label for a, b in pairs]
    again = comparer.compare_many(pairs)
    assert [c.score for c in many] == pytest.approx([c.score for c in again], abs=1e-6)
    assert comparer.compare_many([]) == []


def test_lexical_only_model_works_without_encoder():
    comparer = Comparer(use_encoder=False)
    assert comparer.model.uses_encoder is False
    assert comparer.compare("الجيش الإسرائيلي يقصف غزة",
                            "الجيش الإسرائيلي لم يقصف غزة").label == "disagree"
    assert comparer.compare(*PARAPHRASE).label == "agree"


def test_words_normalise_digits_and_stems():
    ws = words("ارتفاع ١٢ بالمئة في الأسعار")
    assert [w.norm for w in ws][1] == "12" and ws[1].number
    assert stem("والاسعار") == stem("الاسعار")
