"""Shared fixtures: the real corpus, throw-away copies of the repository, and the CLI as a user runs it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from khabar.corpus import format as fmt

REPO = fmt.ROOT
COPIED = ("schema", "seeds", "corpus/annotations", "corpus/data", "README.md", "CITATION.cff", "docs/citation.bib", "croissant.json")


@pytest.fixture(scope="session")
def corpus() -> list[fmt.Document]:
    documents = fmt.load_corpus()
    assert documents, "the built corpus is empty"
    return documents


@pytest.fixture(scope="session")
def gold(corpus) -> dict[str, fmt.Document]:
    return {doc.id: doc for doc in corpus}


@pytest.fixture
def repo_copy(tmp_path) -> Path:
    """A copy of the data side of the repository, for tests that corrupt or rebuild it."""
    root = tmp_path / "repo"
    for name in COPIED:
        source = REPO / name
        target = root / name
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return root


def run_khabar(*args: str, root: Path | None = None, env: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the installed ``khabar`` command as a user would, optionally on another checkout."""
    environment = {**os.environ, **(env or {})}
    if root is not None:
        environment["KHABAR_ROOT"] = str(root)
    return subprocess.run(
        [sys.executable, "-m", "khabar.corpus.cli", *args],
        capture_output=True,
        text=True,
        env=environment,
        cwd=cwd or REPO,
    )


def annotation_file(root: Path) -> Path:
    paths = sorted((root / "corpus" / "annotations").glob("*.json"))
    assert paths, "no annotation file"
    return paths[0]


def load_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def save_json(path: Path, obj) -> None:
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=2), encoding="utf-8")


FUZZ_TALLY = {"cases": 0, "defects": 0}
"""What tests/test_fuzz.py ran: commands run on generated inputs, and fuzz properties that failed."""


def pytest_runtest_logreport(report) -> None:
    if report.when == "call" and report.failed and "test_fuzz" in report.nodeid:
        FUZZ_TALLY["defects"] += 1


def pytest_terminal_summary(terminalreporter) -> None:
    if FUZZ_TALLY["cases"]:
        injected = FUZZ_TALLY.get("injected")
        found = "" if injected is None else f"; {injected} injected defects found"
        terminalreporter.write_line(f"fuzz: {FUZZ_TALLY['cases']:,} cases, {FUZZ_TALLY['defects']} defects{found}")
