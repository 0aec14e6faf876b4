"""Exchange formats: CoNLL for NER tools, brat standoff for annotation tools.

* ``khabar export conll`` writes the named-entity layer (the ``name`` mentions, what WojoodNER tags) of
  the built corpus as CoNLL IOB2, once flat (the outermost mentions, exactly the ``ner_tags`` of
  ``entities.jsonl``) and once in Wojood's nested form (a token, then one tag per nesting level,
  outermost first).
* ``khabar export brat`` / ``khabar import brat`` convert gold annotation files to and from brat
  standoff (``.txt`` + ``.ann`` and an ``annotation.conf``), so that an article can be annotated in brat
  or INCEpTION. Export then import reproduces ``corpus/annotations/<id>.json`` byte for byte.

The conventions (which brat line carries which field) are documented in ``docs/annotating.md``; the
constants below are their single definition.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from khabar.corpus import format as fmt
from khabar.corpus.build import iob2_names, sentence_tokens

# --------------------------------------------------------------------------------------------------
# CoNLL

FLAT_CONLL = "khabar.flat.conll"
NESTED_CONLL = "khabar.nested.conll"


def nested_tags(columns: Sequence[Sequence[str]], n_tokens: int) -> list[list[str]]:
    """Per token, its tags in Wojood's nested form: one per nesting level, outermost first, up to the
    deepest level that tags it (``O`` at a level in between, where the projection lost a mention); a
    token no mention covers gets ``["O"]``."""
    out = []
    for i in range(n_tokens):
        tags = [column[i] for column in columns]
        while tags and tags[-1] == "O":
            tags.pop()
        out.append(tags or ["O"])
    return out


def conll_text(documents: Iterable[fmt.Document], *, nested: bool, comments: bool = True) -> str:
    """The CoNLL file of the named-entity layer (:func:`~khabar.corpus.format.ner_mentions`) of
    ``documents``: one ``token<TAB>tag[<TAB>tag...]`` line per token, a blank line after each sentence,
    and (with ``comments``) CoNLL-U style ``# newdoc id``, ``# sent_id`` and ``# text`` lines before each
    sentence. The flat tags are those of ``entities.jsonl``; the nested ones add a column per nesting
    level, as Wojood's nested files do."""
    lines: list[str] = []
    for doc in documents:
        for sentence in sentence_tokens(doc):
            if comments:
                if sentence.index == 0:
                    lines.append(f"# newdoc id = {doc.id}")
                lines.append(f"# sent_id = {doc.id}-{sentence.index:03d}")
                lines.append(f"# text = {doc.span_text(sentence.span)}")
            columns = sentence.columns if nested else sentence.columns[:1]
            tags = nested_tags(columns, len(sentence.tokens))
            lines.extend("\t".join([doc.span_text(token), *token_tags]) for token, token_tags in zip(sentence.tokens, tags))
            lines.append("")
    return "\n".join(lines) + ("\n" if lines else "")


def export_conll(documents: Sequence[fmt.Document], out: Path, *, comments: bool = True) -> list[Path]:
    files = {out / name: conll_text(documents, nested=nested, comments=comments) for name, nested in ((FLAT_CONLL, False), (NESTED_CONLL, True))}
    fmt.refuse_links(files)
    out.mkdir(parents=True, exist_ok=True)
    fmt.write_texts(files)
    return list(files)


# --------------------------------------------------------------------------------------------------
# From token tags back to a submission

TAG_FIELD = "ner_tags"


def predictions_from_tags(
    documents: Sequence[fmt.Document],
    tags: Mapping[str, Sequence[str]],
    *,
    scheme: str = "IOB2",
    decoder: str = "strict",
) -> list[fmt.Prediction]:
    """A prediction per document of ``documents`` (built: with tokens) that ``tags`` covers: ``tags``
    maps a row id of the ``entities`` view (``<document>-<sentence>``) to one tag per token of that
    row. Each row's tags are decoded into chunks (:func:`khabar.scorers.conll.chunks`), and a chunk is
    the character span from its first token's start to its last token's end, so a proclitic inside a
    token comes with it (docs/tokenization.md). The caller has checked the rows (:func:`read_tags`)."""
    from khabar.scorers.conll import chunks

    predictions = []
    for doc in documents:
        rows = [(f"{doc.id}-{s.index:03d}", s) for s in sentence_tokens(doc)]
        if not any(row_id in tags for row_id, _ in rows):
            continue
        entities = {
            fmt.PredictedEntity(sentence.tokens[start].start, sentence.tokens[end - 1].end, kind)
            for row_id, sentence in rows
            for start, end, kind in chunks(list(tags[row_id]), decoder, scheme)
        }
        predictions.append(fmt.Prediction(doc.id, entities=tuple(sorted(entities))))
    return predictions


