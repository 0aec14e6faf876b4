"""The baselines on hand-written Arabic sentences (none from the corpus), their prediction format, their
blindness to gold layers, and their command line.

Expected spans are written as the substrings they cover; ``at(text, s)`` turns a substring into its
offsets with ``str.find`` (the worked offsets of the first case are spelled out in its comment).
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys

import pytest

from khabar.baselines import BASELINES
from khabar.baselines.arabic import Tokens, analyses, key
from khabar.baselines.entities import tag_gazetteer, tag_rules
from khabar.corpus import format as fmt
from khabar.corpus.cli import main


def at(text: str, piece: str, occurrence: int = 1) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence):
        start = text.find(piece, start + 1)
        assert start >= 0, f"{piece!r} not in {text!r}"
    return start, start + len(piece)


def entity_set(entities: list[dict]) -> set[tuple[int, int, str]]:
    return {(e["start"], e["end"], e["type"]) for e in entities}


def spans(text: str, *expected: tuple[str, str]) -> set[tuple[int, int, str]]:
    """Offsets of each substring (a trailing space, as in "الفرنسي ", disambiguates and is not counted)."""
    found = set()
    for piece, type_ in expected:
        start, _ = at(text, piece)
        found.add((start, start + len(piece.rstrip()), type_))
    return found


SENTENCES = [
    "زار وفد من العراق ولبنان والمغرب الرباط.",
    "زار وزير الخارجية الألماني الامارات والمانيا وسُوريا والصين.",
    "وصل الرئيس السوري بشار الأسد إلى موسكو يوم الخميس 5 تشرين الأول 2023 م.",
    "أعلنت وزارة الخارجية الفرنسية أن السفير الفرنسي في بيروت سيلتقي رئيس الوزراء اللبناني.",
    "بلغت الخسائر ١٥ مليار يورو وارتفع التضخم 5.3 في المئة حتى الساعة ١٠:٣٠ مساء.",
    "صدر القرار في رمضان 1445 هـ، ونشر في 12/03/2024 باللغة الفارسية.",
    "وصل وزير الخارجية المصري كريم حداد إلى عمان يوم الأحد لإجراء محادثات مع نظيره الأردني.",
    "وقصفت الطائرات مطار المدينة فجر الأربعاء.",
    "ماكرون: فرنسا لن تتخلى عن لبنان",
    "أكد الرئيس الفرنسي إيمانويل ماكرون أن باريس ستدعم الحل السياسي. وقال وزير الدفاع التركي خلوصي أكار: «سنرد على أي هجوم».",
    "وأعلن المتحدث باسم منظمة الصحة العالمية أن 20 % من السكان بحاجة إلى مساعدة.",
    "",
    "؟؟ :: « 12:99 ١٠/ ال و",
]


# --------------------------------------------------------------------------------------------------
# Matching keys and proclitics


def test_keys_fold_hamza_ta_marbuta_alef_maqsura_diacritics_and_digits():
    assert key("إيرانيّة") == key("ايرانيه") == "ايرانيه"
    assert key("مُستشفى") == "مستشفي"
    assert key("٢٠٢٣") == "2023"


def test_proclitic_readings_count_original_characters():
    # وَبِالعراق: و + diacritic + ب + diacritic = 4 original characters before العراق
    assert (4, "العراق") in analyses("وَبِالعراق")
    # للرئيس is ل + الرئيس; the span starts after the first ل
    assert (1, "الرييس") in analyses("للرئيس")
    assert analyses("العراق")[0] == (0, "العراق")


# --------------------------------------------------------------------------------------------------
# Entities


def test_gazetteer_keeps_proclitics_outside_and_the_article_inside():
    text = SENTENCES[0]
    # "زار وفد من " is 11 characters: العراق is 11..17; " و" then لبنان 19..24; " و" then المغرب 26..32
    assert at(text, "العراق") == (11, 17) and at(text, "لبنان") == (19, 24) and at(text, "المغرب") == (26, 32)
    expected = spans(text, ("العراق", "GPE"), ("لبنان", "GPE"), ("المغرب", "GPE"), ("الرباط", "GPE"))
    assert entity_set(tag_gazetteer(Tokens.of(text))) == expected


def test_gazetteer_matches_spelling_variants_with_original_offsets():
    text = SENTENCES[1]
    expected = spans(
        text, ("الألماني", "NORP"), ("الامارات", "GPE"), ("المانيا", "GPE"), ("سُوريا", "GPE"), ("الصين", "GPE")
    )
    assert entity_set(tag_gazetteer(Tokens.of(text))) == expected


def test_rules_title_complement_and_name():
    text = SENTENCES[1]
    # the complement stops before الامارات: a country name follows a title only in construct
    assert spans(text, ("وزير الخارجية الألماني", "OCC")) <= entity_set(tag_rules(Tokens.of(text)))

    text = SENTENCES[2]
    expected = spans(
        text,
        ("الرئيس السوري", "OCC"),
        ("السوري", "NORP"),
        ("بشار الأسد", "PERS"),
        ("موسكو", "GPE"),
        ("يوم الخميس 5 تشرين الأول 2023 م", "DATE"),
    )
    assert entity_set(tag_rules(Tokens.of(text))) == expected


def test_rules_organisation_heads_and_positions():
    text = SENTENCES[3]
    expected = spans(
        text,
        ("وزارة الخارجية الفرنسية", "ORG"),
        ("الفرنسية", "NORP"),
        ("السفير الفرنسي", "OCC"),
        ("الفرنسي ", "NORP"),
        ("بيروت", "GPE"),
        ("رئيس الوزراء اللبناني", "OCC"),
        ("اللبناني", "NORP"),
    )
    assert entity_set(tag_rules(Tokens.of(text))) == expected


def test_rules_money_percent_time_with_arabic_indic_digits():
    text = SENTENCES[4]
    expected = spans(
        text,
        ("١٥ مليار يورو", "MONEY"),
        ("يورو", "CURR"),
        ("5.3 في المئة", "PERCENT"),
        ("الساعة ١٠:٣٠ مساء", "TIME"),
    )
    assert entity_set(tag_rules(Tokens.of(text))) == expected


def test_rules_hijri_numeric_dates_and_language():
    text = SENTENCES[5]
    expected = spans(text, ("رمضان 1445 هـ", "DATE"), ("12/03/2024", "DATE"), ("الفارسية", "LANGUAGE"))
    assert entity_set(tag_rules(Tokens.of(text))) == expected


@pytest.mark.parametrize("name", sorted(BASELINES))
def test_entities_nest_but_never_cross(name):
    for text in SENTENCES:
        found = sorted(entity_set(BASELINES[name].predict(text)["entities"]))
        for i, (s1, e1, _) in enumerate(found):
            for s2, e2, _ in found[i + 1 :]:
                assert not (s1 < s2 < e1 < e2), (text[s1:e1], text[s2:e2])


# --------------------------------------------------------------------------------------------------
# Quotes


def quote_texts(text: str, quote: dict) -> tuple:
    def piece(span):
        return None if span is None else text[span["start"] : span["end"]]

    return quote["type"], piece(quote["content"]), piece(quote["cue"]), piece(quote["source"])


def test_quote_rules_indirect_direct_and_speakers():
    text = SENTENCES[9]
    found = [quote_texts(text, q) for q in BASELINES["rules"].predict(text)["quotes"]]
    assert found == [
        # verb-subject order: the name after the cue speaks; أن opens indirect speech
        ("indirect", "باريس ستدعم الحل السياسي", "أكد", "إيمانويل ماكرون"),
        # و is outside the cue; colon then quotation marks: the content is inside the marks
        ("direct", "سنرد على أي هجوم", "قال", "خلوصي أكار"),
    ]


def test_quote_rules_speaker_is_the_outermost_title_when_no_name():
    text = SENTENCES[10]
    found = [quote_texts(text, q) for q in BASELINES["rules"].predict(text)["quotes"]]
    assert found == [("indirect", "20 % من السكان بحاجة إلى مساعدة", "أعلن", "المتحدث باسم منظمة الصحة العالمية")]


def test_quote_rules_headline_without_cue():
    text = SENTENCES[8]
    found = [quote_texts(text, q) for q in BASELINES["rules"].predict(text)["quotes"]]
    assert found == [("direct", "فرنسا لن تتخلى عن لبنان", None, "ماكرون")]


def test_quote_trivial_one_sentence_quote_per_cue_sentence():
    text = SENTENCES[9]
    first, second = at(text, "أكد الرئيس الفرنسي إيمانويل ماكرون أن باريس ستدعم الحل السياسي."), at(text, "وقال وزير الدفاع التركي خلوصي أكار: «سنرد على أي هجوم».")
    quotes = BASELINES["trivial"].predict(text)["quotes"]
    assert [(q["content"]["start"], q["content"]["end"]) for q in quotes] == [first, second]
    assert [quote_texts(text, q)[2:] for q in quotes] == [("أكد", None), ("قال", None)]


# --------------------------------------------------------------------------------------------------
# Events


def event_texts(text: str, event: dict) -> tuple:
    arguments = tuple((a["role"], text[a["start"] : a["end"]]) for a in event["arguments"])
    return event["type"], text[event["trigger"]["start"] : event["trigger"]["end"]], arguments


def test_event_rules_nearest_compatible_arguments():
    text = SENTENCES[6]
    events = [event_texts(text, e) for e in BASELINES["rules"].predict(text)["events"]]
    # Transport: the traveller is the Artifact (PERS), the Destination the nearest place, the date Time-Within.
    # Meet: Entity takes the two nearest PERS/ORG/GPE, عمان (3 characters away) then كريم حداد.
    assert events == [
        ("Movement:Transport", "وصل", (("Artifact", "كريم حداد"), ("Destination", "عمان"), ("Time-Within", "يوم الأحد"))),
        ("Contact:Meet", "محادثات", (("Entity", "عمان"), ("Entity", "كريم حداد"), ("Time-Within", "يوم الأحد"))),
    ]


def test_event_trigger_drops_proclitic_and_fills_target():
    text = SENTENCES[7]
    events = [event_texts(text, e) for e in BASELINES["rules"].predict(text)["events"]]
    assert events == [("Conflict:Attack", "قصفت", (("Target", "مطار المدينة"), ("Time-Within", "الأربعاء")))]


def test_event_trigger_leaves_the_article_out():
    # A hand-written sentence: "the delegation arrived in Cairo after the attack and the meeting".
    # Guidelines 4.2: the article ال is outside a trigger, so الهجوم gives هجوم and الاجتماع gives اجتماع.
    text = "وصل الوفد إلى القاهرة بعد الهجوم والاجتماع."
    triggers = [(e["type"], text[e["trigger"]["start"] : e["trigger"]["end"]]) for e in BASELINES["trivial"].predict(text)["events"]]
    assert triggers == [("Movement:Transport", "وصل"), ("Conflict:Attack", "هجوم"), ("Contact:Meet", "اجتماع")]


def test_event_trivial_has_no_arguments():
    text = SENTENCES[6]
    events = [event_texts(text, e) for e in BASELINES["trivial"].predict(text)["events"]]
    assert events == [("Movement:Transport", "وصل", ()), ("Contact:Meet", "محادثات", ())]


def test_event_roles_are_allowed_by_labels():
    allowed = fmt.labels()["event_roles"]
    for text in SENTENCES:
        for event in BASELINES["rules"].predict(text)["events"]:
            assert all(a["role"] in allowed[event["type"]] for a in event["arguments"])


# --------------------------------------------------------------------------------------------------
# Format, determinism, no gold


@pytest.mark.parametrize("name", sorted(BASELINES))
def test_output_validates_against_the_prediction_schema(name):
    for number, text in enumerate(SENTENCES):
        record = {"id": f"s{number}", **BASELINES[name].predict(text)}
        assert fmt.check_prediction(record, text, f"sentence {number}") == []


def documents_without_gold():
    try:
        corpus = fmt.load_corpus()
    except fmt.InputError:
        pytest.skip("the corpus is not built")
    stripped = [dataclasses.replace(d, entities=(), clusters=(), quotes=(), events=()) for d in corpus]
    return corpus, stripped


@pytest.mark.parametrize("name", sorted(BASELINES))
def test_baselines_never_read_gold_layers(name):
    corpus, stripped = documents_without_gold()
    predict = BASELINES[name].predict
    assert [predict(d.text) for d in corpus] == [predict(d.text) for d in stripped]


def test_cli_run_on_corpus_equals_run_on_text_only_copy(tmp_path, capsys):
    corpus, stripped = documents_without_gold()
    text_only = tmp_path / "documents.jsonl"
    in_file_order = sorted(stripped, key=lambda d: (fmt.SPLITS.index(d.meta["split"]), d.id))  # the default input reads dev, then test
    text_only.write_text("".join(json.dumps({"id": d.id, "text": d.text}, ensure_ascii=False) + "\n" for d in in_file_order), encoding="utf-8")
    assert main(["baseline", "run", "rules", "--out", str(tmp_path / "a.jsonl")]) == 0
    assert main(["baseline", "run", "rules", "--input", str(text_only), "--out", str(tmp_path / "b.jsonl")]) == 0
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()
    gold = {d.id: d for d in corpus}
    assert set(fmt.read_predictions(tmp_path / "a.jsonl", gold)) == set(gold)


# --------------------------------------------------------------------------------------------------
# Command line


def test_cli_list_names_every_baseline(capsys):
    assert main(["baseline", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == sorted(BASELINES)


def test_cli_plain_text_keeps_original_offsets(tmp_path, capsys):
    text = "زار وفد من العراق\r\nالرباط.\r\n"
    source = tmp_path / "خبر.txt"
    source.write_bytes(text.encode("utf-8"))
    assert main(["baseline", "run", "trivial", "--input", str(source)]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["id"] == "خبر"
    assert entity_set(record["entities"]) == spans(text, ("العراق", "GPE"), ("الرباط", "GPE"))


@pytest.mark.parametrize(
    "content, message",
    [
        ('{"id": "a", "text": "نص"}\n{"id": "a", "text": "نص"}\n', "bad.jsonl:2: id: duplicate document 'a' (first on line 1)"),
        ('{"id": "a"}\n', "bad.jsonl:1: text: missing or not a string"),
        ('{"id": "a", "text": \n', "bad.jsonl:1: not JSON"),
    ],
)
def test_cli_bad_input_is_one_line_exit_2_and_no_output_file(tmp_path, capsys, content, message):
    source = tmp_path / "bad.jsonl"
    source.write_text(content, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["baseline", "run", "rules", "--input", str(source), "--out", str(out)]) == 2
    error = capsys.readouterr().err
    assert message in error and error.count("\n") == 1
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["bad.jsonl"]


def test_cli_refuses_to_overwrite_its_input(tmp_path, capsys):
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "a", "text": "نص"}\n', encoding="utf-8")
    before = source.read_bytes()
    assert main(["baseline", "run", "rules", "--input", str(source), "--out", str(source)]) == 2
    assert source.read_bytes() == before


def test_output_is_identical_whatever_the_hash_seed(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps({"id": f"d{i}", "text": t}, ensure_ascii=False) + "\n" for i, t in enumerate(SENTENCES)), encoding="utf-8")
    outputs = []
    for seed in ("0", "1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        command = [sys.executable, "-m", "khabar.corpus.cli", "baseline", "run", "rules", "--input", str(source)]
        outputs.append(subprocess.run(command, env=env, capture_output=True, check=True).stdout)
    assert outputs[0] == outputs[1] == outputs[2] and outputs[0]
