"""The place gazetteer's span finder, and the gazetteer's public names in one place.

The gazetteer is split along its concerns: `gazetteer_core` (candidates, the protocol,
curated word lists, index keys), `gazetteer_build` (reading the PyPI sources and the
curated files into an index) and `gazetteer_cache` (the versioned cache file and
loading it).  This module re-exports their public names.

`find_places` finds gazetteer names in a document's shadow text with an Aho-Corasick
automaton, letting a proclitic (و ف ب ل ك and their pairs, or لل for ل + ال) sit in front
of a name but leaving it out of the span.
"""

from __future__ import annotations

import re
import threading
import weakref
from functools import lru_cache
from typing import Any

from marsad.document import CandidateSpan, Document
from marsad.knowledge.gazetteer_build import BUILD_VERSION
from marsad.knowledge.gazetteer_cache import (
    PlaceGazetteer,
    build_gazetteer,
    cache_dir,
    default_gazetteer,
    gazetteer_path,
)
from marsad.knowledge.gazetteer_core import (
    Candidate,
    Gazetteer,
    MemoryGazetteer,
    PlaceKind,
    clean_arabic_name,
    key_variants,
    stoplist,
    weak_keys,
)
from marsad.resources import read_lines
from marsad.text.normalize import build_shadow, is_arabic_letter, normalize_key

__all__ = [
    "BUILD_VERSION",
    "Candidate",
    "Gazetteer",
    "MemoryGazetteer",
    "PlaceGazetteer",
    "ORDINARY_SCORE",
    "PlaceKind",
    "build_gazetteer",
    "cache_dir",
    "clean_arabic_name",
    "default_gazetteer",
    "find_places",
    "gazetteer_path",
    "key_variants",
    "stoplist",
    "weak_keys",
]

# --------------------------------------------------------------------------- span finding

# Proclitics that may stand before a name, in shadow form; لل is handled apart.
PROCLITICS = frozenset({"و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك"})
_LAM_AL_PREFIXES = frozenset({"ل", "ول", "فل"})  # what precedes the ل of a لل-name
_WEAK_SCORE = 0.5
# A name whose form is also an ordinary word, or a hamlet's: it counts only where the words
# before it make it a place (a glued ب, often "with", is not enough); see `_ordinary_keys`.
ORDINARY_SCORE = 0.4
_NOTABLE = 50000  # population from which a bare name may follow a proclitic unvouched
_SMALL = 1000  # a one-word hamlet below this population is matched only in context
_BIG = 100000  # a town from this population is named more often than its homograph
_BIG_ABROAD = 300000  # … and abroad, where the press names few towns (فوجا, البسيط)
_ORDINARY_COUNT = 8  # lexicon count of a related form that makes a name an ordinary word
_TANWEEN = frozenset("\u064b\u064c\u064d")  # nunation: an indefinite noun, never a name


class _Matcher:
    """An Aho-Corasick automaton over a gazetteer's keys (and their لل forms)."""

    def __init__(self, gazetteer: Gazetteer):
        import ahocorasick

        stop = stoplist()
        automaton = ahocorasick.Automaton()
        keys = [key for key in gazetteer.keys() if key and key not in stop]  # noqa: SIM118
        entries: dict[str, list[tuple[str, bool]]] = {}
        for key in keys:
            entries.setdefault(key, []).append((key, False))
            if key.startswith("ال") and len(key) > 3:
                entries.setdefault("ل" + key[2:], []).append((key, True))
        # Names that may follow a proclitic even when the lexicon does not know them:
        # a bare one-word name must name something notable (بدمشق, ولبنان, بإدلب).
        self.notable = frozenset(
            key for key in keys
            if " " not in key and not key.startswith("ال")
            and any(_notable(c) for c in gazetteer.lookup(key))
        )
        self.ordinary = _ordinary_keys(gazetteer, keys)
        for string, options in entries.items():
            automaton.add_word(string, (len(string), tuple(options)))
        if entries:
            automaton.make_automaton()
        self.automaton = automaton if entries else None

    def matches(self, text: str) -> list[tuple[int, int, str, int]]:
        """(start, end, key, proclitic length) of every acceptable match, unpruned."""
        if self.automaton is None:
            return []
        from marsad.text.tokens import default_lexicon

        lexicon = default_lexicon()
        found = []
        for last, (length, options) in self.automaton.iter(text):
            start, end = last - length + 1, last + 1
            if end < len(text) and _is_word_char(text[end]):
                continue
            word_start = start
            while word_start > 0 and _is_word_char(text[word_start - 1]):
                word_start -= 1
            prefix = text[word_start:start]
            for key, lam_al in options:
                if _prefix_ok(prefix, key, lam_al, text[word_start:end], lexicon,
                              key in self.notable):
                    found.append((start, end, key, len(prefix)))
                    break
        return found


