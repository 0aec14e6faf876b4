"""How fast the entity scorer is at corpus scale, beside the parse floor, seqeval and nervaluate.

Builds a synthetic corpus of about 1,000,000 tokens (10,000 documents, about 65,000 entities of 10
types) and a prediction file with realistic noise (retyped, shifted, split, dropped and invented
entities; flat, so that the same predictions are also IOB2 tags), then measures, each in a fresh
process (so that every peak memory figure is that job's own):

* floor: parsing the prediction file with ``json`` (and the gold file, which every scorer reads too),
  once as is and once with the garbage collector paused, as ``khabar score`` pauses it;
* ours, end to end: ``khabar score --task entities`` itself, in process, against a recorded release
  (a copy of the checkout's layout whose MANIFEST.json records the gold's sha256, as a wheel's does):
  hash the gold, parse it without validating it again, load and validate the predictions, score every
  entity metric per type with 1,000 bootstrap resamples, render the table; the goal is at most 1.5x
  the parse floor;
* the same with ``--gold FILE``, a gold that is no release (a corpus of one's own), validated in full;
* ours, scoring: the same report from spans already in memory (what seqeval and nervaluate are given);
  for this job and the next two, the inputs are loaded untimed and then frozen out of the garbage
  collector's reach (``gc.freeze``), the same for every tool;
* seqeval 1.2.2 ``classification_report(mode="strict", scheme=IOB2)`` on the same tags;
* nervaluate 1.2.1 ``Evaluator(...).evaluate()`` on the same spans (token offsets, one instance a document).

It then checks that the numbers agree where the definitions coincide: our strict counts against seqeval's
strict ones, per type and overall, and our four schemas against nervaluate's.

The floor and end-to-end jobs run ``--repeat`` times each (3 by default), interleaved, and the fastest run
of each is shown: on a shared machine a single run measures its neighbours' load as much as the code.

Usage: python benchmarks/score_scale.py [--documents 10000] [--keep DIR] [--repeat 3]
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import hashlib
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TYPES = ["PERS", "NORP", "OCC", "ORG", "GPE", "LOC", "FAC", "EVENT", "DATE", "TIME"]
WORDS = ["قال", "وزير", "الخارجية", "في", "بيان", "إن", "الحكومة", "ستعقد", "اجتماعا", "مع", "وفد", "من",
         "المدينة", "يوم", "الأحد", "المقبل", "لبحث", "العلاقات", "بين", "البلدين", "وأضاف", "أن", "اللقاء"]
TOKENS_PER_DOCUMENT = 95
SENTENCE_LENGTH = 20
ENTITY_START_RATE = 0.08


# --------------------------------------------------------------------------------------------------
# The synthetic corpus


def _document(rng: random.Random, number: int) -> tuple[dict, dict, list[str], list[str]]:
    """A gold document (built format), its prediction, and both as IOB2 tags over its tokens."""
    pieces, tokens, sentences = [], [], []
    position = sentence_start = 0
    for i in range(TOKENS_PER_DOCUMENT):
        word = rng.choice(WORDS)
        if i:
            pieces.append(" ")
            position += 1
        if i % SENTENCE_LENGTH == 0 and i:
            sentence_start = position
        pieces.append(word)
        tokens.append((position, position + len(word)))
        position += len(word)
        if i % SENTENCE_LENGTH == SENTENCE_LENGTH - 1:
            pieces.append(".")
            tokens.append((position, position + 1))
            position += 1
            sentences.append((sentence_start, position))
    text = "".join(pieces)

    gold_tokens: list[tuple[int, int, str]] = []
    i = 0
    while i < len(tokens):
        if rng.random() < ENTITY_START_RATE and text[tokens[i][0]] != ".":
            length = min(rng.choice((1, 1, 2, 2, 3)), len(tokens) - i)
            if all(text[tokens[j][0]] != "." for j in range(i, i + length)):
                gold_tokens.append((i, i + length, rng.choice(TYPES)))
                i += length + 1
                continue
        i += 1
    predicted_tokens = _flat(_noisy(rng, gold_tokens, len(tokens)))

    def spans(entities):
        return [{"start": tokens[s][0], "end": tokens[e - 1][1], "type": t} for s, e, t in entities]

    doc_id = f"doc{number:05d}"
    mentions = [{**span, "id": f"T{k}", "text": text[span["start"] : span["end"]], "kind": "name", "entity": f"E{k}"}
                for k, span in enumerate(spans(gold_tokens), 1)]
    gold = {
        "id": doc_id,
        "text": text,
        "meta": {"source_file": f"seeds/{doc_id}.txt", "sha256": hashlib.sha256(text.encode()).hexdigest(),
                 "publisher": "synthetic", "published": "2026", "language": "ar", "split": "test"},
        "sentences": [{"start": s, "end": e} for s, e in sentences],
        "tokens": [{"start": s, "end": e} for s, e in tokens],
        "clusters": [{"id": m["entity"], "type": m["type"], "canonical": m["text"]} for m in mentions],
        "entities": mentions,
        "quotes": [],
        "events": [],
    }
    prediction = {"id": doc_id, "entities": spans(predicted_tokens)}
    return gold, prediction, _tags(gold_tokens, len(tokens)), _tags(predicted_tokens, len(tokens))


def _noisy(rng: random.Random, gold: list, n_tokens: int) -> list:
    predicted = []
    for start, end, kind in gold:
        roll = rng.random()
        if roll < 0.75:
            predicted.append((start, end, kind))
        elif roll < 0.83:
            predicted.append((start, end, rng.choice(TYPES)))
        elif roll < 0.91:
            start, end = (start + rng.choice((-1, 1)), end) if rng.random() < 0.5 else (start, end + rng.choice((-1, 1)))
            if 0 <= start < end <= n_tokens:
                predicted.append((start, end, kind))
        elif roll < 0.94 and end - start > 1:
            predicted += [(start, start + 1, kind), (start + 1, end, rng.choice(TYPES))]
    for _ in range(rng.choice((0, 0, 1))):
        start = rng.randrange(n_tokens - 2)
        predicted.append((start, start + rng.choice((1, 2)), rng.choice(TYPES)))
    return predicted


def _flat(entities: list) -> list:
    """Drop predictions that overlap an earlier one, so that the predictions are IOB2 tags too."""
    kept, reach = [], 0
    for start, end, kind in sorted(entities):
        if start >= reach:
            kept.append((start, end, kind))
            reach = end
    return kept


def _tags(entities: list, n_tokens: int) -> list[str]:
    tags = ["O"] * n_tokens
    for start, end, kind in entities:
        tags[start] = f"B-{kind}"
        for i in range(start + 1, end):
            tags[i] = f"I-{kind}"
    return tags


def build(directory: Path, documents: int) -> dict:
    rng = random.Random(12345)
    gold_tags, predicted_tags = [], []
    n_tokens = n_entities = 0
    with open(directory / "documents.jsonl", "w", encoding="utf-8") as gold_file, open(
        directory / "predictions.jsonl", "w", encoding="utf-8"
    ) as prediction_file:
        for number in range(documents):
            gold, prediction, g_tags, p_tags = _document(rng, number)
            gold_file.write(json.dumps(gold, ensure_ascii=False) + "\n")
            prediction_file.write(json.dumps(prediction) + "\n")
            gold_tags.append(g_tags)
            predicted_tags.append(p_tags)
            n_tokens += len(g_tags)
            n_entities += len(gold["entities"])
    (directory / "tags.json").write_text(json.dumps([gold_tags, predicted_tags]))
    _release(directory)
    return {"documents": documents, "tokens": n_tokens, "entities": n_entities}


def _release(directory: Path) -> None:
    """``directory/release``: the gold laid out as a release, its hash recorded in MANIFEST.json."""
    from khabar.corpus import format as fmt
    from khabar.corpus.version import DATA_VERSION

    data = directory / "release" / "corpus" / "data"
    (data / "test").mkdir(parents=True)
    shutil.copytree(fmt.SCHEMA_DIR, directory / "release" / "schema", ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    shutil.copy2(directory / "documents.jsonl", data / "test" / "documents.jsonl")
    manifest = {"data_version": DATA_VERSION, "files": {"test/documents.jsonl": {"sha256": fmt.sha256_file(data / "test" / "documents.jsonl")}}}
    (data / "MANIFEST.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------------------------------
# The jobs (each run in its own process)


def _read_lines(path: Path) -> list:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def _spans(directory: Path) -> tuple[dict, dict, dict, dict]:
    gold = _read_lines(directory / "documents.jsonl")
    predictions = _read_lines(directory / "predictions.jsonl")
    return (
        {d["id"]: [(e["start"], e["end"], e["type"]) for e in d["entities"]] for d in gold},
        {p["id"]: [(e["start"], e["end"], e["type"]) for e in p["entities"]] for p in predictions},
        {d["id"]: d["text"] for d in gold},
        {d["id"]: d["tokens"] for d in gold},
    )


def _summary(report) -> dict:
    return {
        metric: {label or "ALL": list(report.counts(metric, label)) for label in ("", *report.board.labels(metric))}
        for metric in ("strict", "exact", "partial", "type")
    }


def job_floor_predictions(directory: Path) -> dict:
    _read_lines(directory / "predictions.jsonl")
    return {}


def job_floor(directory: Path) -> dict:
    _read_lines(directory / "documents.jsonl")
    _read_lines(directory / "predictions.jsonl")
    return {}


def job_floor_collector_paused(directory: Path) -> dict:
    gc.disable()
    _read_lines(directory / "documents.jsonl")
    _read_lines(directory / "predictions.jsonl")
    return {}


def _khabar_score(*args: str) -> dict:
    """``khabar score`` itself, run in this process, its table thrown away."""
    from khabar.corpus.cli import main as khabar

    with open(os.devnull, "w", encoding="utf-8") as sink, contextlib.redirect_stdout(sink):
        status = khabar(["score", *args, "--task", "entities"])
    if status:
        raise SystemExit(f"khabar score exited with {status}")
    return {}


def job_ours_end_to_end(directory: Path) -> dict:
    os.environ["KHABAR_ROOT"] = str(directory / "release")
    return _khabar_score(str(directory / "predictions.jsonl"))


def job_ours_end_to_end_validated(directory: Path) -> dict:
    return _khabar_score(str(directory / "predictions.jsonl"), "--gold", str(directory / "documents.jsonl"))


def job_ours_from_parsed_files(directory: Path) -> dict:
    from khabar.scorers.entities import score_entity_spans

    from khabar.corpus.format import collector_paused

    with collector_paused():
        gold, predictions, texts, _ = _spans(directory)
        report = score_entity_spans(gold=gold, predictions=predictions, texts=texts)
        report.table()
        json.dumps(report.to_dict())
    return {}


def _token_spans(gold, predictions, tokens):
    """Character spans to token offsets (what seqeval's tags and nervaluate's spans are in)."""
    index = {}
    for doc_id, spans in tokens.items():
        starts = {t["start"]: i for i, t in enumerate(spans)}
        ends = {t["end"]: i + 1 for i, t in enumerate(spans)}
        index[doc_id] = (starts, ends)

    def convert(entities):
        return {doc_id: [(index[doc_id][0][s], index[doc_id][1][e], t) for s, e, t in spans] for doc_id, spans in entities.items()}

    return convert(gold), convert(predictions)


def _settle() -> None:
    """Before a timed call on inputs already in memory: collect, then move every live object out of
    the collector's generations, so that no tool pays for scanning the inputs the harness loaded."""
    gc.collect()
    gc.freeze()


