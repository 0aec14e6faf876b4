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
from typing import Any, Iterable, Sequence

from khabar.corpus import format as fmt
from khabar.corpus.projection import sentence_tokens
from khabar.corpus.stats import stats_by_split, stats_markdown
from khabar.corpus.tokenize import split_sentences, tokenize
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


def trigger_problems(doc: fmt.Document, where: str) -> list[fmt.Problem]:
    """Two events of one type on one trigger span: a trigger word is one event mention, with all its
    participants as arguments (guidelines 2.3, change log 2). A rule of the gold, not of the format: raw
    passes made before it are kept as they were annotated."""
    problems, first = [], {}
    for i, event in enumerate(doc.events):
        key = (event.trigger.start, event.trigger.end, event.type)
        if key in first:
            problems.append(fmt.Problem(where, f"events[{i}].trigger", f"has the trigger and type of events[{first[key]}] (a trigger word is one event mention: give it all the participants)"))
        first.setdefault(key, i)
    return problems


def gold_problems(doc: fmt.Document, where: str) -> list[fmt.Problem]:
    """What the gold must satisfy beyond the format (a document with its layout): `layout_problems`
    and `trigger_problems`; the build and `khabar validate FILE` apply the same checks."""
    return [*layout_problems(doc, where), *trigger_problems(doc, where)]


def _sentence_index(doc: fmt.Document):
    starts = [s.start for s in doc.sentences]
    return lambda offset: bisect.bisect_right(starts, offset) - 1


def read_corpus_sources(paths: Iterable[Path] | None = None) -> list[fmt.Document]:
    """All annotation sources with their layout, after every check passed."""
    documents = [with_layout(doc) for doc in fmt.read_annotations(paths)]
    problems = [p for doc in documents for p in gold_problems(doc, fmt.display_path(fmt.ANNOTATIONS_DIR / f"{doc.id}.json"))]
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
