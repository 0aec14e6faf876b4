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
        "array.jsonl": (f"[{line.strip()}]\n", ": is a JSON array, not JSON Lines: write one JSON object per line (for example `jq -c '.[]' FILE`)"),
        "duplicate.jsonl": (line + line, f":2 ({document.id}): id: duplicate document {document.id!r} (first on line 1)"),
        # the byte is counted from the start of the file, not from the start of a read buffer
        "latin1.jsonl": (line.encode() + b" \n" * 5000 + b'{"id": "caf\xe9"}\n', f":5002: not UTF-8 text (invalid continuation byte at byte {len(line) + 10000 + 11})"),
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


# --------------------------------------------------------------------------------------------------
# Inputs a fuzzer found (issue 16): each reproducing input gives one line, never a traceback


def _score(path: Path, *more: str):
    return run_khabar("score", str(path), "--split", "all", "--bootstrap", "0", *more)


def test_json_python_cannot_hold_is_one_line_per_record(tmp_path, corpus):
    """Nesting past Python's stack (json.loads), nesting that jsonschema's message builder would recurse
    through, an integer of 5,000 digits, and lone surrogate escapes in a key and in a label."""
    document = corpus[1]
    doc_id = json.dumps(document.id)
    lines = {
        2: ('{"id": ' + doc_id + ', "entities": ' + "[" * 2000 + "]" * 2000 + "}", "not readable: JSON nested too deeply (about 1,000 levels)"),
        3: ('{"id": ' + doc_id + ', "entities": ' + "[" * 800 + "]" * 800 + "}", None),
        4: ('{"id": ' + doc_id + ', "entities": [{"start": 1' + "0" * 5000 + ', "end": 2, "type": "PERS"}]}', "not readable: an integer of more than 4300 digits"),
        5: ('{"id": ' + doc_id + ', "\\udc00x": 1}', None),
        6: ('{"id": ' + doc_id + ', "entities": [{"start": 0, "end": 1, "type": "\\ud800"}]}', None),
    }
    content = record(corpus[0].id, entities=[]) + "".join(line + "\n" for line, _ in lines.values())
    path, before = write(tmp_path / "pred.jsonl", content)
    where = f"{path}"
    deep_path = "entities" + "[0]" * 7 + "..."
    refused(
        _score(path),
        [
            f"{where}:2: not readable: JSON nested too deeply (about 1,000 levels)",
            f"{where}:3 ({document.id}): {deep_path}: nested more than {fmt.MAX_DEPTH} levels deep",
            f"{where}:4: not readable: an integer of more than 4300 digits",
            f"{where}:5: \\udc00x (a key): holds a lone surrogate escape (\\ud800 to \\udfff without its pair), which is not a character",
            f"{where}:6: entities[0].type: holds a lone surrogate escape (\\ud800 to \\udfff without its pair), which is not a character",
        ],
    )
    assert path.read_bytes() == before


def test_lone_surrogate_in_gold_text_is_refused_before_hashing_or_building(repo_copy):
    path = annotation_file(repo_copy)
    raw = path.read_text(encoding="utf-8")
    obj = json.loads(raw)
    broken = raw.replace(json.dumps(obj["text"], ensure_ascii=False), json.dumps(obj["text"][:5], ensure_ascii=False)[:-1] + '\\ud83d"', 1)
    assert broken != raw
    path.write_text(broken, encoding="utf-8")
    where = f"corpus/annotations/{path.name}"
    message = "holds a lone surrogate escape (\\ud800 to \\udfff without its pair), which is not a character"
    refused(run_khabar("validate", root=repo_copy), [f"{where}: text: {message}"], code=1)
    refused(run_khabar("build", root=repo_copy), [f"{where}: text: {message}"], code=1)


