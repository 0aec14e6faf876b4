"""CITATION.cff validates with cffconvert, carries the data version, and its BibTeX is the README's."""

from __future__ import annotations

import subprocess

import pytest
import yaml

from khabar.corpus import citation, format as fmt
from khabar.corpus.card import replace_block
from khabar.corpus.version import DATA_VERSION

from external import require_program

CFFCONVERT_TOOL = fmt.ROOT / ".venv" / "tools" / "cffconvert" / "bin" / "cffconvert"


def cffconvert(*args: str) -> subprocess.CompletedProcess:
    program = require_program((CFFCONVERT_TOOL, "cffconvert"), "run .ci/install-cffconvert (cffconvert==2.0.0 in its own venv)")
    return subprocess.run([program, *args], capture_output=True, text=True, timeout=120)


def test_citation_file_validates():
    result = cffconvert("--validate", "-i", str(citation.CITATION_FILE))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "valid according to schema version 1.2.0" in result.stdout


def test_validator_rejects_a_broken_citation_file(tmp_path):
    cff = yaml.safe_load(citation.CITATION_FILE.read_text(encoding="utf-8"))
    cff["date-released"] = "27 November 2026"
    broken = tmp_path / "CITATION.cff"
    broken.write_text(yaml.safe_dump(cff, allow_unicode=True), encoding="utf-8")
    assert cffconvert("--validate", "-i", str(broken)).returncode != 0


def test_citation_cites_the_current_data_version():
    cff = yaml.safe_load(citation.CITATION_FILE.read_text(encoding="utf-8"))
    assert cff["type"] == "dataset"
    assert cff["version"] == DATA_VERSION
    assert cff["preferred-citation"]["version"] == DATA_VERSION


def test_bibtex_file_is_what_cffconvert_renders():
    result = cffconvert("-f", "bibtex", "-i", str(citation.CITATION_FILE))
    assert result.returncode == 0, result.stderr
    assert citation.BIBTEX_FILE.read_text(encoding="utf-8") == result.stdout, "docs/citation.bib is stale: regenerate it with cffconvert -f bibtex"


def test_the_bibtex_cited_has_a_real_key_and_the_version():
    entry = citation.bibtex()
    assert entry.startswith("@misc{khabar2026,\n") and citation.CFFCONVERT_KEY not in entry
    assert entry.endswith(f",\nversion = {{{DATA_VERSION}}}\n}}\n")
    assert entry.replace("khabar2026", citation.CFFCONVERT_KEY).replace(f",\nversion = {{{DATA_VERSION}}}", "") == citation.BIBTEX_FILE.read_text(encoding="utf-8")


def test_readme_carries_the_same_bibtex():
    readme = (fmt.ROOT / "README.md").read_text(encoding="utf-8")
    marker = f"<!-- {citation.README_BLOCK}:start -->"
    if marker not in readme:
        pytest.fail(f"README.md has no {marker} ... <!-- {citation.README_BLOCK}:end --> block for the citation")
    assert replace_block(readme, citation.README_BLOCK, citation.readme_block()) == readme, "README's BibTeX is stale: run `khabar build`"
