"""Data files shipped with marsad: dictionaries, cue lists, stoplists and models.

Every file carries its provenance in a header comment or a PROVENANCE section.
"""

from __future__ import annotations

from importlib import resources as _resources
from pathlib import Path


def resource_path(relative: str) -> Path:
    """Filesystem path of a shipped resource file."""
    return Path(str(_resources.files("marsad.resources").joinpath(relative)))


def read_lines(relative: str) -> list[str]:
    """Non-empty, non-comment lines of a shipped text resource."""
    lines = []
    with open(resource_path(relative), encoding="utf-8") as handle:
        for line in handle:
            line = line.strip()
            if line and not line.startswith("#"):
                lines.append(line)
    return lines
