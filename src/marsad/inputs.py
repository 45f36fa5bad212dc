"""Reading user input: files or stdin, bytes to text, with honest errors.

UTF-8 (with or without BOM) is read as is; Windows-1256, which old Arabic sites use,
is detected, decoded and reported; binary files and undecodable bytes are refused.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from marsad.errors import (
    BinaryInputError,
    EmptyInputError,
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


def decode_bytes(data: bytes, name: str = "<input>") -> DecodedInput:
    """Decode bytes as UTF-8 (BOM allowed) or Windows-1256; refuse binary and garbage."""
    warnings: list[str] = []
    if b"\x00" in data[:65536]:
        raise BinaryInputError(f"{name} looks like a binary file (it contains NUL bytes)",
                               subject=name)
    encoding = "utf-8"
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        encoding = "utf-8-sig"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        text = _try_windows_1256(data, name, exc)
        encoding = "windows-1256"
        warnings.append(f"{name} is not UTF-8; decoded it as Windows-1256")
    if _control_ratio(text) > 0.05:
        raise BinaryInputError(f"{name} looks like a binary file (many control characters)",
                               subject=name)
    if not text.strip():
        raise EmptyInputError(f"empty input: {name} has no text", subject=name)
    return DecodedInput(text, name, encoding, warnings)


def _try_windows_1256(data: bytes, name: str, exc: UnicodeDecodeError) -> str:
    where = f"byte 0x{data[exc.start]:02x} at offset {exc.start}"
    try:
        text = data.decode("cp1256")
    except UnicodeDecodeError:
        raise UndecodableInputError(
            f"cannot decode {name}: not UTF-8 ({where}) nor Windows-1256", subject=name) from None
    if arabic_ratio(text) < 0.5 or _control_ratio(text) > 0.01:
        raise UndecodableInputError(
            f"cannot decode {name}: not UTF-8 ({where}), and as Windows-1256 it is not Arabic "
            "text", subject=name)
    return text


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
