"""Many inputs in one run, and the command line's answers to wild input (issue 18)."""

from __future__ import annotations

import io
import json
import re

import pytest
from rich.console import Console

from marsad.cli import main
from marsad.report import render_report

from ..conftest import EXAMPLE

ONE = "قتل خمسة مدنيين في قصف على مدينة حلب يوم الخميس."
TWO = "قال الجيش إن ثلاثة جنود قتلوا في هجوم قرب الموصل أمس."


@pytest.fixture
def files(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(ONE, encoding="utf-8")
    b.write_text(TWO, encoding="utf-8")
    return a, b


def errors(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("marsad: error:")]


def test_many_paths_give_one_json_line_each(files, capsys):
    assert main(["analyze", *map(str, files), "--quiet"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line)["document"]["text"] for line in lines] == [ONE, TWO]


def test_jsonl_records_with_their_metadata(tmp_path, capsys):
    path = tmp_path / "batch.jsonl"
    records = [{"id": "r1", "content": ONE, "date": "2015-07-21 02:51:32", "title": "حلب",
                "source": "aawsat", "url": "http://example.org/1"},
               {"id": "r2", "text": TWO, "published": "2017-11-13"}]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n\n",
                    encoding="utf-8")
    assert main(["analyze", str(path), "--quiet"]) == 0
    docs = [json.loads(line)["document"] for line in capsys.readouterr().out.splitlines()]
    assert [(d["id"], d["published"], d["source"]) for d in docs] == [
        ("r1", "2015-07-21", "aawsat"), ("r2", "2017-11-13", None)]
    assert docs[0]["title"] == "حلب" and docs[0]["url"] == "http://example.org/1"


def test_a_bad_input_is_one_line_and_the_batch_goes_on(files, tmp_path, capsys):
    empty, bad = tmp_path / "empty.txt", tmp_path / "bad.jsonl"
    empty.write_text(" \n", encoding="utf-8")
    bad.write_text('not json\n{"title": "no text"}\n' + json.dumps({"text": ONE}) + "\n",
                   encoding="utf-8")
    code = main(["analyze", str(files[0]), str(empty), str(tmp_path / "missing.txt"),
                 str(bad), str(files[1])])
    captured = capsys.readouterr()
    assert code == 2
    assert len(captured.out.splitlines()) == 3  # a.txt, the good record, b.txt
    lines = errors(captured.err)
    assert len(lines) == 5, lines  # four inputs + the summary
    assert "empty.txt" in lines[0] and "missing.txt" in lines[1]
    assert "bad.jsonl:1" in lines[2] and "bad.jsonl:2" in lines[3]
    assert "3 of 7" in lines[-1] and "4 failed" in lines[-1]
    assert "Traceback" not in captured.err


def test_one_path_with_json_stays_one_document(files, capsys):
    assert main(["analyze", str(files[0]), "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert json.loads(out)["document"]["text"] == ONE  # the whole output is one document
    assert out.startswith("{\n  ")


def test_progress_bar_on_stderr_for_many_unless_quiet(files, capsys, monkeypatch):
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setenv("TTY_INTERACTIVE", "1")
    assert main(["analyze", *map(str, files)]) == 0
    assert "analysing" in capsys.readouterr().err
    assert main(["analyze", *map(str, files), "--quiet"]) == 0
    assert capsys.readouterr().err == ""
    assert main(["analyze", str(files[0]), "--format", "json"]) == 0
    assert "analysing" not in capsys.readouterr().err


def test_title_for_many_documents_is_refused(files, capsys):
    assert main(["analyze", *map(str, files), "--title", "x"]) == 2
    assert len(errors(capsys.readouterr().err)) == 1


def test_published_in_the_future_is_warned(files, capsys):
    assert main(["analyze", str(files[0]), "--published", "2099-01-01", "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert "after today" in captured.err
    assert any("after today" in w for w in json.loads(captured.out)["warnings"])


@pytest.mark.parametrize("a, b", [("", "روسيا تنفي"), ("داعش يستعيد البوكمال", "  \n")])
def test_compare_refuses_empty_input(a, b, capsys):
    assert main(["compare", a, b]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "empty" in err[0]


@pytest.mark.parametrize("where", ["file", "under_a_file"])
def test_bad_cache_directory_is_one_line(where, files, tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x", encoding="utf-8")
    target = blocker if where == "file" else blocker / "cache"
    monkeypatch.setenv("MARSAD_CACHE_DIR", str(target))
    assert main(["analyze", str(files[0])]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "cache directory" in err[0] and "MARSAD_CACHE_DIR" in err[0]
    assert main(["resources", "build"]) == 2


@pytest.fixture(scope="module")
def example_data():
    import marsad

    return marsad.analyze(EXAMPLE.read_text(encoding="utf-8"), published="2017-11-13").to_dict()


def _arabic_words(text: str) -> list[str]:
    return re.findall(r"[\u0621-\u064a]+", text.replace("«", "").replace("»", ""))


def test_report_at_80_columns_never_cuts_an_arabic_word(example_data):
    known = set(_arabic_words(json.dumps(example_data, ensure_ascii=False)))
    buffer = io.StringIO()
    render_report(example_data, Console(file=buffer, width=80, no_color=True))
    out = buffer.getvalue()
    assert max(len(line) for line in out.splitlines()) <= 80
    cut = [word for word in _arabic_words(out) if word not in known]
    assert cut == []
    assert "البوكمال" in out


def test_report_leaves_out_empty_tables():
    import marsad

    data = marsad.analyze("قال الوزير إن الاجتماع سيعقد في الرياض.").to_dict()
    assert not data["events"] and not data["contradictions"]
    buffer = io.StringIO()
    render_report(data, Console(file=buffer, width=100, no_color=True))
    out = buffer.getvalue()
    assert "Events" not in out and "Contradictions" not in out
    assert "Document" in out
