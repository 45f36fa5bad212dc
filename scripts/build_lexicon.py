"""Build the word lexicon that guards clitic splitting (resources/lexicon/words.tsv).

The lexicon is a derived list of normalised word forms with their counts, learnt from
permissively licensed corpora in ../shared/data (read here at build time, never copied):
ANERcorp train (CC BY-SA 4.0), AQMAR (CC BY-SA 3.0), the Wojood sample train (MIT) and
ANS stance train (Apache 2.0).  Forms seen fewer than MIN_COUNT times are left out.

    python scripts/build_lexicon.py [--shared ../shared]
"""

from __future__ import annotations

import argparse
import csv
import re
from collections import Counter
from pathlib import Path

from marsad.text.normalize import normalize_key

MIN_COUNT = 2
ARABIC_WORD = re.compile(r"^[\u0621-\u064A]{2,}$")


def conll_tokens(path: Path, sep: str | None):
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            parts = line.rstrip("\n").split(sep) if sep else line.split()
            if parts and parts[0].strip():
                yield parts[0].strip()


def ans_tokens(path: Path):
    with open(path, encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            yield from (row["s1"] + " " + row["s2"]).split()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", default="../shared")
    parser.add_argument("--out", default="src/marsad/resources/lexicon/words.tsv")
    args = parser.parse_args()
    data = Path(args.shared) / "data"
    counts: Counter[str] = Counter()
    sources = [conll_tokens(data / "anercorp/train.conll", "\t")]
    sources += [conll_tokens(p, None) for p in sorted((data / "aqmar/articles").glob("*.txt"))]
    sources.append(conll_tokens(data / "wojood_sample/train.txt", None))
    sources.append(ans_tokens(data / "ans/stance/train.csv"))
    for tokens in sources:
        for token in tokens:
            key = normalize_key(token)
            if ARABIC_WORD.match(key):
                counts[key] += 1
    rows = sorted((w, c) for w, c in counts.items() if c >= MIN_COUNT)
    with open(args.out, "w", encoding="utf-8") as out:
        out.write("# Normalised Arabic word forms and counts; built by scripts/build_lexicon.py\n")
        out.write("# from ANERcorp train (CC BY-SA 4.0), AQMAR (CC BY-SA 3.0), Wojood sample\n")
        out.write("# train (MIT) and ANS stance train (Apache-2.0). Derived counts, no text.\n")
        for word, count in rows:
            out.write(f"{word}\t{count}\n")
    print(f"{len(rows)} forms written to {args.out}")


if __name__ == "__main__":
    main()
