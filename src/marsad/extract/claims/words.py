"""The claims stage's view of a document: its words, speakers, drafts and word tests."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from marsad.document import Document, ShadowText, Token
from marsad.text.normalize import build_shadow

from .lexicon import cue_lexicon

QUOTE_OPEN = {'"': '"', "«": "»", "“": "”", "„": "”"}
TRIM = " \t\n.،,؛;:!؟?"
COMMAS = {",", "،"}
HISTORY_SENTENCES = 6  # a pronoun cue looks back this many sentences for its speaker
SCAN_TOKENS = 14  # how far after the speaker a complementizer or ":" may stand


@dataclass(slots=True)
class Word:
    """A token seen by the claims stage: its shadow form and clitic pieces."""

    tok: Token
    norm: str
    pro: str  # proclitic sequence ('' if none)
    stem: str  # the stem's shadow form (ال restored after لل)
    stem_start: int
    is_word: bool
    definite: bool


@dataclass(slots=True)
class Speaker:
    text: str | None
    entity: str | None
    gn: str
    start: int = -1
    end: int = -1


@dataclass(slots=True)
class Draft:
    cue: tuple[int, int]
    content: tuple[int, int]
    speaker: Speaker | None
    kind: str
    quote: str
    sentence: int
    relay: Speaker | None = None
    extra_hedge: bool = False
    window: tuple[int, int] = (0, 0)  # where a time saying when it was said may stand
    time_before: bool = False  # also a time right before the window ("الأحد، قال")
    follow: bool = False  # a continuation that shares its cue ("… وأن …", a next quoted paragraph)


@dataclass(slots=True)
class History:
    entries: list[tuple[int, Speaker]] = field(default_factory=list)

    def push(self, sentence: int, speaker: Speaker | None) -> None:
        if speaker is not None and speaker.text:
            self.entries.append((sentence, speaker))

    def resolve(self, gn: str, sentence: int) -> Speaker | None:
        for s_idx, speaker in reversed(self.entries):
            if sentence - s_idx > HISTORY_SENTENCES:
                return None
            if speaker.gn == gn:
                return speaker
        return None



class WordTests:
    """The document's tokens grouped by sentence, and the tests the cue shapes use."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.lex = cue_lexicon()
        self.text = doc.text
        self.shadow: ShadowText = doc.shadow or build_shadow(doc.text)
        if doc.sentences:
            self.sentences = doc.sentences
        else:
            from marsad.text.sentences import split_sentences

            self.sentences = split_sentences(self.shadow)[1]
        tokens = doc.tokens
        if not tokens:
            from marsad.text.tokens import tokenize

            tokens = tokenize(self.shadow, doc.text, self.sentences)
        self.paragraphs = doc.paragraphs
        self.times = sorted((t.start, t.end, t.id) for t in doc.times)
        self.time_starts = [t[0] for t in self.times]
        self.durations = {t.id for t in doc.times if t.precision == "duration"}
        self.mentions = sorted(
            (m.start, m.end, e.id) for e in doc.entities for m in e.mentions
        )
        self.mention_starts = [m[0] for m in self.mentions]
        self.entity_types = {e.id: e.type for e in doc.entities}
        self.absorbed: set[int] = set()  # participles read as part of a verb cue ("وتابع قائلا")
        self.by_sentence = self._group(tokens)
        self.drafts: list[Draft] = []
        self.history = History()

    # ------------------------------------------------------------------ setup
    def _group(self, tokens: list[Token]) -> list[list[Word]]:
        groups: list[list[Word]] = [[] for _ in self.sentences]
        starts = [s.start for s in self.sentences]
        for tok in tokens:
            k = tok.sentence
            if k < 0 or k >= len(groups):
                k = bisect.bisect_right(starts, tok.start) - 1
                if k < 0 or tok.start >= self.sentences[k].end:
                    continue
            groups[k].append(self._word(tok))
        return groups

    @staticmethod
    def _word(tok: Token) -> Word:
        pro, stem, stem_start = "", tok.norm, tok.start
        for piece in tok.pieces:
            if piece.kind == "proclitic":
                pro = piece.norm
            elif piece.kind == "stem":
                stem, stem_start = piece.norm, piece.start
        if pro.endswith("س"):  # a future particle only before verbs; سانا is a name
            pro, stem, stem_start = "", tok.norm, tok.start
        is_word = tok.kind == "word"
        definite = is_word and stem.startswith("ال") and len(stem) > 3
        return Word(tok, tok.norm, pro, stem, stem_start, is_word, definite)

    # ------------------------------------------------------------------ word tests
    def _in(self, w: Word, words: frozenset[str]) -> bool:
        if w.norm in words or w.stem in words:
            return True
        return w.norm[:1] in "وف" and w.norm[1:] in words

    def _is_time(self, w: Word) -> bool:
        if self._in(w, self.lex.time_words) and not (w.pro and "ل" in w.pro):
            return True
        if self.times:
            k = bisect.bisect_right(self.time_starts, w.tok.start) - 1
            if k >= 0 and self.times[k][1] > w.tok.start:
                return True
            k += 1
            if k < len(self.times) and self.times[k][0] < w.tok.end:
                return True
        return False

    def _is_complementizer(self, ws: list[Word], m: int) -> bool:
        if not ws[m].is_word or ws[m].norm not in self.lex.complementizers:
            return False
        if self.mentions and self._mention_at(ws[m].tok.start):
            return False  # a name spelt like one ("بان")
        return m == 0 or ws[m - 1].norm not in self.lex.not_complement_after

    def _is_cue_verb(self, w: Word) -> bool:
        if not w.is_word:
            return False
        found = self.lex.verb(w.norm)
        return found is not None and not found[0].strict

    def _stops(self, w: Word) -> bool:
        lex = self.lex
        return (
            w.norm in lex.complementizers
            or self._in(w, lex.speaker_stops)
            or self._in(w, lex.relayed_saying)
            or self._is_time(w)
            or self._is_cue_verb(w)
            or (w.norm in lex.prepositions)
            or w.norm in lex.prep_leading
        )

    def _negated(self, ws: list[Word], i: int) -> bool:
        """A negation right before the cue, with or without و/ف ("ولم تعلن")."""
        if i == 0:
            return False
        prev = ws[i - 1].norm
        negs = self.lex.negations
        return prev in negs or (prev[:1] in "وف" and prev[1:] in negs)

    def _mention_end(self, w: Word, kind: str | None = None) -> int:
        """End offset of a mention (of type `kind`, if given) starting at `w`, or -1."""
        for start in (w.tok.start, w.stem_start):
            k = bisect.bisect_left(self.mention_starts, start)
            while k < len(self.mentions) and self.mentions[k][0] == start:
                if kind is None or self.entity_types.get(self.mentions[k][2]) == kind:
                    return self.mentions[k][1]
                k += 1
        return -1

    def _person_end(self, w: Word) -> int:
        """End offset of a PERSON mention starting at `w`, or -1."""
        return self._mention_end(w, "PERSON")

    def _adjective(self, w: Word) -> bool:
        if w.stem in self.lex.adjectives:
            return True
        base = w.stem[2:] if w.stem.startswith("ال") else w.stem
        return len(base) >= 3 and base.endswith(("ي", "يه", "يون", "يين", "يان", "يتين"))

    def _mention_at(self, start: int) -> bool:
        k = bisect.bisect_left(self.mention_starts, start)
        return k < len(self.mentions) and self.mentions[k][0] == start

    def _nominal(self, w: Word) -> bool:
        lex = self.lex
        if not w.is_word or self._stops(w):
            return False
        return (
            w.definite
            or w.stem in lex.plural_heads
            or w.stem in lex.feminine_heads
            or w.stem in lex.statement_nouns
            or self._mention_at(w.stem_start)
            or self._mention_at(w.tok.start)
        )

    def _conjunct(self, w: Word) -> bool:
        """A noun joined by و that the tokenizer left whole ("وناشطون", "والسكان")."""
        if w.pro or not w.norm.startswith("و") or len(w.norm) < 4 or self._stops(w):
            return False
        rest = w.norm[1:]
        lex = self.lex
        return (rest.startswith("ال") and len(rest) > 3) or rest in lex.plural_heads \
            or rest in lex.feminine_heads or rest.endswith(("ون", "يين"))

    def _pp_object_ok(self, w: Word) -> bool:
        if not w.is_word or w.pro or self._stops(w):
            return False
        lex = self.lex
        bare = w.stem[2:] if w.stem.startswith("ال") else w.stem
        return not (w.stem in lex.generic_places or w.stem in lex.venue_nouns
                    or w.stem in lex.venue_heads or bare in lex.addressee_heads)
