"""The quote scorer: a hand-computed case for every metric, the matching rules, tokens, invariances, gold
against itself (hand-made and real corpus) and the empty submission."""

import dataclasses
import json
import random

import pytest
from conftest import run_khabar

from khabar.corpus.format import (
    Cluster,
    Document,
    Mention,
    PredictedQuote,
    Prediction,
    Quote,
    Span,
    prediction_from_document,
    write_predictions,
)
from khabar.corpus.tokenize import tokenize
from khabar.scorers.core import OVERALL, Counts
from khabar.scorers.quotes import (
    METRICS,
    GoldQuote,
    SystemQuote,
    Tokens,
    match_quotes,
    score_quote_spans,
    score_quotes,
)

TEXT = 'Ali said the plan works. He added "we go now". Omar: all is well.'


def span(phrase: str, occurrence: int = 0) -> Span:
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index(phrase, start + 1)
    return Span(start, start + len(phrase))


def mention(mention_id: str, phrase: str, entity: str) -> Mention:
    s = span(phrase)
    return Mention(mention_id, s.start, s.end, phrase, "PERS", "pronoun" if phrase == "He" else "name", entity)


def document(tokens: tuple[Span, ...] = ()) -> Document:
    """Ali (E1) says Q1 and, as "He", Q2; Omar (E2) says the headline-style Q3, which has no cue."""
    return Document(
        id="d1",
        text=TEXT,
        meta={},
        tokens=tokens,
        entities=(mention("M1", "Ali", "E1"), mention("M2", "He", "E1"), mention("M3", "Omar", "E2")),
        clusters=(Cluster("E1", "PERS", "Ali"), Cluster("E2", "PERS", "Omar")),
        quotes=(
            Quote("Q1", "indirect", span("the plan works"), span("said"), "M1", "E1"),
            Quote("Q2", "direct", span("we go now"), span("added"), "M2", "E1"),
            Quote("Q3", "direct", span("all is well"), None, "M3", "E2"),
        ),
    )


SYSTEM = (
    PredictedQuote("indirect", span("plan works"), span("said"), span("He")),  # P1: right speaker via another mention
    PredictedQuote("indirect", span("we go now"), span("added"), span("Omar")),  # P2: exact content, wrong type and speaker
    PredictedQuote("direct", span("is well"), None, None),  # P3: no source
    PredictedQuote("direct", span("He added"), None, None),  # P4: overlaps no gold content
)


def score(quotes, doc=None, **options):
    doc = doc or document()
    return score_quotes(gold=[doc], predictions={"d1": Prediction("d1", None, tuple(quotes), None)}, bootstrap=0, **options)


# --------------------------------------------------------------------------------------------------
# Hand-computed case

# Tokens (tokenize): Ali said the plan works . He added " we go now " . Omar : all is well .
# Content matching (most shared tokens): P1-Q1 (plan works: 2), P2-Q2 (we go now: 3), P3-Q3 (is well: 2); P4 none.
EXPECTED = {
    # gold {Q1, Q2, Q3} contents, predicted {P1..P4}; only P2's equals one (Q2's): P 1/4, R 1/3
    "content_exact": Counts(tp=1, fp=3, fn=2),
    # gold cues {said, added}; predicted {said, added} (P3, P4 have none): P 1, R 1
    "cue_exact": Counts(tp=2),
    # gold tokens the plan works we go now all is well (9); predicted plan works we go now is well He added (9);
    # shared 7, predicted only He added (2), gold only the all (2): P 7/9, R 7/9
    "content_overlap": Counts(tp=7, fp=2, fn=2),
    # P1-Q1 right (He is a mention of E1); P2-Q2 wrong (Omar is E2); P3-Q3 wrong (no source); P4 spurious:
    # P 1/4, R 1/3, F1 2/7
    "end_to_end": Counts(tp=1, fp=1, incorrect=2),
    # on matched pairs: P1-Q1 right, P2-Q2 wrong, P3-Q3 no source for a gold speaker (missed): P 1/2, R 1/3
    "source": Counts(tp=1, fn=1, incorrect=1),
    # on matched pairs: P1-Q1 indirect=indirect, P2-Q2 indirect!=direct, P3-Q3 direct=direct: accuracy 2/3
    "type": Counts(tp=2, incorrect=1),
}


