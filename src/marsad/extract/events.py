"""Stage `events`: ACLED-coded events from Arabic cues and the entities around them.

For each cue (resources/events/triggers.yaml) in a sentence: skip it when the clause
before it negates, plans, fears, dismisses or aims at it, when it speaks of a period
rather than an incident, or when the cue word lies inside a name; read actor1 (the doer)
and actor2 (the target) from the words around it (بيد / من قبل / نفذتها mark the doer,
من / على / ضد / ل the target), never a speaker, an outlet or a monitor; take the place
and date of the cue's clause (a backer's or addressee's place, a reference point after
a direction and dates after publication left out) and the death toll tied to it (only
counts next to a word of killing; "لم تسفر عن إصابات" is 0; a toll in a following
sentence counts the incident before it). Then fold the same incident told twice (same
type at the same place and date, the headline's country and the lead's town, a later
"التفجير") into one event with several evidence spans.

Two kinds of statement are kept beside the events, for the contradictions stage:
present-tense control ("تسيطر عليها قوات النظام", `doc.control`) and acts a
source says did not happen ("لم تشن أي غارة", `doc.negated`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import lru_cache

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
from marsad.resources import load_yaml
from marsad.text.clitics import ARTICLE_PROCLITICS, CONJUNCTION, NOUN_PROCLITICS, PROCLITICS
from marsad.text.normalize import normalize_key

_CLITICS = NOUN_PROCLITICS  # و ف ب ل ك, and the article on noun cues
_NON_COMBATANT_KINDS = frozenset({"media", "monitor", "ngo", "un_agency", "agency",
                                  "think_tank", "court"})
_ARMED_KINDS = frozenset({"armed_group", "military", "militia", "intelligence", "police",
                          "peacekeeping", "coalition", "security", "paramilitary",
                          "private_military", "movement"})
_VIOLENT_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
# words before a mention that make it the doer ("نفذتها طائرات التحالف", "نسب إلى") or the
# target ("في صفوف الحوثيين")
_DOER_MARKERS = ("بيد", "من قبل", "علي يد", "نفذتها", "نفذها", "نفذه", "شنتها", "شنها", "شنه",
                 "تبناه", "تبناها", "تبنته", "نسب الي", "نسبت الي", "نسب الي متمردين من")
_TARGET_MARKERS = ("من", "علي", "ضد", "ل", "عن", "صفوف", "استهدف", "استهدفت", "تستهدف", "يستهدف")
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
    lists: dict[str, tuple[str, ...]]  # the other word lists of triggers.yaml, normalised


_LISTS = ("purpose", "purpose_nouns", "hypothetical", "aggregate", "operation_heads",
          "consequence_subs", "needs_place_after", "place_nouns", "truce_breakers",
          "protest_blockers", "other_count_words", "no_casualty_negators", "no_casualty_verbs",
          "no_casualty_nouns", "aggregate_tolls", "place_not_here_before", "non_combatant_words",
          "reporting_verbs", "directions", "interception", "no_accusative",
          "not_territory_objects", "not_destruction_objects")


def _norm_all(items) -> tuple[str, ...]:
    """Word lists in shadow form, as claims/cues.yaml is read: غارة and غاره both match."""
    return tuple(dict.fromkeys(" ".join(normalize_key(str(i)).split()) for i in items or ()))


def _trie(words: list[str]) -> str:
    """One regex alternation shaped as a trie: the cue scan branches on each character
    instead of trying some 270 cues in turn. Longer cues win, as in a sorted alternation."""
    tree: dict = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(c) + emit(child) for c, child in sorted(node.items()) if c]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return emit(tree)


@lru_cache(maxsize=16)
def _whole(key: str) -> re.Pattern:
    """A word list as one regex of whole, space-delimited phrases."""
    cues = event_cues()
    items = cues.lists.get(key) or getattr(cues, key)
    body = "|".join(re.escape(p) for p in sorted(items, key=len, reverse=True))
    return re.compile(rf" (?:{body}) ")


def _has(key: str, spaced: str) -> bool:
    """Does `spaced` (words joined by single spaces, padded) hold a phrase of list `key`?"""
    return _whole(key).search(spaced) is not None


@lru_cache(maxsize=8)
def _phrases(key: str, anchored_end: bool) -> re.Pattern:
    """A list of triggers.yaml as one regex: phrases at a word start, or (anchored) at the
    end of the text."""
    body = "|".join(re.escape(p) for p in sorted(event_cues().lists[key], key=len, reverse=True))
    return re.compile(rf"(?:^| )(?:{body}) $" if anchored_end else rf"(?:^| )(?:{body})")


@lru_cache(maxsize=1)
def event_cues() -> EventCues:
    raw = load_yaml("events/triggers.yaml")
    taxonomy = load_yaml("events/acled.yaml")
    sub_event_of = {cue: "territory" for cue in _norm_all(raw["territory"])}
    sub_event_of.update({cue: "control" for cue in _norm_all(raw["control_state"])})
    for sub_event, cues in raw["sub_events"].items():
        for cue in _norm_all(cues):
            sub_event_of.setdefault(cue, sub_event)
    no_accusative = set(_norm_all(raw.get("no_accusative")))
    for cue, sub in list(sub_event_of.items()):
        if " " not in cue and not _is_verb_cue(cue) and cue not in no_accusative \
                and not cue.endswith(("ه", "ات", "ي", "ا", "ين")) and sub != "control":
            sub_event_of.setdefault(cue + "ا", sub)  # "وقع انفجارا": the indefinite accusative
    pattern = re.compile(rf"(?<![\w]){_CLITICS}({_trie(sorted(sub_event_of))})(?![\w])")
    event_type_of = {sub: etype for etype, subs in taxonomy.items() for sub in subs}
    unknown = {s for s in sub_event_of.values() if s not in ("territory", "control")}
    unknown -= set(event_type_of)
    if unknown:
        raise ValueError(f"triggers.yaml names sub-event types ACLED does not have: {unknown}")
    lists = {name: _norm_all(raw.get(name)) for name in _LISTS}
    lists["consequence_subs"] = tuple(raw.get("consequence_subs") or ())  # ACLED names
    return EventCues(
        pattern, sub_event_of, event_type_of, frozenset(_norm_all(raw["air_context"])),
        _norm_all(raw["negators"]), _norm_all(raw["planners"]), frozenset(_norm_all(raw["blockers"])),
        _norm_all(raw["dismissals"]), _norm_all(raw["fatality_words"]),
        frozenset(_norm_all(raw["civilian_words"])), frozenset(raw["civilian_units"]),
        _norm_all(raw["background"]), lists,
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
    definite: bool = False  # "الانفجار", "التفجير": a noun with the article names a told incident


# ------------------------------------------------------------------ finding cues

def find_triggers(doc: Document) -> list[_Trigger]:
    cues = event_cues()
    shadow = doc.shadow
    assert shadow is not None
    names = _name_spans(doc)
    places = sorted(m.start for e in doc.entities if e.type == "LOC" for m in e.mentions)
    found = []
    for index, sentence in enumerate(doc.sentences):
        s_from, s_to = shadow.to_shadow(sentence.start, sentence.end)  # type: ignore[misc]
        text = shadow.text[s_from:s_to]
        for match in cues.pattern.finditer(text):
            a, b = s_from + match.start(1), s_from + match.end(1)
            cue = match.group(1)
            why = _blocked(text, match.start(), cues) or _not_an_incident(text, match, cues)
            start, end = shadow.to_original(a, b)
            if why == "needs_place" and _place_follows(doc, places, end, sentence.end):
                why = None  # "انسحبت القوات من حلب": a named place follows
            if why and why != "negated":
                continue
            if _inside_name(names, start, end):
                continue  # "الجبهة الوطنية للتحرير": a cue word inside a name
            before = " " + " ".join(text[:match.start()].split()[-3:]) + " "
            background = any(f" {marker} " in before for marker in cues.background)
            prefix = text[match.start():match.start(1)]
            definite = prefix.endswith(("ال", "لل")) and " " not in cue
            found.append(_Trigger(start, end, a, b, cue, index, background,
                                  negated=why == "negated", definite=definite))
    return _drop_consequences(found, cues)


def _place_follows(doc: Document, places: list[int], end: int, limit: int) -> bool:
    """A place mention right after "من" among the next six words: "انسحبت القوات من حلب"."""
    text = doc.text[end:min(limit, end + 80)]
    words = list(re.finditer(r"\S+", text))[:6]
    froms = [end + w.end() for w in words if normalize_key(w.group()) in ("من", "عن")]
    return any(0 <= p - f <= 2 for f in froms for p in places)


def _is_verb_cue(cue: str) -> bool:
    """قصفت، اعتقلوا، يقصف (not غارات, تفجير): a verb, which never takes the article."""
    return cue.endswith("وا") or (cue.endswith("ت") and not cue.endswith("ات")) or (
        cue[0] in "يت" and len(cue) <= 4)


def _name_spans(doc: Document) -> list[tuple[int, int]]:
    """Spans of organisation, person and other names (not places), in text order."""
    return sorted((m.start, m.end) for e in doc.entities if e.type != "LOC" for m in e.mentions)


def _inside_name(names: list[tuple[int, int]], start: int, end: int) -> bool:
    """A cue within a name and not at its first word ("قوات سوريا الديمقراطية",
    "حركة تحرير الشام"); a name that starts with the cue ("المقاتلات الروسية") still acts."""
    import bisect

    k = bisect.bisect_right(names, (start, 10**9))
    return any(n_start < start and end <= n_end for n_start, n_end in names[max(0, k - 4):k])


def _drop_consequences(found: list[_Trigger], cues: EventCues) -> list[_Trigger]:
    """Destruction and withdrawal told in a sentence with a violent cue are that
    incident's outcome ("قصف أسفر عن تدمير"), not a second event."""
    violent = {t.sentence for t in found if not t.negated and _is_violent_cue(t.cue, cues)}
    consequence = set(cues.lists["consequence_subs"])
    return [t for t in found
            if not (cues.sub_event_of[t.cue] in consequence and t.sentence in violent)]


