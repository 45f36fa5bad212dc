from marsad.analysis import analyze


def entity_with(data, text):
    return [e for e in data["entities"] if any(m["text"] == text for m in e["mentions"])]


def test_a_later_surname_joins_the_full_name():
    data = analyze("قال قحطان غانم العلي وهو زعيم قبلي إن القصف توقف. وأضاف العلي أن السكان غادروا.").to_dict()
    person = entity_with(data, "قحطان غانم العلي")
    assert len(person) == 1 and person[0]["type"] == "PERSON"
    assert {m["text"] for m in person[0]["mentions"]} == {"قحطان غانم العلي", "العلي"}


def test_kunya_opens_a_person_name():
    data = analyze("وقال أبو مازن إن الاتفاق انتهى.").to_dict()
    person = entity_with(data, "أبو مازن")
    assert person and person[0]["type"] == "PERSON"


def test_short_form_needs_the_full_name_first():
    data = analyze("قال المرصد إن الغارات استمرت.").to_dict()
    assert not any(e["actor"] and "Observatory" in (e["name_en"] or "") for e in data["entities"])
    data = analyze("قال المرصد السوري لحقوق الإنسان إن الغارات استمرت. وأضاف المرصد أن 5 قتلوا.").to_dict()
    observatory = entity_with(data, "المرصد")
    assert observatory and "Observatory" in observatory[0]["name_en"]
