"""`analyze()` and the `Analysis` it returns (defined in `marsad.analyzer`, beside the
`Analyzer` that makes them; this module keeps the older import path)."""

from marsad.analyzer import Analysis, analyze

__all__ = ["Analysis", "analyze"]
