"""Stage `events`: ACLED-coded events from Arabic cues and the entities around them.

For each cue (resources/events/triggers.yaml) in a sentence: skip it when the clause
before it negates, plans or dismisses it; read actor1 (the doer) and actor2 (the
target) from the words around it (بيد / من قبل mark the doer, من / على / ضد / ل the
target); take the place, time and killed count of the sentence; then fold the same
incident told twice into one event with several evidence spans.

Two kinds of statement are kept beside the events, for the contradictions stage:
present-tense control ("تسيطر عليها قوات النظام", `doc.control`) and acts a
source says did not happen ("لم تشن أي غارة", `doc.negated`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

import yaml

from marsad.document import (  # the statement records are typed Document layers
    ControlStatement,
    Document,
    Entity,
    Event,
    EventDate,
    Mention,
    NegatedStatement,
    Quantity,
    Span,
)
from marsad.knowledge.actors import default_actor_dictionary
from marsad.knowledge.link import main_town
from marsad.resources import resource_path
from marsad.text.normalize import normalize_key

_CLITICS = r"(?:[وف]?[بلك]?(?:ال)?|[وف]?لل)"  # و ف ب ل ك, and the article on noun cues
_NON_COMBATANT_KINDS = frozenset({"media", "monitor", "ngo", "un_agency", "agency",
                                  "think_tank", "court"})
_ARMED_KINDS = frozenset({"armed_group", "military", "militia", "intelligence", "police",
                          "peacekeeping", "coalition", "security", "paramilitary",
                          "private_military", "movement"})
_VIOLENT_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
_DOER_MARKERS = ("بيد", "من قبل", "علي يد")
_TARGET_MARKERS = ("من", "علي", "ضد", "ل", "عن")
_NEAR = 80  # characters: how far a nationality adjective may stand from its cue
_CITY_WORD = re.compile(r"(?<![\w])(?:[وفبل]?|لل)(?:ال)?(?:مدينة|بلدة|مدينه|بلده)(?![\w])")
_NEAR_WORDS = ("شرقي", "غربي", "شمالي", "جنوبي", "قرب", "ريف", "محيط", "ضواحي", "أطراف", "اطراف")
_QUALIFIERS = re.compile(r"(?:ما )?لا (?:يقل|تقل|يزيد|تزيد)")
_NOT_VICTIMS = frozenset({"families", "days", "years", "months", "weeks", "villages"})


@dataclass(frozen=True)
class EventCues:
    pattern: re.Pattern
    sub_event_of: dict[str, str]  # cue → sub-event type or "territory"
    event_type_of: dict[str, str]  # sub-event type → event type
    air_context: frozenset[str]
    negators: tuple[str, ...]
    planners: tuple[str, ...]
    blockers: frozenset[str]
    dismissals: tuple[str, ...]
    fatality_words: tuple[str, ...]
    civilian_words: frozenset[str]
    civilian_units: frozenset[str]
    background: tuple[str, ...]


@lru_cache(maxsize=1)
def event_cues() -> EventCues:
    with open(resource_path("events/triggers.yaml"), encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    with open(resource_path("events/acled.yaml"), encoding="utf-8") as handle:
        taxonomy = yaml.safe_load(handle)
    sub_event_of = {cue: "territory" for cue in raw["territory"]}
    sub_event_of.update({cue: "control" for cue in raw["control_state"]})
    for sub_event, cues in raw["sub_events"].items():
        for cue in cues:
            sub_event_of.setdefault(cue, sub_event)
    alternatives = "|".join(re.escape(c) for c in sorted(sub_event_of, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w]){_CLITICS}({alternatives})(?![\w])")
    event_type_of = {sub: etype for etype, subs in taxonomy.items() for sub in subs}
    unknown = {s for s in sub_event_of.values() if s not in ("territory", "control")}
    unknown -= set(event_type_of)
    if unknown:
        raise ValueError(f"triggers.yaml names sub-event types ACLED does not have: {unknown}")
    return EventCues(
        pattern, sub_event_of, event_type_of, frozenset(raw["air_context"]),
        tuple(raw["negators"]), tuple(raw["planners"]), frozenset(raw["blockers"]), tuple(raw["dismissals"]),
        tuple(raw["fatality_words"]), frozenset(raw["civilian_words"]),
        frozenset(raw["civilian_units"]), tuple(raw["background"]),
    )


def acled_taxonomy() -> dict[str, str]:
    """Sub-event type → event type, for all 25 ACLED sub-event types."""
    return dict(event_cues().event_type_of)


@dataclass
class _Trigger:
    start: int  # document.text offsets of the cue
    end: int
    s_start: int  # shadow offsets
    s_end: int
    cue: str
    sentence: int
    background: bool = False
    negated: bool = False  # "لم تشن الطائرات أي غارة": a report that it did not happen


# ------------------------------------------------------------------ finding cues

def find_triggers(doc: Document) -> list[_Trigger]:
    cues = event_cues()
    shadow = doc.shadow
    assert shadow is not None
    found = []
    for index, sentence in enumerate(doc.sentences):
        s_from, s_to = shadow.to_shadow(sentence.start, sentence.end)  # type: ignore[misc]
        text = shadow.text[s_from:s_to]
        for match in cues.pattern.finditer(text):
            a, b = s_from + match.start(1), s_from + match.end(1)
            why = _blocked(text, match.start(), cues)
            if why and why != "negated":
                continue
            start, end = shadow.to_original(a, b)
            before = " " + " ".join(text[:match.start()].split()[-3:]) + " "
            background = any(f" {marker} " in before for marker in cues.background)
            found.append(_Trigger(start, end, a, b, match.group(1), index, background,
                                  negated=why == "negated"))
    return found


def _blocked(sentence: str, at: int, cues: EventCues) -> str | None:
    """Why the cue is not a past event: "negated", "planned", "redirected", "dismissed"."""
    clause = re.split(r"[،,:؛.\"«]", sentence[:at])[-1]
    clause = _QUALIFIERS.sub(" ", clause)  # "ما لا يقل عن" counts, it does not negate
    words = clause.split()[-10:]
    joined = " " + " ".join(words) + " "
    if any(f" {word} " in joined for word in cues.planners) or any(map(_is_future_verb, words)):
        return "planned"
    if any(w.lstrip("وفبل") in cues.blockers or w in cues.blockers for w in words[-5:]):
        return "redirected"
    # a dismissed report: the dismissal stands in the same clause as the cue
    segment_start = max(sentence.rfind(".", 0, at), sentence.rfind("؛", 0, at)) + 1
    ends = [i for i in (sentence.find(".", at), sentence.find("؛", at)) if i >= 0]
    segment = sentence[segment_start:min(ends) if ends else len(sentence)]
    if any(phrase in segment for phrase in cues.dismissals):
        return "dismissed"
    if any(f" {neg} " in joined for neg in cues.negators):
        return "negated"
    return None


def _is_future_verb(word: str) -> bool:
    """سنشرع، سيتم، وستبدأ: the future particle on an imperfect verb."""
    return bool(re.fullmatch(r"[وف]?س[ينتا][\u0621-\u064a]{2,}", word)) and not word.startswith(
        ("سيطر", "سيار", "سيا", "سنوات", "سنه", "ستين", "سياس"))


# ------------------------------------------------------------------ arguments

@dataclass
class _Context:
    doc: Document
    by_sentence: dict[int, list[tuple[Mention, Entity]]]  # mentions per sentence, in order
    main_place: Entity | None

    def mentions_in(self, sentence: int) -> list[tuple[Mention, Entity]]:
        return self.by_sentence.get(sentence, [])


def _context(doc: Document) -> _Context:
    by_sentence: dict[int, list[tuple[Mention, Entity]]] = {}
    pairs = sorted(((m, e) for e in doc.entities for m in e.mentions), key=lambda p: p[0].start)
    for mention, entity in pairs:
        by_sentence.setdefault(doc.sentence_index(mention.start), []).append((mention, entity))
    places = [e for e in doc.entities if e.type == "LOC" and e.place is not None]
    main = main_town(doc) or max(places, key=lambda e: len(e.mentions), default=None)
    return _Context(doc, by_sentence, main)


def _is_actor(entity: Entity, violent: bool) -> bool:
    """Can this entity act in the event?  Violence needs an armed actor: a government,
    a ministry or a leader does not fire the shell, its forces do."""
    if entity.type not in ("ORG", "PERSON"):
        return False
    if entity.actor and entity.actor.actor_id:
        kind = (default_actor_dictionary().get(entity.actor.actor_id).kind or "").lower()
        if kind in _NON_COMBATANT_KINDS:
            return False
        return kind in _ARMED_KINDS if violent else True
    return entity.type == "ORG"


def _marker_before(doc: Document, mention: Mention, markers: tuple[str, ...]) -> bool:
    before = normalize_key(doc.text[max(0, mention.start - 30):mention.start])
    before = re.sub(r"\s+", " ", before).strip()
    words = before.split()
    tail1 = words[-1] if words else ""
    tail2 = " ".join(words[-2:])
    # "لفصائل": a proclitic ل glued to the mention marks a target too
    glued = doc.text[max(0, mention.start - 1):mention.start]
    return any(m in (tail1, tail2) for m in markers) or ("ل" in markers and glued == "ل")


def _actors(ctx: _Context, trig: _Trigger, sentence: Span) -> tuple[Entity | None, Entity | None]:
    doc = ctx.doc
    sub_event = event_cues().sub_event_of[trig.cue]
    violent = sub_event == "territory" or event_cues().event_type_of.get(sub_event) in _VIOLENT_TYPES
    inside = [(m, e) for m, e in ctx.mentions_in(trig.sentence) if _is_actor(e, violent)]
    after = [(m, e) for m, e in inside if m.start >= trig.end]
    before = [(m, e) for m, e in inside if m.end <= trig.start]
    actor1 = next((e for m, e in after if _marker_before(doc, m, _DOER_MARKERS)), None)
    if actor1 is None:
        remote = event_cues().event_type_of.get(event_cues().sub_event_of[trig.cue], "")
        nationality = [e for m, e in inside if m.source == "nationality"
                       and abs(m.start - trig.start) <= _NEAR]
        if nationality and remote == "Explosions/Remote violence":
            actor1 = nationality[0]  # "قصف روسي", "طائرات يعتقد أنها روسية"
    if actor1 is None and before and trig.cue.endswith("وا"):
        actor1 = before[-1][1]  # a plural verb agrees with a subject before it (SVO)
    if actor1 is None:
        near_after = [(m, e) for m, e in after[:1]
                      if len(doc.text[trig.end:m.start].split()) <= 1
                      and not _marker_before(doc, m, _TARGET_MARKERS)]
        if near_after:
            actor1 = near_after[0][1]
        elif before:
            actor1 = before[-1][1]
    actor2 = next((e for m, e in after if e is not actor1
                   and _marker_before(doc, m, _TARGET_MARKERS)), None)
    return actor1, actor2


def _location(ctx: _Context, trig: _Trigger, sentence: Span) -> tuple[Entity | None, int | None]:
    """The place of the clause: the nearest, most precise place mention, where "المدينة"
    stands for the article's main town; failing that, the main place, less precisely."""
    doc = ctx.doc
    options: list[tuple[int, int, Entity, int | None]] = []
    place_starts = set()
    for m, e in ctx.mentions_in(trig.sentence):
        if e.type == "LOC":
            options.append((_kind_rank(e), _distance(m.start, trig), e, _geo_precision(e)))
            place_starts.add(m.start)
    if ctx.main_place is not None:
        for match in _CITY_WORD.finditer(doc.text, sentence.start, sentence.end):
            if any(match.end() < p <= match.end() + 2 for p in place_starts):
                continue  # "بلدة السكرية": the noun introduces a named place
            before = doc.text[max(sentence.start, match.start() - 8):match.start()].split()
            near = bool(before) and before[-1] in _NEAR_WORDS
            options.append((0, _distance(match.start(), trig), ctx.main_place, 2 if near else 1))
    if options:
        _, _, entity, precision = min(options, key=lambda o: (o[0], o[1]))
        return entity, precision
    if ctx.main_place is not None:
        return ctx.main_place, 2 if _geo_precision(ctx.main_place) == 1 else 3
    return None, None


