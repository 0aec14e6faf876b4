"""``khabar view``: the corpus, or a system against the gold, as one self-contained right-to-left page.

The page needs nothing but a browser: no network, no external script, font or style sheet. Each
document's text is shown with its entity mentions highlighted by type (nested mentions as boxes inside
boxes), the values that Crime and Sentence arguments point to, quote cues and contents and event
triggers marked inline, and tables of the quotes (cue, content,
speaker) and events (trigger, arguments with roles, attributes) below it.

With a prediction file, entity mentions, event triggers and quote contents are matched against the gold
by exact span and type, and every gold and predicted item is marked as correct, missed, spurious or of
the wrong type; per-document scores stand at the top, each row naming its layer: for entities, the
headline of ``khabar score`` (strict over the flat layer, from the scorer) above the nested counts the
marks show.

Every mention element carries ``data-layer`` (gold or pred), ``data-id``, ``data-type``, ``data-start``
and ``data-end`` (the whole mention's offsets, even when the element is one fragment of it), so that tests
and scripts can read the annotation back from the DOM. The output is a pure function of its inputs.
"""

from __future__ import annotations

import argparse
from collections import Counter
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from khabar.corpus import format as fmt
from khabar.corpus.version import DATA_VERSION, __version__
from khabar.scorers.core import Counts

STATUSES = ("correct", "wrong-type", "missed", "spurious")
"""How a gold or predicted item fares against the other side, in the order the legend lists them."""

STATUS_MEANING = {
    "correct": "same span and type in gold and prediction",
    "wrong-type": "same span, another type (gold type → predicted type)",
    "missed": "in the gold, not predicted",
    "spurious": "predicted, not in the gold",
}


# --------------------------------------------------------------------------------------------------
# Matching a system against the gold


@dataclass(frozen=True, order=True)
class Item:
    """A typed span from either side, the unit the viewer matches: a mention, a trigger, a quote content."""

    start: int
    end: int
    type: str
    id: str


@dataclass(frozen=True, order=True)
class Outcome:
    """One gold or predicted item with its status; ``predicted_type`` is set for ``wrong-type``."""

    item: Item
    layer: str
    status: str
    predicted_type: str | None = None


def match(gold: Iterable[Item], predicted: Iterable[Item]) -> list[Outcome]:
    """Classify gold and predicted items by exact span and type.

    At each span, gold and predicted types that agree are ``correct``; the remaining ones are paired in
    sorted order as ``wrong-type`` (shown once, on the gold item); what is left is ``missed`` (gold) or
    ``spurious`` (predicted). Several items may share a span, so the pairing works on multisets.
    """
    by_span: dict[tuple[int, int], tuple[list[Item], list[Item]]] = {}
    for side, items in ((0, gold), (1, predicted)):
        for item in items:
            by_span.setdefault((item.start, item.end), ([], []))[side].append(item)
    outcomes: list[Outcome] = []
    for span in sorted(by_span):
        gold_items, predicted_items = (sorted(items) for items in by_span[span])
        left = list(predicted_items)
        unmatched_gold = []
        for item in gold_items:
            same = next((p for p in left if p.type == item.type), None)
            if same is None:
                unmatched_gold.append(item)
            else:
                left.remove(same)
                outcomes.append(Outcome(item, "gold", "correct"))
        for item in unmatched_gold:
            if left:
                outcomes.append(Outcome(item, "gold", "wrong-type", left.pop(0).type))
            else:
                outcomes.append(Outcome(item, "gold", "missed"))
        outcomes.extend(Outcome(item, "pred", "spurious") for item in left)
    return outcomes


def counts(outcomes: Iterable[Outcome]) -> Counts:
    """The outcomes as the scorer's counts: correct items are true positives, spurious ones false
    positives, missed ones false negatives, and a wrong-type pair is nervaluate's *incorrect* (one
    prediction and one gold item, no credit). Precision, recall and F1 then come from the scorer's single
    definition, and equal strict (span and type) exact match."""
    tally = Counter(o.status for o in outcomes)
    return Counts(tp=tally["correct"], fp=tally["spurious"], fn=tally["missed"], incorrect=tally["wrong-type"])


