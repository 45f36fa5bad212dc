"""Statistical named-entity recognition (PERSON, ORG, LOC, MISC) with a CRF."""

from marsad.knowledge.ner.model import NerModel, default_ner_model

__all__ = ["NerModel", "default_ner_model"]
