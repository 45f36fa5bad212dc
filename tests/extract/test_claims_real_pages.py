"""The claims stage on the shapes real pages write (issue 12, item 1; issue 18, speakers).

Every sentence here was written for these tests; none is taken from an annotated article.
"""

from __future__ import annotations

import datetime as dt

from marsad.document import Document, Entity, Mention
from marsad.extract.claims import find_claims

from ..conftest import text_document

PUBLISHED = dt.date(2016, 3, 2)


def _doc(raw: str, persons: tuple[str, ...] = (), places: tuple[str, ...] = ()) -> Document:
    doc = text_document(raw, PUBLISHED)
    entities = []
    for n, name in enumerate(persons + places, 1):
        k = doc.text.index(name)
        kind = "PERSON" if name in persons else "LOC"
        entities.append(Entity(f"E{n}", kind, name, None, [Mention(k, k + len(name), name)]))
    doc.entities = entities
    return doc


def _claims(raw: str, persons: tuple[str, ...] = (), places: tuple[str, ...] = ()):
    doc = _doc(raw, persons, places)
    return find_claims(doc), doc


def _one(raw: str, persons: tuple[str, ...] = (), places: tuple[str, ...] = ()):
    claims, _ = _claims(raw, persons, places)
    assert len(claims) == 1, [(c.cue.text, c.speaker_text, c.content.text) for c in claims]
    return claims[0]


# ---------------------------------------------------------------- speakers in quote marks
def test_a_speaker_in_quote_marks_is_the_speaker_not_the_content():
    claim = _one('وقالت "كتائب الفجر" إن مقاتليها صدوا هجوما على التلة.')
    assert claim.speaker_text == "كتائب الفجر"
    assert claim.content.text == "مقاتليها صدوا هجوما على التلة"
    claim = _one("وأوضح «المحافظ» في تصريح صحفي أن الطريق أعيد فتحه.")
    assert claim.speaker_text == "المحافظ"
    assert claim.content.text == "الطريق أعيد فتحه"


def test_a_quoted_name_inside_the_speaker_phrase_is_not_the_content():
    claim = _one('وقال سامر الحلبي قائد "لواء الساحل" إن الهدنة خرقت مرتين.')
    assert claim.content.text == "الهدنة خرقت مرتين"
    assert claim.quote == "indirect"
    claim = _one('وقالت حركة "شباب الحي" في بيان إن عناصرها انسحبوا.')
    assert claim.speaker_text == 'حركة "شباب الحي"'
    assert claim.content.text == "عناصرها انسحبوا"


# ---------------------------------------------------------------- addressees
def test_addressees_glued_or_spaced_are_neither_speaker_nor_content():
    for raw in ('وقال ضابط لـ"الأنباء" إن الدورية تعرضت لكمين.',
                'وقال ضابط ل - " الأنباء " , إن الدورية تعرضت لكمين.',
                "وقال ضابط لوكالة الأنباء المحلية إن الدورية تعرضت لكمين.",
                "وقال لوكالة الأنباء المحلية ضابط إن الدورية تعرضت لكمين."):
        claim = _one(raw)
        assert claim.speaker_text == "ضابط", raw
        assert claim.content.text == "الدورية تعرضت لكمين", raw


def test_an_addressee_with_no_speaker_leaves_the_previous_speaker():
    claims, _ = _claims('وقال الضابط إن الدورية عادت. وأكد ل - " الأنباء " , أن أحدا لم يصب.')
    assert [c.speaker_text for c in claims] == ["الضابط", "الضابط"]
    assert claims[1].content.text == "أحدا لم يصب"
    claims, _ = _claims('قال الوزير إن المعبر مغلق. وصرح لـ"الأنباء" بأن المفاوضات متعثرة.')
    assert claims[1].speaker_text == "الوزير"
    assert claims[1].content.text == "المفاوضات متعثرة"


def test_a_venue_and_an_addressee_before_a_quotation():
    claim = _one('وقال العقيد، في تصريح مكتوب أرسل نسخة منه للصحفيين: "تم إسقاط الطائرة".')
    assert (claim.speaker_text, claim.quote, claim.content.text) == (
        "العقيد", "direct", "تم إسقاط الطائرة")
    claim = _one("وقال المتحدث لوكالة الأنباء المحلية «القوات تتقدم نحو الجسر».")
    assert (claim.quote, claim.content.text) == ("direct", "القوات تتقدم نحو الجسر")


