"""How the token views project the gold onto the tokens (docs/tokenization.md): the nesting levels of
the mentions and each sentence's IOB2 columns, as the build writes them and the statistics count what
they change. A module of its own so that the statistics need not import the build that prints them."""

from __future__ import annotations

from typing import Iterable, NamedTuple

from khabar.corpus import format as fmt
from khabar.corpus.tokenize import overlapped_tokens


def outermost(mentions: Iterable[fmt.Mention]) -> list[fmt.Mention]:
    """The mentions that no other mention contains: the flat layer, by the scorer's own definition, so
    that the IOB2 view encodes exactly what flat scoring scores."""
    from khabar.scorers.entities import outermost as outermost_spans

    by_span = {(m.start, m.end, m.type): m for m in mentions}
    return [by_span[span] for span in outermost_spans(by_span)]


def nesting_levels(mentions: Iterable[fmt.Mention]) -> list[list[fmt.Mention]]:
    """Mentions by nesting level: level 0 is the flat layer (:func:`outermost`), level ``k + 1`` the
    outermost of the mentions inside level ``k``."""
    rest, levels = list(mentions), []
    while rest:
        level = outermost(rest)
        levels.append(level)
        taken = {m.id for m in level}
        rest = [m for m in rest if m.id not in taken]
    return levels


class SentenceTokens(NamedTuple):
    """One sentence of a built document, with every mention inside it projected onto its tokens."""

    index: int
    span: fmt.Span
    tokens: tuple[fmt.Span, ...]
    mentions: tuple[fmt.Mention, ...]
    """Every mention inside the sentence (all kinds), by ``(start, -end, id)``."""
    ranges: tuple[tuple[int, int], ...]
    """Per mention, the tokens it overlaps (sentence token indices, end-exclusive)."""
    columns: tuple[tuple[str, ...], ...]
    """IOB2 tags of the NER layer, one column per nesting level; column 0 is the flat layer."""
    lost: tuple[tuple[int, fmt.Mention], ...]
    """``(level, mention)`` for each NER mention a column cannot hold: another mention of its level
    already holds one of its tokens (two mentions ending or starting inside one token)."""


def sentence_tokens(doc: fmt.Document) -> list[SentenceTokens]:
    """Every sentence of ``doc`` (which has its layout) with its tokens and the projection of its
    mentions, as WojoodNER tags: a mention covers each token it shares a character with, so a
    proclitic stays inside its token (وأذربيجان is one token tagged B-GPE while the gold span stays
    أذربيجان)."""
    token_starts = [t.start for t in doc.tokens]
    ner_layer = {m.id for m in fmt.ner_mentions(doc)}
    out = []
    for k, sentence in enumerate(doc.sentences):
        first, last = overlapped_tokens(token_starts, [t.end for t in doc.tokens], sentence.start, sentence.end)
        tokens = doc.tokens[first:last]
        starts, ends = [t.start for t in tokens], [t.end for t in tokens]
        inside = tuple(
            sorted((m for m in doc.entities if sentence.start <= m.start and m.end <= sentence.end), key=lambda m: (m.start, -m.end, m.id))
        )
        ranges = {m.id: overlapped_tokens(starts, ends, m.start, m.end) for m in inside}
        columns, lost = [], []
        for level, mentions in enumerate(nesting_levels(m for m in inside if m.id in ner_layer)):
            tags = ["O"] * len(tokens)
            for mention in sorted(mentions, key=lambda m: (m.start, m.end)):
                a, b = ranges[mention.id]
                if a >= b or any(tag != "O" for tag in tags[a:b]):
                    lost.append((level, mention))
                    continue
                tags[a:b] = [f"B-{mention.type}"] + [f"I-{mention.type}"] * (b - a - 1)
            columns.append(tuple(tags))
        out.append(SentenceTokens(k, sentence, tokens, inside, tuple(ranges[m.id] for m in inside), tuple(columns), tuple(lost)))
    return out
