"""``khabar score`` and ``khabar compare``: the scorer's command line (I/O only; scoring is in the modules
beside this one).

The tasks are those of :func:`khabar.scorers.score_task`; ``--task all`` scores every task the
submission (in ``compare``, every file) has a layer for. Tables for a paper are rendered by
:mod:`khabar.scorers.tables`; plausibility warnings come from :mod:`khabar.scorers.checks`.
"""

from __future__ import annotations

import argparse
import difflib
import functools
import gc
import json
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
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
FORMATS = ("table", "json", "csv", "markdown", "latex")
"""``khabar.scorers.tables.FORMATS``, named here for the same reason."""
PAPER_FORMATS = ("csv", "markdown", "latex")
"""Formats whose default columns are each task's headline metric with its interval."""


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
        example="khabar score predictions.jsonl --task entities --format latex --metrics strict,exact",
        description="Score a system's predictions (JSON Lines, one object per document, see docs/format.md) against "
        "the gold corpus: every metric of docs/metrics.md, per type, with bootstrap 95% intervals on every F1 and a "
        "reproducibility signature as the last line. The submission is validated first; problems are listed one a "
        "line and exit with code 2. With --conll, score a CoNLL file (token, gold tag(s), predicted tag(s)) instead. "
        "--format csv, markdown or latex prints one row per metric (default: each task's headline metric).",
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
        help="compare systems with a baseline on the same gold: F1 differences with paired significance tests",
        example="khabar compare baseline.jsonl system1.jsonl system2.jsonl --task entities --format markdown",
        description="Score a baseline and one or more systems on the same gold and test every F1 difference (system "
        "minus baseline) with a paired bootstrap and paired approximate randomization over the same units as the "
        "intervals, p = (c + 1) / (n + 1); one table, with a note on the number of comparisons (Bonferroni). A task "
        "is compared only when every file has its layer (as khabar score scores only submitted layers).",
    )
    p.add_argument("baseline", type=Path, metavar="BASELINE", help="the baseline's prediction file")
    p.add_argument("systems", type=Path, nargs="+", metavar="SYSTEM", help="the prediction files compared with it")
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
    p.add_argument(
        "--format",
        choices=FORMATS,
        default="table",
        help="a table with every label (default), JSON (a mapping by task), or a paper table: csv, markdown, latex",
    )
    p.add_argument(
        "--metrics",
        type=_metric_names,
        default=None,
        metavar="M,M",
        help="the metrics shown, by name (strict) or task and name (quotes:type), or all (default: every metric in "
        "table and json, each task's headline metric in csv, markdown and latex)",
    )
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


def _metric_names(value: str) -> tuple[str, ...]:
    names = tuple(name.strip() for name in value.split(",") if name.strip())
    if not names:
        raise argparse.ArgumentTypeError("name at least one metric, or all")
    return names


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
        _warn(f"{message} (scored as predicting nothing)")
    return predictions


def _warn_of_implausible_spans(submissions: Submissions, gold: Mapping[str, Any]) -> None:
    """Name each file whose spans mostly miss word boundaries (:mod:`khabar.scorers.checks`); said once
    the files are scored, so that a refused file gets its one error line and nothing else."""
    from khabar.scorers.checks import off_boundary_spans

    for i, (path, predictions) in enumerate(submissions):
        if any(path == earlier for earlier, _ in submissions[:i]):
            continue
        off, total = off_boundary_spans(predictions, gold)
        if off and off >= PLAUSIBLE_SHARE * total:
            _warn(
                f"{fmt.display_path(path)}: {off} of {total} predicted spans ({100 * off / total:.0f}%) do not start and end "
                "on word boundaries: token offsets or inclusive ends? (offsets are code points into the text, end-exclusive)"
            )


PLAUSIBLE_SHARE = 0.2
"""The share of off-boundary spans from which a submission is warned about (see docs/metrics.md)."""