def _is_violent_cue(cue: str, cues: EventCues) -> bool:
    sub = cues.sub_event_of[cue]
    return sub == "territory" or cues.event_type_of.get(sub) in _VIOLENT_TYPES


def _blocked(sentence: str, at: int, cues: EventCues) -> str | None:
    """Why the cue is not a past event: "negated", "planned", "redirected", "dismissed"."""
    clause = re.split(r"[،,:؛.\"«]", sentence[:at])[-1]
    clause = _QUALIFIERS.sub(" ", clause)  # "ما لا يقل عن" counts, it does not negate
    words = clause.split()[-10:]
    joined = " " + " ".join(words) + " "
    near = " " + " ".join(words[-6:]) + " "
    if _has("planners", joined) or any(map(_is_future_verb, words)):
        return "planned"
    if _has("hypothetical", near) or _may(words[-6:]):
        return "planned"  # "قد يشن", "حذر من هجوم": feared, threatened, asked for
    if _has("purpose", " " + " ".join(words[-4:]) + " "):
        return "planned"  # "بهدف السيطرة على", "من أجل تحرير"
    if any(w.lstrip("وفبل") in cues.blockers or w in cues.blockers for w in words[-5:]) or any(
            f" {b} " in " " + " ".join(words[-5:]) + " " for b in cues.blockers if " " in b):
        return "redirected"
    # a dismissed report: the dismissal stands in the same clause as the cue
    segment_start = max(sentence.rfind(".", 0, at), sentence.rfind("؛", 0, at)) + 1
    ends = [i for i in (sentence.find(".", at), sentence.find("؛", at)) if i >= 0]
    segment = sentence[segment_start:min(ends) if ends else len(sentence)]
    if any(phrase in segment for phrase in cues.dismissals):
        return "dismissed"
    if _has("negators", joined):
        return "negated"
    return None


