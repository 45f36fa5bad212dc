"""The geocoder: choose, for each place name of a document, one gazetteer candidate or none.

Ranking is kept apart from lookup (`marsad.knowledge.gazetteer`), as in Mordecai 3: every
name's candidates are scored against the document, and an explicit "none of these" option
competes with them, so a name whose only candidates are small places far from the story
resolves to None rather than to the least bad guess.

A candidate's score adds up:

- a prior from what it is: a country, a first- or second-level area, or a town weighted
  by the log of its population (national capitals a little more);
- the document's focus: the share of the document's other place mentions that fall in
  the candidate's country (country names count fully, unambiguous places half; a name
  never supports itself, so a lone stray hamlet abroad cannot make its own focus);
- administrative context: an admin1 area named near the mention ("البوكمال بمحافظة دير
  الزور") that contains the candidate, and, more weakly, how many of the document's other
  places lie in the candidate's admin1 area;
- the word before the mention: محافظة/ولاية favour an area, مدينة/بلدة/قرية a town.

Scores become probabilities with a softmax over the candidates and the no-match option;
the winner's probability is the `Place.confidence`.  Resolution runs twice: the second
pass recomputes focus and admin context from the first pass's choices (coherence).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from marsad.context import active
from marsad.document import Document, Place
from marsad.knowledge.gazetteer import (
    Candidate,
    Gazetteer,
    default_gazetteer,
    find_places,
    weak_keys,
)
from marsad.text.normalize import build_shadow, normalize_key

__all__ = ["Geocoder", "Resolution", "SoundMatcher", "Weights", "default_geocoder", "resolve_places"]

MentionInput = str | tuple[str, Sequence[tuple[int, int]]]

_AREA_TRIGGERS = frozenset({"محافظه", "ولايه", "اقليم", "شعبيه", "اماره", "مقاطعه"})
_TOWN_TRIGGERS = frozenset({"مدينه", "بلده", "قريه", "مخيم", "حي", "بلدات", "قري", "مدن", "ناحيه"})
_WORD_BEFORE = re.compile(r"([\u0621-\u064A]+)[\s،,]*$")
_PROCLITIC = re.compile(r"^(?:و|ف)?(?:ب|ل|ك)?")
_CONTEXT_CHARS = 150  # window around a mention when the document has no sentences


@dataclass(frozen=True, slots=True)
class Weights:
    """The scoring constants; exposed so that callers and tests can see and vary them."""

    country: float = 3.5
    admin1: float = 2.5
    admin2: float = 1.5
    other: float = 1.5
    seat: float = 1.5  # taken off an area whose namesake town is also a candidate, and off
    # a town whose namesake country is (bare "حلب" is the city, "الجزائر" the country)
    town_per_log_pop: float = 0.4  # × log10(population + 10)
    capital: float = 1.5  # national capitals also stand for their governments
    focus: float = 2.0  # × the candidate country's share of the focus (top country = 1)
    mentioned_country: float = 0.5  # the candidate's country is named in the document
    admin_near: float = 2.0  # an admin1 area named near the mention contains it
    admin_document: float = 1.0  # × share of other places in its admin1 area
    trigger: float = 1.0  # the word before the mention asks for its kind
    no_match: float = 2.0
    weak_no_match: float = 1.0  # added to no_match for names on the weak list


@dataclass(frozen=True, slots=True)
class Resolution:
    """How one name was resolved: the choice, and every option with its probability."""

    key: str
    place: Place | None
    candidate: Candidate | None
    ranked: tuple[tuple[Candidate, float], ...]  # best first
    no_match: float  # probability of "none of these"


@dataclass
class _Mention:
    name: str  # as the caller gave it
    key: str  # normalised
    spans: list[tuple[int, int]]
    candidates: list[Candidate]
    triggers: set[str] = field(default_factory=set)
    sentences: set[int] = field(default_factory=set)


@dataclass
class _Context:
    weights: Counter[str]  # country code → weight of the mentions placing the story there
    shares: dict[str, Counter[str]]  # mention key → its own part of those weights
    countries: set[str]
    admin_by_mention: dict[str, set[str]]  # key → admin1 codes it stands for or lies in
    admin_areas: dict[str, set[str]]  # key → admin1 codes when it names an admin1 area


class Geocoder:
    """Resolves a document's place names to `Place`s with a gazetteer."""

    def __init__(self, gazetteer: Gazetteer | None = None, *, weights: Weights | None = None):
        self._gazetteer = gazetteer
        self.weights = weights or Weights()

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            self._gazetteer = default_gazetteer()
        return self._gazetteer

    def resolve(self, doc: Document,
                mentions: Iterable[MentionInput] | Mapping[str, Sequence[tuple[int, int]]]
                | None = None) -> dict[str, Place | None]:
        """Place (or None) for each mention, keyed by the name as given.

        `mentions` holds gazetteer keys, each alone or with its spans in `doc.text`
        (`[("البوكمال", [(19, 27), …]), "سوريا"]` or a dict); a key given alone takes its
        spans from the gazetteer spans in `doc.candidates` (or from `find_places` when
        there are none).  With no mentions, every gazetteer name in the document is
        resolved, keyed by its normalised key.
        """
        return {name: res.place for name, res in self.explain(doc, mentions).items()}

    def explain(self, doc: Document,
                mentions: Iterable[MentionInput] | Mapping[str, Sequence[tuple[int, int]]]
                | None = None) -> dict[str, Resolution]:
        """Like `resolve`, with every option's probability."""
        items = self._mentions(doc, mentions)
        context = self._context(items, chosen=None)
        first = {m.name: self._rank(m, items, context) for m in items}
        chosen = {m.name: first[m.name].candidate for m in items}
        context = self._context(items, chosen=chosen)
        return {m.name: self._rank(m, items, context) for m in items}

    # ---- mentions

    def _mentions(self, doc: Document, mentions) -> list[_Mention]:
        shadow = doc.shadow if doc.shadow is not None else build_shadow(doc.text)
        found: dict[str, list[tuple[int, int]]] | None = None

        def spans_of(key: str) -> list[tuple[int, int]]:
            nonlocal found
            if found is None:
                found = _spans_by_key(doc, self.gazetteer)
            return list(found.get(key, ()))

        if mentions is None:
            pairs: list[tuple[str, list[tuple[int, int]] | None]] = [
                (key, spans) for key, spans in _spans_by_key(doc, self.gazetteer).items()]
        elif isinstance(mentions, Mapping):
            pairs = [(name, list(spans)) for name, spans in mentions.items()]
        else:
            pairs = []
            for item in mentions:
                if isinstance(item, str):
                    pairs.append((item, None))
                else:
                    pairs.append((item[0], list(item[1])))
        items: list[_Mention] = []
        seen: set[str] = set()
        for name, spans in pairs:
            if name in seen:
                continue
            seen.add(name)
            key = normalize_key(name)
            spans = spans if spans is not None else spans_of(key)
            mention = _Mention(name, key, sorted(spans), self.gazetteer.lookup(key))
            for start, _end in mention.spans:
                word = _word_before(doc, shadow, start)
                if word:
                    mention.triggers.add(word)
                if doc.sentences:
                    mention.sentences.add(doc.sentence_index(start))
            items.append(mention)
        return items

    # ---- document context

    def _context(self, items: list[_Mention], chosen: dict[str, Candidate | None] | None) -> _Context:
        weights: Counter[str] = Counter()
        shares: dict[str, Counter[str]] = {}
        countries: set[str] = set()
        admin_by_mention: dict[str, set[str]] = {}
        admin_areas: dict[str, set[str]] = {}
        for mention in items:
            count = max(1, len(mention.spans))
            country_codes = {c.country_code for c in mention.candidates if c.kind == "country"}
            countries |= country_codes
            share = shares.setdefault(mention.key, Counter())
            if chosen is not None:
                pick = chosen.get(mention.name)
                if pick is not None:
                    share[pick.country_code] += count if pick.kind == "country" else count / 2
                    if pick.admin1_code:
                        admin_by_mention[mention.key] = {pick.admin1_code}
                    if pick.kind == "admin1" and pick.admin1_code:
                        admin_areas[mention.key] = {pick.admin1_code}
                continue
            if country_codes:
                for code in country_codes:
                    share[code] += count
            else:
                codes = {c.country_code for c in mention.candidates}
                if len(codes) == 1:
                    share[next(iter(codes))] += count / 2
            admin_by_mention[mention.key] = {c.admin1_code for c in mention.candidates
                                             if c.admin1_code and c.kind != "country"}
            areas = {c.admin1_code for c in mention.candidates if c.kind == "admin1" and c.admin1_code}
            if areas and all(c.kind == "admin1" for c in mention.candidates):
                admin_areas[mention.key] = areas
        for share in shares.values():
            weights.update(share)
        return _Context(weights, shares, countries, admin_by_mention, admin_areas)

    @staticmethod
    def _focus(mention: _Mention, context: _Context) -> dict[str, float]:
        """Each country's share of the focus, leaving out the mention's own weight."""
        own = context.shares.get(mention.key, Counter())
        weights = {code: w - own.get(code, 0) for code, w in context.weights.items()}
        top = max(weights.values(), default=0)
        return {code: w / top for code, w in weights.items() if w > 0} if top > 0 else {}

    # ---- scoring

    def _score(self, candidate: Candidate, mention: _Mention, items: list[_Mention],
               context: _Context, focus: dict[str, float]) -> float:
        w = self.weights
        if candidate.kind == "country":
            score = w.country
        elif candidate.kind in ("admin1", "admin2"):
            score = w.admin1 if candidate.kind == "admin1" else w.admin2
            if any(c.kind == "populated_place" and c.admin1_code == candidate.admin1_code
                   for c in mention.candidates):
                score -= w.seat  # a bare "حلب" is the city, "محافظة حلب" the area
        elif candidate.kind == "populated_place":
            score = w.town_per_log_pop * math.log10(max(0, candidate.population) + 10)
            if candidate.feature_code == "PPLC":
                score += w.capital
            if any(c.kind == "country" and c.country_code == candidate.country_code
                   for c in mention.candidates):
                score -= w.seat
        else:
            score = w.other
        score += w.focus * focus.get(candidate.country_code, 0.0)
        if candidate.country_code in context.countries and candidate.kind != "country":
            score += w.mentioned_country
        if candidate.kind != "country" and candidate.admin1_code:
            code = candidate.admin1_code
            near = any(code in context.admin_areas.get(other.key, ())
                       for other in items if other is not mention and _near(other, mention))
            if near:
                score += w.admin_near
            others = [o for o in items if o is not mention and o.key in context.admin_by_mention]
            if others:
                inside = sum(1 for o in others if code in context.admin_by_mention[o.key])
                score += w.admin_document * inside / len(others)
        if mention.triggers & _AREA_TRIGGERS:
            score += w.trigger if candidate.kind in ("admin1", "admin2") else -w.trigger / 2
        if mention.triggers & _TOWN_TRIGGERS:
            score += w.trigger if candidate.kind == "populated_place" else -w.trigger / 2
        return score

    def _rank(self, mention: _Mention, items: list[_Mention], context: _Context) -> Resolution:
        w = self.weights
        null = w.no_match + (w.weak_no_match if mention.key in weak_keys() else 0.0)
        focus = self._focus(mention, context)
        scored = [(c, self._score(c, mention, items, context, focus)) for c in mention.candidates]
        top = max([null, *(s for _, s in scored)])
        total = math.exp(null - top) + sum(math.exp(s - top) for _, s in scored)
        ranked = sorted(((c, math.exp(s - top) / total) for c, s in scored),
                        key=lambda pair: (-pair[1], -pair[0].population, pair[0].geonames_id or 0))
        no_match = math.exp(null - top) / total
        if ranked and ranked[0][1] > no_match:
            best, probability = ranked[0]
            return Resolution(mention.name, best.to_place(probability), best, tuple(ranked), no_match)
        return Resolution(mention.name, None, None, tuple(ranked), no_match)


