"""The shared scoring core: counts, matching, corpus sums, bootstrap intervals, paired tests, signature."""

import itertools
import random

import numpy as np
import pytest

from khabar.scorers.core import (
    OVERALL,
    Counts,
    Interval,
    Scoreboard,
    Tally,
    bootstrap,
    choose_unit,
    greedy_match,
    maximum_match,
    overlapping_index_pairs,
    overlapping_pairs,
    paired_tests,
    signature,
)


# --------------------------------------------------------------------------------------------------
# Counts


def test_counts_textbook_precision_recall_f1():
    # P = 3/(3+1) = 0.75, R = 3/(3+2) = 0.6, F1 = 2*0.75*0.6/(0.75+0.6) = 0.9/1.35 = 2/3
    counts = Counts(tp=3, fp=1, fn=2)
    assert counts.precision == pytest.approx(0.75)
    assert counts.recall == pytest.approx(0.6)
    assert counts.f1 == pytest.approx(2 / 3)


def test_counts_partial_and_incorrect_follow_semeval():
    # predicted = COR+SPU+PAR+INC = 2+1+2+1 = 6; gold = COR+MIS+PAR+INC = 2+3+2+1 = 8;
    # credit = COR + PAR/2 = 3; P = 3/6 = 0.5; R = 3/8 = 0.375; F1 = 2*0.5*0.375/0.875 = 3/7
    counts = Counts(tp=2, fp=1, fn=3, partial=2, incorrect=1)
    assert (counts.predicted, counts.gold) == (6, 8)
    assert counts.precision == pytest.approx(0.5)
    assert counts.recall == pytest.approx(0.375)
    assert counts.f1 == pytest.approx(3 / 7)


def test_zero_over_zero_is_zero():
    assert (Counts().precision, Counts().recall, Counts().f1) == (0.0, 0.0, 0.0)
    # nothing predicted: P = 0/0 = 0, R = 0/4 = 0
    assert Counts(fn=4).f1 == 0.0


def test_counts_add_fieldwise():
    assert Counts(1, 2, 3, 4, 5) + Counts(10, 20, 30, 40, 50) == Counts(11, 22, 33, 44, 55)


# --------------------------------------------------------------------------------------------------
# Matching


def test_greedy_match_takes_best_rank_then_earliest_prediction_then_earliest_gold():
    # candidates (rank, pred, gold): (0, 1, 0) and (0, 2, 0) compete for gold 0 with the same rank, so the
    # earlier prediction (1) wins; prediction 0's only option is gold 0 at a worse rank, so it stays
    # unmatched; prediction 2 falls back to gold 1.
    candidates = [(1, 0, 0), (0, 2, 0), (0, 1, 0), (1, 2, 1)]
    assert greedy_match(candidates) == [(1, 0, 0), (2, 1, 1)]
    assert greedy_match(reversed(candidates)) == greedy_match(candidates)


def test_maximum_match_recovers_the_pair_greedy_loses():
    # prediction 0 can only take gold 0; prediction 1 prefers gold 0 (rank (0, 0)) but can take gold 1.
    # Greedy gives gold 0 to prediction 1 and leaves prediction 0 unpaired (1 pair); the maximum is 2.
    candidates = [((0, 3), 0, 0), ((0, 0), 1, 0), ((0, 1), 1, 1)]
    assert [(p, g) for p, g, _ in greedy_match(candidates)] == [(1, 0)]
    assert maximum_match(candidates) == [(0, 0, (0, 3)), (1, 1, (0, 1))]


def test_maximum_match_fills_a_later_tier_only_with_items_left_free():
    # the tier-0 pairs (0, 0) and (1, 1) both stand; the tier-1 pair (0, 1) would need both taken items
    candidates = [((1, 0), 0, 1), ((0, 5), 0, 0), ((0, 5), 1, 1), ((1, 0), 2, 0)]
    assert [(p, g) for p, g, _ in maximum_match(candidates)] == [(0, 0), (1, 1)]


