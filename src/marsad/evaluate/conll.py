"""Reading CoNLL files (ANERcorp): the `marsad eval ner` gold, and the training data."""

from __future__ import annotations

from pathlib import Path

Sentence = tuple[list[str], list[str]]  # words and their IOB tags


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
