"""seqeval's metric functions over tag sequences, with seqeval's keywords and numbers, and more.

``f1_score``, ``precision_score``, ``recall_score``, ``precision_recall_fscore_support``,
``classification_report`` and ``accuracy_score`` take lists of tag lists (one per sentence) and the
keywords of seqeval 1.2.2 (``average``, ``mode``, ``scheme``, ``suffix``, ``zero_division``,
``digits``, ``output_dict``, ``sample_weight``), and return what seqeval returns, so that switching from
seqeval is an import change. ``scheme`` is a name (``"IOB2"``) or seqeval's class of that name.

* ``mode=None`` (the default) reads the tags as seqeval's default mode does (conlleval.pl's chunk rules,
  over the sentences joined with an ``O`` between them); ``mode="strict"`` with a scheme decodes them
  as seqeval's strict mode does (:func:`khabar.scorers.conll.decode`). As in seqeval, ``mode="strict"``
  without a scheme is the default mode in the score functions, and the scheme guessed from the gold
  tags (IOB2, IOE2 or IOBES) in ``classification_report``.
* What seqeval lacks, behind keywords: ``schema=`` (``exact``, ``partial``, ``type``: nervaluate's
  schemas) on the score functions, ``bootstrap=`` on ``classification_report`` (95% intervals of each
  F1, resampling sentences); :func:`tag_report` for the whole Khabar report, nested layers included
  (a tag per layer on each token, ``layer=``), and :func:`flat_metrics` / :func:`tag_metrics` for a flat
  dict such as a Hugging Face ``Trainer``'s ``compute_metrics`` returns.
"""

from __future__ import annotations

import warnings
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import numpy as np

from khabar.scorers.conll import SCHEMES, Tags, _scheme, _valid, decode
from khabar.scorers.core import DEFAULT_RESAMPLES, DEFAULT_SEED, OVERALL
from khabar.scorers.entities import SCHEMAS, score_entity_spans
from khabar.scorers.report import Report

AVERAGES = (None, "micro", "macro", "weighted")
REPORT_AVERAGES = ("micro", "macro", "weighted")

Chunk = tuple[str, int, int]
"""``(type, first token, last token)``, tokens numbered over the sentences joined as seqeval joins them."""


class UndefinedMetricWarning(UserWarning):
    """A precision or recall divided by zero and set to ``zero_division``'s value (seqeval warns too)."""


# --------------------------------------------------------------------------------------------------
# Decoding


def _scheme_name(scheme: Any) -> str:
    name = scheme if isinstance(scheme, str) else getattr(scheme, "__name__", None)
    if name not in SCHEMES:
        raise ValueError(f"scheme must be one of {', '.join(SCHEMES)} (a name or seqeval's class), not {scheme!r}")
    return name


def _sentences(y: Sequence) -> list[Sequence[str]]:
    """seqeval takes a list of sentences, or one flat list of tags (one sentence)."""
    return [list(s) for s in y] if any(not isinstance(s, str) for s in y) else [list(y)]


def _prefix_form(tag: str, suffix: bool) -> tuple[str, str]:
    """A tag's prefix letter and type, as seqeval parses ``B-PER`` (or ``PER-B`` with ``suffix``)."""
    if suffix:
        return tag[-1:], tag[:-1].rsplit("-", 1)[0] or "_"
    return tag[:1], tag[1:].split("-", 1)[-1] or "_"


def _ends_chunk(before: str, now: str, same_type: bool) -> bool:
    return before in "ES" or (before in "BI" and now in "BSO") or (before not in "O." and not same_type)


def _starts_chunk(before: str, now: str, same_type: bool) -> bool:
    return now in "BS" or (before in "ESO" and now in "EI") or (now not in "O." and not same_type)


def _lenient_chunks(sentences: Sequence[Sequence[str]], suffix: bool) -> list[Chunk]:
    """seqeval's default mode: conlleval.pl's rules, where any non-``O`` tag belongs to some chunk, over
    the sentences joined with an ``O`` after each (the boundary ends every chunk of a typed tag)."""
    joined = [tag for sentence in sentences for tag in (*sentence, "O")]
    found, before, before_type, begin = [], "O", "", 0
    for i, tag in enumerate([*joined, "O"]):
        now, now_type = _prefix_form(tag, suffix)
        same = now_type == before_type
        if _ends_chunk(before, now, same):
            found.append((before_type, begin, i - 1))
        if _starts_chunk(before, now, same):
            begin = i
        before, before_type = now, now_type
    return found