def _may(words: list[str]) -> bool:
    """"قد يشن", "وقد تتعرض": قد before an imperfect verb is a possibility, not a report."""
    return any(w in ("قد", "وقد") and re.fullmatch(r"[يتن]\w{2,}", nxt)
               for w, nxt in zip(words, [*words[1:], ""], strict=False))


def _not_an_incident(sentence: str, match: re.Match, cues: EventCues) -> str | None:
    """Cue-specific reasons a cue names no incident: a purpose ("لاستعادة"), the goal of an
    operation ("معركة تحرير"), a pattern over time, a broken truce, a call to protest, a
    handover of no place."""
    cue = match.group(1)
    sub = cues.sub_event_of[cue]
    prefix = sentence[match.start():match.start(1)]
    before = re.split(r"[،,:؛.\"«]", sentence[:match.start()])[-1].split()
    if prefix in ("ل", "ول", "فل", "لل", "ولل", "فلل") and (cue in cues.lists["purpose_nouns"] or _purpose_lam(cue, before, cues)):
        return "planned"
    if sub == "territory" and before and _bare(before[-1]) in cues.lists["operation_heads"]:
        return "planned"
    if before and re.match(r"[وف]?ل(?!ل)", before[-1]) and \
            re.sub(r"^[وف]?ل", "", before[-1]) in cues.lists["purpose_nouns"]:
        return "planned"  # "لانتزاع السيطرة على", "لبسط السيطرة على"
    if _aggregate_clause(sentence, match.start(), match.end(), cues.lists["aggregate"]):
        return "aggregate"
    last = " " + " ".join(re.sub(f"^{PROCLITICS}", "", _bare(w)) for w in before[-4:]) + " "
    if sub == "Agreement" and any(f" {w} " in last for w in cues.lists["truce_breakers"]):
        return "redirected"
    if "protest" in sub.lower() and any(
            _bare(w) in cues.lists["protest_blockers"] or w in cues.lists["protest_blockers"]
            for w in before[-3:]):
        return "redirected"
    after = sentence[match.end():match.end() + 80].split()[:6]
    if sub == "territory" and any(w in cues.lists["not_territory_objects"] or
                                  _bare(w) in cues.lists["not_territory_objects"] for w in after[:4]):
        return "redirected"  # "تحرير الرهائن", "اقتحموا منزل الضابط"
    if sub == "Looting/property destruction" and any(
            _bare(w) in cues.lists["not_destruction_objects"] or w in cues.lists["not_destruction_objects"]
            for w in after[:3]):
        return "redirected"  # "أحرق نفسه", "أحرق المتظاهرون الأعلام"
    if cue in cues.lists["needs_place_after"] and not any(
            _bare(w) in cues.lists["place_nouns"] or w in cues.lists["place_nouns"] for w in after[:4]):
        return "needs_place"
    return None


_SUFFERED = ("تعرض", "يتعرض", "تتعرض", "ضحي", "نتيجه", "جراء", "اثر", "عرضه", "هدفا", "تعرضت")


def _purpose_lam(cue: str, before: list[str], cues: EventCues) -> bool:
    """"تنفيذ عمليات لقصف أهداف": a noun cue after ل is an aim, save where a place
    suffered it ("تعرضت البلدة لقصف", "ضحية لغارة")."""
    if cues.sub_event_of[cue] == "territory" or _is_verb_cue(cue):
        return False  # verbs and capture cues are handled elsewhere
    return not any(_bare(w).startswith(_SUFFERED) or w.startswith(_SUFFERED) for w in before)


def _aggregate_clause(sentence: str, start: int, end: int, phrases: tuple[str, ...]) -> bool:
    """The cue's clause (before and after it) speaks of a period: "منذ بداية", "طوال"."""
    left = re.split(r"[،,:؛.\"«]", sentence[:start])[-1]
    right = re.split(r"[،,:؛.\"»]", sentence[end:])[0]
    clause = " " + " ".join((left + " " + sentence[start:end] + " " + right).split()) + " "
    return any(f" {p} " in clause or f" و{p} " in clause for p in phrases)


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
    cues = event_cues()
    # a place only ever named as a backer, addressee or origin is no scene at all
    candidates = [main_town(doc)] + sorted(
        (e for e in doc.entities if e.type == "LOC" and e.place is not None),
        key=lambda e: -len(e.mentions))
    main = next((e for e in candidates if e is not None
                 and not all(_not_the_scene(doc, m, cues) for m in e.mentions)), None)
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
    before = re.sub(r"[\s\-ـ\"«»“”]+", " ", before).strip()
    words = before.split()
    tails = {" ".join(words[-k:]) for k in range(1, 5)}
    # "لفصائل": a proclitic ل glued to the mention marks a target too
    glued = doc.text[max(0, mention.start - 1):mention.start]
    return any(m in tails for m in markers) or ("ل" in markers and glued == "ل")


