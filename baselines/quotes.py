"""Quote baselines: a cue-lexicon extractor, and one quote per sentence that has a cue.

Resources: our own list of reporting verbs (قال، أكد، أشار، دعا، أعلن، أوضح، صرح، اعتبر، وصف، أضاف،
شدد …) in their third-person past, present, future and participle forms, and reporting nouns (تصريح،
بيان …), from general knowledge of Arabic (:mod:`khabar.baselines.lexicons`); proclitics (وأكد، فقال)
are split off by the lookup. Speakers come from the entity baseline's output.

The **rules** baseline, within each sentence, takes every cue in order and looks ahead (at most
``MAX_GAP`` tokens) for what opens the quoted material:

* a colon: direct speech, the content running to the end of the sentence (or, when a quotation mark
  follows the colon, to the closing mark);
* an opening quotation mark (« “ "): direct speech, the content running to the matching closing mark,
  across sentences if need be;
* أن / إن (also بأن، أنه …): indirect speech, the content running from the next token to the end of the
  sentence; mixed when that content contains quotation marks.

The source is taken between the cue and the content (Arabic's verb-subject order: قال الوزير إن …), else
before the cue in the sentence (subject-verb order): a person's name (PERS) if there is one, otherwise
the nearest outermost speaker-like entity (a title, an organisation, a country, a people). Cues inside an extracted content are not used again. A sentence with no
cue that opens with a short phrase and a colon (a headline "NAME : words") gives a direct quote without
cue whose source is the entity in that phrase, or the phrase itself.

The **trivial** baseline gives, for each sentence with a cue, one indirect quote spanning the
sentence, with that cue and no source.
"""

from __future__ import annotations

import functools

from khabar.baselines import lexicons
from khabar.baselines.arabic import Match, PhraseLexicon, Tokens, key

MAX_GAP = 12
"""How many tokens after a cue the colon, quotation mark or أن may come."""
MAX_HEADLINE_SOURCE = 4
"""How many tokens a headline speaker may have before its colon."""
SPEAKER_TYPES = frozenset({"PERS", "ORG", "GPE", "NORP", "OCC"})
TRAILING = frozenset(".!?؟،,;؛")


@functools.cache
def cues() -> PhraseLexicon[str]:
    return PhraseLexicon(lexicons.cue_forms())


@functools.cache
def _complementizers() -> frozenset[str]:
    return frozenset(key(word) for word in lexicons.COMPLEMENTIZERS)


def _span(start: int, end: int) -> dict:
    return {"start": start, "end": end}


def extract_trivial(tokens: Tokens) -> list[dict]:
    quotes = []
    for sentence in tokens.sentence_token_ranges():
        for i in sentence:
            cue = cues().match(tokens, i)
            if cue is not None:
                start, end = tokens.starts[sentence.start], tokens.ends[sentence.stop - 1]
                quotes.append({"type": "indirect", "content": _span(start, end), "cue": _span(cue.start, cue.end), "source": None})
                break
    return quotes


def extract_rules(tokens: Tokens, entities: list[dict]) -> list[dict]:
    quotes: list[dict] = []
    taken_until = 0
    for sentence in tokens.sentence_token_ranges():
        found_cue = False
        i = sentence.start
        while i < sentence.stop:
            cue = cues().match(tokens, i) if tokens.starts[i] >= taken_until else None
            if cue is None:
                i += 1
                continue
            found_cue = True
            quote = _quote_after(tokens, cue, sentence, entities)
            if quote is None:
                i = cue.last + 1
                continue
            quotes.append(quote)
            taken_until = quote["content"]["end"]
            i = tokens.token_range(0, taken_until).stop
        if not found_cue and sentence.start >= tokens.token_range(0, taken_until).stop:
            headline = _headline(tokens, sentence, entities)
            if headline is not None:
                quotes.append(headline)
    return quotes


