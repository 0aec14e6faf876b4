"""What every ``khabar`` subcommand shares, wherever it is defined: a ``--help`` that says what it does
with an example, and a one-line message when the optional dependency it needs is not installed.

In the format layer (beside :mod:`khabar.corpus.format`) because the scorer's and the baselines'
commands use it and they may import nothing from the application above them.
"""

from __future__ import annotations

import argparse

from khabar.corpus.format import KhabarError

EXTRA_OF = {
    "datasets": "data",
    "yaml": "data",
    "babel": "baselines",
    "pycrfsuite": "baselines",
    "seqeval": "test",
    "nervaluate": "test",
    "mlcroissant": "test",
}
"""The top-level module of each optional dependency, and the extra of ``pyproject.toml`` that installs it."""


class MissingExtra(KhabarError):
    """A command whose optional dependency is not installed: names the extra to install."""

    def __init__(self, command: str, module: str):
        extra = EXTRA_OF[module]
        super().__init__(f"khabar {command}: needs {module!r}, which the {extra!r} extra installs: pip install 'khabar[{extra}]'")


def missing_extra(error: ModuleNotFoundError) -> str | None:
    """The optional dependency whose absence raised ``error``, or None for any other missing module."""
    top = (error.name or "").partition(".")[0]
    return top if top in EXTRA_OF else None


def add_command(subparsers, name: str, *, help: str, example: str, description: str | None = None) -> argparse.ArgumentParser:
    """A subcommand parser whose --help says what it does and shows an example."""
    return subparsers.add_parser(
        name,
        help=help,
        description=f"{description or help}\n\nexample:\n  {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
