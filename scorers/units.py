"""From documents to scoring units: which sentence (or document) each counted item belongs to.

Matching always runs over a whole document, so a point estimate never depends on the unit choice; the
units only decide how the outcomes are grouped for resampling. An outcome belongs to the unit containing
the start of its gold item (a match or a miss) or, for a spurious prediction, of the predicted item.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from khabar.scorers.core import UnitId, choose_unit

UNIT_CHOICES = ("auto", "sentence", "document")


def resolve_unit(unit: str, n_documents: int) -> str:
    """``"sentence"`` or ``"document"``; ``"auto"`` picks by corpus size (:func:`~core.choose_unit`)."""
    if unit not in UNIT_CHOICES:
        raise ValueError(f"unit must be one of {', '.join(UNIT_CHOICES)}, not {unit!r}")
    return choose_unit(n_documents) if unit == "auto" else unit


def starts_of_units(sentence_starts: Sequence[int] | None) -> tuple[int, ...]:
    """The start offsets of a document's units: its sentences', or one unit from 0 when it has none."""
    return tuple(sentence_starts) if sentence_starts else (0,)


@dataclass(frozen=True)
class Units:
    """The units of one document: ids and the start offset of each (sorted)."""

    document: str
    starts: tuple[int, ...]

    @classmethod
    def of(cls, document_id: str, sentence_starts: Sequence[int] | None) -> Units:
        """Sentence units from the sentence start offsets; one document unit when ``None`` or empty."""
        return cls(document_id, starts_of_units(sentence_starts))

    @property
    def ids(self) -> list[UnitId]:
        return [(self.document, i) for i in range(len(self.starts))]

    def locate(self, offset: int) -> UnitId:
        """The unit containing ``offset`` (text before the first sentence counts as the first)."""
        return (self.document, max(bisect_right(self.starts, offset) - 1, 0))


def document_units(documents: Iterable, unit: str) -> dict[str, Units]:
    """:class:`Units` for each :class:`khabar.corpus.format.Document`, by id; ``unit`` is resolved."""
    documents = list(documents)
    kind = resolve_unit(unit, len(documents))
    return {
        doc.id: Units.of(doc.id, [s.start for s in doc.sentences] if kind == "sentence" else None)
        for doc in documents
    }


def sentence_starts_of(documents: Iterable, unit: str) -> dict[str, list[int]] | None:
    """Each document's sentence start offsets when sentences are the units (``unit`` resolved for the
    corpus size), or ``None`` when documents are."""
    documents = list(documents)
    if resolve_unit(unit, len(documents)) != "sentence":
        return None
    return {doc.id: [s.start for s in doc.sentences] for doc in documents}
