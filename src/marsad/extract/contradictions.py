"""Stage `contradictions`: where the sources of one article disagree.

- denial: a `deny` claim whose content is the proposition of another source's claim;
- incompatible: two sources name different controllers of one place at overlapping
  times, or one says an event happened and another that it did not;
- count_mismatch: different fatality figures for the same event.

Whether two claims are about the same thing is decided from the event, place and
actor structure, with the shipped sentence encoder as a tie-breaker.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from itertools import combinations

from marsad.document import Claim, Contradiction, Document, Entity, Event
from marsad.encoder import sentence_encoder
from marsad.knowledge.link import main_town
from marsad.text.normalize import normalize_key

_TERRITORY = {"Government regains territory", "Non-state actor overtakes territory"}
# Topic words: a claim about control or withdrawal speaks of territory even without an event.
_TERRITORY_WORDS = re.compile(r"سيطر|انسحا|ينسحب|انسحب|استعاد|تسقط|سقوط|دخل|حرر|تحرير|معاقل")
_CITY_WORDS = re.compile(r"(?<![\w])(?:[وفبل]?)(?:ال)?(?:مدينه|المنطقه|البلده)(?![\w])")
_MIN_TOPIC_SCORE = 2.0


@dataclass
class _Topic:
    places: set[str]
    actors: set[str]
    territory: bool
    events: list[Event]
    holds: list[tuple[str, str, str | None, str | None]]  # (actor, place, from, to)
    did_not_happen: list[tuple[str, str | None]]  # (event type, place) said not to have occurred


def find_contradictions(doc: Document) -> list[Contradiction]:
    if len(doc.claims) < 2:
        return []
    mentions = sorted(((m.start, e) for e in doc.entities for m in e.mentions),
                      key=lambda p: p[0])
    topics = {c.id: _topic(doc, c, mentions) for c in doc.claims}
    found: list[Contradiction] = []
    seen: set[frozenset[str]] = set()

    def add(a: Claim, b: Claim, kind: str, explanation: str) -> None:
        pair = frozenset((a.id, b.id))
        if pair not in seen:
            seen.add(pair)
            found.append(Contradiction(f"X{len(found) + 1}", [a.id, b.id], kind, explanation))  # type: ignore[arg-type]

    for denial in (c for c in doc.claims if c.stance == "deny"):
        best = _best_denied(doc, denial, topics)
        if best is not None:
            add(best, denial, "denial", _explain_denial(doc, best, denial, topics[best.id]))
    for a, b in combinations(doc.claims, 2):
        if _same_speaker(doc, a, b):
            continue
        clash = (_controllers_clash(doc, topics[a.id], topics[b.id])
                 or _happened_or_not(doc, topics[a.id], topics[b.id], a, b)
                 or _happened_or_not(doc, topics[b.id], topics[a.id], b, a))
        if clash:
            add(a, b, "incompatible", clash)
        mismatch = _count_mismatch(doc, topics[a.id], topics[b.id], a, b)
        if mismatch:
            add(a, b, "count_mismatch", mismatch)
    return found


# ------------------------------------------------------------------ topics

def _topic(doc: Document, claim: Claim, mentions: list[tuple[int, Entity]]) -> _Topic:
    lo = bisect.bisect_left(mentions, claim.content.start, key=lambda p: p[0])
    hi = bisect.bisect_left(mentions, claim.content.end, key=lambda p: p[0])
    inside = mentions[lo:hi]
    places = {e.id for m, e in inside if e.type == "LOC" and _is_local(e)}
    actors = {e.id for m, e in inside if e.type in ("ORG", "PERSON") and e.id != claim.speaker}
    content = normalize_key(claim.content.text)
    main = main_town(doc)
    if main is not None and _CITY_WORDS.search(content):
        places.add(main.id)
    events = [v for v in doc.events if v.id in claim.events]
    places.update(v.location for v in events if v.location)
    territory = bool(_TERRITORY_WORDS.search(content)) or any(
        v.sub_event_type in _TERRITORY for v in events)
    holds = [(v.actor1, v.location, v.date.start, v.date.end) for v in events
             if v.sub_event_type in _TERRITORY and not v.background and v.actor1 and v.location]
    holds += [(c.actor, c.location, c.date.start, c.date.end)
              for c in doc.control
              if claim.content.start <= c.start < claim.content.end]
    negated = [(x.event_type, x.location) for x in doc.negated
               if claim.content.start <= x.start < claim.content.end]
    return _Topic(places, actors, territory, events, holds, negated)


def _is_local(entity: Entity) -> bool:
    return entity.place is None or entity.place.kind not in ("country",)


def _same_speaker(doc: Document, a: Claim, b: Claim) -> bool:
    if a.speaker and b.speaker:
        return a.speaker == b.speaker
    return normalize_key(a.speaker_text or "") == normalize_key(b.speaker_text or "")


# ------------------------------------------------------------------ denial

def _topic_score(a: _Topic, b: _Topic) -> float:
    score = 2.0 * len(a.places & b.places) + 1.0 * len(a.actors & b.actors)
    if a.territory and b.territory:
        score += 1.5
    return score


def _best_denied(doc: Document, denial: Claim, topics: dict[str, _Topic]) -> Claim | None:
    """The other source's assertion that this denial answers, if any."""
    candidates = []
    for claim in doc.claims:
        if claim.stance != "assert" or _same_speaker(doc, claim, denial):
            continue
        if _speaker_allied(doc, claim, denial):
            continue
        score = _topic_score(topics[denial.id], topics[claim.id])
        if score >= _MIN_TOPIC_SCORE:
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


