"""`khabar validate` on corrupted copies of the real corpus: one exact line per problem, exit 1."""

from __future__ import annotations

import re

import pytest

from conftest import annotation_file, load_json, run_khabar, save_json


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