def read_tags(path: Path, documents: Sequence[fmt.Document], *, field: str = TAG_FIELD, scheme: str = "IOB2") -> dict[str, list[str]]:
    """The predicted tags of a JSON Lines file, one object per row of the ``entities`` view: its
    ``id`` and, in ``field``, one tag per token, as names (``B-PERS``) or as the view's ``ClassLabel``
    ids; other keys are ignored, so the view's own rows with predicted tags will do. Every problem is
    one line naming the file and line: an unknown or repeated row, a tag count that is not the row's
    token count, a tag outside ``scheme``, and the rows missing from a document that has some."""
    from khabar.scorers.conll import SCHEMES, valid_tag

    where = fmt.display_path(path)
    names = iob2_names()
    tokens = {f"{doc.id}-{s.index:03d}": len(s.tokens) for doc in documents for s in sentence_tokens(doc)}
    found: dict[str, list[str]] = {}
    first_line: dict[str, int] = {}
    problems: list[fmt.Problem] = []
    for number, obj in fmt.iter_jsonl(Path(path)):
        here = f"{where}:{number}"
        if isinstance(obj, fmt.Problem):
            problems.append(obj)
            continue
        row_id = obj.get("id") if isinstance(obj, dict) else None
        if not isinstance(row_id, str) or row_id not in tokens:
            problems.append(fmt.Problem(here, "id", f"{row_id!r} is not a row of the entities view" if isinstance(obj, dict) else "expected a JSON object"))
            continue
        if row_id in first_line:
            problems.append(fmt.Problem(here, "id", f"row {row_id!r} again (first on line {first_line[row_id]})"))
            continue
        first_line[row_id] = number
        row = obj.get(field)
        if not isinstance(row, list):
            problems.append(fmt.Problem(here, field, "missing or not a list (--field names the key holding the tags)"))
            continue
        if len(row) != tokens[row_id]:
            problems.append(fmt.Problem(here, field, f"{len(row)} tags for the row's {tokens[row_id]} tokens"))
            continue
        as_names = [names[t] if type(t) is int and 0 <= t < len(names) else t for t in row]
        bad = next((i for i, tag in enumerate(as_names) if not isinstance(tag, str) or not valid_tag(tag, scheme)), None)
        if bad is not None:
            allowed = SCHEMES[scheme].tags()
            problems.append(fmt.Problem(here, f"{field}[{bad}]", f"{row[bad]!r} is neither a tag of {scheme} ({allowed}) nor a ClassLabel id below {len(names)}"))
            continue
        found[row_id] = as_names
    covered = {row_id.rsplit("-", 1)[0] for row_id in found}
    missing = [row_id for row_id in tokens if row_id.rsplit("-", 1)[0] in covered and row_id not in found and row_id not in first_line]
    if missing and not problems:
        problems.append(fmt.Problem(where, "", f"{len(missing)} row(s) of documents it covers missing: {', '.join(missing[:10])}{' ...' if len(missing) > 10 else ''}"))
    if problems:
        raise fmt.InputError(problems)
    if not found:
        raise fmt.InputError(f"{where}: no row in the file (expected one JSON object per row of the entities view)")
    return found


# --------------------------------------------------------------------------------------------------
# brat: the vocabulary

QUOTE = "Quote"
CUE = "Cue"
COREFERENCE = "Coreference"
QUOTE_CUE = "QuoteCue"
QUOTE_SOURCE = "QuoteSource"
KIND = "Kind"
QUOTE_TYPE = "QuoteType"
EVENT_ATTRIBUTES = {"modality": "Modality", "polarity": "Polarity", "genericity": "Genericity", "tense": "Tense"}
NOTE = "AnnotatorNotes"
NOTE_KEYS = ("id", "cluster", "type", "speaker", "coref", "canonical")
"""Fields a Khabar note may carry, in the order they are written; ``canonical`` takes the rest of the
line, so it comes last."""

BRAT_ID = re.compile(r"([TER])([0-9]+)")


def brat_event_type(event_type: str) -> str:
    """brat splits ``Type:Trigger`` on the colon, so ``Contact:Meet`` travels as ``Contact_Meet``."""
    return event_type.replace(":", "_")


def _event_types_by_brat_name() -> dict[str, str]:
    return {brat_event_type(t): t for t in fmt.labels()["event_types"]}


def annotation_conf() -> str:
    """brat's ``annotation.conf`` for Khabar: the 21 entity types, quotes and cues, the value types, the
    ACE 2005 event subtypes with their roles (a value role takes its value type), coreference, and the
    attributes. Nesting and overlap are allowed."""
    labels = fmt.labels()
    entity_types = "|".join(labels["entity_types"])
    lines = ["# Khabar brat configuration, written by `khabar export brat`; see docs/annotating.md.", "", "[entities]"]
    lines += list(labels["entity_types"]) + [QUOTE, CUE, *labels["value_types"], "", "[relations]"]
    lines += [
        f"{COREFERENCE}\tArg1:{entity_types}, Arg2:{entity_types}, <REL-TYPE>:symmetric-transitive",
        f"{QUOTE_CUE}\tArg1:{QUOTE}, Arg2:{CUE}",
        f"{QUOTE_SOURCE}\tArg1:{QUOTE}, Arg2:{entity_types}",
        "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>",
        "",
        "[events]",
    ]
    parent = None
    for event_type in labels["event_types"]:
        if event_type.split(":")[0] != parent:
            parent = event_type.split(":")[0]
            lines.append(f"!{parent}")
        roles = ", ".join(f"{role}*:{labels['value_type_by_role'].get(role, entity_types)}" for role in labels["event_roles"][event_type])
        lines.append(f"\t{brat_event_type(event_type)}\t{roles}")
    lines += ["", "[attributes]", f"{KIND}\tArg:{entity_types}, Value:{'|'.join(labels['mention_kinds'])}"]
    lines.append(f"{QUOTE_TYPE}\tArg:{QUOTE}, Value:{'|'.join(labels['quote_types'])}")
    for key, name in EVENT_ATTRIBUTES.items():
        lines.append(f"{name}\tArg:<EVENT>, Value:{'|'.join(labels['event_attributes'][key])}")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------------
# brat: export


