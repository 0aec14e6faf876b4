"""The entity scorer: hand-computed cases for every metric, nervaluate 1.2.1 on randomized perturbations,
order and duplicate invariance, the layers, the clitic rule, the Document-level API."""

import importlib.metadata
import json
import os
import random
import re
import subprocess
import sys
from collections import Counter

import numpy as np
import pytest

from khabar.corpus.format import Document, Mention, PredictedEntity, Prediction, Span
from khabar.scorers.core import OVERALL, Counts
from khabar.scorers.entities import (
    METRICS,
    SCHEMAS,
    EntityColumns,
    differs_by_clitic,
    document_counts,
    layer_of,
    match,
    outermost,
    score_entities,
    score_entity_columns,
    score_entity_spans,
)

NERVALUATE_NAMES = {"strict": "strict", "exact": "exact", "partial": "partial", "type": "ent_type"}
TYPES = ["PERS", "ORG", "GPE", "LOC", "DATE"]


def _totals(gold, predicted, text=None, metrics=METRICS):
    """Document counts summed over units, by key."""
    totals = {}
    for rows in document_counts(layer_of(gold, "nested"), layer_of(predicted, "nested"), text=text, metrics=metrics).values():
        for key, counts in rows.items():
            totals[key] = totals.get(key, Counts()) + counts
    return totals


# --------------------------------------------------------------------------------------------------
# Hand-computed cases

# gold:       A (0,5,PERS)   B (10,15,ORG)   C (20,30,GPE)   D (40,44,DATE)
# predicted:  a (0,5,PERS)   b (10,14,ORG)   c (20,30,LOC)                   e (50,55,ORG)
#   a = A exactly; b has B's type, not its span; c has C's span, not its type; D is missed; e is spurious.
GOLD = [(0, 5, "PERS"), (10, 15, "ORG"), (20, 30, "GPE"), (40, 44, "DATE")]
PREDICTED = [(0, 5, "PERS"), (10, 14, "ORG"), (20, 30, "LOC"), (50, 55, "ORG")]


@pytest.mark.parametrize(
    "metric, expected",
    [
        # strict: a correct; b and c incorrect (overlap, not same span and type); D missed; e spurious
        # P = R = 1/4
        ("strict", Counts(tp=1, fp=1, fn=1, incorrect=2)),
        # exact: a and c correct (same span); b incorrect; P = R = 2/4
        ("exact", Counts(tp=2, fp=1, fn=1, incorrect=1)),
        # partial: a and c correct, b partial; P = R = (2 + 0.5) / 4 = 0.625
        ("partial", Counts(tp=2, fp=1, fn=1, partial=1)),
        # type: a and b correct (same type, overlapping); c incorrect; P = R = 2/4
        ("type", Counts(tp=2, fp=1, fn=1, incorrect=1)),
    ],
)
def test_each_schema_on_a_hand_case(metric, expected):
    counts = _totals(GOLD, PREDICTED)[(metric, OVERALL)]
    assert counts == expected
    assert counts.f1 == pytest.approx({"strict": 0.25, "exact": 0.5, "partial": 0.625, "type": 0.5}[metric])


def test_per_type_rows_rematch_the_entities_of_that_type_alone():
    totals = _totals(GOLD, PREDICTED)
    # ORG alone: gold B; predicted b, e. strict: b overlaps B with another span -> incorrect; e spurious.
    assert totals[("strict", "ORG")] == Counts(fp=1, incorrect=1)
    # type, ORG alone: b correct (same type, overlapping), e spurious: P = 1/2, R = 1/1
    assert totals[("type", "ORG")] == Counts(tp=1, fp=1)
    # GPE alone: C has no GPE prediction -> missed; LOC alone: c is spurious
    assert totals[("exact", "GPE")] == Counts(fn=1)
    assert totals[("exact", "LOC")] == Counts(fp=1)


def test_a_prediction_overlapping_two_gold_takes_the_first_by_position():
    # predicted (3,12,PERS) overlaps gold (0,5,PERS) and (10,15,ORG): incorrect with the first; the other
    # gold is missed. P = 0/1, R = 0/2.
    matched, spurious, missed = match([(0, 5, "PERS"), (10, 15, "ORG")], [(3, 12, "PERS")], "strict")
    assert (matched, spurious, missed) == ([(0, 0, "incorrect")], [], [1])