# ---------------------------------------------------------------- where a claim ends
def test_a_coordinated_complement_is_a_claim_of_its_own():
    claims, _ = _claims("وقال المحافظ إن القصف استهدف السوق الشعبي، وإن فرق الإنقاذ "
                        "انتشلت جثث ستة أشخاص من تحت الأنقاض.")
    assert [(c.speaker_text, c.content.text) for c in claims] == [
        ("المحافظ", "القصف استهدف السوق الشعبي"),
        ("المحافظ", "فرق الإنقاذ انتشلت جثث ستة أشخاص من تحت الأنقاض"),
    ]
    # a short clause, or one dismissing other reports, stays with its claim
    claim = _one("وقال المحافظ إن القصف توقف، وأن الهدوء عاد.")
    assert claim.content.text == "القصف توقف، وأن الهدوء عاد"
    claim = _one("وقال المحافظ إن القصف توقف، وأن ما تتناقله الصفحات عن سقوط قتلى شائعات.")
    assert claim.content.text.endswith("شائعات")


def test_participles_and_follow_up_verbs_keep_the_speaker():
    claims, _ = _claims("وقال المحافظ إن السوق احترق، منوها إلى أن الخسائر كبيرة. "
                        "وأردف أن التعويضات ستصرف. وتابع قائلا: «لن نترك أحدا».")
    assert [(c.cue.text, c.speaker_text) for c in claims] == [
        ("وقال", "المحافظ"), ("منوها", "المحافظ"), ("وأردف", "المحافظ"),
        ("وتابع قائلا", "المحافظ")]
    assert claims[0].content.text == "السوق احترق"
    assert claims[3].content.text == "لن نترك أحدا"


# ---------------------------------------------------------------- cues the lexicon lacked
def test_new_verb_cues():
    cases = [
        ("ووصف الوزير الهجوم بأنه الأعنف منذ عامين.", "الأعنف منذ عامين"),
        ("وتحدث الشهود عن انفجارين متتاليين قرب الجسر.", "انفجارين متتاليين قرب الجسر"),
        ("واعترف الجيش بمقتل ثلاثة من جنوده.", "بمقتل ثلاثة من جنوده"),
        ("وتبنت الجماعة الهجوم على الحاجز.", "الهجوم على الحاجز"),
        ("وحذر المبعوث من انهيار الهدنة في الجنوب.", "انهيار الهدنة في الجنوب"),
        ("وأعرب الاتحاد عن «قلقه البالغ» من التصعيد.", "«قلقه البالغ» من التصعيد"),
        ("واعتبرت الحكومة أن القرار يمس سيادتها.", "القرار يمس سيادتها"),
    ]
    for raw, content in cases:
        claim = _one(raw)
        assert claim.content.text == content, raw


def test_ambiguous_forms_are_no_cues():
    for raw in ("وعبروا الحدود إلى الأردن ليلا.",          # crossed, not expressed
                "ولم تعلن أي جهة مسؤوليتها عن الهجوم.",     # negated with a clitic
                "وقالت الشرطة إنها لم تعتقل أحدا بعد أن عبر المسلحون النهر."):
        claims, _ = _claims(raw)
        assert all(c.cue.text not in ("وعبروا", "تعلن", "عبر") for c in claims), raw


def test_an_object_noun_with_a_pronoun_is_not_part_of_the_speaker():
    claim = _one("وأعلنت جماعة بوكو حرام مسؤوليتها عن التفجير.")
    assert claim.speaker_text == "جماعة بوكو حرام"
    assert claim.content.text.startswith("مسؤوليتها")


def test_prepositional_cues_inside_a_clause():
    claim = _one("ويواجه الجيش في تلك المنطقة وفق المصدر كتائب محلية مدربة.")
    assert "كتائب محلية مدربة" in claim.content.text
    claim = _one("وسقطت قذائف على الحي، وحسب شهود عيان فإن القصف استهدف المدرسة.")
    assert (claim.speaker_text, claim.content.text) == ("شهود عيان", "القصف استهدف المدرسة")


def test_a_relayed_source_in_a_verb_frame_is_no_claim_of_its_own():
    claim = _one("وقال المبعوث نقلا عن مصادر محلية في بيان إن المدينة تعرضت لقصف عنيف.")
    assert (claim.cue.text, claim.speaker_text) == ("وقال", "المبعوث")


# ---------------------------------------------------------------- the fullest name
def test_a_title_and_a_name_are_one_speaker():
    claim = _one("وقال المتحدث باسم الشرطة سمير الخطيب إن التحقيق مستمر.", ("سمير الخطيب",))
    assert claim.speaker_text == "المتحدث باسم الشرطة سمير الخطيب"
    assert claim.speaker == "E1"
    claim = _one("وقال المراسل الميداني، وليد عمران، إن الاشتباكات تجددت.", ("وليد عمران",))
    assert claim.speaker_text == "المراسل الميداني، وليد عمران"
    assert claim.speaker == "E1"


