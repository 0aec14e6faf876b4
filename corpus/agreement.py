"""Inter-annotator agreement: two independent annotations of the same documents, compared.

``khabar agreement A B`` reads two folders of annotation files (``corpus/agreement/a`` and ``.../b``),
scores B against A with the official scorers (F1 is symmetric when one side is taken as gold, so the
choice of side does not change it), and lists every disagreement by kind, so that adjudication can
resolve each one and the guidelines can be fixed where a disagreement shows a gap.
"""

from __future__ import annotations

import argparse
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path

from khabar.corpus import format as fmt
from khabar.corpus.build import with_layout


BATCHES_FILE = fmt.ROOT / "corpus" / "agreement" / "batches.json"
"""The annotation batches in the order they were annotated, each with the guidelines version its passes
followed, so that agreement is reported per batch and drift stays visible."""


def batches() -> dict[str, dict]:
    """Batch name -> ``{"guidelines", "documents", "note"}``, as recorded in ``batches.json``."""
    return {batch["name"]: batch for batch in fmt.read_json_file(BATCHES_FILE)["batches"]}


def batch_documents(name: str) -> list[str]:
    known = batches()
    if name not in known:
        raise fmt.InputError(f"{fmt.display_path(BATCHES_FILE)}: no batch {name!r} (known: {', '.join(known)})")
    return list(known[name]["documents"])


def read_pair(folder_a: Path, folder_b: Path, ids: Sequence[str] | None = None) -> tuple[list[fmt.Document], list[fmt.Document]]:
    """The documents both folders annotate (or only ``ids``, which both must have), with their layout,
    in id order."""

    def read(folder: Path) -> dict[str, fmt.Document]:
        paths = fmt.annotation_paths(folder)
        if ids is not None:
            by_id = {p.stem: p for p in paths}
            missing = sorted(set(ids) - set(by_id))
            if missing:
                raise fmt.InputError(f"{fmt.display_path(folder)}: no annotation of {', '.join(missing)}")
            paths = [by_id[i] for i in sorted(set(ids))]
        return {d.id: with_layout(d) for d in fmt.read_annotations(paths)}

    a, b = read(folder_a), read(folder_b)
    if set(a) != set(b):
        raise fmt.InputError(f"{folder_a} and {folder_b} annotate different documents: {sorted(set(a) ^ set(b))}")
    if not a:
        raise fmt.InputError(f"{folder_a}: no annotation file")
    return [a[k] for k in sorted(a)], [b[k] for k in sorted(b)]


def agreement_table(docs_a: Sequence[fmt.Document], docs_b: Sequence[fmt.Document]) -> list[tuple[str, str, float]]:
    """(layer, measure, F1) rows: B scored against A with the official scorers, no resampling."""
    from khabar.scorers.entities import score_entities
    from khabar.scorers.events import score_events
    from khabar.scorers.quotes import score_quotes

    predictions = {d.id: fmt.prediction_from_document(d) for d in docs_b}
    rows = []
    for layer in ("nested", "flat"):
        report = score_entities(gold=docs_a, predictions=predictions, layer=layer, bootstrap=0)
        rows.append(("entities", f"{layer} mentions, exact span and type", report.f1("strict")))
    all_mentions = _span_report(docs_a, docs_b, lambda d: d.entities)
    rows.append(("entities", "all mentions incl. nominal and pronoun, exact span and type", all_mentions))
    if any(d.values for d in (*docs_a, *docs_b)):
        rows.append(("values", "Crime and Sentence values, exact span and type", _span_report(docs_a, docs_b, lambda d: d.values)))
    quotes = score_quotes(gold=docs_a, predictions=predictions, bootstrap=0)
    for metric in quotes.metrics:
        rows.append(("quotes", metric, quotes.f1(metric)))
    events = score_events(gold=docs_a, predictions=predictions, bootstrap=0)
    for metric in events.metrics:
        rows.append(("events", metric, events.f1(metric)))
    return rows


