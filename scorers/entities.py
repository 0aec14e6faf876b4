"""Entity scoring: the SemEval-2013 schemas as nervaluate 1.2.1 defines them, flat or nested, plus a
clitic-tolerant boundary match for Arabic.

An entity is a plain ``(start, end, type)`` tuple (end-exclusive offsets). For each document both sides
are de-duplicated (a span predicted twice counts once) and sorted, and each metric pairs predictions
with gold entities by :func:`khabar.scorers.core.greedy_match` over the pairs that overlap, best rank
first (see ``docs/metrics.md`` for the table of ranks):

==============  =================================================  ==============================
metric          a pair earns full credit when                       other overlapping pairs
==============  =================================================  ==============================
strict          same span and type                                  incorrect
exact           same span                                           incorrect
partial         same span                                           partial (half credit)
type            same type (closest boundaries first)                incorrect
strict_clitic   same type, span equal up to one leading clitic      incorrect
exact_clitic    span equal up to one leading clitic                 incorrect
==============  =================================================  ==============================

Per-type rows re-run the matching on the entities of that type alone, as nervaluate does, so they do
not sum to the overall row for schemas that ignore the type.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import NamedTuple

from khabar.scorers.core import (
    CORRECT,
    DEFAULT_RESAMPLES,
    DEFAULT_SEED,
    INCORRECT,
    OVERALL,
    PARTIAL,
    Counts,
    Key,
    Tally,
    UnitId,
    greedy_match,
    overlapping_pairs,
)
from khabar.scorers.report import Report
from khabar.corpus.format import labels, ner_mentions
from khabar.scorers.units import Units, sentence_starts_of

Entity = tuple[int, int, str]

SCHEMAS = ("strict", "exact", "partial", "type")
CLITIC_METRICS = ("strict_clitic", "exact_clitic")
METRICS = SCHEMAS + CLITIC_METRICS
LAYERS = ("flat", "nested")

CLITICS = frozenset({"و", "ف", "ب", "ل", "ك", "ال"})
"""Leading clitics a boundary may differ by in the clitic-tolerant metrics: wa-, fa-, bi-, li-, ka-, al-."""

MIN_OVERLAP_PERCENT = 1
"""nervaluate's default ``min_overlap_percentage``: a pair overlaps when the shared characters are at
least 1% of the gold span (only spans over 100 characters can overlap by less)."""


# --------------------------------------------------------------------------------------------------
# Layers


def outermost(entities: Iterable[Entity]) -> list[Entity]:
    """The entities whose span lies inside no other, larger, span (of any type); the flat layer."""
    unique = sorted(set(entities))
    if all(a[1] <= b[0] for a, b in zip(unique, unique[1:])):
        return unique  # nothing overlaps: all are outermost
    extents = sorted({(start, end) for start, end, _ in unique}, key=lambda se: (se[0], -se[1]))
    keep, reach = set(), -1
    for start, end in extents:
        if end > reach:
            keep.add((start, end))
            reach = end
    return [e for e in unique if (e[0], e[1]) in keep]


def layer_of(entities: Iterable[Entity], layer: str) -> list[Entity]:
    """The entities scored in ``layer``: outermost only (``flat``) or all (``nested``), de-duplicated
    and sorted."""
    if layer == "flat":
        return outermost(entities)
    if layer == "nested":
        return sorted(set(entities))
    raise ValueError(f"layer must be one of {', '.join(LAYERS)}, not {layer!r}")


# --------------------------------------------------------------------------------------------------
# Matching


def differs_by_clitic(text: str, a: Entity, b: Entity) -> bool:
    """Whether spans ``a`` and ``b`` end together and the longer one only adds a leading clitic."""
    if a[1] != b[1] or a[0] == b[0]:
        return False
    return text[min(a[0], b[0]) : max(a[0], b[0])] in CLITICS


class _Pair(NamedTuple):
    """An overlapping (prediction, gold) pair and what the ranks need to know of it."""

    p: int
    g: int
    same_span: bool
    same_type: bool
    clitic: bool
    distance: int


def _pair(p: int, g: int, pred: Entity, gold: Entity, text: str | None) -> _Pair:
    return _Pair(
        p,
        g,
        pred[0] == gold[0] and pred[1] == gold[1],
        pred[2] == gold[2],
        text is not None and differs_by_clitic(text, pred, gold),
        abs(pred[0] - gold[0]) + abs(pred[1] - gold[1]),
    )


Rank = Callable[[_Pair], tuple[tuple[int, int], str]]
"""A metric: an overlapping pair's rank (smaller is preferred) and the credit it earns if matched."""