def _strict_chunks(sentences: Sequence[Sequence[str]], scheme: str, suffix: bool) -> list[Chunk]:
    """seqeval's strict mode in ``scheme``; tokens numbered as in :func:`_lenient_chunks`."""
    flat = [tag if not suffix or tag == "O" else "{0}-{1}".format(*_prefix_form(tag, True)) for s in sentences for tag in s]
    if not flat:
        return []
    names = sorted(set(flat))
    bad = [name for name in names if not _valid(name, _scheme(scheme))]
    if bad:
        raise ValueError(f"tags outside {scheme}: {', '.join(map(repr, bad[:5]))}")
    tags = Tags.of(names)
    code = {name: i for i, name in enumerate(names)}
    lengths = [len(s) for s in sentences]
    starts = np.cumsum([0, *lengths[:-1]])
    sentence_start = np.zeros(len(flat), dtype=bool)
    sentence_start[starts[np.array(lengths) > 0]] = True
    start, end, kind = decode(np.array([code[t] for t in flat], dtype=np.int32), sentence_start, tags, scheme, "strict")
    # renumber as the joined sequence (one O after each sentence) so that both decoders agree on offsets
    sentence = np.searchsorted(starts, start, side="right") - 1
    return [(tags.types[k], s + j, e - 1 + j) for k, s, e, j in zip(kind.tolist(), start.tolist(), end.tolist(), sentence.tolist())]


def _guess_scheme(y_true: Sequence[Sequence[str]], suffix: bool) -> str:
    """seqeval's guess for ``mode="strict"`` without a scheme, from the gold tags' prefixes."""
    prefixes = frozenset(_prefix_form(tag, suffix)[0] for s in y_true for tag in s)
    allowed = {
        "IOB2": ("IOB", "IB", "BO", "B"),
        "IOE2": ("IOE", "IE", "EO", "E"),
        "IOBES": ("IOBES", "IBES", "IOBE", "OBES", "IBE", "BES", "OBE", "BE", "S"),
    }
    for name, sets in allowed.items():
        if prefixes in {frozenset(s) for s in sets}:
            return name
    raise ValueError(f"cannot tell the scheme from the prefixes {''.join(sorted(prefixes))}: give scheme=")


def _chunks(y: Sequence, *, mode: str | None, scheme: Any, suffix: bool, guess: bool = False) -> list[Chunk]:
    sentences = _sentences(y)
    if mode == "strict" and (scheme or guess):
        return _strict_chunks(sentences, _scheme_name(scheme) if scheme else _guess_scheme(sentences, suffix), suffix)
    return _lenient_chunks(sentences, suffix)


def _one_tag_per_token(y_true: Sequence, y_pred: Sequence) -> None:
    if _layers(y_true) is not None or _layers(y_pred) is not None:
        raise ValueError("seqeval's functions take one tag per token; for nested layers use tag_report(..., layer=)")


def _check_lengths(y_true: Sequence, y_pred: Sequence) -> None:
    if len(y_true) != len(y_pred) or any(
        not isinstance(t, str) and len(t) != len(p) for t, p in zip(y_true, y_pred)
    ):
        raise ValueError("y_true and y_pred must have the same number of sentences, each of the same length")


# --------------------------------------------------------------------------------------------------
# seqeval's arithmetic


def _sums(true_chunks: Sequence[Chunk], pred_chunks: Sequence[Chunk]) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """The types in sorted order and, per type, the predicted, correct and gold chunk counts."""
    true_by_type, pred_by_type = defaultdict(set), defaultdict(set)
    for kind, start, end in true_chunks:
        true_by_type[kind].add((start, end))
    for kind, start, end in pred_chunks:
        pred_by_type[kind].add((start, end))
    types = sorted(set(true_by_type) | set(pred_by_type))
    pred = np.array([len(pred_by_type[t]) for t in types], dtype=np.int64)
    tp = np.array([len(pred_by_type[t] & true_by_type[t]) for t in types], dtype=np.int64)
    true = np.array([len(true_by_type[t]) for t in types], dtype=np.int64)
    return types, pred, tp, true


