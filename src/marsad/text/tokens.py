"""Stage `text` (part 3): tokens, and the clitics inside Arabic words.

Splitting is conservative: a proclitic sequence (و ف ب ل ك س and their combinations)
or an enclitic (ه ها هم هما كم نا …) comes off only when the lexicon knows what is
left.  The article ال always stays on its stem, so والعراق → و + العراق and البوكمال
stays whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from marsad.document import Piece, ShadowText, Span, Token
from marsad.resources import load_yaml, open_resource, read_lines

_TOKEN = re.compile(
    r"(?P<word>[\u0621-\u064A\u0671-\u06D3]+)"
    r"|(?P<number>\d+(?:[.,]\d+)*)"
    r"|(?P<latin>[^\W\d_]+)"
    r"|(?P<punct>[^\w\s])"
    r"|(?P<other>[^\s])"
)
_MIN_STEM = 2


@dataclass(frozen=True)
class Lexicon:
    counts: dict[str, int]
    never_split: frozenset[str]
    proclitics: tuple[str, ...]
    lam_al: tuple[str, ...]
    enclitics: tuple[str, ...]
    # word analyses already made: (normal form, ends in ة) → (cut, stem, suffix, base)
    analyses: dict[tuple[str, bool], tuple[int, str, int, str]] = field(
        default_factory=dict, compare=False, repr=False)

    def count(self, word: str) -> int:
        return self.counts.get(word, 0)

    def knows(self, word: str) -> bool:
        return word in self.counts


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    counts: dict[str, int] = {}
    with open_resource("lexicon/words.tsv") as handle:
        for line in handle:
            if line.startswith("#"):
                continue
            word, _, count = line.rstrip("\n").partition("\t")
            counts[word] = int(count)
    clitics = load_yaml("text/clitics.yaml")
    by_length = lambda items: tuple(sorted(items, key=len, reverse=True))  # noqa: E731
    return Lexicon(
        counts=counts,
        never_split=frozenset(read_lines("text/never_split.txt")),
        proclitics=by_length(clitics["proclitics"]),
        lam_al=by_length(clitics["lam_al"]),
        enclitics=by_length(clitics["enclitics"]),
    )


def split_proclitics(word: str, lexicon: Lexicon) -> tuple[int, str]:
    """Length of the proclitic prefix to split off `word`, and the stem's normal form."""
    if word in lexicon.never_split or len(word) < _MIN_STEM + 1:
        return 0, word
    whole = lexicon.count(word)
    for prefix in lexicon.lam_al:
        rest = word[len(prefix):]
        if word.startswith(prefix) and len(rest) >= _MIN_STEM:
            stem = "ال" + rest
            if lexicon.knows(stem) or len(rest) >= 3:
                return len(prefix) - 1, stem
    for prefix in lexicon.proclitics:
        if not word.startswith(prefix):
            continue
        stem = word[len(prefix):]
        if len(stem) < _MIN_STEM + 1:
            continue
        if prefix.endswith("س") and stem[0] not in "يتنا":
            continue  # the future particle only precedes an imperfect verb
        if prefix[-1] in "بلك" and stem[0] in "وف" and lexicon.count(stem[1:]) > lexicon.count(stem):
            continue  # a conjunction never follows a preposition: كوفي is not ك + و + في
        if stem.startswith("ال") and len(stem) >= 4:
            return len(prefix), stem
        if lexicon.count(stem) >= 2 and 3 * lexicon.count(stem) >= whole:
            return len(prefix), stem
        if whole == 0 and _known_with_enclitic(stem, lexicon):
            return len(prefix), stem
        if prefix in ("و", "ف") and whole == 0 and len(stem) >= 5 and stem.endswith("وا"):
            return len(prefix), stem  # وأضافوا: a conjunction before a plural verb
    return 0, word


def _known_with_enclitic(stem: str, lexicon: Lexicon) -> bool:
    return bool(enclitic_base(stem, lexicon))


