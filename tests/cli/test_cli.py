import json

from marsad.cli import main
from marsad.contract import validate

from ..conftest import EXAMPLE


def test_json_output_validates_and_offsets_hold(capsys):
    assert main(["analyze", str(EXAMPLE), "--published", "2017-11-13", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    validate(data)
    text = data["document"]["text"]
    for entity in data["entities"]:
        for mention in entity["mentions"]:
            assert text[mention["start"]:mention["end"]] == mention["text"]
    for item in data["times"] + data["quantities"]:
        assert text[item["start"]:item["end"]] == item["text"]
    for claim in data["claims"]:
        for part in ("cue", "content"):
            assert text[claim[part]["start"]:claim[part]["end"]] == claim[part]["text"]
    assert data["document"]["published"] == "2017-11-13"


def test_text_report_has_sections(tmp_path):
    out = tmp_path / "report.txt"
    assert main(["analyze", str(EXAMPLE), "--published", "2017-11-13", "--output", str(out)]) == 0
    report = out.read_text(encoding="utf-8")
    for section in ("Document", "Entities", "Times", "Events", "Claims", "Contradictions"):
        assert section in report
    assert "البوكمال" in report
    assert "\x1b[" not in report  # no colour codes in a file


def test_stdin_input(monkeypatch, capsys):
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(
        "قال المرصد إن الغارات قتلت 5 مدنيين.".encode())))
    assert main(["analyze", "-", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["document"]["text"].startswith("قال المرصد")


def test_resources_build_makes_a_versioned_cache(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("MARSAD_CACHE_DIR", str(tmp_path))
    assert main(["resources", "build"]) == 0
    built = list(tmp_path.glob("gazetteer-v2-*.json.gz"))
    assert len(built) == 1 and built[0].stat().st_size > 100_000
    assert str(built[0]) in capsys.readouterr().out


def test_compare_command(capsys):
    assert main(["compare", "ارتفاع أسعار النفط", "انخفاض أسعار النفط", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["label"] == "disagree" and 0 <= result["score"] <= 1 and result["reason"]


def test_eval_needs_an_existing_gold_file(tmp_path, capsys):
    assert main(["eval", "ner", str(tmp_path / "missing.conll")]) == 2
    assert "no such gold file" in capsys.readouterr().err
