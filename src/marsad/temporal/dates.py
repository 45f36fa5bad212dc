"""Stage `times`: dates, periods and durations, resolved against the publication date.

Matching runs on the shadow text (no diacritics, unified alef/ya/ta marbuta, ASCII
digits) with regexes compiled once from the tables in resources/temporal/.  Each rule
proposes candidates; overlapping candidates are settled longest first (earlier rule on
a tie) and the winners are mapped back to `Document.text`.

Values:
  day       "YYYY-MM-DD"
  month     "YYYY-MM"
  year      "YYYY"
  week      "YYYY-MM-DD/YYYY-MM-DD" (weeks run Monday–Sunday, ISO style)
  range     "YYYY-MM-DD/YYYY-MM-DD"; "منذ X" with no publication date keeps X's value
  duration  null (how long, not when)
  unresolved null: a relative expression with no publication date to anchor it

Conventions worth knowing:
  * A weekday names the latest such day on or before publication (with الماضي
    strictly before it; with المقبل/القادم the next one after it).
  * "منذ" before a date, a weekday or a period makes a range from it to publication.
  * "قبل/منذ N أيام" is a day; N weeks a week-wide window around that day; N months a
    month; N years a year.  A vague count ("قبل أيام", "قبل بضعة أيام") is a range of
    past days: بضعة 3–9 days back, no count or عدة 1–10 days back.
  * A date without a year takes the publication year unless that puts it more than a
    month after publication, in which case it is the year before.
  * Hijri dates convert with `hijridate` (Umm al-Qura, 1343–1500 AH); outside that
    range the arithmetical (tabular) calendar is used.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from marsad.document import Document, TimeExpression
from marsad.temporal import alternation, load_table, norm
from marsad.temporal.quantities import LB, RB, iter_matches, lookup, number_words

_OPEN = r"(?:\(\s*)?"
_CLOSE = r"(?:\s*\))?"
_MONTH_KEYS = ["january", "february", "march", "april", "may", "june", "july", "august",
               "september", "october", "november", "december"]
_WEEKDAY_KEYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_UNIT_DAYS = {"minute": 0, "hour": 0, "day": 1, "week": 7, "month": 30, "year": 365,
              "decade": 3652}


@lru_cache(maxsize=1)
def _guards() -> dict[str, frozenset[str]]:
    """resources/temporal/guards.yaml, each list as a set of normalised forms."""
    return {key: frozenset(norm(form) for form in forms)
            for key, forms in load_table("guards").items()}


@dataclass(slots=True)
class _Candidate:
    start: int  # shadow offsets
    end: int
    value: str | None
    precision: str
    anchor: dt.date | None = None  # first day, for a "منذ" range
    sinceable: bool = False
    rule: int = 0
    calendar: str = "gregorian"


# ---------------------------------------------------------------- calendar helpers

def _day(d: dt.date) -> str:
    return d.isoformat()


def _range(a: dt.date, b: dt.date) -> str:
    if b < a:
        a, b = b, a
    return f"{a.isoformat()}/{b.isoformat()}"


def _month_value(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _add_months(d: dt.date, months: int) -> tuple[int, int]:
    index = d.year * 12 + (d.month - 1) + months
    return index // 12, index % 12 + 1


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


# a four-digit year in a day/month/year slot in this range is Hijri (1300 AH = 1882)
_HIJRI_YEARS = (1300, 1500)
_HIJRI_AHEAD = 15  # "عام 1436" is Hijri from 1300 AH up to this many years after publication's


def _likely_hijri_year(year: int, pub: dt.date | None) -> bool:
    """A marked year with no era in 1300 AH .. publication + 15 Hijri years: news years
    written in Hijri (1882-), not medieval Gregorian ones (1453, 1492 stay Gregorian)."""
    current = _gregorian_to_hijri_year(pub) if pub else None
    last = (current or 1445) + _HIJRI_AHEAD
    return _HIJRI_YEARS[0] <= year <= min(last, _HIJRI_YEARS[1])


def _infer_year(month: int, day: int, pub: dt.date) -> dt.date | None:
    d = _safe_date(pub.year, month, day)
    if d is None:
        return None
    if d > pub + dt.timedelta(days=31):
        d = _safe_date(pub.year - 1, month, day)
    return d


def _tabular_hijri(year: int, month: int, day: int) -> dt.date:
    jd = (day + math.ceil(29.5 * (month - 1)) + (year - 1) * 354
          + (3 + 11 * year) // 30 + 1948439.5 - 1)
    return dt.date.fromordinal(int(jd - 1721424.5))


def hijri_to_gregorian(year: int, month: int, day: int) -> dt.date | None:
    """Gregorian date of a Hijri date (Umm al-Qura where hijridate covers it)."""
    if not (1 <= month <= 12 and 1 <= day <= 30) or year < 1:
        return None
    try:
        from hijridate import Hijri

        return dt.date(*Hijri(year, month, day).to_gregorian().datetuple())
    except (OverflowError, ValueError):
        if 1343 <= year <= 1500:
            return None  # inside the table: the day does not exist (e.g. a 30th)
        try:
            return _tabular_hijri(year, month, day)
        except (OverflowError, ValueError):
            return None


def _hijri_month_range(year: int, month: int) -> tuple[dt.date, dt.date] | None:
    first = hijri_to_gregorian(year, month, 1)
    ny, nm = (year + 1, 1) if month == 12 else (year, month + 1)
    nxt = hijri_to_gregorian(ny, nm, 1)
    if first is None or nxt is None:
        return None
    return first, nxt - dt.timedelta(days=1)


def _gregorian_to_hijri_year(d: dt.date) -> int | None:
    try:
        from hijridate import Gregorian

        return Gregorian(d.year, d.month, d.day).to_hijri().year
    except (OverflowError, ValueError):
        return None


# ---------------------------------------------------------------- the grammar

def _index(table: dict, keys: list[str] | None = None) -> dict[str, int]:
    out: dict[str, int] = {}
    for i, key in enumerate(keys or list(table)):
        for form in table[key]:
            out.setdefault(norm(form), i + 1 if keys else key)
    return out


class _Grammar:
    def __init__(self) -> None:
        greg = load_table("months_gregorian")
        lev = load_table("months_levantine")
        self.months: dict[str, int] = {**_index(greg, _MONTH_KEYS), **_index(lev, _MONTH_KEYS)}
        hij = load_table("months_hijri")
        hkeys = [k for k in hij if k != "era_marker"]
        self.hmonths = _index(hij, hkeys)
        self.weekdays = {k: v - 1 for k, v in _index(load_table("weekdays"), _WEEKDAY_KEYS).items()}
        rel = load_table("relative")
        self.rel = rel
        self.rel_days: dict[str, int] = {}
        for key, offset in (("today", 0), ("yesterday", -1), ("day_before_yesterday", -2),
                            ("tomorrow", 1), ("day_after_tomorrow", 2)):
            for form in rel[key]:
                self.rel_days[norm(form)] = offset
        self.period_unit: dict[str, str] = {}
        for unit in ("week", "month", "year"):
            for form in rel[unit]:
                self.period_unit[norm(form)] = unit
        self.direction: dict[str, int] = {}
        for key, sign in (("past", -1), ("current", 0), ("next", 1), ("recent", -1),
                          ("upcoming", 1)):
            for form in rel[key]:
                self.direction.setdefault(norm(form), sign)
        self.plural_period: dict[str, str] = {}
        for unit, forms in rel["plural_period"].items():
            for form in forms:
                self.plural_period[norm(form)] = unit
        self.decades: dict[str, int] = {}
        for decade, forms in rel["decades"].items():
            for form in forms:
                self.decades[norm(form)] = int(decade)
        units = load_table("time_units")
        self.time_units: dict[str, tuple[str, str]] = {}
        for unit, kinds in units.items():
            for kind, forms in kinds.items():
                for form in forms:
                    self.time_units.setdefault(norm(form), (unit, kind))
        self.unit_forms = {"one": [], "two": [], "many": []}
        for form, (_, kind) in self.time_units.items():
            self.unit_forms[kind].append(form)

        nw = number_words()
        self.nw = nw
        A = alternation  # noqa: N806
        months = A(self.months, definite_lam=False)
        guards = _guards()
        safe_months = A([m for m in self.months if m not in guards["risky_months"]],
                        definite_lam=False)
        hmonths = A(self.hmonths, definite_lam=False)
        hera = A(hij["era_marker"], definite_lam=False)
        gera = A(rel["gregorian_era"], definite_lam=False)
        year_word = A(rel["year_word"])
        date_word = A(rel["date_word"], definite_lam=False)
        weekday = A(self.weekdays)
        pod = A(rel["part_of_day"], definite_lam=False)
        part = A(rel["period_part"], definite_lam=False)
        past = A(rel["past"], definite_lam=False)
        current = A(rel["current"], definite_lam=False)
        nxt = A(rel["next"], definite_lam=False)
        this = A(rel["this"], definite_lam=False)
        period = A(self.period_unit)
        plural = A(self.plural_period)
        recent = A(list(rel["recent"]) + list(rel["upcoming"]) + list(rel["past"]),
                   definite_lam=False)
        reldays = A(self.rel_days)
        ordinal = A(rel["ordinal"], definite_lam=False)
        intro = A(rel["duration_intro"], definite_lam=False)
        unit_all = A(self.time_units, definite_lam=False)
        unit_two = A(self.unit_forms["two"], definite_lam=False)
        unit_one = A(self.unit_forms["one"], definite_lam=False)
        decades = A(self.decades)
        quals = load_table("qualifiers")
        qual = A(quals["more_than"] + quals["about"] + quals["at_most"] + quals["at_least"],
                 definite_lam=False)
        vague = A(guards["vague_few"] | guards["vague_some"], definite_lam=False)
        century = A(guards["century_tail"])
        not_day = A(guards["not_after_relative_day"])
        span_intro = A(guards["span_intro"], definite_lam=False)
        ordinal_units = A(guards["ordinal_units"])
        num = rf"(?:{nw.phrase}|\d+)"
        month_alias = rf"(?:\s*[/(]\s*{months}\s*\)?)?"
        year_tail = (rf"(?:\s*[,،/]?\s*(?:من\s+)?(?:{year_word}\s+)?{_OPEN}(?P<y>\d{{4}}){_CLOSE}"
                     rf"(?:\s*{gera}{RB})?)")
        no_num_before = r"(?<![/\-.])(?<![/\-.]\s)"

        rules: list[tuple[str, Callable]] = [
            # 13/11/2017, 2017-11-13, كانون الاول ( 10 / 12 / 1946 )
            (rf"{LB}(?:(?:يوم\s+)?{weekday}\s*[,،]?\s*(?:الموافق\s+)?)?(?:(?P<pre>{date_word})\s*:?\s*)?"
             rf"(?:(?P<mname>{months})\s*(?=\())?{_OPEN}"
             rf"(?P<a>\d{{1,4}})\s*(?P<s>[/.\-])\s*(?P<b>\d{{1,2}})\s*(?P=s)\s*{_OPEN}"
             rf"(?P<c>\d{{1,4}})(?!\d|[.,/\-]\d){_CLOSE}{_CLOSE}"
             rf"(?:\s*(?:(?P<hera>{hera})|{gera}){RB}(?!\s*مربع))?",
             self._numeric),
            # بتاريخ 20 / 7
            (rf"{LB}(?P<pre>{date_word})\s*{_OPEN}(?P<d>\d{{1,2}})\s*/\s*(?P<m>\d{{1,2}})"
             rf"(?!\d|\s*/\s*\d){_CLOSE}", self._numeric_dm),
            # (الخميس) 13 نوفمبر (2017)
            (rf"{LB}(?:(?P<pre>{date_word}|يوم)\s*:?\s+)?(?:(?P<wd>{weekday})\s*[,،]?\s*"
             rf"(?:الموافق\s+)?)?{_OPEN}(?P<d>\d{{1,2}}){_CLOSE}\s*(?:/\s*)?(?:من\s+)?(?:شهر\s+)?"
             rf"(?P<m>{months})"
             rf"{month_alias}{RB}{year_tail}?", self._dmy),
            # (أواخر) (شهر) نوفمبر (عام) 2017
            (rf"{LB}(?:(?P<part>{part})\s+)?(?:(?P<kw>شهر|شهري)\s+)?(?P<m>{months})"
             rf"{month_alias}{RB}{year_tail}", self._month_year),
            # شهر نوفمبر / في نوفمبر (year from publication)
            (rf"{LB}(?:(?P<part>{part})\s+(?:شهر\s+)?|(?P<kw>شهر)\s+|(?P<skip>في|منذ|خلال|حتي)\s+)"
             rf"(?P<m>{safe_months}){month_alias}{RB}", self._month_only),
            # 15 صفر 1439 هـ
            (rf"{LB}(?P<d>\d{{1,2}})\s*(?:/\s*)?(?:من\s+)?(?:شهر\s+)?(?P<m>{hmonths}){RB}"
             rf"(?:\s*[,،/]?\s*(?:{year_word}\s+)?(?P<y>\d{{3,4}}))?(?:\s*(?P<era>{hera}){RB})?",
             self._hijri_dmy),
            # صفر 1439 هـ
            (rf"{LB}(?:(?P<part>{part})\s+)?(?:شهر\s+)?(?P<m>{hmonths})\s+(?:من\s+)?"
             rf"(?:{year_word}\s+)?(?P<y>\d{{3,4}})(?:\s*(?P<era>{hera}){RB})?", self._hijri_my),
            # (عام) 1439 هـ
            (rf"{LB}(?:(?P<kw>{year_word})\s*)?{_OPEN}(?P<y>\d{{3,4}}){_CLOSE}\s*(?P<era>{hera}){RB}",
             self._hijri_year),
            # (عام) 2017 (م), 1961 / 1962
            (rf"{LB}(?:(?P<part>{part})\s+)?(?:(?P<kw>{year_word}|{date_word})\s*:?\s*)?{no_num_before}"
             rf"(?P<open>\(\s*)?(?P<y>\d{{4}})(?:\s*[/\-]\s*(?P<y2>\d{{4}}))?(?P<close>\s*\))?"
             rf"(?!\d|[.,]\d|\s*[/\-]\s*\d)(?:\s*(?P<era>{gera}){RB}(?!\s*مربع))?", self._year),
            # العشرينات
            (rf"{LB}(?P<dec>{decades}){RB}(?:\s+(?:من\s+)?القرن\s+{century}{RB})?",
             self._decade),
            # صباح اليوم، مساء أمس، يوم أمس، أول من أمس
            (rf"{LB}(?:(?P<pod>{pod})\s+)?(?:يوم\s+)?(?P<rel>{reldays}){RB}"
             rf"(?!\s+(?:{ordinal}|{not_day}){RB})", self._relday),
            # (يوم|مساء) الخميس (الماضي)
            (rf"{LB}(?:(?P<pre>(?:{pod}|يوم)(?:\s+يوم)?)\s+)?(?P<wd>{weekday}){RB}"
             rf"(?:\s+(?P<dir>{past}|{nxt}){RB})?", self._weekday),
            # الأسبوع الماضي، مطلع الشهر الجاري، هذا العام
            (rf"{LB}(?:(?P<part>{part})\s+)?(?:(?P<this>{this})\s+)?(?P<unit>{period})"
             rf"(?:\s+(?P<dir>{past}|{current}|{nxt}))?{RB}(?:\s+(?P<y>\d{{4}}){RB})?",
             self._period),
            # قبل ثلاثة أيام، منذ يومين، قبل أيام، قبل أكثر من ثلاث سنوات
            (rf"{LB}(?P<kw>قبل|منذ)\s+(?:(?P<q>{qual})\s+)?(?:(?P<n>{num})\s*|(?P<vg>{vague})\s+)?"
             rf"(?P<u>{unit_all}){RB}", self._ago),
            # خلال الأيام الثلاثة الماضية، الأشهر الأخيرة
            (rf"{LB}(?:(?P<pre>{intro})\s+|(?P<skip>في)\s+)?(?P<pu>{plural})(?:\s+(?P<n>{nw.definite}|ال\s?\d+))?"
             rf"\s+(?P<dir>{recent}){RB}", self._past_n),
            # خلال الـ24 ساعة الماضية
            (rf"{LB}(?:(?P<pre>{intro})\s+)?ال\s?(?P<n>\d+)\s+(?P<u>{unit_all})\s+(?P<dir>{recent}){RB}",
             self._past_n_digits),
            # ثلاث سنوات، لمدة خمسة عشر يوما، بضعة أيام
            (rf"{LB}(?:(?P<pre>{intro}|{qual})\s+)?(?:(?P<n>{num}(?:[.,]\d+)?)\s*|(?P<vg>{vague})\s+)"
             rf"(?P<u>{unit_all}){RB}(?:\s+ونصف{RB})?", self._duration),
            # أسبوعين، لمدة يومين
            (rf"{LB}(?:(?P<pre>{intro}|{qual})\s+)?(?P<u>{unit_two}){RB}", self._duration),
            # لمدة عام
            (rf"{LB}(?P<pre>{span_intro})\s+(?P<u>{unit_one}){RB}(?!\s*\(?\s*\d)", self._duration),
            # لليوم الثالث على التوالي
            (rf"{LB}(?P<u>{ordinal_units})\s+(?P<ord>{ordinal}){RB}"
             rf"(?:\s+علي\s+التوالي{RB})?", self._ordinal),
        ]
        digits = tuple("0123456789")
        month_words = tuple(self.months)
        hijri_words = tuple(self.hmonths)
        # a rule runs only when one of these strings is in the text (None: always)
        needs: list[tuple[str, ...] | None] = [
            digits, digits, digits, digits, month_words, hijri_words, hijri_words, digits,
            digits, ("ينات", "ينيات"), None,
            ("احد", "اثنين", "ثلاثا", "اربعا", "خميس", "جمعه", "سبت"),
            ("اسبوع", "شهر", "عام", "سنه"), ("قبل", "منذ"),
            ("ايام", "اسابيع", "اشهر", "شهور", "سنوات", "سنين", "اعوام", "ساعات", "عقود"),
            digits, None, None, ("مده", "طيله", "طوال"),
            ("التوالي", "لليوم", "للاسبوع", "للشهر", "للعام", "للسنه"),
        ]
        assert len(needs) == len(rules)
        self.rules = [(re.compile(p), h, need) for (p, h), need in zip(rules, needs, strict=True)]
        self.since_tail = re.compile(r"(?:^|[^\w]|(?<![\w])[وف])منذ\s+$")
        self.prev_word = re.compile(r"(\w+)\s*$")
        self.next_word = re.compile(r"\s*(\S+)")

    # ------------------------------------------------------------ rule handlers
    # each returns (value, precision, anchor, sinceable) or None

    def _numeric(self, m: re.Match, pub: dt.date | None):
        a, b, c = m.group("a"), m.group("b"), m.group("c")
        if len(a) == 4 and len(c) <= 2:
            y, mo, d = int(a), int(b), int(c)
        elif len(a) <= 2 and len(c) in (2, 4):
            d, mo, y = int(a), int(b), int(c)
            if len(c) == 2:
                limit = (pub.year % 100 + 1) if pub else 30
                y += 2000 if y <= limit else 1900
            if mo > 12 and d <= 12:
                d, mo = mo, d
        else:
            return None
        if m.group("s") == "." and not m.group("pre") and len(c) != 4 and len(a) != 4:
            return None
        if _HIJRI_YEARS[0] <= y <= _HIJRI_YEARS[1]:  # 12/10/1436: no Gregorian year of news
            date = hijri_to_gregorian(y, mo, d)
            return (_day(date), "day", date, True, "hijri") if date else None
        date = _safe_date(y, mo, d)
        if date is None:
            return None
        return _day(date), "day", date, True

    def _numeric_dm(self, m: re.Match, pub: dt.date | None):
        d, mo = int(m.group("d")), int(m.group("m"))
        if not (1 <= mo <= 12 and 1 <= d <= 31):
            return None
        if pub is None:
            return None, "unresolved", None, True
        date = _infer_year(mo, d, pub)
        return (_day(date), "day", date, True) if date else None

    def _dmy(self, m: re.Match, pub: dt.date | None):
        d = int(m.group("d"))
        mo = lookup(self.months, m.group("m"))  # type: ignore[arg-type]
        if mo is None or not 1 <= d <= 31:
            return None
        if m.group("y"):
            date = _safe_date(int(m.group("y")), int(mo), d)
        elif pub is not None:
            date = _infer_year(int(mo), d, pub)
        else:
            return None, "unresolved", None, True
        return (_day(date), "day", date, True) if date else None

    def _month_year(self, m: re.Match, pub: dt.date | None):
        mo = lookup(self.months, m.group("m"))
        y = int(m.group("y"))
        if mo is None or not 1000 <= y <= 2199:
            return None
        return _month_value(y, int(mo)), "month", dt.date(y, int(mo), 1), True

    def _month_only(self, m: re.Match, pub: dt.date | None):
        mo = lookup(self.months, m.group("m"))
        if mo is None:
            return None
        if pub is None:
            return None, "unresolved", None, True
        y = pub.year if int(mo) <= pub.month else pub.year - 1  # never after publication
        return _month_value(y, int(mo)), "month", dt.date(y, int(mo), 1), True

    def _hijri_dmy(self, m: re.Match, pub: dt.date | None):
        d = int(m.group("d"))
        mo = lookup(self.hmonths, m.group("m"))
        if mo is None or not 1 <= d <= 30:
            return None
        if m.group("y"):
            date = hijri_to_gregorian(int(m.group("y")), int(mo), d)
        elif pub is not None:
            hy = _gregorian_to_hijri_year(pub)
            if hy is None:
                return None
            date = hijri_to_gregorian(hy, int(mo), d)
            if date and date > pub + dt.timedelta(days=31):
                date = hijri_to_gregorian(hy - 1, int(mo), d)
        else:
            return None, "unresolved", None, True, "hijri"
        return (_day(date), "day", date, True, "hijri") if date else None

    def _hijri_my(self, m: re.Match, pub: dt.date | None):
        mo = lookup(self.hmonths, m.group("m"))
        y = int(m.group("y"))
        if mo is None or not (1300 <= y <= 1500 or m.group("era")):
            return None
        span = _hijri_month_range(y, int(mo))
        if span is None:
            return None
        return _range(*span), "range", span[0], True, "hijri"

    def _hijri_year(self, m: re.Match, pub: dt.date | None, last: int | None = None):
        y = int(m.group("y"))
        first = hijri_to_gregorian(y, 1, 1)
        nxt = hijri_to_gregorian((last or y) + 1, 1, 1)
        if first is None or nxt is None:
            return None
        return _range(first, nxt - dt.timedelta(days=1)), "range", first, True, "hijri"

    def _year(self, m: re.Match, pub: dt.date | None):
        y = int(m.group("y"))
        y2 = int(m.group("y2")) if m.group("y2") else None
        marked = bool(m.group("kw") or m.group("era") or m.group("part"))
        bracketed = bool(m.group("open") and m.group("close"))
        if marked and not m.group("era") and _likely_hijri_year(y, pub):
            if y2 is not None and not y < y2 <= y + 10:
                return None
            return self._hijri_year(m, pub, y2)
        if marked:
            if not 1000 <= y <= 2100:
                return None
        else:
            if not 1800 <= y <= 2099:
                return None
            if not bracketed and not self._bare_year_ok(m):
                return None
        if y2 is not None:
            if not (y < y2 <= y + 10):
                return None
            return _range(dt.date(y, 1, 1), dt.date(y2, 12, 31)), "range", dt.date(y, 1, 1), True
        return f"{y:04d}", "year", dt.date(y, 1, 1), True

    def _bare_year_ok(self, m: re.Match) -> bool:
        """A bare 19xx/20xx is a year unless it counts something or is hedged like a count."""
        from marsad.temporal.quantities import grammar

        g = grammar()
        text = m.string
        nxt = self.next_word.match(text, m.end())
        if nxt:
            word = nxt.group(1)
            if (word.startswith("%") or lookup(g.unit_index, word)
                    or word in _guards()["count_nouns_after"]):
                return False
        before = text[max(0, m.start() - 30):m.start()].split()
        last = before[-1] if before else ""
        guards = _guards()
        if last in guards["count_cues"]:
            return False
        hedged = len(before) > 1 and before[-2] in guards["count_cues_before_prep"]
        return not (last in guards["count_prepositions"] and hedged)

    def _decade(self, m: re.Match, pub: dt.date | None):
        dec = lookup(self.decades, m.group("dec"))  # type: ignore[arg-type]
        if dec is None:
            return None
        y = 1900 + int(dec)
        return _range(dt.date(y, 1, 1), dt.date(y + 9, 12, 31)), "range", dt.date(y, 1, 1), True

    def _relday(self, m: re.Match, pub: dt.date | None):
        offset = lookup(self.rel_days, m.group("rel"))  # type: ignore[arg-type]
        if offset is None:
            return None
        prev = self.prev_word.search(m.string, max(0, m.start() - 40), m.start())
        if prev and prev.group(1) in _guards()["that_day"] and offset == 0:
            return None
        nxt = self.next_word.match(m.string, m.end())
        if nxt and nxt.group(1) in _guards()["idiom_after_relative_day"]:
            return None
        if pub is None:
            return None, "unresolved", None, True
        date = pub + dt.timedelta(days=int(offset))
        return _day(date), "day", date, True

    def _weekday(self, m: re.Match, pub: dt.date | None):
        wd = lookup(self.weekdays, m.group("wd"))  # type: ignore[arg-type]
        if wd is None:
            return None
        surface = lookup({"الجمعه": "f", "الاحد": "s", "الاثنين": "m"}, m.group("wd"))
        cued = bool(m.group("pre") or m.group("dir"))
        prev = self.prev_word.search(m.string, max(0, m.start() - 40), m.start())
        prev_word = prev.group(1) if prev else ""
        stem = re.sub(r"^(?:[وفبل]|ال|لل)+", "", prev_word)
        nxt = self.next_word.match(m.string, m.end())
        next_word = nxt.group(1) if nxt else ""
        if not cued:
            guards = _guards()
            if surface == "f" and stem in guards["not_friday_after"]:
                return None
            if surface == "s" and (prev_word in guards["not_sunday_after"] or any(
                    next_word.startswith(p) for p in guards["not_sunday_before_prefix"])):
                return None
            if surface == "m" and (prev_word in guards["not_monday_after"]
                                   or next_word in guards["not_monday_before"]):
                return None
        if pub is None:
            return None, "unresolved", None, True
        direction = lookup(self.direction, m.group("dir")) if m.group("dir") else None
        if direction == 1:
            delta = (int(wd) - pub.weekday()) % 7 or 7
            date = pub + dt.timedelta(days=delta)
        else:
            delta = (pub.weekday() - int(wd)) % 7
            if direction == -1 and delta == 0:
                delta = 7
            date = pub - dt.timedelta(days=delta)
        return _day(date), "day", date, True

    def _period(self, m: re.Match, pub: dt.date | None):
        unit = lookup(self.period_unit, m.group("unit"))
        if unit is None:
            return None
        if m.group("dir"):
            sign = lookup(self.direction, m.group("dir"))
        elif m.group("this"):
            sign = 0
        else:
            return None
        if sign is None:
            return None
        if m.group("y") and unit == "year":
            y = int(m.group("y"))
            if _likely_hijri_year(y, pub):  # "العام الماضي 1435"
                return self._hijri_year(m, pub)
            return f"{y:04d}", "year", dt.date(y, 1, 1), True
        if pub is None:
            return None, "unresolved", None, True
        sign = int(sign)
        if unit == "week":
            monday = pub - dt.timedelta(days=pub.weekday()) + dt.timedelta(days=7 * sign)
            return _range(monday, monday + dt.timedelta(days=6)), "week", monday, True
        if unit == "month":
            y, mo = _add_months(pub, sign)
            return _month_value(y, mo), "month", dt.date(y, mo, 1), True
        y = pub.year + sign
        return f"{y:04d}", "year", dt.date(y, 1, 1), True

    def _count(self, m: re.Match) -> tuple[str, int | None, str | None] | None:
        """(unit, count, vague word) of a count + time unit."""
        found = lookup(self.time_units, m.group("u"))  # type: ignore[arg-type]
        if found is None:
            return None
        unit, kind = found
        vg = m.groupdict().get("vg")
        n_text = m.groupdict().get("n")
        if vg:
            return unit, None, vg
        if n_text:
            n_text = n_text.strip()
            if n_text.isdigit():
                return unit, int(n_text), None
            try:
                return unit, int(round(float(n_text.replace(",", ".")))), None
            except ValueError:
                pass
            value = self.nw.parse(n_text)
            return (unit, value, None) if value else None
        if kind == "one":
            return unit, 1, None
        if kind == "two":
            return unit, 2, None
        return unit, None, "plural"

    def _ago(self, m: re.Match, pub: dt.date | None):
        found = self._count(m)
        if found is None:
            return None
        unit, n, vague = found
        if pub is None:
            return None, "unresolved", None, False
        if unit in ("hour", "minute"):
            hours = (n or 1) if unit == "hour" else 0
            date = pub - dt.timedelta(days=hours // 24)
            return _day(date), "day", date, False
        if n is None:
            if unit != "day":
                return None, "duration", None, False
            lo, hi = (3, 9) if vague in _guards()["vague_few"] else (1, 10)
            a, b = pub - dt.timedelta(days=hi), pub - dt.timedelta(days=lo)
            return _range(a, b), "range", a, False
        if unit == "day":
            date = pub - dt.timedelta(days=n)
            return _day(date), "day", date, False
        if unit == "week":
            centre = pub - dt.timedelta(days=7 * n)
            a, b = centre - dt.timedelta(days=3), min(pub, centre + dt.timedelta(days=3))
            return _range(a, b), "week", a, False
        if unit == "month":
            y, mo = _add_months(pub, -n)
            return _month_value(y, mo), "month", dt.date(y, mo, 1), False
        years = n * (10 if unit == "decade" else 1)
        y = pub.year - years
        return f"{y:04d}", "year", dt.date(y, 1, 1), False

    def _span_back(self, unit: str, n: int, pub: dt.date, sign: int):
        if unit in ("hour", "minute"):
            days = math.ceil(n / 24) if unit == "hour" else 0
        elif unit == "month":
            y, mo = _add_months(pub, sign * n)
            other = _safe_date(y, mo, min(pub.day, 28)) or pub
            return _range(pub, other), "range", min(pub, other), False
        else:
            days = n * _UNIT_DAYS[unit]
        other = pub + dt.timedelta(days=sign * days)
        return _range(pub, other), "range", min(pub, other), False

    def _past_n(self, m: re.Match, pub: dt.date | None):
        unit = lookup(self.plural_period, m.group("pu"))
        sign = lookup(self.direction, m.group("dir"))
        if unit is None or sign is None:
            return None
        n_text = m.group("n")
        if not n_text:
            return None, "duration", None, False
        digits = re.sub(r"\D", "", n_text)
        n = int(digits) if digits else self.nw.parse(n_text[2:])
        if not n:
            return None
        if pub is None:
            return None, "unresolved", None, False
        return self._span_back(unit, n, pub, -1 if int(sign) <= 0 else 1)

    def _past_n_digits(self, m: re.Match, pub: dt.date | None):
        found = lookup(self.time_units, m.group("u"))  # type: ignore[arg-type]
        sign = lookup(self.direction, m.group("dir"))
        if found is None or sign is None:
            return None
        if pub is None:
            return None, "unresolved", None, False
        return self._span_back(found[0], int(m.group("n")), pub, -1 if int(sign) <= 0 else 1)

    def _duration(self, m: re.Match, pub: dt.date | None):
        if lookup(self.time_units, m.group("u")) is None:
            return None
        return None, "duration", None, False

    def _ordinal(self, m: re.Match, pub: dt.date | None):
        # "لليوم الثالث (على التوالي)"; a bare "اليوم السابع" is as often a name
        if not (m.group("u").startswith("لل") or m.group(0).endswith("التوالي")):
            return None
        return None, "duration", None, False


@lru_cache(maxsize=1)
def grammar() -> _Grammar:
    return _Grammar()


def _as_date(value) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop surrounding spaces, a leading "(" and a ")" left without its "("."""
    while start < end and text[start].isspace():
        start += 1
    if start < end and text[start] == "(":
        start += 1
        while start < end and text[start].isspace():
            start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    span = text[start:end]
    while end > start and text[end - 1] == ")" and span.count(")") > span.count("("):
        end -= 1
        while end > start and text[end - 1].isspace():
            end -= 1
        span = text[start:end]
    return start, end


