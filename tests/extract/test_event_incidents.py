"""Events as real articles tell them (issues 12 and 18): one event per incident, only real
incidents, the cues the lexicon lacked, and the fields of an event (place, actor, date,
fatalities). Every sentence here was written for these tests."""

import pytest

from marsad.analysis import analyze
from marsad.extract.events import event_cues, find_triggers
from marsad.text.normalize import normalize_key


def events_of(text: str, published: str = "2020-03-02"):
    data = analyze(text, published=published).to_dict()
    names = {e["id"]: e for e in data["entities"]}
    return data["events"], names


def subs(text: str, published: str = "2020-03-02") -> list[str]:
    return [v["sub_event_type"] for v in events_of(text, published)[0]]


# ------------------------------------------------------------------ the cue lists

def test_cue_lists_are_normalised_so_natural_spellings_match():
    cues = event_cues()
    assert all(cue == normalize_key(cue) for cue in cues.sub_event_of)
    assert normalize_key("براميل متفجرة") in cues.sub_event_of
    assert all(w == normalize_key(w) for w in cues.lists["purpose"])


# ------------------------------------------------------------------ not incidents

@pytest.mark.parametrize("text", [
    # purpose
    "تقدم الجيش السوري نحو ريف حماة بهدف السيطرة على مدينة مورك.",
    "أرسلت قوات النظام السوري تعزيزات من أجل السيطرة على مدينة مورك.",
    "أرسل الجيش العراقي تعزيزات إلى الرقة لانتزاع السيطرة على المدينة من التنظيم.",
    # hypothetical and threatened
    "حذر المسؤول من أن التنظيم قد يشن هجمات انتحارية في بغداد.",
    # a pattern over time, not one incident
    "شنت الطائرات الروسية آلاف الغارات على سوريا منذ بداية تدخلها.",
    # demining is not an explosion, a call for protests is no protest
    "وصلت كاسحات الألغام إلى مدينة الرمادي.",
    "دعا خطيب الجمعة إلى دعم المظاهرات السلمية.",
    # a broken truce is not an agreement
    "اتهمت المعارضة النظام بخرق الهدنة في ريف درعا.",
    # freeing a hostage or storming a house is no capture of territory
    "تمكنت قوات الأمن العراقية من تحرير الرهائن في بغداد.",
    # burning oneself or a flag is no destruction of property
    "أحرق الشاب نفسه أمام مبنى البلدية في مدينة سيدي بوزيد.",
    "حررت قوات الأمن العراقية الرهائن في بغداد.",
])
def test_statements_that_are_no_incident(text):
    found = events_of(text)[0]
    assert found == [], found


def test_cue_inside_a_name_is_no_cue():
    text = "سيطرت هيئة تحرير الشام على بلدة سراقب."
    doc = analyze(text, published="2020-03-02").document
    assert [t.cue for t in find_triggers(doc)] == ["سيطرت"]  # not the تحرير of the name


def test_a_speaker_who_says_it_acted_is_the_actor():
    found, names = events_of("قالت قوات سوريا الديمقراطية إنها سيطرت على بلدة الباغوز.")
    assert [names[e["actor1"]]["name"] for e in found] == ["قوات سوريا الديمقراطية"]


# ------------------------------------------------------------------ missing classes

@pytest.mark.parametrize(("text", "sub_event"), [
    ("دمر مسلحو التنظيم كنيسة أثرية في مدينة الموصل.", "Looting/property destruction"),
    ("انسحبت قوات النظام من مدينة خان شيخون دون قتال.", "Non-violent transfer of territory"),
    ("سلمت الفصائل مواقعها في مدينة درعا إلى الشرطة العسكرية.", "Non-violent transfer of territory"),
    ("ألقت المروحيات براميل متفجرة على حي الشعار في مدينة حلب.", "Air/drone strike"),
    ("دمرت طائرات التحالف جسرا في مدينة الرقة.", "Air/drone strike"),
    ("أسقطت الدفاعات الجوية طائرة مسيرة فوق مدينة حماة.", "Disrupted weapons use"),
    ("نحر عناصر التنظيم ثلاثة رعاة في ريف كركوك.", "Attack"),
])
def test_missing_classes_are_coded(text, sub_event):
    assert sub_event in subs(text), subs(text)


def test_bare_toll_is_an_event():
    found, names = events_of("قتل 7 مدنيين في مدينة دوما أمس.")
    assert len(found) == 1
    assert found[0]["fatalities"] == 7 and found[0]["civilian_targeting"] is True
    assert names[found[0]["location"]]["name"] == "دوما"


# ------------------------------------------------------------------ one event per incident

def test_blast_and_suicide_bombing_of_one_incident_are_one_event():
    text = ("انفجار يهز مدينة كابل. وقتل 5 أشخاص في تفجير انتحاري استهدف مقرا للشرطة في "
            "كابل صباح الأحد.")
    found = events_of(text)[0]
    assert [v["sub_event_type"] for v in found] == ["Suicide bomb"], found
    assert found[0]["fatalities"] == 5 and len(found[0]["evidence"]) >= 2