def test_an_exact_match_is_never_taken_by_an_overlapping_prediction():
    # gold (0,5,ORG); predicted (0,3,ORG) and (0,5,ORG). (0,5) matches exactly; (0,3) is then spurious.
    # strict: tp 1, fp 1 -> P = 1/2, R = 1/1. nervaluate, taking predictions in order, would pair (0,3)
    # with the gold as incorrect and leave (0,5) spurious (P = 0, R = 0); see docs/metrics.md.
    totals = _totals([(0, 5, "ORG")], [(0, 3, "ORG"), (0, 5, "ORG")])
    assert totals[("strict", OVERALL)] == Counts(tp=1, fp=1)


def test_type_schema_prefers_the_closest_boundaries():
    # gold (0,10,ORG); predicted (0,4,ORG) (distance 0+6 = 6) and (1,10,ORG) (distance 1+0 = 1):
    # the closer one is correct, the other spurious: tp 1, fp 1.
    matched, spurious, _ = match([(0, 10, "ORG")], [(0, 4, "ORG"), (1, 10, "ORG")], "type")
    assert matched == [(1, 0, "correct")] and spurious == [0]


def test_nervaluate_minimum_overlap_of_one_percent_of_the_gold_span():
    # gold (0,200) is 200 characters; a 1-character overlap is 0.5% < 1%: no pair, so the prediction is
    # spurious and the gold missed. A 2-character overlap is 1%: an incorrect pair.
    assert _totals([(0, 200, "ORG")], [(199, 205, "ORG")])[("strict", OVERALL)] == Counts(fp=1, fn=1)
    assert _totals([(0, 200, "ORG")], [(198, 205, "ORG")])[("strict", OVERALL)] == Counts(incorrect=1)


# --------------------------------------------------------------------------------------------------
# Clitics

TEXT = "قال والقدس القدس بالمدينة"
#       0123456789...: "قال"=0:3, "والقدس"=4:10, "القدس"=11:16, "بالمدينة"=17:25


def test_clitic_rule():
    assert TEXT[4:10] == "والقدس" and TEXT[17:25] == "بالمدينة" and len(TEXT) == 25
    assert differs_by_clitic(TEXT, (4, 10, "X"), (5, 10, "X"))  # و
    assert differs_by_clitic(TEXT, (13, 16, "X"), (11, 16, "X"))  # ال, gold and prediction swapped
    assert differs_by_clitic(TEXT, (17, 25, "X"), (18, 25, "X"))  # ب
    assert not differs_by_clitic(TEXT, (4, 10, "X"), (7, 10, "X"))  # وال: two clitics
    assert not differs_by_clitic(TEXT, (4, 10, "X"), (5, 9, "X"))  # the end differs too
    assert not differs_by_clitic(TEXT, (0, 3, "X"), (1, 3, "X"))  # ق is no clitic


def test_clitic_metrics_sit_beside_exact_ones():
    # gold: القدس with its و (4,10,GPE) and بالمدينة (17,25,LOC); predicted without the clitics:
    # (5,10,GPE) and (18,25,GPE). strict: both incorrect, tp 0. strict_clitic: (5,10,GPE) correct,
    # (18,25,GPE) has the wrong type -> incorrect: P = R = 1/2. exact_clitic: both correct: P = R = 1.
    totals = _totals([(4, 10, "GPE"), (17, 25, "LOC")], [(5, 10, "GPE"), (18, 25, "GPE")], text=TEXT)
    assert totals[("strict", OVERALL)] == Counts(incorrect=2)
    assert totals[("exact", OVERALL)] == Counts(incorrect=2)
    assert totals[("strict_clitic", OVERALL)] == Counts(tp=1, incorrect=1)
    assert totals[("exact_clitic", OVERALL)] == Counts(tp=2)


def test_without_text_there_are_no_clitic_metrics():
    report = score_entity_spans(gold={"d": GOLD}, predictions={"d": PREDICTED}, bootstrap=0)
    assert tuple(report.metrics) == SCHEMAS
    assert "strict_clitic" not in report.to_dict()["metrics"]


# --------------------------------------------------------------------------------------------------
# Layers