def test_a_pronoun_takes_the_subject_of_a_report_without_content():
    claims, _ = _claims("وأوردت الوزارة حصيلة عملياتها خلال اليومين الماضيين. "
                        "وقالت إن الطائرات نفذت عشرين طلعة.")
    assert [(c.speaker_text, c.content.text) for c in claims] == [
        ("الوزارة", "الطائرات نفذت عشرين طلعة")]


def test_a_relative_clause_on_the_speaker_is_skipped():
    claim = _one("وكتب الجناح العسكري للحركة، الذي يقاتل في الجبال منذ عقود طويلة من الزمن، "
                 "على موقعه الرسمي أن العملية جاءت ردا على الاعتقالات.")
    assert claim.content.text == "العملية جاءت ردا على الاعتقالات"


# ---------------------------------------------------------------- quotes and nesting
def test_a_quotation_that_runs_into_the_next_paragraph():
    claims, _ = _claims('وأضاف المتحدث في إفادة صحفية "لا يمكن الحديث عن هدنة والقصف مستمر.\n'
                        '"إذا أرادوا السلام فعليهم وقف إطلاق النار."\n')
    assert [(c.speaker_text, c.quote) for c in claims] == [("المتحدث", "direct")] * 2
    assert claims[1].content.text == "إذا أرادوا السلام فعليهم وقف إطلاق النار"


def test_a_claim_nested_in_a_quotation_keeps_both_speakers():
    claims, doc = _claims('وقال القائد: "قال لنا الأسرى إن الذخيرة نفدت منذ أيام".')
    assert [(c.speaker_text, c.content.text) for c in claims] == [
        ("القائد", "قال لنا الأسرى إن الذخيرة نفدت منذ أيام"),
        ("الأسرى", "الذخيرة نفدت منذ أيام")]
    assert doc.claim_relays["C2"]["speaker_text"] == "القائد"


def test_a_cue_in_a_relative_clause_with_the_outer_speaker():
    claims, _ = _claims("وقال الوزير إن بلاده قلقة من الهجمات التي قال إنها أوقعت عشرة قتلى.")
    assert [(c.speaker_text, c.content.text) for c in claims] == [
        ("الوزير", "بلاده قلقة من الهجمات التي قال إنها أوقعت عشرة قتلى"),
        ("الوزير", "أوقعت عشرة قتلى")]


# ---------------------------------------------------------------- stance
def test_a_negated_report_is_a_denial_and_the_writer_sets_no_stance():
    claim = _one("وقال مصدر دبلوماسي إن الرئيس لم يطرح فكرة التحالف.")
    assert claim.stance == "deny"
    claim = _one("وقال مصدر دبلوماسي إن الوفد لن يحضر الجولة المقبلة.")
    assert claim.stance == "assert"
    claim = _one("ونفت الوزارة وقوع إصابات.")
    assert claim.stance == "deny"


# ---------------------------------------------------------------- no claims
def test_scripture_and_proverbs_are_no_claims():
    for raw in ('وقال الله تعالى: "وأوفوا بالعهد".',
                'قال رسول الله صلى الله عليه وسلم: "المسلم أخو المسلم".',
                'وكما يقول المثل: "الوقاية خير من العلاج".'):
        claims, _ = _claims(raw)
        assert claims == [], raw


def test_statement_nouns_carry_a_claim():
    claim = _one("وجاء ذلك مع إعلان الجيش أن قواته دخلت البلدة.")
    assert (claim.cue.text, claim.speaker_text, claim.content.text) == (
        "إعلان", "الجيش", "قواته دخلت البلدة")
    claims, _ = _claims("وقال الوزير إن الوضع هادئ. وفي تحذيره من أن الهدنة قد تنهار، "
                        "دعا الأطراف إلى ضبط النفس.")
    assert (claims[1].cue.text, claims[1].speaker_text) == ("تحذيره", "الوزير")


def test_a_relayed_denial():
    claims, doc = _claims("ونقلت الوكالة عن القائد وهو أحد قادة الفصائل نفيه الهجوم على القرية.")
    assert [(c.speaker_text, c.stance, c.content.text) for c in claims] == [
        ("القائد", "deny", "الهجوم على القرية")]
    assert doc.claim_relays["C1"]["speaker_text"] == "الوكالة"


