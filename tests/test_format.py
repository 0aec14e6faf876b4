"""The format module: round trips and the seed article."""

from __future__ import annotations

import gc
import hashlib
import json
import socket

import pytest

from khabar.corpus import format as fmt

SEED = "seeds/000_0d083f3321f654a4.txt"
SEED_SHA256 = "f36ad5bd6216021b0876f2320bf3705cec6d31ddb3170cfaf3d711f9b1761630"


def test_seed_article_is_byte_identical_to_the_source():
    assert hashlib.sha256((fmt.ROOT / SEED).read_bytes()).hexdigest() == SEED_SHA256


def test_seed_index_lists_every_seed_with_its_hash():
    index = fmt.read_json_file(fmt.SEEDS_DIR / "index.json")["documents"]
    listed = {entry["file"] for entry in index}
    assert listed == {f"seeds/{p.name}" for p in fmt.SEEDS_DIR.glob("*.txt")}
    for entry in index:
        assert hashlib.sha256((fmt.ROOT / entry["file"]).read_bytes()).hexdigest() == entry["sha256"]
        assert entry["language"] == "ar"


def test_annotation_round_trip_is_byte_identical():
    for path in fmt.annotation_paths():
        original = path.read_text(encoding="utf-8")
        assert fmt.dumps_annotation(fmt.read_annotation(path)) == original, path


def test_built_document_round_trip_is_byte_identical():
    for path in fmt.gold_files():
        lines = path.read_text(encoding="utf-8").splitlines()
        documents = fmt.load_corpus(path)
        assert lines and [fmt.dumps_line(fmt.document_to_json(doc)) for doc in documents] == lines


def test_document_text_is_the_seed_text(corpus):
    for doc in corpus:
        assert doc.text == (fmt.ROOT / doc.meta["source_file"]).read_bytes().decode("utf-8")


def test_prediction_round_trip(gold, tmp_path):
    doc = next(iter(gold.values()))
    mention = doc.entities[0]
    prediction = fmt.Prediction(
        id=doc.id,
        entities=(fmt.PredictedEntity(mention.start, mention.end, mention.type),),
        quotes=(fmt.PredictedQuote("direct", fmt.Span(mention.start, mention.end), None, fmt.Span(mention.start, mention.end)),),
        events=(fmt.PredictedEvent("Contact:Meet", fmt.Span(mention.start, mention.end), (fmt.PredictedArgument("Entity", mention.start, mention.end),)),),
    )
    path = tmp_path / "pred.jsonl"
    fmt.write_predictions([prediction], path, {doc.id: doc.text})
    assert fmt.read_predictions(path, gold) == {doc.id: prediction}


def test_labels_come_from_the_schema_folder():
    inventory = fmt.labels()
    assert len(inventory["entity_types"]) == 21
    assert len(inventory["event_types"]) == 33
    assert inventory["event_roles"]["Contact:Meet"][:2] == ("Entity", "Place")
    assert "Place" not in inventory["event_roles"]["Movement:Transport"]
    assert all(role in roles for roles in inventory["event_roles"].values() for role in inventory["time_roles"])