def _speaker_allied(doc: Document, a: Claim, b: Claim) -> bool:
    """Two speakers of one country (a ministry and its army) do not contradict each other."""
    ea, eb = doc.entity(a.speaker), doc.entity(b.speaker)
    if ea and eb and ea.actor and eb.actor and ea.actor.country_code:
        return ea.actor.country_code == eb.actor.country_code
    return False


def _similarities(text: str, others: list[str]) -> list[float]:
    """Cosine similarity of `text` with each of `others`, from the shipped encoder."""
    vectors = sentence_encoder().encode([text, *others])
    return [float(vectors[0] @ v) for v in vectors[1:]]


# ------------------------------------------------------------------ incompatible / counts

def _controllers_clash(doc: Document, a: _Topic, b: _Topic) -> str | None:
    """Two accounts naming different holders of one place at overlapping times."""
    if set(map(id, a.events)) & set(map(id, b.events)):
        return None  # one account tells both changes of control: a sequence, not a clash
    for actor_a, place_a, from_a, to_a in a.holds:
        for actor_b, place_b, from_b, to_b in b.holds:
            if place_a != place_b or actor_a == actor_b:
                continue
            if _periods_overlap(from_a, to_a, from_b, to_b):
                return (f"The sources name different controllers of {_name(doc, place_a)}: "
                        f"{_name(doc, actor_a)} in one account, {_name(doc, actor_b)} in the other.")
    return None


def _happened_or_not(doc: Document, a: _Topic, b: _Topic, ca: Claim, cb: Claim) -> str | None:
    """One account says an event occurred, the other that it did not."""
    for event in a.events:
        if event.background:
            continue
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


def _count_mismatch(doc: Document, a: _Topic, b: _Topic, ca: Claim, cb: Claim) -> str | None:
    for event in set(map(id, a.events)) & set(map(id, b.events)):
        shared = next(v for v in a.events if id(v) == event)
        in_a = {n for s, n in shared.counts if ca.content.start <= s < ca.content.end}
        in_b = {n for s, n in shared.counts if cb.content.start <= s < cb.content.end}
        if in_a and in_b and not in_a & in_b:
            return (f"The sources give different death tolls for the "
                    f"{shared.sub_event_type.lower()} in {_name(doc, shared.location)}: "
                    f"{min(in_a)} against {min(in_b)}.")
    for ea in a.events:
        for eb in b.events:
            if ea is eb or ea.fatalities is None or eb.fatalities is None:
                continue
            if (ea.location == eb.location and ea.sub_event_type == eb.sub_event_type
                    and ea.fatalities != eb.fatalities and _overlap(ea, eb)):
                return (f"The sources give different death tolls for the {ea.sub_event_type.lower()} "
                        f"in {_name(doc, ea.location)}: {ea.fatalities} against {eb.fatalities}.")
    return None


def _overlap(a: Event, b: Event) -> bool:
    return _periods_overlap(a.date.start, a.date.end, b.date.start, b.date.end)


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


def _explain_denial(doc: Document, asserted: Claim, denial: Claim, topic: _Topic) -> str:
    what = "its account"
    territory = [v for v in topic.events if v.sub_event_type in _TERRITORY]
    if territory:
        v = territory[0]
        what = f"the report that {_name(doc, v.actor1)} took {_name(doc, v.location)}"
    elif topic.places:
        what = f"its account of {_name(doc, sorted(topic.places)[0])}"
    return (f"{_speaker(doc, denial)} ({denial.id}) denies what {_speaker(doc, asserted)} "
            f"({asserted.id}) asserts: {what}.")
