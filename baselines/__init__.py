"""Khabar's baseline systems, each a function from a document's text to its prediction layers.

A baseline is a participant system like any other: it sees only the text (never a gold layer) and its
output is a prediction record in the official format (``docs/format.md``) without the ``id``, which
the runner adds. Two rule-based levels, each doing all three tasks, so that the results table compares
them row by row, and one trained entity tagger:

* ``rules``: the gazetteer-and-rules entity tagger, the cue-lexicon quote extractor with speakers taken
  from those entities, and the trigger lexicon with arguments by nearest compatible entity;
* ``trivial``: the reference that shows what the rules add: gazetteer lookup alone, one quote per
  sentence with a cue, one argument-less event per trigger word;
* ``crf``: the learned reference for entities only (no quotes or events): a linear-chain CRF trained on
  the WojoodNER sample (:mod:`khabar.baselines.crf`).

Each module's docstring says where its word lists come from (CLDR via Babel, or our own lists written
from general knowledge of Arabic and the news domain).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

from khabar.baselines import crf, entities, events, quotes
from khabar.baselines.arabic import Tokens

Layers = dict[str, list[dict]]


@dataclass(frozen=True)
class Baseline:
    name: str
    description: str
    predict: Callable[[str], Layers]


def predict_record(baseline: Baseline, doc_id: str, text: str) -> dict:
    """One prediction record, ``{"id", "entities", "quotes", "events"}``: what ``khabar baseline run``
    writes for a document and what evaluation scores."""
    return {"id": doc_id, **baseline.predict(text)}


def predict_records(baseline: Baseline, documents: Iterable[tuple[str, str]]) -> Iterator[dict]:
    """Prediction records for ``(id, text)`` pairs, in input order, one at a time."""
    for doc_id, text in documents:
        yield predict_record(baseline, doc_id, text)


def predict_rules(text: str) -> Layers:
    tokens = Tokens.of(text)
    found = entities.tag_rules(tokens)
    return {
        "entities": found,
        "quotes": quotes.extract_rules(tokens, found),
        "events": events.extract_rules(tokens, found),
    }


def predict_trivial(text: str) -> Layers:
    tokens = Tokens.of(text)
    return {
        "entities": entities.tag_gazetteer(tokens),
        "quotes": quotes.extract_trivial(tokens),
        "events": events.extract_trivial(tokens),
    }


def predict_crf(text: str) -> Layers:
    return {"entities": crf.tag_crf(Tokens.of(text))}


BASELINES: dict[str, Baseline] = {
    baseline.name: baseline
    for baseline in (
        Baseline(
            "rules",
            "gazetteer and rules for entities, cue lexicon with speakers for quotes, trigger lexicon with nearest-entity arguments for events",
            predict_rules,
        ),
        Baseline(
            "crf",
            "entities only: a linear-chain CRF over word, affix, clitic, shape and gazetteer features, trained on the WojoodNER sample",
            predict_crf,
        ),
        Baseline(
            "trivial",
            "reference: gazetteer lookup for entities, one quote per sentence with a cue, one argument-less event per trigger word",
            predict_trivial,
        ),
    )
}