def _span_report(docs_a, docs_b, items) -> float:
    """Exact span and type F1 of B against A over ``items`` of each document (mentions or values)."""
    from khabar.scorers.entities import score_entity_spans

    report = score_entity_spans(
        gold={d.id: [(m.start, m.end, m.type) for m in items(d)] for d in docs_a},
        predictions={d.id: [(m.start, m.end, m.type) for m in items(d)] for d in docs_b},
        layer="nested",
        bootstrap=0,
    )
    return report.f1("strict")


def disagreements(a: fmt.Document, b: fmt.Document) -> Iterator[tuple[str, str]]:
    """(kind, description) for every difference between two annotations of one document."""
    text = a.text

    def show(start: int, end: int) -> str:
        return f"{start}:{end} «{text[start:end]}»"

    yield from _span_disagreements("entity", a.entities, b.entities, show)
    yield from _span_disagreements("value", a.values, b.values, show)
    yield from _cluster_disagreements(a, b, show)
    yield from _quote_disagreements(a, b, show)
    yield from _event_disagreements(a, b, show)


def _span_disagreements(layer: str, items_a, items_b, show):
    """Typed spans (mentions, or values) of one side that the other lacks, places differently or types
    differently; for mentions, also a different kind."""
    by_span_a = {(m.start, m.end): m for m in items_a}
    by_span_b = {(m.start, m.end): m for m in items_b}

    def described(item) -> str:
        return f"{item.type} ({item.kind})" if layer == "entity" else item.type

    for span in sorted(by_span_a.keys() | by_span_b.keys()):
        ma, mb = by_span_a.get(span), by_span_b.get(span)
        if ma and mb:
            if ma.type != mb.type:
                yield f"{layer} type", f"{show(*span)}: A {ma.type}, B {mb.type}"
            if layer == "entity" and ma.kind != mb.kind:
                yield "mention kind", f"{show(*span)}: A {ma.kind}, B {mb.kind}"
            continue
        only, side, other = (ma, "A", by_span_b) if ma else (mb, "B", by_span_a)
        overlapping = [m for (s, e), m in other.items() if s < only.end and only.start < e]
        if overlapping:
            near = ", ".join(f"{show(m.start, m.end)} {m.type}" for m in sorted(overlapping, key=lambda m: (m.start, m.end)))
            yield f"{layer} boundary", f"{side} has {show(*span)} {described(only)}; the other has {near}"
        else:
            yield f"{layer} missing", f"only {side} has {show(*span)} {described(only)}"


def _cluster_of(doc: fmt.Document) -> dict[tuple[int, int], str]:
    return {(m.start, m.end): m.entity for m in doc.entities}


def _cluster_disagreements(a, b, show):
    """Mentions both sides have, grouped differently (a pair together in one annotation and apart in the
    other) or put in clusters of different types."""
    ca, cb = _cluster_of(a), _cluster_of(b)
    shared = sorted(ca.keys() & cb.keys())
    for span in shared:
        type_a, type_b = a.cluster(ca[span]).type, b.cluster(cb[span]).type
        if type_a != type_b:
            yield "cluster type", f"{show(*span)} is in a {type_a} cluster in A, a {type_b} cluster in B"
    for i, first in enumerate(shared):
        for second in shared[i + 1 :]:
            together_a = ca[first] == ca[second]
            together_b = cb[first] == cb[second]
            if together_a != together_b:
                side = "A" if together_a else "B"
                yield "coreference", f"only {side} puts {show(*first)} and {show(*second)} in one cluster"


