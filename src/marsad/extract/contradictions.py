"""Stage `contradictions`: where the sources of one article disagree.

- denial: a `deny` claim whose object is another source's claim, found from a back-reference
  ("نفت ذلك", "ما أعلنته واشنطن") or from what the two say (places, actors, wording);
- incompatible: two sources name different controllers of one place at overlapping times,
  one says an event happened and another that it did not, or they give competing accounts
  of one incident (shot down vs. a fault; a sniper vs. a bomb; civilians vs. militants hit);
- count_mismatch: different death tolls for one incident.

Pairs are only made between different speakers who are not organs of one state. Two claims
are about one incident when they report one event, stand in one sentence, or name one
place or person; a definite back-reference ("في الهجوم") stands for the article's incident.
Word lists live in resources/contradictions/cues.yaml.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations

from marsad.document import Claim, Contradiction, Document, Entity, Event
from marsad.encoder import sentence_encoder
from marsad.knowledge.link import main_town
from marsad.resources import load_yaml
from marsad.text.clitics import ARTICLE_PROCLITICS, CONJUNCTION, PREPOSITION
from marsad.text.normalize import normalize_key

_TERRITORY = {"Government regains territory", "Non-state actor overtakes territory"}
_MIN_TOPIC_SCORE = 2.5  # one shared place alone is not enough
_MIN_CONTAINMENT = 0.6  # share of a denial's content words found in the claim it denies
# a control noun stated as the claim itself ("سيطرة التنظيم على المدينة باتت كاملة"), not as
# background ("خلال الأيام الأخيرة من سيطرة التنظيم"), heads the content
_HEAD_WORDS = 2
_ACCOUNT_WINDOW = 6
_NEGATION_REACH = 4  # words before a cause or outcome where a negation cancels it  # words between an outcome ("قتل") and the cause a source gives for it
_PROCLITIC = re.compile(rf"^(?:{ARTICLE_PROCLITICS}|{CONJUNCTION}?{PREPOSITION}|{CONJUNCTION})(?=\w{{2}})")


# ------------------------------------------------------------------ resources

@dataclass(frozen=True)
class _Cues:
    territory: re.Pattern[str]
    city: re.Pattern[str]
    demonstratives: frozenset[str]
    report_nouns: tuple[str, ...]
    relative: re.Pattern[str]
    contrast: re.Pattern[str]
    max_back: int
    filler: tuple[str, ...]
    death: tuple[str, ...]
    wounded: tuple[str, ...]
    cumulative: tuple[str, ...]
    update: tuple[str, ...]
    vague_at_least: int
    victims: dict[str, tuple[str, ...]]
    dual_suffixes: tuple[str, ...]
    unit_victims: dict[str, str]
    incident_nouns: frozenset[str]
    accounts: tuple[tuple[str, tuple[str, ...], dict[str, tuple[str, ...]]], ...]
    account_words: tuple[str, ...]  # every outcome and cause of the account groups
    control_nouns: tuple[str, ...]
    control_present: tuple[str, ...]
    control_on: str
    directions: tuple[str, ...]
    clause_break: re.Pattern[str]


@lru_cache(maxsize=1)
def _cues() -> _Cues:
    raw = load_yaml("contradictions/cues.yaml")
    back = raw["back_reference"]
    verbs = _alternation(back["report_verbs"])
    city = "|".join(map(re.escape, raw["city_words"]))
    return _Cues(
        territory=re.compile("|".join(map(re.escape, raw["territory_words"]))),
        city=re.compile(rf"(?<![\w])(?:[وفبل]?)(?:ال)?(?:{city})(?![\w])"),
        demonstratives=frozenset(back["demonstratives"]),
        report_nouns=tuple(back["report_nouns"]),
        relative=re.compile(rf"(?:^|\s)(?:{_alternation(back['relatives'])})\s+(?:{verbs})(?=\s|$)"),
        contrast=re.compile(rf"(?:^|\s)(?:{_alternation(back['contrast'])})\s+(?:{verbs})(?=\s|$)"),
        max_back=int(back["max_sentences_back"]),
        filler=tuple(raw["denial_filler"]),
        death=tuple(raw["death_words"]),
        wounded=tuple(raw["wounded_words"]),
        cumulative=tuple(raw["cumulative_words"]),
        update=tuple(raw["update_words"]),
        vague_at_least=int(raw["vague_at_least"]),
        victims={k: tuple(v) for k, v in raw["victims"].items()},
        dual_suffixes=tuple(raw["dual_suffixes"]),
        unit_victims=dict(raw["unit_victims"]),
        incident_nouns=frozenset(raw["incident_nouns"]),
        accounts=tuple((g["name"], tuple(g["outcome"]),
                        {k: tuple(v) for k, v in g["alternatives"].items()})
                       for g in raw["accounts"]),
        account_words=tuple(sorted({w for g in raw["accounts"] for w in g["outcome"]}
                                   | {w for g in raw["accounts"]
                                      for forms in g["alternatives"].values() for w in forms})),
        control_nouns=tuple(raw["control"]["nouns"]),
        control_present=tuple(raw["control"]["present"]),
        control_on=raw["control"]["preposition"],
        directions=tuple(raw["directions"]),
        clause_break=re.compile(rf"[،,:؛.!?\"«»]|\s(?:{_alternation(raw['clause_breaks'])})\s"),
    )


def _alternation(forms: list[str]) -> str:
    return "|".join(sorted(map(re.escape, forms), key=len, reverse=True))


@lru_cache(maxsize=65536)
def _bare_forms(word: str) -> tuple[str, ...]:
    """A word as written and without its proclitics (والقتلى → القتلى, قتلى)."""
    bare = _PROCLITIC.sub("", word)
    if bare.startswith("ال") and len(bare) > 4:
        return (word, bare, bare[2:])
    return (word, bare)


class _Matcher:
    """A cue list compiled for matching: one-word cues as a prefix of a bare form (the whole
    form when `whole` or the cue is under 3 letters), longer cues as a phrase."""

    def __init__(self, cues: tuple[str, ...] | frozenset[str], whole: bool):
        singles = [c for c in cues if " " not in c]
        self.exact = frozenset(c for c in singles if whole or len(c) < 3)
        self.prefixes = frozenset(c for c in singles if c not in self.exact)
        self.lengths = sorted({len(c) for c in self.prefixes})
        self.phrases: dict[str, list[tuple[str, ...]]] = {}
        for cue in cues:
            first, *rest = cue.split()
            if rest:
                self.phrases.setdefault(first, []).append(tuple(rest))
        self.memo: dict[str, tuple[bool, tuple[tuple[str, ...], ...]]] = {}

    def _word(self, word: str) -> tuple[bool, tuple[tuple[str, ...], ...]]:
        """Whether the word is a one-word cue, and the phrases that may begin with it."""
        known = self.memo.get(word)
        if known is None:
            forms = _bare_forms(word)
            hit = any(f in self.exact or any(f[:n] in self.prefixes for n in self.lengths
                                             if n <= len(f)) for f in forms)
            rests = tuple(r for f in forms for r in self.phrases.get(f, ()))
            if len(self.memo) > 100_000:
                self.memo.clear()
            known = self.memo[word] = (hit, rests)
        return known

    def hits(self, words: list[str]) -> list[int]:
        found = []
        for i, word in enumerate(words):
            hit, rests = self._word(word)
            if hit or any(tuple(words[i + 1:i + 1 + len(r)]) == r for r in rests):
                found.append(i)
        return found


@lru_cache(maxsize=256)
def _matcher(cues: tuple[str, ...] | frozenset[str], whole: bool) -> _Matcher:
    return _Matcher(cues, whole)


def _has(words: list[str], cues: tuple[str, ...] | frozenset[str], whole: bool = False) -> list[int]:
    """Indices of words (normalised) where a cue begins; cues of several words match as a
    phrase, one-word cues as a prefix of a bare form (or the whole form when `whole`)."""
    return _matcher(cues, whole).hits(words)


# ------------------------------------------------------------------ what a claim says

@dataclass
class _Toll:
    low: int
    high: int | None  # None: no upper bound
    victims: str  # a class of resources' victims, or "people"
    text: str
    update: bool = False  # "the toll rose to", "an earlier toll": a revision, not a rival figure


@dataclass
class _Facts:
    speaker: str | None
    country: str | None  # a state speaker's country
    words: list[str]
    sentences: set[int]
    places: set[str]
    focus: str | None  # the first place the claim names: where what it tells happened
    actors: set[str]
    persons: set[str]
    territory: bool
    events: list[Event]
    holds: list[tuple[str, str, str | None, str | None]]  # (actor, place, from, to)
    did_not_happen: list[tuple[str, str | None]]  # (event type, place) said not to have occurred
    definite: bool  # names "the attack", "the blast": the incident the article is about
    tolls: list[_Toll] = field(default_factory=list)
    accounts: dict[str, set[str]] = field(default_factory=dict)  # group → alternatives named
    sentence_accounts: dict[str, set[str]] = field(default_factory=dict)  # its sentence's outcome


def find_contradictions(doc: Document) -> list[Contradiction]:
    if len(doc.claims) < 2:
        return []
    mentions = sorted(((m.start, m.end, e) for e in doc.entities for m in e.mentions),
                      key=lambda p: p[0])
    facts = {c.id: _facts(doc, c, mentions) for c in doc.claims}
    found: list[Contradiction] = []
    seen: set[frozenset[str]] = set()

    def add(a: Claim, b: Claim, kind: str, explanation: str) -> None:
        pair = frozenset((a.id, b.id))
        if pair not in seen:
            seen.add(pair)
            found.append(Contradiction(f"X{len(found) + 1}", [a.id, b.id], kind, explanation))  # type: ignore[arg-type]

    for claim in doc.claims:
        denied = _denied(doc, claim, facts, mentions)
        if denied is not None:
            add(denied, claim, "denial", _explain_denial(doc, denied, claim, facts[denied.id]))
    for a, b in combinations(doc.claims, 2):
        fa, fb = facts[a.id], facts[b.id]
        if not _opposed(fa, fb):
            continue
        clash = (_controllers_clash(doc, a, b, fa, fb)
                 or (_same_incident(doc, a, b, fa, fb, strict=True)
                     and (_happened_or_not(doc, fa, fb, a, b) or _happened_or_not(doc, fb, fa, b, a)))
                 or _competing_accounts(doc, a, b, fa, fb))
        if clash:
            add(a, b, "incompatible", clash)
        mismatch = _count_mismatch(doc, a, b, fa, fb)
        if mismatch:
            add(a, b, "count_mismatch", mismatch)
    return found


def _facts(doc: Document, claim: Claim, mentions: list[tuple[int, int, Entity]]) -> _Facts:
    cues = _cues()
    lo = bisect.bisect_left(mentions, claim.content.start, key=lambda p: p[0])
    hi = bisect.bisect_left(mentions, claim.content.end, key=lambda p: p[0])
    inside = [e for _, _, e in mentions[lo:hi]]
    places = {_place_key(doc, claim, s, e) for s, _, e in mentions[lo:hi]
              if e.type == "LOC" and _is_local(e)}
    actors = {e.id for e in inside if e.type in ("ORG", "PERSON") and e.id != claim.speaker}
    persons = {e.id for e in inside if e.type == "PERSON" and e.id != claim.speaker}
    content = normalize_key(claim.content.text)
    main = main_town(doc)
    if main is not None and cues.city.search(content):
        places.add(main.id)
    events = [v for v in doc.events if v.id in claim.events]
    if not places:  # the claim names no place: its events' places stand for it
        places = {v.location for v in events if v.location and _is_local(doc.entity(v.location))}
    focus = next((_place_key(doc, claim, s, e) for s, _, e in mentions[lo:hi]
                  if e.type == "LOC" and _is_local(e)), None)
    if focus is None and main is not None and cues.city.search(content):
        focus = main.id
    if focus is None:
        focus = next((v.location for v in events if v.location
                      and _is_local(doc.entity(v.location))), None)
    words = content.split()
    sentences = {i for i in (doc.sentence_index(claim.content.start),
                             doc.sentence_index(max(claim.content.start, claim.content.end - 1)))
                 if i >= 0}
    speaker = doc.entity(claim.speaker)
    state = speaker is not None and speaker.actor is not None \
        and speaker.actor.category == "State forces"
    facts = _Facts(
        speaker=claim.speaker or _speaker_key(claim.speaker_text),
        country=speaker.actor.country_code if state and speaker and speaker.actor else None,
        words=words, sentences=sentences, places=places, focus=focus, actors=actors,
        persons=persons,
        territory=bool(cues.territory.search(content))
        or any(v.sub_event_type in _TERRITORY for v in events),
        events=[v for v in events if not v.background],
        holds=_holds(doc, claim, events, words, mentions[lo:hi]),
        did_not_happen=_negated(doc, claim),
        definite=bool(set(map(_strip_conj, _sentence_words(doc, claim))) & cues.incident_nouns),
    )
    facts.tolls = _tolls(doc, claim, words)
    facts.accounts = _accounts(words)
    facts.sentence_accounts = _accounts(words, _sentence_words(doc, claim))
    return facts


def _place_key(doc: Document, claim: Claim, start: int, place: Entity) -> str:
    """A place's id, or "شمال:id" when the claim places something relative to it: "north of
    Baghdad" and "east of Baghdad" are different places."""
    before = normalize_key(doc.text[max(claim.content.start, start - 24):start]).split()[-2:]
    direction = [w for w in before if _has([w], _cues().directions, whole=True)]
    return ":".join([*direction, place.id])


