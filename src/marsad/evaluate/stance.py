"""Score the claim comparer against a stance file (CSV with columns s1, s2, stance).

The ANS stance splits (agree / disagree / other) are the reference format:

    evaluate_stance(Path("../shared/data/ans/stance/dev.csv"))
"""

from __future__ import annotations

import csv
from pathlib import Path

from marsad.extract.compare import LABELS, Comparer, default_comparer


def _f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def evaluate_stance(path: Path, comparer: Comparer | None = None) -> dict:
    """Macro-F1, per-class F1 and accuracy of `compare(s1, s2)` against the gold stance."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = [(r["s1"], r["s2"], r["stance"].strip().lower()) for r in csv.DictReader(handle)]
    comparer = comparer or default_comparer()
    predicted = [c.label for c in comparer.compare_many([(a, b) for a, b, _ in rows])]
    gold = [g for _, _, g in rows]
    per_class = {}
    for label in LABELS:
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p == label)
        fp = sum(1 for g, p in zip(gold, predicted, strict=True) if p == label != g)
        fn = sum(1 for g, p in zip(gold, predicted, strict=True) if g == label != p)
        per_class[label] = round(_f1(tp, fp, fn), 4)
    n = len(rows)
    correct = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p)
    return {
        "macro_f1": round(sum(per_class.values()) / len(LABELS), 4),
        "per_class": per_class,
        "accuracy": round(correct / n, 4) if n else 0.0,
        "n": n,
    }


def format_stance_report(result: dict) -> str:
    """A short plain-text report of `evaluate_stance`'s result."""
    lines = [
        f"stance pairs: {result['n']}",
        f"macro-F1:     {result['macro_f1']:.4f}",
        f"accuracy:     {result['accuracy']:.4f}",
    ]
    for label, f1 in result["per_class"].items():
        lines.append(f"  F1 {label:<9} {f1:.4f}")
    return "\n".join(lines)
