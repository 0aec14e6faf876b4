"""Quote scoring: content spans (exact and token overlap), cues, sources, types, and end-to-end
attribution, the headline.

Quotes are plain records (:class:`GoldQuote`, :class:`SystemQuote`) of character spans. A gold quote
carries its speaker as the spans of *every* mention of the speaker's cluster, so that a system naming
the speaker by any of its mentions (a name, a title, a pronoun) gets the credit. The exact definitions,
and where they follow or depart from PARC and Johansson and Moschitti (2013), are in ``docs/metrics.md``:

================  ==========================================================================================
metric            what is counted
================  ==========================================================================================
end_to_end        quotes paired one-to-one by content overlap; a pair is correct when its source names the speaker
content_exact     the set of content spans ``(start, end)``
content_overlap   the set of tokens inside some content span (token-level precision and recall)
cue_exact         the set of cue spans ``(start, end)``
source            on pairs matched by content overlap: the predicted source span is a mention of the speaker
type              on pairs matched by content overlap: direct / indirect / mixed agree
================  ==========================================================================================

Per-type rows (``direct``, ``indirect``, ``mixed``) re-run each metric on the quotes of that type alone
(both sides), like the entity scorer's per-type rows; for ``type`` they are the per-class rows of a
classification report over the matched pairs (gold class for recall, predicted class for precision).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from khabar.corpus.format import labels
from khabar.corpus.tokenize import tokenize
from khabar.scorers.core import (
    DEFAULT_RESAMPLES,
    DEFAULT_SEED,
    OVERALL,
    Key,
    Tally,
    UnitId,
    maximum_match,
    overlapping_pairs,
)
from khabar.scorers.keys import count_once, first_units, record_keys
from khabar.scorers.report import Report
from khabar.scorers.units import Units, sentence_starts_of

Span = tuple[int, int]

METRICS = ("end_to_end", "content_exact", "content_overlap", "cue_exact", "source", "type")
"""In display order; the first, end-to-end attribution, is the headline of the results table."""


class GoldQuote(NamedTuple):
    type: str
    content: Span
    cue: Span | None
    speaker: frozenset[Span] | None
    """The spans of every mention of the speaker's cluster; ``None`` when the quote has no speaker."""


class SystemQuote(NamedTuple):
    type: str
    content: Span
    cue: Span | None
    source: Span | None


# --------------------------------------------------------------------------------------------------
# Tokens and matching


class Tokens:
    """A document's tokens (sorted, non-overlapping spans), to find which of them a span touches."""

    def __init__(self, spans: Sequence[Span]):
        self.starts = [start for start, _ in spans]
        self.ends = [end for _, end in spans]

    def within(self, span: Span) -> range:
        """Indices of the tokens that share at least one character with ``span``."""
        return range(bisect_right(self.ends, span[0]), bisect_left(self.starts, span[1]))


def shared_tokens(a: range, b: range) -> int:
    return max(0, min(a.stop, b.stop) - max(a.start, b.start))


def speaker_is_right(gold: GoldQuote, predicted: SystemQuote) -> bool:
    """The predicted source names the gold speaker: its span is a mention of the speaker's cluster (or,
    for a gold quote without a speaker, no source is predicted)."""
    if gold.speaker is None:
        return predicted.source is None
    return predicted.source in gold.speaker


def match_quotes(
    gold: Sequence[GoldQuote], predicted: Sequence[SystemQuote], tokens: Tokens, *, prefer_right_speaker: bool
) -> list[tuple[int, int]]:
    """One-to-one ``(prediction_index, gold_index)`` pairs of quotes whose contents share a token; both
    sides in canonical order (sorted by content).

    Pairs are taken by :func:`khabar.scorers.core.maximum_match`: most shared tokens first, ties to the
    earlier prediction then the earlier gold quote in canonical order, grown to as many pairs as any
    one-to-one pairing has; with ``prefer_right_speaker`` pairs with the right speaker form the first
    tier, so that no right attribution is lost to a larger overlap with another quote or to the order of
    taking.
    """
    predicted_tokens = [tokens.within(q.content) for q in predicted]
    gold_tokens = [tokens.within(q.content) for q in gold]
    candidates = []
    for p, g in overlapping_pairs(_as_spans(predicted_tokens), _as_spans(gold_tokens)):
        shared = shared_tokens(predicted_tokens[p], gold_tokens[g])
        if shared:
            wrong = prefer_right_speaker and not speaker_is_right(gold[g], predicted[p])
            candidates.append(((wrong, -shared), p, g))
    return sorted((p, g) for p, g, _ in maximum_match(candidates))


