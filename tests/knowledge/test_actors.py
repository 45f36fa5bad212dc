"""The curated actor dictionary and its clitic-aware matcher."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from marsad.document import Document
from marsad.knowledge.actors import (
    ACLED_CATEGORIES,
    ActorDictionary,
    default_actor_dictionary,
)
from marsad.resources import resource_path
from marsad.text.normalize import build_shadow, document_text

EXAMPLE = Path(__file__).resolve().parents[3] / "shared" / "examples" / "albukamal.txt"
ACTOR_DIR = resource_path("actors")
PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")


def make_doc(raw: str) -> Document:
    text = document_text(raw)
    doc = Document(text=text)
    doc.shadow = build_shadow(text)
    return doc


@pytest.fixture(scope="module")
def actors() -> ActorDictionary:
    return ActorDictionary.load()


@pytest.fixture(scope="module")
def example() -> Document:
    if not EXAMPLE.exists():
        pytest.skip("the shared example article is not available")
    return make_doc(EXAMPLE.read_text(encoding="utf-8"))


def surfaces(doc: Document, spans, key: str) -> list[str]:
    return [doc.text[c.start:c.end] for c in spans if c.key == key]


# ---------------------------------------------------------------- the shipped data

def test_at_least_400_actors_with_valid_categories(actors):
    assert len(actors) >= 400
    for actor in actors:
        assert actor.category in ACLED_CATEGORIES, actor.id
        assert actor.type in ("ORG", "PERSON"), actor.id
        assert actor.country is None or re.fullmatch(r"[A-Z]{2}", actor.country), actor.id
    categories = {a.category for a in actors}
    assert {"State forces", "Rebel groups", "Political militias", "Identity militias",
            "External/Other forces"} <= categories
    assert sum(a.type == "PERSON" for a in actors) >= 50


def test_shipped_files_are_nfc_without_presentation_forms():
    files = sorted(ACTOR_DIR.glob("*.yaml"))
    assert len(files) >= 10
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert unicodedata.is_normalized("NFC", text), path.name
        assert not PRESENTATION_FORMS.search(text), path.name
        assert "curated by the marsad developers" in text, path.name


def test_shipped_ids_unique_and_names_arabic():
    seen: dict[str, str] = {}
    for path in sorted(ACTOR_DIR.glob("*.yaml")):
        for document in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            for entry in (document or {}).get("actors") or []:
                assert entry["id"] not in seen, f"{entry['id']} in {path.name} and {seen.get(entry['id'])}"
                seen[entry["id"]] = path.name
                for form in [entry["name"], *entry.get("aliases", []), *entry.get("short_forms", [])]:
                    assert not re.search("[A-Za-z]", form), (entry["id"], form)


def test_key_actors_present(actors):
    for actor_id, category in [("isis", "Rebel groups"), ("sy_observatory", "External/Other forces"),
                               ("sy_military", "State forces"), ("lb_hezbollah", "Political militias"),
                               ("ria_novosti", "External/Other forces"), ("ru_military", "State forces"),
                               ("iq_pmf", "State forces"), ("global_coalition", "External/Other forces"),
                               ("arab_coalition", "External/Other forces"), ("ocha", "External/Other forces"),
                               ("bashar_al_assad", "State forces"), ("khalifa_haftar", "State forces")]:
        assert actors.get(actor_id).category == category
    assert actors.get("ru_military").country == "RU"
    assert actors.get("isis").country is None
    assert actors.get("hassan_nasrallah").type == "PERSON"
    assert "التنظيم" in actors.get("isis").short_forms
    with pytest.raises(KeyError, match="no actor"):
        actors.get("no_such_actor")


def test_nationalities_cover_40_countries(actors):
    countries = {n.country for n in actors.nationalities}
    assert len(countries) >= 40
    for nat in actors.nationalities:
        assert actors.get(nat.actor).category == "State forces", nat.country
    assert actors.nationality_of("الروسية").actor == "ru_military"
    assert actors.nationality_of("الأتراك").country == "TR"
    assert "طائرات" in actors.military_nouns


def test_short_form_index(actors):
    index = actors.short_form_index()
    assert "isis" in index["التنظيم"]
    assert index["المرصد"] == ("sy_observatory",)
    assert "sy_military" in index["النظام"]


# ---------------------------------------------------------------- the example article

def test_example_finds_isis(actors, example):
    found = actors.find(example)
    isis = surfaces(example, found, "isis")
    assert isis.count("داعش") >= 4
    assert "تنظيم داعش" in isis
    for cand in found:
        assert cand.source == "dictionary"
        assert cand.type == actors.get(cand.key).type


def test_example_finds_observatory_regime_and_hezbollah(actors, example):
    found = actors.find(example)
    assert surfaces(example, found, "sy_observatory") == ["المرصد السوري"]
    regime = surfaces(example, found, "sy_military")
    assert regime.count("قوات النظام السوري") == 3
    assert "الجيش السوري" in regime
    assert "النظام السوري" in regime
    hezbollah = surfaces(example, found, "lb_hezbollah")
    assert "حزب_الله" in hezbollah  # written #حزب_الله: the hashtag mark stays outside
    assert "حزب الله اللبناني" in hezbollah


def test_example_finds_novosti_and_no_country_actor(actors, example):
    found = actors.find(example)
    assert surfaces(example, found, "ria_novosti") == ["نوفوستي"]
    assert actors.get("ria_novosti").kind == "media"
    assert all(example.text[c.start:c.end] not in ("روسيا", "إيران", "سوريا") for c in found)


def test_example_spans_map_to_the_text(actors, example):
    for cand in actors.find(example) + actors.find_nationalities(example):
        span = example.text[cand.start:cand.end]
        assert span == span.strip()
        assert cand.start == 0 or not example.text[cand.start - 1].isalpha() or span.startswith("ل")


def test_example_nationalities(actors, example):
    found = actors.find_nationalities(example)
    assert {c.key for c in found} == {"ru_military"}
    assert all(c.source == "nationality" and c.type == "ORG" for c in found)
    context = {example.text[c.start - 20:c.end]: example.text[c.start:c.end] for c in found}
    adjectives = list(context.values())
    assert "روسي" in adjectives  # قصف روسي
    assert "الروسية" in adjectives  # المجموعة العسكرية الروسية
    assert "روسية" in adjectives  # طائرات يُعتقد أنها روسية
    # لوكالة "نوفوستي" الروسية: a news agency is no military noun
    assert not any("نوفوستي" in key for key in context)
    # الفصائل الإيرانية: Iran-backed factions are not Iran's army
    assert "ir_military" not in {c.key for c in found}


def test_example_short_forms(actors, example):
    found = actors.find_short_forms(example, ["isis", "sy_observatory", "sy_military"])
    assert {c.key for c in found} == {"isis", "sy_observatory", "sy_military"}
    assert "المرصد" in surfaces(example, found, "sy_observatory")
    assert "قوات النظام" in surfaces(example, found, "sy_military")
    # never inside a full name
    names = [(c.start, c.end) for c in actors.find(example)]
    assert not any(s < c.end and c.start < e for c in found for s, e in names)


# ---------------------------------------------------------------- clitics and boundaries

@pytest.mark.parametrize(("raw", "surface", "key"), [
    ("قال للمرصد السوري مصدر", "لمرصد السوري", "sy_observatory"),
    ("وللمرصد السوري رأي", "لمرصد السوري", "sy_observatory"),
    ("هجوم لداعش على القرية", "داعش", "isis"),
    ("وبداعش ضاقت الأرض", "داعش", "isis"),
    ("فالحوثيون يقولون", "الحوثيون", "ye_houthis"),
    ("وحزب الله يرد", "حزب الله", "lb_hezbollah"),
    ("كالحشد الشعبي تماما", "الحشد الشعبي", "iq_pmf"),
    ("نقلا عن رويترز.", "رويترز", "reuters"),
    ("أعلنت #قوات_سوريا_الديمقراطية", "قوات_سوريا_الديمقراطية", "sy_sdf"),
    ("قصفت قوات  النظام   السوري القرية", "قوات  النظام   السوري", "sy_military"),
    ("أعلنت الدّولة الإسلاميّة مسؤوليتها", "الدّولة الإسلاميّة", "isis"),
])
def test_proclitics_stay_outside_the_span(actors, raw, surface, key):
    doc = make_doc(raw)
    found = actors.find(doc)
    assert [(doc.text[c.start:c.end], c.key) for c in found] == [(surface, key)]


@pytest.mark.parametrize("raw", [
    "الداعشيون هنا",  # a derived word, not the name
    "مداعش",  # a letter before the name
    "تنظيم الدولة التركية",  # a blocker: organising the Turkish state
    "يجب إعادة تنظيم الدولة",
    "أعلن مجلس الأمن القومي الإيراني",  # a blocker keeps the UN Security Council out
    "انتقد السياسة الخارجية المصرية",
    "حزب\nالله",  # a line break is no space inside a name
])
def test_no_match_off_word_boundaries(actors, raw):
    doc = make_doc(raw)
    hits = [(doc.text[c.start:c.end], c.key) for c in actors.find(doc)]
    assert not [h for h in hits if h[1] in ("isis", "un_security_council", "eg_government",
                                              "lb_hezbollah")]


def test_longest_match_wins(actors):
    doc = make_doc("هاجمت كتائب حزب الله مواقع المرصد السوري لحقوق الإنسان")
    found = [(doc.text[c.start:c.end], c.key) for c in actors.find(doc)]
    assert found == [("كتائب حزب الله", "iq_kataib_hezbollah"),
                     ("المرصد السوري لحقوق الإنسان", "sy_observatory")]


def test_nationality_after_nouns_only(actors):
    doc = make_doc("شنت طائرات حربية إسرائيلية غارات. وقالت الصحف الروسية. ودورية روسية تركية "
                   "وقوات سورية الديمقراطية. وقتل جنود أتراك")
    found = [(doc.text[c.start:c.end], c.key) for c in actors.find_nationalities(doc)]
    assert ("إسرائيلية", "il_military") in found
    assert ("روسية", "ru_military") in found and ("تركية", "tr_military") in found
    assert ("أتراك", "tr_military") in found
    assert all(text != "الروسية" for text, _ in found)  # الصحف is not a military noun
    assert all(key != "sy_military" for _, key in found)  # inside the SDF's name


def test_find_without_shadow_builds_one(actors):
    doc = Document(text="أعلن تنظيم داعش")
    assert [doc.text[c.start:c.end] for c in actors.find(doc)] == ["تنظيم داعش"]


# ---------------------------------------------------------------- user files

USER_FILE = """\
# my own actors
defaults: {country: SY, type: ORG, category: Identity militias, kind: militia}
actors:
  - id: my_tribal_force
    name: قوات عشيرة البوخير
    name_en: Al-Bukhair tribal force
    aliases: [مقاتلو عشيرة البوخير]
    short_forms: [العشيرة]
  - {id: isis, name: تنظيم الدولة الإسلامية, name_en: IS (my spelling), category: Rebel groups,
     country: null, kind: armed_group, aliases: [داعش]}
