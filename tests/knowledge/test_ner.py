"""The shipped statistical NER model."""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.document import Document
from marsad.knowledge.ner import NerModel, default_ner_model
from marsad.text.normalize import build_shadow, document_text
from marsad.text.sentences import split_sentences
from marsad.text.tokens import tokenize

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "albukamal.txt"


@pytest.fixture(scope="module")
def model() -> NerModel:
    return default_ner_model()


def _doc(raw: str) -> Document:
    text = document_text(raw)
    doc = Document(text=text)
    doc.shadow = build_shadow(text)
    doc.sentences, doc.paragraphs = split_sentences(doc.shadow)
    doc.tokens = tokenize(doc.shadow, text, doc.sentences)
    return doc


def test_loads_and_tags_person_and_place(model: NerModel) -> None:
    words = ["قال", "الرئيس", "الأمريكي", "جورج", "بوش", "في", "واشنطن", "إن"]
    tags = model.tag_tokens(words)
    assert len(tags) == len(words)
    assert tags[3] == "B-PERS" and tags[4] == "I-PERS"
    assert tags[6] == "B-LOC"
    assert model.tag_tokens([]) == []


def test_load_explicit_path_and_missing() -> None:
    assert NerModel.load(default_ner_model().path).tag_tokens(["بغداد"])
    with pytest.raises(FileNotFoundError):
        NerModel.load("/nonexistent/ner.crfsuite")


def test_find_on_small_document(model: NerModel) -> None:
    doc = _doc("وصل الرئيس السوري بشار الأسد إلى موسكو أمس. وقال وزير الخارجية إن الزيارة ناجحة.")
    spans = model.find(doc)
    found = {(doc.text[s.start:s.end], s.type) for s in spans}
    assert ("بشار الأسد", "PERSON") in found
    assert ("موسكو", "LOC") in found
    for span in spans:
        assert span.source == "model"
        assert 0.0 < span.score <= 1.0


def test_find_drops_proclitic_from_span_start(model: NerModel) -> None:
    doc = _doc("زار الوفد بغداد وبيروت ودمشق الأسبوع الماضي.")
    texts = {doc.text[s.start:s.end] for s in model.find(doc) if s.type == "LOC"}
    assert "بيروت" in texts
    assert not any(t.startswith("وب") for t in texts)


@pytest.mark.skipif(not EXAMPLE.exists(), reason="shared example article not available")
def test_find_on_example_article(model: NerModel) -> None:
    doc = _doc(EXAMPLE.read_text(encoding="utf-8"))
    spans = model.find(doc)
    assert spans
    for span in spans:
        piece = doc.text[span.start:span.end]
        assert piece and piece == piece.strip()
        assert len(piece) < len(doc.text)
        assert span.type in {"PERSON", "ORG", "LOC", "MISC"}
    found = {(doc.text[s.start:s.end], s.type) for s in spans}
    assert ("قحطان غانم العلي", "PERSON") in found
    assert any(t == "البوكمال" and k == "LOC" for t, k in found)


def _random_neural(tmp_path: Path) -> Path:
    """A tiny neural model with random weights, in the exported format (no torch needed)."""
    import numpy as np

    from marsad.knowledge.ner.neural import N_BINARY, TAGS

    rng = np.random.default_rng(0)
    wdim, cdim, hidden, pdim, buckets, k = 4, 4, 8, 6, 50, len(TAGS)
    dense = pdim + N_BINARY

    def r(*shape: int) -> np.ndarray:
        return rng.normal(size=shape).astype(np.float16)

    arrays = {"wemb.weight": r(5, wdim), "semb.weight": r(4, wdim), "cemb.weight": r(buckets, cdim),
              "inp.weight": r(hidden, 2 * wdim + cdim + dense), "inp.bias": r(hidden),
              "convs.0.weight": r(hidden, hidden, 3), "convs.0.bias": r(hidden),
              "convs.1.weight": r(hidden, hidden, 3), "convs.1.bias": r(hidden),
              "out.weight": r(k, hidden), "out.bias": r(k), "trans": r(k, k), "start": r(k),
              "end": r(k), "words": np.array("بغداد\nقال\nفي"), "stems": np.array("بغداد\nقال"),
              "piece_ids": np.arange(pdim * 10, dtype=np.int32),
              "piece_vecs": r(pdim * 10, pdim), "buckets": np.array(buckets, dtype=np.int32),
              "dilations": np.array([1, 2], dtype=np.int32)}
    path = tmp_path / "ner_neural.npz"
    np.savez(path, **arrays)
    return path


