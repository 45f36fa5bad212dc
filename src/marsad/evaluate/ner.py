"""Named-entity evaluation: exact span + type micro-F1 (conlleval-style) on CoNLL files."""

from __future__ import annotations

import bisect
import time
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

TYPE_NAMES = {"PERS": "PERSON", "PER": "PERSON", "PERSON": "PERSON", "ORG": "ORG",
              "LOC": "LOC", "GPE": "LOC", "MISC": "MISC"}
TYPES = ("PERSON", "ORG", "LOC", "MISC")

Tagger = Callable[[list[str]], list[str]]


def iob_spans(tags: Iterable[str]) -> set[tuple[int, int, str]]:
    """(start, end, type) token spans of an IOB/IOB2 tag sequence, conlleval-style.

    An I- tag whose type differs from the open chunk (or with no open chunk) starts a
    new chunk, as conlleval does.
    """
    spans: set[tuple[int, int, str]] = set()
    start, kind = -1, None
    tags = list(tags)
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, label = tag.partition("-")
        if tag == "O" or not label:
            prefix, label = "O", None
        begins = prefix == "B" or (prefix == "I" and label != kind)
        if kind is not None and (prefix == "O" or begins):
            spans.add((start, i, TYPE_NAMES.get(kind, kind)))
            kind = None
        if label is not None and begins:
            start, kind = i, label
    return spans


def score_spans(gold: list[set], pred: list[set]) -> dict:
    tp: Counter[str] = Counter()
    n_gold: Counter[str] = Counter()
    n_pred: Counter[str] = Counter()
    for g, p in zip(gold, pred, strict=True):
        for span in g:
            n_gold[span[2]] += 1
        for span in p:
            n_pred[span[2]] += 1
        for span in g & p:
            tp[span[2]] += 1

    def prf(t: int, np_: int, ng: int) -> tuple[float, float, float]:
        precision = t / np_ if np_ else 0.0
        recall = t / ng if ng else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1

    precision, recall, f1 = prf(sum(tp.values()), sum(n_pred.values()), sum(n_gold.values()))
    per_type = {t: round(prf(tp[t], n_pred[t], n_gold[t])[2], 4) for t in TYPES}
    detail = {t: {"precision": round(prf(tp[t], n_pred[t], n_gold[t])[0], 4),
                  "recall": round(prf(tp[t], n_pred[t], n_gold[t])[1], 4),
                  "gold": n_gold[t], "predicted": n_pred[t]} for t in TYPES}
    return {"micro_f1": round(f1, 4), "precision": round(precision, 4),
            "recall": round(recall, 4), "per_type": per_type, "per_type_detail": detail}


_WINDOW = 40  # sentences per pseudo-document: the test file has no document breaks
_CONLL_TYPE = {"PERSON": "PERS", "ORG": "ORG", "LOC": "LOC", "MISC": "MISC"}


# Mentions that are not names in the CoNLL sense: nationality adjectives ("الروسية") and
# the short forms of organisations, mostly descriptions ("التنظيم", "المرصد"), name
# actors for marsad but are O in ANERcorp.  So are the dictionary's state organs named by
# an institution noun and a nationality adjective ("الحكومة العراقية", "الجيش الإسرائيلي"):
# ANERcorp's train part leaves 211 of the 213 such mentions untagged.  A person's short
# form is a surname ("الظواهري", "البشير"): a name, scored as one.
def _is_name(entity_type: str, source: str, text: str = "") -> bool:
    if source == "nationality" or (source == "short_form" and entity_type != "PERSON"):
        return False
    return not (source == "dictionary" and entity_type == "ORG" and _is_state_organ(text))


def _is_state_organ(text: str) -> bool:
    from marsad.knowledge.actors import default_actor_dictionary

    words = text.split()
    return len(words) > 1 and default_actor_dictionary().nationality_of(words[-1]) is not None


def pipeline_tag_sentences(sentences: list[list[str]], window: int = _WINDOW,
                           ner: str = "fast") -> list[list[str]]:
    """IOB tags from the shipped entity stage (dictionaries + gazetteer + rules + model).

    Windows of sentences become one document, one sentence a line, so that the model's
    document memory and the actors' short forms see their context as in an article.
    """
    out: list[list[str]] = []
    for k in range(0, len(sentences), window):
        out.extend(_tag_window(sentences[k:k + window], ner))
    return out


