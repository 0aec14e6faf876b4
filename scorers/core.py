"""The scoring machinery every Khabar task shares: counts, matching, corpus tables, intervals, tests.

Every metric is computed in three steps:

1. A task scorer matches predicted against gold items (:func:`maximum_match`) and tallies, for each
   *unit* (a sentence or a document) and each ``(metric, label)`` key, one :class:`Counts`.
2. Corpus figures are sums of unit counts (micro average; the label :data:`OVERALL` carries each
   metric's overall counts); the macro average is the mean F1 of the labels seen in gold or predictions.
3. Uncertainty comes from resampling the per-unit counts, never from re-running a matcher: percentile
   bootstrap intervals (:func:`bootstrap`) and paired tests between two systems (:func:`paired_tests`).

Precision, recall and F1 are derived from counts in one place, :func:`precision_recall_f1`.
"""

from __future__ import annotations

import functools
import random
from array import array
from collections.abc import Callable, Container, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

OVERALL = ""
"""The label under which a metric's overall (all labels together) counts are kept."""

DEFAULT_RESAMPLES = 1000
DEFAULT_SEED = 12345
CONFIDENCE = 0.95
DOCUMENT_UNITS_FROM = 30
"""Resample documents once the corpus has this many, sentences below (too few documents to resample)."""

Key = tuple[str, str]
"""``(metric, label)``; the label is :data:`OVERALL` for the metric's overall counts."""
UnitId = Hashable
"""Any sortable identifier of a unit, e.g. ``(document_id, sentence_index)``."""


# --------------------------------------------------------------------------------------------------
# Counts


def precision_recall_f1(credit, predicted, gold):
    """Precision ``credit / predicted``, recall ``credit / gold`` and their harmonic mean; 0/0 is 0.

    Numbers or numpy arrays (element-wise, for the resampling): the one definition of all three.
    """
    precision = _ratio(credit, predicted)
    recall = _ratio(credit, gold)
    return precision, recall, _ratio(2 * precision * recall, precision + recall)


def _ratio(numerator, denominator):
    if isinstance(denominator, np.ndarray):
        out = np.zeros(np.broadcast(numerator, denominator).shape)
        return np.divide(numerator, denominator, out=out, where=denominator != 0)
    return numerator / denominator if denominator else 0.0


class Counts(NamedTuple):
    """The outcome of matching some predictions against some gold items.

    ``tp``, ``fp`` and ``fn`` are matched pairs earning full credit, unmatched predictions and unmatched
    gold items (nervaluate's *correct*, *spurious* and *missed*). ``partial`` and ``incorrect`` are
    matched pairs earning half and no credit (nervaluate's *partial* and *incorrect*); each such pair is
    one predicted and one gold item. Tasks without partial credit leave both at 0, and then precision and
    recall are the textbook ``tp / (tp + fp)`` and ``tp / (tp + fn)``.
    """

    tp: int = 0
    fp: int = 0
    fn: int = 0
    partial: int = 0
    incorrect: int = 0

    def __add__(self, other: Counts) -> Counts:  # type: ignore[override]
        return Counts(*(a + b for a, b in zip(self, other)))

    @property
    def predicted(self) -> int:
        return self.tp + self.fp + self.partial + self.incorrect

    @property
    def gold(self) -> int:
        return self.tp + self.fn + self.partial + self.incorrect

    @property
    def credit(self) -> float:
        return self.tp + 0.5 * self.partial

    @property
    def precision(self) -> float:
        return precision_recall_f1(self.credit, self.predicted, self.gold)[0]

    @property
    def recall(self) -> float:
        return precision_recall_f1(self.credit, self.predicted, self.gold)[1]

    @property
    def f1(self) -> float:
        return precision_recall_f1(self.credit, self.predicted, self.gold)[2]


ZERO = Counts()


# --------------------------------------------------------------------------------------------------
# Matching


CORRECT, PARTIAL, INCORRECT = "correct", "partial", "incorrect"
"""The credit a matched pair earns: full, half, none."""