def _most_pairs(candidates, tier, free_predictions=None, free_gold=None):
    """Brute force: the largest number of one-to-one pairs of ``tier`` among the items given free."""
    edges = {(p, g) for r, p, g in candidates if r[0] == tier}
    edges = {(p, g) for p, g in edges if free_predictions is None or (p in free_predictions and g in free_gold)}
    predictions = sorted({p for p, _ in edges})

    def best(i, used):
        if i == len(predictions):
            return 0
        return max([best(i + 1, used)] + [1 + best(i + 1, used | {g}) for p, g in edges if p == predictions[i] and g not in used])

    return best(0, frozenset())


def test_maximum_match_equals_brute_force_maximum_on_random_cases():
    rng = random.Random(7)
    for _ in range(500):
        n_pred, n_gold = rng.randint(1, 5), rng.randint(1, 5)
        candidates = [
            ((rng.randint(0, 1), rng.randint(0, 3)), p, g)
            for p in range(n_pred)
            for g in range(n_gold)
            if rng.random() < 0.45
        ]
        pairs = maximum_match(candidates)
        assert len({p for p, _, _ in pairs}) == len({g for _, g, _ in pairs}) == len(pairs)
        assert {(p, g) for p, g, _ in pairs} <= {(p, g) for _, p, g in candidates}
        # as many tier-0 pairs as any matching; then as many tier-1 pairs as the items left free allow
        assert sum(r[0] == 0 for _, _, r in pairs) == _most_pairs(candidates, 0), candidates
        free_predictions = set(range(n_pred)) - {p for p, _, r in pairs if r[0] == 0}
        free_gold = set(range(n_gold)) - {g for _, g, r in pairs if r[0] == 0}
        assert sum(r[0] == 1 for _, _, r in pairs) == _most_pairs(candidates, 1, free_predictions, free_gold), candidates
        assert maximum_match(reversed(candidates)) == pairs


def _random_spans(rng, n, length=60):
    spans = set()
    while len(spans) < n:
        start = rng.randrange(length)
        spans.add((start, rng.randint(start + 1, min(length, start + 15)), "X"))
    return sorted(spans)


def test_overlapping_pairs_equal_brute_force_on_nested_spans():
    rng = random.Random(1)
    for _ in range(300):
        predicted, gold = _random_spans(rng, rng.randint(0, 8)), _random_spans(rng, rng.randint(0, 8))
        brute = [
            (p, g)
            for p, (ps, pe, _) in enumerate(predicted)
            for g, (gs, ge, _) in enumerate(gold)
            if max(ps, gs) < min(pe, ge)
        ]
        assert sorted(overlapping_pairs(predicted, gold)) == brute


def test_overlapping_index_pairs_equal_brute_force_across_documents():
    # several documents laid end to end (document d's offsets shifted by 100 d), as the entity scorer
    # lays out a corpus
    rng = random.Random(2)
    for _ in range(200):
        predicted, gold = [], []
        for document in range(rng.randint(1, 4)):
            shift = 100 * document
            predicted += [(s + shift, e + shift, document) for s, e, _ in _random_spans(rng, rng.randint(0, 6))]
            gold += [(s + shift, e + shift, document) for s, e, _ in _random_spans(rng, rng.randint(0, 6))]
        predicted.sort()
        gold.sort()
        columns = [np.array([item[i] for item in side], dtype=np.int64) for side in (predicted, gold) for i in (0, 1)]
        p, g = overlapping_index_pairs(*columns)
        brute = [
            (i, j)
            for i, (ps, pe, _) in enumerate(predicted)
            for j, (gs, ge, _) in enumerate(gold)
            if max(ps, gs) < min(pe, ge)
        ]
        assert list(zip(p.tolist(), g.tolist())) == brute


# --------------------------------------------------------------------------------------------------
# Corpus sums