def job_ours_scoring(directory: Path) -> tuple[dict, float]:
    from khabar.scorers.entities import score_entity_spans

    gold, predictions, texts, tokens = _spans(directory)
    gold_tokens, predicted_tokens = _token_spans(gold, predictions, tokens)
    _settle()
    inputs_mb = _peak_mb()
    started = time.perf_counter()
    report = score_entity_spans(gold=gold, predictions=predictions, texts=texts)
    report.table()
    json.dumps(report.to_dict())
    seconds = time.perf_counter() - started
    token_report = score_entity_spans(gold=gold_tokens, predictions=predicted_tokens, bootstrap=0)
    return {"numbers": _summary(report), "token_numbers": _summary(token_report), "inputs_mb": inputs_mb}, seconds


def job_seqeval(directory: Path) -> tuple[dict, float]:
    from seqeval.metrics import classification_report
    from seqeval.scheme import IOB2

    gold_tags, predicted_tags = json.loads((directory / "tags.json").read_text())
    _settle()
    inputs_mb = _peak_mb()
    started = time.perf_counter()
    result = classification_report(gold_tags, predicted_tags, mode="strict", scheme=IOB2, output_dict=True, zero_division=0)
    seconds = time.perf_counter() - started
    return {"numbers": {k: {m: float(v) for m, v in row.items()} for k, row in result.items()}, "inputs_mb": inputs_mb}, seconds


