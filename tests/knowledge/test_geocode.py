"""The geocoder: ranking a document's place names against the gazetteer."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from marsad.document import Document, Place
from marsad.knowledge.gazetteer import Candidate, MemoryGazetteer, default_gazetteer, find_places
from marsad.knowledge.geocode import Geocoder, Weights, resolve_places
from marsad.text.normalize import build_shadow, document_text
from marsad.text.sentences import split_sentences

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "albukamal.txt"


def make_doc(raw: str, sentences: bool = False) -> Document:
    text = document_text(raw)
    doc = Document(text=text)
    doc.shadow = build_shadow(text)
    if sentences:
        doc.paragraphs, doc.sentences = split_sentences(doc.shadow)
    return doc


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(a))


@pytest.fixture(scope="session")
def geocoder() -> Geocoder:
    return Geocoder(default_gazetteer())


@pytest.fixture(scope="session", params=[False, True], ids=["shadow-only", "with-sentences"])
def example_places(request, geocoder) -> dict[str, Place | None]:
    doc = make_doc(EXAMPLE.read_text(encoding="utf-8"), sentences=request.param)
    return geocoder.resolve(doc)


# ---- the example article


def test_albukamal_is_the_syrian_border_town(example_places):
    place = example_places["البوكمال"]
    assert place is not None and place.country_code == "SY"
    assert place.kind == "populated_place"
    assert km(place.lat, place.lon, 34.45, 40.92) < 25
    assert place.admin1 and "Deir ez-Zor" in place.admin1
    assert place.confidence > 0.9


def test_deir_ez_zor_is_in_syria(example_places):
    (key,) = [k for k in example_places if "دير الزور" in k]
    place = example_places[key]
    assert place is not None and place.country_code == "SY"
    assert place.kind in ("admin1", "populated_place")


def test_countries_of_the_example(example_places):
    for key, code in [("سوريا", "SY"), ("العراق", "IQ"), ("روسيا", "RU"), ("ايران", "IR")]:
        place = example_places[key]
        assert place is not None and place.kind == "country" and place.country_code == code
        assert 0.0 <= place.confidence <= 1.0


def test_confidences_are_probabilities(example_places):
    assert all(p is None or 0.0 <= p.confidence <= 1.0 for p in example_places.values())


def test_unknown_place_is_none_and_keys_may_come_alone(geocoder):
    doc = make_doc(EXAMPLE.read_text(encoding="utf-8"))
    places = geocoder.resolve(doc, ["السكرية", "البو كمال", "البوكمال"])
    assert places["السكرية"] is None
    assert places["البو كمال"] is not None and places["البو كمال"].country_code == "SY"
    assert places["البوكمال"].geonames_id == places["البو كمال"].geonames_id


def test_mentions_with_spans_and_the_convenience_function():
    doc = make_doc(EXAMPLE.read_text(encoding="utf-8"))
    spans = [(s.start, s.end) for s in find_places(doc) if s.key == "البوكمال"]
    places = resolve_places(doc, [("البوكمال", spans), ("سوريا", [])])
    assert places["البوكمال"].country_code == "SY"
    assert places["سوريا"].kind == "country"


def test_explain_lists_options_and_no_match(geocoder):
    doc = make_doc("قصف على مدينة البوكمال في سوريا")
    explained = geocoder.explain(doc)
    resolution = explained["البوكمال"]
    assert resolution.candidate is not None and resolution.candidate.geonames_id == 174448
    total = sum(p for _, p in resolution.ranked) + resolution.no_match
    assert abs(total - 1.0) < 1e-9


# ---- ranking logic on a hand-made gazetteer


def town(gid: int, name_en: str, cc: str, admin1_code: str, pop: int, lat=35.0, lon=40.0,
         kind="populated_place", feature="PPL") -> Candidate:
    return Candidate(gid, name_en, name_en, lat, lon, cc, admin1_code, kind, pop, feature,
                     admin1_code)


@pytest.fixture()
def fake() -> MemoryGazetteer:
    return MemoryGazetteer({
        # two Syrian villages of one name: a small one in Deir ez-Zor, a big one in Aleppo
        "المريعية": [town(1, "Muriiyah (Deir ez-Zor)", "SY", "SY.07", 500),
                     town(2, "Muriiyah (Aleppo)", "SY", "SY.09", 200000)],
        "محافظة دير الزور": [town(3, "Deir ez-Zor Governorate", "SY", "SY.07", 0,
                                  kind="admin1", feature="ADM1")],
        # Tripoli: the Libyan capital is bigger than the Lebanese city
        "طرابلس": [town(4, "Tripoli (LB)", "LB", "LB.03", 229398, 34.4, 35.8),
                   town(5, "Tripoli (LY)", "LY", "LY.77", 1302947, 32.9, 13.2, feature="PPLC")],
        "لبنان": [town(6, "Lebanon", "LB", None, 6800000, kind="country", feature="PCLI")],
        "بيروت": [town(7, "Beirut", "LB", "LB.04", 1916100, feature="PPLC")],
        # a hamlet abroad that only collides with an ordinary word
        "الصبيحة": [town(8, "Sbiha", "TN", "TN.15", 0)],
    })


def test_admin_context_beats_population(fake):
    doc = make_doc("قصفت الطائرات قرية المريعية بمحافظة دير الزور")
    place = Geocoder(fake).resolve(doc, ["المريعية", "محافظة دير الزور"])["المريعية"]
    assert place is not None and place.geonames_id == 1


def test_without_admin_context_population_wins(fake):
    doc = make_doc("قصفت الطائرات قرية المريعية")
    assert Geocoder(fake).resolve(doc, ["المريعية"])["المريعية"].geonames_id == 2


def test_focus_country_beats_a_bigger_foreign_namesake(fake):
    doc = make_doc("اشتباكات في طرابلس شمال لبنان بعد توتر في بيروت. وقال مسؤول في لبنان إن الوضع هادئ")
    place = Geocoder(fake).resolve(doc)["طرابلس"]  # no mentions given: all names found
    assert place is not None and place.country_code == "LB"


def test_without_focus_the_bigger_namesake_wins(fake):
    doc = make_doc("اشتباكات في طرابلس")
    assert Geocoder(fake).resolve(doc)["طرابلس"].country_code == "LY"


def test_explicit_no_match_for_a_stray_foreign_hamlet(fake):
    doc = make_doc("وصل الوفد إلى الصبيحة ثم إلى بيروت")
    places = Geocoder(fake).resolve(doc, ["الصبيحة", "بيروت"])
    assert places["الصبيحة"] is None
    assert places["بيروت"] is not None


def test_weights_are_exposed(fake):
    doc = make_doc("وصل الوفد إلى الصبيحة ثم إلى بيروت")
    generous = Geocoder(fake, weights=Weights(no_match=-5.0))
    assert generous.resolve(doc, ["الصبيحة", "بيروت"])["الصبيحة"] is not None
