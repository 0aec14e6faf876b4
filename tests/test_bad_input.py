"""Every `khabar` subcommand fed bad input, as a user would: one line naming the file, the line or
document and the field, a non-zero exit (2 for unusable input, 1 for gold that fails validation), no
traceback, no number printed, and the user's files byte for byte as they were."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import annotation_file, load_json, run_khabar, save_json
from khabar.corpus import format as fmt


def refused(result, expected: list[str], code: int = 2) -> None:
    """The command failed with exactly these stderr lines and printed nothing on stdout."""
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == code, result.stderr
    assert result.stderr.splitlines() == expected
    assert result.stdout == ""


def write(path: Path, content: str | bytes) -> tuple[Path, bytes]:
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path, path.read_bytes()


@pytest.fixture(scope="module")
def document(corpus) -> fmt.Document:
    return corpus[0]


def record(doc_id: str, **layers) -> str:
    return json.dumps({"id": doc_id, **layers}) + "\n"


# --------------------------------------------------------------------------------------------------
# Prediction files (khabar score, compare, view go through format.read_predictions)


def _prediction_cases(doc: fmt.Document) -> dict[str, tuple[str, str]]:
    """name -> (file content, the one expected problem after ``<file>:1``)."""
    i, size = doc.id, len(doc.text)
    entity = lambda start, end: {"entities": [{"start": start, "end": end, "type": "PERS"}]}  # noqa: E731
    trigger = {"type": "Conflict:Attack", "trigger": {"start": 0, "end": 3}}
    return {
        # JSON Schema counts 3.0 as an integer; Python then compared it equal to 3 and scored it
        "float offset": (record(i, **entity(1.0, 5)), f" ({i}): entities[0].start: 1.0 is not of type 'integer'"),
        "float quote offset": (
            record(i, quotes=[{"type": "direct", "content": {"start": 0, "end": 3.0}}]),
            f" ({i}): quotes[0].content.end: 3.0 is not of type 'integer'",
        ),
        "float argument offset": (
            record(i, events=[{**trigger, "arguments": [{"role": "Attacker", "start": 0.0, "end": 3}]}]),
            f" ({i}): events[0].arguments[0].start: 0.0 is not of type 'integer'",
        ),
        "boolean offset": (record(i, **entity(0, True)), f" ({i}): entities[0].end: True is not of type 'integer'"),
        "NaN offset": (record(i, **entity(0, 5)).replace('"start": 0', '"start": NaN'), f" ({i}): entities[0].start: nan is not of type 'integer'"),
        "huge offset": (record(i, **entity(0, 10**30)), f" ({i}): entities[0].end: {10**30} is past the end of the text ({size} characters)"),
        "negative offset": (record(i, **entity(-1, 5)), f" ({i}): entities[0].start: -1 is less than the minimum of 0"),
        "empty span": (record(i, **entity(5, 5)), f" ({i}): entities[0].start: 5 is not before end 5"),
        "reversed span": (record(i, **entity(6, 5)), f" ({i}): entities[0].start: 6 is not before end 5"),
        "span text mismatch": (
            record(i, entities=[{"start": 0, "end": 3, "text": "xyz", "type": "PERS"}]),
            f' ({i}): entities[0].text: "xyz" does not match the text at 0:3, {json.dumps(doc.text[:3], ensure_ascii=False)}',
        ),
        "unknown document": (record("no-such-doc", entities=[]), " (no-such-doc): id: unknown document id 'no-such-doc'"),
        "empty document id": (record("", entities=[]), ": id: '' should be non-empty"),
        "unknown entity type": (record(i, entities=[{"start": 0, "end": 3, "type": "XYZ"}]), f" ({i}): entities[0].type: 'XYZ' is not one of the allowed values"),
        "unknown quote type": (
            record(i, quotes=[{"type": "weird", "content": {"start": 0, "end": 3}}]),
            f" ({i}): quotes[0].type: 'weird' is not one of the allowed values",
        ),
        "unknown event subtype": (
            record(i, events=[{**trigger, "type": "Life:Nope"}]),
            f" ({i}): events[0].type: 'Life:Nope' is not one of the allowed values (did you mean 'Life:Die'?)",
        ),
        "tag instead of a type": (
            record(i, entities=[{"start": 0, "end": 3, "type": "B-GPE"}]),
            f" ({i}): entities[0].type: 'B-GPE' is not one of the allowed values (did you mean 'GPE'?)",
        ),
        "another corpus's type": (
            record(i, entities=[{"start": 0, "end": 3, "type": "PER"}]),
            f" ({i}): entities[0].type: 'PER' is not one of the allowed values (did you mean 'PERS'?)",
        ),
        "subtype without its type": (
            record(i, events=[{**trigger, "type": "Meet"}]),
            f" ({i}): events[0].type: 'Meet' is not one of the allowed values (did you mean 'Contact:Meet'?)",
        ),
        "misspelt role": (
            record(i, events=[{**trigger, "arguments": [{"role": "attackers", "start": 0, "end": 3}]}]),
            f" ({i}): events[0].arguments[0].role: 'attackers' is not a role of Conflict:Attack (did you mean 'Attacker'?); "
            f"its roles: {', '.join(fmt.labels()['event_roles']['Conflict:Attack'])}",
        ),
        "score that is not a number": (
            record(i, entities=[{"start": 0, "end": 3, "type": "PERS", "score": "high"}]),
            f" ({i}): entities[0].score: 'high' is not of type 'number'",
        ),
        "score that is not finite": (
            record(i, entities=[{"start": 0, "end": 3, "type": "PERS", "score": float("nan")}]),
            f" ({i}): entities[0].score: nan is not a finite number",
        ),
        "role of another subtype": (
            record(i, events=[{**trigger, "arguments": [{"role": "Buyer", "start": 0, "end": 3}]}]),
            f" ({i}): events[0].arguments[0].role: 'Buyer' is not a role of Conflict:Attack; "
            f"its roles: {', '.join(fmt.labels()['event_roles']['Conflict:Attack'])}",
        ),
        "extra field": (record(i, entities=[], score=1), f" ({i}): Additional properties are not allowed ('score' was unexpected)"),
        "missing id": (json.dumps({"entities": []}) + "\n", ": 'id' is a required property"),
        "layer of the wrong type": (record(i, entities={}), f" ({i}): entities: {{}} is not of type 'array'"),
        "JSON but not an object": ("[1, 2]\n", ": [1, 2] is not of type 'object'"),
    }


CASE_NAMES = sorted(_prediction_cases(fmt.Document("x", "x" * 10, {})))


@pytest.mark.parametrize("name", CASE_NAMES)
def test_bad_prediction_record_is_one_line_naming_line_document_and_field(tmp_path, document, name):
    content, problem = _prediction_cases(document)[name]
    path, before = write(tmp_path / "pred.jsonl", content)
    result = run_khabar("score", str(path), "--split", "all", "--bootstrap", "0")
    refused(result, [f"{path}:1{problem}"])
    assert path.read_bytes() == before


def test_whole_file_problems(tmp_path, document):
    line = record(document.id, entities=[])
    cases = {
        "empty.jsonl": ("", ": no prediction in the file (expected one JSON object per line, see docs/format.md)"),
        "array.jsonl": (f"[{line.strip()}]\n", f":1: [{{'id': {document.id!r}, 'entities': []}}] is not of type 'object'"),
        "duplicate.jsonl": (line + line, f":2 ({document.id}): id: duplicate document {document.id!r} (first on line 1)"),
        # the byte is counted from the start of the file, not from the start of a read buffer
        "latin1.jsonl": (line.encode() * 500 + b'{"id": "caf\xe9"}\n', f":501: not UTF-8 text (invalid continuation byte at byte {len(line) * 500 + 11})"),
    }
    for name, (content, problem) in cases.items():
        path, before = write(tmp_path / name, content)
        refused(run_khabar("score", str(path), "--split", "all", "--bootstrap", "0"), [f"{path}{problem}"])
        assert path.read_bytes() == before


def test_not_a_file(tmp_path):
    refused(run_khabar("score", str(tmp_path), "--split", "all", "--bootstrap", "0"), [f"{tmp_path}: is a directory, not a JSON Lines file"])
    refused(run_khabar("score", str(tmp_path / "missing.jsonl"), "--split", "all", "--bootstrap", "0"), [f"{tmp_path / 'missing.jsonl'}: no such file"])


def test_byte_order_mark_and_crlf_are_read_like_plain_utf8(tmp_path, document):
    line = record(document.id, entities=[])
    plain, _ = write(tmp_path / "plain.jsonl", line)
    marked, before = write(tmp_path / "marked.jsonl", "\ufeff" + line.replace("\n", "\r\n"))
    expected = run_khabar("score", str(plain), "--split", "all", "--task", "entities", "--bootstrap", "0", "--format", "json")
    result = run_khabar("score", str(marked), "--split", "all", "--task", "entities", "--bootstrap", "0", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected.stdout
    assert marked.read_bytes() == before


def test_task_without_a_submitted_layer_is_refused_not_scored_zero(tmp_path, corpus):
    path, before = write(tmp_path / "entities-only.jsonl", "".join(record(doc.id, entities=[]) for doc in corpus))
    refused(
        run_khabar("score", str(path), "--split", "all", "--task", "quotes", "--bootstrap", "0"),
        [f"{path}: quotes: no document has this layer, so --task quotes has nothing to score"],
    )
    refused(
        run_khabar("compare", str(path), str(path), "--split", "all", "--task", "events", "--bootstrap", "1"),
        [f"{path}: events: no document has this layer, so --task events has nothing to score"],
    )
    assert path.read_bytes() == before


def test_gold_file_without_documents(tmp_path, document):
    pred, _ = write(tmp_path / "pred.jsonl", record(document.id, entities=[]))
    gold, before = write(tmp_path / "gold.jsonl", "\n")
    refused(run_khabar("score", str(pred), "--gold", str(gold)), [f"{gold}: no document in the file"])
    refused(run_khabar("stats", "--data", str(gold)), [f"{gold}: no document in the file"])
    assert gold.read_bytes() == before


# --------------------------------------------------------------------------------------------------
# CoNLL files


def test_conll_problems(tmp_path):
    cases = {
        "empty.conll": ("", ": no token line (expected a token and its gold and predicted tags on each line)"),
        "docstart-only.conll": ("-DOCSTART- O O\n\n", ": no token line (expected a token and its gold and predicted tags on each line)"),
        # lines of several lengths are Wojood's nested form, where a line holds pairs of tags
        "columns.conll": (
            "-DOCSTART- O O\n\na B-PERS B-PERS\nb I-PERS\n",
            ":4: 2 columns: expected a token, its gold tags and as many predicted ones (lines of several lengths are "
            "read in Wojood's nested form; --layers or --columns says otherwise)",
        ),
        # the file of khabar export conll, comments and all, before a system's column is added
        "gold-only.conll": (
            "# sent_id = 1\na O\nb B-PERS\n",
            ":2: 2 columns; expected a token, then as many predicted tag columns as gold ones (3 for 1 layer); "
            "a file of `khabar export conll` holds the gold tags only: add the predicted ones",
        ),
        "tags.conll": (
            "a B-PERS S-PERS\nb O o\n",
            ":1: column 3: invalid tag 'S-PERS' (expected O, B-TYPE or I-TYPE, the tags of IOB2; --scheme chooses another)\n"
            "{path}:2: column 3: invalid tag 'o' (expected O, B-TYPE or I-TYPE, the tags of IOB2; --scheme chooses another)",
        ),
    }
    for name, (content, problem) in cases.items():
        path, before = write(tmp_path / name, content)
        refused(run_khabar("score", "--conll", str(path), "--bootstrap", "0"), f"{path}{problem}".replace("{path}", str(path)).splitlines())
        assert path.read_bytes() == before
    refused(run_khabar("score", "--conll", str(tmp_path), "--bootstrap", "0"), [f"{tmp_path}: is a directory, not a CoNLL file"])
    path, _ = write(tmp_path / "ok.conll", "a B-PERS B-PERS\n")
    refused(run_khabar("score", "--conll", str(path), "--columns", "2"), ["score: --columns '2': expected GOLD,PREDICTED field numbers, such as 4,5 or 2-3,4-5"])
    refused(run_khabar("score", "--conll", str(path), "--columns", "2,3", "--layers", "1"), ["score: give --columns or --layers, not both"])


def test_conll_byte_order_mark_tabs_crlf_and_last_line_without_newline(tmp_path):
    plain, _ = write(tmp_path / "plain.conll", "-DOCSTART- O O\n\na B-PERS B-PERS\nb I-PERS O\n\nc O B-GPE\n")
    odd, before = write(tmp_path / "odd.conll", "\ufeff-DOCSTART- O O\r\n\r\na\tB-PERS\tB-PERS\r\nb  I-PERS O\r\n\r\nc O\tB-GPE")
    expected = run_khabar("score", "--conll", str(plain), "--bootstrap", "0", "--format", "json")
    result = run_khabar("score", "--conll", str(odd), "--bootstrap", "0", "--format", "json")
    assert result.returncode == 0, result.stderr
    strip = lambda out: {k: v for k, v in json.loads(out)["entities"].items() if k != "signature"}  # noqa: E731 (the file hash differs)
    assert strip(result.stdout) == strip(expected.stdout)
    assert odd.read_bytes() == before


# --------------------------------------------------------------------------------------------------
# Gold annotation files (khabar validate: exit 1)


def _corrupt(repo_copy, change) -> tuple[str, bytes]:
    path = annotation_file(repo_copy)
    doc = load_json(path)
    change(doc)
    save_json(path, doc)
    return f"corpus/annotations/{path.name}", path.read_bytes()


@pytest.mark.parametrize(
    "field, path_of",
    [
        (lambda d: d["entities"][0], lambda d: "entities[0].start"),
        (lambda d: d["quotes"][0]["content"], lambda d: "quotes[0].content.start"),
        (lambda d: d["events"][0]["trigger"], lambda d: "events[0].trigger.start"),
    ],
    ids=["mention", "quote content", "event trigger"],
)
def test_gold_float_offset_is_a_validation_failure_not_a_traceback(repo_copy, field, path_of):
    original = load_json(annotation_file(repo_copy))
    start = field(original)["start"]
    where, before = _corrupt(repo_copy, lambda d: field(d).__setitem__("start", float(field(d)["start"])))
    refused(run_khabar("validate", root=repo_copy), [f"{where}: {path_of(original)}: {float(start)!r} is not of type 'integer'"], code=1)
    assert annotation_file(repo_copy).read_bytes() == before


def test_built_corpus_float_token_offset_is_refused(repo_copy):
    data = fmt.gold_files(repo_copy / "corpus" / "data")[0]
    doc = json.loads(data.read_text(encoding="utf-8").splitlines()[0])
    doc["tokens"][0]["end"] = float(doc["tokens"][0]["end"])
    path, before = write(repo_copy / "broken.jsonl", json.dumps(doc, ensure_ascii=False) + "\n")
    refused(
        run_khabar("validate", str(path), root=repo_copy),
        [f"broken.jsonl:1: tokens[0].end: {doc['tokens'][0]['end']!r} is not of type 'integer'"],
        code=1,
    )
    assert path.read_bytes() == before


def test_wrong_top_level_value_is_named_in_a_short_line(repo_copy):
    """A JSON array around the document: the message clips the value instead of printing the article."""
    path = annotation_file(repo_copy)
    path.write_text(json.dumps([load_json(path)], ensure_ascii=False), encoding="utf-8")
    before = path.read_bytes()
    result = run_khabar("validate", root=repo_copy)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    [line] = result.stderr.splitlines()
    assert line.startswith(f"corpus/annotations/{path.name}: [{{'id': ") and line.endswith("... is not of type 'object'"), line
    assert len(line) < 200
    assert path.read_bytes() == before


def test_wrong_reference_type_names_what_the_field_may_be(repo_copy):
    where, before = _corrupt(repo_copy, lambda d: d["quotes"][0].__setitem__("source", 3))
    refused(run_khabar("validate", root=repo_copy), [f"{where}: quotes[0].source: 3 is neither an id nor null"], code=1)
    assert annotation_file(repo_copy).read_bytes() == before


def test_validate_a_path_that_is_not_a_file(tmp_path):
    refused(run_khabar("validate", str(tmp_path), str(tmp_path / "nope.json")), [f"{tmp_path}: is a directory, not a file", f"{tmp_path / 'nope.json'}: no such file"])


# --------------------------------------------------------------------------------------------------
# khabar baseline run


def test_baseline_input_problems(tmp_path):
    good = json.dumps({"id": "a", "text": "قال"}) + "\n"
    cases = {
        "empty.txt": ("", ": no text to run the baseline on (the file is empty)"),
        "empty.jsonl": ("\n", ': no document in the file (expected one {"id", "text"} object per line)'),
        # the bad byte follows the 21 bytes of '{"id": "b", "text": "' on line 2
        "late.jsonl": (good.encode() + b'{"id": "b", "text": "\xff"}\n', f":2: not UTF-8 text (invalid start byte at byte {len(good.encode()) + 21})"),
        "binary.bin": (bytes(range(256)), ":2: not UTF-8 text (invalid start byte at byte 128)"),
    }
    for name, (content, problem) in cases.items():
        path, before = write(tmp_path / name, content)
        out = tmp_path / f"{name}.out"
        refused(run_khabar("baseline", "run", "rules", "--input", str(path), "--out", str(out)), [f"{path}{problem}"])
        assert path.read_bytes() == before and not out.exists()


def test_baseline_jsonl_with_byte_order_mark(tmp_path):
    path, before = write(tmp_path / "in.jsonl", "\ufeff" + json.dumps({"id": "a", "text": "قال"}) + "\n")
    result = run_khabar("baseline", "run", "trivial", "--input", str(path))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["id"] == "a"
    assert path.read_bytes() == before


def test_baseline_output_problems(tmp_path):
    source, before = write(tmp_path / "article.txt", "قال الوزير في بغداد")
    missing = tmp_path / "no-such-dir" / "out.jsonl"
    refused(run_khabar("baseline", "run", "rules", "--input", str(source), "--out", str(missing)), [f"{missing.parent}: no such directory (--out {missing})"])
    refused(run_khabar("baseline", "run", "rules", "--input", str(source), "--out", str(tmp_path)), [f"{tmp_path}: is a directory; --out names the file to write"])
    refused(run_khabar("baseline", "run", "rules", "--input", str(source), "--out", str(source)), [f"{source}: --out would overwrite the input"])
    assert source.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["article.txt"]


# --------------------------------------------------------------------------------------------------
# view, export, import, evaluate, record-release


def test_view_never_writes_over_its_input(tmp_path, document):
    pred, before = write(tmp_path / "pred.jsonl", record(document.id, entities=[]))
    refused(run_khabar("view", "--pred", str(pred), "--out", str(pred)), [f"{pred}: --out would overwrite an input"])
    assert pred.read_bytes() == before
    page = tmp_path / "missing" / "page.html"
    refused(run_khabar("view", "--out", str(page)), [f"{page.parent}: no such directory (--out {page})"])


def test_export_and_import_paths_of_the_wrong_kind(tmp_path):
    a_file, before = write(tmp_path / "a_file.txt", "x")
    refused(run_khabar("export", "conll", "--out", str(a_file)), [f"{a_file}: not a directory (--out names the directory to write into)"])
    refused(run_khabar("export", "brat", "--out", str(a_file)), [f"{a_file}: not a directory (--out names the directory to write into)"])
    nowhere = tmp_path / "nowhere"
    refused(run_khabar("export", "brat", "--annotations", str(nowhere), "--out", str(tmp_path / "brat")), [f"{nowhere}: no such directory (--annotations)"])
    refused(run_khabar("import", "brat", str(a_file), "--out", str(tmp_path / "ann")), [f"{a_file}: not a directory"])
    assert a_file.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a_file.txt"]


def test_export_conll_of_an_empty_corpus(tmp_path):
    data, _ = write(tmp_path / "documents.jsonl", "")
    refused(run_khabar("export", "conll", "--data", str(data), "--out", str(tmp_path / "out")), [f"{data}: no document in the file"])
    assert not (tmp_path / "out").exists()


def test_evaluate_out_is_a_file(repo_copy):
    target, before = write(repo_copy / "results.txt", "mine")
    refused(run_khabar("evaluate", "--out", str(target), root=repo_copy), ["results.txt: not a directory (--out names the directory to write into)"])
    assert target.read_bytes() == before


def test_record_release_with_a_manifest_of_the_wrong_shape(repo_copy):
    manifest, _ = write(repo_copy / "corpus" / "data" / "MANIFEST.json", '{"data_version": "0.1.0"}')
    releases, before = write(repo_copy / "corpus" / "releases.json", "{}\n")
    refused(
        run_khabar("record-release", root=repo_copy),
        ["corpus/data/MANIFEST.json: not a build manifest (data_version, files with their sha256); run `khabar build`"],
    )
    assert releases.read_bytes() == before
