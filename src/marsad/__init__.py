"""marsad (مرصد): Arabic conflict news → events, claims and contradictions.

    >>> import marsad
    >>> analysis = marsad.analyze(text, published="2017-11-13")
    >>> analyzer = marsad.Analyzer(ner="fast", actors_paths=["mine.yaml"])  # share it
    >>> analyzer.analyze(text).to_json(); analyzer.analyze_many(articles)
    >>> analysis.to_json()
    >>> marsad.compare("A", "B").label
"""

from marsad.analysis import Analysis, analyze
from marsad.analyzer import Analyzer
from marsad.document import Document
from marsad.errors import InputError, MarsadError, OptionError, ResourceError

__version__ = "0.1.0"


def __getattr__(name: str):
    # The comparison model loads on first use, so `import marsad` stays quick.
    if name in ("compare", "Comparison"):
        from marsad.extract import compare as _compare

        return getattr(_compare, name)
    raise AttributeError(f"module 'marsad' has no attribute {name!r}")


__all__ = [
    "Analysis",
    "Analyzer",
    "Comparison",
    "Document",
    "InputError",
    "MarsadError",
    "OptionError",
    "ResourceError",
    "__version__",
    "analyze",
    "compare",
]