def _speaker_key(text: str | None) -> str | None:
    """An unlinked speaker's words without clitics: "مصادر محلية" is "المصادر المحلية"."""
    if not text:
        return None
    return " ".join(_bare_forms(w)[1] for w in normalize_key(text).split()) or None


def _strip_conj(word: str) -> str:
    return word[1:] if word[:1] in "وفب" and word[1:3] == "ال" else word


def _is_local(entity: Entity | None) -> bool:
    return entity is not None and (entity.place is None or entity.place.kind != "country")


def _opposed(a: _Facts, b: _Facts) -> bool:
    """Two named, different speakers that are not organs of one state."""
    if a.speaker is None or b.speaker is None or a.speaker == b.speaker:
        return False
    return not (a.country and a.country == b.country)


# The events stage records present-tense control and negated acts as typed layers
# (`doc.control`, `doc.negated`); they are read here only.
def _statements_in(doc: Document, name: str, claim: Claim) -> list:
    return [x for x in getattr(doc, name)
            if claim.content.start <= x.start < claim.content.end]


def _negated(doc: Document, claim: Claim) -> list[tuple[str, str | None]]:
    return [(x.event_type, x.location) for x in _statements_in(doc, "negated", claim)]


def _holds(doc: Document, claim: Claim, events: list[Event], words: list[str],
           inside: list[tuple[int, int, Entity]]) -> list[tuple[str, str, str | None, str | None]]:
    holds = [(v.actor1, v.location, v.date.start, v.date.end) for v in events
             if v.sub_event_type in _TERRITORY and not v.background and v.actor1 and v.location]
    holds += [(c.actor, c.location, c.date.start, c.date.end)
              for c in _statements_in(doc, "control", claim)]
    holds += [(actor, place, None, None)
              for actor, place in _control_phrases(doc, claim, words, inside)]
    return holds


