"""CoNLL files: reading and validating them, decoding tags into chunks, and scoring the chunks as entities.

A CoNLL file has one token a line, its fields separated by spaces or tabs, and a blank line between
sentences. Lines that begin with ``#`` are comments (CoNLL-U's; ``# newdoc`` starts a document) unless
they are a token such as ``#`` followed by tags only; a line whose token is ``-DOCSTART-`` starts a
document. Documents only decide the resampling unit (sentences while there are fewer than 30 documents,
as everywhere in Khabar). Which fields hold the tags (:class:`Layout`):

* when every token line has as many fields, the last ``2n`` are ``n`` gold then ``n`` predicted
  columns, one per nesting layer, where ``n`` is half the number of tags that end the first token line
  (``EU NNP B-NP B-ORG B-ORG`` has three, so ``n = 1``; Wojood's ``token g1 g2 p1 p2`` has four); fields
  between the token and the tags (POS, chunk) are ignored;
* when lines differ in length, the file is in Wojood's nested form (what ``khabar export conll`` writes):
  the token, its gold tags, one per nesting level, outermost first, then as many predicted tags;
* ``layers=n`` (``--layers``) takes the last ``2n`` fields of every line, and ``columns``
  (``--columns``) names the gold and predicted fields.

Tags are decoded into chunks in one of six schemes (``IOB1``, ``IOB2``, ``IOE1``, ``IOE2``, ``IOBES``,
``BILOU``) by one of two decoders:

* ``strict``: seqeval 1.2.2's ``mode="strict"`` with that scheme: a chunk starts, continues and ends only
  as the scheme allows (the rules of :data:`SCHEMES`, seqeval's pattern tables), and tags that break
  them belong to no chunk;
* ``conlleval``: conlleval.pl's rules (seqeval's default mode ports them), which read every non-``O`` tag
  as part of some chunk: a stray ``I-X`` starts one. They know ``B``, ``I``, ``E`` and ``S``; BILOU's
  ``L`` and ``U`` are read as ``E`` and ``S``.

The reader parses the file's bytes with whole-array operations (a million tokens in a fraction of a
second); the chunks are then scored like any entities (:func:`khabar.scorers.entities.score_entity_columns`),
in token offsets: the ``strict`` metric of the result is seqeval's (or conlleval's) chunk precision,
recall and F1.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import NamedTuple

import numpy as np

from khabar.corpus.format import InputError, Problem, display_path, read_utf8_bytes
from khabar.scorers.core import DEFAULT_RESAMPLES, DEFAULT_SEED, choose_unit
from khabar.scorers.entities import Entity, EntityColumns, score_entity_columns
from khabar.scorers.report import Report

DECODERS = ("strict", "conlleval")
DOCUMENT_START = "-DOCSTART-"
PREFIXES = "OBIESLU"
"""Tag prefixes, by code: a tag is ``O`` or ``<prefix>-<TYPE>``."""

_O = 0
_NO_TYPE = -1
"""The type code of ``O``, which equals no type."""

# --------------------------------------------------------------------------------------------------
# Schemes: seqeval 1.2.2's pattern tables (seqeval/scheme.py), as (previous prefixes, prefixes, types)
# triples: "*" is any prefix; the types of the previous and the current tag are the "same", "diff"erent
# or "any". seqeval's loop, restated: at a token that starts a chunk given the token before it (the
# "O" outside the sentence at its start), the chunk extends over every following token that is inside
# given its predecessor; it is a chunk if the token after it (the outside "O" at the end) ends it given
# the chunk's last token, and the scan resumes after it either way.


@dataclass(frozen=True)
class Scheme:
    """A tagging scheme: its prefixes and when a chunk starts, continues and ends, as tables indexed by
    (previous prefix, prefix, same type)."""

    name: str
    prefixes: str
    start: np.ndarray
    inside: np.ndarray
    end: np.ndarray

    @classmethod
    def of(cls, name: str, prefixes: str, start, inside, end) -> Scheme:
        return cls(name, prefixes, _table(start), _table(inside), _table(end))

    def tags(self) -> str:
        """``O, B-TYPE or I-TYPE``: the tags of the scheme, for messages."""
        forms = ["O", *(f"{p}-TYPE" for p in self.prefixes if p != "O")]
        return ", ".join(forms[:-1]) + f" or {forms[-1]}"


def _table(patterns: Iterable[tuple[str, str, str]]) -> np.ndarray:
    table = np.zeros((len(PREFIXES), len(PREFIXES), 2), dtype=bool)
    for before, now, types in patterns:
        rows = [PREFIXES.index(p) for p in (PREFIXES if before == "*" else before)]
        columns = [PREFIXES.index(p) for p in (PREFIXES if now == "*" else now)]
        same = {"same": [1], "diff": [0], "any": [0, 1]}[types]
        table[np.ix_(rows, columns, same)] = True
    return table


SCHEMES = {
    scheme.name: scheme
    for scheme in (
        Scheme.of(
            "IOB1",
            "OIB",
            start=[("O", "I", "any"), ("I", "I", "diff"), ("B", "I", "any"), ("I", "B", "same"), ("B", "B", "same")],
            inside=[("B", "I", "same"), ("I", "I", "same")],
            end=[("I", "I", "diff"), ("I", "O", "any"), ("I", "B", "any"), ("B", "O", "any"), ("B", "I", "diff"), ("B", "B", "same")],
        ),
        Scheme.of(
            "IOB2",
            "OBI",
            start=[("*", "B", "any")],
            inside=[("B", "I", "same"), ("I", "I", "same")],
            end=[("I", "O", "any"), ("I", "I", "diff"), ("I", "B", "any"), ("B", "O", "any"), ("B", "I", "diff"), ("B", "B", "any")],
        ),
        Scheme.of(
            "IOE1",
            "OIE",
            start=[("O", "I", "any"), ("I", "I", "diff"), ("E", "I", "any"), ("E", "E", "same")],
            inside=[("I", "I", "same"), ("I", "E", "same")],
            end=[("I", "I", "diff"), ("I", "O", "any"), ("I", "E", "diff"), ("E", "I", "same"), ("E", "E", "same")],
        ),
        Scheme.of(
            "IOE2",
            "OIE",
            start=[("O", "I", "any"), ("O", "E", "any"), ("E", "I", "any"), ("E", "E", "any"), ("I", "I", "diff"), ("I", "E", "diff")],
            inside=[("I", "E", "same"), ("I", "I", "same")],
            end=[("E", "*", "any")],
        ),
        Scheme.of(
            "IOBES",
            "OBIES",
            start=[("*", "B", "any"), ("*", "S", "any")],
            inside=[("B", "I", "same"), ("B", "E", "same"), ("I", "I", "same"), ("I", "E", "same")],
            end=[("S", "*", "any"), ("E", "*", "any")],
        ),
        Scheme.of(
            "BILOU",
            "OBILU",
            start=[("*", "B", "any"), ("*", "U", "any")],
            inside=[("B", "I", "same"), ("B", "L", "same"), ("I", "I", "same"), ("I", "L", "same")],
            end=[("U", "*", "any"), ("L", "*", "any")],
        ),
    )
}
DEFAULT_SCHEME = "IOB2"


def _conlleval_tables() -> tuple[np.ndarray, np.ndarray]:
    """conlleval.pl's ``startOfChunk`` and ``endOfChunk`` (as seqeval's ``start_of_chunk`` and
    ``end_of_chunk`` port them), tabulated by (previous prefix, prefix, same type), BILOU's L and U read
    as E and S."""
    start = np.zeros((len(PREFIXES), len(PREFIXES), 2), dtype=bool)
    end = np.zeros_like(start)
    read = {"L": "E", "U": "S"}
    for i, before in enumerate(PREFIXES):
        for j, now in enumerate(PREFIXES):
            b, n = read.get(before, before), read.get(now, now)
            for same in (0, 1):
                end[i, j, same] = b in "ES" or (b in "BI" and n in "BSO") or (b != "O" and not same)
                start[i, j, same] = n in "BS" or (b in "ESO" and n in "EI") or (n != "O" and not same)
    return start, end


_CONLLEVAL_START, _CONLLEVAL_END = _conlleval_tables()


def _scheme(name: str) -> Scheme:
    if name not in SCHEMES:
        raise ValueError(f"scheme must be one of {', '.join(SCHEMES)}, not {name!r}")
    return SCHEMES[name]


# --------------------------------------------------------------------------------------------------
# Tagged tokens


@dataclass(frozen=True)
class TaggedTokens:
    """The gold and predicted tags of a file's (or any tagger's) tokens, as codes into ``names``,
    validated for ``scheme``."""

    names: tuple[str, ...]
    gold: np.ndarray
    """``(layers, tokens)`` tag codes."""
    predicted: np.ndarray
    sentence_starts: np.ndarray
    """The index of each sentence's first token, ascending, the first 0."""
    documents: np.ndarray
    """Each sentence's document number (non-decreasing)."""
    scheme: str = DEFAULT_SCHEME
    layout: str = "given"
    """Which fields held the tags (``"2,3"``, ``"2-3,4-5"``, ``"last4"``, ``"wojood"``), for the report
    and the signature."""

    @classmethod
    def of(cls, gold: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]], *, scheme: str = DEFAULT_SCHEME, documents: Sequence[int] | None = None) -> TaggedTokens:
        """From one gold and one predicted tag list per sentence (flat: one layer), e.g. a tagger's
        output in memory. Raises ``ValueError`` on a length mismatch or a tag outside ``scheme``."""
        if len(gold) != len(predicted) or any(len(g) != len(p) for g, p in zip(gold, predicted)):
            raise ValueError("gold and predicted sentences must have the same lengths")
        if not gold or not any(gold):
            raise ValueError("no token")
        if documents is not None and (len(documents) != len(gold) or any(b < a for a, b in zip(documents, documents[1:]))):
            raise ValueError("documents must give each sentence's document number, in non-decreasing order")
        flat_gold = [tag for sentence in gold for tag in sentence]
        flat_predicted = [tag for sentence in predicted for tag in sentence]
        names = tuple(sorted(set(flat_gold) | set(flat_predicted)))
        bad = [name for name in names if not _valid(name, _scheme(scheme))]
        if bad:
            raise ValueError(f"tags outside {scheme}: {', '.join(map(repr, bad[:5]))}")
        code = {name: i for i, name in enumerate(names)}
        lengths = np.array([len(s) for s in gold if len(s)], dtype=np.int64)
        kept = [i for i, s in enumerate(gold) if len(s)]
        return cls(
            names,
            np.array([[code[t] for t in flat_gold]], dtype=np.int32).reshape(1, -1),
            np.array([[code[t] for t in flat_predicted]], dtype=np.int32).reshape(1, -1),
            np.cumsum(lengths) - lengths,
            np.zeros(len(kept), dtype=np.int64) if documents is None else np.asarray(documents, dtype=np.int64)[kept],
            scheme,
        )

    @property
    def n_tokens(self) -> int:
        return self.gold.shape[1]

    def sentences(self) -> list[tuple[list[list[str]], list[list[str]]]]:
        """Per sentence, its gold and predicted tag columns as names (for tests and small inputs)."""
        bounds = [*self.sentence_starts.tolist(), self.n_tokens]
        return [
            tuple([[self.names[c] for c in side[layer, a:b].tolist()] for layer in range(side.shape[0])] for side in (self.gold, self.predicted))
            for a, b in zip(bounds, bounds[1:])
        ]


