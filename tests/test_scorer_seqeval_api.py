"""khabar.scorers' seqeval API returns seqeval 1.2.2's numbers, on random tags of every scheme, in both
modes, for every average and zero_division; and its extras (nervaluate schemas, intervals, the flat
dict) agree with the rest of Khabar's scorer."""

from __future__ import annotations

import random
import warnings

import numpy as np
import pytest
from seqeval import metrics as seqeval_metrics
from seqeval import scheme as seqeval_schemes

from khabar import scorers
from khabar.scorers.conll import SCHEMES

TYPES = ("PER", "LOC", "ORG")
AVERAGES = (None, "micro", "macro", "weighted")


def random_tags(rng: random.Random, scheme: str, sentences: int) -> list[list[str]]:
    prefixes = [p for p in SCHEMES[scheme].prefixes if p != "O"]
    out = []
    for _ in range(sentences):
        length = rng.randint(0, 9)
        out.append(["O" if rng.random() < 0.35 else f"{rng.choice(prefixes)}-{rng.choice(TYPES)}" for _ in range(length)])
    return out


def pairs(scheme: str, count: int = 30):
    rng = random.Random(f"{scheme}-seqeval")
    for _ in range(count):
        n = rng.randint(1, 6)
        gold = random_tags(rng, scheme, n)
        predicted = [
            [tag if rng.random() < 0.6 else rng.choice(["O", *(f"{p}-{t}" for p in SCHEMES[scheme].prefixes if p != "O" for t in TYPES)]) for tag in sentence]
            for sentence in gold
        ]
        yield gold, predicted


def same(ours, theirs) -> None:
    """Equal, as arrays or numbers, NaN included (seqeval's macro average of no type is NaN)."""
    assert isinstance(ours, np.ndarray) == isinstance(theirs, np.ndarray), (ours, theirs)
    assert np.array_equal(ours, theirs, equal_nan=True), (ours, theirs)


@pytest.fixture(autouse=True)
def quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


@pytest.mark.parametrize("scheme", list(SCHEMES))
@pytest.mark.parametrize("mode", [None, "strict"])
def test_scores_are_seqevals_for_every_average_and_zero_division(scheme, mode):
    seqeval_scheme = getattr(seqeval_schemes, scheme)
    for gold, predicted in pairs(scheme):
        for average in AVERAGES:
            for zero_division in ("warn", 0, 1):
                keywords = {"average": average, "mode": mode, "zero_division": zero_division}
                for name in ("f1_score", "precision_score", "recall_score"):
                    theirs = getattr(seqeval_metrics, name)(gold, predicted, scheme=seqeval_scheme, **keywords)
                    same(getattr(scorers, name)(gold, predicted, scheme=scheme, **keywords), theirs)
                    same(getattr(scorers, name)(gold, predicted, scheme=seqeval_scheme, **keywords), theirs)


@pytest.mark.parametrize("scheme", list(SCHEMES))
@pytest.mark.parametrize("mode", [None, "strict"])
def test_classification_report_is_seqevals_as_text_and_dict(scheme, mode):
    seqeval_scheme = getattr(seqeval_schemes, scheme)
    compared = 0
    for gold, predicted in pairs(scheme, 25):
        try:
            theirs = seqeval_metrics.classification_report(gold, predicted, mode=mode, scheme=seqeval_scheme)
        except ValueError:  # seqeval's text report fails when no chunk is found at all
            continue
        compared += 1
        for digits in (2, 4):
            theirs = seqeval_metrics.classification_report(gold, predicted, mode=mode, scheme=seqeval_scheme, digits=digits)
            assert scorers.classification_report(gold, predicted, mode=mode, scheme=scheme, digits=digits) == theirs
        theirs = seqeval_metrics.classification_report(gold, predicted, mode=mode, scheme=seqeval_scheme, output_dict=True, zero_division=1)
        assert scorers.classification_report(gold, predicted, mode=mode, scheme=scheme, output_dict=True, zero_division=1) == theirs
    assert compared > 10


def test_accuracy_is_seqevals():
    for gold, predicted in pairs("IOB2", 20):
        if sum(map(len, gold)):
            assert scorers.accuracy_score(gold, predicted) == seqeval_metrics.accuracy_score(gold, predicted)


