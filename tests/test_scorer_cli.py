"""`khabar score` and `khabar compare` as a user runs them: output, signature, bad input, exit codes."""

from __future__ import annotations

import csv
import gc
import hashlib
import io
import json
import re

import pytest

from conftest import run_khabar
from khabar.corpus import format as fmt
from khabar.corpus.tokenize import split_sentences, tokenize

TEXT = "قال وزير الخارجية العراقي فؤاد حسين إن بغداد ترحب بالوفد. وأضاف أن اللقاء في القاهرة."
MENTIONS = [("وزير الخارجية العراقي", "OCC"), ("العراقي", "GPE"), ("فؤاد حسين", "PERS"), ("بغداد", "GPE"), ("القاهرة", "GPE")]
SIGNATURE = re.compile(r"^khabar:[^|]+\|data:[^|+]+\+[0-9a-f]{8}\|split:all\|task:entities\|layer:flat\|match:strict\|unit:sentence\|boot:50\|seed:7$")


def _span(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)


@pytest.fixture
def files(tmp_path):
    """A one-document gold file (made up for the test) and prediction files against it."""
    mentions = tuple(
        fmt.Mention(f"T{i}", *_span(word), word, kind, "name", f"E{i}") for i, (word, kind) in enumerate(MENTIONS, 1)
    )
    document = fmt.Document(
        id="doc1",
        text=TEXT,
        meta={"source_file": "seeds/doc1.txt", "sha256": hashlib.sha256(TEXT.encode()).hexdigest(),
              "publisher": "test", "published": "2026", "language": "ar"},
        sentences=tuple(fmt.Span(*s) for s in split_sentences(TEXT)),
        tokens=tuple(fmt.Span(*t) for t in tokenize(TEXT)),
        entities=mentions,
        clusters=tuple(fmt.Cluster(m.entity, m.type, m.text) for m in mentions),
    )
    gold = tmp_path / "documents.jsonl"
    gold.write_text(fmt.dumps_line(fmt.document_to_json(document, with_layout=True)) + "\n", encoding="utf-8")
    perfect = [{"start": m.start, "end": m.end, "type": m.type} for m in mentions]
    # flat gold: OCC (outer), PERS, GPE بغداد, GPE القاهرة. The system finds the OCC, calls بغداد a LOC
    # and invents an EVENT: strict tp 1, incorrect 1, fp 1, fn 2 -> P = 1/3, R = 1/4
    noisy = [perfect[0], {**perfect[3], "type": "LOC"}, {"start": _span("اللقاء")[0], "end": _span("اللقاء")[1], "type": "EVENT"}]
    paths = {"gold": gold}
    for name, entities in (("perfect", perfect), ("noisy", noisy)):
        paths[name] = tmp_path / f"{name}.jsonl"
        paths[name].write_text(json.dumps({"id": "doc1", "entities": entities}) + "\n", encoding="utf-8")
    return paths


def test_score_prints_a_table_that_ends_with_the_signature(files):
    result = run_khabar("score", str(files["noisy"]), "--gold", str(files["gold"]), "--bootstrap", "50", "--seed", "7")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.rstrip("\n").splitlines()
    assert SIGNATURE.match(lines[-1]), lines[-1]
    overall = next(line.split() for line in lines if line.startswith("strict") and " overall " in line)
    # metric label gold pred TP FP FN PAR INC P R F1 ±: P = 1/3, R = 1/4, F1 = 2/7
    assert overall[2:9] == ["4", "3", "1", "1", "2", "0", "1"]
    assert overall[9:12] == ["33.33", "25.00", "28.57"]


def test_score_json_carries_the_same_numbers_and_the_signature(files):
    result = run_khabar("score", str(files["noisy"]), "--gold", str(files["gold"]), "--format", "json", "--bootstrap", "50", "--seed", "7")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)["entities"]
    assert SIGNATURE.match(report["signature"])
    strict = report["metrics"]["strict"]["overall"]
    assert (strict["tp"], strict["fp"], strict["fn"], strict["incorrect"]) == (1, 1, 2, 1)
    assert strict["f1"] == pytest.approx(2 / 7)
    low, high = strict["f1_interval"]
    assert low <= strict["f1"] <= high