def _control_phrases(doc: Document, claim: Claim, words: list[str],
                     inside: list[tuple[int, int, Entity]]) -> list[tuple[str, str]]:
    """"سيطرة التنظيم على المدينة", "القوات تسيطر على البلدة": (actor, place) pairs."""
    cues = _cues()
    nouns = [i for i in _has(words, cues.control_nouns, whole=True) if i <= _HEAD_WORDS]
    present = _has(words, cues.control_present, whole=True)
    if not (nouns or present):
        return []
    offsets = _word_offsets(claim.content.text)
    if len(offsets) != len(words):
        return []
    ents = [(s - claim.content.start, e - claim.content.start, ent) for s, e, ent in inside]
    found = []
    for i in nouns + present:
        noun = i in nouns
        on = next((j for j in range(i + 1, min(i + 6, len(words))) if words[j] == cues.control_on), None)
        if on is None:
            continue
        span_actor = (offsets[i][1], offsets[on][0]) if noun else (
            offsets[max(0, i - 5)][0], offsets[i][0])
        actor = _entity_in(ents, span_actor, ("ORG",), last=not noun)
        place = _place_after(doc, claim, ents, offsets[on][1], words[on + 1:on + 3])
        if actor is not None and place is not None:
            found.append((actor, place))
    return found


