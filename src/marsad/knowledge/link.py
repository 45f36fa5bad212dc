"""Stages `entities` and `places`: merge the entity sources, link mentions, geocode.

Each source writes its own candidate layer (`doc.candidates[name]`); a named merge
policy then keeps one span wherever sources overlap: the dictionaries win for known
actors and places, rules next, the statistical model last.  Mentions are grouped into
entities by dictionary key, by exact name, by a person's later surname, and by an
actor's short form ("المرصد" after "المرصد السوري").
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache

from marsad.document import (
    NER_MODES,
    ActorInfo,
    CandidateSpan,
    Document,
    Entity,
    Mention,
    Place,
)
from marsad.errors import OptionError
from marsad.knowledge.gazetteer import ORDINARY_SCORE
from marsad.knowledge.translit import romanize
from marsad.resources import load_yaml, read_lines
from marsad.text.clitics import PROCLITICS
from marsad.text.normalize import normalize_key

# Which source wins where spans overlap; equal ranks prefer the longer span.
SOURCE_PRIORITY: dict[str, int] = {
    "dictionary": 5, "gazetteer": 5, "nationality": 4, "short_form": 4, "surname": 4, "rule": 3,
    "place_noun": 2, "unit": 3, "model": 1,
}
# A curated actor's type beats a model span of another type unless the model is this sure
# (e.g. "مدريد" as a football club); gazetteer names, often ordinary words or clubs, never do.
MODEL_OVERRULES = 0.9
MODEL_ONLY_IDENTITY = frozenset({"rule"})  # sources that never fill a gap the model left
_PROCLITICS = re.compile(f"^(?:{PROCLITICS})")


@dataclass(frozen=True)
class PlaceNouns:
    nouns: dict[str, str]
    relations: tuple[str, ...]
    locatives: frozenset[str] = frozenset()


@lru_cache(maxsize=1)
def place_nouns() -> PlaceNouns:
    raw = load_yaml("entities/place_nouns.yaml")
    return PlaceNouns(dict(raw["nouns"]), tuple(raw["relations"]), frozenset(raw.get("locatives", ())))


@lru_cache(maxsize=1)
def not_entities() -> frozenset[str]:
    return frozenset(read_lines("entities/not_entities.txt"))


# ---------------------------------------------------------------- sources (find)

def entity_sources(ner: str = "fast") -> dict[str, Callable[[Document], list[CandidateSpan]]]:
    """The candidate layers, in the order they run; `ner` picks the statistical tagger."""
    from marsad.knowledge.actors import default_actor_dictionary
    from marsad.knowledge.gazetteer import find_places
    from marsad.knowledge.ner.model import default_ner_model
    from marsad.knowledge.persons import find_persons

    if ner not in NER_MODES:
        raise OptionError(f"unknown NER mode {ner!r}; choose one of {', '.join(NER_MODES)}")
    if ner == "accurate":
        from marsad.knowledge.ner.accurate import default_accurate_tagger

        tagger = default_accurate_tagger().find
    else:
        tagger = default_ner_model().find
    actors = default_actor_dictionary()
    return {
        "actors": actors.find,
        "nationalities": actors.find_nationalities,
        "places": find_places,
        "persons": find_persons,
        "place_nouns": find_named_places,
        "units": find_units,
        "model": tagger,
    }


def find_named_places(doc: Document) -> list[CandidateSpan]:
    """A name after a place noun ("بلدة السكرية"), even when no gazetteer has it."""
    nouns = place_nouns().nouns
    lexicon_common = _common_words(COMMON_AFTER_PLACE_NOUN)
    found = []
    tokens = doc.tokens
    for i, token in enumerate(tokens[:-1]):
        if token.stem_norm not in nouns:
            continue
        name = tokens[i + 1]
        if name.kind != "word" or name.sentence != token.sentence:
            continue
        if name.norm in not_entities() or name.norm in place_nouns().relations:
            continue
        if name.norm in lexicon_common or len(name.norm) < 3:
            continue
        found.append(CandidateSpan(name.start, name.end, "LOC", "place_noun",
                                   key=nouns[token.stem_norm], score=0.6))
    return found


@lru_cache(maxsize=1)
def _unit_words() -> tuple[dict[str, list[tuple[tuple[str, ...], int]]], frozenset[str],
                           frozenset[str]]:
    """Unit nouns indexed by their first word (each token is looked up once), ordinals,
    and the words that may follow an ordinal."""
    raw = load_yaml("entities/units.yaml")
    nouns: dict[str, list[tuple[tuple[str, ...], int]]] = {}
    for n in raw["nouns"]:
        words = tuple(n.split())
        nouns.setdefault(words[0], []).append((words, len(words)))
    ordinals = frozenset(o for o in raw["ordinals"] if " " not in o)
    return nouns, ordinals, frozenset(raw["ordinal_tails"])


def find_units(doc: Document) -> list[CandidateSpan]:
    """Numbered military units: "الفرقة 17", "اللواء الثامن", "الفيلق الخامس" (ORG).

    A unit noun followed by a number or an ordinal names a unit; followed by a person's
    name ("اللواء علي مملوك") it is a rank, and nothing is found."""
    nouns, ordinals, tails = _unit_words()
    tokens = doc.tokens
    found = []
    for i, token in enumerate(tokens):
        for noun, size in nouns.get(token.stem_norm, ()):
            last = i + size - 1
            if last + 1 >= len(tokens):
                continue
            if any(tokens[i + k].norm != noun[k] for k in range(1, size)):
                continue
            after = tokens[last + 1]
            if after.sentence != token.sentence:
                continue
            if after.kind == "number" or after.norm in ordinals:
                end = after.end
                if last + 2 < len(tokens) and tokens[last + 2].norm in tails \
                        and after.kind != "number":
                    end = tokens[last + 2].end
                stem = token.stem
                start = stem.start if stem is not None else token.start
                found.append(CandidateSpan(start, end, "ORG", "unit", score=0.8))
                break
    return found


# A word this frequent in marsad's lexicon (built from some 400k tokens of news and
# Wikipedia) is an ordinary word.  After a place noun the bar is lower: places missing
# from the gazetteer are rare words, while "منطقة الجزاء" (the penalty area) or "منطقة
# تمتد" (a region that stretches) are not places.
COMMON_WORD_COUNT = 41
COMMON_AFTER_PLACE_NOUN = 8


@lru_cache(maxsize=2)
def _common_words(min_count: int = COMMON_WORD_COUNT) -> frozenset[str]:
    from marsad.text.tokens import default_lexicon

    return frozenset(w for w, c in default_lexicon().counts.items() if c >= min_count)


# ---------------------------------------------------------------- merge policy

def merge_candidates(doc: Document, layers: dict[str, list[CandidateSpan]]) -> list[CandidateSpan]:
    """Keep one span wherever sources overlap; the statistical model leads.

    The model sees the context and was trained with the dictionaries' matches as
    features, so its spans and types come first: where it tags a name that a dictionary,
    the gazetteer or a rule also found with the same type, the model's span keeps that
    source's identity (actor or place key), so mentions still group by actor and place.
    A curated actor of another type beats a model span the model is less than
    MODEL_OVERRULES sure of: the dictionaries win for known actors.  Model spans that
    split one known name are joined first.  The other sources then fill the gaps the
    model left (higher source priority first, then longer, then earlier); person-rule
    spans (`MODEL_ONLY_IDENTITY`) only lend their identity and never fill, and a weak
    place name fills only where the words before it make it a place (`_said_as_place`).
    """
    pool = [c for spans in layers.values() for c in spans if _is_entity_text(doc, c)]
    pool = _joined_model_splits(_revised_model_spans(doc, pool))
    others = sorted((c for c in pool if c.source != "model"), key=lambda c: c.start)
    other_starts = [c.start for c in others]
    widest = max((c.end - c.start for c in others), default=0)
    taken = bytearray(len(doc.text) + 1)
    kept: list[CandidateSpan] = []
    for cand in sorted((c for c in pool if c.source == "model"), key=lambda c: (-c.score, c.start)):
        if any(taken[cand.start:cand.end]):
            continue
        lo = bisect.bisect_left(other_starts, cand.start - widest)
        hi = bisect.bisect_left(other_starts, cand.end)
        over = [c for c in others[lo:hi] if cand.start < c.end]
        if _overruled(cand, over):
            continue
        same = [c for c in over if c.type == cand.type and c.key]
        if same:
            best = max(same, key=lambda c: (SOURCE_PRIORITY.get(c.source, 0),
                                            min(c.end, cand.end) - max(c.start, cand.start)))
            cand = replace(cand, source=best.source, key=best.key, score=best.score)
        taken[cand.start:cand.end] = b"\x01" * (cand.end - cand.start)
        kept.append(cand)
    others = [c for c in others if c.source not in MODEL_ONLY_IDENTITY]
    if any(_is_weak_place(c) for c in others):
        place_ends = {c.end for c in pool if c.type == "LOC" and not _is_weak_place(c)}
        starts = [t.start for t in doc.tokens]
        others = [c for c in others
                  if not _is_weak_place(c) or _said_as_place(doc, c, place_ends, starts)]
    others.sort(key=lambda c: (-SOURCE_PRIORITY.get(c.source, 0), -(c.end - c.start), c.start))
    for cand in others:
        if any(taken[cand.start:cand.end]):
            continue
        taken[cand.start:cand.end] = b"\x01" * (cand.end - cand.start)
        kept.append(cand)
    kept.sort(key=lambda c: c.start)
    return kept


def _revised_model_spans(doc: Document, pool: list[CandidateSpan]) -> list[CandidateSpan]:
    """The model's spans, corrected by what the dictionaries know (one pass over them):

    * a person span that ends in a nationality adjective ("كوفي عنان الغاني") ends before
      it, the adjective describing the person; a kunya keeps its nisba ("أبو أيوب
      المصري"), which is part of the name, and so does a name without the article
      ("جون كندي");
    * a name that is a known person's surname is that person, whatever type the model
      gave it ("أردوغان" after "رئيس تركيا" is no place).  Alone, such a surname may be
      a common word (الضيف، المهندس), so only the model's names count;
    * page furniture in Latin letters is no name: a span loses the Latin words at its
      ends when it has Arabic ones ("القدس العربي Send to"), and a span of Latin words
      only is kept when each starts with a capital and none is code ("displayName").
    """
    from marsad.knowledge.actors import default_actor_dictionary
    from marsad.knowledge.persons import person_cues

    actors, kunya, surnames = default_actor_dictionary(), person_cues().kunya, _person_short_forms()
    out = []
    for cand in pool:
        if cand.source == "model":
            cand = _without_latin_furniture(doc, cand)
            if cand is None:
                continue
            if cand.type == "PERSON":
                cand = _without_trailing_nationality(doc, cand, actors, kunya)
            actor = surnames.get(normalize_key(doc.text[cand.start:cand.end]))
            if actor is not None:
                cand = replace(cand, type="PERSON", source="short_form", key=actor)
        out.append(cand)
    return out


_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'.-]*")
_HAS_LATIN = re.compile(r"[A-Za-z]")
_CODE_WORD = re.compile(r"[a-z]|.*[a-z][A-Z]")  # "provider", "displayName": not names


def _without_latin_furniture(doc: Document, cand: CandidateSpan) -> CandidateSpan | None:
    """The model span without Latin page furniture, or None when nothing else is left."""
    if not _HAS_LATIN.search(doc.text, cand.start, cand.end):
        return cand
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", doc.text[cand.start:cand.end])]
    latin = [bool(_LATIN_WORD.fullmatch(doc.text[cand.start + a:cand.start + b])) for a, b in words]
    if all(latin):
        if any(_CODE_WORD.match(doc.text[cand.start + a:cand.start + b]) for a, b in words):
            return None
        return cand
    first = latin.index(False)
    last = len(latin) - 1 - latin[::-1].index(False)
    return replace(cand, start=cand.start + words[first][0], end=cand.start + words[last][1])


def _joined_model_splits(pool: list[CandidateSpan]) -> list[CandidateSpan]:
    """Model spans that split one known name of their type ("آية الله" + "علي خامنئي"
    inside the actor "آية الله علي خامنئي") become one span over the whole name."""
    known = [c for c in pool if c.source in ("dictionary", "gazetteer") and c.key]
    model = sorted((c for c in pool if c.source == "model"), key=lambda c: c.start)
    model_starts = [c.start for c in model]
    dropped: set[int] = set()
    joined = []
    for name in known:
        inside = model[bisect.bisect_left(model_starts, name.start):
                       bisect.bisect_left(model_starts, name.end)]
        parts = [c for c in inside if c.type == name.type and id(c) not in dropped
                 and c.end <= name.end]
        if len(parts) >= 2:
            dropped.update(id(c) for c in parts)
            joined.append(replace(parts[0], start=name.start, end=name.end,
                                  score=min(c.score for c in parts)))
    if not joined:
        return pool
    return [c for c in pool if id(c) not in dropped] + joined


def _without_trailing_nationality(doc: Document, cand: CandidateSpan, actors,
                                  kunya: frozenset[str]) -> CandidateSpan:
    words = doc.text[cand.start:cand.end].split()
    if (len(words) >= 2 and normalize_key(words[0]) not in kunya
            and normalize_key(words[-1]).startswith("ال")  # not the name كندي
            and actors.nationality_of(words[-1])):
        head = doc.text[cand.start:cand.end].rsplit(maxsplit=1)[0]
        return replace(cand, end=cand.start + len(head))
    return cand


def _is_weak_place(cand: CandidateSpan) -> bool:
    """A gazetteer name that is also an ordinary word (places/weak.txt: score below 1)."""
    return cand.source == "gazetteer" and cand.score < 1.0


def _said_as_place(doc: Document, cand: CandidateSpan, place_ends: set[int],
                   token_starts: list[int]) -> bool:
    """Whether the words before a weak place name make it a place: a place noun, a
    direction ("شرق"), a preposition of place, ب or ل glued to it, or و joining it to a
    place just named ("دير الزور والبوكمال وحديثة")."""
    k = bisect.bisect_right(token_starts, cand.start) - 1
    if k < 0:
        return False
    token = doc.tokens[k]
    glued = "".join(p.norm for p in token.pieces if p.kind == "proclitic") if token.start < cand.start else ""
    if ("ب" in glued or "ل" in glued) and cand.score > ORDINARY_SCORE:
        return True  # an ordinary word's glued ب is as often "with" (بفأس)
    if k == 0 or doc.tokens[k - 1].sentence != token.sentence:
        return False
    previous = doc.tokens[k - 1]
    if glued.startswith("و"):
        return previous.end in place_ends
    cues = place_nouns()
    return previous.stem_norm in cues.nouns or previous.stem_norm in cues.relations \
        or previous.stem_norm in cues.locatives


def _overruled(model: CandidateSpan, overlapping: list[CandidateSpan]) -> bool:
    """A model span loses, unless the model is sure, to a known actor of another type,
    and to a known place of exactly its span that it calls a person or MISC
    ("البوكمال" as a person); a place read as an organisation is often a club."""
    if model.score >= MODEL_OVERRULES:
        return False
    return any((c.source == "dictionary" and c.type != model.type)
               or (c.source == "gazetteer" and model.type in ("PERSON", "MISC")
                   and (c.start, c.end) == (model.start, model.end))
               for c in overlapping)


def _is_entity_text(doc: Document, cand: CandidateSpan) -> bool:
    if cand.end <= cand.start:
        return False
    key = normalize_key(doc.text[cand.start:cand.end])
    if cand.source == "gazetteer" and key in _person_short_forms():
        return False  # "أردوغان" alone is the president, not the village of that name
    if cand.source in ("dictionary", "gazetteer", "nationality"):
        return key not in not_entities() or cand.source != "gazetteer"
    return len(key) >= 2 and key not in not_entities()


def _person_short_forms() -> dict[str, str]:
    """Surname → actor id, for the surnames by which the actor dictionary's persons are
    known (بوتين، أردوغان); a surname two persons share maps to the first."""
    from marsad.knowledge.actors import default_actor_dictionary

    return _person_short_forms_of(default_actor_dictionary())


@lru_cache(maxsize=8)  # one per actor dictionary in use (analysers with other user files)
def _person_short_forms_of(actors) -> dict[str, str]:
    out = {}
    for form, ids in actors.short_form_index().items():
        persons = [i for i in ids if actors.get(i).type == "PERSON"]
        if persons:
            out[form] = persons[0]
    return out


# ---------------------------------------------------------------- short forms

def find_short_forms(doc: Document, kept: list[CandidateSpan]) -> list[CandidateSpan]:
    """Anaphoric short forms of actors already named ("التنظيم" after "داعش")."""
    from marsad.knowledge.actors import default_actor_dictionary

    actors = default_actor_dictionary()
    first_seen: dict[str, int] = {}
    for cand in kept:
        if cand.source in ("dictionary", "nationality") and cand.key:
            first_seen.setdefault(cand.key, cand.start)
    by_form: dict[str, list[str]] = {}
    for actor_id in first_seen:
        for form in actors.get(actor_id).short_forms:
            by_form.setdefault(normalize_key(form), []).append(actor_id)
    descriptive = _descriptive_forms(doc, kept, actors)
    for form in descriptive:
        by_form.setdefault(form, [])
    shadow = doc.shadow
    assert shadow is not None
    if not by_form:
        return []
    found = []
    for match in _word_alternation(by_form).finditer(shadow.text):
        start, end = shadow.to_original(*match.span(1))
        earlier = [a for a in by_form[match.group(1)] if first_seen[a] < start]
        if earlier:
            latest = max(earlier, key=lambda a: first_seen[a])  # the actor named last
            found.append(CandidateSpan(start, end, actors.get(latest).type, "short_form",
                                       key=latest, score=0.7))
        elif match.group(1) in descriptive:
            actor = descriptive[match.group(1)]
            found.append(CandidateSpan(start, end, actors.get(actor).type, "short_form",
                                       key=actor, score=0.6))
    return found


def _descriptive_forms(doc: Document, kept: list[CandidateSpan], actors) -> dict[str, str]:
    """Descriptive actor names that stand for an actor before (or without) its full name
    ("قوات النظام", "طيران التحالف"): short forms of two or more words, each given to the
    one actor that has it in a country the document places things in (a short form of
    several actors of those countries stays unresolved)."""
    from marsad.knowledge.gazetteer import default_gazetteer

    gazetteer = default_gazetteer()
    countries: set[str] = set()
    for cand in kept:
        if cand.source == "gazetteer" and cand.key:
            found = gazetteer.lookup(cand.key)
            codes = {c.country_code for c in found}
            if len(codes) == 1 or any(c.kind == "country" for c in found):
                countries.update(c.country_code for c in found if len(codes) == 1
                                 or c.kind == "country")
    if not countries:
        return {}
    out = {}
    for form, ids in _long_short_forms(actors):
        local = [i for i in ids if actors.get(i).country in countries]
        if len(local) == 1:
            out[form] = local[0]
    return out


_LONG_FORMS: dict[int, list[tuple[str, tuple[str, ...]]]] = {}


def _long_short_forms(actors) -> list[tuple[str, tuple[str, ...]]]:
    """The actor dictionary's short forms of two or more words, with their actors."""
    found = _LONG_FORMS.get(id(actors))
    if found is None:
        found = [(f, ids) for f, ids in actors.short_form_index().items() if " " in f]
        _LONG_FORMS.clear()
        _LONG_FORMS[id(actors)] = found
    return found


def find_surnames(doc: Document, kept: list[CandidateSpan]) -> list[CandidateSpan]:
    """A person's surname alone, after the full name ("العلي" after "قحطان غانم العلي")."""
    from marsad.knowledge.persons import person_cues

    shadow = doc.shadow
    assert shadow is not None
    common = _common_words()
    titles = person_cues().titles  # "العقيد" ends "معمر القذافي العقيد" but names no one
    first_full: dict[str, int] = {}  # surname → end of the first full name that has it
    for cand in kept:
        if cand.type != "PERSON":
            continue
        words = normalize_key(doc.text[cand.start:cand.end]).split()
        if len(words) >= 2 and len(words[-1]) >= 3 and words[-1] not in common \
                and words[-1] not in titles:
            first_full.setdefault(words[-1], cand.end)
    if not first_full:
        return []
    found = []
    for match in _word_alternation(first_full).finditer(shadow.text):
        start, end = shadow.to_original(*match.span(1))
        if start >= first_full[match.group(1)]:
            found.append(CandidateSpan(start, end, "PERSON", "surname", score=0.6))
    return found


def _word_alternation(words) -> re.Pattern:
    """Any of `words` as a whole word after optional proclitics; group 1 is the word."""
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w])(?:{PROCLITICS})(" + alternatives + r")(?![\w])")


