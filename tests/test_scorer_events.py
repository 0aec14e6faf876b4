"""The event scorer: a hand-computed case for every metric, the coreference-aware groups, TextEE's set
definitions on random perturbations, invariances, gold against itself and the empty submission."""

import random

import pytest

from khabar.corpus.format import (
    Argument,
    Cluster,
    Document,
    Event,
    Mention,
    PredictedArgument,
    PredictedEvent,
    Prediction,
    Span,
    Value,
    prediction_from_document,
)
from khabar.scorers.core import OVERALL, Counts
from khabar.scorers.events import METRICS, GoldArgument, GoldEvent, SystemArgument, SystemEvent, score_event_spans, score_events

TEXT = "Ali met Omar in Cairo on Monday. He attacked the city."


def span(phrase: str) -> Span:
    start = TEXT.index(phrase)
    return Span(start, start + len(phrase))


MENTIONS = {
    "M1": ("Ali", "E1", "PERS"),
    "M2": ("Omar", "E2", "PERS"),
    "M3": ("Cairo", "E3", "GPE"),
    "M4": ("Monday", "E4", "DATE"),
    "M5": ("He", "E1", "PERS"),
    "M6": ("the city", "E3", "GPE"),
}


def document() -> Document:
    """V1 Contact:Meet (met): Entity Ali, Entity Omar, Place Cairo, Time-Within Monday;
    V2 Conflict:Attack (attacked): Attacker He (= Ali, E1), Target the city (= Cairo, E3)."""
    attributes = {"modality": "Asserted", "polarity": "Positive", "genericity": "Specific", "tense": "Past"}
    return Document(
        id="d1",
        text=TEXT,
        meta={},
        entities=tuple(
            Mention(mid, span(phrase).start, span(phrase).end, phrase, entity_type, "name", entity)
            for mid, (phrase, entity, entity_type) in MENTIONS.items()
        ),
        clusters=tuple(Cluster(e, "PERS", e) for e in ("E1", "E2", "E3", "E4")),
        events=(
            Event("V1", "Contact:Meet", span("met"),
                  (Argument("Entity", "M1"), Argument("Entity", "M2"), Argument("Place", "M3"), Argument("Time-Within", "M4")),
                  coref="C1", **attributes),
            Event("V2", "Conflict:Attack", span("attacked"),
                  (Argument("Attacker", "M5"), Argument("Target", "M6")), coref="C2", **attributes),
        ),
    )


def argument(role: str, phrase: str) -> PredictedArgument:
    return PredictedArgument(role, span(phrase).start, span(phrase).end)


SYSTEM = (
    # S1: right trigger; Entity Ali right, Omar as Place (wrong role), Time-Within Monday right, a Place span that is no mention
    PredictedEvent("Contact:Meet", span("met"),
                   (argument("Entity", "Ali"), argument("Place", "Omar"), argument("Time-Within", "Monday"), argument("Place", "in Cairo"))),
    # S2: right trigger span, wrong subtype
    PredictedEvent("Life:Die", span("attacked"), (argument("Agent", "He"),)),
    # S3: wrong trigger span, right subtype, an argument right apart from its trigger
    PredictedEvent("Contact:Meet", span("Cairo"), (argument("Entity", "Omar"),)),
    # S4: right trigger; arguments named by other mentions of the gold arguments' entities (Ali for He, Cairo for the city)
    PredictedEvent("Conflict:Attack", span("attacked"), (argument("Attacker", "Ali"), argument("Target", "Cairo"))),
)


def score(events, **options):
    return score_events(gold=[document()], predictions={"d1": Prediction("d1", None, None, tuple(events))}, bootstrap=0, **options)


