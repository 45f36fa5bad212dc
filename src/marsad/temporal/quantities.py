"""Stage `quantities`: counts in the text, with their qualifier and counted noun.

A quantity is a number (Western or Eastern digits, "1,200", "1.5 مليون", or number
words up to the millions: "خمسة عشر", "واحد وعشرون", "ثلاثة آلاف") or a vague amount,
optionally introduced by a qualifier ("ما لا يقل عن", "أكثر من", "نحو") and followed by
a counted noun ("مدنيا" → civilians).  Vague amounts take ACLED's most conservative
reading: عشرات = 12, مئات = 100, آلاف = 1000, بضعة = 3, "عدد من" = no value; their
qualifier is "vague".

When a second counted noun follows with من ("عشرات القتلى من المدنيين") the later, more
specific noun wins (civilians): it names who the victims were, which is what a
civilian-targeting judgement needs; the first noun only says they died.

Numbers inside the time expressions found by `find_times` (years, days of the month,
"ثلاث سنوات") are not quantities.  Ordinals ("الثالث") are never read.
"""

from __future__ import annotations

import re
from functools import lru_cache

from marsad.document import Document, Quantity, TimeExpression
from marsad.temporal import alternation, load_table, norm

# Left edge of a word: nothing word-like before it, or a one/two-letter proclitic.  The
# regex only checks the character before (a single lookbehind keeps the scan fast);
# `iter_matches` checks the rest.
LB = r"(?<![^\Wوفبلك])"
RB = r"(?!\w)"
_CLITIC1 = set("وفبلك")


def at_word_start(text: str, i: int) -> bool:
    """True when `i` starts a word, possibly after the proclitics و ف ب ل ك (one or two)."""
    if i == 0 or not _wordish(text[i - 1]):
        return True
    if text[i - 1] not in _CLITIC1:
        return False
    if i == 1 or not _wordish(text[i - 2]):
        return True
    return (text[i - 2] in "وف" and text[i - 1] in "بلك"
            and (i == 2 or not _wordish(text[i - 3])))


def _wordish(char: str) -> bool:
    return char.isalnum() or char == "_"


def iter_matches(pattern: re.Pattern, text: str):
    """Like pattern.finditer, but only matches that start at a word (after clitics)."""
    pos = 0
    n = len(text)
    while pos <= n:
        m = pattern.search(text, pos)
        if m is None:
            return
        if at_word_start(text, m.start()):
            yield m
            pos = m.end() if m.end() > m.start() else m.start() + 1
        else:
            pos = m.start() + 1

VAGUE_VALUES: dict[str, int | None] = {
    "dozens": 12,
    "hundreds": 100,
    "thousands": 1000,
    "tens_of_thousands": 10_000,
    "hundreds_of_thousands": 100_000,
    "millions": 1_000_000,
    "few": 3,
    "several": None,
}


class NumberWords:
    """Number-word tables, normalised, and the regex for a number-word phrase."""

    def __init__(self) -> None:
        table = load_table("numbers")
        self.values: dict[str, tuple[int, str]] = {}
        for kind in ("units", "tens", "hundreds", "scales"):
            for value, forms in table[kind].items():
                for form in forms:
                    self.values[norm(form)] = (int(value), kind)
        self.dual_scales = {norm(f) for f in table["dual_scales"]}
        word = alternation(self.values, definite_lam=False)
        # one number word, then more joined by space and an optional و ("واحد وعشرون")
        self.word = rf"{word}{RB}"
        self.phrase = rf"{word}{RB}(?:\s+و?\s?{word}{RB})*"
        self.definite = rf"ال{word}{RB}"  # الثلاثة in الأيام الثلاثة الماضية
        self._split = re.compile(rf"(?:^|\s+)(و)?\s?({word}){RB}")

    def parse(self, phrase: str) -> int | None:
        """The value of a number-word phrase ("ثلاثة آلاف" → 3000), None if not one."""
        words = [m.group(2) for m in self._split.finditer(" ".join(phrase.split()))]
        if not words:
            return None
        total = 0
        current = 0
        for w in words:
            key = " ".join(w.split())
            if key not in self.values:
                return None
            value, kind = self.values[key]
            if kind == "scales":
                if key in self.dual_scales and current == 0:
                    current = 2
                total += (current or 1) * value
                current = 0
            elif kind == "hundreds" and value == 100 and 0 < current < 10:
                current *= 100
            else:
                current += value
        return total + current


@lru_cache(maxsize=1)
def number_words() -> NumberWords:
    return NumberWords()


def _reverse(table: dict) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, forms in table.items():
        for form in forms:
            out.setdefault(norm(form), str(key))
    return out