def _as_spans(ranges: Sequence[range]) -> list[tuple[int, int]]:
    """Token index ranges as ``(start, end)`` spans, for :func:`~khabar.scorers.core.overlapping_pairs`
    (quotes in canonical order start at non-decreasing tokens)."""
    return [(r.start, r.stop) for r in ranges]


# --------------------------------------------------------------------------------------------------
# Tallying


def _record_scope(
    tally: Tally, label: str, gold: Sequence[GoldQuote], predicted: Sequence[SystemQuote], tokens: Tokens, units: Units
) -> list[tuple[int, int]]:
    """Record every metric but ``type`` for one scope (all quotes, or those of one type) under ``label``;
    returns the content-overlap pairs, which ``type`` reads."""
    gold_unit = [units.locate(q.content[0]) for q in gold]
    predicted_unit = [units.locate(q.content[0]) for q in predicted]

    def leftmost(spans: Iterable[Span | None]) -> dict[Span, UnitId]:
        return first_units(((span, span[0]) for span in spans if span is not None), units.locate)

    def covered(quotes: Iterable[GoldQuote | SystemQuote]) -> dict[int, UnitId]:
        return {t: units.locate(tokens.starts[t]) for q in quotes for t in tokens.within(q.content)}

    record_keys(tally, ("content_exact", label), leftmost(q.content for q in gold), leftmost(q.content for q in predicted))
    record_keys(tally, ("cue_exact", label), leftmost(q.cue for q in gold), leftmost(q.cue for q in predicted))

    record_keys(tally, ("content_overlap", label), covered(gold), covered(predicted))

    attributed = match_quotes(gold, predicted, tokens, prefer_right_speaker=True)
    for p, g in attributed:
        tally.record(gold_unit[g], (("end_to_end", label), "tp" if speaker_is_right(gold[g], predicted[p]) else "incorrect"))
    _record_unmatched(tally, ("end_to_end", label), attributed, gold_unit, predicted_unit)

    pairs = match_quotes(gold, predicted, tokens, prefer_right_speaker=False)
    for p, g in pairs:
        has_speaker, has_source = gold[g].speaker is not None, predicted[p].source is not None
        if has_speaker and has_source:
            field = "tp" if speaker_is_right(gold[g], predicted[p]) else "incorrect"
        elif has_speaker or has_source:
            field = "fn" if has_speaker else "fp"
        else:
            continue
        tally.record(gold_unit[g], (("source", label), field))
    return pairs


def _record_unmatched(
    tally: Tally,
    metric_key: Key,
    pairs: Sequence[tuple[int, int]],
    gold_unit: Sequence[UnitId],
    predicted_unit: Sequence[UnitId],
) -> None:
    """Unpaired predictions are false positives, unpaired gold quotes misses."""
    matched_predictions = {p for p, _ in pairs}
    matched_gold = {g for _, g in pairs}
    for p, unit in enumerate(predicted_unit):
        if p not in matched_predictions:
            tally.record(unit, (metric_key, "fp"))
    for g, unit in enumerate(gold_unit):
        if g not in matched_gold:
            tally.record(unit, (metric_key, "fn"))


def record_document(
    tally: Tally, gold: Iterable[GoldQuote], predicted: Iterable[SystemQuote], tokens: Sequence[Span], units: Units
) -> None:
    """Record one document's outcomes for every metric, overall and per quote type.

    Both sides are made canonical first: sorted, and a quote written twice counts once.
    """
    gold = sorted(set(gold), key=_order)
    predicted = sorted(set(predicted), key=_order)
    index = Tokens(tokens)
    pairs = _record_scope(tally, OVERALL, gold, predicted, index, units)
    for p, g in pairs:
        gold_type, predicted_type = gold[g].type, predicted[p].type
        unit = units.locate(gold[g].content[0])
        if gold_type == predicted_type:
            tally.record(unit, (("type", OVERALL), "tp"))
            tally.record(unit, (("type", gold_type), "tp"))
        else:
            tally.record(unit, (("type", OVERALL), "incorrect"))
            tally.record(unit, (("type", predicted_type), "fp"))
            tally.record(unit, (("type", gold_type), "fn"))
    for quote_type in sorted({q.type for q in gold} | {q.type for q in predicted}):
        _record_scope(
            tally,
            quote_type,
            [q for q in gold if q.type == quote_type],
            [q for q in predicted if q.type == quote_type],
            index,
            units,
        )