class _IdAllocator:
    """Fresh ids ``<prefix><n>``, lowest first, never one already taken."""

    def __init__(self, taken: Iterable[str] = ()):
        self.taken = set(taken)
        self.next: dict[str, int] = {}

    def new(self, prefix: str) -> str:
        n = self.next.get(prefix, 1)
        while f"{prefix}{n}" in self.taken:
            n += 1
        self.next[prefix] = n + 1
        self.taken.add(f"{prefix}{n}")
        return f"{prefix}{n}"


def _fragments(text: str, span: fmt.Span) -> list[tuple[int, int]]:
    """A span as brat fragments: a brat text-bound line cannot hold a line break, so a span across lines
    is written as one fragment per line (brat's discontinuous form); import joins them back."""
    fragments, start = [], span.start
    for match in re.finditer(r"\n+", text[span.start : span.end]):
        fragments.append((start, span.start + match.start()))
        start = span.start + match.end()
    fragments.append((start, span.end))
    return [(s, e) for s, e in fragments if s < e]


def _is_brat_id(object_id: str, prefix: str) -> bool:
    return object_id[0] == prefix and BRAT_ID.fullmatch(object_id) is not None


def _note_text(fields: Mapping[str, str]) -> str:
    return " ".join(f"{key}={fields[key]}" for key in NOTE_KEYS if key in fields)


def document_to_brat(doc: fmt.Document) -> str:
    """The ``.ann`` text of a gold document (the ``.txt`` is ``doc.text`` itself).

    Mentions and values keep their id as brat id when it is a brat text-bound id (``T12``), events
    theirs when it is an event id (``E3``); every other Khabar id, the cluster ids and canonical names,
    the speakers and the event coreference ids travel in ``AnnotatorNotes`` as ``key=value`` fields.
    """
    where = f"{doc.id}.ann"
    brat_of = {m.id: (m.id if _is_brat_id(m.id, "T") else None) for m in (*doc.entities, *doc.values)}
    event_brat = {e.id: (e.id if _is_brat_id(e.id, "E") else None) for e in doc.events}
    ids = _IdAllocator([i for i in brat_of.values() if i] + [i for i in event_brat.values() if i])
    brat_of = {k: v or ids.new("T") for k, v in brat_of.items()}
    event_brat = {k: v or ids.new("E") for k, v in event_brat.items()}

    lines: list[str] = []
    notes: list[tuple[str, dict[str, str]]] = []

    def textbound(brat_id: str, label: str, span: fmt.Span) -> None:
        fragments = _fragments(doc.text, span)
        offsets = ";".join(f"{s} {e}" for s, e in fragments)
        lines.append(f"{brat_id}\t{label} {offsets}\t{' '.join(doc.text[s:e] for s, e in fragments)}")

    def attribute(name: str, target: str, value: str) -> None:
        lines.append(f"{ids.new('A')}\t{name} {target} {value}")

    def relation(label: str, arg1: str, arg2: str) -> None:
        lines.append(f"{ids.new('R')}\t{label} Arg1:{arg1} Arg2:{arg2}")

    cluster_types = {c.id: c.type for c in doc.clusters}
    heads = {}
    for mention in doc.entities:
        if mention.type == cluster_types.get(mention.entity):
            heads.setdefault(mention.entity, mention.id)
    for mention in doc.entities:
        heads.setdefault(mention.entity, mention.id)
    for mention in doc.entities:
        textbound(brat_of[mention.id], mention.type, mention.span)
        attribute(KIND, brat_of[mention.id], mention.kind)
        if mention.id != brat_of[mention.id] and heads[mention.entity] != mention.id:
            notes.append((brat_of[mention.id], {"id": mention.id}))

    for value in doc.values:
        textbound(brat_of[value.id], value.type, value.span)
        if value.id != brat_of[value.id]:
            notes.append((brat_of[value.id], {"id": value.id}))

    members: dict[str, list[str]] = {}
    for mention in doc.entities:
        members.setdefault(mention.entity, []).append(brat_of[mention.id])
    for cluster in doc.clusters:
        if any(c in cluster.canonical for c in "\t\n\r") or cluster.canonical != cluster.canonical.strip():
            raise fmt.InputError(f"{where}: cluster {cluster.id}: its canonical name {cluster.canonical!r} cannot travel in a brat note")
        if len(members.get(cluster.id, ())) > 1:
            lines.append(f"*\t{COREFERENCE} {' '.join(members[cluster.id])}")
        head = heads.get(cluster.id)
        if head is not None:
            head_fields = {"id": head} if head != brat_of[head] else {}
            head_type = {} if doc.mention(head).type == cluster.type else {"type": cluster.type}
            notes.append((brat_of[head], {**head_fields, "cluster": cluster.id, **head_type, "canonical": cluster.canonical}))

    for quote in doc.quotes:
        content = ids.new("T")
        textbound(content, QUOTE, quote.content)
        attribute(QUOTE_TYPE, content, quote.type)
        notes.append((content, {"id": quote.id, "speaker": quote.speaker or ""}))
        if quote.cue is not None:
            cue = ids.new("T")
            textbound(cue, CUE, quote.cue)
            relation(QUOTE_CUE, content, cue)
        if quote.source is not None:
            relation(QUOTE_SOURCE, content, brat_of[quote.source])

    for event in doc.events:
        trigger, brat_id, label = ids.new("T"), event_brat[event.id], brat_event_type(event.type)
        textbound(trigger, label, event.trigger)
        seen: dict[str, int] = {}
        arguments = []
        for argument in event.arguments:
            seen[argument.role] = seen.get(argument.role, 0) + 1
            suffix = str(seen[argument.role]) if seen[argument.role] > 1 else ""
            arguments.append(f" {argument.role}{suffix}:{brat_of[argument.mention if argument.value is None else argument.value]}")
        lines.append(f"{brat_id}\t{label}:{trigger}{''.join(arguments)}")
        for key, name in EVENT_ATTRIBUTES.items():
            attribute(name, brat_id, getattr(event, key))
        notes.append((brat_id, ({"id": event.id} if event.id != brat_id else {}) | {"coref": event.coref}))

    for n, (target, fields) in enumerate(notes, start=1):
        lines.append(f"#{n}\t{NOTE} {target}\t{_note_text(fields)}")
    return "".join(line + "\n" for line in lines)


