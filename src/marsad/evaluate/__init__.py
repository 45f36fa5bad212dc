"""Evaluation of marsad components against reference data."""
