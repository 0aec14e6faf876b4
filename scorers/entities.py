"""Entity scoring: the SemEval-2013 schemas as nervaluate 1.2.1 defines them, flat or nested, plus a
clitic-tolerant boundary match for Arabic.

An entity is a plain ``(start, end, type)`` tuple (end-exclusive offsets). For each document both sides
are de-duplicated (a span predicted twice counts once) and sorted, and each metric pairs predictions
with gold entities by :func:`khabar.scorers.core.maximum_match` over the pairs that overlap: as many
full-credit pairs as any one-to-one pairing has, the best-ranked first (see ``docs/metrics.md`` for the
table of ranks):

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

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from itertools import chain
from operator import itemgetter
from typing import Any, NamedTuple

import numpy as np

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
    TooManyOverlaps,
    UnitId,
    maximum_match,
    overlapping_index_pairs,
    span_columns,
)
from khabar.scorers.report import Report
from khabar.corpus.format import labels, ner_mentions
from khabar.scorers.units import Units, sentence_starts_of, starts_of_units

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
    start, end = span_columns(unique)
    return [entity for entity, kept in zip(unique, _outermost_mask(start, end).tolist()) if kept]


def layer_of(entities: Iterable[Entity], layer: str) -> list[Entity]:
    """The entities scored in ``layer``: outermost only (``flat``) or all (``nested``), de-duplicated
    and sorted."""
    _check_layer(layer)
    return outermost(entities) if layer == "flat" else sorted(set(entities))


def _check_layer(layer: str) -> None:
    if layer not in LAYERS:
        raise ValueError(f"layer must be one of {', '.join(LAYERS)}, not {layer!r}")


def _outermost_mask(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Which spans lie inside no other, larger, span: a span is kept when it reaches past every span
    that starts before it (or with it, and ends later). Spans of many documents laid end to end (see
    :func:`_lay_out`) are judged within their own document."""
    order = np.lexsort((-end, start))
    start, end = start[order], end[order]
    reach_before = np.concatenate(([np.iinfo(np.int64).min], np.maximum.accumulate(end)[:-1]))
    new_extent = np.ones(len(order), dtype=bool)
    new_extent[1:] = (np.diff(start) != 0) | (np.diff(end) != 0)
    first_of_extent = np.maximum.accumulate(np.where(new_extent, np.arange(len(order)), 0))
    keep = np.empty(len(order), dtype=bool)
    keep[order] = end > reach_before[first_of_extent]
    return keep


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


