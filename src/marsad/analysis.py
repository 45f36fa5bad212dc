"""`analyze()` and the `Analysis` it returns."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

from marsad.contract import to_contract
from marsad.document import Document
from marsad.errors import EmptyInputError
from marsad.inputs import guess_language, parse_published
from marsad.pipeline import run_pipeline
from marsad.text.normalize import document_text


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
    """Analyse one article and return its `Analysis`.

    `ner="accurate"` tags names with the fine-tuned e5 encoder instead of the CRF:
    better entities, about 80 times slower, and it needs `pip install 'marsad[accurate]'`.
    """
    if not isinstance(text, str):
        raise TypeError(f"analyze() takes text as str, not {type(text).__name__}")
    clean = document_text(text)
    if not clean.strip():
        raise EmptyInputError("empty input: the text has no characters other than spaces")
    doc = Document(text=clean, id=doc_id or "", title=title, source=source, url=url,
                   published=parse_published(published), language=guess_language(clean), ner=ner)
    if doc.language != "ar":
        doc.warnings.append(f"no Arabic text found (language looks like '{doc.language}')")
    run_pipeline(doc, disable=disable)
    return Analysis(doc)
