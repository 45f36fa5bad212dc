"""Stage `claims`: attributed statements — who said what, with which cue and stance.

A claim is found from a reporting cue (resources/claims/cues.yaml) in one of four shapes:

* a verb cue with its subject after it ("وقال المرصد وسكان إن …"), before it
  ("وكانت قوات النظام أعلنت …") or only in its ending ("وأضافوا أن …", resolved to the
  last speaker of the same gender and number);
* a circumstantial participle ("تمسكت روسيا بخبر … مؤكدة أن …") or an ل-verb after a
  statement noun ("تصريحات زعماء العشائر لتؤكد …"), whose speaker is the main subject;
* a relay ("نقل المرصد عن زعماء عشائر قولهم إن …"): the speakers are the relayed ones;
  the relaying speaker is kept in ``doc.extras["claim_relays"]``;
* a prepositional attribution ("… وذلك حسبما قال اثنان من السكان", "بحسب المرصد"),
  whose content is the clause before the cue (or after the speaker when it opens).

The content follows إن/أن/":" (a quotation after ":" makes it direct), or, for verbs that
take a noun object (أعلن، نفى …), is the object up to the end of the clause.  Stance is
"deny" for denial cues and for contents that dismiss another account ("محض افتراء");
hedges anywhere in the content mark the claim hedged.  Matching runs on the shadow
forms of the tokens; all offsets index ``doc.text``.
"""

from __future__ import annotations

from marsad.document import Claim, Document, TextRef

from .cues import CueShapes
from .lexicon import CueForm, CueLexicon, cue_lexicon
from .words import Draft, Word


def find_claims(doc: Document) -> list[Claim]:
    """Attributed statements of `doc`, in text order, with ids C1, C2, …"""
    return ClaimFinder(doc).run()


class ClaimFinder(CueShapes):
    """Runs the cue shapes over every sentence and turns the drafts into claims."""

    # ------------------------------------------------------------------ run
    def run(self) -> list[Claim]:
        for s_idx, words in enumerate(self.by_sentence):
            self._sentence(s_idx, words)
        return self._finish()

    def _sentence(self, s_idx: int, ws: list[Word]) -> None:
        consumed: set[int] = set()
        for i, w in enumerate(ws):
            if i in consumed or not w.is_word:
                continue
            if self._try_preposition(s_idx, ws, i, consumed):
                continue
            self._try_verb(s_idx, ws, i)

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
            self.doc.extras["claim_relays"] = relays
        return claims


__all__ = ["CueForm", "CueLexicon", "cue_lexicon", "find_claims"]
