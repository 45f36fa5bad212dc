"""Stage `claims`: attributed statements — who said what, with which cue and stance.

A claim is found from a reporting cue (resources/claims/cues.yaml) in one of five shapes:

* a verb cue with its subject after it ("وقال المرصد وسكان إن …"), before it
  ("وكانت قوات النظام أعلنت …"), in quote marks ("وقالت "جبهة X" إن"), or only in its
  ending ("وأضافوا أن …", resolved to the last speaker of the same gender and number);
* a circumstantial participle ("تمسكت روسيا بخبر … مؤكدة أن …") or an ل-verb after a
  statement noun ("تصريحات زعماء العشائر لتؤكد …"), whose speaker is the main subject;
* a relay ("نقل المرصد عن زعماء عشائر قولهم إن …"): the speakers are the relayed ones;
  the relaying speaker is kept in ``doc.claim_relays``, as is the outer speaker
  of a claim nested in another one's quotation;
* a prepositional attribution ("… وذلك حسبما قال اثنان من السكان", "بحسب المرصد"),
  whose content is the clause before the cue, after the speaker when the cue opens it, or
  the whole clause when the cue stands inside it;
* a statement noun with its speaker ("مع إعلان الجيش أن …", "وفي تحذيره من أن …").

Between cue, speaker and content a frame is skipped (frames.py): an addressee ("لوكالة
X", "لـ"X""), a venue ("في بيان"), a time, "من جهته", a relative clause on the speaker.
The content follows إن/أن/":" (a quotation after ":" makes it direct), or, for verbs that
take a noun object (أعلن، نفى، تحدث عن …), is the object up to the end of the clause; it
ends where the next report begins, and "، وأن …" or a quoted next paragraph is a claim of
its own by the same speaker.  Stance is "deny" for denial cues, for contents that dismiss
another account ("محض افتراء") and for negated reported clauses ("لم ينسحبوا"), never
from the writer's words after "في إشارة إلى"; hedges anywhere in the content mark the
claim hedged.  Scripture and proverbs are no claims.  Matching runs on the shadow forms of
the tokens; all offsets index ``doc.text``.
"""

from __future__ import annotations

import re

from marsad.document import Claim, Document, TextRef
from marsad.text.normalize import normalize_key

from .cues import CueShapes
from .lexicon import CueForm, CueLexicon, cue_lexicon
from .words import QUOTE_OPEN, Draft, Word

_WORD = re.compile(r"\w+")
_NEGATION_WORDS = 6  # a denying negation stands among the content's first words
_CONTINUATION_WORDS = 5  # a "، وأن …" clause this long is a claim of its own


def find_claims(doc: Document) -> list[Claim]:
    """Attributed statements of `doc`, in text order, with ids C1, C2, …"""
    return ClaimFinder(doc).run()


class ClaimFinder(CueShapes):
    """Runs the cue shapes over every sentence and turns the drafts into claims."""

    # ------------------------------------------------------------------ run
    def run(self) -> list[Claim]:
        for s_idx, words in enumerate(self.by_sentence):
            self._sentence(s_idx, words)
            self._quoted_paragraph(s_idx, words)
        self._split_continuations()
        return self._finish()

    def _quoted_paragraph(self, s_idx: int, ws: list[Word]) -> None:
        """A sentence that opens with a quotation mark right after a direct claim goes on
        quoting the same speaker (the quote that runs across paragraphs)."""
        if not ws or ws[0].tok.text not in QUOTE_OPEN or not self.drafts:
            return
        prev = self.drafts[-1]
        start = ws[0].tok.start
        if (prev.quote != "direct" or prev.speaker is None or s_idx - prev.sentence > 2
                or prev.content[1] > start):
            return
        span = self._quotation(s_idx, start)
        if span is not None:
            draft = self._add(s_idx, prev.cue, span, "direct", prev.speaker, prev.kind)
            draft.follow = True

    def _split_continuations(self) -> None:
        """"قال إن A، وأن B": B is a claim of its own by the same speaker."""
        for draft in list(self.drafts):
            if draft.quote != "indirect":
                continue
            c0, c1 = draft.content
            cuts = [w for w in self.by_sentence[draft.sentence]
                    if c0 < w.tok.start < c1 and w.norm in self.lex.continuations
                    and self.text.count('"', c0, w.tok.start) % 2 == 0
                    and self.text.count("«", c0, w.tok.start)
                    == self.text.count("»", c0, w.tok.start)]
            for w in reversed(cuts):
                head = self._trimmed(c0, w.tok.start)
                tail = self._trimmed(w.tok.end, c1)
                if head is None or tail is None or \
                        len(_WORD.findall(self.text, tail[0], tail[1])) < _CONTINUATION_WORDS \
                        or self.lex.dismissals.search(self._content_shadow(*tail)):
                    continue  # a short clause, or one dismissing reports, stays with its claim
                draft.content, c1 = head, head[1]
                new = self._add(draft.sentence, draft.cue, tail, "indirect", draft.speaker,
                                draft.kind, relay=draft.relay)
                new.follow = True

    def _sentence(self, s_idx: int, ws: list[Word]) -> None:
        consumed: set[int] = set()
        for i, w in enumerate(ws):
            if i in consumed or not w.is_word:
                continue
            if self._try_preposition(s_idx, ws, i, consumed):
                continue
            if self.lex.verb(w.norm) is not None:
                self._try_verb(s_idx, ws, i)
            else:
                self._try_noun(s_idx, ws, i)

    # ------------------------------------------------------------------ output
    def _said_at(self, draft: Draft) -> str | None:
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

    def _negated_act(self, content: tuple[int, int]) -> bool:
        """A negated event the events stage kept ("لم تشن أي غارة"): the contradictions
        stage sets it against the report that it happened, so the claim stays an assertion
        of the negation."""
        return any(content[0] <= x.start < content[1]
                   for x in self.doc.negated)

    def _negated_content(self, body: str) -> bool:
        """"لم ينسحبوا", "هولاند لم يثر": a reported clause whose predicate is negated in
        the past (or by ليس) denies what it names."""
        words = normalize_key(body).split()[:_NEGATION_WORDS]
        for n, word in enumerate(words):
            if word in ",،":
                return False
            pair = " ".join(words[n:n + 2])
            if pair in self.lex.not_denials:
                return False
            if word in self.lex.denial_negations or pair in self.lex.denial_negations:
                return True
        return False

    def _content_shadow(self, start: int, end: int) -> str:
        span = self.shadow.to_shadow(start, end, "expand")
        return self.shadow.text[span[0]:span[1]] if span else ""

    def _finish(self) -> list[Claim]:
        lex = self.lex
        drafts = sorted(self.drafts, key=lambda d: (d.cue[0], d.content[0]))
        claims: list[Claim] = []
        relays: dict[str, dict] = {}
        seen: set[tuple] = set()
        for draft in drafts:
            key = (draft.cue, draft.content[0]) if draft.follow else draft.cue
            if key in seen:
                continue
            seen.add(key)
            cid = f"C{len(claims) + 1}"
            body = self._content_shadow(*draft.content)
            marker = lex.writer_markers.search(body) if draft.quote == "indirect" else None
            if marker is not None:
                body = body[:marker.start()]  # the writer's words set no stance
            deny = draft.kind == "deny" or bool(lex.dismissals.search(body)) \
                or (draft.kind == "report" and self._negated_content(body)
                    and not self._negated_act(draft.content))
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