def test_strict_without_a_scheme_is_the_default_mode_in_scores_and_a_guess_in_the_report():
    gold = [["I-PER", "I-PER", "O", "B-LOC"]]
    predicted = [["B-PER", "I-PER", "O", "B-LOC"]]
    # the default mode reads the stray I-PER as a chunk: 2 of 2 found; strict IOB2 drops it: 1 of 1 gold
    assert scorers.f1_score(gold, predicted, mode="strict") == seqeval_metrics.f1_score(gold, predicted, mode="strict") == 1.0
    assert scorers.classification_report(gold, predicted, mode="strict", output_dict=True) == seqeval_metrics.classification_report(
        gold, predicted, mode="strict", output_dict=True
    )


def test_a_tag_outside_the_strict_scheme_is_a_value_error_as_in_seqeval():
    with pytest.raises(ValueError):
        seqeval_metrics.f1_score([["E-PER"]], [["O"]], mode="strict", scheme=seqeval_schemes.IOB2)
    with pytest.raises(ValueError, match="outside IOB2"):
        scorers.f1_score([["E-PER"]], [["O"]], mode="strict", scheme="IOB2")


def test_schemas_give_partial_credit_for_an_overlap():
    gold = [["B-PER", "I-PER", "I-PER", "O"], ["B-LOC", "O"]]
    predicted = [["B-PER", "I-PER", "O", "O"], ["B-ORG", "O"]]
    # strict: 0 of 2 correct. partial: PER overlaps (half credit), LOC/ORG same span: exact match,
    # credit 1.5 of 2 predicted and 2 gold: P = R = F1 = 0.75. type: PER type right (1), LOC wrong: 0.5.
    assert scorers.f1_score(gold, predicted) == 0.0
    assert scorers.f1_score(gold, predicted, schema="strict") == 0.0
    assert scorers.f1_score(gold, predicted, schema="partial") == 0.75
    assert scorers.precision_score(gold, predicted, schema="type") == 0.5
    with pytest.raises(ValueError):
        scorers.f1_score(gold, predicted, schema="partial", average="weighted")


def test_report_intervals_and_the_flat_dict_agree_with_the_strict_numbers():
    gold, predicted = next(p for p in pairs("IOBES", 40) if sum(map(len, p[0])) > 20)
    gold, predicted = gold * 4, predicted * 4
    report = scorers.classification_report(gold, predicted, mode="strict", scheme="IOBES", output_dict=True, bootstrap=200, seed=3)
    low, high = report["micro avg"]["f1-score interval"]
    assert low <= report["micro avg"]["f1-score"] <= high and low < high
    flat = scorers.tag_metrics(gold, predicted, mode="strict", scheme="IOBES", per_label=True)
    assert flat["entities/strict/f1"] == pytest.approx(seqeval_metrics.f1_score(gold, predicted, mode="strict", scheme=seqeval_schemes.IOBES))
    assert flat["entities/strict/macro_f1"] == pytest.approx(
        seqeval_metrics.f1_score(gold, predicted, mode="strict", scheme=seqeval_schemes.IOBES, average="macro")
    )
    for kind, row in seqeval_metrics.classification_report(gold, predicted, mode="strict", scheme=seqeval_schemes.IOBES, output_dict=True).items():
        if not kind.endswith(" avg"):
            assert flat[f"entities/strict/{kind}/f1"] == pytest.approx(row["f1-score"])
    assert all(isinstance(v, float) for v in flat.values()) and {"entities/partial/f1", "entities/type/recall"} <= set(flat)


def test_nested_layers_score_every_chunk_or_the_outermost():
    # gold: ORG over tokens 0-1 holding GPE at token 0 (two layers); the system finds the ORG only.
    gold = [[("B-ORG", "B-GPE"), ("I-ORG", "O"), ("O",)]]
    predicted = [[("B-ORG", "O"), ("I-ORG", "O"), ("O", "O")]]
    # nested: 1 of 2 gold chunks, 1 of 1 predicted: P = 1, R = 1/2, F1 = 2/3; flat (outermost): ORG = ORG, 1.0
    nested = scorers.tag_metrics(gold, predicted, mode="strict", scheme="IOB2", layer="nested")
    assert (nested["entities/strict/precision"], nested["entities/strict/recall"]) == (1.0, 0.5)
    assert nested["entities/strict/f1"] == pytest.approx(2 / 3)
    assert scorers.tag_metrics(gold, predicted, mode="strict", scheme="IOB2")["entities/strict/f1"] == 1.0
    with pytest.raises(ValueError, match="nested layers"):
        scorers.f1_score(gold, predicted)
