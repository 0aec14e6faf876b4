"""How to cite Khabar: ``CITATION.cff`` is the source; ``docs/citation.bib`` is the BibTeX that cffconvert
renders from it, and the README's citation block is that BibTeX, inserted by ``khabar build``, with a real
key (cffconvert writes ``YourReferenceHere``) and the version cited.

cffconvert cannot run inside the project environment (it requires jsonschema<4), so the BibTeX is kept
as a file; ``tests/test_citation.py`` runs cffconvert from its own tool environment and fails when the
file, the README block or the CFF version drift apart.
"""

from __future__ import annotations

from khabar.corpus import format as fmt

CITATION_FILE = fmt.ROOT / "CITATION.cff"
BIBTEX_FILE = fmt.ROOT / "docs" / "citation.bib"
README_BLOCK = "bibtex"
"""The README block ``<!-- bibtex:start -->`` ... ``<!-- bibtex:end -->`` that holds the citation."""


def release_date() -> str:
    """The ``date-released`` of CITATION.cff (ISO 8601)."""
    import yaml

    return str(yaml.safe_load(CITATION_FILE.read_text(encoding="utf-8"))["date-released"])


CFFCONVERT_KEY = "YourReferenceHere"


def bibtex() -> str:
    """cffconvert's BibTeX with the key ``khabar<year>`` and a ``version`` field (CITATION.cff's)."""
    import yaml

    cff = yaml.safe_load(CITATION_FILE.read_text(encoding="utf-8"))["preferred-citation"]
    text = BIBTEX_FILE.read_text(encoding="utf-8")
    if f"{{{CFFCONVERT_KEY}," not in text:
        return text
    keyed = text.replace(f"{{{CFFCONVERT_KEY},", f"{{khabar{cff['year']},", 1)
    return keyed.replace("\n}", f",\nversion = {{{cff['version']}}}\n}}", 1)  # the line that closes the entry


def readme_block() -> str:
    """The content of the README's citation block: the BibTeX in a fenced code block."""
    return f"```bibtex\n{bibtex()}```\n"
