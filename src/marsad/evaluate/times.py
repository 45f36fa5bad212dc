"""Evaluate `find_times` against the DATE spans of a Wojood-format file.

Wojood files hold one token per line followed by one or more IOB tags (nested
entities), with a blank line between sentences.  Each sentence is rebuilt by joining
its tokens with single spaces; a gold DATE span runs from a token tagged B-DATE over
the following I-DATE tokens.  `find_times` runs on every sentence with no publication
date unless one is given, so relative expressions are found but stay unresolved.

Figures:
  recall          share of gold spans overlapped by some predicted expression
  exact_recall    share of gold spans predicted with exactly the same boundaries
  precision       share of predicted expressions that overlap some gold span
  exact_precision share of predicted expressions that equal a gold span
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from marsad.document import Document
from marsad.temporal.dates import find_times
from marsad.text.normalize import build_shadow, document_text


@dataclass
class _Sentence:
    text: str
    gold: list[tuple[int, int]] = field(default_factory=list)


def read_wojood(path: Path, label: str = "DATE") -> list[_Sentence]:
    """Sentences of a Wojood file as text with the gold spans of one entity type."""
    sentences: list[_Sentence] = []
    tokens: list[tuple[str, list[str]]] = []

    def flush() -> None:
        if not tokens:
            return
        parts: list[str] = []
        gold: list[tuple[int, int]] = []
        offset = 0
        open_start: int | None = None
        open_end = 0
        for token, tags in tokens:
            if parts:
                offset += 1
            start, end = offset, offset + len(token)
            parts.append(token)
            offset = end
            if f"B-{label}" in tags:
                if open_start is not None:
                    gold.append((open_start, open_end))
                open_start, open_end = start, end
            elif f"I-{label}" in tags and open_start is not None:
                open_end = end
            elif open_start is not None:
                gold.append((open_start, open_end))
                open_start = None
        if open_start is not None:
            gold.append((open_start, open_end))
        sentences.append(_Sentence(" ".join(parts), gold))
        tokens.clear()

    with open(path, encoding="utf-8") as handle:
        for line in handle:
            line = line.rstrip("\n").rstrip("\r")
            if not line.strip():
                flush()
                continue
            fields = line.split()
            if len(fields) == 1:
                tokens.append((fields[0], []))
            else:
                tokens.append((fields[0], fields[1:]))
    flush()
    return sentences


def evaluate_times(path: Path, published: dt.date | None = None) -> dict:
    """Recall and precision of `find_times` on the DATE spans of a Wojood file."""
    sentences = read_wojood(Path(path))
    gold_total = predicted_total = 0
    found = exact_found = 0
    pred_overlap = pred_exact = 0
    misses: list[str] = []
    for sentence in sentences:
        text = document_text(sentence.text)
        doc = Document(text=text, published=published)
        doc.shadow = build_shadow(text)
        predicted = [(t.start, t.end) for t in find_times(doc)]
        gold = sentence.gold
        gold_total += len(gold)
        predicted_total += len(predicted)
        for g in gold:
            if any(p[0] < g[1] and g[0] < p[1] for p in predicted):
                found += 1
            elif len(misses) < 50:
                misses.append(text[g[0]:g[1]])
            if g in predicted:
                exact_found += 1
        for p in predicted:
            if any(p[0] < g[1] and g[0] < p[1] for g in gold):
                pred_overlap += 1
            if p in gold:
                pred_exact += 1

    def ratio(a: int, b: int) -> float:
        return round(a / b, 4) if b else 0.0

    return {
        "recall": ratio(found, gold_total),
        "exact_recall": ratio(exact_found, gold_total),
        "precision": ratio(pred_overlap, predicted_total),
        "exact_precision": ratio(pred_exact, predicted_total),
        "gold": gold_total,
        "predicted": predicted_total,
        "sentences": len(sentences),
        "missed_examples": misses[:20],
    }


def format_times_report(result: dict) -> str:
    """A short human-readable summary of `evaluate_times`."""
    lines = [
        f"DATE spans: {result['gold']} gold, {result['predicted']} predicted "
        f"in {result.get('sentences', '?')} sentences",
        f"  recall (overlap)   {result['recall']:.3f}",
        f"  recall (exact)     {result['exact_recall']:.3f}",
        f"  precision (overlap) {result['precision']:.3f}",
    ]
    if "exact_precision" in result:
        lines.append(f"  precision (exact)  {result['exact_precision']:.3f}")
    misses = result.get("missed_examples") or []
    if misses:
        lines.append("  missed, e.g.: " + " | ".join(misses[:8]))
    return "\n".join(lines)
