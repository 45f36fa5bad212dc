"""Property: every span of every stage lies inside document.text and quotes it exactly."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import marsad
from marsad.contract import validate

WORDS = [
    "قال", "المرصد", "السوري", "إن", "غارات", "روسية", "قتلت", "ما", "لا", "يقل", "عن", "50",
    "مدنيا", "في", "مدينة", "البوكمال", "بمحافظة", "دير", "الزور", "يوم", "الجمعة", "ونفى",
    "الجيش", "الروسي", "#حزب_الله", "داعش", "وأضاف", "أن", "عشرات", "القتلى", "سقطوا",
    "أمس", "منذ", "قصف", "بلدة", "السكرية", "شرقي", "المدينة", "«", "»", '"', ".", "،", ".,",
    "\n", "٣٠", "شخصا", "نوفمبر", "2017", "تسيطر", "عليها", "قوات", "النظام", "مُحَمَّد",
]
texts = st.lists(st.sampled_from(WORDS), min_size=1, max_size=40).map(" ".join).filter(str.strip)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, st.sampled_from([None, "2017-11-13"]))
def test_every_span_of_every_stage_quotes_document_text(text, published):
    data = marsad.analyze(text, published=published).to_dict()
    validate(data)
    doc = data["document"]["text"]

    def check(start, end, quoted=None):
        assert 0 <= start <= end <= len(doc)
        if quoted is not None:
            assert doc[start:end] == quoted

    for entity in data["entities"]:
        for m in entity["mentions"]:
            check(m["start"], m["end"], m["text"])
    for item in data["times"] + data["quantities"]:
        check(item["start"], item["end"], item["text"])
    for event in data["events"]:
        for span in event["evidence"]:
            check(span["start"], span["end"])
    for claim in data["claims"]:
        check(claim["cue"]["start"], claim["cue"]["end"], claim["cue"]["text"])
        check(claim["content"]["start"], claim["content"]["end"], claim["content"]["text"])
