"""The ``crf`` baseline on WojoodNER: training time, val.txt scores, and tagging speed.

    python benchmarks/crf_wojood.py [--tokens 200000] [--seed 13] [--conll val.conll]

Trains the baseline's model from ``baselines/wojood/train.txt`` without the cache (the time ``make
evaluate`` takes on a fresh clone), checks that it is byte for byte the model the baseline uses, then
tags ``val.txt`` and prints strict F1 (outermost layer, exact span and type) overall and per type,
computed by Khabar's scorer (``khabar.scorers.conll``, seqeval's strict IOB2 decoding) and by seqeval
1.2.2's ``classification_report(mode="strict", scheme=IOB2)``, which must agree. ``--conll`` also
writes the val tokens with gold and predicted tags, so that ``khabar score --conll FILE`` prints the
full report. Last, tokens per second on one core: tagging val's tokens (features and CRF), and the
whole baseline (tokenize, features, CRF, spans, JSON) on the synthetic news stream of
``baseline_speed.py``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from seqeval.metrics import classification_report
from seqeval.scheme import IOB2

from baseline_speed import synthetic_documents
from khabar.baselines import BASELINES, crf
from khabar.corpus.format import dumps_line, labels
from khabar.corpus.tokenize import tokenize
from khabar.scorers.conll import TaggedTokens, score_conll


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tokens", type=int, default=200_000, help="size of the synthetic stream")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--conll", type=Path, help="write val.txt with gold and predicted tags here")
    args = parser.parse_args()

    start = time.perf_counter()
    train = crf.read_wojood(crf.TRAIN_FILE)
    items = crf.training_items(train)
    features = time.perf_counter() - start
    model = crf.train(items)
    seconds = time.perf_counter() - start
    tokens = sum(len(s.tags) for s in train)
    print(f"training: {len(train)} sentences, {tokens} tokens; {seconds:.1f} s ({features:.1f} s reading and features), python-crfsuite {crf.library_version()}, {crf.PARAMS}")
    same = model == crf.default_tagger().model
    print(f"identical to the baseline's model (cache key {crf.model_key(items)[:12]}): {'yes' if same else 'NO'}")

    tagger = crf.CrfTagger(model, crf.entity_first_words(train))
    val = crf.read_wojood(crf.VAL_FILE)
    start = time.perf_counter()
    predicted = [tagger.tag_sentence(s.tokens, range(len(s.tokens)), crf.lexicon_marks(s.tokens)) for s in val]
    val_seconds = time.perf_counter() - start
    val_tokens = sum(len(s.tags) for s in val)

    tagged = TaggedTokens.of([list(s.tags) for s in val], [list(p) for p in predicted])
    report = score_conll(tagged=tagged, bootstrap=1000)
    theirs = classification_report([list(s.tags) for s in val], predicted, mode="strict", scheme=IOB2, output_dict=True, zero_division=0)
    print(f"\nval.txt: {len(val)} sentences, {val_tokens} tokens; strict F1, outermost layer (Khabar's scorer; seqeval strict)")
    print(f"{'type':<10} {'gold':>5} {'pred':>5} {'TP':>5} {'P':>7} {'R':>7} {'F1':>7} {'±95%':>6} {'seqeval':>8}")
    order = [t for t in labels()["entity_types"] if t in set(report.labels("strict"))]
    agree = True
    for label in ["overall", *order]:
        key = "micro avg" if label == "overall" else label
        counts = report.counts("strict") if label == "overall" else report.counts("strict", label)
        interval = report.interval("strict") if label == "overall" else report.interval("strict", label)
        half = 100 * interval.half_width if interval else 0.0
        seqeval_f1 = theirs.get(key, {}).get("f1-score", 0.0)
        agree &= abs(seqeval_f1 - counts.f1) < 1e-9
        print(
            f"{label:<10} {counts.gold:>5} {counts.predicted:>5} {counts.tp:>5} {100 * counts.precision:>7.2f} "
            f"{100 * counts.recall:>7.2f} {100 * counts.f1:>7.2f} {half:>6.2f} {100 * seqeval_f1:>8.2f}"
        )
    print(f"Khabar and seqeval agree on every F1: {'yes' if agree else 'NO'}")
    if args.conll is not None:
        lines = []
        for s, p in zip(val, predicted):
            words = [s.tokens.text[a:b] for a, b in zip(s.tokens.starts, s.tokens.ends)]
            lines += [f"{w} {g} {q}" for w, g, q in zip(words, s.tags, p)] + [""]
        args.conll.write_text("\n".join(lines), encoding="utf-8")
        print(f"wrote {args.conll}: khabar score --conll {args.conll}")

    print(f"\nspeed, one core: tagging val.txt's tokens (features and CRF) {val_tokens / val_seconds:,.0f} tokens/s")
    documents = synthetic_documents(args.tokens, args.seed)
    stream = sum(len(tokenize(text)) for text in documents)
    predict = BASELINES["crf"].predict
    predict(documents[0])
    start = time.perf_counter()
    for text in documents:
        dumps_line(predict(text))
    seconds = time.perf_counter() - start
    print(f"baseline crf, end to end on {len(documents)} synthetic documents, {stream} tokens: {stream / seconds:,.0f} tokens/s ({seconds:.2f} s)")


if __name__ == "__main__":
    main()
