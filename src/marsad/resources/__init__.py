"""Data files shipped with marsad: dictionaries, cue lists, stoplists and models.

Every file carries its provenance in a header comment or a PROVENANCE section.

`read_lines`, `open_resource` and `load_yaml` are the one way the loaders read these
files: a missing file, malformed YAML or a wrongly structured file (a list where a
mapping is expected, a missing required key) ends in one `ResourceFileError` naming
the file and, where it can, the line, never in a traceback.
"""

from __future__ import annotations

from importlib import resources as _resources
from pathlib import Path
from typing import IO, Any

import yaml

from marsad.errors import ResourceFileError


def resource_path(relative: str) -> Path:
    """Filesystem path of a shipped resource file."""
    return Path(str(_resources.files("marsad.resources").joinpath(relative)))


def open_resource(relative: str, *, binary: bool = False) -> IO[Any]:
    """A shipped resource opened for reading (text, or bytes with `binary`); a missing
    one is a ResourceFileError."""
    path = resource_path(relative)
    try:
        return open(path, "rb") if binary else open(path, encoding="utf-8")
    except FileNotFoundError:
        raise ResourceFileError(path, None, "missing file (reinstall marsad)") from None
    except OSError as exc:
        raise ResourceFileError(path, None, f"cannot be read: {exc.strerror}") from None


def read_lines(relative: str) -> list[str]:
    """Non-empty, non-comment lines of a shipped text resource."""
    lines = []
    with open_resource(relative) as handle:
        for line in handle:
            line = line.strip()
            if line and not line.startswith("#"):
                lines.append(line)
    return lines


class MissingKeyError(ResourceFileError, KeyError):
    """A required key is missing from a mapping of a resource file (still a KeyError)."""


class ResourceMapping(dict):
    """A mapping read from a resource file: it knows its file and line, and a missing
    key read with `mapping[key]` is a `ResourceFileError` naming both."""

    __slots__ = ("where",)

    def __missing__(self, key: object) -> Any:
        path, line = getattr(self, "where", (None, None))
        raise MissingKeyError(path, line, f"missing required key {key!r}")

    def __reduce__(self) -> tuple[Any, ...]:  # pickles (and copies) as a plain dict
        return (dict, (dict(self),))


_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BASE_LOADER):  # type: ignore[misc,valid-type]
    resource_file: object = None


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> Any:
    data = ResourceMapping()
    data.where = (loader.resource_file, node.start_mark.line + 1)
    yield data
    data.update(loader.construct_mapping(node))


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)

_KINDS = {dict: "a mapping", list: "a list"}


def load_yaml(relative: str, expect: type | None = dict, *, empty: Any = None) -> Any:
    """The YAML resource `relative`, checked to be a mapping (`expect=dict`) or a list.

    Mappings come back as `ResourceMapping`s (dicts whose missing keys name file and
    line). An empty file gives `empty` when that is not None, else it is an error."""
    path = resource_path(relative)
    with open_resource(relative) as handle:
        loader = _Loader(handle)
        loader.resource_file = path
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
            problem = " ".join(str(getattr(exc, "problem", None) or exc).split())
            raise ResourceFileError(path, mark.line + 1 if mark is not None else None,
                                    f"not a readable YAML file: {problem}") from None
        finally:
            loader.dispose()
    if data is None and empty is not None:
        return empty
    if expect is not None and not isinstance(data, expect):
        found = "nothing" if data is None else _KINDS.get(type(data), type(data).__name__)
        line = node.start_mark.line + 1 if node is not None else None
        raise ResourceFileError(path, line, f"expected {_KINDS.get(expect, expect.__name__)} "
                                            f"at the top level, found {found}")
    return data