def job_nervaluate(directory: Path) -> tuple[dict, float]:
    from nervaluate import Evaluator

    gold, predictions, _, tokens = _spans(directory)
    gold_tokens, predicted_tokens = _token_spans(gold, predictions, tokens)
    ids = sorted(gold)

    def records(entities):  # nervaluate takes inclusive ends; sorted, as our canonical order
        return [[{"label": t, "start": s, "end": e - 1} for s, e, t in sorted(entities[i])] for i in ids]

    true, pred = records(gold_tokens), records(predicted_tokens)
    _settle()
    inputs_mb = _peak_mb()
    started = time.perf_counter()
    results = Evaluator(true, pred, tags=TYPES, loader="dict").evaluate()
    seconds = time.perf_counter() - started
    names = {"strict": "strict", "exact": "exact", "partial": "partial", "type": "ent_type"}
    numbers = {}
    for ours, theirs in names.items():
        rows = {"ALL": results["overall"][theirs], **{t: r[theirs] for t, r in results["entities"].items()}}
        numbers[ours] = {label: [r.correct, r.spurious, r.missed, r.partial, r.incorrect] for label, r in rows.items()}
    return {"numbers": numbers, "inputs_mb": inputs_mb}, seconds


JOBS = {
    "floor_predictions": job_floor_predictions,
    "floor": job_floor,
    "floor_collector_paused": job_floor_collector_paused,
    "ours_end_to_end": job_ours_end_to_end,
    "ours_end_to_end_validated": job_ours_end_to_end_validated,
    "ours_from_parsed_files": job_ours_from_parsed_files,
    "ours_scoring": job_ours_scoring,
    "seqeval": job_seqeval,
    "nervaluate": job_nervaluate,
}