def _tag_window(sentences: list[list[str]], ner: str = "fast") -> list[list[str]]:
    from marsad.document import Document
    from marsad.pipeline import run_pipeline, settle_resources

    offsets: list[list[tuple[int, int]]] = []
    parts: list[str] = []
    pos = 0
    for words in sentences:
        spans = []
        for word in words:
            spans.append((pos, pos + len(word)))
            pos += len(word) + 1
        offsets.append(spans)
        parts.append(" ".join(words))
    doc = Document(text="\n".join(parts), ner=ner)
    run_pipeline(doc, until="entities")
    settle_resources()  # as `marsad eval ner` always did: the models stay out of the GC
    mentions = sorted((m.start, m.end, e.type) for e in doc.entities for m in e.mentions
                      if _is_name(e.type, m.source, doc.text[m.start:m.end]))
    flat = [(a, b, i, j) for i, spans in enumerate(offsets) for j, (a, b) in enumerate(spans)]
    ends = [b for _, b, _, _ in flat]
    tags = [["O"] * len(words) for words in sentences]
    for start, end, entity_type in mentions:
        k = bisect.bisect_right(ends, start)  # the first token ending after the mention starts
        first = True
        while k < len(flat) and flat[k][0] < end:
            _, _, i, j = flat[k]
            if tags[i][j] == "O":
                tags[i][j] = ("B-" if first else "I-") + _CONLL_TYPE[entity_type]
                first = False
            k += 1
    return tags


def evaluate_ner(path: str | Path, mode: str = "shipped", tagger: Tagger | None = None,
                 max_sentences: int | None = None, ner: str = "fast") -> dict:
    """Score a tagger on a CoNLL file (token<TAB>IOB tag, blank line between sentences).

    `mode="shipped"` scores the pipeline as shipped: the entity stage, where the actor
    dictionary and gazetteer win over rules and the CRF model.  `mode="model"` scores
    the CRF alone with document memory over a 40-sentence window, `mode="sentence"` the
    CRF sentence by sentence.  A custom `tagger` maps a sentence's words to IOB tags.
    `ner="accurate"` runs the fine-tuned e5 tagger in place of the CRF; with
    `mode="model"` it is scored alone.
    """
    from marsad.evaluate.conll import read_conll

    sentences = read_conll(path)
    if max_sentences is not None:
        sentences = sentences[:max_sentences]
    t0 = time.perf_counter()
    if tagger is None and mode == "shipped":
        pipeline_tag_sentences([sentences[0][0]], ner=ner)  # load before the clock starts
        t0 = time.perf_counter()
        predicted = pipeline_tag_sentences([words for words, _ in sentences], ner=ner)
    elif tagger is None and ner == "accurate":
        from marsad.knowledge.ner.accurate import default_accurate_tagger

        accurate = default_accurate_tagger()
        accurate.tag_sentences([sentences[0][0]])
        t0 = time.perf_counter()
        predicted = [tags for tags, _ in accurate.tag_sentences([w for w, _ in sentences])]
    elif tagger is None:
        if mode not in ("model", "sentence"):
            raise ValueError(f"unknown NER evaluation mode {mode!r}")
        from marsad.encoder import sentence_encoder
        from marsad.knowledge.ner.model import default_ner_model
        from marsad.pipeline import settle_resources

        model = default_ner_model()
        model.tag_tokens(["تجربة"])  # load lazily before the clock starts
        sentence_encoder().encode(["تجربة"])  # as the shipped mode's warm-up document does
        settle_resources()  # as after the shipped mode's warm-up document
        # a fresh featurizer cache, so that speed counts every word's features
        model = model.with_fresh_caches()
        t0 = time.perf_counter()
        words_only = [words for words, _ in sentences]
        if mode == "model":
            predicted = [tags for tags, _ in model.tag_sentences(words_only, window=_WINDOW)]
        else:
            predicted = [model.tag_tokens(words) for words in words_only]
    else:
        predicted = [tagger(words) for words, _ in sentences]
    elapsed = time.perf_counter() - t0
    gold, pred = [], []
    n_tokens = 0
    for (words, tags), p in zip(sentences, predicted, strict=True):
        n_tokens += len(words)
        gold.append(iob_spans(tags))
        pred.append(iob_spans(p))
    result = score_spans(gold, pred)
    result.update({"path": str(path), "mode": mode, "ner": ner, "sentences": len(sentences),
                   "tokens": n_tokens,
                   "tokens_per_second": round(n_tokens / elapsed, 1) if elapsed else None})
    return result


def format_ner_report(result: dict) -> str:
    lines = [f"NER on {result.get('path', '?')} ({result.get('mode', '')}, "
             f"{result.get('ner', 'fast')} tagger): "
             f"{result['tokens']} tokens, {result.get('sentences', '?')} sentences",
             f"micro-F1 {result['micro_f1']:.4f}  precision {result['precision']:.4f}  "
             f"recall {result['recall']:.4f}",
             f"{'type':<8}{'F1':>8}{'P':>8}{'R':>8}{'gold':>7}{'pred':>7}"]
    detail = result.get("per_type_detail", {})
    for t in TYPES:
        d = detail.get(t, {})
        lines.append(f"{t:<8}{result['per_type'].get(t, 0.0):>8.4f}{d.get('precision', 0.0):>8.4f}"
                     f"{d.get('recall', 0.0):>8.4f}{d.get('gold', 0):>7}{d.get('predicted', 0):>7}")
    if result.get("tokens_per_second"):
        lines.append(f"speed {result['tokens_per_second']:,.0f} tokens/s")
    return "\n".join(lines)