def export_brat(documents: Sequence[fmt.Document], out: Path, *, force: bool = False) -> list[Path]:
    """Write ``<id>.txt`` and ``<id>.ann`` per document and ``annotation.conf`` into ``out``; refuse to
    overwrite an ``.ann`` (it may hold an annotator's work) unless ``force``."""
    files = {out / "annotation.conf": annotation_conf()}
    for doc in documents:
        files[out / f"{doc.id}.txt"] = doc.text
        files[out / f"{doc.id}.ann"] = document_to_brat(doc)
    existing = [p for p in files if p.suffix == ".ann" and fmt.exists(p)]
    if existing and not force:
        raise fmt.InputError([fmt.Problem(fmt.display_path(p), "", "already exists; not overwriting it (use --force)") for p in existing])
    fmt.refuse_links(files)
    out.mkdir(parents=True, exist_ok=True)
    fmt.write_texts(files)  # exactly these characters: no newline translation, offsets must not move
    return list(files)


# --------------------------------------------------------------------------------------------------
# brat: import


@dataclass(frozen=True)
class _TextBound:
    id: str
    label: str
    span: fmt.Span
    line: int


@dataclass(frozen=True)
class _EventLine:
    id: str
    label: str
    trigger: str
    arguments: tuple[tuple[str, str], ...]
    line: int


@dataclass(frozen=True)
class _Relation:
    id: str
    label: str
    arg1: str
    arg2: str
    line: int


@dataclass(frozen=True)
class _Attribute:
    id: str
    name: str
    target: str
    value: str
    line: int


@dataclass(frozen=True)
class _Note:
    target: str
    fields: Mapping[str, str]
    line: int


@dataclass
class _AnnFile:
    """The lines of one ``.ann`` file, parsed but not yet interpreted."""

    textbounds: list[_TextBound] = field(default_factory=list)
    events: list[_EventLine] = field(default_factory=list)
    relations: list[_Relation] = field(default_factory=list)
    attributes: list[_Attribute] = field(default_factory=list)
    equivs: list[tuple[tuple[str, ...], int]] = field(default_factory=list)
    notes: list[_Note] = field(default_factory=list)


class _Problems:
    def __init__(self, where: str):
        self.where = where
        self.found: list[fmt.Problem] = []

    def add(self, line: int | None, message: str) -> None:
        self.found.append(fmt.Problem(f"{self.where}:{line}" if line else self.where, "", message))


def _parse_note(text: str) -> dict[str, str] | str:
    """``key=value`` fields of a Khabar note, or the reason it is not one."""
    fields: dict[str, str] = {}
    rest = text.strip()
    while rest:
        match = re.match(r"([a-z]+)=", rest)
        if match is None or match.group(1) not in NOTE_KEYS:
            return f"note field {rest.split()[0]!r} is not one of {', '.join(k + '=' for k in NOTE_KEYS)}"
        key = match.group(1)
        if key in fields:
            return f"note repeats {key}="
        if key == "canonical":
            fields[key], rest = rest[match.end() :].strip(), ""
        else:
            value, _, rest = rest[match.end() :].partition(" ")
            fields[key], rest = value, rest.strip()
    return fields


def parse_ann(ann: str, text: str, problems: _Problems) -> _AnnFile:
    """Parse every line of an ``.ann`` file, reporting each malformed one (file:line: what is wrong)."""
    parsed = _AnnFile()
    seen_ids: dict[str, int] = {}
    for number, raw in enumerate(ann.split("\n"), start=1):
        line = raw.rstrip("\r")
        if not line.strip():
            continue
        head, _, rest = line.partition("\t")
        if head != "*" and not head.startswith("#"):
            if head in seen_ids:
                problems.add(number, f"id {head} is already used on line {seen_ids[head]}")
                continue
            seen_ids[head] = number
        try:
            kind = head[:1]
            if kind == "T" and BRAT_ID.fullmatch(head):
                parsed.textbounds.append(_parse_textbound(head, rest, text, number))
            elif kind == "E" and BRAT_ID.fullmatch(head):
                parsed.events.append(_parse_event(head, rest, number))
            elif kind == "R" and BRAT_ID.fullmatch(head):
                label, arg1, arg2 = _fields(rest, 3, "a relation line is 'Rn<TAB>Type Arg1:Tx Arg2:Ty'")
                if not (arg1.startswith("Arg1:") and arg2.startswith("Arg2:")):
                    raise ValueError("a relation line is 'Rn<TAB>Type Arg1:Tx Arg2:Ty'")
                parsed.relations.append(_Relation(head, label, arg1[5:], arg2[5:], number))
            elif kind == "A" and re.fullmatch(r"A[0-9]+", head):
                name, target, value = _fields(rest, 3, "an attribute line is 'An<TAB>Name Target Value'")
                parsed.attributes.append(_Attribute(head, name, target, value, number))
            elif head == "*":
                label, *members = rest.split()
                if label != COREFERENCE or len(members) < 2:
                    raise ValueError(f"an equivalence line is '*<TAB>{COREFERENCE} Tx Ty ...'")
                parsed.equivs.append((tuple(members), number))
            elif re.fullmatch(r"#[0-9]+", head):
                description, _, note = rest.partition("\t")
                label, _, target = description.partition(" ")
                if label != NOTE or not target or " " in target:
                    raise ValueError(f"a note line is '#n<TAB>{NOTE} Target<TAB>key=value ...'")
                fields = _parse_note(note)
                if isinstance(fields, str):
                    raise ValueError(fields)
                parsed.notes.append(_Note(target, fields, number))
            else:
                raise ValueError(f"{head!r} is not a brat id Khabar reads (T, E, R, A, * or # lines)")
        except ValueError as error:
            problems.add(number, str(error))
    return parsed