def test_gold_against_itself_scores_one(files):
    result = run_khabar("score", str(files["perfect"]), "--gold", str(files["gold"]), "--format", "json", "--bootstrap", "20")
    metrics = json.loads(result.stdout)["entities"]["metrics"]
    assert all(metrics[m]["overall"]["f1"] == 1.0 for m in metrics)


def test_bad_predictions_are_listed_one_a_line_with_exit_2(files, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "nope", "entities": []}\nnot json\n{"id": "doc1", "entities": [{"start": 0, "end": 3, "type": "XYZ"}]}\n')
    result = run_khabar("score", str(bad), "--gold", str(files["gold"]))
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 3
    assert all("bad.jsonl:" in line.split(" ")[0] for line in lines)
    assert "unknown document id 'nope'" in lines[0] and "not JSON" in lines[1] and "XYZ" in lines[2]


def test_a_missing_document_is_a_warning_or_with_strict_an_error(files, tmp_path):
    second = tmp_path / "two.jsonl"
    doc2 = json.loads(files["gold"].read_text(encoding="utf-8"))
    doc2["id"] = "doc2"
    second.write_text(files["gold"].read_text(encoding="utf-8") + json.dumps(doc2, ensure_ascii=False) + "\n", encoding="utf-8")
    warned = run_khabar("score", str(files["perfect"]), "--gold", str(second), "--bootstrap", "0")
    assert warned.returncode == 0
    assert "doc2" in warned.stderr and "warning" in warned.stderr
    refused = run_khabar("score", str(files["perfect"]), "--gold", str(second), "--strict")
    assert refused.returncode == 2 and "doc2" in refused.stderr and refused.stdout == ""


def test_score_conll_and_its_errors(tmp_path):
    good = tmp_path / "sys.conll"
    good.write_text("محمد B-PERS B-PERS\nقال O O\n\nبغداد B-GPE O\n", encoding="utf-8")
    result = run_khabar("score", "--conll", str(good), "--format", "json", "--bootstrap", "10")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)["entities"]
    # PERS found, GPE missed: tp 1, fn 1 -> P = 1, R = 1/2
    assert report["metrics"]["strict"]["overall"]["recall"] == 0.5
    assert "|scheme:IOB2|decoder:strict|columns:2,3|" in report["signature"] and "data:conll+" in report["signature"]

    bad = tmp_path / "bad.conll"
    bad.write_text("a B-PERS O\nb Q-PERS O\nc O\n", encoding="utf-8")
    result = run_khabar("score", "--conll", str(bad))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert [line.split(": ")[0].rsplit(":", 1)[1] for line in result.stderr.strip().splitlines()] == ["2", "3"]


def test_score_needs_exactly_one_input(files):
    result = run_khabar("score", "--gold", str(files["gold"]))
    assert result.returncode == 2 and "either a prediction file or --conll" in result.stderr


def test_compare_reports_differences_with_p_values(files):
    result = run_khabar(
        "compare", str(files["noisy"]), str(files["perfect"]), "--gold", str(files["gold"]), "--task", "entities",
        "--format", "json", "--bootstrap", "200",
    )
    assert result.returncode == 0, result.stderr
    rows = {(row["metric"], row["label"]): row for row in json.loads(result.stdout)["entities"]["comparisons"][str(files["perfect"])]}
    strict = rows["strict", "overall"]
    assert strict["f1_system"] == 1.0 and strict["delta"] == pytest.approx(1 - 2 / 7)
    assert 0 < strict["p_bootstrap"] <= 1 and 0 < strict["p_randomization"] <= 1
    same = run_khabar("compare", str(files["noisy"]), str(files["noisy"]), "--gold", str(files["gold"]), "--task", "entities", "--format", "json")
    assert all(row["p_randomization"] == 1.0 and row["delta"] == 0 for row in json.loads(same.stdout)["entities"]["comparisons"][str(files["noisy"])])