def _actors(ctx: _Context, trig: _Trigger, sentence: Span) -> tuple[Entity | None, Entity | None]:
    doc = ctx.doc
    cues = event_cues()
    sub_event = cues.sub_event_of[trig.cue]
    violent = sub_event == "territory" or cues.event_type_of.get(sub_event) in _VIOLENT_TYPES
    inside = [(m, e) for m, e in ctx.mentions_in(trig.sentence)
              if _is_actor(e, violent) and not _speaker_or_teller(doc, m, e, cues)]
    after = [(m, e) for m, e in inside if m.start >= trig.end]
    # the speaker stands before the complementiser: "قالت الشرطة إن القنبلة انفجرت"
    boundary, pronoun = _last_complementiser(doc, sentence.start, trig.start)
    before = [(m, e) for m, e in inside if boundary <= m.start and m.end <= trig.start]
    if pronoun and not before and not after:
        # "قالت قوات سوريا الديمقراطية إنها سيطرت": the pronoun is the speaker, who acted
        before = [(m, e) for m, e in ctx.mentions_in(trig.sentence)
                  if m.end <= boundary and _is_actor(e, violent)
                  and not _speaker_or_teller(doc, m, e, cues, subject_ok=True)]
    actor1 = next((e for m, e in after if _marker_before(doc, m, _DOER_MARKERS)), None)
    if actor1 is None:
        remote = cues.event_type_of.get(sub_event, "")
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
    if actor1 is None:
        actor1 = _claimant(doc, ctx, trig, violent)
    actor2 = next((e for m, e in after if not _same_actor(e, actor1)
                   and _marker_before(doc, m, _TARGET_MARKERS)), None)
    return actor1, actor2


_RESPONSIBILITY = re.compile(r"(?<!\w)(?:مسؤوليت\w*|المسؤولي[هة]|تبن[يى]\w*)(?!\w)")


def _claimant(doc: Document, ctx: _Context, trig: _Trigger, violent: bool) -> Entity | None:
    """"أعلن تنظيم داعش مسؤوليته عن التفجير": who claims an attack carried it out, though
    a reporting verb stands before the name."""
    sentence = doc.sentences[trig.sentence]
    claim = None
    for match in _RESPONSIBILITY.finditer(doc.text, sentence.start, trig.start):
        claim = match
    if claim is None:
        return None
    named = [e for m, e in ctx.mentions_in(trig.sentence)
             if m.end <= claim.start() and _is_actor(e, violent)
             and not _speaker_or_teller(doc, m, e, event_cues(), subject_ok=True)]
    return named[-1] if named else None


def _same_actor(a: Entity | None, b: Entity | None) -> bool:
    if a is None or b is None:
        return False
    if a is b or a.id == b.id:
        return True
    return bool(a.actor and b.actor and a.actor.actor_id and a.actor.actor_id == b.actor.actor_id)


_COMPLEMENTISER = re.compile(r"(?<!\w)[وف]?ب?[اأإ]ن(?:ه|ها|هم)?(?!\w)")


def _last_complementiser(doc: Document, start: int, end: int) -> tuple[int, bool]:
    """Offset after the last "إن/أن" before `end` in [start, end), else `start`; and
    whether it carries a pronoun ("إنها") that stands for the speaker."""
    last, pronoun = start, False
    for match in _COMPLEMENTISER.finditer(doc.text, start, end):
        last, pronoun = match.end(), match.group(0).endswith(("ه", "ها", "هم"))
    return last, pronoun


def _speaker_or_teller(doc: Document, mention: Mention, entity: Entity, cues: EventCues,
                       subject_ok: bool = False) -> bool:
    """An outlet, an agency, a monitor or a rights group tells or documents the event; a
    subject right after a reporting verb ("قالت الشرطة") or an addressee ("قال لوكالة")
    speaks or listens. None of them is its actor."""
    if _phrases("non_combatant_words", False).search(normalize_key(entity.name)):
        return True
    before = normalize_key(doc.text[max(0, mention.start - 25):mention.start]).split()
    if not before:
        return False
    words = [w for w in before if w.strip("-ـ\"«")]
    addressee = doc.text[max(0, mention.start - 1):mention.start] == "ل"
    if words and words[-1].strip("-ـ") == "ل":
        words = words[:-1]  # "قال لـ - " العربية "": the addressee's ل stands apart
        addressee = True
    if subject_ok and not addressee:
        return False
    return bool(words) and words[-1].lstrip("وف") in cues.lists["reporting_verbs"]


def _location(ctx: _Context, trig: _Trigger, sentence: Span) -> tuple[Entity | None, int | None]:
    """The place of the clause: the nearest, most precise place mention of the cue's own
    clause (then of its sentence), where "المدينة" stands for the article's main town;
    failing that, the main place, less precisely."""
    entity, precision, _ = _place_choice(ctx, trig, sentence)
    return entity, precision


def _place_choice(ctx: _Context, trig: _Trigger,
                  sentence: Span) -> tuple[Entity | None, int | None, Mention | None]:
    doc = ctx.doc
    cues = event_cues()
    clause = _clause_of(doc, sentence, trig.start, trig.end)
    options: list[tuple[int, int, int, Entity, int | None, Mention | None]] = []
    place_starts = set()
    for m, e in ctx.mentions_in(trig.sentence):
        if e.type != "LOC":
            continue
        place_starts.add(m.start)
        if _not_the_scene(doc, m, cues):
            continue
        outside = 0 if clause[0] <= m.start < clause[1] else 1
        reference = _reference_point(doc, m, sentence, cues)
        options.append((outside, _kind_rank(e) + 3 * reference, _distance(m.start, trig), e,
                        _geo_precision(e), m))
    if ctx.main_place is not None:
        for match in _CITY_WORD.finditer(doc.text, sentence.start, sentence.end):
            if any(match.end() < p <= match.end() + 2 for p in place_starts):
                continue  # "بلدة السكرية": the noun introduces a named place
            before = doc.text[max(sentence.start, match.start() - 8):match.start()].split()
            near = bool(before) and before[-1] in _NEAR_WORDS
            outside = 0 if clause[0] <= match.start() < clause[1] else 1
            options.append((outside, 0, _distance(match.start(), trig), ctx.main_place,
                            2 if near else 1, None))
    if options:
        _, _, _, entity, precision, mention = min(options, key=lambda o: o[:3])
        return entity, precision, mention
    if ctx.main_place is not None:
        return ctx.main_place, 2 if _geo_precision(ctx.main_place) == 1 else 3, None
    return None, None, None