def _ordinary_keys(gazetteer: Gazetteer, keys: list[str]) -> frozenset[str]:
    """One-word names that need context: hamlets, and names whose related forms are
    ordinary words in marsad's lexicon of news and Wikipedia text.

    A name with ال whose bare form is a word (الطبقه: طبقه "layer"), a name without ال that
    is a word with it (بيت → البيت), or one ending in ا that is a noun's accusative
    (بيتا, نارا: بيت, نار) reads more often as that word, unless the place is a country,
    a first-level area, a capital or a town of `_BIG` people (`_BIG_ABROAD` outside the
    region).  A hamlet (under `_SMALL` people; GeoNames gives many real towns of the
    region no population, so 0 does not count) is too rarely named to be read so
    without context, and so is a town abroad under `_BIG_ABROAD`."""
    from marsad.text.tokens import default_lexicon

    counts = default_lexicon().counts
    region, curated = _region(), _curated_keys()
    out = set()
    for key in keys:
        if " " in key or key in curated:
            continue
        candidates = gazetteer.lookup(key)
        if any(c.kind in ("country", "admin1") or c.feature_code == "PPLC"
               or c.population >= (_BIG if c.country_code in region else _BIG_ABROAD)
               for c in candidates):
            continue
        if all(c.kind == "populated_place" and 0 < c.population < _SMALL  # 0: unknown
               for c in candidates):
            out.add(key)
            continue
        if all(c.country_code not in region for c in candidates):
            out.add(key)  # the press seldom names a mid-sized town abroad unannounced
            continue
        related = [key[2:]] if key.startswith("ال") else ["ال" + key]
        if key.endswith("ا") and len(key) > 3:
            related += [key[:-1], "ال" + key[:-1]]
        if any(counts.get(form, 0) >= _ORDINARY_COUNT for form in related):
            out.add(key)
    return frozenset(out)


def _curated_keys() -> frozenset[str]:
    """Normalised names of places.yaml (its aliases and places): chosen, never ordinary."""
    from marsad.knowledge.gazetteer_core import _read_yaml

    cfg = _read_yaml("places/places.yaml")
    names = [n for names in (cfg.get("aliases") or {}).values() for n in names]
    for entry in cfg.get("places") or ():
        names += [entry["name"], *entry.get("extra_names", ())]
    return frozenset(normalize_key(n) for n in names)


def _region() -> frozenset[str]:
    """The countries of the gazetteer's region (core and neighbours, countries.yaml)."""
    from marsad.knowledge.gazetteer_core import _read_yaml

    region = _read_yaml("places/countries.yaml").get("region", {})
    return frozenset([*region.get("core", ()), *region.get("neighbours", ())])


def _is_word_char(char: str) -> bool:
    return is_arabic_letter(char) or char.isalnum() or char == "_"


def _notable(candidate: Candidate) -> bool:
    return candidate.kind in ("country", "admin1", "admin2") or candidate.population >= _NOTABLE


def _prefix_ok(prefix: str, key: str, lam_al: bool, whole: str, lexicon: Any,
               notable: bool) -> bool:
    if lam_al:
        if key[2:3] == "ل":  # ل + الليبي… is written لليبي…: the ل seen may be the preposition
            return prefix in _LAM_AL_PREFIXES or prefix in ("", "و", "ف")
        return prefix in _LAM_AL_PREFIXES
    if not prefix:
        return True
    if prefix not in PROCLITICS:
        return False
    if key.startswith("ال") or " " in key:
        return True
    # A bare one-word name after a proclitic: the lexicon must find the name commoner
    # than the whole word, or the name must be notable and the whole word unknown
    # (بريا "by land" is not ب + ريا, فريدة is not ف + ريدة, بادر is not ب + ادر).
    whole_count = lexicon.count(whole)
    if whole_count < lexicon.count(key):
        return True
    return notable and whole_count == 0


