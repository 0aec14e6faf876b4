"""The README's examples are real: the prediction line validates against the gold."""

from __future__ import annotations

import json

from khabar.corpus import format as fmt


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
    from conftest import run_khabar

    monkeypatch.chdir(tmp_path)
    exec(compile(readme_python("python-api"), "README.md", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    assert fmt.read_predictions(tmp_path / "predictions.jsonl", gold)
    scored = run_khabar("score", "predictions.jsonl", "--task", "entities", "--format", "json", cwd=tmp_path)
    assert scored.returncode == 0, scored.stderr
    report = json.loads(scored.stdout)
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
