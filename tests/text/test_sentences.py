from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.text.normalize import build_shadow
from marsad.text.sentences import split_sentences

from ..conftest import text_document


def sentences_of(text: str) -> list[str]:
    _, spans = split_sentences(build_shadow(text))
    return [text[s.start:s.end] for s in spans]


def test_example_splits_into_the_sentences_a_reader_sees(example_doc):
    got = [example_doc.text[s.start:s.end] for s in example_doc.sentences]
    assert len(got) == 18
    assert got[0] == "كمائن ومفخخات تسقط البوكمال بيد داعش.. وروسيا تنفي"
    # paragraph joins ".," split sentences and never start one
    assert got[2].endswith("لتؤكد الواقع على الأرض.")
    assert got[3].startswith("في المقابل، تمسكت روسيا")
    # a closed quotation followed by a wide gap ends the sentence that lost its full stop
    assert got[3].endswith('"محض افتراء"')
    assert got[4].startswith("من جهته، نقل المرصد")
    assert got[7].startswith("وعن طريقة استعادة المدينة")
    # the quotation with an inner full stop stays whole
    assert got[16].startswith('وقال المسؤول العسكري الروسي من سوريا لوكالة "نوفوستي"')
    assert "لا أساس لها من الصحة. المدينة تسيطر عليها" in got[16]
    assert got[16].endswith('منذ يوم الجمعة".')
    assert got[17].startswith("وأضاف المتحدث العسكري الروسي:")
    assert all(not s.startswith((",", "،", " ")) for s in got)


def test_no_split_inside_numbers_dates_or_abbreviations():
    text = "ارتفع المؤشر 3.5 بالمئة في 13.11.2017 بحسب د. محمد. ثم انتهى"
    assert sentences_of(text) == ["ارتفع المؤشر 3.5 بالمئة في 13.11.2017 بحسب د. محمد.", "ثم انتهى"]


def test_split_at_arabic_question_mark_semicolon_and_exclamation():
    assert sentences_of("هل انتهى؟ نعم؛ انتهى! حقا") == ["هل انتهى؟", "نعم؛", "انتهى!", "حقا"]


def test_guillemet_quotation_stays_whole():
    text = "قال: «انتهت المعركة. عاد الهدوء». ثم غادر."
    assert sentences_of(text) == ["قال: «انتهت المعركة. عاد الهدوء».", "ثم غادر."]


def test_paragraph_breaks_split():
    assert sentences_of("عنوان الخبر\n\nنص الخبر") == ["عنوان الخبر", "نص الخبر"]


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet="ابتمنسلوي .؟!؛,«»\"\n٣3", max_size=150))
def test_sentences_lie_inside_the_text_and_in_order(raw):
    doc = text_document(raw)
    previous_end = 0
    for span in doc.sentences:
        assert previous_end <= span.start < span.end <= len(doc.text)
        previous_end = span.end
    for token in doc.tokens:
        assert doc.text[token.start:token.end] == token.text
        for piece in token.pieces:
            assert token.start <= piece.start < piece.end <= token.end
