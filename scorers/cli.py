"""``khabar score`` and ``khabar compare``: the scorer's command line (I/O only; scoring is in the modules
beside this one).

The tasks are those of :func:`khabar.scorers.score_task`; ``--task all`` scores every task the
submission has a layer for.
"""

from __future__ import annotations

import argparse
import functools
import gc
import json
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from khabar.corpus import format as fmt
from khabar.corpus.version import DATA_VERSION
from khabar.scorers import TASK_NAMES, report_signature, score_task
from khabar.scorers.core import DEFAULT_RESAMPLES, DEFAULT_SEED, OVERALL

LAYERS = ("flat", "nested")
SCHEME_NAMES = ("IOB1", "IOB2", "IOE1", "IOE2", "IOBES", "BILOU")
"""``khabar.scorers.conll.SCHEMES``, named here so that building the parser loads no scorer."""
UNITS = ("auto", "sentence", "document")
FORMATS = ("table", "json")


def _score(task: str, documents, predictions, args: argparse.Namespace, resamples: int, path: Path):
    from khabar.scorers.core import TooManyOverlaps

    try:
        return score_task(
            task, documents=documents, predictions=predictions, layer=args.layer, unit=args.unit, bootstrap=resamples, seed=args.seed
        )
    except TooManyOverlaps as error:
        raise fmt.InputError(f"{fmt.display_path(path)}: {task}: {error}") from None


