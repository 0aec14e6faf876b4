"""The agreement report: both raw annotations of every gold document are kept and valid, every raw pass
belongs to a recorded batch, and docs/agreement.md shows what `khabar agreement` computes per batch."""

from __future__ import annotations

import pytest

from khabar.corpus import agreement
from khabar.corpus import format as fmt

from conftest import run_khabar

AGREEMENT = fmt.ROOT / "corpus" / "agreement"


def test_every_gold_document_keeps_both_raw_annotations_and_they_are_valid():
    gold = {p.stem for p in fmt.annotation_paths()}
    passes = {annotator: {p.stem: p for p in fmt.annotation_paths(AGREEMENT / annotator)} for annotator in ("a", "b")}
    assert gold and gold <= set(passes["a"]) and gold <= set(passes["b"])
    assert set(passes["a"]) == set(passes["b"])
    for paths in passes.values():
        assert all(fmt.read_annotation(p).entities for p in paths.values())


def test_every_raw_pass_is_in_exactly_one_batch():
    recorded = [doc_id for batch in agreement.batches().values() for doc_id in batch["documents"]]
    assert len(recorded) == len(set(recorded)), "a document is in two batches"
    assert {p.stem for p in fmt.annotation_paths(AGREEMENT / "a")} <= set(recorded)


@pytest.mark.parametrize("batch", sorted(agreement.batches()))
def test_report_table_of_each_batch_is_what_the_scorers_compute(batch):
    present = {p.stem for p in fmt.annotation_paths(AGREEMENT / "a")}
    if not set(agreement.batch_documents(batch)) <= present:
        pytest.skip(f"batch {batch} is not annotated yet")
    result = run_khabar("agreement", "corpus/agreement/a", "corpus/agreement/b", "--batch", batch)
    assert result.returncode == 0, result.stderr
    table = result.stdout.split("\n\nDisagreements")[0].split("\n\nPer document:")[0] + "\n"
    report = (fmt.ROOT / "docs" / "agreement.md").read_text(encoding="utf-8")
    marker = f"<!-- agreement-{batch}:start -->\n"
    assert marker in report, f"docs/agreement.md has no table for batch {batch}"
    assert report.split(marker)[1].split(f"<!-- agreement-{batch}:end -->")[0] == table


def test_an_annotation_agrees_fully_with_itself():
    result = run_khabar("agreement", "corpus/annotations", "corpus/annotations")
    assert result.returncode == 0, result.stderr
    rows = [line for line in result.stdout.splitlines() if line.startswith("| ") and not line.startswith(("| layer", "| document"))]
    assert rows and all(line.endswith(("| 100.0 |", "| — |")) for line in rows)
    documents = [p.stem for p in fmt.annotation_paths()]
    assert all(f"Disagreements in {doc_id}: 0" in result.stdout for doc_id in documents)


def test_a_batch_limits_the_comparison_to_its_documents():
    result = run_khabar("agreement", "corpus/agreement/a", "corpus/agreement/b", "--batch", "0.1")
    assert result.returncode == 0, result.stderr
    compared = [line.split(":")[0] for line in result.stdout.splitlines() if line.startswith("Disagreements in")]
    assert compared == ["Disagreements in 000_0d083f3321f654a4"]
    unknown = run_khabar("agreement", "corpus/agreement/a", "corpus/agreement/b", "--batch", "nope")
    assert unknown.returncode == 2 and unknown.stderr.startswith("corpus/agreement/batches.json: no batch 'nope'")


def test_event_chains_and_cluster_types_that_differ_are_listed():
    # the same two mentions and two triggers in both annotations; B gives the cluster another type and
    # splits the chain: one "cluster type" item per shared mention, one "event coreference" item per pair
    text = "التقى علي بسعيد ثم اجتمع به"
    mentions = (fmt.Mention("T1", 6, 9, "علي", "PERS", "name", "E1"), fmt.Mention("T2", 11, 15, "سعيد", "PERS", "name", "E2"))

    def doc(cluster_type: str, second_chain: str) -> fmt.Document:
        events = (
            fmt.Event("V1", "Contact:Meet", fmt.Span(0, 5), (), "Asserted", "Positive", "Specific", "Past", "C1"),
            fmt.Event("V2", "Contact:Meet", fmt.Span(19, 24), (), "Asserted", "Positive", "Specific", "Past", second_chain),
        )
        clusters = (fmt.Cluster("E1", cluster_type, "علي"), fmt.Cluster("E2", "PERS", "سعيد"))
        return fmt.Document("d", text, {}, entities=mentions, clusters=clusters, events=events)

    found = list(agreement.disagreements(doc("PERS", "C1"), doc("OCC", "C2")))
    assert [kind for kind, _ in found] == ["cluster type", "event coreference"]
    assert "only A puts triggers 0:5 «التقى» and 19:24 «اجتمع» in one chain" in found[1][1]


