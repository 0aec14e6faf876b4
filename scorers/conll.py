"""CoNLL files: reading, validating, decoding IOB2 tags into chunks, and scoring them as entities.

A CoNLL file has one token a line, whitespace-separated columns, and a blank line between sentences:

* flat: ``token gold-tag predicted-tag``;
* nested (Wojood's multi-column form): ``token``, then ``k`` gold columns, then ``k`` predicted columns,
  one column per nesting layer.

A line whose token is ``-DOCSTART-`` starts a new document (its tags are ignored); documents only decide
the resampling unit (sentences while there are fewer than 30 documents, as everywhere in Khabar).

Tags are decoded into chunks by one of two decoders, which differ only on an ``I-X`` that does not
continue a chunk of type X (a "stray" I-):

* ``strict``: seqeval's ``mode="strict", scheme=IOB2``: a chunk starts at ``B-X`` only and continues
  over ``I-X``; a stray ``I-X`` belongs to no chunk;
* ``conlleval``: conlleval.pl's rules: a chunk also starts at an ``I-X`` that follows ``O``, the end of
  the sentence, or a tag of another type.

Chunks are then scored like any entities (:mod:`khabar.scorers.entities`), in token offsets; the
``strict`` metric of the result is seqeval's (or conlleval's) chunk precision, recall and F1.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from khabar.corpus.format import InputError, Problem, display_path, text_lines
from khabar.scorers.core import DEFAULT_RESAMPLES, DEFAULT_SEED, choose_unit
from khabar.scorers.entities import Entity, score_entity_spans
from khabar.scorers.report import Report

DECODERS = ("strict", "conlleval")
DOCUMENT_START = "-DOCSTART-"
_TAG = re.compile(r"O|[BI]-\S+")


@dataclass(frozen=True)
class Sentence:
    """One sentence of a CoNLL file: its tag columns (one tuple of tags per layer) and where it is."""

    gold: tuple[tuple[str, ...], ...]
    predicted: tuple[tuple[str, ...], ...]
    document: int
    line: int


def parse_conll(lines: Iterable[str], where: str) -> list[Sentence]:
    """Sentences of a CoNLL file given as lines; ``where`` names the file in error messages.

    Raises :class:`InputError` listing every line with a wrong column count or an invalid tag.
    """
    sentences: list[Sentence] = []
    problems: list[Problem] = []
    rows: list[list[str]] = []
    columns = None
    columns_line = 0
    document = 0
    first_line = 0

    def close() -> None:
        if rows:
            layers = (columns - 1) // 2
            tags = list(zip(*(row[1:] for row in rows)))
            sentences.append(Sentence(tuple(tags[:layers]), tuple(tags[layers:]), document, first_line))
            rows.clear()

    for number, line in enumerate(lines, 1):
        fields = line.split()
        if not fields:
            close()
            continue
        if fields[0] == DOCUMENT_START:
            close()
            document += 1 if sentences else 0
            continue
        if columns is None:
            columns, columns_line = len(fields), number
            if columns < 3 or columns % 2 == 0:
                raise InputError(
                    f"{where}:{number}: {columns} columns; expected a token, then as many predicted tag "
                    f"columns as gold ones (3 for a flat file){_comment_hint(fields)}"
                )
        if len(fields) != columns:
            problems.append(
                Problem(f"{where}:{number}", "", f"{len(fields)} columns, expected {columns} like line {columns_line}{_comment_hint(fields)}")
            )
            continue
        for column, tag in enumerate(fields[1:], 2):
            if not _TAG.fullmatch(tag):
                problems.append(Problem(f"{where}:{number}", f"column {column}", f"invalid tag {tag!r} (expected O, B-TYPE or I-TYPE)"))
        if not rows:
            first_line = number
        rows.append(fields)
    close()
    if problems:
        raise InputError(problems)
    if not sentences:
        raise InputError(f"{where}: no token line (expected a token and its gold and predicted tags on each line)")
    return sentences


def _comment_hint(fields: Sequence[str]) -> str:
    """A line like ``# sent_id = 3`` is a comment only to readers that skip them; this one does not."""
    return "; comment lines are not read (khabar export conll --no-comments writes none)" if fields[0] == "#" else ""


def read_conll(path: Path) -> list[Sentence]:
    """The sentences of a CoNLL file (UTF-8), validated (see :func:`parse_conll`)."""
    return parse_conll((line for _, line in text_lines(Path(path), "a CoNLL file")), display_path(Path(path)))


def chunks(tags: Sequence[str], decoder: str = "strict") -> list[Entity]:
    """The ``(start, end, type)`` chunks (token offsets, end-exclusive) of one column of IOB2 tags."""
    if decoder not in DECODERS:
        raise ValueError(f"decoder must be one of {', '.join(DECODERS)}, not {decoder!r}")
    stray_starts = decoder == "conlleval"
    found: list[Entity] = []
    start, current = -1, ""
    for i, tag in enumerate(tags):
        prefix, kind = tag[0], tag[2:]
        if start >= 0 and not (prefix == "I" and kind == current):
            found.append((start, i, current))
            start = -1
        if prefix == "B" or (prefix == "I" and start < 0 and stray_starts):
            start, current = i, kind
    if start >= 0:
        found.append((start, len(tags), current))
    return found


def score_conll(
    *,
    sentences: Sequence[Sentence],
    decoder: str = "strict",
    layer: str = "flat",
    bootstrap: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> Report:
    """Score the predicted against the gold tags of CoNLL sentences (nervaluate's four schemas).

    Each layer column is decoded on its own; the nested layer is the set of all columns' chunks, the
    flat layer its outermost chunks. Units are sentences, or documents once there are 30.
    """
    by_document = choose_unit(len({s.document for s in sentences})) == "document"
    gold: dict[str, list[Entity]] = {}
    predicted: dict[str, list[Entity]] = {}
    offset: dict[str, int] = {}
    for index, sentence in enumerate(sentences):
        doc_id = f"{sentence.document:08d}" if by_document else f"{index:08d}"
        base = offset.get(doc_id, 0)
        gold.setdefault(doc_id, []).extend(_shift(sentence.gold, decoder, base))
        predicted.setdefault(doc_id, []).extend(_shift(sentence.predicted, decoder, base))
        offset[doc_id] = base + len(sentence.gold[0])
    report = score_entity_spans(gold=gold, predictions=predicted, layer=layer, bootstrap=bootstrap, seed=seed)
    unit = "document" if by_document else "sentence"
    return replace(report, options={"source": "conll", "decoder": decoder, "layer": layer, "unit": unit})


def _shift(columns: Sequence[Sequence[str]], decoder: str, base: int) -> list[Entity]:
    return [(base + start, base + end, kind) for column in columns for start, end, kind in chunks(column, decoder)]