def _kind_rank(entity: Entity) -> int:
    """Towns and smaller places first, then provinces, then countries."""
    rank = {"populated_place": 0, "other": 0, "admin2": 0, "admin1": 1, "country": 2}
    return rank.get(entity.place.kind, 0) if entity.place else 0


def _distance(offset: int, trig: _Trigger) -> int:
    """Characters from the cue; places after it (its object) count as nearer."""
    return offset - trig.end if offset >= trig.end else trig.start - offset + 40


def _geo_precision(entity: Entity) -> int | None:
    if entity.place is None:
        return 3
    kind = entity.place.kind
    if kind == "populated_place":
        return 1
    if kind in ("other", "admin2"):
        return 2
    return 3


def _date(doc: Document, trig: _Trigger, sentence: Span) -> tuple[EventDate, bool]:
    times = [t for t in doc.times if sentence.start <= t.start < sentence.end and t.value
             and t.precision in ("day", "range", "week", "month")]
    if times:
        best = min(times, key=lambda t: abs(t.start - trig.end))
        return _event_date(best.value, best.precision), True
    if doc.published:
        day = doc.published.isoformat()
        return EventDate(day, day, 2), False
    return EventDate(None, None, None), False


def _event_date(value: str, precision: str) -> EventDate:
    if "/" in value:
        start, end = value.split("/")
        return EventDate(start, end, 2)
    if len(value) == 7:  # a month
        first = dt.date.fromisoformat(value + "-01")
        last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        return EventDate(first.isoformat(), last.isoformat(), 3)
    return EventDate(value, value, 1 if precision == "day" else 2)


