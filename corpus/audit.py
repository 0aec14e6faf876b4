"""``khabar audit``: consistency across the corpus, for adjudication to go through.

Two annotations of one document can agree and still disagree with the rest of the corpus. The audit
lists, across every gold document:

* a string annotated as a name mention with different types in different places;
* a string annotated as a name mention in one place and left untagged, as a whole word, elsewhere;
* a trigger word of an event in one place and, as a whole word, no trigger elsewhere;
* a cue word of a quote in one place and, as a whole word, no cue elsewhere.

Each item is a place to look, not a verdict: an untagged occurrence may be right (a common noun that is
also a name, a reporting verb that reports nothing).
"""

from __future__ import annotations

import argparse
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from khabar.corpus import format as fmt

PROCLITICS = "وفبلك"
"""A whole word may carry one of these before the string (guidelines 0): `وقال` is an occurrence of `قال`."""


def _word_occurrences(text: str, string: str) -> Iterator[int]:
    """Starts of ``string`` standing as a whole word, or after one proclitic."""
    for match in re.finditer(re.escape(string), text):
        start, end = match.start(), match.end()
        before = text[start - 1] if start else " "
        before_word = text[start - 2] if start > 1 else " "
        after = text[end] if end < len(text) else " "
        whole_start = not before.isalnum() or (before in PROCLITICS and not before_word.isalnum())
        if whole_start and not after.isalnum():
            yield start


def _covered(spans: Iterable[tuple[int, int]], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def audit(documents: Sequence[fmt.Document]) -> list[tuple[str, str]]:
    """(kind, description) of every inconsistency, in a fixed order."""
    items: list[tuple[str, str]] = []
    types: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for doc in documents:
        for m in fmt.ner_mentions(doc):
            types[m.text][m.type].append(f"{doc.id}:{m.start}")
    for string in sorted(types):
        if len(types[string]) > 1:
            where = "; ".join(f"{t} at {', '.join(places)}" for t, places in sorted(types[string].items()))
            items.append(("type", f"«{string}» is {where}"))

    layers = (
        ("untagged name", lambda d: [m.span for m in fmt.ner_mentions(d)], lambda d: [m.span for m in d.entities]),
        ("untagged trigger", lambda d: [e.trigger for e in d.events], lambda d: [e.trigger for e in d.events]),
        ("untagged cue", lambda d: [q.cue for q in d.quotes if q.cue is not None], lambda d: [q.cue for q in d.quotes if q.cue is not None]),
    )
    for kind, annotated, covering in layers:
        strings = sorted({doc.text[s.start : s.end] for doc in documents for s in annotated(doc)})
        for string in strings:
            first = next(f"{d.id}:{s.start}" for d in documents for s in annotated(d) if d.text[s.start : s.end] == string)
            for doc in documents:
                spans = [(s.start, s.end) for s in covering(doc)]
                for start in _word_occurrences(doc.text, string):
                    if not _covered(spans, start, start + len(string)):
                        items.append((kind, f"«{string}» (as at {first}) is not annotated at {doc.id}:{start}"))
    return items


def audit_command(args: argparse.Namespace) -> int:
    documents = fmt.load_corpus(args.data)
    items = audit(documents)
    counts: dict[str, int] = defaultdict(int)
    for kind, description in items:
        counts[kind] += 1
        print(f"{kind}: {description}")
    summary = ", ".join(f"{counts[k]} {k}" for k in sorted(counts)) or "nothing"
    print(f"audit of {len(documents)} document(s): {summary}")
    return 0


def register(subparsers) -> None:
    from khabar.corpus.cli import add_command

    p = add_command(
        subparsers,
        "audit",
        help="list inconsistencies across the corpus: one string with two types, untagged names, triggers and cues",
        example="khabar audit > audit.txt",
    )
    p.add_argument("--data", type=Path, default=None, help="a built documents.jsonl (default: this checkout's corpus)")
    p.set_defaults(func=audit_command)

