"""Exact-key comparison, the matching rule of TextEE's and OneIE's event scorers, shared by the quote and
event scorers.

Each side of a comparison is a *set* of hashable keys (say ``(event subtype, argument start, argument
end)``): a key in both sets is a true positive, a key only predicted a false positive, a key only in gold
a false negative. Writing the same key twice changes nothing, and the order of the input never matters.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping

from khabar.scorers.core import Key, Tally, UnitId


def first_units(items: Iterable[tuple[Hashable, int]], locate) -> dict[Hashable, UnitId]:
    """Each distinct key with the unit of its leftmost occurrence; ``items`` are ``(key, offset)``
    pairs and ``locate`` maps an offset to a unit (:meth:`khabar.scorers.units.Units.locate`)."""
    leftmost: dict[Hashable, int] = {}
    for key, offset in items:
        if key not in leftmost or offset < leftmost[key]:
            leftmost[key] = offset
    return {key: locate(offset) for key, offset in leftmost.items()}


def record_keys(
    tally: Tally, metric_key: Key, gold: Mapping[Hashable, UnitId], predicted: Mapping[Hashable, UnitId]
) -> None:
    """Count one metric's keys: ``gold`` and ``predicted`` map each distinct key to the unit it belongs to.

    A true positive or a miss goes to the unit of the gold key, a false positive to that of the predicted
    one.
    """
    for key, unit in gold.items():
        tally.record(unit, (metric_key, "tp" if key in predicted else "fn"))
    for key, unit in predicted.items():
        if key not in gold:
            tally.record(unit, (metric_key, "fp"))


def count_once(event: tuple[Key, str]) -> list[tuple[Key, str]]:
    """The :class:`~khabar.scorers.core.Tally` expansion of events that are already ``(key, field)``."""
    return [event]