LAYERS = ("entities", "events", "quotes")
LAYER_TITLES = {"entities": "entity mentions", "events": "event triggers", "quotes": "quote contents"}
HEADLINE = "entities-flat"
"""The score-table row of ``khabar score``'s headline: strict F1 over the flat layer (outermost mentions)."""
ROW_TITLES = {
    HEADLINE: "entity mentions, flat layer (outermost): strict, the headline of khabar score",
    "entities": "entity mentions, nested layer (every NER mention): exact span and type",
    "events": "event triggers: exact span and subtype (trigger classification)",
    "quotes": "quote contents: exact span and type",
}


def gold_items(doc: fmt.Document, layer: str, *, scored: bool = False) -> list[Item]:
    """The gold items of one layer; ``scored`` keeps only what a system is scored on (the NER layer of
    the entity mentions, not the nominal and pronoun mentions that serve quotes and events)."""
    if layer == "entities":
        return [Item(m.start, m.end, m.type, m.id) for m in (fmt.ner_mentions(doc) if scored else doc.entities)]
    if layer == "events":
        return [Item(e.trigger.start, e.trigger.end, e.type, e.id) for e in doc.events]
    return [Item(q.content.start, q.content.end, q.type, q.id) for q in doc.quotes]


def predicted_items(prediction: fmt.Prediction, layer: str) -> list[Item]:
    """The predicted items of one layer, with ids ``p<layer initial><n>`` in file order."""
    if layer == "entities":
        spans = [(e.start, e.end, e.type) for e in prediction.entities or ()]
    elif layer == "events":
        spans = [(e.trigger.start, e.trigger.end, e.type) for e in prediction.events or ()]
    else:
        spans = [(q.content.start, q.content.end, q.type) for q in prediction.quotes or ()]
    return [Item(start, end, kind, f"p{layer[0]}{n}") for n, (start, end, kind) in enumerate(spans, start=1)]


@dataclass(frozen=True)
class Comparison:
    """One document's outcomes per compared layer (only the layers the system submitted)."""

    outcomes: Mapping[str, Sequence[Outcome]]

    def counts(self, layer: str) -> Counts:
        return counts(self.outcomes[layer])

    def status_of(self, layer: str, item_id: str) -> Outcome | None:
        return next((o for o in self.outcomes.get(layer, ()) if o.layer == "gold" and o.item.id == item_id), None)

    def spurious(self, layer: str) -> list[Item]:
        return [o.item for o in self.outcomes.get(layer, ()) if o.status == "spurious"]


def compare(doc: fmt.Document, prediction: fmt.Prediction, layers: Sequence[str]) -> Comparison:
    return Comparison({layer: match(gold_items(doc, layer, scored=True), predicted_items(prediction, layer)) for layer in layers})


def submitted_layers(predictions: Mapping[str, fmt.Prediction]) -> tuple[str, ...]:
    """The layers a system submitted for at least one document; for those, a missing document is empty."""
    return tuple(layer for layer in LAYERS if any(getattr(p, layer) is not None for p in predictions.values()))


# --------------------------------------------------------------------------------------------------
# Inline marks over the text


@dataclass(frozen=True)
class Mark:
    """An element to wrap around ``text[start:end]``: classes, data attributes, a small label at its end."""

    start: int
    end: int
    rank: int
    """Among marks with the same span, lower ranks wrap higher ones."""
    classes: tuple[str, ...]
    data: tuple[tuple[str, str], ...]
    label: str = ""
    title: str = ""

    @property
    def key(self) -> tuple:
        return (self.start, -self.end, self.rank, self.data)


def _open_tag(mark: Mark, continued: bool) -> str:
    attrs = [f'class="{" ".join(mark.classes)}"']
    attrs += [f'data-{name}="{escape(value)}"' for name, value in mark.data]
    if continued:
        attrs.append('data-part="continued"')
    if mark.title:
        attrs.append(f'title="{escape(mark.title)}"')
    return f"<span {' '.join(attrs)}>"


def _close_tag(mark: Mark) -> str:
    label = f'<span class="label" dir="ltr">{escape(mark.label)}</span>' if mark.label else ""
    return f"{label}</span>"