_MATCHERS: weakref.WeakKeyDictionary[Any, _Matcher] = weakref.WeakKeyDictionary()
_MATCHERS_LOCK = threading.Lock()  # analysers in several threads share this registry


def _matcher(gazetteer: Gazetteer) -> _Matcher:
    with _MATCHERS_LOCK:
        try:
            matcher = _MATCHERS.get(gazetteer)
        except TypeError:  # not weak-referenceable: build each time
            return _Matcher(gazetteer)
        if matcher is None:
            matcher = _Matcher(gazetteer)
            _MATCHERS[gazetteer] = matcher
        return matcher


_SPACE_RUN = re.compile(r" {2,}")


def _collapse_spaces(text: str) -> tuple[str, list[int] | None]:
    """`text` with runs of spaces made single, and each kept character's old index."""
    if "  " not in text:
        return text, None
    kept: list[int] = []
    pieces: list[str] = []
    last = 0
    for match in _SPACE_RUN.finditer(text):
        pieces.append(text[last:match.start() + 1])
        kept.extend(range(last, match.start() + 1))
        last = match.end()
    pieces.append(text[last:])
    kept.extend(range(last, len(text)))
    return "".join(pieces), kept


def find_places(doc: Document, gazetteer: Gazetteer | None = None) -> list[CandidateSpan]:
    """Gazetteer names in `doc`, as LOC candidate spans into `doc.text`.

    Matching runs over the shadow text; a proclitic before a name is allowed and left out
    of the span ("بمحافظة دير الزور" → "محافظة دير الزور", "للعراق" → "لعراق", whose ل is the
    article's).  Overlapping matches are pruned longest first; stoplisted names never
    match; names on the weak list get score 0.5.
    """
    gazetteer = gazetteer if gazetteer is not None else default_gazetteer()
    shadow = doc.shadow if doc.shadow is not None else build_shadow(doc.text)
    text, positions = _collapse_spaces(shadow.text)
    matches = _matcher(gazetteer).matches(text)
    matches.sort(key=lambda m: (-(m[1] - m[0]), m[0]))
    taken = bytearray(len(text) + 1)
    chosen = []
    for start, end, key, _prefix in matches:
        if any(taken[start:end]):
            continue
        taken[start:end] = b"\x01" * (end - start)
        chosen.append((start, end, key))
    weak, ordinary, tails = weak_keys(), _matcher(gazetteer).ordinary, compound_tails()
    spans = []
    for start, end, key in sorted(chosen):
        if _next_word(text, end) in tails:
            continue  # "ظهران الجنوب" is another place than Dhahran
        if positions is not None:
            start, end = positions[start], positions[end - 1] + 1
        o_start, o_end = shadow.to_original(start, end)
        if _TANWEEN.intersection(doc.text[o_start:o_end + 1]):
            continue  # "ناراً", "بيتاً": an indefinite noun
        score = _WEAK_SCORE if key in weak else ORDINARY_SCORE if key in ordinary else 1.0
        if score == 1.0 and " " not in key and _hamza_differs(doc.text[o_start:o_end],
                                                             gazetteer.lookup(key)):
            score = ORDINARY_SCORE  # "فأس" (an axe) is written with a hamza, Fes (فاس) not
        spans.append(CandidateSpan(o_start, o_end, "LOC", "gazetteer", key, score))
    return spans


_HAMZA_SEATS = frozenset("أإؤئ")


def _hamza_differs(written: str, candidates: list[Candidate]) -> bool:
    """Whether the text writes a hamza inside the word where no candidate's name has one
    (a hamza that opens the name, after its ال too, is often left unwritten)."""
    if not _HAMZA_SEATS.intersection(_inner(written)):
        return False
    return not any(_HAMZA_SEATS.intersection(_inner(c.name)) for c in candidates)


def _inner(name: str) -> str:
    """A one-word name without its first letter (and without its article)."""
    return name[3:] if name.startswith("ال") else name[1:]


def _next_word(text: str, end: int) -> str:
    """The word after a single space at `end` of the (shadow) text, or ""."""
    if text[end:end + 1] != " ":
        return ""
    stop = end + 1
    while stop < len(text) and _is_word_char(text[stop]):
        stop += 1
    return text[end + 1:stop]


@lru_cache(maxsize=1)
def compound_tails() -> frozenset[str]:
    """Normalised words that make a place name before them another place's name."""
    return frozenset(normalize_key(line) for line in read_lines("places/compound_tails.txt"))
