"""The ``crf`` baseline: reading WojoodNER files, decoding tags, the proclitic rule, deterministic
training and its cache, predictions on hand-written sentences, and its Wojood val score computed by
Khabar's scorer and by seqeval.

Tests that train use a slice of ``train.txt`` (a few seconds); the val test uses the baseline's own
model, trained once per checkout and then read from ``.cache/crf/``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from seqeval.metrics import classification_report
from seqeval.scheme import IOB2

from khabar.baselines import BASELINES, crf
from khabar.baselines.arabic import Tokens, analyses
from khabar.corpus import format as fmt
from khabar.corpus.cli import main
from khabar.scorers.conll import TaggedTokens, score_conll


def found(text: str, entities: list[dict]) -> list[tuple[str, str]]:
    return [(text[e["start"] : e["end"]], e["type"]) for e in entities]


@pytest.fixture(scope="module")
def slice_tagger() -> crf.CrfTagger:
    return crf.CrfTagger.of(crf.read_wojood(crf.TRAIN_FILE)[:300], cache_dir=None)


# --------------------------------------------------------------------------------------------------
# Reading WojoodNER files


def test_reader_keeps_the_outermost_layer_drops_segment_marks_and_retokenizes(tmp_path):
    source = tmp_path / "sample.txt"
    source.write_text(
        "سكرتير B-OCC\nاللجنة I-OCC B-ORG\nفي I-OCC\nنابلس I-OCC B-GPE\n$#$ O\n\n"
        "زار O\nأ.ب B-PERS\nبيروت B-GPE\n",
        encoding="utf-8",
    )
    first, second = crf.read_wojood(source)
    assert [first.tokens.text[s:e] for s, e in zip(first.tokens.starts, first.tokens.ends)] == ["سكرتير", "اللجنة", "في", "نابلس"]
    assert first.tags == ("B-OCC", "I-OCC", "I-OCC", "I-OCC")
    # أ.ب is one Wojood word but three Khabar tokens: the first keeps B-, the others continue the mention
    assert len(second.tokens) == 5
    assert second.tags == ("O", "B-PERS", "I-PERS", "I-PERS", "B-GPE")


def test_reader_on_the_shipped_files():
    train, val = crf.read_wojood(crf.TRAIN_FILE), crf.read_wojood(crf.VAL_FILE)
    assert (len(train), len(val)) == (1114, 158)
    assert sum(len(crf.chunks(s.tags)) for s in train) == 2311
    assert sum(len(crf.chunks(s.tags)) for s in val) == 385
    assert all(len(s.tags) == len(s.tokens) for s in train + val)


def test_chunks_are_strict_iob2():
    tags = ["B-GPE", "I-GPE", "B-GPE", "O", "I-ORG", "I-ORG", "B-PERS", "I-ORG", "B-DATE"]
    # a stray I-ORG (after O, or after another type) opens nothing, as in seqeval's strict mode
    assert crf.chunks(tags) == [(0, 2, "GPE"), (2, 3, "GPE"), (6, 7, "PERS"), (8, 9, "DATE")]


# --------------------------------------------------------------------------------------------------
# Spans: proclitics outside


def test_proclitic_is_outside_when_the_rest_is_a_known_first_word_or_definite():
    known = frozenset({"لبنان"})
    assert crf.proclitic_length(analyses("ولبنان"), known) == 1
    assert crf.proclitic_length(analyses("وبالعراق"), known) == 2  # و and ب; the article stays inside
    assert crf.proclitic_length(analyses("للأمم"), known) == 1  # the span starts at the article's remaining ل
    assert crf.proclitic_length(analyses("بلدية"), known) == 0  # لدية is no known first word
    assert crf.proclitic_length(analyses("لبنان"), known) == 0  # بنان neither


# --------------------------------------------------------------------------------------------------
# Training and the cache


def test_trained_on_a_slice_it_tags_a_hand_written_sentence(slice_tagger):
    text = "وقال وزير الخارجية الفرنسي إن لبنان وسوريا يرفضان القرار."
    assert found(text, slice_tagger.entities(Tokens.of(text))) == [("لبنان", "GPE"), ("سوريا", "GPE")]
    text = "وصل الرئيس إلى بيروت يوم الخميس 5 تشرين الأول 2023 م."
    assert found(text, slice_tagger.entities(Tokens.of(text))) == [("بيروت", "GPE"), ("يوم الخميس 5 تشرين الأول 2023", "DATE")]


TRAIN_A_SLICE = """
import hashlib, sys
from khabar.baselines import crf
items = crf.training_items(crf.read_wojood(crf.TRAIN_FILE)[:100])
print(crf.model_key(items), hashlib.sha256(crf.train(items)).hexdigest())
"""


def test_two_trainings_give_identical_models_whatever_the_hash_seed():
    runs = []
    for seed in ("0", "4242"):
        result = subprocess.run(
            [sys.executable, "-c", TRAIN_A_SLICE], capture_output=True, text=True, check=True, env={**os.environ, "PYTHONHASHSEED": seed}
        )
        runs.append(result.stdout.split())
    assert runs[0] == runs[1] and len(runs[0]) == 2


def test_cache_returns_the_model_training_gives_and_is_keyed_by_the_items(tmp_path, monkeypatch):
    items = crf.training_items(crf.read_wojood(crf.TRAIN_FILE)[:60])
    trained = crf.train(items)
    assert crf.cached_model(items, tmp_path) == trained
    assert [p.name for p in tmp_path.iterdir()] == [f"{crf.model_key(items)}.crfsuite"]

    def no_training(*args, **kwargs):
        raise AssertionError("trained although the model is cached")

    monkeypatch.setattr(crf, "train", no_training)
    assert crf.cached_model(items, tmp_path) == trained
    changed = [(features, ["O"] * len(tags)) for features, tags in items]
    assert crf.model_key(changed) != crf.model_key(items)
    assert crf.model_key(items, {**crf.PARAMS, "c1": 0.5}) != crf.model_key(items)


# --------------------------------------------------------------------------------------------------
# The baseline


def test_val_score_by_khabar_equals_seqeval_strict():
    tagger = crf.default_tagger()
    val = crf.read_wojood(crf.VAL_FILE)
    predicted = [tagger.tag_sentence(s.tokens, range(len(s.tokens)), crf.lexicon_marks(s.tokens)) for s in val]
    report = score_conll(tagged=TaggedTokens.of([list(s.tags) for s in val], [list(p) for p in predicted]), bootstrap=0)
    theirs = classification_report([list(s.tags) for s in val], predicted, mode="strict", scheme=IOB2, output_dict=True, zero_division=0)
    assert report.counts("strict").gold == theirs["micro avg"]["support"] == 385
    assert report.f1("strict") == pytest.approx(theirs["micro avg"]["f1-score"])
    for label in report.labels("strict"):
        if label in theirs:
            counts = report.counts("strict", label)
            assert counts.gold == theirs[label]["support"], label
            assert counts.f1 == pytest.approx(theirs[label]["f1-score"]), label
    assert report.f1("strict") > 0.65


def test_cli_runs_crf_on_plain_text(tmp_path, capsys):
    text = "زار الرئيس المصري ولبنان وسوريا والأردن يوم الأحد.\n"
    source = tmp_path / "article.txt"
    source.write_text(text, encoding="utf-8")
    assert main(["baseline", "run", "crf", "--input", str(source)]) == 0
    record = json.loads(capsys.readouterr().out)
    assert set(record) == {"id", "entities"}
    assert fmt.check_prediction(record, text, "article") == []
    assert record == {"id": "article", **BASELINES["crf"].predict(text)}
    # the countries carry the conjunction و, which stays outside their spans
    assert {("لبنان", "GPE"), ("سوريا", "GPE"), ("الأردن", "GPE")} <= set(found(text, record["entities"]))
