"""Property-based fuzzing of the command line (hypothesis): generated submissions, CoNLL files and
corrupted gold, each with its own expectation worked out here, independently of the scorer.

* valid submissions against a generated gold corpus: ``khabar score`` must give the strict and exact
  counts computed here by set arithmetic (flat and nested layers), and the same bytes twice;
* submissions with one corrupted record: exit 2, every stderr line naming the file, no traceback;
* CoNLL files of valid IOB2 tags: the strict chunk counts of a decoder written here; corrupted ones: exit 2;
* gold with one corruption of a known kind: ``khabar validate`` exits non-zero, every line names the file;
  the untouched gold validates.

Every command runs in process through ``khabar.corpus.cli.main``, so an exception that escapes it is a
traceback a user would see. No input file may change.

Budget: ``KHABAR_FUZZ_EXAMPLES`` examples per property (default 25, what ``make test`` runs); the large
run is ``make fuzz`` (``KHABAR_FUZZ_EXAMPLES=2500``: 12,500 cases over the five properties), which
ends with a ``fuzz:`` summary line of cases and defects. ``test_fuzz_finds_injected_defects`` checks
that the suite can fail: it breaks the layout check and the strict metric on purpose and expects a
counterexample for each.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from conftest import FUZZ_TALLY
from khabar.corpus import cli
from khabar.corpus import format as fmt

EXAMPLES = int(os.environ.get("KHABAR_FUZZ_EXAMPLES", "25"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck), derandomize=EXAMPLES <= 25)
TYPES = ("PERS", "ORG", "GPE", "DATE")
WORDS = ("قال", "وزير", "الخارجية", "في", "بيان", "الحكومة", "مع", "وفد", "من", "المدينة", "يوم", "الأحد")


def run(*argv: str) -> tuple[int, str, str]:
    """``khabar ARGV`` in process: exit code, stdout, stderr. An exception escaping ``main`` fails the
    test, as the traceback it would print is a defect."""
    FUZZ_TALLY["cases"] += 1
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(argv))
    return code, out.getvalue(), err.getvalue()


def refused_naming(path: Path, code: int, out: str, err: str, codes=(2,)) -> None:
    assert code in codes, err
    assert out == ""
    lines = err.splitlines()
    assert lines and all(line.startswith(str(path)) for line in lines), err
    assert all(line.isprintable() for line in lines), err


# --------------------------------------------------------------------------------------------------
# A generated gold corpus


@st.composite
def gold_documents(draw, max_documents: int = 3) -> list[dict]:
    """Valid built documents: words and spaces, a sentence per up to six words, name mentions over
    word ranges that nest but never cross, each mention its own cluster."""
    documents = []
    for d in range(draw(st.integers(1, max_documents))):
        words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=14))
        tokens, position = [], 0
        for word in words:
            tokens.append((position, position + len(word)))
            position += len(word) + 1
        text = " ".join(words)
        sentences = [(tokens[i][0], tokens[min(i + 5, len(tokens) - 1)][1]) for i in range(0, len(tokens), 6)]
        ranges = draw(st.lists(st.tuples(st.integers(0, len(tokens) - 1), st.integers(1, 4), st.sampled_from(TYPES)), max_size=8))
        kept: list[tuple[int, int, str]] = []
        for first, length, label in ranges:
            last = min(first + length, len(tokens)) - 1
            span = (tokens[first][0], tokens[last][1])
            crosses = any(s < span[0] < e < span[1] or span[0] < s < span[1] < e for s, e, _ in kept)
            if not crosses and all((s, e) != span for s, e, _ in kept):
                kept.append((*span, label))
        doc_id = f"doc{d}"
        entities = [
            {"id": f"T{i}", "start": s, "end": e, "text": text[s:e], "type": t, "kind": "name", "entity": f"E{i}"}
            for i, (s, e, t) in enumerate(kept)
        ]
        documents.append(
            {
                "id": doc_id,
                "text": text,
                "meta": {"source_file": f"seeds/{doc_id}.txt", "sha256": hashlib.sha256(text.encode()).hexdigest(), "publisher": "Fuzz", "language": "ar", "split": "test"},
                "sentences": [{"start": s, "end": e} for s, e in sentences],
                "tokens": [{"start": s, "end": e} for s, e in tokens],
                "clusters": [{"id": f"E{i}", "type": t, "canonical": text[s:e]} for i, (s, e, t) in enumerate(kept)],
                "entities": entities,
                "quotes": [],
                "events": [],
            }
        )
    return documents


def predicted_entities(draw, document: dict) -> list[dict]:
    """Spans of the text: copies of gold mentions (some retyped), and spans anywhere."""
    size = len(document["text"])
    copies = [
        {"start": m["start"], "end": m["end"], "type": draw(st.sampled_from((m["type"], *TYPES)))}
        for m in document["entities"]
        if draw(st.booleans())
    ]
    anywhere = draw(st.lists(st.tuples(st.integers(0, size - 1), st.integers(1, size), st.sampled_from(TYPES)), max_size=6))
    return copies + [{"start": s, "end": min(s + n, size), "type": t} for s, n, t in anywhere]


def outermost(spans: set[tuple[int, int, str]]) -> set[tuple[int, int, str]]:
    """Spans inside no larger span (of any type), by comparing every pair."""
    return {a for a in spans if not any(b[0] <= a[0] and a[1] <= b[1] and (b[0], b[1]) != (a[0], a[1]) for b in spans)}


def expected_counts(gold: set, predicted: set, metric: str) -> tuple[int, int, int]:
    """(matched, predicted, gold) of the strict or exact metric. Strict: a predicted (span, type) that
    is a gold one. Exact: a gold span that some prediction has (each gold span is one mention, so
    each is matched once); every other prediction and gold entity counts as not matched."""
    if metric == "strict":
        return len(gold & predicted), len(predicted), len(gold)
    return len({g[:2] for g in gold} & {p[:2] for p in predicted}), len(predicted), len(gold)


def write_lines(directory: Path, name: str, lines: list[str | bytes]) -> Path:
    path = directory / name
    path.write_bytes(b"".join((line if isinstance(line, bytes) else line.encode("utf-8")) + b"\n" for line in lines))
    return path


@contextlib.contextmanager
def workdir():
    with tempfile.TemporaryDirectory(prefix="khabar-fuzz-") as tmp:
        yield Path(tmp)


# --------------------------------------------------------------------------------------------------
# Properties


@st.composite
def scored_cases(draw):
    documents = draw(gold_documents())
    predictions = [{"id": doc["id"], "entities": predicted_entities(draw, doc)} for doc in documents]
    return documents, predictions, draw(st.sampled_from(("flat", "nested")))


def check_scored(case) -> None:
    documents, predictions, layer = case
    with workdir() as tmp:
        gold = write_lines(tmp, "gold.jsonl", [json.dumps(d, ensure_ascii=False) for d in documents])
        pred = write_lines(tmp, "pred.jsonl", [json.dumps(p, ensure_ascii=False) for p in predictions])
        before = gold.read_bytes(), pred.read_bytes()
        argv = ("score", str(pred), "--gold", str(gold), "--task", "entities", "--layer", layer, "--bootstrap", "0", "--format", "json")
        code, out, err = run(*argv)
        assert code == 0, err
        assert run(*argv)[1] == out  # byte-identical
        assert (gold.read_bytes(), pred.read_bytes()) == before
    report = json.loads(out)["entities"]
    for metric in ("strict", "exact"):
        matched = predicted_total = gold_total = 0
        for doc, prediction in zip(documents, predictions):
            g = {(m["start"], m["end"], m["type"]) for m in doc["entities"]}
            p = {(e["start"], e["end"], e["type"]) for e in prediction["entities"]}
            if layer == "flat":
                g, p = outermost(g), outermost(p)
            found = expected_counts(g, p, metric)
            matched, predicted_total, gold_total = matched + found[0], predicted_total + found[1], gold_total + found[2]
        row = report["metrics"][metric]["overall"]
        assert (row["tp"], row["predicted"], row["gold"]) == (matched, predicted_total, gold_total), (metric, row)


SUBMISSION_CORRUPTIONS: dict[str, Callable[[dict, dict], str | bytes]] = {
    "not JSON": lambda p, d: json.dumps(p)[:-1],
    "offset past the text": lambda p, d: json.dumps({**p, "entities": [{"start": 0, "end": len(d["text"]) + 1, "type": "PERS"}]}),
    "reversed span": lambda p, d: json.dumps({**p, "entities": [{"start": 1, "end": 1, "type": "PERS"}]}),
    "unknown label": lambda p, d: json.dumps({**p, "entities": [{"start": 0, "end": 1, "type": "PERSON"}]}),
    "unknown document": lambda p, d: json.dumps({**p, "id": p["id"] + "\n\x1b[31m"}),
    "float offset": lambda p, d: json.dumps({**p, "entities": [{"start": 0.0, "end": 1, "type": "PERS"}]}),
    "text mismatch": lambda p, d: json.dumps({**p, "entities": [{"start": 0, "end": 1, "type": "PERS", "text": "x"}]}),
    "nested too deeply": lambda p, d: '{"id": "' + p["id"] + '", "entities": ' + "[" * 3000 + "]" * 3000 + "}",
    "nested deeply": lambda p, d: '{"id": "' + p["id"] + '", "entities": ' + "[" * 500 + "]" * 500 + "}",
    "huge integer": lambda p, d: '{"id": "' + p["id"] + '", "entities": [{"start": ' + "9" * 5000 + ', "end": 1, "type": "PERS"}]}',
    "lone surrogate": lambda p, d: '{"id": "' + p["id"] + '", "entities": [{"start": 0, "end": 1, "type": "\\udc80"}]}',
    "not UTF-8": lambda p, d: json.dumps(p).encode()[:-1] + b'"\xff"}',
    "long key": lambda p, d: json.dumps({**p, "k" * 100_000: 1}),
    "not an object": lambda p, d: json.dumps([p]),
}


@st.composite
def corrupted_submissions(draw):
    documents = draw(gold_documents())
    predictions = [{"id": doc["id"], "entities": predicted_entities(draw, doc)} for doc in documents]
    target = draw(st.integers(0, len(documents) - 1))
    kind = draw(st.sampled_from(sorted(SUBMISSION_CORRUPTIONS)))
    return documents, predictions, target, kind


def check_corrupted_submission(case) -> None:
    documents, predictions, target, kind = case
    lines: list[str | bytes] = [json.dumps(p, ensure_ascii=False) for p in predictions]
    lines[target] = SUBMISSION_CORRUPTIONS[kind](predictions[target], documents[target])
    with workdir() as tmp:
        gold = write_lines(tmp, "gold.jsonl", [json.dumps(d, ensure_ascii=False) for d in documents])
        pred = write_lines(tmp, "pred.jsonl", lines)
        before = pred.read_bytes()
        code, out, err = run("score", str(pred), "--gold", str(gold), "--bootstrap", "0")
        refused_naming(pred, code, out, err)
        assert len(err) < 2000 * len(err.splitlines()), kind
        assert pred.read_bytes() == before


def iob2_chunks(tags: list[str], offset: int) -> set[tuple[int, int, str]]:
    """Strict IOB2 chunks: a B-X and the I-X that follow it; an I-X that continues nothing is no chunk."""
    chunks, start, label = set(), None, None
    for i, tag in enumerate([*tags, "O"]):
        if start is not None and tag != f"I-{label}":
            chunks.add((offset + start, offset + i, label))
            start = None
        if tag.startswith("B-"):
            start, label = i, tag[2:]
    return chunks


@st.composite
def conll_files(draw):
    tag = st.sampled_from(("O", *(f"{p}-{t}" for p in "BI" for t in TYPES)))
    sentences = draw(st.lists(st.lists(st.tuples(st.sampled_from(WORDS), tag, tag), min_size=1, max_size=8), min_size=1, max_size=5))
    return sentences, draw(st.sampled_from((None, "bad tag", "short line", "not UTF-8")))


def check_conll(case) -> None:
    sentences, corruption = case
    lines: list[str | bytes] = []
    gold_chunks, predicted_chunks, offset = set(), set(), 0
    for sentence in sentences:
        lines += [f"{word} {g} {p}" for word, g, p in sentence] + [""]
        gold_chunks |= iob2_chunks([g for _, g, _ in sentence], offset)
        predicted_chunks |= iob2_chunks([p for _, _, p in sentence], offset)
        offset += len(sentence)
    if corruption == "bad tag":
        lines[0] = lines[0].rsplit(" ", 1)[0] + " X-PERS"
    elif corruption == "short line":
        lines[0] = lines[0].split(" ")[0]
    elif corruption == "not UTF-8":
        lines[0] = lines[0].encode() + b"\xff"
    with workdir() as tmp:
        path = write_lines(tmp, "tags.conll", lines)
        before = path.read_bytes()
        code, out, err = run("score", "--conll", str(path), "--bootstrap", "0", "--format", "json")
        assert path.read_bytes() == before
    if corruption:
        refused_naming(path, code, out, err)
        return
    assert code == 0, err
    row = json.loads(out)["entities"]["metrics"]["strict"]["overall"]
    assert (row["tp"], row["predicted"], row["gold"]) == (len(gold_chunks & predicted_chunks), len(predicted_chunks), len(gold_chunks))


def _reverse_tokens(d: dict) -> str:
    d["tokens"] = d["tokens"][::-1] if len(d["tokens"]) > 1 else d["tokens"] + d["tokens"]
    return json.dumps(d, ensure_ascii=False)


GOLD_CORRUPTIONS: dict[str, Callable[[dict], str | bytes]] = {
    "tokens out of order": _reverse_tokens,
    "sentence repeated": lambda d: json.dumps({**d, "sentences": d["sentences"] + d["sentences"]}, ensure_ascii=False),
    "token past the text": lambda d: json.dumps({**d, "tokens": d["tokens"] + [{"start": 0, "end": len(d["text"]) + 1}]}, ensure_ascii=False),
    "id ending in a line break": lambda d: json.dumps(
        {**d, "entities": [{**m, "id": m["id"] + "\n"} for m in d["entities"]]} if d["entities"] else {**d, "id": d["id"] + "\n"}, ensure_ascii=False
    ),
    "document id ending in a line break": lambda d: json.dumps({**d, "id": d["id"] + "\n"}, ensure_ascii=False),
    "wrong sha256": lambda d: json.dumps({**d, "meta": {**d["meta"], "sha256": "0" * 64}}, ensure_ascii=False),
    "lone surrogate in the text": lambda d: json.dumps({**d, "text": d["text"] + "\ud800"}, ensure_ascii=True),
    "deep meta": lambda d: json.dumps({**d, "meta": {**d["meta"], "x": 0}}, ensure_ascii=False).replace('"x": 0', '"x": ' + "[" * 600 + "]" * 600),
    "huge integer": lambda d: json.dumps(d, ensure_ascii=False).replace('"tokens": [', '"tokens": [{"start": 0, "end": 1' + "0" * 5000 + "}, ", 1),
    "missing layer": lambda d: json.dumps({k: v for k, v in d.items() if k != "entities"}, ensure_ascii=False),
    "unknown cluster": lambda d: json.dumps({**d, "entities": [{"id": "TX", "start": 0, "end": 1, "text": d["text"][0], "type": "PERS", "kind": "name", "entity": "nowhere"}]}, ensure_ascii=False),
    "not UTF-8": lambda d: json.dumps(d, ensure_ascii=False).encode()[:-1] + b', "\xfe": 1}',
}


@st.composite
def corrupted_gold(draw):
    documents = draw(gold_documents())
    target = draw(st.integers(0, len(documents) - 1))
    return documents, target, draw(st.sampled_from((None, *sorted(GOLD_CORRUPTIONS))))


def check_corrupted_gold(case) -> None:
    documents, target, kind = case
    lines: list[str | bytes] = [json.dumps(d, ensure_ascii=False) for d in documents]
    if kind is not None:
        lines[target] = GOLD_CORRUPTIONS[kind](json.loads(lines[target]))
    with workdir() as tmp:
        gold = write_lines(tmp, "gold.jsonl", lines)
        before = gold.read_bytes()
        code, out, err = run("validate", str(gold))
        assert gold.read_bytes() == before
    if kind is None:
        assert code == 0 and err == "", err
    else:
        refused_naming(gold, code, out, err, codes=(1, 2))


@FUZZ
@given(scored_cases())
def test_fuzz_valid_submissions_score_the_counts_worked_out_here(case):
    check_scored(case)


@FUZZ
@given(corrupted_submissions())
def test_fuzz_corrupted_submissions_are_refused_in_clear_lines(case):
    check_corrupted_submission(case)


@FUZZ
@given(conll_files())
def test_fuzz_conll_files(case):
    check_conll(case)


@FUZZ
@given(corrupted_gold())
def test_fuzz_corrupted_gold_fails_validation(case):
    check_corrupted_gold(case)


@FUZZ
@given(st.binary(max_size=300))
def test_fuzz_arbitrary_bytes_as_a_submission(data):
    with workdir() as tmp:
        pred = tmp / "pred.jsonl"
        pred.write_bytes(data)
        code, out, err = run("score", str(pred), "--split", "all", "--bootstrap", "0")
        assert pred.read_bytes() == data
    refused_naming(pred, code, out, err)


# --------------------------------------------------------------------------------------------------
# The suite can fail


def _finds_defect(strategy, check, examples: int = 200) -> bool:
    # no shrinking: that a counterexample exists is the point, not its smallest form
    @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck), derandomize=True, phases=(Phase.generate,))
    @given(strategy)
    def probe(case):
        check(case)

    try:
        probe()
    except Exception:  # the counterexample's own error, or hypothesis's group of them
        return True
    return False


def test_fuzz_finds_injected_defects(monkeypatch):
    """Without the layout order check, a gold with tokens out of order validates; with a strict metric
    that ignores types, the strict counts differ from those worked out here. Hypothesis must find both."""
    with monkeypatch.context() as patch:
        patch.setattr(fmt._DocumentChecker, "check_layout", lambda self, layer: None)
        patch.setattr(fmt, "_layout_is_well_formed", lambda obj: False)
        assert _finds_defect(corrupted_gold(), check_corrupted_gold)
    from khabar.scorers import entities

    with monkeypatch.context() as patch:
        patch.setitem(entities.RANKS, "strict", entities.RANKS["exact"])
        assert _finds_defect(scored_cases(), check_scored)
    FUZZ_TALLY["injected"] = 2
    # and without the injection, the same probes find nothing
    assert not _finds_defect(corrupted_gold(), check_corrupted_gold, examples=50)