def test_id_ending_in_a_line_break_fails_validation(repo_copy):
    """jsonschema-rs refuses "E1\\n"; Python's `$` matched before the line break, so jsonschema found
    no error and the file passed. Patterns now anchor at the very end in both."""
    original = load_json(annotation_file(repo_copy))
    mention_id = original["entities"][0]["id"]
    where, before = _corrupt(repo_copy, lambda d: d["entities"][0].__setitem__("id", d["entities"][0]["id"] + "\n"))
    result = run_khabar("validate", root=repo_copy)
    refused(result, [f"{where}: entities[0].id: {mention_id + chr(10)!r} does not match '^[A-Za-z][A-Za-z0-9_-]*$'".replace("\n", "\\n")], code=1)
    assert annotation_file(repo_copy).read_bytes() == before


def test_every_schema_pattern_anchors_at_the_end_of_the_string():
    patterns = [value["pattern"] for _, value in fmt._walk(fmt._schema_resources()) if isinstance(value, dict) and isinstance(value.get("pattern"), str)]
    assert len(patterns) >= 3
    for pattern in patterns:
        regex = fmt._python_regex(pattern)
        assert regex.pattern.endswith(r"\Z"), pattern
        sample = {"^[0-9a-f]{64}$": "0" * 64}.get(pattern, "E1")
        assert regex.search(sample) and not regex.search(sample + "\n"), pattern
    assert fmt._python_regex(r"^a[$]\$$").pattern == r"^a[$]\$\Z"


def test_fast_check_failing_without_a_message_is_an_error_not_a_pass(monkeypatch, corpus):
    obj = fmt.document_to_json(corpus[0])
    assert fmt.check_document(obj, "doc", seed_check=False) == []
    monkeypatch.setattr(fmt, "_fast_check", lambda name: lambda instance: False)
    [problem] = fmt.check_document(obj, "doc", seed_check=False)
    assert "jsonschema-rs refuses it and jsonschema finds no reason" in problem.message


def _gold_with(tmp_path, corpus, change) -> Path:
    """A --gold file of the checkout's documents, the first one changed by ``change``."""
    lines = []
    for i, doc in enumerate(corpus):
        obj = fmt.document_to_json(doc)
        if i == 0:
            change(obj)
        lines.append(json.dumps(obj, ensure_ascii=False) + "\n")
    return write(tmp_path / "gold.jsonl", "".join(lines))[0]


@pytest.mark.parametrize(
    "change, problem",
    [
        (lambda d: d["tokens"].reverse(), lambda d: f"tokens[1].start: {d['tokens'][-2]['start']} is before the end of tokens[0] ({d['tokens'][-1]['end']})"),
        (lambda d: d["sentences"].insert(1, dict(d["sentences"][0])), lambda d: f"sentences[1].start: {d['sentences'][0]['start']} is before the end of sentences[0] ({d['sentences'][0]['end']})"),
        (lambda d: d["tokens"].append({"start": 0, "end": len(d["text"]) + 1}), lambda d: f"tokens[{len(d['tokens'])}].end: {len(d['text']) + 1} is past the end of the text ({len(d['text'])} characters)"),
    ],
    ids=["tokens reversed", "sentence repeated", "token past the text"],
)
def test_gold_layout_out_of_order_or_bounds_is_refused(tmp_path, corpus, change, problem):
    """Reversed tokens scored content overlap 0.00 instead of 46.15 with exit 0: the layout is now
    checked as the scorers use it, sorted and without overlaps."""
    original = fmt.document_to_json(corpus[0])
    gold = _gold_with(tmp_path, corpus, change)
    pred, _ = write(tmp_path / "pred.jsonl", "".join(fmt.dumps_line(fmt.prediction_to_json(fmt.prediction_from_document(d))) + "\n" for d in corpus))
    expected = f"{gold}:1: {problem(original)}"
    suffix = " must be in text order and must not overlap"
    lines = [expected + (f": {'tokens' if 'tokens' in expected.split(': ')[1] else 'sentences'}{suffix}" if "before the end" in expected else "")]
    refused(_score(pred, "--gold", str(gold)), lines)
    refused(run_khabar("validate", str(gold)), lines, code=1)