# ---------------------------------------------------------------- grouping

def link_entities(doc: Document) -> None:
    """Stage `entities`: run each source, merge, then group mentions into entities."""
    layers = {name: find(doc) for name, find in entity_sources(doc.ner).items()}
    kept = merge_candidates(doc, layers)
    layers["short_forms"] = find_short_forms(doc, kept)
    layers["surnames"] = find_surnames(doc, kept)
    kept = merge_candidates(doc, {"kept": kept, "short_forms": layers["short_forms"],
                                  "surnames": layers["surnames"]})
    doc.candidates = layers
    doc.entities = group_mentions(doc, kept)


def _group_key(doc: Document, cand: CandidateSpan) -> str:
    if cand.source in ("dictionary", "nationality", "short_form") and cand.key:
        return "actor:" + cand.key
    if cand.source == "gazetteer" and cand.key:
        return "place:" + cand.key
    name = normalize_key(doc.text[cand.start:cand.end])
    return f"text:{cand.type}:{name}"


def group_mentions(doc: Document, kept: list[CandidateSpan]) -> list[Entity]:
    from marsad.knowledge.actors import default_actor_dictionary

    actors = default_actor_dictionary()
    groups: dict[str, list[CandidateSpan]] = {}
    place_keys = {normalize_key(doc.text[c.start:c.end]): c.key for c in kept
                  if c.source == "gazetteer"}
    for cand in kept:
        key = _group_key(doc, cand)
        if key.startswith("text:LOC:") and key[9:] in place_keys:
            key = "place:" + str(place_keys[key[9:]])  # a model LOC the gazetteer knows
        if key.startswith("text:PERSON:"):
            key = _person_group(key, groups)
        groups.setdefault(key, []).append(cand)
    entities = []
    for key, cands in sorted(groups.items(), key=lambda kv: kv[1][0].start):
        entities.append(_make_entity(doc, f"E{len(entities) + 1}", key, cands, actors))
    return entities


