from marsad.analysis import analyze


def contradictions(text: str, published: str = "2020-03-02"):
    data = analyze(text, published=published).to_dict()
    claims = {c["id"]: c for c in data["claims"]}
    return data["contradictions"], claims


def test_denial_links_the_denied_claim():
    text = ("قال المرصد السوري إن تنظيم داعش استعاد السيطرة على مدينة تدمر يوم الجمعة. "
            "في المقابل، نفت وزارة الدفاع الروسية انسحاب قوات النظام من مدينة تدمر.")
    found, claims = contradictions(text)
    denials = [x for x in found if x["kind"] == "denial"]
    assert len(denials) == 1
    asserted, denied = (claims[c] for c in denials[0]["claims"])
    assert asserted["stance"] == "assert" and "داعش" in asserted["content"]["text"]
    assert denied["stance"] == "deny"
    assert "denies" in denials[0]["explanation"]


def test_two_controllers_of_one_place_are_incompatible():
    text = ("قال المرصد السوري إن تنظيم داعش سيطر على مدينة تدمر يوم السبت. "
            "وقالت وزارة الدفاع الروسية إن قوات النظام السوري تسيطر على مدينة تدمر منذ يوم السبت.")
    found, _ = contradictions(text)
    kinds = [x["kind"] for x in found]
    assert "incompatible" in kinds
    clash = next(x for x in found if x["kind"] == "incompatible")
    assert "Tadmur" in clash["explanation"] or "Palmyra" in clash["explanation"]


def test_different_death_tolls_for_one_strike():
    text = ("قال المرصد السوري إن غارة جوية على مدينة سراقب يوم الأحد قتلت 12 مدنيا. "
            "وقال الدفاع المدني السوري إن غارة جوية على مدينة سراقب يوم الأحد قتلت 20 مدنيا.")
    found, _ = contradictions(text)
    mismatch = [x for x in found if x["kind"] == "count_mismatch"]
    assert len(mismatch) == 1
    assert "12" in mismatch[0]["explanation"] and "20" in mismatch[0]["explanation"]


def test_agreeing_sources_do_not_contradict():
    text = ("قال المرصد السوري إن غارة جوية على مدينة سراقب قتلت 12 مدنيا. "
            "وأكد الدفاع المدني السوري أن غارة جوية على مدينة سراقب قتلت 12 مدنيا.")
    found, _ = contradictions(text)
    assert found == []


def test_one_says_it_happened_the_other_that_it_did_not():
    text = ("قال الدفاع المدني السوري إن غارة جوية استهدفت مستشفى في مدينة سراقب يوم الأحد. "
            "وقالت وزارة الدفاع الروسية إن طائراتها لم تشن أي غارة على مدينة سراقب.")
    found, claims = contradictions(text)
    incompatible = [x for x in found if x["kind"] == "incompatible"]
    assert len(incompatible) == 1
    assert "did not happen" in incompatible[0]["explanation"]


def test_a_negated_act_is_not_an_event_but_is_remembered():
    data = analyze("قالت الوزارة إن الطائرات لم تشن أي غارة على مدينة سراقب.").to_dict()
    assert data["events"] == []