def _quote_disagreements(a, b, show):
    """Quotes are paired by content span; where one content has several quotes (one statement of two
    coordinated speakers), identical quotes pair first, and the rest in a fixed order (type, cue, speaker)."""

    def key(doc, q):
        speaker = doc.cluster(q.speaker).canonical if q.speaker else None
        cue = (q.cue.start, q.cue.end) if q.cue else None
        return (q.content.start, q.content.end), q.type, cue, speaker

    by_content: dict[tuple[int, int], tuple[list, list]] = defaultdict(lambda: ([], []))
    for side, doc in ((0, a), (1, b)):
        for q in doc.quotes:
            k = key(doc, q)
            by_content[k[0]][side].append(k)
    contents = sorted(by_content)
    for content in contents:
        mine, theirs = (sorted(keys, key=repr) for keys in by_content[content])
        for k in list(mine):
            if k in theirs:
                mine.remove(k)
                theirs.remove(k)
        for x, y in zip(mine, theirs):
            for name, i in (("quote type", 1), ("quote cue", 2), ("quote speaker", 3)):
                if x[i] != y[i]:
                    yield name, f"quote {show(*content)}: A {_brief(x[i])}, B {_brief(y[i])}"
        paired = min(len(mine), len(theirs))
        for side, rest, other_side in (("A", mine[paired:], 1), ("B", theirs[paired:], 0)):
            for _, qtype, _, speaker in rest:
                overlapping = [c for c in contents if by_content[c][other_side] and c != content and c[0] < content[1] and content[0] < c[1]]
                if overlapping and not by_content[content][other_side]:
                    if side == "A":
                        yield "quote boundary", f"A {show(*content)} vs B {'; '.join(show(*c) for c in overlapping)}"
                else:
                    yield "quote missing", f"only {side} has {qtype} quote {show(*content)} (speaker {speaker})"


def _brief(value) -> str:
    if isinstance(value, tuple):
        return f"{value[0]}:{value[1]}"
    return str(value)


def _event_disagreements(a, b, show):
    def events(doc):
        out = {}
        for e in doc.events:
            arguments = sorted((arg.role, doc.filler(arg).start, doc.filler(arg).end) for arg in e.arguments)
            out.setdefault((e.trigger.start, e.trigger.end), (e.type, arguments, (e.modality, e.polarity, e.genericity, e.tense), e.coref))
        return out

    ea, eb = events(a), events(b)
    chain_a = {span: event[3] for span, event in ea.items()}
    chain_b = {span: event[3] for span, event in eb.items()}
    both = sorted(ea.keys() & eb.keys())
    for i, first in enumerate(both):
        for second in both[i + 1 :]:
            together_a = chain_a[first] == chain_a[second]
            if together_a != (chain_b[first] == chain_b[second]):
                side = "A" if together_a else "B"
                yield "event coreference", f"only {side} puts triggers {show(*first)} and {show(*second)} in one chain"
    for span in sorted(ea.keys() | eb.keys()):
        x, y = ea.get(span), eb.get(span)
        if x and y:
            if x[0] != y[0]:
                yield "event type", f"trigger {show(*span)}: A {x[0]}, B {y[0]}"
            for role, s, e in sorted(set(map(tuple, x[1])) ^ set(map(tuple, y[1]))):
                side = "A" if (role, s, e) in map(tuple, x[1]) else "B"
                yield "event argument", f"trigger {show(*span)} ({x[0]}): only {side} has {role} = {show(s, e)}"
            if x[2] != y[2]:
                yield "event attributes", f"trigger {show(*span)}: A {'/'.join(x[2])}, B {'/'.join(y[2])}"
        else:
            side, only = ("A", x) if x else ("B", y)
            yield "event missing", f"only {side} has {only[0]} trigger {show(*span)}"
    for side, doc in (("A", a), ("B", b)):
        per_span = Counter((e.trigger.start, e.trigger.end) for e in doc.events)
        for span, count in sorted(per_span.items()):
            if count > 1:
                yield "event missing", f"{side} has {count} events on trigger {show(*span)} (the pairing above compares the first)"


PER_DOCUMENT = (
    ("entities", "flat mentions, exact span and type", "NER flat"),
    ("entities", "nested mentions, exact span and type", "NER nested"),
    ("quotes", "end_to_end", "quotes e2e"),
    ("events", "trigger_classification", "triggers"),
    ("events", "argument_classification", "arguments"),
)
"""The measures of the per-document table: the headline of each layer."""


