import pytest

from marsad.knowledge.translit import romanize


@pytest.mark.parametrize(("arabic", "latin"), [
    ("قحطان غانم العلي", "Qahtan Ghanim al-Ali"),
    ("أبو مازن", "Abu Mazin"),
    ("خالد بن الوليد", "Khalid bin al-Walid"),
    ("عبد الله", "Abd Allah"),
])
def test_romanize_reads_like_press_spelling(arabic, latin):
    assert romanize(arabic) == latin


def test_romanize_is_ascii_letters_and_spaces():
    assert all(c.isascii() for c in romanize("السكرية الواقعة شرقي المدينة"))
