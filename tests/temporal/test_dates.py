"""find_times: absolute, Hijri, relative, weekday, range and duration expressions."""

import datetime as dt
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.document import Document
from marsad.temporal.dates import find_times, hijri_to_gregorian
from marsad.text.normalize import build_shadow, document_text

PUBLISHED = dt.date(2017, 11, 13)  # a Monday
EXAMPLE = str(Path(__file__).resolve().parents[3] / "shared" / "examples" / "albukamal.txt")


def make_doc(raw: str, published: dt.date | None = PUBLISHED) -> Document:
    text = document_text(raw)
    doc = Document(text=text, published=published)
    doc.shadow = build_shadow(text)
    return doc


def times(raw: str, published: dt.date | None = PUBLISHED):
    return find_times(make_doc(raw, published))


def only(raw: str, published: dt.date | None = PUBLISHED):
    found = times(raw, published)
    assert len(found) == 1, [(t.text, t.value, t.precision) for t in found]
    return found[0]


@pytest.fixture(scope="module")
def example():
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "examples" / "albukamal.txt"
    if not path.exists():
        path = Path(EXAMPLE)
    return make_doc(path.read_text(encoding="utf-8"))


# ------------------------------------------------------------------ absolute dates

@pytest.mark.parametrize("raw, text, value, precision", [
    ("قتل في 13 نوفمبر 2017 ثلاثة", "13 نوفمبر 2017", "2017-11-13", "day"),
    ("في 13 تشرين الثاني 2017", "13 تشرين الثاني 2017", "2017-11-13", "day"),
    ("بتاريخ 13/11/2017 قتل", "بتاريخ 13/11/2017", "2017-11-13", "day"),
    ("في ١٣/١١/٢٠١٧ قتل", "١٣/١١/٢٠١٧", "2017-11-13", "day"),
    ("في 2017-11-13 قتل", "2017-11-13", "2017-11-13", "day"),
    ("منتصف نوفمبر 2017", "منتصف نوفمبر 2017", "2017-11", "month"),
    ("في نوفمبر 2017", "نوفمبر 2017", "2017-11", "month"),
    ("في كانون الثاني 2016", "كانون الثاني 2016", "2016-01", "month"),
    ("في شهر يناير / كانون الثاني 2020", "شهر يناير / كانون الثاني 2020", "2020-01", "month"),
    ("منذ مطلع عام 2017", "منذ مطلع عام 2017", "2017-01-01/2017-11-13", "range"),
    ("خلال عام 2016 قتل", "عام 2016", "2016", "year"),
    ("في العام 2014", "العام 2014", "2014", "year"),
    ("الأربعاء 8 نوفمبر 2017", "الأربعاء 8 نوفمبر 2017", "2017-11-08", "day"),
    ("في 30 أكتوبر الماضي", "30 أكتوبر", "2017-10-30", "day"),
    ("في 25 ديسمبر", "25 ديسمبر", "2016-12-25", "day"),
])
def test_absolute_dates(raw, text, value, precision):
    t = only(raw)
    assert (t.text, t.value, t.precision) == (text, value, precision)


def test_month_year_sets_are_not_gated_by_locale():
    got = [t.value for t in times("بين 1 يناير و1 أيار 2019 وفي 3 آذار 2018 و5 مارس 2018")]
    assert got == ["2017-01-01", "2019-05-01", "2018-03-03", "2018-03-05"]


def test_hijri_dates():
    t = only("في 15 صفر 1439 هـ قتل")
    assert t.value == "2017-11-04" and t.precision == "day"
    t = only("عام 1439هـ")
    assert t.precision == "range"
    assert t.value == "2017-09-21/2018-09-10"
    assert hijri_to_gregorian(1439, 2, 15) == dt.date(2017, 11, 4)
    # outside hijridate's table: the tabular calendar, within a couple of days
    old = hijri_to_gregorian(1308, 1, 1)
    assert old is not None and abs((old - dt.date(1890, 8, 17)).days) <= 2


# ------------------------------------------------------------------ relative