def test_values_and_value_arguments_are_compared_like_mentions():
    from dataclasses import replace

    from values_case import document_json

    a = agreement.with_layout(fmt.document_from_json(document_json()))
    x1, x2, x3 = a.values
    # B: X1 one letter shorter (boundary), X2 typed Crime (type), X3 left out with its argument (missing)
    b = replace(
        a,
        values=(replace(x1, start=x1.start + 1, text=x1.text[1:]), replace(x2, type="Crime")),
        events=(a.events[0], replace(a.events[1], arguments=a.events[1].arguments[:3])),
    )
    found = list(agreement.disagreements(a, b))
    assert [kind for kind, _ in found] == ["value boundary"] * 2 + ["value type", "value missing"] + ["event argument"] * 3
    assert found[0][1] == "A has 25:30 «القتل» Crime; the other has 26:30 «لقتل» Crime"
    assert found[2][1] == "52:67 «السجن عشر سنوات»: A Sentence, B Crime"
    assert found[3][1] == "only A has 74:79 «القتل» Crime"
    assert [description.split(": only ")[1] for _, description in found[4:]] == [
        "A has Crime = 25:30 «القتل»", "B has Crime = 26:30 «لقتل»", "A has Crime = 74:79 «القتل»"
    ]
    rows = {(layer, measure): f1 for layer, measure, f1 in agreement.agreement_table([a], [b])}
    # values: A {X1, X2 Sentence, X3}, B {X1 shifted, X2 Crime}: nothing shared exactly, F1 0
    assert rows[("values", "Crime and Sentence values, exact span and type")] == 0.0
    # argument classification: A 7 arguments, B 6, of which 5 shared (B's shifted Crime is new): F1 10/13
    assert rows[("events", "argument_classification")] == pytest.approx(10 / 13)
    same = {(layer, measure): f1 for layer, measure, f1 in agreement.agreement_table([a], [a])}
    assert same[("values", "Crime and Sentence values, exact span and type")] == 1.0
    assert "| values | Crime and Sentence values, exact span and type | 0.0 |" in agreement.render([a], [b]).splitlines()


def test_a_layer_neither_pass_annotated_has_no_agreement_figure():
    # two passes with mentions only: entity F1 is 100, quotes and events are undefined (—), not 0
    text = "زار الرئيس مصر."
    mention = fmt.Mention("T1", 11, 14, "مصر", "GPE", "name", "E1")
    doc = fmt.Document("x", text, {}, entities=(mention,), clusters=(fmt.Cluster("E1", "GPE", "مصر"),))
    table = agreement.render([doc], [doc])
    rows = {line.split(" | ")[1]: line.split(" | ")[-1] for line in table.splitlines() if line.startswith("| ") and "measure" not in line and "---" not in line}
    assert rows["flat mentions, exact span and type"] == "100.0 |"
    assert rows["end_to_end"] == "— |" and rows["trigger_classification"] == "— |"


def test_events_without_arguments_on_either_side_have_no_argument_figure():
    # both passes: one Meet event with no argument; triggers agree (100), argument F1 is 0/0: —, and
    # the Time-less argument measures likewise; the per-document table shows — in its arguments column
    text = "التقى علي بسعيد."
    event = fmt.Event("V1", "Contact:Meet", fmt.Span(0, 5), (), "Asserted", "Positive", "Specific", "Past", "C1")
    mention = fmt.Mention("T1", 6, 9, "علي", "PERS", "name", "E1")
    doc = fmt.Document("x", text, {}, entities=(mention,), clusters=(fmt.Cluster("E1", "PERS", "علي"),), events=(event,))
    rows = {line.split(" | ")[1]: line.split(" | ")[-1] for line in agreement.render([doc], [doc]).splitlines() if line.startswith("| events")}
    assert rows["trigger_classification"] == "100.0 |"
    assert rows["argument_classification"] == "— |" and rows["argument_identification_notime"] == "— |"
    assert agreement.per_document_table([doc], [doc])[-1] == "| x | 100.0 | 100.0 | — | 100.0 | — |"