# Gold arguments (subtype, span, role): g1 Meet Ali Entity, g2 Meet Omar Entity, g3 Meet Cairo Place,
# g4 Meet Monday Time-Within, g5 Attack He Attacker, g6 Attack the-city Target.
# Predicted (distinct): Meet Ali Entity, Meet Omar Place, Meet Monday Time-Within, Meet in-Cairo Place (S1),
# Die He Agent (S2), Meet Omar Entity (S3), Attack Ali Attacker, Attack Cairo Target (S4).
EXPECTED = {
    # gold {met, attacked}; predicted {met, attacked, Cairo}
    "trigger_identification": Counts(tp=2, fp=1),
    # gold {met Meet, attacked Attack}; predicted {met Meet, attacked Die, Cairo Meet, attacked Attack}
    "trigger_classification": Counts(tp=2, fp=2),
    # (subtype, span): gold 6; predicted Meet Ali, Meet Omar (S1 and S3: once), Meet Monday, Meet in-Cairo,
    # Die He, Attack Ali, Attack Cairo (7); shared Meet Ali, Meet Omar, Meet Monday
    "argument_identification": Counts(tp=3, fp=4, fn=3),
    # (subtype, span, role): 8 predicted; shared g1, g4 and g2 (from S3: the trigger is not in the key)
    "argument_classification": Counts(tp=3, fp=5, fn=3),
    # (trigger, subtype, span): 8 predicted (S3's Omar now differs by its trigger); shared met Meet Ali/Omar/Monday
    "argument_identification_attached": Counts(tp=3, fp=5, fn=3),
    # (trigger, subtype, span, role): shared met Meet Ali Entity, met Meet Monday Time-Within
    "argument_classification_attached": Counts(tp=2, fp=6, fn=4),
    # groups (subtype, entity): Meet E1, Meet E2, Meet E4, Attack E1 (Ali), Attack E3 (Cairo) found; Meet E3 missed;
    # predicted Meet in-Cairo (no mention) and Die E1 have no gold group
    "argument_identification_coref": Counts(tp=5, fp=2, fn=1),
    # groups (subtype, entity, role): g1, g2 (S3), g4, g5 (Ali), g6 (Cairo) found; g3 missed;
    # Meet E2 Place, Meet in-Cairo Place, Die E1 Agent spurious
    "argument_classification_coref": Counts(tp=5, fp=3, fn=1),
    # without Time-*: g4 and the predicted Meet Monday Time-Within are dropped from every variant
    "argument_identification_notime": Counts(tp=2, fp=4, fn=3),
    "argument_classification_notime": Counts(tp=2, fp=5, fn=3),
    "argument_identification_attached_notime": Counts(tp=2, fp=5, fn=3),
    "argument_classification_attached_notime": Counts(tp=1, fp=6, fn=4),
    "argument_identification_coref_notime": Counts(tp=4, fp=2, fn=1),
    "argument_classification_coref_notime": Counts(tp=4, fp=3, fn=1),
}


def test_every_metric_has_a_hand_case():
    assert sorted(EXPECTED) == sorted(METRICS)


@pytest.mark.parametrize("metric", sorted(EXPECTED))
def test_each_metric_on_a_hand_case(metric):
    assert score(SYSTEM).counts(metric) == EXPECTED[metric]


def test_headline_and_its_score():
    report = score(SYSTEM)
    assert report.metrics[0] == "argument_classification"
    # P 3/8, R 3/6: F1 = 2 * 3/8 * 1/2 / (3/8 + 1/2) = 3/7
    assert report.f1("argument_classification") == pytest.approx(3 / 7)


def test_per_subtype_rows_rescore_the_events_of_that_subtype_alone():
    report = score(SYSTEM)
    # Contact:Meet: gold trigger met; predicted met, Cairo
    assert report.counts("trigger_identification", "Contact:Meet") == Counts(tp=1, fp=1)
    # Conflict:Attack: gold attacked; predicted attacked (S4); S2's attacked is a Life:Die
    assert report.counts("trigger_identification", "Conflict:Attack") == Counts(tp=1)
    assert report.counts("trigger_identification", "Life:Die") == Counts(fp=1)
    # Conflict:Attack arguments: gold He Attacker, the-city Target; predicted Ali Attacker, Cairo Target
    assert report.counts("argument_classification", "Conflict:Attack") == Counts(fp=2, fn=2)
    assert report.counts("argument_classification_coref", "Conflict:Attack") == Counts(tp=2)


