"""Reading user input: files or stdin, bytes to text, with honest errors.

UTF-8 (with or without BOM), UTF-16 and UTF-32 are read as they are; a few bad bytes in
UTF-8 become U+FFFD with a warning; Windows-1256, which old Arabic sites use, is detected,
decoded and reported; an HTML page is reduced to its main text; binary files and
undecodable bytes are refused.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from marsad.errors import (
    BinaryInputError,
    EmptyInputError,
    InputError,
    InputTooLargeError,
    MissingInputError,
    NotAFileError,
    OptionError,
    UndecodableInputError,
)
from marsad.text.normalize import arabic_ratio

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
MAX_BYTES_ENV = "MARSAD_MAX_BYTES"


@dataclass
class DecodedInput:
    text: str
    name: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def max_bytes_limit(override: int | None = None) -> int:
    if override is not None:
        return override
    raw = os.environ.get(MAX_BYTES_ENV)
    if raw:
        try:
            return int(raw)
        except ValueError:
            raise OptionError(f"{MAX_BYTES_ENV}={raw!r} is not a whole number of bytes") from None
    return DEFAULT_MAX_BYTES


def read_input(path: str, *, max_bytes: int | None = None) -> DecodedInput:
    """Read PATH (or '-' for stdin) into text, refusing what is not text."""
    limit = max_bytes_limit(max_bytes)
    if path == "-":
        data = sys.stdin.buffer.read(limit + 1)
        name = "<stdin>"
    else:
        data = _read_file(Path(path), limit)
        name = path
    if len(data) > limit:
        raise InputTooLargeError(
            f"input too large: {name} is over {_megabytes(limit)}; raise the limit with "
            f"--max-bytes or {MAX_BYTES_ENV}", subject=name)
    return decode_bytes(data, name)


def _read_file(path: Path, limit: int) -> bytes:
    if not path.exists():
        raise MissingInputError(f"no such file: {path}", subject=str(path))
    if path.is_dir():
        raise NotAFileError(f"{path} is a directory, not a text file", subject=str(path))
    size = path.stat().st_size
    if size > limit:
        raise InputTooLargeError(
            f"input too large: {path} is {_megabytes(size)}, the limit is {_megabytes(limit)}; "
            f"raise it with --max-bytes or {MAX_BYTES_ENV}", subject=str(path))
    try:
        with open(path, "rb") as handle:
            return handle.read(limit + 1)
    except OSError as exc:
        raise MissingInputError(f"cannot read {path}: {exc.strerror}", subject=str(path)) from None


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB"


_BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xef\xbb\xbf", "utf-8-sig"), (b"\xfe\xff", "utf-16-be"), (b"\xff\xfe", "utf-16-le"),
)
# UTF-8 is kept, with U+FFFD for the bad bytes, while at least this share of the
# non-ASCII bytes decode; below it Windows-1256 is tried (real Windows-1256 Arabic has
# almost no byte pair that happens to be valid UTF-8).
_UTF8_KEEP = 0.9
_UTF8_FLOOR = 0.5  # under this share UTF-8 is no reading at all
_SHOWN_OFFSETS = 5
_HTML_START = re.compile(r"\s*(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<\?xml[^>]*>\s*<html)",
                         re.IGNORECASE)
_HTML_TAG = re.compile(r"</?(?:html|head|body|div|p|span|a|meta|script|style|article|br|li|td)"
                       r"\b[^<>]*>", re.IGNORECASE)


def decode_bytes(data: bytes, name: str = "<input>") -> DecodedInput:
    """Decode bytes into text without corrupting it; refuse binary and garbage.

    A byte-order mark names the encoding (UTF-8, UTF-16, UTF-32); without one, NUL bytes
    in the pattern of UTF-16/32 text select those; otherwise UTF-8, with replacement
    characters for a few bad bytes (a stray byte, a character cut off by `head -c`), and
    Windows-1256 only when UTF-8 is clearly the worse reading.  An HTML page is reduced
    to its main text.
    """
    warnings: list[str] = []
    text, encoding = _decode_unicode(data, name, warnings)
    if _control_ratio(text) > 0.05:
        raise BinaryInputError(f"{name} looks like a binary file (many control characters)",
                               subject=name)
    if looks_like_html(text):
        text = html_main_text(text, name, warnings)
    if not text.strip():
        raise EmptyInputError(f"empty input: {name} has no text", subject=name)
    return DecodedInput(text, name, encoding, warnings)


def _decode_unicode(data: bytes, name: str, warnings: list[str]) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding.removesuffix("-sig")), encoding
            except UnicodeDecodeError as exc:
                raise UndecodableInputError(
                    f"cannot decode {name}: it starts with a {encoding} byte-order mark but "
                    f"byte {exc.start + len(bom)} is not {encoding}", subject=name) from None
    if b"\x00" in data[:65536]:
        wide = _wide_encoding(data)
        if wide is None:
            raise BinaryInputError(f"{name} looks like a binary file (it contains NUL bytes)",
                                   subject=name)
        return data.decode(wide), wide
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        return _decode_damaged(data, name, exc, warnings)


def _wide_encoding(data: bytes) -> str | None:
    """UTF-16/32 without a byte-order mark, told by where the NUL bytes fall."""
    sample = data[:65536]
    candidates = []
    if len(data) % 4 == 0:
        candidates += ["utf-32-le", "utf-32-be"]
    if len(data) % 2 == 0:
        candidates += ["utf-16-le", "utf-16-be"]
    best, best_score = None, 0.5
    for encoding in candidates:
        try:
            text = sample[: len(sample) - len(sample) % 4].decode(encoding)
        except UnicodeDecodeError:
            continue
        if text and _control_ratio(text) < 0.01 and _common_ratio(text) > best_score:
            best, best_score = encoding, _common_ratio(text)
    return best


def _common_ratio(text: str) -> float:
    """Share of characters that are ASCII or Arabic script: the wrong byte order of
    UTF-16 reads Arabic as CJK and ASCII as rare letters, which both fail this."""
    ok = sum(1 for c in text if c < "\x80" or "\u0600" <= c <= "\u06ff"
             or "\ufb50" <= c <= "\ufeff" or c in "\u00a0\u200c\u200d\u200f\u2013\u2014\u2019\u201c\u201d")
    return ok / len(text)


def _decode_damaged(data: bytes, name: str, exc: UnicodeDecodeError,
                    warnings: list[str]) -> tuple[str, str]:
    text = data.decode("utf-8", errors="surrogateescape")
    bad = _bad_byte_offsets(text)
    non_ascii = sum(1 for b in data if b > 0x7F)
    share_ok = 1 - len(bad) / max(1, non_ascii)
    if share_ok < _UTF8_KEEP:
        cp1256 = _windows_1256_reading(data)
        if cp1256 is not None:
            warnings.append(f"{name} is not UTF-8; decoded it as Windows-1256")
            return cp1256, "windows-1256"
        if share_ok < _UTF8_FLOOR:
            where = f"byte 0x{data[exc.start]:02x} at offset {exc.start}"
            raise UndecodableInputError(
                f"cannot decode {name}: not UTF-8 ({where}), and as Windows-1256 it is not "
                "Arabic text", subject=name)
    shown = ", ".join(str(b) for b in bad[:_SHOWN_OFFSETS])
    more = f" and {len(bad) - _SHOWN_OFFSETS} more" if len(bad) > _SHOWN_OFFSETS else ""
    noun = "byte" if len(bad) == 1 else "bytes"
    warnings.append(f"{name}: {len(bad)} {noun} not valid UTF-8 (at byte offset {shown}{more}), "
                    "replaced by U+FFFD")
    return _SURROGATE.sub("\ufffd", text), "utf-8"


_SURROGATE = re.compile("[\udc80-\udcff]")


def _bad_byte_offsets(text: str) -> list[int]:
    """Byte offsets of the bytes that `surrogateescape` kept as lone surrogates."""
    offsets: list[int] = []
    byte, last = 0, 0
    for m in _SURROGATE.finditer(text):
        byte += len(text[last:m.start()].encode("utf-8"))
        offsets.append(byte)
        byte += 1
        last = m.end()
    return offsets


def _windows_1256_reading(data: bytes) -> str | None:
    try:
        text = data.decode("cp1256")
    except UnicodeDecodeError:
        return None
    if arabic_ratio(text) < 0.5 or _control_ratio(text) > 0.01:
        return None
    return text


def looks_like_html(text: str) -> bool:
    """A page, not prose that mentions a tag: a doctype/<html> start or many tags."""
    head = text[:8192]
    if _HTML_START.match(head):
        return True
    tags = _HTML_TAG.findall(head)
    return len(tags) >= 5 and sum(map(len, tags)) > 0.05 * len(head.strip())


def html_main_text(html: str, name: str, warnings: list[str]) -> str:
    """The page's main text (trafilatura), or all its visible text when that finds none."""
    text = ""
    try:
        import trafilatura

        text = trafilatura.extract(html, include_comments=False, include_tables=True,
                                   favor_recall=True) or ""
    except ImportError:  # pragma: no cover - trafilatura is a dependency
        pass
    how = "its main text"
    if not text.strip():
        text = _visible_text(html)
        how = "all its visible text"
    warnings.append(f"{name} is HTML; analysed {how} ({len(text):,} of {len(html):,} "
                    "characters), so offsets refer to that text")
    return text


