"""`marsad.Analyzer`: options given, not read from the environment; shared by threads and
processes with output identical to a sequential run; bad resource files fail in one line."""

from __future__ import annotations

import json
import multiprocessing
import shutil
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import pytest

import marsad
from marsad.errors import MissingResourceError, OptionError, ResourceError, ResourceFileError

from .test_real_articles import DATASET, conflict_articles

USER_ACTORS = """\
actors:
  - id: my_tribal_force
    name: قوات عشيرة البوخير
    type: ORG
    category: Identity militias
    country: SY
"""
SENTENCE = "هاجمت قوات عشيرة البوخير مواقع لتنظيم داعش قرب البوكمال يوم الجمعة."


@pytest.fixture(scope="module")
def analyzer() -> marsad.Analyzer:
    return marsad.Analyzer()


def _actor_names(analysis: marsad.Analysis) -> set[str]:
    return {e.name for e in analysis.entities if e.actor is not None}


def test_user_actor_files_are_an_option_of_one_analyzer(tmp_path, analyzer):
    path = tmp_path / "mine.yaml"
    path.write_text(USER_ACTORS, encoding="utf-8")
    mine = marsad.Analyzer(actors_paths=[path])
    assert "my_tribal_force" in mine.get("actors")
    assert "my_tribal_force" not in analyzer.get("actors")
    ids = {e.actor.actor_id for e in mine.analyze(SENTENCE).entities if e.actor}
    assert "my_tribal_force" in ids
    plain = {e.actor.actor_id for e in analyzer.analyze(SENTENCE).entities if e.actor}
    assert "my_tribal_force" not in plain  # the other analyser is not changed by it


def test_the_environment_is_read_only_by_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("MARSAD_ACTORS_PATH", str(tmp_path / "missing.yaml"))
    assert marsad.Analyzer().analyze(SENTENCE).entities  # the variable is not looked at
    with pytest.raises(MissingResourceError, match="missing.yaml"):
        marsad.Analyzer.from_environment()


def test_cache_dir_is_an_option(tmp_path, analyzer):
    built = analyzer.get("gazetteer").path
    if built.exists():  # another checkout's build may have replaced it meanwhile
        shutil.copy(built, tmp_path / built.name)  # the same sources: no rebuild
    other = marsad.Analyzer(cache_dir=tmp_path)
    assert other.get("gazetteer").path == tmp_path / built.name
    assert other.analyze(SENTENCE).to_dict() == analyzer.analyze(SENTENCE).to_dict()


def test_bad_options_are_option_errors():
    with pytest.raises(OptionError, match="NER mode"):
        marsad.Analyzer(ner="fastest")
    with pytest.raises(OptionError, match="unknown stage"):
        marsad.Analyzer(disable=["nonsense"])


def test_analyze_many_keeps_order_and_metadata(analyzer):
    items = [SENTENCE, {"text": "قال المرصد إن غارة قتلت 3 مدنيين.", "source": "X", "id": "d2",
                        "published": "2020-01-02"}]
    out = list(analyzer.analyze_many(items, source="default"))
    assert [a.document.source for a in out] == ["default", "X"]
    assert out[1].document.id == "d2" and out[1].document.published.isoformat() == "2020-01-02"
    assert out[0].to_dict() == analyzer.analyze(SENTENCE, source="default").to_dict()


def test_marsad_analyze_uses_one_default_analyzer():
    from marsad.analyzer import default_analyzer

    assert default_analyzer() is default_analyzer()
    assert marsad.analyze(SENTENCE).to_dict() == default_analyzer().analyze(SENTENCE).to_dict()


# ------------------------------------------------------------------ bad resource files

def _load(path: Path):
    return marsad.Analyzer(actors_paths=[path])


def test_malformed_yaml_names_file_and_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("actors:\n  - id: a1\n    name: [قوة\n    type: ORG\n", encoding="utf-8")
    with pytest.raises(ResourceFileError) as info:
        _load(path)
    message = str(info.value)
    assert f"{path}:" in message and "not a readable YAML file" in message
    assert info.value.line in (3, 4, 5) and "\n" not in message


def test_wrong_structure_names_file_and_line_of_the_entry(tmp_path):
    path = tmp_path / "wrong.yaml"
    path.write_text("actors:\n"
                    "  - {id: good_one, name: قوة ما, type: ORG, category: Rebel groups}\n"
                    "\n"
                    "  - id: bad_one\n"
                    "    name: قوة أخرى\n"
                    "    type: GROUP\n"
                    "    category: Rebel groups\n", encoding="utf-8")
    with pytest.raises(ResourceFileError, match=r"wrong\.yaml:4: actor #2 \('bad_one'\): type"):
        _load(path)
    path.write_text("actors: {id: x7}\n", encoding="utf-8")
    with pytest.raises(ResourceFileError, match=r"wrong\.yaml:1: 'actors' must be a list"):
        _load(path)
    path.write_text("actors: []\ncolours: [red]\n", encoding="utf-8")
    with pytest.raises(ResourceFileError, match=r"wrong\.yaml:2: unknown top-level keys"):
        _load(path)


