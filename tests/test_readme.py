"""The README's examples are real: the prediction line validates against the gold, and the paper tables
shown in the README and docs/metrics.md are what their commands print."""

from __future__ import annotations

import json
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


def readme_python(name: str) -> str:
    readme = (fmt.ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split(f"<!-- {name}:start -->\n", 1)[1].split(f"<!-- {name}:end -->", 1)[0]
    return block.split("```python\n", 1)[1].split("```", 1)[0]


def test_readme_python_api_example_writes_a_valid_file_and_scores_as_khabar_score(tmp_path, monkeypatch, capsys, gold):
    monkeypatch.chdir(tmp_path)
    exec(compile(readme_python("python-api"), "README.md", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    assert fmt.read_predictions(tmp_path / "predictions.jsonl", gold)
    scored = run_khabar("score", "predictions.jsonl", "--task", "entities", "--format", "json", cwd=tmp_path)
    assert scored.returncode == 0, scored.stderr
    report = json.loads(scored.stdout)["entities"]  # one mapping by task, whatever the number of tasks
    overall = report["metrics"]["strict"]["overall"]
    low, high = overall["f1_interval"]
    assert printed == [f"strict F1 {overall['f1']:.4f} (95% interval {low:.4f} to {high:.4f})", report["signature"]]
    assert 0 < overall["f1"] < 1


def test_readme_seqeval_and_trainer_example_runs_with_the_numbers_it_states(capsys):
    from seqeval.metrics import f1_score
    from seqeval.scheme import IOB2

    namespace: dict = {}
    exec(compile(readme_python("seqeval"), "README.md", "exec"), namespace)
    printed = capsys.readouterr().out.splitlines()
    y_true, y_pred = namespace["y_true"], namespace["y_pred"]
    assert printed[:2] == [str(f1_score(y_true, y_pred)), str(f1_score(y_true, y_pred, mode="strict", scheme=IOB2))]
    # the Trainer example: gold PERS(0-2), GPE(3) and GPE(1-3); the model retypes GPE(3) as PERS, so 2 of 3
    # chunks are strictly right and all 3 have the right boundaries
    assert printed[-1] == f"{2 / 3} 1.0"
    assert namespace["metrics"]["entities/strict/f1"] == 2 / 3


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
