"""Values no reader would accept, counted over real text: each class must be 0.

Over 1,000 SaudiNewsNet conflict articles (with their publication dates) and the 2,871
syria_pages (no dates), analysed in a pool of two processes:

  after_publication  an event dated (its last day) after the article's publication
  inverted_range     a time range or an event date whose end is before its start
  year_out_of_range  an event whose date lies outside 1900-2100
  fatalities_10k     an event with 10,000 or more fatalities (a war's toll, not an event)
  fatalities_wounded an event whose fatalities equal a wounded count in its evidence
                     sentence and no killed count there

Printed but not asserted: times_year_outside, resolved times outside 1900-2100, since
news does name historical dates ("29 مايو 1453", "20 جمادى الأولى 875هـ"); a Hijri year
read as Gregorian shows up here.  The counts are printed (run with -s to see them).  Both corpora are read from
../shared at test time, never copied.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import re
from functools import lru_cache

import pytest

from .conftest import SHARED
from .test_real_articles import DATASET, conflict_articles

PAGES = SHARED / "data" / "syria_pages" / "pages.jsonl"
N_ARTICLES = 1000
CLASSES = ("after_publication", "inverted_range", "year_out_of_range", "fatalities_10k",
           "fatalities_wounded", "times_year_outside")
# a count right after one of these verbs counts the wounded, whatever noun follows
_WOUNDED_BEFORE = re.compile(r"(?:اصيب|اصابه|جرح|جرحي|المصابين|الجرحي)\W*\s*$")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (DATASET.exists() and PAGES.exists()),
                       reason="../shared/data is not here"),
]


def _inputs() -> list[dict]:
    items = [{"id": f"snn{i}", "text": a["content"], "published": a["date_extracted"][:10]}
             for i, a in enumerate(conflict_articles(N_ARTICLES))]
    with open(PAGES, encoding="utf-8") as handle:
        for line in handle:
            page = json.loads(line)
            items.append({"id": page["id"], "text": page["text"], "published": None})
    return items


def _year_ok(value: str | None) -> bool:
    return all(1900 <= int(part[:4]) <= 2100 for part in (value or "").split("/") if part[:4].isdigit())


def _wounded_source(doc, event) -> bool:
    """Fatalities that only a wounded count in the evidence sentence could have given."""
    from marsad.text.normalize import normalize_key

    if event.fatalities is None or not event.evidence:
        return False
    first = event.evidence[0]
    sentence = next((s for s in doc.sentences if s.start <= first.start < s.end), None)
    lo, hi = (sentence.start, sentence.end) if sentence else (first.start, first.end)
    same = [q for q in doc.quantities if lo <= q.start < hi and q.value == event.fatalities]
    if not same:
        return False
    def wounded(q) -> bool:
        before = normalize_key(doc.text[max(lo, q.start - 20):q.start])
        return q.unit == "injured" or bool(_WOUNDED_BEFORE.search(before))
    return all(wounded(q) for q in same)


def check(item: dict) -> dict[str, list[str]]:
    """The violations of one input, by class, each as a short description."""
    import marsad

    found: dict[str, list[str]] = {name: [] for name in CLASSES}
    analysis = marsad.analyze(item["text"], published=item["published"])
    doc = analysis.document
    pub = dt.date.fromisoformat(item["published"]) if item["published"] else None
    where = item["id"]
    for t in doc.times:
        if t.value and "/" in t.value and t.value.split("/")[1] < t.value.split("/")[0]:
            found["inverted_range"].append(f"{where}: time {t.text!r} = {t.value}")
        if t.value and not _year_ok(t.value):
            found["times_year_outside"].append(f"{where}: time {t.text!r} = {t.value}")
    for e in doc.events:
        start, end = e.date.start, e.date.end
        if start and end and end < start:
            found["inverted_range"].append(f"{where}: event {e.id} {start}/{end}")
        if pub and end and end > pub.isoformat():
            found["after_publication"].append(f"{where}: event {e.id} ends {end} > {pub}")
        if not (_year_ok(start) and _year_ok(end)):
            found["year_out_of_range"].append(f"{where}: event {e.id} {start}/{end}")
        if e.fatalities is not None and e.fatalities >= 10_000:
            found["fatalities_10k"].append(f"{where}: event {e.id} fatalities {e.fatalities}")
        if _wounded_source(doc, e):
            found["fatalities_wounded"].append(f"{where}: event {e.id} fatalities {e.fatalities}")
    return found


@lru_cache(maxsize=1)
def violations() -> dict[str, list[str]]:
    total: dict[str, list[str]] = {name: [] for name in CLASSES}
    items = _inputs()
    with multiprocessing.get_context("fork").Pool(2) as pool:
        for found in pool.imap_unordered(check, items, chunksize=16):
            for name, items_found in found.items():
                total[name].extend(items_found)
    counts = ", ".join(f"{name} {len(total[name])}" for name in CLASSES)
    print(f"\ninvariants over {len(items)} inputs: {counts}")
    for name in CLASSES:
        for example in total[name][:5]:
            print(f"  {name}: {example}")
    return total


def _assert_none(name: str) -> None:
    found = violations()[name]
    assert not found, f"{len(found)} {name}: " + "; ".join(found[:5])


def test_no_event_dated_after_publication():
    _assert_none("after_publication")


def test_no_inverted_range():
    _assert_none("inverted_range")


def test_no_year_outside_1900_2100():
    _assert_none("year_out_of_range")


def test_no_fatalities_of_ten_thousand_or_more():
    _assert_none("fatalities_10k")


@pytest.mark.xfail(strict=True, reason="6 of 3,871 inputs: a background toll in a later "
                   "sentence ('قتل فيها العشرات' over a year of fighting) is merged into the "
                   "incident and, being smaller, becomes its figure; it equals the lead's wounded "
                   "count (issue 18, group 4, open); strict, so the fix is noticed")
def test_no_fatalities_taken_from_a_wounded_count():
    _assert_none("fatalities_wounded")
