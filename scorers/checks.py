"""Plausibility checks on a validated submission, before it is scored: patterns that are valid input
but almost always a mistake, reported as warnings by the CLI (see docs/metrics.md)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

PROCLITIC_LETTERS = frozenset("وفبلكال")
"""Letters of the proclitics a mention may start after inside a word (wa-, fa-, bi-, li-, ka-, al-):
the guidelines keep a proclitic outside the mention, so such a start is a boundary."""
LONGEST_PROCLITICS = 4
"""The most proclitic letters before a mention's start inside one word (وبال, wa-bi-al-)."""


def _word(char: str) -> bool:
    return char.isalnum()


def on_word_boundaries(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` ends at a word boundary and starts at one or after proclitics only.

    A span in token offsets or with an inclusive end (``end - 1``) ends inside a word, or past it by one
    character, almost everywhere a span in the right offsets does not."""
    if start >= end:
        return False
    ends_well = end == len(text) or not _word(text[end]) or not _word(text[end - 1])
    if not ends_well:
        return False
    if start == 0 or not _word(text[start - 1]) or not _word(text[start]):
        return True
    word_start = start
    while word_start > 0 and _word(text[word_start - 1]):
        word_start -= 1
    prefix = text[word_start:start]
    return len(prefix) <= LONGEST_PROCLITICS and set(prefix) <= PROCLITIC_LETTERS


def predicted_spans(prediction) -> Iterator[tuple[int, int]]:
    """Every span of a :class:`khabar.corpus.format.Prediction`: entities, quote parts, triggers, arguments."""
    for entity in prediction.entities or ():
        yield entity.start, entity.end
    for quote in prediction.quotes or ():
        for span in (quote.content, quote.cue, quote.source):
            if span is not None:
                yield span.start, span.end
    for event in prediction.events or ():
        yield event.trigger.start, event.trigger.end
        for argument in event.arguments:
            yield argument.start, argument.end


def off_boundary_spans(predictions: Mapping[str, object], gold: Mapping[str, object]) -> tuple[int, int]:
    """How many of a submission's spans are off word boundaries (:func:`on_word_boundaries`), of how many."""
    off = total = 0
    for doc_id, prediction in predictions.items():
        text = gold[doc_id].text
        for start, end in predicted_spans(prediction):
            total += 1
            off += not on_word_boundaries(text, start, end)
    return off, total