def render_marked_text(text: str, marks: Iterable[Mark]) -> str:
    """The text, HTML-escaped, with every mark as a ``<span>``.

    Nested marks become nested elements. Marks that cross (a spurious prediction across a gold mention,
    a quote content across a mention) cannot nest in HTML, so the one opened later is closed where the
    other ends and reopened after it, the continuation flagged ``data-part="continued"``; its data
    attributes still give the whole span. The label is written once, at the mark's end.
    """
    ordered = sorted(marks, key=lambda m: m.key)
    starting: dict[int, list[Mark]] = {}
    for mark in ordered:
        starting.setdefault(mark.start, []).append(mark)
    boundaries = sorted({0, len(text)} | {m.start for m in ordered} | {m.end for m in ordered})
    out: list[str] = []
    stack: list[Mark] = []
    previous = 0
    for offset in boundaries:
        out.append(escape(text[previous:offset], quote=False))
        previous = offset
        if any(m.end == offset for m in stack):
            reopen: list[Mark] = []
            while any(m.end == offset for m in stack):
                mark = stack.pop()
                if mark.end == offset:
                    out.append(_close_tag(mark))
                else:
                    out.append("</span>")
                    reopen.append(mark)
            for mark in reversed(reopen):
                out.append(_open_tag(mark, continued=True))
                stack.append(mark)
        for mark in starting.get(offset, ()):
            out.append(_open_tag(mark, continued=False))
            stack.append(mark)
    return "".join(out)


@dataclass(frozen=True)
class Element:
    """How the items of one layer are drawn in the text."""

    css: str
    rank: int
    """Nesting order among marks of the same span: quote content outside, then mention, value, cue, trigger."""
    labelled: bool
    """Whether the item's type is written at its end."""


ELEMENTS = {"quotes": Element("quote", 0, False), "entities": Element("mention", 1, True), "events": Element("trigger", 4, True)}
VALUE_RANK = 2
CUE_RANK = 3


def document_marks(doc: fmt.Document, comparison: Comparison | None) -> list[Mark]:
    """Every gold item of the document (and with a comparison, every spurious prediction) as a mark."""
    details = {m.id: (("kind", m.kind), ("entity", m.entity)) for m in doc.entities}
    marks: list[Mark] = []
    for layer, element in ELEMENTS.items():
        for item in gold_items(doc, layer):
            marks.append(_item_mark(element, item, "gold", layer, comparison, details.get(item.id, ()) if layer == "entities" else ()))
        if comparison is not None:
            marks.extend(_item_mark(element, item, "pred", layer, comparison) for item in comparison.spurious(layer))
    marks.extend(
        Mark(q.cue.start, q.cue.end, CUE_RANK, ("cue",), (("quote", q.id),), title=f"cue of {q.id}") for q in doc.quotes if q.cue is not None
    )
    marks.extend(
        Mark(v.start, v.end, VALUE_RANK, ("value",), (("layer", "gold"), ("id", v.id), ("type", v.type), ("start", str(v.start)), ("end", str(v.end))), v.type, f"{v.id} · {v.type} value")
        for v in doc.values
    )
    return marks


def _item_mark(
    element: Element,
    item: Item,
    side: str,
    layer: str,
    comparison: Comparison | None,
    details: tuple[tuple[str, str], ...] = (),
) -> Mark:
    """The mark of a gold or predicted item, with its status when the system submitted the layer."""
    classes = [element.css]
    data = [("layer", side), ("id", item.id), ("type", item.type), ("start", str(item.start)), ("end", str(item.end)), *details]
    label = item.type
    title = " · ".join((item.id, item.type, *(value for _, value in details))) if side == "gold" else f"predicted {item.type}"
    outcome = None
    if comparison is not None and layer in comparison.outcomes:
        outcome = comparison.status_of(layer, item.id) if side == "gold" else Outcome(item, "pred", "spurious")
    if outcome is not None:
        classes.append(outcome.status)
        data.append(("status", outcome.status))
        title += f" · {outcome.status}"
        if outcome.predicted_type is not None:
            data.append(("pred-type", outcome.predicted_type))
            label = f"{item.type}→{outcome.predicted_type}"
            title += f" (predicted {outcome.predicted_type})"
    return Mark(item.start, item.end, element.rank, tuple(classes), tuple(data), label if element.labelled else "", title)


# --------------------------------------------------------------------------------------------------
# The page


