"""Every bad shipped resource file ends in one ResourceFileError naming the file and,
where it is meaningful, the line (issue #13, item 5); the command line exits with 2."""

from __future__ import annotations

import pytest

import marsad.resources as res
from marsad import temporal
from marsad.errors import ResourceError, ResourceFileError
from marsad.extract import compare, contradictions, events
from marsad.extract.claims import lexicon
from marsad.knowledge import gazetteer_cache, gazetteer_core, link, persons, translit
from marsad.text import sentences, tokens

CACHED = (lexicon.cue_lexicon, events.event_cues, contradictions._cues, persons.person_cues,
          link.place_nouns, link._unit_words, translit._table, tokens.default_lexicon,
          sentences.abbreviations, gazetteer_core.stoplist, temporal.load_table)


def _clear() -> None:
    for loader in CACHED:
        loader.cache_clear()


@pytest.fixture
def broken(tmp_path, monkeypatch):
    """`broken(relative, text)` serves `text` (None: no file at all) in place of the
    shipped resource `relative`; the loaders' caches are cleared before and after."""
    shipped = res.resource_path
    replaced: dict[str, object] = {}

    def resource_path(relative: str):
        if relative in replaced:
            return replaced[relative]
        return shipped(relative)

    def serve(relative: str, text: str | None):
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if text is not None:
            path.write_text(text, encoding="utf-8")
        replaced[relative] = path
        return path

    monkeypatch.setattr(res, "resource_path", resource_path)
    _clear()
    yield serve
    monkeypatch.undo()
    _clear()


def _one_line(exc: BaseException) -> str:
    message = str(exc)
    assert "\n" not in message
    assert isinstance(exc, ResourceError)
    return message


def test_malformed_yaml_names_file_and_line(broken):
    path = broken("claims/cues.yaml", "# header\nverbs:\n  said: [قال\n  bad: : :\n")
    with pytest.raises(ResourceFileError) as info:
        lexicon.cue_lexicon()
    message = _one_line(info.value)
    assert f"{path}:" in message and "not a readable YAML file" in message
    assert info.value.line is not None and info.value.line >= 3


def test_list_where_a_mapping_is_expected(broken):
    path = broken("events/triggers.yaml", "# triggers\n\n- territory\n- control_state\n")
    with pytest.raises(ResourceFileError) as info:
        events.event_cues()
    message = _one_line(info.value)
    assert message.startswith(f"[M302] {path}:3: ")
    assert "expected a mapping at the top level, found a list" in message


def test_empty_file_where_a_mapping_is_expected(broken):
    path = broken("entities/person_cues.yaml", "# nothing here\n")
    with pytest.raises(ResourceFileError) as info:
        persons.person_cues()
    assert f"{path}: expected a mapping at the top level, found nothing" in _one_line(info.value)


def test_missing_required_key_names_file_and_line(broken):
    path = broken("contradictions/cues.yaml", "# cues\n\ncity_words: [مدينه]\n")
    with pytest.raises(ResourceFileError) as info:
        contradictions._cues()
    message = _one_line(info.value)
    assert f"{path}:3: missing required key 'back_reference'" in message
    assert isinstance(info.value, KeyError)  # what the loaders raised before


def test_missing_nested_key_names_the_mapping_line(broken):
    path = broken("entities/place_nouns.yaml", "# nouns\nnouns:\n  مدينة: city\nrelations: []\n")
    link.place_nouns()  # `locatives` is optional
    path = broken("entities/units.yaml", "# units\nnouns: [لواء]\nordinals: []\n")
    with pytest.raises(ResourceFileError) as info:
        link._unit_words()
    assert f"{path}:2: missing required key 'ordinal_tails'" in _one_line(info.value)


@pytest.mark.parametrize("relative, load", [
    ("temporal/months_gregorian.yaml", lambda: temporal.load_table("months_gregorian")),
    ("stance/words.yaml", compare._word_lists),
    ("text/translit.yaml", translit._table),
    ("text/abbreviations.txt", sentences.abbreviations),
    ("places/stoplist.txt", lambda: res.read_lines("places/stoplist.txt")),
    ("places/places.yaml", lambda: gazetteer_core._read_yaml("places/places.yaml")),
    ("lexicon/words.tsv", tokens.default_lexicon),
    ("places/weak.txt", gazetteer_cache._sources),  # the cache key hashes curated files
])
def test_missing_file(broken, relative, load):
    path = broken(relative, None)
    with pytest.raises(ResourceFileError) as info:
        load()
    assert _one_line(info.value) == f"[M302] {path}: missing file (reinstall marsad)"
    assert info.value.line is None


def test_curated_places_list_is_refused_and_empty_is_allowed(broken):
    path = broken("places/countries.yaml", "# countries\n- Syria\n")
    with pytest.raises(ResourceFileError) as info:
        gazetteer_core._read_yaml("places/countries.yaml")
    assert f"{path}:2: expected a mapping" in _one_line(info.value)
    broken("places/countries.yaml", "# empty on purpose\n")
    assert gazetteer_core._read_yaml("places/countries.yaml") == {}


def test_loaded_values_are_unchanged():
    """The helper gives back what yaml.safe_load gave, mappings as dicts."""
    import yaml

    root = res.resource_path(".")
    for path in sorted(root.glob("*/*.yaml")):
        if path.parent.name == "actors":  # user-style actor files: knowledge/actors.py
            continue
        expected = yaml.safe_load(path.read_text(encoding="utf-8"))
        loaded = res.load_yaml(str(path.relative_to(root)), expect=None)
        assert loaded == expected, path


def test_cli_exits_2_with_one_line_and_no_traceback(broken, tmp_path, capsys):
    from marsad.cli import main

    article = tmp_path / "article.txt"
    article.write_text("قال مصدر إن القوات دخلت مدينة البوكمال. وأضاف أن الاشتباكات مستمرة.",
                       encoding="utf-8")
    path = broken("text/abbreviations.txt", None)
    assert main(["analyze", str(article), "--format", "json"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert lines == [f"marsad: error: [M302] {path}: missing file (reinstall marsad)"]