def _order(quote: GoldQuote | SystemQuote) -> tuple:
    """A total order on quotes (``None`` before any span; speaker sets compared as sorted lists)."""
    last = quote[3]
    return (
        quote.content,
        quote.type,
        (0, ()) if quote.cue is None else (1, quote.cue),
        (0, ()) if last is None else (1, tuple(sorted(last)) if isinstance(last, frozenset) else last),
    )


# --------------------------------------------------------------------------------------------------
# Public API


def score_quote_spans(
    *,
    gold: Mapping[str, Iterable[GoldQuote]],
    predictions: Mapping[str, Iterable[SystemQuote]],
    tokens: Mapping[str, Sequence[Span]],
    sentence_starts: Mapping[str, Sequence[int]] | None = None,
    bootstrap: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    label_order: Sequence[str] = (),
) -> Report:
    """Score predicted against gold quotes given as plain spans, per document id.

    ``tokens`` maps each document id to its token spans (sorted), which the overlap metrics count in.
    ``sentence_starts`` makes sentences the units of resampling; without it documents are. A document
    missing from ``predictions`` predicts no quote. ``bootstrap`` is the number of resamples (0: none).
    """
    unknown = sorted(set(predictions) - set(gold))
    if unknown:
        raise ValueError(f"predictions for documents not in the gold: {', '.join(unknown[:5])}")
    tally = Tally(count_once)
    for doc_id in sorted(gold):
        units = Units.of(doc_id, sentence_starts.get(doc_id) if sentence_starts else None)
        for unit in units.ids:
            tally.add_unit(unit)
        record_document(tally, gold[doc_id], predictions.get(doc_id, ()), tokens[doc_id], units)
    board = tally.scoreboard()
    return Report.with_intervals(
        task="quotes",
        board=board,
        metrics=METRICS,
        options={"unit": "sentence" if sentence_starts else "document"},
        resamples=bootstrap,
        seed=seed,
        label_order=label_order,
    )


def gold_quotes(document) -> list[GoldQuote]:
    """A :class:`khabar.corpus.format.Document`'s quotes as plain records. The speaker is the quote's
    ``speaker`` cluster, or the cluster of its ``source`` mention when ``speaker`` is null."""
    quotes = []
    for quote in document.quotes:
        cluster = quote.speaker
        if cluster is None and quote.source is not None:
            cluster = document.mention(quote.source).entity
        speaker = None if cluster is None else frozenset((m.start, m.end) for m in document.entities if m.entity == cluster)
        quotes.append(GoldQuote(quote.type, _pair(quote.content), _pair(quote.cue), speaker))
    return quotes


def system_quotes(prediction) -> list[SystemQuote]:
    """A :class:`khabar.corpus.format.Prediction`'s quotes as plain records (none when it is ``None`` or
    has no quote layer)."""
    quotes = getattr(prediction, "quotes", None) or ()
    return [SystemQuote(q.type, _pair(q.content), _pair(q.cue), _pair(q.source)) for q in quotes]


def document_tokens(document) -> list[Span]:
    """The document's token spans; :func:`khabar.corpus.tokenize.tokenize` of its text when it has none."""
    if document.tokens:
        return [(t.start, t.end) for t in document.tokens]
    return [tuple(t) for t in tokenize(document.text)]


def score_quotes(
    *,
    gold: Iterable,
    predictions: Mapping[str, object],
    unit: str = "auto",
    bootstrap: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> Report:
    """Score a submission's quotes against gold documents.

    ``gold`` holds :class:`khabar.corpus.format.Document` objects; ``predictions`` maps a document id to
    a :class:`khabar.corpus.format.Prediction` (a document missing, or whose ``quotes`` is ``None``, is
    scored as predicting none). ``unit`` is ``"sentence"``, ``"document"`` or ``"auto"``.
    """
    documents = list(gold)
    return score_quote_spans(
        gold={doc.id: gold_quotes(doc) for doc in documents},
        predictions={doc.id: system_quotes(predictions.get(doc.id)) for doc in documents},
        tokens={doc.id: document_tokens(doc) for doc in documents},
        sentence_starts=sentence_starts_of(documents, unit),
        bootstrap=bootstrap,
        seed=seed,
        label_order=labels()["quote_types"],
    )


def _pair(span) -> Span | None:
    return None if span is None else (span.start, span.end)