def _quote_after(tokens: Tokens, cue: Match[str], sentence: range, entities: list[dict]) -> dict | None:
    """The quote a cue introduces, if a colon, quotation mark or أن follows it closely."""
    complementizers = _complementizers()
    for j in range(cue.last + 1, min(sentence.stop, cue.last + 1 + MAX_GAP)):
        word = tokens.keys[j]
        if word in lexicons.COLONS:
            after = tokens.keys[j + 1] if j + 1 < len(tokens) else ""
            if after in lexicons.QUOTE_OPENERS:
                content = _quoted(tokens, j + 1, lexicons.QUOTE_OPENERS[after])
            else:
                content = _trimmed(tokens, j + 1, sentence.stop)
            kind = "direct"
        elif word in lexicons.QUOTE_OPENERS:
            content = _quoted(tokens, j, lexicons.QUOTE_OPENERS[word])
            kind = "direct"
        elif word in complementizers:
            content = _trimmed(tokens, j + 1, sentence.stop)
            kind = "mixed" if content and _has_quotation(tokens, content) else "indirect"
        else:
            continue
        if content is None:
            return None
        source = _speaker(entities, cue.end, tokens.starts[j], tokens.starts[sentence.start], cue.start)
        return {"type": kind, "content": _span(*content), "cue": _span(cue.start, cue.end), "source": source}
    return None


def _trimmed(tokens: Tokens, first: int, stop: int) -> tuple[int, int] | None:
    """The span of tokens ``first .. stop - 1`` without trailing punctuation, or None when empty."""
    while stop > first and tokens.keys[stop - 1] in TRAILING:
        stop -= 1
    return (tokens.starts[first], tokens.ends[stop - 1]) if stop > first else None


def _quoted(tokens: Tokens, opener: int, closer: str) -> tuple[int, int] | None:
    """The span between an opening mark and its closing mark (to the end of the text if unclosed)."""
    for j in range(opener + 1, len(tokens)):
        if tokens.keys[j] == closer:
            return (tokens.starts[opener + 1], tokens.ends[j - 1]) if j > opener + 1 else None
    return _trimmed(tokens, opener + 1, len(tokens))


def _has_quotation(tokens: Tokens, content: tuple[int, int]) -> bool:
    return any(tokens.keys[j] in lexicons.QUOTE_OPENERS for j in tokens.token_range(*content))


def _speaker(entities: list[dict], after: int, before: int, sentence_start: int, cue_start: int) -> dict | None:
    """The speaker in ``[after, before)``, else in ``[sentence_start, cue_start)``: a person's name if
    there is one (the nearest to the cue), otherwise the nearest outermost speaker-like phrase (a
    title such as المتحدث باسم الوزارة, an organisation, a country)."""
    between = [e for e in entities if after <= e["start"] and e["end"] <= before and e["type"] in SPEAKER_TYPES]
    preceding = [e for e in entities if sentence_start <= e["start"] and e["end"] <= cue_start and e["type"] in SPEAKER_TYPES]
    for group, distance in ((between, lambda e: e["start"]), (preceding, lambda e: -e["end"])):
        persons = [e for e in group if e["type"] == "PERS"]
        outermost = [e for e in group if not any(o is not e and o["start"] <= e["start"] and e["end"] <= o["end"] for o in group)]
        for choice in (persons, outermost):
            if choice:
                best = min(choice, key=lambda e: (distance(e), -(e["end"] - e["start"])))
                return _span(best["start"], best["end"])
    return None


def _headline(tokens: Tokens, sentence: range, entities: list[dict]) -> dict | None:
    """A sentence "SPEAKER : words" with a short speaker phrase of words only."""
    for j in range(sentence.start + 1, min(sentence.stop, sentence.start + MAX_HEADLINE_SOURCE + 1)):
        if tokens.keys[j] in lexicons.COLONS:
            break
        if not tokens.keys[j - 1].isalpha():
            return None
    else:
        return None
    if not tokens.keys[j - 1].isalpha():
        return None
    content = _trimmed(tokens, j + 1, sentence.stop)
    if content is None or len(tokens.token_range(*content)) < 3:
        return None
    phrase = (tokens.starts[sentence.start], tokens.ends[j - 1])
    source = _speaker(entities, phrase[0], phrase[1], phrase[0], phrase[0]) or _span(*phrase)
    return {"type": "direct", "content": _span(*content), "cue": None, "source": source}