def test_flat_layer_keeps_outermost_mentions():
    # (0,10) contains (0,4) and (5,10); (20,25) and (22,30) cross, so both are outermost; a span equal to
    # another in extent is outermost with it.
    spans = [(0, 4, "PERS"), (0, 10, "ORG"), (5, 10, "GPE"), (20, 25, "ORG"), (22, 30, "LOC"), (20, 25, "GPE")]
    assert outermost(spans) == [(0, 10, "ORG"), (20, 25, "GPE"), (20, 25, "ORG"), (22, 30, "LOC")]


def test_flat_and_nested_layers_on_nested_gold():
    # gold: ORG (0,10) containing PERS (0,4). predicted: only the inner PERS.
    # flat: outermost gold ORG (0,10) vs outermost predicted PERS (0,4): strict incorrect -> F1 0.
    # nested: PERS matches, ORG is missed -> P = 1/1, R = 1/2, F1 = 2/3.
    gold, predicted = {"d": [(0, 10, "ORG"), (0, 4, "PERS")]}, {"d": [(0, 4, "PERS")]}
    flat = score_entity_spans(gold=gold, predictions=predicted, layer="flat", bootstrap=0)
    nested = score_entity_spans(gold=gold, predictions=predicted, layer="nested", bootstrap=0)
    assert flat.counts("strict") == Counts(incorrect=1)
    assert nested.counts("strict") == Counts(tp=1, fn=1)
    assert nested.f1("strict") == pytest.approx(2 / 3)


# --------------------------------------------------------------------------------------------------
# nervaluate 1.2.1 on randomized perturbations


def _gold_document(rng, length, nested):
    spans, position = [], 0
    while True:
        position += rng.randint(1, 6)
        if position >= length - 1:
            break
        end = min(length, position + rng.randint(1, 8))
        spans.append((position, end, rng.choice(TYPES)))
        if nested and end - position > 2 and rng.random() < 0.3:
            spans.append((position, position + rng.randint(1, end - position - 1), rng.choice(TYPES)))
        position = end
    return spans


def _perturb(rng, gold, length):
    """What a system might output: most entities kept, some retyped, shifted, dropped; a few inventions."""
    predicted = []
    for start, end, kind in gold:
        roll = rng.random()
        if roll < 0.6:
            predicted.append((start, end, kind))
        elif roll < 0.7:
            predicted.append((start, end, rng.choice(TYPES)))
        elif roll < 0.85:
            new_start = min(length - 1, max(0, start + rng.randint(-2, 2)))
            new_end = min(length, max(new_start + 1, end + rng.randint(-2, 2)))
            predicted.append((new_start, new_end, kind if rng.random() < 0.7 else rng.choice(TYPES)))
        elif roll < 0.95:
            continue
        else:
            predicted += [(start, end, kind)] * 2
    for _ in range(rng.randint(0, 1)):
        start = rng.randrange(length - 1)
        predicted.append((start, min(length, start + rng.randint(1, 5)), rng.choice(TYPES)))
    return predicted


def _nervaluate_counts(gold, predicted):
    nervaluate = pytest.importorskip("nervaluate")
    assert importlib.metadata.version("nervaluate") == "1.2.1", "compare with nervaluate 1.2.1 (1.1.0 mis-merges partial)"

    def records(spans):  # nervaluate's dict loader takes inclusive ends
        return [[{"label": t, "start": s, "end": e - 1} for s, e, t in spans]]

    results = nervaluate.Evaluator(records(gold), records(predicted), tags=TYPES, loader="dict").evaluate()
    out = {}
    for ours, theirs in NERVALUATE_NAMES.items():
        out[ours, OVERALL] = results["overall"][theirs]
        for label, by_schema in results["entities"].items():
            out[ours, label] = by_schema[theirs]
    return {
        key: Counts(tp=r.correct, fp=r.spurious, fn=r.missed, partial=r.partial, incorrect=r.incorrect)
        for key, r in out.items()
    }


def _competing(gold, predicted):
    """Whether some entity overlaps two of the other side: where nervaluate's result depends on the order
    it reads predictions in, and ours departs from it (see docs/metrics.md)."""
    pairs = [(p, g) for p in predicted for g in gold if max(p[0], g[0]) < min(p[1], g[1])]
    return len({p for p, _ in pairs}) < len(pairs) or len({g for _, g in pairs}) < len(pairs)