_TAG = re.compile(r"O|([A-Z])-\S+")


def _valid(tag: str, scheme: Scheme) -> bool:
    match = _TAG.fullmatch(tag)
    return match is not None and (match.group(1) is None or match.group(1) in scheme.prefixes.replace("O", ""))


def valid_tag(tag: str, scheme: str = DEFAULT_SCHEME) -> bool:
    """Whether ``tag`` is ``O`` or ``P-TYPE`` with a prefix ``P`` of ``scheme``."""
    return _valid(tag, _scheme(scheme))


# --------------------------------------------------------------------------------------------------
# Layout


@dataclass(frozen=True)
class Layout:
    """Which fields hold the tags. ``columns`` names them (1-based field numbers: gold, then predicted,
    one each per layer); ``layers`` takes the last ``2 * layers`` fields of every line; with neither, the
    file decides (module docstring)."""

    columns: tuple[tuple[int, ...], tuple[int, ...]] | None = None
    layers: int | None = None

    @classmethod
    def parse_columns(cls, spec: str) -> Layout:
        """``"4,5"`` (gold in field 4, predicted in field 5) or ``"2-3,4-5"`` (two layers each)."""
        match = re.fullmatch(r"(\d+)(?:-(\d+))?,(\d+)(?:-(\d+))?", spec.strip())
        if not match:
            raise ValueError(f"--columns {spec!r}: expected GOLD,PREDICTED field numbers, such as 4,5 or 2-3,4-5")
        a, b, c, d = (int(x) if x else None for x in match.groups())
        gold = tuple(range(a, (b if b is not None else a) + 1))
        predicted = tuple(range(c, (d if d is not None else c) + 1))
        if not gold or len(gold) != len(predicted) or min(gold + predicted) < 2 or set(gold) & set(predicted):
            raise ValueError(f"--columns {spec!r}: as many gold as predicted fields, all after the token (field 1) and distinct")
        return cls(columns=(gold, predicted))


