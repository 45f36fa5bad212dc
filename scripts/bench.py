"""Speed benchmarks that print numbers (never timed tests).

    python scripts/bench.py [--shared ../shared] [--articles 300] [--accurate]

- NER: tokens/s (and micro-F1) of the model alone and of the entity stage as shipped on
  ANERcorp test, with cold caches, on one core;
- knowledge layer: documents/s for text + entities + places + times + quantities;
- whole pipeline: documents/s and characters/s on SaudiNewsNet conflict articles;
- one long document (200 articles joined): characters/s, to show time stays linear;
- with `--accurate`, also the opt-in e5 tagger: alone and as the pipeline's tagger on
  ANERcorp test, and the whole pipeline with it on 50 articles (needs marsad[accurate]).
SaudiNewsNet is read from ../shared at run time (CC BY-NC-SA 4.0, benchmarks only).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
import zipfile
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

CONFLICT = re.compile(r"اليمن|الحوثي|عدن|صنعاء|تعز|سوريا|سورية|الأسد|حلب|دمشق|العراق|الموصل|"
                      r"بغداد|داعش|ليبيا|بنغازي|غارة|قصف|مقتل|التحالف")


def load_articles(shared: Path, limit: int) -> list[dict]:
    articles: list[dict] = []
    for archive in sorted((shared / "data/saudinewsnet/dataset").glob("*.zip")):
        with zipfile.ZipFile(archive) as zf:
            for name in zf.namelist():
                for item in json.loads(zf.read(name)):
                    if CONFLICT.search(item.get("title") or "") and item.get("content"):
                        articles.append(item)
                        if len(articles) >= limit:
                            return articles
    return articles


def bench_ner(shared: Path, ner: str = "fast") -> None:
    from marsad.evaluate.ner import evaluate_ner

    gold = shared / "data/anercorp/test.conll"
    for mode, label in (("model", f"NER {ner} model alone"),
                        ("shipped", f"NER as shipped with the {ner} tagger "
                                    "(text layer + every entity source + merge)")):
        result = evaluate_ner(gold, mode=mode, ner=ner)
        print(f"{label}, ANERcorp test ({result['tokens']} tokens): "
              f"{result['tokens_per_second']:,.0f} tokens/s, micro-F1 {result['micro_f1']:.3f}")


def bench_pipeline(articles: list[dict], disable: tuple[str, ...], label: str,
                   ner: str = "fast") -> None:
    import marsad

    marsad.analyze(articles[0]["content"], disable=disable, ner=ner)  # load resources once
    marsad.Analyzer.settle()  # as a long-running host would: the models leave the GC's sight
    chars = sum(len(a["content"]) for a in articles)
    start = time.perf_counter()
    for item in articles:
        marsad.analyze(item["content"], published=item["date_extracted"][:10], disable=disable,
                       ner=ner)
    elapsed = time.perf_counter() - start
    print(f"{label}: {len(articles) / elapsed:.1f} documents/s, {chars / elapsed:,.0f} chars/s "
          f"({len(articles)} SaudiNewsNet articles, {chars / len(articles):,.0f} chars each)")


def bench_long_document(articles: list[dict]) -> None:
    """One long input: the articles joined, to show time grows linearly with length."""
    import marsad

    text = "\n\n".join(a["content"] for a in articles)
    start = time.perf_counter()
    marsad.analyze(text, published=articles[0]["date_extracted"][:10])
    elapsed = time.perf_counter() - start
    print(f"one long document: {len(text):,} chars in {elapsed:.1f} s, {len(text) / elapsed:,.0f} chars/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", default=str(Path(__file__).resolve().parents[1].parent / "shared"))
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--accurate", action="store_true",
                        help="also benchmark the opt-in accurate (e5) NER tagger")
    args = parser.parse_args()
    shared = Path(args.shared)
    if not (shared / "data").is_dir():
        sys.exit(f"bench: no data under {shared}; pass --shared")
    bench_ner(shared)
    articles = load_articles(shared, args.articles)
    bench_pipeline(articles, ("events", "claims", "contradictions"), "knowledge layer")
    bench_pipeline(articles, (), "whole pipeline")
    bench_long_document(articles[:200])
    if args.accurate:
        bench_ner(shared, ner="accurate")
        bench_pipeline(articles[:50], (), "whole pipeline, accurate tagger", ner="accurate")


if __name__ == "__main__":
    main()