# --------------------------------------------------------------------------------------------------
# Coreference-aware groups


def _one_meet(*arguments):
    return GoldEvent("Contact:Meet", (0, 3), tuple(arguments))


ALI, HE = (0, 3), (40, 42)
ENTITIES = {"d": {ALI: "E1", HE: "E1"}}


def _coref(gold_events, predicted_events):
    report = score_event_spans(
        gold={"d": gold_events}, predictions={"d": predicted_events}, mention_entities=ENTITIES, bootstrap=0
    )
    return report.counts("argument_classification"), report.counts("argument_classification_coref")


def test_coref_credits_another_mention_of_the_gold_entity():
    gold = [_one_meet(GoldArgument("Entity", ALI, "E1"))]
    predicted = [SystemEvent("Contact:Meet", (0, 3), (SystemArgument("Entity", HE),))]
    # plain: (Meet, He, Entity) is not (Meet, Ali, Entity); coref: both in group (Meet, E1, Entity)
    assert _coref(gold, predicted) == (Counts(fp=1, fn=1), Counts(tp=1))


def test_coref_counts_each_gold_argument_once():
    # two gold events, each with its own mention of E1: two gold keys in one group
    gold = [_one_meet(GoldArgument("Entity", ALI, "E1")), GoldEvent("Contact:Meet", (50, 53), (GoldArgument("Entity", HE, "E1"),))]
    one = [SystemEvent("Contact:Meet", (0, 3), (SystemArgument("Entity", ALI),))]
    # one predicted key for a group of two: min(2, 1) = 1 found, 1 missed (the plain metric agrees)
    assert _coref(gold, one) == (Counts(tp=1, fn=1), Counts(tp=1, fn=1))
    # the same span written for both events is still one key
    twice = one + [SystemEvent("Contact:Meet", (50, 53), (SystemArgument("Entity", ALI),))]
    assert _coref(gold, twice) == (Counts(tp=1, fn=1), Counts(tp=1, fn=1))
    # He for the first event and Ali for the second: the keys ignore the trigger, so they are the gold keys
    swapped = [SystemEvent("Contact:Meet", (0, 3), (SystemArgument("Entity", HE),)), twice[1]]
    assert _coref(gold, swapped) == (Counts(tp=2), Counts(tp=2))


def test_a_span_that_is_no_gold_mention_matches_no_entity():
    gold = [_one_meet(GoldArgument("Entity", ALI, "E1"))]
    predicted = [SystemEvent("Contact:Meet", (0, 3), (SystemArgument("Entity", (0, 2)),))]
    assert _coref(gold, predicted) == (Counts(fp=1, fn=1), Counts(fp=1, fn=1))


# --------------------------------------------------------------------------------------------------
# TextEE's definitions on random perturbations


def _textee_counts(gold, predicted):
    """Set sizes as TextEE's E2E scorer computes them (keys without doc and window ids: one document)."""

    def keys(events, key):
        return {key(e, a) for e in events for a in e.arguments}

    definitions = {
        "argument_identification": lambda e, a: (e.type, a.span[0], a.span[1]),
        "argument_classification": lambda e, a: (e.type, a.span[0], a.span[1], a.role),
        "argument_identification_attached": lambda e, a: (e.trigger[0], e.trigger[1], e.type, a.span[0], a.span[1]),
        "argument_classification_attached": lambda e, a: (e.trigger[0], e.trigger[1], e.type, a.span[0], a.span[1], a.role),
    }
    counts = {}
    for metric, key in definitions.items():
        g, p = keys(gold, key), keys(predicted, key)
        counts[metric] = Counts(tp=len(g & p), fp=len(p - g), fn=len(g - p))
    g, p = {e.trigger for e in gold}, {e.trigger for e in predicted}
    counts["trigger_identification"] = Counts(tp=len(g & p), fp=len(p - g), fn=len(g - p))
    g, p = {(e.trigger, e.type) for e in gold}, {(e.trigger, e.type) for e in predicted}
    counts["trigger_classification"] = Counts(tp=len(g & p), fp=len(p - g), fn=len(g - p))
    return counts