def test_writes_never_follow_a_link(tmp_path, repo_copy):
    brat = tmp_path / "brat"
    assert run_khabar("export", "brat", "--out", str(brat), root=repo_copy).returncode == 0
    doc_id = annotation_file(repo_copy).stem
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me", encoding="utf-8")
    out = tmp_path / "ann"
    out.mkdir()
    # import: a dangling link is there already; with --force, a link to a file outside --out is refused
    (out / f"{doc_id}.json").symlink_to(tmp_path / "nowhere.json")
    refused(run_khabar("import", "brat", str(brat), "--out", str(out), root=repo_copy), [f"{out / doc_id}.json: already exists; not overwriting it (use --force)"])
    assert not (tmp_path / "nowhere.json").exists()
    (out / f"{doc_id}.json").unlink()
    (out / f"{doc_id}.json").symlink_to(outside)
    link_refused = "is a symbolic link; Khabar writes no file through a link (remove the link, or write elsewhere)"
    refused(run_khabar("import", "brat", str(brat), "--out", str(out), "--force", root=repo_copy), [f"{out / doc_id}.json: {link_refused}"])
    assert sorted(p.name for p in out.iterdir()) == [f"{doc_id}.json"] and outside.read_text(encoding="utf-8") == "keep me"
    # export: the text file of a document is a link; nothing is written, the linked file is kept
    (brat / f"{doc_id}.txt").unlink()
    (brat / f"{doc_id}.txt").symlink_to(outside)
    before = {p.name: p.read_bytes() for p in brat.iterdir() if not p.is_symlink()}
    refused(run_khabar("export", "brat", "--out", str(brat), "--force", root=repo_copy), [f"{brat / doc_id}.txt: {link_refused}"])
    assert outside.read_text(encoding="utf-8") == "keep me"
    assert {p.name: p.read_bytes() for p in brat.iterdir() if not p.is_symlink()} == before


