"""Decoding never corrupts: damaged UTF-8, UTF-16/32, Windows-1256 only by a clear margin, HTML."""

from __future__ import annotations

import json

import pytest

from marsad.cli import main
from marsad.errors import BinaryInputError, UndecodableInputError
from marsad.inputs import decode_bytes, looks_like_html

ARABIC = "قال المرصد السوري إن الغارات استهدفت مدينة البوكمال يوم الجمعة وقتلت خمسة مدنيين."


def test_utf8_cut_off_by_head_c_stays_utf8_with_a_warning():
    data = ARABIC.encode("utf-8")[:-2]  # "." and half of the last letter gone
    decoded = decode_bytes(data, "cut.txt")
    assert decoded.encoding == "utf-8"
    assert decoded.text == ARABIC[:-2] + "\ufffd"
    assert len(decoded.warnings) == 1
    assert "1 byte" in decoded.warnings[0] and str(len(data) - 1) in decoded.warnings[0]


def test_a_stray_byte_in_utf8_is_replaced_where_it_is():
    raw = ARABIC.encode("utf-8")
    data = raw[:20] + b"\xff" + raw[20:] + b"\xfe"
    decoded = decode_bytes(data, "stray.txt")
    assert decoded.encoding == "utf-8"
    assert decoded.text.replace("\ufffd", "") == ARABIC
    assert "2 bytes" in decoded.warnings[0] and "20" in decoded.warnings[0]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32",
                                      "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_with_or_without_bom(encoding):
    decoded = decode_bytes(ARABIC.encode(encoding), "wide.txt")
    assert decoded.text == ARABIC
    assert decoded.encoding.startswith(encoding[:6])


def test_english_utf16_without_bom_is_text_not_binary():
    text = "Air strikes hit the city on Friday, residents said."
    assert decode_bytes(text.encode("utf-16-be")).text == text


def test_windows_1256_still_wins_when_utf8_is_clearly_worse():
    decoded = decode_bytes(ARABIC.encode("cp1256"), "old.txt")
    assert decoded.encoding == "windows-1256" and decoded.text == ARABIC


def test_latin1_and_binary_are_still_refused():
    with pytest.raises(UndecodableInputError):
        decode_bytes("café déjà vu, à la française".encode("latin-1"))
    with pytest.raises(BinaryInputError):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))


PAGE = """<!DOCTYPE html><html lang="ar"><head><meta charset="utf-8"><title>خبر</title>
<script>var n = 8;</script><style>p {margin: 0}</style></head>
<body><nav><a href="/">الرئيسية</a> | <a href="/news">أخبار</a></nav>
<article><h1>غارات على مدينة حدودية</h1>
<p>قتل 12 مدنيا في غارات جوية استهدفت مدينة البوكمال شرقي سوريا يوم الخميس، بحسب ما أفاد
المرصد السوري لحقوق الإنسان في بيان صدر مساء اليوم نفسه.</p>
<p>وقال مصدر محلي إن الطائرات قصفت حيا سكنيا في المدينة وأدت إلى دمار واسع في المنازل.</p>
</article><footer>جميع الحقوق محفوظة</footer></body></html>"""


def test_html_is_reduced_to_its_main_text():
    decoded = decode_bytes(PAGE.encode("utf-8"), "page.html")
    assert "قتل 12 مدنيا" in decoded.text
    for junk in ("<", "charset", "var n", "margin"):
        assert junk not in decoded.text
    assert any("HTML" in w for w in decoded.warnings)


def test_prose_mentioning_a_tag_is_not_html():
    assert not looks_like_html("كتب المبرمج <b> في النص ثم أكمل الخبر عن الغارات.")
    assert looks_like_html(PAGE)


def test_html_through_the_cli_analyses_the_text(tmp_path, capsys):
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    assert main(["analyze", str(path), "--format", "json"]) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert "<" not in data["document"]["text"]
    assert not any(q["value"] == 8 for q in data["quantities"])  # not from charset="utf-8"
    assert any("HTML" in w for w in data["warnings"]) and "HTML" in captured.err