def _word_offsets(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]


def _entity_in(ents: list[tuple[int, int, Entity]], span: tuple[int, int],
               types: tuple[str, ...], last: bool = False) -> str | None:
    hits = [e for s, t, e in ents if span[0] <= s and t <= span[1] and e.type in types
            and e.actor is not None]
    if not hits:
        return None
    return (hits[-1] if last else hits[0]).id


def _place_after(doc: Document, claim: Claim, ents: list[tuple[int, int, Entity]], at: int,
                 following: list[str]) -> str | None:
    near = [e for s, _, e in ents if at <= s <= at + 25 and e.type == "LOC" and _is_local(e)]
    if near:
        return near[0].id
    main = main_town(doc)
    if main is not None and following and _cues().city.search(following[0]):
        return main.id
    return None


# ------------------------------------------------------------------ tolls

def _tolls(doc: Document, claim: Claim, words: list[str]) -> list[_Toll]:
    """Death tolls stated in the claim: a count near a death word in its clause."""
    cues = _cues()
    text = claim.content.text
    if not _has(words, cues.death):
        return []
    sentence_words = _sentence_words(doc, claim)
    if _has(sentence_words, cues.cumulative):
        return []  # a running total over a period, not one incident's toll
    update = bool(_has(sentence_words, cues.update))
    tolls = []
    for q in doc.quantities:
        if not claim.content.start <= q.start < claim.content.end:
            continue
        rel = q.start - claim.content.start
        clause = _clause_around(text, rel, rel + len(q.text))
        if not _death_clause(clause):
            continue
        low, high = _interval(q.value, q.qualifier)
        victims = cues.unit_victims.get(q.unit or "") or _victims(normalize_key(clause[1]).split())
        tolls.append(_Toll(low, high, victims, q.text, update))
    tolls += _dual_tolls(text, {t.text for t in tolls})
    classes = [t.victims for t in tolls]
    # two figures for one class ("43 in the first blast, 7 in the second") break a total down
    return [t for t in tolls if classes.count(t.victims) == 1]


