"""The scoring machinery every Khabar task shares: counts, matching, corpus tables, intervals, tests.

Every metric is computed in three steps:

1. A task scorer matches predicted against gold items (:func:`greedy_match`) and tallies, for each
   *unit* (a sentence or a document) and each ``(metric, label)`` key, one :class:`Counts`.
2. Corpus figures are sums of unit counts (micro average; the label :data:`OVERALL` carries each
   metric's overall counts); the macro average is the mean F1 of the labels seen in gold or predictions.
3. Uncertainty comes from resampling the per-unit counts, never from re-running a matcher: percentile
   bootstrap intervals (:func:`bootstrap`) and paired tests between two systems (:func:`paired_tests`).

Precision, recall and F1 are derived from counts in one place, :func:`precision_recall_f1`.
"""

from __future__ import annotations

import functools
import math
import random
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
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


def precision_recall_f1(credit: float, predicted: int, gold: int) -> tuple[float, float, float]:
    """Precision ``credit / predicted``, recall ``credit / gold`` and their harmonic mean; 0/0 is 0."""
    precision = credit / predicted if predicted else 0.0
    recall = credit / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


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


def overlapping_pairs(predicted: Sequence[tuple], gold: Sequence[tuple]) -> list[tuple[int, int]]:
    """Every ``(prediction_index, gold_index)`` whose spans share a character.

    Items are ``(start, end, ...)`` tuples (end-exclusive), each sequence sorted by start. A sweep: gold
    items that end before a prediction starts are dropped for good, since later predictions start later.
    """
    pairs = []
    first = 0
    for p, (start, end, *_) in enumerate(predicted):
        while first < len(gold) and gold[first][1] <= start:
            first += 1
        for g in range(first, len(gold)):
            if gold[g][0] >= end:
                break
            if gold[g][1] > start:
                pairs.append((p, g))
    return pairs


# --------------------------------------------------------------------------------------------------
# Corpus tables


@dataclass(frozen=True)
class Scoreboard:
    """One system's per-unit counts: the only input of corpus figures, intervals and paired tests.

    ``units`` are sorted; ``rows[i]`` maps each key with a non-zero count in unit ``units[i]`` to it.
    """

    units: tuple[UnitId, ...]
    rows: tuple[Mapping[Key, Counts], ...]
    keys: tuple[Key, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "keys", tuple(sorted({key for row in self.rows for key in row})))

    @classmethod
    def from_units(cls, units: Mapping[UnitId, Mapping[Key, Counts]]) -> Scoreboard:
        ordered = sorted(units)
        return cls(tuple(ordered), tuple(units[u] for u in ordered))

    @property
    def metrics(self) -> tuple[str, ...]:
        return tuple(sorted({metric for metric, _ in self.keys}))

    def labels(self, metric: str) -> tuple[str, ...]:
        """The labels of ``metric`` seen in gold or predictions (the macro average's labels), sorted."""
        return tuple(label for m, label in self.keys if m == metric and label != OVERALL)

    def total(self, metric: str, label: str = OVERALL) -> Counts:
        return self.totals().get((metric, label), ZERO)

    @functools.cached_property
    def _totals(self) -> dict[Key, Counts]:
        sums: dict[Key, list[int]] = {key: [0] * len(Counts._fields) for key in self.keys}
        for row in self.rows:
            for key, counts in row.items():
                total = sums[key]
                for i, value in enumerate(counts):
                    total[i] += value
        return {key: Counts(*values) for key, values in sums.items()}

    def totals(self) -> dict[Key, Counts]:
        """Corpus counts per key: the sums of the unit counts."""
        return self._totals

    def macro_f1(self, metric: str) -> float:
        return macro_average([self.total(metric, label) for label in self.labels(metric)])

    def _matrix(self) -> np.ndarray:
        """Per-unit ``(2 * credit, predicted, gold)`` for each key: shape ``(units, keys, 3)``, float64
        (exact: the values are small integers)."""
        column = {key: i for i, key in enumerate(self.keys)}
        matrix = np.zeros((len(self.units), len(self.keys), 3))
        for u, row in enumerate(self.rows):
            for key, c in row.items():
                matrix[u, column[key]] = (2 * c.tp + c.partial, c.predicted, c.gold)
        return matrix


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
"""Replicates drawn and summed at once, bounding memory at ``_CHUNK * units`` numbers."""