def _type_colours() -> str:
    """One hue per entity type, spread evenly round the colour wheel in the label inventory's order."""
    types = fmt.labels()["entity_types"]
    rules = []
    for i, name in enumerate(types):
        hue = round(i * 360 / len(types))
        rules.append(
            f'.mention[data-type="{name}"]{{background:hsl({hue} 80% 92%);border-color:hsl({hue} 55% 45%)}}'
            f'.mention[data-type="{name}"]>.label,.swatch[data-type="{name}"]{{background:hsl({hue} 55% 45%)}}'
        )
    return "\n".join(rules)


STYLE = """
body{font-family:"Noto Naskh Arabic","Amiri","DejaVu Sans",sans-serif;margin:1.5rem auto;max-width:70rem;padding:0 1rem;color:#1a1a1a;background:#fff}
h1{margin:0 0 .25rem}
.sub{color:#555;margin:0 0 1rem}
section,article{overflow-x:auto;margin:1rem 0;padding:.75rem 1rem;border:1px solid #ddd;border-radius:6px}
.text{white-space:pre-wrap;line-height:2.6;font-size:1.15rem}
.mention{border:1px solid;border-radius:4px;padding:.05em .2em;margin:0 .05em}
.mention>.label{color:#fff;font:600 .6rem/1 sans-serif;padding:.1em .25em;border-radius:3px;margin-inline-start:.2em;vertical-align:super}
.mention .mention{padding:0 .15em}
.quote{background:linear-gradient(transparent 85%,#f3c26b 85%)}
.cue{text-decoration:underline wavy #b36b00;text-underline-offset:.35em}
.value{border-bottom:2px solid #5d4037;background:#efebe9}
.value>.label{font:600 .6rem/1 sans-serif;color:#5d4037;vertical-align:sub;margin-inline-start:.15em}
.trigger{font-weight:700;color:#0b4f9c;outline:1px dashed #0b4f9c;outline-offset:1px}
.trigger>.label{font:600 .6rem/1 sans-serif;color:#0b4f9c;vertical-align:sub;margin-inline-start:.15em}
.correct{border:2px solid #1b8a3a!important}
.missed{border:2px dashed #c62828!important}
.spurious{border:2px dotted #e07b00!important;background-image:repeating-linear-gradient(45deg,transparent 0 4px,rgba(224,123,0,.18) 4px 8px)}
.wrong-type{border:3px double #6a1b9a!important}
.trigger.correct,.trigger.missed,.trigger.spurious,.trigger.wrong-type,.quote.correct,.quote.missed,.quote.spurious,.quote.wrong-type{outline:none}
.legend ul{list-style:none;padding:0;margin:.25rem 0;display:flex;flex-wrap:wrap;gap:.4rem .9rem}
.swatch{display:inline-block;color:#fff;font:600 .7rem/1 sans-serif;padding:.2em .35em;border-radius:3px}
.status-sample{display:inline-block;width:2.2em;height:1em;vertical-align:middle;margin-inline-end:.3em}
table{border-collapse:collapse;margin:.5rem 0;width:100%}
th,td{border:1px solid #ddd;padding:.3rem .5rem;text-align:start;vertical-align:top}
th{background:#f6f6f6}
td.num{text-align:end;font-variant-numeric:tabular-nums;direction:ltr}
.en{direction:ltr;unicode-bidi:isolate}
.meta{color:#555}
"""

DIRECTION_PROBE = (
    "<script>document.documentElement.setAttribute('data-computed-direction',"
    "getComputedStyle(document.body).direction);</script>"
)
"""Records the direction the browser computed for the body, so a DOM dump shows the browser's answer."""