def _board(rng, n_units, accuracy, labels=("A", "B")):
    """Per-unit counts of a synthetic system: each gold item found with probability ``accuracy``."""
    rows = {}
    for unit in range(n_units):
        row = {}
        total = Counts()
        for label in labels:
            gold = rng.randint(0, 4)
            tp = sum(rng.random() < accuracy for _ in range(gold))
            counts = Counts(tp=tp, fp=rng.randint(0, 1), fn=gold - tp)
            row[("m", label)] = counts
            total += counts
        row[("m", OVERALL)] = total
        rows[("doc", unit)] = row
    return Scoreboard.from_units(rows)


def test_recording_by_index_equals_recording_one_by_one():
    def expand(event):
        return [(("m", OVERALL), event), (("m", "A"), event)]

    units, events = [("d", 0), ("d", 1), ("e", 0), ("f", 0)], ["tp", "fp", "fn"]
    rng = random.Random(5)
    pairs = [(rng.randrange(3), rng.randrange(3)) for _ in range(40)]  # unit ("f", 0) has no event
    one_by_one, indexed = Tally(expand), Tally(expand)
    one_by_one.add_unit(("f", 0))
    for u, e in pairs:
        one_by_one.record(units[u], events[e])
    indexed.record_indexed(units, np.array([u for u, _ in pairs]), events, np.array([e for _, e in pairs]))
    a, b = one_by_one.scoreboard(), indexed.scoreboard()
    assert (a.units, a.keys) == (b.units, b.keys) and (a.counts == b.counts).all()
    assert a.counts.sum() == 2 * len(pairs) and b.units[-1] == ("f", 0)


def test_scoreboard_totals_are_sums_and_macro_is_mean_of_label_f1():
    board = Scoreboard.from_units(
        {
            ("d", 1): {("m", OVERALL): Counts(1, 0, 1), ("m", "A"): Counts(1, 0, 1)},
            ("d", 0): {("m", OVERALL): Counts(2, 2, 0), ("m", "A"): Counts(1, 0, 0), ("m", "B"): Counts(1, 2, 0)},
        }
    )
    assert board.units == (("d", 0), ("d", 1))
    assert board.total("m") == Counts(3, 2, 1)
    # A: tp 2, fp 0, fn 1 -> P 1, R 2/3, F1 0.8; B: tp 1, fp 2, fn 0 -> P 1/3, R 1, F1 0.5; macro 0.65
    assert board.labels("m") == ("A", "B")
    assert board.macro_f1("m") == pytest.approx(0.65)


def test_choose_unit_switches_to_documents_at_thirty():
    assert (choose_unit(29), choose_unit(30)) == ("sentence", "document")


# --------------------------------------------------------------------------------------------------
# Bootstrap


def _naive_bootstrap_f1(board, key, resamples, seed):
    """The documented resampling rule, written out with plain loops: replicate r draws index
    floor(w * n / 2**32) for each little-endian 32-bit word w of Random(seed).randbytes, replicates in
    sequence; F1 from the summed counts, replicates without gold or predicted items of the key left out."""
    rng = random.Random(seed)
    n = len(board.units)
    values = []
    for _ in range(resamples):
        data = rng.randbytes(4 * n)
        total = Counts()
        for i in range(n):
            word = int.from_bytes(data[4 * i : 4 * i + 4], "little")
            total += board.unit_counts(word * n >> 32).get(key, Counts())
        if total.gold or total.predicted:
            values.append(total.f1)
    values.sort()
    return _percentile(values, 0.025), _percentile(values, 0.975)


def _percentile(sorted_values, fraction):
    """Linear interpolation between order statistics, written out."""
    position = (len(sorted_values) - 1) * fraction
    below = int(position)
    above = min(below + 1, len(sorted_values) - 1)
    return sorted_values[below] + (position - below) * (sorted_values[above] - sorted_values[below])