def _draw_indices(rng: random.Random, replicates: int, n_units: int) -> np.ndarray:
    """``replicates`` rows of ``n_units`` unit indices drawn with replacement.

    Index ``floor(w * n / 2**32)`` for each successive little-endian 32-bit word ``w`` of
    ``rng.randbytes``: stdlib randomness (reproducible from the seed alone), vectorised arithmetic."""
    words = np.frombuffer(rng.randbytes(4 * replicates * n_units), dtype="<u4").astype(np.uint64)
    return ((words * np.uint64(n_units)) >> np.uint64(32)).astype(np.intp).reshape(replicates, n_units)


def _resampled_sums(matrix: np.ndarray, resamples: int, seed: int) -> Iterable[np.ndarray]:
    """For each bootstrap replicate, the ``(keys, 3)`` sums over a resample of the units."""
    n_units = matrix.shape[0]
    flat = matrix.reshape(n_units, -1)
    rng = random.Random(seed)
    for done in range(0, resamples, _CHUNK):
        size = min(_CHUNK, resamples - done)
        indices = _draw_indices(rng, size, n_units)
        offsets = np.arange(size)[:, None] * n_units
        weights = np.bincount((indices + offsets).ravel(), minlength=size * n_units).reshape(size, n_units)
        yield from (weights @ flat).reshape(size, *matrix.shape[1:])


def _f1s(sums: np.ndarray) -> list[float]:
    return [precision_recall_f1(credit2 / 2, predicted, gold)[2] for credit2, predicted, gold in sums.tolist()]


def _macro_columns(keys: Sequence[Key]) -> dict[str, list[int]]:
    columns: dict[str, list[int]] = {}
    for i, (metric, label) in enumerate(keys):
        columns.setdefault(metric, [])
        if label != OVERALL:
            columns[metric].append(i)
    return columns


def _macro_f1s(f1s: Sequence[float], columns: Mapping[str, Sequence[int]]) -> dict[str, float]:
    return {metric: sum(f1s[i] for i in cols) / len(cols) if cols else 0.0 for metric, cols in columns.items()}


def percentile(sorted_values: Sequence[float], fraction: float) -> float:
    """Linear interpolation between order statistics (numpy's default ``percentile`` method)."""
    position = (len(sorted_values) - 1) * fraction
    below = math.floor(position)
    above = min(below + 1, len(sorted_values) - 1)
    return sorted_values[below] + (position - below) * (sorted_values[above] - sorted_values[below])


def _interval(values: list[float], confidence: float) -> Interval:
    values.sort()
    tail = (1 - confidence) / 2
    return Interval(percentile(values, tail), percentile(values, 1 - tail))