def _legend(compared: Sequence[str]) -> str:
    swatches = "".join(
        f'<li><span class="swatch" data-type="{name}" dir="ltr">{name}</span></li>' for name in fmt.labels()["entity_types"]
    )
    marks = (
        '<li><span class="quote">quote content</span></li>'
        '<li><span class="cue">quote cue</span></li>'
        '<li><span class="trigger">event trigger</span></li>'
        '<li><span class="value">value (Crime, Sentence)</span></li>'
        '<li><span class="mention" data-type="PERS">outer <span class="mention" data-type="GPE">nested</span></span></li>'
    )
    parts = [f'<section class="legend" id="legend"><h2>Legend</h2><h3>Entity types</h3><ul>{swatches}</ul>'
             f"<h3>Marks</h3><ul>{marks}</ul>"]
    if compared:
        statuses = "".join(
            f'<li><span class="status-sample mention {s}" data-status="{s}"></span><b>{s}</b>: {escape(STATUS_MEANING[s])}</li>'
            for s in STATUSES
        )
        layers = ", ".join(LAYER_TITLES[layer] for layer in compared)
        parts.append(f"<h3>System against gold ({escape(layers)})</h3><ul>{statuses}</ul>")
    parts.append("</section>")
    return "".join(parts)


def headline_counts(documents: Sequence[fmt.Document], predictions: Mapping[str, fmt.Prediction]) -> dict[str, Counts]:
    """The official strict counts of the flat layer, per document id and (``"*"``) over all documents:
    the headline ``khabar score`` reports, from the scorer itself."""
    from khabar.scorers.core import OVERALL
    from khabar.scorers.entities import score_entities

    board = score_entities(gold=documents, predictions=predictions, layer="flat", unit="document", bootstrap=0).board
    found = {unit[0]: board.unit_counts(i).get(("strict", OVERALL), Counts()) for i, unit in enumerate(board.units)}
    return {**{doc.id: found.get(doc.id, Counts()) for doc in documents}, "*": board.total("strict")}


def _score_table(rows: Sequence[tuple[str, Comparison]], compared: Sequence[str], headline: Mapping[str, Counts] | None) -> str:
    """One row per document and compared layer (and per layer over all documents when there are several);
    entities get two rows, the flat headline (``headline``, the scorer's counts) above the nested counts."""
    head = "".join(f"<th>{s}</th>" for s in STATUSES) + "<th>P</th><th>R</th><th>F1</th>"
    shown = [HEADLINE, *compared] if headline is not None else list(compared)
    body = []

    def counted(doc_id: str, layer: str, outcomes) -> Counts:
        return headline[doc_id] if layer == HEADLINE else counts(outcomes())

    for doc_id, comparison in rows:
        for i, layer in enumerate(shown):
            name = f'<th rowspan="{len(shown)}"><a class="en" href="#doc-{escape(doc_id)}">{escape(doc_id)}</a></th>' if i == 0 else ""
            body.append(_score_row(doc_id, layer, name, counted(doc_id, layer, lambda: comparison.outcomes[layer])))
    if len(rows) > 1:
        for i, layer in enumerate(shown):
            name = f'<th rowspan="{len(shown)}">all documents</th>' if i == 0 else ""
            body.append(_score_row("*", layer, name, counted("*", layer, lambda: (o for _, c in rows for o in c.outcomes[layer]))))
    return (
        '<section class="scores" id="scores"><h2>Scores: exact match, each row naming its layer</h2>'
        f"<table><thead><tr><th>document</th><th>layer</th>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table></section>"
    )


def _score_row(doc_id: str, layer: str, name_cell: str, counted: Counts) -> str:
    return (
        f'<tr data-doc="{escape(doc_id)}" data-layer="{layer}">{name_cell}'
        f"<td>{escape(ROW_TITLES[layer])}</td>{_count_cells(counted)}</tr>"
    )


def _count_cells(counted: Counts) -> str:
    numbers = (counted.tp, counted.incorrect, counted.fn, counted.fp)
    ratios = (counted.precision, counted.recall, counted.f1)
    return "".join(f'<td class="num">{n}</td>' for n in numbers) + "".join(f'<td class="num">{100 * r:.1f}</td>' for r in ratios)


def _span_text(doc: fmt.Document, span: fmt.Span | None) -> str:
    if span is None:
        return '<span class="meta">—</span>'
    return f'{escape(doc.span_text(span))} <span class="meta en">[{span.start}:{span.end}]</span>'


def _status_cell(comparison: Comparison | None, layer: str, item_id: str) -> str:
    if comparison is None or layer not in comparison.outcomes:
        return ""
    outcome = comparison.status_of(layer, item_id)
    predicted = f" → {escape(outcome.predicted_type)}" if outcome.predicted_type else ""
    return f'<td class="{outcome.status}" data-status="{outcome.status}">{outcome.status}{predicted}</td>'


