"""CoNLL files: reading what people have (comments, -DOCSTART-, tabs, extra columns, Wojood's nested form),
one-line errors, the six schemes against seqeval, conlleval.pl's lenient decoder, the export round trip."""

import json
import random

import pytest
from seqeval import scheme as seqeval_schemes
from seqeval.metrics import classification_report
from seqeval.scheme import IOB2

from khabar.corpus import format as fmt
from khabar.corpus.exchange import conll_text
from khabar.corpus.format import InputError
from khabar.scorers.conll import SCHEMES, Layout, TaggedTokens, chunks, parse_conll, read_conll, score_conll
from khabar.scorers.core import Counts

from conftest import run_khabar

TYPES = ["PERS", "ORG", "GPE"]


def tags_of(text: str, **options) -> list:
    """Per sentence, its gold and predicted tag columns, as the reader reads ``text``."""
    return parse_conll(text, "f.conll", **options).sentences()


# --------------------------------------------------------------------------------------------------
# Reading


def test_parse_flat_and_nested_files():
    flat = parse_conll(["محمد B-PERS B-PERS", "قال O O", "", "", "بغداد B-GPE O"], "f.conll")
    assert flat.sentences() == [([["B-PERS", "O"]], [["B-PERS", "O"]]), ([["B-GPE"]], [["O"]])]
    assert flat.sentence_starts.tolist() == [0, 2] and flat.layout == "2,3"

    # four tags end the first line: two nested layers, gold then predicted
    nested = parse_conll(["وزارة B-ORG O B-ORG O", "الخارجية I-ORG O I-ORG O", "العراقية I-ORG B-GPE I-ORG O"], "n.conll")
    assert nested.sentences() == [([["B-ORG", "I-ORG", "I-ORG"], ["O", "O", "B-GPE"]], [["B-ORG", "I-ORG", "I-ORG"], ["O", "O", "O"]])]
    assert nested.layout == "2-3,4-5"


def test_docstart_lines_separate_documents():
    sentences = parse_conll(["-DOCSTART- O O", "", "a O O", "", "-DOCSTART- O O", "b O O", "", "c O O"], "f")
    assert sentences.documents.tolist() == [0, 1, 1]


def test_comments_are_skipped_and_newdoc_starts_a_document():
    # CoNLL-U comment lines (what khabar export conll writes); "# newdoc" starts a document, like
    # -DOCSTART-; a token "#" followed by tags is a token, not a comment
    text = "# newdoc id = d1\n# sent_id = d1-000\n# text = a #\na B-PERS B-PERS\n# O O\n\n# newdoc id = d2\nb O O\n"
    tagged = parse_conll(text, "f")
    assert tagged.sentences() == [([["B-PERS", "O"]], [["B-PERS", "O"]]), ([["O"]], [["O"]])]
    assert tagged.documents.tolist() == [0, 1]


def test_tabs_spaces_crlf_and_a_last_line_without_a_line_break_read_alike():
    plain = tags_of("a B-PERS B-PERS\nb I-PERS O\n\nc O B-GPE\n")
    assert tags_of("a\tB-PERS\tB-PERS\r\nb  I-PERS \t O \r\n\r\n\r\nc O\tB-GPE") == plain


def test_extra_columns_before_the_tags_are_ignored():
    # CoNLL-2003: token, POS, chunk, gold NER, then the system's column; the chunk tags look like tags
    # too, so three tags end the first line: one layer, the last two fields
    text = "-DOCSTART- -X- -X- O\n\nEU NNP B-NP B-ORG B-ORG\nrejects VBZ B-VP O O\nGerman JJ B-NP B-MISC B-PER\n"
    tagged = parse_conll(text, "c.conll")
    assert tagged.layout == "4,5"
    assert tagged.sentences() == [([["B-ORG", "O", "B-MISC"]], [["B-ORG", "O", "B-PER"]])]


def test_columns_and_layers_say_which_fields_hold_the_tags():
    text = "w B-PERS B-ORG O\nx I-PERS I-ORG O\n"
    # fields 2 and 4: gold B-PERS I-PERS, predicted O O
    assert tags_of(text, layout=Layout.parse_columns("2,4")) == [([["B-PERS", "I-PERS"]], [["O", "O"]])]
    # the last four fields would be two layers, but there are only three: every line says so
    with pytest.raises(InputError) as caught:
        parse_conll(text, "f", layout=Layout(layers=2))
    assert str(caught.value).splitlines() == ["f:1: 4 columns; expected a token, then as many predicted tag columns as gold ones (5 for 2 layers)"]
    with pytest.raises(InputError, match=r"^f:1: 4 columns, but --columns 2,5 needs 5$"):
        parse_conll(text, "f", layout=Layout.parse_columns("2,5"))
    for bad in ("2", "2-3,4", "1,2", "3,3", "a,b"):
        with pytest.raises(ValueError, match="--columns"):
            Layout.parse_columns(bad)


