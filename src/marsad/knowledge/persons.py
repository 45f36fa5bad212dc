"""Person mentions found by rule: a title before a name, or an apposition after it.

"الرئيس بشار الأسد", "المتحدث باسم الجيش …", "قال قحطان غانم العلي وهو زعيم قبلي".
The statistical model finds most names; these rules add the ones news style marks
so clearly that a reader never hesitates.  Cue words live in
resources/entities/person_cues.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from marsad.document import CandidateSpan, Document, Token
from marsad.resources import load_yaml
from marsad.text.tokens import default_lexicon

_MAX_NAME_TOKENS = 4
_COMMON = 40  # lexicon count above which a word is taken as ordinary, not a name


@dataclass(frozen=True)
class PersonCues:
    titles: frozenset[str]
    apposition: frozenset[str]
    apposition_roles: frozenset[str]
    particles: frozenset[str]
    kunya: frozenset[str]
    speech_verbs: frozenset[str]
    stop_words: frozenset[str]


@lru_cache(maxsize=1)
def person_cues() -> PersonCues:
    raw = load_yaml("entities/person_cues.yaml")
    return PersonCues(
        titles=frozenset(raw["titles_before"]),
        apposition=frozenset(raw["apposition"]),
        apposition_roles=frozenset(raw["apposition_roles"]),
        particles=frozenset(raw["name_particles"]),
        kunya=frozenset(raw["kunya"]),
        speech_verbs=frozenset(raw["speech_verbs"]),
        stop_words=frozenset(raw["stop_words"]),
    )


def find_persons(doc: Document) -> list[CandidateSpan]:
    """PERSON spans marked by a title before ("الرئيس بشار الأسد") or a role after."""
    cues = person_cues()
    tokens = doc.tokens
    found: list[CandidateSpan] = []
    for i, token in enumerate(tokens):
        if token.norm in cues.kunya and i + 1 < len(tokens):
            run = _name_run_after(tokens, i + 1, cues)
            if run or _looks_like_name(tokens[i + 1], cues):
                last = run[1] if run else i + 1
                found.append(CandidateSpan(token.start, tokens[last].end, "PERSON", "rule",
                                           score=0.7))
                continue
        if token.stem_norm in cues.titles:
            run = _name_run_after(tokens, i + 1, cues)
            if run:
                first, last = run
                found.append(CandidateSpan(_start(tokens[first]), tokens[last].end, "PERSON",
                                           "rule", score=0.8))
    for i, token in enumerate(tokens):
        if token.norm not in cues.apposition or i + 1 >= len(tokens):
            continue
        if tokens[i + 1].stem_norm not in cues.apposition_roles:
            continue
        run = _name_run_before(tokens, i, cues)
        if run:
            first, last = run
            found.append(CandidateSpan(_start(tokens[first]), tokens[last].end, "PERSON",
                                       "rule", score=0.9))
    return found


def _name_run_after(tokens: list[Token], j: int, cues: PersonCues) -> tuple[int, int] | None:
    """Name tokens from index j: the first has no article; stop at a stop word or comma."""
    if j >= len(tokens) or tokens[j].kind != "word":
        return None
    head = tokens[j]
    if head.norm.startswith("ال") or head.stem_norm in cues.stop_words or head.pieces[0].kind == "proclitic":
        return None
    last = j
    while last + 1 < len(tokens) and last + 1 - j < _MAX_NAME_TOKENS:
        nxt = tokens[last + 1]
        if nxt.kind != "word" or nxt.sentence != head.sentence or nxt.norm in cues.stop_words:
            break
        if nxt.pieces[0].kind == "proclitic" or nxt.stem_norm in cues.titles:
            break
        after_particle = tokens[last].norm in cues.particles or nxt.norm in cues.particles
        if not after_particle and default_lexicon().count(nxt.norm) > _COMMON:
            break  # a frequent word (a verb, a noun) ends the name
        last += 1
    if last == j:
        return None  # one word after a title is as often a noun ("زعيم قبلي") as a name
    return j, last


def _looks_like_name(token: Token, cues: PersonCues) -> bool:
    """A single word after أبو/ابن that is no ordinary word: "أبو مازن"."""
    return (token.kind == "word" and token.norm not in cues.stop_words
            and default_lexicon().count(token.norm) <= _COMMON and len(token.norm) >= 3)


def _name_run_before(tokens: list[Token], i: int, cues: PersonCues) -> tuple[int, int] | None:
    """The name tokens just before index i, back to a speech verb, comma or stop word."""
    last = i - 1
    first = last
    while first >= 0 and i - first <= _MAX_NAME_TOKENS:
        token = tokens[first]
        if token.kind != "word" or token.stem_norm in cues.stop_words:
            break
        if token.stem_norm in cues.speech_verbs or token.norm in cues.speech_verbs:
            break
        first -= 1
    first += 1
    if last - first + 1 < 2:  # a single word is too weak a signal
        return None
    if first > 0 and tokens[first - 1].sentence != tokens[last].sentence:
        return None
    return first, last


def _start(token: Token) -> int:
    """The start of a token without its proclitics (و + قال stays out of names)."""
    stem = token.stem
    return stem.start if stem is not None and token.pieces[0].kind == "proclitic" else token.start
