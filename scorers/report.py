"""A scored submission: the counts of every metric, their intervals, a table and a JSON form.

Shared by every task. A report holds counts only; every figure it shows is derived from them by
:class:`khabar.scorers.core.Counts` (and, for intervals, :func:`khabar.scorers.core.bootstrap`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from khabar.scorers.core import CONFIDENCE, OVERALL, Counts, Interval, Intervals, Scoreboard, bootstrap

COLUMNS = ("gold", "pred", "TP", "FP", "FN", "PAR", "INC", "P", "R", "F1", "±95%")


@dataclass(frozen=True)
class Report:
    """One task's scores: per-unit counts (``board``), the metrics in display order, and intervals."""

    task: str
    board: Scoreboard
    metrics: Sequence[str]
    options: Mapping[str, Any] = field(default_factory=dict)
    intervals: Intervals | None = None
    label_order: Sequence[str] = ()
    """Labels shown first, in this order (e.g. ``schema/labels.json``'s); others follow sorted."""

    @classmethod
    def with_intervals(
        cls,
        *,
        task: str,
        board: Scoreboard,
        metrics: Sequence[str],
        options: Mapping[str, Any],
        resamples: int,
        seed: int,
        label_order: Sequence[str] = (),
    ) -> Report:
        """A report whose F1 intervals are bootstrapped from its own board (none when ``resamples`` is 0)."""
        intervals = bootstrap(board, resamples=resamples, seed=seed) if resamples else None
        return cls(task=task, board=board, metrics=metrics, options=options, intervals=intervals, label_order=label_order)

    def counts(self, metric: str, label: str = OVERALL) -> Counts:
        return self.board.total(metric, label)

    def f1(self, metric: str, label: str = OVERALL) -> float:
        return self.counts(metric, label).f1

    def macro_f1(self, metric: str) -> float:
        return self.board.macro_f1(metric)

    def interval(self, metric: str, label: str = OVERALL) -> Interval | None:
        return self.intervals.f1.get((metric, label)) if self.intervals else None

    def macro_interval(self, metric: str) -> Interval | None:
        return self.intervals.macro.get(metric) if self.intervals else None

    def labels(self, metric: str) -> list[str]:
        seen = set(self.board.labels(metric))
        ordered = [label for label in self.label_order if label in seen]
        return ordered + sorted(seen - set(ordered))

    # ----------------------------------------------------------------------------------------------
    # JSON

    def to_dict(self) -> dict[str, Any]:
        """The report as plain JSON-able data; key order is fixed, so dumps are byte-stable."""
        return {
            "task": self.task,
            "options": dict(self.options),
            "units": len(self.board.units),
            "bootstrap": None
            if self.intervals is None
            else {"resamples": self.intervals.resamples, "seed": self.intervals.seed, "confidence": CONFIDENCE},
            "metrics": {
                metric: {
                    "overall": _row(self.counts(metric), self.interval(metric)),
                    "macro": _macro_row(self.macro_f1(metric), self.macro_interval(metric)),
                    "per_label": {
                        label: _row(self.counts(metric, label), self.interval(metric, label))
                        for label in self.labels(metric)
                    },
                }
                for metric in self.metrics
            },
        }

    # ----------------------------------------------------------------------------------------------
    # Table

    def table(self) -> str:
        """A fixed-width table: each metric's overall row, macro row, then one row per label.
        Scores are percentages; ``±95%`` is the half-width of the bootstrap interval of F1."""
        rows: list[list[str]] = []
        for metric in self.metrics:
            rows.append(_cells(metric, "overall", self.counts(metric), self.interval(metric)))
            rows.append([metric, "macro"] + [""] * 9 + _score_cells(self.macro_f1(metric), self.macro_interval(metric)))
            rows.extend(
                _cells(metric, label, self.counts(metric, label), self.interval(metric, label))
                for label in self.labels(metric)
            )
        header = ["metric", "label", *COLUMNS]
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

        def line(cells: Sequence[str]) -> str:
            return "  ".join(
                cell.ljust(width) if i < 2 else cell.rjust(width) for i, (cell, width) in enumerate(zip(cells, widths))
            ).rstrip()

        title = f"{self.task}: " + ", ".join(f"{k} {v}" for k, v in self.options.items())
        title += f"; {len(self.board.units)} units"
        if self.intervals:
            title += f"; 95% bootstrap intervals, {self.intervals.resamples} resamples, seed {self.intervals.seed}"
        body = [line(header)]
        previous = None
        for row in rows:
            if previous is not None and row[0] != previous:
                body.append("")
            body.append(line(row))
            previous = row[0]
        return "\n".join([title, "", *body]) + "\n"


def _row(counts: Counts, interval: Interval | None) -> dict[str, Any]:
    return {
        **counts._asdict(),
        "gold": counts.gold,
        "predicted": counts.predicted,
        "precision": counts.precision,
        "recall": counts.recall,
        "f1": counts.f1,
        "f1_interval": None if interval is None else [interval.low, interval.high],
    }


def _macro_row(f1: float, interval: Interval | None) -> dict[str, Any]:
    return {"f1": f1, "f1_interval": None if interval is None else [interval.low, interval.high]}


def _percent(value: float) -> str:
    return f"{100 * value:.2f}"


def _score_cells(f1: float, interval: Interval | None) -> list[str]:
    return [_percent(f1), "" if interval is None else _percent(interval.half_width)]


def _cells(metric: str, label: str, c: Counts, interval: Interval | None) -> list[str]:
    return [
        metric,
        label,
        *(str(n) for n in (c.gold, c.predicted, c.tp, c.fp, c.fn, c.partial, c.incorrect)),
        _percent(c.precision),
        _percent(c.recall),
        *_score_cells(c.f1, interval),
    ]
