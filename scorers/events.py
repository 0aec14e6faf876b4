"""Event scoring: triggers and arguments as TextEE (Huang et al., 2024) and OneIE (Lin et al., 2020) define
them, the trigger-attached and coreference-aware argument variants, each with and without ``Time-*`` roles.

Every metric but the coreference-aware ones compares, per document, the *set* of keys below on each side
(:mod:`khabar.scorers.keys`; ``docs/metrics.md`` compares them with TextEE and OneIE). ``t`` is the
trigger span, ``a`` the argument span.

================================  ========================================================
metric                            key
================================  ========================================================
trigger_identification            ``t``
trigger_classification            ``t, subtype``
argument_identification           ``subtype, a``
argument_classification           ``subtype, a, role`` (the headline)
argument_identification_attached  ``t, subtype, a``
argument_classification_attached  ``t, subtype, a, role``
argument_identification_coref     the ``subtype, a`` keys, grouped by ``subtype, e``
argument_classification_coref     the ``subtype, a, role`` keys, grouped by ``subtype, e, role``
================================  ========================================================

In the coreference-aware variants ``e`` is the argument's entity: for gold, the coreference cluster of
its mention, or for a value argument (``Crime``, ``Sentence``: a value has no cluster) the value's own
span; for a prediction, the cluster of the gold mention with exactly its span, else the span itself (so
a predicted argument on a gold value's span has that value's entity). Within a group any predicted key may stand for any gold key, so a group with ``g`` gold and
``p`` predicted keys has ``min(g, p)`` true positives: a predicted argument that names another mention
of the gold argument's entity is right, and the items counted are those of the plain variants.

Each ``argument_*`` metric also exists as ``argument_*_notime``, computed after dropping every argument
whose role is a ``Time-*`` role from both sides. Per-label rows are per event subtype: the metric re-run
on the events of that subtype alone (both sides). Event coreference (the gold ``coref`` ids) is not
scored.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import NamedTuple

from khabar.corpus.format import labels
from khabar.scorers.core import DEFAULT_RESAMPLES, DEFAULT_SEED, OVERALL, Key, Tally, UnitId
from khabar.scorers.keys import count_once, first_units, record_keys
from khabar.scorers.report import Report
from khabar.scorers.units import Units, sentence_starts_of

Span = tuple[int, int]


class GoldArgument(NamedTuple):
    role: str
    span: Span
    entity: str | None
    """The id of the argument mention's coreference cluster; ``None`` for a value, which stands for
    itself (its span) in the coreference-aware variants."""


class GoldEvent(NamedTuple):
    type: str
    trigger: Span
    arguments: tuple[GoldArgument, ...]


class SystemArgument(NamedTuple):
    role: str
    span: Span


class SystemEvent(NamedTuple):
    type: str
    trigger: Span
    arguments: tuple[SystemArgument, ...]


# --------------------------------------------------------------------------------------------------
# Keys

TriggerKey = Callable[[str, Span], Hashable]
ArgumentKey = Callable[[str, Span, Hashable, str, Span], Hashable]
"""``(subtype, trigger, entity, role, argument span) -> key``."""

TRIGGER_KEYS: Mapping[str, TriggerKey] = {
    "trigger_identification": lambda subtype, t: t,
    "trigger_classification": lambda subtype, t: (t, subtype),
}

ARGUMENT_KEYS: Mapping[str, ArgumentKey] = {
    "argument_classification": lambda subtype, t, e, role, a: (subtype, a, role),
    "argument_identification": lambda subtype, t, e, role, a: (subtype, a),
    "argument_classification_attached": lambda subtype, t, e, role, a: (t, subtype, a, role),
    "argument_identification_attached": lambda subtype, t, e, role, a: (t, subtype, a),
}

COREF_GROUPS: Mapping[str, tuple[str, ArgumentKey]] = {
    "argument_classification_coref": ("argument_classification", lambda subtype, t, e, role, a: (subtype, e, role)),
    "argument_identification_coref": ("argument_identification", lambda subtype, t, e, role, a: (subtype, e)),
}
"""Coreference-aware metric -> (the metric whose keys it counts, the group of a key)."""

NO_TIME = "_notime"

ARGUMENT_METRICS = (*ARGUMENT_KEYS, *COREF_GROUPS)
METRICS = (*ARGUMENT_METRICS, *(name + NO_TIME for name in ARGUMENT_METRICS), *TRIGGER_KEYS)
"""In display order; the first, argument classification, is the headline of the results table."""


def time_roles() -> frozenset[str]:
    """The ``Time-*`` roles of ``schema/labels.json``."""
    return frozenset(labels()["time_roles"])


# --------------------------------------------------------------------------------------------------
# Tallying


def _arguments(events: Iterable, entity_of: Callable[[object], Hashable], without: frozenset[str]):
    """``(subtype, trigger, entity, role, span)`` of every argument whose role is not in ``without``."""
    return [
        (event.type, event.trigger, entity_of(argument), argument.role, argument.span)
        for event in events
        for argument in event.arguments
        if argument.role not in without
    ]


def record_document(
    tally: Tally,
    gold: Sequence[GoldEvent],
    predicted: Sequence[SystemEvent],
    mention_entities: Mapping[Span, str],
    units: Units,
    time: frozenset[str],
) -> None:
    """Record one document's outcomes for every metric, overall and per event subtype.

    ``mention_entities`` maps the span of every gold mention to its cluster id (the coreference-aware
    variants read it); ``time`` holds the roles the ``_notime`` variants drop.
    """

    def gold_entity(argument: GoldArgument) -> Hashable:
        return ("span", argument.span) if argument.entity is None else ("cluster", argument.entity)

    def predicted_entity(argument: SystemArgument) -> Hashable:
        entity = mention_entities.get(argument.span)
        return ("span", argument.span) if entity is None else ("cluster", entity)

    subtypes = sorted({e.type for e in gold} | {e.type for e in predicted})
    for label in (OVERALL, *subtypes):
        gold_events = [e for e in gold if label in (OVERALL, e.type)]
        predicted_events = [e for e in predicted if label in (OVERALL, e.type)]
        for metric, key in TRIGGER_KEYS.items():
            record_keys(
                tally,
                (metric, label),
                first_units(((key(e.type, e.trigger), e.trigger[0]) for e in gold_events), units.locate),
                first_units(((key(e.type, e.trigger), e.trigger[0]) for e in predicted_events), units.locate),
            )
        for suffix, without in (("", frozenset()), (NO_TIME, time)):
            gold_arguments = _arguments(gold_events, gold_entity, without)
            predicted_arguments = _arguments(predicted_events, predicted_entity, without)
            for metric, key in ARGUMENT_KEYS.items():
                record_keys(
                    tally,
                    (metric + suffix, label),
                    first_units(((key(*argument), argument[4][0]) for argument in gold_arguments), units.locate),
                    first_units(((key(*argument), argument[4][0]) for argument in predicted_arguments), units.locate),
                )
            for metric, (base, group) in COREF_GROUPS.items():
                record_groups(
                    tally,
                    (metric + suffix, label),
                    _grouped(gold_arguments, ARGUMENT_KEYS[base], group),
                    _grouped(predicted_arguments, ARGUMENT_KEYS[base], group),
                    units.locate,
                )


def _grouped(arguments, key: ArgumentKey, group: ArgumentKey) -> dict[Hashable, tuple[Hashable, int]]:
    """Each distinct key of ``arguments`` with its group and its leftmost offset."""
    grouped: dict[Hashable, tuple[Hashable, int]] = {}
    for argument in arguments:
        k, offset = key(*argument), argument[4][0]
        if k not in grouped or offset < grouped[k][1]:
            grouped[k] = (group(*argument), offset)
    return grouped


def record_groups(
    tally: Tally,
    metric_key: Key,
    gold: Mapping[Hashable, tuple[Hashable, int]],
    predicted: Mapping[Hashable, tuple[Hashable, int]],
    locate: Callable[[int], UnitId],
) -> None:
    """Count keys that match within groups: ``gold`` and ``predicted`` map each distinct key to its group
    and its offset. A group with ``g`` gold and ``p`` predicted keys has ``min(g, p)`` true positives,
    which go to the units of its leftmost gold keys; its other gold keys are misses, and its predicted
    keys after the ``min(g, p)`` leftmost are false positives."""
    gold_groups: dict[Hashable, list[int]] = {}
    predicted_groups: dict[Hashable, list[int]] = {}
    for side, groups in ((gold, gold_groups), (predicted, predicted_groups)):
        for group, offset in side.values():
            groups.setdefault(group, []).append(offset)
    for group, offsets in gold_groups.items():
        matched = len(predicted_groups.get(group, ()))
        for rank, offset in enumerate(sorted(offsets)):
            tally.record(locate(offset), (metric_key, "tp" if rank < matched else "fn"))
    for group, offsets in predicted_groups.items():
        for offset in sorted(offsets)[len(gold_groups.get(group, ())) :]:
            tally.record(locate(offset), (metric_key, "fp"))


# --------------------------------------------------------------------------------------------------
# Public API


def score_event_spans(
    *,
    gold: Mapping[str, Iterable[GoldEvent]],
    predictions: Mapping[str, Iterable[SystemEvent]],
    mention_entities: Mapping[str, Mapping[Span, str]] | None = None,
    sentence_starts: Mapping[str, Sequence[int]] | None = None,
    time: Iterable[str] | None = None,
    bootstrap: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    label_order: Sequence[str] = (),
) -> Report:
    """Score predicted against gold events given as plain spans, per document id.

    ``mention_entities`` maps a document id to the span of each gold mention and its cluster id; a
    predicted argument whose span is no gold mention (or a document without the map) matches nothing
    in the coreference-aware variants.
    ``sentence_starts`` makes sentences the units of resampling; without it documents are. ``time`` is
    the set of roles the ``_notime`` variants drop (default: the ``Time-*`` roles of the schema). A
    document missing from ``predictions`` predicts no event. ``bootstrap`` is the number of resamples.
    """
    time_set = time_roles() if time is None else frozenset(time)
    unknown = sorted(set(predictions) - set(gold))
    if unknown:
        raise ValueError(f"predictions for documents not in the gold: {', '.join(unknown[:5])}")
    tally = Tally(count_once)
    for doc_id in sorted(gold):
        units = Units.of(doc_id, sentence_starts.get(doc_id) if sentence_starts else None)
        for unit in units.ids:
            tally.add_unit(unit)
        record_document(
            tally,
            list(gold[doc_id]),
            list(predictions.get(doc_id, ())),
            (mention_entities or {}).get(doc_id, {}),
            units,
            time_set,
        )
    board = tally.scoreboard()
    return Report.with_intervals(
        task="events",
        board=board,
        metrics=METRICS,
        options={"unit": "sentence" if sentence_starts else "document"},
        resamples=bootstrap,
        seed=seed,
        label_order=label_order,
    )


def gold_events(document) -> list[GoldEvent]:
    """A :class:`khabar.corpus.format.Document`'s event mentions as plain records; a value argument has
    no entity."""
    events = []
    for event in document.events:
        arguments = []
        for argument in event.arguments:
            filler = document.filler(argument)
            entity = None if argument.value is not None else filler.entity
            arguments.append(GoldArgument(argument.role, (filler.start, filler.end), entity))
        events.append(GoldEvent(event.type, (event.trigger.start, event.trigger.end), tuple(arguments)))
    return events


def system_events(prediction) -> list[SystemEvent]:
    """A :class:`khabar.corpus.format.Prediction`'s events as plain records (none when it is ``None`` or
    has no event layer)."""
    events = getattr(prediction, "events", None) or ()
    return [
        SystemEvent(
            e.type,
            (e.trigger.start, e.trigger.end),
            tuple(SystemArgument(a.role, (a.start, a.end)) for a in e.arguments),
        )
        for e in events
    ]


def score_events(
    *,
    gold: Iterable,
    predictions: Mapping[str, object],
    unit: str = "auto",
    bootstrap: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> Report:
    """Score a submission's events against gold documents.

    ``gold`` holds :class:`khabar.corpus.format.Document` objects; ``predictions`` maps a document id to
    a :class:`khabar.corpus.format.Prediction` (a document missing, or whose ``events`` is ``None``, is
    scored as predicting none). ``unit`` is ``"sentence"``, ``"document"`` or ``"auto"``.
    """
    documents = list(gold)
    return score_event_spans(
        gold={doc.id: gold_events(doc) for doc in documents},
        predictions={doc.id: system_events(predictions.get(doc.id)) for doc in documents},
        mention_entities={doc.id: {(m.start, m.end): m.entity for m in doc.entities} for doc in documents},
        sentence_starts=sentence_starts_of(documents, unit),
        bootstrap=bootstrap,
        seed=seed,
        label_order=labels()["event_types"],
    )
