"""The khabar command: each module's subcommands are the ones its table entry names, so that a command
loads only its own module (``khabar score --conll`` neither the baselines nor the JSON Schema validators)."""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys

from khabar.corpus.cli import COMMAND_MODULES
from khabar.scorers.cli import SCHEME_NAMES
from khabar.scorers.conll import SCHEMES


def test_each_module_adds_the_commands_its_entry_names():
    for module, commands in COMMAND_MODULES.items():
        subparsers = argparse.ArgumentParser().add_subparsers()
        importlib.import_module(module).register(subparsers)
        assert tuple(subparsers.choices) == commands, module


def test_the_scheme_choices_are_the_scorers():
    assert SCHEME_NAMES == tuple(SCHEMES)


def test_score_conll_loads_neither_the_baselines_nor_the_schema_validators(tmp_path):
    path = tmp_path / "f.conll"
    path.write_text("a B-PERS B-PERS\n", encoding="utf-8")
    probe = (
        "import sys, io, contextlib\n"
        "from khabar.corpus.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main(['score', '--conll', {str(path)!r}, '--bootstrap', '0']) == 0\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('jsonschema', 'jsonschema_rs', 'referencing', 'babel') "
        "or m.startswith('khabar.baselines')))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