def test_neural_model_loads_and_decodes_consistently(tmp_path: Path) -> None:
    import numpy as np

    model = NerModel.load(_random_neural(tmp_path))
    assert model.neural
    sentences = [["قال", "الرئيس", "جورج", "بوش", "في", "بغداد"], ["في", "دمشق"], [],
                 ["واشنطن"] * 9]
    ems = model.tagger.emissions(sentences)
    batch = model.tagger.decode_batch(ems)
    for em, (tags, probs) in zip(ems, batch, strict=True):
        ref_tags, ref_probs = model.tagger.decode(em)
        assert tags == ref_tags
        assert np.allclose(probs, ref_probs, atol=1e-6)
        assert all(0.0 <= p <= 1.0 for p in probs)
        for prev, tag in zip(["O", *tags], tags, strict=False):  # IOB2 is respected
            assert not tag.startswith("I-") or prev[2:] == tag[2:]
    # one sentence at a time gives the same as a batch (padding does not leak)
    assert model.tag_tokens(sentences[0]) == batch[0][0]
    doc = _doc("قال الرئيس جورج بوش في بغداد.\nوصل الوفد إلى دمشق.")
    for span in model.find(doc):
        assert span.source == "model" and 0.0 <= span.score <= 1.0


def test_actor_phrase_features(model: NerModel) -> None:
    """The shipped resources carry the actor dictionary's names; matches are clitic-aware."""
    assert {"aO", "aP"} <= set(model.featurizer.res.phrases)
    feats = model.featurizer.sentence(["وقال", "وحزب", "الله", "اليوم"])
    assert "aO=B" in feats[1] and "aO=I" in feats[2]
    assert not any(str(f).startswith("aO=") for f in feats[0])
    assert not any(str(f).startswith("aO=") for f in feats[3])


def test_document_memory_keys_skip_function_words_and_keep_enclitics():
    from marsad.knowledge.ner.model import default_ner_model

    model = default_ner_model()
    assert model._stem("على") == ""  # normalised to علي, the commonest word in the lexicon
    assert model._stem("عليه") != model._stem("علي")
    assert model._stem("والقذافي") == model._stem("القذافي") != ""


def test_word_cluster_features_cover_known_and_new_forms(model: NerModel) -> None:
    """Whole-word encoder clusters: shipped for a large vocabulary, computed at run time
    for a new form, and shared by a form with and without its proclitic."""
    from marsad.knowledge.ner.features import Featurizer

    res = model.featurizer.res
    assert len(res.word_rows) > 100_000 and res.word_ids.shape == (len(res.word_rows), 2)
    assert "مايكروسوفت" in res.word_rows and "زقزقستان" not in res.word_rows
    featurizer = Featurizer(res)
    featurizer.add_clusters(["ومايكروسوفت", "زقزقستان", "وزقزقستان", "2017"])

    def clusters(word: str) -> list[str]:
        return [f for f in featurizer.word_info(word)[0] if f.startswith(("u0=", "u1="))]

    assert len(clusters("مايكروسوفت")) == 2
    assert clusters("ومايكروسوفت") == clusters("مايكروسوفت")
    assert len(clusters("زقزقستان")) == 2 and clusters("وزقزقستان") == clusters("زقزقستان")
    assert clusters("2017") == []
    # encoded at run time, a shipped form lands in the clusters the build gave it
    import dataclasses

    shipped = [f"u{k}={int(c)}" for k, c in enumerate(res.word_ids[res.word_rows["مايكروسوفت"]])]
    rows = {form: row for form, row in res.word_rows.items() if form != "مايكروسوفت"}
    fresh = Featurizer(dataclasses.replace(res, word_rows=rows))
    fresh.add_clusters(["مايكروسوفت"])
    assert [f for f in fresh.word_info("مايكروسوفت")[0] if f.startswith("u")] == shipped