def test_toll_in_the_next_sentence_belongs_to_the_incident():
    text = "انفجرت سيارة مفخخة في سوق مدينة الباب أمس. وقتل 12 شخصا وأصيب 30 آخرون."
    found = events_of(text)[0]
    assert [(v["sub_event_type"], v["fatalities"]) for v in found] == [
        ("Remote explosive/landmine/IED", 12)]


def test_a_later_definite_mention_is_the_same_incident():
    text = ("انفجرت عبوة ناسفة بقافلة عسكرية في مدينة كركوك أمس. "
            "وأعقب التفجير اشتباكات بين الجنود ومسلحين في منطقة الحويجة.")
    blasts = [v for v in events_of(text)[0] if v["event_type"] == "Explosions/Remote violence"]
    assert len(blasts) == 1
    assert any(s["start"] > text.index(".") for s in blasts[0]["evidence"]), blasts


def test_strikes_on_two_places_are_two_events():
    found, names = events_of("شنت الطائرات الحربية غارات على مدينة سراقب وأريحا أمس.")
    places = sorted(names[v["location"]]["name"] for v in found)
    assert places == ["أريحا", "سراقب"], places


# ------------------------------------------------------------------ fields

def test_place_before_a_direction_is_the_place():
    found, names = events_of("وفي مدينة سراقب جنوب حلب قتل 3 مدنيين بقصف مدفعي.")
    assert names[found[0]["location"]]["name"] == "سراقب"


def test_a_backer_is_no_event_place():
    found, names = events_of("قصفت ميليشيات مدعومة من إيران مواقع المعارضة بالمدفعية.")
    assert all(names.get(v["location"], {}).get("name") != "إيران" for v in found), found


def test_the_outlet_that_tells_is_no_actor():
    found, names = events_of("وقال مصدر محلي لوكالة رويترز إن انفجارا وقع في مدينة الموصل.")
    assert found and all(v["actor1"] is None or "رويترز" not in names[v["actor1"]]["name"]
                         for v in found), found


def test_the_monitor_that_documents_is_no_actor():
    text = "وثق المرصد السوري لحقوق الإنسان قصفا مدفعيا على مدينة درعا أمس."
    found, names = events_of(text)
    assert found and all(v["actor1"] is None or "المرصد" not in names[v["actor1"]]["name"]
                         for v in found), found


def test_the_speaker_before_the_complementiser_is_no_actor():
    found, names = events_of("قالت الشرطة العراقية إن سيارة مفخخة انفجرت في مدينة بغداد.")
    assert found and found[0]["actor1"] is None, [names[v["actor1"]]["name"] for v in found]


def test_no_event_is_dated_after_publication():
    text = "قصفت الطائرات الحربية مدينة حلب قبل اجتماع 10 آذار 2020."
    found = events_of(text, published="2020-03-02")[0]
    assert found and all(v["date"]["end"] <= "2020-03-02" for v in found), found


# ------------------------------------------------------------------ figures

@pytest.mark.parametrize(("text", "fatalities"), [
    ("قتل 42 شخصا وأصيب 18 آخرون في تفجير سيارة مفخخة في مدينة بغداد.", 42),
    ("انفجرت عبوة ناسفة في مدينة كركوك ولم تسفر عن إصابات.", 0),
    ("أدى القصف المدفعي على مدينة حلب إلى سقوط عشرات الجرحى.", None),
    ("قتل جنديان في انفجار لغم في مدينة ماردين أمس.", 2),
])
def test_deaths_come_only_from_death_words(text, fatalities):
    found = events_of(text)[0]
    assert found and found[0]["fatalities"] == fatalities, found


def test_an_abducted_count_is_no_toll():
    found = events_of("أسفرت الغارات الجوية على مدينة حلب عن مقتل 4 مدنيين واختطاف 30 آخرين.")[0]
    assert sorted(v["fatalities"] or 0 for v in found) == [0, 4], found


def test_aggregate_tolls_are_no_incidents_fatalities():
    text = "وأسفرت الغارات الجوية على مدينة حلب عن مقتل مئات الآلاف منذ بداية النزاع."
    found = events_of(text)[0]
    assert all(v["fatalities"] is None or v["fatalities"] < 10_000 for v in found), found
    text = "وقتل أكثر من 250 ألف شخص في سوريا منذ اندلاع النزاع عام 2011."
    assert events_of(text)[0] == []


def test_who_claims_an_attack_is_its_actor():
    text = "أعلن تنظيم داعش مسؤوليته عن التفجير الانتحاري الذي استهدف مسجدا في مدينة القطيف."
    found, names = events_of(text)
    assert [names[v["actor1"]]["name_en"] for v in found if v["actor1"]] != [], found
    assert "ISIS" in names[found[0]["actor1"]]["name_en"]


def test_fighter_jets_without_a_strike_word_are_an_air_strike():
    found = events_of("أغارت مقاتلات حربية على مواقع في مدينة سراقب أمس.")[0]
    assert [v["sub_event_type"] for v in found] == ["Air/drone strike"], found