def test_a_bad_token_span_in_a_built_file_is_named(tmp_path):
    # The layout arrays are checked in bulk for speed; a bad one must still get its own line.
    line = fmt.gold_files()[0].read_text(encoding="utf-8").splitlines()[0]
    doc = json.loads(line)
    doc["tokens"][3] = {"start": doc["tokens"][3]["end"], "end": doc["tokens"][3]["start"]}
    doc["sentences"][1]["end"] = len(doc["text"]) + 1
    path = tmp_path / "documents.jsonl"
    path.write_text(json.dumps(doc, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(fmt.InputError) as error:
        fmt.load_corpus(path)
    lines = str(error.value).splitlines()
    token, sentence = doc["tokens"][3], doc["sentences"][1]
    assert f"{path}:1: sentences[1].end: {sentence['end']} is past the end of the text ({len(doc['text'])} characters)" in lines
    assert f"{path}:1: tokens[3].start: {token['start']} is not before end {token['end']}" in lines


def test_schema_references_outside_our_files_are_refused_not_fetched(monkeypatch):
    # Both validators (the fast yes/no one and the one that explains) resolve $ref among schema/ only:
    # a reference elsewhere fails at once, naming it (a connection from Python would fail the test).
    def no_network(*args, **kwargs):
        raise AssertionError("a schema reference was fetched over the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    remote = "https://example.org/remote.schema.json"
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://khabar.example/schema/document.schema.json",
        "properties": {"text": {"$ref": remote}},
    }
    monkeypatch.setattr(fmt, "_schema_resources", lambda: {"document.schema.json": schema})
    for build in (fmt._fast_check, fmt._validator):
        build.cache_clear()
    try:
        with pytest.raises(Exception, match=remote):
            fmt._fast_check("document.schema.json")
        with pytest.raises(Exception, match=remote):
            list(fmt._validator("document.schema.json").iter_errors({"text": "x"}))
    finally:
        fmt._fast_check.cache_clear()
        fmt._validator.cache_clear()


def test_collector_is_paused_while_reading_and_restored_after():
    assert gc.isenabled()
    with fmt.collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError), fmt.collector_paused():
        raise ValueError("a reading error")
    assert gc.isenabled()
    gc.disable()  # a caller that runs without the collector keeps it off
    try:
        with fmt.collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_gold_as_a_prediction_names_a_sourceless_speaker_by_its_first_mention():
    # «قال: نعم.» after a sentence naming the speaker: the quote has no source mention (dropped subject)
    # but a speaker cluster, so the prediction names the speaker by the cluster's first mention (0:3)
    text = "علي هنا. وقال إنه يوافق."
    mentions = (fmt.Mention("T1", 0, 3, "علي", "PERS", "name", "E1"), fmt.Mention("T2", 15, 16, "ه", "PERS", "pronoun", "E1"))
    quote = fmt.Quote("Q1", "indirect", fmt.Span(17, 23), fmt.Span(10, 13), None, "E1")
    doc = fmt.Document("d", text, {}, entities=mentions, clusters=(fmt.Cluster("E1", "PERS", "علي"),), quotes=(quote,))
    (predicted,) = fmt.prediction_from_document(doc).quotes
    assert predicted.source == fmt.Span(0, 3)
    silent = fmt.Document("d", text, {}, entities=mentions, clusters=doc.clusters, quotes=(fmt.Quote("Q1", "indirect", fmt.Span(17, 23), fmt.Span(10, 13), None, None),))
    assert fmt.prediction_from_document(silent).quotes[0].source is None


def test_values_round_trip_and_are_omitted_when_there_are_none(tmp_path):
    from values_case import document_json

    obj = document_json()
    doc = fmt.document_from_json(obj)
    assert [(v.id, v.type, v.text) for v in doc.values] == [("X1", "Crime", "القتل"), ("X2", "Sentence", "السجن عشر سنوات"), ("X3", "Crime", "القتل")]
    crime = doc.events[0].arguments[2]
    assert (crime.mention, crime.value) == (None, "X1") and doc.filler(crime) == doc.values[0]
    assert doc.filler(doc.events[0].arguments[1]) == doc.mention("T2")
    assert fmt.document_to_json(doc) == obj
    path = tmp_path / "values_case.json"
    fmt.write_annotation(doc, path)
    assert list(json.loads(path.read_text(encoding="utf-8"))) == ["id", "text", "meta", "clusters", "entities", "values", "quotes", "events"]
    assert fmt.read_annotation(path, seed_check=False) == doc

    without = {key: value for key, value in obj.items() if key != "values"}
    without["events"] = [{**event, "arguments": [a for a in event["arguments"] if "value" not in a]} for event in obj["events"]]
    assert fmt.check_document(without, "x", seed_check=False) == []
    assert "values" not in fmt.document_to_json(fmt.document_from_json(without))
    assert '"values"' not in fmt.dumps_annotation(fmt.document_from_json(without))


def test_a_value_argument_is_predicted_as_its_span():
    from values_case import document_json

    doc = fmt.document_from_json(document_json())
    arguments = fmt.prediction_from_document(doc).events[1].arguments
    assert [(a.role, doc.text[a.start : a.end]) for a in arguments] == [
        ("Adjudicator", "المحكمة"), ("Defendant", "ه"), ("Sentence", "السجن عشر سنوات"), ("Crime", "القتل")
    ]