def per_document_table(docs_a: Sequence[fmt.Document], docs_b: Sequence[fmt.Document]) -> list[str]:
    """A Markdown table of each document's headline agreement, so that a hard article stands out.
    A measure neither side has anything for is shown as —."""
    lines = ["| document | " + " | ".join(short for *_, short in PER_DOCUMENT) + " |", "|---|" + "---:|" * len(PER_DOCUMENT)]
    for a, b in zip(docs_a, docs_b):
        found = {(layer, measure): f1 for layer, measure, f1 in agreement_table([a], [b])}
        empty = _empty_layers([a], [b])
        cells = ["—" if empty[_counted(layer, measure)] else f"{100 * found[(layer, measure)]:.1f}" for layer, measure, _ in PER_DOCUMENT]
        lines.append(f"| {a.id} | " + " | ".join(cells) + " |")
    return lines


def _empty_layers(docs_a: Sequence[fmt.Document], docs_b: Sequence[fmt.Document]) -> dict[str, bool]:
    """The layers (and event arguments) neither side annotated anything in: their F1 is undefined, not 0."""
    docs = [*docs_a, *docs_b]
    return {
        "entities": False,
        "values": not any(d.values for d in docs),
        "quotes": not any(d.quotes for d in docs),
        "events": not any(d.events for d in docs),
        "arguments": not any(e.arguments for d in docs for e in d.events),
        "arguments without Time-*": not any(not a.role.startswith("Time-") for d in docs for e in d.events for a in e.arguments),
    }


def _counted(layer: str, measure: str) -> str:
    """What a measure counts, for `_empty_layers`: an argument measure counts arguments, not events."""
    if layer != "events" or not measure.startswith("argument"):
        return layer
    return "arguments without Time-*" if measure.endswith("notime") else "arguments"


def render(docs_a, docs_b) -> str:
    empty = _empty_layers(docs_a, docs_b)
    lines = ["| layer | measure | F1 (B against A) |", "|---|---|---:|"]
    lines += [f"| {layer} | {measure} | {'—' if empty[_counted(layer, measure)] else f'{100 * f1:.1f}'} |" for layer, measure, f1 in agreement_table(docs_a, docs_b)]
    lines.append("")
    if len(docs_a) > 1:
        lines += ["Per document:", "", *per_document_table(docs_a, docs_b), ""]
    for a, b in zip(docs_a, docs_b):
        found = list(disagreements(a, b))
        lines.append(f"Disagreements in {a.id}: {len(found)}")
        kinds: dict[str, list[str]] = {}
        for kind, description in found:
            kinds.setdefault(kind, []).append(description)
        for kind in sorted(kinds):
            lines.append(f"\n{kind} ({len(kinds[kind])})")
            lines += [f"- {d}" for d in kinds[kind]]
    return "\n".join(lines) + "\n"


def agreement_command(args: argparse.Namespace) -> int:
    ids = None if args.batch is None else batch_documents(args.batch)
    if args.doc:
        ids = sorted(set(ids or ()) | set(args.doc))
    docs_a, docs_b = read_pair(args.a, args.b, ids)
    print(render(docs_a, docs_b), end="")
    return 0


def register(subparsers) -> None:
    from khabar.corpus.cli import add_command

    p = add_command(
        subparsers,
        "agreement",
        help="compare two independent annotations: agreement per layer and every disagreement by kind",
        example="khabar agreement corpus/agreement/a corpus/agreement/b --batch 1",
    )
    p.add_argument("a", type=Path, help="folder of annotator A's files")
    p.add_argument("b", type=Path, help="folder of annotator B's files")
    p.add_argument("--batch", metavar="NAME", help="only the documents of this batch of corpus/agreement/batches.json")
    p.add_argument("--doc", action="append", metavar="ID", help="only this document (repeatable; adds to --batch)")
    p.set_defaults(func=agreement_command)