def _fatalities(doc: Document, sentence: Span, owner: dict[int, int],
                trig: _Trigger) -> tuple[int | None, bool]:
    """The most conservative killed count tied to this cue, and whether victims are civilians.

    A count belongs to the nearest cue before it in the sentence ("قصف … أدى إلى سقوط
    عشرات القتلى"), or to the first cue after it when none precedes.
    """
    cues = event_cues()
    counts: list[Quantity] = []
    for q in doc.quantities:
        if not (sentence.start <= q.start < sentence.end) or q.value is None:
            continue
        if owner.get(q.start) != trig.start:
            continue
        around = normalize_key(doc.text[max(sentence.start, q.start - 40):min(sentence.end, q.end + 60)])
        near_killing = any(w in around for w in cues.fatality_words)
        if q.unit == "killed" or (near_killing and q.unit not in _NOT_VICTIMS):
            counts.append(q)
    if not counts:
        return None, False
    value = min(q.value for q in counts)  # type: ignore[type-var]
    civilian = any(q.unit in cues.civilian_units for q in counts) or any(
        w in normalize_key(doc.text[q.start:min(sentence.end, q.end + 40)]).split()
        for q in counts for w in cues.civilian_words)
    return value, civilian


# ------------------------------------------------------------------ assembly

def find_events(doc: Document) -> list[Event]:
    if doc.shadow is None or not doc.sentences:
        return []
    cues = event_cues()
    ctx = _context(doc)
    events: list[Event] = []
    triggers = find_triggers(doc)
    owner = _quantity_owners(doc, [t for t in triggers if not t.negated])
    doc.control = []
    doc.negated = []
    for trig in triggers:
        sentence = doc.sentences[trig.sentence]
        sub_event = cues.sub_event_of[trig.cue]
        actor1, actor2 = _actors(ctx, trig, sentence)
        if sub_event == "control":
            _record_control(doc, ctx, trig, sentence, actor1)
            continue
        if trig.negated:
            _record_negated(doc, ctx, trig, sentence, sub_event)
            continue
        if sub_event == "territory":
            if actor1 is None:
                continue  # a change of control with no one named is not codable
            state = actor1.actor is not None and actor1.actor.category == "State forces"
            sub_event = "Government regains territory" if state else "Non-state actor overtakes territory"
        elif sub_event == "Shelling/artillery/missile attack" and _air_context(doc, sentence, cues):
            sub_event = "Air/drone strike"
        location, geo_precision = _location(ctx, trig, sentence)
        date, from_text = _date(doc, trig, sentence)
        event_type = cues.event_type_of[sub_event]
        fatalities, civilian = _fatalities(doc, sentence, owner, trig)
        if event_type == "Battles":
            civilian = False
        found = sum(x is not None for x in (actor1, location)) + from_text
        events.append(Event(
            id="", event_type=event_type, sub_event_type=sub_event,
            actor1=actor1.id if actor1 else None, actor2=actor2.id if actor2 else None,
            assoc_actors=[], location=location.id if location else None, date=date,
            geo_precision=geo_precision, fatalities=fatalities,
            civilian_targeting=bool(civilian and event_type != "Battles"),
            evidence=[Span(trig.start, trig.end)], claims=[],
            confidence=round(0.45 + 0.15 * found, 2), date_from_text=from_text,
            background=trig.background,
            counts=[(trig.start, fatalities)] if fatalities is not None else [],
        ))
    merged = merge_duplicates(events)
    for k, event in enumerate(merged, 1):
        event.id = f"V{k}"
    return merged