def _random_events(rng, n):
    types, roles = ["Contact:Meet", "Conflict:Attack"], ["Entity", "Place", "Attacker", "Time-Within"]
    events = []
    for _ in range(n):
        start = rng.randrange(0, 40)
        arguments = tuple(
            GoldArgument(rng.choice(roles), (s, s + rng.randrange(1, 4)), f"E{s % 5}")
            for s in (rng.randrange(0, 40) for _ in range(rng.randrange(0, 4)))
        )
        events.append(GoldEvent(rng.choice(types), (start, start + rng.randrange(1, 3)), arguments))
    return events


def _perturb(rng, events):
    out = []
    for e in events:
        if rng.random() < 0.2:
            continue
        trigger = e.trigger if rng.random() < 0.8 else (e.trigger[0] + 1, e.trigger[1] + 1)
        kind = e.type if rng.random() < 0.8 else "Life:Die"
        arguments = tuple(
            SystemArgument(a.role if rng.random() < 0.8 else "Place", a.span if rng.random() < 0.8 else (a.span[0], a.span[1] + 1))
            for a in e.arguments
            if rng.random() < 0.9
        )
        out.append(SystemEvent(kind, trigger, arguments))
    return out + [SystemEvent(e.type, e.trigger, tuple(SystemArgument(a.role, a.span) for a in e.arguments)) for e in _random_events(rng, 2)]


def test_equal_to_textee_set_definitions_on_random_perturbations():
    rng = random.Random(2024)
    for _ in range(200):
        gold = _random_events(rng, rng.randrange(0, 6))
        predicted = _perturb(rng, gold)
        report = score_event_spans(gold={"d": gold}, predictions={"d": predicted}, time=(), bootstrap=0)
        for metric, expected in _textee_counts(gold, predicted).items():
            assert report.counts(metric) == expected, metric


def test_coref_never_scores_below_the_plain_metric_and_equals_it_for_singletons():
    rng = random.Random(11)
    for _ in range(200):
        gold = _random_events(rng, rng.randrange(0, 6))
        predicted = _perturb(rng, gold)
        entities = {a.span: a.entity for e in gold for a in e.arguments}
        report = score_event_spans(gold={"d": gold}, predictions={"d": predicted}, mention_entities={"d": entities}, bootstrap=0)
        for plain in ("argument_identification", "argument_classification"):
            assert report.counts(plain + "_coref").tp >= report.counts(plain).tp
            assert report.counts(plain + "_coref").gold == report.counts(plain).gold
        singletons = {span: f"S{span}" for span in entities}
        gold_singletons = [GoldEvent(e.type, e.trigger, tuple(a._replace(entity=f"S{a.span}") for a in e.arguments)) for e in gold]
        report = score_event_spans(
            gold={"d": gold_singletons}, predictions={"d": predicted}, mention_entities={"d": singletons}, bootstrap=0
        )
        for plain in ("argument_identification", "argument_classification"):
            assert report.counts(plain + "_coref") == report.counts(plain)


# --------------------------------------------------------------------------------------------------
# Invariances, gold against itself, empty submissions


def test_shuffling_and_duplicating_predictions_change_nothing():
    expected = score(SYSTEM).to_dict()
    rng = random.Random(5)
    for _ in range(5):
        events = list(SYSTEM) + rng.sample(SYSTEM, 2)
        rng.shuffle(events)
        events = [PredictedEvent(e.type, e.trigger, tuple(rng.sample(e.arguments, len(e.arguments)))) for e in events]
        assert score(events).to_dict() == expected