def _comparable(key, gold, predicted):
    """Whether the matching behind ``key`` (all entities, or those of one type) is free of competition."""
    label = key[1]
    if label == OVERALL:
        return not _competing(gold, predicted)
    return not _competing([e for e in gold if e[2] == label], [e for e in predicted if e[2] == label])


@pytest.mark.parametrize("nested", [False, True])
def test_equal_to_nervaluate_wherever_matching_is_unambiguous(nested):
    # nervaluate pairs predictions one at a time, in input order; we pair best-ranked candidates first.
    # The two agree wherever no entity overlaps two of the other side; nested gold makes the overall
    # matching ambiguous almost everywhere, but per-type matching (nested mentions mostly differ in type)
    # much less so.
    rng = random.Random(20240 + nested)
    compared = {"overall": 0, "per type": 0}
    possible = {"overall": 0, "per type": 0}
    for _ in range(400):
        gold = layer_of(_gold_document(rng, 60, nested), "nested")
        predicted = layer_of(_perturb(rng, gold, 60), "nested")  # de-duplicated and sorted, as we read them
        ours = _totals(gold, predicted, metrics=SCHEMAS)
        theirs = _nervaluate_counts(gold, predicted)
        for key in set(ours) | set(theirs):
            scope = "overall" if key[1] == OVERALL else "per type"
            possible[scope] += 1
            if not _comparable(key, gold, predicted):
                continue
            compared[scope] += 1
            assert ours.get(key, Counts()) == theirs.get(key, Counts()), (key, gold, predicted)
            assert ours.get(key, Counts()).f1 == pytest.approx(theirs[key].f1 if key in theirs else 0.0)
    # the comparison covers most rows, not a corner
    assert compared["per type"] > 0.7 * possible["per type"]
    if not nested:
        assert compared["overall"] > 0.5 * possible["overall"]


def test_type_schema_pairs_for_the_most_full_credit_pairs():
    # The case: predicted (2,5) is closest to gold (2,5) (distance 0), but taking that pair leaves
    # predicted (0,3), which overlaps only gold (2,5), unpaired. Pairing (0,3)-(2,5) and (2,5)-(3,5)
    # gives 2 same-type pairs: tp 2, no fp, no fn (P = R = F1 = 1). Greedy by distance gave tp 1.
    gold = [(2, 5, "PERS"), (3, 5, "PERS")]
    predicted = [(0, 3, "PERS"), (2, 5, "PERS")]
    counts = _totals(gold, predicted, metrics=SCHEMAS)
    assert counts["type", OVERALL] == Counts(tp=2)
    assert counts["type", "PERS"] == Counts(tp=2)
    assert _nervaluate_counts(gold, predicted)["type", OVERALL].tp == 2
    # strict and exact keep their one same-span pair; the other two entities are no pair (no overlap left)
    assert counts["strict", OVERALL].tp == 1


def _most_pairs(gold, predicted, full_credit):
    """Brute force: the largest number of overlapping one-to-one pairs that earn full credit."""

    def best(i, used):
        if i == len(predicted):
            return 0
        options = [best(i + 1, used)]
        for j, g in enumerate(gold):
            if j not in used and max(predicted[i][0], g[0]) < min(predicted[i][1], g[1]) and full_credit(predicted[i], g):
                options.append(1 + best(i + 1, used | {j}))
        return max(options)

    return best(0, frozenset())


FULL_CREDIT = {
    "strict": lambda p, g: p == g,
    "exact": lambda p, g: p[:2] == g[:2],
    "partial": lambda p, g: p[:2] == g[:2],
    "type": lambda p, g: p[2] == g[2],
}


def test_full_credit_pairs_are_the_brute_force_maximum_and_never_below_nervaluate():
    rng = random.Random(4242)
    for _ in range(300):
        gold = layer_of(_gold_document(rng, 24, True), "nested")
        predicted = layer_of(_perturb(rng, gold, 24), "nested")
        if len(gold) > 7 or len(predicted) > 7:
            continue
        ours = _totals(gold, predicted, metrics=SCHEMAS)
        theirs = _nervaluate_counts(gold, predicted)
        for metric, full_credit in FULL_CREDIT.items():
            tp = ours.get((metric, OVERALL), Counts()).tp
            assert tp == _most_pairs(gold, predicted, full_credit), (metric, gold, predicted)
            assert tp >= theirs[metric, OVERALL].tp, (metric, gold, predicted)
            for label in {e[2] for e in gold} & {e[2] for e in predicted}:
                of_type = ([e for e in gold if e[2] == label], [e for e in predicted if e[2] == label])
                assert ours[metric, label].tp == _most_pairs(*of_type, full_credit), (metric, label, gold, predicted)


