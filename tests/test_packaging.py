"""Khabar outside a clone: the release is trusted by its hash, a layout with only what the wheel carries
scores but refuses the clone's commands in one line, and a command whose extra is missing names it.
(.ci/check-wheel builds and installs the real wheel.)"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib

import pytest

from khabar.corpus import format as fmt

from conftest import REPO, run_khabar

BLOCK = """
import sys
class Blocked:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in {blocked!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
sys.meta_path.insert(0, Blocked())
from khabar.corpus.cli import main
sys.exit(main({argv!r}))
"""


def without(modules: set[str], *argv: str) -> subprocess.CompletedProcess:
    """``khabar ARGV`` in a process where ``modules`` cannot be imported, as in an install without them."""
    return subprocess.run([sys.executable, "-c", BLOCK.format(blocked=modules, argv=list(argv))], capture_output=True, text=True, cwd=REPO)


def test_the_release_is_trusted_by_its_hash_and_parsed_as_validation_would():
    gold = fmt.load_gold(None, "test")
    assert gold.trusted
    assert gold.documents == fmt._validated_corpus(fmt.gold_files(None, "test"), "test")
    assert gold.sha256 == fmt.sha256_files(fmt.gold_files(None, "test")) == fmt.data_fingerprint("test")[1]


def test_a_gold_that_is_no_release_is_validated(tmp_path):
    lines = fmt.split_file("documents", "test").read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[0])
    record["entities"][0]["end"] = len(record["text"]) + 5
    mine = tmp_path / "documents.jsonl"
    mine.write_text("\n".join([json.dumps(record, ensure_ascii=False), *lines[1:]]) + "\n", encoding="utf-8")
    with pytest.raises(fmt.InputError, match=r"documents.jsonl:1: entities\[0\]"):
        fmt.load_gold(mine)
    view = fmt.split_file("entities", "test")  # a release's file, but no documents file: validated, and refused
    with pytest.raises(fmt.InputError, match="entities.jsonl:1"):
        fmt.load_gold(view)
    untouched = tmp_path / "copy.jsonl"
    shutil.copyfile(fmt.split_file("documents", "test"), untouched)
    assert fmt.load_gold(untouched).trusted  # the release's bytes, wherever they lie


def test_a_layout_with_only_the_packaged_data_scores_and_refuses_the_clones_commands(tmp_path):
    root = tmp_path / "site-packages" / "khabar"
    shutil.copytree(fmt.SCHEMA_DIR, root / "schema")
    shutil.copytree(fmt.DATA_DIR, root / "corpus" / "data")
    predictions = REPO / "results" / "rules.predictions.jsonl"
    scored = run_khabar("score", str(predictions), "--task", "entities", "--bootstrap", "0", root=root, cwd=tmp_path)
    assert scored.returncode == 0, scored.stderr
    assert "|split:test|task:entities|" in scored.stdout
    for argv in (("build",), ("validate",), ("new-document", "x")):
        refused = run_khabar(*argv, root=root, cwd=tmp_path)
        assert refused.returncode == 2 and refused.stdout == ""
        assert refused.stderr.count("\n") == 1 and "clone" in refused.stderr, refused.stderr


def test_a_command_whose_extra_is_missing_says_which_extra_in_one_line(tmp_path):
    refused = without({"pycrfsuite", "babel"}, "baseline", "rules")
    assert refused.returncode == 2, refused.stderr
    assert refused.stderr == "khabar baseline: needs 'pycrfsuite', which the 'baselines' extra installs: pip install 'khabar[baselines]'\n"
    listed = without({"pycrfsuite", "babel", "datasets", "yaml"}, "--help")
    assert listed.returncode == 0 and "baseline" in listed.stdout and "Traceback" not in listed.stderr
    conll = tmp_path / "tags.conll"
    conll.write_text("Ali B-PERS B-PERS\n", encoding="utf-8")
    scored = without({"pycrfsuite", "babel", "datasets", "yaml"}, "score", "--conll", str(conll), "--bootstrap", "0")
    assert scored.returncode == 0, scored.stderr


def test_the_extras_name_every_optional_dependency_and_the_core_is_light():
    from khabar.corpus.commands import EXTRA_OF

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    core = {requirement.split(">")[0].split("=")[0].split("<")[0] for requirement in project["dependencies"]}
    assert core == {"jsonschema", "jsonschema-rs", "numpy"}
    extras = project["optional-dependencies"]
    installs = {"yaml": "pyyaml", "pycrfsuite": "python-crfsuite"}
    for module, extra in EXTRA_OF.items():
        assert any(r.startswith(installs.get(module, module)) for r in extras[extra]), (module, extra)
    assert not any("==" in requirement for requirements in [project["dependencies"], *extras.values()] for requirement in requirements)