class SoundMatcher:
    """Places the gazetteer knows only by their Latin name, found by sound.

    A name the model tags as a place but no Arabic gazetteer key covers ("ديبالتسيف") is
    compared by consonant classes (`translit.arabic_sound_keys`) with the Latin names of
    the places of the countries the document is about; the candidate in the country most
    of the document's resolved places lie in (and in their admin1 area) wins.  A name
    whose countries the document never places anything in stays unresolved."""

    confidence = 0.5
    known_town = 20000  # a smaller town or a district must lie in an admin1 area of the
    # document's places

    def __init__(self, gazetteer: Gazetteer):
        self.gazetteer = gazetteer

    def resolve(self, name: str, places: Sequence[Place]) -> Place | None:
        lookup = getattr(self.gazetteer, "sound_lookup", None)
        if lookup is None or not places:
            return None
        from marsad.knowledge.translit import arabic_sound_keys, sound_table

        minimum = sound_table()["min_classes"]
        countries = Counter(p.country_code for p in places)
        admin1 = Counter(p.admin1 for p in places if p.admin1 and p.kind != "country")
        key = normalize_key(name)
        forms = [key]
        if key[:1] in "وبل" and len(key) > 5 and " " not in key[:4]:
            forms.append(key[1:])  # a proclitic the tagger kept in the span ("وكوهيستان")
        # a written hamza (ألمار) says the ال is no article; otherwise it is one
        article_kept = name.startswith(("أل", "إل"))
        found: dict[tuple[int | None, str], Candidate] = {}
        for form in forms:
            sounds = arabic_sound_keys(form)
            for sound in sounds[-1:] if article_kept else sounds[:1]:
                if len(sound) < minimum:
                    continue
                for candidate in lookup(sound):
                    if candidate.country_code in countries and (
                            candidate.kind == "admin1" or admin1[candidate.admin1]
                            or candidate.population >= self.known_town):
                        found.setdefault((candidate.geonames_id, candidate.kind), candidate)
        if not found:
            return None
        top = max(countries.values())

        def score(c: Candidate) -> float:
            area = 1.0 if c.kind in ("admin1", "admin2") else 0.0
            return (2.0 * countries[c.country_code] / top + (1.0 if admin1[c.admin1] else 0.0)
                    + area + 0.1 * math.log10(c.population + 10))

        best = max(found.values(), key=score)
        return best.to_place(self.confidence)


