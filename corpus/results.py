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


def score_file(path: Path, documents: Sequence[fmt.Document], split: str) -> dict[str, dict[str, Any]]:
    """The official report (as JSON data, with its signature) of every task the prediction file has a
    layer for, by task, as ``khabar score --format json`` writes them: a baseline without a layer gets no
    zero for it."""
    from khabar.scorers import score_submission

    gold = {doc.id: doc for doc in documents}
    predictions = fmt.read_predictions(path, gold)
    tasks = [h.task for h in HEADLINES if any(getattr(p, h.task) is not None for p in predictions.values())]
    scored = score_submission(documents=documents, predictions=predictions, tasks=tasks, split=split)
    return {report.task: {**report.to_dict(), "signature": signature} for report, signature in scored}


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
    results = read_results(result_paths(out_dir))
    write_viewer_page(best_baseline(results), documents, out_dir)
    sys.stdout.write(render_table(results))
    return 0


def result_paths(directory: Path) -> list[Path]:
    paths = sorted(Path(directory).glob("*.json"))
    if not paths:
        raise fmt.InputError(f"{fmt.display_path(directory)}: no results files (run `khabar evaluate`)")
    return paths


def read_results(paths: Sequence[Path]) -> list[dict[str, Any]]:
    """The results in ``paths``: ``khabar evaluate``'s files (``baseline``, ``reports``) and ``khabar
    score --format json`` outputs (a mapping by task), each as ``{"baseline": name, "split", "reports"}``
    (a score output is named by its file's stem). Any other file is skipped with a warning naming it."""
    results = []
    for path in paths:
        try:
            data = fmt.read_json_file(path)
        except fmt.InputError as error:
            print(f"warning: {error} (skipped)", file=sys.stderr)
            continue
        result = _as_result(data, Path(path).stem)
        if result is None:
            print(
                f"warning: {fmt.display_path(path)}: not a Khabar report (skipped): expected the output of "
                "`khabar score --format json` or a results file of `khabar evaluate`",
                file=sys.stderr,
            )
            continue
        results.append(result)
    if not results:
        raise fmt.InputError("no report among the files given: " + ", ".join(map(fmt.display_path, paths)))
    return results


def _as_result(data: Any, name: str) -> dict[str, Any] | None:
    """A results record from a file's JSON, or ``None`` when it is no report of ours."""
    if isinstance(data, dict) and isinstance(data.get("baseline"), str) and "reports" in data:
        reports, name = data["reports"], data["baseline"]
    else:
        reports = data
    if isinstance(reports, list):  # the results files of earlier versions
        reports = {r.get("task"): r for r in reports if isinstance(r, dict)}
    if not isinstance(reports, dict) or not reports or not all(_is_report(task, r) for task, r in reports.items()):
        return None
    splits = {_signature_field(r["signature"], "split") for r in reports.values()} - {None}
    split = data.get("split") if isinstance(data, dict) and isinstance(data.get("split"), str) else ", ".join(sorted(splits)) or "all"
    return {"baseline": name, "split": split, "reports": reports}


def _is_report(task: Any, report: Any) -> bool:
    return (
        isinstance(report, dict)
        and report.get("task") == task
        and isinstance(report.get("signature"), str)
        and isinstance(report.get("metrics"), dict)
        and all(isinstance(m, dict) and isinstance(m.get("overall"), dict) for m in report["metrics"].values())
    )


def _signature_field(signature: str, name: str) -> str | None:
    return next((part.split(":", 1)[1] for part in signature.split("|") if part.startswith(f"{name}:")), None)


def headline_cell(result: Mapping[str, Any], headline: Headline) -> tuple[float, float] | None:
    """(F1, half-width of its 95% interval) in percent, or None when the result has no such figure."""
    report = result["reports"].get(headline.task)
    overall = report["metrics"].get(headline.metric, {}).get("overall", {}) if report else {}
    if not isinstance(overall.get("f1"), (int, float)):
        return None
    interval = overall.get("f1_interval")
    low, high = interval if isinstance(interval, list) and len(interval) == 2 else (overall["f1"], overall["f1"])
    return 100 * overall["f1"], 100 * (high - low) / 2


