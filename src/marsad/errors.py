"""Errors marsad raises, each with a code, the input it concerns and the likely fix.

    MarsadError
    ├── InputError      the input cannot be read as text (missing, directory, binary,
    │                   undecodable, empty, too large)
    ├── OptionError     an option has a bad value (--published that is not a date)
    └── ResourceError   a shipped or user resource is missing or malformed
        ├── ResourceFileError       a resource file is malformed (names file and line)
        ├── MissingResourceError    a resource file named by the user does not exist
        └── OptionalPackageMissing  an opt-in mode's package is not installed

The command line prints `marsad: error: [CODE] message` on one line and exits with 2.
"""

from __future__ import annotations


class MarsadError(Exception):
    code = "M000"

    def __init__(self, message: str, *, subject: str | None = None):
        super().__init__(message)
        self.message = message
        self.subject = subject

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


class InputError(MarsadError):
    code = "M100"


class EmptyInputError(InputError):
    code = "M101"


class MissingInputError(InputError):
    code = "M102"


class NotAFileError(InputError):
    code = "M103"


class BinaryInputError(InputError):
    code = "M104"


class UndecodableInputError(InputError):
    code = "M105"


class InputTooLargeError(InputError):
    code = "M106"


class OptionError(MarsadError):
    code = "M200"


class ResourceError(MarsadError):
    code = "M300"


class ResourceFileError(ResourceError, ValueError):
    """A resource file is malformed: the message starts with `FILE:LINE:`.

    Also a ValueError, which is what the loaders raised before it existed."""

    code = "M302"

    def __init__(self, path: object, line: int | None, problem: str):
        where = f"{path}:{line}: " if line else f"{path}: " if path else ""
        super().__init__(f"{where}{problem}", subject=str(path))
        self.path = str(path)
        self.line = line


class MissingResourceError(ResourceError, FileNotFoundError):
    """A resource file or folder named by the user does not exist."""

    code = "M303"


class OptionalPackageMissing(ResourceError):
    """An opt-in feature needs a package that is not installed (its extra names it)."""

    code = "M301"