def _quote_table(doc: fmt.Document, comparison: Comparison | None) -> str:
    if not doc.quotes:
        return '<p class="meta">No quotes.</p>'
    status_head = "<th>against gold</th>" if comparison is not None and "quotes" in comparison.outcomes else ""
    rows = []
    for q in doc.quotes:
        source = doc.mention(q.source) if q.source else None
        speaker = doc.cluster(q.speaker).canonical if q.speaker else None
        rows.append(
            f'<tr data-quote="{escape(q.id)}"><td class="en">{escape(q.id)}</td><td class="en">{escape(q.type)}</td>'
            f"<td>{_span_text(doc, q.cue)}</td><td>{_span_text(doc, q.content)}</td>"
            f"<td>{_span_text(doc, source.span) if source else _span_text(doc, None)}</td>"
            f"<td>{escape(speaker) if speaker else _span_text(doc, None)}</td>{_status_cell(comparison, 'quotes', q.id)}</tr>"
        )
    return (
        f"<table class=\"quotes\"><thead><tr><th>id</th><th>type</th><th>cue</th><th>content</th><th>source</th><th>speaker</th>{status_head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _event_table(doc: fmt.Document, comparison: Comparison | None) -> str:
    if not doc.events:
        return '<p class="meta">No events.</p>'
    status_head = "<th>against gold</th>" if comparison is not None and "events" in comparison.outcomes else ""
    rows = []
    for e in doc.events:
        arguments = "".join(
            f'<li><span class="en">{escape(a.role)}</span>: {_span_text(doc, doc.filler(a).span)}{_value_note(a)}</li>' for a in e.arguments
        )
        attributes = " · ".join((e.modality, e.polarity, e.genericity, e.tense))
        rows.append(
            f'<tr data-event="{escape(e.id)}"><td class="en">{escape(e.id)}</td><td class="en">{escape(e.type)}</td>'
            f"<td>{_span_text(doc, e.trigger)}</td><td><ul>{arguments}</ul></td>"
            f'<td class="en">{escape(attributes)}</td><td class="en">{escape(e.coref)}</td>{_status_cell(comparison, "events", e.id)}</tr>'
        )
    return (
        f"<table class=\"events\"><thead><tr><th>id</th><th>type</th><th>trigger</th><th>arguments</th><th>attributes</th><th>coref</th>{status_head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _value_note(argument: fmt.Argument) -> str:
    """After a value argument's text, the value it points to (a value is no entity mention)."""
    return "" if argument.value is None else f' <span class="meta en">(value {escape(argument.value)})</span>'


META_SHOWN = ("publisher", "published", "date_extracted", "topic", "split")
"""The metadata a document's heading shows, when the document has it."""


def _document_index(documents: Sequence[fmt.Document]) -> str:
    """A table of contents: each document with a link to it, its split, outlet and title."""
    rows = "".join(
        f'<tr><td class="en"><a href="#doc-{escape(doc.id)}">{escape(doc.id)}</a></td>'
        f'<td class="en">{escape(str(doc.meta.get("split", "—")))}</td>'
        f'<td class="en">{escape(str(doc.meta.get("publisher", "—")))}</td>'
        f"<td>{escape(str(doc.meta.get('title', '')))}</td></tr>"
        for doc in documents
    )
    return (
        '<nav class="index"><h2 class="en">Documents</h2><table><thead><tr>'
        '<th class="en">id</th><th class="en">split</th><th class="en">publisher</th><th class="en">title</th>'
        f"</tr></thead><tbody>{rows}</tbody></table></nav>"
    )


def _document_section(doc: fmt.Document, comparison: Comparison | None) -> str:
    meta = " · ".join(str(doc.meta[key]) for key in META_SHOWN if doc.meta.get(key))
    return (
        f'<article class="document" id="doc-{escape(doc.id)}" data-doc="{escape(doc.id)}">'
        f'<h2 class="en">{escape(doc.id)}</h2><p class="meta">{escape(meta)}</p>'
        f'<div class="text">{render_marked_text(doc.text, document_marks(doc, comparison))}</div>'
        f"<h3>Quotes</h3>{_quote_table(doc, comparison)}"
        f"<h3>Events</h3>{_event_table(doc, comparison)}"
        "</article>"
    )


def render_page(
    documents: Sequence[fmt.Document],
    predictions: Mapping[str, fmt.Prediction] | None = None,
    *,
    system: str | None = None,
) -> str:
    """The whole page for ``documents`` (in the order given), with a system's ``predictions`` if any.

    For each layer the system submitted, a document it left out counts as an empty prediction.
    """
    compared = submitted_layers(predictions) if predictions is not None else ()
    comparisons: list[tuple[str, Comparison | None]] = []
    for doc in documents:
        if predictions is None:
            comparisons.append((doc.id, None))
        else:
            comparisons.append((doc.id, compare(doc, predictions.get(doc.id, fmt.Prediction(doc.id)), compared)))
    subtitle = f"khabar {__version__} · data {DATA_VERSION} · {len(documents)} document(s)"
    if system is not None:
        subtitle += f" · system: {system}"
    parts = [
        "<!DOCTYPE html>\n",
        '<html dir="rtl" lang="ar"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width,initial-scale=1">',
        f"<title>Khabar{' — ' + escape(system) if system else ''}</title>",
        f"<style>{STYLE}{_type_colours()}</style></head><body>",
        f'<header><h1>Khabar <span lang="ar">خبر</span></h1><p class="sub en">{escape(subtitle)}</p></header>',
        _legend(compared),
    ]
    if len(documents) > 1:
        parts.append(_document_index(documents))
    if compared:
        headline = headline_counts(documents, predictions) if "entities" in compared else None
        parts.append(_score_table([(doc_id, c) for doc_id, c in comparisons if c is not None], compared, headline))
    by_id = dict(comparisons)
    parts.extend(_document_section(doc, by_id[doc.id]) for doc in documents)
    parts.append(f"{DIRECTION_PROBE}</body></html>\n")
    return "".join(parts)


# --------------------------------------------------------------------------------------------------
# Command line


def view_command(args: argparse.Namespace) -> int:
    data_files = fmt.gold_files(args.data, args.split)
    for given in (args.pred, *data_files):
        if given is not None and args.out.resolve() == given.resolve():
            raise fmt.InputError(f"{fmt.display_path(args.out)}: --out would overwrite an input")
    fmt.output_file(args.out, "--out")
    corpus = fmt.load_corpus(args.data, args.split)
    documents = corpus if args.doc is None else [doc for doc in corpus if doc.id == args.doc]
    if not documents:
        raise fmt.InputError(f"{', '.join(map(fmt.display_path, data_files))}: no document {args.doc!r}")
    predictions = None if args.pred is None else fmt.read_predictions(args.pred, {doc.id: doc for doc in corpus})
    page = render_page(documents, predictions, system=None if args.pred is None else args.pred.name)
    try:
        fmt.write_text(args.out, page)
    except OSError as error:
        raise fmt.KhabarError(f"{args.out}: cannot write ({error.strerror})") from None
    print(f"wrote {args.out}")
    return 0


def register(subparsers) -> None:
    from khabar.corpus.cli import add_command

    p = add_command(
        subparsers,
        "view",
        help="write the corpus, or a system against the gold, as one self-contained right-to-left HTML page",
        example="khabar view --doc 000_0d083f3321f654a4 --pred predictions.jsonl --out page.html",
        description="Write one HTML page (no network needed, nothing external) showing each document with its entity "
        "mentions highlighted by type (nested ones visible), quotes with cue, content and speaker, and events with "
        "trigger, arguments and roles. With --pred, entity mentions, event triggers and quote contents are marked "
        "correct, missed, spurious or wrong-type against the gold, with per-document scores at the top.",
    )
    p.add_argument("--doc", metavar="ID", help="show only this document (default: all)")
    p.add_argument("--pred", type=Path, metavar="FILE", help="a prediction file (JSON Lines) to show against the gold")
    p.add_argument("--data", type=Path, default=None, help="a built documents.jsonl (default: this checkout's corpus)")
    p.add_argument("--split", choices=(*fmt.SPLITS, "all"), default="all", help="show only this split's documents (default: all)")
    p.add_argument("--out", type=Path, required=True, metavar="PAGE", help="the HTML file to write")
    p.set_defaults(func=view_command)
