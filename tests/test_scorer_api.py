"""The public scoring API: every task honours the seed and resample count it is given, and the
signature pins them."""

from __future__ import annotations

import pytest

from khabar.corpus import format as fmt
from khabar.scorers import TASK_NAMES, score_submission, score_task
from khabar.scorers.core import bootstrap


@pytest.fixture(scope="module")
def submission():
    documents = fmt.load_corpus()
    path = fmt.ROOT / "results" / "rules.predictions.jsonl"
    return documents, fmt.read_predictions(path, {d.id: d for d in documents})


@pytest.mark.parametrize("task", TASK_NAMES)
def test_intervals_are_the_bootstrap_of_the_given_seed(submission, task):
    documents, predictions = submission
    for seed in (1, 99):
        report = score_task(task, documents=documents, predictions=predictions, bootstrap=200, seed=seed)
        assert report.intervals == bootstrap(report.board, resamples=200, seed=seed)


def test_signatures_name_task_metric_resamples_and_seed(submission):
    documents, predictions = submission
    scored = score_submission(documents=documents, predictions=predictions, bootstrap=50, seed=7)
    assert [report.task for report, _ in scored] == list(TASK_NAMES)
    for report, signature in scored:
        assert f"|task:{report.task}|" in signature and f"|match:{report.metrics[0]}|" in signature
        assert signature.endswith("|boot:50|seed:7")
