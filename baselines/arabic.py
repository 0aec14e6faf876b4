"""Arabic text machinery shared by the baselines: matching keys, proclitics, and phrase lookup.

Every baseline reads a document as a sequence of tokens (``khabar.corpus.tokenize.tokenize``, which uses
no gold) and looks words up by a *matching key*: the token with its diacritics and tatweel removed, the
hamza-carrying alefs (أ إ آ ٱ) folded to ا, ة to ه, ى to ي, ؤ to و, ئ to ي, the Persian letters ک ی to
their Arabic twins, and Arabic-Indic digits to ASCII digits. Keys are for matching only: every offset a
baseline outputs points into the original text.

A token may carry proclitics: an optional conjunction (و ف), then an optional preposition (ب ل ك); ل
before the article ال is written لل. :func:`analyses` lists every reading of a token as (number of
original characters taken by proclitics, key of the rest), the bare token first; spans then start after
the proclitics, following the Khabar guideline that و ف ب ل ك lie outside a mention while ال lies inside.

Resources: none; the orthographic rules are general knowledge of Arabic script.
"""

from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass
from typing import Generic, Iterable, Iterator, TypeVar

from khabar.corpus.tokenize import split_sentences, tokenize

T = TypeVar("T")

_DELETED = [chr(c) for c in (*range(0x0610, 0x061B), *range(0x064B, 0x0660), 0x0670, *range(0x06D6, 0x06EE), 0x0640)]
_FOLDED = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
    "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي",
    "ک": "ك", "ی": "ي", "ې": "ي",
    **{chr(0x0660 + d): str(d) for d in range(10)},
    **{chr(0x06F0 + d): str(d) for d in range(10)},
}
_KEY_TABLE = str.maketrans({**_FOLDED, **{c: None for c in _DELETED}})

CONJUNCTIONS = ("", "و", "ف")
PREPOSITIONS = ("", "ب", "ل", "ك")
MIN_STEM = 2
"""A proclitic is split off only when at least this many letters remain."""


def key(surface: str) -> str:
    """The matching key of a string (see the module docstring)."""
    return surface.translate(_KEY_TABLE)


def phrase_keys(phrase: str) -> tuple[str, ...]:
    """The keys of the tokens of ``phrase``, tokenized exactly as documents are."""
    return tuple(key(phrase[start:end]) for start, end in tokenize(phrase))


def _original_length(surface: str, key_length: int) -> int:
    """How many characters of ``surface`` produce the first ``key_length`` characters of its key."""
    kept = 0
    for index, char in enumerate(surface):
        if key(char):
            if kept == key_length:
                return index
            kept += 1
    return len(surface)


def _analyses(surface: str) -> tuple[tuple[int, str], ...]:
    full = key(surface)
    readings = [(0, full)]
    for conjunction in CONJUNCTIONS:
        for preposition in PREPOSITIONS:
            prefix = conjunction + preposition
            if prefix and full.startswith(prefix) and len(full) - len(prefix) >= MIN_STEM:
                readings.append((len(prefix), full[len(prefix):]))
        article_after_lam = conjunction + "لل"
        if full.startswith(article_after_lam) and len(full) - len(article_after_lam) >= MIN_STEM:
            readings.append((len(conjunction) + 1, "ا" + full[len(conjunction) + 1:]))
    if len(full) != len(surface):
        readings = [(_original_length(surface, n), rest) for n, rest in readings]
    return tuple(dict.fromkeys(readings))


_ANALYSES_CACHE: dict[str, tuple[tuple[int, str], ...]] = {}
_CACHE_LIMIT = 500_000


def analyses(surface: str) -> tuple[tuple[int, str], ...]:
    """Every reading of a token as (proclitic length in original characters, key of the rest), the
    unsplit token first. Memoised: news vocabulary is small next to news text."""
    found = _ANALYSES_CACHE.get(surface)
    if found is None:
        if len(_ANALYSES_CACHE) >= _CACHE_LIMIT:
            _ANALYSES_CACHE.clear()
        found = _ANALYSES_CACHE[surface] = _analyses(surface)
    return found


