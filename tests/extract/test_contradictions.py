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


# ------------------------------------------------------------------ back-references

def _pairs(found: list[dict], kind: str) -> list[tuple[str, str]]:
    return [tuple(x["claims"]) for x in found if x["kind"] == kind]


def test_a_denial_of_that_is_resolved_to_the_nearest_earlier_claim():
    text = ("قالت وزارة الدفاع الأمريكية إن طائرات التحالف قصفت مواقع للتنظيم قرب مدينة الرقة. "
            "وقال البنتاغون إن الغارات دمرت مخازن للأسلحة. "
            "لكن وزارة الخارجية الروسية نفت ذلك.")
    found, claims = contradictions(text)
    (pair,) = _pairs(found, "denial")
    assert "مخازن" in claims[pair[0]]["content"]["text"]
    assert claims[pair[1]]["content"]["text"] == "ذلك"


def test_a_denial_of_these_reports_pairs_with_the_report():
    text = ("قالت وكالة رويترز إن الجيش التركي دخل بلدة جرابلس صباح الأحد. "
            "ونفت الحكومة السورية هذه الأنباء.")
    found, claims = contradictions(text)
    (pair,) = _pairs(found, "denial")
    assert "جرابلس" in claims[pair[0]]["content"]["text"]


def test_a_denial_of_what_a_named_source_announced_skips_a_nearer_claim():
    text = ("أعلنت واشنطن أن طائراتها قتلت قائدا في تنظيم القاعدة قرب مدينة مأرب. "
            "وقال مسؤول يمني إن الجيش يتقدم في محافظة الجوف. "
            "ونفى تنظيم القاعدة ما أعلنته واشنطن.")
    found, claims = contradictions(text)
    (pair,) = _pairs(found, "denial")
    assert "مأرب" in claims[pair[0]]["content"]["text"]


def test_contrary_to_what_the_president_said_finds_his_later_claim():
    text = ("قال مصدر مقرب من الرئيس الفرنسي إن ماكرون لم يقترح تشكيل قوة مشتركة خلافا لما "
            "أعلنه الرئيس الروسي. وقال الرئيس الروسي فلاديمير بوتين في مؤتمر صحفي إن ماكرون "
            "عرض عليه تشكيل قوة مشتركة.")
    found, claims = contradictions(text)
    (pair,) = _pairs(found, "denial")
    assert "عرض عليه" in claims[pair[0]]["content"]["text"]
    # the source's negated clause ("لم يقترح") makes its claim a denial of the president's
    assert "denies what" in found[0]["explanation"]


def test_a_denial_pairs_with_the_claim_it_answers_not_every_claim_in_the_area():
    text = ("قال المرصد السوري إن غارة جوية استهدفت سوقا في مدينة إدلب. "
            "وقال الدفاع المدني إن فرق الإنقاذ انتشلت عشر جثث في مدينة إدلب. "
            "ونفت وزارة الدفاع الروسية أن تكون طائراتها قد قصفت سوقا في مدينة إدلب.")
    found, claims = contradictions(text)
    (pair,) = _pairs(found, "denial")
    assert "غارة جوية" in claims[pair[0]]["content"]["text"]
    assert len(found) == 1


# ------------------------------------------------------------------ tolls

def test_a_toll_in_one_place_and_one_for_the_attack_are_compared():
    text = ("قال محافظ الإقليم إن الهجوم وقع في بلدة خان طومان وقتل جنديان. "
            "وقالت حركة طالبان في بيان إنها نفذت الهجوم وإن مقاتليها قتلوا العديد من الجنود.")
    found, _ = contradictions(text)
    (mismatch,) = [x for x in found if x["kind"] == "count_mismatch"]
    assert "2 against 3 or more" in mismatch["explanation"]


def test_a_revised_toll_is_no_rival_figure():
    text = ("قال مسؤول في الشرطة إن ثمانية أشخاص قتلوا في الانفجار. "
            "وقال وزير الصحة إن حصيلة القتلى في الانفجار ارتفعت إلى 15 شخصا.")
    found, _ = contradictions(text)
    assert found == []


def test_tolls_of_strikes_north_and_south_of_a_city_are_not_compared():
    text = ("قال مصدر أمني إن 20 مسلحا قتلوا في غارة شمال بغداد. "
            "وقال مسؤول محلي إن 7 مسلحين قتلوا في غارة جنوب بغداد.")
    found, _ = contradictions(text)
    assert found == []


