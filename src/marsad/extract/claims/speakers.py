"""Speakers: the noun phrase naming who speaks, its entity, gender-number and history."""

from __future__ import annotations

import bisect

from .frames import Frames
from .words import COMMAS, QUOTE_OPEN, Speaker, Word

_NAME_WORDS = 6  # the longest speaker name written in quote marks


class Speakers(Frames):
    """Noun phrases that name a speaker, after or before its cue."""

    # ------------------------------------------------------------------ phrases
    def _skip_quantifier(self, ws: list[Word], k: int) -> int:
        for q in self.lex.vague_quantifiers:
            if k + len(q) <= len(ws) and all(ws[k + n].norm == part for n, part in enumerate(q)):
                return k + len(q)
        return k

    def _np(self, ws: list[Word], k: int, limit: int | None = None,
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
                if w.stem in lex.object_nouns or w.norm in lex.object_nouns:
                    break
                state = "def" if w.definite else "indef"
                j += 1
                continue
            end = self._person_end(w) if not w.pro else -1
            if end > 0:  # a title and the person's name: one speaker
                while j < n and ws[j].tok.start < end:
                    j += 1
                state = "def"  # after a name only adjectives go on ("… السوري")
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
                named = j + 1 < n and (ws[j + 1].definite or self._mention_at(ws[j + 1].tok.start))
                if w.norm in lex.named_prepositions and not named:
                    break  # "وفق المصدر إلى فتح الطريق": إلى a name only ("مبعوث إلى سورية")
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
            if state == "indef" and not (w.stem in lex.object_nouns or w.norm in lex.object_nouns):
                j += 1
                continue
            break
        return j

    def _speaker_end(self, s_idx: int, ws: list[Word], a: int, b: int) -> int:
        """End of the speaker ws[a:b] with a quoted name after its head ("حركة "X" إن") or
        the person's name in apposition to a title ("المتحدث باسم الجيش، فلان، إن")."""
        if b < len(ws) and ws[b].tok.text in QUOTE_OPEN:
            close = self._quote_close(ws, b, _NAME_WORDS - 1)
            if close > 0 and all(w.is_word for w in ws[b + 1:close - 1]) \
                    and self._scan(s_idx, ws, close) is not None:  # type: ignore[attr-defined]
                return close
        if b + 1 < len(ws) and ws[b].norm in COMMAS and not any(
                self._person_end(w) > 0 for w in ws[a:b]):
            end = self._person_end(ws[b + 1])
            if end > 0:
                j = b + 1
                while j < len(ws) and ws[j].tok.start < end:
                    j += 1
                if j >= len(ws) or ws[j].norm in COMMAS or ws[j].norm == ":" \
                        or ws[j].tok.text in QUOTE_OPEN or self._is_complementizer(ws, j):
                    return j
        return b

    def _quoted_speaker(self, s_idx: int, ws: list[Word], k: int):
        """A speaker in quote marks right after the cue ("وقالت "جبهة X" إن"), with the
        content after it; None when the quotation is the content itself."""
        if k >= len(ws) or ws[k].tok.text not in QUOTE_OPEN:
            return None
        close = self._quote_close(ws, k, _NAME_WORDS)
        if close < 0 or not all(w.is_word for w in ws[k + 1:close - 1]):
            return None
        if self._is_complementizer(ws, k + 1) or self._is_cue_verb(ws[k + 1]):
            return None
        found = self._scan(s_idx, ws, close)  # type: ignore[attr-defined]
        if found is None:
            return None
        return (k + 1, close - 1), found

    def _speaker(self, ws: list[Word], a: int, b: int, cue_gn: str | None) -> Speaker:
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
        return Speaker(text, entity, self._gn(ws, a, b, cue_gn), start, end)

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

    def _gn(self, ws: list[Word], a: int, b: int, cue_gn: str | None) -> str:
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

    def _remember(self, s_idx: int, speaker: Speaker | None, ws: list[Word] | None = None,
                  span: tuple[int, int] | None = None) -> None:
        """Push a speaker, after its first conjunct: "وقال المرصد وسكان … وأضاف" → المرصد."""
        if speaker is not None and ws is not None and span is not None:
            a, b = span
            for m in range(a + 1, b):
                if ws[m].pro == "و" or self._conjunct(ws[m]):
                    self.history.push(s_idx, self._speaker(ws, a, m, None))
                    break
        self.history.push(s_idx, speaker)

    # ------------------------------------------------------------------ subjects
    def _pre_subject(self, ws: list[Word], i: int) -> tuple[int, int] | None:
        """A subject standing right before the verb cue ("قوات النظام أعلنت")."""
        k = i - 1
        while k >= 0 and ws[k].norm in self.lex.pre_verb_particles:
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

    def _statement_subject(self, ws: list[Word], i: int) -> tuple[int, int] | None:
        """"تصريحات زعماء العشائر لتؤكد": the speakers named after the statement noun."""
        start = 0
        for m in range(i):
            if ws[m].norm in COMMAS:
                start = m + 1
        for m in range(start, i):
            if ws[m].stem in self.lex.statement_nouns:
                a = self._skip_quantifier(ws, m + 1)
                b = self._np(ws, a, limit=i)
                if b > a and i - b <= 3:
                    return a, b
        return None

    def _main_subject(self, ws: list[Word], i: int) -> tuple[int, int] | None:
        """Subject of the main clause before a participle ("تمسكت روسيا … مؤكدة")."""
        lex = self.lex
        bounds = [-1] + [m for m in range(i) if ws[m].norm in COMMAS] + [i]
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
