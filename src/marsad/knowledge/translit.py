"""A plain romanisation for names no dictionary knows (the name_en fallback).

Arabic writes no short vowels, so a romanisation can only guess them. This one maps
letters (resources/text/translit.yaml), reads و and ي between letters as vowels, and
breaks the consonant clusters English readers stumble on with the likeliest vowel:
قحطان غانم العلي → "Qahtan Ghanim al-Ali".
"""

from __future__ import annotations

from functools import lru_cache

from marsad.resources import load_yaml

_VOWELS = set("aeiou")


@lru_cache(maxsize=1)
def _table() -> dict:
    return load_yaml("text/translit.yaml")


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


# --------------------------------------------------------------------------- sound keys


@lru_cache(maxsize=1)
def sound_table() -> dict:
    """The sound-key tables (resources/places/sounds.yaml)."""
    return load_yaml("places/sounds.yaml")


def _collapse(classes: str) -> str:
    out = []
    for char in classes:
        if not out or out[-1] != char:
            out.append(char)
    return "".join(out)


def arabic_sound_keys(name: str) -> list[str]:
    """Consonant classes of a normalised Arabic name: "ديبالتسيف" → ["DBLTSF"].

    A leading place noun ("ولايه فارياب") is left out, and so is each word's article,
    in a first key; a second keeps a leading ال that may be part of a foreign name
    ("المار", Almar)."""
    table = sound_table()
    words = name.split()
    if len(words) > 1 and words[0] in table["arabic_drop_words"]:
        words = words[1:]
    keys = [_arabic_classes([w[2:] if w.startswith("ال") and len(w) > 4 else w for w in words],
                            table)]
    if words and words[0].startswith("ال"):
        keys.append(_arabic_classes(words, table))
    return [k for k in dict.fromkeys(keys) if k]


def _arabic_classes(words: list[str], table: dict) -> str:
    letters, pairs = table["arabic"], table["arabic_pairs"]
    out = []
    for word in words:
        k = 0
        while k < len(word):
            pair = word[k:k + 2]
            if pair in pairs:
                out.append(pairs[pair])
                k += 2
                continue
            out.append(letters.get(word[k], ""))
            k += 1
    return _collapse("".join(out))


def latin_sound_keys(name: str) -> list[str]:
    """Consonant classes of a Latin place name: "Debaltseve" → ["DBLTSF"].

    Words naming the kind of place and the Arabic article ("Al ", "Ash-") are left out;
    a second key drops the t of a construct "-at" inside the name ("Huwayjat Saqr")."""
    import unicodedata

    table = sound_table()
    keys = []
    turkish = name.lower()
    for char, folded in table["latin_fold"].items():
        turkish = turkish.replace(char, folded)
    # Ş, Ḩ … are Turkish letters, or in GeoNames' Arabic romanisation ص and ح: try both
    for text in dict.fromkeys((turkish, name.lower())):
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        drop = set(table["latin_drop_words"]) | set(table["latin_articles"])
        words = [w.strip("'`") for w in text.replace("-", " ").split()]
        words = [w for w in words if w and w not in drop]
        keys.append(_latin_classes(words, table))
        if len(words) > 1 and any(w.endswith("at") for w in words[:-1]):
            keys.append(_latin_classes([w[:-1] if w.endswith("at") else w for w in words[:-1]]
                                       + words[-1:], table))
    return [k for k in dict.fromkeys(keys) if k]


def _latin_classes(words: list[str], table: dict) -> str:
    groups = sorted(table["latin_groups"].items(), key=lambda kv: -len(kv[0]))
    letters = table["latin"]
    out = []
    for word in words:
        k = 0
        while k < len(word):
            for group, cls in groups:
                if word.startswith(group, k):
                    out.append(cls)
                    k += len(group)
                    break
            else:
                out.append(letters.get(word[k], ""))
                k += 1
    return _collapse("".join(out))
