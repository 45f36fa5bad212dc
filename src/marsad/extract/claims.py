"""Stage `claims`: attributed statements — who said what, with which cue and stance.

A claim is found from a reporting cue (resources/claims/cues.yaml) in one of four shapes:

* a verb cue with its subject after it ("وقال المرصد وسكان إن …"), before it
  ("وكانت قوات النظام أعلنت …") or only in its ending ("وأضافوا أن …", resolved to the
  last speaker of the same gender and number);
* a circumstantial participle ("تمسكت روسيا بخبر … مؤكدة أن …") or an ل-verb after a
  statement noun ("تصريحات زعماء العشائر لتؤكد …"), whose speaker is the main subject;
* a relay ("نقل المرصد عن زعماء عشائر قولهم إن …"): the speakers are the relayed ones;
  the relaying speaker is kept in ``doc.claim_relays``;
* a prepositional attribution ("… وذلك حسبما قال اثنان من السكان", "بحسب المرصد"),
  whose content is the clause before the cue (or after the speaker when it opens).

The content follows إن/أن/":" (a quotation after ":" makes it direct), or, for verbs that
take a noun object (أعلن، نفى …), is the object up to the end of the clause.  Stance is
"deny" for denial cues and for contents that dismiss another account ("محض افتراء");
hedges anywhere in the content mark the claim hedged.  Matching runs on the shadow
forms of the tokens; all offsets index ``doc.text``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache

import yaml

from marsad.document import Claim, Document, ShadowText, TextRef, Token
from marsad.resources import resource_path
from marsad.text.normalize import build_shadow, normalize_key

_ARABIC = "\u0621-\u064A\u0671-\u06D3"
_QUOTE_OPEN = {'"': '"', "«": "»", "“": "”", "„": "”"}
_TRIM = " \t\n.،,؛;:!؟?"
_COMMAS = {",", "،"}
_HISTORY_SENTENCES = 6  # a pronoun cue looks back this many sentences for its speaker
_SCAN_TOKENS = 14  # how far after the speaker a complementizer or ":" may stand


@dataclass(frozen=True, slots=True)
class CueForm:
    """One surface form of a reporting verb, with what it tells about its subject."""

    key: str
    kind: str  # report | deny | doubt | relay
    takes_object: bool
    gn: str  # m | f | p: the subject it agrees with
    adverbial: bool  # "مؤكدا أن": the subject of the main clause


@dataclass(frozen=True)
class CueLexicon:
    verbs: dict[str, CueForm]
    relayed_saying: frozenset[str]
    prepositions: frozenset[str]
    prep_needs_verb: frozenset[str]
    prep_then: frozenset[str]
    prep_trailing: frozenset[str]
    prep_leading: frozenset[str]
    statement_nouns: frozenset[str]
    impersonal: frozenset[str]
    complementizers: frozenset[str]
    not_complement_after: frozenset[str]
    negations: frozenset[str]
    contrast_connectors: frozenset[str]
    time_words: frozenset[str]
    speaker_stops: frozenset[str]
    object_nouns: frozenset[str]
    speaker_prepositions: frozenset[str]
    venue_nouns: frozenset[str]
    not_sources: frozenset[str]
    generic_places: frozenset[str]
    name_links: frozenset[str]
    adjectives: frozenset[str]
    vague_quantifiers: tuple[tuple[str, ...], ...]
    plural_heads: frozenset[str]
    feminine_heads: frozenset[str]
    clause_openers: frozenset[str]
    discourse: frozenset[str]
    dismissals: re.Pattern[str]
    hedges: re.Pattern[str]

    def verb(self, norm: str) -> tuple[CueForm, str] | None:
        """The cue a token's shadow form spells, with the proclitic before it."""
        cue = self.verbs.get(norm)
        if cue is not None:
            return cue, ""
        for prefix in ("و", "ف", "ول", "فل", "ل"):
            if norm.startswith(prefix) and len(norm) - len(prefix) >= 3:
                cue = self.verbs.get(norm[len(prefix):])
                if cue is None:
                    continue
                if prefix.endswith("ل") and (cue.adverbial or norm[len(prefix)] not in "يت"):
                    continue  # ل only precedes an imperfect: لتؤكد، ليؤكد
                return cue, prefix
        return None


def _norm_set(items) -> frozenset[str]:
    return frozenset(normalize_key(str(item)) for item in items or ())


