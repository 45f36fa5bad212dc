"""A plain romanisation for names no dictionary knows (name_en fallback)."""

from __future__ import annotations

from functools import lru_cache

import yaml

from marsad.resources import resource_path


@lru_cache(maxsize=1)
def _letters() -> dict[str, str]:
    with open(resource_path("text/translit.yaml"), encoding="utf-8") as handle:
        return yaml.safe_load(handle)["letters"]


def romanize(name: str) -> str:
    """'قحطان غانم العلي' → 'Qhtan Ghanm al-'ly': letters mapped, article hyphenated."""
    words = []
    for word in name.split():
        article = word.startswith("ال") and len(word) > 3
        body = word[2:] if article else word
        # a long vowel between consonants reads as a vowel, not a consonant
        out = []
        for k, char in enumerate(body):
            latin = _letters().get(char, "" if "\u064b" <= char <= "\u0652" else char)
            if char == "و" and 0 < k < len(body) - 1:
                latin = "u"
            elif char == "ي" and 0 < k < len(body) - 1:
                latin = "i"
            out.append(latin)
        romanised = "".join(out).strip("'") or body
        romanised = romanised[:1].upper() + romanised[1:]
        words.append(("al-" + romanised) if article else romanised)
    return " ".join(words)