@pytest.mark.parametrize("raw, value, precision", [
    ("قتل اليوم", "2017-11-13", "day"),
    ("قتل أمس", "2017-11-12", "day"),
    ("قتل بالأمس", "2017-11-12", "day"),
    ("قتل أمس الأول", "2017-11-11", "day"),
    ("قتل أول من أمس", "2017-11-11", "day"),
    ("مساء أمس", "2017-11-12", "day"),
    ("صباح اليوم", "2017-11-13", "day"),
    ("قبل يومين", "2017-11-11", "day"),
    ("قبل ثلاثة أيام", "2017-11-10", "day"),
    ("منذ ثلاثة أيام", "2017-11-10", "day"),
    ("قبل 5 أيام", "2017-11-08", "day"),
    ("الأسبوع الماضي", "2017-11-06/2017-11-12", "week"),
    ("الشهر الماضي", "2017-10", "month"),
    ("الشهر الجاري", "2017-11", "month"),
    ("العام الماضي", "2016", "year"),
    ("السنة الماضية", "2016", "year"),
    ("هذا العام", "2017", "year"),
    ("خلال الأيام الثلاثة الماضية", "2017-11-10/2017-11-13", "range"),
    ("خلال الـ24 ساعة الماضية", "2017-11-12/2017-11-13", "range"),
    ("قبل شهرين", "2017-09", "month"),
    ("قبل ثلاث سنوات", "2014", "year"),
    ("قبل أيام", "2017-11-03/2017-11-12", "range"),
])
def test_relative(raw, value, precision):
    t = only(raw)
    assert (t.value, t.precision) == (value, precision), t


def test_relative_without_published_is_unresolved():
    for raw in ("قتل أمس", "الأسبوع الماضي", "يوم الجمعة", "قبل ثلاثة أيام"):
        t = only(raw, published=None)
        assert t.value is None and t.precision == "unresolved", raw
    # absolute dates still resolve
    assert only("في 13 نوفمبر 2017", published=None).value == "2017-11-13"


def test_today_that_is_not_today():
    assert times("في اليوم التالي") == []
    assert times("في ذلك اليوم قتل") == []


# ------------------------------------------------------------------ weekdays

@pytest.mark.parametrize("raw, value", [
    ("يوم الخميس", "2017-11-09"),
    ("قتل الخميس", "2017-11-09"),
    ("والجمعة قتل", "2017-11-10"),
    ("الأحد", "2017-11-12"),
    ("يوم الاثنين", "2017-11-13"),
    ("الاثنين الماضي", "2017-11-06"),
    ("الخميس المقبل", "2017-11-16"),
    ("مساء الجمعة", "2017-11-10"),
    ("السبت", "2017-11-11"),
])
def test_weekdays(raw, value):
    t = only(raw)
    assert (t.value, t.precision) == (value, "day")


def test_weekday_words_that_are_not_weekdays():
    assert times("بعد صلاة الجمعة") == []
    assert times("خطبة الجمعة") == []
    assert times("الواحد الأحد") == []
    assert times("الأحد عشر") == []
    assert times("بين الاثنين") == []
    assert times("أحد المقاتلين") == []


def test_since_a_weekday_is_a_range():
    t = only("قتل 50 منذ يوم الجمعة")
    assert (t.text, t.value, t.precision) == ("منذ يوم الجمعة", "2017-11-10/2017-11-13", "range")
    t = only("منذ الجمعة", published=None)
    assert t.value is None and t.text == "منذ الجمعة"


# ------------------------------------------------------------------ durations

@pytest.mark.parametrize("raw, text", [
    ("استمر ثلاث سنوات", "ثلاث سنوات"),
    ("لمدة أسبوعين", "لمدة أسبوعين"),
    ("لليوم الثالث على التوالي", "لليوم الثالث على التوالي"),
    ("طيلة خمسة عشر يوما", "طيلة خمسة عشر يوما"),
    ("لمدة عام", "لمدة عام"),
])
def test_durations(raw, text):
    t = only(raw)
    assert (t.text, t.value, t.precision) == (text, None, "duration")


# ------------------------------------------------------------------ example article

def test_example_weekdays_resolve(example):
    found = find_times(example)
    by_text = {}
    for t in found:
        by_text.setdefault(t.text, set()).add(t.value)
    assert by_text["يوم الخميس"] == {"2017-11-09"}
    assert by_text["يوم الجمعة"] == {"2017-11-10"}
    assert by_text["الجمعة"] == {"2017-11-10"}
    assert by_text["يوم الأحد"] == {"2017-11-12"}
    assert by_text["الأحد"] == {"2017-11-12"}
    assert by_text["منذ يوم الجمعة"] == {"2017-11-10/2017-11-13"}
    fridays = [t for t in found if t.value == "2017-11-10"]
    contexts = [example.text[t.start:t.end + 6] for t in fridays]
    assert any(c.startswith("الجمعة معلنة") for c in contexts)
    assert any(c.startswith("الجمعة.") for c in contexts)
    assert any(example.text[t.start - 10:t.end].endswith("في سوريا الأحد") for t in found)


def test_example_ranges_durations_and_ids(example):
    found = find_times(example)
    assert [t.id for t in found] == [f"T{i}" for i in range(1, len(found) + 1)]
    assert [t.start for t in found] == sorted(t.start for t in found)
    few_days = [t for t in found if "بضعة" in t.text]
    assert len(few_days) == 1 and few_days[0].text.startswith("قبل بضعة")
    assert few_days[0].precision == "range"
    assert few_days[0].value.endswith("/2017-11-10")
    three_years = [t for t in found if t.text == "ثلاث سنوات"]
    assert three_years and three_years[0].precision == "duration"
    for t in found:
        assert t.text == example.text[t.start:t.end]