def greedy_match(candidates: Iterable[tuple[Any, int, int]]) -> list[tuple[int, int, Any]]:
    """Pair predictions with gold items, best candidate first; each item is used at most once.

    ``candidates`` are ``(rank, prediction_index, gold_index)`` triples for the pairs that may match;
    a smaller rank is a better match. Candidates are taken in ``(rank, prediction_index, gold_index)``
    order, skipping any whose prediction or gold item is already taken, so ties go to the earlier
    prediction, then the earlier gold item. Callers index items in a canonical (sorted, de-duplicated)
    order, which makes the pairing independent of the order a system wrote its predictions in.
    Returns ``(prediction_index, gold_index, rank)`` for each pair, in the order taken.
    """
    taken_predictions: set[int] = set()
    taken_gold: set[int] = set()
    pairs = []
    for rank, p, g in sorted(candidates):
        if p not in taken_predictions and g not in taken_gold:
            taken_predictions.add(p)
            taken_gold.add(g)
            pairs.append((p, g, rank))
    return pairs


def maximum_match(candidates: Iterable[tuple[tuple, int, int]], grown: Container | None = None) -> list[tuple[int, int, tuple]]:
    """Pair predictions with gold items so that no pair of a better tier is lost to the order of taking.

    ``candidates`` are ``(rank, prediction_index, gold_index)`` triples, ``rank`` a tuple whose first
    element is the pair's *tier* (the credit it earns: tier 0 before tier 1 ...). Tier by tier, among the
    items still free, pairs are first taken as :func:`greedy_match` takes them (best rank first), then
    the matching is grown along augmenting paths (Kuhn's algorithm; each free prediction in index order,
    its candidates in rank order) until no larger one exists in that tier. A greedy pairing of the
    closest candidates can pair one prediction with the gold item another prediction needed, and so lose
    a full-credit pair; this one holds as many pairs of the first tier as any matching can, then as many
    of the next, and keeps every greedy choice that costs no pair. ``grown`` names the tiers grown so
    (default: all); the others keep their greedy pairs (say, pairs that earn no credit whichever they are).
    Returns ``(prediction_index, gold_index, rank)`` triples sorted by prediction, then gold item.
    """
    ordered = sorted(candidates)
    chosen: dict[tuple[int, int], tuple] = {}
    gold_of: dict[int, int] = {}
    prediction_of: dict[int, int] = {}
    start = 0
    while start < len(ordered):
        tier = ordered[start][0][0]
        stop = start
        while stop < len(ordered) and ordered[stop][0][0] == tier:
            stop += 1
        group = ordered[start:stop]
        start = stop
        edges: dict[int, list[int]] = {}
        in_tier_gold: dict[int, int] = {}
        in_tier_prediction: dict[int, int] = {}
        for rank, p, g in group:  # in rank order: the greedy pass
            if p in gold_of or g in prediction_of:
                continue
            edges.setdefault(p, []).append(g)
            if p not in in_tier_gold and g not in in_tier_prediction:
                in_tier_gold[p], in_tier_prediction[g] = g, p
                chosen[p, g] = rank
        # an augmenting path runs from a free prediction to a free gold item: no search without both
        if (grown is None or tier in grown) and len(in_tier_gold) < len(edges) and len(in_tier_prediction) < len({g for targets in edges.values() for g in targets}):
            grew = [_augment(p, edges, in_tier_gold, in_tier_prediction) for p in sorted(edges) if p not in in_tier_gold]
            if any(grew):
                for rank, p, g in reversed(group):  # the best rank of each pair now in the matching
                    if in_tier_gold.get(p) == g:
                        chosen[p, g] = rank
        gold_of.update(in_tier_gold)
        prediction_of.update(in_tier_prediction)
    return sorted((p, g, chosen[p, g]) for p, g in gold_of.items())


def _augment(root: int, edges: Mapping[int, Sequence[int]], gold_of: dict[int, int], prediction_of: dict[int, int]) -> bool:
    """Grow the matching by one pair along an augmenting path from the free prediction ``root``, if one
    exists (an iterative depth-first search: a chain of contested spans may be long)."""
    visited: set[int] = set()
    path: list[list] = [[root, iter(edges[root]), None]]
    while path:
        frame = path[-1]
        for g in frame[1]:
            if g in visited:
                continue
            visited.add(g)
            frame[2] = g
            if g not in prediction_of:
                for p, _, chosen in path:
                    gold_of[p], prediction_of[chosen] = chosen, p
                return True
            path.append([prediction_of[g], iter(edges.get(prediction_of[g], ())), None])
            break
        else:
            path.pop()
    return False