def _clause_around(text: str, start: int, end: int) -> tuple[str, str]:
    """The clause's words before the span and from the span on."""
    clause_break = _cues().clause_break
    before = clause_break.split(normalize_key(text[:start]))[-1]
    after = clause_break.split(normalize_key(text[start:]))[0]
    return before, after


def _death_clause(clause: tuple[str, str]) -> bool:
    """A death word nearer the count than any wounded word."""
    cues = _cues()
    before, after = clause[0].split()[-4:], clause[1].split()[:6]
    near = list(reversed(before)) + after  # roughly by distance
    order = sorted(range(len(near)), key=lambda k: k if k < len(before) else k - len(before))
    for k in order:
        if _has([near[k]], cues.wounded):
            return False
        if _has([near[k]], cues.death):
            return True
    return False


def _interval(value: int | None, qualifier: str) -> tuple[int, int | None]:
    if value is None:
        return _cues().vague_at_least, None
    if qualifier in ("at_least", "vague"):
        return value, None
    if qualifier == "more_than":
        return value + 1, None
    if qualifier == "at_most":
        return 0, value
    if qualifier == "about":
        return int(value * 0.8), int(value * 1.25) + 1
    return value, value


def _victims(words: list[str]) -> str:
    cues = _cues()
    for k in range(min(len(words), 6)):
        if k and any(c.isdigit() for c in words[k]):
            break  # the next figure counts other victims ("23 رهينة و32 مسلحا")
        for victims, nouns in cues.victims.items():
            if _has(words[k:k + 3], nouns):
                return victims
    return "people"


def _dual_tolls(text: str, taken: set[str]) -> list[_Toll]:
    """"قُتل جنديان", "مقتل عضوين": a dual noun after a death word counts two."""
    cues = _cues()
    words = normalize_key(text).split()
    found = []
    for i in _has(words, cues.death):
        for word in words[i + 1:i + 3]:
            bare = _bare_forms(word)[-1]
            for victims, nouns in cues.victims.items():
                if any(bare == n + s for n in nouns for s in cues.dual_suffixes) and word not in taken:
                    found.append(_Toll(2, 2, victims, word))
    return found


def _sentence_words(doc: Document, claim: Claim) -> list[str]:
    i = doc.sentence_index(claim.content.start)
    if i < 0:
        return normalize_key(claim.content.text).split()
    s = doc.sentences[i]
    return normalize_key(doc.text[s.start:max(s.end, claim.content.end)]).split()


# ------------------------------------------------------------------ competing accounts

def _accounts(words: list[str], context: list[str] | None = None) -> dict[str, set[str]]:
    """For each account group, the alternatives the claim names next to the outcome
    ("سقطت بسبب عطل", "قتله ... بتفجير"); with `context`, its sentence, anywhere in the claim
    when the sentence names the outcome ("تضاربت الأنباء حول مقتله: ... أصيب برصاصة")."""
    cues = _cues()
    named: dict[str, set[str]] = {}
    for name, outcome, alternatives in cues.accounts:
        near = {k for i in _has(words, outcome) if not _negated_at(words, i)
                for k in range(max(0, i - _ACCOUNT_WINDOW), i + _ACCOUNT_WINDOW + 1)}
        if context is not None and _has(context, outcome):
            near = set(range(len(words)))
        if not near:
            continue
        anywhere = {alt: _has(words, forms) for alt, forms in alternatives.items()}
        said = {alt for alt, at in anywhere.items()
                if any(i in near and not _negated_at(words, i) for i in at)}
        if len(said) == 1 and sum(1 for at in anywhere.values() if at) == 1:
            named[name] = said  # one cause, named nowhere else in the claim beside another
    return named


def _negated_at(words: list[str], i: int) -> bool:
    """A negation just before the word: "دون أن تؤدي إلى سقوط ضحايا في صفوف المدنيين"."""
    from marsad.extract.compare import default_comparer

    negation = default_comparer().tables.negation
    return any(w in negation for w in words[max(0, i - _NEGATION_REACH):i])


