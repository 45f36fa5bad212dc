"""The ordered stage registry.  `run_pipeline` is one visible loop over it.

Each stage names the layers it reads, the layers it adds and the earlier layers it
amends (`updates`: the places stage sets each entity's place; the reporting stage ties
events and claims together).  `check_order` proves that no stage reads a layer that only
a later stage adds, and tests/test_stage_contract.py that no stage writes a layer it did
not declare.  A stage not built yet returns empty lists, never made-up data.

Nothing here changes the process: `settle_resources()` (`gc.freeze`) runs only when asked
(`Analyzer.settle()`).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from marsad.document import Document


@dataclass(frozen=True)
class Stage:
    name: str
    reads: tuple[str, ...]
    adds: tuple[str, ...]
    run: Callable[[Document], None]
    updates: tuple[str, ...] = ()  # layers added earlier that this stage amends

    @property
    def writes(self) -> tuple[str, ...]:
        return (*self.adds, *self.updates)


def _text(doc: Document) -> None:
    from marsad.text.normalize import build_shadow
    from marsad.text.sentences import split_sentences
    from marsad.text.tokens import tokenize

    doc.shadow = build_shadow(doc.text)
    doc.paragraphs, doc.sentences = split_sentences(doc.shadow)
    doc.tokens = tokenize(doc.shadow, doc.text, doc.sentences)


def _entities(doc: Document) -> None:
    from marsad.knowledge.link import link_entities

    link_entities(doc)


def _places(doc: Document) -> None:
    from marsad.knowledge.link import resolve_places

    resolve_places(doc)


def _times(doc: Document) -> None:
    from marsad.temporal.dates import find_times

    doc.times = find_times(doc)


def _quantities(doc: Document) -> None:
    from marsad.temporal.quantities import find_quantities

    doc.quantities = find_quantities(doc)


def _events(doc: Document) -> None:
    from marsad.extract.events import find_events

    doc.events = find_events(doc)


def _claims(doc: Document) -> None:
    from marsad.extract.claims import find_claims

    doc.claims = find_claims(doc)


def _reporting(doc: Document) -> None:
    from marsad.extract.events import link_events_to_claims

    link_events_to_claims(doc)


def _contradictions(doc: Document) -> None:
    from marsad.extract.contradictions import find_contradictions

    doc.contradictions = find_contradictions(doc)


STAGES: tuple[Stage, ...] = (
    Stage("text", (), ("shadow", "paragraphs", "sentences", "tokens"), _text),
    Stage("entities", ("shadow", "sentences", "tokens"), ("candidates", "entities"), _entities),
    # "places" is each entity's `place`: the stage amends the entities layer
    Stage("places", ("entities", "shadow"), ("places",), _places, updates=("entities",)),
    Stage("times", ("shadow", "sentences"), ("times",), _times),
    Stage("quantities", ("shadow", "times"), ("quantities",), _quantities),
    Stage("events", ("sentences", "tokens", "entities", "places", "times", "quantities"),
          ("events", "control", "negated"), _events),
    Stage("claims", ("sentences", "tokens", "entities", "times", "events", "negated"),
          ("claims", "claim_relays"), _claims),
    # an event told inside a claim's content is reported by it: its claims, hedging and,
    # failing a date of its own, the claim's date; the claim lists its events
    Stage("reporting", ("events", "claims", "times"), (), _reporting,
          updates=("events", "claims")),
    Stage("contradictions", ("sentences", "entities", "places", "quantities", "events", "control",
                             "negated", "claims"),
          ("contradictions",),
          _contradictions),
)

STAGE_NAMES: tuple[str, ...] = tuple(stage.name for stage in STAGES)


def check_order(stages: Iterable[Stage] = STAGES) -> list[str]:
    """Problems with the stage order: layers read before any stage adds them."""
    available: set[str] = set()
    problems = []
    for stage in stages:
        missing = [layer for layer in stage.reads if layer not in available]
        if missing:
            problems.append(f"stage '{stage.name}' reads {missing} before any stage adds them")
        available.update(stage.adds)
    return problems


def run_pipeline(doc: Document, *, disable: Iterable[str] = (),
                 until: str | None = None) -> Document:
    """Run every stage, in order, over one document (up to and including `until`)."""
    skipped = set(disable)
    unknown = (skipped | ({until} if until else set())) - set(STAGE_NAMES)
    if unknown:
        raise ValueError(f"unknown stage(s) {sorted(unknown)}; stages are {list(STAGE_NAMES)}")
    for stage in STAGES:
        if stage.name not in skipped:
            stage.run(doc)
        if stage.name == until:
            break
    return doc


_settled = False
_settle_lock = threading.Lock()


def settle_resources() -> None:
    """Opt-in, once per process, when the resources are loaded: hide what is alive from
    the cyclic garbage collector (`gc.freeze`).  `Analyzer.settle()` and the `marsad
    eval ner` command call it; nothing else does.

    By then the models, gazetteers and dictionaries are loaded (some 50,000 objects and
    sets of several hundred thousand names), and they live as long as the process.
    Every full collection would walk them again: about a tenth of the entity stage's
    time.  Objects frozen here are still freed when their last reference goes; only
    reference cycles alive at this moment are never collected.
    """
    global _settled
    with _settle_lock:
        if not _settled:
            _settled = True
            gc.collect()
            gc.freeze()
