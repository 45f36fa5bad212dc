import datetime as dt

import pytest

import marsad
from marsad.contract import validate


def test_public_names_are_exactly_these():
    assert sorted(marsad.__all__) == sorted([
        "Analysis", "Analyzer", "Comparison", "Document", "InputError", "MarsadError", "OptionError",
        "ResourceError", "__version__", "analyze", "compare",
    ])
    for name in marsad.__all__:
        assert getattr(marsad, name) is not None


def test_analyze_returns_contract_shaped_analysis():
    analysis = marsad.analyze("قال المرصد السوري إن غارات قتلت 5 مدنيين في إدلب أمس.",
                              published=dt.date(2020, 3, 2), source="test", doc_id="d1")
    data = analysis.to_dict()
    validate(data)
    assert data["document"]["id"] == "d1"
    assert data["document"]["published"] == "2020-03-02"
    assert analysis.to_json().startswith("{")


def test_document_id_defaults_to_a_stable_content_hash():
    a = marsad.analyze("نص عربي قصير", disable=["events"])
    b = marsad.analyze("نص عربي قصير", disable=["events"])
    assert a.document.id == b.document.id and len(a.document.id) == 16


def test_crlf_and_nfc_only():
    analysis = marsad.analyze("سطر أول\r\nسطر ثان")
    assert analysis.document.text == "سطر أول\nسطر ثان"


def test_empty_text_raises_input_error():
    with pytest.raises(marsad.InputError, match="empty"):
        marsad.analyze("   ")


def test_bad_published_raises_option_error():
    with pytest.raises(marsad.OptionError, match="YYYY-MM-DD"):
        marsad.analyze("نص", published="13/11/2017")
