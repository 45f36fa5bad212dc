"""Stage `text` (part 1): the document text and its shadow for matching.

The document text changes only by CRLF→LF and NFC.  The shadow drops diacritics and
tatweel, unifies alef forms, ى/ي and ة/ه, turns Eastern Arabic and Persian digits into
ASCII, turns hashtags into words and the `.,` paragraph joins of scraped pages into
paragraph breaks.  Each shadow character records the original range it came from.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from functools import lru_cache

from marsad.document import ShadowText

# Harakat, tanwin, shadda, sukun, dagger alef, Quranic marks, and tatweel.
_DROPPED = set(map(chr, range(0x064B, 0x0660))) | {"\u0670", "\u0640"}
_DROPPED |= set(map(chr, range(0x06D6, 0x06EE))) - {"\u06E5", "\u06E6"}
_DROPPED |= {"\u200c", "\u200d", "\u200e", "\u200f", "\ufeff", "\u00ad"}

_CHAR_MAP: dict[str, str] = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ى": "ي", "ی": "ي", "ې": "ي", "ة": "ه", "ۀ": "ه", "ہ": "ه", "ک": "ك", "گ": "ك",
    "٫": ".", "٬": ",", "،": "،",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\t": " ",
    "“": '"', "”": '"', "„": '"', "″": '"',
}
for _i in range(10):
    _CHAR_MAP[chr(0x0660 + _i)] = str(_i)  # Eastern Arabic digits
    _CHAR_MAP[chr(0x06F0 + _i)] = str(_i)  # Persian digits

# One-to-one folds and deletions as a str.translate table, for keys (no offsets needed).
_FOLD_TABLE = {ord(c): None for c in _DROPPED}
_FOLD_TABLE.update({ord(c): m for c, m in _CHAR_MAP.items()})
_FOLD_TABLE.update({ord(c): c.lower() for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"})

_ARABIC_LETTER = r"[\u0621-\u064A\u0671-\u06D3]"
_HASHTAG = re.compile(r"#(?=" + _ARABIC_LETTER + r"|\w)")
_HASHTAG_BODY = re.compile(r"#(\w+)")
# A comma glued after sentence-final punctuation (and the quote mark closing it), possibly
# followed by more commas: the way scrapers join paragraphs ("الأرض., في", "واسع.,  , وعن").
# A quote mark alone is no end: 'أكد ل - " العربية " , أن' goes on.
_PARAGRAPH_JOIN = re.compile(r"(?:(?<=[.!?؟])|(?<=[.!?؟][\"»]))(?:[ \u00a0]*,)+")


def document_text(raw: str) -> str:
    """The text every offset refers to: CRLF/CR → LF, then NFC."""
    return unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n"))


@lru_cache(maxsize=65536)
def normalize_key(text: str) -> str:
    """Normalise a dictionary or gazetteer key exactly as the shadow text is normalised."""
    return _with_specials(text).translate(_FOLD_TABLE).strip()


_DROP_MARK = "\ufeff"  # a character the fold table drops: stands in for a dropped special


def _with_specials(text: str) -> str:
    """`text` with its context-dependent characters replaced one for one: the # of a
    hashtag is dropped, its _ becomes a space, a scraped paragraph-join comma a newline."""
    chars: list[str] | None = None
    for match in _HASHTAG_BODY.finditer(text):
        chars = chars or list(text)
        chars[match.start()] = _DROP_MARK
        for k in range(match.start(1), match.end(1)):
            if text[k] == "_":
                chars[k] = " "
    for match in _PARAGRAPH_JOIN.finditer(text):
        for k in range(match.start(), match.end()):
            if text[k] == ",":
                chars = chars or list(text)
                chars[k] = "\n"
    return text if chars is None else "".join(chars)


def build_shadow(text: str) -> ShadowText:
    """Normalise `text` for matching and keep a map from each output char to its source.

    Every character folds to one character or to none, so the shadow is a `translate`
    of the text; a dropped character (a vowel mark) joins the range of the one before.
    """
    prepared = _with_specials(text)
    shadow = prepared.translate(_FOLD_TABLE)
    n = len(text)
    if len(shadow) == n:
        return ShadowText(shadow, array("l", range(n)), array("l", range(1, n + 1)), n)
    fold = _FOLD_TABLE.get
    kept = [i for i, char in enumerate(prepared) if fold(ord(char), char) is not None]
    ends = kept[1:] + [n] if kept else []
    return ShadowText(shadow, array("l", kept), array("l", ends), n)


def is_arabic_letter(char: str) -> bool:
    return "\u0621" <= char <= "\u064a" or "\u0671" <= char <= "\u06d3"


def arabic_ratio(text: str) -> float:
    """Share of letters that are Arabic script."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if is_arabic_letter(c)) / len(letters)