def _fields(rest: str, count: int, usage: str) -> list[str]:
    parts = rest.split(" ")
    if len(parts) != count or not all(parts):
        raise ValueError(usage)
    return parts


def _parse_textbound(brat_id: str, rest: str, text: str, number: int) -> _TextBound:
    description, tab, covered = rest.partition("\t")
    label, _, offsets = description.partition(" ")
    try:
        fragments = [tuple(int(x) for x in piece.split(" ")) for piece in offsets.split(";")]
        if not tab or not all(len(f) == 2 for f in fragments):
            raise ValueError
    except ValueError:
        raise ValueError("a text-bound line is 'Tn<TAB>Type start end[;start end]<TAB>text'") from None
    for (start, end), following in zip(fragments, fragments[1:] + [None]):
        if not 0 <= start < end <= len(text):
            raise ValueError(f"offsets {start} {end} are not a span of the text ({len(text)} characters)")
        if following is not None and (following[0] < end or text[end : following[0]].strip()):
            raise ValueError(f"fragments {start} {end};{following[0]} {following[1]} are separated by more than line breaks")
    expected = " ".join(text[s:e] for s, e in fragments)
    if covered != expected:
        raise ValueError(f"text {covered!r} differs from the document at those offsets ({expected!r})")
    return _TextBound(brat_id, label, fmt.Span(fragments[0][0], fragments[-1][1]), number)


def _parse_event(brat_id: str, rest: str, number: int) -> _EventLine:
    usage = "an event line is 'En<TAB>Type:Tx Role:Ty ...'"
    head, *arguments = rest.split(" ")
    label, colon, trigger = head.partition(":")
    if not colon or not trigger:
        raise ValueError(usage)
    pairs = []
    for argument in arguments:
        role, colon, target = argument.partition(":")
        if not colon or not role or not target:
            raise ValueError(usage)
        pairs.append((re.sub(r"[0-9]+$", "", role), target))
    return _EventLine(brat_id, label, trigger, tuple(pairs), number)


def document_from_brat(doc_id: str, text: str, ann: str, meta: Mapping[str, Any], where: str, *, seed_check: bool = True) -> fmt.Document:
    """Build and validate the gold document that a brat ``.txt``/``.ann`` pair describes.

    Raises :class:`~khabar.corpus.format.InputError` naming ``where``, the line and what is wrong for a
    malformed or inconsistent ``.ann``, and :class:`~khabar.corpus.format.ValidationFailed` when the
    document breaks a rule of ``khabar validate``.
    """
    problems = _Problems(where)
    parsed = parse_ann(ann, text, problems)
    if not problems.found:
        doc = _BratReader(parsed, problems).document(doc_id, text, meta)
    if problems.found:
        raise fmt.InputError(problems.found)
    found = fmt.check_document(fmt.document_to_json(doc, with_layout=False), where, seed_check=seed_check)
    if found:
        raise fmt.ValidationFailed(found)
    return doc