def _phrase_pattern(phrases) -> re.Pattern[str]:
    keys = sorted({normalize_key(str(p)) for p in phrases}, key=len, reverse=True)
    body = "|".join(r"\s+".join(map(re.escape, key.split())) for key in keys)
    return re.compile(
        rf"(?<![{_ARABIC}])(?:[وف]?[بلك]?)(?:ال)?(?:{body})(?:ه|ها|هم)?(?![{_ARABIC}])"
    )


@lru_cache(maxsize=1)
def cue_lexicon() -> CueLexicon:
    """The cue lists of resources/claims/cues.yaml, in shadow form."""
    with open(resource_path("claims/cues.yaml"), encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    verbs: dict[str, CueForm] = {}
    for key, spec in data["verbs"].items():
        for gn in ("m", "f", "p"):
            for form in spec.get(gn) or ():
                verbs.setdefault(
                    normalize_key(form),
                    CueForm(key, spec["kind"], bool(spec.get("object")), gn, False),
                )
            for form in (spec.get("adv") or {}).get(gn) or ():
                verbs.setdefault(
                    normalize_key(form),
                    CueForm(key, spec["kind"], bool(spec.get("object")), gn, True),
                )
    prep = data["prepositional"]
    return CueLexicon(
        verbs=verbs,
        relayed_saying=_norm_set(data["relayed_saying"]),
        prepositions=_norm_set(prep["forms"]),
        prep_needs_verb=_norm_set(prep["needs_verb"]),
        prep_then=_norm_set(prep["then"]),
        prep_trailing=_norm_set(prep["trailing"]),
        prep_leading=_norm_set(prep["leading"]),
        statement_nouns=_norm_set(data["statement_nouns"]),
        impersonal=_norm_set(data["impersonal"]),
        complementizers=_norm_set(data["complementizers"]),
        not_complement_after=_norm_set(data["not_complement_after"]),
        negations=_norm_set(data["negations"]),
        contrast_connectors=_norm_set(data["contrast_connectors"]),
        time_words=_norm_set(data["time_words"]),
        speaker_stops=_norm_set(data["speaker_stops"]),
        object_nouns=_norm_set(data["object_nouns"]),
        speaker_prepositions=_norm_set(data["speaker_prepositions"]),
        venue_nouns=_norm_set(data["venue_nouns"]),
        not_sources=_norm_set(data["not_sources"]),
        generic_places=_norm_set(data["generic_places"]),
        name_links=_norm_set(data["name_links"]),
        adjectives=_norm_set(data["adjectives"]),
        vague_quantifiers=tuple(
            tuple(normalize_key(q).split()) for q in data["vague_quantifiers"]
        ),
        plural_heads=_norm_set(data["plural_heads"]),
        feminine_heads=_norm_set(data["feminine_heads"]),
        clause_openers=_norm_set(data["clause_openers"]),
        discourse=_norm_set(data["discourse"]),
        dismissals=_phrase_pattern(data["dismissals"]),
        hedges=_phrase_pattern(data["hedges"]),
    )


@dataclass(slots=True)
class _Word:
    """A token seen by the claims stage: its shadow form and clitic pieces."""

    tok: Token
    norm: str
    pro: str  # proclitic sequence ('' if none)
    stem: str  # the stem's shadow form (ال restored after لل)
    stem_start: int
    is_word: bool
    definite: bool


@dataclass(slots=True)
class _Speaker:
    text: str | None
    entity: str | None
    gn: str
    start: int = -1
    end: int = -1


@dataclass(slots=True)
class _Draft:
    cue: tuple[int, int]
    content: tuple[int, int]
    speaker: _Speaker | None
    kind: str
    quote: str
    sentence: int
    relay: _Speaker | None = None
    extra_hedge: bool = False
    window: tuple[int, int] = (0, 0)  # where a time saying when it was said may stand
    time_before: bool = False  # also a time right before the window ("الأحد، قال")


@dataclass(slots=True)
class _History:
    entries: list[tuple[int, _Speaker]] = field(default_factory=list)

    def push(self, sentence: int, speaker: _Speaker | None) -> None:
        if speaker is not None and speaker.text:
            self.entries.append((sentence, speaker))

    def resolve(self, gn: str, sentence: int) -> _Speaker | None:
        for s_idx, speaker in reversed(self.entries):
            if sentence - s_idx > _HISTORY_SENTENCES:
                return None
            if speaker.gn == gn:
                return speaker
        return None


def find_claims(doc: Document) -> list[Claim]:
    """Attributed statements of `doc`, in text order, with ids C1, C2, …"""
    return _ClaimFinder(doc).run()


class _ClaimFinder:
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
        self.by_sentence = self._group(tokens)
        self.drafts: list[_Draft] = []
        self.history = _History()

    # ------------------------------------------------------------------ setup
    def _group(self, tokens: list[Token]) -> list[list[_Word]]:
        groups: list[list[_Word]] = [[] for _ in self.sentences]
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
    def _word(tok: Token) -> _Word:
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
        return _Word(tok, tok.norm, pro, stem, stem_start, is_word, definite)

    # ------------------------------------------------------------------ run
    def run(self) -> list[Claim]:
        for s_idx, words in enumerate(self.by_sentence):
            self._sentence(s_idx, words)
        return self._finish()

    def _sentence(self, s_idx: int, ws: list[_Word]) -> None:
        consumed: set[int] = set()
        for i, w in enumerate(ws):
            if i in consumed or not w.is_word:
                continue
            if self._try_preposition(s_idx, ws, i, consumed):
                continue
            self._try_verb(s_idx, ws, i)

    # ------------------------------------------------------------------ word tests
    def _in(self, w: _Word, words: frozenset[str]) -> bool:
        if w.norm in words or w.stem in words:
            return True
        return w.norm[:1] in "وف" and w.norm[1:] in words

    def _is_time(self, w: _Word) -> bool:
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

    def _is_complementizer(self, ws: list[_Word], m: int) -> bool:
        if not ws[m].is_word or ws[m].norm not in self.lex.complementizers:
            return False
        return m == 0 or ws[m - 1].norm not in self.lex.not_complement_after

    def _is_cue_verb(self, w: _Word) -> bool:
        return w.is_word and self.lex.verb(w.norm) is not None

    def _stops(self, w: _Word) -> bool:
        lex = self.lex
        return (
            w.norm in lex.complementizers
            or self._in(w, lex.speaker_stops)
            or self._in(w, lex.relayed_saying)
            or self._is_time(w)
            or self._is_cue_verb(w)
            or (w.norm in lex.prepositions)
        )

    def _adjective(self, w: _Word) -> bool:
        if w.stem in self.lex.adjectives:
            return True
        base = w.stem[2:] if w.stem.startswith("ال") else w.stem
        return len(base) >= 3 and base.endswith(("ي", "يه", "يون", "يين", "يان", "يتين"))

    def _mention_at(self, start: int) -> bool:
        k = bisect.bisect_left(self.mention_starts, start)
        return k < len(self.mentions) and self.mentions[k][0] == start

    def _nominal(self, w: _Word) -> bool:
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

    def _conjunct(self, w: _Word) -> bool:
        """A noun joined by و that the tokenizer left whole ("وناشطون", "والسكان")."""
        if w.pro or not w.norm.startswith("و") or len(w.norm) < 4 or self._stops(w):
            return False
        rest = w.norm[1:]
        lex = self.lex
        return (rest.startswith("ال") and len(rest) > 3) or rest in lex.plural_heads \
            or rest in lex.feminine_heads or rest.endswith(("ون", "يين"))

    def _pp_object_ok(self, w: _Word) -> bool:
        if not w.is_word or w.pro or self._stops(w):
            return False
        lex = self.lex
        return not (w.stem in lex.generic_places or w.stem in lex.venue_nouns)

    # ------------------------------------------------------------------ phrases
    def _skip_quantifier(self, ws: list[_Word], k: int) -> int:
        for q in self.lex.vague_quantifiers:
            if k + len(q) <= len(ws) and all(ws[k + n].norm == part for n, part in enumerate(q)):
                return k + len(q)
        return k

    def _np(self, ws: list[_Word], k: int, limit: int | None = None,
            allow_lam: bool = False) -> int:
        """End (exclusive token index) of the noun phrase naming a speaker at `k`."""
        lex = self.lex
        n = len(ws) if limit is None else limit
        j, state = k, ""
        while j < n and j - k < 12:
            w = ws[j]
            if w.tok.kind == "number" and j == k:
                state, j = "indef", j + 1
                continue
            if not w.is_word or len(w.norm) == 1 or self._stops(w):
                break
            if j == k:
                if w.norm in lex.name_links and not allow_lam:
                    break
                if w.norm in lex.speaker_prepositions:
                    break  # "أعلن في الخامس من …": a phrase, not the speaker
                if w.pro and any(c in w.pro for c in "بك"):
                    break
                if w.pro and "ل" in w.pro and not allow_lam:
                    break
                if w.stem in lex.object_nouns:
                    break
                state = "def" if w.definite else "indef"
                j += 1
                continue
            if w.norm in lex.name_links:
                state, j = "indef", j + 1
                continue
            if self._conjunct(w):
                state = "def" if w.definite or w.norm.startswith("وال") else "indef"
                j += 1
                continue
            if w.pro:
                if w.pro == "و" and (self._nominal(w) or w.stem.endswith(("ون", "ين", "ات"))):
                    state = "def" if w.definite else "indef"
                    j += 1
                    continue
                break
            if w.norm in lex.speaker_prepositions:
                if j + 1 < n and self._pp_object_ok(ws[j + 1]):
                    state = "def" if ws[j + 1].definite else "indef"
                    j += 2
                    continue
                break
            if w.definite:
                if state == "indef" or self._adjective(w):
                    state, j = "def", j + 1
                    continue
                break
            if state == "indef" and w.stem not in lex.object_nouns:
                j += 1
                continue
            break
        return j

    def _speaker(self, ws: list[_Word], a: int, b: int, cue_gn: str | None) -> _Speaker:
        """The speaker named by tokens ws[a:b]."""
        first, last = ws[a], ws[b - 1]
        start, prefix = first.tok.start, ""
        if first.pro:
            start = first.stem_start
            if first.pro.endswith("ل") and first.stem.startswith("ال"):
                start, prefix = start + 1, "ال"  # "وفقا للدفاع المدني" → الدفاع المدني
        end = last.tok.end
        entity, end = self._entity(start, end)
        text = prefix + self.text[start:end]
        return _Speaker(text, entity, self._gn(ws, a, b, cue_gn), start, end)

    def _entity(self, start: int, end: int) -> tuple[str | None, int]:
        best, best_overlap, new_end = None, 0, end
        k = bisect.bisect_left(self.mention_starts, start)
        while k > 0 and self.mentions[k - 1][1] > start:
            k -= 1
        for m_start, m_end, eid in self.mentions[k:]:
            if m_start >= end:
                break
            overlap = min(end, m_end) - max(start, m_start)
            if overlap > best_overlap:
                best, best_overlap = eid, overlap
                if start <= m_start and m_end > end and m_start < end:
                    new_end = m_end
        return best, new_end

    def _gn(self, ws: list[_Word], a: int, b: int, cue_gn: str | None) -> str:
        lex = self.lex
        head = ws[a]
        conj = any(w.pro == "و" or self._conjunct(w) for w in ws[a + 1:b])
        if cue_gn == "p" or conj:
            return "p"
        stem = head.stem
        bare = stem[2:] if stem.startswith("ال") else stem
        if cue_gn == "f" or stem in lex.feminine_heads or bare in lex.feminine_heads:
            return "f"
        if stem in lex.plural_heads or bare in lex.plural_heads:
            return "p"
        if len(bare) >= 4 and bare.endswith(("ون", "يين")):
            return "p"
        if head.tok.text.rstrip("\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652").endswith("ة"):
            return "f"
        return "m"

    def _remember(self, s_idx: int, speaker: _Speaker | None, ws: list[_Word] | None = None,
                  span: tuple[int, int] | None = None) -> None:
        """Push a speaker, after its first conjunct: "وقال المرصد وسكان … وأضاف" → المرصد."""
        if speaker is not None and ws is not None and span is not None:
            a, b = span
            for m in range(a + 1, b):
                if ws[m].pro == "و" or self._conjunct(ws[m]):
                    self.history.push(s_idx, self._speaker(ws, a, m, None))
                    break
        self.history.push(s_idx, speaker)

    # ------------------------------------------------------------------ content
    def _clause_end(self, s_idx: int) -> int:
        sent = self.sentences[s_idx]
        end = sent.end
        while end > sent.start and self.text[end - 1] in _TRIM:
            end -= 1
        return end

    def _trimmed(self, start: int, end: int) -> tuple[int, int] | None:
        while start < end and self.text[start] in _TRIM:
            start += 1
        while end > start and self.text[end - 1] in _TRIM:
            end -= 1
        return (start, end) if end > start else None

    def _paragraph_end(self, offset: int) -> int:
        for para in self.paragraphs:
            if para.start <= offset < para.end:
                return para.end
        return len(self.text)

    def _quotation(self, s_idx: int, at: int) -> tuple[int, int] | None:
        """Inside of the quotation opening at text offset `at`."""
        text, opener = self.text, self.text[at]
        closer = _QUOTE_OPEN[opener]
        sent_end = self.sentences[s_idx].end
        if opener == "«":
            depth, k = 0, at
            limit = self._paragraph_end(at)
            while k + 1 < limit:
                k += 1
                if text[k] == "«":
                    depth += 1
                elif text[k] == "»":
                    if depth == 0:
                        return self._trimmed(at + 1, k)
                    depth -= 1
            return self._trimmed(at + 1, self._clause_end(s_idx))
        marks = [k for k in range(at + 1, sent_end) if text[k] in '"“”„' or text[k] == closer]
        if marks:
            close = marks[-1] if len(marks) % 2 == 1 else marks[0]
            return self._trimmed(at + 1, close)
        k = text.find('"', sent_end, self._paragraph_end(at))
        if k < 0:
            k = text.find("”", sent_end, self._paragraph_end(at))
        return self._trimmed(at + 1, k if k > 0 else self._clause_end(s_idx))

    def _after_colon(self, s_idx: int, colon_end: int) -> tuple[tuple[int, int], str] | None:
        k = colon_end
        while k < len(self.text) and self.text[k] in " \t":
            k += 1
        if k < len(self.text) and self.text[k] in _QUOTE_OPEN:
            span = self._quotation(s_idx, k)
            return (span, "direct") if span else None
        span = self._trimmed(k, self._clause_end(s_idx))
        return (span, "indirect") if span else None

    def _scan(self, s_idx: int, ws: list[_Word], k: int,
              max_tokens: int = _SCAN_TOKENS) -> tuple[tuple[int, int], str] | None:
        """Content introduced by إن/أن/":"/a quotation within `max_tokens` after `k`."""
        end = self._clause_end(s_idx)
        for m in range(k, min(len(ws), k + max_tokens)):
            w = ws[m]
            if w.norm == ":":
                return self._after_colon(s_idx, w.tok.end)
            if m == k and w.tok.text in _QUOTE_OPEN:
                span = self._quotation(s_idx, w.tok.start)
                return (span, "direct") if span else None
            if self._is_complementizer(ws, m):
                if m + 1 >= len(ws):
                    return None
                span = self._trimmed(ws[m + 1].tok.start, end)
                return (span, "indirect") if span else None
            if m > k and self._is_cue_verb(w) and ws[m - 1].norm not in self.lex.negations:
                return None  # another cue's claim ("لم يكشف" is no cue)
            if w.norm in (".", "؟", "?", "!"):
                return None
        return None

    def _object(self, s_idx: int, ws: list[_Word], k: int) -> tuple[tuple[int, int], str] | None:
        """The noun object of a verb cue, from `k` to the end of the clause."""
        while k < len(ws) and (self._is_time(ws[k]) or ws[k].norm in _COMMAS
                               or ws[k].norm == "عن"):
            k += 1
        if k >= len(ws) or not ws[k].is_word:
            return None
        span = self._trimmed(ws[k].tok.start, self._clause_end(s_idx))
        return (span, "indirect") if span else None

    # ------------------------------------------------------------------ subjects
    def _pre_subject(self, ws: list[_Word], i: int) -> tuple[int, int] | None:
        """A subject standing right before the verb cue ("قوات النظام أعلنت")."""
        k = i - 1
        while k >= 0 and ws[k].norm in ("قد", "لقد"):
            i, k = k, k - 1  # "وكانت الحكومة قد أعلنت"
        while k >= 0:
            w = ws[k]
            if not w.is_word or self._in(w, self.lex.clause_openers):
                break
            k -= 1
        a = k + 1
        if a >= i:
            return None
        if ws[a].stem in self.lex.statement_nouns and a + 1 < i:
            a += 1
        if not self._nominal(ws[a]):
            return None
        return (a, i) if self._np(ws, a, limit=i) == i else None

    def _statement_subject(self, ws: list[_Word], i: int) -> tuple[int, int] | None:
        """"تصريحات زعماء العشائر لتؤكد": the speakers named after the statement noun."""
        start = 0
        for m in range(i):
            if ws[m].norm in _COMMAS:
                start = m + 1
        for m in range(start, i):
            if ws[m].stem in self.lex.statement_nouns:
                a = self._skip_quantifier(ws, m + 1)
                b = self._np(ws, a, limit=i)
                if b > a and i - b <= 3:
                    return a, b
        return None

    def _main_subject(self, ws: list[_Word], i: int) -> tuple[int, int] | None:
        """Subject of the main clause before a participle ("تمسكت روسيا … مؤكدة")."""
        lex = self.lex
        bounds = [-1] + [m for m in range(i) if ws[m].norm in _COMMAS] + [i]
        for left, right in zip(bounds, bounds[1:], strict=False):
            seg = [w for w in ws[left + 1:right] if w.is_word]
            if not seg:
                continue
            if len(seg) <= 3 and any(self._in(w, lex.discourse) for w in seg):
                continue
            a = left + 1
            while a < right and (not ws[a].is_word or self._in(ws[a], lex.clause_openers)):
                a += 1
            if a >= right:
                return None
            if not self._nominal(ws[a]):
                a += 1  # a verb first: its subject follows it
            a = self._skip_quantifier(ws, a)
            b = self._np(ws, a, limit=i)
            return (a, b) if b > a else None
        return None

    # ------------------------------------------------------------------ cues
    def _host(self, offset: int) -> _Draft | None:
        for draft in reversed(self.drafts):
            if draft.content[0] <= offset < draft.content[1]:
                return draft
        return None

    def _add(self, s_idx: int, cue: tuple[int, int], content: tuple[int, int], quote: str,
             speaker: _Speaker | None, kind: str, relay: _Speaker | None = None,
             window_start: int | None = None, time_before: bool = False) -> _Draft:
        start = cue[0] if window_start is None else window_start
        end = content[0] if content[0] >= cue[1] else self.sentences[s_idx].end
        draft = _Draft(cue, content, speaker, kind, quote, s_idx, relay, kind == "doubt",
                       (start, end), time_before)
        self.drafts.append(draft)
        return draft

    def _try_verb(self, s_idx: int, ws: list[_Word], i: int) -> None:
        lex = self.lex
        found = lex.verb(ws[i].norm)
        if found is None:
            return
        cue, pro = found
        w = ws[i]
        if i > 0 and ws[i - 1].norm in lex.negations:
            return
        host = self._host(w.tok.start)
        if host is not None and not cue.adverbial:
            if not self._second_report(s_idx, ws, i, host, cue):
                return
            host = None
        if host is not None and host.quote != "indirect":
            return
        bare = ws[i].norm[len(pro):]
        if bare in lex.impersonal and i + 1 < len(ws) and (
            self._is_complementizer(ws, i + 1)
            or (ws[i + 1].norm == "الي" and i + 2 < len(ws) and self._is_complementizer(ws, i + 2))
        ):
            return
        cue_span = (w.tok.start, w.tok.end)
        if cue.adverbial or pro.endswith("ل"):
            self._carried(s_idx, ws, i, cue, cue_span, host, pro)
            return
        if cue.kind == "relay" and self._relay(s_idx, ws, i, cue, cue_span):
            return
        k = i + 1
        b = self._np(ws, k)
        span: tuple[int, int] | None = (k, b) if b > k else None
        found_content = self._scan(s_idx, ws, b) if span else None
        after = b
        if found_content is None:
            pre = self._pre_subject(ws, i)  # SVO: "الجيش الروسي ينفي استهداف …"
            if pre is not None or span is None:
                span, after = pre, k
                found_content = self._scan(s_idx, ws, k)
        if found_content is None and span is None:
            t = k
            while t < len(ws) and self._is_time(ws[t]):
                t += 1
            if t > k:
                e = self._np(ws, t)
                if e > t:
                    later = self._scan(s_idx, ws, e)
                    if later is not None:
                        span, found_content = (t, e), later
        if found_content is None:
            if not cue.takes_object:
                return
            found_content = self._object(s_idx, ws, after)
            if found_content is None:
                return
        content, quote = found_content
        window_start = cue_span[0]
        if span is not None:
            speaker = self._speaker(ws, span[0], span[1], cue.gn)
            self._remember(s_idx, speaker, ws, span)
            window_start = min(window_start, speaker.start)
        else:
            speaker = self.history.resolve(cue.gn, s_idx)
            self._remember(s_idx, speaker)
        self._add(s_idx, cue_span, content, quote, speaker, cue.kind,
                  window_start=window_start, time_before=True)

    def _second_report(self, s_idx: int, ws: list[_Word], i: int, host: _Draft,
                       cue: CueForm) -> bool:
        """"قال المرصد إن …، بينما قالت الحكومة إن …": end the first claim at the second."""
        if host.quote != "indirect" or host.sentence != s_idx or i == 0:
            return False
        lead = i - 1
        if ws[lead].norm in self.lex.contrast_connectors:
            if lead > 0 and ws[lead - 1].norm == "في":
                lead -= 1  # في حين
        elif not (ws[lead].norm in _COMMAS and ws[i].norm[:1] in "وف"):
            return False
        b = self._np(ws, i + 1)
        if b == i + 1:
            return False
        if self._scan(s_idx, ws, b) is None and not (cue.takes_object and b < len(ws)
                                                     and ws[b].is_word):
            return False
        trimmed = self._trimmed(host.content[0], ws[lead].tok.start)
        if trimmed is None:
            return False
        host.content = trimmed
        return True

    def _carried(self, s_idx: int, ws: list[_Word], i: int, cue: CueForm,
                 cue_span: tuple[int, int], host: _Draft | None, pro: str) -> None:
        """A participle or ل-verb: the speaker is carried over from the main clause."""
        found = self._scan(s_idx, ws, i + 1, max_tokens=3)
        if found is None:
            if not pro.endswith("ل") or not cue.takes_object or host is not None:
                return
            found = self._object(s_idx, ws, i + 1)
            if found is None:
                return
        content, quote = found
        speaker: _Speaker | None = None
        if host is not None:
            new_end = self._trimmed(host.content[0], ws[i].tok.start)
            if new_end is None:
                return
            host.content = new_end
            speaker = host.speaker
        else:
            earlier = [d for d in self.drafts if d.sentence == s_idx]
            if earlier:
                speaker = earlier[-1].speaker
            else:
                span = self._statement_subject(ws, i) if pro.endswith("ل") else None
                span = span or self._main_subject(ws, i)
                if span is not None:
                    speaker = self._speaker(ws, span[0], span[1], cue.gn)
                    self._remember(s_idx, speaker, ws, span)
                else:
                    speaker = self.history.resolve(cue.gn, s_idx)
        self._add(s_idx, cue_span, content, quote, speaker, cue.kind)

    def _relay(self, s_idx: int, ws: list[_Word], i: int, cue: CueForm,
               cue_span: tuple[int, int]) -> bool:
        """"نقل المرصد عن زعماء عشائر قولهم إن …": the relayed speakers' claim."""
        k = i + 1
        b = self._np(ws, k)
        if b >= len(ws) or ws[b].norm != "عن":
            return False
        y0 = self._skip_quantifier(ws, b + 1)
        y1 = self._np(ws, y0)
        if y1 == y0:
            return False
        m = y1
        if m < len(ws) and self._in(ws[m], self.lex.relayed_saying):
            m += 1
        found = self._scan(s_idx, ws, m, max_tokens=4)
        if found is None:
            return False
        relay = self._speaker(ws, k, b, cue.gn) if b > k else None
        self._remember(s_idx, relay, ws, (k, b))
        speaker = self._speaker(ws, y0, y1, None)
        self._remember(s_idx, speaker, ws, (y0, y1))
        self._add(s_idx, cue_span, found[0], found[1], speaker, "report", relay)
        return True

    def _try_preposition(self, s_idx: int, ws: list[_Word], i: int,
                         consumed: set[int]) -> bool:
        """"… حسبما قال اثنان من السكان", "وبحسب المرصد، فإن …"."""
        lex = self.lex
        w = ws[i]
        form = w.norm
        if form not in lex.prepositions:
            if form[:1] in "وف" and form[1:] in lex.prepositions:
                form = form[1:]
            else:
                return False
        if self._host(w.tok.start) is not None:
            return False
        k = i + 1
        verb_at, cue_gn = -1, None
        while k < len(ws) and ws[k].is_word:
            if ws[k].norm in lex.prep_then:
                k += 1
                continue
            found = lex.verb(ws[k].norm)
            if verb_at < 0 and found is not None and not found[0].adverbial:
                verb_at, cue_gn = k, found[0].gn
                k += 1
                continue
            break
        if form in lex.prep_needs_verb and verb_at < 0:
            return False
        if form == normalize_key("نقلا") and not any(ws[m].norm == "عن" for m in range(i + 1, k)):
            return False
        a = self._skip_quantifier(ws, k)
        b = self._np(ws, a, allow_lam=True)
        if b == a or (verb_at < 0 and ws[a].stem in lex.not_sources):
            return False
        # the content: the clause before the cue, else what follows the speaker
        last = i - 1
        while last >= 0 and (not ws[last].is_word or ws[last].norm in lex.prep_trailing):
            last -= 1
        substantive = [m for m in range(last + 1) if ws[m].is_word
                       and not self._in(ws[m], lex.discourse)]
        if form in lex.prep_needs_verb and (not substantive or self._scan(s_idx, ws, b, 2)):
            return False  # "كما أعلنت أن …": the verb carries its own claim
        if len(substantive) >= 2:
            content = self._trimmed(self.sentences[s_idx].start, ws[last].tok.end)
        else:
            c = b
            while c < len(ws) and (ws[c].tok.kind == "punct" or ws[c].norm in lex.prep_leading):
                c += 1
            if c >= len(ws):
                return False
            content = self._trimmed(ws[c].tok.start, self._clause_end(s_idx))
        if content is None:
            return False
        cue_end = ws[verb_at].tok.end if verb_at >= 0 else w.tok.end
        speaker = self._speaker(ws, a, b, cue_gn)
        self._remember(s_idx, speaker, ws, (a, b))
        kind = lex.verb(ws[verb_at].norm)[0].kind if verb_at >= 0 else "report"  # type: ignore[index]
        self._add(s_idx, (w.tok.start, cue_end), content, "indirect", speaker, kind)
        consumed.update(range(i, b))
        return True

    # ------------------------------------------------------------------ output
    def _said_at(self, draft: _Draft) -> str | None:
        """A time between the cue (or its subject) and the content: "نفى X الأحد أنباء"."""
        sent = self.sentences[draft.sentence]
        w_start, w_end = draft.window
        best, best_dist = None, None
        for start, end, tid in self.times:
            if start < sent.start or start >= sent.end or tid in self.durations:
                continue  # "يومين" says how long, not when
            if start < draft.content[1] and end > draft.content[0]:
                continue
            inside = w_start <= start < w_end
            before = (draft.time_before and end <= w_start
                      and not self.text[end:w_start].strip(" ،,\n"))
            if not (inside or before):
                continue
            dist = abs(start - draft.cue[0])
            if best_dist is None or dist < best_dist:
                best, best_dist = tid, dist
        return best

    def _content_shadow(self, start: int, end: int) -> str:
        span = self.shadow.to_shadow(start, end, "expand")
        return self.shadow.text[span[0]:span[1]] if span else ""

    def _finish(self) -> list[Claim]:
        lex = self.lex
        drafts = sorted(self.drafts, key=lambda d: (d.cue[0], d.content[0]))
        claims: list[Claim] = []
        relays: dict[str, dict] = {}
        seen: set[tuple[int, int]] = set()
        for draft in drafts:
            if draft.cue in seen:
                continue
            seen.add(draft.cue)
            cid = f"C{len(claims) + 1}"
            body = self._content_shadow(*draft.content)
            deny = draft.kind == "deny" or bool(lex.dismissals.search(body))
            hedged = draft.extra_hedge or bool(lex.hedges.search(body))
            speaker = draft.speaker
            c0, c1 = draft.content
            claims.append(Claim(
                id=cid,
                speaker=speaker.entity if speaker else None,
                speaker_text=speaker.text if speaker else None,
                cue=TextRef(draft.cue[0], draft.cue[1], self.text[draft.cue[0]:draft.cue[1]]),
                content=TextRef(c0, c1, self.text[c0:c1]),
                stance="deny" if deny else "assert",
                quote=draft.quote,  # type: ignore[arg-type]
                hedged=hedged,
                said_at=self._said_at(draft),
                events=[],
            ))
            if draft.relay is not None:
                relays[cid] = {"speaker_text": draft.relay.text, "speaker": draft.relay.entity}
        if relays:
            self.doc.claim_relays = relays
        return claims


__all__ = ["CueForm", "CueLexicon", "cue_lexicon", "find_claims"]