def best_baseline(results: Sequence[Mapping[str, Any]]) -> str:
    """The baseline with the highest mean headline F1 (ties: the first name)."""

    def mean(result):
        cells = [headline_cell(result, h) for h in HEADLINES]
        return sum(c[0] for c in cells if c) / len(HEADLINES)

    return max(sorted(results, key=lambda r: r["baseline"]), key=mean)["baseline"]


TABLE_FORMATS = ("table", "markdown", "latex", "csv")


def render_table(results: Sequence[Mapping[str, Any]], output: str = "table") -> str:
    """One row per result, one column per task's headline (F1 ± half-width), in ``output``
    (:data:`TABLE_FORMATS`); the signatures follow as notes (CSV: a column per task)."""
    from khabar.scorers.tables import render

    splits = sorted({result.get("split", "all") for result in results})
    ordered = sorted(results, key=lambda r: r["baseline"])
    if output == "csv":
        header = ["system"] + [cell for h in HEADLINES for cell in (f"{h.task} {h.metric} F1", "±95%", f"{h.task} signature")]
        rows = []
        for result in ordered:
            row = [result["baseline"]]
            for h in HEADLINES:
                cell = headline_cell(result, h)
                report = result["reports"].get(h.task)
                row += ["", "", ""] if cell is None else [f"{cell[0]:.2f}", f"{cell[1]:.2f}", report["signature"]]
            rows.append(row)
        return render(header, rows, "csv")
    header = ["Baseline", *(h.title for h in HEADLINES)]
    rows = []
    for result in ordered:
        cells = [headline_cell(result, h) for h in HEADLINES]
        rows.append([result["baseline"], *("—" if c is None else f"{c[0]:.1f} ± {c[1]:.1f}" for c in cells)])
    signatures = sorted({r["signature"] for result in results for r in result["reports"].values()})
    note = f"F1 in percent ± half-width of the 95% bootstrap interval, on the {' and '.join(splits)} split."
    if output == "markdown":
        return render(header, rows, "markdown", notes=[note + " Signatures:", *(f"`{s}`" for s in signatures)])
    return render(header, rows, output, notes=[note, *signatures])


def write_viewer_page(name: str, documents: Sequence[fmt.Document], out_dir: Path) -> Path:
    """The viewer page of one baseline against the gold: ``results/viewer.html``."""
    from khabar.corpus.viewer import render_page

    gold = {doc.id: doc for doc in documents}
    predictions = fmt.read_predictions(out_dir / f"{name}.predictions.jsonl", gold)
    page = out_dir / "viewer.html"
    fmt.write_text(page, render_page(documents, predictions, system=name))
    return page


def results_command(args: argparse.Namespace) -> int:
    output = "markdown" if args.markdown else args.format
    if args.update_readme and output != "markdown":
        raise fmt.InputError("results: --update-readme writes the Markdown table (--format markdown)")
    table = render_table(read_results(args.files or result_paths(args.dir)), output)
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
        help="print a results table (one row per system, each task's headline F1) from report files",
        example="khabar results mine.json results/rules.json --format latex",
        description="Render one table from report files: the results files of `khabar evaluate` (by default those in "
        "results/) or any outputs of `khabar score --format json` (each named by its file's stem). A file that is "
        "no report is skipped with a warning.",
    )
    p.add_argument("files", nargs="*", type=Path, metavar="FILE", help="report files (default: every *.json in --dir)")
    p.add_argument("--dir", type=Path, default=RESULTS_DIR, help="where the results files are (default: results/)")
    p.add_argument("--format", choices=TABLE_FORMATS, default="table", help="table (default), markdown, latex or csv")
    p.add_argument("--markdown", action="store_true", help="the Markdown table, as in the README (--format markdown)")
    p.add_argument("--update-readme", action="store_true", help="also write the Markdown table into README.md")
    p.set_defaults(func=results_command)