def _clause_of(doc: Document, sentence: Span, start: int, end: int) -> tuple[int, int]:
    """The cue's clause: from the punctuation before it to the punctuation after it."""
    left = max(doc.text.rfind(p, sentence.start, start) for p in "،,؛:")
    right = [i for i in (doc.text.find(p, end, sentence.end) for p in "،,؛:") if i >= 0]
    return (left + 1 if left >= 0 else sentence.start), (min(right) if right else sentence.end)


def _not_the_scene(doc: Document, mention: Mention, cues: EventCues) -> bool:
    """"مدعومة من طهران", "قال لواشنطن", "قادمة من", "وقالت أنقرة": a backer, an addressee,
    an origin or a speaker, not where the event happened."""
    before = " " + " ".join(normalize_key(doc.text[max(0, mention.start - 30):mention.start])
                            .replace("ـ", " ").split()) + " "
    glued = doc.text[max(0, mention.start - 1):mention.start] == "ل"
    if glued:
        before = before.rstrip() + " ل "
    if _phrases("place_not_here_before", True).search(before):
        return True
    words = before.split()
    return bool(words) and words[-1].lstrip("وف") in cues.lists["reporting_verbs"]


def _reference_point(doc: Document, mention: Mention, sentence: Span, cues: EventCues) -> int:
    """1 for the place after a direction in "X جنوب حلب" or "30 كم شرق بغداد": it only
    locates the place named before it."""
    before = normalize_key(doc.text[max(sentence.start, mention.start - 20):mention.start]).split()
    if not before:
        return 0
    tail = " ".join(before[-2:])
    return int(before[-1].lstrip("وفب") in cues.lists["directions"]
               or tail in cues.lists["directions"])


def _coordinated_places(ctx: _Context, trig: _Trigger, mention: Mention | None,
                        entity: Entity | None) -> list[tuple[Entity, Mention]]:
    """"غارات على A و B": the places joined by و to the chosen one, one event each."""
    if mention is None or entity is None:
        return []
    doc = ctx.doc
    if normalize_key(doc.text[max(0, mention.start - 6):mention.start]).split()[-1:] == ["بين"]:
        return []  # "الطريق بين حلب ودمشق": one stretch, not two places
    more: list[tuple[Entity, Mention]] = []
    last = mention
    for m, e in ctx.mentions_in(trig.sentence):
        if m.start <= last.start or e.type != "LOC":
            continue
        gap = doc.text[last.end:m.start]
        if not re.fullmatch(r"\s*و\s*(?:(?:بلد[ةه]|مدين[ةه]|قري[ةه]|منطق[ةه]|حي)\s+)?", gap):
            break
        if e is not entity and _kind_rank(e) == _kind_rank(entity) and all(e is not x for x, _ in more):
            more.append((e, m))
        last = m
    return more


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
    """The date of the cue's clause, else of its sentence; never one after publication."""
    published = doc.published.isoformat() if doc.published else None
    times = [t for t in doc.times if sentence.start <= t.start < sentence.end and t.value
             and t.precision in ("day", "range", "week", "month")
             and not (published and t.value.split("/")[0] > published)]
    if times:
        clause = _clause_of(doc, sentence, trig.start, trig.end)
        best = min(times, key=lambda t: (not clause[0] <= t.start < clause[1],
                                         abs(t.start - trig.end)))
        date = _event_date(best.value, best.precision)
        if published and date.end and date.end > published:
            date = EventDate(date.start, published, date.precision)
        return date, True
    earlier = _date_before(doc, trig.sentence, published)
    if earlier is not None:
        return earlier, False  # the day the previous sentences of the paragraph tell
    if published:
        return EventDate(published, published, 2), False
    return EventDate(None, None, None), False


def _date_before(doc: Document, index: int, published: str | None) -> EventDate | None:
    """The last day named in the two sentences before, within the same paragraph."""
    if index == 0:
        return None
    first = doc.sentences[max(0, index - 2)].start
    para = next((p for p in doc.paragraphs if p.start <= doc.sentences[index].start < p.end), None)
    if para is not None:
        first = max(first, para.start)
    days = [t for t in doc.times if first <= t.start < doc.sentences[index].start and t.value
            and t.precision == "day" and not (published and t.value > published)]
    return _event_date(days[-1].value, "day") if days else None


def _event_date(value: str, precision: str) -> EventDate:
    if "/" in value:
        start, end = value.split("/")
        return EventDate(start, end, 2)
    if len(value) == 7:  # a month
        first = dt.date.fromisoformat(value + "-01")
        last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        return EventDate(first.isoformat(), last.isoformat(), 3)
    return EventDate(value, value, 1 if precision == "day" else 2)


def _fatalities(doc: Document, sentence: Span, owner: dict[int, int], trig: _Trigger,
                deaths: list[Quantity]) -> tuple[int | None, bool]:
    """The most conservative killed count tied to this cue, and whether victims are civilians.

    A count belongs to the nearest cue before it in the sentence ("قصف … أدى إلى سقوط
    عشرات القتلى"), or to the first cue after it when none precedes. "لم تسفر عن إصابات"
    after the cue is a count of 0.
    """
    counts = [q for q in deaths
              if sentence.start <= q.start < sentence.end and owner.get(q.start) == trig.start]
    if not counts:
        if _no_casualties(doc, trig.end, sentence.end):
            return 0, False
        return None, False
    return min(q.value for q in counts), _civilian(doc, counts, sentence.end)  # type: ignore[type-var]


