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


# --------------------------------------------------------------------------------------------------
# conlleval.pl, run through perl

# conlleval.pl's counting for IOB tags, restated from its documented behaviour (CoNLL-2000 chunking
# README): a token starts a chunk when its tag is B, when it is I after O (or after a sentence break),
# or when it is not O and its type differs from the previous token's; the previous token ends a chunk
# when its tag was B or I and this one is B or O, or when it was not O and the type changes. A guessed
# chunk is correct when it starts together with a gold chunk of the same type and both end together,
# with the types agreeing at every token in between. It prints conlleval.pl's report lines, so that
# KHABAR_CONLLEVAL=/path/to/conlleval.pl runs the same test against the original script.
CONLLEVAL_RULES = r"""
use strict;
sub starts { my ($pt, $t, $ptype, $type) = @_;
  return 1 if $t eq 'B' || ($pt eq 'O' && $t eq 'I') || ($t ne 'O' && $ptype ne $type); return 0; }
sub ends { my ($pt, $t, $ptype, $type) = @_;
  return 1 if ($pt ne 'O' && ($t eq 'B' || $t eq 'O')) || ($pt ne 'O' && $ptype ne $type); return 0; }
sub split_tag { my ($tag) = @_; return $tag =~ /^([^-]*)-(.*)$/ ? ($1, $2) : ($tag, ''); }
my (%gold, %found, %right); my ($gold, $found, $right, $tokens, $open) = (0, 0, 0, 0, 0);
my ($lg, $lgt, $lp, $lpt) = ('O', '', 'O', '');
while (my $line = <STDIN>) {
  chomp $line; my @f = split / /, $line; @f = ('-X-', 'O', 'O') unless @f;
  my ($g, $gt) = split_tag($f[-2]); my ($p, $pt) = split_tag($f[-1]);
  $tokens++ if $f[0] ne '-X-';
  if ($open) {
    my ($eg, $ep) = (ends($lg, $g, $lgt, $gt), ends($lp, $p, $lpt, $pt));
    if ($eg && $ep && $lgt eq $lpt) { $open = 0; $right++; $right{$lgt}++; }
    elsif ($eg != $ep || $gt ne $pt) { $open = 0; }
  }
  my ($sg, $sp) = (starts($lg, $g, $lgt, $gt), starts($lp, $p, $lpt, $pt));
  $open = 1 if $sg && $sp && $gt eq $pt;
  if ($sg) { $gold++; $gold{$gt}++; }
  if ($sp) { $found++; $found{$pt}++; }
  ($lg, $lgt, $lp, $lpt) = ($g, $gt, $p, $pt);
}
if ($open) { $right++; $right{$lgt}++; }
print "processed $tokens tokens with $gold phrases; found: $found phrases; correct: $right.\n";
print "accuracy: not computed\n";
my %types = map { $_ => 1 } (keys %gold, keys %found);
for my $type (sort keys %types) {
  my ($r, $fd, $gd) = ($right{$type} || 0, $found{$type} || 0, $gold{$type} || 0);
  my $prec = $fd ? 100 * $r / $fd : 0; my $rec = $gd ? 100 * $r / $gd : 0;
  my $fb1 = $prec + $rec ? 2 * $prec * $rec / ($prec + $rec) : 0;
  printf "%17s: precision: %6.2f%%; recall: %6.2f%%; FB1: %6.2f  %d\n", $type, $prec, $rec, $fb1, $fd;
}
"""


def _conlleval(tmp_path, text):
    """conlleval.pl's overall (gold, found, correct) and per-type (P, R, F1 in %, found) on a file."""
    import os
    import re
    import shutil
    import subprocess

    perl = shutil.which("perl")
    if perl is None:
        pytest.skip("perl is not installed: cannot run conlleval.pl's rules")
    script = os.environ.get("KHABAR_CONLLEVAL")
    if not script:
        script = tmp_path / "conlleval_rules.pl"
        script.write_text(CONLLEVAL_RULES, encoding="utf-8")
    output = subprocess.run([perl, str(script)], input=text, capture_output=True, text=True, check=True).stdout
    lines = output.splitlines()
    overall = re.match(r"processed \d+ tokens with (\d+) phrases; found: (\d+) phrases; correct: (\d+)\.", lines[0])
    per_type = {}
    for line in lines[2:]:
        found = re.match(r"\s*(\S+): precision:\s*([\d.]+)%; recall:\s*([\d.]+)%; FB1:\s*([\d.]+)\s+(\d+)", line)
        per_type[found.group(1)] = (*(float(x) for x in found.group(2, 3, 4)), int(found.group(5)))
    return tuple(int(x) for x in overall.groups()), per_type


@pytest.mark.parametrize("seed", [10, 11, 12])
def test_conlleval_decoder_equals_conlleval_pl(tmp_path, seed):
    rng = random.Random(seed)
    types = [*TYPES, "NORP-X"]  # a hyphen inside a type, which conlleval.pl splits off at the first hyphen
    lines = []
    for _ in range(300):
        for _ in range(rng.randint(1, 12)):
            roll = rng.random()
            gold = "O" if roll < 0.45 else ("B-" if roll < 0.75 else "I-") + rng.choice(types)
            roll = rng.random()
            predicted = gold if roll < 0.6 else "O" if roll < 0.75 else rng.choice("BI") + "-" + rng.choice(types)
            lines.append(f"w {gold} {predicted}")
        lines.append("")
    text = "\n".join(lines) + "\n"
    (gold, found, correct), per_type = _conlleval(tmp_path, text)

    report = score_conll(sentences=parse_conll(text.splitlines(), "random"), decoder="conlleval", bootstrap=0)
    overall = report.counts("strict")
    assert (overall.gold, overall.predicted, overall.tp) == (gold, found, correct)
    assert sorted(report.labels("strict")) == sorted(per_type)
    for label, (precision, recall, f1, predicted) in per_type.items():
        counts = report.counts("strict", label)
        assert (round(100 * counts.precision, 2), round(100 * counts.recall, 2)) == (precision, recall)
        assert (round(100 * counts.f1, 2), counts.predicted) == (f1, predicted)