@dataclass(frozen=True)
class Tokens:
    """A document as the baselines see it: token spans, their readings, and sentence spans."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    readings: tuple[tuple[tuple[int, str], ...], ...]
    keys: tuple[str, ...]
    """The key of each token as written (no proclitic split)."""
    sentences: tuple[tuple[int, int], ...]

    @classmethod
    def of(cls, text: str) -> "Tokens":
        spans = tokenize(text)
        readings = tuple(analyses(text[s:e]) for s, e in spans)
        return cls(
            text=text,
            starts=tuple(s for s, _ in spans),
            ends=tuple(e for _, e in spans),
            readings=readings,
            keys=tuple(reading[0][1] for reading in readings),
            sentences=tuple(split_sentences(text)),
        )

    def __len__(self) -> int:
        return len(self.starts)

    @functools.cached_property
    def split_readings(self) -> list[tuple[int, str]]:
        """(token index, key) of every reading with proclitics split off."""
        return [(i, k) for i, reading in enumerate(self.readings) if len(reading) > 1 for _, k in reading[1:]]

    @functools.cached_property
    def _sentence_starts(self) -> list[int]:
        return [start for start, _ in self.sentences]

    def sentence_of(self, offset: int) -> tuple[int, int]:
        """The sentence span containing ``offset`` (for an offset between sentences, the one before)."""
        if not self.sentences:
            return (0, len(self.text))
        return self.sentences[max(0, bisect.bisect_right(self._sentence_starts, offset) - 1)]

    def token_range(self, start: int, end: int) -> range:
        """Indices of the tokens lying inside ``[start, end)``."""
        return range(bisect.bisect_left(self.starts, start), bisect.bisect_right(self.ends, end))

    def sentence_token_ranges(self) -> Iterator[range]:
        for start, end in self.sentences:
            yield self.token_range(start, end)


@dataclass(frozen=True)
class Match(Generic[T]):
    """A lexicon phrase found at tokens ``first .. last`` (inclusive); ``start`` is after proclitics."""

    first: int
    last: int
    start: int
    end: int
    value: T


class PhraseLexicon(Generic[T]):
    """Longest-match lookup of multi-word phrases.

    Phrases are indexed by the key of their first word; the first word of a match may carry proclitics,
    the following words must match as written. Built once; a lookup costs a few dict probes per token.
    When a phrase is given twice, the first value wins, so that callers control precedence by order.
    """

    def __init__(self, phrases: Iterable[tuple[str, T]]):
        index: dict[str, dict[tuple[str, ...], T]] = {}
        for phrase, value in phrases:
            words = phrase_keys(phrase)
            if words:
                index.setdefault(words[0], {}).setdefault(words[1:], value)
        self._index = {
            first: sorted(rests.items(), key=lambda item: -len(item[0])) for first, rests in index.items()
        }

    def first_keys(self) -> frozenset[str]:
        """The keys of the phrases' first words."""
        return frozenset(self._index)

    def starts(self, tokens: Tokens) -> list[int]:
        """Positions of the tokens some reading of which is the first word of a phrase, in order:
        two comprehensions over the document instead of a test per token and reading."""
        index = self._index
        plain = [i for i, k in enumerate(tokens.keys) if k in index]
        split = [i for i, k in tokens.split_readings if k in index]
        return sorted(set(plain).union(split)) if split else plain

    def match(self, tokens: Tokens, i: int) -> Match[T] | None:
        """The longest phrase starting at token ``i`` (fewest proclitics split off on a tie)."""
        best: Match[T] | None = None
        size, keys = len(tokens.starts), tokens.keys
        for prefix, first in tokens.readings[i]:
            candidates = self._index.get(first)
            if candidates is None:
                continue
            for rest, value in candidates:
                last = i + len(rest)
                if last >= size or best is not None and last <= best.last:
                    continue
                if keys[i + 1 : last + 1] == rest:
                    best = Match(i, last, tokens.starts[i] + prefix, tokens.ends[last], value)
                    break
        return best

    def find_all(self, tokens: Tokens) -> Iterator[Match[T]]:
        """Non-overlapping longest matches, scanning left to right."""
        resume = 0
        for i in self.starts(tokens):
            if i >= resume:
                found = self.match(tokens, i)
                if found is not None:
                    yield found
                    resume = found.last + 1
