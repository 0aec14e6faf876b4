"""Sentences and tokens of a document, as character spans (rules: ``docs/tokenization.md``).

Tokens come from the text alone: runs of letters, digits and Arabic combining marks, and every other
non-space character on its own. A gold span may start or end inside a token (a proclitic: in
وأذربيجان the entity is أذربيجان); the token views project it onto the tokens it overlaps
(:func:`overlapped_tokens`), as WojoodNER tags whole tokens.

Sentences are lines, split further after . ؟ ? ! when a space or the end of the line follows, except
after an abbreviation (``د.``) before a word.
"""

from __future__ import annotations

import bisect
import re
from typing import Sequence

ARABIC_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed\u0640"
TOKEN = re.compile(rf"[\w{ARABIC_MARKS}]+|[^\s\w{ARABIC_MARKS}]")
SENTENCE_END = re.compile(r"[.؟?!](?=\s|$)")
ABBREVIATIONS = ("د",)
"""Words that a full stop abbreviates rather than ends a sentence with, when they stand alone before a
name: ``د.`` (الدكتور, "Dr.", 061). (``م.`` after a year is the era mark and does end its sentence.)"""

Span = tuple[int, int]


def split_sentences(text: str) -> list[Span]:
    """Sentence spans: each non-blank line, split after sentence-final punctuation; no span begins or
    ends with white space."""
    spans: list[Span] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        cut = 0
        pieces = [m.end() for m in SENTENCE_END.finditer(line) if not _abbreviation(line, m.start())] + [len(line)]
        for end in pieces:
            _append_stripped(spans, text, offset + cut, offset + end)
            cut = end
        offset += len(line)
    return spans


def _abbreviation(line: str, stop: int) -> bool:
    """The full stop at ``stop`` ends an abbreviation (a word of :data:`ABBREVIATIONS`) and a word follows."""
    word = re.search(r"(?:^|\s)(\w+)$", line[:stop])
    following = line[stop + 1 :].lstrip(" \t")
    return bool(word) and word.group(1) in ABBREVIATIONS and bool(following) and following[0].isalpha()


def _append_stripped(spans: list[Span], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        spans.append((start, end))


def tokenize(text: str) -> list[Span]:
    """Token spans of ``text``: words and punctuation (docs/tokenization.md, steps 1 and 2)."""
    return [match.span() for match in TOKEN.finditer(text)]


def overlapped_tokens(starts: Sequence[int], ends: Sequence[int], start: int, end: int) -> tuple[int, int]:
    """The tokens (given by their sorted ``starts`` and ``ends``) that share a character with the span
    ``start:end``, as a range ``first, last`` (end-exclusive; empty if the span lies between tokens)."""
    return bisect.bisect_right(ends, start), bisect.bisect_left(starts, end)