def _visible_text(html: str) -> str:
    from html.parser import HTMLParser

    class _Text(HTMLParser):
        skip = {"script", "style", "noscript", "template", "head"}

        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []
            self.depth = 0

        def handle_starttag(self, tag, attrs):
            if tag in self.skip:
                self.depth += 1
            elif tag in ("p", "br", "div", "li", "h1", "h2", "h3", "tr", "article"):
                self.parts.append("\n")

        def handle_endtag(self, tag):
            if tag in self.skip and self.depth:
                self.depth -= 1

        def handle_data(self, data):
            if not self.depth:
                self.parts.append(data)

    parser = _Text()
    parser.feed(html)
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


def _control_ratio(text: str) -> float:
    if not text:
        return 0.0
    sample = text[:65536]
    controls = sum(1 for c in sample if (c < " " and c not in "\n\r\t\f") or "\x7f" <= c < "\xa0")
    return controls / len(sample)


def parse_published(value: str | dt.date | None) -> dt.date | None:
    """Parse a --published value; raise OptionError naming the value otherwise."""
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise OptionError(f"--published {value!r} is not a date; expected YYYY-MM-DD",
                          subject=value) from None


def guess_language(text: str) -> str:
    """'ar' for Arabic-script text, else a rough guess from the script ('en', 'und')."""
    ratio = arabic_ratio(text)
    if ratio >= 0.3:
        return "ar"
    letters = [c for c in text if c.isalpha()]
    if letters and sum(1 for c in letters if c.isascii()) / len(letters) > 0.8:
        return "en"
    return "und"