def test_bootstrap_equals_a_plain_loop_implementation_of_the_documented_rule():
    board = _board(random.Random(3), 37, 0.6)
    intervals = bootstrap(board, resamples=250, seed=99)  # 250 > one chunk of 100 replicates
    for key in (("m", OVERALL), ("m", "B")):
        low, high = _naive_bootstrap_f1(board, key, 250, 99)
        assert intervals.f1[key].low == pytest.approx(low)
        assert intervals.f1[key].high == pytest.approx(high)


def test_a_perfect_system_has_a_zero_width_interval_even_for_rare_labels():
    # one unit of label R among 40 of label C, all predicted exactly: every replicate that draws an R
    # unit gives R an F1 of 1; the others have no R at all and leave R's F1 undefined, not 0
    units = {i: {("m", "R" if i == 0 else "C"): Counts(tp=1), ("m", OVERALL): Counts(tp=1)} for i in range(41)}
    intervals = bootstrap(Scoreboard.from_units(units), resamples=300, seed=5)
    assert intervals.f1[("m", "R")] == Interval(1.0, 1.0)
    assert intervals.macro["m"] == Interval(1.0, 1.0)


def test_bootstrap_is_deterministic_and_seeded():
    board = _board(random.Random(4), 50, 0.7)
    assert bootstrap(board, seed=1) == bootstrap(board, seed=1)
    assert bootstrap(board, seed=1).f1 != bootstrap(board, seed=2).f1


def test_intervals_contain_the_estimate_and_shrink_as_data_grows():
    widths = []
    for n_units in (50, 200, 800):
        board = _board(random.Random(5), n_units, 0.7)
        intervals = bootstrap(board)
        for key, interval in intervals.f1.items():
            assert interval.low <= board.total(*key).f1 <= interval.high
        assert intervals.macro["m"].low <= board.macro_f1("m") <= intervals.macro["m"].high
        widths.append(intervals.f1[("m", OVERALL)].half_width)
    assert widths[0] > widths[1] > widths[2]
    # the half-width of a proportion-like statistic shrinks about as 1/sqrt(n): x4 data, about /2
    assert 1.5 < widths[0] / widths[1] < 2.7


# --------------------------------------------------------------------------------------------------
# Paired tests


def test_identical_systems_are_not_different():
    board = _board(random.Random(6), 40, 0.7)
    per_key, macro = paired_tests(board, board, resamples=200)
    for result in [*per_key.values(), *macro.values()]:
        assert result.delta == 0
        assert result.p_bootstrap == result.p_randomization == 1.0


def test_a_much_better_system_is_significant_and_tests_are_symmetric():
    a, b = _board(random.Random(7), 200, 0.4), _board(random.Random(7), 200, 0.9)
    ab, _ = paired_tests(a, b, resamples=500)
    ba, _ = paired_tests(b, a, resamples=500)
    key = ("m", OVERALL)
    assert ab[key].delta > 0.2
    # no replicate reaches the observed difference: p = (0 + 1) / (500 + 1)
    assert ab[key].p_bootstrap == ab[key].p_randomization == pytest.approx(1 / 501)
    assert ba[key].delta == pytest.approx(-ab[key].delta)
    assert (ba[key].p_bootstrap, ba[key].p_randomization) == (ab[key].p_bootstrap, ab[key].p_randomization)


def test_approximate_randomization_approaches_the_exact_permutation_test():
    rng = random.Random(8)
    n_units = 10
    rows_a, rows_b = {}, {}
    for unit in range(n_units):
        gold = rng.randint(1, 5)
        tp_a, tp_b = rng.randint(0, gold), rng.randint(0, gold)
        rows_a[unit] = {("m", OVERALL): Counts(tp_a, rng.randint(0, 2), gold - tp_a)}
        rows_b[unit] = {("m", OVERALL): Counts(tp_b, rng.randint(0, 2), gold - tp_b)}
    a, b = Scoreboard.from_units(rows_a), Scoreboard.from_units(rows_b)

    def f1_difference(swaps):
        total_a, total_b = Counts(), Counts()
        for unit, swap in enumerate(swaps):
            ca, cb = rows_a[unit][("m", OVERALL)], rows_b[unit][("m", OVERALL)]
            total_a, total_b = (total_a + cb, total_b + ca) if swap else (total_a + ca, total_b + cb)
        return total_b.f1 - total_a.f1

    observed = f1_difference([0] * n_units)
    assignments = list(itertools.product((0, 1), repeat=n_units))
    exact = sum(abs(f1_difference(s)) >= abs(observed) - 1e-12 for s in assignments) / len(assignments)
    per_key, _ = paired_tests(a, b, resamples=5000)
    assert per_key[("m", OVERALL)].p_randomization == pytest.approx(exact, abs=0.03)


