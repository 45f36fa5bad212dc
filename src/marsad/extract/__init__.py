"""Extraction stages: claims, and the comparison of claims with each other."""
