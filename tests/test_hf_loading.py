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
