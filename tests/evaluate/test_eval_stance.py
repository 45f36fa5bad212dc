"""evaluate_stance on the ANS dev split and on a tiny hand-made file."""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.evaluate.stance import evaluate_stance, format_stance_report

DEV = Path(__file__).resolve().parents[3] / "shared" / "data" / "ans" / "stance" / "dev.csv"


@pytest.mark.skipif(not DEV.exists(), reason="ANS stance data not available")
def test_dev_macro_f1_above_threshold():
    result = evaluate_stance(DEV)
    assert result["n"] == 755
    assert result["macro_f1"] > 0.6
    assert set(result["per_class"]) == {"agree", "disagree", "other"}
    assert all(0.0 <= f <= 1.0 for f in result["per_class"].values())
    assert 0.6 < result["accuracy"] <= 1.0


def test_tiny_file_and_report(tmp_path):
    path = tmp_path / "pairs.csv"
    path.write_text(
        "s1,s2,stance\n"
        "الجيش الإسرائيلي يقصف غزة,الجيش الإسرائيلي لم يقصف غزة,disagree\n"
        "الرئيس التونسي يدعو إلى المساواة في الميراث,منتخب البرازيل يفوز بكأس العالم لكرة القدم,other\n",
        encoding="utf-8",
    )
    result = evaluate_stance(path)
    assert result["n"] == 2
    assert result["accuracy"] == 1.0
    assert result["per_class"]["agree"] == 0.0  # no agree pair, none predicted
    text = format_stance_report(result)
    assert "macro-F1" in text and "disagree" in text