def _civilian(doc: Document, counts: list[Quantity], limit: int) -> bool:
    cues = event_cues()
    return any(q.unit in cues.civilian_units for q in counts) or any(
        w in normalize_key(doc.text[q.start:min(limit, q.end + 40)]).split()
        for q in counts for w in cues.civilian_words)


_DEATH_STEMS = ("قتل", "مقتل", "مصرع", "حتف", "استشهد", "شهيد", "شهداء", "قتيل", "ضحايا", "ضحيه",
                "سقوط", "ارواح", "حياه", "اودي", "اوقع", "حصد")
_NOT_DEATH_UNITS = frozenset({"injured", "displaced", "detained", "residents"})


def _death_counts(doc: Document) -> list[Quantity]:
    """The quantities of `doc` that count the dead of one incident: tied to a word of
    killing, nearer to it than to one of wounding, abduction, arrest or flight, and
    neither a war's total nor one too large for an incident."""
    return [q for q in doc.quantities if q.value is not None and _is_death_count(doc, q)]


def _is_death_count(doc: Document, q: Quantity) -> bool:
    cues = event_cues()
    if q.value is None or q.value >= 10_000 or q.unit in _NOT_DEATH_UNITS or q.unit in _NOT_VICTIMS:
        return False
    start = max((doc.text.rfind(p, 0, q.start) for p in "،,؛:.\n"), default=-1) + 1
    ends = [i for i in (doc.text.find(p, q.end) for p in "،,؛:.\n") if i >= 0]
    end = min(ends) if ends else len(doc.text)
    clause = " " + " ".join(normalize_key(doc.text[start:end]).split()) + " "
    if any(f" {p} " in clause or f" و{p} " in clause for p in cues.lists["aggregate_tolls"]):
        return False
    if q.unit == "killed":
        return True
    before = normalize_key(doc.text[start:q.start]).split()[-3:][::-1]
    after = normalize_key(doc.text[q.end:end]).split()[:4]
    for k in range(4):
        for words in (before, after):
            if k < len(words):
                kind = _casualty_kind(words[k], cues)
                if kind:
                    return kind == "death"
    return False


def _casualty_kind(word: str, cues: EventCues) -> str | None:
    bare = _bare(word)
    if bare.startswith(_DEATH_STEMS) or word.startswith(_DEATH_STEMS):
        return "death"
    if bare in cues.lists["other_count_words"] or word in cues.lists["other_count_words"] or \
            bare.startswith(("اصيب", "اصاب", "جرح", "اختطف", "اعتقل", "نزح")):
        return "other"
    return None


@lru_cache(maxsize=1)
def _no_casualty_pattern() -> re.Pattern:
    lists = event_cues().lists
    alt = lambda key: "|".join(re.escape(w) for w in sorted(lists[key], key=len, reverse=True))  # noqa: E731
    return re.compile(rf"(?<!\w)[وف]?(?:{alt('no_casualty_negators')})\s+"
                      rf"(?:(?:{alt('no_casualty_verbs')})\s+)?(?:عن\s+)?(?:(?:اي|وقوع)\s+)?"
                      rf"(?:{alt('no_casualty_nouns')})(?!\w)")


def _no_casualties(doc: Document, start: int, end: int) -> bool:
    """"لم تسفر عن إصابات", "دون وقوع ضحايا" after the cue in its sentence."""
    return bool(_no_casualty_pattern().search(" ".join(normalize_key(doc.text[start:end]).split())))


# ------------------------------------------------------------------ assembly

def find_events(doc: Document) -> list[Event]:
    if doc.shadow is None or not doc.sentences:
        return []
    cues = event_cues()
    ctx = _context(doc)
    events: list[Event] = []
    triggers = find_triggers(doc)
    owner = _quantity_owners(doc, [t for t in triggers if not t.negated])
    deaths = _death_counts(doc)
    anaphoric: set[int] = set()
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
        else:
            sub_event = _refine(doc, trig, sentence, sub_event, cues)
        location, geo_precision, mention = _place_choice(ctx, trig, sentence)
        date, from_text = _date(doc, trig, sentence)
        event_type = cues.event_type_of[sub_event]
        fatalities, civilian = _fatalities(doc, sentence, owner, trig, deaths)
        found = sum(x is not None for x in (actor1, location)) + from_text
        event = Event(
            id="", event_type=event_type, sub_event_type=sub_event,
            actor1=actor1.id if actor1 else None, actor2=actor2.id if actor2 else None,
            assoc_actors=[], location=location.id if location else None, date=date,
            geo_precision=geo_precision, fatalities=fatalities,
            civilian_targeting=bool(civilian and event_type != "Battles"),
            evidence=[Span(trig.start, trig.end)], claims=[],
            confidence=round(0.45 + 0.15 * found, 2), date_from_text=from_text,
            background=trig.background,
            counts=[(trig.start, fatalities)] if fatalities is not None else [],
        )
        events.append(event)
        if trig.definite and not _names_own_place(doc, sentence, trig, mention):
            anaphoric.add(id(event))  # "التفجير" with no place of its own: the one told before
        for other, _ in _coordinated_places(ctx, trig, mention, location):
            # "غارات على A و B": one event per place; the toll cannot be split, so it stays
            # with the first
            events.append(replace(event, location=other.id, geo_precision=_geo_precision(other),
                                  fatalities=None, counts=[], evidence=list(event.evidence),
                                  claims=[], assoc_actors=[]))
    owned = {start for start, cue in owner.items() if any(t.start == cue for t in triggers)}
    events += _neighbour_tolls(ctx, [q for q in deaths if q.start not in owned], events)
    merged = merge_duplicates(events, doc, anaphoric)
    for k, event in enumerate(merged, 1):
        event.id = f"V{k}"
    return merged