def test_hand_document_against_itself_is_perfect_everywhere():
    doc = document()
    report = score_events(gold=[doc], predictions={"d1": prediction_from_document(doc)}, bootstrap=0)
    for metric in METRICS:
        assert report.f1(metric) == 1.0, metric
        for label in report.labels(metric):
            assert report.f1(metric, label) == 1.0, (metric, label)


@pytest.mark.parametrize("predictions", [{}, {"d1": Prediction("d1", None, None, None)}, {"d1": Prediction("d1", None, None, ())}])
def test_an_empty_submission_recalls_nothing(predictions):
    report = score_events(gold=[document()], predictions=predictions, bootstrap=0)
    for metric in METRICS:
        assert report.counts(metric).tp == 0 and report.counts(metric).recall == 0.0
    assert report.counts("argument_classification") == Counts(fn=6)
    assert report.counts("trigger_identification") == Counts(fn=2)


def test_real_corpus_against_itself_is_perfect(corpus):
    predictions = {doc.id: prediction_from_document(doc) for doc in corpus}
    report = score_events(gold=corpus, predictions=predictions, bootstrap=0)
    assert report.counts("trigger_classification").gold == len({(d.id, e.trigger, e.type) for d in corpus for e in d.events})
    for metric in METRICS:
        counts = report.counts(metric)
        assert counts.fp == counts.fn == counts.incorrect == 0, metric
        if counts.gold:
            assert report.f1(metric) == 1.0, metric


def test_intervals_come_from_the_shared_bootstrap():
    report = score_events(gold=[document()], predictions={"d1": Prediction("d1", None, None, SYSTEM)}, bootstrap=200)
    interval = report.interval("argument_classification", OVERALL)
    assert interval is not None and interval.low <= report.f1("argument_classification") <= interval.high


def test_predictions_for_an_unknown_document_are_refused():
    with pytest.raises(ValueError, match="not in the gold: x"):
        score_event_spans(gold={"d": []}, predictions={"x": []}, bootstrap=0)


# --------------------------------------------------------------------------------------------------
# Value arguments (Crime, Sentence): spans of the values layer, with no cluster

VALUE_TEXT = "On Monday the court sentenced Ali to ten years in prison for murder. Ali was charged with murder."


def _at(phrase: str, last: bool = False) -> Span:
    start = VALUE_TEXT.rindex(phrase) if last else VALUE_TEXT.index(phrase)
    return Span(start, start + len(phrase))


def value_document() -> Document:
    """V1 Justice:Sentence (sentenced): Time-Within Monday, Defendant Ali, Sentence = X1 «ten years in
    prison», Crime = X2 «murder»; V2 Justice:Charge-Indict (charged): Defendant the second Ali (same
    cluster E1), Crime = X3, the second «murder»: another value, with the same text."""
    attributes = {"modality": "Asserted", "polarity": "Positive", "genericity": "Specific", "tense": "Past"}
    mentions = {"M1": (_at("Monday"), "E2", "DATE"), "M2": (_at("Ali"), "E1", "PERS"), "M3": (_at("Ali", last=True), "E1", "PERS")}
    values = {"X1": (_at("ten years in prison"), "Sentence"), "X2": (_at("murder"), "Crime"), "X3": (_at("murder", last=True), "Crime")}
    return Document(
        id="d2",
        text=VALUE_TEXT,
        meta={},
        entities=tuple(Mention(m, s.start, s.end, VALUE_TEXT[s.start : s.end], t, "name", e) for m, (s, e, t) in mentions.items()),
        clusters=(Cluster("E1", "PERS", "Ali"), Cluster("E2", "DATE", "Monday")),
        values=tuple(Value(v, t, s.start, s.end, VALUE_TEXT[s.start : s.end]) for v, (s, t) in values.items()),
        events=(
            Event("V1", "Justice:Sentence", _at("sentenced"),
                  (Argument("Time-Within", "M1"), Argument("Defendant", "M2"), Argument("Sentence", value="X1"), Argument("Crime", value="X2")),
                  coref="C1", **attributes),
            Event("V2", "Justice:Charge-Indict", _at("charged"), (Argument("Defendant", "M3"), Argument("Crime", value="X3")), coref="C2", **attributes),
        ),
    )


