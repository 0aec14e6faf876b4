"""`khabar validate` on corrupted copies of the real corpus: one exact line per problem, exit 1."""

from __future__ import annotations

import re

import pytest

from khabar.corpus import format as fmt
from khabar.corpus.tokenize import split_sentences

from conftest import annotation_file, load_json, run_khabar, save_json
from values_case import at


def corrupt(repo_copy, change) -> tuple[str, str]:
    """Apply ``change`` to the copied annotation file; return its display path and the new bytes."""
    path = annotation_file(repo_copy)
    doc = load_json(path)
    change(doc)
    save_json(path, doc)
    return f"corpus/annotations/{path.name}", path.read_text(encoding="utf-8")


def first_argument(doc):
    return next((event, argument) for event in doc["events"] for argument in event["arguments"])


def set_end_past_text(doc):
    doc["entities"][0]["end"] = len(doc["text"]) + 75


def reverse(doc):
    mention = doc["entities"][0]
    mention["start"], mention["end"] = mention["end"], mention["start"]


def wrong_text(doc):
    doc["entities"][0]["text"] = "طهران"


def duplicate_id(doc):
    doc["entities"][1]["id"] = doc["entities"][0]["id"]


def bad_label(doc):
    doc["entities"][0]["type"] = "PERSON"


def bad_role(doc):
    event, argument = first_argument(doc)
    argument["role"] = "Victim" if event["type"] != "Life:Die" else "Buyer"


def dangling_argument(doc):
    first_argument(doc)[1]["mention"] = "T9999"


def dangling_source(doc):
    quote = next(q for q in doc["quotes"] if q["source"])
    quote["source"] = "T9999"


def dangling_cluster(doc):
    doc["entities"][0]["entity"] = "E9999"


def wrong_type(doc):
    doc["entities"][0]["start"] = "0"


def changed_text(doc):
    doc["text"] = doc["text"].replace("اذربيجان", "أذربيجان", 1)