def default_geocoder() -> Geocoder:
    """The running `Analyzer`'s geocoder; outside one, the shared one over the default
    gazetteer."""
    own = active("geocoder")  # None outside an Analyzer
    return own if own is not None else _process_geocoder()


@lru_cache(maxsize=1)
def _process_geocoder() -> Geocoder:
    return Geocoder(default_gazetteer())


def resolve_places(doc: Document,
                   mentions: Iterable[MentionInput] | Mapping[str, Sequence[tuple[int, int]]]
                   | None = None, gazetteer: Gazetteer | None = None) -> dict[str, Place | None]:
    """`Geocoder(gazetteer).resolve(doc, mentions)`."""
    return Geocoder(gazetteer).resolve(doc, mentions)


def _spans_by_key(doc: Document, gazetteer: Gazetteer) -> dict[str, list[tuple[int, int]]]:
    """Gazetteer spans by key: those already in `doc.candidates`, else `find_places`'s."""
    found = [span for layer in doc.candidates.values() for span in layer
             if span.source == "gazetteer"]
    if not found:
        found = find_places(doc, gazetteer)
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for span in found:
        if span.type == "LOC" and span.key and (span.start, span.end) not in spans[span.key]:
            spans[span.key].append((span.start, span.end))
    return dict(spans)


def _near(a: _Mention, b: _Mention) -> bool:
    """Whether two mentions share a sentence (or, without sentences, lie close)."""
    if a.sentences or b.sentences:
        return bool((a.sentences & b.sentences) - {-1})
    return any(abs(x - y) <= _CONTEXT_CHARS for x, _ in a.spans for y, _ in b.spans)


def _word_before(doc: Document, shadow, start: int) -> str | None:
    """The normalised word before an original offset, without its proclitics."""
    located = shadow.to_shadow(start, start + 1)
    if located is None:
        return None
    end = located[0]
    window = shadow.text[max(0, end - 40):end]
    match = _WORD_BEFORE.search(window)
    if not match:
        return None
    word = match.group(1)
    for form in (word, word[1:] if word[:1] in "وف" else "", _PROCLITIC.sub("", word, count=1)):
        if form in _AREA_TRIGGERS or form in _TOWN_TRIGGERS:
            return form
    return word