def _strict(pair: _Pair) -> tuple[tuple[int, int], str]:
    return ((0, 0), CORRECT) if pair.same_span and pair.same_type else ((1, 0), INCORRECT)


def _exact(pair: _Pair) -> tuple[tuple[int, int], str]:
    if pair.same_span:
        return (0, 0 if pair.same_type else 1), CORRECT
    return (1, 0), INCORRECT


def _partial(pair: _Pair) -> tuple[tuple[int, int], str]:
    if pair.same_span:
        return (0, 0 if pair.same_type else 1), CORRECT
    return (1, 0), PARTIAL


def _type(pair: _Pair) -> tuple[tuple[int, int], str]:
    return ((0, pair.distance), CORRECT) if pair.same_type else ((1, 0), INCORRECT)


def _strict_clitic(pair: _Pair) -> tuple[tuple[int, int], str]:
    if pair.same_type and (pair.same_span or pair.clitic):
        return (0, 0 if pair.same_span else 1), CORRECT
    return (1, 0), INCORRECT


def _exact_clitic(pair: _Pair) -> tuple[tuple[int, int], str]:
    if pair.same_span or pair.clitic:
        return (0, 2 * (not pair.same_span) + (not pair.same_type)), CORRECT
    return (1, 0), INCORRECT


RANKS: Mapping[str, Rank] = {
    "strict": _strict,
    "exact": _exact,
    "partial": _partial,
    "type": _type,
    "strict_clitic": _strict_clitic,
    "exact_clitic": _exact_clitic,
}


def _overlapping(predicted: Sequence[Entity], gold: Sequence[Entity]) -> list[tuple[int, int]]:
    """The overlapping ``(prediction, gold)`` index pairs that pass nervaluate's minimum overlap (a share
    of the gold span)."""
    return [
        (p, g)
        for p, g in overlapping_pairs(predicted, gold)
        if 100 * (min(predicted[p][1], gold[g][1]) - max(predicted[p][0], gold[g][0]))
        >= MIN_OVERLAP_PERCENT * (gold[g][1] - gold[g][0])
    ]


def _resolve(pairs: Sequence[_Pair], rank: Rank) -> list[tuple[_Pair, str]]:
    """The pairs that ``rank`` chooses (:func:`~khabar.scorers.core.greedy_match`), with their credit."""
    ranks = {(pair.p, pair.g): rank(pair) for pair in pairs}
    by_index = {(pair.p, pair.g): pair for pair in pairs}
    chosen = greedy_match((r, p, g) for (p, g), (r, _) in ranks.items())
    return [(by_index[p, g], ranks[p, g][1]) for p, g, _ in chosen]


def match(
    gold: Sequence[Entity], predicted: Sequence[Entity], metric: str, text: str | None = None
) -> tuple[list[tuple[int, int, str]], list[int], list[int]]:
    """Match one document's entities under ``metric``.

    ``gold`` and ``predicted`` are canonical: de-duplicated and sorted (see :func:`layer_of`).
    Returns the matched ``(prediction_index, gold_index, credit)`` triples, then the indices of the
    unmatched predictions (spurious) and of the unmatched gold entities (missed).
    """
    pairs = [_pair(p, g, predicted[p], gold[g], text) for p, g in _overlapping(predicted, gold)]
    matched = _resolve(pairs, RANKS[metric])
    used_predictions = {pair.p for pair, _ in matched}
    used_gold = {pair.g for pair, _ in matched}
    return (
        sorted((pair.p, pair.g, credit) for pair, credit in matched),
        [p for p in range(len(predicted)) if p not in used_predictions],
        [g for g in range(len(gold)) if g not in used_gold],
    )


# --------------------------------------------------------------------------------------------------
# Tallying
#
# A document's outcomes are recorded as events, one per entity or pair, that each metric then reads:
#   ("pair", same_span, same_type, clitic, gold_type, predicted_type)  an overlapping pair, matched
#   ("spurious", type) / ("missed", type)                             an unmatched prediction / gold
#   ("count", key, field)                                             one count, when ranks compete
# An overlapping pair whose two entities overlap nothing else is matched under every metric, so it is
# recorded once for all metrics; entities that overlap two or more of the other side are contested, and
# each metric matches those on its own.

_FIELD = {CORRECT: "tp", PARTIAL: "partial", INCORRECT: "incorrect"}


