import pytest

from marsad.text.normalize import build_shadow
from marsad.text.tokens import tokenize


def pieces(word: str) -> list[tuple[str, str]]:
    token = tokenize(build_shadow(word), word)[0]
    return [(word[p.start:p.end], p.kind) for p in token.pieces]


@pytest.mark.parametrize(("word", "expected"), [
    ("البوكمال", [("البوكمال", "stem")]),
    ("بمحافظة", [("ب", "proclitic"), ("محافظة", "stem")]),
    ("والعراق", [("و", "proclitic"), ("العراق", "stem")]),
    ("فرنسا", [("فرنسا", "stem")]),
    ("بالكامل", [("ب", "proclitic"), ("الكامل", "stem")]),
    ("وسكان", [("و", "proclitic"), ("سكان", "stem")]),
    ("قولهم", [("قول", "stem"), ("هم", "enclitic")]),
    ("كمين", [("كمين", "stem")]),
    ("كوفي", [("كوفي", "stem")]),  # not ك + وفي: a conjunction never follows a preposition
    ("لوزير", [("ل", "proclitic"), ("وزير", "stem")]),
])
def test_clitics_split_only_when_the_lexicon_knows_the_rest(word, expected):
    assert pieces(word) == expected


def test_lam_al_stem_regains_its_article():
    token = tokenize(build_shadow("للمدينة"), "للمدينة")[0]
    assert [p.kind for p in token.pieces] == ["proclitic", "stem"]
    assert token.stem_norm == "المدينه"


def test_tokens_carry_offsets_of_the_original_text():
    text = "قُتِل ٥٠ مدنيًا، في #حلب"
    tokens = tokenize(build_shadow(text), text)
    assert [t.text for t in tokens] == ["قُتِل", "٥٠", "مدنيًا", "،", "في", "حلب"]
    assert [t.kind for t in tokens][:2] == ["word", "number"]
    assert tokens[1].norm == "50"
