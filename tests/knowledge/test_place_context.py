"""Places that are places: ordinary words, compound names, one entity per place."""

from __future__ import annotations

import marsad


def locs(text: str) -> dict[str, list[str]]:
    """LOC entity name → the texts of its mentions."""
    analysis = marsad.analyze(text, published="2020-03-01")
    return {e.name: [m.text for m in e.mentions] for e in analysis.entities if e.type == "LOC"}


def place_names(text: str) -> set[str | None]:
    analysis = marsad.analyze(text, published="2020-03-01")
    return {e.place.name_en for e in analysis.entities if e.type == "LOC" and e.place}


# ---- ordinary words are no places without context


def test_a_noun_with_nunation_is_no_place():
    found = locs("أشعل المحتجون ناراً في الإطارات وأغلقوا الطريق.")
    assert not any(name.startswith("نار") for name in found)


def test_a_glued_preposition_does_not_make_an_ordinary_word_a_place():
    found = locs("هاجم الرجل جاره بفأس بعد خلاف على قطعة أرض.")
    assert not any("فأس" in name or "فاس" in name for name in found)


def test_a_mid_sized_town_abroad_needs_context():
    assert "Albacete" not in place_names("وصف المتحدث الحل بأنه البسيط والممكن في هذه المرحلة.")


def test_a_hamlet_needs_context():
    # زبدة ("butter") is also a West Bank hamlet of a few hundred people
    assert "زبدة" not in locs("وضعت الأم زبدة وعسلا على الخبز صباحا.")
    assert "زبدة" in locs("داهمت القوات قرية زبدة جنوب جنين فجر اليوم.")


def test_context_still_makes_a_town_abroad_a_place():
    assert "Albacete" in place_names("وصل اللاعب إلى مدينة البسيط الإسبانية أمس.") or \
        "Albacete" in place_names("وصل اللاعب إلى البسيط أمس قادما من مدريد.")


def test_curated_places_need_no_context():
    assert "Sochi" in place_names("وتستضيف سوتشي مؤتمر الحوار السوري الأسبوع المقبل.")


# ---- compound names


def test_a_compound_name_is_not_its_first_word():
    assert "Dhahran" not in place_names("سقطت قذيفة أطلقها الحوثيون على ظهران الجنوب في عسير.")


def test_the_longer_known_name_wins():
    assert "Dhahran" in place_names("وصل الوفد إلى مدينة الظهران السعودية.")


# ---- one place, one entity


def test_two_spellings_of_one_place_are_one_entity():
    analysis = marsad.analyze("قصفت الطائرات مواقع في سوريا. وتشهد سورية حربا منذ سنوات.",
                              published="2020-03-01")
    syria = [e for e in analysis.entities if e.place and e.place.name_en == "Syria"]
    assert len(syria) == 1
    assert {m.text for m in syria[0].mentions} == {"سوريا", "سورية"}
    assert [e.id for e in analysis.entities] == [f"E{k}" for k in range(1, len(analysis.entities) + 1)]


# ---- descriptive actors and numbered units


def actors_of(text: str) -> dict[str, str | None]:
    analysis = marsad.analyze(text, published="2020-03-01")
    return {m.text: (e.actor.actor_id if e.actor else None)
            for e in analysis.entities if e.type == "ORG" for m in e.mentions}


def test_a_descriptive_actor_before_its_full_name_is_the_actor():
    found = actors_of("قصفت مقاتلات النظام بلدة معرة النعمان في ريف إدلب شمال سوريا.")
    assert found.get("مقاتلات النظام") == "sy_military"


def test_a_descriptive_actor_needs_its_country_in_the_document():
    assert "قوات النظام" not in actors_of("قالت قوات النظام إنها أحبطت هجوما.")


def test_numbered_units_are_organisations():
    found = actors_of("وتقدمت الفرقة 25 والفيلق الخامس نحو البلدة، بينما قال اللواء سمير عبد الله إن الهجوم فشل.")
    assert "الفرقة 25" in found and "الفيلق الخامس" in found
    assert not any(text.startswith("اللواء سمير") for text in found)