@pytest.mark.parametrize("metric", sorted(EXPECTED))
def test_each_metric_on_a_hand_case(metric):
    assert score(SYSTEM).counts(metric) == EXPECTED[metric]


def test_hand_case_scores():
    report = score(SYSTEM)
    assert report.f1("end_to_end") == pytest.approx(2 / 7)
    assert report.counts("content_overlap").precision == pytest.approx(7 / 9)
    assert report.counts("source").precision == pytest.approx(1 / 2)
    assert report.counts("source").recall == pytest.approx(1 / 3)
    assert report.f1("type") == pytest.approx(2 / 3)
    assert report.metrics[0] == "end_to_end"


def test_per_type_rows_rematch_the_quotes_of_that_type_alone():
    report = score(SYSTEM)
    # direct: gold Q2 Q3, predicted P3 P4; P3-Q3 wrong speaker, P4 overlaps no direct gold, Q2 unmatched
    assert report.counts("end_to_end", "direct") == Counts(fp=1, fn=1, incorrect=1)
    # indirect: gold Q1, predicted P1 P2; P1-Q1 right, P2 overlaps no indirect gold
    assert report.counts("end_to_end", "indirect") == Counts(tp=1, fp=1)
    # direct contents: gold we go now, all is well; predicted is well, He added: nothing equal
    assert report.counts("content_exact", "direct") == Counts(fp=2, fn=2)


def test_type_rows_are_a_classification_report_over_matched_pairs():
    report = score(SYSTEM)
    # direct: P3-Q3 right, Q2 (gold direct) predicted indirect: P 1/1, R 1/2
    assert report.counts("type", "direct") == Counts(tp=1, fn=1)
    # indirect: P1-Q1 right, P2 predicted indirect for a direct gold: P 1/2, R 1/1
    assert report.counts("type", "indirect") == Counts(tp=1, fp=1)
    assert report.macro_f1("type") == pytest.approx(((2 * 1 * 0.5) / 1.5 + (2 * 0.5 * 1) / 1.5) / 2)


# --------------------------------------------------------------------------------------------------
# Matching rules


def _quotes(*contents_and_speakers):
    return [GoldQuote("direct", content, None, frozenset(speaker)) for content, speaker in contents_and_speakers]


def test_end_to_end_prefers_the_pair_with_the_right_speaker_and_source_the_largest_overlap():
    # six one-character tokens a..f; G1 = a b c d (speaker at 20:21), G2 = e f (speaker at 30:31);
    # P = c d e shares 2 tokens with G1 and 1 with G2, and names G2's speaker
    tokens = [(i, i + 1) for i in range(0, 12, 2)]  # a=0 b=2 c=4 d=6 e=8 f=10
    gold = _quotes(((0, 7), [(20, 21)]), ((8, 11), [(30, 31)]))
    predicted = [SystemQuote("direct", (4, 9), None, (30, 31))]
    index = Tokens(tokens)
    assert match_quotes(gold, predicted, index, prefer_right_speaker=False) == [(0, 0)]
    assert match_quotes(gold, predicted, index, prefer_right_speaker=True) == [(0, 1)]
    report = score_quote_spans(gold={"d": gold}, predictions={"d": predicted}, tokens={"d": tokens}, bootstrap=0)
    # end to end: P-G2 right, G1 missed; source (content matching): P-G1, Y is not G1's speaker; G2 unmatched
    assert report.counts("end_to_end") == Counts(tp=1, fn=1)
    assert report.counts("source") == Counts(incorrect=1)


def test_ties_go_to_the_earlier_gold_quote():
    tokens = [(i, i + 1) for i in range(0, 8, 2)]  # a=0 b=2 c=4 d=6
    gold = _quotes(((4, 7), []), ((0, 3), []))  # c d, a b: canonical order puts a b first
    predicted = [SystemQuote("direct", (2, 5), None, None)]  # b c: one token of each
    assert match_quotes(sorted(gold), predicted, Tokens(tokens), prefer_right_speaker=False) == [(0, 0)]


