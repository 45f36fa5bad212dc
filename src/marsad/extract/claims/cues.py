"""Cue shapes: a verb with its subject, a carried participle, a relay, a preposition."""

from __future__ import annotations

from .content import Contents
from .lexicon import CueForm
from .speakers import Speakers
from .words import COMMAS, Draft, Speaker, Word

_RELAY_GAP = 4  # words of a modifier between the relaying speaker and عن


class CueShapes(Speakers, Contents):
    """The four shapes in which a claim is found (see the package docstring)."""

    # ------------------------------------------------------------------ cues
    def _host(self, offset: int) -> Draft | None:
        for draft in reversed(self.drafts):
            if draft.content[0] <= offset < draft.content[1]:
                return draft
        return None

    def _add(self, s_idx: int, cue: tuple[int, int], content: tuple[int, int], quote: str,
             speaker: Speaker | None, kind: str, relay: Speaker | None = None,
             window_start: int | None = None, time_before: bool = False) -> Draft:
        start = cue[0] if window_start is None else window_start
        end = content[0] if content[0] >= cue[1] else self.sentences[s_idx].end
        draft = Draft(cue, content, speaker, kind, quote, s_idx, relay, kind == "doubt",
                       (start, end), time_before)
        self.drafts.append(draft)
        return draft

    def _try_verb(self, s_idx: int, ws: list[Word], i: int) -> None:
        lex = self.lex
        found = lex.verb(ws[i].norm)
        if found is None:
            return
        cue, pro = found
        w = ws[i]
        if self._negated(ws, i) or self._sacred(ws, i) or w.tok.start in self.absorbed:
            return
        host = self._host(w.tok.start)
        outer: Draft | None = None  # the claim whose content this cue stands in
        if host is not None and not cue.adverbial:
            if not self._second_report(s_idx, ws, i, host, cue):
                outer = host
            host = None
        if outer is not None and outer.quote == "indirect" and pro[:1] in ("و", "ف"):
            trimmed = self._trimmed(outer.content[0], w.tok.start)  # "… ويقول X إن": a new
            if trimmed is not None:                                  # report, not a nested one
                outer.content, outer = trimmed, None
        if host is not None and host.quote != "indirect":
            return
        bare = ws[i].norm[len(pro):]
        if bare in lex.impersonal and i + 1 < len(ws) and (
            self._is_complementizer(ws, i + 1)
            or (ws[i + 1].norm in lex.impersonal_then and i + 2 < len(ws)
                and self._is_complementizer(ws, i + 2))
        ):
            return
        cue_span = (w.tok.start, w.tok.end)
        if cue.adverbial or pro.endswith("ل"):
            if outer is None:
                self._carried(s_idx, ws, i, cue, cue_span, host, pro)
            return
        if outer is None and cue.kind == "relay" and self._relay(s_idx, ws, i, cue, cue_span):
            return
        first = i + 1
        if i + 1 < len(ws) and ws[i + 1].is_word:
            twin = lex.verb(ws[i + 1].norm)
            if twin is not None and twin[0].adverbial and twin[0].kind == "report" \
                    and not twin[1]:  # "وتابع قائلا": one cue
                self.absorbed.add(ws[i + 1].tok.start)
                cue_span, first = (w.tok.start, ws[i + 1].tok.end), i + 2
        parsed = self._verb_parts(s_idx, ws, i, cue, first)
        if parsed is None:
            return
        span, (content, quote), by_object = parsed
        if cue.strict and (not by_object or span is None):
            return
        if cue.key in lex.byline_cues and len(self.text[content[0]:content[1]].split()) < 4:
            return  # "كتب: فلان الفلاني"
        if outer is not None:
            self._nested(s_idx, ws, i, cue, cue_span, outer, span, content, quote, by_object)
            return
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

    def _verb_parts(self, s_idx: int, ws: list[Word], i: int, cue: CueForm, first: int):
        """(speaker span or None, (content, quote), by object) of the verb cue at `i`,
        whose subject may start at `first`."""
        k = self._skip_frame(ws, first)
        quoted = self._quoted_speaker(s_idx, ws, k)
        if quoted is not None:
            return quoted[0], quoted[1], False
        b = self._np(ws, k)
        for m in range(k + 1, b):
            if ws[m].norm in cue.object_after:  # "حذر المبعوث من انهيار …"
                b = m
                break
        if b > k:
            b = self._speaker_end(s_idx, ws, k, b)
        span: tuple[int, int] | None = (k, b) if b > k else None
        found_content = self._scan(s_idx, ws, b) if span else None
        after = b
        if found_content is None:
            pre = self._pre_subject(ws, i)  # SVO: "الجيش الروسي ينفي استهداف …"
            if pre is not None or span is None:
                if span is not None and self._nominal(ws[span[0]]):
                    self._remember(s_idx, self._speaker(ws, span[0], span[1], cue.gn), ws, span)
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
        if found_content is not None:
            return span, found_content, False
        if cue.takes_object:
            found_content = self._object(s_idx, ws, after, cue)
            if found_content is not None:
                return span, found_content, True
        if span is not None and self._nominal(ws[span[0]]):
            # no content, but the subject is the antecedent of a later "وأضاف"
            self._remember(s_idx, self._speaker(ws, span[0], span[1], cue.gn), ws, span)
        return None

    def _nested(self, s_idx: int, ws: list[Word], i: int, cue: CueForm,
                cue_span: tuple[int, int], outer: Draft, span: tuple[int, int] | None,
                content: tuple[int, int], quote: str, by_object: bool) -> None:
        """A cue inside another claim's content.

        With its own speaker, the claim is relayed by the outer speaker ("قال X: "قال لنا Y
        إن …""); with none, it is the outer speaker's ("الهجمات التي قال إنها خلفت …"), and
        an indirect outer claim ends where it begins.
        """
        if by_object:
            return
        if outer.quote == "direct":  # inside the quotation, up to its end
            clipped = self._trimmed(content[0], min(content[1], outer.content[1]))
            if clipped is None:
                return
            content = clipped
        if span is not None:
            speaker = self._speaker(ws, span[0], span[1], cue.gn)
            if speaker.text == (outer.speaker.text if outer.speaker else None):
                self._add(s_idx, cue_span, content, quote, speaker, cue.kind)
                return
            self._remember(s_idx, speaker, ws, span)
            self._add(s_idx, cue_span, content, quote, speaker, cue.kind, relay=outer.speaker,
                      window_start=min(cue_span[0], speaker.start))
            return
        if outer.quote != "indirect" or outer.speaker is None or outer.speaker.gn != cue.gn:
            return  # "القوات التي قالت إنها انسحبت": the forces', inside the outer claim
        if i == 0 or not self._in(ws[i - 1], self.lex.relatives):
            trimmed = self._trimmed(outer.content[0], ws[i].tok.start)
            if trimmed is None:
                return
            outer.content = trimmed
        self._add(s_idx, cue_span, content, quote, outer.speaker, cue.kind)

    def _sacred(self, ws: list[Word], i: int) -> bool:
        """Scripture and proverbs: "قال الله تعالى", "قال رسول الله صلى الله عليه وسلم", "يقول المثل"."""
        lex = self.lex
        before = " ".join(w.norm for w in ws[max(0, i - 5):i] if w.is_word)
        after = " ".join(w.norm for w in ws[i + 1:i + 6] if w.is_word)
        if lex.sacred_formulas.search(after) or lex.sacred_formulas.search(before):
            return True
        return self._sacred_name(after)

    def _sacred_name(self, words: str) -> bool:
        first = words.split()
        return any(" ".join(first[:n]) in self.lex.sacred_speakers for n in (1, 2, 3))

    def _second_report(self, s_idx: int, ws: list[Word], i: int, host: Draft,
                       cue: CueForm) -> bool:
        """"قال المرصد إن …، بينما قالت الحكومة إن …": end the first claim at the second."""
        if host.quote != "indirect" or host.sentence != s_idx or i == 0:
            return False
        lead = i - 1
        if ws[lead].norm in self.lex.contrast_connectors:
            if lead > 0 and ws[lead - 1].norm in self.lex.contrast_lead:
                lead -= 1  # في حين
        elif ws[lead].norm not in COMMAS:
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

    def _carried(self, s_idx: int, ws: list[Word], i: int, cue: CueForm,
                 cue_span: tuple[int, int], host: Draft | None, pro: str) -> None:
        """A participle or ل-verb: the speaker is carried over from the main clause."""
        found = self._scan(s_idx, ws, i + 1, max_tokens=3)
        if found is None and cue.adverbial and cue.object_after:
            found = self._object(s_idx, ws, i + 1, cue)  # "داعيا الأطراف إلى …"
        if found is None:
            if not pro.endswith("ل") or not cue.takes_object or host is not None:
                return
            found = self._object(s_idx, ws, i + 1)
            if found is None:
                return
        content, quote = found
        speaker: Speaker | None = None
        if host is not None:
            new_end = self._trimmed(host.content[0], ws[i].tok.start)
            if new_end is None:
                return
            host.content = new_end
            speaker = host.speaker
        else:
            earlier = [d for d in self.drafts if d.sentence == s_idx
                       and self._quote_end(s_idx, d.cue[0]) < 0]  # not one quoted inside
            if earlier:
                speaker = earlier[-1].speaker
            else:
                span = self._statement_subject(ws, i) if pro.endswith("ل") else None
                span = span or self._main_subject(ws, i)
                if span is not None and self._nominal(ws[span[0]]):
                    speaker = self._speaker(ws, span[0], span[1], cue.gn)
                    self._remember(s_idx, speaker, ws, span)
                else:
                    speaker = self.history.resolve(cue.gn, s_idx)
        self._add(s_idx, cue_span, content, quote, speaker, cue.kind)

    def _relay(self, s_idx: int, ws: list[Word], i: int, cue: CueForm,
               cue_span: tuple[int, int]) -> bool:
        """"نقل المرصد عن زعماء عشائر قولهم إن …": the relayed speakers' claim."""
        k = i + 1
        b = self._np(ws, k)
        frm = next((m for m in range(b, min(len(ws), b + _RELAY_GAP))
                    if ws[m].norm in self.lex.relay_from), -1)
        if frm < 0 or any(not w.is_word for w in ws[b:frm]):
            return False  # "نقلت الخدمة التابعة للانفصاليين عن …": a modifier may come between
        y0 = self._skip_quantifier(ws, frm + 1)
        y1 = self._np(ws, y0)
        if y1 == y0:
            return False
        m = self._skip_apposition(ws, y1)
        kind = "report"
        if m < len(ws) and self._in(ws[m], self.lex.relayed_saying):
            m += 1
        elif m < len(ws) and self._in(ws[m], self.lex.relayed_denial):
            m, kind = m + 1, "deny"  # "نقلت الوكالة عن القائد نفيه الهجوم"
        found = self._scan(s_idx, ws, m, max_tokens=4)
        if found is None and kind == "deny":
            found = self._object(s_idx, ws, m)
        if found is None:
            return False
        relay = self._speaker(ws, k, b, cue.gn) if b > k else None
        self._remember(s_idx, relay, ws, (k, b))
        speaker = self._speaker(ws, y0, y1, None)
        self._remember(s_idx, speaker, ws, (y0, y1))
        self._add(s_idx, cue_span, found[0], found[1], speaker, kind, relay)
        return True

    def _skip_apposition(self, ws: list[Word], k: int) -> int:
        """After "وهو أحد قادة …" before a relayed saying; else `k`."""
        if k >= len(ws) or ws[k].norm not in self.lex.apposition_openers:
            return k
        for m in range(k + 1, min(len(ws), k + 10)):
            if self._in(ws[m], self.lex.relayed_saying) or self._in(ws[m], self.lex.relayed_denial):
                return m
            if not ws[m].is_word:
                break
        return k

    def _try_preposition(self, s_idx: int, ws: list[Word], i: int,
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
        if verb_at >= 0 and self._sacred(ws, verb_at):
            return False
        if form in lex.prep_needs_from and not any(
                ws[m].norm in lex.relay_from for m in range(i + 1, k)):
            return False
        a = self._skip_quantifier(ws, k)
        b = self._np(ws, a, allow_lam=True)
        if b == a or (verb_at < 0 and ws[a].stem in lex.not_sources):
            return False
        content = self._prep_content(s_idx, ws, i, b, form)
        if content is None and b < len(ws) and self._is_cue_verb(ws[b]):
            self._remember(s_idx, self._speaker(ws, a, b, cue_gn), ws, (a, b))
        if content is None:
            return False
        cue_end = ws[verb_at].tok.end if verb_at >= 0 else w.tok.end
        speaker = self._speaker(ws, a, b, cue_gn)
        self._remember(s_idx, speaker, ws, (a, b))
        kind = lex.verb(ws[verb_at].norm)[0].kind if verb_at >= 0 else "report"  # type: ignore[index]
        self._add(s_idx, (w.tok.start, cue_end), content, "indirect", speaker, kind)
        consumed.update(range(i, b))
        return True

    def _prep_content(self, s_idx: int, ws: list[Word], i: int, b: int,
                      form: str) -> tuple[int, int] | None:
        """The content of a prepositional cue at `i` whose speaker ends at `b`.

        The clause before the cue ("قتل 30، حسبما قال سكان"); what follows the speaker when
        the cue opens the clause or a فإن follows it ("وحسب شهود، فإن …"); the whole clause
        when the cue stands inside it ("ويواجه الجيش وفق المصدر فصائل …").
        """
        lex = self.lex
        last = i - 1
        while last >= 0 and (not ws[last].is_word or ws[last].norm in lex.prep_trailing):
            last -= 1
        substantive = [m for m in range(last + 1) if ws[m].is_word
                       and not self._in(ws[m], lex.discourse)]
        if form in lex.prep_needs_verb and (not substantive or self._scan(s_idx, ws, b, 2)):
            return None  # "كما أعلنت أن …": the verb carries its own claim
        if any(self._is_cue_verb(ws[m]) and not self._negated(ws, m) for m in substantive):
            return None  # "قال X نقلا عن Y إن …": the source of the verb's claim
        c = self._skip_frame(ws, b)  # "وحسب مصادر لـ«الصحيفة»، فإن …"
        while c < len(ws) and ws[c].tok.kind == "punct":
            c += 1
        leading = c < len(ws) and ws[c].norm in lex.prep_leading
        while c < len(ws) and (ws[c].tok.kind == "punct" or ws[c].norm in lex.prep_leading):
            c += 1
        after = [m for m in range(c, len(ws)) if ws[m].is_word]
        if leading or len(substantive) < 2:
            if c >= len(ws) or self._is_cue_verb(ws[c]):
                return None  # "وبحسب مصدر، أكد أن …": the verb's claim, its subject
            return self._trimmed(ws[c].tok.start, self._clause_end(s_idx))
        goes_on = ws[c].norm in lex.prep_continues if c < len(ws) else False
        if (len(after) >= 2 and last == i - 1 and ws[c].is_word and (goes_on or (
                not ws[c].pro and ws[c].norm not in lex.speaker_prepositions
                and not self._in(ws[c], lex.relatives)
                and not self._in(ws[c], lex.speaker_stops)))):
            start = self.sentences[s_idx].start
            for m in range(i - 1, -1, -1):
                if ws[m].norm in COMMAS:
                    start = ws[m].tok.end
                    break
            return self._trimmed(start, self._clause_end(s_idx))
        return self._trimmed(self.sentences[s_idx].start, ws[last].tok.end)

    def _try_noun(self, s_idx: int, ws: list[Word], i: int) -> None:
        """A statement noun with its speaker and a complement: "مع إعلان الجيش أن …",
        "وفي تأكيده أن …" (the pronoun names the speaker)."""
        lex, w = self.lex, ws[i]
        found = lex.noun_cues.get(w.norm[len(w.pro):] if w.norm.startswith(w.pro) else w.norm)
        if found is None or w.definite or self._host(w.tok.start) is not None:
            return
        kind, gn = found
        span: tuple[int, int] | None = None
        b = i + 1
        if gn is None:
            b = self._np(ws, i + 1)
            if b == i + 1:
                return
            span = (i + 1, b)
        found = self._scan(s_idx, ws, b, max_tokens=3)
        if found is None:
            return
        if span is not None:
            speaker = self._speaker(ws, span[0], span[1], None)
            self._remember(s_idx, speaker, ws, span)
        else:
            earlier = [d for d in self.drafts if d.sentence == s_idx]
            speaker = earlier[-1].speaker if earlier else self.history.resolve(gn or "m", s_idx)
            if speaker is None:
                return
        self._add(s_idx, (w.tok.start, w.tok.end), found[0], found[1], speaker, kind)