def _person_group(key: str, groups: dict[str, list[CandidateSpan]]) -> str:
    """A later surname ("العلي") joins the full name said before ("قحطان غانم العلي")."""
    name = key[len("text:PERSON:"):]
    if " " in name:
        return key
    for other in groups:
        if other.startswith("text:PERSON:") and other.split(":", 2)[2].split()[-1] == name:
            return other
    return key


def _make_entity(doc: Document, entity_id: str, key: str, cands: list[CandidateSpan],
                 actors) -> Entity:
    mentions = [Mention(c.start, c.end, doc.text[c.start:c.end], c.source, c.key) for c in cands]
    types = [c.type for c in cands]
    entity_type = max(set(types), key=lambda t: (types.count(t), t == cands[0].type))
    surface = max((m.text for m in mentions if m.source != "short_form"), key=len,
                  default=mentions[0].text)
    name = _display_name(surface)
    entity = Entity(entity_id, entity_type, name, None, mentions)  # type: ignore[arg-type]
    if key.startswith("actor:"):
        actor = actors.get(key[6:])
        entity.type = actor.type  # type: ignore[assignment]
        entity.name, entity.name_en = actor.name, actor.name_en
        entity.actor = ActorInfo(actor.category, actor.country, actor.id)
    elif entity_type == "LOC":
        entity.place_key = key[6:] if key.startswith("place:") else None
    if entity.name_en is None and entity_type != "LOC":
        entity.name_en = romanize(entity.name)
    return entity


