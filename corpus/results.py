"""The baselines results table: run every baseline, score it officially, keep the full reports.

``khabar evaluate`` (``make evaluate``) runs each baseline on the built corpus exactly as a participant
would (text in, prediction file out), validates and scores that file with the official scorer, and writes
``results/<baseline>.predictions.jsonl`` and ``results/<baseline>.json`` (every report, with its
signature). ``khabar results`` renders the table from those files alone, so the README's copy can be
checked against a fresh run.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

from khabar.corpus import format as fmt

RESULTS_DIR = fmt.ROOT / "results"
README_BLOCK = "results"


@dataclass(frozen=True)
class Headline:
    """The one number per task that the results table shows."""

    task: str
    metric: str
    title: str


HEADLINES = (
    Headline("entities", "strict", "Entities: strict F1 (flat)"),
    Headline("quotes", "end_to_end", "Quotes: end-to-end attribution F1"),
    Headline("events", "argument_classification", "Events: argument classification F1"),
)


def run_baseline(name: str, documents: Sequence[fmt.Document], out_dir: Path) -> Path:
    """Run one baseline over the documents' texts and write its official prediction file."""
    from khabar.baselines import BASELINES, predict_records

    path = out_dir / f"{name}.predictions.jsonl"
    records = predict_records(BASELINES[name], ((doc.id, doc.text) for doc in documents))
    fmt.write_text(path, "".join(fmt.dumps_line(record) + "\n" for record in records))
    return path


def score_file(path: Path, documents: Sequence[fmt.Document], split: str) -> list[dict[str, Any]]:
    """The official report (as JSON data, with its signature) of every task the prediction file has a
    layer for, as ``khabar score`` scores it: a baseline without a layer gets no zero for it."""
    from khabar.scorers import score_submission

    gold = {doc.id: doc for doc in documents}
    predictions = fmt.read_predictions(path, gold)
    tasks = [h.task for h in HEADLINES if any(getattr(p, h.task) is not None for p in predictions.values())]
    scored = score_submission(documents=documents, predictions=predictions, tasks=tasks, split=split)
    return [{**report.to_dict(), "signature": signature} for report, signature in scored]


def reported_split() -> str:
    """The split results tables report: test, or dev while the test split has no gold yet."""
    return "test" if fmt.split_file("documents", "test").is_file() else "dev"


def evaluate(*, out_dir: Path = RESULTS_DIR) -> int:
    """Run and score every baseline on the reported split, write the results files and print the table."""
    from khabar.baselines import BASELINES

    split = reported_split()
    documents = fmt.load_corpus(split=split)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in sorted(BASELINES):
        predictions = run_baseline(name, documents, out_dir)
        result = {
            "baseline": name,
            "description": BASELINES[name].description,
            "predictions": predictions.name,
            "split": split,
            "reports": score_file(predictions, documents, split),
        }
        fmt.write_text(out_dir / f"{name}.json", json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    results = read_results(out_dir)
    write_viewer_page(best_baseline(results), documents, out_dir)
    sys.stdout.write(render_table(results, markdown=False))
    return 0


def read_results(directory: Path) -> list[dict[str, Any]]:
    paths = sorted(Path(directory).glob("*.json"))
    if not paths:
        raise fmt.InputError(f"{fmt.display_path(directory)}: no results files (run `khabar evaluate`)")
    return [fmt.read_json_file(path) for path in paths]


def headline_cell(result: Mapping[str, Any], headline: Headline) -> tuple[float, float] | None:
    """(F1, half-width of its 95% interval) in percent, or None when the baseline has no such report."""
    for report in result["reports"]:
        if report["task"] == headline.task and headline.metric in report["metrics"]:
            overall = report["metrics"][headline.metric]["overall"]
            low, high = overall["f1_interval"] or (overall["f1"], overall["f1"])
            return 100 * overall["f1"], 100 * (high - low) / 2
    return None


def best_baseline(results: Sequence[Mapping[str, Any]]) -> str:
    """The baseline with the highest mean headline F1 (ties: the first name)."""

    def mean(result):
        cells = [headline_cell(result, h) for h in HEADLINES]
        return sum(c[0] for c in cells if c) / len(HEADLINES)

    return max(sorted(results, key=lambda r: r["baseline"]), key=mean)["baseline"]


def render_table(results: Sequence[Mapping[str, Any]], *, markdown: bool) -> str:
    splits = sorted({result.get("split", "all") for result in results})
    header = ["Baseline", *(h.title for h in HEADLINES)]
    rows = []
    for result in sorted(results, key=lambda r: r["baseline"]):
        cells = [headline_cell(result, h) for h in HEADLINES]
        rows.append([result["baseline"], *("—" if c is None else f"{c[0]:.1f} ± {c[1]:.1f}" for c in cells)])
    signatures = sorted({r["signature"] for result in results for r in result["reports"]})
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|---|" + "---:|" * len(HEADLINES)]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        lines += ["", f"F1 in percent ± half-width of the 95% bootstrap interval, on the {' and '.join(splits)} split. Signatures:", ""]
        lines += [f"* `{s}`" for s in signatures]
        return "\n".join(lines) + "\n"
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths))).rstrip() for row in [header, *rows]]
    lines += ["", f"F1 in percent ± half-width of the 95% bootstrap interval, on the {' and '.join(splits)} split.", *signatures]
    return "\n".join(lines) + "\n"


def write_viewer_page(name: str, documents: Sequence[fmt.Document], out_dir: Path) -> Path:
    """The viewer page of one baseline against the gold: ``results/viewer.html``."""
    from khabar.corpus.viewer import render_page

    gold = {doc.id: doc for doc in documents}
    predictions = fmt.read_predictions(out_dir / f"{name}.predictions.jsonl", gold)
    page = out_dir / "viewer.html"
    fmt.write_text(page, render_page(documents, predictions, system=name))
    return page


def results_command(args: argparse.Namespace) -> int:
    table = render_table(read_results(args.dir), markdown=args.markdown)
    if args.update_readme:
        from khabar.corpus.card import replace_block

        readme = fmt.ROOT / "README.md"
        fmt.write_text(readme, replace_block(readme.read_text(encoding="utf-8"), README_BLOCK, table))
    sys.stdout.write(table)
    return 0


def register(subparsers) -> None:
    from khabar.corpus.cli import add_command

    p = add_command(
        subparsers,
        "results",
        help="print the baselines results table from the results files",
        example="khabar results --markdown",
    )
    p.add_argument("--dir", type=Path, default=RESULTS_DIR, help="where the results files are (default: results/)")
    p.add_argument("--markdown", action="store_true", help="a Markdown table, as in the README")
    p.add_argument("--update-readme", action="store_true", help="also write the Markdown table into README.md")
    p.set_defaults(func=results_command)
