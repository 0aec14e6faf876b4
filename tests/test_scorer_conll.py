"""CoNLL files: reading and validation, the two decoders, equality with seqeval."""

import random

import pytest
from seqeval.metrics import classification_report
from seqeval.scheme import IOB2

from khabar.corpus.format import InputError
from khabar.scorers.conll import Sentence, chunks, parse_conll, read_conll, score_conll
from khabar.scorers.core import Counts

TYPES = ["PERS", "ORG", "GPE"]


# --------------------------------------------------------------------------------------------------
# Reading


def test_parse_flat_and_nested_files():
    flat = parse_conll(["محمد B-PERS B-PERS", "قال O O", "", "", "بغداد B-GPE O"], "f.conll")
    assert [s.gold for s in flat] == [(("B-PERS", "O"),), (("B-GPE",),)]
    assert [s.predicted for s in flat] == [(("B-PERS", "O"),), (("O",),)]
    assert [s.line for s in flat] == [1, 5]

    nested = parse_conll(["وزارة B-ORG O B-ORG O", "الخارجية I-ORG O I-ORG O", "العراقية I-ORG B-GPE I-ORG O"], "n.conll")
    assert nested[0].gold == (("B-ORG", "I-ORG", "I-ORG"), ("O", "O", "B-GPE"))
    assert nested[0].predicted == (("B-ORG", "I-ORG", "I-ORG"), ("O", "O", "O"))


def test_docstart_lines_separate_documents():
    sentences = parse_conll(["-DOCSTART- O O", "", "a O O", "", "-DOCSTART- O O", "b O O", "", "c O O"], "f")
    assert [s.document for s in sentences] == [0, 1, 1]


def test_every_bad_line_is_reported_with_file_line_and_column():
    lines = ["a B-PERS O", "b I-PERS", "c X-PERS O", "d O B-", "e O O O"]
    with pytest.raises(InputError) as caught:
        parse_conll(lines, "sys.conll")
    assert str(caught.value).splitlines() == [
        "sys.conll:2: 2 columns, expected 3 like line 1",
        "sys.conll:3: column 2: invalid tag 'X-PERS' (expected O, B-TYPE or I-TYPE)",
        "sys.conll:4: column 3: invalid tag 'B-' (expected O, B-TYPE or I-TYPE)",
        "sys.conll:5: 4 columns, expected 3 like line 1",
    ]


def test_an_even_column_count_cannot_pair_gold_with_predictions():
    with pytest.raises(InputError, match=r"^f:1: 4 columns"):
        parse_conll(["a O O O"], "f")