def _competing_accounts(doc: Document, a: Claim, b: Claim, fa: _Facts, fb: _Facts) -> str | None:
    if a.stance != "assert" or b.stance != "assert":
        return None
    one_sentence = bool(fa.sentences & fb.sentences)  # "conflicting reports of his death: ..."
    accounts_a = fa.sentence_accounts if one_sentence else fa.accounts
    accounts_b = fb.sentence_accounts if one_sentence else fb.accounts
    for group, alts_a in accounts_a.items():
        alts_b = accounts_b.get(group)
        if not (alts_b and len(alts_a) == 1 and len(alts_b) == 1 and alts_a != alts_b):
            continue
        if _same_incident(doc, a, b, fa, fb, strict=True) or _same_subject(fa, fb):
            return (f"{_speaker(doc, a)} ({a.id}) and {_speaker(doc, b)} ({b.id}) give competing "
                    f"accounts of {group}: {next(iter(alts_a))} against {next(iter(alts_b))}.")
    return None


def _same_subject(a: _Facts, b: _Facts) -> bool:
    """Two accounts of one subject: both open on it ("القيادي قتل برصاص" and "القيادي قتل
    بتفجير"), or share two of their other words, once outcomes and causes are left out."""
    from marsad.extract.compare import STOPWORDS, similar_stems, stem

    causes = _cues().account_words + _cues().death

    def content(words: list[str]) -> list[str]:
        return [stem(w) for w in words if w not in STOPWORDS and len(w) > 2
                and not w.isdigit() and not _has([w], causes)]

    mine, theirs = content(a.words), content(b.words)
    if not (mine and theirs):
        return False
    if a.words[0] not in STOPWORDS and similar_stems(stem(a.words[0]), stem(b.words[0])) \
            and mine[0] == stem(a.words[0]):
        return True
    return sum(1 for w in set(mine) if any(similar_stems(w, t) for t in theirs)) >= 2


def _same_incident(doc: Document, a: Claim, b: Claim, fa: _Facts, fb: _Facts,
                   strict: bool = False) -> bool:
    """Whether two claims speak of one incident: one event, one sentence, one place or
    person; unless `strict`, also "the attack" in both where at most one names a place."""
    if fa.focus and fb.focus and fa.focus != fb.focus:
        return False  # different places: different incidents, even if merged into one event
    if set(map(id, fa.events)) & set(map(id, fb.events)):
        return True
    if fa.sentences & fb.sentences or (fa.focus and fa.focus == fb.focus):
        return True
    if not strict and fa.persons & fb.persons:
        return True
    if strict or (fa.events and fb.events):
        return False
    return fa.definite and fb.definite and not (fa.focus and fb.focus)


# ------------------------------------------------------------------ denial

@dataclass(frozen=True)
class _BackReference:
    """A claim's object that points at another report: "ذلك", "ما أعلنته واشنطن"."""

    reporter: str | None  # the entity named as its source
    country: str | None  # "الرئيس الروسي": the country of a reporter named by a title
    contrast: bool  # "خلافا لما أعلنه": the target may come later in the article


def _denied(doc: Document, claim: Claim, facts: dict[str, _Facts],
            mentions: list[tuple[int, int, Entity]]) -> Claim | None:
    """The other source's assertion that this claim denies or contradicts, if any: the named
    reporter's nearest claim ("نفى ما أعلنته واشنطن"), else the best match of what it says,
    else, for a bare back-reference ("نفت ذلك", "هذه الأنباء"), the nearest earlier claim."""
    back = _back_reference(claim, mentions)
    if claim.stance != "deny" and (back is None or not back.contrast):
        return None
    fc = facts[claim.id]
    others = [c for c in doc.claims if c.stance == "assert" and _opposed(facts[c.id], fc)
              and (c.content.end <= claim.cue.start or (back is not None and back.contrast))]
    if back is not None and (back.reporter or back.country):
        named = [c for c in others if _speaks_for(doc, c, back)]
        if named:
            return min(named, key=lambda c: abs(c.content.start - claim.content.start))
    best = _best_denied(doc, claim, facts)
    if best is not None or back is None:
        return best
    here = min(fc.sentences, default=-1)
    recent = [c for c in others if c.content.end <= claim.cue.start and (
        here < 0 or here - max(facts[c.id].sentences, default=here) <= _cues().max_back)]
    return recent[-1] if recent else None