def test_strict_is_the_set_intersection_even_under_competition():
    rng = random.Random(11)
    for _ in range(300):
        gold = layer_of(_gold_document(rng, 60, True), "nested")
        predicted = layer_of(_perturb(rng, gold, 60), "nested")
        counts = _totals(gold, predicted).get(("strict", OVERALL), Counts())
        assert counts.tp == len(set(gold) & set(predicted))
        assert (counts.predicted, counts.gold) == (len(predicted), len(gold))


def _counts_by_match(gold, predicted, metric, text):
    """One document's counts under ``metric`` from :func:`match` (the per-document statement of the
    rule), overall and per type, the latter re-matching the entities of each type alone."""
    credit = {"correct": "tp", "partial": "partial", "incorrect": "incorrect"}

    def counts(g, p):
        matched, spurious, missed = match(g, p, metric, text)
        fields = Counter(credit[c] for _, _, c in matched)
        return Counts(tp=fields["tp"], fp=len(spurious), fn=len(missed), partial=fields["partial"], incorrect=fields["incorrect"])

    out = {(metric, OVERALL): counts(gold, predicted)}
    for label in {e[2] for e in gold} | {e[2] for e in predicted}:
        out[metric, label] = counts([e for e in gold if e[2] == label], [e for e in predicted if e[2] == label])
    return out


@pytest.mark.parametrize("layer", ["flat", "nested"])
def test_the_corpus_tally_equals_matching_each_document_alone(layer):
    # The scorer tallies the whole corpus at once (documents laid end to end, uncontested pairs counted
    # in bulk); summing match() over the documents, metric by metric, must give the same counts. Long
    # spans exercise the minimum overlap, adjacent documents the layout, the texts the clitic metrics.
    rng = random.Random(17)
    for round_ in range(12):
        gold, predicted, texts = _random_corpus(100 + round_, documents=8)
        gold["long"] = [(0, 150, "ORG"), (10, 20, "GPE"), (140, 160, "PERS")]
        predicted["long"] = [(0, 140, "ORG"), (148, 160, "PERS"), (149, 152, "DATE")]
        texts["long"] = "".join(rng.choice("والقدسبمدينة ") for _ in range(170))
        report = score_entity_spans(gold=gold, predictions=predicted, texts=texts, layer=layer, bootstrap=0)
        expected = {}
        for doc in gold:
            g, p = layer_of(gold[doc], layer), layer_of(predicted.get(doc, ()), layer)
            for metric in METRICS:
                for key, counts in _counts_by_match(g, p, metric, texts[doc]).items():
                    expected[key] = expected.get(key, Counts()) + counts
        assert {key: report.counts(*key) for key in expected} == expected
        assert set(report.board.keys) == set(expected)


def test_flat_layer_of_a_corpus_is_the_outermost_of_each_document():
    gold, predicted, texts = _random_corpus(21)
    flat = score_entity_spans(gold=gold, predictions=predicted, texts=texts, layer="flat", bootstrap=0)
    nested_of_outermost = score_entity_spans(
        gold={d: outermost(s) for d, s in gold.items()},
        predictions={d: outermost(s) for d, s in predicted.items()},
        texts=texts,
        layer="nested",
        bootstrap=0,
    )
    assert flat.board.keys == nested_of_outermost.board.keys
    assert (flat.board.counts == nested_of_outermost.board.counts).all()
    assert flat.counts("strict").gold < score_entity_spans(gold=gold, predictions=predicted, layer="nested", bootstrap=0).counts("strict").gold


# --------------------------------------------------------------------------------------------------
# Invariances


def _random_corpus(seed, documents=40):
    rng = random.Random(seed)
    gold = {f"doc{i:03d}": _gold_document(rng, 80, True) for i in range(documents)}
    predicted = {doc: _perturb(rng, spans, 80) for doc, spans in gold.items()}
    texts = {doc: "".join(rng.choice("والقدسبمدينة ") for _ in range(80)) for doc in gold}
    return gold, predicted, texts


