from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.text.normalize import build_shadow, document_text, normalize_key

ARABIC_ALPHABET = (
    "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئىة" "ًٌٍَُِّْـ" "٠١٢٣٤٥٦٧٨٩۰۱۲۳" "#_., ،؛؟!\"«»\n\r" "abcXYZ0123"
)
arabic_text = st.text(alphabet=ARABIC_ALPHABET, max_size=120)


def test_document_text_changes_only_line_ends_and_nfc():
    raw = "سطر\r\nسطر ثان\rثالث " + "ا\u0653"  # alef + combining madda composes under NFC
    assert document_text(raw) == "سطر\nسطر ثان\nثالث " + "آ"


def test_shadow_folds_letters_digits_and_drops_marks():
    shadow = build_shadow("قُتِلَ ٥٠ مدنيًّا في إدلب ـــ الأحد")
    assert shadow.text == "قتل 50 مدنيا في ادلب  الاحد"


def test_shadow_maps_alef_ya_and_ta_marbuta():
    assert build_shadow("إلى مدينة آمنة").text == "الي مدينه امنه"


def test_hashtag_becomes_words_and_maps_back():
    text = "على رأسها #حزب_الله، كانت"
    shadow = build_shadow(text)
    i = shadow.text.index("حزب الله")
    start, end = shadow.to_original(i, i + len("حزب الله"))
    assert text[start:end] == "حزب_الله"


def test_paragraph_joins_become_breaks():
    shadow = build_shadow("على الأرض., في المقابل. واسع.,  , وعن")
    assert shadow.text == "علي الارض.\n في المقابل. واسع.\n  \n وعن"


def test_trailing_diacritics_belong_to_the_span():
    text = "قُتِلَ رجلٌ"
    shadow = build_shadow(text)
    start, end = shadow.to_original(0, 3)
    assert text[start:end] == "قُتِلَ"


def test_normalize_key_matches_shadow():
    assert normalize_key("البُوكمال") == normalize_key("البوكمال") == "البوكمال"


@settings(max_examples=1000, deadline=None)
@given(arabic_text)
def test_every_shadow_span_maps_inside_document_text(raw):
    text = document_text(raw)
    shadow = build_shadow(text)
    n = len(shadow.text)
    for start in range(0, n, 3):
        for end in range(start, min(n, start + 7) + 1, 2):
            a, b = shadow.to_original(start, end)
            assert 0 <= a <= b <= len(text)


@settings(max_examples=1000, deadline=None)
@given(arabic_text, st.sampled_from(["البوكمال", "دير الزور", "حزب الله", "50"]),
       arabic_text)
def test_normalised_match_maps_to_the_original_substring(left, needle, right):
    # Decorate the needle with marks the shadow removes; the match must map back to it.
    decorated = needle.replace("ا", "اَ").replace("ل", "لّ") if needle != "50" else "٥٠"
    text = document_text(left + " " + decorated + " " + right)
    shadow = build_shadow(text)
    key = normalize_key(needle)
    index = shadow.text.find(" " + key + " ")
    assert index >= 0
    start, end = shadow.to_original(index + 1, index + 1 + len(key))
    assert normalize_key(text[start:end]) == key
    assert text[start:end].replace("َ", "").replace("ّ", "") in (needle, "٥٠")


@settings(max_examples=1000, deadline=None)
@given(arabic_text)
def test_to_shadow_strict_roundtrip(raw):
    text = document_text(raw)
    shadow = build_shadow(text)
    for i in range(len(shadow.text)):
        a, b = shadow.to_original(i, i + 1)
        assert shadow.to_shadow(a, b, "strict") == (i, i + 1)


@settings(max_examples=1000, deadline=None)
@given(arabic_text)
def test_fast_key_path_equals_the_shadow(raw):
    normalize_key.cache_clear()
    assert normalize_key(raw) == build_shadow(raw).text.strip()


def _reference_shadow(text: str) -> tuple[str, list[int], list[int]]:
    """The shadow built one character at a time: the definition build_shadow must keep."""
    from marsad.text.normalize import _FOLD_TABLE, _with_specials

    out, starts, ends = [], [], []
    for i, char in enumerate(_with_specials(text)):
        folded = _FOLD_TABLE.get(ord(char), char)
        if folded is None:
            if ends:
                ends[-1] = i + 1
            continue
        out.append(folded)
        starts.append(i)
        ends.append(i + 1)
    return "".join(out), starts, ends


@settings(max_examples=1000, deadline=None)
@given(arabic_text)
def test_shadow_equals_the_character_by_character_definition(raw):
    text = document_text(raw)
    shadow = build_shadow(text)
    expected_text, starts, ends = _reference_shadow(text)
    assert shadow.text == expected_text
    assert [shadow.to_original(i, i + 1) for i in range(len(shadow))] == list(zip(starts, ends, strict=True))
