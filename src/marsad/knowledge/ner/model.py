"""The shipped CRF named-entity model: IOB tags over words, typed spans over Documents."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from marsad.document import CandidateSpan, Document, Token
from marsad.knowledge.ner.features import FeatureResources, Featurizer
from marsad.resources import read_lines, resource_path

MODEL_FILE = "models/ner.crfsuite"
MEMORY_THRESHOLD = 0.9
MEMORY_MAX_COUNT = 1000  # lexicon count from which a word is a function word, never a name
MEMORY_SCORE = 0.5  # score of a span whose type came from the document memory
TYPE_NAMES = {"PERS": "PERSON", "PER": "PERSON", "PERSON": "PERSON", "ORG": "ORG",
              "LOC": "LOC", "MISC": "MISC"}


class NerModel:
    """A tagger (the numpy neural network or a python-crfsuite CRF) plus its featurizer."""

    def __init__(self, tagger, featurizer: Featurizer, path: Path | None = None):
        from marsad.knowledge.ner.neural import NeuralTagger

        self.neural = isinstance(tagger, NeuralTagger)
        if self.neural and tagger.types.featurizer is not featurizer:
            tagger = tagger.with_featurizer(featurizer)
        self.tagger = tagger
        self.featurizer = featurizer
        self.path = path

    @classmethod
    def load(cls, path: str | Path | None = None, features: str | Path | None = None) -> NerModel:
        """Load a model (default: the shipped one) and its feature resources.

        A `.npz` path is the experimental neural tagger (see the model card), anything
        else a python-crfsuite model.  The shipped default is the CRF.
        """
        path = Path(path) if path is not None else resource_path(MODEL_FILE)
        if not path.exists():
            raise FileNotFoundError(f"NER model not found: {path}")
        if path.suffix == ".npz":
            from marsad.knowledge.ner.neural import load_neural

            tagger = load_neural(path, features)
            return cls(tagger, tagger.types.featurizer, path)
        import pycrfsuite

        if features is None:
            sibling = path.with_name("ner_features.npz")
            features = sibling if sibling.exists() else None
        tagger = pycrfsuite.Tagger()
        tagger.open(str(path))
        return cls(tagger, Featurizer(FeatureResources.load(features)), path)

    def tag_tokens(self, words: list[str]) -> list[str]:
        """IOB tags (B-PERS, I-LOC, …, O) for one sentence of pre-split words."""
        if not words:
            return []
        if self.neural:
            return self.tagger.tag([list(words)])[0][0]
        return list(self.tagger.tag(self.featurizer.sentence(list(words))))

    def tag_with_marginals(self, words: list[str]) -> tuple[list[str], list[float]]:
        if not words:
            return [], []
        if self.neural:
            return self.tagger.tag([list(words)])[0]
        tags = list(self.tagger.tag(self.featurizer.sentence(list(words))))
        probs = [self.tagger.marginal(tag, i) for i, tag in enumerate(tags)]
        return tags, probs

    def tag_sentences(self, sentences: list[list[str]], window: int | None = None,
                      memory: bool = True) -> list[tuple[list[str], list[float]]]:
        """Tags and marginals for the sentences of one document, with document memory.

        A one-word entity tagged confidently (marginal >= MEMORY_THRESHOLD) lends its type
        to untagged occurrences of the same stem elsewhere in the document (or within
        `window` sentences of it, for corpora without document breaks).
        """
        if self.neural:
            tagged = self.tagger.tag([list(words) for words in sentences])
        else:
            # the document's new words get their subword clusters in one batch
            self.featurizer.add_clusters([w for words in sentences for w in words])
            tagged = [self.tag_with_marginals(words) for words in sentences]
        if not memory:
            return tagged
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
    from marsad.temporal import load_table, norm

    return frozenset(norm(form) for forms in load_table("weekdays").values() for form in forms)


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


@lru_cache(maxsize=1)
def default_ner_model() -> NerModel:
    """The shipped model, loaded once."""
    return NerModel.load()
