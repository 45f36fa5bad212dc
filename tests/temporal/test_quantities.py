"""find_quantities: digits, number words, vague amounts, qualifiers and units."""

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.document import Document
from marsad.temporal.dates import find_times
from marsad.temporal.quantities import find_quantities, number_words, parse_digits
from marsad.text.normalize import build_shadow, document_text

PUBLISHED = dt.date(2017, 11, 13)


def make_doc(raw: str, published: dt.date | None = PUBLISHED) -> Document:
    text = document_text(raw)
    doc = Document(text=text, published=published)
    doc.shadow = build_shadow(text)
    return doc


def quantities(raw: str):
    doc = make_doc(raw)
    doc.times = find_times(doc)  # the times stage runs before quantities
    return find_quantities(doc)


def only(raw: str):
    found = quantities(raw)
    assert len(found) == 1, [(q.text, q.value, q.qualifier, q.unit) for q in found]
    return found[0]


@pytest.fixture(scope="module")
def example():
    path = Path(__file__).resolve().parents[2] / "examples" / "albukamal.txt"
    if not path.exists():
        path = Path(__file__).resolve().parents[3] / "shared" / "examples" / "albukamal.txt"
    doc = make_doc(path.read_text(encoding="utf-8"))
    doc.times = find_times(doc)
    return doc


@pytest.mark.parametrize("phrase, value", [
    ("ثلاثة", 3), ("ثلاث", 3), ("خمسة عشر", 15), ("إحدى عشرة", 11), ("اثنا عشر", 12),
    ("عشرون", 20), ("عشرين", 20), ("واحد وعشرون", 21), ("خمسة وعشرين", 25),
    ("مئة", 100), ("مائة", 100), ("مئتان", 200), ("ثلاثمئة", 300), ("ثلاث مئة", 300),
    ("ألف", 1000), ("ألفين", 2000), ("ثلاثة آلاف", 3000), ("خمسة عشر ألفا", 15000),
    ("مليون", 1_000_000), ("ثلاثة ملايين", 3_000_000), ("مئة وخمسون", 150),
    ("ألف ومئتان", 1200), ("مليونان", 2_000_000),
])
def test_number_words(phrase, value):
    from marsad.temporal import norm

    assert number_words().parse(norm(phrase)) == value


@pytest.mark.parametrize("digits, scale, value", [
    ("1,200", None, 1200), ("1.5", "مليون", 1_500_000), ("50", None, 50),
    ("2.5", None, None), ("1.200.000", None, 1_200_000), ("3", "الاف", 3000),
])
def test_parse_digits(digits, scale, value):
    assert parse_digits(digits, scale) == value


@pytest.mark.parametrize("raw, text, value, qualifier, unit", [
    ("قتل ما لا يقل عن 50 مدنيا", "ما لا يقل عن 50 مدنيا", 50, "at_least", "civilians"),
    ("قتل ٥٠ مدنياً", "٥٠ مدنياً", 50, "exact", "civilians"),
    ("نزوح 1,200 شخص", "1,200 شخص", 1200, "exact", "people"),
    ("نزوح 1.5 مليون شخص", "1.5 مليون شخص", 1_500_000, "exact", "people"),
    ("مقتل أكثر من 100 عنصر", "أكثر من 100 عنصر", 100, "more_than", "members"),
    ("مقتل ما يزيد على عشرين مقاتلا", "ما يزيد على عشرين مقاتلا", 20, "more_than", "fighters"),
    ("مقتل نحو 20 جنديا", "نحو 20 جنديا", 20, "about", "soldiers"),
    ("قرابة ثلاثمئة طفل", "قرابة ثلاثمئة طفل", 300, "about", "children"),
    ("أقل من عشرة أشخاص", "أقل من عشرة أشخاص", 10, "at_most", "people"),
    ("سقوط 12 قتيلا على الأقل", "12 قتيلا على الأقل", 12, "at_least", "killed"),
    ("سقوط 7 جرحى", "7 جرحى", 7, "exact", "injured"),
    ("واحد وعشرون شخصا", "واحد وعشرون شخصا", 21, "exact", "people"),
    ("خمسة عشر جنديا", "خمسة عشر جنديا", 15, "exact", "soldiers"),
    ("ثلاثة آلاف عائلة", "ثلاثة آلاف عائلة", 3000, "exact", "families"),
    ("عشرات القتلى من المدنيين", "عشرات القتلى من المدنيين", 12, "vague", "civilians"),
    ("عشرات القتلى", "عشرات القتلى", 12, "vague", "killed"),
    ("مئات الأسر الفارة", "مئات الأسر", 100, "vague", "families"),
    ("آلاف المدنيين", "آلاف المدنيين", 1000, "vague", "civilians"),
    ("بضعة مقاتلين", "بضعة مقاتلين", 3, "vague", "fighters"),
    ("قتل عدد من المدنيين", "عدد من المدنيين", None, "vague", "civilians"),
    ("عشرات الآلاف من النازحين", "عشرات الآلاف من النازحين", 10_000, "vague", "displaced"),
    ("نسبة 40% من", "40%", 40, "exact", "percent"),
    ("سقط 5 قتلى", "5 قتلى", 5, "exact", "killed"),
    ("وصل 300", "300", 300, "exact", None),
])
def test_quantities(raw, text, value, qualifier, unit):
    q = only(raw)
    assert (q.text, q.value, q.qualifier, q.unit) == (text, value, qualifier, unit)


