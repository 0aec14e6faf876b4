"""How fast ``khabar score --conll`` is on a CoNLL file of a million tokens, beside seqeval, whole processes.

Writes the synthetic corpus of ``benchmarks/score_scale.py`` (about 1,000,000 tokens in 10,000 documents,
65,000 entities of 10 types, predictions with realistic noise) as one CoNLL file, ``token gold predicted``
a line, a ``-DOCSTART-`` line before each document (as in CoNLL-2003) and a blank line after each
sentence, then runs each side as a fresh process timed from outside, interpreter start-up and imports
included, in turns:

* khabar: ``khabar score --conll FILE --format json``: read and validate the file, decode the tags
  (seqeval's strict IOB2), score every entity metric per type with 1,000 bootstrap resamples of the
  documents, hash the file for the signature, print the report. Khabar's modules are compiled to
  bytecode first, as Python does on their first import (pip did it for seqeval's);
* seqeval: a script that reads the file as a user would (lines split on white space, ``-DOCSTART-`` and
  blank lines separating sentences, the last two fields gold and predicted) and runs seqeval 1.2.2's
  ``classification_report(mode="strict", scheme=IOB2)``.

After one untimed run of each (files cached), it prints every run's time and peak memory (the process's maximum resident set), the best and the
median of each side, their ratios, and whether the strict numbers (precision, recall, F1 and support per
type, micro and macro) are identical. The best runs are the figures least disturbed by whatever else the
machine is doing; the medians show the spread.

``--sentence-units`` leaves the ``-DOCSTART-`` lines out: every one of the 50,000 sentences is then a
resampling unit, and the bootstrap, five times larger, takes most of Khabar's time.

Usage: python benchmarks/conll_scale.py [--documents 10000] [--runs 7] [--sentence-units] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import score_scale

SEQEVAL_JOB = r"""
import json, sys
from seqeval.metrics import classification_report
from seqeval.scheme import IOB2

gold, predicted, sentence_gold, sentence_predicted = [], [], [], []
with open(sys.argv[1], encoding="utf-8") as handle:
    for line in handle:
        fields = line.split()
        if not fields or fields[0] == "-DOCSTART-":
            if sentence_gold:
                gold.append(sentence_gold)
                predicted.append(sentence_predicted)
                sentence_gold, sentence_predicted = [], []
            continue
        sentence_gold.append(fields[-2])
        sentence_predicted.append(fields[-1])
if sentence_gold:
    gold.append(sentence_gold)
    predicted.append(sentence_predicted)
report = classification_report(gold, predicted, mode="strict", scheme=IOB2, output_dict=True, zero_division=0)
print(json.dumps({label: {k: float(v) for k, v in row.items()} for label, row in report.items()}))
"""


def write_conll(directory: Path, documents: int, *, document_lines: bool = True) -> dict:
    """The synthetic corpus's tags as ``directory/bench.conll``; returns its sizes."""
    sizes = score_scale.build(directory, documents)
    gold_tags, predicted_tags = json.loads((directory / "tags.json").read_text())
    lines = 0
    with open(directory / "documents.jsonl", encoding="utf-8") as documents_file, open(directory / "bench.conll", "w", encoding="utf-8") as out:
        for line, gold, predicted in zip(documents_file, gold_tags, predicted_tags):
            doc = json.loads(line)
            if document_lines:
                out.write("-DOCSTART- O O\n\n")
            for token, g, p in zip(doc["tokens"], gold, predicted):
                word = doc["text"][token["start"] : token["end"]]
                out.write(f"{word} {g} {p}\n")
                if word == ".":
                    out.write("\n")
                    lines += 1
            out.write("\n")
            lines += len(gold) + 1 + 2 * document_lines
    for name in ("documents.jsonl", "predictions.jsonl", "tags.json"):
        (directory / name).unlink()
    return {**sizes, "lines": lines, "megabytes": (directory / "bench.conll").stat().st_size / 2**20}


def run_once(command: list[str]) -> None:
    """Run ``command`` as this process's only child; print its wall time, its peak resident memory
    (RUSAGE_CHILDREN's maximum, which is that child's alone) and its output as JSON."""
    import resource

    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak, "stdout": done.stdout}))


