"""``khabar audit``: consistency across the corpus, for adjudication to go through.

Two annotations of one document can agree and still disagree with the rest of the corpus. The audit
lists, across every gold document:

* a string annotated as a name mention with different types in different places, and likewise a value
  (``Crime``, ``Sentence``);
* a string annotated as a name mention in one place and left untagged, as a whole word, elsewhere;
* a trigger word of an event in one place and, as a whole word, no trigger elsewhere;
* a cue word of a quote in one place and, as a whole word, no cue elsewhere.

Each item is a place to look, not a verdict: an untagged occurrence may be right (a common noun that is
also a name, a reporting verb that reports nothing). Adjudication resolves each item in the gold or keeps
it, with its reason, in the reviewed list of accepted exceptions; ``khabar audit --check`` (run by the
tests) fails while an item is neither, or while an exception names a place the audit no longer raises.
"""

from __future__ import annotations

import argparse
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from khabar.corpus import format as fmt

PROCLITICS = "وفبلك"
"""A whole word may carry one of these before the string (guidelines 0): `وقال` is an occurrence of `قال`."""

EXCEPTIONS = fmt.ROOT / "corpus" / "agreement" / "audit-exceptions.json"
"""The reviewed list of items judged right as they are, each with its reason."""

KINDS = ("type", "value type", "untagged name", "untagged trigger", "untagged cue")


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


@dataclass(frozen=True)
class Item:
    """One inconsistency: a string, the kind of inconsistency, and every place it concerns."""

    kind: str
    string: str
    places: tuple[str, ...]
    """``doc:offset`` of each place to look at (for ``type``, every annotated place; otherwise the untagged
    occurrences)."""
    description: str


@dataclass(frozen=True)
class AcceptedItem:
    """A reviewed item: the places of one string and kind judged right as they are, and why."""

    kind: str
    string: str
    places: frozenset[str]
    reason: str


def audit(documents: Sequence[fmt.Document]) -> list[Item]:
    """Every inconsistency across ``documents``, in a fixed order."""
    items: list[Item] = []
    for kind, typed in (("type", fmt.ner_mentions), ("value type", lambda d: d.values)):
        types: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for doc in documents:
            for m in typed(doc):
                types[m.text][m.type].append(f"{doc.id}:{m.start}")
        for string in sorted(types):
            if len(types[string]) > 1:
                where = "; ".join(f"{t} at {', '.join(places)}" for t, places in sorted(types[string].items()))
                places = tuple(p for _, ps in sorted(types[string].items()) for p in ps)
                items.append(Item(kind, string, places, f"«{string}» is {where}"))

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
                        place = f"{doc.id}:{start}"
                        items.append(Item(kind, string, (place,), f"«{string}» (as at {first}) is not annotated at {place}"))
    return items


def read_exceptions(path: Path) -> list[AcceptedItem]:
    """The reviewed list: ``{"accepted": [{"kind", "string", "places", "reason"}, …]}``."""
    data = fmt.read_json_file(path)
    where = fmt.display_path(path)
    entries = data.get("accepted") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise fmt.InputError(f"{where}: expected an object with an 'accepted' list")
    exceptions = []
    for i, entry in enumerate(entries):
        fields = ("kind", "string", "places", "reason")
        if not isinstance(entry, dict) or any(f not in entry for f in fields) or not all(isinstance(entry[f], str) for f in ("kind", "string", "reason")) or not isinstance(entry["places"], list):
            raise fmt.InputError(f"{where}: accepted[{i}]: needs kind, string and reason (strings) and places (a list)")
        if entry["kind"] not in KINDS:
            raise fmt.InputError(f"{where}: accepted[{i}].kind: {entry['kind']!r} is not one of {', '.join(KINDS)}")
        if not entry["reason"].strip():
            raise fmt.InputError(f"{where}: accepted[{i}].reason: empty: an accepted exception says why")
        exceptions.append(AcceptedItem(entry["kind"], entry["string"], frozenset(entry["places"]), entry["reason"]))
    return exceptions



def review(items: Sequence[Item], exceptions: Sequence[AcceptedItem]) -> tuple[list[tuple[Item, str | None]], list[AcceptedItem]]:
    """Each item with the reason it was accepted (``None``: still to review), and the exceptions that name a
    place no item raises any more (stale: the gold changed, so the entry must be revised)."""
    accepted: dict[tuple[str, str], list[AcceptedItem]] = defaultdict(list)
    for exception in exceptions:
        accepted[exception.kind, exception.string].append(exception)
    reviewed = []
    raised: dict[tuple[str, str], set[str]] = defaultdict(set)
    for item in items:
        raised[item.kind, item.string].update(item.places)
        matching = [e for e in accepted.get((item.kind, item.string), ()) if set(item.places) <= e.places]
        reviewed.append((item, matching[0].reason if matching else None))
    stale = [e for e in exceptions if not e.places <= raised.get((e.kind, e.string), set())]
    return reviewed, stale


def audit_command(args: argparse.Namespace) -> int:
    documents = fmt.load_corpus(args.data)
    exceptions = read_exceptions(args.exceptions) if args.exceptions.exists() else []
    reviewed, stale = review(audit(documents), exceptions)
    counts: dict[str, int] = defaultdict(int)
    accepted = 0
    for item, reason in reviewed:
        if reason is None:
            counts[item.kind] += 1
            print(f"{item.kind}: {item.description}")
        else:
            accepted += 1
            if args.all:
                print(f"{item.kind} (accepted: {reason}): {item.description}")
    for exception in stale:
        print(f"stale exception: {exception.kind} «{exception.string}» names places the audit no longer raises; revise {fmt.display_path(args.exceptions)}")
    summary = ", ".join(f"{counts[k]} {k}" for k in sorted(counts)) or "nothing"
    print(f"audit of {len(documents)} document(s): {summary} to review; {accepted} accepted as reviewed exceptions; {len(stale)} stale exception(s)")
    return 1 if args.check and (counts or stale) else 0


def register(subparsers) -> None:
    from khabar.corpus.cli import add_command

    p = add_command(
        subparsers,
        "audit",
        help="list inconsistencies across the corpus: one string with two types, untagged names, triggers and cues",
        example="khabar audit --check   # CI: fails while any item is neither resolved nor a reviewed exception",
    )
    p.add_argument("--data", type=Path, default=None, help="a built documents.jsonl (default: this checkout's corpus)")
    p.add_argument("--exceptions", type=Path, default=EXCEPTIONS, help=f"the reviewed list of accepted exceptions (default: {fmt.display_path(EXCEPTIONS)})")
    p.add_argument("--all", action="store_true", help="also print the accepted items, with their reasons")
    p.add_argument("--check", action="store_true", help="exit 1 if an item is still to review or an exception is stale")
    p.set_defaults(func=audit_command)
