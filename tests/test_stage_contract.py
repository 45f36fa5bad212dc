"""Each stage writes only the layers it declares (`Stage.adds` and `Stage.updates`).

Every Document layer is snapshotted (pickled) before and after each stage; a layer whose
snapshot changed must be one the stage declares.  The declared layer "places" is each
entity's `place`, so it lives in the entities layer.
"""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from marsad.document import Document
from marsad.pipeline import STAGES, Stage

from .conftest import PUBLISHED, text_document

LAYER_OF = {"places": "entities"}  # declared names that are stored in another field
NOT_LAYERS = {"text", "id", "title", "source", "url", "published", "language", "ner"}


def _layers(doc: Document) -> dict[str, bytes]:
    return {f.name: pickle.dumps(getattr(doc, f.name)) for f in dataclasses.fields(doc)
            if not f.name.startswith("_") and f.name not in NOT_LAYERS}


def undeclared_writes(doc: Document, stages=STAGES) -> dict[str, set[str]]:
    """Stage name → the layers it changed without declaring them."""
    problems: dict[str, set[str]] = {}
    for stage in stages:
        before = _layers(doc)
        stage.run(doc)
        after = _layers(doc)
        declared = {LAYER_OF.get(name, name) for name in stage.writes}
        changed = {name for name in after if after[name] != before[name]}
        if changed - declared:
            problems[stage.name] = changed - declared
    return problems


def _fresh(text: str) -> Document:
    doc = text_document(text, PUBLISHED)
    # the text stage reruns inside the loop; start from a bare document
    return Document(text=doc.text, published=PUBLISHED)


REPORTED = ("نفت وزارة الدفاع الروسية أن تكون طائراتها قد قصفت مدينة إدلب أمس، بينما قال "
            "المرصد السوري لحقوق الإنسان إن غارات روسية قتلت 12 مدنياً في إدلب يوم الجمعة. "
            "وأضاف المرصد أن قوات النظام تسيطر على بلدة خان شيخون.")


def test_every_stage_writes_only_what_it_declares(example_text):
    for text in (example_text, REPORTED):
        assert undeclared_writes(_fresh(text)) == {}


def test_a_stage_writing_an_undeclared_layer_is_caught():
    def sneaky(doc: Document) -> None:  # declares claims but also touches the events
        for event in doc.events:
            event.confidence = 0.0

    stages = list(STAGES)
    k = [s.name for s in stages].index("claims")
    stages.insert(k + 1, Stage("sneaky", ("events",), ("claims",), sneaky))
    problems = undeclared_writes(_fresh(REPORTED), stages)
    assert problems == {"sneaky": {"events"}}


@pytest.mark.parametrize("layer", ["control", "negated", "claim_relays"])
def test_statement_layers_are_typed_fields_not_extras(layer):
    names = {f.name for f in dataclasses.fields(Document)}
    assert layer in names and "extras" not in names