def _overlapping(
    predicted_start: np.ndarray, predicted_end: np.ndarray, gold_start: np.ndarray, gold_end: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The overlapping ``(prediction, gold)`` index pairs (spans sorted by start) that pass nervaluate's
    minimum overlap, a share of the gold span."""
    p, g = overlapping_index_pairs(predicted_start, predicted_end, gold_start, gold_end)
    shared = np.minimum(predicted_end[p], gold_end[g]) - np.maximum(predicted_start[p], gold_start[g])
    enough = 100 * shared >= MIN_OVERLAP_PERCENT * (gold_end[g] - gold_start[g])
    return p[enough], g[enough]


def _resolve(pairs: Sequence[_Pair], rank: Rank) -> list[tuple[_Pair, str]]:
    """The pairs that ``rank`` chooses (:func:`~khabar.scorers.core.maximum_match`), with their credit."""
    ranks = {(pair.p, pair.g): rank(pair) for pair in pairs}
    by_index = {(pair.p, pair.g): pair for pair in pairs}
    chosen = maximum_match(((r, p, g) for (p, g), (r, _) in ranks.items()), grown=_credited_tiers(ranks.values()))
    return [(by_index[p, g], ranks[p, g][1]) for p, g, _ in chosen]


def _credited_tiers(ranked: Iterable[tuple[tuple[int, int], str]]) -> set[int]:
    """The tiers whose pairs earn credit: the ones :func:`~khabar.scorers.core.maximum_match` grows to a
    maximum (more incorrect pairs would change no score, only which errors are called incorrect)."""
    return {rank[0] for rank, credit in ranked if credit != INCORRECT}


def match(
    gold: Sequence[Entity], predicted: Sequence[Entity], metric: str, text: str | None = None
) -> tuple[list[tuple[int, int, str]], list[int], list[int]]:
    """Match one document's entities under ``metric``.

    ``gold`` and ``predicted`` are canonical: de-duplicated and sorted (see :func:`layer_of`).
    Returns the matched ``(prediction_index, gold_index, credit)`` triples, then the indices of the
    unmatched predictions (spurious) and of the unmatched gold entities (missed).
    """
    overlapping = zip(*(indices.tolist() for indices in _overlapping(*span_columns(predicted), *span_columns(gold))))
    pairs = [_pair(p, g, predicted[p], gold[g], text) for p, g in overlapping]
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
# The whole corpus is tallied at once, over arrays. Each side's entities are laid on one line, document
# d's offsets shifted by d * stride so that no two documents meet, and every outcome is recorded as an
# event that each metric then reads:
#   ("pair", same_span, same_type, clitic, gold_type, predicted_type)  an overlapping pair, matched
#   ("spurious", type) / ("missed", type)                             an unmatched prediction / gold
#   ("count", key, field)                                             one count, when ranks compete
# An overlapping pair whose two entities overlap nothing else is matched under every metric, so it is
# recorded once for all metrics; entities that overlap two or more of the other side are contested, and
# each metric matches those on its own. Entities of different documents never overlap, so one greedy
# matching over the corpus's contested pairs equals one per document.

_FIELD = {CORRECT: "tp", PARTIAL: "partial", INCORRECT: "incorrect"}
_LONGEST_CLITIC = max(map(len, CLITICS))


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


class _EventCodes(NamedTuple):
    """Events of the bulk tally as integers, so that arrays can carry them: a pair's three flags and two
    type indices, or an unpaired entity's kind and type index."""

    types: Sequence[str]

    @property
    def _unpaired(self) -> int:
        return 8 * len(self.types) ** 2

    def pairs(self, same_span: np.ndarray, same_type: np.ndarray, clitic: np.ndarray, gold_type, predicted_type) -> np.ndarray:
        flags = 4 * same_span.astype(np.int64) + 2 * same_type + clitic
        return (flags * len(self.types) + gold_type) * len(self.types) + predicted_type

    def unpaired(self, kind: str, type_index: np.ndarray) -> np.ndarray:
        return self._unpaired + ("spurious", "missed").index(kind) * len(self.types) + type_index

    def event(self, code: int) -> tuple:
        n = len(self.types)
        if code >= self._unpaired:
            kind, label = divmod(code - self._unpaired, n)
            return (("spurious", "missed")[kind], self.types[label])
        flags, types = divmod(code, n * n)
        gold_type, predicted_type = divmod(types, n)
        return ("pair", bool(flags & 4), bool(flags & 2), bool(flags & 1), self.types[gold_type], self.types[predicted_type])


class _Side(NamedTuple):
    """One side's entities over the whole corpus, canonical (de-duplicated, in the layer, sorted by start,
    end and type as :func:`layer_of` sorts a document's), as parallel arrays with corpus-wide offsets."""

    document: np.ndarray
    start: np.ndarray
    end: np.ndarray
    type: np.ndarray
    """Index into the corpus's sorted type names."""

    def select(self, mask: np.ndarray) -> _Side:
        return _Side(*(column[mask] for column in self))


class _Corpus(NamedTuple):
    """Where the documents lie on the corpus-wide line, and the names behind the arrays' indices."""

    stride: int
    types: list[str]
    texts: list[str] | None
    unit_ids: list[UnitId]
    unit_starts: np.ndarray
    """Corpus-wide start offset of each unit, sorted."""
    first_unit: np.ndarray
    """Per document, the index of its first unit."""

    def entity(self, side: _Side, i: int) -> Entity:
        """Entity ``i`` of ``side`` in its document's own offsets."""
        base = int(side.document[i]) * self.stride
        return int(side.start[i]) - base, int(side.end[i]) - base, self.types[side.type[i]]

    def text(self, side: _Side, i: int) -> str | None:
        """The text of the document of entity ``i`` of ``side`` (``None`` without texts)."""
        return self.texts[side.document[i]] if self.texts is not None else None

    def units_of(self, side: _Side) -> np.ndarray:
        """The unit of each entity of ``side``: the one containing its start (text before the first
        sentence counts as the first), as :meth:`~khabar.scorers.units.Units.locate` finds it."""
        found = np.searchsorted(self.unit_starts, side.start, side="right") - 1
        return np.maximum(found, self.first_unit[side.document])


class EntityColumns(NamedTuple):
    """Entities of many documents as parallel columns (plain spans without a tuple per entity): for
    entity ``i``, the index ``document[i]`` of its document in the sorted document ids, its ``start``
    and ``end`` offsets in that document and the index ``type[i]`` of its type in ``types``."""

    document: np.ndarray
    start: np.ndarray
    end: np.ndarray
    type: np.ndarray
    types: Sequence[str]


def _flatten(spans_by_document: Sequence[Sequence[Entity]]) -> EntityColumns:
    """The entities of each document, in input order, as columns. Refuses anything but ``(start, end,
    type)`` tuples with integer offsets."""
    entities = list(chain.from_iterable(spans_by_document))
    if set(map(len, entities)) - {3}:
        raise ValueError("every entity must be a (start, end, type) tuple")
    start, end = (_offsets(list(map(itemgetter(i), entities))) for i in (0, 1))
    document = np.repeat(np.arange(len(spans_by_document), dtype=np.int64), list(map(len, spans_by_document)))
    names = list(map(itemgetter(2), entities))
    types = sorted(set(names))
    index = {name: i for i, name in enumerate(types)}
    return EntityColumns(document, start, end, np.fromiter(map(index.__getitem__, names), dtype=np.int64, count=len(names)), types)


def _offsets(values: Sequence[Any]) -> np.ndarray:
    array = np.array(values) if len(values) else np.zeros(0, dtype=np.int64)
    if array.dtype.kind != "i":
        raise ValueError("offsets must be integers below 2**63")
    return array.astype(np.int64)


def _check_columns(columns: EntityColumns, n_documents: int) -> None:
    """Refuses offsets that are not ``0 <= start < end`` and documents or types out of range."""
    if not (len(columns.document) == len(columns.start) == len(columns.end) == len(columns.type)):
        raise ValueError("entity columns must have one value per entity each")
    if not len(columns.start):
        return
    if columns.start.min() < 0 or (columns.start >= columns.end).any():
        raise ValueError("every entity must have offsets 0 <= start < end")
    if columns.document.min() < 0 or columns.document.max() >= n_documents or columns.type.min() < 0 or columns.type.max() >= len(columns.types):
        raise ValueError("an entity's document or type index is out of range")


def _canonical(document, start, end, type_index, stride: int, layer: str) -> _Side:
    """Entities laid on the corpus-wide line, de-duplicated, sorted and cut to ``layer``."""
    start, end = start + document * stride, end + document * stride
    order = np.lexsort((type_index, end, start))
    side = _Side(document[order], start[order], end[order], type_index[order])
    distinct = np.ones(len(order), dtype=bool)
    distinct[1:] = (np.diff(side.start) != 0) | (np.diff(side.end) != 0) | (np.diff(side.type) != 0)
    side = side.select(distinct)
    return side.select(_outermost_mask(side.start, side.end)) if layer == "flat" else side


def _lay_out(
    ids: Sequence[Hashable],
    gold: EntityColumns,
    predicted: EntityColumns,
    texts: Mapping[Hashable, str] | None,
    sentence_starts: Mapping[Hashable, Sequence[int]] | None,
    layer: str,
) -> tuple[_Corpus, _Side, _Side]:
    """The corpus (documents ``ids``, sorted; units as :class:`~khabar.scorers.units.Units` makes them)
    and both sides' canonical entities. Refuses entities past their text, and sentence starts that are
    negative or out of order. Every step runs over the whole corpus at once."""
    _check_layer(layer)
    for columns in (gold, predicted):
        _check_columns(columns, len(ids))
    starts = [starts_of_units(sentence_starts.get(doc_id) if sentence_starts else None) for doc_id in ids]
    sizes = np.fromiter(map(len, starts), dtype=np.int64, count=len(ids))
    first_unit = np.cumsum(sizes) - sizes
    local_starts = _offsets(list(chain.from_iterable(starts)))
    descents = np.flatnonzero(np.diff(local_starts) < 0) + 1
    if (len(local_starts) and local_starts.min() < 0) or not np.isin(descents, first_unit).all():
        raise ValueError("sentence starts must be sorted and not negative")
    ends = [columns.end for columns in (gold, predicted) if len(columns.end)]
    stride = 1 + max([int(e.max()) for e in ends] + [int(local_starts.max()) if len(local_starts) else 0])
    if len(ids) * stride >= 2**62:
        raise ValueError("offsets too large to lay the corpus out")
    text_list = None
    if texts is not None:
        text_list = [texts.get(doc_id) for doc_id in ids]
        if set(map(type, text_list)) - {str}:
            raise ValueError("texts must give the text of every gold document")
        lengths = np.fromiter(map(len, text_list), dtype=np.int64, count=len(ids))
        if any(len(columns.end) and (columns.end > lengths[columns.document]).any() for columns in (gold, predicted)):
            raise ValueError("an entity ends past the end of its document's text")

    types = sorted(set(gold.types) | set(predicted.types))
    index = {name: i for i, name in enumerate(types)}
    corpus = _Corpus(
        stride=stride,
        types=types,
        texts=text_list,
        unit_ids=[(doc_id, i) for doc_id, size in zip(ids, sizes.tolist()) for i in range(size)],
        unit_starts=np.repeat(np.arange(len(ids), dtype=np.int64) * stride, sizes) + local_starts,
        first_unit=first_unit,
    )

    def side(columns: EntityColumns) -> _Side:
        recode = np.array([index[name] for name in columns.types], dtype=np.int64)
        return _canonical(columns.document, columns.start, columns.end, recode[columns.type], stride, layer)

    return corpus, side(gold), side(predicted)


def _sized(spans: Iterable[Entity]) -> Sequence[Entity]:
    return spans if isinstance(spans, (list, tuple)) else list(spans)


def _columns_of(gold: Mapping[Hashable, Iterable[Entity]], predictions: Mapping[Hashable, Iterable[Entity]]) -> tuple[list, EntityColumns, EntityColumns]:
    """The sorted document ids and both sides' entities as columns."""
    ids = sorted(gold)
    return ids, _flatten([_sized(gold[doc_id]) for doc_id in ids]), _flatten([_sized(predictions.get(doc_id, ())) for doc_id in ids])


def _tally_corpus(
    tally: Tally,
    ids: Sequence[Hashable],
    gold: EntityColumns,
    predicted: EntityColumns,
    texts: Mapping[Hashable, str] | None,
    sentence_starts: Mapping[Hashable, Sequence[int]] | None,
    layer: str,
    metrics: Sequence[str],
) -> None:
    """Record every document's outcomes.

    Per-type counts come from matching the entities of that type alone (nervaluate's per-type rows):
    an overlapping pair of two types is no pair there, so its prediction is spurious in its type and its
    gold entity missed in its own. Outcomes go to the unit of the gold entity (a pair, a miss) or of the
    prediction (a spurious one).
    """
    corpus, gold_side, predicted_side = _lay_out(ids, gold, predicted, texts, sentence_starts, layer)
    gold_units, predicted_units = corpus.units_of(gold_side), corpus.units_of(predicted_side)
    try:
        p, g = _overlapping(predicted_side.start, predicted_side.end, gold_side.start, gold_side.end)
    except TooManyOverlaps as error:
        raise TooManyOverlaps(error.pairs, error.items, error.worst, error.most, ids[int(predicted_side.document[error.worst])]) from None
    pairs_of_prediction = np.bincount(p, minlength=len(predicted_side.start))
    pairs_of_gold = np.bincount(g, minlength=len(gold_side.start))
    simple = (pairs_of_prediction[p] == 1) & (pairs_of_gold[g] == 1)

    sp, sg = p[simple], g[simple]
    codes = _EventCodes(corpus.types)
    spurious = np.flatnonzero(pairs_of_prediction == 0)
    missed = np.flatnonzero(pairs_of_gold == 0)
    distinct, event_index = np.unique(
        np.concatenate(
            [
                codes.pairs(
                    (predicted_side.start[sp] == gold_side.start[sg]) & (predicted_side.end[sp] == gold_side.end[sg]),
                    predicted_side.type[sp] == gold_side.type[sg],
                    _clitic_pairs(corpus, predicted_side, gold_side, sp, sg),
                    gold_side.type[sg],
                    predicted_side.type[sp],
                ),
                codes.unpaired("spurious", predicted_side.type[spurious]),
                codes.unpaired("missed", gold_side.type[missed]),
            ]
        ),
        return_inverse=True,
    )
    tally.record_indexed(
        corpus.unit_ids,
        np.concatenate([gold_units[sg], predicted_units[spurious], gold_units[missed]]),
        [codes.event(int(code)) for code in distinct],
        event_index,
    )

    contested = np.flatnonzero(~simple)
    if len(contested):
        _record_contested(tally, corpus, predicted_side, gold_side, p[contested], g[contested], predicted_units, gold_units, metrics)


def _clitic_pairs(corpus: _Corpus, predicted: _Side, gold: _Side, p: np.ndarray, g: np.ndarray) -> np.ndarray:
    """For each pair ``(p[i], g[i])``, whether its spans differ by a leading clitic only
    (:func:`differs_by_clitic`); never without texts."""
    clitic = np.zeros(len(p), dtype=np.int64)
    if corpus.texts is None:
        return clitic
    shift = np.abs(predicted.start[p] - gold.start[g])
    near = (predicted.end[p] == gold.end[g]) & (shift > 0) & (shift <= _LONGEST_CLITIC)
    for i in np.flatnonzero(near):
        clitic[i] = differs_by_clitic(corpus.text(gold, g[i]), corpus.entity(predicted, p[i]), corpus.entity(gold, g[i]))
    return clitic


def _record_contested(
    tally: Tally,
    corpus: _Corpus,
    predicted: _Side,
    gold: _Side,
    p: np.ndarray,
    g: np.ndarray,
    predicted_units: np.ndarray,
    gold_units: np.ndarray,
    metrics: Sequence[str],
) -> None:
    """Where an entity overlaps two of the other side (the pairs ``p[i], g[i]``), each metric's ranks
    decide the pairs (metrics whose ranks order the pairs alike share one matching). The rank functions
    run once per distinct combination of what they read; the outcomes are recorded as arrays."""
    same_span = (predicted.start[p] == gold.start[g]) & (predicted.end[p] == gold.end[g])
    same_type = predicted.type[p] == gold.type[g]
    clitic = _clitic_pairs(corpus, predicted, gold, p, g)
    distance = np.abs(predicted.start[p] - gold.start[g]) + np.abs(predicted.end[p] - gold.end[g])
    reach = int(distance.max()) + 1
    combos, combo_of = np.unique(((same_span * 2 + same_type) * 2 + clitic) * reach + distance, return_inverse=True)
    combo_of = combo_of.reshape(-1)
    pairs = [_Pair(0, 0, bool(c // reach // 4), bool(c // reach // 2 % 2), bool(c // reach % 2), c % reach) for c in combos.tolist()]
    contested_predictions, contested_gold = np.unique(p), np.unique(g)
    n_types = len(corpus.types)
    fields = ("tp", "fp", "fn", "partial", "incorrect")
    units, codes = [], []  # per outcome: its unit, and (metric, label, field) as one code
    matchings: dict[tuple, np.ndarray] = {}
    for m, metric in enumerate(metrics):
        ranked = [RANKS[metric](pair) for pair in pairs]
        primary = np.array([r[0][0] for r in ranked])[combo_of]
        secondary = np.array([r[0][1] for r in ranked])[combo_of]
        credit = np.array([fields.index(_FIELD[r[1]]) for r in ranked])[combo_of]
        grown = _credited_tiers(ranked)
        for scope, per_type in ((np.arange(len(p)), False), (np.flatnonzero(same_type), True)):
            order = (per_type, tuple(sorted(grown)), primary[scope].tobytes(), secondary[scope].tobytes())
            if order not in matchings:
                candidates = zip(zip(primary[scope].tolist(), secondary[scope].tolist()), p[scope].tolist(), g[scope].tolist())
                position = {(a, b): i for i, a, b in zip(scope.tolist(), p[scope].tolist(), g[scope].tolist())}
                chosen = maximum_match(candidates, grown=grown)
                matchings[order] = np.array([position[a, b] for a, b, _ in chosen], dtype=np.int64)
            matched = matchings[order]
            paired = np.zeros(len(predicted.start), dtype=bool)
            paired[p[matched]] = True
            spurious = contested_predictions[~paired[contested_predictions]]
            paired = np.zeros(len(gold.start), dtype=bool)
            paired[g[matched]] = True
            missed = contested_gold[~paired[contested_gold]]
            label = (lambda types: types) if per_type else (lambda types: np.full(len(types), n_types))
            units += [gold_units[g[matched]], predicted_units[spurious], gold_units[missed]]
            codes += [
                (m * (n_types + 1) + label(gold.type[g[matched]])) * len(fields) + credit[matched],
                (m * (n_types + 1) + label(predicted.type[spurious])) * len(fields) + fields.index("fp"),
                (m * (n_types + 1) + label(gold.type[missed])) * len(fields) + fields.index("fn"),
            ]
    distinct, event_index = np.unique(np.concatenate(codes), return_inverse=True)
    events = []
    for code in distinct.tolist():
        key, field = divmod(code, len(fields))
        m, label = divmod(key, n_types + 1)
        events.append(("count", (metrics[m], OVERALL if label == n_types else corpus.types[label]), fields[field]))
    tally.record_indexed(corpus.unit_ids, np.concatenate(units), events, event_index.reshape(-1))


def document_counts(
    gold: Sequence[Entity],
    predicted: Sequence[Entity],
    *,
    text: str | None = None,
    units: Units | None = None,
    metrics: Sequence[str] = METRICS,
) -> dict[UnitId, dict[Key, Counts]]:
    """Per-unit counts of one document, for every metric, overall and per type, of the units where
    anything was counted (see :func:`_tally_corpus`; both sides are de-duplicated, all layers kept).
    Without ``units`` the document is one unit, ``(None, 0)``."""
    units = units or Units.of(None, None)  # type: ignore[arg-type]
    tally = Tally(_effects(metrics))
    document = units.document
    texts = {document: text} if text is not None else None
    _tally_corpus(tally, *_columns_of({document: gold}, {document: predicted}), texts, {document: units.starts}, "nested", metrics)
    board = tally.scoreboard()
    return {unit: counts for i, unit in enumerate(board.units) if (counts := board.unit_counts(i))}


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
    ids, gold_columns, predicted_columns = _columns_of(gold, predictions)
    return score_entity_columns(
        documents=ids,
        gold=gold_columns,
        predictions=predicted_columns,
        texts=texts,
        sentence_starts=sentence_starts,
        layer=layer,
        bootstrap=bootstrap,
        seed=seed,
        label_order=label_order,
    )


def score_entity_columns(
    *,
    documents: Sequence[str],
    gold: EntityColumns,
    predictions: EntityColumns,
    texts: Mapping[str, str] | None = None,
    sentence_starts: Mapping[str, Sequence[int]] | None = None,
    layer: str = "flat",
    bootstrap: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    label_order: Sequence[str] = (),
) -> Report:
    """:func:`score_entity_spans` for entities given as columns (:class:`EntityColumns`) over the sorted
    document ids ``documents``: what a decoder of tags produces for a million tokens at once."""
    if list(documents) != sorted(set(documents)):
        raise ValueError("documents must be sorted distinct ids")
    metrics = METRICS if texts is not None else SCHEMAS
    tally = Tally(_effects(metrics))
    _tally_corpus(tally, documents, gold, predictions, texts, sentence_starts, layer, metrics)
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
