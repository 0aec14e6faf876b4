"""Derive everything a user loads from the annotation sources, deterministically.

``khabar build`` reads ``corpus/annotations/*.json`` (through the format module, so the same checks as
``khabar validate`` guard it), adds sentences and tokens, and writes ``corpus/data/<split>/`` for each
split that has documents: the full ``documents.jsonl``, the task views ``entities.jsonl`` (one row per sentence, IOB2 over the outermost
mentions plus every mention as a span list), ``quotes.jsonl`` and ``events.jsonl`` (one row per
document), ``MANIFEST.json`` with each file's sha256, and the Hugging Face front matter of README.md.
``khabar build --check`` compares instead of writing and names every stale file.
"""

from __future__ import annotations

import bisect
import hashlib
import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterable, NamedTuple, Sequence

from khabar.corpus import format as fmt
from khabar.corpus.stats import stats_by_split, stats_markdown
from khabar.corpus.tokenize import overlapped_tokens, split_sentences, tokenize
from khabar.corpus.version import DATA_VERSION

README = fmt.ROOT / "README.md"


def iob2_names() -> list[str]:
    """The IOB2 tag names in ClassLabel order: ``O``, then ``B-X``, ``I-X`` per entity type."""
    return ["O"] + [f"{prefix}-{t}" for t in fmt.labels()["entity_types"] for prefix in ("B", "I")]


def with_layout(doc: fmt.Document) -> fmt.Document:
    """The document with its sentences and tokens, both from its text alone."""
    sentences = tuple(fmt.Span(*s) for s in split_sentences(doc.text))
    tokens = tuple(fmt.Span(*t) for t in tokenize(doc.text))
    return replace(doc, sentences=sentences, tokens=tokens)


def layout_problems(doc: fmt.Document, where: str) -> list[fmt.Problem]:
    """Gold spans that the sentence views would cut: an entity mention, value, trigger or cue across a
    sentence boundary; and an event argument outside its trigger's sentence (guidelines 4.3). (A span
    may begin or end inside a token: the token views project it onto the tokens it overlaps.)"""
    problems = []
    sentence_of = _sentence_index(doc)
    labelled = [(f"entities[{i}]", m.span) for i, m in enumerate(doc.entities)]
    labelled += [(f"values[{i}]", v.span) for i, v in enumerate(doc.values)]
    labelled += [(f"events[{i}].trigger", e.trigger) for i, e in enumerate(doc.events)]
    labelled += [(f"quotes[{i}].cue", q.cue) for i, q in enumerate(doc.quotes) if q.cue is not None]
    for path, span in labelled:
        if sentence_of(span.start) != sentence_of(span.end - 1):
            problems.append(fmt.Problem(where, path, f"{span.start}:{span.end} crosses a sentence boundary"))
    for i, event in enumerate(doc.events):
        for j, argument in enumerate(event.arguments):
            filler, field = doc.filler(argument), "mention" if argument.value is None else "value"
            if sentence_of(filler.start) != sentence_of(event.trigger.start):
                problems.append(
                    fmt.Problem(
                        where,
                        f"events[{i}].arguments[{j}].{field}",
                        f"{filler.id!r} lies in sentence {sentence_of(filler.start)}, its trigger in sentence {sentence_of(event.trigger.start)} (an argument lies in its trigger's sentence)",
                    )
                )
    return problems


def _sentence_index(doc: fmt.Document):
    starts = [s.start for s in doc.sentences]
    return lambda offset: bisect.bisect_right(starts, offset) - 1


def read_corpus_sources(paths: Iterable[Path] | None = None) -> list[fmt.Document]:
    """All annotation sources with their layout, after every check passed."""
    documents = [with_layout(doc) for doc in fmt.read_annotations(paths)]
    problems = [p for doc in documents for p in layout_problems(doc, fmt.display_path(fmt.ANNOTATIONS_DIR / f"{doc.id}.json"))]
    problems += seed_index_problems(documents)
    if problems:
        raise fmt.ValidationFailed(problems)
    return documents


INDEX_REQUIRED = ("file", "sha256", "source", "publisher", "title", "language", "licence", "split")
"""The seed index fields every annotated document needs: its provenance, its terms and its split."""


def seed_index_problems(documents: Sequence[fmt.Document]) -> list[fmt.Problem]:
    """Every annotated document is a seed listed in ``seeds/index.json``, with the metadata listed there.
    Seeds without an annotation file are allowed: an article enters the corpus when its gold exists."""
    where = fmt.display_path(fmt.SEED_INDEX)
    index = fmt.seed_index()
    problems = []
    for doc in sorted(documents, key=lambda d: d.id):
        source = f"corpus/annotations/{doc.id}.json"
        if doc.id not in index:
            problems.append(fmt.Problem(source, "id", f"{doc.id} is not listed in {where}"))
            continue
        missing = [field for field in INDEX_REQUIRED if field not in index[doc.id]]
        if missing:
            problems.append(fmt.Problem(where, f"documents[{doc.id}]", f"lacks {', '.join(missing)} (docs/sources.md lists the fields)"))
            continue
        expected = fmt.seed_meta(doc.id)
        for key in sorted(set(expected) | set(doc.meta), key=[k for k, _ in fmt.META_FROM_INDEX].index):
            if doc.meta.get(key) != expected.get(key):
                problems.append(fmt.Problem(source, f"meta.{key}", f"{doc.meta.get(key)!r} differs from {where} ({expected.get(key)!r})"))
    return problems


# --------------------------------------------------------------------------------------------------
# Task views


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


