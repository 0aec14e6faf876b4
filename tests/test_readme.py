"""The README's examples are real: the prediction line validates against the gold, and the paper tables
shown in the README and docs/metrics.md are what their commands print."""

from __future__ import annotations

import shlex

import pytest

from conftest import run_khabar
from khabar.corpus import format as fmt

EXAMPLES = {
    "paper-table": "khabar score results/rules.predictions.jsonl --task entities --metrics strict,exact,partial,type --format latex",
    "comparison": "khabar compare results/trivial.predictions.jsonl results/rules.predictions.jsonl results/crf.predictions.jsonl "
    "--task entities --format markdown",
}
"""Each block ``<!-- name:start -->`` ... ``<!-- name:end -->``: a command and what it prints."""
SHOWN_IN = ("README.md", "docs/metrics.md")


def test_readme_prediction_example_is_a_valid_submission(tmp_path, gold):
    readme = (fmt.ROOT / "README.md").read_text(encoding="utf-8")
    example = readme.split("A complete line:\n\n```json\n", 1)[1].split("\n```", 1)[0]
    path = tmp_path / "example.jsonl"
    path.write_text(example + "\n", encoding="utf-8")
    predictions = fmt.read_predictions(path, gold)
    assert predictions and all(p.entities and p.quotes and p.events for p in predictions.values())


def example_block(name: str) -> str:
    """The block as the command makes it: the command, then its output (LaTeX fenced, Markdown as is)."""
    command = EXAMPLES[name]
    result = run_khabar(*shlex.split(command)[1:])
    assert result.returncode == 0 and result.stderr == "", result.stderr
    output = f"```latex\n{result.stdout}```\n" if "--format latex" in command else result.stdout
    return f"```bash\n{command}\n```\n\n{output}"


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_paper_tables_in_the_docs_are_what_their_commands_print(name):
    expected = example_block(name)
    for document in SHOWN_IN:
        text = (fmt.ROOT / document).read_text(encoding="utf-8")
        start, end = f"<!-- {name}:start -->\n", f"<!-- {name}:end -->"
        assert start in text, f"{document} has no {start.strip()} block"
        shown = text.split(start, 1)[1].split(end, 1)[0]
        assert shown == expected, f"{document}: the {name} block is stale: `python tests/test_readme.py` rewrites it"


if __name__ == "__main__":  # rewrite the blocks from the commands' output
    from khabar.corpus.card import replace_block

    for document in SHOWN_IN:
        path = fmt.ROOT / document
        text = path.read_text(encoding="utf-8")
        for name in EXAMPLES:
            text = replace_block(text, name, example_block(name))
        path.write_text(text, encoding="utf-8")