CASES = {
    "offset past the text": (set_end_past_text, lambda d: f"entities[0].end: {len(d['text']) + 75} is past the end of the text ({len(d['text'])} characters)"),
    "reversed span": (reverse, lambda d: f"entities[0].start: {d['entities'][0]['end']} is not before end {d['entities'][0]['start']}"),
    "span text mismatch": (wrong_text, lambda d: f'entities[0].text: "طهران" does not match the text at {d["entities"][0]["start"]}:{d["entities"][0]["end"]}, "{d["entities"][0]["text"]}"'),
    "duplicate id": (duplicate_id, lambda d: f"entities[1].id: duplicate id {d['entities'][0]['id']!r} (first used at entities[0].id)"),
    "bad label": (bad_label, lambda d: "entities[0].type: 'PERSON' is not one of the allowed values (did you mean 'PERS'?)"),
    "wrong field type": (wrong_type, lambda d: "entities[0].start: '0' is not of type 'integer'"),
    "dangling argument": (dangling_argument, lambda d: "arguments[0].mention: unknown mention 'T9999'"),
    "dangling source": (dangling_source, lambda d: ".source: unknown mention 'T9999'"),
    "dangling cluster": (dangling_cluster, lambda d: "entities[0].entity: unknown cluster 'E9999'"),
    "text differs from its seed": (changed_text, lambda d: "text: differs from its seed seeds/000_0d083f3321f654a4.txt"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_problem_is_one_named_line(repo_copy, name):
    change, expected = CASES[name]
    original = load_json(annotation_file(repo_copy))
    where, written = corrupt(repo_copy, change)
    result = run_khabar("validate", root=repo_copy)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert any(line.startswith(f"{where}: ") and line.endswith(expected(original)) for line in lines), lines
    assert annotation_file(repo_copy).read_text(encoding="utf-8") == written, "validate modified the file"


def test_bad_role_names_the_subtype(repo_copy):
    doc = load_json(annotation_file(repo_copy))
    event, argument = first_argument(doc)
    index = doc["events"].index(event)
    where, _ = corrupt(repo_copy, bad_role)
    result = run_khabar("validate", root=repo_copy)
    role = "Victim" if event["type"] != "Life:Die" else "Buyer"
    assert result.returncode == 1
    assert f"{where}: events[{index}].arguments[0].role: {role!r} is not a role of {event['type']}" in result.stderr.splitlines()


def test_all_problems_are_reported_not_just_the_first(repo_copy):
    def two_problems(doc):
        set_end_past_text(doc)
        dangling_cluster(doc)
        doc["entities"][1]["text"] = "x"

    corrupt(repo_copy, two_problems)
    result = run_khabar("validate", root=repo_copy)
    assert result.returncode == 1
    assert len(result.stderr.splitlines()) >= 3


def test_not_json_names_the_line(repo_copy):
    path = annotation_file(repo_copy)
    path.write_text('{\n  "id": "x",\n  oops\n}\n', encoding="utf-8")
    result = run_khabar("validate", root=repo_copy)
    assert result.returncode == 1
    assert result.stderr.startswith(f"corpus/annotations/{path.name}:3: not JSON")
    assert "Traceback" not in result.stderr


def test_crossing_mentions_are_refused(repo_copy):
    def cross(doc):
        first = doc["entities"][0]
        doc["entities"].append({**first, "id": "Tcross", "start": first["start"] + 1, "end": first["end"] + 1,
                                "text": doc["text"][first["start"] + 1:first["end"] + 1]})

    where, _ = corrupt(repo_copy, cross)
    result = run_khabar("validate", root=repo_copy)
    assert result.returncode == 1
    assert any("crosses entities[0]" in line for line in result.stderr.splitlines()), result.stderr


def test_the_real_corpus_validates():
    result = run_khabar("validate")
    assert result.returncode == 0, result.stderr


def test_a_mention_across_a_sentence_boundary_is_refused_and_one_inside_a_token_is_not(repo_copy):
    """Layout rules: sentences may not cut a mention; tokens may (the token views project it)."""
    doc = load_json(annotation_file(repo_copy))
    text = doc["text"]
    # two characters either side of a line break, where no mention lies (so only the new rule is broken)
    around = [(n - 2, n + len(text[n:]) - len(text[n:].lstrip()) + 2) for n, c in enumerate(text) if c == "\n"]
    start, end = next((s, e) for s, e in around if not any(m["start"] < e and s < m["end"] for m in doc["entities"]))
    # a word no mention touches: a mention inside it (from its second letter) is allowed
    word = next(m.start() for m in re.finditer(r"\w{4,}", text) if not any(e["start"] < m.end() and m.start() < e["end"] for e in doc["entities"]))

    def change(doc):
        doc["entities"].append({**doc["entities"][0], "id": "Tacross", "start": start, "end": end, "text": text[start:end]})
        doc["entities"].append({**doc["entities"][0], "id": "Tinside", "start": word + 1, "end": word + 3, "text": text[word + 1 : word + 3]})

    where, _ = corrupt(repo_copy, change)
    result = run_khabar("validate", root=repo_copy)
    assert result.returncode == 1
    index = len(doc["entities"])
    assert result.stderr.splitlines() == [f"{where}: entities[{index}]: {start}:{end} crosses a sentence boundary"]


def test_one_trigger_span_is_one_event_of_its_type(tmp_path):
    """Two events of one type on the same trigger (one verb, two deaths: guidelines 2.3) are refused in
    the gold, one line naming the second event; the same span with another type is allowed."""
    source = annotation_file(fmt.ROOT)
    doc = load_json(source)
    [first] = split_sentences(doc["text"])[:1]
    word = next(re.finditer(r"\w{3,}", doc["text"][first[0] : first[1]]))
    trigger = {"start": word.start() + first[0], "end": word.end() + first[0], "text": word.group()}

    def event(n: int, event_type: str) -> dict:
        return {"id": f"Vtest{n}", "type": event_type, "trigger": trigger, "arguments": [], "modality": "Asserted",
                "polarity": "Positive", "genericity": "Specific", "tense": "Past", "coref": f"Ctest{n}"}

    doc["events"] += [event(1, "Life:Die"), event(2, "Conflict:Attack")]
    path = tmp_path / source.name
    save_json(path, doc)
    assert run_khabar("validate", str(path)).returncode == 0
    doc["events"].append(event(3, "Life:Die"))
    save_json(path, doc)
    result = run_khabar("validate", str(path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    n = len(doc["events"])
    assert result.stderr.splitlines() == [f"{path}: events[{n - 1}].trigger: has the trigger and type of events[{n - 3}] (a trigger word is one event mention: give it all the participants)"]


def test_validating_one_file_applies_the_layout_rules_too(tmp_path):
    """`khabar validate FILE` (what annotators run on their pass) refuses what the build would: an event
    argument in another sentence than its trigger, one line naming the file and field; the file is kept."""
    source = annotation_file(fmt.ROOT)
    doc = load_json(source)
    first, second = (fmt.Span(*s) for s in split_sentences(doc["text"])[:2])
    trigger = next(m for m in re.finditer(r"\w{3,}", doc["text"][first.start : first.end]))
    person = next(m for m in doc["entities"] if m["type"] == "PERS" and second.start <= m["start"] and m["end"] <= second.end)
    doc["events"].append({"id": "Vtest", "type": "Contact:Meet", "trigger": {"start": trigger.start() + first.start, "end": trigger.end() + first.start, "text": trigger.group()},
                          "arguments": [{"role": "Entity", "mention": person["id"]}], "modality": "Asserted", "polarity": "Positive",
                          "genericity": "Specific", "tense": "Past", "coref": "Ctest"})
    path = tmp_path / source.name
    save_json(path, doc)
    written = path.read_bytes()
    result = run_khabar("validate", str(path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    [line] = result.stderr.splitlines()
    assert line.startswith(f"{path}: events[{len(doc['events']) - 1}].arguments[0].mention: {person['id']!r} lies in sentence 1, its trigger in sentence 0")
    assert path.read_bytes() == written


# --------------------------------------------------------------------------------------------------
# The values layer (ACE 2005's Crime and Sentence): a hand-made document, each bad case one exact line


def _value_problems(change) -> list[str]:
    from values_case import document_json

    from khabar.corpus import build
    from khabar.corpus import format as fmt

    obj = document_json()
    change(obj)
    found = fmt.check_document(obj, "values_case.json", seed_check=False)
    if not found:
        found = build.layout_problems(build.with_layout(fmt.document_from_json(obj)), "values_case.json")
    return [str(problem) for problem in found]


def _argument(obj, event: int, index: int) -> dict:
    return obj["events"][event]["arguments"][index]


def _replace_argument(obj, event: int, index: int, argument: dict) -> None:
    obj["events"][event]["arguments"][index] = argument


VALUE_CASES = {
    "unknown value": (lambda d: _argument(d, 0, 2).update(value="X9"), "events[0].arguments[2].value: unknown value 'X9'"),
    "value of the wrong type": (lambda d: _argument(d, 0, 2).update(value="X2"), "events[0].arguments[2].value: 'X2' is a Sentence value; 'Crime' takes a Crime value"),
    "value role given a mention": (
        lambda d: _replace_argument(d, 0, 2, {"role": "Crime", "mention": "T2"}),
        "events[0].arguments[2].mention: 'Crime' takes a Crime value (the values layer), not a mention",
    ),
    "entity role given a value": (
        lambda d: _replace_argument(d, 0, 1, {"role": "Person", "value": "X1"}),
        "events[0].arguments[1].value: 'Person' takes an entity mention, not a value",
    ),
    "both a mention and a value": (lambda d: _argument(d, 0, 2).update(mention="T2"), "events[0].arguments[2]: needs exactly one of 'mention' or 'value'"),
    "neither a mention nor a value": (lambda d: _argument(d, 0, 2).pop("value"), "events[0].arguments[2]: needs exactly one of 'mention' or 'value'"),
    "value id used by a mention": (
        lambda d: d["values"].append({"id": "T2", "type": "Sentence", **at("عشر سنوات")}),
        "values[3].id: duplicate id 'T2' (first used at entities[1].id)",
    ),
    "event id used by a value": (lambda d: d["events"][0].update(id="X3"), "events[0].id: duplicate id 'X3' (first used at values[2].id)"),
    "value type outside the inventory": (lambda d: d["values"][0].update(type="Fine"), "values[0].type: 'Fine' is not one of the allowed values"),
    "value text differs from the text": (lambda d: d["values"][0].update(text="السجن"), 'values[0].text: "السجن" does not match the text at 25:30, "القتل"'),
    "value on a mention's span": (
        lambda d: d["values"][0].update(start=14, end=18, text="أحمد"),
        "values[0]: has the same span as entities[1] (a span is one mention or one value)",
    ),
    "value in another sentence than its trigger": (
        lambda d: _argument(d, 0, 2).update(value="X3"),
        "events[0].arguments[2].value: 'X3' lies in sentence 1, its trigger in sentence 0 (an argument lies in its trigger's sentence)",
    ),
    "mention in another sentence than its trigger": (
        lambda d: _argument(d, 1, 0).update(mention="T1"),
        "events[1].arguments[0].mention: 'T1' lies in sentence 0, its trigger in sentence 1 (an argument lies in its trigger's sentence)",
    ),
    "value across a sentence boundary": (
        lambda d: d["values"][0].update(start=25, end=38, text=d["text"][25:38]),
        "values[0]: 25:38 crosses a sentence boundary",
    ),
}


def test_the_hand_made_value_document_is_valid():
    assert _value_problems(lambda d: None) == []


@pytest.mark.parametrize("name", sorted(VALUE_CASES))
def test_each_value_problem_is_one_named_line(name):
    change, expected = VALUE_CASES[name]
    assert _value_problems(change) == [f"values_case.json: {expected}"]


def test_a_value_problem_in_a_corpus_file_names_the_file_and_field(repo_copy):
    """Through ``khabar validate`` on the real corpus: a value whose argument lies in another sentence."""
    doc = load_json(annotation_file(repo_copy))
    text = doc["text"]
    first_line, second_line = text.index("\n"), text.index("\n", text.index("\n") + 1)
    word = next(m for m in re.finditer(r"\w{4,}", text[second_line:]) if m.start() > 2)
    value = {"id": "Xtest", "type": "Crime", "start": second_line + word.start(), "end": second_line + word.end(), "text": word.group()}
    trigger = next(m for m in re.finditer(r"\w{3,}", text[:first_line]))
    event = {"id": "Vtest", "type": "Justice:Arrest-Jail", "trigger": {"start": trigger.start(), "end": trigger.end(), "text": trigger.group()},
             "arguments": [{"role": "Crime", "value": "Xtest"}], "modality": "Asserted", "polarity": "Positive",
             "genericity": "Specific", "tense": "Past", "coref": "Ctest"}

    def change(d):
        d["values"] = [value]
        d["events"].append(event)

    where, written = corrupt(repo_copy, change)
    result = run_khabar("validate", root=repo_copy)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    index = len(doc["events"])
    [line] = result.stderr.splitlines()
    assert line.startswith(f"{where}: events[{index}].arguments[0].value: 'Xtest' lies in sentence ") and line.endswith("its trigger in sentence 0 (an argument lies in its trigger's sentence)")
    assert annotation_file(repo_copy).read_text(encoding="utf-8") == written