def _rare_label_board(spurious_unit=None):
    """40 units of label C (tp 3, fp 1, fn 1 each); label R has one gold item, in unit 0, found. With
    ``spurious_unit``, that unit also predicts one item of label S, which the gold never has."""
    rows = {}
    for unit in range(40):
        row = {("m", "C"): Counts(tp=3, fp=1, fn=1), ("m", OVERALL): Counts(tp=3, fp=1, fn=1)}
        if unit == 0:
            row[("m", "R")] = Counts(tp=1)
            row[("m", OVERALL)] += Counts(tp=1)
        if unit == spurious_unit:
            row[("m", "S")] = Counts(fp=1)
            row[("m", OVERALL)] += Counts(fp=1)
        rows[unit] = row
    return Scoreboard.from_units(rows)


def test_identical_systems_are_not_different_on_a_rare_label():
    # R occurs in one unit of 40, so about (39/40)**40 = 36% of bootstrap replicates draw no R at all and
    # leave R's F1 undefined on both sides. Identical systems differ by 0 in every replicate where R is
    # defined, so c = n and p = (n + 1) / (n + 1) = 1 (an undefined replicate used to make the mean
    # difference NaN, no replicate counted, and p = 1 / 201: "significant" for identical systems).
    board = _rare_label_board()
    per_key, macro = paired_tests(board, board, resamples=200, seed=1)
    for result in [*per_key.values(), *macro.values()]:
        assert result.delta == 0
        assert result.p_bootstrap == result.p_randomization == 1.0


def test_compare_shows_each_systems_own_macro_average():
    # A predicts no S, so S is not one of A's labels: A's macro is over C and R, as in A's own report.
    # C: P = R = 3/4 -> F1 0.75; R: F1 1; A's macro (0.75 + 1) / 2 = 0.875. B adds one spurious S
    # (F1 0): B's macro (0.75 + 1 + 0) / 3 = 0.58333. (The union of both systems' labels used to give
    # A the macro 0.58333 too, a number A's own report never shows, and a delta of 0.)
    a, b = _rare_label_board(), _rare_label_board(spurious_unit=5)
    assert a.macro_f1("m") == pytest.approx(0.875)
    assert b.macro_f1("m") == pytest.approx(1.75 / 3)
    _, macro = paired_tests(a, b, resamples=100)
    assert macro["m"].f1_a == pytest.approx(a.macro_f1("m"))
    assert macro["m"].f1_b == pytest.approx(b.macro_f1("m"))
    assert macro["m"].delta == pytest.approx(1.75 / 3 - 0.875)


def test_paired_tests_need_the_same_units():
    with pytest.raises(ValueError):
        paired_tests(_board(random.Random(9), 5, 0.5), _board(random.Random(9), 6, 0.5))


# --------------------------------------------------------------------------------------------------
# Signature


def test_signature_format():
    assert (
        signature(
            version="0.1.0",
            data_version="0.2.0",
            data_sha256="0123456789abcdef",
            task="entities",
            layer="flat",
            match="strict",
            resamples=1000,
            seed=12345,
        )
        == "khabar:0.1.0|data:0.2.0+01234567|task:entities|layer:flat|match:strict|boot:1000|seed:12345"
    )
