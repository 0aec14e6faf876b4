"""Rows of cells rendered in the formats a paper or a spreadsheet takes: fixed-width text, CSV, Markdown
and LaTeX (booktabs). Pure functions over strings; the CLI chooses the rows."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

FORMATS = ("table", "json", "csv", "markdown", "latex")
"""``--format`` choices of ``khabar score`` and ``khabar compare``; ``json`` is not rendered here."""

_LATEX = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "±": r"$\pm$",
    "Δ": r"$\Delta$",
    "—": "---",
}


def latex_escape(text: str) -> str:
    return "".join(_LATEX.get(char, char) for char in text)


def render(header: Sequence[str], rows: Sequence[Sequence[str]], output: str, *, left: int = 1, notes: Sequence[str] = ()) -> str:
    """``rows`` under ``header`` as ``output`` (a :data:`FORMATS` name but ``json``). The first ``left``
    columns are text (left-aligned), the others numbers (right-aligned). ``notes`` follow the table: as
    lines, as a paragraph of Markdown (each note a bullet), or as LaTeX comments; CSV has no notes (give
    what a row needs as a column)."""
    if output == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerows([header, *rows])
        return out.getvalue()
    if output == "markdown":
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * left + "---:|" * (len(header) - left)]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        return "\n".join([*lines, *([""] + [f"* {note}" for note in notes] if notes else [])]) + "\n"
    if output == "latex":
        lines = [r"\begin{tabular}{" + "l" * left + "r" * (len(header) - left) + "}", r"\toprule"]
        lines.append(" & ".join(map(latex_escape, header)) + r" \\")
        lines.append(r"\midrule")
        lines += [" & ".join(map(latex_escape, row)) + r" \\" for row in rows]
        lines += [r"\bottomrule", r"\end{tabular}"]
        return "\n".join([*lines, *(f"% {note}" for note in notes)]) + "\n"
    if output != "table":
        raise ValueError(f"output must be one of {', '.join(FORMATS)}, not {output!r}")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(width) if i < left else cell.rjust(width) for i, (cell, width) in enumerate(zip(row, widths))).rstrip()
        for row in [header, *rows]
    ]
    return "\n".join([*lines, *([""] + list(notes) if notes else [])]) + "\n"