def _record_negated(doc: Document, ctx: _Context, trig: _Trigger, sentence: Span,
                    sub_event: str) -> None:
    if sub_event in ("territory", "control"):
        event_type = "Battles"
    else:
        event_type = event_cues().event_type_of[sub_event]
    location, _ = _location(ctx, trig, sentence)
    doc.negated.append(NegatedStatement(
        trig.start, trig.end, event_type, location.id if location else None))


def _record_control(doc: Document, ctx: _Context, trig: _Trigger, sentence: Span,
                    actor: Entity | None) -> None:
    location, _ = _location(ctx, trig, sentence)
    if actor is None or location is None or trig.background:
        return
    date, _ = _date(doc, trig, sentence)
    doc.control.append(
        ControlStatement(trig.start, trig.end, actor.id, location.id, date))


def _quantity_owners(doc: Document, triggers: list[_Trigger]) -> dict[int, int]:
    """Quantity start → start of the cue it counts for (the nearest cue before it in its
    sentence, else the first cue after it)."""
    import bisect

    by_sentence: dict[int, list[_Trigger]] = {}
    for t in triggers:
        by_sentence.setdefault(t.sentence, []).append(t)
    starts = [s.start for s in doc.sentences]
    owner: dict[int, int] = {}
    for q in doc.quantities:
        same = by_sentence.get(bisect.bisect_right(starts, q.start) - 1, [])
        before = [t for t in same if t.end <= q.start]
        after = [t for t in same if t.start >= q.end]
        if before:
            owner[q.start] = before[-1].start
        elif after:
            owner[q.start] = after[0].start
    return owner


