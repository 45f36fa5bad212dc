"""Each kind of bad input: one line naming the input, exit status 2, no traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from marsad.cli import main

ARABIC = "قال المرصد السوري إن الغارات استهدفت مدينة البوكمال يوم الجمعة."


def run_cli(*args: str, stdin: bytes | None = None, env: dict | None = None):
    """Run the real console entry point in a subprocess, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "marsad.cli", *args], input=stdin, capture_output=True,
        env={**os.environ, **(env or {})}, timeout=300,
    )


def assert_one_line_error(result, *fragments: str) -> None:
    err = result.stderr.decode("utf-8")
    assert result.returncode == 2, err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert lines[0].startswith("marsad: error:")
    for fragment in fragments:
        assert fragment in lines[0]


def test_empty_input(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("  \n\t \n", encoding="utf-8")
    assert_one_line_error(run_cli("analyze", str(path)), "empty input", str(path))


def test_missing_path(tmp_path):
    path = tmp_path / "nope.txt"
    assert_one_line_error(run_cli("analyze", str(path)), "no such file", str(path))


def test_directory(tmp_path):
    assert_one_line_error(run_cli("analyze", str(tmp_path)), "is a directory", str(tmp_path))


def test_binary_file(tmp_path):
    path = tmp_path / "image.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert_one_line_error(run_cli("analyze", str(path)), "binary", str(path))


def test_undecodable_bytes(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("Ceci n'est pas de l'arabe: café déjà vu".encode("latin-1"))
    assert_one_line_error(run_cli("analyze", str(path)), "cannot decode", str(path))


def test_published_not_a_date(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(ARABIC, encoding="utf-8")
    result = run_cli("analyze", str(path), "--published", "yesterday")
    assert_one_line_error(result, "--published", "yesterday", "YYYY-MM-DD")


def test_unknown_option_is_one_line():
    assert_one_line_error(run_cli("analyze", "x.txt", "--colour", "red"), "--colour")


def test_too_large_is_refused_with_a_configurable_limit(tmp_path):
    path = tmp_path / "big.txt"
    with open(path, "w", encoding="utf-8") as handle:
        for _ in range(20 * 1024):  # 20 MB of text
            handle.write(("خبر " * 120)[:1023] + "\n")
    result = run_cli("analyze", str(path))
    assert_one_line_error(result, "too large", str(path), "--max-bytes")
    # the limit is configurable: a small one refuses a small file too
    small = tmp_path / "small.txt"
    small.write_text(ARABIC, encoding="utf-8")
    assert_one_line_error(run_cli("analyze", str(small), "--max-bytes", "10"), "too large")
    assert_one_line_error(run_cli("analyze", str(small), env={"MARSAD_MAX_BYTES": "10"}),
                          "too large")


def test_utf8_bom_is_accepted(tmp_path, capsys):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + ARABIC.encode("utf-8"))
    assert main(["analyze", str(path), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["document"]["text"] == ARABIC  # the BOM is not part of the text


def test_windows_1256_is_detected_decoded_and_reported(tmp_path, capsys):
    path = tmp_path / "old-site.txt"
    path.write_bytes(ARABIC.encode("cp1256"))
    assert main(["analyze", str(path), "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["document"]["text"] == ARABIC
    assert "Windows-1256" in captured.err and str(path) in captured.err


def test_text_with_no_arabic_is_analysed_with_a_warning(tmp_path, capsys):
    path = tmp_path / "english.txt"
    path.write_text("Air strikes hit the city on Friday, residents said.", encoding="utf-8")
    assert main(["analyze", str(path), "--format", "json"]) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert data["document"]["language"] == "en"
    assert "no Arabic" in captured.err and str(path) in captured.err
    assert any("no Arabic" in w for w in data["warnings"])


@pytest.mark.parametrize("value", ["2017-13-01", "13/11/2017", ""])
def test_bad_published_in_process(value, tmp_path, capsys):
    path = tmp_path / "a.txt"
    path.write_text(ARABIC, encoding="utf-8")
    assert main(["analyze", str(path), "--published", value]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--published" in err[0]