@pytest.mark.parametrize("layer", ["flat", "nested"])
def test_shuffling_and_duplicating_predictions_change_nothing(layer):
    gold, predicted, texts = _random_corpus(12)
    reference = score_entity_spans(gold=gold, predictions=predicted, texts=texts, layer=layer, bootstrap=50)
    rng = random.Random(13)
    shuffled = {doc: rng.sample(spans, len(spans)) for doc, spans in reversed(predicted.items())}
    doubled = {doc: spans + spans[::-1] for doc, spans in predicted.items()}
    for variant in (shuffled, doubled):
        report = score_entity_spans(gold=gold, predictions=variant, texts=texts, layer=layer, bootstrap=50)
        assert report.to_dict() == reference.to_dict()


@pytest.mark.parametrize("layer", ["flat", "nested"])
def test_gold_against_itself_is_perfect_and_an_empty_submission_recalls_nothing(layer):
    gold, _, texts = _random_corpus(14)
    perfect = score_entity_spans(gold=gold, predictions=gold, texts=texts, layer=layer, bootstrap=100).to_dict()
    empty = score_entity_spans(gold=gold, predictions={}, texts=texts, layer=layer, bootstrap=100).to_dict()
    for metric in METRICS:
        rows = [perfect["metrics"][metric]["overall"], *perfect["metrics"][metric]["per_label"].values()]
        assert all(row["precision"] == row["recall"] == row["f1"] == 1.0 for row in rows)
        assert perfect["metrics"][metric]["macro"]["f1"] == 1.0
        assert perfect["metrics"][metric]["overall"]["f1_interval"] == [1.0, 1.0]
        assert empty["metrics"][metric]["overall"]["recall"] == 0.0
        assert empty["metrics"][metric]["overall"]["fn"] > 0


# --------------------------------------------------------------------------------------------------
# The Document-level API


def _document(doc_id, text, sentence_ends, mentions):
    starts = [0, *sentence_ends[:-1]]
    return Document(
        id=doc_id,
        text=text,
        meta={},
        sentences=tuple(Span(s, e) for s, e in zip(starts, sentence_ends)),
        entities=tuple(
            Mention(f"T{i}", s, e, text[s:e], t, "name", f"E{i}") for i, (s, e, t) in enumerate(mentions, 1)
        ),
    )


def test_score_entities_on_documents_resamples_sentences_of_a_small_corpus():
    text = "قال والقدس القدس بالمدينة. ثم عاد."
    doc = _document("d1", text, [26, len(text)], [(4, 10, "GPE"), (17, 26, "LOC"), (30, 33, "PERS")])
    prediction = Prediction("d1", entities=(PredictedEntity(5, 10, "GPE"), PredictedEntity(30, 33, "PERS")))
    report = score_entities(gold=[doc], predictions={"d1": prediction}, bootstrap=20)
    assert len(report.board.units) == 2  # two sentences, one document
    # strict: PERS correct, (5,10) incorrect, LOC missed: tp 1, incorrect 1, fn 1 -> P = 1/2, R = 1/3
    assert report.counts("strict") == Counts(tp=1, fn=1, incorrect=1)
    assert report.counts("strict_clitic") == Counts(tp=2, fn=1)
    # the missed LOC (17..26) is in sentence 0; the PERS match (30..33) in sentence 1
    assert report.board.unit_counts(1)[("strict", OVERALL)] == Counts(tp=1)
    # a document without a prediction is scored as predicting nothing
    assert score_entities(gold=[doc], predictions={}, bootstrap=0).counts("strict") == Counts(fn=3)


