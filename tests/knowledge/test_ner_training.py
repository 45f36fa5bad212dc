"""Training-data helpers of the NER model (no training run: these are fast and exact)."""

from __future__ import annotations

from training.train_crf import read_conll, replace_mentions


def test_replace_mentions_swaps_names_and_keeps_proclitics() -> None:
    sentences = [
        (["وقال", "جورج", "بوش", "في", "بغداد", "."], ["O", "B-PERS", "I-PERS", "O", "B-LOC", "O"]),
        (["ولمايكروسوفت", "فرع", "هنا"], ["B-ORG", "O", "O"]),
        (["لا", "أسماء", "هنا"], ["O", "O", "O"]),
    ]
    pools = {"PERS": [("سلمى", "الحسن", "العلي")], "ORG": [("نادي", "الزمالك")]}
    swapped = replace_mentions(sentences, pools, share=1.0)
    assert swapped == [
        (["وقال", "سلمى", "الحسن", "العلي", "في", "بغداد", "."],
         ["O", "B-PERS", "I-PERS", "I-PERS", "O", "B-LOC", "O"]),  # places stay
        (["ولنادي", "الزمالك", "فرع", "هنا"], ["B-ORG", "I-ORG", "O", "O"]),  # و+ل kept
    ]
    assert replace_mentions(sentences, pools, share=0.0) == []
    # the same seed gives the same copy
    assert replace_mentions(sentences, pools, share=0.5, seed=3) == \
        replace_mentions(sentences, pools, share=0.5, seed=3)


def test_read_conll_fixes_tags_and_skips_blank_tokens(tmp_path) -> None:
    path = tmp_path / "tiny.conll"
    path.write_text("زار\tO\nبوش\tB-PERS\n\u200f\tO\nبغداد\tB-LOC\n\nقال O\n", encoding="utf-8")
    assert read_conll(path) == [(["زار", "بوش", "بغداد"], ["O", "B-PERS", "B-LOC"]),
                                (["قال"], ["O"])]


def test_silver_sentences_are_tagged_by_the_accurate_tagger_and_cached(tmp_path) -> None:
    from training.silver import silver_sentences

    words = ["وقال", "قائد", "شرطة", "البوكمال", "قحطان", "غانم", "العلي", "إن", "التنظيم",
             "انسحب"]
    cache = tmp_path / "silver.conll"
    silver = silver_sentences([words], cache)
    assert silver[0][0] == words
    tags = dict(zip(*silver[0], strict=True))
    assert tags["البوكمال"] == "B-LOC" and tags["قحطان"] == "B-PERS" and tags["وقال"] == "O"
    cache.write_text("بوش\tB-PERS\n", encoding="utf-8")  # a later run reads the cache
    assert silver_sentences([words], cache) == [(["بوش"], ["B-PERS"])]


def test_unlabelled_text_comes_only_from_permissive_corpora() -> None:
    import pytest

    from tests.conftest import SHARED
    from training.silver import MAX_WORDS, MIN_WORDS, unlabelled_sentences

    if not (SHARED / "data/aqmar/articles").is_dir():
        pytest.skip("../shared data not present")
    sentences = unlabelled_sentences(SHARED)
    assert len(sentences) > 7000
    assert all(MIN_WORDS <= len(s) <= MAX_WORDS for s in sentences)
    assert all(" " not in w and w for s in sentences for w in s)
    assert sentences == unlabelled_sentences(SHARED)  # a fixed order: the build reproduces
