"""Silver training data for the CRF: permissive unlabelled text tagged by the accurate tagger.

The accurate (e5) tagger knows names the CRF never saw in ANERcorp's 125k tokens.  Tagging
text that may train a shipped model, and training the CRF on it beside ANERcorp, passes
some of that knowledge to the fast tagger (knowledge distillation).  Only the words of
these corpora are read, never their own labels, whose conventions differ from ANERcorp's:

* AQMAR (Arabic Wikipedia articles, CC BY-SA 3.0): `data/aqmar/articles/*.txt`;
* Wojood sample train and val (MIT): `data/wojood_sample/{train,val}.txt` (its test file
  scores the date rules, so it stays out);
* ANS claims train and dev (Apache-2.0): `data/ans/claim/{train,dev}.csv`.

SaudiNewsNet and syria_pages are never used: they are for tests and benchmarks only.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from marsad.evaluate.conll import Sentence, read_conll

_TOKEN = re.compile(r"\w+|[^\w\s]")
MIN_WORDS, MAX_WORDS = 2, 200


def unlabelled_sentences(shared: Path) -> list[list[str]]:
    """The words of every permissive unlabelled sentence, in a fixed order."""
    data = shared / "data"
    sentences = [words for path in sorted((data / "aqmar/articles").glob("*.txt"))
                 for words, _ in read_conll(path)]
    for split in ("train", "val"):
        sentences += _first_column_sentences(data / f"wojood_sample/{split}.txt")
    for split in ("train", "dev"):
        with open(data / f"ans/claim/{split}.csv", encoding="utf-8", newline="") as handle:
            sentences += [_TOKEN.findall(row["claim_s"]) for row in csv.DictReader(handle)]
    return [s for s in sentences if MIN_WORDS <= len(s) <= MAX_WORDS]


def _first_column_sentences(path: Path) -> list[list[str]]:
    sentences, words = [], []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if parts:
                words.append(parts[0])
            elif words:
                sentences.append(words)
                words = []
    if words:
        sentences.append(words)
    return sentences


def silver_sentences(sentences: list[list[str]], cache: Path | None = None) -> list[Sentence]:
    """`sentences` with the accurate tagger's IOB tags; kept in `cache` (CoNLL) if given."""
    if cache is not None and cache.exists():
        return read_conll(cache)
    from marsad.knowledge.ner.accurate import default_accurate_tagger

    tagged = default_accurate_tagger().tag_sentences(sentences)
    silver = [(words, tags) for words, (tags, _) in zip(sentences, tagged, strict=True)]
    if cache is None:
        return silver
    cache.parent.mkdir(parents=True, exist_ok=True)
    with open(cache, "w", encoding="utf-8") as handle:
        for words, tags in silver:
            handle.writelines(f"{w}\t{t}\n" for w, t in zip(words, tags, strict=True))
            handle.write("\n")
    return read_conll(cache)  # as a later run reads it, so both train on the same data
