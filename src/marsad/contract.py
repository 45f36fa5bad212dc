"""Document → the contract-v1 dict (../shared/spec/analysis-contract.md).

The JSON Schema of that contract is `schema/analysis-v1.schema.json` beside this file.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from marsad.document import Document, Entity, Event, Place

SCHEMA_VERSION = "1"


def to_contract(doc: Document) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "document": {
            "id": doc.id,
            "title": doc.title,
            "source": doc.source,
            "url": doc.url,
            "published": doc.published.isoformat() if doc.published else None,
            "language": doc.language,
            "text": doc.text,
        },
        "entities": [_entity(e) for e in doc.entities],
        "times": [
            {"id": t.id, "start": t.start, "end": t.end, "text": t.text, "value": t.value,
             "precision": t.precision, **({"calendar": "hijri"} if t.calendar == "hijri" else {})}
            for t in doc.times
        ],
        "quantities": [
            {"start": q.start, "end": q.end, "text": q.text, "value": q.value,
             "qualifier": q.qualifier, "unit": q.unit}
            for q in doc.quantities
        ],
        "events": [_event(v) for v in doc.events],
        "claims": [
            {
                "id": c.id, "speaker": c.speaker, "speaker_text": c.speaker_text,
                "cue": {"start": c.cue.start, "end": c.cue.end, "text": c.cue.text},
                "content": {"start": c.content.start, "end": c.content.end,
                            "text": c.content.text},
                "stance": c.stance, "quote": c.quote, "hedged": c.hedged,
                "said_at": c.said_at, "events": list(c.events),
            }
            for c in doc.claims
        ],
        "contradictions": [
            {"id": x.id, "claims": list(x.claims), "kind": x.kind, "explanation": x.explanation}
            for x in doc.contradictions
        ],
        "warnings": list(doc.warnings),
    }


def _entity(entity: Entity) -> dict[str, Any]:
    return {
        "id": entity.id,
        "type": entity.type,
        "name": entity.name,
        "name_en": entity.name_en,
        "mentions": [{"start": m.start, "end": m.end, "text": m.text} for m in entity.mentions],
        "place": _place(entity.place) if entity.place else None,
        "actor": (
            {"category": entity.actor.category, "country_code": entity.actor.country_code}
            if entity.actor else None
        ),
    }


def _place(place: Place) -> dict[str, Any]:
    return {
        "geonames_id": place.geonames_id, "name_en": place.name_en,
        "lat": round(place.lat, 5), "lon": round(place.lon, 5),
        "country_code": place.country_code, "admin1": place.admin1, "kind": place.kind,
        "confidence": round(place.confidence, 3),
    }


def _event(event: Event) -> dict[str, Any]:
    return {
        "id": event.id,
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "actor1": event.actor1,
        "actor2": event.actor2,
        "assoc_actors": list(event.assoc_actors),
        "location": event.location,
        "date": {"start": event.date.start, "end": event.date.end,
                 "precision": event.date.precision},
        "geo_precision": event.geo_precision,
        "fatalities": event.fatalities,
        "civilian_targeting": event.civilian_targeting,
        "evidence": [{"start": s.start, "end": s.end} for s in event.evidence],
        "claims": list(event.claims),
        "confidence": round(event.confidence, 3),
        "hedged": event.hedged,
    }


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    """The tracked JSON Schema of contract v1."""
    path = resources.files("marsad").joinpath("schema/analysis-v1.schema.json")
    return json.loads(path.read_text(encoding="utf-8"))


def validate(data: dict[str, Any]) -> None:
    """Raise jsonschema.ValidationError when `data` breaks the contract."""
    import jsonschema

    jsonschema.validate(data, schema(), cls=jsonschema.Draft202012Validator)
