"""The repository loads with Hugging Face `datasets`, offline, for every config and every split that has
documents."""

from __future__ import annotations

import json

import pytest

from khabar.corpus import format as fmt
from khabar.corpus.build import iob2_names

CONFIGS = ("documents", "entities", "quotes", "events")


def built_splits() -> list[str]:
    return [split for split in fmt.SPLITS if fmt.split_file("documents", split).is_file()]


@pytest.fixture(scope="module")
def load(tmp_path_factory, monkeypatch_module):
    monkeypatch_module.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch_module.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch_module.setenv("HF_HOME", str(tmp_path_factory.mktemp("hf_home")))
    import datasets

    cache = tmp_path_factory.mktemp("hf_cache")
    datasets.disable_progress_bars()
    return lambda name, split: datasets.load_dataset(str(fmt.ROOT), name, split=split, cache_dir=str(cache))


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def built_rows(name, split):
    return [json.loads(line) for line in fmt.split_file(name, split).open(encoding="utf-8")]


def test_some_split_is_built():
    assert built_splits(), "no split of corpus/data/ has documents"


@pytest.mark.parametrize("split", fmt.SPLITS)
@pytest.mark.parametrize("name", CONFIGS)
def test_every_config_loads_the_built_rows_of_each_split(load, name, split):
    if split not in built_splits():
        pytest.skip(f"the {split} split has no gold yet")
    dataset = load(name, split)
    rows = built_rows(name, split)
    assert dataset.num_rows == len(rows) > 0
    loaded = dataset.to_list()
    if name == "entities":
        for row in rows:
            row["ner_tags"] = list(row["ner_tags"])
    assert [_without_nulls(r) for r in loaded] == [_without_nulls(r) for r in rows]


def test_each_document_is_in_the_split_its_meta_names(load):
    for split in built_splits():
        assert {row["meta"]["split"] for row in load("documents", split)} == {split}


def _without_nulls(value):
    """datasets fills absent struct fields with None; compare what both sides actually carry."""
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value


def test_ner_tag_names_are_in_the_documented_order(load):
    names = load("entities", built_splits()[0]).features["ner_tags"].feature.names
    assert names == iob2_names()
    assert names[:3] == ["O", "B-PERS", "I-PERS"]


def test_default_config_is_documents(monkeypatch_module, tmp_path):
    import datasets

    dataset = datasets.load_dataset(str(fmt.ROOT), split="dev", cache_dir=str(tmp_path))
    assert set(dataset.features) >= {"id", "text", "meta", "sentences", "tokens", "entities", "quotes", "events"}
    first = next(row for row in dataset if row["id"] == "000_0d083f3321f654a4")
    assert first["meta"]["published"] == "Thursday 5 October 2023, 03:55 GMT"
    assert first["meta"]["licence"]["text"] == "LicenseRef-publisher-copyright"


def test_readme_example_from_hugging_face_tags_to_a_submission(load, tmp_path, monkeypatch):
    """The README's example, run as written (the dataset path set to this checkout): tags from the
    entities config, khabar from-tags, khabar score."""
    from conftest import run_khabar

    readme = (fmt.ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- from-tags:start -->\n", 1)[1].split("<!-- from-tags:end -->", 1)[0]
    python = block.split("```python\n", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].split() for line in block.split("```bash\n", 1)[1].split("```", 1)[0].splitlines() if line.strip()]
    load("entities", "test")  # the offline Hugging Face settings of this module
    monkeypatch.chdir(tmp_path)
    exec(compile(python.replace('"path/to/khabar"', repr(str(fmt.ROOT))), "README.md", "exec"), {})
    assert [c[0] for c in commands] == ["khabar", "khabar"]
    for command in commands:
        result = run_khabar(*command[1:], cwd=tmp_path)
        assert result.returncode == 0, result.stderr
    assert "strict_clitic  overall" in result.stdout and result.stdout.rstrip().splitlines()[-1].startswith("khabar:")
    predictions = fmt.read_predictions(tmp_path / "predictions.jsonl", {doc.id: doc for doc in fmt.load_corpus(split="test")})
    assert sum(len(p.entities) for p in predictions.values()) == sum(1 for row in built_rows("entities", "test") for t in row["ner_tags"] if iob2_names()[t].startswith("B-"))


def test_documents_and_events_features_hold_rows_with_and_without_values(tmp_path, monkeypatch_module):
    """The features are fixed: a row with values (and value arguments) and a row without them load
    with the same declared features; absent fields come back null (``values`` too: the built file
    omits the layer of a document without values)."""
    import datasets
    from values_case import document_json

    from khabar.corpus import build, card

    monkeypatch_module.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch_module.setenv("HF_DATASETS_OFFLINE", "1")
    with_values = build.with_layout(fmt.document_from_json(document_json()))
    without = fmt.load_corpus(split="dev")[0]
    features = card.features()
    for name, rows in build.render_views([without, with_values]).items():
        if name == "entities":
            continue
        path = tmp_path / f"{name}.jsonl"
        path.write_text("".join(fmt.dumps_line(row) + "\n" for row in rows), encoding="utf-8")
        dataset = datasets.load_dataset("json", data_files=str(path), features=features[name], split="train", cache_dir=str(tmp_path / "cache"))
        assert [_without_nulls(r) for r in dataset.to_list()] == [_without_nulls(r) for r in rows]
        if name == "documents":
            assert dataset[0]["values"] is None and [v["id"] for v in dataset[1]["values"]] == ["X1", "X2", "X3"]
            assert dataset[1]["events"][0]["arguments"][2] == {"role": "Crime", "mention": None, "value": "X1"}
        if name == "events":
            crime = dataset[1]["events"][0]["arguments"][2]
            assert (crime["role"], crime["text"], crime["entity"]) == ("Crime", "القتل", None)
