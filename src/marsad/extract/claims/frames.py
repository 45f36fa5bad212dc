"""Frames: what may stand between a cue, its speaker and its content without being either.

An addressee ("لوكالة فرانس برس", "لـ"الحياة"", "ل - " العربية ""), a venue ("في بيان
نشره على موقعه"), a time, a discourse phrase ("من جهته") and the punctuation around them.
"""

from __future__ import annotations

from .words import COMMAS, QUOTE_OPEN, Word, WordTests

_DASHES = {"-", "ـ", "–", "—"}
_ENDS = {".", "؟", "?", "!", ":"}
_QUOTE_MARKS = {'"', "”", "“", "»", "«", "„"}
_ADDRESSEE_WORDS = 4  # how many words an addressee head may take after it
_VENUE_WORDS = 10  # how far a venue phrase may run before a comma or the content
_RELATIVE_WORDS = 16  # how far a relative clause on the speaker may run before its comma


class Frames(WordTests):
    """Skipping the frame around a speaker."""


    def _quote_close(self, ws: list[Word], j: int, limit: int) -> int:
        """Index after the mark closing the short quotation opened at ws[j], or -1."""
        for m in range(j + 1, min(len(ws), j + 2 + limit)):
            text = ws[m].tok.text
            if text in _QUOTE_MARKS:
                return m + 1 if m > j + 1 else -1
            if text in _ENDS:
                return -1
        return -1

    def _skip_addressee(self, ws: list[Word], k: int) -> int:
        """After an addressee at `k` ("لوكالة X", "لـ"X"", "ل - " X ""); else `k`."""
        if k >= len(ws) or not ws[k].is_word:
            return k
        w, lex = ws[k], self.lex
        if w.norm in lex.addressee_pronouns:
            return k + 1
        bare = w.norm == "ل"
        lam = (w.pro.endswith("ل") and len(w.stem) >= 2 and w.norm not in lex.name_links
               and w.stem not in lex.name_links and not self._stops(w))
        if not (bare or lam):
            return k
        j = k + 1
        while j < len(ws) and ws[j].tok.text in _DASHES:
            j += 1
        if j < len(ws) and ws[j].tok.text in QUOTE_OPEN:
            close = self._quote_close(ws, j, 6)
            return close if close > 0 else k
        if bare:
            return k
        head = w.stem[2:] if w.stem.startswith("ال") else w.stem
        if head in lex.addressee_heads:  # its name: a named entity or definite words
            stop = min(len(ws), j + _ADDRESSEE_WORDS)
            while j < stop and ws[j].is_word and not ws[j].pro and not self._stops(ws[j]):
                end = self._mention_end(ws[j])
                if end < 0 and not ws[j].definite:
                    break
                j += 1
                while end > 0 and j < len(ws) and ws[j].tok.start < end:
                    j += 1
        return j

    def _skip_venue(self, ws: list[Word], k: int) -> int:
        """After "في بيان …", "خلال مؤتمر صحفي …" up to a comma or the content."""
        lex = self.lex
        if k >= len(ws):
            return k
        if ws[k].norm in lex.venue_preps and k + 1 < len(ws):
            head, j = ws[k + 1], k + 2
        elif ws[k].pro in lex.venue_preps:
            head, j = ws[k], k + 1  # "ببيان"
        else:
            return k
        bare = head.stem[2:] if head.stem.startswith("ال") else head.stem
        if not (bare in lex.venue_heads or head.norm in lex.venue_heads):
            return k
        stop = min(len(ws), j + _VENUE_WORDS)
        while j < stop:
            w = ws[j]
            if (w.norm in COMMAS or w.tok.text in QUOTE_OPEN or w.norm == ":"
                    or self._is_complementizer(ws, j) or w.tok.text in _ENDS):
                return j
            j += 1
        return k

    def _skip_discourse(self, ws: list[Word], k: int) -> int:
        """After "من جهته", "بدوره"."""
        lex = self.lex
        if k < len(ws) and ws[k].norm in lex.frame_discourse:
            return k + 1
        if k + 1 < len(ws) and ws[k].norm == "من" and ws[k + 1].norm in lex.frame_after_min:
            return k + 2
        return k

    def _skip_relative(self, ws: list[Word], k: int) -> int:
        """After a relative clause on the speaker closed by a comma ("X، الذي …، إن")."""
        if k >= len(ws) or not self._in(ws[k], self.lex.relatives):
            return k
        for m in range(k + 1, min(len(ws), k + _RELATIVE_WORDS)):
            w = ws[m]
            if (w.tok.text in QUOTE_OPEN or w.norm == ":" or w.tok.text in _ENDS
                    or self._is_complementizer(ws, m) or self._is_cue_verb(w)):
                return k
            if w.norm in COMMAS:
                return m + 1
        return k

    def _skip_frame(self, ws: list[Word], k: int) -> int:
        """After the frame (punctuation, addressee, venue, time, discourse) at `k`."""
        while True:
            j = k
            while j < len(ws) and (ws[j].norm in COMMAS or ws[j].tok.text in _DASHES):
                j += 1
            j = self._skip_addressee(ws, j)
            j = self._skip_venue(ws, j)
            while j < len(ws) and self._is_time(ws[j]):
                j += 1
            j = self._skip_discourse(ws, j)
            j = self._skip_relative(ws, j)
            if j == k:
                return k
            k = j