def _value_argument(role: str, phrase: str, last: bool = False) -> PredictedArgument:
    return PredictedArgument(role, _at(phrase, last).start, _at(phrase, last).end)


VALUE_SYSTEM = (
    # p1 Defendant Ali right; p2 Sentence «ten years» (short of the value); p3 Crime «murder» right
    PredictedEvent("Justice:Sentence", _at("sentenced"),
                   (_value_argument("Defendant", "Ali"), _value_argument("Sentence", "ten years"), _value_argument("Crime", "murder"))),
    # p4 Defendant: the first Ali for the second (same cluster); p5 Crime: the first «murder» for the second (another value)
    PredictedEvent("Justice:Charge-Indict", _at("charged"), (_value_argument("Defendant", "Ali"), _value_argument("Crime", "murder"))),
)

# Gold (subtype, span, role): g0 Sentence Monday Time-Within, g1 Sentence Ali Defendant, g2 Sentence X1 Sentence,
# g3 Sentence X2 Crime, g4 Charge Ali(2nd) Defendant, g5 Charge X3 Crime. Predicted p1..p5 as above.
# Plain variants (every trigger is right, so attached equals unattached): shared g1 and g3 (tp 2); p2, p4, p5
# are wrong spans (fp 3); g0, g2, g4, g5 missed (fn 4).
# Coreference-aware groups (subtype, entity[, role]); a value's entity is its own span: p1 -> (Sentence, E1),
# p3 -> (Sentence, X2's span) as gold; p4 -> (Charge, E1), the group of g4: found; p2 -> (Sentence, «ten
# years») and p5 -> (Charge, X2's span) are no gold group (values do not corefer, even with the same text):
# tp 3 (g1, g3, g4), fp 2 (p2, p5), fn 3 (g0, g2, g5).
# _notime: g0 is dropped from the gold side only: fn one less everywhere.
VALUE_EXPECTED = {
    **{name: Counts(tp=2, fp=3, fn=4) for name in ("argument_identification", "argument_classification",
                                                   "argument_identification_attached", "argument_classification_attached")},
    **{name: Counts(tp=3, fp=2, fn=3) for name in ("argument_identification_coref", "argument_classification_coref")},
    **{name + "_notime": Counts(tp=2, fp=3, fn=3) for name in ("argument_identification", "argument_classification",
                                                              "argument_identification_attached", "argument_classification_attached")},
    **{name + "_notime": Counts(tp=3, fp=2, fn=2) for name in ("argument_identification_coref", "argument_classification_coref")},
    "trigger_identification": Counts(tp=2),
    "trigger_classification": Counts(tp=2),
}


@pytest.mark.parametrize("metric", sorted(VALUE_EXPECTED))
def test_value_arguments_in_each_metric(metric):
    assert sorted(VALUE_EXPECTED) == sorted(METRICS)
    doc = value_document()
    report = score_events(gold=[doc], predictions={"d2": Prediction("d2", None, None, VALUE_SYSTEM)}, bootstrap=0)
    assert report.counts(metric) == VALUE_EXPECTED[metric]


def test_value_document_against_itself_is_perfect():
    doc = value_document()
    report = score_events(gold=[doc], predictions={"d2": prediction_from_document(doc)}, bootstrap=0)
    assert report.counts("argument_classification_coref") == Counts(tp=6)
    for metric in METRICS:
        assert report.f1(metric) == 1.0, metric
