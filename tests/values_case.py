"""A small hand-made document with the ``values`` layer (ACE 2005's Crime and Sentence), shared by the
format, validation, exchange, agreement and stats tests: two sentences, an arrest with its Crime and a
sentencing with its Crime and Sentence."""

from __future__ import annotations

import hashlib

TEXT = "اعتقلت الشرطة أحمد بتهمة القتل.\nوحكمت المحكمة عليه بالسجن عشر سنوات بتهمة القتل."


def at(phrase: str, occurrence: int = 0) -> dict:
    """``{"start", "end", "text"}`` of the ``occurrence``-th ``phrase`` in the text."""
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index(phrase, start + 1)
    return {"start": start, "end": start + len(phrase), "text": phrase}


ATTRIBUTES = {"modality": "Asserted", "polarity": "Positive", "genericity": "Specific", "tense": "Past"}


def document_json() -> dict:
    """The document in its JSON form, keys in canonical order (``format.document_to_json``'s)."""
    return {
        "id": "values_case",
        "text": TEXT,
        "meta": {"source_file": "seeds/values_case.txt", "sha256": hashlib.sha256(TEXT.encode("utf-8")).hexdigest(), "publisher": "hand-made", "language": "ar"},
        "clusters": [
            {"id": "E1", "type": "ORG", "canonical": "الشرطة"},
            {"id": "E2", "type": "PERS", "canonical": "أحمد"},
            {"id": "E3", "type": "ORG", "canonical": "المحكمة"},
        ],
        "entities": [
            {"id": "T1", **at("الشرطة"), "type": "ORG", "kind": "nominal", "entity": "E1"},
            {"id": "T2", **at("أحمد"), "type": "PERS", "kind": "name", "entity": "E2"},
            {"id": "T3", **at("المحكمة"), "type": "ORG", "kind": "nominal", "entity": "E3"},
            {"id": "T4", **at("ه", 1), "type": "PERS", "kind": "pronoun", "entity": "E2"},
        ],
        "values": [
            {"id": "X1", "type": "Crime", **at("القتل")},
            {"id": "X2", "type": "Sentence", **at("السجن عشر سنوات")},
            {"id": "X3", "type": "Crime", **at("القتل", 1)},
        ],
        "quotes": [],
        "events": [
            {"id": "V1", "type": "Justice:Arrest-Jail", "trigger": at("اعتقلت"),
             "arguments": [{"role": "Agent", "mention": "T1"}, {"role": "Person", "mention": "T2"}, {"role": "Crime", "value": "X1"}],
             **ATTRIBUTES, "coref": "C1"},
            {"id": "V2", "type": "Justice:Sentence", "trigger": at("حكمت"),
             "arguments": [{"role": "Adjudicator", "mention": "T3"}, {"role": "Defendant", "mention": "T4"},
                           {"role": "Sentence", "value": "X2"}, {"role": "Crime", "value": "X3"}],
             **ATTRIBUTES, "coref": "C2"},
        ],
    }
