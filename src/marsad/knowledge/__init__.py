"""The knowledge layer: gazetteer, geocoder and other lookups against reference data."""