"""


def test_user_extension_file_loads_and_matches(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(USER_FILE, encoding="utf-8")
    actors = ActorDictionary.load(extra_paths=[path])
    assert actors.get("my_tribal_force").category == "Identity militias"
    assert actors.get("isis").name_en == "IS (my spelling)"  # a later file overrides
    doc = make_doc("هاجم مقاتلو عشيرة البوخير مواقع لداعش")
    found = [(doc.text[c.start:c.end], c.key) for c in actors.find(doc)]
    assert found == [("مقاتلو عشيرة البوخير", "my_tribal_force"), ("داعش", "isis")]
    assert "my_tribal_force" in actors.short_form_index()["العشيره"]


def test_env_var_adds_files(tmp_path, monkeypatch):
    folder = tmp_path / "extra"
    folder.mkdir()
    (folder / "mine.yaml").write_text(USER_FILE, encoding="utf-8")
    monkeypatch.setenv("MARSAD_ACTORS_PATH", str(folder))
    actors = ActorDictionary.load()
    assert "my_tribal_force" in actors
    monkeypatch.setenv("MARSAD_ACTORS_PATH", str(tmp_path / "missing.yaml"))
    with pytest.raises(FileNotFoundError, match="missing.yaml"):
        ActorDictionary.load()


@pytest.mark.parametrize(("content", "message"), [
    ("actors:\n  - {id: x1, name: قوة, type: ORG, category: Terrorists}\n", "category must be one of"),
    ("actors:\n  - {id: Bad-Id, name: قوة ما, type: ORG, category: Rebel groups}\n", "lowercase slug"),
    ("actors:\n  - {id: x2, type: ORG, category: Rebel groups}\n", "missing required fields"),
    ("actors:\n  - {id: x3, name: قوة ما, type: ORG, category: Rebel groups, colour: red}\n",
     "unknown fields"),
    ("actors:\n  - {id: x4, name: قوة ما, type: ORG, category: Rebel groups, country: Syria}\n",
     "ISO 3166"),
    ("actors:\n  - {id: x5, name: \"\ufefb\u0645\u0646\", type: ORG, category: Rebel groups}\n",
     "presentation forms"),
    ("actors:\n  - {id: x6, name: قوة ما, type: ORG, category: Rebel groups, aliases: [داعش]}\n",
     "already an alias of actor 'isis'"),
    ("actors: {id: x7}\n", "must be a list"),
    ("actors:\n  - {id: x8, name: [قوة\n", "not a readable YAML file"),
    ("nationalities:\n  - {country: XX, actor: nobody, forms: [مريخي]}\n", "unknown actor 'nobody'"),
    ("colours: [red]\n", "unknown top-level keys"),
])
def test_malformed_files_raise_naming_the_file(tmp_path, content, message):
    path = tmp_path / "broken.yaml"
    path.write_text(content, encoding="utf-8")
    shipped = "already an alias" in message  # the conflict is with a shipped actor
    with pytest.raises(ValueError, match=re.escape(message)) as info:
        ActorDictionary.load(extra_paths=[path], include_shipped=shipped)
    assert "broken.yaml" in str(info.value)


def test_malformed_entry_is_named(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("actors:\n  - {id: good_one, name: قوة ما, type: ORG, category: Rebel groups}\n"
                    "  - {id: bad_one, name: قوة أخرى, type: GROUP, category: Rebel groups}\n",
                    encoding="utf-8")
    with pytest.raises(ValueError, match=r"actor #2 \('bad_one'\): type must be one of"):
        ActorDictionary.load(extra_paths=[path], include_shipped=False)


def test_default_dictionary_is_cached():
    assert default_actor_dictionary() is default_actor_dictionary()
    assert len(default_actor_dictionary()) >= 400


def test_military_noun_with_proclitics_found_without_trying_every_noun():
    from marsad.knowledge.actors import _has_clitic_form

    nouns = frozenset({"القوات", "قصف", "احتلال"})
    assert _has_clitic_form("القوات", nouns)
    assert _has_clitic_form("للقوات", nouns)  # ل + القوات written لل
    assert _has_clitic_form("وبقصف", nouns)
    assert not _has_clitic_form("لحتلال", nouns)  # لل only stands for ل + ال
    assert not _has_clitic_form("قوات", nouns)
    assert not _has_clitic_form("مقصف", nouns)


@given(st.text(alphabet="بك ال\n\t\u00a0.x", max_size=40))
def test_compact_text_keeps_every_word_and_one_blank_per_run(text):
    """Each whitespace run becomes one character, a line break if the run holds one, at
    the run's first position; every other character keeps its own position."""
    from marsad.knowledge.actors import _Compact

    compact = _Compact.of(SimpleNamespace(text=text))
    assert len(compact.to_shadow) == len(compact.text) + 1
    assert compact.to_shadow[-1] == len(text)
    runs = {m.start(): m.group() for m in re.finditer(r"\s+", text)}
    for char, at in zip(compact.text, compact.to_shadow, strict=False):
        if at in runs:
            assert char == ("\n" if "\n" in runs[at] else " ")
        else:
            assert char == text[at] and not char.isspace()
    assert re.sub(r"\s+", "", compact.text) == re.sub(r"\s+", "", text)