def test_a_conflict_with_a_shipped_actor_names_the_users_line(tmp_path):
    path = tmp_path / "clash.yaml"
    path.write_text("actors:\n  - id: x6\n    name: قوة ما\n    type: ORG\n"
                    "    category: Rebel groups\n    aliases: [داعش]\n", encoding="utf-8")
    with pytest.raises(ResourceFileError, match=r"clash\.yaml:6: actor 'x6': alias 'داعش'"):
        _load(path)


def test_missing_file_is_a_resource_error(tmp_path):
    with pytest.raises(ResourceError, match="missing.yaml"):
        _load(tmp_path / "missing.yaml")


@pytest.mark.parametrize(("content", "fragments"), [
    ("actors:\n  - {id: x8, name: [قوة\n", ["bad.yaml:", "not a readable YAML file"]),
    ("actors:\n  - {id: Bad-Id, name: قوة ما, type: ORG, category: Rebel groups}\n",
     ["bad.yaml:2:", "lowercase slug"]),
    (None, ["bad.yaml", "does not exist"]),
])
def test_cli_bad_actor_file_is_one_line_and_status_2(tmp_path, content, fragments):
    from .cli.test_bad_input import assert_one_line_error, run_cli

    path = tmp_path / "bad.yaml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_text(SENTENCE, encoding="utf-8")
    result = run_cli("analyze", str(article), env={"MARSAD_ACTORS_PATH": str(path)})
    assert_one_line_error(result, "[M30", *fragments)


# ------------------------------------------------------------------ sharing

def _contract(analyzer: marsad.Analyzer, item: dict) -> str:
    analysis = analyzer.analyze(item["content"], published=(item.get("date_extracted") or "")[:10]
                                or None, source=item["source"], title=item["title"],
                                url=item["url"])
    return json.dumps(analysis.to_dict(), ensure_ascii=False, sort_keys=True)


_WORKER: marsad.Analyzer | None = None


def _start_worker() -> None:
    global _WORKER
    _WORKER = marsad.Analyzer()


def _worker_contract(item: dict) -> str:
    assert _WORKER is not None
    return _contract(_WORKER, item)


@pytest.mark.slow
@pytest.mark.skipif(not DATASET.exists(), reason="../shared/data/saudinewsnet is not here")
def test_one_analyzer_in_8_threads_and_2_processes_gives_the_sequential_output():
    articles = conflict_articles(200)
    assert len(articles) == 200
    shared = marsad.Analyzer()
    sequential = [_contract(shared, item) for item in articles]
    fresh = marsad.Analyzer()
    # analysers with the same options share one tagger; give this one empty word caches,
    # so that the threads race to fill them
    fresh._resources["ner_model"] = fresh.get("ner_model").with_fresh_caches()
    with ThreadPoolExecutor(max_workers=8) as pool:
        threaded = list(pool.map(lambda item: _contract(fresh, item), articles))
    assert threaded == sequential
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=2, mp_context=context,
                             initializer=_start_worker) as pool:
        in_processes = list(pool.map(_worker_contract, articles, chunksize=10))
    assert in_processes == sequential


def test_threads_once_crashed_the_crf_tagger():
    """The old failure (crfsuite's last-tagged sentence read by another thread) on a
    small scale: 8 threads, 40 short documents, one analyser."""
    texts = [f"قال المرصد السوري إن {n} مدنيين قتلوا في غارة على {town} يوم الجمعة."
             for n in range(2, 7) for town in ("إدلب", "حلب", "البوكمال", "دير الزور", "حمص",
                                              "درعا", "الرقة", "منبج")]
    analyzer = marsad.Analyzer()
    expected = [analyzer.analyze(t).to_json() for t in texts]
    fresh = marsad.Analyzer()
    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(lambda t: fresh.analyze(t).to_json(), texts * 3)) == expected * 3


def test_building_an_analyzer_in_a_fresh_process_is_cheap(tmp_path, analyzer):
    built = analyzer.get("gazetteer").path
    if not built.exists():
        pytest.skip("the gazetteer cache was replaced meanwhile: a fresh process would build it")
    shutil.copy(built, tmp_path / built.name)  # building it is the one-off cost (~1 GiB)
    # peak RSS from VmHWM: getrusage's ru_maxrss survives exec, so a child of this big
    # test process would report the parent's peak
    code = ("import re, sys, time; t = time.perf_counter(); import marsad; "
            "marsad.Analyzer(cache_dir=sys.argv[1]); print(time.perf_counter() - t, "
            "re.search(r'VmHWM:\\s*(\\d+)', open('/proc/self/status').read()).group(1))")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True,
                         text=True, check=True)
    seconds, rss_kib = out.stdout.split()
    assert float(seconds) < 30 and int(rss_kib) < 400 * 1024  # measured: ~2-4 s, ~175 MiB