def test_lines_of_several_lengths_are_wojoods_nested_form():
    # khabar export conll's nested form, the gold copied as predictions: a token, its k gold tags, then
    # k predicted ones, k varying by line; a line with fewer levels than the sentence reads O below them
    text = "قال O O\nوزير B-OCC B-OCC\nخارجية I-OCC B-ORG I-OCC B-ORG\nإيران I-OCC I-ORG B-GPE I-OCC I-ORG O\n"
    tagged = parse_conll(text, "w.conll")
    assert tagged.layout == "wojood"
    gold, predicted = tagged.sentences()[0]
    assert gold == [["O", "B-OCC", "I-OCC", "I-OCC"], ["O", "O", "B-ORG", "I-ORG"], ["O", "O", "O", "B-GPE"]]
    assert predicted[2] == ["O", "O", "O", "O"]


def test_tags_longer_than_a_word_or_sharing_its_first_bytes_stay_distinct():
    # the reader compares tags of up to 8 bytes as machine words: B-PERSON (8 bytes) and B-PERSONA (9),
    # and B-LOC against B-LOC followed by a NUL byte (the same word, another length), must not merge;
    # the last field of the file, in its last 7 bytes, is read too
    text = "a B-PERSON B-PERSONA\nb B-LOC B-LOC\x00\nc B-CARDINAL B-CARDINAL"
    assert tags_of(text) == [([["B-PERSON", "B-LOC", "B-CARDINAL"]], [["B-PERSONA", "B-LOC\x00", "B-CARDINAL"]])]


def test_every_bad_line_is_reported_with_file_line_and_column():
    lines = ["a B-PERS O", "b I-PERS", "c X-PERS O", "d O B-", "e O O O O"]
    with pytest.raises(InputError) as caught:
        parse_conll(lines, "sys.conll")
    wojood = "expected a token, its gold tags and as many predicted ones (lines of several lengths are read in Wojood's nested form; --layers or --columns says otherwise)"
    tags = "(expected O, B-TYPE or I-TYPE, the tags of IOB2; --scheme chooses another)"
    assert str(caught.value).splitlines() == [
        f"sys.conll:2: 2 columns: {wojood}",
        f"sys.conll:3: column 2: invalid tag 'X-PERS' {tags}",
        f"sys.conll:4: column 3: invalid tag 'B-' {tags}",
    ]


def test_a_gold_only_file_says_what_is_missing():
    with pytest.raises(InputError, match=r"^f:1: 2 columns; .* holds the gold tags only: add the predicted ones$"):
        parse_conll(["a B-PERS", "b O"], "f")


def test_a_scheme_decides_which_tags_are_valid():
    with pytest.raises(InputError, match=r"^f:1: column 3: invalid tag 'S-PERS' \(expected O, B-TYPE or I-TYPE"):
        parse_conll(["a B-PERS S-PERS"], "f")
    assert tags_of("a B-PERS S-PERS\n", scheme="IOBES") == [([["B-PERS"]], [["S-PERS"]])]