def _effects(metrics: Sequence[str]) -> Callable[[tuple], list[tuple[Key, str]]]:
    """What each event counts, under each of ``metrics``, overall and per type."""

    def expand(event: tuple) -> list[tuple[Key, str]]:
        kind = event[0]
        if kind == "count":
            return [(event[1], event[2])]
        if kind in ("spurious", "missed"):
            field = "fp" if kind == "spurious" else "fn"
            return [((metric, label), field) for metric in metrics for label in (OVERALL, event[1])]
        _, same_span, same_type, clitic, gold_type, predicted_type = event
        pair = _Pair(0, 0, same_span, same_type, clitic, 0)
        effects = []
        for metric in metrics:
            credit = _FIELD[RANKS[metric](pair)[1]]
            effects.append(((metric, OVERALL), credit))
            if same_type:
                effects.append(((metric, gold_type), credit))
            else:
                effects += [((metric, predicted_type), "fp"), ((metric, gold_type), "fn")]
        return effects

    return expand


def _pair_event(predicted: Entity, gold: Entity, text: str | None) -> tuple:
    return (
        "pair",
        predicted[0] == gold[0] and predicted[1] == gold[1],
        predicted[2] == gold[2],
        text is not None and differs_by_clitic(text, predicted, gold),
        gold[2],
        predicted[2],
    )


def _record_document(
    tally: Tally,
    gold: Sequence[Entity],
    predicted: Sequence[Entity],
    text: str | None,
    units: Units,
    metrics: Sequence[str],
) -> None:
    """Record one document's outcomes; ``gold`` and ``predicted`` are canonical (:func:`layer_of`).

    Per-type counts come from matching the entities of that type alone (nervaluate's per-type rows):
    an overlapping pair of two types is no pair there, so its prediction is spurious in its type and its
    gold entity missed in its own. Outcomes go to the unit of the gold entity (a pair, a miss) or of the
    prediction (a spurious one).
    """
    gold_units = units.locate_all([e[0] for e in gold])
    predicted_units = units.locate_all([e[0] for e in predicted])
    pairs = _overlapping(predicted, gold)
    paired_predictions = {p for p, _ in pairs}
    paired_gold = {g for _, g in pairs}
    contested = []
    if len(paired_predictions) == len(paired_gold) == len(pairs):
        simple = pairs
    else:
        pairs_of_prediction = Counter(p for p, _ in pairs)
        pairs_of_gold = Counter(g for _, g in pairs)
        simple = [(p, g) for p, g in pairs if pairs_of_prediction[p] == 1 and pairs_of_gold[g] == 1]
        contested = [
            _pair(p, g, predicted[p], gold[g], text)
            for p, g in pairs
            if pairs_of_prediction[p] > 1 or pairs_of_gold[g] > 1
        ]
    event_units = [gold_units[g] for _, g in simple]
    events = [_pair_event(predicted[p], gold[g], text) for p, g in simple]
    for p, entity in enumerate(predicted):
        if p not in paired_predictions:
            event_units.append(predicted_units[p])
            events.append(("spurious", entity[2]))
    for g, entity in enumerate(gold):
        if g not in paired_gold:
            event_units.append(gold_units[g])
            events.append(("missed", entity[2]))
    if len(units.starts) == 1:
        tally.record_in(units.locate(0), events)
    else:
        tally.record_all(event_units, events)
    if contested:
        _record_contested(tally, contested, gold, predicted, gold_units, predicted_units, metrics)


def _record_contested(
    tally: Tally,
    pairs: Sequence[_Pair],
    gold: Sequence[Entity],
    predicted: Sequence[Entity],
    gold_units: Sequence[UnitId],
    predicted_units: Sequence[UnitId],
    metrics: Sequence[str],
) -> None:
    """Where an entity overlaps two of the other side, each metric's ranks decide the pairs (metrics
    whose ranks order the pairs alike share one matching)."""
    contested_predictions = sorted({pair.p for pair in pairs})
    contested_gold = sorted({pair.g for pair in pairs})
    same_type = [pair for pair in pairs if pair.same_type]
    units, events = [], []
    matchings: dict[tuple, list[_Pair]] = {}
    for metric in metrics:
        for scope, per_type in ((pairs, False), (same_type, True)):
            rank = RANKS[metric]
            order = (per_type, tuple(rank(pair)[0] for pair in scope))
            if order not in matchings:
                matchings[order] = [pair for pair, _ in _resolve(scope, rank)]
            matched = [(pair, rank(pair)[1]) for pair in matchings[order]]
            paired_predictions = {pair.p for pair, _ in matched}
            paired_gold = {pair.g for pair, _ in matched}
            for pair, credit in matched:
                units.append(gold_units[pair.g])
                events.append(("count", (metric, gold[pair.g][2] if per_type else OVERALL), _FIELD[credit]))
            for p in contested_predictions:
                if p not in paired_predictions:
                    units.append(predicted_units[p])
                    events.append(("count", (metric, predicted[p][2] if per_type else OVERALL), "fp"))
            for g in contested_gold:
                if g not in paired_gold:
                    units.append(gold_units[g])
                    events.append(("count", (metric, gold[g][2] if per_type else OVERALL), "fn"))
    tally.record_all(units, events)