def test_report_output_is_identical_whatever_the_hash_seed():
    program = (
        "import json, random\n"
        "from tests.test_scorer_entities import _random_corpus\n"
        "from khabar.scorers.entities import score_entity_spans\n"
        "g, p, t = _random_corpus(15)\n"
        "r = score_entity_spans(gold=g, predictions=p, texts=t, layer='nested', bootstrap=100)\n"
        "print(json.dumps(r.to_dict()))\n"
        "print(r.table())\n"
    )
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    outputs = {
        subprocess.run(
            [sys.executable, "-c", program],
            cwd=root,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("0", "1", "4242")
    }
    assert len(outputs) == 1
    assert json.loads(outputs.pop().split("\n")[0])["task"] == "entities"


def test_the_table_shows_the_numbers_of_the_json_report():
    # every row of the table, parsed back, against the JSON report: counts, P, R, F1 as percentages with
    # two decimals, and the interval's half-width (high - low) / 2
    gold, predicted, texts = _random_corpus(16)
    report = score_entity_spans(gold=gold, predictions=predicted, texts=texts, layer="nested", bootstrap=100)
    data = report.to_dict()["metrics"]

    def percent(value):
        return f"{100 * value:.2f}"

    shown = {}
    for line in report.table().splitlines()[3:]:
        cells = line.split()
        if cells and cells[0] in data:
            shown[cells[0], cells[1]] = cells[2:]
    expected = {}
    for metric, rows in data.items():
        for label, row in [("overall", rows["overall"]), *rows["per_label"].items()]:
            low, high = row["f1_interval"]
            counts = [str(row[name]) for name in ("gold", "predicted", "tp", "fp", "fn", "partial", "incorrect")]
            scores = [percent(row["precision"]), percent(row["recall"]), percent(row["f1"]), percent((high - low) / 2)]
            expected[metric, label] = counts + scores
        low, high = rows["macro"]["f1_interval"]
        expected[metric, "macro"] = [percent(rows["macro"]["f1"]), percent((high - low) / 2)]
    assert shown == expected


@pytest.mark.parametrize(
    "gold, texts, sentence_starts, message",
    [
        ({"d": [(-1, 3, "ORG")]}, None, None, "0 <= start < end"),
        ({"d": [(3, 3, "ORG")]}, None, None, "0 <= start < end"),
        ({"d": [(0.0, 3, "ORG")]}, None, None, "integers"),
        ({"d": [(0, 2**70, "ORG")]}, None, None, "integers"),
        ({"d": [(0, 3)]}, None, None, "(start, end, type)"),
        ({"d": [(0, 9, "ORG")]}, {"d": "قال وزير"}, None, "past the end"),
        ({"d": [(0, 3, "ORG")]}, {}, None, "text of every gold document"),
        ({"d": [(0, 3, "ORG")]}, None, {"d": [0, 9, 4]}, "sentence starts"),
    ],
)
def test_spans_the_layout_cannot_hold_are_refused(gold, texts, sentence_starts, message):
    # The corpus is laid out on one line, document after document: a span outside its document (or a
    # unit start out of order) would silently meet another document's, so it is refused instead.
    with pytest.raises(ValueError, match=re.escape(message)):
        score_entity_spans(gold=gold, predictions={}, texts=texts, sentence_starts=sentence_starts, bootstrap=0)


def test_entities_as_columns_score_as_the_same_spans_do():
    # two documents, ids out of order in the mapping: columns index the sorted ids (a, b)
    gold = {"b": [(0, 3, "ORG"), (4, 9, "GPE")], "a": [(2, 5, "PERS")]}
    predicted = {"b": [(0, 3, "GPE"), (4, 9, "GPE")], "a": [(2, 5, "PERS"), (6, 8, "DATE")]}

    def columns(spans):
        rows = [(document, *entity) for document, doc_id in enumerate(("a", "b")) for entity in spans[doc_id]]
        types = sorted({row[3] for row in rows})
        return EntityColumns(
            np.array([r[0] for r in rows]), np.array([r[1] for r in rows]), np.array([r[2] for r in rows]),
            np.array([types.index(r[3]) for r in rows]), types,
        )

    by_spans = score_entity_spans(gold=gold, predictions=predicted, bootstrap=50)
    by_columns = score_entity_columns(documents=["a", "b"], gold=columns(gold), predictions=columns(predicted), bootstrap=50)
    assert by_columns.to_dict() == by_spans.to_dict()
    # strict: PERS and GPE right, ORG retyped, DATE invented: tp 2, fp 1, incorrect 1 -> P = 2/4, R = 2/3
    assert by_columns.counts("strict") == Counts(tp=2, fp=1, incorrect=1)
    with pytest.raises(ValueError, match="sorted distinct ids"):
        score_entity_columns(documents=["b", "a"], gold=columns(gold), predictions=columns(predicted))
    with pytest.raises(ValueError, match="out of range"):
        score_entity_columns(documents=["a"], gold=columns(gold), predictions=columns(predicted))