def _batch(command: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Run ``command`` as a batch job over inputs that live until it ends: the cyclic garbage collector
    stays paused while it reads, scores and writes (nothing it builds forms a cycle), and then every
    object the process holds joins the oldest generation (``gc.freeze``, ``gc.unfreeze``), so that the
    collector, resumed, does not rescan the loaded corpus (0.3 s for 50 MB) to learn that it is
    long-lived. Skipped if the program froze objects itself: those stay frozen."""

    @functools.wraps(command)
    def run(args: argparse.Namespace) -> int:
        promote = gc.isenabled() and not gc.get_freeze_count()
        with fmt.collector_paused():
            try:
                return command(args)
            finally:
                if promote:  # before the collector resumes, or its first pass would scan them all
                    gc.freeze()
                    gc.unfreeze()

    return run


# --------------------------------------------------------------------------------------------------
# Arguments


def register(subparsers) -> None:
    """Add ``score`` and ``compare`` to the ``khabar`` command."""
    from khabar.corpus.commands import add_command

    p = add_command(
        subparsers,
        "score",
        help="score a prediction file (or a CoNLL file) against the gold corpus",
        example="khabar score predictions.jsonl --task entities --layer nested --format json",
        description="Score a system's predictions (JSON Lines, one object per document, see docs/format.md) against "
        "the gold corpus: every metric of docs/metrics.md, per type, with bootstrap 95% intervals on every F1 and a "
        "reproducibility signature as the last line. The submission is validated first; problems are listed one a "
        "line and exit with code 2. With --conll, score a CoNLL file (token, gold tag(s), predicted tag(s)) instead.",
    )
    p.add_argument("predictions", nargs="?", type=Path, metavar="PRED", help="the prediction file (JSON Lines)")
    p.add_argument("--conll", type=Path, metavar="FILE", help="score this CoNLL file instead of a prediction file")
    p.add_argument(
        "--scheme",
        choices=SCHEME_NAMES,
        default="IOB2",
        help="with --conll: the tagging scheme (default IOB2); each is decoded as seqeval's strict mode decodes it",
    )
    p.add_argument(
        "--decoder",
        choices=("strict", "conlleval"),
        default="strict",
        help="with --conll: seqeval's strict chunks (default) or conlleval.pl's lenient ones (a stray I- starts a chunk)",
    )
    p.add_argument(
        "--columns",
        metavar="G,P",
        help="with --conll: the fields holding the gold and the predicted tags, 1-based: 4,5, or 2-3,4-5 for two "
        "nested layers (default: the last two fields, the last 2n for n layers, or Wojood's nested form)",
    )
    p.add_argument("--layers", type=_positive, metavar="N", help="with --conll: the last 2N fields are N gold then N predicted layers")
    _common_arguments(p)
    p.add_argument("--strict", action="store_true", help="a gold document missing from the submission is an error")
    p.set_defaults(func=score_command)

    p = add_command(
        subparsers,
        "compare",
        help="compare two systems on the same gold: F1 differences with paired significance tests",
        example="khabar compare baseline.jsonl system.jsonl --task entities",
        description="Score two prediction files on the same gold and test every F1 difference (B minus A) with a "
        "paired bootstrap and paired approximate randomization over the same units as the intervals, "
        "p = (c + 1) / (n + 1).",
    )
    p.add_argument("a", type=Path, metavar="A", help="the reference system's prediction file")
    p.add_argument("b", type=Path, metavar="B", help="the other system's prediction file")
    _common_arguments(p)
    p.add_argument("--strict", action="store_true", help="a gold document missing from a submission is an error")
    p.set_defaults(func=compare_command)


def _common_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--gold", type=Path, default=None, help="a built documents.jsonl, or a directory of split folders (default: this checkout's corpus)"
    )
    p.add_argument(
        "--split",
        choices=(*fmt.SPLITS, "all"),
        default=None,
        help="which split's gold to score against (default: test for this checkout's corpus, all for --gold)",
    )
    p.add_argument("--task", choices=(*TASK_NAMES, "all"), default="all", help="which task to score (default: all submitted)")
    p.add_argument("--layer", choices=LAYERS, default="flat", help="entities: outermost mentions (flat) or all (nested)")
    p.add_argument("--unit", choices=UNITS, default="auto", help="resampling unit (auto: sentences below 30 documents)")
    p.add_argument("--format", choices=FORMATS, default="table", help="a table (default) or JSON")
    p.add_argument("--bootstrap", type=_count, default=DEFAULT_RESAMPLES, metavar="N", help="resamples (0: none)")
    p.add_argument("--seed", type=_count, default=DEFAULT_SEED, metavar="S", help="random seed of the resampling (0 or more)")


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {number}")
    return number


def _count(value: str) -> int:
    number = int(value)
    if number < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {number}")
    return number


# --------------------------------------------------------------------------------------------------
# Loading


def _load_gold(args: argparse.Namespace) -> tuple[list, str, str]:
    """The gold documents of the requested split, that split's name, and the sha256 of the files read."""
    split = args.split or ("test" if args.gold is None else "all")
    gold = fmt.load_gold(args.gold, split)
    return gold.documents, split, gold.sha256


def _load_predictions(path: Path, gold: Mapping[str, Any], strict: bool) -> dict[str, Any]:
    predictions = fmt.read_predictions(path, gold)
    missing = fmt.missing_documents(predictions, gold)
    if missing:
        message = f"{fmt.display_path(path)}: {len(missing)} gold document(s) missing: {', '.join(missing)}"
        if strict:
            raise fmt.InputError(message)
        print(f"warning: {message} (scored as predicting nothing)", file=sys.stderr)
    return predictions


def _tasks(requested: str, submissions: Mapping[Path, Mapping[str, Any]]) -> list[str]:
    """The tasks to score: the one requested, which every submission must have a layer for (a layer no
    document has was not submitted, and scoring it would print a silent zero), or, for ``all``, every
    task some submission has a layer for."""
    submitted = {
        path: {task for task in TASK_NAMES if any(getattr(p, task) is not None for p in predictions.values())}
        for path, predictions in submissions.items()
    }
    if requested != "all":
        for path, tasks in submitted.items():
            if requested not in tasks:
                raise fmt.InputError(f"{fmt.display_path(path)}: {requested}: no document has this layer, so --task {requested} has nothing to score")
        return [requested]
    found = [task for task in TASK_NAMES if any(task in tasks for tasks in submitted.values())]
    if not found:
        names = ", ".join(fmt.display_path(path) for path in submissions)
        raise fmt.InputError(f"{names}: no layer of a known task ({', '.join(TASK_NAMES)}) in the submission")
    return found


def _warn_of_partial_layers(tasks: Sequence[str], submissions: Mapping[Path, Mapping[str, Any]]) -> None:
    """Name the documents of a submission that lack a layer other documents have: they are scored as
    predicting nothing for that task, which is right for a system that found nothing but may also be a
    submission that lost part of its output."""
    for path, predictions in submissions.items():
        for task in tasks:
            lacking = sorted(doc_id for doc_id, p in predictions.items() if getattr(p, task) is None)
            if lacking and len(lacking) < len(predictions):
                print(
                    f"warning: {fmt.display_path(path)}: {task}: {len(lacking)} document(s) without this layer: "
                    f"{', '.join(lacking)} (scored as predicting nothing)",
                    file=sys.stderr,
                )


def _signature(report, data_version: str, data_sha256: str, resamples: int, seed: int, **more: str | None) -> str:
    return report_signature(report, data_version=data_version, data_sha256=data_sha256, bootstrap=resamples, seed=seed, **more)


# --------------------------------------------------------------------------------------------------
# score


@_batch
def score_command(args: argparse.Namespace) -> int:
    if (args.predictions is None) == (args.conll is None):
        raise fmt.InputError("score: give either a prediction file or --conll FILE")
    if args.conll is not None:
        return _score_conll(args)
    if args.columns or args.layers:
        raise fmt.InputError("score: --columns and --layers describe a CoNLL file (--conll FILE)")
    documents, split, data_sha256 = _load_gold(args)
    gold = {doc.id: doc for doc in documents}
    predictions = _load_predictions(args.predictions, gold, args.strict)
    scored = []
    tasks = _tasks(args.task, {args.predictions: predictions})
    _warn_of_partial_layers(tasks, {args.predictions: predictions})
    for task in tasks:
        report = _score(task, documents, predictions, args, args.bootstrap, args.predictions)
        scored.append((report, _signature(report, DATA_VERSION, data_sha256, args.bootstrap, args.seed, split=split)))
    _emit(scored, args.format)
    return 0


def _score_conll(args: argparse.Namespace) -> int:
    from khabar.scorers.conll import Layout, read_conll, score_conll

    if args.columns and args.layers:
        raise fmt.InputError("score: give --columns or --layers, not both")
    try:
        layout = Layout.parse_columns(args.columns) if args.columns else Layout(layers=args.layers)
    except ValueError as error:
        raise fmt.InputError(f"score: {error}") from None
    tagged = read_conll(args.conll, scheme=args.scheme, layout=layout)
    report = score_conll(tagged=tagged, decoder=args.decoder, layer=args.layer, bootstrap=args.bootstrap, seed=args.seed)
    options = {"scheme": args.scheme, "decoder": args.decoder, "columns": tagged.layout}
    sig = _signature(report, "conll", fmt.sha256_file(args.conll), args.bootstrap, args.seed, **options)
    _emit([(report, sig)], args.format)
    return 0


def _emit(scored: Sequence[tuple[Any, str]], output: str) -> None:
    if output == "json":
        reports = [{**report.to_dict(), "signature": sig} for report, sig in scored]
        sys.stdout.write(json.dumps(reports[0] if len(reports) == 1 else reports, ensure_ascii=False, indent=2) + "\n")
        return
    sys.stdout.write("\n".join(f"{report.table()}\n{sig}\n" for report, sig in scored))


# --------------------------------------------------------------------------------------------------
# compare


@_batch
def compare_command(args: argparse.Namespace) -> int:
    from khabar.scorers.core import paired_tests

    if args.bootstrap < 1:
        raise fmt.InputError("compare: the paired tests need --bootstrap 1 or more")
    documents, split, data_sha256 = _load_gold(args)
    gold = {doc.id: doc for doc in documents}
    first = _load_predictions(args.a, gold, args.strict)
    second = _load_predictions(args.b, gold, args.strict)
    results = []
    tasks = _tasks(args.task, {args.a: first, args.b: second})
    _warn_of_partial_layers(tasks, {args.a: first, args.b: second})
    for task in tasks:
        report_a = _score(task, documents, first, args, 0, args.a)
        report_b = _score(task, documents, second, args, 0, args.b)
        per_key, per_macro = paired_tests(report_a.board, report_b.board, resamples=args.bootstrap, seed=args.seed)
        rows = []
        for metric in report_a.metrics:
            seen = {*report_a.board.labels(metric), *report_b.board.labels(metric)}
            labels = [label for label in report_a.label_order if label in seen]
            labels += sorted(seen - set(labels))
            rows.append((metric, "overall", per_key.get((metric, OVERALL))))
            rows.append((metric, "macro", per_macro.get(metric)))
            rows.extend((metric, label, per_key.get((metric, label))) for label in labels)
        sig = _signature(report_a, DATA_VERSION, data_sha256, args.bootstrap, args.seed, split=split, test="paired")
        results.append((task, rows, sig))
    if args.format == "json":
        out = [
            {
                "task": task,
                "a": str(args.a),
                "b": str(args.b),
                "resamples": args.bootstrap,
                "seed": args.seed,
                "rows": [
                    {"metric": m, "label": label, **_paired_dict(result)} for m, label, result in rows if result is not None
                ],
                "signature": sig,
            }
            for task, rows, sig in results
        ]
        sys.stdout.write(json.dumps(out[0] if len(out) == 1 else out, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write("\n".join(_compare_table(task, rows, args) + f"\n{sig}\n" for task, rows, sig in results))
    return 0


def _paired_dict(result) -> dict[str, float]:
    return {
        "f1_a": result.f1_a,
        "f1_b": result.f1_b,
        "delta": result.delta,
        "p_bootstrap": result.p_bootstrap,
        "p_randomization": result.p_randomization,
    }


def _compare_table(task: str, rows, args: argparse.Namespace) -> str:
    header = ("metric", "label", "F1 A", "F1 B", "B-A", "p boot", "p AR")
    cells = [
        (m, label, *(f"{100 * v:.2f}" for v in (r.f1_a, r.f1_b, r.delta)), f"{r.p_bootstrap:.4f}", f"{r.p_randomization:.4f}")
        for m, label, r in rows
        if r is not None
    ]
    widths = [max(len(row[i]) for row in [header, *cells]) for i in range(len(header))]
    lines = [
        "  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))).rstrip()
        for row in [header, *cells]
    ]
    title = (
        f"{task}: A = {args.a}, B = {args.b}; paired bootstrap and approximate randomization, "
        f"{args.bootstrap} resamples, seed {args.seed}"
    )
    return "\n".join([title, "", *lines]) + "\n"