def document_counts(
    gold: Sequence[Entity],
    predicted: Sequence[Entity],
    *,
    text: str | None = None,
    units: Units | None = None,
    metrics: Sequence[str] = METRICS,
) -> dict[UnitId, dict[Key, Counts]]:
    """Per-unit counts of one document, for every metric, overall and per type (see
    :func:`_record_document`). Without ``units`` the document is one unit, ``(None, 0)``."""
    units = units or Units.of(None, None)  # type: ignore[arg-type]
    tally = Tally(_effects(metrics))
    _record_document(tally, gold, predicted, text, units, metrics)
    board = tally.scoreboard()
    return {unit: board.unit_counts(i) for i, unit in enumerate(board.units)}


# --------------------------------------------------------------------------------------------------
# Public API


def score_entity_spans(
    *,
    gold: Mapping[str, Iterable[Entity]],
    predictions: Mapping[str, Iterable[Entity]],
    texts: Mapping[str, str] | None = None,
    sentence_starts: Mapping[str, Sequence[int]] | None = None,
    layer: str = "flat",
    bootstrap: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    label_order: Sequence[str] = (),
) -> Report:
    """Score predicted against gold entities given as plain spans, per document id.

    ``gold`` and ``predictions`` map a document id to its ``(start, end, type)`` spans (a document
    missing from ``predictions`` has none). ``texts`` (document id to text) enables the clitic-tolerant
    metrics. ``sentence_starts`` (document id to sentence start offsets) makes sentences the units of
    resampling; without it documents are. ``bootstrap`` is the number of resamples (0: no intervals).
    """
    unknown = sorted(set(predictions) - set(gold))
    if unknown:
        raise ValueError(f"predictions for documents not in the gold: {', '.join(unknown[:5])}")
    metrics = METRICS if texts is not None else SCHEMAS
    tally = Tally(_effects(metrics))
    for doc_id in sorted(gold):
        units = Units.of(doc_id, sentence_starts.get(doc_id) if sentence_starts else None)
        for unit in units.ids:
            tally.add_unit(unit)
        _record_document(
            tally,
            layer_of(gold[doc_id], layer),
            layer_of(predictions.get(doc_id, ()), layer),
            texts[doc_id] if texts is not None else None,
            units,
            metrics,
        )
    board = tally.scoreboard()
    return Report.with_intervals(
        task="entities",
        board=board,
        metrics=metrics,
        options={"layer": layer, "unit": "sentence" if sentence_starts else "document"},
        resamples=bootstrap,
        seed=seed,
        label_order=label_order,
    )


def score_entities(
    *,
    gold: Iterable,
    predictions: Mapping[str, object],
    layer: str = "flat",
    unit: str = "auto",
    bootstrap: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> Report:
    """Score a submission's entities against gold documents.

    ``gold`` holds :class:`khabar.corpus.format.Document` objects; ``predictions`` maps a document id to
    a :class:`khabar.corpus.format.Prediction` (a document missing, or whose ``entities`` is ``None``,
    is scored as predicting none). ``unit`` is ``"sentence"``, ``"document"`` or ``"auto"`` (sentences
    while the corpus has fewer than 30 documents).
    """
    documents = list(gold)
    return score_entity_spans(
        gold={doc.id: [(m.start, m.end, m.type) for m in ner_mentions(doc)] for doc in documents},
        predictions={doc.id: _predicted_entities(predictions.get(doc.id)) for doc in documents},
        texts={doc.id: doc.text for doc in documents},
        sentence_starts=sentence_starts_of(documents, unit),
        layer=layer,
        bootstrap=bootstrap,
        seed=seed,
        label_order=labels()["entity_types"],
    )


def _predicted_entities(prediction: object) -> list[Entity]:
    entities = getattr(prediction, "entities", None) or ()
    return [(e.start, e.end, e.type) for e in entities]
