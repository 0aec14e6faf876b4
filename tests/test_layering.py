"""The layers of the code (README, Layout): the format layer at the bottom, the scorers and the baselines
on it, the application on top. Every import of every module, function-level ones included, is read
from the source (ast) and none may point from a lower layer to a higher one; the scorer's layers use
only the core dependencies, so that a plain ``pip install khabar`` scores."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from khabar.corpus import format as fmt

PACKAGES = {"khabar.corpus": "corpus", "khabar.schema": "schema", "khabar.scorers": "scorers", "khabar.baselines": "baselines"}
FORMAT_LAYER = {"khabar.corpus", "khabar.corpus.format", "khabar.corpus.tokenize", "khabar.corpus.version", "khabar.corpus.commands", "khabar.schema"}
MAY_IMPORT = {
    "format": {"format"},
    "scorers": {"format", "scorers"},
    "baselines": {"format", "baselines"},
    "application": {"format", "scorers", "baselines", "application"},
}
CORE_DEPENDENCIES = {"numpy", "jsonschema", "jsonschema_rs", "referencing"}
"""pyproject.toml's dependencies, as the modules they install (jsonschema brings referencing)."""


def layer(module: str) -> str:
    if module in FORMAT_LAYER:
        return "format"
    if module.startswith(("khabar.scorers.", "khabar.baselines.")) or module in ("khabar.scorers", "khabar.baselines"):
        return module.split(".")[1]
    return "application"


def modules() -> dict[str, Path]:
    found = {}
    for package, folder in PACKAGES.items():
        for path in sorted((fmt.ROOT / folder).glob("*.py")):
            found[package if path.stem == "__init__" else f"{package}.{path.stem}"] = path
    return found


def imports(source: str, module: str, known: set[str]) -> set[str]:
    """Every module ``source`` imports, anywhere in it; ``from P import name`` is ``P.name`` when that
    is a module."""
    out = set()
    package = module if module in PACKAGES else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            out.update(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names)
    return out


def upward_imports(found: dict[str, Path]) -> list[str]:
    known = set(found)
    return [
        f"{module} ({layer(module)}) imports {name} ({layer(name)})"
        for module, path in found.items()
        for name in sorted(imports(path.read_text(encoding="utf-8"), module, known))
        if name.startswith("khabar.") and layer(name) not in MAY_IMPORT[layer(module)]
    ]


def test_no_import_points_up_a_layer():
    found = modules()
    assert {"khabar.corpus.format", "khabar.scorers.cli", "khabar.baselines.crf", "khabar.corpus.build"} <= set(found)
    assert upward_imports(found) == []


def test_the_check_finds_an_upward_import(tmp_path):
    scorer, empty = tmp_path / "scorer.py", tmp_path / "empty.py"
    scorer.write_text("import numpy\n\n\ndef f():\n    from khabar.corpus import cli, format\n", encoding="utf-8")
    empty.write_text("", encoding="utf-8")
    found = {"khabar.scorers.fake": scorer, "khabar.corpus.cli": empty, "khabar.corpus.format": empty}
    assert upward_imports(found) == ["khabar.scorers.fake (scorers) imports khabar.corpus.cli (application)"]


def test_the_scorer_needs_only_the_core_dependencies():
    found = modules()
    outside = sorted(
        f"{module} imports {name}"
        for module, path in found.items()
        if layer(module) in ("format", "scorers")
        for name in imports(path.read_text(encoding="utf-8"), module, set(found))
        if not name.startswith("khabar") and name.split(".")[0] not in sys.stdlib_module_names | CORE_DEPENDENCIES
    )
    assert outside == []
