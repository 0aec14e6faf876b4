"""Read, validate and write Khabar documents and predictions.

This is the one module that knows the on-disk formats (``docs/format.md``, ``schema/``). Everything else,
the build, the scorers, the baselines, the exchange formats, goes through it and works on the frozen
dataclasses defined here.

Every problem found in an input is reported as a :class:`Problem`, one line that names the file, the
line or document, and the JSON path of the field, and all problems are collected before anything fails,
so that a user fixes a file in one pass.
"""

from __future__ import annotations

import codecs
import contextlib
import difflib
import functools
import gc
import hashlib
import importlib.resources
import json
import math
import operator
import os
import re
import sys
import tempfile
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping, NamedTuple, Sequence

if TYPE_CHECKING:  # imported where used: a command that validates nothing (khabar score --conll) skips them
    import jsonschema


def _package_directory(package: str) -> Path:
    """Where an installed package's files are: the schemas and the released data travel with the code
    as package data, so an installed wheel finds them as a clone does (an editable install maps these
    packages onto the clone's folders)."""
    return Path(str(importlib.resources.files(package))).resolve()


_OVERRIDE = os.environ.get("KHABAR_ROOT")
ROOT = Path(_OVERRIDE).resolve() if _OVERRIDE else _package_directory("khabar.corpus").parent
"""The checkout whose schema, seeds and corpus are used: ``KHABAR_ROOT``, or the clone this package is
installed from in development, or, in an installed wheel, the package's own folder (which holds only
what scoring needs: see :data:`IS_CHECKOUT`)."""
IS_CHECKOUT = (ROOT / "seeds").is_dir()
"""Whether :data:`ROOT` is a clone of the repository (seeds, annotations, the card), which the commands
that build or edit the corpus need; an installed wheel has none of them."""
SCHEMA_DIR = ROOT / "schema" if _OVERRIDE else _package_directory("khabar.schema")
SEEDS_DIR = ROOT / "seeds"
ANNOTATIONS_DIR = ROOT / "corpus" / "annotations"
DATA_DIR = ROOT / "corpus" / "data" if _OVERRIDE else _package_directory("khabar.corpus") / "data"
SPLITS = ("dev", "test")
"""The fixed splits (docs/sources.md): dev holds the guidelines' own examples, test is what results report."""

MAX_PROBLEMS = 50
"""How many problems an input error lists before it stops counting."""