class _BratReader:
    """Interprets parsed ``.ann`` lines under Khabar's conventions (docs/annotating.md)."""

    def __init__(self, parsed: _AnnFile, problems: _Problems):
        self.parsed = parsed
        self.problem = problems.add
        self.event_types = _event_types_by_brat_name()
        self.textbounds = {t.id: t for t in parsed.textbounds}
        self.attributes: dict[tuple[str, str], _Attribute] = {}
        for attribute in parsed.attributes:
            key = (attribute.target, attribute.name)
            if key in self.attributes:
                self.problem(attribute.line, f"{attribute.target} already has a {attribute.name} (line {self.attributes[key].line})")
            self.attributes[key] = attribute
        self.notes: dict[str, _Note] = {}
        for note in parsed.notes:
            if note.target in self.notes:
                self.problem(note.line, f"{note.target} already has a note (line {self.notes[note.target].line}); merge them")
            self.notes[note.target] = note

    def fields(self, brat_id: str) -> Mapping[str, str]:
        note = self.notes.get(brat_id)
        return note.fields if note else {}

    def attribute(self, target: str, name: str, allowed: Sequence[str], line: int) -> str:
        attribute = self.attributes.get((target, name))
        if attribute is None:
            self.problem(line, f"{target} has no {name} attribute")
            return allowed[0]
        if attribute.value not in allowed:
            self.problem(attribute.line, f"{name} {attribute.value!r} is not one of {', '.join(allowed)}")
        return attribute.value

    def document(self, doc_id: str, text: str, meta: Mapping[str, Any]) -> fmt.Document:
        labels = fmt.labels()
        entity_types = set(labels["entity_types"])
        value_types = set(labels["value_types"])
        by_label: dict[str, list[_TextBound]] = {"mention": [], "value": [], QUOTE: [], CUE: [], "trigger": []}
        for t in self.parsed.textbounds:
            if t.label in entity_types:
                by_label["mention"].append(t)
            elif t.label in value_types:
                by_label["value"].append(t)
            elif t.label in (QUOTE, CUE):
                by_label[t.label].append(t)
            elif t.label in self.event_types:
                by_label["trigger"].append(t)
            else:
                self.problem(t.line, f"type {t.label!r} is not an entity type, {QUOTE}, {CUE}, a value type or an event type of annotation.conf")
        self.mention_ids = {t.id: self.fields(t.id).get("id", t.id) for t in by_label["mention"]}
        self.value_ids = {t.id: self.fields(t.id).get("id", t.id) for t in by_label["value"]}
        values = [fmt.Value(self.value_ids[t.id], t.label, t.span.start, t.span.end, text[t.span.start : t.span.end]) for t in by_label["value"]]
        mentions, clusters = self.mentions(by_label["mention"], text, labels["mention_kinds"])
        quotes = self.quotes(by_label[QUOTE], by_label[CUE], {m.id: m.entity for m in mentions}, labels["quote_types"])
        events = self.events(by_label["trigger"], labels["event_attributes"])
        for note in self.parsed.notes:
            if note.target not in self.textbounds and note.target not in {e.id for e in self.parsed.events}:
                self.problem(note.line, f"note on unknown annotation {note.target}")
        return fmt.Document(
            doc_id, text, dict(meta), entities=tuple(mentions), clusters=tuple(clusters), quotes=tuple(quotes), events=tuple(events), values=tuple(values)
        )

    def mentions(self, textbounds: list[_TextBound], text: str, kinds: Sequence[str]) -> tuple[list[fmt.Mention], list[fmt.Cluster]]:
        """Mentions in line order; clusters are the Coreference groups, each named by the one note with
        ``cluster=`` and ``canonical=`` among its mentions, in the order of those notes."""
        group = {t.id: t.id for t in textbounds}

        def root(x: str) -> str:
            while group[x] != x:
                group[x] = group[group[x]]
                x = group[x]
            return x

        for members, line in self.parsed.equivs:
            unknown = [m for m in members if m not in group]
            if unknown:
                self.problem(line, f"{COREFERENCE} links {', '.join(unknown)}, which are not entity mentions")
                continue
            for member in members[1:]:
                group[root(member)] = root(members[0])

        named: dict[str, tuple[fmt.Cluster, int]] = {}
        cluster_ids: dict[str, int] = {}
        for note in sorted(self.parsed.notes, key=lambda n: n.line):
            if "cluster" not in note.fields or note.target not in group:
                if "cluster" in note.fields or "canonical" in note.fields:
                    self.problem(note.line, f"cluster= and canonical= belong on an entity mention, not on {note.target}")
                continue
            cluster_id, canonical = note.fields["cluster"], note.fields.get("canonical", "")
            if not canonical:
                self.problem(note.line, f"cluster {cluster_id} has no canonical= name")
            key = root(note.target)
            if key in named:
                self.problem(note.line, f"{note.target} names cluster {cluster_id}, but its coreference group is already cluster {named[key][0].id} (line {named[key][1]})")
            elif cluster_id in cluster_ids:
                self.problem(note.line, f"cluster {cluster_id} is already named on line {cluster_ids[cluster_id]} for another coreference group")
            else:
                named[key] = (fmt.Cluster(cluster_id, note.fields.get("type", self.textbounds[note.target].label), canonical), note.line)
                cluster_ids[cluster_id] = note.line

        mentions = []
        for t in textbounds:
            cluster = named.get(root(t.id))
            if cluster is None:
                self.problem(t.line, f"{t.id} belongs to no cluster: link it ({COREFERENCE}) to a mention of its cluster, or give it a note 'cluster=ID canonical=NAME'")
                continue
            kind = self.attribute(t.id, KIND, kinds, t.line)
            mentions.append(fmt.Mention(self.mention_ids[t.id], t.span.start, t.span.end, text[t.span.start : t.span.end], t.label, kind, cluster[0].id))
        return mentions, [cluster for cluster, _ in sorted(named.values(), key=lambda c: c[1])]

    def quotes(self, contents: list[_TextBound], cues: list[_TextBound], cluster_of: Mapping[str, str], quote_types: Sequence[str]) -> list[fmt.Quote]:
        cue_of: dict[str, _TextBound] = {}
        source_of: dict[str, str] = {}
        used_cues: set[str] = set()
        for r in self.parsed.relations:
            arg1, arg2 = self.textbounds.get(r.arg1), self.textbounds.get(r.arg2)
            if r.label == QUOTE_CUE:
                if arg1 is None or arg1.label != QUOTE or arg2 is None or arg2.label != CUE:
                    self.problem(r.line, f"{QUOTE_CUE} must go from a {QUOTE} to a {CUE}")
                elif r.arg1 in cue_of:
                    self.problem(r.line, f"{r.arg1} already has a cue ({cue_of[r.arg1].id})")
                else:
                    cue_of[r.arg1] = arg2
                    used_cues.add(r.arg2)
            elif r.label == QUOTE_SOURCE:
                if arg1 is None or arg1.label != QUOTE or r.arg2 not in self.mention_ids:
                    self.problem(r.line, f"{QUOTE_SOURCE} must go from a {QUOTE} to an entity mention")
                elif r.arg1 in source_of:
                    self.problem(r.line, f"{r.arg1} already has a source")
                else:
                    source_of[r.arg1] = self.mention_ids[r.arg2]
            else:
                self.problem(r.line, f"relation type {r.label!r} is not {QUOTE_CUE} or {QUOTE_SOURCE}")
        for cue in cues:
            if cue.id not in used_cues:
                self.problem(cue.line, f"cue {cue.id} is tied to no quote by a {QUOTE_CUE} relation")

        taken = {self.fields(t.id)["id"] for t in contents if "id" in self.fields(t.id)}
        ids = _IdAllocator(taken)
        quotes = []
        for t in contents:
            fields = self.fields(t.id)
            source = source_of.get(t.id)
            if "speaker" in fields:
                speaker = fields["speaker"] or None
            else:
                speaker = cluster_of.get(source) if source else None
            cue = cue_of.get(t.id)
            quote_type = self.attribute(t.id, QUOTE_TYPE, quote_types, t.line)
            quotes.append(fmt.Quote(fields.get("id") or ids.new("Q"), quote_type, t.span, cue.span if cue else None, source, speaker))
        return quotes

    def events(self, triggers: list[_TextBound], attributes: Mapping[str, Sequence[str]]) -> list[fmt.Event]:
        used_triggers: set[str] = set()
        events = []
        for e in self.parsed.events:
            trigger = self.textbounds.get(e.trigger)
            if e.label not in self.event_types:
                self.problem(e.line, f"event type {e.label!r} is not one of annotation.conf")
                continue
            if trigger is None or trigger.label != e.label:
                self.problem(e.line, f"trigger {e.trigger} is not a {e.label} text-bound annotation")
                continue
            used_triggers.add(trigger.id)
            arguments = []
            for role, target in e.arguments:
                if target in self.value_ids:
                    arguments.append(fmt.Argument(role, value=self.value_ids[target]))
                elif target in self.mention_ids:
                    arguments.append(fmt.Argument(role, self.mention_ids[target]))
                else:
                    self.problem(e.line, f"argument {role}:{target} is not an entity mention or a value")
            fields = self.fields(e.id)
            if "coref" not in fields:
                self.problem(e.line, f"{e.id} has no note with coref= (its event coreference id)")
            values = {key: self.attribute(e.id, name, attributes[key], e.line) for key, name in EVENT_ATTRIBUTES.items()}
            events.append(fmt.Event(fields.get("id", e.id), self.event_types[e.label], trigger.span, tuple(arguments), coref=fields.get("coref", ""), **values))
        for t in triggers:
            if t.id not in used_triggers:
                self.problem(t.line, f"trigger {t.id} ({t.label}) belongs to no event line")
        return events


