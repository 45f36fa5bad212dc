"""The shipped fast NER model (a CRF with a small neural partner): IOB tags over words,
typed spans over Documents."""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

import numpy as np

from marsad.context import active
from marsad.document import CandidateSpan, Document, Token
from marsad.knowledge.ner.features import FeatureResources, Featurizer
from marsad.knowledge.ner.neural import (
    TAG_INDEX,
    TAGS,
    NeuralTagger,
    decode_marginals,
    load_neural,
)
from marsad.resources import load_yaml, read_lines, resource_path

MODEL_FILE = "models/ner.crfsuite"
NEURAL_FILE_NAME = "ner_neural.npz"  # the CRF's partner, beside it
NEURAL_WEIGHT = 0.5  # the network's share of the combined log-marginals
MEMORY_THRESHOLD = 0.9
MEMORY_MAX_COUNT = 1000  # lexicon count from which a word is a function word, never a name
MEMORY_SCORE = 0.5  # score of a span whose type came from the document memory
TYPE_NAMES = {"PERS": "PERSON", "PER": "PERSON", "PERSON": "PERSON", "ORG": "ORG",
              "LOC": "LOC", "MISC": "MISC"}


class NerModel:
    """The fast tagger: a python-crfsuite CRF and its featurizer, with the small numpy
    network (`neural.NeuralTagger`) as partner when one is given.  With a partner the
    two taggers' per-token marginals are combined (a geometric mean) and decoded under
    IOB2: they make different mistakes, and together score about 0.01 higher."""

    def __init__(self, tagger, featurizer: Featurizer, path: Path | None = None,
                 partner: NeuralTagger | None = None):
        if partner is not None and partner.types.featurizer is not featurizer:
            partner = partner.with_featurizer(featurizer)
        self.tagger = tagger
        self.featurizer = featurizer
        self.path = path
        self.partner = partner
        # crfsuite keeps the last tagged sentence for `marginal`, and the featurizer and
        # the network grow per-word caches: one thread tags at a time.
        self._lock = threading.RLock()

    @classmethod
    def load(cls, path: str | Path | None = None, features: str | Path | None = None,
             neural: str | Path | bool = True) -> NerModel:
        """Load a CRF (default: the shipped one), its feature resources and its neural
        partner: `neural=True` takes `ner_neural.npz` beside the CRF if there is one, a
        path that network, `False` none (the CRF alone)."""
        import pycrfsuite

        path = Path(path) if path is not None else resource_path(MODEL_FILE)
        if not path.exists():
            raise FileNotFoundError(f"NER model not found: {path}")
        if features is None:
            sibling = path.with_name("ner_features.npz")
            features = sibling if sibling.exists() else None
        tagger = pycrfsuite.Tagger()
        tagger.open(str(path))
        featurizer = Featurizer(FeatureResources.load(features))
        partner = None
        if neural is True and path.with_name(NEURAL_FILE_NAME).exists():
            neural = path.with_name(NEURAL_FILE_NAME)
        if neural not in (True, False):
            partner = load_neural(neural, featurizer)
        return cls(tagger, featurizer, path, partner)

    def with_fresh_caches(self) -> NerModel:
        """The same model with empty word caches (for timing that counts every word), and
        its own crfsuite tagger when the model file is known (a tagger is stateful)."""
        featurizer = type(self.featurizer)(self.featurizer.res)
        tagger = self.tagger
        if self.path is not None:
            import pycrfsuite

            tagger = pycrfsuite.Tagger()
            tagger.open(str(self.path))
        return NerModel(tagger, featurizer, self.path, self.partner)

    def tag_tokens(self, words: list[str]) -> list[str]:
        """IOB tags (B-PERS, I-LOC, …, O) for one sentence of pre-split words."""
        return self.tag_with_marginals(words)[0]

    def tag_with_marginals(self, words: list[str]) -> tuple[list[str], list[float]]:
        """IOB tags of one sentence and each chosen tag's marginal probability."""
        return self._tag([list(words)])[0]

    def _tag(self, sentences: list[list[str]]) -> list[tuple[list[str], list[float]]]:
        if not sentences:
            return []
        with self._lock:
            return self._tag_locked(sentences)

    def _tag_locked(self, sentences: list[list[str]]) -> list[tuple[list[str], list[float]]]:
        # the new words' encoder clusters and vectors, one batch for all the sentences
        self.featurizer.add_clusters([w for words in sentences for w in words])
        if self.partner is None:
            return [self._crf_tags(words) for words in sentences]
        net = np.concatenate(self.partner.marginals(sentences))
        combined = _geometric_mean(self._crf_marginals(sentences, net), net)
        return decode_marginals(np.split(combined, np.cumsum([len(w) for w in sentences])[:-1]))

    def _crf_tags(self, words: list[str]) -> tuple[list[str], list[float]]:
        if not words:
            return [], []
        tags = list(self.tagger.tag(self.featurizer.sentence_features(words)))
        return tags, [self.tagger.marginal(tag, i) for i, tag in enumerate(tags)]

    def _crf_marginals(self, sentences: list[list[str]], net: np.ndarray) -> np.ndarray:
        """The CRF's tag distribution of every word of `sentences` (stacked like `net`).

        crfsuite is asked only for the tag it chose and for the network's favourite; the
        rest of its mass is spread like the network's (its calls are slow: one per word
        instead of one per tag)."""
        favourite = net.argmax(axis=1).tolist()
        marginal = self.tagger.marginal
        chosen: list[int] = []
        known: list[float] = []
        extra: list[tuple[int, int, float]] = []
        for words in sentences:
            if not words:
                continue
            base = len(chosen)
            tags = self.tagger.tag(self.featurizer.sentence_features(words))
            chosen.extend(map(TAG_INDEX.__getitem__, tags))
            known.extend(map(marginal, tags, range(len(tags))))
            extra.extend((base + i, other, marginal(TAGS[other], i))
                         for i, other in enumerate(favourite[base:base + len(tags)])
                         if other != chosen[base + i])
        rows = np.arange(len(chosen))
        out = np.zeros((len(chosen), len(TAGS)))
        out[rows, chosen] = known
        asked = np.zeros(out.shape, dtype=bool)
        asked[rows, chosen] = True
        asked[rows, favourite] = True
        if extra:
            where, tag, value = zip(*extra, strict=True)
            out[list(where), list(tag)] = value
        rest = np.where(asked, 0.0, net)
        spare = np.clip(1.0 - out.sum(axis=1), 0.0, 1.0) / np.maximum(rest.sum(axis=1), 1e-12)
        return out + rest * spare[:, None]

    def tag_sentences(self, sentences: list[list[str]], window: int | None = None,
                      memory: bool = True) -> list[tuple[list[str], list[float]]]:
        """Tags and marginals for the sentences of one document, with document memory.

        A one-word entity tagged confidently (marginal >= MEMORY_THRESHOLD) lends its type
        to untagged occurrences of the same stem elsewhere in the document (or within
        `window` sentences of it, for corpora without document breaks).
        """
        with self._lock:
            tagged = self._tag([list(words) for words in sentences])
            return tagged if not memory else self._with_memory(sentences, tagged, window)

    def _with_memory(self, sentences: list[list[str]], tagged: list[tuple[list[str], list[float]]],
                     window: int | None) -> list[tuple[list[str], list[float]]]:
        stem = self._stem
        known: list[dict[str, str]] = []
        for words, (tags, probs) in zip(sentences, tagged, strict=True):
            found: dict[str, str] = {}
            for i, tag in enumerate(tags):
                single = tag.startswith("B-") and (i + 1 == len(tags) or not tags[i + 1].startswith("I-"))
                if single and probs[i] >= MEMORY_THRESHOLD:
                    key = stem(words[i])
                    if len(key) > 2:
                        found[key] = tag[2:]
            known.append(found)
        whole_document: dict[str, str] = {}
        if window is None:  # one memory for the document, built once
            for found in known:
                for key, kind in found.items():
                    whole_document.setdefault(key, kind)
        out = []
        for k, (words, (tags, probs)) in enumerate(zip(sentences, tagged, strict=True)):
            if window is None:
                memory_map = whole_document
            else:
                memory_map = {}
                for found in known[max(0, k - window):k + window + 1]:
                    for key, kind in found.items():
                        memory_map.setdefault(key, kind)
            tags, probs = list(tags), list(probs)
            if memory_map:
                for i, word in enumerate(words):
                    if tags[i] == "O" and (i + 1 == len(tags) or not tags[i + 1].startswith("I-")):
                        kind = memory_map.get(stem(word))
                        if kind:
                            tags[i] = "B-" + kind
                            probs[i] = MEMORY_SCORE  # the marginal was for O; mark as borrowed
            out.append((tags, probs))
        return out

    def _stem(self, word: str) -> str:
        """The memory key of a word: its form without proclitics (an enclitic stays, so
        "عليه" never borrows from "علي"); "" for the commonest words, which are function
        words whatever a name spelt the same way ("على" is normalised to "علي")."""
        attrs = self.featurizer.word_info(word)[1]
        if self.featurizer.lexicon.count(attrs["w"]) >= MEMORY_MAX_COUNT:
            return ""
        return attrs.get("p", attrs.get("s", ""))

    def find(self, doc: Document) -> list[CandidateSpan]:
        """Typed entity spans over `doc.tokens`, offsets into `doc.text`."""
        return spans_from_tags(doc.tokens, self.tag_sentences)