def _warn(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


Submissions = Sequence[tuple[Path, Mapping[str, Any]]]
"""``(path, predictions)`` of each file, in the order given (a file may be given twice)."""


def _submitted(predictions: Mapping[str, Any]) -> set[str]:
    return {task for task in TASK_NAMES if any(getattr(p, task) is not None for p in predictions.values())}


def _tasks(requested: str, submissions: Submissions) -> list[str]:
    """The tasks to score: the one requested, which every submission must have a layer for (a layer no
    document has was not submitted, and scoring it would print a silent zero), or, for ``all``, every
    task that every submission has a layer for; a task only some have is named in a warning."""
    submitted = [(path, _submitted(predictions)) for path, predictions in submissions]
    if requested != "all":
        for path, tasks in submitted:
            if requested not in tasks:
                raise fmt.InputError(f"{fmt.display_path(path)}: {requested}: no document has this layer, so --task {requested} has nothing to score")
        return [requested]
    found = [task for task in TASK_NAMES if all(task in tasks for _, tasks in submitted)]
    for task in TASK_NAMES:
        lacking = [fmt.display_path(path) for path, tasks in submitted if task not in tasks]
        if task not in found and len(lacking) < len(submitted):
            _warn(f"{task}: not compared: no layer in {', '.join(lacking)} (a missing layer is not scored as zero)")
    if not found:
        names = ", ".join(fmt.display_path(path) for path, _ in submissions)
        where = "the submission" if len(submissions) == 1 else "every submission"
        raise fmt.InputError(f"{names}: no layer of a known task ({', '.join(TASK_NAMES)}) in {where}")
    return found


def _warn_of_partial_layers(tasks: Sequence[str], submissions: Submissions) -> None:
    """Name the documents of a submission that lack a layer other documents have: they are scored as
    predicting nothing for that task, which is right for a system that found nothing but may also be a
    submission that lost part of its output."""
    for i, (path, predictions) in enumerate(submissions):
        if any(path == earlier for earlier, _ in submissions[:i]):
            continue
        for task in tasks:
            lacking = sorted(doc_id for doc_id, p in predictions.items() if getattr(p, task) is None)
            if lacking and len(lacking) < len(predictions):
                _warn(f"{fmt.display_path(path)}: {task}: {len(lacking)} document(s) without this layer: {', '.join(lacking)} (scored as predicting nothing)")


def _warn_of_few_units(report, resamples: int) -> None:
    """Resampling one unit repeats it: every interval collapses to a point and every paired test to p = 1."""
    units = len(report.board.units)
    if resamples and units < 2:
        unit = report.options.get("unit", "unit")
        _warn(f"{report.task}: {units} resampling unit ({unit}): intervals and tests say nothing; resample sentences (--unit sentence) or score more documents")


def _signer(report, data_version: str, data_sha256: str, resamples: int, seed: int, **more: str | None) -> Callable[[str], str]:
    """The signature of one of the report's metrics (each names its own ``match``)."""
    def sign(metric: str) -> str:
        return report_signature(report, data_version=data_version, data_sha256=data_sha256, bootstrap=resamples, seed=seed, match=metric, **more)

    return sign


def _chosen_metrics(requested: Sequence[str] | None, reports: Sequence[Any], output: str) -> dict[str, list[str]]:
    """The metrics shown for each task's report: ``--metrics`` (names, ``task:name`` or ``all``), or by
    default every metric (table, json) or the headline, each report's first (paper formats). A name no
    scored task has is an error, with the closest names."""
    if requested is None:
        requested = ("all",) if output not in PAPER_FORMATS else tuple(f"{r.task}:{r.metrics[0]}" for r in reports)
    known = {f"{r.task}:{m}" for r in reports for m in r.metrics} | {m for r in reports for m in r.metrics} | {"all"}
    for name in requested:
        if name not in known:
            close = difflib.get_close_matches(name, sorted(known), n=3)
            names = sorted({m for r in reports for m in r.metrics})
            hint = f"; did you mean {' or '.join(close)}?" if close else f"; the metrics are {', '.join(names)}"
            raise fmt.InputError(f"--metrics: {name!r} is no metric of the scored tasks{hint}")
    return {
        r.task: [m for m in r.metrics if "all" in requested or m in requested or f"{r.task}:{m}" in requested] for r in reports
    }


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
    submissions = [(args.predictions, predictions)]
    tasks = _tasks(args.task, submissions)
    _warn_of_partial_layers(tasks, submissions)
    for task in tasks:
        report = _score(task, documents, predictions, args, args.bootstrap, args.predictions)
        _warn_of_few_units(report, args.bootstrap)
        scored.append((report, _signer(report, DATA_VERSION, data_sha256, args.bootstrap, args.seed, split=split)))
    _warn_of_implausible_spans(submissions, gold)
    _emit(scored, args)
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
    _warn_of_few_units(report, args.bootstrap)
    options = {"scheme": args.scheme, "decoder": args.decoder, "columns": tagged.layout}
    _emit([(report, _signer(report, "conll", fmt.sha256_file(args.conll), args.bootstrap, args.seed, **options))], args)
    return 0


def _emit(scored: Sequence[tuple[Any, Callable[[str], str]]], args: argparse.Namespace) -> None:
    """Write the reports as ``--format`` asks, with the metrics ``--metrics`` chooses: JSON and tables
    carry each report's signature (of its first metric shown), paper formats one per metric."""
    from khabar.scorers.tables import render

    chosen = _chosen_metrics(args.metrics, [report for report, _ in scored], args.format)
    shown = [(replace(report, metrics=chosen[report.task]), sign) for report, sign in scored if chosen[report.task]]
    if args.format == "json":
        out = {report.task: {**report.to_dict(), "signature": sign(report.metrics[0])} for report, sign in shown}
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
    elif args.format == "table":
        sys.stdout.write("\n".join(f"{report.table()}\n{sign(report.metrics[0])}\n" for report, sign in shown))
    elif args.format == "csv":
        header = ("task", "metric", "P", "R", "F1", "F1_low", "F1_high", "signature")
        rows = [(r.task, m, *_percents(r, m), sign(m)) for r, sign in shown for m in r.metrics]
        sys.stdout.write(render(header, rows, "csv"))
    else:
        header = ("Task", "Metric", "P", "R", "F1", "±95%")
        rows = [(r.task, m, *_percents(r, m)[:3], _half_width(r.interval(m))) for r, _ in shown for m in r.metrics]
        sys.stdout.write(render(header, rows, args.format, left=2, notes=_score_notes(shown, args.format)))


def _percents(report, metric: str) -> tuple[str, ...]:
    """P, R, F1 and the interval's bounds of a metric's overall row, in percent (bounds empty without)."""
    counts, interval = report.counts(metric), report.interval(metric)
    bounds = ("", "") if interval is None else (_percent(interval.low), _percent(interval.high))
    return (_percent(counts.precision), _percent(counts.recall), _percent(counts.f1), *bounds)


def _percent(value: float) -> str:
    return f"{100 * value:.2f}"


def _half_width(interval) -> str:
    return "" if interval is None else _percent(interval.half_width)


def _as_code(signatures: Sequence[str], output: str) -> list[str]:
    """Signatures as notes: in Markdown as code, so that no ``|`` or ``*`` is read as markup."""
    return [f"`{sig}`" if output == "markdown" else sig for sig in signatures]


def _score_notes(shown: Sequence[tuple[Any, Callable[[str], str]]], output: str) -> list[str]:
    resampled = [r for r, _ in shown if r.intervals]
    notes = ["Scores in percent, overall (micro) rows."]
    if resampled:
        first = resampled[0].intervals
        notes[0] += f" ±95%: half-width of the 95% percentile bootstrap interval of F1 ({first.resamples} resamples, seed {first.seed})."
    return notes + _as_code([sign(metric) for report, sign in shown for metric in report.metrics], output)


# --------------------------------------------------------------------------------------------------
# compare


SIGNIFICANCE = 0.05
"""The family-wise level of the multiple-comparison note (Bonferroni)."""


@_batch
def compare_command(args: argparse.Namespace) -> int:
    from khabar.scorers.core import paired_tests

    if args.bootstrap < 1:
        raise fmt.InputError("compare: the paired tests need --bootstrap 1 or more")
    documents, split, data_sha256 = _load_gold(args)
    gold = {doc.id: doc for doc in documents}
    submissions = [(path, _load_predictions(path, gold, args.strict)) for path in (args.baseline, *args.systems)]
    tasks = _tasks(args.task, submissions)
    _warn_of_partial_layers(tasks, submissions)
    (_, baseline), systems = submissions[0], submissions[1:]
    results = []  # per task: the baseline's report, [(system path, rows)], signature
    for task in tasks:
        reference = _score(task, documents, baseline, args, 0, args.baseline)
        _warn_of_few_units(reference, args.bootstrap)
        compared = []
        for path, predictions in systems:
            report = _score(task, documents, predictions, args, 0, path)
            per_key, per_macro = paired_tests(reference.board, report.board, resamples=args.bootstrap, seed=args.seed)
            compared.append((path, reference, report, per_key, per_macro))
        results.append((task, reference, compared, _signer(reference, DATA_VERSION, data_sha256, args.bootstrap, args.seed, split=split, test="paired")))
    _warn_of_implausible_spans(submissions, gold)
    chosen = _chosen_metrics(args.metrics, [reference for _, reference, _, _ in results], args.format)
    every_label = args.format in ("table", "json")
    tests = [
        (task, fmt.display_path(path), metric, label, result)
        for task, _, compared, _ in results
        for path, reference, report, per_key, per_macro in compared
        for metric in chosen[task]
        for label, result in _compared_rows(metric, reference, report, per_key, per_macro, every_label)
    ]
    threshold = SIGNIFICANCE / max(len(tests), 1)
    signatures = {(task, metric): sign(metric) for task, _, _, sign in results for metric in chosen[task]}
    _emit_comparison(args, tests, threshold, signatures)
    return 0


def _compared_rows(metric: str, reference, report, per_key, per_macro, every_label: bool):
    """``(label, PairedResult)`` rows of one metric: overall, then (with ``every_label``) macro and each label."""
    yield "overall", per_key[metric, OVERALL]
    if not every_label:
        return
    if metric in per_macro:
        yield "macro", per_macro[metric]
    seen = {*reference.board.labels(metric), *report.board.labels(metric)}
    labels = [label for label in reference.label_order if label in seen]
    for label in labels + sorted(seen - set(labels)):
        yield label, per_key[metric, label]


def _emit_comparison(args: argparse.Namespace, tests: Sequence[tuple], threshold: float, signatures: Mapping[tuple[str, str], str]) -> None:
    """One table of every test: ``tests`` are ``(task, system, metric, label, PairedResult)``;
    ``signatures`` name each ``(task, metric)`` shown. JSON and the fixed-width table carry the signature
    of each task's first metric, CSV one per row, Markdown and LaTeX one per column."""
    from khabar.scorers.tables import render

    first_of_task = {task: sig for (task, _), sig in reversed(list(signatures.items()))}

    baseline = fmt.display_path(args.baseline)
    note = (
        f"{len(tests)} comparison(s) with the baseline {baseline}: paired bootstrap and approximate randomization, "
        f"{args.bootstrap} resamples, seed {args.seed}; at a family-wise level of {SIGNIFICANCE} (Bonferroni), a difference "
        f"is significant when p < {threshold:.2g}: * marks an approximate randomization p below it."
    )
    if args.format == "json":
        out: dict[str, Any] = {}
        for task, system, metric, label, r in tests:
            entry = out.setdefault(task, {"task": task, "baseline": baseline, "resamples": args.bootstrap, "seed": args.seed, "comparisons": {}})
            rows = entry["comparisons"].setdefault(system, [])
            rows.append({"metric": metric, "label": label, **_paired_dict(r), "significant": r.p_randomization < threshold})
        for task, entry in out.items():
            entry.update(comparisons_in_family=len(tests), bonferroni_threshold=threshold, signature=first_of_task[task])
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
        return

    def marked(p: float) -> str:
        return f"{p:.4f}" + ("*" if p < threshold else "")

    if args.format in ("table", "csv"):
        header = ("system", "task", "metric", "label", "F1 baseline", "F1 system", "Δ", "p boot", "p AR")
        rows = [
            (system, task, metric, label, _percent(r.f1_a), _percent(r.f1_b), _signed(r.delta), f"{r.p_bootstrap:.4f}", marked(r.p_randomization))
            for task, system, metric, label, r in tests
        ]
        if args.format == "csv":
            rows = [(*row[:-1], f"{r.p_randomization:.4f}", str(r.p_randomization < threshold).lower(), signatures[row[1], row[2]]) for row, (*_, r) in zip(rows, tests)]
            sys.stdout.write(render((*header, "significant", "signature"), rows, "csv"))
            return
        sys.stdout.write(render(header, rows, "table", left=4, notes=[note, *first_of_task.values()]))
        return
    # markdown, latex: one row per system (the baseline first), a group of columns per task and metric
    columns = list(dict.fromkeys((task, metric) for task, _, metric, _, _ in tests))
    systems = list(dict.fromkeys(system for _, system, _, _, _ in tests))
    found = {(system, task, metric): r for task, system, metric, _, r in tests}
    header = ["System"]
    for task, metric in columns:
        header += [f"{task} {metric} F1", "Δ", "p boot", "p AR"]
    first = {(task, metric): found[next(s for s in systems if (s, task, metric) in found), task, metric] for task, metric in columns}
    rows = [[f"{baseline} (baseline)", *(cell for column in columns for cell in (_percent(first[column].f1_a), "", "", ""))]]
    for system in systems:
        row = [system]
        for task, metric in columns:
            r = found.get((system, task, metric))
            row += ["—"] * 4 if r is None else [_percent(r.f1_b), _signed(r.delta), f"{r.p_bootstrap:.4f}", marked(r.p_randomization)]
        rows.append(row)
    sys.stdout.write(render(header, rows, args.format, notes=[note, *_as_code(list(signatures.values()), args.format)]))


def _signed(value: float) -> str:
    return f"{100 * value:+.2f}"


def _paired_dict(result) -> dict[str, float]:
    return {
        "f1_baseline": result.f1_a,
        "f1_system": result.f1_b,
        "delta": result.delta,
        "p_bootstrap": result.p_bootstrap,
        "p_randomization": result.p_randomization,
    }