def enclitic_base(stem: str, lexicon: Lexicon) -> tuple[int, str] | None:
    """(length of the enclitic pronoun ending `stem`, the base's normal form), or None."""
    if stem in lexicon.never_split:
        return None
    for suffix in lexicon.enclitics:
        base = stem[: -len(suffix)]
        if not stem.endswith(suffix) or len(base) < 3:
            continue
        candidates = [base]
        if base.endswith("ت"):
            candidates.insert(0, base[:-1] + "ه")  # قيادتها → قيادة
        if base.endswith("ئ"):
            candidates.append(base[:-1] + "ء")  # حلفائها → حلفاء
        for candidate in candidates:
            if lexicon.count(candidate) >= 2 and lexicon.count(candidate) >= lexicon.count(stem):
                return len(suffix), candidate
    return None


def split_enclitic(stem: str, original_tail: str, lexicon: Lexicon) -> tuple[int, str]:
    """Length of the enclitic pronoun at the end of `stem` (0 if none), and the base form."""
    if original_tail.endswith("ة"):
        return 0, stem  # a ta marbuta, not the pronoun ه
    found = enclitic_base(stem, lexicon)
    return found if found else (0, stem)


def tokenize(shadow: ShadowText, original: str, sentences: list[Span] | None = None,
             lexicon: Lexicon | None = None) -> list[Token]:
    """Tokens of the whole text, each with its clitic pieces, offsets into `original`."""
    lexicon = lexicon or default_lexicon()
    starts, ends = shadow.offset_map()  # read directly: this loop runs once per token
    tokens: list[Token] = []
    for match in _TOKEN.finditer(shadow.text):
        kind = match.lastgroup or "other"
        s_start, s_end = match.span()  # never empty
        start, end = starts[s_start], ends[s_end - 1]
        norm = match.group()
        token = Token(start, end, original[start:end], norm, kind)  # type: ignore[arg-type]
        if kind == "word":
            ta_marbuta = original[end - 1] == "ة"
            token.pieces = _pieces(starts, ends, s_start, norm, analyze_word(norm, ta_marbuta, lexicon))
        tokens.append(token)
    if sentences:
        _assign_sentences(tokens, sentences)
    return tokens


def analyze_word(norm: str, ta_marbuta: bool, lexicon: Lexicon) -> tuple[int, str, int, str]:
    """(proclitic length, stem form, enclitic length, stem base form) of one word, cached."""
    key = (norm, ta_marbuta)
    found = lexicon.analyses.get(key)
    if found is None:
        cut, stem_norm = split_proclitics(norm, lexicon)
        suffix, base = split_enclitic(stem_norm, "ة" if ta_marbuta else "", lexicon)
        found = (cut, stem_norm, suffix, base)
        if len(lexicon.analyses) < 500_000:
            lexicon.analyses[key] = found
    return found


def _pieces(starts, ends, s_start: int, norm: str,
            analysis: tuple[int, str, int, str]) -> list[Piece]:
    """The pieces of the word at shadow offset `s_start`; `starts`/`ends` map shadow
    characters to original ranges (`ShadowText.offset_map`)."""
    cut, stem_norm, suffix, base = analysis
    stem_start, stem_end = s_start + cut, s_start + len(norm)
    if not cut and not suffix:  # most words: one stem piece, the whole token
        return [Piece(starts[s_start], ends[stem_end - 1], "stem", stem_norm)]
    pieces: list[Piece] = []
    if cut:
        pieces.append(Piece(starts[s_start], ends[stem_start - 1], "proclitic", norm[:cut]))
    if suffix:
        pieces.append(Piece(starts[stem_start], ends[stem_end - suffix - 1], "stem", base))
        pieces.append(Piece(starts[stem_end - suffix], ends[stem_end - 1], "enclitic", norm[-suffix:]))
    else:
        pieces.append(Piece(starts[stem_start], ends[stem_end - 1], "stem", stem_norm))
    return pieces


def _assign_sentences(tokens: list[Token], sentences: list[Span]) -> None:
    k = 0
    for token in tokens:
        while k < len(sentences) and sentences[k].end <= token.start:
            k += 1
        if k < len(sentences) and sentences[k].start <= token.start < sentences[k].end:
            token.sentence = k