def test_read_conll_errors_are_one_line(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_conll(tmp_path / "missing.conll")
    latin = tmp_path / "latin.conll"
    latin.write_bytes(b"caf\xe9 O O\n")
    with pytest.raises(InputError, match="not UTF-8"):
        read_conll(latin)


# --------------------------------------------------------------------------------------------------
# Decoders


@pytest.mark.parametrize(
    "tags, strict, conlleval",
    [
        # B-X I-X is one chunk for both
        (["B-PERS", "I-PERS", "O"], [(0, 2, "PERS")], [(0, 2, "PERS")]),
        # a stray I- after O: no chunk for seqeval strict; conlleval starts a chunk (O -> I starts)
        (["O", "I-PERS", "I-PERS"], [], [(1, 3, "PERS")]),
        # a stray I- at the start of the sentence (the sentence boundary counts as O)
        (["I-ORG", "O"], [], [(0, 1, "ORG")]),
        # I-Y after B-X: the X chunk ends; conlleval starts a Y chunk at the type change
        (["B-PERS", "I-ORG", "I-ORG"], [(0, 1, "PERS")], [(0, 1, "PERS"), (1, 3, "ORG")]),
        # B-X B-X: two chunks for both
        (["B-GPE", "B-GPE", "I-GPE"], [(0, 1, "GPE"), (1, 3, "GPE")], [(0, 1, "GPE"), (1, 3, "GPE")]),
        # a chunk running to the end of the sentence
        (["O", "B-ORG", "I-ORG"], [(1, 3, "ORG")], [(1, 3, "ORG")]),
    ],
)
def test_decoders_on_hand_cases(tags, strict, conlleval):
    assert chunks(tags, "strict") == strict
    assert chunks(tags, "conlleval") == conlleval


def test_conlleval_scores_a_stray_i_as_a_chunk():
    # gold: B-PERS I-PERS; predicted: I-PERS I-PERS (a stray I-).
    # strict: the prediction has no chunk: tp 0, fn 1 -> P = 0 (0/0), R = 0.
    # conlleval: the prediction is the chunk (0,2,PERS), equal to gold: P = R = F1 = 1.
    sentence = Sentence((("B-PERS", "I-PERS"),), (("I-PERS", "I-PERS"),), 0, 1)
    assert score_conll(sentences=[sentence], bootstrap=0).counts("strict") == Counts(fn=1)
    assert score_conll(sentences=[sentence], decoder="conlleval", bootstrap=0).counts("strict") == Counts(tp=1)


def test_nested_columns_are_scored_as_one_set_of_chunks():
    # gold: ORG (0,3) and GPE (2,3) in the second column; predicted: ORG (0,3) only.
    # nested: tp 1 (ORG), fn 1 (GPE) -> P = 1, R = 1/2; flat (outermost): ORG = ORG -> P = R = 1.
    sentences = parse_conll(["وزارة B-ORG O B-ORG O", "الخارجية I-ORG O I-ORG O", "العراقية I-ORG B-GPE I-ORG O"], "n")
    assert score_conll(sentences=sentences, layer="nested", bootstrap=0).counts("strict") == Counts(tp=1, fn=1)
    assert score_conll(sentences=sentences, layer="flat", bootstrap=0).counts("strict") == Counts(tp=1)


# --------------------------------------------------------------------------------------------------
# seqeval


def _random_tags(rng, length):
    tags = []
    for _ in range(length):
        roll = rng.random()
        tags.append("O" if roll < 0.5 else ("B-" if roll < 0.8 else "I-") + rng.choice(TYPES))
    return tags


def _noisy(rng, tags):
    return [tag if rng.random() < 0.75 else _random_tags(rng, 1)[0] for tag in tags]


def _random_sentences(seed, count=400):
    rng = random.Random(seed)
    sentences = []
    for number in range(count):
        gold = _random_tags(rng, rng.randint(1, 15))
        sentences.append(Sentence((tuple(gold),), (tuple(_noisy(rng, gold)),), 0, number))
    return sentences


def _assert_equal_to_seqeval(report, reference):
    overall = report.counts("strict")
    assert overall.precision == pytest.approx(reference["micro avg"]["precision"])
    assert overall.recall == pytest.approx(reference["micro avg"]["recall"])
    assert overall.f1 == pytest.approx(reference["micro avg"]["f1-score"])
    assert overall.gold == reference["micro avg"]["support"]
    assert report.macro_f1("strict") == pytest.approx(reference["macro avg"]["f1-score"])
    labels = [key for key in reference if not key.endswith(" avg")]
    assert report.labels("strict") == sorted(labels)
    for label in labels:
        counts = report.counts("strict", label)
        assert counts.precision == pytest.approx(reference[label]["precision"])
        assert counts.recall == pytest.approx(reference[label]["recall"])
        assert counts.f1 == pytest.approx(reference[label]["f1-score"])
        assert counts.gold == reference[label]["support"]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_strict_equals_seqeval_strict_iob2(seed):
    sentences = _random_sentences(seed)
    reference = classification_report(
        [list(s.gold[0]) for s in sentences],
        [list(s.predicted[0]) for s in sentences],
        mode="strict",
        scheme=IOB2,
        output_dict=True,
        zero_division=0,
    )
    _assert_equal_to_seqeval(score_conll(sentences=sentences, bootstrap=0), reference)


@pytest.mark.parametrize("seed", [4, 5])
def test_conlleval_equals_seqeval_default_mode(seed):
    # seqeval's default mode is its port of conlleval.pl's chunking (stray I- starts a chunk)
    sentences = _random_sentences(seed)
    reference = classification_report(
        [list(s.gold[0]) for s in sentences], [list(s.predicted[0]) for s in sentences], output_dict=True, zero_division=0
    )
    _assert_equal_to_seqeval(score_conll(sentences=sentences, decoder="conlleval", bootstrap=0), reference)


def test_units_are_sentences_below_thirty_documents_and_documents_from_thirty():
    few = _random_sentences(6, count=50)
    assert len(score_conll(sentences=few, bootstrap=10).board.units) == 50
    many = [Sentence(s.gold, s.predicted, number // 5, s.line) for number, s in enumerate(_random_sentences(7, 150))]
    report = score_conll(sentences=many, bootstrap=10)
    assert len(report.board.units) == 30
    assert report.options["unit"] == "document"