def _divide(numerator: np.ndarray, denominator: np.ndarray, zero_division, what: str, warn: bool) -> np.ndarray:
    undefined = denominator == 0
    result = numerator / np.where(undefined, 1, denominator)
    if undefined.any():
        result[undefined] = 0.0 if zero_division in ("warn", 0) else 1.0
        if warn and zero_division == "warn":
            warnings.warn(f"{what} is undefined (no chunk to divide by) and set to 0.0; zero_division= sets it", UndefinedMetricWarning, stacklevel=4)
    return result


def _scores(pred: np.ndarray, tp: np.ndarray, true: np.ndarray, *, average, beta: float, zero_division, warn_for: Sequence[str]):
    if beta < 0:
        raise ValueError("beta must be 0 or more")
    if average not in AVERAGES:
        raise ValueError(f"average must be one of {AVERAGES}, not {average!r}")
    if average == "micro":
        pred, tp, true = (np.array([a.sum()]) for a in (pred, tp, true))
    precision = _divide(tp, pred, zero_division, "precision", "precision" in warn_for)
    recall = _divide(tp, true, zero_division, "recall", "recall" in warn_for)
    if np.isposinf(beta):
        f = recall
    else:
        denominator = beta**2 * precision + recall
        denominator[denominator == 0.0] = 1
        f = (1 + beta**2) * precision * recall / denominator
    if average is None:
        return precision, recall, f, true
    weights = None
    if average == "weighted":
        if true.sum() == 0:
            value = 0.0 if zero_division in ("warn", 0) else 1.0
            no_prediction = pred.sum() == 0
            return (value if no_prediction else 0.0), value, (value if no_prediction else 0.0), int(true.sum())
        weights = true
    return np.average(precision, weights=weights), np.average(recall, weights=weights), np.average(f, weights=weights), int(true.sum())


# --------------------------------------------------------------------------------------------------
# seqeval's functions


def precision_recall_fscore_support(
    y_true, y_pred, *, average=None, warn_for=("precision", "recall", "f-score"), beta: float = 1.0,
    sample_weight=None, zero_division="warn", scheme=None, suffix: bool = False, mode: str | None = None,
):
    """Precision, recall, F-beta and support (gold chunk count), per type (``average=None``, types in
    sorted order) or averaged, as seqeval computes them. ``sample_weight`` is accepted and, as in
    seqeval, has no effect."""
    _check_lengths(y_true, y_pred)
    _one_tag_per_token(y_true, y_pred)
    chunks = {"mode": mode, "scheme": scheme, "suffix": suffix}
    _, pred, tp, true = _sums(_chunks(y_true, **chunks), _chunks(y_pred, **chunks))
    return _scores(pred, tp, true, average=average, beta=beta, zero_division=zero_division, warn_for=warn_for)


def _score(index: int, metric: str, y_true, y_pred, *, average, suffix, mode, zero_division, scheme, schema, bootstrap, seed):
    if schema is None:
        return precision_recall_fscore_support(
            y_true, y_pred, average=average, warn_for=(metric,), zero_division=zero_division, scheme=scheme, suffix=suffix, mode=mode
        )[index]
    if average not in ("micro", "macro") or (average == "macro" and metric != "f-score"):
        raise ValueError(f"schema={schema!r} gives micro averages, and the macro average of F1 only")
    report = tag_report(y_true, y_pred, mode=mode, scheme=scheme, suffix=suffix, bootstrap=bootstrap, seed=seed)
    if schema not in report.metrics:
        raise ValueError(f"schema must be one of {', '.join(SCHEMAS)}, not {schema!r}")
    if average == "macro":
        return report.macro_f1(schema)
    counts = report.counts(schema)
    return (counts.precision, counts.recall, counts.f1)[index]


def f1_score(
    y_true, y_pred, *, average: str | None = "micro", suffix: bool = False, mode: str | None = None, sample_weight=None,
    zero_division="warn", scheme=None, schema: str | None = None,
):
    """seqeval's ``f1_score``; with ``schema`` (``strict``, ``exact``, ``partial``, ``type``), the F1 of
    that nervaluate schema over the same chunks (partial credit for overlaps, docs/metrics.md)."""
    return _score(2, "f-score", y_true, y_pred, average=average, suffix=suffix, mode=mode, zero_division=zero_division, scheme=scheme, schema=schema, bootstrap=0, seed=DEFAULT_SEED)