REPEATED = ("floor", "floor_collector_paused", "ours_end_to_end", "ours_end_to_end_validated")
"""The jobs whose ratio is the goal, timed best of ``--repeat`` on a shared machine."""


def run_job(name: str, directory: Path) -> None:
    """Run one job in this process and print its time, peak memory and numbers as JSON."""
    started = time.perf_counter()
    outcome = JOBS[name](directory)
    seconds = time.perf_counter() - started
    if isinstance(outcome, tuple):
        outcome, seconds = outcome
    print(json.dumps({"seconds": seconds, "peak_mb": _peak_mb(), **outcome}))


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _in_child(name: str, directory: Path) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--job", name, "--dir", str(directory)], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


# --------------------------------------------------------------------------------------------------
# Report


def _agreement(ours: dict, seqeval: dict, nervaluate: dict) -> list[str]:
    """Where the definitions coincide, do the numbers? (Ours here are on token offsets, like theirs.)"""
    rows = {("ALL" if label == "micro avg" else label): row for label, row in seqeval.items() if label not in ("macro avg", "weighted avg")}
    differing = sorted(
        label
        for label, row in rows.items()
        if any(abs(a - b) > 1e-12 for a, b in zip(_prf(ours["strict"][label]), (row["precision"], row["recall"], row["f1-score"])))
        or _gold(ours["strict"][label]) != row["support"]
    )
    lines = [f"strict vs seqeval strict IOB2 (P, R, F1, support per type and micro): {'identical' if not differing else 'differ on ' + ', '.join(differing)}"]
    for metric in ("strict", "exact", "partial", "type"):
        differing = sorted(label for label in nervaluate[metric] if nervaluate[metric][label] != ours[metric].get(label))
        verdict = (
            "identical counts"
            if not differing
            else f"counts differ on {', '.join(differing)}, where a prediction and a gold entity overlap two of the "
            "other side (docs/metrics.md: nervaluate pairs in input order, we pair best-ranked first)"
        )
        lines.append(
            f"{metric} vs nervaluate: {verdict}; overall (tp fp fn partial incorrect) ours {ours[metric]['ALL']}, "
            f"nervaluate {nervaluate[metric]['ALL']}"
        )
    return lines


def _gold(row: list[int]) -> int:
    tp, _, fn, partial, incorrect = row
    return tp + fn + partial + incorrect