def _back_reference(claim: Claim, mentions: list[tuple[int, int, Entity]]) -> _BackReference | None:
    cues = _cues()
    words = normalize_key(claim.content.text).split()
    if not words:
        return None
    if _strip_conj(words[0]) in cues.demonstratives and (
            len(words) == 1 or _has(words[1:2], cues.report_nouns)
            or len(_has(words[1:], cues.filler)) == len(words) - 1):
        return _BackReference(None, None, False)
    joined = " ".join(words)
    match = cues.contrast.search(joined)
    contrast = match is not None
    match = match or cues.relative.search(joined)
    if match is None:
        return None
    n_words = len(joined[:match.end()].split())
    after = claim.content.start + _char_after(claim.content.text, n_words)
    named = [e for s, _, e in mentions if after <= s < min(after + 40, claim.content.end)
             and e.type in ("ORG", "PERSON", "LOC")]
    country = next((c for c in map(_nationality, words[n_words:n_words + 3]) if c), None)
    return _BackReference(named[0].id if named else None, country, contrast)


def _nationality(word: str) -> str | None:
    """The country a nationality adjective names ("الروسي" → RU)."""
    return _nationality_forms().get(word)


@lru_cache(maxsize=1)
def _nationality_forms() -> dict[str, str]:
    from marsad.knowledge.actors import default_actor_dictionary

    return {normalize_key(f): n.country for n in default_actor_dictionary().nationalities
            for f in n.forms}


def _char_after(text: str, n_words: int) -> int:
    offsets = _word_offsets(text)
    return offsets[min(n_words, len(offsets)) - 1][1] if offsets and n_words else 0


def _speaks_for(doc: Document, claim: Claim, back: _BackReference) -> bool:
    """The claim's speaker is the reporter named, or speaks for its country (a ministry for
    "Washington", the president for "the Russian president")."""
    if back.reporter is not None and claim.speaker == back.reporter:
        return True
    code = back.country
    speaker = doc.entity(claim.speaker)
    if speaker is None and code and claim.speaker_text:  # "الرئيس الروسي" unlinked
        return any(_nationality(w) == code for w in normalize_key(claim.speaker_text).split())
    if speaker is None or speaker.actor is None or speaker.actor.category != "State forces":
        return False
    named = doc.entity(back.reporter)
    if code is None and named is not None:
        code = named.place.country_code if named.place else (
            named.actor.country_code if named.actor else None)
    return bool(code and speaker.actor.country_code == code)


_DENIAL_REACH = 30  # claims before and after a denial that it may answer


def _best_denied(doc: Document, denial: Claim, facts: dict[str, _Facts]) -> Claim | None:
    """The assertion that best matches what the denial says (topic and wording)."""
    fd = facts[denial.id]
    candidates = []
    at = doc.claims.index(denial)
    # a denial answers a claim told near it: a long input (many articles joined) must not
    # make every denial read every claim
    for claim in doc.claims[max(0, at - _DENIAL_REACH):at + _DENIAL_REACH + 1]:
        if claim.stance != "assert" or not _opposed(facts[claim.id], fd):
            continue
        fc = facts[claim.id]
        related = fd.focus is not None and fd.focus == fc.focus and (
            fd.territory and fc.territory or fd.actors & fc.actors)
        shared = _containment(fd.words, fc.words)
        score = _topic_score(fd, fc) + 3.0 * shared
        if score >= _MIN_TOPIC_SCORE and (related or shared):
            candidates.append((score, claim))
    if not candidates:
        return None
    top = max(s for s, _ in candidates)
    tied = [c for s, c in candidates if s >= top - 0.5]
    if len(tied) == 1:
        return tied[0]
    similarity = _similarities(denial.content.text, [c.content.text for c in tied])
    ranked = sorted(zip(similarity, tied, strict=True), key=lambda p: (-p[0], p[1].content.start))
    return ranked[0][1]


def _topic_score(a: _Facts, b: _Facts) -> float:
    score = 2.0 * len(a.places & b.places) + 1.0 * len(a.actors & b.actors)
    if a.territory and b.territory:
        score += 1.5
    return score


def _containment(denied: list[str], other: list[str]) -> float:
    """Share of the denial's content words that the other claim also uses (0 under two)."""
    from marsad.extract.compare import STOPWORDS, similar_stems, stem

    cues = _cues()
    content = [w for w in denied if w not in STOPWORDS and not w.isdigit()
               and not _has([w], cues.filler) and len(w) > 2]
    if len(content) < 2:
        return 0.0
    stems = list(dict.fromkeys(stem(w) for w in other))  # each stem once
    exact = set(stems)
    hits = sum(1 for st in map(stem, content)
               if st in exact or any(similar_stems(st, s) for s in stems))
    share = hits / len(content)
    return share if hits >= 2 and share >= _MIN_CONTAINMENT else 0.0


def _similarities(text: str, others: list[str]) -> list[float]:
    """Cosine similarity of `text` with each of `others`, from the shipped encoder."""
    vectors = sentence_encoder().encode([text, *others])
    return [float(vectors[0] @ v) for v in vectors[1:]]


