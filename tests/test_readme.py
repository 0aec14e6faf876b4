"""The README's examples are real: the prediction line validates against the gold."""

from __future__ import annotations

from khabar.corpus import format as fmt


def test_readme_prediction_example_is_a_valid_submission(tmp_path, gold):
    readme = (fmt.ROOT / "README.md").read_text(encoding="utf-8")
    example = readme.split("A complete line:\n\n```json\n", 1)[1].split("\n```", 1)[0]
    path = tmp_path / "example.jsonl"
    path.write_text(example + "\n", encoding="utf-8")
    predictions = fmt.read_predictions(path, gold)
    assert predictions and all(p.entities and p.quotes and p.events for p in predictions.values())
