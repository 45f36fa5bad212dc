"""A small neural NER tagger run in pure numpy: word-type encoder, dilated convolutions, CRF.

Trained with PyTorch (`marsad.knowledge.ner.train_neural`, training only) and shipped
as float16 weights in `models/ner_neural.npz`.  A word's input is the concatenation of

* an embedding of its normalised form and of its stem (words seen in training),
* a bag of hashed character 2–4-grams of the normalised word,
* the unit-length sum of its USE SentencePiece piece vectors (PCA-reduced),
* binary features shared with the CRF (gazetteer and name-list membership, trigger
  words, clitics, nisba ending, lexicon frequency band, script).

Everything up to the first linear layer depends on the word alone, so it is computed
once per word type and cached; a sentence then costs a few matrix products (the
convolutions, vectorised over a padded batch of sentences) and a Viterbi pass.
"""

from __future__ import annotations

import copy
import zlib
from pathlib import Path

import numpy as np

from marsad.knowledge.ner.features import (
    _ARABIC,
    FeatureResources,
    Featurizer,
    sp_piece_ids,
)
from marsad.resources import resource_path

NEURAL_FILE = "models/ner_neural.npz"
TAGS = ("O", "B-PERS", "I-PERS", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC")
TAG_INDEX = {t: i for i, t in enumerate(TAGS)}
BINARY = ("gL", "gP", "tP", "tO", "tL", "link", "al", "nisba", "lex=0", "lex=1", "lex=2",
          "lex=3", "digit", "latin", "punct", "pro", "enc", "np=1", "np=2", "np=3", "np=4",
          "arabic")
TOKEN_BINARY = ("gLM=B", "gLM=I")  # sentence-level: multi-word place-name match
N_BINARY = len(BINARY) + len(TOKEN_BINARY)
NGRAMS = (2, 3, 4)
UNK = 1


def allowed_transitions() -> tuple[np.ndarray, np.ndarray]:
    """(K×K allowed previous→next, K allowed at sentence start) under IOB2."""
    k = len(TAGS)
    trans = np.ones((k, k), dtype=bool)
    start = np.ones(k, dtype=bool)
    for j, tag in enumerate(TAGS):
        if tag.startswith("I-"):
            start[j] = False
            for i, prev in enumerate(TAGS):
                trans[i, j] = prev[2:] == tag[2:]
    return trans, start


def hash_ngrams(norm: str, buckets: int) -> list[int]:
    text = f"<{norm}>"
    out = []
    for n in NGRAMS:
        for i in range(len(text) - n + 1):
            out.append(1 + zlib.crc32(text[i:i + n].encode("utf-8")) % (buckets - 1))
    return out or [0]


class WordTypes:
    """Per-word-type inputs: word id, stem id, hashed n-grams and the dense features."""

    def __init__(self, featurizer: Featurizer, words: dict[str, int], stems: dict[str, int],
                 piece_ids: np.ndarray, piece_vecs: np.ndarray, buckets: int):
        self.featurizer = featurizer
        self.words = words
        self.stems = stems
        self.piece_row = {int(i): k for k, i in enumerate(piece_ids)}
        self.piece_vecs = piece_vecs.astype(np.float32)
        self.buckets = buckets
        self.binary_index = {name: k for k, name in enumerate(BINARY)}

    @property
    def dense_dim(self) -> int:
        return self.piece_vecs.shape[1] + N_BINARY

    def describe(self, words: list[str]) -> list[tuple[int, int, list[int], np.ndarray]]:
        """(word id, stem id, n-gram ids, dense vector) for each word (types, any order)."""
        pieces = sp_piece_ids([w if _ARABIC.search(w) else "" for w in words])
        out = []
        dim = self.piece_vecs.shape[1]
        for word, ids in zip(words, pieces, strict=True):
            feats, attrs = self.featurizer.word_info(word)
            norm = attrs["w"]
            dense = np.zeros(self.dense_dim, dtype=np.float32)
            rows = [self.piece_row[i] for i in ids if i in self.piece_row]
            if rows:
                v = self.piece_vecs[rows].sum(axis=0)
                dense[:dim] = v / (np.linalg.norm(v) + 1e-9)
            index = self.binary_index
            names = [f.split("=", 1)[0] if f.startswith(("pro=", "enc=", "punct=")) else f
                     for f in feats]
            names += [k for k in ("tL", "link", "gL", "gP", "tP", "tO") if k in attrs]
            if _ARABIC.search(norm):
                names.append("arabic")
                if rows:
                    names.append(f"np={min(len(ids), 4)}")
            for name in names:
                k = index.get(name)
                if k is not None:
                    dense[dim + k] = 1.0
            out.append((self.words.get(norm, UNK), self.stems.get(attrs.get("s", ""), UNK),
                        hash_ngrams(norm, self.buckets), dense))
        return out

    def token_binary(self, words: list[str]) -> np.ndarray:
        """Sentence-level binary features (n × len(TOKEN_BINARY))."""
        attrs = [self.featurizer.word_info(w)[1] for w in words]
        marks = self.featurizer._multi_matches(attrs)
        out = np.zeros((len(words), len(TOKEN_BINARY)), dtype=np.float32)
        for i, mark in enumerate(marks):
            if mark:
                out[i, TOKEN_BINARY.index("gLM=" + mark)] = 1.0
        return out


class NeuralTagger:
    """Numpy inference for the exported network."""

    def __init__(self, arrays: dict[str, np.ndarray], types: WordTypes):
        f32 = {k: v.astype(np.float32) for k, v in arrays.items()
               if v.dtype.kind == "f"}
        self.types = types
        self.wemb = f32["wemb.weight"]
        self.semb = f32["semb.weight"]
        self.cemb = f32["cemb.weight"]
        self.w_in = f32["inp.weight"].T.copy()  # (D, H)
        self.b_in = f32["inp.bias"]
        self.dil = [int(d) for d in arrays["dilations"]]
        # conv weights (H_out, H_in, 3) → three (H_in, H_out) matrices
        self.convs = [([f32[f"convs.{k}.weight"][:, :, j].T.copy() for j in range(3)],
                       f32[f"convs.{k}.bias"]) for k in range(len(self.dil))]
        self.w_out = f32["out.weight"].T.copy()
        self.b_out = f32["out.bias"]
        allowed, allowed_start = allowed_transitions()
        self.trans = np.where(allowed, f32["trans"], -1e4).astype(np.float32)
        self.start = np.where(allowed_start, f32["start"], -1e4).astype(np.float32)
        self.end = f32["end"]
        n_word = self.wemb.shape[1]
        self._split = (n_word, 2 * n_word, 2 * n_word + self.cemb.shape[1])
        self._cache: dict[str, np.ndarray] = {}
        self._tb_w = self.w_in[-len(TOKEN_BINARY):]  # projection of sentence-level bits

    def with_featurizer(self, featurizer: Featurizer) -> NeuralTagger:
        """A copy that computes word features with `featurizer` (and an empty cache)."""
        other = copy.copy(self)
        other.types = copy.copy(self.types)
        other.types.featurizer = featurizer
        other._cache = {}
        return other

    def _project(self, words: list[str]) -> None:
        todo = [w for w in dict.fromkeys(words) if w not in self._cache]
        if not todo:
            return
        if len(self._cache) > 300_000:
            self._cache.clear()
        desc = self.types.describe(todo)
        n_word = self.wemb.shape[1]
        n_char = self.cemb.shape[1]
        wid = np.array([d[0] for d in desc])
        sid = np.array([d[1] for d in desc])
        char = np.zeros((len(desc), n_char), dtype=np.float32)
        for k, d in enumerate(desc):
            char[k] = self.cemb[d[2]].sum(axis=0)
        dense = np.stack([d[3] for d in desc])
        w = self.w_in
        a, b, c = n_word, 2 * n_word, 2 * n_word + n_char
        x = (self.wemb[wid] @ w[:a] + self.semb[sid] @ w[a:b] + char @ w[b:c]
             + dense @ w[c:c + dense.shape[1]] + self.b_in)
        for word, row in zip(todo, x, strict=True):
            self._cache[word] = row

    def emissions(self, sentences: list[list[str]]) -> list[np.ndarray]:
        """Emission scores (n × K) for each sentence."""
        self._project([w for s in sentences for w in s])
        out: list[np.ndarray] = [np.zeros((0, len(TAGS)), np.float32)] * len(sentences)
        order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]))
        batch = 64
        for k in range(0, len(order), batch):
            idx = [i for i in order[k:k + batch] if sentences[i]]
            if not idx:
                continue
            n = max(len(sentences[i]) for i in idx)
            h_dim = self.b_in.shape[0]
            x = np.zeros((len(idx), n, h_dim), dtype=np.float32)
            mask = np.zeros((len(idx), n, 1), dtype=np.float32)
            for r, i in enumerate(idx):
                words = sentences[i]
                x[r, :len(words)] = np.stack([self._cache[w] for w in words])
                x[r, :len(words)] += self.types.token_binary(words) @ self._tb_w
                mask[r, :len(words)] = 1.0
            h = np.maximum(x, 0) * mask
            for (w3, bias), d in zip(self.convs, self.dil, strict=True):
                p = np.pad(h, ((0, 0), (d, d), (0, 0)))
                y = p[:, :n] @ w3[0] + h @ w3[1] + p[:, 2 * d:2 * d + n] @ w3[2] + bias
                h = (h + np.maximum(y, 0)) * mask
            em = h @ self.w_out + self.b_out
            for r, i in enumerate(idx):
                out[i] = em[r, :len(sentences[i])]
        return out

    def decode(self, em: np.ndarray) -> tuple[list[str], list[float]]:
        """Viterbi tags and each chosen tag's marginal probability."""
        n, k = em.shape
        if n == 0:
            return [], []
        trans = self.trans
        score = self.start + em[0]
        back = np.zeros((n, k), dtype=np.int64)
        alpha = np.empty((n, k), dtype=np.float64)
        alpha[0] = score
        for t in range(1, n):
            cand = score[:, None] + trans
            back[t] = cand.argmax(axis=0)
            score = cand.max(axis=0) + em[t]
            a = alpha[t - 1][:, None] + trans
            m = a.max(axis=0)
            alpha[t] = m + np.log(np.exp(a - m).sum(axis=0)) + em[t]
        score = score + self.end
        path = [int(score.argmax())]
        for t in range(n - 1, 0, -1):
            path.append(int(back[t, path[-1]]))
        path.reverse()
        beta = np.empty((n, k), dtype=np.float64)
        beta[-1] = self.end
        for t in range(n - 2, -1, -1):
            b = trans + (em[t + 1] + beta[t + 1])[None, :]
            m = b.max(axis=1)
            beta[t] = m + np.log(np.exp(b - m[:, None]).sum(axis=1))
        last = alpha[-1] + self.end
        m = last.max()
        log_z = m + np.log(np.exp(last - m).sum())
        marg = np.exp(alpha + beta - log_z)
        probs = marg[np.arange(n), path]
        return [TAGS[j] for j in path], [float(min(1.0, p)) for p in probs]

    def decode_batch(self, ems: list[np.ndarray]) -> list[tuple[list[str], list[float]]]:
        """`decode` for many sentences at once, vectorised over sentences of similar length."""
        out: list[tuple[list[str], list[float]]] = [([], [])] * len(ems)
        order = sorted(range(len(ems)), key=lambda i: len(ems[i]))
        k = len(TAGS)
        trans = self.trans.astype(np.float64)
        exp_trans = np.exp(trans - trans.max())
        shift = trans.max()
        for lo in range(0, len(order), 128):
            idx = [i for i in order[lo:lo + 128] if len(ems[i])]
            if not idx:
                continue
            lengths = np.array([len(ems[i]) for i in idx])
            b, n = len(idx), int(lengths.max())
            em = np.zeros((b, n, k), dtype=np.float64)
            for r, i in enumerate(idx):
                em[r, :lengths[r]] = ems[i]
            live = np.arange(n)[None, :] < lengths[:, None]  # (b, n)
            score = self.start + em[:, 0]
            back = np.zeros((b, n, k), dtype=np.int64)
            # forward pass in scaled probability space (log-normaliser kept per step)
            alpha = np.empty((b, n, k))
            a = np.exp(score - score.max(axis=1, keepdims=True))
            log_c = np.empty((b, n))
            log_c[:, 0] = score.max(axis=1) + np.log(a.sum(axis=1))
            alpha[:, 0] = a / a.sum(axis=1, keepdims=True)
            for t in range(1, n):
                cand = score[:, :, None] + trans[None]
                best = cand.argmax(axis=1)
                new = np.take_along_axis(cand, best[:, None, :], axis=1)[:, 0] + em[:, t]
                on = live[:, t][:, None]
                back[:, t] = best
                score = np.where(on, new, score)
                m = em[:, t].max(axis=1, keepdims=True)
                a = (alpha[:, t - 1] @ exp_trans) * np.exp(em[:, t] - m)
                z = a.sum(axis=1, keepdims=True)
                alpha[:, t] = np.where(on, a / z, alpha[:, t - 1])
                log_c[:, t] = np.where(live[:, t], np.log(z[:, 0]) + m[:, 0] + shift, 0.0)
            score = score + self.end
            last = score.argmax(axis=1)
            beta = np.ones((b, n, k))
            end = np.exp(self.end - self.end.max())
            beta[np.arange(b), lengths - 1] = end / end.sum()
            for t in range(n - 2, -1, -1):
                on = (t < lengths - 1)[:, None]
                m = em[:, t + 1].max(axis=1, keepdims=True)
                v = (np.exp(em[:, t + 1] - m) * beta[:, t + 1]) @ exp_trans.T
                v = v / v.sum(axis=1, keepdims=True)
                beta[:, t] = np.where(on, v, beta[:, t])
            marg = alpha * beta
            marg /= marg.sum(axis=2, keepdims=True)
            for r, i in enumerate(idx):
                length = int(lengths[r])
                path = [int(last[r])]
                row = back[r]
                for t in range(length - 1, 0, -1):
                    path.append(int(row[t, path[-1]]))
                path.reverse()
                probs = marg[r, np.arange(length), path]
                out[i] = ([TAGS[j] for j in path], np.minimum(probs, 1.0).tolist())
        return out

    def tag(self, sentences: list[list[str]]) -> list[tuple[list[str], list[float]]]:
        return self.decode_batch(self.emissions(sentences))


def load_neural(path: str | Path | None = None,
                features: str | Path | None = None) -> NeuralTagger:
    path = Path(path) if path else resource_path(NEURAL_FILE)
    if not path.exists():
        raise FileNotFoundError(f"NER model not found: {path}")
    if features is None:
        sibling = path.with_name("ner_features.npz")
        features = sibling if sibling.exists() else None
    with np.load(path, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    vocab = str(arrays.pop("words")).split("\n")
    stems = str(arrays.pop("stems")).split("\n")
    featurizer = Featurizer(FeatureResources.load(features))
    types = WordTypes(featurizer, {w: i + 2 for i, w in enumerate(vocab) if w},
                      {s: i + 2 for i, s in enumerate(stems) if s},
                      arrays.pop("piece_ids"), arrays.pop("piece_vecs"),
                      int(arrays.pop("buckets")))
    return NeuralTagger(arrays, types)
