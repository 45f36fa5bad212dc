"""Stages `times` and `quantities`: dates, durations and counts in Arabic news text.

`find_times` (in `marsad.temporal.dates`) resolves absolute, Hijri, relative and weekday
expressions against the publication date; `find_quantities` (in
`marsad.temporal.quantities`) reads digits, number words and vague amounts with their
qualifier and counted noun.  Both match on the normalised shadow text and report
offsets into `Document.text`.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from marsad.resources import load_yaml

__all__ = ["find_quantities", "find_times", "load_table", "alternation"]


@cache
def load_table(name: str) -> Any:
    """A YAML table from resources/temporal/, parsed (forms are not yet normalised)."""
    return load_yaml(f"temporal/{name}.yaml")


def norm(form: str) -> str:
    """A surface form folded the way the shadow text is (spaces collapsed)."""
    from marsad.text.normalize import normalize_key

    return " ".join(normalize_key(str(form)).split())


def alternation(forms, definite_lam: bool = True) -> str:
    """A non-capturing regex alternation of normalised forms, longest first.

    Spaces inside a form match any run of whitespace.  A form starting with the article
    ال also matches after the preposition ل, where the alef drops (اليوم → لليوم).
    """
    seen: set[str] = set()
    for form in forms:
        n = norm(form)
        if not n:
            continue
        seen.add(n)
        if definite_lam and n.startswith("ال") and len(n) > 3:
            seen.add("لل" + n[2:])
    parts = sorted(seen, key=lambda s: (-len(s), s))
    return "(?:" + "|".join(r"\s+".join(re.escape(p) for p in s.split(" ")) for s in parts) + ")"


def __getattr__(name: str):
    if name == "find_times":
        from marsad.temporal.dates import find_times

        return find_times
    if name == "find_quantities":
        from marsad.temporal.quantities import find_quantities

        return find_quantities
    raise AttributeError(name)
