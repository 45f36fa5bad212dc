"""Content: the span a cue reports: إن/أن clauses, quotations, colons and noun objects."""

from __future__ import annotations

from .frames import Frames
from .lexicon import CueForm
from .words import COMMAS, QUOTE_OPEN, SCAN_TOKENS, TRIM, Word

_ADDRESSEE_OBJECT = 4  # "دعا X الأطراف إلى": the addressee before the object's preposition
_NAME_WORDS = 5  # a quoted span this short before the content is a name ("حركة \"X\" إن")


class Contents(Frames):
    """Where a claim's content starts and ends."""

    # ------------------------------------------------------------------ content
    def _clause_end(self, s_idx: int) -> int:
        sent = self.sentences[s_idx]
        end = sent.end
        while end > sent.start and self.text[end - 1] in TRIM:
            end -= 1
        return end

    def _trimmed(self, start: int, end: int) -> tuple[int, int] | None:
        while start < end and self.text[start] in TRIM:
            start += 1
        while end > start and self.text[end - 1] in TRIM:
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
        closer = QUOTE_OPEN[opener]
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
        if k < len(self.text) and self.text[k] in QUOTE_OPEN:
            span = self._quotation(s_idx, k)
            return (span, "direct") if span else None
        span = self._trimmed(k, self._clause_end(s_idx))
        return (span, "indirect") if span else None

    def _scan(self, s_idx: int, ws: list[Word], k: int,
              max_tokens: int = SCAN_TOKENS) -> tuple[tuple[int, int], str] | None:
        """Content introduced by إن/أن/":"/a quotation within `max_tokens` after `k`.

        The frame before it (addressee, venue, time) does not count, and a short quoted
        name followed by the content ("قائد "لواء X" إن") is part of the speaker's phrase.
        """
        end = self._clause_end(s_idx)
        k = self._skip_frame(ws, k)
        stop = min(len(ws), k + max_tokens)
        m = k - 1
        while m + 1 < stop:
            m += 1
            w = ws[m]
            skip = self._skip_relative(ws, m) if m > k else m
            if skip > m:  # "X الذي يخوض …، على موقعه أن": the relative clause is no content
                stop = min(len(ws), stop + skip - m)
                m = skip - 1
                continue
            if w.norm == ":":
                return self._after_colon(s_idx, w.tok.end)
            if w.tok.text in QUOTE_OPEN and (m == k or ws[m - 1].norm in COMMAS):
                close = self._quote_close(ws, m, _NAME_WORDS)
                if close > 0:
                    later = self._scan(s_idx, ws, close, max(stop - close, 2))
                    if later is not None:
                        return later
                span = self._quotation(s_idx, w.tok.start)
                return (span, "direct") if span else None
            if self._is_complementizer(ws, m):
                if m + 1 >= len(ws):
                    return None
                span = self._trimmed(ws[m + 1].tok.start, end)
                return (span, "indirect") if span else None
            if m > k and self._is_cue_verb(w) and not self._negated(ws, m):
                return None  # another cue's claim ("لم يكشف" is no cue)
            if w.norm in (".", "؟", "?", "!"):
                return None
        return None

    def _quote_end(self, s_idx: int, offset: int) -> int:
        """Where the straight quotation around `offset` closes in its sentence, or -1."""
        start, end = self.sentences[s_idx].start, self.sentences[s_idx].end
        if self.text.count('"', start, offset) % 2 == 0:
            return -1
        return self.text.find('"', offset, end)

    def _object_after_near(self, ws: list[Word], k: int, cue: CueForm) -> int:
        """"دعا الوزير الأطراف إلى …": where the preposition stands after a short addressee,
        or -1."""
        for m in range(k + 1, min(len(ws), k + _ADDRESSEE_OBJECT)):
            if not ws[m].is_word:
                return -1
            if ws[m].norm in cue.object_after:
                return m
        return -1

    def _object(self, s_idx: int, ws: list[Word], k: int,
                cue: CueForm | None = None) -> tuple[tuple[int, int], str] | None:
        """The noun object of a verb cue, from `k` to the end of the clause.

        A cue with `object_after` ("تحدث عن", "اعترف بـ") takes it only after one of those.
        """
        lex = self.lex
        k = self._skip_frame(ws, k)
        while k < len(ws) and (self._is_time(ws[k]) or ws[k].norm in COMMAS):
            k += 1
        if cue is not None and cue.object_after:
            if k < len(ws) and ws[k].norm in cue.object_after:
                k += 1
            elif not (k < len(ws) and ws[k].pro and ws[k].pro[-1:] in cue.object_after):
                near = self._object_after_near(ws, k, cue)
                if near < 0:
                    return None
                if ws[k].norm in lex.speaker_prepositions or self._in(ws[k], lex.speaker_stops):
                    k = near + 1  # "تحدث الوزير إلى الصحفيين عن …": past the addressee
        elif k < len(ws) and ws[k].norm in lex.object_leads:
            k += 1
        if k < len(ws) and ws[k].tok.text in QUOTE_OPEN:  # "أعرب عن «قلقه الشديد» …"
            span = self._trimmed(ws[k].tok.start, self._clause_end(s_idx))
            return (span, "indirect") if span else None
        if k >= len(ws) or not ws[k].is_word:
            return None
        span = self._trimmed(ws[k].tok.start, self._clause_end(s_idx))
        return (span, "indirect") if span else None