def measure(command: list[str]) -> dict:
    """One run of ``command`` in a fresh measuring process (see :func:`run_once`)."""
    done = subprocess.run([sys.executable, __file__, "--measure", json.dumps(command)], capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(done.stderr or done.stdout)
    return json.loads(done.stdout)


def compare(ours: dict, seqeval: dict) -> list[str]:
    """The labels on which our strict numbers differ from seqeval's: precision, recall, F1 and support
    per type and micro, and the macro F1."""
    strict = ours["metrics"]["strict"]
    differing = []
    for label, theirs in seqeval.items():
        if label == "weighted avg":
            continue
        if label == "macro avg":
            if abs(strict["macro"]["f1"] - theirs["f1-score"]) > 1e-12:
                differing.append(label)
            continue
        mine = strict["overall"] if label == "micro avg" else strict["per_label"].get(label)
        if mine is None or mine["gold"] != theirs["support"] or any(
            abs(mine[a] - theirs[b]) > 1e-12 for a, b in (("precision", "precision"), ("recall", "recall"), ("f1", "f1-score"))
        ):
            differing.append(label)
    differing += sorted(set(strict["per_label"]) - set(seqeval))
    return differing


def _package_dirs() -> list[str]:
    import importlib.util

    return [str(Path(importlib.util.find_spec(name).origin).parent) for name in ("khabar.corpus", "khabar.scorers")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7, help="timed runs of each side, in turns (default 7)")
    parser.add_argument("--sentence-units", action="store_true", help="no -DOCSTART- lines: every sentence a unit")
    parser.add_argument("--keep", type=Path, help="write the CoNLL file here and keep it")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        run_once(json.loads(args.measure))
        return

    directory = args.keep or Path(tempfile.mkdtemp(prefix="khabar-conll-scale-"))
    directory.mkdir(parents=True, exist_ok=True)
    try:
        sizes = write_conll(directory, args.documents, document_lines=not args.sentence_units)
        path = str(directory / "bench.conll")
        script = directory / "seqeval_job.py"
        script.write_text(SEQEVAL_JOB, encoding="utf-8")
        print(
            f"CoNLL file: {sizes['tokens']:,} tokens, {sizes['lines']:,} lines, "
            f"{'no -DOCSTART- line' if args.sentence_units else format(sizes['documents'], ',') + ' documents'}, "
            f"{sizes['entities']:,} gold entities of {len(score_scale.TYPES)} types, {sizes['megabytes']:.1f} MB"
        )
        # as in any installation, imports read compiled bytecode: pip compiled seqeval's; Khabar's
        # editable checkout gets it on first import, unless PYTHONDONTWRITEBYTECODE forbids writing it
        subprocess.run([sys.executable, "-m", "compileall", "-q", *_package_dirs()], check=True)
        commands = {
            "khabar": [sys.executable, "-m", "khabar.corpus.cli", "score", "--conll", path, "--format", "json"],
            "seqeval": [sys.executable, str(script), path],
        }
        for command in commands.values():  # one untimed run each, so that every timed run finds files cached
            measure(command)
        runs: dict[str, list[dict]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, command in commands.items():
                runs[name].append(measure(command))
        print(f"\n{'run':<8} " + "  ".join(f"{name + ' s':>10} {name + ' MB':>11}" for name in commands))
        for i in range(args.runs):
            print(f"{i + 1:<8} " + "  ".join(f"{runs[name][i]['seconds']:10.2f} {runs[name][i]['peak_mb']:11.0f}" for name in commands))
        best = {name: min(r["seconds"] for r in runs[name]) for name in commands}
        median = {name: statistics.median(r["seconds"] for r in runs[name]) for name in commands}
        peak = {name: max(r["peak_mb"] for r in runs[name]) for name in commands}
        for name in commands:
            print(f"{name}: best {best[name]:.2f} s, median {median[name]:.2f} s, peak memory {peak[name]:.0f} MB")
        print(
            f"\nkhabar score --conll is {best['seqeval'] / best['khabar']:.1f}x faster than seqeval's strict "
            f"classification_report (best runs; {median['seqeval'] / median['khabar']:.1f}x on the medians)"
        )
        differing = compare(json.loads(runs["khabar"][0]["stdout"])["entities"], json.loads(runs["seqeval"][0]["stdout"]))
        verdict = "identical" if not differing else "differ on " + ", ".join(differing)
        print(f"strict numbers against seqeval (P, R, F1, support per type and micro; macro F1): {verdict}")
    finally:
        if not args.keep:
            shutil.rmtree(directory)


if __name__ == "__main__":
    main()