def _display_name(surface: str) -> str:
    """A mention's text without diacritics, tatweel or hashtag marks."""
    clean = re.sub(r"[\u064b-\u0652\u0670\u0640]", "", surface).replace("_", " ").lstrip("#")
    return clean.strip()


# ---------------------------------------------------------------- places stage

def resolve_places(doc: Document) -> None:
    """Stage `places`: geocode LOC entities; tie unknown places to their parent town."""
    from marsad.knowledge.geocode import SoundMatcher, default_geocoder

    geocoder = default_geocoder()
    keyed = {e.id: e.place_key for e in doc.entities if e.type == "LOC"}
    resolved = geocoder.resolve(doc, [k for k in keyed.values() if k])
    for entity in doc.entities:
        key = keyed.get(entity.id)
        if key and resolved.get(key):
            entity.place = resolved[key]
            entity.name_en = entity.place.name_en
    _resolve_by_sound(doc, SoundMatcher(geocoder.gazetteer), keyed)
    main_city = main_town(doc)
    for entity in doc.entities:
        if entity.type == "LOC" and entity.place is None:
            parent = _parent_place(doc, entity, main_city)
            if parent is not None:
                entity.place = replace(parent, geonames_id=None, kind="other",
                                       name_en=f"{romanize(entity.name)} (near {parent.name_en})",
                                       confidence=round(parent.confidence * 0.5, 3))
        if entity.type == "LOC" and entity.name_en is None:
            entity.name_en = romanize(entity.name)
    _one_entity_per_place(doc)


