"""`analyze()` and the `Analysis` it returns."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

from marsad.contract import to_contract
from marsad.document import Document


class Analysis:
    """The result of analysing one article: the Document with all its layers."""

    def __init__(self, document: Document):
        self.document = document

    @property
    def entities(self):
        return self.document.entities

    @property
    def events(self):
        return self.document.events

    @property
    def claims(self):
        return self.document.claims

    @property
    def contradictions(self):
        return self.document.contradictions

    def to_dict(self) -> dict[str, Any]:
        """The contract-v1 dict (see ../shared/spec/analysis-contract.md)."""
        return to_contract(self.document)

    def to_json(self, *, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def __repr__(self) -> str:
        d = self.document
        return (f"<Analysis {d.id}: {len(d.entities)} entities, {len(d.events)} events, "
                f"{len(d.claims)} claims, {len(d.contradictions)} contradictions>")


def analyze(
    text: str,
    *,
    published: str | dt.date | None = None,
    source: str | None = None,
    title: str | None = None,
    url: str | None = None,
    doc_id: str | None = None,
    disable: Iterable[str] = (),
    ner: str = "fast",
) -> Analysis:
    """Analyse one article with the default `Analyzer` for `ner`, built on first use
    (from `$MARSAD_ACTORS_PATH` and `$MARSAD_CACHE_DIR`), and return its `Analysis`.

    `ner="accurate"` tags names with the fine-tuned e5 encoder instead of the CRF:
    better entities, about 60 times slower, and it needs `pip install 'marsad[accurate]'`.
    To choose the resources yourself, or to share them between threads, build a
    `marsad.Analyzer`.
    """
    if not isinstance(text, str):
        raise TypeError(f"analyze() takes text as str, not {type(text).__name__}")
    from marsad.analyzer import default_analyzer

    return default_analyzer(ner).analyze(text, published=published, source=source, title=title,
                                         url=url, doc_id=doc_id, disable=disable)