def test_write_text_replaces_the_file_whole_with_the_usual_mode(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    fmt.write_text(target, "new\r\n")
    assert target.read_bytes() == b"new\r\n"
    assert target.stat().st_mode & 0o777 == 0o666 & ~fmt._umask()
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_adversarial_overlap_is_refused_in_bounded_time(tmp_path, corpus):
    """Long predicted entities, each covering most of its document's mentions, enough of them that the
    candidate pairs are twice the bound of 16 a span beyond 100,000, whatever the corpus size
    (benchmarks/overlap_bound.py measures time and memory of the 50,000-entity case)."""
    from khabar.scorers.core import PAIRS_ALLOWED, PAIRS_PER_ITEM

    gold_mentions = sum(len(fmt.ner_mentions(doc)) for doc in corpus)
    # m spans a document cover about all gold mentions: pairs ≈ m·G against the bound A + 16·(m·D + G);
    # twice the bound needs m·(G − 32·D) > 2·(A + 16·G)
    margin = gold_mentions - 2 * PAIRS_PER_ITEM * len(corpus)
    assert margin > 0, "too few gold mentions a document for this case"
    per_document = 2 * (PAIRS_ALLOWED + PAIRS_PER_ITEM * gold_mentions) // margin + 1
    records = []
    for doc in corpus:
        n = len(doc.text) // 10
        spans = [{"start": k, "end": len(doc.text) - j, "type": "PERS"} for k in range(n) for j in range(n)][:per_document]
        records.append(record(doc.id, entities=spans))
    path, _ = write(tmp_path / "pred.jsonl", "".join(records))
    result = _score(path, "--task", "entities", "--layer", "nested")
    assert result.returncode == 2 and "Traceback" not in result.stderr and result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith(f"{path}: entities: ") and "overlapping (predicted, gold) candidate pairs" in line and "in document" in line


def test_overlap_bound_counts_pairs_before_building_them():
    from khabar.scorers.core import PAIRS_ALLOWED, PAIRS_PER_ITEM, TooManyOverlaps, overlapping_index_pairs
    import numpy as np

    gold_start = np.arange(0, 2000, 2)  # 1,000 one-character gold spans
    n = (PAIRS_ALLOWED + PAIRS_PER_ITEM * 2000) // 1000 + 50  # long predictions, each over all of them
    starts, ends = np.zeros(n, dtype=np.int64), np.arange(2000, 2000 + n)
    with pytest.raises(TooManyOverlaps) as caught:
        overlapping_index_pairs(starts, ends, gold_start, gold_start + 1)
    assert caught.value.pairs == n * 1000 and caught.value.most == 1000
    p, g = overlapping_index_pairs(starts[:10], ends[:10], gold_start, gold_start + 1)
    assert len(p) == 10 * 1000


def test_messages_stay_one_line(tmp_path, document):
    """A document id holding a line break and an ANSI escape is escaped as repr escapes it; a 200 kB
    key is shortened; the earlier lines' problems survive a later line that is not UTF-8."""
    odd_id = "x\n\x1b[31mred"
    long_key = "k" * 200_000
    content = (
        json.dumps({"id": odd_id, "entities": []}) + "\n"
        + json.dumps({"id": document.id, long_key: 1}) + "\n"
    ).encode() + b'{"id": "caf\xe9"}\n'
    path, before = write(tmp_path / "pred.jsonl", content)
    result = _score(path)
    assert result.returncode == 2 and "Traceback" not in result.stderr and "\x1b" not in result.stderr
    first, second, third = result.stderr.splitlines()
    assert first == f"{path}:1 (x\\n\\x1b[31mred): id: unknown document id 'x\\n\\x1b[31mred'"
    assert second.startswith(f"{path}:2 ({document.id}): ") and len(second) < 1000
    assert third == f"{path}:3: not UTF-8 text (invalid continuation byte at byte {len(content) - 4})"
    assert path.read_bytes() == before


def test_no_known_layer_names_the_file_and_a_negative_seed_is_refused(tmp_path, corpus):
    path, _ = write(tmp_path / "pred.jsonl", "".join(record(doc.id) for doc in corpus))
    refused(_score(path), [f"{path}: no layer of a known task (entities, quotes, events) in the submission"])
    result = _score(path, "--seed", "-7")
    assert result.returncode == 2 and "--seed: must be 0 or more, not -7" in result.stderr and "Traceback" not in result.stderr
    from khabar.scorers.core import seeded

    with pytest.raises(ValueError, match="0 or more"):
        seeded(-7)


def test_remote_ref_in_the_checkout_schema_is_named_not_fetched(repo_copy):
    schema_path = repo_copy / "schema" / "document.schema.json"
    schema = load_json(schema_path)
    schema["$defs"]["meta"]["properties"]["title"] = {"$ref": "https://example.org/remote.schema.json"}
    save_json(schema_path, schema)
    refused(
        run_khabar("validate", root=repo_copy),
        ["schema/document.schema.json: $ref 'https://example.org/remote.schema.json' refers outside this checkout's schema files "
         "(labels.json, document.schema.json, prediction.schema.json); it is not fetched"],
    )


def test_a_file_that_is_not_json_lines_is_one_summary_line(tmp_path, document):
    cases = {
        "array.json": (json.dumps([{"id": document.id, "entities": []}] * 3, indent=2), "is a JSON array, not JSON Lines: write one JSON object per line (for example `jq -c '.[]' FILE`)"),
        "object.json": (json.dumps({"id": document.id, "entities": []}, indent=2), "looks like one JSON object over several lines, not JSON Lines: write each object on one line (for example `jq -c . FILE`)"),
        "tags.conll": ("-DOCSTART- O O\n\nقال O O\nوزير B-OCC B-OCC\n" * 40, "looks like a CoNLL file (a token and its tags per line), not JSON Lines: score it with `khabar score --conll FILE`"),
        "tags2.conll": ("قال O O\nوزير B-OCC B-OCC\n" * 40, "looks like a CoNLL file (a token and its tags per line), not JSON Lines: score it with `khabar score --conll FILE`"),
    }
    for name, (content, message) in cases.items():
        path, before = write(tmp_path / name, content)
        refused(_score(path), [f"{path}: {message}"])
        assert path.read_bytes() == before