def bootstrap(
    board: Scoreboard, *, resamples: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED, confidence: float = CONFIDENCE
) -> Intervals:
    """Percentile bootstrap intervals of every F1 on ``board``, resampling its units with replacement.

    Every replicate resamples units once and recomputes every F1 (each key's and each macro average)
    from the same resample, so the intervals of related metrics are drawn jointly.
    """
    if resamples < 1 or not board.units or not board.keys:
        return Intervals(resamples, seed, {}, {})
    columns = _macro_columns(board.keys)
    per_key: list[list[float]] = [[] for _ in board.keys]
    per_macro: dict[str, list[float]] = {metric: [] for metric in columns}
    for sums in _resampled_sums(board._matrix(), resamples, seed):
        f1s = _f1s(sums)
        for values, f1 in zip(per_key, f1s):
            values.append(f1)
        for metric, f1 in _macro_f1s(f1s, columns).items():
            per_macro[metric].append(f1)
    return Intervals(
        resamples,
        seed,
        {key: _interval(values, confidence) for key, values in zip(board.keys, per_key)},
        {metric: _interval(values, confidence) for metric, values in per_macro.items()},
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


def _p_value(exceeding: int, replicates: int) -> float:
    return (exceeding + 1) / (replicates + 1)


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
    keys, matrix_a, matrix_b = _aligned(a, b)
    columns = _macro_columns(keys)
    observed_a, observed_b = _f1s(matrix_a.sum(axis=0)), _f1s(matrix_b.sum(axis=0))
    observed = [fb - fa for fa, fb in zip(observed_a, observed_b)]
    observed_macro = {
        m: _macro_f1s(observed_b, columns)[m] - _macro_f1s(observed_a, columns)[m] for m in columns
    }

    boot: list[list[float]] = [[] for _ in keys]
    boot_macro: dict[str, list[float]] = {m: [] for m in columns}
    stacked = np.concatenate([matrix_a, matrix_b], axis=1)
    for sums in _resampled_sums(stacked, resamples, seed):
        f1_a, f1_b = _f1s(sums[: len(keys)]), _f1s(sums[len(keys) :])
        for values, fa, fb in zip(boot, f1_a, f1_b):
            values.append(fb - fa)
        macro_a, macro_b = _macro_f1s(f1_a, columns), _macro_f1s(f1_b, columns)
        for m in columns:
            boot_macro[m].append(macro_b[m] - macro_a[m])

    swaps = [0] * len(keys)
    swaps_macro = dict.fromkeys(columns, 0)
    total_a, total_b = matrix_a.sum(axis=0), matrix_b.sum(axis=0)
    difference = (matrix_b - matrix_a).reshape(len(a.units), -1)
    rng = random.Random(seed)
    for done in range(0, resamples, _CHUNK):
        size = min(_CHUNK, resamples - done)
        for shift in (_swap_masks(rng, size, len(a.units)) @ difference).reshape(size, len(keys), 3):
            f1_a, f1_b = _f1s(total_a + shift), _f1s(total_b - shift)
            for i, (fa, fb) in enumerate(zip(f1_a, f1_b)):
                swaps[i] += abs(fb - fa) >= abs(observed[i]) - _TOLERANCE
            macro_a, macro_b = _macro_f1s(f1_a, columns), _macro_f1s(f1_b, columns)
            for m in columns:
                swaps_macro[m] += abs(macro_b[m] - macro_a[m]) >= abs(observed_macro[m]) - _TOLERANCE

    def exceeding(values: list[float], delta: float) -> int:
        mean = sum(values) / len(values)
        return sum(abs(v - mean) >= abs(delta) - _TOLERANCE for v in values)

    per_key = {
        key: PairedResult(
            observed_a[i],
            observed_b[i],
            _p_value(exceeding(boot[i], observed[i]), resamples),
            _p_value(swaps[i], resamples),
        )
        for i, key in enumerate(keys)
    }
    macro_a_obs, macro_b_obs = _macro_f1s(observed_a, columns), _macro_f1s(observed_b, columns)
    per_macro = {
        m: PairedResult(
            macro_a_obs[m],
            macro_b_obs[m],
            _p_value(exceeding(boot_macro[m], observed_macro[m]), resamples),
            _p_value(swaps_macro[m], resamples),
        )
        for m in columns
    }
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
    layer: str | None = None,
    match: str | None = None,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    **more: str,
) -> str:
    """The reproducibility signature, in sacrebleu's style: every choice that changes a number.

    >>> signature(version="0.1.0", data_version="0.1.0", data_sha256="f36ad5bd00", task="entities",
    ...           layer="flat", match="strict")
    'khabar:0.1.0|data:0.1.0+f36ad5bd|task:entities|layer:flat|match:strict|boot:1000|seed:12345'
    """
    parts = [f"khabar:{version}", f"data:{data_version}+{data_sha256[:8]}", f"task:{task}"]
    parts += [f"{name}:{value}" for name, value in (("layer", layer), ("match", match)) if value is not None]
    parts += [f"{name}:{value}" for name, value in more.items()]
    parts += [f"boot:{resamples}", f"seed:{seed}"]
    return "|".join(parts)