def _prf(row: list[int]) -> tuple[float, float, float]:
    """seqeval's and nervaluate's formulas, written out here as the benchmark's own check."""
    tp, fp, fn, partial, incorrect = row
    credit, predicted = tp + partial / 2, tp + fp + partial + incorrect
    precision, recall = (credit / predicted if predicted else 0.0), (credit / _gold(row) if _gold(row) else 0.0)
    return precision, recall, (2 * precision * recall / (precision + recall) if precision + recall else 0.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="build the corpus here and keep it")
    parser.add_argument(
        "--repeat", type=int, default=3, metavar="N", help="run the floor and end-to-end jobs N times each and keep the fastest (default 3)"
    )
    parser.add_argument("--job", choices=JOBS, help=argparse.SUPPRESS)
    parser.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.job:
        run_job(args.job, args.dir)
        return

    directory = args.keep or Path(tempfile.mkdtemp(prefix="khabar-score-scale-"))
    directory.mkdir(parents=True, exist_ok=True)
    try:
        sizes = build(directory, args.documents)
        megabytes = {name: (directory / name).stat().st_size / 2**20 for name in ("documents.jsonl", "predictions.jsonl")}
        print(
            f"synthetic corpus: {sizes['documents']:,} documents, {sizes['tokens']:,} tokens, {sizes['entities']:,} entities "
            f"of {len(TYPES)} types; gold file {megabytes['documents.jsonl']:.1f} MB, predictions {megabytes['predictions.jsonl']:.1f} MB"
        )
        results = {name: _in_child(name, directory) for name in JOBS}
        for _ in range(args.repeat - 1):  # interleaved, so that a change of the machine's load hits every job alike
            for name in REPEATED:
                again = _in_child(name, directory)
                if again["seconds"] < results[name]["seconds"]:
                    results[name] = again
        floor = results["floor"]["seconds"]
        rows = [
            ("parse the prediction file (json)", "floor_predictions"),
            ("parse gold + predictions (json): the floor", "floor"),
            ("the same with the garbage collector paused", "floor_collector_paused"),
            ("khabar score, gold a recorded release (hash checked, predictions validated, all metrics, 1,000 resamples)", "ours_end_to_end"),
            ("khabar score --gold FILE, no release (gold validated too)", "ours_end_to_end_validated"),
            ("ours, from the parsed files (no validation; collector paused)", "ours_from_parsed_files"),
            ("ours, scoring spans in memory (all metrics per type + 1,000 resamples + table + JSON)", "ours_scoring"),
            ("seqeval 1.2.2 classification_report(mode='strict', scheme=IOB2)", "seqeval"),
            ("nervaluate 1.2.1 Evaluator(...).evaluate()", "nervaluate"),
        ]
        width = max(len(label) for label, _ in rows)
        print(f"\n{'job'.ljust(width)}  {'seconds':>8}  {'x floor':>7}  {'peak MB':>8}  {'over inputs':>11}")
        for label, name in rows:
            r = results[name]
            extra = f"{r['peak_mb'] - r['inputs_mb']:11.0f}" if "inputs_mb" in r else ""
            print(f"{label.ljust(width)}  {r['seconds']:8.2f}  {r['seconds'] / floor:7.2f}  {r['peak_mb']:8.0f}  {extra}".rstrip())
        ours = results["ours_scoring"]["seconds"]
        print(
            f"\nours (scoring) is {results['seqeval']['seconds'] / ours:.1f}x faster than seqeval and "
            f"{results['nervaluate']['seconds'] / ours:.1f}x faster than nervaluate; "
            f"end to end against a release it takes {results['ours_end_to_end']['seconds'] / floor:.2f}x the parse floor "
            f"(goal: at most 1.50x; {results['ours_end_to_end']['seconds'] / results['floor_collector_paused']['seconds']:.2f}x "
            "the floor with the collector paused, as khabar score pauses it; "
            f"{results['ours_end_to_end_validated']['seconds'] / floor:.2f}x with the gold validated, a --gold of one's own; "
            f"{results['ours_from_parsed_files']['seconds'] / floor:.2f}x the floor from the parsed files, no validation)"
        )
        print()
        print("\n".join(_agreement(results["ours_scoring"]["token_numbers"], results["seqeval"]["numbers"], results["nervaluate"]["numbers"])))
    finally:
        if not args.keep:
            shutil.rmtree(directory)


if __name__ == "__main__":
    main()