def test_a_token_counts_when_a_span_shares_one_character_with_it():
    index = Tokens([(0, 3), (4, 9), (10, 12)])
    assert list(index.within((2, 5))) == [0, 1]
    assert list(index.within((3, 4))) == []  # only the space between tokens
    assert list(index.within((0, 12))) == [0, 1, 2]


def test_the_documents_own_tokens_are_used_when_it_has_them():
    tokenized = tuple(Span(s, e) for s, e in tokenize(TEXT))
    assert score(SYSTEM, document(tokenized)).counts("content_overlap") == EXPECTED["content_overlap"]
    # one token for "the plan works": P1 (plan works) now shares it, so "the" is no longer missed
    plan = span("the plan works")
    merged = tuple(t for t in tokenized if not plan.start <= t.start < plan.end) + (plan,)
    assert score(SYSTEM, document(tuple(sorted(merged)))).counts("content_overlap") == Counts(tp=6, fp=2, fn=1)


def test_a_gold_quote_without_speaker_is_attributed_right_only_without_source():
    tokens = [(0, 1), (2, 3)]
    gold = [GoldQuote("direct", (0, 3), None, None)]
    for source, expected in (((0, 1), Counts(incorrect=1)), (None, Counts(tp=1))):
        predicted = [SystemQuote("direct", (0, 3), None, source)]
        report = score_quote_spans(gold={"d": gold}, predictions={"d": predicted}, tokens={"d": tokens}, bootstrap=0)
        assert report.counts("end_to_end") == expected


# --------------------------------------------------------------------------------------------------
# Invariances, gold against itself, empty submissions


def test_shuffling_and_duplicating_predictions_change_nothing():
    expected = score(SYSTEM).to_dict()
    rng = random.Random(7)
    for _ in range(5):
        quotes = list(SYSTEM) + rng.sample(SYSTEM, 2)
        rng.shuffle(quotes)
        assert score(quotes).to_dict() == expected


def test_hand_document_against_itself_is_perfect_everywhere():
    doc = document()
    report = score_quotes(gold=[doc], predictions={"d1": prediction_from_document(doc)}, bootstrap=0)
    for metric in METRICS:
        assert report.f1(metric) == 1.0, metric
        for label in report.labels(metric):
            assert report.f1(metric, label) == 1.0, (metric, label)


@pytest.mark.parametrize("predictions", [{}, {"d1": Prediction("d1", None, None, None)}, {"d1": Prediction("d1", None, (), None)}])
def test_an_empty_submission_recalls_nothing(predictions):
    report = score_quotes(gold=[document()], predictions=predictions, bootstrap=0)
    for metric in METRICS:
        assert report.counts(metric).tp == 0 and report.counts(metric).recall == 0.0
    assert report.counts("end_to_end") == Counts(fn=3)
    assert report.counts("content_overlap") == Counts(fn=9)


def test_real_corpus_against_itself_is_perfect(corpus):
    predictions = {doc.id: prediction_from_document(doc) for doc in corpus}
    report = score_quotes(gold=corpus, predictions=predictions, bootstrap=0)
    assert report.counts("end_to_end").gold == sum(len(doc.quotes) for doc in corpus)
    for metric in METRICS:
        assert report.counts(metric).fp == report.counts(metric).fn == report.counts(metric).incorrect == 0, metric
        if report.counts(metric).gold:
            assert report.f1(metric) == 1.0, metric


def test_intervals_come_from_the_shared_bootstrap():
    report = score_quotes(gold=[document()], predictions={"d1": Prediction("d1", None, SYSTEM, None)}, bootstrap=200)
    interval = report.interval("end_to_end", OVERALL)
    assert interval is not None and interval.low <= report.f1("end_to_end") <= interval.high


# --------------------------------------------------------------------------------------------------
# Command line