def _describe(columns: Sequence[int], layers: int) -> str:
    """``"2-3,4-5"``: the tag fields of a line, gold then predicted, for the signature."""

    def run(fields: Sequence[int]) -> str:
        return str(fields[0]) if len(fields) == 1 else f"{fields[0]}-{fields[-1]}"

    return f"{run(columns[:layers])},{run(columns[layers:])}"


# --------------------------------------------------------------------------------------------------
# Reading


_WORD = 8
_BLOCK = 1 << 17
"""Bytes (and fields) handled at once: whole-array operations on blocks of this size keep the reader's
memory small (fresh memory is what costs most on a million tokens)."""


def _newlines_between(block: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The number of line breaks in each run ``block[starts[i]:ends[i]]`` of separators: runs of up to
    three bytes (a space, ``\n``, ``\r\n``, a blank line) are read byte by byte, longer ones counted."""
    lengths = ends - starts
    # the first byte of every run (a run cut by the end of the file is empty: clipped, then masked)
    count = ((block.take(starts, mode="clip") == 10) & (lengths > 0)).astype(np.int32)
    longer = np.flatnonzero(lengths > 1)
    for k in (1, 2):
        reach = longer[lengths[longer] > k]
        count[reach] += block[starts[reach] + k] == 10
    long = longer[lengths[longer] > 3]
    if len(long):
        newlines = np.flatnonzero(block == 10)
        count[long] += (np.searchsorted(newlines, ends[long]) - np.searchsorted(newlines, starts[long] + 3)).astype(np.int32)
    return count


class _Fields:
    """The fields of a file's bytes: their byte spans and, for each non-empty line, its first and last
    field and the number of line breaks after it; found block by block with whole-array operations."""

    def __init__(self, data: bytes):
        self.data = data
        view = np.frombuffer(data, dtype=np.uint8)
        # every field's first 8 bytes as one little-endian word (unaligned reads; a field in the last 7
        # bytes of the file is read as a string instead)
        self.words = np.ndarray(shape=(max(len(data) - _WORD + 1, 0),), dtype="<u8", buffer=data, strides=(1,))
        index = np.int32 if len(data) < 2**31 else np.int64
        # at most one field per two bytes: room reserved, and only what is written is ever touched
        self.starts = np.empty(len(data) // 2 + 1, dtype=index)
        self.ends = np.empty(len(data) // 2 + 1, dtype=index)
        line_last, line_breaks = [], []
        self.leading_breaks = n_fields = 0
        block_start = 0
        while block_start < len(data):
            cut = data.find(b"\n", block_start + _BLOCK)  # blocks end at a line break: no field is cut
            block_end = len(data) if cut < 0 else cut + 1
            block = view[block_start:block_end]
            separator = (block == 32) | ((block - np.uint8(9)) < 5)  # space and \t \n \v \f \r, as bytes.split()
            edges = np.flatnonzero(np.diff(separator, prepend=True, append=True))
            first, last = edges[0::2], edges[1::2]
            after = _newlines_between(block, last, np.append(first[1:], len(block)))
            lead = data.count(b"\n", block_start, block_start + (int(first[0]) if len(first) else len(block)))
            if line_breaks:  # line breaks before this block's first field follow the previous block's last
                line_breaks[-1][-1] += lead
            else:
                self.leading_breaks += lead
            ends_line = np.flatnonzero(after)
            if len(first):
                line_last.append((ends_line + n_fields).astype(index))
                line_breaks.append(after[ends_line])
            self.starts[n_fields : n_fields + len(first)] = first + block_start
            self.ends[n_fields : n_fields + len(first)] = last + block_start
            n_fields += len(first)
            block_start = block_end
        self.starts, self.ends = self.starts[:n_fields], self.ends[:n_fields]
        last = np.concatenate(line_last) if line_last else np.zeros(0, dtype=index)
        breaks = np.concatenate(line_breaks) if line_breaks else np.zeros(0, dtype=np.int32)
        if n_fields and (not len(last) or last[-1] != n_fields - 1):  # a last line without a line break
            last, breaks = np.append(last, index(n_fields - 1)), np.append(breaks, np.int32(0))
        self.line_last = last
        self.line_first = np.empty_like(last)
        if len(last):
            self.line_first[0] = 0
            self.line_first[1:] = last[:-1] + 1
        self.line_breaks = breaks
        """Line breaks after each non-empty line: 2 or more where a blank line follows."""

    def line_numbers(self, lines: np.ndarray) -> np.ndarray:
        """The 1-based file line number of non-empty lines (indices into the non-empty lines)."""
        before = np.concatenate(([0], np.cumsum(self.line_breaks, dtype=np.int64)[:-1]))
        return 1 + self.leading_breaks + before[lines]

    def text(self, field: int) -> str:
        return self.data[self.starts[field] : self.ends[field]].decode("utf-8", "replace")  # read_conll checked the file

    def _word_keys(self, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """Each field's bytes as a little-endian word (fields of up to 8 bytes that are not in the last
        7 bytes of the file): its first 8 bytes with the ones past its end shifted out."""
        shift = (64 - 8 * lengths).astype(np.uint8)
        return (self.words[starts] << shift) >> shift

    def lines_starting_with(self, prefix: bytes) -> np.ndarray:
        """The non-empty lines whose first field begins with ``prefix``, found by searching the bytes
        (such lines are few: comments, ``-DOCSTART-``)."""
        found, at = [], self.data.find(prefix)
        while at >= 0:
            found.append(at)
            at = self.data.find(prefix, at + 1)
        positions = np.array(found, dtype=self.starts.dtype)  # the haystack's type: searched without a copy of it
        field = np.searchsorted(self.starts, positions).astype(self.line_first.dtype)
        field = field[(field < len(self.starts)) & (self.starts.take(field, mode="clip") == positions)]
        line = np.searchsorted(self.line_first, field)
        return line[(line < len(self.line_first)) & (self.line_first.take(line, mode="clip") == field)]

    def codes(self, fields: np.ndarray) -> tuple[np.ndarray, list[str]]:
        """The distinct values of ``fields`` and each field's index among them (``int32``). Fields of up
        to 8 bytes are compared as words, block by block; longer ones, those at the very end of the file
        and any short one whose word a field of another length shares (so that nothing is merged by
        mistake) as strings."""
        codes = np.empty(len(fields), dtype=np.int32)
        known = np.zeros(0, dtype=np.uint64)  # the distinct words seen, sorted
        known_codes = np.zeros(0, dtype=np.int32)
        known_lengths = np.zeros(0, dtype=np.int64)
        names: list[str] = []
        slow = []
        for block_start in range(0, len(fields), _BLOCK):
            block = fields[block_start : block_start + _BLOCK]
            starts = self.starts[block]
            lengths = self.ends[block] - starts
            if lengths.max(initial=0) <= _WORD and starts.max(initial=0) < len(self.words):
                short = None  # the usual case: every field a word
                keys = self._word_keys(starts, lengths)
            else:
                short = np.flatnonzero((lengths <= _WORD) & (starts < len(self.words)))
                keys = self._word_keys(starts[short], lengths[short])
            where = np.minimum(np.searchsorted(known, keys), max(len(known) - 1, 0))
            unknown = np.flatnonzero(known[where] != keys) if len(known) else np.arange(len(keys))
            if len(unknown):
                new, first = np.unique(keys[unknown], return_index=True)
                members = unknown[first] if short is None else short[unknown[first]]
                for key, field in zip(new.tolist(), members.tolist()):
                    names.append(self.text(int(block[field])))
                    known = np.append(known, np.uint64(key))
                    known_codes = np.append(known_codes, np.int32(len(names) - 1))
                    known_lengths = np.append(known_lengths, lengths[field])
                order = np.argsort(known)
                known, known_codes, known_lengths = known[order], known_codes[order], known_lengths[order]
                where = np.searchsorted(known, keys)
            exact = (lengths if short is None else lengths[short]) == known_lengths[where]
            if short is None:
                codes[block_start : block_start + len(block)] = known_codes[where]
                slow.append(block_start + np.flatnonzero(~exact))
            else:
                codes[block_start + short] = known_codes[where]
                others = np.ones(len(block), dtype=bool)
                others[short[exact]] = False
                slow.append(block_start + np.flatnonzero(others))
        slow = np.concatenate(slow) if slow else np.zeros(0, dtype=np.int64)
        if len(slow):
            index = {name: i for i, name in enumerate(names)}
            codes[slow] = [index.setdefault(self.text(int(fields[i])), len(index)) for i in slow.tolist()]
            names = list(index)
        return codes, names


def parse_conll(
    source: bytes | str | Iterable[str],
    where: str,
    *,
    scheme: str = DEFAULT_SCHEME,
    layout: Layout = Layout(),
) -> TaggedTokens:
    """The tagged tokens of a CoNLL file given as bytes, text or lines; ``where`` names the file in error
    messages. Raises :class:`InputError` listing every line whose tags cannot be read, or that holds a
    tag outside ``scheme``."""
    if not isinstance(source, (bytes, str)):
        source = "\n".join(line.rstrip("\n") for line in source)
    data = source.encode("utf-8") if isinstance(source, str) else source
    rules = _scheme(scheme)
    fields = _Fields(data)
    if not len(fields.line_last):
        raise InputError(f"{where}: no token line (expected a token and its gold and predicted tags on each line)")
    special = _special_lines(fields, rules)
    token_lines = np.flatnonzero(special == 0)
    if not len(token_lines):
        raise InputError(f"{where}: no token line (expected a token and its gold and predicted tags on each line)")
    index, described, problems = _tag_fields(fields, token_lines, layout, rules, where)
    layers = len(index) // 2
    every = index.ravel()
    missing = every < 0
    if missing.any():  # a line of Wojood's form with fewer levels than the file reads O beyond them
        codes = np.empty(len(every), dtype=np.int32)
        codes[~missing], names = fields.codes(every[~missing])
        names = names if "O" in names else [*names, "O"]
        codes[missing] = names.index("O")
    else:
        codes, names = fields.codes(every)
    codes = codes.reshape(2 * layers, -1)
    bad = [i for i, name in enumerate(names) if not _valid(name, rules)]
    if bad:
        problems += _invalid_tag_problems(fields, token_lines, codes, index, names, bad, rules, where)
    if problems:
        raise InputError(sorted(problems, key=_line_of))

    # sentences: a blank line or a document start between two token lines; documents: -DOCSTART- or # newdoc
    starts_document = special == 2
    boundaries = np.zeros(len(special) + 1, dtype=np.int32)  # boundaries[k]: blank lines and document starts after lines < k
    np.cumsum((fields.line_breaks >= 2) | starts_document, out=boundaries[1:])
    starts_sentence = np.ones(len(token_lines), dtype=bool)
    starts_sentence[1:] = boundaries[token_lines[1:]] > boundaries[token_lines[:-1]]
    sentence_starts = np.flatnonzero(starts_sentence)
    document_marks = np.concatenate(([0], np.cumsum(starts_document, dtype=np.int32)))
    documents = (document_marks[token_lines[sentence_starts]] - document_marks[token_lines[0]]).astype(np.int64)
    return TaggedTokens(tuple(names), codes[:layers], codes[layers:], sentence_starts, documents, scheme, described)


def _line_of(problem: Problem) -> int:
    return int(problem.where.rsplit(":", 1)[1])


def _special_lines(fields: _Fields, rules: Scheme) -> np.ndarray:
    """Per non-empty line: 0 a token line, 1 a comment, 2 a document start (``-DOCSTART-`` or
    ``# newdoc``)."""
    kind = np.zeros(len(fields.line_first), dtype=np.int8)
    starts = fields.lines_starting_with(DOCUMENT_START.encode())
    first = fields.line_first[starts]
    kind[starts[fields.ends[first] - fields.starts[first] == len(DOCUMENT_START)]] = 2
    for line in fields.lines_starting_with(b"#").tolist():
        tags = [fields.text(f) for f in range(int(fields.line_first[line]) + 1, int(fields.line_last[line]) + 1)]
        if len(tags) >= 2 and all(_valid(tag, rules) for tag in tags):
            continue  # a token "#..." with its tags
        kind[line] = 2 if fields.text(int(fields.line_first[line])) == "#" and tags[:1] == ["newdoc"] else 1
    return kind


def _tag_fields(fields: _Fields, token_lines: np.ndarray, layout: Layout, rules: Scheme, where: str) -> tuple[np.ndarray, str, list[Problem]]:
    """The field index of every gold then predicted tag, ``(2 * layers, tokens)``, with -1 where a line
    has no such field (read as ``O``); how the fields were found; and a problem for each line whose tags
    cannot be found."""
    first = fields.line_first[token_lines]
    last = fields.line_last[token_lines]
    width = last - first + 1
    problems: list[Problem] = []

    def refuse(mask: np.ndarray, message) -> None:
        bad = np.flatnonzero(mask) if not mask.all() else np.zeros(1, dtype=np.int64)  # on every line: say it once
        for line, w in zip(fields.line_numbers(token_lines[bad]).tolist(), width[bad].tolist()):
            problems.append(Problem(f"{where}:{line}", "", message(w)))

    if layout.columns is not None:
        gold, predicted = layout.columns
        needed = max(gold + predicted)
        described = _describe(gold + predicted, len(gold))
        short = width < needed
        refuse(short, lambda w: f"{w} columns, but --columns {described} needs {needed}")
        index = np.array(gold + predicted, dtype=first.dtype)[:, None] - 1 + first[None, :]
    elif layout.layers is not None or (width == width[0]).all():
        layers = layout.layers if layout.layers is not None else max(_trailing_tags(fields, int(token_lines[0]), rules) // 2, 1)
        needed = 2 * layers + 1
        short = width < needed
        message = f"expected a token, then as many predicted tag columns as gold ones ({needed} for {layers} layer{'s' * (layers > 1)})"
        refuse(short, lambda w: f"{w} columns; {message}{_gold_only_hint(w, layers)}")
        index = last[None, :] - np.arange(2 * layers - 1, -1, -1, dtype=last.dtype)[:, None]
        described = f"last{2 * layers}" if layout.layers is not None else _describe(range(int(width[0]) - 2 * layers + 1, int(width[0]) + 1), layers)
    else:
        tags = width - 1
        short = (tags % 2 == 1) | (tags == 0)
        refuse(
            short,
            lambda w: f"{w} column{'s' * (w > 1)}: expected a token, its gold tags and as many predicted ones (lines of "
            "several lengths are read in Wojood's nested form; --layers or --columns says otherwise)",
        )
        layers = max(int(tags.max()) // 2, 1)
        half = tags // 2
        index = np.empty((2 * layers, len(token_lines)), dtype=first.dtype)
        for level in range(layers):  # -1: a level the line does not reach
            has = level < half
            index[level] = np.where(has, first + 1 + level, -1)
            index[layers + level] = np.where(has, first + 1 + half + level, -1)
        described = "wojood"
    if short.any():
        index[:, short] = -1
    return index, described, problems


def _trailing_tags(fields: _Fields, line: int, rules: Scheme) -> int:
    """How many fields at the end of non-empty line ``line`` are tags of ``rules``."""
    count = 0
    for field in range(int(fields.line_last[line]), int(fields.line_first[line]), -1):
        if not _valid(fields.text(field), rules):
            break
        count += 1
    return count


def _gold_only_hint(width: int, layers: int) -> str:
    return "; a file of `khabar export conll` holds the gold tags only: add the predicted ones" if width == layers + 1 else ""


def _invalid_tag_problems(fields, token_lines, codes, index, names, bad, rules: Scheme, where: str) -> list[Problem]:
    is_bad = np.isin(codes, bad)
    positions = np.argwhere(is_bad.T)  # (token, column) in line order
    problems = []
    lines = fields.line_numbers(token_lines[positions[:, 0]]).tolist() if len(positions) else []
    first = fields.line_first[token_lines]
    for (token, column), line in zip(positions.tolist(), lines):
        field = int(index[column, token])
        tag = names[codes[column, token]]
        problems.append(
            Problem(
                f"{where}:{line}",
                f"column {field - int(first[token]) + 1}",
                f"invalid tag {tag!r} (expected {rules.tags()}, the tags of {rules.name}; --scheme chooses another)",
            )
        )
    return problems


def read_conll(path: Path, *, scheme: str = DEFAULT_SCHEME, layout: Layout = Layout()) -> TaggedTokens:
    """The tagged tokens of a CoNLL file (UTF-8), validated (see :func:`parse_conll`)."""
    return parse_conll(read_utf8_bytes(Path(path), "a CoNLL file"), display_path(Path(path)), scheme=scheme, layout=layout)


# --------------------------------------------------------------------------------------------------
# Decoding


class Tags(NamedTuple):
    """A set of tag names as the decoder reads them: per tag code (the index in ``names``, plus one more
    code for the ``O`` outside each sentence), its prefix (:data:`PREFIXES` index) and its type (index
    in ``types``, or ``-1`` for ``O``)."""

    names: Sequence[str]
    prefix: np.ndarray
    type: np.ndarray
    types: list[str]

    @classmethod
    def of(cls, names: Sequence[str]) -> Tags:
        types = sorted({name[2:] for name in names if name != "O"})
        index = {name: i for i, name in enumerate(types)}
        prefix = [PREFIXES.index(name[0]) if name != "O" else _O for name in names] + [_O]
        kind = [index[name[2:]] if name != "O" else _NO_TYPE for name in names] + [_NO_TYPE]
        return cls(names, np.array(prefix, dtype=np.int64), np.array(kind, dtype=np.int64), types)

    @property
    def outside(self) -> int:
        """The code of the ``O`` before and after every sentence."""
        return len(self.names)

    def pairs(self, table: np.ndarray) -> np.ndarray:
        """``table`` (previous prefix, prefix, same type) as a flat table over pairs of tag codes
        ``previous * (outside + 1) + code``."""
        same = (self.type[:, None] == self.type[None, :]).astype(np.int64)
        return table[self.prefix[:, None], self.prefix[None, :], same].ravel()


def decode(codes: np.ndarray, sentence_start: np.ndarray, tags: Tags, scheme: str = DEFAULT_SCHEME, decoder: str = "strict") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The chunks of one tag column, given as codes into ``tags`` with ``sentence_start`` marking each
    sentence's first token: their ``start``, ``end`` (token offsets, end-exclusive) and type code, in
    order. Every rule looks at a token and the one before it (the outside ``O`` at a sentence's
    start), so each is one lookup of the pair's code in a table of the file's few tags."""
    if decoder not in DECODERS:
        raise ValueError(f"decoder must be one of {', '.join(DECODERS)}, not {decoder!r}")
    rules = _scheme(scheme)
    n, width = len(codes), tags.outside + 1
    if not n:
        return (np.zeros(0, dtype=np.int64),) * 3
    codes = codes.astype(np.int32 if width * width < 2**31 else np.int64, copy=False)  # pair codes fit
    before = np.empty(n, dtype=codes.dtype)
    before[0] = tags.outside
    before[1:] = codes[:-1]
    before[sentence_start] = tags.outside
    pair = before * width + codes
    sentence_end = np.append(np.flatnonzero(sentence_start)[1:], n) - 1

    def followed(positions: np.ndarray) -> np.ndarray:
        """The pair codes of each of ``positions`` and the token after it (the outside ``O`` after a
        sentence's last token)."""
        after = np.full(len(positions), tags.outside, dtype=np.int32)
        following = positions + 1
        inner = following < n
        inner[inner] = ~sentence_start[following[inner]]
        after[inner] = codes[following[inner]]
        return codes[positions] * width + after

    if decoder == "conlleval":
        starts = tags.pairs(_CONLLEVAL_START)[pair]
        after = np.append(pair[1:], 0)
        after[sentence_end] = codes[sentence_end] * width + tags.outside
        ends = np.flatnonzero(tags.pairs(_CONLLEVAL_END)[after])
        latest_start = np.maximum.accumulate(np.where(starts, np.arange(n), -1))
        return latest_start[ends], ends + 1, tags.type[codes[ends]]
    # strict: segments of tokens each inside given its predecessor, headed by one that is not; a segment
    # holds a chunk from its first token that starts one, if the token after the segment ends it.
    # Both walks below step over the tokens of chunks only (a sentence's first token is never inside).
    inside = np.append(tags.pairs(rules.inside)[pair], False)
    is_start = tags.pairs(rules.start)[pair]
    starts = np.flatnonzero(is_start)
    first = np.ones(len(starts), dtype=bool)  # no earlier start in the segment: walk back over it
    at, walking = starts.copy(), np.flatnonzero(inside[starts])
    while len(walking):
        at[walking] -= 1
        earlier = is_start[at[walking]]
        first[walking[earlier]] = False
        walking = walking[~earlier & inside[at[walking]]]
    starts = starts[first]
    segment_end = starts + 1  # the segment ends at the first token after the start that is not inside
    walking = np.flatnonzero(inside[segment_end])
    while len(walking):
        segment_end[walking] += 1
        walking = walking[inside[segment_end[walking]]]
    found = tags.pairs(rules.end)[followed(segment_end - 1)]
    return starts[found], segment_end[found], tags.type[codes[starts[found]]]


def chunks(tags: Sequence[str], decoder: str = "strict", scheme: str = DEFAULT_SCHEME) -> list[Entity]:
    """The ``(start, end, type)`` chunks (token offsets, end-exclusive) of one sentence's tags."""
    if not tags:
        return []
    names = sorted(set(tags))
    rules = _scheme(scheme)
    bad = [name for name in names if not _valid(name, rules)]
    if bad:
        raise ValueError(f"tags outside {scheme}: {', '.join(map(repr, bad))}")
    table = Tags.of(names)
    code = {name: i for i, name in enumerate(names)}
    codes = np.array([code[t] for t in tags], dtype=np.int32)
    sentence_start = np.zeros(len(tags), dtype=bool)
    sentence_start[0] = True
    start, end, found = decode(codes, sentence_start, table, scheme, decoder)
    return [(s, e, table.types[k]) for s, e, k in zip(start.tolist(), end.tolist(), found.tolist())]


# --------------------------------------------------------------------------------------------------
# Scoring


def score_conll(
    *,
    tagged: TaggedTokens,
    decoder: str = "strict",
    layer: str = "flat",
    bootstrap: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> Report:
    """Score the predicted against the gold tags (nervaluate's four schemas over the chunks).

    Each layer column is decoded on its own, in ``tagged.scheme``; the nested layer is the set of all
    columns' chunks, the flat layer its outermost chunks. Units are sentences, or documents once there
    are 30.
    """
    numbers, document_of_sentence = np.unique(tagged.documents, return_inverse=True)
    by_document = choose_unit(len(numbers)) == "document"
    n = tagged.n_tokens
    sentence_start = np.zeros(n, dtype=bool)
    sentence_start[tagged.sentence_starts] = True
    if by_document:
        ids = [f"{number:08d}" for number in numbers.tolist()]
        unit_of_sentence = document_of_sentence
    else:
        ids = [f"{index:08d}" for index in range(len(tagged.sentence_starts))]
        unit_of_sentence = np.arange(len(tagged.sentence_starts))
    first_sentence = np.flatnonzero(np.diff(unit_of_sentence, prepend=-1) != 0)
    unit_start = tagged.sentence_starts[first_sentence]
    tags = Tags.of(tagged.names)

    def side(columns: np.ndarray) -> EntityColumns:
        found = [decode(column, sentence_start, tags, tagged.scheme, decoder) for column in columns]
        start = np.concatenate([f[0] for f in found])
        end = np.concatenate([f[1] for f in found])
        document = unit_of_sentence[np.searchsorted(tagged.sentence_starts, start, side="right") - 1]
        base = unit_start[document]
        return EntityColumns(document, start - base, end - base, np.concatenate([f[2] for f in found]), tags.types)

    report = score_entity_columns(documents=ids, gold=side(tagged.gold), predictions=side(tagged.predicted), layer=layer, bootstrap=bootstrap, seed=seed)
    unit = "document" if by_document else "sentence"
    options = {"source": "conll", "scheme": tagged.scheme, "decoder": decoder, "columns": tagged.layout, "layer": layer, "unit": unit}
    return replace(report, options=options)