def test_tolls_of_different_victims_are_not_compared():
    text = ("قال المرصد السوري إن 12 مدنيا قتلوا في القصف على بلدة كفرنبل. "
            "وقال مصدر عسكري إن القصف على بلدة كفرنبل قتل 30 مسلحا.")
    found, _ = contradictions(text)
    assert [x for x in found if x["kind"] == "count_mismatch"] == []


# ------------------------------------------------------------------ competing accounts

def test_brought_down_by_a_fault_or_by_a_missile():
    text = ("قال مسؤول عسكري إن الطائرة سقطت بسبب عطل فني قرب مدينة حماة. "
            "في المقابل، قالت جبهة النصرة إن مقاتليها أسقطوا الطائرة بصاروخ قرب مدينة حماة.")
    found, _ = contradictions(text)
    (clash,) = [x for x in found if x["kind"] == "incompatible"]
    assert "fire" in clash["explanation"] and "accident" in clash["explanation"]


def test_killed_by_a_sniper_or_by_a_bomb():
    text = ("قالت مصادر محلية إن القيادي قتل برصاص قناص في حي الميدان. "
            "في حين قال ناشطون إن القيادي قتل بتفجير عبوة ناسفة استهدفت سيارته.")
    found, _ = contradictions(text)
    (clash,) = [x for x in found if x["kind"] == "incompatible"]
    assert "gunfire" in clash["explanation"] and "explosion" in clash["explanation"]


def test_a_strike_that_killed_civilians_or_militants():
    text = ("قال ناشطون إن غارة جوية على بلدة كفرنبل قتلت 9 مدنيين. "
            "وقالت وزارة الدفاع الروسية إن الغارة على بلدة كفرنبل قتلت 9 إرهابيين.")
    found, _ = contradictions(text)
    (clash,) = [x for x in found if x["kind"] == "incompatible"]
    assert "civilians against militants" in clash["explanation"]


def test_one_account_in_two_sentences_of_one_source_is_no_contradiction():
    text = ("قالت مصادر محلية إن القيادي قتل برصاص قناص في حي الميدان. "
            "وقالت المصادر المحلية إن القيادي قتل بتفجير عبوة ناسفة استهدفت سيارته.")
    found, _ = contradictions(text)
    assert found == []


# ------------------------------------------------------------------ control as a noun phrase

def test_control_stated_as_a_noun_phrase_clashes_with_present_control():
    text = ("قال ناشطون إن سيطرة تنظيم داعش على مدينة تدمر باتت كاملة. "
            "وقالت وزارة الدفاع الروسية إن قوات النظام السوري تسيطر على مدينة تدمر.")
    found, _ = contradictions(text)
    (clash,) = [x for x in found if x["kind"] == "incompatible"]
    assert "controllers" in clash["explanation"]


def test_two_organs_of_one_state_do_not_contradict_each_other():
    text = ("قالت وزارة الدفاع الروسية إن 12 مسلحا قتلوا في الغارة على بلدة كفرنبل. "
            "وقالت وزارة الخارجية الروسية إن 20 مسلحا قتلوا في الغارة على بلدة كفرنبل.")
    found, _ = contradictions(text)
    assert found == []


def test_conflicting_reports_of_a_death_in_one_sentence():
    text = ("وتضاربت الروايات حول طريقة مقتله، إذ قالت مصادر محلية إنه أصيب برصاصة في الرأس "
            "في حي الشيخ مقصود، بينما قالت مصادر أخرى إنه قتل مع ثلاثة من مرافقيه بتفجير "
            "استهدف سيارته.")
    found, _ = contradictions(text)
    (clash,) = [x for x in found if x["kind"] == "incompatible"]
    assert "gunfire against an explosion" in clash["explanation"]


def test_a_negated_outcome_names_no_victims():
    text = ("قال وزير الدفاع الروسي إن الغارات دمرت جميع الأهداف دون أن تؤدي إلى سقوط ضحايا في "
            "صفوف المدنيين. وقال مسؤول عسكري سوري إن الطائرات قصفت معسكرات تدريب للمسلحين قرب "
            "مدينة الرقة.")
    found, _ = contradictions(text)
    assert found == []