def precision_score(
    y_true, y_pred, *, average: str | None = "micro", suffix: bool = False, mode: str | None = None, sample_weight=None,
    zero_division="warn", scheme=None, schema: str | None = None,
):
    """seqeval's ``precision_score``; ``schema`` as in :func:`f1_score`."""
    return _score(0, "precision", y_true, y_pred, average=average, suffix=suffix, mode=mode, zero_division=zero_division, scheme=scheme, schema=schema, bootstrap=0, seed=DEFAULT_SEED)


def recall_score(
    y_true, y_pred, *, average: str | None = "micro", suffix: bool = False, mode: str | None = None, sample_weight=None,
    zero_division="warn", scheme=None, schema: str | None = None,
):
    """seqeval's ``recall_score``; ``schema`` as in :func:`f1_score`."""
    return _score(1, "recall", y_true, y_pred, average=average, suffix=suffix, mode=mode, zero_division=zero_division, scheme=scheme, schema=schema, bootstrap=0, seed=DEFAULT_SEED)


def accuracy_score(y_true, y_pred) -> float:
    """The share of tokens whose predicted tag is the gold tag (seqeval's ``accuracy_score``)."""
    _check_lengths(y_true, y_pred)
    gold = [tag for s in _sentences(y_true) for tag in s]
    predicted = [tag for s in _sentences(y_pred) for tag in s]
    return sum(g == p for g, p in zip(gold, predicted)) / len(gold)


def classification_report(
    y_true, y_pred, *, digits: int = 2, suffix: bool = False, output_dict: bool = False, mode: str | None = None,
    sample_weight=None, zero_division="warn", scheme=None, bootstrap: int = 0, seed: int = DEFAULT_SEED,
):
    """seqeval's ``classification_report``: per type, then the micro, macro and weighted averages, as
    text or (``output_dict``) a dict. With ``bootstrap=N`` and ``output_dict``, each type's row and
    the micro average also hold ``"f1-score interval"``, the 95% bootstrap interval of that F1 over N
    resamples of the sentences (``seed`` fixes them)."""
    _check_lengths(y_true, y_pred)
    _one_tag_per_token(y_true, y_pred)
    chunks = {"mode": mode, "scheme": scheme, "suffix": suffix, "guess": True}
    true_chunks, pred_chunks = _chunks(y_true, **chunks), _chunks(y_pred, **chunks)
    types, pred, tp, true = _sums(true_chunks, pred_chunks)
    rows = [(name, *values) for name, *values in zip(types, *_scores(pred, tp, true, average=None, beta=1.0, zero_division=zero_division, warn_for=()))]
    rows += [(f"{average} avg", *_scores(pred, tp, true, average=average, beta=1.0, zero_division=zero_division, warn_for=())) for average in REPORT_AVERAGES]
    if output_dict:
        out = {name: {"precision": p, "recall": r, "f1-score": f, "support": s} for name, p, r, f, s in rows}
        if bootstrap:
            report = _report(y_true, true_chunks, pred_chunks, bootstrap=bootstrap, seed=seed)
            for name in [*types, "micro avg"]:
                interval = report.interval("strict", OVERALL if name == "micro avg" else name)
                out[name]["f1-score interval"] = None if interval is None else (interval.low, interval.high)
        return out
    if bootstrap:
        raise ValueError("bootstrap intervals are given with output_dict=True")
    width = max(max(map(len, types), default=0), len("weighted avg"), digits)
    header = f"{'':>{width}s} " + "".join(f" {name:>9}" for name in ("precision", "recall", "f1-score", "support"))
    lines = [f"{name:>{width}s} " + "".join(f" {v:>9.{digits}f}" for v in (p, r, f)) + f" {s:>9}" for name, p, r, f, s in rows]
    return header + "\n\n" + "\n".join([*lines[: len(types)], "", *lines[len(types) :], ""])


# --------------------------------------------------------------------------------------------------
# Khabar's report over tags