def test_example_is_fast(example):
    find_times(example)
    start = time.perf_counter()
    for _ in range(10):
        find_times(example)
    assert (time.perf_counter() - start) / 10 < 0.05


# ------------------------------------------------------------------ properties

PIECES = st.sampled_from([
    "13", "٢٠١٧", "2017", "/", "-", "(", ")", " ", " ", "\n", "نوفمبر", "تشرين الثاني",
    "كانون", "الأول", "صفر", "1439", "هـ", "عام", "يوم", "الجمعة", "والخميس", "منذ", "قبل",
    "ثلاثة", "أيام", "يومين", "أمس", "اليوم", "الماضي", "الأسبوع", "لليوم", "الثالث",
    "مساءَ", "ـ", "ً", "بتاريخ", "في", "و", "أحد", "،", ".", "ما لا يقل عن", "50", "مدنيا",
])


@settings(max_examples=1000, deadline=None)
@given(st.lists(PIECES, max_size=14), st.sampled_from([PUBLISHED, None]))
def test_spans_lie_in_the_text(pieces, published):
    raw = "".join(pieces)
    doc = make_doc(raw, published)
    found = find_times(doc)
    last_end = 0
    for i, t in enumerate(found):
        assert 0 <= t.start < t.end <= len(doc.text)
        assert t.text == doc.text[t.start:t.end]
        assert t.start >= last_end  # no overlaps, text order
        last_end = t.end
        assert t.id == f"T{i + 1}"
        if published is None and t.precision not in ("duration", "unresolved"):
            assert t.value is not None


# ------------------------------------------------------------------ sane values (issue 18)

SNN_DAY = dt.date(2015, 7, 25)  # 9 Shawwal 1436


@pytest.mark.parametrize("raw, value", [
    ("صدر القرار بتاريخ 12 / 10 / 1436 في الرياض", "2015-07-28"),
    ("وفي ٢٤/١٠/١٤٣٦ عقد الاجتماع", "2015-08-09"),
    ("الموافق 1436/10/15هـ", "2015-07-31"),
    ("الموافق 1436/10/15 هـ", "2015-07-31"),
    ("في 3-9-1436 وصل الوفد", "2015-06-20"),
])
def test_numeric_hijri_dates_convert_to_gregorian(raw, value):
    t = only(raw, SNN_DAY)
    assert (t.value, t.precision, t.calendar) == (value, "day", "hijri")


def test_written_hijri_dates_are_marked_hijri():
    assert only("في 15 صفر 1439 هـ قتل").calendar == "hijri"
    assert only("خلال شهر رمضان 1436", SNN_DAY).calendar == "hijri"
    assert only("قتل 13 نوفمبر 2017").calendar == "gregorian"


def test_a_hijri_year_without_its_marker_near_publication():
    t = only("خلال عام 1436 ارتفعت الأسعار", SNN_DAY)
    assert (t.value, t.calendar) == ("2014-10-25/2015-10-13", "hijri")
    # a medieval year stays Gregorian
    assert only("سقطت القسطنطينية عام 1453", SNN_DAY).value == "1453"


def test_month_only_is_the_latest_such_month_not_after_publication():
    assert only("منذ أغسطس", SNN_DAY).value == "2014-08-01/2015-07-25"
    assert only("في شهر أغسطس", SNN_DAY).value == "2014-08"
    assert only("في شهر يوليو", SNN_DAY).value == "2015-07"


def test_since_a_date_ahead_of_publication_is_last_year():
    t = only("منذ 20 أغسطس", SNN_DAY)
    assert t.value == "2014-08-20/2015-07-25"
    a, b = t.value.split("/")
    assert a <= b


def test_no_range_ends_before_it_starts():
    raws = ["منذ أغسطس", "منذ 20 أغسطس", "منذ 30 يوليو", "منذ 5 أغسطس 2015", "منذ الخميس",
            "خلال الأيام الثلاثة الماضية", "منذ بداية الشهر", "قبل أيام"]
    for raw in raws:
        for t in times(raw, SNN_DAY):
            if t.value and "/" in t.value:
                a, b = t.value.split("/")
                assert a <= b, (raw, t.value)


def test_hijri_years_in_saudi_usage():
    assert only("منذ منتصف عام 1346 للمدينة", SNN_DAY).calendar == "hijri"
    t = only("العام الماضي 1435", SNN_DAY)
    assert (t.value, t.calendar) == ("2013-11-04/2014-10-24", "hijri")


def test_the_idiom_with_bakra_is_no_tomorrow():
    assert times("خرج أهل القرية عن بكرة أبيهم", SNN_DAY) == []