def lookup(index: dict[str, str], text: str) -> str | None:
    """Key of a matched surface form; a ل-prefixed article form falls back to ال."""
    s = " ".join(text.split())
    if s in index:
        return index[s]
    if s.startswith("لل"):
        return index.get("ال" + s[2:])
    return None


_SCALE_AFTER_DIGITS = {"الف": 1000, "الفا": 1000, "الاف": 1000, "مليون": 10**6, "مليونا": 10**6,
                       "ملايين": 10**6, "مليار": 10**9, "مليارا": 10**9, "مليارات": 10**9,
                       "بليون": 10**9}


def parse_digits(digits: str, scale_word: str | None) -> int | None:
    """"1,200" → 1200; "1.5" with مليون → 1500000; a bare non-integer → None."""
    scale = _SCALE_AFTER_DIGITS.get(scale_word or "", 1)
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", digits):
        return int(digits.replace(",", "")) * scale
    if re.fullmatch(r"\d{1,3}(?:\.\d{3}){2,}", digits) or (
        scale == 1 and re.fullmatch(r"\d{1,3}\.\d{3}", digits)
    ):
        return int(digits.replace(".", "")) * scale  # dots as thousands separators
    try:
        number = float(digits.replace(",", "."))
    except ValueError:
        return None
    number *= scale
    return int(round(number)) if abs(number - round(number)) < 1e-9 else None


class QuantityGrammar:
    def __init__(self) -> None:
        nw = number_words()
        quals = load_table("qualifiers")
        self.qualifier_index = _reverse({k: v for k, v in quals.items() if not k.endswith("_after")})
        self.after_index = _reverse({k[: -len("_after")]: v for k, v in quals.items()
                                     if k.endswith("_after")})
        vague = load_table("vague_amounts")
        self.vague_index = _reverse(vague)
        units = load_table("units")
        self.unit_index = _reverse(units)
        qual_before = alternation(self.qualifier_index, definite_lam=False)
        qual_after = alternation(self.after_index, definite_lam=False)
        vague_re = alternation(self.vague_index)
        unit_words = {u: f for u, f in self.unit_index.items() if u != "%"}
        unit_re = alternation(unit_words)
        scale_re = alternation(_SCALE_AFTER_DIGITS, definite_lam=False)
        digits = rf"(?<![\d.,:/])(?P<digits>\d+(?:[.,]\d+)*)(?![\d]|[.,:/]\d)(?:\s*(?P<scale>{scale_re}){RB})?"
        self.pattern = re.compile(
            rf"{LB}(?:(?P<qual>{qual_before}){RB}\s+)?"
            rf"(?:{digits}|(?P<vague>{vague_re}){RB}|(?P<words>{nw.phrase}))"
            rf"(?:\s*(?P<pct>%))?"
            rf"(?:\s+(?P<after1>{qual_after}){RB})?"
            rf"(?:\s+(?:من\s+)?(?P<unit>{unit_re}){RB}"
            rf"(?:\s+من\s+(?P<unit2>{unit_re}){RB})?)?"
            rf"(?:\s+(?P<after2>{qual_after}){RB})?"
        )
        self.previous_word = re.compile(r"(\w+)\s*$")


@lru_cache(maxsize=1)
def grammar() -> QuantityGrammar:
    return QuantityGrammar()


# Units that count people: their dual ("جنديان", "شخصين", "قتيلان") is a count of two.
_PERSON_UNITS = ("civilians", "people", "children", "soldiers", "police", "members", "fighters",
                 "killed", "injured")


@lru_cache(maxsize=1)
def dual_pattern() -> tuple[re.Pattern, dict[str, str]]:
    """A person noun in the dual, alone: "قتل جنديان تركيان" counts two soldiers. The oblique
    ين of a nisba or sound-plural noun (مدنيين, مقاتلين) is also its plural, so only its ان
    form counts there."""
    units = load_table("units")
    forms: dict[str, str] = {}
    for unit in _PERSON_UNITS:
        listed = {norm(f) for f in units[unit]}
        singular = norm(units[unit][0])
        forms[singular + "ان"] = unit
        if not singular.endswith("ي") and singular + "ون" not in listed:
            forms[singular + "ين"] = unit  # not مقاتلين, a plural as well
    alternatives = "|".join(sorted(forms, key=len, reverse=True))
    return re.compile(rf"{LB}(?:ال)?({alternatives}){RB}"), forms


