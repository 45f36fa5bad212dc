"""Golden tests on the defining example (published 2017-11-13)."""

from __future__ import annotations

import math

import pytest

from marsad.text.normalize import normalize_key


def _entities_named(data, surface: str):
    key = normalize_key(surface)
    return [e for e in data["entities"]
            if any(normalize_key(m["text"]).replace("_", " ") == key for m in e["mentions"])]


def _one(data, surface: str, entity_type: str) -> dict:
    found = _entities_named(data, surface)
    assert found, f"no entity with a mention {surface!r}"
    types = {e["type"] for e in found}
    assert entity_type in types, f"{surface!r} has types {types}"
    return next(e for e in found if e["type"] == entity_type)


@pytest.mark.parametrize(("surface", "entity_type"), [
    ("داعش", "ORG"), ("تنظيم داعش", "ORG"), ("المرصد السوري", "ORG"),
    ("قوات النظام السوري", "ORG"), ("حزب الله", "ORG"), ("نوفوستي", "ORG"),
    ("قحطان غانم العلي", "PERSON"), ("البوكمال", "LOC"), ("دير الزور", "LOC"),
    ("سوريا", "LOC"), ("العراق", "LOC"), ("روسيا", "LOC"), ("إيران", "LOC"), ("السكرية", "LOC"),
])
def test_example_entities_have_the_right_type(example_contract, surface, entity_type):
    if surface == "نوفوستي":
        assert any("نوفوستي" in m["text"] for e in example_contract["entities"]
                   if e["type"] == "ORG" for m in e["mentions"])
    elif surface == "دير الزور":
        assert any("دير الزور" in m["text"] for e in example_contract["entities"]
                   if e["type"] == "LOC" for m in e["mentions"])
    else:
        _one(example_contract, surface, entity_type)


def test_hashtag_hezbollah_is_the_same_entity(example_contract):
    hezbollah = _one(example_contract, "حزب الله", "ORG")
    assert any(m["text"] == "حزب_الله" for m in hezbollah["mentions"])
    assert len(hezbollah["mentions"]) >= 2


def test_observatory_short_form_is_linked(example_contract):
    observatory = _one(example_contract, "المرصد السوري", "ORG")
    assert any(m["text"] == "المرصد" for m in observatory["mentions"])
    assert observatory["actor"]["category"] == "External/Other forces"


def test_isis_is_one_entity_with_its_short_forms(example_contract):
    isis = _one(example_contract, "داعش", "ORG")
    texts = {m["text"] for m in isis["mentions"]}
    assert {"داعش", "التنظيم"} <= texts
    assert isis["actor"]["category"] == "Rebel groups"


def test_albukamal_geocoded_within_25_km(example_contract):
    place = _one(example_contract, "البوكمال", "LOC")["place"]
    assert place is not None and place["country_code"] == "SY"
    assert _km(place["lat"], place["lon"], 34.45, 40.92) <= 25


def test_sukkariyah_is_tied_to_its_parent_town(example_contract):
    place = _one(example_contract, "السكرية", "LOC")["place"]
    assert place is not None and place["geonames_id"] is None and place["kind"] == "other"
    assert _km(place["lat"], place["lon"], 34.45, 40.92) <= 25


def test_no_entity_for_ordinary_words(example_contract):
    for word in ("المدينة", "الجمعة", "الأحد"):
        assert not _entities_named(example_contract, word), word


@pytest.mark.parametrize("surface", ["البوكمال", "سوريا", "العراق", "داعش", "قحطان غانم العلي"])
def test_each_name_has_one_type(example_contract, surface):
    # a tagger's odd reading of one mention ("على البوكمال" as the name علي) must not
    # leave a second entity of another type beside the right one
    assert len({e["type"] for e in _entities_named(example_contract, surface)}) == 1


def test_no_mention_opens_with_a_preposition(example_contract):
    for entity in example_contract["entities"]:
        for mention in entity["mentions"]:
            assert mention["text"].split()[0] not in ("على", "إلى", "في", "من", "عن"), mention


def test_weekdays_resolve_as_a_reader_would(example_contract):
    values = {}
    for t in example_contract["times"]:
        for day in ("الخميس", "الجمعة", "الأحد"):
            if t["text"].endswith(day) and not t["text"].startswith("منذ"):
                values.setdefault(day, set()).add(t["value"])
    assert values == {"الخميس": {"2017-11-09"}, "الجمعة": {"2017-11-10"}, "الأحد": {"2017-11-12"}}
    since = [t for t in example_contract["times"] if t["text"] == "منذ يوم الجمعة"]
    assert since and all(t["value"] == "2017-11-10/2017-11-13" for t in since)


def test_at_least_fifty_civilians(example_contract):
    q = [q for q in example_contract["quantities"] if "50" in q["text"]]
    assert len(q) == 1
    assert (q[0]["value"], q[0]["qualifier"], q[0]["unit"]) == (50, "at_least", "civilians")


