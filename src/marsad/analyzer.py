"""`Analyzer`: loads and owns every resource once, then analyses many documents.

    >>> analyzer = marsad.Analyzer(ner="fast", actors_paths=["my_actors.yaml"])
    >>> analyzer.analyze(text, published="2017-11-13").to_json()
    >>> for analysis in analyzer.analyze_many(articles): ...

One analyser may be shared by any number of threads: the loaded resources are either
read-only after loading or guard their word caches with a lock (the entity taggers, the
sentence encoder, the gazetteer matcher registry).  A process pool builds one per process
(see README, "How it works").  Options are given here, never read from the environment;
`Analyzer.from_environment()` is the one place that maps `MARSAD_ACTORS_PATH` and
`MARSAD_CACHE_DIR` to options (the command line and `marsad.analyze()` use it).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from marsad.context import activated
from marsad.contract import to_contract
from marsad.document import NER_MODES, Document
from marsad.errors import EmptyInputError, OptionError, ResourceFileError
from marsad.inputs import guess_language, parse_published
from marsad.pipeline import STAGE_NAMES, run_pipeline, settle_resources
from marsad.text.normalize import document_text

ACTORS_PATH_ENV = "MARSAD_ACTORS_PATH"
CACHE_DIR_ENV = "MARSAD_CACHE_DIR"
_WARM_UP = "قال المرصد السوري إن غارات روسية قتلت 5 مدنيين في إدلب يوم الجمعة."

# Loaded resources shared by the analysers of one process that ask for the same options:
# they are read-only after loading, or lock their own caches.
_SHARED: dict[tuple, Any] = {}
_SHARED_LOCK = threading.Lock()


def _shared(key: tuple, build: Callable[[], Any]) -> Any:
    with _SHARED_LOCK:
        if key not in _SHARED:
            _SHARED[key] = build()
        return _SHARED[key]


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


class Analyzer:
    """Analyses articles with resources loaded once, from the options given here.

    `ner`: the entity tagger, "fast" (CRF + small network) or "accurate" (fine-tuned e5,
    needs `marsad[accurate]`).  `actors_paths`: the user's actor YAML files or folders,
    loaded after the shipped dictionary.  `cache_dir`: where the place gazetteer is built
    and kept (default `~/.cache/marsad`).  `disable`: stages to skip for every document.
    """

    def __init__(self, *, ner: str = "fast", actors_paths: Iterable[str | Path] = (),
                 cache_dir: str | Path | None = None, disable: Iterable[str] = ()):
        if ner not in NER_MODES:
            raise OptionError(f"unknown NER mode {ner!r}; choose one of {', '.join(NER_MODES)}")
        self.ner = ner
        self.actors_paths = tuple(Path(p).expanduser() for p in actors_paths)
        self.cache_dir = (Path(cache_dir).expanduser() if cache_dir is not None
                          else Path.home() / ".cache" / "marsad")
        self.disable = tuple(disable)
        unknown = set(self.disable) - set(STAGE_NAMES)
        if unknown:
            raise OptionError(f"unknown stage(s) {sorted(unknown)}; stages are {list(STAGE_NAMES)}")
        with _resource_errors():
            self._resources = self._load()
            self.analyze(_WARM_UP)  # every lazily built word list and matcher, before sharing

    @classmethod
    def from_environment(cls, **options: Any) -> Analyzer:
        """An analyser whose user actor files and cache directory come from
        `$MARSAD_ACTORS_PATH` (paths separated by `os.pathsep`) and `$MARSAD_CACHE_DIR`
        unless given in `options`."""
        if "actors_paths" not in options:
            env = os.environ.get(ACTORS_PATH_ENV, "")
            options["actors_paths"] = [p.strip() for p in env.split(os.pathsep) if p.strip()]
        if "cache_dir" not in options and os.environ.get(CACHE_DIR_ENV):
            options["cache_dir"] = os.environ[CACHE_DIR_ENV]
        return cls(**options)

    def _load(self) -> dict[str, Any]:
        from marsad.knowledge.actors import ActorDictionary
        from marsad.knowledge.gazetteer import PlaceGazetteer, build_gazetteer
        from marsad.knowledge.geocode import Geocoder

        paths, cache = self.actors_paths, self.cache_dir
        actors = _shared(("actors", paths),
                         lambda: ActorDictionary.load(list(paths), environment=False))
        gazetteer = _shared(("gazetteer", cache),
                            lambda: PlaceGazetteer.load(build_gazetteer(directory=cache)))
        resources = {
            "actors": actors,
            "gazetteer": gazetteer,
            "geocoder": _shared(("geocoder", cache), lambda: Geocoder(gazetteer)),
        }
        if self.ner == "fast":
            from marsad.knowledge.ner.model import NerModel

            resources["ner_model"] = _shared(("ner_model",), NerModel.load)
        else:
            from marsad.knowledge.ner.accurate import default_accurate_tagger

            default_accurate_tagger()  # loads it now: a missing package fails here
        return resources

    def get(self, name: str) -> Any:
        """The loaded resource `name` ("actors", "gazetteer", "geocoder", "ner_model")."""
        return self._resources.get(name)

    def analyze(self, text: str, *, published: str | dt.date | None = None,
                source: str | None = None, title: str | None = None, url: str | None = None,
                doc_id: str | None = None, disable: Iterable[str] = ()) -> Analysis:
        """Analyse one article (text as str) and return its `Analysis`."""
        doc = _document(text, published=published, source=source, title=title, url=url,
                        doc_id=doc_id, ner=self.ner)
        with activated(self):
            run_pipeline(doc, disable=(*self.disable, *disable))
        return Analysis(doc)

    def analyze_many(self, items: Iterable[str | Mapping[str, Any]], *,
                     published: str | dt.date | None = None, source: str | None = None,
                     ) -> Iterator[Analysis]:
        """Analyse each item in order, lazily.  An item is the text, or a mapping with
        "text" (or "content") and optionally "published", "source", "title", "url", "id";
        `published` and `source` here apply to items that do not give their own."""
        for item in items:
            if isinstance(item, str):
                yield self.analyze(item, published=published, source=source)
                continue
            text = item.get("text", item.get("content"))
            if text is None:
                raise OptionError("analyze_many: a mapping item needs a 'text' (or 'content') field")
            yield self.analyze(text, published=item.get("published", published),
                               source=item.get("source", source), title=item.get("title"),
                               url=item.get("url"), doc_id=item.get("id"))

    @staticmethod
    def settle() -> None:
        """Opt-in, once the analysers a process needs are built: hide every object alive
        now from the cyclic garbage collector (`gc.freeze`), which then stops walking the
        loaded models and dictionaries (about a tenth of the entity stage's time).  It
        affects the whole process: cycles among objects alive now are never collected."""
        settle_resources()

    def __repr__(self) -> str:
        return (f"Analyzer(ner={self.ner!r}, actors_paths={list(map(str, self.actors_paths))}, "
                f"cache_dir={str(self.cache_dir)!r})")


def _document(text: str, *, published: str | dt.date | None, source: str | None,
              title: str | None, url: str | None, doc_id: str | None, ner: str) -> Document:
    if not isinstance(text, str):
        raise TypeError(f"analyze() takes text as str, not {type(text).__name__}")
    clean = document_text(text)
    if not clean.strip():
        raise EmptyInputError("empty input: the text has no characters other than spaces")
    doc = Document(text=clean, id=doc_id or "", title=title, source=source, url=url,
                   published=parse_published(published), language=guess_language(clean), ner=ner)
    if doc.language != "ar":
        doc.warnings.append(f"no Arabic text found (language looks like '{doc.language}')")
    return doc


@contextmanager
def _resource_errors() -> Iterator[None]:
    """A malformed YAML resource (cue lists, curated places, time words, …) read while
    loading becomes one `ResourceFileError` naming the file and line: PyYAML's marks
    carry the name of the file it was reading."""
    try:
        yield
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = " ".join(str(getattr(exc, "problem", None) or exc).split())
        where = mark.name if mark is not None else "a resource file"
        raise ResourceFileError(where, mark.line + 1 if mark is not None else None,
                                f"not a readable YAML file: {problem}") from None


_DEFAULTS: dict[str, Analyzer] = {}
_DEFAULTS_LOCK = threading.Lock()


def default_analyzer(ner: str = "fast") -> Analyzer:
    """The analyser `marsad.analyze()` uses, built on first use from the environment."""
    with _DEFAULTS_LOCK:
        if ner not in _DEFAULTS:
            _DEFAULTS[ner] = Analyzer.from_environment(ner=ner)
        return _DEFAULTS[ner]


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
    """Analyse one article with the default `Analyzer` for `ner`, built on first use
    (from `$MARSAD_ACTORS_PATH` and `$MARSAD_CACHE_DIR`), and return its `Analysis`.

    `ner="accurate"` tags names with the fine-tuned e5 encoder instead of the CRF:
    better entities, about 60 times slower, and it needs `pip install 'marsad[accurate]'`.
    To choose the resources yourself, or to share them between threads, build a
    `marsad.Analyzer`.
    """
    if not isinstance(text, str):
        raise TypeError(f"analyze() takes text as str, not {type(text).__name__}")
    return default_analyzer(ner).analyze(text, published=published, source=source, title=title,
                                         url=url, doc_id=doc_id, disable=disable)
