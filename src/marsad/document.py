"""The Document that flows through the pipeline, and the offset map behind it.

`Document.text` is the user's text after CRLF→LF and NFC only; every offset in every
layer indexes into it.  Matching happens on `Document.shadow`, a normalised copy whose
characters each remember the original range they came from.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from array import array
from dataclasses import dataclass, field
from typing import Literal, TypedDict

AlignmentMode = Literal["strict", "contract", "expand"]


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character range [start, end) into `Document.text`."""

    start: int
    end: int
    label: str | None = None


class ShadowText:
    """Normalised text plus, for each of its characters, the original range it stands for.

    Characters dropped by normalisation (diacritics, tatweel) are absorbed into the
    range of the character before them, so a shadow span maps back to an original span
    that includes its trailing vowel marks.
    """

    __slots__ = ("text", "_starts", "_ends", "original_length")

    def __init__(self, text: str, starts: array, ends: array, original_length: int):
        if not (len(text) == len(starts) == len(ends)):
            raise ValueError("shadow text and offset map differ in length")
        self.text = text
        self._starts = starts
        self._ends = ends
        self.original_length = original_length

    def __len__(self) -> int:
        return len(self.text)

    def original_offset(self, index: int) -> int:
        """Original position of the shadow character at `index` (len → end of text)."""
        if index >= len(self.text):
            return self.original_length
        return self._starts[index]

    def offset_map(self) -> tuple[array, array]:
        """(start, end) arrays: shadow character i stands for original [starts[i], ends[i])."""
        return self._starts, self._ends

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a shadow span [start, end) to the original span it was made from."""
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"shadow span ({start}, {end}) outside 0..{len(self.text)}")
        if start == end:
            pos = self.original_offset(start)
            return pos, pos
        return self._starts[start], self._ends[end - 1]

    def to_shadow(self, start: int, end: int, mode: AlignmentMode = "expand") -> tuple[int, int] | None:
        """Map an original span to shadow indices.

        `strict` returns None unless both ends fall on shadow character boundaries;
        `contract` keeps only shadow characters wholly inside; `expand` takes every
        shadow character that overlaps the span.
        """
        import bisect

        starts, ends = self._starts, self._ends
        if mode == "strict":
            i = bisect.bisect_left(starts, start)
            j = bisect.bisect_left(ends, end)
            if i < len(starts) and starts[i] == start and j < len(ends) and ends[j] == end:
                return i, j + 1
            return None
        if mode == "contract":
            i = bisect.bisect_left(starts, start)
            j = bisect.bisect_right(ends, end)
            return (i, j) if i <= j else (i, i)
        i = bisect.bisect_right(ends, start)
        j = bisect.bisect_left(starts, end)
        return (i, j) if i <= j else (i, i)


@dataclass(slots=True)
class Piece:
    """One morpheme of a token: a proclitic, the stem or an enclitic."""

    start: int
    end: int
    kind: Literal["proclitic", "stem", "enclitic"]
    norm: str  # the normalised form; a stem after لل carries its restored ال


@dataclass(slots=True)
class Token:
    start: int
    end: int
    text: str
    norm: str
    kind: Literal["word", "number", "punct", "latin", "other"]
    pieces: list[Piece] = field(default_factory=list)
    sentence: int = -1

    @property
    def stem(self) -> Piece | None:
        for piece in self.pieces:
            if piece.kind == "stem":
                return piece
        return None

    @property
    def stem_norm(self) -> str:
        stem = self.stem
        return stem.norm if stem else self.norm


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    text: str
    source: str = "model"  # which layer proposed it: dictionary, gazetteer, model, rule …
    key: str | None = None  # dictionary key (actor id, place key) when known


@dataclass(slots=True)
class Place:
    geonames_id: int | None
    name_en: str
    lat: float
    lon: float
    country_code: str
    admin1: str | None
    kind: Literal["country", "admin1", "admin2", "populated_place", "other"]
    confidence: float


@dataclass(slots=True)
class ActorInfo:
    category: str
    country_code: str | None
    actor_id: str | None = None


@dataclass(slots=True)
class Entity:
    id: str
    type: Literal["PERSON", "ORG", "LOC", "MISC"]
    name: str
    name_en: str | None
    mentions: list[Mention]
    place: Place | None = None
    actor: ActorInfo | None = None
    place_key: str | None = None  # gazetteer key, for the geocoder


@dataclass(slots=True)
class CandidateSpan:
    """A typed span proposed by one entity source before the merge."""

    start: int
    end: int
    type: Literal["PERSON", "ORG", "LOC", "MISC"]
    source: str
    key: str | None = None
    score: float = 1.0


@dataclass(slots=True)
class TimeExpression:
    id: str
    start: int
    end: int
    text: str
    value: str | None
    precision: Literal["day", "range", "week", "month", "year", "duration", "unresolved"]
    calendar: Literal["gregorian", "hijri"] = "gregorian"  # the calendar the text is in


@dataclass(slots=True)
class Quantity:
    start: int
    end: int
    text: str
    value: int | None
    qualifier: Literal["exact", "at_least", "at_most", "about", "more_than", "vague"]
    unit: str | None


@dataclass(slots=True)
class EventDate:
    start: str | None
    end: str | None
    precision: int | None


@dataclass(slots=True)
class Event:
    id: str
    event_type: str
    sub_event_type: str
    actor1: str | None
    actor2: str | None
    assoc_actors: list[str]
    location: str | None
    date: EventDate
    geo_precision: int | None
    fatalities: int | None
    civilian_targeting: bool
    evidence: list[Span]
    claims: list[str]
    confidence: float
    hedged: bool = False  # reported only by hedged claims ("يُعتقد أنها روسية")
    date_from_text: bool = True  # False when the date fell back to `published`
    background: bool = False  # told in the past perfect ("كانت قد سيطرت"): earlier history
    counts: list[tuple[int, int]] = field(default_factory=list)  # (evidence start, killed)


@dataclass(frozen=True)
class ControlStatement:
    """"المدينة تسيطر عليها قوات النظام": who holds a place, as a source states it."""

    start: int
    end: int
    actor: str
    location: str
    date: EventDate


@dataclass(frozen=True)
class NegatedStatement:
    """"لم تشن الطائرات أي غارة على إدلب": a source says an event did not happen."""

    start: int
    end: int
    event_type: str
    location: str | None


class ClaimRelay(TypedDict):
    """Who passed a claim on ("نقلت الوكالة عن المرصد"): the relay, not the speaker."""

    speaker_text: str
    speaker: str | None


@dataclass(slots=True)
class TextRef:
    start: int
    end: int
    text: str


@dataclass(slots=True)
class Claim:
    id: str
    speaker: str | None
    speaker_text: str | None
    cue: TextRef
    content: TextRef
    stance: Literal["assert", "deny"]
    quote: Literal["direct", "indirect"]
    hedged: bool
    said_at: str | None
    events: list[str]


@dataclass(slots=True)
class Contradiction:
    id: str
    claims: list[str]
    kind: Literal["denial", "incompatible", "count_mismatch"]
    explanation: str


NER_MODES = ("fast", "accurate")  # the entity stage's taggers: the CRF, fine-tuned e5


@dataclass
class Document:
    """One article and every layer the pipeline adds to it."""

    text: str
    id: str = ""
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: dt.date | None = None
    language: str = "ar"
    ner: str = "fast"  # the entity stage's tagger, one of NER_MODES
    shadow: ShadowText | None = None
    sentences: list[Span] = field(default_factory=list)
    paragraphs: list[Span] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)
    candidates: dict[str, list[CandidateSpan]] = field(default_factory=dict)
    entities: list[Entity] = field(default_factory=list)
    times: list[TimeExpression] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    contradictions: list[Contradiction] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    control: list[ControlStatement] = field(default_factory=list)  # stage events
    negated: list[NegatedStatement] = field(default_factory=list)  # stage events
    claim_relays: dict[str, ClaimRelay] = field(default_factory=dict)  # stage claims
    # lookup indexes, rebuilt when their layer changes; not layers
    _sentence_starts_cache: tuple | None = field(default=None, repr=False, compare=False)
    _entity_index_cache: tuple | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.id:
            self.id = content_id(self.text)

    def span_text(self, start: int, end: int) -> str:
        return self.text[start:end]

    def sentence_index(self, offset: int) -> int:
        """Index of the sentence holding `offset`, or -1."""
        import bisect

        starts = self._sentence_starts()
        i = bisect.bisect_right(starts, offset) - 1
        if i >= 0 and offset < self.sentences[i].end:
            return i
        return -1

    def _sentence_starts(self) -> list[int]:
        cached = self._sentence_starts_cache
        if cached is None or cached[0] is not self.sentences or cached[1] != len(self.sentences):
            cached = (self.sentences, len(self.sentences), [s.start for s in self.sentences])
            self._sentence_starts_cache = cached
        return cached[2]

    def entity(self, entity_id: str | None) -> Entity | None:
        if entity_id is None:
            return None
        cached = self._entity_index_cache
        if cached is None or cached[0] is not self.entities or cached[1] != len(self.entities):
            cached = (self.entities, len(self.entities), {e.id: e for e in self.entities})
            self._entity_index_cache = cached
        return cached[2].get(entity_id)


def content_id(text: str) -> str:
    """A stable id for a text: the first 16 hex digits of its SHA-256."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