def overlapping_pairs(predicted: Sequence[tuple], gold: Sequence[tuple]) -> list[tuple[int, int]]:
    """Every ``(prediction_index, gold_index)`` whose spans share a character, ordered by prediction,
    then gold item. Items are ``(start, end, ...)`` tuples (end-exclusive), each sequence sorted by start
    (:func:`overlapping_index_pairs` on their columns)."""
    p, g = overlapping_index_pairs(*span_columns(predicted), *span_columns(gold))
    return list(zip(p.tolist(), g.tolist()))


def span_columns(items: Sequence[tuple]) -> tuple[np.ndarray, np.ndarray]:
    """The starts and the ends of ``(start, end, ...)`` items, as arrays."""
    return np.array([item[0] for item in items], dtype=np.int64), np.array([item[1] for item in items], dtype=np.int64)


PAIRS_PER_ITEM = 16
"""The cost bound of matching: at most this many candidate pairs per item (prediction or gold) on
average, beyond a fixed allowance of :data:`PAIRS_ALLOWED`. Nested gold gives an entity a few
overlapping items of the other side; only a submission of long spans each covering much of a
document comes near the bound, and its pairs (the product of the two sides) would cost quadratic
time and memory to match."""
PAIRS_ALLOWED = 100_000


class TooManyOverlaps(ValueError):
    """A submission whose spans overlap so many of the other side's that matching them all would cost
    quadratic time: refused, with the counts, rather than matched for minutes or cut silently."""

    def __init__(self, pairs: int, items: int, worst: int, most: int, document: Hashable | None = None):
        self.pairs, self.items, self.worst, self.most, self.document = pairs, items, worst, most, document
        where = "" if document is None else f" (in document {document!r})"
        super().__init__(
            f"{pairs:,} overlapping (predicted, gold) candidate pairs among {items:,} spans, more than the scorer matches "
            f"({PAIRS_PER_ITEM} a span, beyond {PAIRS_ALLOWED:,}); one predicted span{where} alone overlaps {most:,}"
        )