def _names_own_place(doc: Document, sentence: Span, trig: _Trigger, mention: Mention | None) -> bool:
    """Does the cue name its own place within the next words ("إحدى الغارات الجوية على
    بلدة السكرية"), rather than a place of what follows ("أعقب التفجير اشتباكات في …")?"""
    if mention is None or mention.start < trig.end:
        return False
    return len(doc.text[trig.end:mention.start].split()) <= 4


def _refine(doc: Document, trig: _Trigger, sentence: Span, sub_event: str, cues: EventCues) -> str:
    """Shelling or destruction by aircraft is an air strike; a drone or missile
    intercepted ("اعتراض طائرة مسيرة") is disrupted weapons use."""
    remote = ("Air/drone strike", "Shelling/artillery/missile attack")
    if sub_event in remote:
        start = _clause_of(doc, sentence, trig.start, trig.end)[0]
        words = normalize_key(doc.text[start:trig.start]).split()[-10:]
        near = " " + " ".join(words) + " "
        bare = {_bare(x) for x in words} | {x.lstrip("وف") for x in words}
        if any(w in bare if " " not in w else f" {w} " in near for w in cues.lists["interception"]):
            return "Disrupted weapons use"
    if sub_event in ("Shelling/artillery/missile attack", "Looting/property destruction") and \
            _air_context(doc, _air_span(doc, trig, sentence), cues):
        return "Air/drone strike"
    return sub_event


_AND_THAT = re.compile(r"(?<!\w)[وف](?:ان|إن|أن)(?!\w)")


def _air_span(doc: Document, trig: _Trigger, sentence: Span) -> Span:
    """The cue's clause, cut at "وإن" ("قصف سلاح الجو … وإن مقاتلي المعارضة ردوا
    بإطلاق الصواريخ"): aircraft named in another clause did not fire this one."""
    start, end = _clause_of(doc, sentence, trig.start, trig.end)
    for m in _AND_THAT.finditer(doc.text, start, end):
        if m.end() <= trig.start:
            start = m.end()
        elif m.start() >= trig.end:
            end = m.start()
            break
    return Span(start, end)


def _neighbour_tolls(ctx: _Context, tolls: list[Quantity], events: list[Event]) -> list[Event]:
    """A toll in a sentence with no cue counts the incident of the sentence(s) before it
    (or the one at the place it names) when its own date does not say otherwise; with
    none, "قتل 5 في X" is an event of its own: an attack when the dead are civilians,
    else a clash."""
    doc = ctx.doc
    new: list[Event] = []
    for q in tolls:
        k = doc.sentence_index(q.start)
        sentence = doc.sentences[k]
        trig = _Trigger(q.start, q.end, 0, 0, "", k)
        date, from_text = _date(doc, trig, sentence)
        places = {e.id for m, e in ctx.mentions_in(k)
                  if e.type == "LOC" and not _not_the_scene(doc, m, event_cues())}
        fits = [v for v in events if not v.background and not (
            from_text and v.date_from_text and (v.date.end < date.start or date.end < v.date.start))]  # type: ignore[operator]
        near = [v for v in fits if any(k - 2 <= doc.sentence_index(s.start) < k for s in v.evidence)]
        target = next((v for v in fits if v.location in places), None) \
            or (near[-1] if near and not (places - {near[-1].location}) else None)
        if target is not None:
            target.evidence.append(Span(q.start, q.end))
            target.counts.append((q.start, q.value))  # type: ignore[arg-type]
            if target.fatalities is None:
                target.fatalities = q.value
            continue
        scene = _scene_in_clause(ctx, q, sentence)
        if scene is None:
            continue
        civilian = _civilian(doc, [q], sentence.end)
        kind = ("Violence against civilians", "Attack") if civilian else ("Battles", "Armed clash")
        new.append(Event(
            id="", event_type=kind[0], sub_event_type=kind[1], actor1=None, actor2=None,
            assoc_actors=[], location=scene.id, date=date,
            geo_precision=_geo_precision(scene), fatalities=q.value, civilian_targeting=civilian,
            evidence=[Span(q.start, q.end)], claims=[], confidence=0.5,
            date_from_text=from_text, counts=[(q.start, q.value)],  # type: ignore[list-item]
        ))
    return new


_AT = re.compile(r"(?:(?<!\w)(?:في|قرب|داخل|بمدينة|بمدينه|ببلدة|ببلده|بمنطقة|بمنطقه)\s+(?:\w+\s+)?|(?<!\w)[وف]?ب)$")


def _scene_in_clause(ctx: _Context, q: Quantity, sentence: Span) -> Entity | None:
    """The first place of the toll's clause introduced as a scene ("في حلب", "بإدلب")."""
    doc = ctx.doc
    start, end = _clause_of(doc, sentence, q.start, q.end)
    for m, e in ctx.mentions_in(doc.sentence_index(q.start)):
        if e.type == "LOC" and start <= m.start < end and \
                _AT.search(doc.text[max(start, m.start - 20):m.start]):
            return e
    return None


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
    text = " " + " ".join(normalize_key(doc.text[sentence.start:sentence.end]).split()) + " "
    words = {_bare(w) for w in text.split()}
    return bool(words & _bare_set(cues.air_context)) or any(
        f" {c} " in text for c in cues.air_context if " " in c)


@lru_cache(maxsize=1)
def _bare_set(words: frozenset[str]) -> frozenset[str]:
    return frozenset(_bare(w) for w in words) | words


_PROCLITICS = re.compile(rf"^(?:{ARTICLE_PROCLITICS}|{CONJUNCTION})(?=\w{{3}})")