def read_brat_dir(directory: Path) -> list[fmt.Document]:
    """Every ``<id>.ann`` (with its ``<id>.txt``) in ``directory`` as a validated gold document; all
    problems of all files are reported together."""
    paths = sorted(Path(directory).glob("*.ann"))
    if not paths:
        raise fmt.InputError(f"{fmt.display_path(directory)}: no .ann file")
    documents, problems, unreadable = [], [], False
    for ann_path in paths:
        try:
            text = fmt.read_text(ann_path.with_suffix(".txt"), "a brat text file")
            meta = fmt.seed_meta(ann_path.stem)
            documents.append(document_from_brat(ann_path.stem, text, fmt.read_text(ann_path, "a brat .ann file"), meta, fmt.display_path(ann_path)))
        except fmt.InputError as error:
            unreadable |= not isinstance(error, fmt.ValidationFailed)
            problems.extend(error.problems)
    if problems:
        raise fmt.InputError(problems) if unreadable else fmt.ValidationFailed(problems)
    return documents


def import_brat(directory: Path, out: Path, *, force: bool = False) -> list[Path]:
    """Write the annotation file of every document in ``directory`` to ``out``, after all of them passed
    every check; refuse to overwrite an existing file unless ``force``."""
    documents = read_brat_dir(directory)
    targets = [out / f"{doc.id}.json" for doc in documents]
    existing = [p for p in targets if fmt.exists(p)]
    if existing and not force:
        raise fmt.InputError([fmt.Problem(fmt.display_path(p), "", "already exists; not overwriting it (use --force)") for p in existing])
    fmt.refuse_links(targets)
    out.mkdir(parents=True, exist_ok=True)
    fmt.write_texts({target: fmt.dumps_annotation(doc) for doc, target in zip(documents, targets)})
    return targets


# --------------------------------------------------------------------------------------------------
# Command line


def _export_conll_command(args: argparse.Namespace) -> int:
    out = fmt.output_directory(args.out, "--out")
    for path in export_conll(fmt.load_corpus(args.data), out, comments=not args.no_comments):
        print(f"wrote {fmt.display_path(path)}")
    return 0


def _export_brat_command(args: argparse.Namespace) -> int:
    fmt.output_directory(args.out, "--out")
    if not args.annotations.is_dir():
        raise fmt.InputError(f"{fmt.display_path(args.annotations)}: no such directory (--annotations)")
    paths = fmt.annotation_paths(args.annotations)
    if not paths:
        raise fmt.InputError(f"{fmt.display_path(args.annotations)}: no annotation file (*.json)")
    if args.doc:
        wanted = {args.annotations / f"{doc_id}.json" for doc_id in args.doc}
        missing = sorted(str(fmt.display_path(p)) for p in wanted - set(paths))
        if missing:
            raise fmt.InputError([fmt.Problem(p, "", "no such annotation file") for p in missing])
        paths = [p for p in paths if p in wanted]
    written = export_brat(fmt.read_annotations(paths), args.out, force=args.force)
    print(f"wrote {len(written)} file(s) to {fmt.display_path(args.out)}")
    return 0