def test_a_document_without_a_layer_others_have_is_named_in_a_warning(files, tmp_path):
    second = tmp_path / "two.jsonl"
    doc2 = json.loads(files["gold"].read_text(encoding="utf-8"))
    doc2["id"] = "doc2"
    second.write_text(files["gold"].read_text(encoding="utf-8") + json.dumps(doc2, ensure_ascii=False) + "\n", encoding="utf-8")
    partial = tmp_path / "partial.jsonl"
    partial.write_text(files["perfect"].read_text(encoding="utf-8") + json.dumps({"id": "doc2"}) + "\n", encoding="utf-8")
    # doc2 has no entities layer while doc1 has one: scored as predicting none (recall 5/10), with a warning
    result = run_khabar("score", str(partial), "--gold", str(second), "--bootstrap", "0", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"warning: {partial}: entities: 1 document(s) without this layer: doc2 (scored as predicting nothing)\n"
    assert json.loads(result.stdout)["entities"]["metrics"]["strict"]["overall"]["recall"] == 0.5


def test_score_pauses_the_collector_and_leaves_it_as_it_found_it(files, capsys, monkeypatch):
    # khabar score runs as a batch job (the collector paused while it works); in process, it must hand
    # the collector back running, and never thaw objects the program froze itself.
    from khabar.corpus.cli import main
    from khabar.scorers import cli

    seen = []
    scorer = cli.score_task
    monkeypatch.setattr(cli, "score_task", lambda *a, **k: seen.append(gc.isenabled()) or scorer(*a, **k))
    arguments = ["score", str(files["noisy"]), "--gold", str(files["gold"]), "--bootstrap", "0"]
    assert main(arguments) == 0 and seen == [False] and gc.isenabled()
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert main(arguments) == 0
        assert gc.isenabled() and gc.get_freeze_count() == frozen > 0
    finally:
        gc.unfreeze()
    assert "strict" in capsys.readouterr().out


def test_split_selects_the_gold_documents_and_is_named_in_the_signature(files, tmp_path):
    # the hand-made document, put in dev: --split dev scores it, --split test finds no gold to score
    gold = json.loads(files["gold"].read_text(encoding="utf-8"))
    gold["meta"]["split"] = "dev"
    dev_gold = tmp_path / "dev-gold.jsonl"
    dev_gold.write_text(json.dumps(gold, ensure_ascii=False) + "\n", encoding="utf-8")
    scored = run_khabar("score", str(files["perfect"]), "--gold", str(dev_gold), "--split", "dev", "--bootstrap", "0")
    assert scored.returncode == 0, scored.stderr
    assert "|split:dev|" in scored.stdout.splitlines()[-1]
    empty = run_khabar("score", str(files["perfect"]), "--gold", str(dev_gold), "--split", "test", "--bootstrap", "0")
    assert (empty.returncode, empty.stdout) == (2, "")
    assert empty.stderr == f"{dev_gold}: no document in the file of the test split\n"


# --------------------------------------------------------------------------------------------------
# Paper tables, metrics, one JSON shape


def test_paper_formats_carry_the_headline_with_its_interval_and_signature(files):
    # the noisy system's strict row: P = 1/3, R = 1/4, F1 = 2/7 (see the fixture)
    common = ("score", str(files["noisy"]), "--gold", str(files["gold"]), "--bootstrap", "50", "--seed", "7")
    latex = run_khabar(*common, "--format", "latex")
    assert latex.returncode == 0, latex.stderr
    lines = latex.stdout.splitlines()
    assert lines[:4] == [r"\begin{tabular}{llrrrr}", r"\toprule", r"Task & Metric & P & R & F1 & $\pm$95\% \\", r"\midrule"]
    assert lines[4].startswith(r"entities & strict & 33.33 & 25.00 & 28.57 & ") and lines[5:7] == [r"\bottomrule", r"\end{tabular}"]
    assert SIGNATURE.match(lines[-1].removeprefix("% "))
    markdown = run_khabar(*common, "--format", "markdown").stdout.splitlines()
    assert markdown[:2] == ["| Task | Metric | P | R | F1 | ±95% |", "|---|---|---:|---:|---:|---:|"]
    assert markdown[2].startswith("| entities | strict | 33.33 | 25.00 | 28.57 | ")
    # exact also credits بغداد called LOC (same span): tp 2, fp 1, fn 2 -> P = 2/3, R = 1/2, F1 = 4/7
    rows = list(csv.DictReader(io.StringIO(run_khabar(*common, "--format", "csv", "--metrics", "strict,exact").stdout)))
    assert [(r["metric"], r["P"], r["R"], r["F1"]) for r in rows] == [("strict", "33.33", "25.00", "28.57"), ("exact", "66.67", "50.00", "57.14")]
    assert float(rows[0]["F1_low"]) <= 28.57 <= float(rows[0]["F1_high"])
    assert SIGNATURE.match(rows[0]["signature"]) and "|match:exact|" in rows[1]["signature"]


def test_metrics_choose_the_rows_and_an_unknown_one_gets_a_suggestion(files):
    common = ("score", str(files["noisy"]), "--gold", str(files["gold"]), "--bootstrap", "0")
    table = run_khabar(*common, "--metrics", "entities:partial").stdout
    assert {line.split()[0] for line in table.splitlines()[3:-1] if line.strip()} == {"partial"}
    assert json.loads(run_khabar(*common, "--format", "json", "--metrics", "type").stdout)["entities"]["metrics"].keys() == {"type"}
    wrong = run_khabar(*common, "--metrics", "strickt")
    assert (wrong.returncode, wrong.stdout) == (2, "")
    assert wrong.stderr == "--metrics: 'strickt' is no metric of the scored tasks; did you mean strict or strict_clitic?\n"


def test_json_is_a_mapping_by_task_for_one_task_or_several(corpus, tmp_path):
    submission = tmp_path / "gold.jsonl"
    fmt.write_predictions([fmt.prediction_from_document(doc) for doc in corpus], submission)
    one = json.loads(run_khabar("score", str(submission), "--split", "all", "--task", "quotes", "--bootstrap", "0", "--format", "json").stdout)
    every = json.loads(run_khabar("score", str(submission), "--split", "all", "--bootstrap", "0", "--format", "json").stdout)
    assert list(one) == ["quotes"] and list(every) == ["entities", "quotes", "events"]
    assert one["quotes"] == every["quotes"] and all(every[task]["task"] == task for task in every)


def test_the_signature_names_the_unit_and_one_unit_is_warned_of(files):
    by_sentence = run_khabar("score", str(files["noisy"]), "--gold", str(files["gold"]), "--bootstrap", "20")
    assert "|unit:sentence|" in by_sentence.stdout.splitlines()[-1] and by_sentence.stderr == ""
    by_document = run_khabar("score", str(files["noisy"]), "--gold", str(files["gold"]), "--bootstrap", "20", "--unit", "document")
    assert by_document.returncode == 0 and "|unit:document|" in by_document.stdout.splitlines()[-1]
    assert by_document.stderr == (
        "warning: entities: 1 resampling unit (document): intervals and tests say nothing; "
        "resample sentences (--unit sentence) or score more documents\n"
    )


# --------------------------------------------------------------------------------------------------
# Plausibility, scores


def _shifted(files, tmp_path, name, change):
    perfect = json.loads(files["perfect"].read_text(encoding="utf-8"))
    path = tmp_path / f"{name}.jsonl"
    path.write_text(json.dumps({**perfect, "entities": [change(e) for e in perfect["entities"]]}) + "\n", encoding="utf-8")
    return path


def test_spans_off_word_boundaries_are_warned_of_with_the_likely_cause(files, tmp_path):
    inclusive = _shifted(files, tmp_path, "inclusive", lambda e: {**e, "end": e["end"] - 1})
    result = run_khabar("score", str(inclusive), "--gold", str(files["gold"]), "--bootstrap", "0")
    assert result.returncode == 0
    # all 5 spans end one character inside their last word
    assert result.stderr == (
        f"warning: {inclusive}: 5 of 5 predicted spans (100%) do not start and end on word boundaries: token offsets "
        "or inclusive ends? (offsets are code points into the text, end-exclusive)\n"
    )
    clean = run_khabar("score", str(files["perfect"]), "--gold", str(files["gold"]), "--bootstrap", "0")
    assert clean.returncode == 0 and clean.stderr == ""


def test_a_confidence_score_is_accepted_and_changes_no_number(files, tmp_path):
    scored = _shifted(files, tmp_path, "scored", lambda e: {**e, "score": 0.25})
    plain = run_khabar("score", str(files["perfect"]), "--gold", str(files["gold"]), "--bootstrap", "10", "--format", "json")
    result = run_khabar("score", str(scored), "--gold", str(files["gold"]), "--bootstrap", "10", "--format", "json")
    assert result.returncode == 0, result.stderr
    strip = lambda out: {k: v for k, v in json.loads(out)["entities"].items() if k != "signature"}  # noqa: E731
    assert strip(result.stdout) == strip(plain.stdout)
    gold = {"doc1": fmt.load_corpus(files["gold"])[0]}
    assert {e.score for e in fmt.read_predictions(scored, gold)["doc1"].entities} == {0.25}


# --------------------------------------------------------------------------------------------------
# compare: N systems against a baseline


def test_compare_tests_every_system_against_the_baseline_in_one_table(files, tmp_path):
    retyped = _shifted(files, tmp_path, "retyped", lambda e: {**e, "type": "GPE" if e["type"] == "PERS" else e["type"]})
    common = ("--gold", str(files["gold"]), "--task", "entities", "--bootstrap", "100", "--metrics", "strict")
    out = json.loads(run_khabar("compare", str(files["noisy"]), str(files["perfect"]), str(retyped), *common, "--format", "json").stdout)
    entities = out["entities"]
    assert list(entities["comparisons"]) == [str(files["perfect"]), str(retyped)]
    overall = {system: next(r for r in rows if r["label"] == "overall") for system, rows in entities["comparisons"].items()}
    # noisy 2/7; perfect 1; retyped: 3 of the 4 flat gold entities right (the PERS called GPE): F1 3/4
    assert overall[str(files["perfect"])]["f1_system"] == 1.0 and overall[str(retyped)]["f1_system"] == pytest.approx(0.75)
    assert all(r["f1_baseline"] == pytest.approx(2 / 7) for r in overall.values())
    tests = sum(len(rows) for rows in entities["comparisons"].values())
    assert entities["comparisons_in_family"] == tests and entities["bonferroni_threshold"] == pytest.approx(0.05 / tests)
    markdown = run_khabar("compare", str(files["noisy"]), str(files["perfect"]), str(retyped), *common, "--format", "markdown").stdout.splitlines()
    assert markdown[0] == "| System | entities strict F1 | Δ | p boot | p AR |"
    assert [row.split(" | ")[:3] for row in markdown[2:5]] == [
        [f"| {files['noisy']} (baseline)", "28.57", ""],
        [f"| {files['perfect']}", "100.00", "+71.43"],
        [f"| {retyped}", "75.00", "+46.43"],
    ]
    assert "2 comparison(s) with the baseline" in markdown[6] and "p < 0.025" in markdown[6]


def test_compare_skips_a_layer_one_system_lacks_as_score_does(files, tmp_path):
    with_quotes = tmp_path / "quotes.jsonl"
    perfect = json.loads(files["perfect"].read_text(encoding="utf-8"))
    with_quotes.write_text(json.dumps({**perfect, "quotes": []}) + "\n", encoding="utf-8")
    result = run_khabar("compare", str(files["noisy"]), str(with_quotes), "--gold", str(files["gold"]), "--bootstrap", "20", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert list(json.loads(result.stdout)) == ["entities"]
    assert f"warning: quotes: not compared: no layer in {files['noisy']}" in result.stderr
    refused = run_khabar("compare", str(files["noisy"]), str(with_quotes), "--gold", str(files["gold"]), "--task", "quotes")
    assert refused.returncode == 2 and "quotes: no document has this layer" in refused.stderr
