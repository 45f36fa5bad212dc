"""Gazetteer basics: marsad's place `Candidate`, the `Gazetteer` protocol, an in-memory
gazetteer, the curated word lists, and the normalised keys names are indexed under.

Looking names up is kept apart from choosing among the candidates (that is
`marsad.knowledge.geocode`): a gazetteer answers `lookup(key) -> list[Candidate]` with
marsad's own `Candidate`, never a package's raw record, and anything with `lookup` and
`keys` (such as `MemoryGazetteer`) can stand in for the real one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal, Protocol, runtime_checkable

from marsad.document import Place
from marsad.resources import load_yaml, read_lines
from marsad.text.normalize import is_arabic_letter, normalize_key

PlaceKind = Literal["country", "admin1", "admin2", "populated_place", "other"]

# Letters a kept Arabic name may contain: the Arabic alphabet, its vowel marks, ٱ and ڤ.
# Anything else (ی ک گ پ چ ژ ۀ ہ ے ھ ێ ڵ ۆ ە ڕ …) marks a Persian, Urdu, Kurdish or Pashto
# form, which the shadow normalisation would otherwise fold into a false Arabic key.
_ALLOWED_CHARS = (
    {chr(c) for c in range(0x0621, 0x063B)}
    | {chr(c) for c in range(0x0641, 0x0653)}
    | {"\u0670", "ٱ", "ڤ", " ", "-"}
)
_FORMAT_CHARS = dict.fromkeys(map(ord, "\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\ufeff\u0640"))
_HAS_ARABIC = re.compile(r"[\u0600-\u06FF]")
_MIN_KEY_LETTERS = 3
_MIN_BARE_LETTERS = 4  # an ال-less variant must keep at least this many letters


# --------------------------------------------------------------------------- candidates


@dataclass(frozen=True, slots=True)
class Candidate:
    """One place a gazetteer key may refer to."""

    geonames_id: int | None
    name: str  # Arabic display name
    name_en: str
    lat: float
    lon: float
    country_code: str
    admin1: str | None  # English name of the first-level area it lies in (or is)
    kind: PlaceKind
    population: int = 0
    feature_code: str = ""
    admin1_code: str | None = None  # GeoNames admin1 code, e.g. "SY.07"

    def to_place(self, confidence: float) -> Place:
        """marsad's `Place` for this candidate, with the given confidence."""
        return Place(
            geonames_id=self.geonames_id,
            name_en=self.name_en,
            lat=self.lat,
            lon=self.lon,
            country_code=self.country_code,
            admin1=self.admin1,
            kind=self.kind,
            confidence=max(0.0, min(1.0, float(confidence))),
        )

    def _row(self) -> list[Any]:
        return [self.geonames_id, self.name, self.name_en, self.lat, self.lon, self.country_code,
                self.admin1, self.kind, self.population, self.feature_code, self.admin1_code]

    @classmethod
    def _from_row(cls, row: list[Any]) -> Candidate:
        return cls(*row)


@runtime_checkable
class Gazetteer(Protocol):
    """What the span finder and the geocoder need from a gazetteer."""

    def lookup(self, key: str) -> list[Candidate]:
        """Candidates for a (normalised) name; [] when the name is unknown."""
        ...

    def keys(self) -> Iterable[str]:
        """Every normalised name the gazetteer knows."""
        ...


class MemoryGazetteer:
    """A gazetteer held in a dict; keys are normalised on the way in and on lookup."""

    def __init__(self, entries: Mapping[str, Iterable[Candidate]] | None = None):
        self._index: dict[str, list[Candidate]] = {}
        for name, candidates in (entries or {}).items():
            self.add(name, candidates)

    def add(self, name: str, candidates: Iterable[Candidate]) -> None:
        bucket = self._index.setdefault(normalize_key(name), [])
        for candidate in candidates:
            if candidate not in bucket:
                bucket.append(candidate)

    def lookup(self, key: str) -> list[Candidate]:
        found = self._index.get(key)
        if found is None:
            found = self._index.get(normalize_key(key), [])
        return list(found)

    def keys(self) -> Iterator[str]:
        return iter(self._index)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and bool(self.lookup(key))

    def __len__(self) -> int:
        return len(self._index)


# --------------------------------------------------------------------------- curated data


@lru_cache(maxsize=1)
def stoplist() -> frozenset[str]:
    """Normalised ordinary words that are also place names; never matched as places."""
    return frozenset(normalize_key(line) for line in read_lines("places/stoplist.txt"))


@lru_cache(maxsize=1)
def weak_keys() -> frozenset[str]:
    """Normalised place names that are often ordinary words; matched with a lower score."""
    return frozenset(normalize_key(line) for line in read_lines("places/weak.txt"))


def _read_yaml(relative: str) -> dict[str, Any]:
    return load_yaml(relative, empty={})


# --------------------------------------------------------------------------- keys


def clean_arabic_name(name: str) -> str | None:
    """An Arabic-script name fit to index, or None (Persian/Urdu/Kurdish forms, junk)."""
    name = unicodedata.normalize("NFKC", name).translate(_FORMAT_CHARS)
    name = re.sub(r"\s+", " ", name).strip(" -")
    if not name or not _HAS_ARABIC.search(name):
        return None
    if not set(name) <= _ALLOWED_CHARS:
        return None
    return name


def _letters(key: str) -> int:
    return sum(1 for ch in key if is_arabic_letter(ch))


def key_variants(name: str) -> list[str]:
    """Normalised index keys for a name: as written, hyphens as spaces, and unspaced.

    "البو كمال" gives "البو كمال" and "البوكمال"; "محافظة بعلبك - الهرمل" gives
    "محافظه بعلبك الهرمل" (and its unspaced form is not made: only two-word names join).
    """
    key = normalize_key(name)
    key = re.sub(r"\s*-\s*", " ", key)
    key = re.sub(r"\s+", " ", key).strip()
    if not key:
        return []
    variants = [key]
    words = key.split(" ")
    if len(words) == 2:
        variants.append("".join(words))
    elif len(words) == 1 and len(key) >= 7:
        for head in ("البو", "ابو"):
            if key.startswith(head):
                variants.append(head + " " + key[len(head):])
    return variants


def _bare_variant(key: str) -> str | None:
    """The ال-less form of a one-word key, when long enough to stand alone."""
    if " " in key or not key.startswith("ال"):
        return None
    bare = key[2:]
    return bare if _letters(bare) >= _MIN_BARE_LETTERS else None

