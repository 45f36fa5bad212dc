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
import weakref
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
from marsad.text.normalize import build_shadow, is_arabic_letter

__all__ = [
    "BUILD_VERSION",
    "Candidate",
    "Gazetteer",
    "MemoryGazetteer",
    "PlaceGazetteer",
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
_NOTABLE = 50000  # population from which a bare name may follow a proclitic unvouched


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


def _matcher(gazetteer: Gazetteer) -> _Matcher:
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
    weak = weak_keys()
    spans = []
    for start, end, key in sorted(chosen):
        if positions is not None:
            start, end = positions[start], positions[end - 1] + 1
        o_start, o_end = shadow.to_original(start, end)
        spans.append(CandidateSpan(o_start, o_end, "LOC", "gazetteer", key,
                                   _WEAK_SCORE if key in weak else 1.0))
    return spans