def _bare(word: str) -> str:
    """A word without its proclitics and article: والطائرات → طائرات."""
    return _PROCLITICS.sub("", word)


# When two cues of one incident name different sub-types, the more specific one wins:
# "تفجير انتحاري" is a suicide bomb, "قصف جوي … قذائف" an air strike.
_MORE_SPECIFIC = ("Suicide bomb", "Chemical weapon", "Air/drone strike", "Remote explosive/landmine/IED",
                  "Government regains territory", "Non-state actor overtakes territory")
_TERRITORY = frozenset({"Government regains territory", "Non-state actor overtakes territory"})


def _same_incident(a: Event, b: Event, same_sentence: bool = False,
                   places: dict[str, Entity] | None = None) -> bool:
    """One incident told twice: the same type at the same place and date, by compatible
    actors (the same, or one not named). Across sentences the sub-type must agree too,
    save a bomb told as a blast and a suicide bombing, and a clash that took a place.
    A headline's country and the lead's town are one place for the same sub-type."""
    if a.event_type != b.event_type:
        return False
    if a.location != b.location and not (
            a.sub_event_type == b.sub_event_type and _within(a.location, b.location, places or {})):
        return False
    if a.background != b.background:
        return False  # earlier history is not the incident being reported
    if not _dates_overlap(a, b):
        return False
    compatible = a.actor1 is None or b.actor1 is None or a.actor1 == b.actor1
    kinds = {a.sub_event_type, b.sub_event_type}
    if a.sub_event_type == b.sub_event_type:
        return compatible
    if kinds & _TERRITORY and "Armed clash" in kinds:
        # a clash folds into the change of territory it produced
        return bool({a.actor1, a.actor2} & {b.actor1, b.actor2} - {None}) or (
            same_sentence and compatible)
    if kinds == {"Suicide bomb", "Remote explosive/landmine/IED"}:
        return compatible
    return same_sentence and compatible


def _is_country(entity: Entity | None) -> bool:
    return entity is not None and entity.place is not None and entity.place.kind == "country"


def _told_before(told: Event, mention: Event) -> bool:
    """Can a definite mention ("التفجير") refer back to the event told before?"""
    same_kind = told.sub_event_type == mention.sub_event_type or \
        {told.sub_event_type, mention.sub_event_type} in _REFINES
    compatible = told.actor1 is None or mention.actor1 is None or told.actor1 == mention.actor1
    return same_kind and compatible and not told.background and _dates_overlap(told, mention)


def _within(a: str | None, b: str | None, places: dict[str, Entity]) -> bool:
    """One of the two places is a country and the other lies in it."""
    pa, pb = (places[x].place if x in places else None for x in (a, b))
    if pa is None and pb is None:
        return False
    if pa is None or pb is None:  # an unplaced village beside the country of the headline
        return a in places and b in places and (pa or pb).kind == "country"  # type: ignore[union-attr]
    if (pa.kind == "country") == (pb.kind == "country"):
        return False
    return pa.country_code == pb.country_code


def _dates_overlap(a: Event, b: Event) -> bool:
    if not (a.date_from_text and b.date_from_text):
        return True
    return not (a.date.end < b.date.start or b.date.end < a.date.start)  # type: ignore[operator]


_REFINES = ({"Suicide bomb", "Remote explosive/landmine/IED"},
            {"Air/drone strike", "Shelling/artillery/missile attack"},
            {"Chemical weapon", "Air/drone strike"}, {"Chemical weapon", "Shelling/artillery/missile attack"})


def _specific(a: str, b: str) -> str:
    """The sub-type of two cues of one incident: the more specific of a known pair (a
    suicide bombing told as a blast), a capture over the clash; else the first told."""
    if a == b:
        return a
    if {a, b} in _REFINES or {a, b} & _TERRITORY:
        rank = {sub: k for k, sub in enumerate(_MORE_SPECIFIC)}
        return min((a, b), key=lambda sub: rank.get(sub, len(rank)))
    return a


def merge_duplicates(events: list[Event], doc: Document | None = None,
                     anaphoric: set[int] | None = None) -> list[Event]:
    """The same incident told twice is one event with several evidence spans. A cue
    with the article ("الانفجار أعقبته اشتباكات") names the incident told before it of
    the same kind, wherever the sentence puts it."""
    merged: list[Event] = []
    places = {e.id: e for e in doc.entities if e.type == "LOC"} if doc else {}

    seen: dict[int, tuple[int, set[int]]] = {}

    def sentences(event: Event) -> set[int]:
        """The sentences of an event's evidence, cached until its evidence grows."""
        cached = seen.get(id(event))
        if cached is None or cached[0] != len(event.evidence):
            cached = (len(event.evidence),
                      {doc.sentence_index(s.start) for s in event.evidence} if doc else set())
            seen[id(event)] = cached
        return cached[1]

    for event in events:
        mine = sentences(event)
        target = next((m for m in merged
                       if _same_incident(m, event, bool(mine & sentences(m)), places)), None)
        if target is None and id(event) in (anaphoric or ()):
            target = next((m for m in reversed(merged) if _told_before(m, event)), None)
            if target is not None:  # the back-reference's own place and actors are its clause's
                event.location, event.geo_precision = target.location, target.geo_precision
                event.actor1 = event.actor2 = None
        if target is None:
            merged.append(event)
            continue
        if target.location != event.location and _is_country(places.get(target.location or "")):
            target.location, target.geo_precision = event.location, event.geo_precision
        target.evidence.extend(event.evidence)
        target.sub_event_type = _specific(target.sub_event_type, event.sub_event_type)
        target.actor1 = target.actor1 or event.actor1
        target.actor2 = target.actor2 or event.actor2
        if target.actor2 == target.actor1:
            target.actor2 = None
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