def _perturbed_submission(corpus, path):
    """The gold quotes and events with every other content cut by its last character, every third
    source dropped and every other argument dropped: a submission that scores neither 0 nor 1."""
    lines = []
    for doc in corpus:
        gold = prediction_from_document(doc)
        quotes = tuple(
            dataclasses.replace(
                q,
                content=q.content if i % 2 else Span(q.content.start, q.content.end - 1),
                source=q.source if i % 3 else None,
            )
            for i, q in enumerate(gold.quotes)
        )
        events = tuple(dataclasses.replace(e, arguments=e.arguments[::2]) for e in gold.events)
        lines.append(Prediction(doc.id, None, quotes, events))
    write_predictions(lines, path)
    return path


@pytest.mark.parametrize("task", ["quotes", "events"])
def test_score_and_compare_on_the_command_line_are_identical_whatever_the_hash_seed(corpus, tmp_path, task):
    submission = _perturbed_submission(corpus, tmp_path / "pred.jsonl")
    gold_file = tmp_path / "gold.jsonl"
    write_predictions([prediction_from_document(doc) for doc in corpus], gold_file)
    for command in (
        ("score", str(submission), "--split", "all", "--task", task, "--format", "json", "--bootstrap", "50"),
        ("compare", str(submission), str(gold_file), "--split", "all", "--task", task, "--format", "json", "--bootstrap", "50"),
    ):
        outputs = {run_khabar(*command, env={"PYTHONHASHSEED": seed}).stdout for seed in ("0", "1", "4242")}
        assert len(outputs) == 1, command
        report = json.loads(outputs.pop())[task]  # one shape: a mapping by task
        assert report["task"] == task
        assert report["signature"].split("|")[2] == "split:all"
        assert report["signature"].split("|")[4] == "match:" + ("end_to_end" if task == "quotes" else "argument_classification")
    report = json.loads(run_khabar("score", str(submission), "--split", "all", "--task", task, "--format", "json", "--bootstrap", "0").stdout)[task]
    headline = report["metrics"]["end_to_end" if task == "quotes" else "argument_classification"]["overall"]
    assert 0 < headline["f1"] < 1


def test_overlap_and_exact_counts_equal_plain_set_arithmetic_on_random_quotes():
    rng = random.Random(3)
    for _ in range(300):
        tokens = []
        position = 0
        for _ in range(30):
            position += rng.randrange(0, 2)  # a space, or none, before the token
            length = rng.randrange(1, 4)
            tokens.append((position, position + length))
            position += length

        def quotes(n):
            out = []
            for _ in range(n):
                start = rng.randrange(0, position - 1)
                out.append((start, rng.randrange(start + 1, min(position, start + 15) + 1)))
            return out

        gold_spans, predicted_spans = quotes(rng.randrange(0, 5)), quotes(rng.randrange(0, 5))
        gold = [GoldQuote("direct", s, None, None) for s in gold_spans]
        predicted = [SystemQuote("direct", s, None, None) for s in predicted_spans]
        report = score_quote_spans(gold={"d": gold}, predictions={"d": predicted}, tokens={"d": tokens}, bootstrap=0)

        def covered(spans):  # tokens sharing a character with some span, by brute force over characters
            return {t for t, (a, b) in enumerate(tokens) for s, e in spans if set(range(a, b)) & set(range(s, e))}

        g, p = covered(gold_spans), covered(predicted_spans)
        assert report.counts("content_overlap") == Counts(tp=len(g & p), fp=len(p - g), fn=len(g - p))
        g, p = set(gold_spans), set(predicted_spans)
        assert report.counts("content_exact") == Counts(tp=len(g & p), fp=len(p - g), fn=len(g - p))
        # every quote pairs with at most one other, and only quotes sharing a covered token pair at all
        pairs = report.counts("end_to_end").tp + report.counts("end_to_end").incorrect
        assert pairs <= min(len(set(gold)), len(set(predicted)))
        if covered(gold_spans) & covered(predicted_spans):
            assert pairs >= 1


def test_predictions_for_an_unknown_document_are_refused():
    with pytest.raises(ValueError, match="not in the gold: x"):
        score_quote_spans(gold={"d": []}, predictions={"x": []}, tokens={"d": []}, bootstrap=0)