def test_read_conll_errors_are_one_line(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_conll(tmp_path / "missing.conll")
    latin = tmp_path / "latin.conll"
    latin.write_bytes(b"a O O\ncaf\xe9 O O\n")
    with pytest.raises(InputError, match=r"latin.conll:2: not UTF-8"):
        read_conll(latin)
    bom = tmp_path / "bom.conll"
    bom.write_bytes(b"\xef\xbb\xbfa B-PERS B-PERS\n")
    assert read_conll(bom).sentences() == [([["B-PERS"]], [["B-PERS"]])]


def test_a_blocks_edge_cuts_no_field(monkeypatch):
    # the reader works on blocks of bytes that end at a line break; tiny blocks must read alike
    from khabar.scorers import conll

    text = "".join(f"w{i} {'B-PERS' if i % 3 else 'O'} {'I-PERS' if i % 4 else 'O'}\n" + ("\n" if i % 5 == 0 else "") for i in range(200))
    expected = tags_of(text)
    monkeypatch.setattr(conll, "_BLOCK", 7)
    assert tags_of(text) == expected


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
    tagged = TaggedTokens.of([["B-PERS", "I-PERS"]], [["I-PERS", "I-PERS"]])
    assert score_conll(tagged=tagged, bootstrap=0).counts("strict") == Counts(fn=1)
    assert score_conll(tagged=tagged, decoder="conlleval", bootstrap=0).counts("strict") == Counts(tp=1)


@pytest.mark.parametrize(
    "scheme, tags, strict",
    [
        # IOB1: B only where a chunk follows one of its type; I-X after O starts one
        ("IOB1", ["I-PERS", "I-PERS", "B-PERS", "O", "I-ORG"], [(0, 2, "PERS"), (2, 3, "PERS"), (4, 5, "ORG")]),
        # IOE2: every chunk ends at E; an I- run without its E is no chunk
        ("IOE2", ["I-GPE", "E-GPE", "E-GPE", "I-ORG", "O"], [(0, 2, "GPE"), (2, 3, "GPE")]),
        # IOBES: S is a chunk alone, B ... E a longer one; B without its E is none
        ("IOBES", ["S-PERS", "B-ORG", "I-ORG", "E-ORG", "B-GPE", "O"], [(0, 1, "PERS"), (1, 4, "ORG")]),
        # BILOU: U alone, B ... L longer
        ("BILOU", ["U-PERS", "B-ORG", "L-ORG", "B-GPE", "I-GPE"], [(0, 1, "PERS"), (1, 3, "ORG")]),
    ],
)
def test_schemes_on_hand_cases(scheme, tags, strict):
    assert chunks(tags, "strict", scheme) == strict


def test_nested_columns_are_scored_as_one_set_of_chunks():
    # gold: ORG (0,3) and GPE (2,3) in the second column; predicted: ORG (0,3) only.
    # nested: tp 1 (ORG), fn 1 (GPE) -> P = 1, R = 1/2; flat (outermost): ORG = ORG -> P = R = 1.
    tagged = parse_conll(["وزارة B-ORG O B-ORG O", "الخارجية I-ORG O I-ORG O", "العراقية I-ORG B-GPE I-ORG O"], "n")
    assert score_conll(tagged=tagged, layer="nested", bootstrap=0).counts("strict") == Counts(tp=1, fn=1)
    assert score_conll(tagged=tagged, layer="flat", bootstrap=0).counts("strict") == Counts(tp=1)


# --------------------------------------------------------------------------------------------------
# seqeval


def _random_tags(rng, length, prefixes="BI"):
    tags = []
    for _ in range(length):
        roll = rng.random()
        tags.append("O" if roll < 0.4 else rng.choice(prefixes) + "-" + rng.choice(TYPES))
    return tags


def _random_sentences(seed, count=400, prefixes="BI"):
    """Gold and noisy predicted tag lists: random tags of the scheme, so that every rule is exercised."""
    rng = random.Random(seed)
    gold, predicted = [], []
    for _ in range(count):
        sentence = _random_tags(rng, rng.randint(1, 15), prefixes)
        gold.append(sentence)
        predicted.append([tag if rng.random() < 0.7 else _random_tags(rng, 1, prefixes)[0] for tag in sentence])
    return gold, predicted


def _as_file(gold, predicted) -> str:
    return "".join("".join(f"w {g} {p}\n" for g, p in zip(gs, ps)) + "\n" for gs, ps in zip(gold, predicted))


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


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
@pytest.mark.parametrize("seed", [1, 2])
def test_every_scheme_equals_seqeval_strict_on_random_files(scheme, seed):
    """Random files of each scheme's tags (valid and invalid sequences alike), read and scored by Khabar,
    against seqeval's classification_report(mode="strict", scheme=...) on the same tags."""
    gold, predicted = _random_sentences(seed, prefixes=SCHEMES[scheme].prefixes.replace("O", ""))
    reference = classification_report(
        gold, predicted, mode="strict", scheme=getattr(seqeval_schemes, scheme), output_dict=True, zero_division=0
    )
    tagged = parse_conll(_as_file(gold, predicted), "random.conll", scheme=scheme)
    _assert_equal_to_seqeval(score_conll(tagged=tagged, bootstrap=0), reference)


@pytest.mark.parametrize("scheme", ["IOB1", "IOB2", "IOE1", "IOE2", "IOBES"])
def test_conlleval_equals_seqeval_default_mode(scheme):
    # seqeval's default mode is its port of conlleval.pl's chunking (a stray I- starts a chunk); it
    # knows B, I, E and S, so BILOU is left out here (its L and U are read as E and S)
    gold, predicted = _random_sentences(4, prefixes=SCHEMES[scheme].prefixes.replace("O", ""))
    reference = classification_report(gold, predicted, output_dict=True, zero_division=0)
    tagged = parse_conll(_as_file(gold, predicted), "random.conll", scheme=scheme)
    _assert_equal_to_seqeval(score_conll(tagged=tagged, decoder="conlleval", bootstrap=0), reference)


def test_conlleval_reads_bilou_as_iobes():
    gold, predicted = _random_sentences(5, prefixes="BILU")
    as_iobes = [[t.replace("L-", "E-").replace("U-", "S-") for t in s] for s in gold], [[t.replace("L-", "E-").replace("U-", "S-") for t in s] for s in predicted]
    bilou = score_conll(tagged=TaggedTokens.of(gold, predicted, scheme="BILOU"), decoder="conlleval", bootstrap=0)
    iobes = score_conll(tagged=TaggedTokens.of(*as_iobes, scheme="IOBES"), decoder="conlleval", bootstrap=0)
    assert bilou.board.totals() == iobes.board.totals()


def test_units_are_sentences_below_thirty_documents_and_documents_from_thirty():
    few = TaggedTokens.of(*_random_sentences(6, count=50))
    assert len(score_conll(tagged=few, bootstrap=10).board.units) == 50
    gold, predicted = _random_sentences(7, 150)
    many = TaggedTokens.of(gold, predicted, documents=[number // 5 for number in range(150)])
    report = score_conll(tagged=many, bootstrap=10)
    assert len(report.board.units) == 30
    assert report.options["unit"] == "document"


def test_the_reader_and_tagged_lists_score_alike():
    gold, predicted = _random_sentences(8)
    from_file = score_conll(tagged=parse_conll(_as_file(gold, predicted), "f"), bootstrap=20)
    from_lists = score_conll(tagged=TaggedTokens.of(gold, predicted), bootstrap=20)
    assert from_file.to_dict()["metrics"] == from_lists.to_dict()["metrics"]


# --------------------------------------------------------------------------------------------------
# Khabar's own export, read back


@pytest.mark.parametrize("name", ["khabar.flat.conll", "khabar.nested.conll"])
def test_export_then_gold_as_predictions_scores_100(tmp_path, name):
    """khabar export conll, its gold columns copied as predictions (comments kept), scored: 100 on
    every metric, flat and nested, with as many gold chunks as the export's mentions."""
    result = run_khabar("export", "conll", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    exported = (tmp_path / name).read_text(encoding="utf-8").splitlines()
    copied = tmp_path / f"copied.{name}"
    copied.write_text(
        "".join((line if not line or line.startswith("# ") else line + "\t" + "\t".join(line.split("\t")[1:])) + "\n" for line in exported),
        encoding="utf-8",
    )
    for layer in ("flat", "nested"):
        result = run_khabar("score", "--conll", str(copied), "--layer", layer, "--bootstrap", "0", "--format", "json")
        assert result.returncode == 0, result.stderr
        report = json.loads(result.stdout)["entities"]
        for metric in ("strict", "exact", "partial", "type"):
            assert report["metrics"][metric]["overall"]["f1"] == 1.0, (layer, metric)
        tags = [line.split("\t")[1:] for line in exported if line and not line.startswith("# ")]
        beginnings = sum(tag.startswith("B-") for row in tags for tag in (row if layer == "nested" else row[:1]))
        assert report["metrics"]["strict"]["overall"]["gold"] == beginnings > 0
    assert report["options"]["columns"] == ("wojood" if "nested" in name else "2,3")


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

    report = score_conll(tagged=parse_conll(text.splitlines(), "random"), decoder="conlleval", bootstrap=0)
    overall = report.counts("strict")
    assert (overall.gold, overall.predicted, overall.tp) == (gold, found, correct)
    assert sorted(report.labels("strict")) == sorted(per_type)
    for label, (precision, recall, f1, predicted) in per_type.items():
        counts = report.counts("strict", label)
        assert (round(100 * counts.precision, 2), round(100 * counts.recall, 2)) == (precision, recall)
        assert (round(100 * counts.f1, 2), counts.predicted) == (f1, predicted)