# --------------------------------------------------------------------------- batches

@dataclass
class Record:
    """One document of a batch: its text (or the error that kept it out) and metadata."""

    name: str
    text: str = ""
    warnings: list[str] = field(default_factory=list)
    meta: dict[str, str | None] = field(default_factory=dict)
    error: InputError | None = None


_RECORD_TEXT = ("text", "content")
_RECORD_DATE = ("published", "date", "date_extracted")
_RECORD_META = ("title", "source", "url")


def is_jsonl(path: str) -> bool:
    return path != "-" and path.lower().endswith((".jsonl", ".ndjson"))


def count_documents(paths: list[str]) -> int:
    """How many documents `paths` hold (a .jsonl counts its non-blank lines)."""
    total = 0
    for path in paths:
        if is_jsonl(path) and os.path.isfile(path):
            with open(path, "rb") as handle:
                total += sum(1 for line in handle if line.strip())
        else:
            total += 1
    return total


def read_records(path: str, *, max_bytes: int | None = None):
    """The records of a JSON Lines file, one per non-blank line, errors kept per record.

    Each line is an object with `text` or `content`, and optionally `title`, `source`,
    `url`, `published` (or `date`; a date-time keeps its date) and `id`.
    """
    limit = max_bytes_limit(max_bytes)
    if not os.path.exists(path):
        raise MissingInputError(f"no such file: {path}", subject=path)
    if os.path.isdir(path):
        raise NotAFileError(f"{path} is a directory, not a text file", subject=path)
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if raw.strip():
                yield _record(raw, f"{path}:{number}", limit)


def _record(raw: bytes, name: str, limit: int) -> Record:
    import json

    try:
        item = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        return _failed(name, f"{name}: not a JSON object ({exc.__class__.__name__})")
    if not isinstance(item, dict):
        return _failed(name, f"{name}: not a JSON object")
    text = next((item[k] for k in _RECORD_TEXT if isinstance(item.get(k), str)), None)
    if text is None:
        return _failed(name, f"{name}: no 'text' or 'content' string")
    if len(text.encode("utf-8")) > limit:
        return _failed(name, f"input too large: {name} is over {_megabytes(limit)}")
    meta: dict[str, str | None] = {k: _string(item.get(k)) for k in _RECORD_META}
    meta["doc_id"] = _string(item.get("id"))
    date = next((item[k] for k in _RECORD_DATE if item.get(k)), None)
    meta["published"] = _string(date)[:10] if date is not None else None
    try:
        decoded = text_input(text, name)
    except InputError as exc:
        return Record(name, error=exc)
    return Record(name, decoded.text, decoded.warnings, meta)


def _failed(name: str, message: str) -> Record:
    return Record(name, error=InputError(message, subject=name))


def _string(value) -> str | None:
    return None if value is None else str(value)


def text_input(text: str, name: str) -> DecodedInput:
    """Text given as a string (a batch record): HTML reduced, emptiness refused."""
    warnings: list[str] = []
    if looks_like_html(text):
        text = html_main_text(text, name, warnings)
    if not text.strip():
        raise EmptyInputError(f"empty input: {name} has no text", subject=name)
    return DecodedInput(text, name, "utf-8", warnings)


def future_warning(published: dt.date | None, today: dt.date | None = None) -> str | None:
    """A warning when the publication date lies after today (a typo, or a wrong field)."""
    today = today or dt.date.today()
    if published is not None and published > today:
        return (f"--published {published.isoformat()} is after today ({today.isoformat()}); "
                "relative dates are resolved against it")
    return None
