"""Which loaded resources the analysis running in this thread uses.

An `Analyzer` (`analyzer.py`) owns its resources: the actor dictionary with the user's
files, the gazetteer from its cache directory, the entity tagger.  While it runs a
document it activates them here, and the stages' accessors (`default_actor_dictionary()`,
`default_gazetteer()`, `default_geocoder()`, `default_ner_model()`,
`default_accurate_tagger()`) return its objects instead of the process-wide defaults.
The active set is a context variable, so each thread (and asyncio task) sees only the
analyser it is running; code outside any analyser gets the process defaults.

This module sits at the bottom of the package: it imports nothing from marsad.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Protocol


class ResourceSource(Protocol):
    def get(self, name: str) -> Any:
        """The loaded resource `name`, or None when this source does not provide it."""


_ACTIVE: ContextVar[ResourceSource | None] = ContextVar("marsad_resources", default=None)


def active(name: str) -> Any:
    """The active analyser's resource `name`, or None outside an analyser."""
    source = _ACTIVE.get()
    return None if source is None else source.get(name)


@contextmanager
def activated(source: ResourceSource) -> Iterator[None]:
    """Make `source`'s resources the ones the stages see, in this context only."""
    token = _ACTIVE.set(source)
    try:
        yield
    finally:
        _ACTIVE.reset(token)