def _air_context(doc: Document, sentence: Span, cues: EventCues) -> bool:
    words = {_bare(w) for w in normalize_key(doc.text[sentence.start:sentence.end]).split()}
    return bool(words & cues.air_context)


def _bare(word: str) -> str:
    """A word without its proclitics and article: والطائرات → طائرات."""
    return re.sub(r"^(?:[وف]?[بلك]?ال|[وف]?لل|[وف])(?=\w{3})", "", word)


def _same_incident(a: Event, b: Event) -> bool:
    if a.location != b.location or a.event_type != b.event_type:
        return False
    if a.background != b.background:
        return False  # earlier history is not the incident being reported
    if not _dates_overlap(a, b):
        return False
    if a.sub_event_type == b.sub_event_type:
        return a.actor1 == b.actor1
    # a clash folds into the change of territory it produced
    territory = {"Government regains territory", "Non-state actor overtakes territory"}
    kinds = {a.sub_event_type, b.sub_event_type}
    if kinds & territory and "Armed clash" in kinds:
        return bool({a.actor1, a.actor2} & {b.actor1, b.actor2} - {None})
    return False


def _dates_overlap(a: Event, b: Event) -> bool:
    if not (a.date_from_text and b.date_from_text):
        return True
    return not (a.date.end < b.date.start or b.date.end < a.date.start)  # type: ignore[operator]


def merge_duplicates(events: list[Event]) -> list[Event]:
    """The same incident told twice is one event with several evidence spans."""
    merged: list[Event] = []
    for event in events:
        target = next((m for m in merged if _same_incident(m, event)), None)
        if target is None:
            merged.append(event)
            continue
        target.evidence.extend(event.evidence)
        if target.sub_event_type == "Armed clash" and event.sub_event_type != "Armed clash":
            target.sub_event_type = event.sub_event_type
        target.actor1 = target.actor1 or event.actor1
        target.actor2 = target.actor2 or event.actor2
        if event.fatalities is not None:  # ACLED: the most conservative figure
            target.fatalities = (event.fatalities if target.fatalities is None
                                 else min(target.fatalities, event.fatalities))
        target.counts.extend(event.counts)
        target.civilian_targeting = target.civilian_targeting or event.civilian_targeting
        if not target.date_from_text and event.date_from_text:
            target.date, target.date_from_text = event.date, True
        target.confidence = min(0.95, max(target.confidence, event.confidence) + 0.05)
    return merged


def link_events_to_claims(doc: Document) -> None:
    """An event whose evidence lies in a claim's content is reported by that claim."""
    times = {t.id: t for t in doc.times}
    for event in doc.events:
        for claim in doc.claims:
            inside = any(claim.content.start <= s.start and s.end <= claim.content.end
                         for s in event.evidence)
            if inside and claim.id not in event.claims:
                event.claims.append(claim.id)
                claim.events.append(event.id)
        reporting = [c for c in doc.claims if c.id in event.claims]
        if reporting and all(c.hedged for c in reporting):
            event.hedged = True
            event.confidence = round(max(0.05, event.confidence - 0.1), 2)
        if not event.date_from_text:
            said = [times[c.said_at] for c in reporting if c.said_at in times]
            dated = [t for t in said if t.value and t.precision in ("day", "range", "week")]
            if dated:
                event.date = _event_date(dated[0].value, dated[0].precision)  # type: ignore[arg-type]
                event.date_from_text = True