def _duals(text: str, taken: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Shadow spans and units of the duals in `text` that no other quantity covers."""
    pattern, forms = dual_pattern()
    out = []
    for m in iter_matches(pattern, text):
        if m.group(0).startswith("ال"):
            continue  # "الجنديين": the two soldiers already counted
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        out.append((m.start(1), m.end(1), forms[m.group(1)]))
    return out


_NEEDS_UNIT = {"ست", "سبع", "عشر", "خمس", "تسع", "ثمان", "واحد", "واحده"}
_NOT_COUNT_BEFORE = {"رقم", "القرار", "المادة", "الماده", "الفقره", "عدد"}


_CLOCK = re.compile(r"\s*:\s*\d")
_CLOCK_BEFORE = re.compile(r"\d\s*:\s*$")


def _clock_or_code(text: str, start: int, end: int, digits: str) -> bool:
    """Digits of a clock time ("11 : 00"), or zero-padded like a code or time ("08")."""
    if len(digits) > 1 and digits[0] == "0" and digits[1].isdigit():
        return True
    if _CLOCK.match(text, end):
        return True
    return bool(_CLOCK_BEFORE.search(text[max(0, start - 6):start]))


def find_quantities(doc: Document, times: list[TimeExpression] | None = None) -> list[Quantity]:
    """Counts in `doc`, in text order, skipping the numbers inside time expressions."""
    shadow = doc.shadow
    if shadow is None:
        from marsad.text.normalize import build_shadow

        shadow = build_shadow(doc.text)
    if times is None:
        times = doc.times  # the times stage runs first; never rerun it here (no import circle)
    blocked = sorted((t.start, t.end) for t in times)
    g = grammar()
    nw = number_words()
    text = shadow.text
    out: list[Quantity] = []
    spans: list[tuple[int, int]] = []  # shadow spans of the quantities found
    for m in iter_matches(g.pattern, text):
        core_start = m.start("digits") if m.group("digits") else (
            m.start("vague") if m.group("vague") else m.start("words"))
        core_end = max(m.end(k) for k in ("digits", "scale", "vague", "words") if m.group(k))
        o_start, o_end = shadow.to_original(core_start, core_end)
        if any(s < o_end and o_start < e for s, e in blocked):
            continue
        prev = g.previous_word.search(text, max(0, m.start() - 40), m.start())
        prev_word = prev.group(1) if prev else ""
        if prev_word in _NOT_COUNT_BEFORE and not m.group("qual"):
            continue
        unit_key = None
        if m.group("unit2"):
            unit_key = lookup(g.unit_index, m.group("unit2"))
        elif m.group("unit"):
            unit_key = lookup(g.unit_index, m.group("unit"))
        if m.group("pct"):
            unit_key = "percent"
        qualifier = "exact"
        if m.group("qual"):
            qualifier = lookup(g.qualifier_index, m.group("qual")) or "exact"
        for key in ("after1", "after2"):
            if m.group(key):
                qualifier = lookup(g.after_index, m.group(key)) or qualifier
        if m.group("digits"):
            digits = m.group("digits")
            if _clock_or_code(text, m.start("digits"), m.end("digits"), digits):
                continue
            value = parse_digits(digits, m.group("scale"))
            if value is None or (value == 0 and unit_key is None):
                continue
        elif m.group("vague"):
            kind = lookup(g.vague_index, m.group("vague"))
            value = VAGUE_VALUES.get(kind or "")
            qualifier = "vague"
        else:
            phrase = " ".join(m.group("words").split())
            if phrase in _NEEDS_UNIT and unit_key is None:
                continue
            if phrase in ("عشر", "عشره") and prev_word.startswith("ال"):
                continue  # an ordinal's tail: التاسع عشر
            value = nw.parse(phrase)
            if value is None:
                continue
            if phrase in ("الاف", "الوف", "ملايين"):
                qualifier = "vague"
        # the span: qualifier + number + unit + trailing qualifier
        end = m.end()
        if not (m.group("unit") or m.group("after1") or m.group("after2") or m.group("pct")):
            end = core_end
        start = m.start("qual") if m.group("qual") else core_start
        spans.append((m.start(), m.end()))
        o_start, o_end = shadow.to_original(start, end)
        out.append(Quantity(o_start, o_end, doc.text[o_start:o_end], value,
                            qualifier, unit_key))  # type: ignore[arg-type]
    for start, end, unit in _duals(text, spans):
        o_start, o_end = shadow.to_original(start, end)
        if not any(s < o_end and o_start < e for s, e in blocked):
            out.append(Quantity(o_start, o_end, doc.text[o_start:o_end], 2, "exact", unit))  # type: ignore[arg-type]
    return sorted(out, key=lambda q: q.start)