def test_one_statement_of_two_speakers_pairs_quote_by_quote():
    # two quotes share cue and content and differ in speaker (two coordinated speakers, guidelines 3.6);
    # the same two in the other pass, listed in the other order, are no disagreement; a pass with only
    # the first speaker's quote misses the second one, and nothing else
    text = "وقال علي وسعيد إن الوضع صعب."
    mentions = (fmt.Mention("T1", 5, 8, "علي", "PERS", "name", "E1"), fmt.Mention("T2", 10, 14, "سعيد", "PERS", "name", "E2"))
    clusters = (fmt.Cluster("E1", "PERS", "علي"), fmt.Cluster("E2", "PERS", "سعيد"))
    first = fmt.Quote("Q1", "indirect", fmt.Span(18, 27), fmt.Span(1, 4), "T1", "E1")
    second = fmt.Quote("Q2", "indirect", fmt.Span(18, 27), fmt.Span(1, 4), "T2", "E2")

    def doc(*quotes: fmt.Quote) -> fmt.Document:
        return fmt.Document("q", text, {}, entities=mentions, clusters=clusters, quotes=quotes)

    assert text[18:27] == "الوضع صعب" and text[1:4] == "قال"
    assert list(agreement.disagreements(doc(first, second), doc(second, first))) == []
    assert list(agreement.disagreements(doc(first, second), doc(first))) == [
        ("quote missing", "only A has indirect quote 18:27 «الوضع صعب» (speaker سعيد)")
    ]


def test_the_headline_table_repeats_each_batch_table():
    """docs/agreement.md's summary row of a batch is its table's flat NER, quotes end to end, trigger and
    argument classification (the batch tables themselves are checked against the scorers above)."""
    report = (fmt.ROOT / "docs" / "agreement.md").read_text(encoding="utf-8")
    summary = report.split("| batch | flat NER | quotes end to end | triggers | arguments |\n|---|---:|---:|---:|---:|\n")[1].split("\n\n")[0]
    rows = {cells[0]: cells[1:] for cells in (line.strip("| ").split(" | ") for line in summary.splitlines())}
    measures = ("flat mentions, exact span and type", "end_to_end", "trigger_classification", "argument_classification")
    blocks = [name for name in agreement.batches() if f"<!-- agreement-{name}:start -->" in report and name != "0.1"]
    assert blocks and sorted(rows) == sorted(blocks)
    for name in blocks:
        block = report.split(f"<!-- agreement-{name}:start -->\n")[1].split(f"<!-- agreement-{name}:end -->")[0]
        figures = {line.split(" | ")[1]: line.split(" | ")[2].rstrip(" |") for line in block.splitlines()[2:]}
        assert rows[name] == [figures[m] for m in measures], name


def test_a_second_event_on_one_trigger_is_listed():
    # pass B puts two Life:Die events on one verb (one per victim), pass A one with both victims: the
    # pairing compares A's event with B's first (A has the second victim alone), and B's second event is
    # named, not dropped
    text = "توفي علي وسعيد."
    mentions = (fmt.Mention("T1", 5, 8, "علي", "PERS", "name", "E1"), fmt.Mention("T2", 10, 14, "سعيد", "PERS", "name", "E2"))
    clusters = (fmt.Cluster("E1", "PERS", "علي"), fmt.Cluster("E2", "PERS", "سعيد"))

    def die(n: int, *victims: str) -> fmt.Event:
        arguments = tuple(fmt.Argument("Victim", v) for v in victims)
        return fmt.Event(f"V{n}", "Life:Die", fmt.Span(0, 4), arguments, "Asserted", "Positive", "Specific", "Past", "C1")

    a = fmt.Document("d", text, {}, entities=mentions, clusters=clusters, events=(die(1, "T1", "T2"),))
    b = fmt.Document("d", text, {}, entities=mentions, clusters=clusters, events=(die(1, "T1"), die(2, "T2")))
    assert list(agreement.disagreements(a, b)) == [
        ("event argument", "trigger 0:4 «توفي» (Life:Die): only A has Victim = 10:14 «سعيد»"),
        ("event missing", "B has 2 events on trigger 0:4 «توفي» (the pairing above compares the first)"),
    ]