def spans_from_tags(tokens: list[Token], tag_sentences) -> list[CandidateSpan]:
    """Model spans from a tagger's (tags, probabilities) for each sentence of `tokens`."""
    spans: list[CandidateSpan] = []
    groups = _sentences(tokens)
    results = tag_sentences([[t.text for t in sentence] for sentence in groups])
    for sentence, (tags, probs) in zip(groups, results, strict=True):
        start = -1
        kind = None
        for i, tag in enumerate([*tags, "O"]):
            prefix, _, label = tag.partition("-")
            begins = prefix == "B" or (prefix == "I" and label != kind)
            if kind is not None and (prefix == "O" or begins):
                first, last = _name_edges(sentence[start:i])
                if first < last:
                    spans.append(_span(sentence[start + first:start + last], kind,
                                       probs[start + first:start + last]))
                kind = None
            if prefix in ("B", "I") and begins:
                start, kind = i, label
    return spans


def _name_edges(tokens: list[Token]) -> tuple[int, int]:
    """The part of a tagged span that can be a name: no leading preposition ("على
    البوكمال" is "on Albukamal"), no trailing weekday ("خافيير سولانا الخميس" is Solana,
    on Thursday; in ANERcorp's 125k training tokens no entity ends in one)."""
    openers, weekdays = _never_open_a_name(), _weekday_forms()
    first, last = 0, len(tokens)
    while first < last and tokens[first].text in openers:
        first += 1
    while last - first > 1 and (tokens[last - 1].stem_norm or tokens[last - 1].norm) in weekdays:
        last -= 1
    return first, last