def _import_brat_command(args: argparse.Namespace) -> int:
    if not args.directory.is_dir():
        problem = "not a directory" if args.directory.exists() else "no such directory"
        raise fmt.InputError(f"{fmt.display_path(args.directory)}: {problem}")
    for path in import_brat(args.directory, fmt.output_directory(args.out, "--out"), force=args.force):
        print(f"wrote {fmt.display_path(path)}")
    return 0


def _from_tags_command(args: argparse.Namespace) -> int:
    out = fmt.output_file(args.out, "--out")
    documents = fmt.load_corpus(args.data)
    tags = read_tags(args.tags, documents, field=args.field, scheme=args.scheme)
    predictions = predictions_from_tags(documents, tags, scheme=args.scheme, decoder=args.decoder)
    fmt.write_predictions(predictions, out, {doc.id: doc.text for doc in documents})
    print(f"wrote {fmt.display_path(out)}: {len(predictions)} document(s), {sum(len(p.entities) for p in predictions)} entities")
    return 0


def register(subparsers) -> None:
    """Add ``khabar export conll|brat``, ``khabar import brat`` and ``khabar from-tags``."""
    from khabar.corpus.cli import add_command
    from khabar.scorers.cli import SCHEME_NAMES

    export = add_command(
        subparsers,
        "export",
        help="write the corpus in another format (CoNLL IOB2, brat standoff)",
        example="khabar export conll --out exports/",
    )
    formats = export.add_subparsers(dest="format", metavar="FORMAT", required=True)
    p = add_command(
        formats,
        "conll",
        help=f"CoNLL IOB2 of the entity layer: {FLAT_CONLL} (outermost mentions) and {NESTED_CONLL} (Wojood's nested form)",
        example="khabar export conll --out exports/",
        description=f"Write {FLAT_CONLL} (token<TAB>tag, the outermost mentions) and {NESTED_CONLL} (token, then one "
        "tag per nesting level, outermost first, as in Wojood's nested files), one sentence per block, with "
        "`# newdoc id`, `# sent_id` and `# text` comment lines unless --no-comments.",
    )
    p.add_argument("--out", type=Path, required=True, help="directory to write into (created if needed)")
    p.add_argument("--data", type=Path, default=None, help="a built documents.jsonl (default: this checkout's)")
    p.add_argument("--no-comments", action="store_true", help="no comment lines, for readers that do not skip them")
    p.set_defaults(func=_export_conll_command)

    p = add_command(
        formats,
        "brat",
        help="brat standoff (.txt + .ann per document, annotation.conf) for annotation in brat or INCEpTION",
        example="khabar export brat --out brat/ --doc 000_0d083f3321f654a4",
        description="Write <id>.txt (the text, exactly), <id>.ann and annotation.conf for the gold annotation files. "
        "The conventions are in docs/annotating.md; `khabar import brat` reads the files back unchanged.",
    )
    p.add_argument("--out", type=Path, required=True, help="directory to write into (created if needed)")
    p.add_argument("--annotations", type=Path, default=fmt.ANNOTATIONS_DIR, help="annotation files to export (default: corpus/annotations)")
    p.add_argument("--doc", action="append", metavar="ID", help="export only this document (repeatable)")
    p.add_argument("--force", action="store_true", help="overwrite existing .ann files in --out")
    p.set_defaults(func=_export_brat_command)

    importer = add_command(
        subparsers,
        "import",
        help="read annotations made in another tool into gold annotation files",
        example="khabar import brat brat/ --force",
    )
    formats = importer.add_subparsers(dest="format", metavar="FORMAT", required=True)
    p = add_command(
        formats,
        "brat",
        help="read brat standoff (.txt + .ann) into corpus/annotations/<id>.json, validated",
        example="khabar import brat brat/ --force",
        description="Read every <id>.ann with its <id>.txt in DIRECTORY, build each document (metadata from "
        "seeds/index.json), validate it like `khabar validate`, and only then write the annotation files. "
        "An existing file is never overwritten without --force.",
    )
    p.add_argument("directory", type=Path, metavar="DIRECTORY", help="the brat directory")
    p.add_argument("--out", type=Path, default=fmt.ANNOTATIONS_DIR, help="where the annotation files go (default: corpus/annotations)")
    p.add_argument("--force", action="store_true", help="overwrite existing annotation files")
    p.set_defaults(func=_import_brat_command)

    p = add_command(
        subparsers,
        "from-tags",
        help="turn predicted tags over the entities view's tokens into a prediction file",
        example="khabar from-tags tags.jsonl --field predicted --out predictions.jsonl",
        description="Read one JSON object per row of the entities view (corpus/data/entities.jsonl, the Hugging Face "
        "config `entities`): its `id` and, in --field, one tag per token (names such as B-PERS, or the view's "
        "ClassLabel ids). Decode each row's tags into chunks and write each chunk as the character span of its "
        "tokens, one prediction line per document, ready for `khabar score`.",
    )
    p.add_argument("tags", type=Path, metavar="TAGS", help="the predicted tags (JSON Lines, one object per row)")
    p.add_argument("--out", type=Path, required=True, help="the prediction file to write")
    p.add_argument("--field", default=TAG_FIELD, help=f"the key holding each row's tags (default: {TAG_FIELD})")
    p.add_argument("--scheme", choices=SCHEME_NAMES, default="IOB2", help="the tags' scheme (default IOB2)")
    p.add_argument("--decoder", choices=("strict", "conlleval"), default="strict", help="seqeval's strict chunks (default) or conlleval.pl's")
    p.add_argument("--data", type=Path, default=None, help="a built documents.jsonl (default: this checkout's)")
    p.set_defaults(func=_from_tags_command)
