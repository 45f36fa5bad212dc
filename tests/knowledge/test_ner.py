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


def _random_neural(tmp_path: Path, featurizer) -> Path:
    """A tiny network with random weights, in the exported format (no torch needed)."""
    import numpy as np

    from marsad.knowledge.ner.neural import TAGS, WORD_BITS, WordTypes

    rng = np.random.default_rng(0)
    wdim, udim, adim, hidden, k = 4, 3, 2, 8, len(TAGS)
    n_marks = len(WordTypes(featurizer, {}, {}, {}).mark_names)
    width = 2 * wdim + 2 * udim + adim + len(WORD_BITS) + n_marks

    def r(*shape: int) -> np.ndarray:
        return rng.normal(size=shape).astype(np.float16)

    arrays = {"wemb.weight": r(5, wdim), "semb.weight": r(4, wdim), "cemb.0.weight": r(101, udim),
              "cemb.1.weight": r(501, udim), "aemb.weight": r(4, adim),
              "inp.weight": r(hidden, width), "inp.bias": r(hidden),
              "convs.0.weight": r(hidden, hidden, 3), "convs.0.bias": r(hidden),
              "convs.1.weight": r(hidden, hidden, 3), "convs.1.bias": r(hidden),
              "out.weight": r(k, hidden), "out.bias": r(k), "trans": r(k, k), "start": r(k),
              "end": r(k), "words": np.array("بغداد\nقال\nفي"), "stems": np.array("بغداد\nقال"),
              "affixes": np.array("p1=ب\ns1=د\np2=بغ"), "dilations": np.array([1, 2], dtype=np.int32)}
    path = tmp_path / "ner_neural.npz"
    np.savez(path, **arrays)
    return path


def _brute_force_marginals(em, trans, start, end):
    """Tag marginals by enumerating every tag sequence (tiny sentences only)."""
    import itertools

    import numpy as np

    n, k = em.shape
    marg = np.zeros((n, k))
    for path in itertools.product(range(k), repeat=n):
        score = start[path[0]] + end[path[-1]] + sum(em[t, j] for t, j in enumerate(path))
        score += sum(trans[a, b] for a, b in zip(path, path[1:], strict=False))
        for t, j in enumerate(path):
            marg[t, j] += np.exp(score)
    return marg / marg.sum(axis=1, keepdims=True)


def test_crf_marginals_match_enumeration() -> None:
    import numpy as np

    from marsad.knowledge.ner.neural import TAGS, allowed_transitions, crf_marginals

    rng = np.random.default_rng(1)
    allowed, allowed_start = allowed_transitions()
    trans = np.where(allowed, rng.normal(size=allowed.shape), -1e4)
    start = np.where(allowed_start, rng.normal(size=len(TAGS)), -1e4)
    end = rng.normal(size=len(TAGS))
    ems = [rng.normal(size=(n, len(TAGS))) * 3 for n in (3, 1, 2)]
    for em, marg in zip(ems, crf_marginals(ems, trans, start, end), strict=True):
        assert np.allclose(marg, _brute_force_marginals(em, trans, start, end), atol=1e-9)


def test_decode_marginals_is_the_best_valid_sequence() -> None:
    import itertools

    import numpy as np

    from marsad.knowledge.ner.neural import TAGS, allowed_transitions, decode_marginals

    rng = np.random.default_rng(2)
    allowed, allowed_start = allowed_transitions()
    margs = [rng.dirichlet(np.ones(len(TAGS)) * 0.3, size=n) for n in (3, 1, 0, 2, 3)]
    for marg, (tags, probs) in zip(margs, decode_marginals(margs), strict=True):
        n = len(marg)
        valid = (p for p in itertools.product(range(len(TAGS)), repeat=n)
                 if n and allowed_start[p[0]] and all(allowed[a, b] for a, b in zip(p, p[1:], strict=False)))
        best = max(valid, key=lambda p: sum(np.log(marg[t, j]) for t, j in enumerate(p)), default=())
        assert tags == [TAGS[j] for j in best]
        assert np.allclose(probs, [marg[t, j] for t, j in enumerate(best)])


def test_best_iob_paths_skip_viterbi_only_where_the_best_tags_are_valid() -> None:
    import numpy as np

    from marsad.knowledge.ner.neural import (
        TAGS,
        _viterbi_paths,
        allowed_transitions,
        best_iob_paths,
    )

    rng = np.random.default_rng(3)
    allowed, allowed_start = allowed_transitions()
    scores = [np.log(rng.dirichlet(np.ones(len(TAGS)) * 0.2, size=n))
              for n in rng.integers(0, 12, size=300)]
    greedy_valid = 0
    for score, path in zip(scores, best_iob_paths(scores), strict=True):
        greedy = score.argmax(axis=1).tolist()
        valid = not greedy or (allowed_start[greedy[0]]
                               and all(allowed[a, b] for a, b in zip(greedy, greedy[1:], strict=False)))
        greedy_valid += valid and bool(greedy)
        assert path == (greedy if valid else _viterbi_paths([score])[0])
    assert best_iob_paths(scores) == _viterbi_paths(scores)
    assert 0 < greedy_valid < sum(len(s) > 0 for s in scores)  # both ways were taken


