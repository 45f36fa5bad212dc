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


def test_an_ordinary_word_after_a_place_noun_is_no_place():
    data = analyze("سدد اللاعب كرة من حدود منطقة الجزاء بعد وصوله إلى بلدة السكرية.").to_dict()
    places = {m["text"] for e in data["entities"] if e["type"] == "LOC" for m in e["mentions"]}
    assert "السكرية" in places
    assert "الجزاء" not in places


def test_a_model_span_loses_a_trailing_weekday_and_nationality(monkeypatch):
    from marsad.document import Document
    from marsad.knowledge.ner import model as ner_model
    from marsad.pipeline import STAGES

    def fake_tagger(sentences):  # tags the name and the word after it as one person
        out = []
        for words in sentences:
            tags = ["O"] * len(words)
            if "جوناثان" in words:
                k = words.index("جوناثان") - ("أبو" in words)
                tags[k:k + 3] = ["B-PERS", "I-PERS", "I-PERS"]
            out.append((tags, [0.8] * len(words)))
        return out

    class FakeModel:
        def find(self, doc):
            return ner_model.spans_from_tags(doc.tokens, fake_tagger)

    monkeypatch.setattr(ner_model, "default_ner_model", lambda: FakeModel())
    persons = []
    for text in ("التقى جوناثان سميثرز الروسي نظيره.", "التقى جوناثان سميثرز الخميس نظيره."):
        doc = Document(text=text)
        for stage in STAGES[:2]:
            stage.run(doc)
        persons += [m.text for e in doc.entities if e.type == "PERSON" for m in e.mentions]
    assert persons == ["جوناثان سميثرز", "جوناثان سميثرز"]
    doc = Document(text="التقى أبو جوناثان الروسي نظيره.")  # a kunya keeps its nisba
    for stage in STAGES[:2]:
        stage.run(doc)
    assert [m.text for e in doc.entities if e.type == "PERSON" for m in e.mentions] == [
        "أبو جوناثان الروسي"]


def test_a_known_persons_surname_is_that_person_whatever_the_model_says(monkeypatch):
    from marsad.document import Document
    from marsad.knowledge.ner import model as ner_model
    from marsad.pipeline import STAGES

    def fake_tagger(sentences):  # reads the surname as a place, as the CRF did on real pages
        return [(["B-LOC" if w == "أردوغان" else "O" for w in words], [0.7] * len(words))
                for words in sentences]

    class FakeModel:
        def find(self, doc):
            return ner_model.spans_from_tags(doc.tokens, fake_tagger)

    monkeypatch.setattr(ner_model, "default_ner_model", lambda: FakeModel())
    doc = Document(text="هاجم رئيس تركيا أردوغان نظيره السوري.")
    for stage in STAGES[:2]:
        stage.run(doc)
    erdogan = [e for e in doc.entities if any(m.text == "أردوغان" for m in e.mentions)]
    assert len(erdogan) == 1 and erdogan[0].type == "PERSON"
    assert erdogan[0].actor is not None and erdogan[0].actor.actor_id == "recep_tayyip_erdogan"


def _places(text: str) -> set[str]:
    data = analyze(text).to_dict()
    return {m["text"] for e in data["entities"] if e["type"] == "LOC" for m in e["mentions"]}


def test_a_weak_place_name_needs_words_that_make_it_a_place():
    # ordinary words that are also places (places/weak.txt): no place without a cue
    assert "الباب" not in _places("قرر الطرفان فتح الباب أمام المفاوضات.")
    assert "مالي" not in _places("تلقت البلدية دعم مالي كبير من الحكومة.")
    assert "القائم" not in _places("قال القائم بأعمال السفارة إن الوضع هادئ.")
    assert "الخمس" not in _places("ارتفعت الأسعار خلال السنوات الخمس الماضية.")
    # a place noun, a preposition of place, ب/ل glued on, or و after another place
    assert "الباب" in _places("وصلت القوات إلى مدينة الباب شمال حلب.")
    assert "مالي" in _places("قتل ثلاثة جنود في مالي أمس.")
    assert "حديثة" in _places("تقدم التنظيم في دير الزور والبوكمال وحديثة.")


def test_a_title_at_the_end_of_a_person_span_is_no_surname():
    from marsad.document import CandidateSpan
    from marsad.knowledge.link import find_surnames

    from ..conftest import text_document

    text = "قال المرافق الدائم العقيد حجي إن . وقال قحطان غانم العلي . وأضاف العقيد والعلي ."
    doc = text_document(text)

    def person(name: str) -> CandidateSpan:
        start = text.index(name)
        return CandidateSpan(start, start + len(name), "PERSON", "model")

    found = find_surnames(doc, [person("المرافق الدائم العقيد"), person("قحطان غانم العلي")])
    assert [text[c.start:c.end] for c in found] == ["العلي"]  # and never "العقيد"


def test_model_spans_that_split_a_known_name_become_one():
    data = analyze("ووصف المرشد الإيراني آية الله علي خامنئي الولايات المتحدة بأنها عدو.").to_dict()
    khamenei = entity_with(data, "آية الله علي خامنئي")
    assert khamenei and [m["text"] for m in khamenei[0]["mentions"]] == ["آية الله علي خامنئي"]


def test_the_countryside_alone_is_no_place():
    places = _places("تقدمت القوات في الريف الشرقي لدير الزور وفي ريف حلب.")
    assert "دير الزور" in places
    assert not {"الريف", "ريف"} & places


def test_latin_page_furniture_is_no_name():
    data = analyze('نقلت القدس العربي Send to friend عن مصادر. {"displayName": "x", "button": 1} Wed').to_dict()
    texts = {m["text"] for e in data["entities"] for m in e["mentions"]}
    assert "القدس العربي" in texts
    assert not {t for t in texts if any(w in t for w in ("Send", "displayName", "button", "Wed"))}
