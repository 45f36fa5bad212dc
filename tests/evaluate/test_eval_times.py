"""evaluate_times on a Wojood-format file."""

from pathlib import Path

import pytest

from marsad.evaluate.times import evaluate_times, format_times_report, read_wojood

WOJOOD_TEST = Path(__file__).resolve().parents[3] / "shared" / "data" / "wojood_sample" / "test.txt"

SAMPLE = """\
قتل O
في O
13 B-DATE
نوفمبر I-DATE
2017 I-DATE
ثلاثة B-CARDINAL
مدنيين O
. O

وصل O
الوفد B-ORG B-NORP
أمس B-DATE
إلى O
دمشق B-GPE
. O

عاد O
عام B-DATE
( I-DATE
1948 I-DATE
) I-DATE
و O
2017 B-DATE
"""


def test_read_wojood_rebuilds_sentences_and_nested_tags(tmp_path):
    path = tmp_path / "sample.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    sentences = read_wojood(path)
    assert len(sentences) == 3
    first = sentences[0]
    assert first.text == "قتل في 13 نوفمبر 2017 ثلاثة مدنيين ."
    assert [first.text[s:e] for s, e in first.gold] == ["13 نوفمبر 2017"]
    assert [sentences[1].text[s:e] for s, e in sentences[1].gold] == ["أمس"]
    assert [sentences[2].text[s:e] for s, e in sentences[2].gold] == ["عام ( 1948 )", "2017"]


def test_evaluate_times_on_a_small_file(tmp_path):
    path = tmp_path / "sample.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    result = evaluate_times(path)
    assert result["gold"] == 4
    assert result["predicted"] >= 3
    assert result["recall"] == 1.0
    assert result["exact_recall"] >= 0.75
    assert 0.0 < result["precision"] <= 1.0
    report = format_times_report(result)
    assert "recall" in report and "4 gold" in report


@pytest.mark.skipif(not WOJOOD_TEST.exists(), reason="shared Wojood sample not present")
def test_wojood_sample_recall_floor():
    result = evaluate_times(WOJOOD_TEST)
    assert result["gold"] == 156
    assert result["recall"] >= 0.9
    assert result["exact_recall"] >= 0.8
    assert result["precision"] >= 0.9