def test_numbers_inside_times_are_not_quantities():
    assert quantities("في 13 نوفمبر 2017") == []
    assert quantities("عام 2016") == []
    assert quantities("استمر ثلاث سنوات") == []
    assert quantities("قبل ثلاثة أيام") == []
    assert quantities("لليوم الثالث") == []
    assert quantities("القرن التاسع عشر") == []
    got = quantities("قتل 30 شخصا يوم 5 نوفمبر 2017")
    assert [(q.text, q.value) for q in got] == [("30 شخصا", 30)]


def test_example_quantities(example):
    found = find_quantities(example)
    by_text = {q.text: q for q in found}
    q = by_text["ما لا يقل عن 50 مدنيا"]
    assert (q.value, q.qualifier, q.unit) == (50, "at_least", "civilians")
    q = by_text["ما لا يقل عن 30 شخصا"]
    assert (q.value, q.qualifier, q.unit) == (30, "at_least", "people")
    q = by_text["عشرات القتلى من المدنيين"]
    assert (q.value, q.qualifier) == (12, "vague")
    q = by_text["مئات الأسر"]
    assert (q.value, q.qualifier, q.unit) == (100, "vague", "families")
    q = by_text["ثلاث عائلات"]
    assert (q.value, q.qualifier, q.unit) == (3, "exact", "families")
    assert not any("بضعة" in q.text for q in found)
    assert not any("سنوات" in q.text for q in found)
    for q in found:
        assert q.text == example.text[q.start:q.end]


def test_reads_the_times_layer_and_never_reruns_it(example):
    fresh = make_doc(example.text)  # no times layer: "بضعة أيام" counts as a number
    assert "بضعة" in [q.text for q in find_quantities(fresh)]
    assert "بضعة" not in [q.text for q in find_quantities(example)]


PIECES = st.sampled_from([
    "13", "٥٠", "1,200", "1.5", "2017", " ", " ", "\n", "نوفمبر", "عام", "مليون", "ألف",
    "آلاف", "ثلاثة", "ثلاث", "عشر", "خمسة", "وعشرون", "مئة", "عشرات", "مئات", "بضعة",
    "القتلى", "من", "المدنيين", "مدنيا", "شخصا", "ما لا يقل عن", "أكثر من", "نحو", "%",
    "على الأقل", "أيام", "قبل", "ـ", "ً", "و", "ب", "،", ".", "/", "الجمعة", "سنوات",
])


@settings(max_examples=1000, deadline=None)
@given(st.lists(PIECES, max_size=14))
def test_spans_lie_in_the_text(pieces):
    doc = make_doc("".join(pieces))
    doc.times = find_times(doc)
    for q in find_quantities(doc):
        assert 0 <= q.start < q.end <= len(doc.text)
        assert q.text == doc.text[q.start:q.end]
        assert not any(t.start < q.end and q.start < t.end and t.start <= q.start
                       and q.end <= t.end for t in doc.times)
        assert q.qualifier in ("exact", "at_least", "at_most", "about", "more_than", "vague")
