"""A plain romanisation for names no dictionary knows (the name_en fallback).

Arabic writes no short vowels, so a romanisation can only guess them. This one maps
letters (resources/text/translit.yaml), reads و and ي between letters as vowels, and
breaks the consonant clusters English readers stumble on with the likeliest vowel:
قحطان غانم العلي → "Qahtan Ghanim al-Ali".
"""

from __future__ import annotations

from functools import lru_cache

import yaml

from marsad.resources import resource_path

_VOWELS = set("aeiou")


@lru_cache(maxsize=1)
def _table() -> dict:
    with open(resource_path("text/translit.yaml"), encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _letters() -> dict[str, str]:
    return _table()["letters"]


def _units(body: str) -> list[str]:
    """One Latin unit per Arabic letter (digraphs such as "sh" stay one unit)."""
    letters = _letters()
    units = []
    for k, char in enumerate(body):
        if "\u064b" <= char <= "\u0652":
            continue  # a written vowel mark adds nothing we can spell reliably
        latin = letters.get(char, char)
        if char == "و" and 0 < k < len(body) - 1:
            latin = "u"
        elif char == "ي" and k > 0:
            latin = "i"  # medial or final ي after a letter is a vowel: العلي → Ali
        elif char == "و" and k == len(body) - 1 and k > 0:
            latin = "u"  # أبو → Abu
        elif char == "ع" and k == 0:
            latin = "a"
        units.append(latin)
    return [u for u in units if u]


def _is_vowel(unit: str) -> bool:
    return unit[0] in _VOWELS


def _word(body: str) -> str:
    units = _units(body)
    if len(units) >= 2 and not _is_vowel(units[0]) and not _is_vowel(units[1]):
        units.insert(1, "a")  # قحطان: Qhtan → Qahtan
    if len(units) >= 4 and not _is_vowel(units[-1]) and not _is_vowel(units[-2]) \
            and units[-2] != "'":
        units.insert(len(units) - 1, "i")  # غانم: Ghanm → Ghanim
    text = "".join(units).replace("'", "")
    return text[:1].upper() + text[1:] if text else body


def romanize(name: str) -> str:
    """'قحطان غانم العلي' → 'Qahtan Ghanim al-Ali'; the article is written 'al-'."""
    words = []
    fixed = _table().get("words", {})
    for word in name.split():
        if word in fixed:
            words.append(fixed[word])
        elif word.startswith("ال") and len(word) > 3:
            words.append("al-" + _word(word[2:]))
        else:
            words.append(_word(word))
    return " ".join(words)
