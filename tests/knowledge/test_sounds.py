"""Places known only by their Latin name, matched by sound (translit sound keys)."""

from __future__ import annotations

import pytest

import marsad
from marsad.knowledge.translit import arabic_sound_keys, latin_sound_keys


@pytest.mark.parametrize(("arabic", "latin"), [
    ("سيلوبي", "Silopi"),
    ("خاكريز", "Khākrēz"),
    ("تشيرنيهيف", "Chernihiv"),
    ("حويجه العبد", "Ḩuwayjat al ‘Abd"),
    ("ولايه بادغيس", "Bādghīs"),
])
def test_arabic_and_latin_forms_share_a_sound_key(arabic, latin):
    assert set(arabic_sound_keys(arabic)) & set(latin_sound_keys(latin))


def test_article_and_place_words_are_left_out():
    assert latin_sound_keys("Ash Shaykh Maskin") == latin_sound_keys("Shaykh Maskin")
    assert arabic_sound_keys("مديريه خاكريز") == arabic_sound_keys("خاكريز")


def places(text: str) -> dict[str, tuple[str, str | None]]:
    analysis = marsad.analyze(text, published="2021-06-01")
    return {e.name: (e.place.country_code, e.place.kind) for e in analysis.entities
            if e.type == "LOC" and e.place is not None}


def test_a_district_without_an_arabic_name_is_found_in_its_province():
    found = places("سيطرت حركة طالبان على مديرية خاكريز في ولاية قندهار جنوب أفغانستان.")
    assert found.get("خاكريز") == ("AF", "admin2")


def test_a_town_without_an_arabic_name_is_found_in_the_document_country():
    found = places("قصفت المدفعية التركية مواقع قرب بلدة سيلوبي في جنوب شرق تركيا.")
    assert found.get("سيلوبي", ("", ""))[0] == "TR"


def test_no_sound_match_outside_the_countries_of_the_document():
    found = places("قصفت المدفعية مواقع قرب بلدة سيلوبي في ريف حلب الشمالي في سوريا.")
    assert found.get("سيلوبي", ("SY", ""))[0] == "SY"  # tied to Aleppo at most, never Turkey
