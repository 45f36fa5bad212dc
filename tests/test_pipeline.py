import pytest

from marsad.pipeline import STAGE_NAMES, STAGES, Stage, check_order, run_pipeline

from .conftest import text_document


def test_stage_list_snapshot():
    assert STAGE_NAMES == ("text", "entities", "places", "times", "quantities", "events",
                           "claims", "reporting", "contradictions")


def test_no_stage_reads_a_layer_added_later():
    assert check_order() == []


def test_check_order_catches_a_stage_reaching_back():
    bad = (STAGES[0], Stage("events", ("claims",), ("events",), lambda d: None), *STAGES[1:])
    assert check_order(bad) == ["stage 'events' reads ['claims'] before any stage adds them"]


def test_disabled_stages_leave_empty_layers():
    doc = text_document("قال المرصد إن الغارات قتلت 5 مدنيين في إدلب يوم الجمعة.")
    run_pipeline(doc, disable=["events", "claims", "contradictions"])
    assert doc.events == [] and doc.claims == [] and doc.contradictions == []
    assert doc.times  # the stages that ran did their work


def test_unknown_stage_name_is_an_error():
    doc = text_document("نص")
    with pytest.raises(ValueError, match="unknown stage"):
        run_pipeline(doc, disable=["nonsense"])


def test_analysing_never_freezes_the_garbage_collector_settle_does():
    import subprocess
    import sys

    code = ("import gc, marsad\n"
            "a = marsad.Analyzer()\n"
            "a.analyze('قال المرصد السوري إن داعش سيطر على البوكمال.')\n"
            "before = gc.get_freeze_count()\n"
            "a.settle()\n"
            "print(before, gc.get_freeze_count())\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    before, after = map(int, out.stdout.split())
    assert before == 0  # analyze() left the process as it found it
    assert after > 10_000  # the models and dictionaries, frozen on request


def test_run_until_stops_after_the_named_stage():
    doc = text_document("قال المرصد إن الغارات قتلت 5 مدنيين في إدلب يوم الجمعة.")
    run_pipeline(doc, until="entities")
    assert doc.entities and doc.times == [] and doc.events == []