def _span_json(doc: fmt.Document, span: fmt.Span | None) -> dict | None:
    return None if span is None else {"start": span.start, "end": span.end, "text": doc.span_text(span)}


def entity_rows(doc: fmt.Document) -> list[dict[str, Any]]:
    tag_id = {name: i for i, name in enumerate(iob2_names())}
    rows = []
    for sentence in sentence_tokens(doc):
        flat = sentence.columns[0] if sentence.columns else ("O",) * len(sentence.tokens)
        rows.append(
            {
                "id": f"{doc.id}-{sentence.index:03d}",
                "document_id": doc.id,
                "sentence": sentence.index,
                "start": sentence.span.start,
                "end": sentence.span.end,
                "tokens": [doc.span_text(t) for t in sentence.tokens],
                "ner_tags": [tag_id[tag] for tag in flat],
                "entities": [
                    {
                        "id": m.id,
                        "start": m.start,
                        "end": m.end,
                        "token_start": first,
                        "token_end": last,
                        "text": m.text,
                        "type": m.type,
                        "kind": m.kind,
                        "entity": m.entity,
                    }
                    for m, (first, last) in zip(sentence.mentions, sentence.ranges)
                ],
            }
        )
    return rows


def quote_row(doc: fmt.Document) -> dict[str, Any]:
    quotes = []
    for q in doc.quotes:
        source = doc.mention(q.source) if q.source else None
        quotes.append(
            {
                "id": q.id,
                "type": q.type,
                "content": _span_json(doc, q.content),
                "cue": _span_json(doc, q.cue),
                "source": None if source is None else _span_json(doc, source.span),
                "speaker": q.speaker,
                "speaker_name": None if q.speaker is None else doc.cluster(q.speaker).canonical,
            }
        )
    return {"id": doc.id, "text": doc.text, "quotes": quotes}


def event_row(doc: fmt.Document) -> dict[str, Any]:
    events = []
    for e in doc.events:
        arguments = []
        for a in e.arguments:
            # a value has no cluster: its entity is null, and its role says which value type it is
            entity = None if a.value is not None else doc.mention(a.mention).entity
            arguments.append({"role": a.role, **_span_json(doc, doc.filler(a).span), "entity": entity})
        events.append(
            {
                "id": e.id,
                "type": e.type,
                "trigger": _span_json(doc, e.trigger),
                "arguments": arguments,
                "modality": e.modality,
                "polarity": e.polarity,
                "genericity": e.genericity,
                "tense": e.tense,
                "coref": e.coref,
            }
        )
    return {"id": doc.id, "text": doc.text, "events": events}


def render_views(documents: Sequence[fmt.Document]) -> dict[str, list[dict[str, Any]]]:
    return {
        "documents": [fmt.document_to_json(doc, with_layout=True) for doc in documents],
        "entities": [row for doc in documents for row in entity_rows(doc)],
        "quotes": [quote_row(doc) for doc in documents],
        "events": [event_row(doc) for doc in documents],
    }


# --------------------------------------------------------------------------------------------------
# Writing and checking


@dataclass(frozen=True)
class BuiltFile:
    path: Path
    content: str


VIEWS = ("documents", "entities", "quotes", "events")


def render(documents: Sequence[fmt.Document]) -> list[BuiltFile]:
    """Every built file's path and exact content: each view of each split that has documents, then the
    manifest, the Croissant record and the card."""
    from khabar.corpus import card, citation, croissant

    files, rows = [], {}
    for split, members in fmt.documents_by_split(documents).items():
        for view, view_rows in render_views(members).items():
            path = fmt.split_file(view, split)
            rows[path] = len(view_rows)
            files.append(BuiltFile(path, "".join(fmt.dumps_line(row) + "\n" for row in view_rows)))
    manifest = {
        "data_version": DATA_VERSION,
        "schema_version": fmt.schema_version(),
        "files": {
            manifest_name(f.path): {
                "sha256": hashlib.sha256(f.content.encode("utf-8")).hexdigest(),
                "bytes": len(f.content.encode("utf-8")),
                "rows": rows[f.path],
            }
            for f in files
        },
    }
    files.append(BuiltFile(fmt.DATA_DIR / "MANIFEST.json", json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"))
    files.append(BuiltFile(croissant.CROISSANT_FILE, croissant.croissant(manifest)))
    readme = README.read_text(encoding="utf-8") if README.exists() else ""
    readme = card.with_front_matter(readme, card.front_matter(manifest))
    readme = card.replace_block(readme, "stats", stats_markdown(stats_by_split(documents)))
    readme = card.replace_block(readme, citation.README_BLOCK, citation.readme_block())
    files.append(BuiltFile(README, readme))
    return files


def manifest_name(path: Path) -> str:
    """A built file's key in MANIFEST.json and releases.json: ``<split>/<view>.jsonl``."""
    return path.relative_to(fmt.DATA_DIR).as_posix()


def build(*, check: bool = False) -> list[str]:
    """Write the built files, or with ``check`` return the stale ones (repository-relative paths). A
    data file that the corpus no longer gives (a split without documents, an old layout) is stale too,
    and is removed."""
    files = render(read_corpus_sources())
    stale = []
    for built in files:
        current = built.path.read_text(encoding="utf-8") if built.path.exists() else None
        if current != built.content:
            stale.append(fmt.display_path(built.path))
            if not check:
                built.path.parent.mkdir(parents=True, exist_ok=True)
                fmt.write_text(built.path, built.content)
    wanted = {built.path for built in files}
    for leftover in sorted(path for path in fmt.DATA_DIR.rglob("*.jsonl") if path not in wanted):
        stale.append(fmt.display_path(leftover))
        if not check:
            leftover.unlink()
    return stale
