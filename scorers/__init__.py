"""Khabar's official scorer.

The public API is keyword-only functions over plain spans or corpus documents, each returning a
:class:`~khabar.scorers.report.Report` that holds counts (precision, recall and F1 are derived from them
in one place, :mod:`khabar.scorers.core`):

* :func:`khabar.scorers.entities.score_entities`, :func:`~khabar.scorers.quotes.score_quotes`,
  :func:`~khabar.scorers.events.score_events`, :func:`~khabar.scorers.conll.score_conll`;
* :func:`score_task` and :func:`score_submission` below, which score a submission the way
  ``khabar score`` does and attach each report's reproducibility signature;
* seqeval's functions over tag lists, with seqeval's keywords and numbers (``f1_score``,
  ``precision_score``, ``recall_score``, ``precision_recall_fscore_support``, ``classification_report``,
  ``accuracy_score``), and ``tag_report``, ``tag_metrics``, ``flat_metrics`` (:mod:`khabar.scorers.sequence`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from khabar.scorers.core import DEFAULT_RESAMPLES, DEFAULT_SEED, signature

TASK_NAMES = ("entities", "quotes", "events")

SEQUENCE_API = (
    "f1_score",
    "precision_score",
    "recall_score",
    "precision_recall_fscore_support",
    "classification_report",
    "accuracy_score",
    "tag_report",
    "tag_metrics",
    "flat_metrics",
)


def __getattr__(name: str):
    """The functions of :mod:`khabar.scorers.sequence`, imported on first use (``khabar score`` needs none)."""
    if name in SEQUENCE_API:
        from khabar.scorers import sequence

        return getattr(sequence, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def score_task(
    task: str,
    *,
    documents: Sequence,
    predictions: Mapping,
    layer: str = "flat",
    unit: str = "auto",
    bootstrap: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
):
    """One task's report for a validated submission (``format.read_predictions``) against gold documents.
    ``layer`` (``flat`` or ``nested``) applies to entities only."""
    if task == "entities":
        from khabar.scorers.entities import score_entities

        return score_entities(gold=documents, predictions=predictions, layer=layer, unit=unit, bootstrap=bootstrap, seed=seed)
    if task == "quotes":
        from khabar.scorers.quotes import score_quotes

        return score_quotes(gold=documents, predictions=predictions, unit=unit, bootstrap=bootstrap, seed=seed)
    if task == "events":
        from khabar.scorers.events import score_events

        return score_events(gold=documents, predictions=predictions, unit=unit, bootstrap=bootstrap, seed=seed)
    raise ValueError(f"task must be one of {', '.join(TASK_NAMES)}, not {task!r}")


def report_signature(
    report,
    *,
    data_version: str,
    data_sha256: str,
    bootstrap: int,
    seed: int,
    split: str | None = None,
    match: str | None = None,
    **more: str,
) -> str:
    """The sacrebleu-style line that pins what a report measured: software and data versions, the data's
    hash and split, task, layer, metric (``match``; default the report's headline, its first), resampling
    unit, resamples and seed."""
    from khabar.corpus.version import __version__

    return signature(
        version=__version__,
        data_version=data_version,
        data_sha256=data_sha256,
        split=split,
        task=report.task,
        layer=report.options.get("layer"),
        match=match or report.metrics[0],
        unit=report.options.get("unit"),
        resamples=bootstrap,
        seed=seed,
        **more,
    )


def score_submission(
    *,
    documents: Sequence,
    predictions: Mapping,
    tasks: Sequence[str] = TASK_NAMES,
    layer: str = "flat",
    unit: str = "auto",
    bootstrap: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    split: str = "all",
    data_version: str | None = None,
    data_sha256: str | None = None,
) -> list[tuple[object, str]]:
    """``(report, signature)`` for each task. ``documents`` are the gold of ``split``; the signature pins
    the checkout's built corpus of that split unless the data version and hash are given."""
    if data_version is None or data_sha256 is None:
        from khabar.corpus.format import data_fingerprint

        data_version, data_sha256 = data_fingerprint(split)
    scored = []
    for task in tasks:
        report = score_task(task, documents=documents, predictions=predictions, layer=layer, unit=unit, bootstrap=bootstrap, seed=seed)
        signature_line = report_signature(report, data_version=data_version, data_sha256=data_sha256, bootstrap=bootstrap, seed=seed, split=split)
        scored.append((report, signature_line))
    return scored