def overlapping_index_pairs(
    predicted_start: np.ndarray, predicted_end: np.ndarray, gold_start: np.ndarray, gold_end: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`overlapping_pairs` over arrays: the ``(prediction_index, gold_index)`` pairs whose spans
    share a character, as two index arrays ordered by prediction, then gold item.

    Both sides are sorted by start. A prediction's candidates run from the first gold item that reaches
    past its start (the sweep's pointer: no earlier gold item does) to the last that starts before its end.
    Their number is known before any pair is built: past the bound of :data:`PAIRS_PER_ITEM`, raises
    :class:`TooManyOverlaps` (``worst``: the prediction with the most candidates).
    """
    first = np.searchsorted(np.maximum.accumulate(gold_end), predicted_start, side="right")
    last = np.searchsorted(gold_start, predicted_end, side="left")
    candidates = np.maximum(last - first, 0)
    total, items = int(candidates.sum()), len(predicted_start) + len(gold_start)
    if total > PAIRS_ALLOWED + PAIRS_PER_ITEM * items:
        worst = int(np.argmax(candidates))
        raise TooManyOverlaps(total, items, worst, int(candidates[worst]))
    p = np.repeat(np.arange(len(predicted_start)), candidates)
    g = np.repeat(first - np.cumsum(candidates) + candidates, candidates) + np.arange(int(candidates.sum()))
    meets = gold_end[g] > predicted_start[p]
    return p[meets], g[meets]


# --------------------------------------------------------------------------------------------------
# Corpus tables


FIELDS = {name: i for i, name in enumerate(Counts._fields)}
"""Position of each :class:`Counts` field (``tp`` 0 ... ``incorrect`` 4) in count arrays."""


@dataclass(frozen=True, eq=False)
class Scoreboard:
    """One system's per-unit counts: the only input of corpus figures, intervals and paired tests.

    ``counts[u, k]`` holds the five :class:`Counts` fields of key ``keys[k]`` in unit ``units[u]``;
    units and keys are sorted.
    """

    units: tuple[UnitId, ...]
    keys: tuple[Key, ...]
    counts: np.ndarray

    @classmethod
    def from_units(cls, units: Mapping[UnitId, Mapping[Key, Counts]]) -> Scoreboard:
        """From per-unit mappings of keys to counts (a unit may map nothing)."""
        ordered = sorted(units)
        keys = tuple(sorted({key for row in units.values() for key in row}))
        column = {key: i for i, key in enumerate(keys)}
        counts = np.zeros((len(ordered), len(keys), len(Counts._fields)), dtype=np.int64)
        for u, unit in enumerate(ordered):
            for key, value in units[unit].items():
                counts[u, column[key]] += value
        return cls(tuple(ordered), keys, counts)

    @property
    def metrics(self) -> tuple[str, ...]:
        return tuple(sorted({metric for metric, _ in self.keys}))

    def labels(self, metric: str) -> tuple[str, ...]:
        """The labels of ``metric`` seen in gold or predictions (the macro average's labels), sorted."""
        return tuple(label for m, label in self.keys if m == metric and label != OVERALL)

    @functools.cached_property
    def _totals(self) -> dict[Key, Counts]:
        return {key: Counts(*row) for key, row in zip(self.keys, self.counts.sum(axis=0).tolist())}

    def totals(self) -> dict[Key, Counts]:
        """Corpus counts per key: the sums of the unit counts."""
        return self._totals

    def total(self, metric: str, label: str = OVERALL) -> Counts:
        return self._totals.get((metric, label), ZERO)

    def unit_counts(self, index: int) -> dict[Key, Counts]:
        """The non-zero counts of unit ``units[index]``."""
        return {key: Counts(*row) for key, row in zip(self.keys, self.counts[index].tolist()) if any(row)}

    def macro_f1(self, metric: str) -> float:
        return macro_average([self.total(metric, label) for label in self.labels(metric)])

    def _matrix(self) -> np.ndarray:
        """Per-unit ``(2 * credit, predicted, gold)`` for each key: shape ``(units, keys, 3)``, int32 (a
        unit's counts are small), summed in place: one array of that size, however many units."""
        tp, fp, fn, partial, incorrect = np.moveaxis(self.counts, -1, 0)
        out = np.empty((*self.counts.shape[:-1], 3), dtype=np.int32)
        doubled, predicted, gold = np.moveaxis(out, -1, 0)
        for target, terms in ((doubled, (tp, tp, partial)), (predicted, (tp, partial, incorrect, fp)), (gold, (tp, partial, incorrect, fn))):
            np.copyto(target, terms[0], casting="unsafe")
            for term in terms[1:]:
                np.add(target, term, out=target, casting="unsafe")
        return out


class Tally:
    """Builds a :class:`Scoreboard` from outcome *events* recorded per unit.

    An event is any hashable naming an outcome (say, "a pair with the same span and another type, gold
    GPE, predicted LOC"); ``expand(event)`` lists the ``(key, field)`` counts it increments, once per
    distinct event. A scorer records one event per item, whatever the number of metrics and labels it
    affects, and the events are expanded into counts once, vectorised, at the end.
    """

    def __init__(self, expand: Callable[[Hashable], Iterable[tuple[Key, str]]]):
        self._expand = expand
        self._units: dict[UnitId, int] = {}
        self._events: dict[Hashable, int] = {}
        self._unit_of = array("q")
        self._event_of = array("q")
        self._declared: tuple[Sequence[UnitId], np.ndarray] | None = None

    def add_unit(self, unit: UnitId) -> None:
        """Declare a unit, which counts for resampling even if no event is recorded in it."""
        self._units.setdefault(unit, len(self._units))

    def record(self, unit: UnitId, event: Hashable) -> None:
        self._unit_of.append(self._units.setdefault(unit, len(self._units)))
        self._event_of.append(self._events.setdefault(event, len(self._events)))

    def record_all(self, units: Sequence[UnitId], events: Sequence[Hashable]) -> None:
        """``record(unit, event)`` for each pair of the two sequences."""
        self._unit_of.extend([self._units.setdefault(unit, len(self._units)) for unit in units])
        self._event_of.extend([self._events.setdefault(event, len(self._events)) for event in events])

    def record_indexed(
        self, units: Sequence[UnitId], unit_index: np.ndarray, events: Sequence[Hashable], event_index: np.ndarray
    ) -> None:
        """``record(units[u], events[e])`` for each ``u, e`` of the two index arrays: a whole corpus's
        outcomes at once, each unit and distinct event named once. Every unit of ``units`` is declared
        (:meth:`add_unit`), with or without an event; a second call with the same ``units`` object
        reuses its ids."""
        if self._declared is None or self._declared[0] is not units:
            self._declared = (units, np.array([self._units.setdefault(unit, len(self._units)) for unit in units], dtype=np.int64))
        unit_ids = self._declared[1]
        event_ids = np.array([self._events.setdefault(event, len(self._events)) for event in events], dtype=np.int64)
        self._unit_of.frombytes(unit_ids[unit_index].tobytes())
        self._event_of.frombytes(event_ids[event_index].tobytes())

    def scoreboard(self) -> Scoreboard:
        effects = {event: list(self._expand(event)) for event in self._events}
        keys = tuple(sorted({key for effect in effects.values() for key, _ in effect}))
        width = len(Counts._fields)
        column = {key: i * width for i, key in enumerate(keys)}
        # each event's effects as cells of a unit's flattened (keys x fields) row, in CSR form
        cells = [[column[key] + FIELDS[name] for key, name in effects[event]] for event in self._events]
        starts = np.cumsum([0, *map(len, cells)])
        flat_cells = np.fromiter((cell for row in cells for cell in row), dtype=np.int64, count=int(starts[-1]))

        units = sorted(self._units)
        rank = np.empty(len(units), dtype=np.int64)
        rank[[self._units[unit] for unit in units]] = np.arange(len(units))
        n_events = max(len(self._events), 1)
        codes, multiplicity = np.unique(
            rank[np.frombuffer(self._unit_of, dtype=np.int64)] * n_events + np.frombuffer(self._event_of, dtype=np.int64),
            return_counts=True,
        )
        unit_index, event_index = np.divmod(codes, n_events)
        lengths = starts[1:][event_index] - starts[:-1][event_index]
        first_cell = np.repeat(starts[:-1][event_index] - np.cumsum(lengths) + lengths, lengths)
        cell = flat_cells[first_cell + np.arange(int(lengths.sum()))]
        row_width = len(keys) * width
        # each cell once per time its event was recorded: integer counts, with no float copy of a
        # (units x keys x fields) array, which is large when every sentence is a unit
        increments = np.repeat(np.repeat(unit_index, lengths) * row_width + cell, np.repeat(multiplicity, lengths))
        counts = np.bincount(increments, minlength=len(units) * row_width)
        return Scoreboard(tuple(units), keys, counts.reshape(len(units), len(keys), width))


def macro_average(counts: Sequence[Counts]) -> float:
    """Mean F1 over labels (0 when there is none)."""
    return sum(c.f1 for c in counts) / len(counts) if counts else 0.0


def choose_unit(n_documents: int) -> str:
    """``"sentence"`` while the corpus is too small to resample documents, ``"document"`` after."""
    return "document" if n_documents >= DOCUMENT_UNITS_FROM else "sentence"


# --------------------------------------------------------------------------------------------------
# Bootstrap intervals and paired tests


@dataclass(frozen=True)
class Interval:
    """A percentile bootstrap interval of an F1."""

    low: float
    high: float

    @property
    def half_width(self) -> float:
        return (self.high - self.low) / 2


@dataclass(frozen=True)
class Intervals:
    """Bootstrap intervals of every F1 of a scoreboard: per key, and of each metric's macro average."""

    resamples: int
    seed: int
    f1: Mapping[Key, Interval]
    macro: Mapping[str, Interval]


_CHUNK = 100
"""Replicates drawn and summed at once, at most; fewer for many units (:func:`_chunk`)."""
_CHUNK_NUMBERS = 1 << 20
"""Unit draws held at once: a chunk's arrays stay near 8 MB however many units there are."""


def _chunk(n_units: int) -> int:
    """Replicates per chunk for ``n_units`` units (the draws are the same whatever the chunking)."""
    return max(1, min(_CHUNK, _CHUNK_NUMBERS // max(n_units, 1)))


def _draw_indices(words: np.random.MT19937, replicates: int, n_units: int) -> np.ndarray:
    """``replicates`` rows of ``n_units`` unit indices drawn with replacement.

    Index ``floor(w * n / 2**32)`` for each successive little-endian 32-bit word ``w`` of
    ``Random(seed).randbytes``, the words taken from :func:`_stdlib_words` (the same words, faster)."""
    drawn = words.random_raw(replicates * n_units)
    drawn *= np.uint64(n_units)  # in place: a million draws need no second copy
    drawn >>= np.uint64(32)
    return drawn.view(np.int64).reshape(replicates, n_units)  # below n_units: the same value signed


def seeded(seed: int) -> random.Random:
    """``random.Random(seed)`` for a seed of 0 or more. A negative seed is refused: Python seeds with its
    absolute value, so -7 would draw what 7 draws under another signature."""
    if seed < 0:
        raise ValueError(f"the seed must be an integer of 0 or more, not {seed!r}")
    return random.Random(seed)


def _stdlib_words(seed: int) -> np.random.MT19937:
    """numpy's Mersenne Twister in the state of ``random.Random(seed)``: its raw outputs are the
    32-bit words of ``Random(seed).randbytes``, so the draws are reproducible from the seed and the
    Python standard library alone, while numpy generates them without building a Python integer."""
    state = seeded(seed).getstate()[1]
    words = np.random.MT19937()
    words.state = {"bit_generator": "MT19937", "state": {"key": np.array(state[:-1], dtype=np.uint32), "pos": state[-1]}}
    return words


def _resampled_sums(matrix: np.ndarray, resamples: int, seed: int) -> Iterable[np.ndarray]:
    """Chunks of bootstrap replicates: ``(replicates, keys, 3)`` sums over resamples of the units."""
    n_units = matrix.shape[0]
    distinct, inverse = _distinct_columns(matrix.reshape(n_units, -1))
    # a sum of resampled counts is at most n_units times the largest: below 2**24, float32 holds every
    # partial sum exactly, and the product is the float64 one, computed twice as fast
    exact_in_float32 = n_units * float(np.abs(distinct).max(initial=0)) < 2**24
    distinct = distinct.astype(np.float32 if exact_in_float32 else np.float64)
    words = _stdlib_words(seed)
    chunk = _chunk(n_units)
    for done in range(0, resamples, chunk):
        size = min(chunk, resamples - done)
        indices = _draw_indices(words, size, n_units)
        indices += np.arange(size)[:, None] * n_units  # each replicate counts into its own row
        weights = np.bincount(indices.ravel(), minlength=size * n_units).reshape(size, n_units)
        yield (weights.astype(distinct.dtype) @ distinct)[:, inverse].astype(np.float64).reshape(size, *matrix.shape[1:])


def _distinct_columns(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct columns of ``matrix`` and, for each column, the index of its copy among them.
    Many keys share a column (every metric of a label has the same predicted and gold counts), and
    summing each column once halves the work."""
    # columns with different sums differ; among equal sums, compare the columns themselves (no copy)
    sums = matrix.sum(axis=0).tolist()
    representatives: list[int] = []
    inverse: list[int] = []
    for j, total in enumerate(sums):
        index = next((k for k, r in enumerate(representatives) if sums[r] == total and np.array_equal(matrix[:, r], matrix[:, j])), None)
        if index is None:
            index = len(representatives)
            representatives.append(j)
        inverse.append(index)
    return matrix[:, representatives], np.array(inverse, dtype=np.intp)


def _f1(sums: np.ndarray) -> np.ndarray:
    """F1 of ``(..., 3)`` arrays of ``(2 * credit, predicted, gold)``."""
    return precision_recall_f1(sums[..., 0] / 2, sums[..., 1], sums[..., 2])[2]


def _replicate_f1s(matrix: np.ndarray, resamples: int, seed: int) -> np.ndarray:
    """``(resamples, keys)``: every key's F1 in every bootstrap replicate; NaN where the replicate drew
    no gold and no predicted item of the key. Such a replicate says nothing about how well that label is
    found, and counting it as F1 = 0 would widen a perfect system's interval to zero."""
    return np.concatenate([_f1_where_defined(sums) for sums in _resampled_sums(matrix, resamples, seed)])


def _f1_where_defined(sums: np.ndarray) -> np.ndarray:
    f1 = _f1(sums)
    return np.where((sums[..., 1] == 0) & (sums[..., 2] == 0), np.nan, f1)


def _macro(f1s: np.ndarray, keys: Sequence[Key]) -> dict[str, np.ndarray]:
    """Each metric's macro average (mean over its labels) of ``(..., keys)`` F1 arrays."""
    columns: dict[str, list[int]] = {}
    for i, (metric, label) in enumerate(keys):
        columns.setdefault(metric, [])
        if label != OVERALL:
            columns[metric].append(i)
    return {metric: _mean_of_defined(f1s[..., cols]) for metric, cols in columns.items()}


def _mean_of_defined(values: np.ndarray) -> np.ndarray:
    """Mean over the last axis of the values that are not NaN (0 where none is)."""
    defined = ~np.isnan(values)
    total = np.where(defined, values, 0.0).sum(axis=-1)
    count = defined.sum(axis=-1)
    return np.divide(total, count, out=np.zeros_like(total, dtype=float), where=count > 0)


def _interval(values: np.ndarray, confidence: float) -> Interval:
    """Percentiles by linear interpolation between order statistics (numpy's default method), over the
    replicates where the F1 is defined."""
    values = values[~np.isnan(values)]
    if not values.size:
        return Interval(0.0, 0.0)
    tail = 50 * (1 - confidence)
    low, high = np.percentile(values, [tail, 100 - tail])
    return Interval(float(low), float(high))


def bootstrap(
    board: Scoreboard, *, resamples: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED, confidence: float = CONFIDENCE
) -> Intervals:
    """Percentile bootstrap intervals of every F1 on ``board``, resampling its units with replacement.

    Every replicate resamples units once and recomputes every F1 (each key's and each macro average)
    from the same resample, so the intervals of related metrics are drawn jointly.
    """
    if resamples < 1 or not board.units or not board.keys:
        return Intervals(resamples, seed, {}, {})
    f1s = _replicate_f1s(board._matrix(), resamples, seed)
    return Intervals(
        resamples,
        seed,
        {key: _interval(f1s[:, i], confidence) for i, key in enumerate(board.keys)},
        {metric: _interval(values, confidence) for metric, values in _macro(f1s, board.keys).items()},
    )


@dataclass(frozen=True)
class PairedResult:
    """System B minus system A on one F1, with two-sided p-values of the null hypothesis of no difference."""

    f1_a: float
    f1_b: float
    p_bootstrap: float
    p_randomization: float

    @property
    def delta(self) -> float:
        return self.f1_b - self.f1_a


def _aligned(a: Scoreboard, b: Scoreboard) -> tuple[tuple[Key, ...], np.ndarray, np.ndarray]:
    if a.units != b.units:
        raise ValueError("paired tests need both systems scored on the same units")
    keys = tuple(sorted(set(a.keys) | set(b.keys)))
    return keys, _widen(a, keys), _widen(b, keys)


def _widen(board: Scoreboard, keys: Sequence[Key]) -> np.ndarray:
    matrix = np.zeros((len(board.units), len(keys), 3))
    position = {key: i for i, key in enumerate(keys)}
    if board.keys:
        matrix[:, [position[key] for key in board.keys]] = board._matrix()
    return matrix


def _p_values(replicates: np.ndarray, observed: np.ndarray) -> np.ndarray:
    """``(c + 1) / (n + 1)``, ``c`` counting replicates at least as far from 0 as the observation."""
    exceeding = (np.abs(replicates) >= np.abs(observed) - _TOLERANCE).sum(axis=0)
    return (exceeding + 1) / (len(replicates) + 1)


def paired_tests(
    a: Scoreboard, b: Scoreboard, *, resamples: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED
) -> tuple[dict[Key, PairedResult], dict[str, PairedResult]]:
    """Paired bootstrap and paired approximate randomization on every F1 (per key, then macro).

    Both take ``p = (c + 1) / (n + 1)`` over ``n`` replicates, two-sided:

    * bootstrap: resample units (the same draws as :func:`bootstrap`) for both systems at once; ``c``
      counts replicates whose difference, shifted by the replicates' mean difference to mimic the null,
      is at least as large in absolute value as the observed one (Berg-Kirkpatrick et al., 2012);
    * approximate randomization: swap the two systems' counts in each unit with probability 1/2 (one
      bit of ``Random(seed).randbytes`` per unit); ``c`` counts replicates whose absolute difference is
      at least the observed one (Noreen, 1989; Riezler and Maxwell, 2005).
    """
    if resamples < 1:
        raise ValueError("paired tests need at least one replicate")
    keys, matrix_a, matrix_b = _aligned(a, b)
    total_a, total_b = matrix_a.sum(axis=0), matrix_b.sum(axis=0)
    f1_a, f1_b = _f1_where_defined(total_a), _f1_where_defined(total_b)
    macro_a, macro_b = _macro(f1_a, keys), _macro(f1_b, keys)

    def differences(f1s_a: np.ndarray, f1s_b: np.ndarray) -> np.ndarray:
        """``(replicates, keys + metrics)``: B minus A, per key then per metric's macro average.

        F1s are NaN where undefined (no gold and no predicted item): a key's difference takes that as 0,
        as every reported F1 does, and each system's macro average leaves it out, as its report does."""
        macro_of_a, macro_of_b = _macro(f1s_a, keys), _macro(f1s_b, keys)
        per_key = np.nan_to_num(f1s_b) - np.nan_to_num(f1s_a)
        return np.column_stack([per_key, *(macro_of_b[m] - macro_of_a[m] for m in macro_a)])

    observed = differences(f1_a[None], f1_b[None])[0]

    resampled = _replicate_f1s(np.concatenate([matrix_a, matrix_b], axis=1), resamples, seed)
    boot = differences(resampled[:, : len(keys)], resampled[:, len(keys) :])
    p_bootstrap = _p_values(boot - boot.mean(axis=0), observed)

    difference = (matrix_b - matrix_a).reshape(len(a.units), -1)
    rng = seeded(seed)
    shuffled = []
    for done in range(0, resamples, _CHUNK):
        size = min(_CHUNK, resamples - done)
        shift = (_swap_masks(rng, size, len(a.units)) @ difference).reshape(size, len(keys), 3)
        shuffled.append(differences(_f1_where_defined(total_a + shift), _f1_where_defined(total_b - shift)))
    p_randomization = _p_values(np.concatenate(shuffled), observed)

    def result(i: int, fa: float, fb: float) -> PairedResult:
        return PairedResult(float(fa), float(fb), float(p_bootstrap[i]), float(p_randomization[i]))

    f1_a, f1_b = np.nan_to_num(f1_a), np.nan_to_num(f1_b)
    per_key = {key: result(i, f1_a[i], f1_b[i]) for i, key in enumerate(keys)}
    per_macro = {m: result(len(keys) + j, macro_a[m], macro_b[m]) for j, m in enumerate(macro_a)}
    return per_key, per_macro


_TOLERANCE = 1e-12
"""Differences equal up to float rounding count as equal (a replicate equal to the observation counts)."""


def _swap_masks(rng: random.Random, replicates: int, n_units: int) -> np.ndarray:
    """``replicates`` rows of ``n_units`` 0/1 swap decisions, from successive bits of ``rng.randbytes``."""
    row_bytes = (n_units + 7) // 8
    bits = np.unpackbits(
        np.frombuffer(rng.randbytes(row_bytes * replicates), dtype=np.uint8).reshape(replicates, row_bytes),
        axis=1,
        bitorder="little",
    )
    return bits[:, :n_units].astype(np.float64)


# --------------------------------------------------------------------------------------------------
# Signature


def signature(
    *,
    version: str,
    data_version: str,
    data_sha256: str,
    task: str,
    split: str | None = None,
    layer: str | None = None,
    match: str | None = None,
    unit: str | None = None,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    **more: str,
) -> str:
    """The reproducibility signature, in sacrebleu's style: every choice that changes a number.

    >>> signature(version="0.1.0", data_version="0.2.0", data_sha256="f36ad5bd00", split="test", task="entities",
    ...           layer="flat", match="strict", unit="document")
    'khabar:0.1.0|data:0.2.0+f36ad5bd|split:test|task:entities|layer:flat|match:strict|unit:document|boot:1000|seed:12345'
    """
    parts = [f"khabar:{version}", f"data:{data_version}+{data_sha256[:8]}"]
    parts += [f"split:{split}"] if split is not None else []
    parts += [f"task:{task}"]
    parts += [f"{name}:{value}" for name, value in (("layer", layer), ("match", match), ("unit", unit)) if value is not None]
    parts += [f"{name}:{value}" for name, value in more.items()]
    parts += [f"boot:{resamples}", f"seed:{seed}"]
    return "|".join(parts)
