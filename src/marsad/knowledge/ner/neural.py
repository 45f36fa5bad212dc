"""The fast tagger's neural half: a small convolutional tagger run in pure numpy.

Trained with PyTorch (`training.train_neural`, training only) and shipped
as float16 weights in `models/ner_neural.npz`.  `NerModel` averages its marginals with
the CRF's (see the model card): the two make different mistakes.

A word's input is built from what the CRF's featurizer already knows about it:

* embeddings of its normalised form and of its stem (words seen twice in training);
* embeddings of its two encoder word clusters (100 and 500 k-means clusters);
* a bag of embeddings of its stem's prefixes and suffixes (1–3 letters);
* binary evidence: name lists, gazetteer, trigger words, clitics, nisba ending,
  lexicon frequency band, script;
* the form's sentence-encoder vector reduced to 32 dimensions (`Featurizer.word_vectors`).

All of that depends on the word alone, so its first linear layer is computed once per
word type and cached.  Per token there remain the phrase-match marks of the sentence
(multi-word place names, actor and Wikipedia names), two dilated convolutions over the
document's sentences laid end to end, and the CRF forward-backward pass for the
marginals.
"""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np

from marsad.knowledge.ner.features import FeatureResources, Featurizer
from marsad.resources import resource_path

NEURAL_FILE = "models/ner_neural.npz"
TAGS = ("O", "B-PERS", "I-PERS", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC")
TAG_INDEX = {t: i for i, t in enumerate(TAGS)}
WORD_BITS = ("gL", "gP", "tP", "tO", "tL", "link", "al", "nisba", "lex=0", "lex=1", "lex=2",
             "lex=3", "digit", "latin", "punct", "pro", "enc", "arabic")
CLUSTER_SETS = 2  # the word clusters u0 (100) and u1 (500) of `ner_features.npz`
PLAIN_BITS = frozenset(WORD_BITS) - {"tL", "link", "pro", "enc", "punct", "arabic"}
ATTR_BITS = ("tL", "link", "pro", "enc", "punct")  # kept in the featurizer's attributes
UNK = 1  # row of unknown words and stems; row 0 is padding
MAX_CACHED_TYPES = 300_000  # word types whose first layer is kept (about 150 MB)


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


def affix_keys(feats: list[str]) -> list[str]:
    """The CRF features of a word that name its stem's prefixes and suffixes (1–3
    letters, "pre2=ال", "suf3=يين"): the network embeds the same affixes."""
    return [f for f in feats if f.startswith(("pre", "suf"))]


class WordTypes:
    """Per-word-type inputs (ids and bits) and per-token phrase marks, from a featurizer."""

    def __init__(self, featurizer: Featurizer, words: dict[str, int], stems: dict[str, int],
                 affixes: dict[str, int], vector_dims: int = 0):
        self.featurizer = featurizer
        self.words = words
        self.stems = stems
        self.affixes = affixes
        self.vector_dims = vector_dims  # reduced encoder vector columns after the bits
        if vector_dims and vector_dims != featurizer.res.vector_dims:
            raise ValueError(f"the network reads {vector_dims}-dimensional word vectors, "
                             f"the feature resource has {featurizer.res.vector_dims}")
        self.bit_index = {name: k for k, name in enumerate(WORD_BITS)}
        self.mark_names = [f"{name}={mark}" for name in ("gLM", *featurizer._phrases)
                           for mark in "BI"]

    def describe(self, words: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(ids: word, stem, clusters; affix ids, padded with 0; word bits, then the
        reduced encoder vector when the network reads one) of each word."""
        ids: list[tuple[int, ...]] = []
        affixes: list[list[int]] = []
        bit_rows: list[int] = []
        bit_cols: list[int] = []
        word_info = self.featurizer.word_info
        index = self.bit_index
        affix_id = self.affixes.get
        for r, word in enumerate(words):
            feats, attrs = word_info(word)
            u0, u1 = attrs.get("u0"), attrs.get("u1")
            ids.append((self.words.get(attrs["w"], UNK), self.stems.get(attrs.get("s", ""), UNK),
                        int(u0) + 1 if u0 is not None else 0, int(u1) + 1 if u1 is not None else 0))
            affixes.append([a for a in map(affix_id, feats) if a])
            names = [*PLAIN_BITS.intersection(feats), *(k for k in ATTR_BITS if k in attrs)]
            if "p" in attrs:
                names.append("arabic")
            bit_rows.extend([r] * len(names))
            bit_cols.extend(index[name] for name in names)
        bits = np.zeros((len(words), len(WORD_BITS)), dtype=np.float32)
        bits[bit_rows, bit_cols] = 1.0
        if self.vector_dims:
            bits = np.concatenate([bits, self.featurizer.word_vectors(words)], axis=1)
        padded = np.zeros((len(words), max(map(len, affixes), default=0) or 1), dtype=np.int64)
        for r, found in enumerate(affixes):
            padded[r, :len(found)] = found
        return np.array(ids, dtype=np.int64).reshape(len(words), 2 + CLUSTER_SETS), padded, bits

    def marks(self, words: list[str]) -> np.ndarray:
        """Phrase-match marks of one sentence (n × len(mark_names))."""
        out = np.zeros((len(words), len(self.mark_names)), dtype=np.float32)
        rows, cols = self.mark_cells(words)
        out[rows, cols] = 1.0
        return out

    def mark_cells(self, words: list[str], offset: int = 0) -> tuple[list[int], list[int]]:
        """(row, column) of each phrase-match mark of one sentence, rows from `offset`."""
        rows: list[int] = []
        cols: list[int] = []
        for k, (_, found) in enumerate(self.featurizer.match_marks(words)):
            for i, mark in enumerate(found):
                if mark:
                    rows.append(offset + i)
                    cols.append(2 * k + (mark == "I"))
        return rows, cols


class NeuralTagger:
    """Numpy inference for the exported network."""

    def __init__(self, arrays: dict[str, np.ndarray], types: WordTypes):
        f32 = {k: v.astype(np.float32) for k, v in arrays.items() if v.dtype.kind == "f"}
        self.types = types
        self.wemb, self.semb, self.aemb = f32["wemb.weight"], f32["semb.weight"], f32["aemb.weight"]
        self.cembs = [f32[f"cemb.{k}.weight"] for k in range(CLUSTER_SETS)]
        w_in = f32["inp.weight"].T  # (D, H): word, stem, clusters, affixes, bits, marks
        self.b_in = f32["inp.bias"]
        sizes = [self.wemb.shape[1], self.semb.shape[1], *(c.shape[1] for c in self.cembs),
                 self.aemb.shape[1], len(WORD_BITS) + types.vector_dims, len(types.mark_names)]
        cuts = np.cumsum([0, *sizes])
        self._w_parts = [w_in[a:b].copy() for a, b in zip(cuts[:-1], cuts[1:], strict=True)]
        self.dil = [int(d) for d in arrays["dilations"]]
        # conv weights (H_out, H_in, 3) → one (H_in, 3 H_out) matrix: the taps side by side
        self.convs = [(np.concatenate([f32[f"convs.{k}.weight"][:, :, j].T for j in range(3)],
                                      axis=1), f32[f"convs.{k}.bias"])
                      for k in range(len(self.dil))]
        self.w_out = f32["out.weight"].T.copy()
        self.b_out = f32["out.bias"]
        allowed, allowed_start = allowed_transitions()
        self.trans = np.where(allowed, f32["trans"], -1e4).astype(np.float64)
        self.start = np.where(allowed_start, f32["start"], -1e4).astype(np.float64)
        self.end = f32["end"].astype(np.float64)
        self._rows: dict[str, int] = {}
        self._table = np.zeros((0, self.b_in.shape[0]), dtype=np.float32)

    def with_featurizer(self, featurizer: Featurizer) -> NeuralTagger:
        """A copy that computes word features with `featurizer` (and an empty cache)."""
        other = copy.copy(self)
        other.types = copy.copy(self.types)
        other.types.featurizer = featurizer
        other._rows = {}
        other._table = self._table[:0]
        return other

    def _project(self, words: list[str]) -> None:
        """Cache the first layer's pre-activation of each new word type."""
        todo = [w for w in dict.fromkeys(words) if w not in self._rows]
        if not todo:
            return
        if len(self._rows) + len(todo) > MAX_CACHED_TYPES:  # start afresh with these words
            self._rows, self._table = {}, self._table[:0]
            todo = list(dict.fromkeys(words))
        self.types.featurizer.add_clusters(todo)  # encoder clusters of forms new to the vocabulary
        ids, affixes, bits = self.types.describe(todo)
        w_word, w_stem, *w_clusters, w_affix, w_bits, _ = self._w_parts
        x = self.wemb[ids[:, 0]] @ w_word + self.semb[ids[:, 1]] @ w_stem + self.b_in
        for k, (table, weight) in enumerate(zip(self.cembs, w_clusters, strict=True)):
            x += table[ids[:, 2 + k]] @ weight
        x += self.aemb[affixes].sum(axis=1) @ w_affix + bits @ w_bits
        base = len(self._rows)
        if base + len(x) > len(self._table):  # grow by doubling, not a copy per document
            grown = np.zeros((max(2 * len(self._table), base + len(x), 1024), x.shape[1]), np.float32)
            grown[:base] = self._table[:base]
            self._table = grown
        self._table[base:base + len(x)] = x
        self._rows.update((w, base + r) for r, w in enumerate(todo))

    def emissions(self, sentences: list[list[str]]) -> list[np.ndarray]:
        """Emission scores (n × K) for each sentence.

        The sentences are laid end to end, with gaps of zero rows as wide as the widest
        dilation, so every product is one 2-D matrix product without padding; the mask
        zeroes the gaps after each layer, so no sentence sees its neighbours."""
        self._project([w for s in sentences for w in s])
        out: list[np.ndarray] = [np.zeros((0, len(TAGS)), np.float32)] * len(sentences)
        gap = max(self.dil)
        chunk: list[int] = []
        size = 0
        for i, words in enumerate(sentences):
            if words:
                chunk.append(i)
                size += len(words) + gap
            if chunk and (size >= 20_000 or i + 1 == len(sentences)):
                self._emit(sentences, chunk, gap, out)
                chunk, size = [], 0
        return out

    def _emit(self, sentences: list[list[str]], chunk: list[int], gap: int,
              out: list[np.ndarray]) -> None:
        lengths = np.array([len(sentences[i]) for i in chunk])
        starts = gap + np.concatenate([[0], np.cumsum(lengths + gap)[:-1]])
        total = int(starts[-1] + lengths[-1] + gap)
        # the row of each word in the laid-out sequence
        at = np.repeat(starts - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths)
        at += np.arange(int(lengths.sum()))
        rows = np.zeros(total, dtype=np.int64)
        rows[at] = [self._rows[w] for i in chunk for w in sentences[i]]
        mask = np.zeros((total, 1), dtype=np.float32)
        mask[at] = 1.0
        w_marks = self._w_parts[-1]
        marks = np.zeros((total, w_marks.shape[0]), dtype=np.float32)
        for i, a in zip(chunk, starts.tolist(), strict=True):
            cell_rows, cell_cols = self.types.mark_cells(sentences[i], a)
            marks[cell_rows, cell_cols] = 1.0
        h = np.maximum(self._table[rows] + marks @ w_marks, 0) * mask
        for (taps, bias), d in zip(self.convs, self.dil, strict=True):
            # the three taps in one product; row t then reads h[t - d], h[t], h[t + d]
            # (the layout starts and ends with `gap` >= d zero rows, so no padding)
            y3 = h @ taps
            width = bias.shape[0]
            y = y3[:, width:2 * width] + bias
            y[d:] += y3[:-d, :width]
            y[:-d] += y3[d:, 2 * width:]
            h = (h + np.maximum(y, 0)) * mask
        em = h[at] @ self.w_out + self.b_out
        for i, part in zip(chunk, np.split(em, np.cumsum(lengths)[:-1]), strict=True):
            out[i] = part

    def marginals(self, sentences: list[list[str]]) -> list[np.ndarray]:
        """Per-token tag marginals (n × K) of each sentence under the network's CRF."""
        return crf_marginals(self.emissions(sentences), self.trans, self.start, self.end)

    def tag(self, sentences: list[list[str]]) -> list[tuple[list[str], list[float]]]:
        """Best IOB2 tags of each sentence (posterior decoding of the network's own
        marginals) and each chosen tag's marginal."""
        return decode_marginals(self.marginals(sentences))


def crf_marginals(ems: list[np.ndarray], trans: np.ndarray, start: np.ndarray,
                  end: np.ndarray) -> list[np.ndarray]:
    """Forward-backward marginals of linear-chain CRFs, vectorised over sentences of
    similar length (scaled probability space, so no log-sum-exp per step)."""
    out: list[np.ndarray] = [np.zeros((0, len(TAGS)))] * len(ems)
    order = sorted(range(len(ems)), key=lambda i: len(ems[i]))
    exp_trans = np.exp(trans - trans.max())
    for lo in range(0, len(order), 128):
        idx = [i for i in order[lo:lo + 128] if len(ems[i])]
        if not idx:
            continue
        lengths = np.array([len(ems[i]) for i in idx])
        b, n, k = len(idx), int(lengths.max()), len(TAGS)
        em = np.zeros((b, n, k))
        for r, i in enumerate(idx):
            em[r, :lengths[r]] = ems[i]
        potential = np.exp(em - em.max(axis=2, keepdims=True))
        alpha = np.empty((b, n, k))
        a = np.exp(start - start.max()) * potential[:, 0]
        alpha[:, 0] = a / a.sum(axis=1, keepdims=True)
        for t in range(1, n):
            a = (alpha[:, t - 1] @ exp_trans) * potential[:, t]
            alpha[:, t] = a / a.sum(axis=1, keepdims=True)
        beta = np.ones((b, n, k))
        stop = np.exp(end - end.max())
        beta[np.arange(b), lengths - 1] = stop / stop.sum()
        for t in range(n - 2, -1, -1):
            inside = (t < lengths - 1)[:, None]
            v = (potential[:, t + 1] * beta[:, t + 1]) @ exp_trans.T
            beta[:, t] = np.where(inside, v / v.sum(axis=1, keepdims=True), beta[:, t])
        marg = alpha * beta
        marg /= marg.sum(axis=2, keepdims=True)
        for r, i in enumerate(idx):
            out[i] = marg[r, :lengths[r]]
    return out


_ALLOWED, _ALLOWED_START = allowed_transitions()
_LOG_ALLOWED = np.where(_ALLOWED, 0.0, -1e9)
_LOG_ALLOWED_START = np.where(_ALLOWED_START, 0.0, -1e9)


def decode_marginals(margs: list[np.ndarray]) -> list[tuple[list[str], list[float]]]:
    """For each sentence, the IOB2-valid tag sequence with the highest product of
    marginals, and each chosen tag's marginal (posterior decoding, as when two taggers'
    marginals are combined)."""
    paths = best_iob_paths([np.log(m + 1e-12) for m in margs])
    return [([TAGS[j] for j in path], np.minimum(m[np.arange(len(path)), path], 1.0).tolist())
            for m, path in zip(margs, paths, strict=True)]


def best_iob_paths(scores: list[np.ndarray]) -> list[list[int]]:
    """For each sentence (words × TAGS per-word log-scores), the tag indices of the
    IOB2-valid sequence with the highest total score.

    The scores are per word and IOB2 only forbids some transitions, so where each word's
    best tag already makes a valid sequence it is the answer; Viterbi runs only on the
    other sentences (a few percent of them)."""
    out: list[list[int]] = [[] for _ in scores]
    filled = [i for i, s in enumerate(scores) if len(s)]
    if not filled:
        return out
    lengths = np.array([len(scores[i]) for i in filled])
    greedy = np.concatenate([scores[i] for i in filled]).argmax(axis=1)
    firsts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    step_ok = np.ones(len(greedy), dtype=bool)  # step_ok[t]: tag t may follow tag t - 1
    step_ok[1:] = _ALLOWED[greedy[:-1], greedy[1:]]
    step_ok[firsts] = _ALLOWED_START[greedy[firsts]]
    valid = np.logical_and.reduceat(step_ok, firsts)
    need_viterbi = []
    for i, first, n, ok in zip(filled, firsts.tolist(), lengths.tolist(), valid.tolist(),
                               strict=True):
        if ok:
            out[i] = greedy[first:first + n].tolist()
        else:
            need_viterbi.append(i)
    for i, path in zip(need_viterbi, _viterbi_paths([scores[i] for i in need_viterbi]),
                       strict=True):
        out[i] = path
    return out


def _viterbi_paths(scores: list[np.ndarray]) -> list[list[int]]:
    """`best_iob_paths` by Viterbi, vectorised over sentences of similar length."""
    out: list[list[int]] = [[] for _ in scores]
    order = sorted(range(len(scores)), key=lambda i: len(scores[i]))
    for lo in range(0, len(order), 128):
        idx = [i for i in order[lo:lo + 128] if len(scores[i])]
        if not idx:
            continue
        lengths = np.array([len(scores[i]) for i in idx])
        b, n = len(idx), int(lengths.max())
        logp = np.zeros((b, n, len(TAGS)))
        for r, i in enumerate(idx):
            logp[r, :lengths[r]] = scores[i]
        score = logp[:, 0] + _LOG_ALLOWED_START
        back = np.zeros((b, n, len(TAGS)), dtype=np.int64)
        for t in range(1, n):
            cand = score[:, :, None] + _LOG_ALLOWED
            back[:, t] = cand.argmax(axis=1)
            score = np.where((t < lengths)[:, None], cand.max(axis=1) + logp[:, t], score)
        # backtrace for all sentences at once; each starts from its own last word
        final = score.argmax(axis=1)
        paths = np.zeros((b, n), dtype=np.int64)
        current = final
        rows = np.arange(b)
        for t in range(n - 1, -1, -1):
            current = np.where(lengths - 1 == t, final, current)
            paths[:, t] = current
            if t:
                current = np.where(t < lengths, back[rows, t, current], current)
        for r, i in enumerate(idx):
            out[i] = paths[r, :lengths[r]].tolist()
    return out


def tagger_from_arrays(arrays: dict[str, np.ndarray], featurizer: Featurizer) -> NeuralTagger:
    arrays = dict(arrays)
    vocab = {key: {s: i + 2 for i, s in enumerate(str(arrays.pop(key)).split("\n")) if s}
             for key in ("words", "stems")}
    affixes = {s: i + 1 for i, s in enumerate(str(arrays.pop("affixes")).split("\n")) if s}
    vector_dims = int(arrays.pop("vector_dims", 0))
    return NeuralTagger(arrays, WordTypes(featurizer, vocab["words"], vocab["stems"], affixes,
                                          vector_dims))


def load_neural(path: str | Path | None = None, featurizer: Featurizer | None = None,
                features: str | Path | None = None) -> NeuralTagger:
    """The network at `path` (default: the shipped one), reading words through
    `featurizer` (default: one over `features` or the shipped feature resource)."""
    path = Path(path) if path else resource_path(NEURAL_FILE)
    if not path.exists():
        raise FileNotFoundError(f"NER model not found: {path}")
    if featurizer is None:
        if features is None:
            sibling = path.with_name("ner_features.npz")
            features = sibling if sibling.exists() else None
        featurizer = Featurizer(FeatureResources.load(features))
    with np.load(path, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    return tagger_from_arrays(arrays, featurizer)