def test_crf_with_neural_partner(tmp_path: Path, model: NerModel) -> None:
    import numpy as np

    partner = NerModel.load(model.path, neural=_random_neural(tmp_path, model.featurizer))
    assert partner.partner is not None
    sentences = [["قال", "الرئيس", "جورج", "بوش", "في", "بغداد"], ["في", "دمشق"], [],
                 ["واشنطن"] * 9]
    tagged = partner.tag_sentences(sentences, memory=False)
    for words, (tags, probs) in zip(sentences, tagged, strict=True):
        assert len(tags) == len(probs) == len(words)
        assert all(0.0 <= p <= 1.0 for p in probs)
        for prev, tag in zip(["O", *tags], tags, strict=False):  # IOB2 is respected
            assert not tag.startswith("I-") or prev[2:] == tag[2:]
        # one sentence at a time gives the same as a batch (padding does not leak)
        assert partner.tag_tokens(words) == tags
    marg = partner.partner.marginals(sentences)
    assert [m.shape[0] for m in marg] == [6, 2, 0, 9]
    assert all(np.allclose(m.sum(axis=1), 1.0) for m in marg if len(m))
    # a random partner changes what the CRF alone says somewhere
    alone = NerModel.load(model.path, neural=False)
    assert alone.partner is None
    assert [alone.tag_tokens(w) for w in sentences] != [t for t, _ in tagged]
    doc = _doc("قال الرئيس جورج بوش في بغداد.\nوصل الوفد إلى دمشق.")
    for span in partner.find(doc):
        assert span.source == "model" and 0.0 <= span.score <= 1.0


def test_shipped_model_has_its_neural_partner(model: NerModel) -> None:
    assert model.partner is not None
    assert model.partner.types.featurizer is model.featurizer


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


def test_crf_distribution_for_the_combination(model: NerModel) -> None:
    """The CRF's distribution is exact where crfsuite is asked (its own tag and the
    network's favourite) and sums to one."""
    import numpy as np

    from marsad.knowledge.ner.neural import TAG_INDEX

    sentences = [["قال", "الرئيس", "جورج", "بوش", "في", "واشنطن"], [], ["وصل", "الوفد", "إلى", "دمشق"]]
    net = np.concatenate(model.partner.marginals(sentences))
    crf = model._crf_marginals(sentences, net)
    assert crf.shape == net.shape == (10, 9)
    assert np.allclose(crf.sum(axis=1), 1.0)
    row = 0
    for words in sentences:
        if not words:
            continue
        tags = model.tagger.tag(model.featurizer.sentence(words))
        for i, tag in enumerate(tags):
            assert crf[row + i, TAG_INDEX[tag]] == pytest.approx(model.tagger.marginal(tag, i))
            favourite = int(net[row + i].argmax())
            label = list(TAG_INDEX)[favourite]
            assert crf[row + i, favourite] == pytest.approx(model.tagger.marginal(label, i))
        row += len(words)


def test_network_cache_starts_afresh_without_losing_words(model: NerModel, monkeypatch) -> None:
    import numpy as np

    import marsad.knowledge.ner.neural as neural

    partner = model.partner.with_featurizer(model.featurizer)
    sentence = ["قال", "الرئيس", "جورج", "بوش", "في", "واشنطن", "اليوم"]
    partner.marginals([sentence[:6], ["وصل", "الوفد", "إلى", "دمشق"]])
    monkeypatch.setattr(neural, "MAX_CACHED_TYPES", 8)  # the next call overflows the cache
    after = partner.marginals([sentence])[0]
    assert len(partner._rows) == 7
    fresh = model.partner.with_featurizer(model.featurizer).marginals([sentence])[0]
    assert np.allclose(after, fresh)


def test_word_vectors_of_shipped_and_new_forms(model: NerModel) -> None:
    import numpy as np

    from marsad.encoder import sentence_encoder
    from marsad.knowledge.ner.features import Featurizer

    res = model.featurizer.res
    assert res.vector_dims == 32
    featurizer = Featurizer(res)
    words = ["ببغداد", "وكزلبوردنيا", "2017", "CNN"]
    featurizer.add_clusters(words)
    vectors = featurizer.word_vectors(words)
    assert vectors.shape == (4, 32)
    row = res.word_rows["بغداد"]  # the proclitic-free form is looked up
    assert np.array_equal(vectors[0], res.word_vectors[row] * res.vector_scale)
    assert np.abs(vectors[1]).sum() > 0  # a new form, encoded at run time
    assert not vectors[2:].any()  # no Arabic form, no vector
    # run time reduces an encoder vector exactly as the build did
    again = res.reduce_vectors(np.asarray(sentence_encoder().encode(["بغداد"]), dtype=np.float32))
    assert np.abs(again[0].astype(int) - res.word_vectors[row]).max() <= 1


def test_the_network_must_match_the_resources_vector_size(model: NerModel) -> None:
    from marsad.knowledge.ner.neural import WORD_BITS, WordTypes

    types = WordTypes(model.featurizer, {}, {}, {}, vector_dims=32)
    _, _, bits = types.describe(["بغداد", "قال"])
    assert bits.shape == (2, len(WORD_BITS) + 32)
    with pytest.raises(ValueError, match="16-dimensional word vectors"):
        WordTypes(model.featurizer, {}, {}, {}, vector_dims=16)
