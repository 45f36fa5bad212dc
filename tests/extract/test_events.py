import pytest

from marsad.analysis import analyze
from marsad.extract.events import acled_taxonomy, event_cues


def events_of(text: str, published: str = "2020-03-02"):
    data = analyze(text, published=published).to_dict()
    names = {e["id"]: e for e in data["entities"]}
    return data, names


def test_taxonomy_has_six_types_and_twenty_five_sub_types():
    taxonomy = acled_taxonomy()
    assert len(taxonomy) == 25
    assert len(set(taxonomy.values())) == 6


def test_every_sub_type_has_an_arabic_cue():
    cues = event_cues()
    covered = {sub for sub in cues.sub_event_of.values() if sub not in ("territory", "control")}
    covered |= {"Government regains territory", "Non-state actor overtakes territory"}
    assert covered == set(acled_taxonomy())


@pytest.mark.parametrize(("text", "sub_event"), [
    ("قتل 5 مدنيين في غارة جوية على بلدة سراقب في ريف إدلب.", "Air/drone strike"),
    ("انفجرت سيارة مفخخة في سوق مدينة الباب.", "Remote explosive/landmine/IED"),
    ("فجر انتحاري حزاما ناسفا في بغداد.", "Suicide bomb"),
    ("اندلعت اشتباكات عنيفة بين قوات النظام وفصائل المعارضة في درعا.", "Armed clash"),
    ("اعتقلت قوات الأمن عشرات الشبان في حمص.", "Arrests"),
    ("خرجت مظاهرات في مدينة إدلب تطالب بإسقاط النظام.", "Peaceful protest"),
    ("أعلن المسلحون حظر التجول في المدينة.", "Other"),
])
def test_cues_give_the_acled_sub_event(text, sub_event):
    data, _ = events_of(text)
    assert sub_event in [v["sub_event_type"] for v in data["events"]], data["events"]


def test_fatalities_civilians_and_place():
    data, names = events_of("قتل ما لا يقل عن 12 مدنيا في غارة جوية روسية على مدينة سراقب أمس.")
    strike = next(v for v in data["events"] if v["sub_event_type"] == "Air/drone strike")
    assert strike["fatalities"] == 12 and strike["civilian_targeting"] is True
    assert names[strike["location"]]["name"] == "سراقب"
    assert "Russia" in names[strike["actor1"]]["name_en"]
    assert strike["date"] == {"start": "2020-03-01", "end": "2020-03-01", "precision": 1}


def test_dozens_count_as_twelve():
    data, _ = events_of("أدى القصف المدفعي على مدينة حلب إلى سقوط عشرات القتلى.")
    shelling = [v for v in data["events"] if v["sub_event_type"].startswith("Shelling")]
    assert [v["fatalities"] for v in shelling] == [12]


@pytest.mark.parametrize("text", [
    "نفى الجيش قصف مدينة حلب.",
    "لم تشن الطائرات أي غارة على إدلب.",
    "سنشرع في عملية تنظيف المنطقة من الألغام.",
    "تستعد القوات لاقتحام مدينة الرقة.",
])
def test_negated_planned_or_future_acts_are_not_events(text):
    data, _ = events_of(text)
    assert data["events"] == []


def test_doer_after_bi_yad_and_target_after_min():
    data, names = events_of("سقطت مدينة تدمر بيد تنظيم داعش بعد انسحاب قوات النظام السوري منها.")
    takeover = [v for v in data["events"] if v["sub_event_type"] == "Non-state actor overtakes territory"]
    assert len(takeover) == 1
    assert "ISIS" in names[takeover[0]["actor1"]]["name_en"]


def test_same_incident_told_twice_is_one_event():
    text = ("قصفت طائرات روسية مدينة سراقب يوم الأحد. "
            "وأضاف المرصد أن الطائرات الروسية قصفت مدينة سراقب يوم الأحد بعشرات الصواريخ.")
    data, _ = events_of(text, published="2020-03-03")
    strikes = [v for v in data["events"] if v["sub_event_type"] == "Air/drone strike"]
    assert len(strikes) == 1 and len(strikes[0]["evidence"]) >= 2
