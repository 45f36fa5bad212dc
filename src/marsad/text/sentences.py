"""Stage `text` (part 2): paragraphs and sentences, found on the shadow text.

Sentences end at . ؟ ? ! ؛ and at paragraph breaks.  Quotations closed within their
paragraph stay whole; a full stop between digits (3.5, 13.11.2017) or after a listed
abbreviation does not end a sentence.
"""

from __future__ import annotations

import re
from functools import lru_cache

from marsad.document import ShadowText, Span
from marsad.resources import read_lines

_TERMINATORS = ".؟?!؛"
_QUOTE_PAIRS = {"«": "»", '"': '"', "‹": "›"}
_QUOTE_OPENER = re.compile("[" + re.escape("".join(_QUOTE_PAIRS)) + "]")
_TERMINATOR_RUN = re.compile("[" + re.escape(_TERMINATORS) + "]+")
_PARAGRAPH = re.compile(r"\n\s*")
_WORD_BEFORE = re.compile(r"([\w.]+)$")


@lru_cache(maxsize=1)
def abbreviations() -> frozenset[str]:
    return frozenset(read_lines("text/abbreviations.txt"))


def paragraph_spans(shadow: str) -> list[tuple[int, int]]:
    """Shadow ranges of paragraphs: text between line breaks."""
    spans, start = [], 0
    for match in _PARAGRAPH.finditer(shadow):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(shadow)))
    return [(a, b) for a, b in spans if shadow[a:b].strip()]


def quotation_ranges(paragraph: str) -> list[tuple[int, int]]:
    """Ranges of quotations that open and close inside one paragraph."""
    ranges, i = [], 0
    while (opening := _QUOTE_OPENER.search(paragraph, i)) is not None:
        i = opening.start()
        j = paragraph.find(_QUOTE_PAIRS[paragraph[i]], i + 1)
        if j < 0:
            i += 1
            continue
        ranges.append((i, j + 1))
        i = j + 1
    return ranges


def _is_abbreviation(text: str, dot: int) -> bool:
    match = _WORD_BEFORE.search(text, 0, dot)
    if not match:
        return False
    word = match.group(1)
    return word in abbreviations() or word.rstrip(".") in abbreviations() and len(word) <= 4


def _boundaries(par: str) -> list[int]:
    """End offsets (exclusive) of the sentences in one paragraph."""
    quotes = quotation_ranges(par)
    ends: list[int] = []
    for run in _TERMINATOR_RUN.finditer(par):
        i, j = run.start(), run.end() - 1
        if any(a < i < b - 1 for a, b in quotes):
            continue  # inside a quotation that closes in this paragraph
        if _ends_sentence(par, i, j, run.group()):
            while j + 1 < len(par) and par[j + 1] in "\"»)]":
                j += 1
            ends.append(j + 1)
    # A quotation closed and followed by a wide gap marks a lost full stop in scraped text.
    for _a, b in quotes:
        if re.match(r"[ ]{2,}\S", par[b:]) and not any(e >= b and e <= b + 1 for e in ends):
            ends.append(b)
    return sorted(set(ends))


def _ends_sentence(par: str, i: int, j: int, run: str) -> bool:
    if run == ".":
        before = par[i - 1] if i > 0 else ""
        after = par[i + 1] if i + 1 < len(par) else ""
        if before.isdigit() and after.isdigit():
            return False
        return not _is_abbreviation(par, i)
    # ".." is a headline pause ("داعش.. وروسيا"), not an end; "..." ends only at the close.
    if set(run) == {"."} and len(run) >= 2:
        return j + 1 >= len(par.rstrip())
    return True


def split_sentences(shadow: ShadowText) -> tuple[list[Span], list[Span]]:
    """Paragraphs and sentences of a document, as spans of the original text."""
    text = shadow.text
    paragraphs: list[Span] = []
    sentences: list[Span] = []
    for p_start, p_end in paragraph_spans(text):
        paragraphs.append(Span(*shadow.to_original(p_start, p_end)))
        par = text[p_start:p_end]
        start = 0
        for end in _boundaries(par) + [len(par)]:
            _add_trimmed(sentences, shadow, p_start + start, p_start + end)
            start = end
    return paragraphs, sentences


def _add_trimmed(out: list[Span], shadow: ShadowText, start: int, end: int) -> None:
    text = shadow.text
    while start < end and (text[start].isspace() or text[start] in ",،"):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start and any(c.isalnum() for c in text[start:end]):
        out.append(Span(*shadow.to_original(start, end)))