def _one_entity_per_place(doc: Document) -> None:
    """LOC entities geocoded to one place ("سوريا" and "سورية", a tagger's span and the
    gazetteer's) become one entity, the first named; entity ids are renumbered."""
    first: dict[tuple, Entity] = {}
    kept = []
    for entity in doc.entities:
        place = entity.place
        if entity.type == "LOC" and place is not None and place.geonames_id is not None:
            slot = (place.geonames_id, place.kind)
            if slot in first:
                owner = first[slot]
                owner.mentions = sorted(owner.mentions + entity.mentions, key=lambda m: m.start)
                if place.confidence > (owner.place.confidence if owner.place else 0):
                    owner.place = place
                continue
            first[slot] = entity
        kept.append(entity)
    if len(kept) == len(doc.entities):
        return
    for number, entity in enumerate(kept, 1):
        entity.id = f"E{number}"
    doc.entities = kept


def _resolve_by_sound(doc: Document, sounds, keyed: dict[str, str | None]) -> None:
    """Places no Arabic gazetteer name covers, matched by sound to Latin names; twice, so
    that a province found so can vouch for its districts ("ولاية فارياب ... ألمار")."""
    for _ in range(2):
        known = [e.place for e in doc.entities for _ in e.mentions if e.place is not None]
        for entity in doc.entities:
            if entity.type == "LOC" and entity.place is None and not keyed.get(entity.id):
                entity.place = sounds.resolve(entity.name, known)
                if entity.place is not None:
                    entity.name_en = entity.place.name_en


def main_town(doc: Document) -> Entity | None:
    """The article's main town: the geocoded town mentioned most ("المدينة" refers to it)."""
    towns = [e for e in doc.entities if e.place and e.place.kind == "populated_place"]
    return max(towns, key=lambda e: len(e.mentions), default=None)


def _parent_place(doc: Document, entity: Entity, main_city: Entity | None) -> Place | None:
    """'السكرية الواقعة شرقي المدينة' → the city's place, when the text says so."""
    relations = place_nouns().relations
    for mention in entity.mentions:
        window = normalize_key(doc.text[mention.end:mention.end + 60])
        for rel in relations:
            m = re.search(r"(?:^|\s)" + re.escape(rel) + r"\s+(\S+(?:\s\S+)?)", window)
            if not m:
                continue
            target = _PROCLITICS.sub("", m.group(1))
            if target.startswith(("المدينه", "البلده")) and main_city and main_city.place:
                return main_city.place
            for other in doc.entities:
                if other.place and normalize_key(other.name) in target:
                    return other.place
    return None