def test_forms_that_are_mostly_other_words_need_their_object():
    claim = _one("وعبر المبعوث عن قلقه من التصعيد.")
    assert (claim.speaker_text, claim.content.text) == ("المبعوث", "قلقه من التصعيد")
    claim = _one("وقال طالب في الجامعة إن الامتحانات أجلت.")
    assert (claim.cue.text, claim.speaker_text) == ("وقال", "طالب في الجامعة")
    claims, _ = _claims("وانتقل المقاتلون عبر الحدود إلى الأردن.")
    assert claims == []


def test_a_byline_is_no_claim():
    claims, _ = _claims("كتب: سامر علي\nقال الوزير إن الطريق مفتوح.")
    assert [c.speaker_text for c in claims] == ["الوزير"]


def test_the_writers_words_after_the_report_set_no_stance():
    claim = _one("وقالت الحكومة إن قواتها استعادت السيطرة على المعبر، في إشارة إلى مزاعم "
                 "المعارضة.")
    assert claim.stance == "assert"
    claim = _one("وقالت الحكومة إن ما تتناقله الصفحات مزاعم.")
    assert claim.stance == "deny"


def test_scripture_after_a_prepositional_cue_is_no_claim():
    claims, _ = _claims('فكانوا كما قال الله عز وجل: "كذلك".')
    assert claims == []


def test_a_relay_whose_teller_has_a_modifier():
    claims, doc = _claims("ونقلت خدمة الأنباء التابعة للمتمردين عن سامر الخطيب وهو أحد قادتهم "
                          "نفيه الهجوم على قوات حكومية.")
    assert [(c.speaker_text, c.stance) for c in claims] == [("سامر الخطيب", "deny")]
    assert doc.claim_relays["C1"]["speaker_text"].startswith("خدمة الأنباء")


def test_participles_with_a_prepositional_object():
    claims, _ = _claims("أعرب الاتحاد عن قلقه من العنف داعيا الطرفين إلى ضبط النفس.")
    assert [(c.cue.text, c.speaker_text, c.content.text) for c in claims] == [
        ("أعرب", "الاتحاد", "قلقه من العنف"),
        ("داعيا", "الاتحاد", "الطرفين إلى ضبط النفس")]


def test_a_prepositional_source_then_a_verb_gives_the_verb_its_subject():
    claim = _one('وبحسب مصدر من المعارضة أكد ل - " الأنباء " , أن المستقيلين عشرة.')
    assert (claim.cue.text, claim.speaker_text, claim.content.text) == (
        "أكد", "مصدر من المعارضة", "المستقيلين عشرة")
    claim = _one("ويسعى الجيش وفق المصدر إلى فتح الطريق الدولي.")
    assert "فتح الطريق الدولي" in claim.content.text


def test_a_lam_before_a_perfect_form_is_no_cue():
    claims, _ = _claims("ودعا المجلس لتبني موقف صارم من الاتفاق.")
    assert claims == []


def test_an_envoy_to_a_country_and_an_addressee_before_the_object():
    claim = _one("وعبر مبعوث المنظمة إلى سورية سامر الخطيب عن قلقه البالغ.", ("سامر الخطيب",),
                 ("سورية",))
    assert claim.speaker_text == "مبعوث المنظمة إلى سورية سامر الخطيب"
    assert claim.content.text == "قلقه البالغ"
    claim = _one("وتحدث الوزير إلى الصحفيين عن الهجوم.")
    assert (claim.speaker_text, claim.content.text) == ("الوزير", "الهجوم")


def test_an_addressee_after_a_prepositional_source_and_a_name_spelt_like_anna():
    claim = _one("وحسب مصادر لـ«الأنباء»، فإن الاجتماع كرس لمناقشة الأمن.")
    assert (claim.speaker_text, claim.content.text) == ("مصادر", "الاجتماع كرس لمناقشة الأمن")
    claim = _one("يقول الباحث بان لـ«الأنباء» أيضا إن الدولة ضعيفة.", ("بان",))
    assert claim.content.text == "الدولة ضعيفة"


def test_a_new_report_joined_by_wa_ends_the_claim_before_it():
    claims, doc = _claims("وقال الوزير إن الجيش تقدم في المدينة ويقول السكان إن القصف مستمر.")
    assert [(c.speaker_text, c.content.text) for c in claims] == [
        ("الوزير", "الجيش تقدم في المدينة"), ("السكان", "القصف مستمر")]
    assert not doc.claim_relays
    claim = _one("وأكد الآن المتحدث إن الهدنة صامدة.")
    assert claim.speaker_text == "المتحدث"