def _events(data, sub_event: str, location: str | None = None):
    names = {e["id"]: e for e in data["entities"]}
    out = []
    for v in data["events"]:
        if v["sub_event_type"] != sub_event:
            continue
        loc = names.get(v["location"])
        if location and not (loc and any(normalize_key(m["text"]) == normalize_key(location)
                                         for m in loc["mentions"])):
            continue
        out.append(v)
    return out


def _actor_en(data, entity_id) -> str:
    entity = next((e for e in data["entities"] if e["id"] == entity_id), None)
    return (entity or {}).get("name_en") or ""


def test_event_isis_overtakes_albukamal(example_contract):
    events = _events(example_contract, "Non-state actor overtakes territory", "البوكمال")
    isis = [v for v in events if "ISIS" in _actor_en(example_contract, v["actor1"])]
    assert len(isis) == 1, "the retaking is told several times but is one event"
    event = isis[0]
    assert event["event_type"] == "Battles"
    assert "2017-11-10" <= event["date"]["start"] <= event["date"]["end"] <= "2017-11-12"
    assert len(event["evidence"]) >= 3
    assert event["claims"]


def test_event_russian_air_strike_kills_fifty_civilians(example_contract):
    strikes = [v for v in _events(example_contract, "Air/drone strike", "البوكمال")
               if v["fatalities"] == 50]
    assert len(strikes) == 1
    strike = strikes[0]
    assert strike["event_type"] == "Explosions/Remote violence"
    assert strike["civilian_targeting"] is True
    assert "Russia" in _actor_en(example_contract, strike["actor1"])
    assert strike["hedged"] is True


def test_event_strike_at_sukkariyah_kills_thirty(example_contract):
    events = (_events(example_contract, "Air/drone strike", "السكرية")
              + _events(example_contract, "Shelling/artillery/missile attack", "السكرية"))
    assert [v["fatalities"] for v in events] == [30]


def test_event_iran_backed_shelling_of_villages_east_of_the_city(example_contract):
    events = [v for v in _events(example_contract, "Shelling/artillery/missile attack")
              if "Iran" in _actor_en(example_contract, v["actor1"])]
    assert len(events) == 1
    assert events[0]["geo_precision"] == 2  # villages east of the city, not the city itself


def test_no_event_for_demining_or_the_denied_withdrawal(example_contract):
    text = example_contract["document"]["text"]
    evidence = [text[s["start"]:s["end"]] for v in example_contract["events"] for s in v["evidence"]]
    assert not any(w in e for e in evidence for w in ("الألغام", "العبوات", "انسحاب", "الانسحاب"))
    for v in example_contract["events"]:
        assert v["sub_event_type"] != "Non-violent transfer of territory"


def test_claims_speakers_and_stances(example_contract):
    claims = example_contract["claims"]
    assert len(claims) >= 12
    by_cue_start = {c["cue"]["start"]: c for c in claims}
    text = example_contract["document"]["text"]
    expect = [  # (cue as written, where it is, speaker words, stance)
        ("أعلن", "أعلن المرصد السوري", "المرصد السوري", "assert"),
        ("مؤكدة", "مؤكدة أن النظام", "روسيا", "deny"),
        ("قال", "قال قحطان", "قحطان غانم العلي", "assert"),
        ("نفى", "نفى قائد", "قائد المجموعة العسكرية الروسية", "deny"),
        ("وقال", "وقال المسؤول العسكري الروسي", "المسؤول العسكري الروسي", "deny"),
        ("وقال", "وقال المرصد وسكان", "المرصد", "assert"),
    ]
    for cue, context, speaker, stance in expect:
        at = text.index(context) + context.index(cue)
        claim = by_cue_start.get(at)
        assert claim is not None, context
        assert speaker in (claim["speaker_text"] or ""), (context, claim["speaker_text"])
        assert claim["stance"] == stance, context


def test_the_contradiction_between_the_observatory_and_russia(example_contract):
    names = {e["id"]: e for e in example_contract["entities"]}
    claims = {c["id"]: c for c in example_contract["claims"]}
    denials = [x for x in example_contract["contradictions"] if x["kind"] == "denial"]

    def speaker(cid):
        claim = claims[cid]
        entity = names.get(claim["speaker"]) or {}
        return (entity.get("name_en") or "") + " " + (claim["speaker_text"] or "")

    pairs = [(speaker(a), speaker(b), claims[a], claims[b]) for a, b in (x["claims"] for x in denials)]
    assert any("Observatory" in sa and "Russia" in sb and cb["stance"] == "deny"
               and "داعش" in ca["content"]["text"] for sa, sb, ca, cb in pairs)
    for x in denials:
        assert x["explanation"].endswith(".") and len(x["explanation"].split()) > 5


def _km(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(a))