# --------------------------------------------------------------------------------------------------
# Errors


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as the input allows."""

    where: str
    """The file, with ``:line`` for line-based inputs."""
    path: str
    """The JSON path of the offending field (``entities[12].end``), or ``""`` for the whole record."""
    message: str

    def __str__(self) -> str:
        parts = (_shown(self.where, 300), _shown(self.path, 200), _shown(self.message, 600))
        return ": ".join(part for part in parts if part)


def _shown(text: str, width: int) -> str:
    """``text`` fit for one line of a terminal: characters that are not printable (a line break, an
    ANSI escape, a lone surrogate) escaped as ``repr`` escapes them, and clipped to ``width``."""
    if not text.isprintable():
        text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    return text if len(text) <= width else text[: width - 3] + "..."


def location(file: str, line: int | None = None, document: Any = None) -> str:
    """Where a problem is, as every message names it: ``file``, ``file:line``, and the document id when
    one is known, escaped as ``repr`` escapes it and shortened, so that an id cannot break the line."""
    where = file if line is None else f"{file}:{line}"
    return where if document is None else f"{where} ({_shown(document if isinstance(document, str) else repr(document), 80)})"


class KhabarError(Exception):
    """An error a user can act on; the CLI prints it as is, without a traceback."""

    exit_code = 2


class InputError(KhabarError):
    """An input that cannot be used: unreadable, malformed, or inconsistent with the gold."""

    def __init__(self, problems: Sequence[Problem] | str):
        self.problems: tuple[Problem | str, ...] = (problems,) if isinstance(problems, str) else tuple(problems)
        shown = [str(p) if isinstance(p, Problem) else "\n".join(_shown(line, 1000) for line in p.split("\n")) for p in self.problems[:MAX_PROBLEMS]]
        if len(self.problems) > MAX_PROBLEMS:
            shown.append(f"... and {len(self.problems) - MAX_PROBLEMS} more problems")
        super().__init__("\n".join(shown))


class ValidationFailed(InputError):
    """Gold annotations that break the schema or the rules a schema cannot express."""

    exit_code = 1


# --------------------------------------------------------------------------------------------------
# Labels and schemas


SCHEMA_FILES = ("labels.json", "document.schema.json", "prediction.schema.json")


@functools.cache
def _schema_resources() -> dict[str, dict]:
    """The checkout's schema files, each checked to refer (``$ref``) only to itself and the others:
    nothing is fetched, and a reference outside them is one error naming the file, not a traceback."""
    resources = {name: read_json_file(SCHEMA_DIR / name) for name in SCHEMA_FILES}
    known = {schema.get("$id") for schema in resources.values() if isinstance(schema, dict)}
    for name, schema in resources.items():
        base = schema.get("$id", "") if isinstance(schema, dict) else ""
        for ref in _references(schema):
            if not ref.startswith("#") and urllib.parse.urljoin(base, ref).partition("#")[0] not in known:
                where = display_path(SCHEMA_DIR / name)
                raise KhabarError(f"{where}: $ref {_clip_repr(ref)} refers outside this checkout's schema files ({', '.join(SCHEMA_FILES)}); it is not fetched")
    return resources


def _references(schema: Any) -> Iterator[str]:
    """Every ``$ref`` value in a schema."""
    for _, value in _walk(schema):
        if isinstance(value, dict) and isinstance(value.get("$ref"), str):
            yield value["$ref"]


def _walk(value: Any) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    """Every value inside a JSON value, with its path (keys and indices), the value itself first;
    walked without recursion, so that no depth exhausts the stack."""
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), value)]
    while stack:
        path, value = stack.pop()
        yield path, value
        if isinstance(value, dict):
            stack.extend(((*path, key), item) for key, item in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend(((*path, i), item) for i, item in reversed(list(enumerate(value))))


@functools.cache
def labels() -> Mapping[str, Any]:
    """The label inventories of ``schema/labels.json``, in their fixed order.

    Keys: ``entity_types``, ``mention_kinds``, ``quote_types``, ``event_types``, ``time_roles``,
    ``event_roles`` (subtype -> allowed roles), ``event_attributes`` (attribute -> values),
    ``value_types`` and ``value_type_by_role`` (the roles whose argument is a value, not a mention ->
    the value's type).
    """
    defs = _schema_resources()["labels.json"]["$defs"]
    return {
        "entity_types": tuple(defs["entity_type"]["enum"]),
        "mention_kinds": tuple(defs["mention_kind"]["enum"]),
        "quote_types": tuple(defs["quote_type"]["enum"]),
        "event_types": tuple(defs["event_type"]["enum"]),
        "time_roles": tuple(defs["time_role"]["enum"]),
        "event_roles": {
            subtype: tuple(spec["enum"]) for subtype, spec in defs["roles_by_event_type"]["properties"].items()
        },
        "event_attributes": {name: tuple(defs[name]["enum"]) for name in ("modality", "polarity", "genericity", "tense")},
        "value_types": tuple(defs["value_type"]["enum"]),
        "value_type_by_role": {role: spec["const"] for role, spec in defs["value_type_by_role"]["properties"].items()},
    }


def schema_version() -> str:
    return _schema_resources()["document.schema.json"]["version"]


def _refuse_retrieval(uri: str):
    import referencing.exceptions

    raise referencing.exceptions.NoSuchResource(ref=uri)


@functools.cache
def _validator(schema_name: str) -> jsonschema.protocols.Validator:
    """One validator per schema, built once, that resolves ``$ref`` only among our own schema files."""
    import jsonschema
    import referencing
    import referencing.jsonschema

    resources = _schema_resources()
    registry = referencing.Registry(retrieve=_refuse_retrieval).with_resources(
        (schema["$id"], referencing.jsonschema.DRAFT202012.create_resource(schema)) for schema in resources.values()
    )
    schema = resources[schema_name]
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.validators.extend(jsonschema.Draft202012Validator, {"pattern": _ecma_pattern})
    return validator(schema, registry=registry)


def _ecma_pattern(validator, pattern: str, instance: Any, schema: Mapping) -> Iterator[jsonschema.ValidationError]:
    """JSON Schema's ``pattern`` with ECMA-262 anchors, as jsonschema-rs applies it: ``$`` matches at the
    end of the string only. Python's ``$`` also matches before a final line break, so ``"E1\\n"`` would
    pass an id pattern here and fail the fast check."""
    import jsonschema

    if validator.is_type(instance, "string") and not re.search(_python_regex(pattern), instance):
        yield jsonschema.ValidationError(f"{_clip_repr(instance)} does not match {pattern!r}")


@functools.cache
def _python_regex(pattern: str) -> re.Pattern:
    """A schema pattern for Python's ``re``: each unescaped ``$`` outside a class becomes ``\\Z``."""
    out, escaped, in_class = [], False, False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "$" and not in_class:
            char = r"\Z"
        out.append(char)
    return re.compile("".join(out))


@functools.cache
def _fast_check(schema_name: str) -> Callable[[Any], bool]:
    """The same schema compiled by jsonschema-rs: a yes/no answer about 13 times faster than
    fastjsonschema (0.04 s against 0.52 s for 10,000 documents) and far faster than jsonschema, which
    then explains any failure. Offline, and resolving ``$ref`` only among our own schema files."""
    import jsonschema_rs

    resources = _schema_resources()
    registry = jsonschema_rs.Registry([(schema["$id"], schema) for schema in resources.values()], retriever=_refuse_retrieval)
    validator = jsonschema_rs.Draft202012Validator(resources[schema_name], registry=registry, offline=True)
    return validator.is_valid


MAX_DEPTH = 100
"""How deeply a record may nest before it is refused without asking jsonschema why: no valid record
comes near it, and jsonschema's message builder, which recurses, exhausts Python's stack at about 1,000."""


def _too_deep(instance: Any) -> str | None:
    """The JSON path (its first steps) of the first value nested deeper than :data:`MAX_DEPTH`, or ``None``."""
    return next((json_path(path[:8]) + "..." for path, _ in _walk(instance) if len(path) > MAX_DEPTH), None)


def json_path(parts: Iterable[str | int]) -> str:
    """Render ``["entities", 12, "end"]`` as ``entities[12].end``; a long key is shortened."""
    out = ""
    for part in parts:
        part = part if isinstance(part, int) else _shown(str(part), 40)
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _schema_problems(instance: Any, schema_name: str, where: str) -> list[Problem]:
    """The schema's complaints about ``instance``. jsonschema-rs decides; jsonschema explains. Should
    the two disagree, the record is still refused: a failed fast check is never taken as a pass."""
    if _fast_check(schema_name)(instance):
        return []
    deep = _too_deep(instance)
    if deep is not None:
        return [Problem(where, deep, f"nested more than {MAX_DEPTH} levels deep")]
    errors = sorted(_validator(schema_name).iter_errors(instance), key=lambda e: (list(map(str, e.absolute_path)), e.message))
    if not errors:
        return [Problem(where, "", f"does not match {schema_name} (jsonschema-rs refuses it and jsonschema finds no reason: please report this)")]
    return [Problem(where, json_path(error.absolute_path), _short(error)) for error in errors]


_ALTERNATIVES = {"span": "a span", "local_id": "an id"}
"""How a ``oneOf`` error names the schema ``$defs`` a value may be, besides null."""


def _short(error: jsonschema.ValidationError) -> str:
    if error.validator == "enum":
        return f"{_clip_repr(error.instance)} is not one of the allowed values{did_you_mean(error.instance, error.validator_value)}"
    if error.validator == "oneOf" and all(set(alt) == {"required"} for alt in error.validator_value):
        fields = " or ".join(repr(alt["required"][0]) for alt in error.validator_value)
        return f"needs exactly one of {fields}"
    if error.validator == "oneOf":
        kinds = [_ALTERNATIVES.get(alt.get("$ref", "").rpartition("/")[2], "a value") for alt in error.validator_value if "$ref" in alt]
        return f"{_clip(error.instance)} is neither {' nor '.join(kinds)} nor null"
    # jsonschema quotes the offending value whole: a wrong top-level record would print a whole document.
    return error.message.replace(repr(error.instance), _clip_repr(error.instance)).replace("\n", " ")


_TAG_PREFIX = re.compile(r"^[BIESLU]-")


def closest_label(value: Any, allowed: Iterable[str]) -> str | None:
    """The allowed label ``value`` most likely means: the same up to case, without a tag prefix
    (``B-GPE``), a subtype's name alone (``Meet`` for ``Contact:Meet``), or the closest spelling
    (``PER`` for ``PERS``, by :func:`difflib.get_close_matches`); ``None`` when nothing is close."""
    if not isinstance(value, str):
        return None
    folded = {label.casefold(): label for label in allowed}
    for form in dict.fromkeys((value.casefold(), _TAG_PREFIX.sub("", value).casefold())):
        if form in folded:
            return folded[form]
        tails = [label for key, label in folded.items() if key.rpartition(":")[2] == form]
        if len(tails) == 1:
            return tails[0]
        close = difflib.get_close_matches(form, list(folded), n=1, cutoff=0.6)
        if close:
            return folded[close[0]]
    return None


def did_you_mean(value: Any, allowed: Iterable[str]) -> str:
    """``" (did you mean 'PERS'?)"`` for :func:`closest_label`, or nothing."""
    label = closest_label(value, allowed)
    return f" (did you mean {label!r}?)" if label is not None else ""


def _clip(value: Any, width: int = 60) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= width else text[: width - 3] + "..."


def _clip_repr(value: Any, width: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= width else text[: width - 3] + "..."


# --------------------------------------------------------------------------------------------------
# Gold documents


class Span(NamedTuple):
    """A character span ``text[start:end]``. A named tuple rather than a dataclass: a large corpus has a
    million token spans, and a tuple is built several times faster."""

    start: int
    end: int


_make_span = functools.partial(tuple.__new__, Span)


@dataclass(frozen=True)
class Mention:
    id: str
    start: int
    end: int
    text: str
    type: str
    kind: str
    entity: str

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


@dataclass(frozen=True)
class Cluster:
    id: str
    type: str
    canonical: str


@dataclass(frozen=True)
class Quote:
    id: str
    type: str
    content: Span
    cue: Span | None
    source: str | None
    speaker: str | None


@dataclass(frozen=True)
class Value:
    """An ACE 2005 value that no entity type covers (``Crime``, ``Sentence``): a typed span that event
    arguments point to. Not an entity mention: no cluster, not in the NER layer."""

    id: str
    type: str
    start: int
    end: int
    text: str

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


@dataclass(frozen=True)
class Argument:
    """A role filled by an entity mention (``mention``) or, for a role of ``value_type_by_role``, by a
    value (``value``): exactly one of the two is set."""

    role: str
    mention: str | None = None
    value: str | None = None


@dataclass(frozen=True)
class Event:
    id: str
    type: str
    trigger: Span
    arguments: tuple[Argument, ...]
    modality: str
    polarity: str
    genericity: str
    tense: str
    coref: str


@dataclass(frozen=True)
class Document:
    id: str
    text: str
    meta: Mapping[str, Any]
    sentences: tuple[Span, ...] = ()
    tokens: tuple[Span, ...] = ()
    entities: tuple[Mention, ...] = ()
    clusters: tuple[Cluster, ...] = ()
    quotes: tuple[Quote, ...] = ()
    events: tuple[Event, ...] = ()
    values: tuple[Value, ...] = ()

    def mention(self, mention_id: str) -> Mention:
        return self._mentions_by_id[mention_id]

    def value(self, value_id: str) -> Value:
        return self._values_by_id[value_id]

    def filler(self, argument: Argument) -> Mention | Value:
        """What an event argument points to: its mention, or its value."""
        return self.mention(argument.mention) if argument.value is None else self.value(argument.value)

    @functools.cached_property
    def _values_by_id(self) -> dict[str, Value]:
        return {v.id: v for v in self.values}

    def cluster(self, cluster_id: str) -> Cluster:
        return self._clusters_by_id[cluster_id]

    @functools.cached_property
    def _mentions_by_id(self) -> dict[str, Mention]:
        return {m.id: m for m in self.entities}

    @functools.cached_property
    def _clusters_by_id(self) -> dict[str, Cluster]:
        return {c.id: c for c in self.clusters}

    def span_text(self, span: Span) -> str:
        return self.text[span.start : span.end]


def _span(obj: Mapping | None) -> Span | None:
    return None if obj is None else Span(obj["start"], obj["end"])


def ner_mentions(doc: Document) -> tuple[Mention, ...]:
    """The named-entity layer: mentions of kind ``name``, which is exactly what WojoodNER tags (names,
    titles, nationality words, dates, numbers...). Nominal and pronoun mentions exist for quote sources,
    event arguments and coreference (docs/guidelines.md, 2.1) and are not part of NER."""
    return tuple(m for m in doc.entities if m.kind == "name")


def document_from_json(obj: Mapping[str, Any]) -> Document:
    """Build a :class:`Document` from its JSON form; assumes :func:`check_document` found no problem."""
    return Document(
        id=obj["id"],
        text=obj["text"],
        meta=dict(obj["meta"]),
        sentences=_spans_of(obj.get("sentences", [])),
        tokens=_spans_of(obj.get("tokens", [])),
        entities=tuple(Mention(**m) for m in obj["entities"]),
        clusters=tuple(Cluster(**c) for c in obj["clusters"]),
        quotes=tuple(
            Quote(q["id"], q["type"], _span(q["content"]), _span(q["cue"]), q["source"], q["speaker"]) for q in obj["quotes"]
        ),
        events=tuple(
            Event(
                id=e["id"],
                type=e["type"],
                trigger=_span(e["trigger"]),
                arguments=tuple(Argument(a["role"], a.get("mention"), a.get("value")) for a in e["arguments"]),
                modality=e["modality"],
                polarity=e["polarity"],
                genericity=e["genericity"],
                tense=e["tense"],
                coref=e["coref"],
            )
            for e in obj["events"]
        ),
        values=tuple(Value(**v) for v in obj.get("values", ())),
    )


def document_to_json(doc: Document, *, with_layout: bool | None = None) -> dict[str, Any]:
    """The JSON form of a document, keys in canonical order.

    ``sentences`` and ``tokens`` are written when the document has them, unless ``with_layout`` says
    otherwise (annotation sources never carry them; built documents always do). ``values`` is written
    only when the document has some, so that a document without values reads as it did before the layer
    existed.
    """
    text = doc.text

    def span(s: Span | None) -> dict | None:
        return None if s is None else {"start": s.start, "end": s.end, "text": text[s.start : s.end]}

    out: dict[str, Any] = {"id": doc.id, "text": text, "meta": dict(doc.meta)}
    if with_layout if with_layout is not None else bool(doc.sentences or doc.tokens):
        out["sentences"] = [{"start": s.start, "end": s.end} for s in doc.sentences]
        out["tokens"] = [{"start": t.start, "end": t.end} for t in doc.tokens]
    out["clusters"] = [{"id": c.id, "type": c.type, "canonical": c.canonical} for c in doc.clusters]
    out["entities"] = [
        {"id": m.id, "start": m.start, "end": m.end, "text": m.text, "type": m.type, "kind": m.kind, "entity": m.entity}
        for m in doc.entities
    ]
    if doc.values:
        out["values"] = [{"id": v.id, "type": v.type, "start": v.start, "end": v.end, "text": v.text} for v in doc.values]
    out["quotes"] = [
        {"id": q.id, "type": q.type, "content": span(q.content), "cue": span(q.cue), "source": q.source, "speaker": q.speaker}
        for q in doc.quotes
    ]
    out["events"] = [
        {
            "id": e.id,
            "type": e.type,
            "trigger": span(e.trigger),
            "arguments": [{"role": a.role, **({"mention": a.mention} if a.value is None else {"value": a.value})} for a in e.arguments],
            "modality": e.modality,
            "polarity": e.polarity,
            "genericity": e.genericity,
            "tense": e.tense,
            "coref": e.coref,
        }
        for e in doc.events
    ]
    return out


def dumps_annotation(doc: Document) -> str:
    """The human-editable source form: pretty-printed, one annotation per line, so a gold change is a
    one-line diff."""
    obj = document_to_json(doc, with_layout=False)
    lines = ["{"]
    keys = list(obj)
    for i, key in enumerate(keys):
        comma = "," if i < len(keys) - 1 else ""
        value = obj[key]
        if isinstance(value, list):
            if not value:
                lines.append(f"  {json.dumps(key)}: []{comma}")
                continue
            lines.append(f"  {json.dumps(key)}: [")
            lines.extend(
                f"    {_compact(item)}{',' if j < len(value) - 1 else ''}" for j, item in enumerate(value)
            )
            lines.append(f"  ]{comma}")
        elif isinstance(value, dict):
            body = json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n  ")
            lines.append(f"  {json.dumps(key)}: {body}{comma}")
        else:
            lines.append(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def dumps_line(obj: Any) -> str:
    """One JSON Lines record: compact, UTF-8 text kept readable, key order as given."""
    return _compact(obj)


def _compact(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(", ", ": "))


LAYOUT = ("sentences", "tokens")


_START_END = operator.itemgetter("start", "end")


def _spans_of(objects: list) -> tuple[Span, ...]:
    """``{"start", "end"}`` objects as spans, built without a Python-level call per span."""
    return tuple(map(_make_span, map(_START_END, objects)))


def _layout_is_well_formed(obj: Any) -> bool:
    """Whether the derived layout arrays hold only well-formed spans inside the text. A large corpus has
    a million of them, and per-span schema validation would dominate loading, so they are checked with
    whole-array operations instead. Anything this rejects goes through the schema and the checker, which
    explain it."""
    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
        return False
    for name in LAYOUT:
        spans = obj.get(name, [])
        if type(spans) is not list:
            return False
        if not spans:
            continue
        if set(map(type, spans)) != {dict} or set(map(len, spans)) != {2}:
            return False
        try:
            starts, ends = zip(*map(_START_END, spans))
        except KeyError:
            return False
        if set(map(type, starts)) != {int} or set(map(type, ends)) != {int}:
            return False
        if min(starts) < 0 or max(ends) > len(obj["text"]) or not all(map(operator.lt, starts, ends)):
            return False
        if not all(map(operator.le, ends[:-1], starts[1:])):  # in text order, none overlapping
            return False
    return True


def check_document(obj: Any, where: str, *, seed_check: bool = True) -> list[Problem]:
    """Every problem with one gold document, in file order: the schema first, then what a schema cannot
    say (offsets, span texts, unique ids, references, roles, nesting, the seed's hash)."""
    layout_checked = _layout_is_well_formed(obj)
    annotated = {k: v for k, v in obj.items() if k not in LAYOUT} if layout_checked else obj
    problems = _schema_problems(annotated, "document.schema.json", where)
    if problems:
        return problems
    return _DocumentChecker(obj, where).run(seed_check=seed_check, layout_checked=layout_checked)


def _non_integer_offset(span: Mapping[str, Any], path: str) -> tuple[str, str] | None:
    """The path and message for an offset like ``3.0``: JSON Schema counts a number with a zero fraction
    as an integer, and Python would then refuse it as a string index, or, worse, compare it equal to 3."""
    for name in ("start", "end"):
        if type(span[name]) is not int:
            return f"{path}.{name}", f"{span[name]!r} is not of type 'integer'"
    return None


class _DocumentChecker:
    def __init__(self, obj: Mapping[str, Any], where: str):
        self.obj = obj
        self.where = where
        self.text: str = obj["text"]
        self.problems: list[Problem] = []

    def add(self, path: str, message: str) -> None:
        self.problems.append(Problem(self.where, path, message))

    def run(self, *, seed_check: bool, layout_checked: bool = False) -> list[Problem]:
        obj = self.obj
        self.check_text(seed_check)
        for layer in () if layout_checked else LAYOUT:
            self.check_layout(layer)
        self.check_ids()
        clusters = {c["id"]: c for c in obj["clusters"]}
        mentions = {m["id"]: m for m in obj["entities"]}
        values = {v["id"]: v for v in obj.get("values", ())}
        self.check_mentions(clusters)
        self.check_values()
        self.check_quotes(mentions, clusters)
        self.check_events(mentions, values)
        return self.problems

    def check_text(self, seed_check: bool) -> None:
        meta = self.obj["meta"]
        digest = hashlib.sha256(self.text.encode("utf-8")).hexdigest()
        if digest != meta["sha256"]:
            self.add("meta.sha256", f"the text's sha256 is {digest}, not {meta['sha256']}")
        if not seed_check:
            return
        seed = ROOT / meta["source_file"]
        if not seed.is_file():
            self.add("meta.source_file", f"{meta['source_file']} does not exist")
        elif hashlib.sha256(seed.read_bytes()).hexdigest() != digest:
            self.add("text", f"differs from its seed {meta['source_file']}")

    def check_span(self, span: Mapping[str, Any], path: str) -> bool:
        start, end, size = span["start"], span["end"], len(self.text)
        not_integer = _non_integer_offset(span, path)
        if not_integer:
            self.add(*not_integer)
            return False
        if end > size:
            self.add(f"{path}.end", f"{end} is past the end of the text ({size} characters)")
            return False
        if start >= end:
            self.add(f"{path}.start", f"{start} is not before end {end}")
            return False
        if "text" in span and span["text"] != self.text[start:end]:
            self.add(f"{path}.text", f"{_clip(span['text'])} does not match the text at {start}:{end}, {_clip(self.text[start:end])}")
            return False
        return True

    def check_layout(self, layer: str) -> None:
        """Sentences and tokens are spans in text order that never overlap: the scorers' units and
        token overlaps are computed by searching them as sorted arrays."""
        previous: tuple[int, int] | None = None
        ordered = True
        for i, span in enumerate(self.obj.get(layer, ())):
            if not self.check_span(span, f"{layer}[{i}]"):
                continue
            if previous is not None and span["start"] < previous[1]:
                self.add(
                    f"{layer}[{i}].start",
                    f"{span['start']} is before the end of {layer}[{previous[0]}] ({previous[1]}): {layer} must be in text order and must not overlap",
                )
                previous = None  # the first place is named; the order of the rest is not checked
                ordered = False
            elif ordered:
                previous = (i, span["end"])

    def check_ids(self) -> None:
        seen: dict[str, str] = {}
        for layer in ("clusters", "entities", "values", "quotes", "events"):
            for i, item in enumerate(self.obj.get(layer, ())):
                path = f"{layer}[{i}].id"
                if item["id"] in seen:
                    self.add(path, f"duplicate id {item['id']!r} (first used at {seen[item['id']]})")
                else:
                    seen[item["id"]] = path

    def check_mentions(self, clusters: Mapping[str, Mapping]) -> None:
        used: set[str] = set()
        placed: dict[tuple[int, int], int] = {}
        valid: list[tuple[int, int, int]] = []
        for i, mention in enumerate(self.obj["entities"]):
            path = f"entities[{i}]"
            if self.check_span(mention, path):
                key = (mention["start"], mention["end"])
                if key in placed:
                    self.add(path, f"has the same span as entities[{placed[key]}] (one mention per span)")
                placed.setdefault(key, i)
                valid.append((mention["start"], mention["end"], i))
            cluster = clusters.get(mention["entity"])
            if cluster is None:
                self.add(f"{path}.entity", f"unknown cluster {mention['entity']!r}")
                continue
            used.add(cluster["id"])
        for i, cluster in enumerate(self.obj["clusters"]):
            if cluster["id"] not in used:
                self.add(f"clusters[{i}]", f"cluster {cluster['id']!r} has no mention")
        self.check_nesting(sorted(valid, key=lambda v: (v[0], -v[1], v[2])))

    def check_values(self) -> None:
        """Each value is a span of its own: not the span of a mention or of another value, so that a
        predicted argument's span names one gold filler."""
        taken = {(m["start"], m["end"]): f"entities[{i}]" for i, m in enumerate(self.obj["entities"])}
        for i, value in enumerate(self.obj.get("values", ())):
            path = f"values[{i}]"
            if not self.check_span(value, path):
                continue
            key = (value["start"], value["end"])
            if key in taken:
                self.add(path, f"has the same span as {taken[key]} (a span is one mention or one value)")
            taken.setdefault(key, path)

    def check_nesting(self, spans: list[tuple[int, int, int]]) -> None:
        """Mentions may nest but never cross: after sorting by (start, -end), each span either lies inside
        every open span that contains its start or begins after it ends."""
        open_spans: list[tuple[int, int, int]] = []
        for start, end, index in spans:
            while open_spans and open_spans[-1][1] <= start:
                open_spans.pop()
            if open_spans and end > open_spans[-1][1]:
                other = open_spans[-1][2]
                self.add(f"entities[{index}]", f"crosses entities[{other}] (mentions may nest but not overlap partially)")
                continue
            open_spans.append((start, end, index))

    def check_quotes(self, mentions: Mapping[str, Mapping], clusters: Mapping[str, Mapping]) -> None:
        for i, quote in enumerate(self.obj["quotes"]):
            path = f"quotes[{i}]"
            self.check_span(quote["content"], f"{path}.content")
            if quote["cue"] is not None:
                self.check_span(quote["cue"], f"{path}.cue")
            source, speaker = quote["source"], quote["speaker"]
            if source is not None and source not in mentions:
                self.add(f"{path}.source", f"unknown mention {source!r}")
            if speaker is not None and speaker not in clusters:
                self.add(f"{path}.speaker", f"unknown cluster {speaker!r}")
            if source in mentions and speaker is not None and mentions[source]["entity"] != speaker:
                self.add(f"{path}.speaker", f"{speaker!r} is not the cluster of its source {source!r} ({mentions[source]['entity']!r})")

    def check_events(self, mentions: Mapping[str, Mapping], values: Mapping[str, Mapping]) -> None:
        allowed = labels()["event_roles"]
        coref_types: dict[str, tuple[str, int]] = {}
        for i, event in enumerate(self.obj["events"]):
            path = f"events[{i}]"
            self.check_span(event["trigger"], f"{path}.trigger")
            for j, argument in enumerate(event["arguments"]):
                arg_path = f"{path}.arguments[{j}]"
                known = argument["role"] in allowed[event["type"]]
                if not known:
                    self.add(f"{arg_path}.role", f"{argument['role']!r} is not a role of {event['type']}")
                self.check_filler(argument, arg_path, mentions, values, known)
            first = coref_types.setdefault(event["coref"], (event["type"], i))
            if first[0] != event["type"]:
                self.add(f"{path}.coref", f"{event['coref']!r} joins a {event['type']} to events[{first[1]}], a {first[0]}")


    def check_filler(
        self, argument: Mapping[str, str], path: str, mentions: Mapping[str, Mapping], values: Mapping[str, Mapping], role_known: bool
    ) -> None:
        """A value role (``value_type_by_role``) points to a value of its type, any other role to a
        mention. (Of a role the subtype does not allow, only the reference is checked.)"""
        role, wanted = argument["role"], labels()["value_type_by_role"].get(argument["role"])
        if "mention" in argument:
            if wanted is not None and role_known:
                self.add(f"{path}.mention", f"{role!r} takes a {wanted} value (the values layer), not a mention")
            elif argument["mention"] not in mentions:
                self.add(f"{path}.mention", f"unknown mention {argument['mention']!r}")
            return
        value = values.get(argument["value"])
        if wanted is None and role_known:
            self.add(f"{path}.value", f"{role!r} takes an entity mention, not a value")
        elif value is None:
            self.add(f"{path}.value", f"unknown value {argument['value']!r}")
        elif wanted is not None and value["type"] != wanted:
            self.add(f"{path}.value", f"{argument['value']!r} is a {value['type']} value; {role!r} takes a {wanted} value")


def read_json_file(path: Path) -> Any:
    """The value of a JSON file; any reason it has none is one :class:`InputError` (see :func:`parse_json`)."""
    text = read_text(path, "a JSON file")
    value = parse_json(text[1:] if text.startswith("\ufeff") else text, display_path(path), lines=True)
    if isinstance(value, Problem):
        raise InputError([value])
    return value


def read_text(path: Path, kind: str) -> str:
    """The text of a UTF-8 file, exactly as stored (line ends and a byte order mark kept). A file that
    is missing, a directory (``kind`` says what was expected) or not UTF-8 is one :class:`InputError`."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise _unreadable(Path(path), error, kind) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError([_not_utf8(display_path(path), error, data)]) from None


def read_utf8_bytes(path: Path, kind: str) -> bytes:
    """The bytes of a UTF-8 file, checked to be UTF-8, without a leading byte order mark: for readers
    that parse bytes with whole-array operations (a CoNLL file of a million tokens). Errors are those of
    :func:`read_text`."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise _unreadable(Path(path), error, kind) from None
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for start in range(0, len(data), 1 << 20):  # by the megabyte: no copy of the whole file as text
            decoder.decode(memoryview(data)[start : start + (1 << 20)])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        try:
            data.decode("utf-8")  # again at once, for the error's position in the file
        except UnicodeDecodeError as error:
            raise InputError([_not_utf8(display_path(path), error, data)]) from None
    return data[3:] if data.startswith(codecs.BOM_UTF8) else data


def _unreadable(path: Path, error: OSError, kind: str) -> InputError:
    """The one-line error for a file that cannot be opened: missing, a directory, not permitted."""
    where = display_path(path)
    if isinstance(error, FileNotFoundError):
        return InputError(f"{where}: no such file")
    if isinstance(error, IsADirectoryError):
        return InputError(f"{where}: is a directory, not {kind}")
    return InputError(f"{where}: cannot be read ({error.strerror or error})")


def _not_utf8(where: str, error: UnicodeDecodeError, data: bytes, line: int = 1, offset: int = 0) -> Problem:
    """Name the line and the byte (counted from the start of the file) where UTF-8 decoding failed."""
    line += data.count(b"\n", 0, error.start)
    return Problem(f"{where}:{line}", "", f"not UTF-8 text ({error.reason} at byte {offset + error.start})")


def text_lines(path: Path, kind: str) -> Iterator[tuple[int, str]]:
    """Yield ``(line number, line)`` of a UTF-8 text file, a leading byte order mark skipped.

    Lines are decoded one by one so that a byte that is not UTF-8 is reported with its line and its
    position in the file (a text-mode file would count bytes from the start of its read buffer); a
    missing file or a directory (``kind`` says what was expected) is one :class:`InputError`.
    """
    for number, line in _decoded_lines(path, kind):
        if isinstance(line, Problem):
            raise InputError([line])
        yield number, line


def _decoded_lines(path: Path, kind: str) -> Iterator[tuple[int, str | Problem]]:
    """:func:`text_lines`, with a :class:`Problem` in place of each line that is not UTF-8, so that a
    reader goes on and reports the problems of the other lines too."""
    try:
        handle = open(path, "rb")
    except OSError as error:
        raise _unreadable(Path(path), error, kind) from None
    where = display_path(path)
    with handle:
        offset = 0
        for number, raw in enumerate(handle, start=1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                yield number, _not_utf8(where, error, raw, number, offset)
                offset += len(raw)
                continue
            offset += len(raw)
            yield number, line[1:] if number == 1 and line.startswith("\ufeff") else line


def output_file(path: Path, option: str) -> Path:
    """``path`` if a file can be written there: its folder exists and it is not itself a folder. Checked
    before any work is done, so that a typo costs nothing."""
    if path.is_dir():
        raise InputError(f"{display_path(path)}: is a directory; {option} names the file to write")
    if not path.parent.is_dir():
        raise InputError(f"{display_path(path.parent)}: no such directory ({option} {display_path(path)})")
    return path


def output_directory(path: Path, option: str) -> Path:
    """``path`` if files can be written into it: a directory, or nothing yet (it will be created)."""
    if path.exists() and not path.is_dir():
        raise InputError(f"{display_path(path)}: not a directory ({option} names the directory to write into)")
    return path


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the repository when inside it."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


SEED_INDEX = SEEDS_DIR / "index.json"


def seed_index() -> dict[str, dict[str, Any]]:
    """The entries of ``seeds/index.json`` by document id: what each source article states about itself."""
    return {entry["id"]: entry for entry in read_json_file(SEED_INDEX)["documents"]}


META_FROM_INDEX = (
    ("source_file", "file"),
    ("sha256", "sha256"),
    ("source", "source"),
    ("publisher", "publisher"),
    ("publisher_id", "publisher_id"),
    ("title", "title"),
    ("url", "url"),
    ("published", "published"),
    ("date_extracted", "date_extracted"),
    ("topic", "topic"),
    ("language", "language"),
    ("licence", "licence"),
    ("split", "split"),
)
"""A document's ``meta`` keys, in the annotation file's order, and the index fields they copy."""


def seed_meta(doc_id: str) -> dict[str, Any]:
    """A document's ``meta`` as its seed index entry states it; fields the source does not give are absent."""
    entry = seed_index().get(doc_id)
    if entry is None:
        raise InputError(f"{display_path(SEED_INDEX)}: no document {doc_id!r} (list the article there first)")
    return {key: entry[field] for key, field in META_FROM_INDEX if field in entry}


def read_annotation(path: Path, *, seed_check: bool = True) -> Document:
    """Read and fully validate one annotation source file (``corpus/annotations/<id>.json``)."""
    where = display_path(path)
    obj = read_json_file(Path(path))
    problems = check_document(obj, where, seed_check=seed_check)
    if not problems and obj["id"] != Path(path).stem:
        problems.append(Problem(where, "id", f"{obj['id']!r} differs from the file name {Path(path).stem!r}"))
    if problems:
        raise ValidationFailed(problems)
    return document_from_json(obj)


def annotation_paths(directory: Path = ANNOTATIONS_DIR) -> list[Path]:
    return sorted(Path(directory).glob("*.json"))


def read_annotations(paths: Iterable[Path] | None = None) -> list[Document]:
    """Read every annotation source, collecting the problems of all files before failing."""
    documents, problems = [], []
    for path in annotation_paths() if paths is None else paths:
        try:
            documents.append(read_annotation(path))
        except InputError as error:
            problems.extend(error.problems)
    if problems:
        raise ValidationFailed(problems)
    seen: dict[str, str] = {}
    for document in documents:
        if document.id in seen:
            problems.append(Problem(document.id, "id", f"duplicate document id (also in {seen[document.id]})"))
        seen[document.id] = document.id
    if problems:
        raise ValidationFailed(problems)
    return sorted(documents, key=lambda d: d.id)


def write_annotation(doc: Document, path: Path) -> None:
    write_text(path, dumps_annotation(doc))


def write_text(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8, line ends as given) to ``path`` without ever following a link: a path that
    is a symbolic link, even a dangling one, is refused, and the text goes to a new file beside it that
    then replaces it, so that an interrupted write leaves the old file whole."""
    path = Path(path)
    refuse_links([path])
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            os.fchmod(out.fileno(), 0o666 & ~_umask())
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def write_texts(files: Mapping[Path, str]) -> None:
    """:func:`write_text` for several files, each link among them refused before any file is written."""
    refuse_links(files)
    for path, text in files.items():
        write_text(path, text)


def refuse_links(paths: Iterable[Path]) -> None:
    """One :class:`InputError` naming every path that is a symbolic link (dangling or not)."""
    links = [Path(path) for path in paths if Path(path).is_symlink()]
    if links:
        raise InputError(
            [Problem(display_path(link), "", "is a symbolic link; Khabar writes no file through a link (remove the link, or write elsewhere)") for link in links]
        )


@functools.cache
def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def exists(path: Path) -> bool:
    """Whether anything is at ``path``, a dangling symbolic link included (``Path.exists`` follows it)."""
    return os.path.lexists(path)


def iter_jsonl(path: Path) -> Iterator[tuple[int, Any | Problem]]:
    """Yield ``(line number, object)`` for each non-blank line, or a :class:`Problem` for a line that
    cannot be read (not UTF-8, not JSON, see :func:`parse_json`), so that callers can list every bad line.

    The one reader of JSON Lines files. A file that is not JSON Lines at all (a JSON array, one
    pretty-printed object, a CoNLL file) is one :class:`InputError` saying what it looks like.
    """
    where = display_path(path)
    first = True
    for number, line in _decoded_lines(path, "a JSON Lines file"):
        if isinstance(line, Problem):
            yield number, line
            continue
        if not line.strip():
            continue
        value = parse_json(line, location(where, number))
        if first and (isinstance(value, Problem) or not isinstance(value, dict)):
            hint = _not_json_lines(line)
            if hint:
                raise InputError(f"{where}: {hint}")
        first = False
        yield number, value


_CONLL_TAG = re.compile(r"(?:[BIESLU][-_]\S+|O|-X-|_)")


def _not_json_lines(first_line: str) -> str | None:
    """What a file whose first record is not a JSON object looks like instead, and what to do, or
    ``None`` when it is just a bad line among JSON Lines."""
    head = first_line.strip()
    try:
        alone, cut_short = json.loads(head), False
    except json.JSONDecodeError as error:  # cut short: the value goes on on the next lines
        alone, cut_short = None, error.pos >= len(head) - 1
    except (RecursionError, ValueError):
        return None
    records = isinstance(alone, list) and alone and all(isinstance(item, dict) for item in alone)
    if head.startswith("[") and (cut_short or records):
        return "is a JSON array, not JSON Lines: write one JSON object per line (for example `jq -c '.[]' FILE`)"
    if head.startswith("{") and cut_short:
        return "looks like one JSON object over several lines, not JSON Lines: write each object on one line (for example `jq -c . FILE`)"
    fields = head.split()
    if head.startswith("-DOCSTART-") or (len(fields) >= 2 and _CONLL_TAG.fullmatch(fields[-1])):
        return "looks like a CoNLL file (a token and its tags per line), not JSON Lines: score it with `khabar score --conll FILE`"
    return None


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abcdefABCDEF][0-9a-fA-F]{2}")


def parse_json(text: str, where: str, *, lines: bool = False) -> Any | Problem:
    """The JSON value of ``text``, or the :class:`Problem` that keeps it from being one: not JSON,
    nested beyond Python's stack, an integer too long for Python to read, or a lone surrogate escape
    (``"\\ud800"``, not a character: no UTF-8 encoder takes it). ``lines``: ``text`` is a whole file, and
    a syntax error is placed at its line."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        return Problem(f"{where}:{error.lineno}" if lines else where, "", f"not JSON: {error.msg} (column {error.colno})")
    except RecursionError:
        return Problem(where, "", "not readable: JSON nested too deeply (about 1,000 levels)")
    except ValueError:  # int(): more digits than sys.get_int_max_str_digits() allows
        return Problem(where, "", f"not readable: an integer of more than {sys.get_int_max_str_digits()} digits")
    if _SURROGATE_ESCAPE.search(text):
        path = _lone_surrogate(value)
        if path is not None:
            return Problem(where, path, "holds a lone surrogate escape (\\ud800 to \\udfff without its pair), which is not a character")
    return value


def _lone_surrogate(value: Any) -> str | None:
    """The JSON path of the first string or key that holds a lone surrogate, or ``None``."""
    for path, item in _walk(value):
        if isinstance(item, str) and not _encodable(item):
            return json_path(path) or "(the value)"
        bad_key = next((key for key in item if not _encodable(key)), None) if isinstance(item, dict) else None
        if bad_key is not None:
            return json_path((*path, bad_key)) + " (a key)"
    return None


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector (also a decorator). Reading a large file builds millions of
    objects that form no cycle; the collector would rescan the growing corpus again and again (doubling
    the time to load 50 MB) and could free nothing. Reference counting still frees garbage. The
    collector is process-wide: a pause in one thread pauses it for all."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def documents_by_split(documents: Iterable[Document]) -> dict[str, list[Document]]:
    """Each split that has documents, in ``SPLITS`` order, with its documents in the order given."""
    documents = list(documents)
    by_split = {split: [doc for doc in documents if doc.meta.get("split") == split] for split in SPLITS}
    return {split: members for split, members in by_split.items() if members}


def split_file(view: str, split: str, data_dir: Path | None = None) -> Path:
    """A built file: ``corpus/data/<split>/<view>.jsonl``, the layout the Hugging Face configs name."""
    return Path(data_dir if data_dir is not None else DATA_DIR) / split / f"{view}.jsonl"


def gold_files(path: Path | None = None, split: str = "all") -> list[Path]:
    """The documents files a gold corpus is read from: one split's file (or every split's) of a built
    layout (the checkout's ``corpus/data/`` by default, or a directory like it), or a single file."""
    path = Path(path) if path is not None else DATA_DIR
    if not path.is_dir():
        return [path]
    if (path / "documents.jsonl").is_file():
        return [path / "documents.jsonl"]
    wanted = SPLITS if split == "all" else (split,)
    files = [split_file("documents", name, path) for name in wanted]
    present = [file for file in files if file.is_file()]
    if not present:
        raise InputError(f"{display_path(files[0])}: no such file (run `khabar build`; a split without gold has no file)")
    return present


def load_corpus(path: Path | None = None, split: str = "all") -> list[Document]:
    """The built gold corpus, validated, sorted by id: every split of ``corpus/data/`` by default; with
    ``split``, only that split's documents (those whose ``meta.split`` names it)."""
    return load_gold(path, split).documents


class Gold(NamedTuple):
    documents: list[Document]
    sha256: str
    """Of the files' bytes one after the other (:func:`sha256_files`): what a score signature pins."""
    trusted: bool
    """Every file is one of the release's (:func:`release_hashes`), so none was validated again."""


@functools.cache
def release_hashes() -> frozenset[str]:
    """The sha256 of each documents file of the release at hand, as ``corpus/data/MANIFEST.json`` records
    them (``khabar build`` writes it after validating every document; the wheel carries it). The task
    views are left out: they are not documents, and a ``--gold`` naming one must fail validation."""
    manifest = DATA_DIR / "MANIFEST.json"
    if not manifest.is_file():
        return frozenset()
    files = read_json_file(manifest).get("files", {})
    return frozenset(entry["sha256"] for name, entry in files.items() if Path(name).name == "documents.jsonl")


@collector_paused()
def load_gold(path: Path | None = None, split: str = "all") -> Gold:
    """:func:`load_corpus`, with the sha256 of the files read. A file whose hash is a release's was
    validated when it was built and is only parsed (in about half the time); any other is validated."""
    files = gold_files(path, split)
    contents = {}
    for file in files:
        if not file.exists():
            raise InputError(f"{display_path(file)}: no such file (run `khabar build`)")
        try:
            contents[file] = file.read_bytes()
        except OSError as error:
            raise _unreadable(file, error, "a JSON Lines file") from None
    sha256 = sha256_files(files, contents)
    if all(hashlib.sha256(data).hexdigest() in release_hashes() for data in contents.values()):
        parsed = (json.loads(line) for data in contents.values() for line in data.split(b"\n") if line.strip())
        documents = [document_from_json(obj) for obj in parsed if split == "all" or obj["meta"].get("split") == split]
        if documents:
            return Gold(sorted(documents, key=lambda d: d.id), sha256, True)
    return Gold(_validated_corpus(files, split), sha256, False)


def _validated_corpus(files: Sequence[Path], split: str) -> list[Document]:
    documents, problems, seen = [], [], {}
    for file in files:
        where = display_path(file)
        if not file.exists():
            raise InputError(f"{where}: no such file (run `khabar build`)")
        for number, obj in iter_jsonl(file):
            if isinstance(obj, Problem):
                problems.append(obj)
                continue
            found = check_document(obj, location(where, number), seed_check=False)
            if not found and obj["id"] in seen:
                found = [Problem(location(where, number), "id", f"duplicate document {_clip_repr(obj['id'])} (also {seen[obj['id']]})")]
            problems.extend(found)
            if not found:
                seen[obj["id"]] = f"{where}:{number}"
                if split == "all" or obj["meta"].get("split") == split:
                    documents.append(document_from_json(obj))
    if problems:
        raise InputError(problems)
    if not documents:
        names = ", ".join(display_path(file) for file in files)
        raise InputError(f"{names}: no document in the file" + ("" if split == "all" else f" of the {split} split"))
    return sorted(documents, key=lambda d: d.id)


# --------------------------------------------------------------------------------------------------
# Predictions


@dataclass(frozen=True, order=True)
class PredictedEntity:
    start: int
    end: int
    type: str
    score: float | None = field(default=None, compare=False)
    """A system's confidence, if it gave one: kept, validated as a number, ignored by every metric."""


@dataclass(frozen=True)
class PredictedQuote:
    type: str
    content: Span
    cue: Span | None = None
    source: Span | None = None
    score: float | None = field(default=None, compare=False)


@dataclass(frozen=True, order=True)
class PredictedArgument:
    role: str
    start: int
    end: int


@dataclass(frozen=True)
class PredictedEvent:
    type: str
    trigger: Span
    arguments: tuple[PredictedArgument, ...] = ()
    score: float | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Prediction:
    """A system's output for one document. A layer is ``None`` when the system did not submit it."""

    id: str
    entities: tuple[PredictedEntity, ...] | None = None
    quotes: tuple[PredictedQuote, ...] | None = None
    events: tuple[PredictedEvent, ...] | None = None


def prediction_from_json(obj: Mapping[str, Any]) -> Prediction:
    entities = obj.get("entities")
    quotes = obj.get("quotes")
    events = obj.get("events")
    return Prediction(
        id=obj["id"],
        entities=None if entities is None else tuple(PredictedEntity(e["start"], e["end"], e["type"], e.get("score")) for e in entities),
        quotes=None
        if quotes is None
        else tuple(
            PredictedQuote(q["type"], _span(q["content"]), _span(q.get("cue")), _span(q.get("source")), q.get("score")) for q in quotes
        ),
        events=None
        if events is None
        else tuple(
            PredictedEvent(
                e["type"],
                _span(e["trigger"]),
                tuple(PredictedArgument(a["role"], a["start"], a["end"]) for a in e.get("arguments", ())),
                e.get("score"),
            )
            for e in events
        ),
    )


def prediction_to_json(prediction: Prediction, text: str | None = None) -> dict[str, Any]:
    """The JSON form of a prediction; with ``text``, spans carry their text for readability."""

    def span(s: Span | None) -> dict | None:
        if s is None:
            return None
        out = {"start": s.start, "end": s.end}
        if text is not None:
            out["text"] = text[s.start : s.end]
        return out

    def scored(item, record: dict[str, Any]) -> dict[str, Any]:
        return record if item.score is None else {**record, "score": item.score}

    out: dict[str, Any] = {"id": prediction.id}
    if prediction.entities is not None:
        out["entities"] = [scored(e, {**span(Span(e.start, e.end)), "type": e.type}) for e in prediction.entities]
    if prediction.quotes is not None:
        out["quotes"] = [
            scored(q, {"type": q.type, "content": span(q.content), "cue": span(q.cue), "source": span(q.source)}) for q in prediction.quotes
        ]
    if prediction.events is not None:
        out["events"] = [
            scored(
                e,
                {
                    "type": e.type,
                    "trigger": span(e.trigger),
                    "arguments": [{"role": a.role, **span(Span(a.start, a.end))} for a in e.arguments],
                },
            )
            for e in prediction.events
        ]
    return out


def check_prediction(obj: Any, text: str | None, where: str) -> list[Problem]:
    """Every problem with one prediction record: the schema, then offsets and span texts against the
    document text (when the document is known) and event roles."""
    problems = _non_finite_scores(obj, where) or _schema_problems(obj, "prediction.schema.json", where)
    if problems or text is None:
        return problems
    size = len(text)

    def span(s: Mapping | None, path: str) -> None:
        if s is None:
            return
        start, end = s["start"], s["end"]
        not_integer = _non_integer_offset(s, path)
        if not_integer:
            problems.append(Problem(where, *not_integer))
        elif end > size:
            problems.append(Problem(where, f"{path}.end", f"{end} is past the end of the text ({size} characters)"))
        elif start >= end:
            problems.append(Problem(where, f"{path}.start", f"{start} is not before end {end}"))
        elif "text" in s and s["text"] != text[start:end]:
            problems.append(
                Problem(where, f"{path}.text", f"{_clip(s['text'])} does not match the text at {start}:{end}, {_clip(text[start:end])}")
            )

    for i, entity in enumerate(obj.get("entities", ())):
        span(entity, f"entities[{i}]")
    for i, quote in enumerate(obj.get("quotes", ())):
        for part in ("content", "cue", "source"):
            span(quote.get(part), f"quotes[{i}].{part}")
    allowed = labels()["event_roles"]
    for i, event in enumerate(obj.get("events", ())):
        span(event["trigger"], f"events[{i}].trigger")
        for j, argument in enumerate(event.get("arguments", ())):
            path = f"events[{i}].arguments[{j}]"
            if argument["role"] not in allowed[event["type"]]:
                roles = allowed[event["type"]]
                problems.append(
                    Problem(
                        where,
                        f"{path}.role",
                        f"{_clip_repr(argument['role'])} is not a role of {event['type']}{did_you_mean(argument['role'], roles)}; "
                        f"its roles: {', '.join(roles)}",
                    )
                )
            span(argument, path)
    return problems


def _non_finite_scores(obj: Any, where: str) -> list[Problem]:
    """A ``score`` of NaN or infinity (Python's JSON reads both): a number to one schema validator and
    not to the other, and no confidence, so named before the schema is checked."""
    problems = []
    for layer in ("entities", "quotes", "events"):
        items = obj.get(layer) if isinstance(obj, dict) else None
        for i, item in enumerate(items if isinstance(items, list) else ()):
            score = item.get("score") if isinstance(item, dict) else None
            if isinstance(score, float) and not math.isfinite(score):
                problems.append(Problem(where, f"{layer}[{i}].score", f"{score!r} is not a finite number"))
    return problems


@collector_paused()
def read_predictions(path: Path, gold: Mapping[str, Document]) -> dict[str, Prediction]:
    """Read and validate a prediction file against the gold documents, before any number is computed.

    Raises :class:`InputError` listing every problem (up to a cap): a line that is not JSON, a field of
    the wrong type, an unknown label or role, an unknown or repeated document id, an offset outside the
    text or reversed, a span text that does not match. Documents missing from the file are the caller's
    business (see :func:`missing_documents`).
    """
    where_file = display_path(path)
    predictions: dict[str, Prediction] = {}
    first_line: dict[str, int] = {}
    problems: list[Problem] = []
    for number, obj in iter_jsonl(Path(path)):
        if isinstance(obj, Problem):
            problems.append(obj)
            continue
        doc_id = obj.get("id") if isinstance(obj, dict) and isinstance(obj.get("id"), str) and obj["id"] else None
        where = location(where_file, number, doc_id)
        document = gold.get(doc_id) if doc_id else None
        if doc_id and document is None:
            problems.append(Problem(where, "id", f"unknown document id {_clip_repr(doc_id)}"))
        elif doc_id and doc_id in first_line:
            problems.append(Problem(where, "id", f"duplicate document {_clip_repr(doc_id)} (first on line {first_line[doc_id]})"))
            continue
        found = check_prediction(obj, document.text if document else None, where)
        problems.extend(found)
        if document is not None and not found:
            first_line[doc_id] = number
            predictions[doc_id] = prediction_from_json(obj)
        if len(problems) > MAX_PROBLEMS:
            break
    if problems:
        raise InputError(problems)
    if not first_line:
        raise InputError(f"{where_file}: no prediction in the file (expected one JSON object per line, see docs/format.md)")
    return predictions


def missing_documents(predictions: Mapping[str, Prediction], gold: Mapping[str, Document]) -> list[str]:
    """Gold documents a submission left out, in id order (scored as empty predictions)."""
    return sorted(set(gold) - set(predictions))


def write_predictions(predictions: Iterable[Prediction], path: Path | None, texts: Mapping[str, str] | None = None) -> str:
    """Serialise predictions as JSON Lines; write them to ``path`` when given, and return the text."""
    out = "".join(
        dumps_line(prediction_to_json(p, None if texts is None else texts.get(p.id))) + "\n" for p in predictions
    )
    if path is not None:
        write_text(path, out)
    return out


def sha256_file(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def data_fingerprint(split: str = "all") -> tuple[str, str]:
    """(data version, sha256 of the release's gold documents files of ``split``): what a score signature pins."""
    return read_json_file(DATA_DIR / "MANIFEST.json")["data_version"], sha256_files(gold_files(None, split))


def sha256_files(paths: Sequence[Path], contents: Mapping[Path, bytes] | None = None) -> str:
    """The sha256 of the files' bytes one after the other (of the file itself, for one file);
    ``contents`` gives the bytes of files already read."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(contents[path] if contents is not None else Path(path).read_bytes())
    return digest.hexdigest()


def prediction_from_document(doc: Document) -> Prediction:
    """A document's gold layers as a system would submit them (entities: the NER layer): what
    gold-against-itself scoring and inter-annotator agreement (one annotator's file scored as the
    other's prediction) use."""

    first_mention = {}
    for m in sorted(doc.entities, key=lambda m: (m.start, m.end)):
        first_mention.setdefault(m.entity, m.span)

    def source_of(quote: Quote) -> Span | None:
        """The quote's source mention; without one (a dropped subject), the speaker's first mention, since
        a submission names a speaker by any mention of it."""
        if quote.source is not None:
            return doc.mention(quote.source).span
        return None if quote.speaker is None else first_mention.get(quote.speaker)

    return Prediction(
        id=doc.id,
        entities=tuple(PredictedEntity(m.start, m.end, m.type) for m in ner_mentions(doc)),
        quotes=tuple(PredictedQuote(q.type, q.content, q.cue, source_of(q)) for q in doc.quotes),
        events=tuple(
            PredictedEvent(
                e.type,
                e.trigger,
                tuple(PredictedArgument(a.role, doc.filler(a).start, doc.filler(a).end) for a in e.arguments),
            )
            for e in doc.events
        ),
    )