def find_times(doc: Document) -> list[TimeExpression]:
    """Time expressions in `doc`, in text order, ids T1, T2, …"""
    shadow = doc.shadow
    if shadow is None:
        from marsad.text.normalize import build_shadow

        shadow = build_shadow(doc.text)
    pub = _as_date(doc.published)
    g = grammar()
    text = shadow.text
    candidates: list[_Candidate] = []
    for rule_index, (pattern, handler, need) in enumerate(g.rules):
        if need is not None and not any(word in text for word in need):
            continue
        for m in iter_matches(pattern, text):
            if m.end() <= m.start():
                continue
            try:
                result = handler(m, pub)
            except (ValueError, OverflowError):  # a count that runs off the calendar
                result = None
            if result is None:
                continue
            value, precision, anchor, sinceable, *calendar = result
            start, end = m.start(), m.end()
            if m.groupdict().get("skip"):
                start = m.end("skip")
            start, end = _trim(text, start, end)
            if end <= start:
                continue
            candidates.append(_Candidate(start, end, value, precision, anchor, sinceable,
                                         rule_index, *calendar))
    chosen: list[_Candidate] = []
    taken: list[tuple[int, int]] = []
    for cand in sorted(candidates, key=lambda c: (-(c.end - c.start), c.rule, c.start)):
        if any(cand.start < e and s < cand.end for s, e in taken):
            continue
        chosen.append(cand)
        taken.append((cand.start, cand.end))
    chosen.sort(key=lambda c: c.start)

    out: list[TimeExpression] = []
    for cand in chosen:
        start = cand.start
        value, precision = cand.value, cand.precision
        if cand.sinceable:
            tail = g.since_tail.search(text, max(0, start - 8), start)
            if tail:
                since_start = tail.start() + tail.group(0).index("منذ")
                if not any(c.start < start and c.end > since_start for c in chosen
                           if c is not cand):
                    start = since_start
                    anchor = _since_anchor(cand, text, pub)
                    if anchor is not None and pub is not None:
                        value, precision = f"{anchor.isoformat()}/{pub.isoformat()}", "range"
                    # with no publication date the range has no end: keep the start's value
        o_start, o_end = shadow.to_original(start, cand.end)
        out.append(TimeExpression(f"T{len(out) + 1}", o_start, o_end, doc.text[o_start:o_end],
                                  _ordered(value), precision, cand.calendar))  # type: ignore[arg-type]
    return out


def _since_anchor(cand: _Candidate, text: str, pub: dt.date | None) -> dt.date | None:
    """The first day of "منذ X": never after publication.  A date whose year was inferred
    ("منذ 20 أغسطس", a month ahead) means last year's; one with its year written that
    lies ahead makes no range."""
    anchor = cand.anchor
    if anchor is None or pub is None or anchor <= pub:
        return anchor
    if not re.search(r"\d{3,4}", text[cand.start:cand.end]):
        earlier = _safe_date(anchor.year - 1, anchor.month, anchor.day)
        if earlier is not None and earlier <= pub:
            return earlier
    return None


def _ordered(value: str | None) -> str | None:
    """A range value with its ends in order (no range ends before it starts)."""
    if value and "/" in value:
        a, b = value.split("/")
        if b < a:
            return f"{b}/{a}"
    return value
