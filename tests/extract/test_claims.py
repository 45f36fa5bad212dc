"""The claims stage: attributed statements on the defining example and on short sentences."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest

from marsad.document import Document, Entity, Mention, TimeExpression
from marsad.extract.claims import cue_lexicon, find_claims
from marsad.resources import resource_path

from ..conftest import text_document

REPO = Path(__file__).resolve().parents[2]
PUBLISHED = dt.date(2017, 11, 13)


def _example_path() -> Path:
    for path in (REPO / "examples" / "albukamal.txt",
                 REPO.parent / "shared" / "examples" / "albukamal.txt"):
        if path.exists():
            return path
    pytest.skip("the defining example is not available")


def make_doc(raw: str) -> Document:
    return text_document(raw, PUBLISHED)


@pytest.fixture(scope="module")
def example() -> tuple[Document, list]:
    doc = make_doc(_example_path().read_text(encoding="utf-8"))
    return doc, find_claims(doc)


# (cue, speaker_text, stance, quote, hedged, words the content must contain)
GOLDEN = [
    ("أعلن", "المرصد السوري", "assert", "indirect", False, "استعادة تنظيم داعش مدينة البوكمال"),
    ("لتؤكد", "زعماء العشائر والسكان المحليين", "assert", "indirect", False, "الواقع على الأرض"),
    ("مؤكدة", "روسيا", "deny", "indirect", False, "لم ينسحبوا من المنطقة"),
    ("نقل", "زعماء عشائر وسكان", "assert", "indirect", False, "مقاتلي داعش استعادوا السيطرة"),
    ("وأضافوا", "زعماء عشائر وسكان", "assert", "indirect", False, "باغتوا"),
    ("قال", "قحطان غانم العلي", "assert", "indirect", False, "بدأوا هجوما مباغتا"),
    ("أعلنت", "قوات النظام السوري", "assert", "indirect", False, "الانتصار على التنظيم"),
    ("وقالت", "قوات النظام السوري", "assert", "indirect", False, "قتل متشددين كثيرين"),
    ("أعلنت", "قوات النظام السوري", "assert", "indirect", False, "تمثل انهيار سيطرة التنظيم"),
    ("وقال", "المرصد وسكان", "assert", "indirect", True, "كثفت يوم الأحد قصفها"),
    ("وأضاف", "المرصد", "assert", "indirect", False, "بقصف قرى شرقي المدينة"),
    ("حسبما قال", "اثنان من السكان السابقين", "assert", "indirect", False,
     "قُتل ما لا يقل عن 30 شخصا"),
    ("نفى", "قائد المجموعة العسكرية الروسية في سوريا", "deny", "indirect", False,
     "أنباء انسحاب قوات النظام من البوكمال"),
    ("وقال", "المسؤول العسكري الروسي من سوريا", "deny", "direct", False,
     "أقاويل لا أساس لها من الصحة"),
    ("وأضاف", "المتحدث العسكري الروسي", "assert", "direct", False, "سنشرع في عملية تنظيف"),
]


def test_example_claims_match_the_golden_reading(example):
    doc, claims = example
    assert len(claims) == len(GOLDEN)
    for claim, (cue, speaker, stance, quote, hedged, words) in zip(claims, GOLDEN, strict=True):
        label = f"{claim.id} {claim.cue.text}"
        assert claim.cue.text == cue, label
        assert claim.speaker_text == speaker, label
        assert claim.stance == stance, label
        assert claim.quote == quote, label
        assert claim.hedged is hedged, label
        assert words in claim.content.text, label


def test_example_claims_are_well_formed(example):
    doc, claims = example
    assert [c.id for c in claims] == [f"C{n}" for n in range(1, len(claims) + 1)]
    assert [c.cue.start for c in claims] == sorted(c.cue.start for c in claims)
    for claim in claims:
        assert claim.cue.text == doc.text[claim.cue.start:claim.cue.end]
        assert claim.content.text == doc.text[claim.content.start:claim.content.end]
        assert claim.content.text.strip() == claim.content.text
        assert claim.events == []
        assert claim.speaker is None  # no entity layer in this document
        assert claim.said_at is None  # no time layer either


def test_example_contents_end_where_the_report_ends(example):
    doc, claims = example
    by_cue = {c.cue.text: c for c in claims}
    # the clause before "وذلك حسبما قال" is the content, without the filler
    assert by_cue["حسبما قال"].content.text.endswith("من ثلاث عائلات")
    # a direct quotation is the content, without its quotation marks
    last = claims[-1]
    assert last.content.text.startswith("في الوقت الراهن")
    assert last.content.text.endswith("بعد هزيمتهم")
    assert '"داعش"' in last.content.text  # the nested quotation stays inside
    # the object of a verb cue runs to the end of the clause, after the time words
    assert claims[6].content.text == "الانتصار على التنظيم"
    assert claims[12].content.text.startswith("أنباء انسحاب")


def test_example_background_and_nested_cues_are_not_claims(example):
    doc, claims = example
    cues = [c.cue.text for c in claims]
    assert "يذكر" not in cues  # the author's background
    assert "معلنة" not in cues  # a participle inside the Observatory's content
    assert all("تنفي" not in c.cue.text for c in claims)  # a headline without content
    quoted = claims[13]
    assert not any(quoted.content.start <= c.cue.start < quoted.content.end for c in claims)


def test_example_relay_is_recorded(example):
    doc, claims = example
    relayed = claims[3]
    assert doc.claim_relays[relayed.id]["speaker_text"] == "المرصد"


def test_every_russian_denial_is_a_denial(example):
    doc, claims = example
    russian = [c for c in claims if c.speaker_text and ("روسي" in c.speaker_text
                                                      or "روسيا" in c.speaker_text)]
    denials = [c for c in russian if c.cue.text != "وأضاف"]
    assert len(denials) == 3
    assert all(c.stance == "deny" for c in denials)


def test_example_is_fast(example):
    doc, _ = example
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        find_claims(doc)
        best = min(best, time.perf_counter() - started)
    assert best < 0.020


def _one(raw: str):
    doc = make_doc(raw)
    claims = find_claims(doc)
    assert len(claims) == 1, [(c.cue.text, c.speaker_text) for c in claims]
    return claims[0]


@pytest.mark.parametrize(
    ("raw", "cue", "speaker", "content"),
    [
        ("ويقول الأهالي إن الوضع مأساوي.", "ويقول", "الأهالي", "الوضع مأساوي"),
        ("فقالت الحكومة إن الهدنة صامدة.", "فقالت", "الحكومة", "الهدنة صامدة"),
        ("وأشار المرصد إلى أن الاشتباكات تجددت.", "وأشار", "المرصد", "الاشتباكات تجددت"),
        ("أعلن الجيش السوري السيطرة على المدينة بالكامل.", "أعلن", "الجيش السوري",
         "السيطرة على المدينة بالكامل"),
        ("قال مسؤول في الجيش لرويترز إن الهجوم بدأ.", "قال", "مسؤول في الجيش", "الهجوم بدأ"),
        ("قالت الأمم المتحدة في بيان إن آلاف المدنيين نزحوا.", "قالت", "الأمم المتحدة",
         "آلاف المدنيين نزحوا"),
        ("وأعلن الجيش اللبناني، في بيان، أن وحداته ردت على مصادر النيران.", "وأعلن",
         "الجيش اللبناني", "وحداته ردت على مصادر النيران"),
        ("وقال مصدر أمني لـ«عنب بلدي» إن الطريق مغلق.", "وقال", "مصدر أمني", "الطريق مغلق"),
        ("وقال المتحدث باسم وزارة الدفاع إن الطائرات دمرت 10 مواقع.", "وقال",
         "المتحدث باسم وزارة الدفاع", "الطائرات دمرت 10 مواقع"),
        ("وبحسب المرصد السوري لحقوق الإنسان، فإن 12 مدنيا قتلوا.", "وبحسب",
         "المرصد السوري لحقوق الإنسان", "12 مدنيا قتلوا"),
        ("قتل 5 مدنيين في قصف على إدلب، وفقاً لـ الدفاع المدني.", "وفقاً", "الدفاع المدني",
         "قتل 5 مدنيين في قصف على إدلب"),
        ("قتل 5 مدنيين في قصف على إدلب، وفقا للدفاع المدني.", "وفقا", "الدفاع المدني",
         "قتل 5 مدنيين في قصف على إدلب"),
        ("وقتل 3 أشخاص حسب ما أفادت وكالة سانا.", "حسب ما أفادت", "وكالة سانا",
         "وقتل 3 أشخاص"),
        ("ونقلت وكالة رويترز عن مصدر عسكري قوله إن الهجوم فشل.", "ونقلت", "مصدر عسكري",
         "الهجوم فشل"),
        ("الجيش الروسي ينفي استهداف المدنيين في إدلب.", "ينفي", "الجيش الروسي",
         "استهداف المدنيين في إدلب"),
        ("أكد مسؤول طبي لم يكشف عن اسمه أن عدد الجرحى ارتفع.", "أكد", "مسؤول طبي",
         "عدد الجرحى ارتفع"),
        ("وقال وزير الخارجية الأمريكي، الأربعاء، إن بلاده لن تتدخل.", "وقال",
         "وزير الخارجية الأمريكي", "بلاده لن تتدخل"),
    ],
)
def test_speaker_and_content_of_one_statement(raw, cue, speaker, content):
    claim = _one(raw)
    assert (claim.cue.text, claim.speaker_text, claim.content.text) == (cue, speaker, content)


@pytest.mark.parametrize(
    "raw",
    [
        "يذكر أن المدينة تقع على الحدود.",
        "لم يؤكد المرصد الخبر حتى الآن.",
        "هاجم فصيل تابع للنظام القرية ليلا.",
        "تم إجلاء المسلحين وفق اتفاق روسي تركي.",
        "وأضاف الجيش لواء جديدا إلى قواته.",
    ],
)
def test_no_claim(raw):
    assert find_claims(make_doc(raw)) == []


def test_denial_cue_and_dismissal_content_deny():
    assert _one("نفت وزارة الخارجية التركية الأنباء عن انسحاب قواتها.").stance == "deny"
    assert _one("وكذبت موسكو هذه المزاعم.").stance == "deny"
    claim = _one("وأكد المتحدث أن هذه الأنباء عارية عن الصحة.")
    assert (claim.speaker_text, claim.stance) == ("المتحدث", "deny")
    assert _one("وقال المرصد إن القصف مستمر.").stance == "assert"


def test_hedges():
    assert _one("وقال ناشطون إن ربما 20 شخصا قتلوا.").hedged is True
    assert _one("في غضون ذلك، قالت مصادر إن هناك أنباء عن تقدم القوات.").hedged is True
    assert _one("وزعم التنظيم أنه أسقط طائرة حربية.").hedged is True  # a doubting cue
    assert _one("وقال المرصد إن القصف مستمر.").hedged is False


def test_direct_quotations():
    claim = _one("وقالت مصادر محلية: «إن الاشتباكات مستمرة منذ الصباح».")
    assert (claim.quote, claim.content.text) == ("direct", "إن الاشتباكات مستمرة منذ الصباح")
    claim = _one('وقال الوزير: "الوضع خطير. نحن نراقب الموقف".')
    assert (claim.quote, claim.content.text) == ("direct", "الوضع خطير. نحن نراقب الموقف")
    claim = _one("وقال الوزير «نحن مستعدون للحوار».")
    assert (claim.quote, claim.speaker_text) == ("direct", "الوزير")


def test_participle_splits_the_claim_and_keeps_the_speaker():
    doc = make_doc("وقال المرصد إن الغارات استهدفت المدينة، مشيرا إلى أن عدد القتلى مرشح للارتفاع.")
    first, second = find_claims(doc)
    assert first.content.text == "الغارات استهدفت المدينة"
    assert (second.cue.text, second.speaker_text) == ("مشيرا", "المرصد")
    assert second.content.text == "عدد القتلى مرشح للارتفاع"


def test_pronoun_cues_follow_gender_and_number():
    doc = make_doc(
        "وكانت الحكومة قد أعلنت أن المعبر سيفتح. وقال المرصد وناشطون إن القصف توقف. "
        "وأضافت أن المساعدات وصلت. وأضاف أن الطريق آمن. وأضافوا أن السكان عادوا."
    )
    speakers = [(c.cue.text, c.speaker_text) for c in find_claims(doc)]
    assert speakers == [
        ("أعلنت", "الحكومة"),
        ("وقال", "المرصد وناشطون"),
        ("وأضافت", "الحكومة"),
        ("وأضاف", "المرصد"),
        ("وأضافوا", "المرصد وناشطون"),
    ]


def test_speaker_entity_and_said_at():
    doc = make_doc("وقال المرصد السوري لحقوق الإنسان الأحد إن 12 مدنيا قتلوا. وأضاف أن القصف مستمر.")
    name = "المرصد السوري لحقوق الإنسان"
    a = doc.text.index(name)
    doc.entities = [Entity("E1", "ORG", name, None, [Mention(a, a + len(name), name)])]
    t = doc.text.index("الأحد")
    doc.times = [TimeExpression("T1", t, t + 5, "الأحد", "2017-11-12", "day")]
    first, second = find_claims(doc)
    assert (first.speaker, first.speaker_text, first.said_at) == ("E1", name, "T1")
    assert first.content.text == "12 مدنيا قتلوا"
    assert (second.speaker, second.said_at) == ("E1", None)


def test_entity_mention_extends_a_short_speaker_phrase():
    doc = make_doc("وقالت هيئة تحرير الشام في إدلب إن الهجوم صد.")
    name = "هيئة تحرير الشام في إدلب"
    a = doc.text.index("هيئة")
    doc.entities = [Entity("E7", "ORG", name, None, [Mention(a, a + len(name), name)])]
    claim = _only(find_claims(doc))
    assert claim.speaker == "E7"


def _only(claims):
    assert len(claims) == 1
    return claims[0]


def test_cue_lexicon_is_documented_and_normalised():
    header = resource_path("claims/cues.yaml").read_text(encoding="utf-8").splitlines()[:8]
    assert any("curated by the marsad developers" in line for line in header)
    lex = cue_lexicon()
    for form in ("قال", "قالت", "قالوا", "يقول", "تقول", "اعلنت", "مؤكده", "نفت", "ينفي"):
        assert form in lex.verbs, form
    assert lex.verb("وأضافوا".replace("أ", "ا"))[0].gn == "p"
    assert lex.verb("لتؤكد".replace("ؤ", "ؤ"))[1] == "ل"
    assert lex.verbs["قالت"].gn == "f" and lex.verbs["مؤكده"].adverbial


def test_example_with_entity_and_time_layers():
    doc = make_doc(_example_path().read_text(encoding="utf-8"))
    text = doc.text

    def spans(word):
        out, k = [], text.find(word)
        while k >= 0:
            out.append(Mention(k, k + len(word), word))
            k = text.find(word, k + 1)
        return out

    doc.entities = [
        Entity("E1", "ORG", "المرصد السوري لحقوق الإنسان", None, spans("المرصد")),
        Entity("E2", "LOC", "روسيا", "Russia", spans("روسيا")),
        Entity("E3", "ORG", "قوات النظام السوري", None, spans("قوات النظام السوري")),
    ]
    times = []
    for n, (word, nth) in enumerate([("يوم الجمعة", 0), ("يوم الخميس", 0), ("الأحد", 1)]):
        k = -1
        for _ in range(nth + 1):
            k = text.find(word, k + 1)
        times.append(TimeExpression(f"T{n + 1}", k, k + len(word), word, None, "day"))
    doc.times = sorted(times, key=lambda t: t.start)
    claims = find_claims(doc)
    by_id = {c.id: c for c in claims}
    assert by_id["C1"].speaker == "E1"
    assert by_id["C3"].speaker == "E2"
    assert by_id["C7"].speaker == by_id["C8"].speaker == by_id["C9"].speaker == "E3"
    assert by_id["C11"].speaker == "E1"  # "وأضاف" after "وقال المرصد وسكان"
    said = {c.id: c.said_at for c in claims if c.said_at}
    t_thursday = next(t.id for t in doc.times if t.text == "يوم الخميس")
    t_sunday = next(t.id for t in doc.times if t.text == "الأحد")
    assert said == {"C7": t_thursday, "C13": t_sunday}  # not the news item's Friday in C3


def test_a_second_report_in_the_same_sentence_ends_the_first():
    doc = make_doc("قال المرصد إن 10 مدنيين قتلوا، بينما قالت الحكومة إن القتلى مسلحون.")
    first, second = find_claims(doc)
    assert (first.speaker_text, first.content.text) == ("المرصد", "10 مدنيين قتلوا")
    assert (second.speaker_text, second.content.text) == ("الحكومة", "القتلى مسلحون")
    doc = make_doc("وقال الجيش إن قواته تقدمت في حين نفت المعارضة ذلك.")
    first, second = find_claims(doc)
    assert first.content.text == "قواته تقدمت"
    assert (second.speaker_text, second.stance) == ("المعارضة", "deny")
    # a cue inside a relative clause of the content stays inside it
    only = _one("وقال المرصد إن القوات التي قالت إنها انسحبت عادت.")
    assert only.content.text == "القوات التي قالت إنها انسحبت عادت"


def test_a_prepositional_phrase_after_the_cue_is_not_the_speaker():
    from marsad.analysis import analyze

    data = analyze("وكان التحالف قد أعلن في الخامس من ديسمبر أن أقل من 3000 مقاتل ما زالوا في سوريا.").to_dict()
    assert [c["speaker_text"] for c in data["claims"]] == ["التحالف"]


def test_the_addressee_is_not_the_speaker():
    from marsad.analysis import analyze

    data = analyze("قال لهم إن المعركة انتهت.").to_dict()
    assert [c["speaker_text"] for c in data["claims"]] == [None]
