"""Sentences and tokens of a document, as character spans (rules: ``docs/tokenization.md``).

Tokens are runs of letters, digits and Arabic combining marks; every other non-space character is a
token of its own. Where a gold span boundary falls inside such a run (the usual case is a proclitic:
in وأذربيجان the entity is أذربيجان), the run is split there too, so that every gold boundary is a
token boundary and the IOB2 view loses nothing.

Sentences are lines, split further after . ؟ ? ! when a space or the end of the line follows.
"""

from __future__ import annotations

import bisect
import re
from typing import Iterable

ARABIC_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed\u0640"
TOKEN = re.compile(rf"[\w{ARABIC_MARKS}]+|[^\s\w{ARABIC_MARKS}]")
SENTENCE_END = re.compile(r"[.؟?!](?=\s|$)")

Span = tuple[int, int]


def split_sentences(text: str) -> list[Span]:
    """Sentence spans: each non-blank line, split after sentence-final punctuation; no span begins or
    ends with white space."""
    spans: list[Span] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        cut = 0
        pieces = [m.end() for m in SENTENCE_END.finditer(line)] + [len(line)]
        for end in pieces:
            _append_stripped(spans, text, offset + cut, offset + end)
            cut = end
        offset += len(line)
    return spans


def _append_stripped(spans: list[Span], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        spans.append((start, end))


def tokenize(text: str, boundaries: Iterable[int] = ()) -> list[Span]:
    """Token spans of ``text``, split additionally at every offset in ``boundaries`` that falls inside
    a token."""
    cuts = sorted(set(boundaries))
    tokens: list[Span] = []
    for match in TOKEN.finditer(text):
        start, end = match.span()
        first = bisect.bisect_right(cuts, start)
        last = bisect.bisect_left(cuts, end)
        for cut in cuts[first:last]:
            tokens.append((start, cut))
            start = cut
        tokens.append((start, end))
    return tokens
