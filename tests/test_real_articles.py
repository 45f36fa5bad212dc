"""The pipeline on 200 real SaudiNewsNet articles about the wars: no error, valid output.

SaudiNewsNet (CC BY-NC-SA 4.0) is read from ../shared at test time, never copied.
"""

from __future__ import annotations

import json
import re
import zipfile

import pytest

import marsad
from marsad.contract import validate

from .conftest import SHARED

DATASET = SHARED / "data" / "saudinewsnet" / "dataset"
CONFLICT = re.compile(
    r"اليمن|الحوثي|عدن|صنعاء|تعز|سوريا|سورية|الأسد|حلب|دمشق|العراق|الموصل|بغداد|داعش|ليبيا|"
    r"بنغازي|غارة|قصف|مقتل|التحالف")


def conflict_articles(limit: int = 200) -> list[dict]:
    articles = []
    for archive in sorted(DATASET.glob("*.zip")):
        with zipfile.ZipFile(archive) as zf:
            for name in zf.namelist():
                for item in json.loads(zf.read(name)):
                    if CONFLICT.search(item.get("title") or "") and (item.get("content") or "").strip():
                        articles.append(item)
                        if len(articles) >= limit:
                            return articles
    return articles


@pytest.mark.skipif(not DATASET.exists(), reason="../shared/data/saudinewsnet is not here")
def test_two_hundred_conflict_articles(capsys):
    articles = conflict_articles()
    assert len(articles) == 200
    totals = {"entities": 0, "events": 0, "claims": 0, "contradictions": 0}
    for item in articles:
        published = (item.get("date_extracted") or "")[:10] or None
        analysis = marsad.analyze(item["content"], published=published, source=item["source"],
                                  title=item["title"], url=item["url"])
        data = analysis.to_dict()
        validate(data)
        text = data["document"]["text"]
        for entity in data["entities"]:
            for m in entity["mentions"]:
                assert text[m["start"]:m["end"]] == m["text"]
        for claim in data["claims"]:
            assert text[claim["content"]["start"]:claim["content"]["end"]] == claim["content"]["text"]
        for key in totals:
            totals[key] += len(data[key])
    with capsys.disabled():
        print(f"\n200 SaudiNewsNet conflict articles: {totals['entities']} entities, "
              f"{totals['events']} events, {totals['claims']} claims, "
              f"{totals['contradictions']} contradictions")
    assert totals["events"] > 100 and totals["claims"] > 200