@lru_cache(maxsize=1)
def _never_open_a_name() -> frozenset[str]:
    return frozenset(read_lines("entities/never_open_a_name.txt"))


@lru_cache(maxsize=1)
def _weekday_forms() -> frozenset[str]:
    """The weekday names of the temporal tables, folded like the shadow text (read here,
    not through marsad.temporal: knowledge sits below temporal)."""
    from marsad.text.normalize import normalize_key

    table = load_yaml("temporal/weekdays.yaml")
    return frozenset(" ".join(normalize_key(str(form)).split())
                     for forms in table.values() for form in forms)


def _span(tokens: list[Token], kind: str, probs: list[float]) -> CandidateSpan:
    first = tokens[0]
    start = first.start
    if any(p.kind == "proclitic" for p in first.pieces) and first.stem is not None:
        start = first.stem.start
    last = tokens[-1]
    end = last.end
    if last.pieces and last.pieces[-1].kind == "enclitic" and last.stem is not None:
        end = last.stem.end
    score = min(probs) if probs else 1.0
    return CandidateSpan(start, end, TYPE_NAMES.get(kind, kind), "model", None, round(score, 4))  # type: ignore[arg-type]


def _geometric_mean(crf: np.ndarray, net: np.ndarray) -> np.ndarray:
    """Per-token tag distributions whose logs are the weighted mean of the two taggers'."""
    if not len(crf):
        return crf
    log = (1 - NEURAL_WEIGHT) * np.log(crf + 1e-12) + NEURAL_WEIGHT * np.log(net + 1e-12)
    combined = np.exp(log - log.max(axis=1, keepdims=True))
    return combined / combined.sum(axis=1, keepdims=True)


def _sentences(tokens: list[Token]) -> list[list[Token]]:
    groups: list[list[Token]] = []
    current: list[Token] = []
    last = None
    for token in tokens:
        if current and token.sentence != last:
            groups.append(current)
            current = []
        current.append(token)
        last = token.sentence
    if current:
        groups.append(current)
    return groups


def default_ner_model() -> NerModel:
    """The running `Analyzer`'s fast tagger; outside one, the shipped model, loaded once."""
    own = active("ner_model")  # None outside an Analyzer
    return own if own is not None else _process_ner_model()


@lru_cache(maxsize=1)
def _process_ner_model() -> NerModel:
    return NerModel.load()