def _report(y_true, true_chunks: Sequence[Chunk], pred_chunks: Sequence[Chunk], *, bootstrap: int, seed: int, layer: str = "flat") -> Report:
    """Khabar's entity report over chunks, each sentence a unit of resampling."""
    sentences = _sentences(y_true)
    firsts = np.cumsum([0, *(len(s) + 1 for s in sentences[:-1])]).tolist()
    ids = [f"{i:08d}" for i in range(len(sentences))]

    def by_sentence(chunks: Sequence[Chunk]) -> dict[str, list]:
        out = {unit: [] for unit in ids}
        for kind, first, last in chunks:
            k = bisect_right(firsts, first) - 1
            out[ids[k]].append((first - firsts[k], last + 1 - firsts[k], kind))
        return out

    return score_entity_spans(gold=by_sentence(true_chunks), predictions=by_sentence(pred_chunks), layer=layer, bootstrap=bootstrap, seed=seed)


def _layers(y: Sequence) -> list[list[list[str]]] | None:
    """For sentences whose tokens are tag sequences (one tag per nesting layer, outermost first, as in
    Wojood's nested CoNLL form), one column of sentences per layer, short tokens padded with ``O``;
    None for one tag per token."""
    first = next((token for sentence in y if not isinstance(sentence, str) for token in sentence), "O")
    if isinstance(first, str):
        return None
    depth = max(len(token) for sentence in y for token in sentence)
    return [[[token[k] if k < len(token) else "O" for token in sentence] for sentence in y] for k in range(depth)]


def tag_report(
    y_true, y_pred, *, mode: str | None = None, scheme=None, suffix: bool = False, layer: str = "flat",
    bootstrap: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED,
) -> Report:
    """Khabar's report (:class:`~khabar.scorers.report.Report`) of the chunks seqeval would read from
    these tags: nervaluate's four schemas per type, macro averages, and bootstrap intervals of every F1
    over the sentences. Its ``strict`` metric is seqeval's micro average.

    Nested tags: each token a sequence of tags, one per layer (outermost first); every layer is decoded
    on its own, and ``layer`` scores all their chunks (``"nested"``) or the outermost ones (``"flat"``)."""
    _check_lengths(y_true, y_pred)
    chunks = {"mode": mode, "scheme": scheme, "suffix": suffix}
    columns = {"gold": _layers(y_true), "predicted": _layers(y_pred)}
    if (columns["gold"] is None) != (columns["predicted"] is None):
        raise ValueError("y_true and y_pred must both have one tag per token, or both a tag per layer")

    def decoded(y, side: str) -> list[Chunk]:
        if columns[side] is None:
            return _chunks(y, **chunks)
        return sorted({chunk for column in columns[side] for chunk in _chunks(column, **chunks)})

    return _report(y_true, decoded(y_true, "gold"), decoded(y_pred, "predicted"), bootstrap=bootstrap, seed=seed, layer=layer)


def flat_metrics(report: Report, *, per_label: bool = False) -> dict[str, float]:
    """A report as one flat dict of floats, ``{"entities/strict/f1": ..., "entities/partial/recall": ...}``
    (and ``.../f1_low``, ``.../f1_high`` with intervals, ``.../macro_f1``; with ``per_label``,
    ``entities/strict/PER/f1``...): what a Hugging Face ``Trainer``'s ``compute_metrics`` returns."""
    out: dict[str, float] = {}
    labels = [OVERALL]
    for metric in report.metrics:
        for label in labels + (report.labels(metric) if per_label else []):
            counts = report.counts(metric, label)
            prefix = f"{report.task}/{metric}/" + (f"{label}/" if label else "")
            out.update({prefix + "precision": counts.precision, prefix + "recall": counts.recall, prefix + "f1": counts.f1})
            interval = report.interval(metric, label)
            if interval is not None:
                out.update({prefix + "f1_low": interval.low, prefix + "f1_high": interval.high})
        out[f"{report.task}/{metric}/macro_f1"] = report.macro_f1(metric)
    return out


def tag_metrics(
    y_true, y_pred, *, mode: str | None = None, scheme=None, suffix: bool = False, layer: str = "flat", bootstrap: int = 0,
    seed: int = DEFAULT_SEED, per_label: bool = False,
) -> dict[str, float]:
    """:func:`flat_metrics` of :func:`tag_report`: one call for ``compute_metrics`` (no intervals by
    default, since a training loop calls it at every evaluation)."""
    report = tag_report(y_true, y_pred, mode=mode, scheme=scheme, suffix=suffix, layer=layer, bootstrap=bootstrap, seed=seed)
    return flat_metrics(report, per_label=per_label)