# ------------------------------------------------------------------ incompatible / counts

def _controllers_clash(doc: Document, ca: Claim, cb: Claim, a: _Facts, b: _Facts) -> str | None:
    """Two accounts naming different holders of one place at overlapping times."""
    if ca.stance == "deny" or cb.stance == "deny":
        return None  # what a denial names is what it says is untrue
    if set(map(id, a.events)) & set(map(id, b.events)):
        return None  # one account tells both changes of control: a sequence, not a clash
    if a.focus and b.focus and a.focus != b.focus:
        return None  # "north of Aleppo" and "east of Aleppo" are different areas
    for actor_a, place_a, from_a, to_a in a.holds:
        for actor_b, place_b, from_b, to_b in b.holds:
            if place_a != place_b or actor_a == actor_b or _allies(doc, actor_a, actor_b):
                continue
            if _periods_overlap(from_a, to_a, from_b, to_b):
                return (f"The sources name different controllers of {_name(doc, place_a)}: "
                        f"{_name(doc, actor_a)} in one account, {_name(doc, actor_b)} in the other.")
    return None


def _allies(doc: Document, a: str, b: str) -> bool:
    ea, eb = doc.entity(a), doc.entity(b)
    if not (ea and eb and ea.actor and eb.actor):
        return False
    return (ea.actor.category == eb.actor.category == "State forces"
            and ea.actor.country_code is not None
            and ea.actor.country_code == eb.actor.country_code)


def _happened_or_not(doc: Document, a: _Facts, b: _Facts, ca: Claim, cb: Claim) -> str | None:
    """One account says an event occurred, the other that it did not."""
    for event in a.events:
        for event_type, place in b.did_not_happen:
            if event_type == event.event_type and (place is None or place == event.location):
                return (f"{_speaker(doc, ca)} ({ca.id}) reports a "
                        f"{event.sub_event_type.lower()} in {_name(doc, event.location)}; "
                        f"{_speaker(doc, cb)} ({cb.id}) says it did not happen.")
    return None


def _periods_overlap(a0: str | None, a1: str | None, b0: str | None, b1: str | None) -> bool:
    if not (a0 and a1 and b0 and b1):
        return True
    return not (a1 < b0 or b1 < a0)


def _count_mismatch(doc: Document, ca: Claim, cb: Claim, a: _Facts, b: _Facts) -> str | None:
    """Death tolls of one incident, for one class of victims, that cannot both hold."""
    if ca.stance != "assert" or cb.stance != "assert":
        return None
    if not (a.tolls and b.tolls) or not _same_incident(doc, ca, cb, a, b):
        return None
    for ta in a.tolls:
        for tb in b.tolls:
            if ta.victims != tb.victims or ta.update or tb.update or not _disjoint(ta, tb):
                continue
            shared = next((v for v in a.events if v in b.events), None)
            what = (f"the {shared.sub_event_type.lower()} in {_name(doc, shared.location)}"
                    if shared else "the incident")
            return (f"The sources give different death tolls for {what}: "
                    f"{_figure(ta)} against {_figure(tb)}.")
    return None


def _disjoint(a: _Toll, b: _Toll) -> bool:
    if a.high is not None and a.high < b.low:
        return True
    return b.high is not None and b.high < a.low


def _figure(toll: _Toll) -> str:
    if toll.low == toll.high:
        return str(toll.low)
    return f"{toll.low} or more" if toll.high is None else toll.text


# ------------------------------------------------------------------ explanations

def _name(doc: Document, entity_id: str | None) -> str:
    entity = doc.entity(entity_id)
    if entity is None:
        return "an unnamed party"
    return entity.name_en or entity.name


def _speaker(doc: Document, claim: Claim) -> str:
    entity = doc.entity(claim.speaker)
    if entity is not None:
        return entity.name_en or entity.name
    return claim.speaker_text or "an unnamed source"


def _explain_denial(doc: Document, asserted: Claim, denial: Claim, topic: _Facts) -> str:
    what = "its account"
    territory = [v for v in topic.events if v.sub_event_type in _TERRITORY]
    if territory:
        v = territory[0]
        what = f"the report that {_name(doc, v.actor1)} took {_name(doc, v.location)}"
    elif topic.places:
        what = f"its account of {_name(doc, sorted(topic.places)[0])}"
    verb = "denies" if denial.stance == "deny" else "contradicts"
    return (f"{_speaker(doc, denial)} ({denial.id}) {verb} what {_speaker(doc, asserted)} "
            f"({asserted.id}) asserts: {what}.")
