"""croissant.json describes the built files: mlcroissant (the ML Commons reference library) validates it
offline, and its files and fields are checked against the data on disk."""

from __future__ import annotations

import json

import pytest

from khabar.corpus import croissant, format as fmt


@pytest.fixture(scope="module")
def manifest() -> dict:
    return fmt.read_json_file(fmt.DATA_DIR / "MANIFEST.json")


@pytest.fixture(scope="module")
def metadata(manifest) -> dict:
    return json.loads(croissant.croissant(manifest))


def validate(path) -> None:
    import mlcroissant as mlc

    dataset = mlc.Dataset(jsonld=str(path))
    issues = dataset.metadata.ctx.issues
    assert not issues.errors and not issues.warnings, (issues.errors, issues.warnings)


def test_mlcroissant_validates_it(manifest, tmp_path):
    path = tmp_path / "croissant.json"
    path.write_text(croissant.croissant(manifest), encoding="utf-8")
    validate(path)


def test_mlcroissant_rejects_a_broken_description(metadata, tmp_path):
    import mlcroissant as mlc

    broken = json.loads(json.dumps(metadata))
    del broken["distribution"][0]["encodingFormat"]
    broken["recordSet"][0]["field"][0]["source"]["fileObject"]["@id"] = "missing.jsonl"
    path = tmp_path / "croissant.json"
    path.write_text(json.dumps(broken), encoding="utf-8")
    with pytest.raises(mlc.ValidationError, match="encodingFormat"):
        mlc.Dataset(jsonld=str(path))


def test_every_data_file_is_listed_with_its_real_hash(metadata):
    listed = {f["contentUrl"]: f["sha256"] for f in metadata["distribution"]}
    on_disk = {f"corpus/data/{p.relative_to(fmt.DATA_DIR).as_posix()}": fmt.sha256_file(p) for p in sorted(fmt.DATA_DIR.glob("*/*.jsonl"))}
    assert on_disk
    assert listed == on_disk


OPTIONAL_COLUMNS = {"values"}
"""Written only when a document has some (format.document_to_json), so a row may lack it."""


def test_record_set_fields_are_the_columns_of_the_files(metadata):
    for record_set in metadata["recordSet"]:
        (file_id,) = {f["source"]["fileObject"]["@id"] for f in record_set["field"]}
        columns = [f["name"] for f in record_set["field"]]
        for number, row in fmt.iter_jsonl(fmt.DATA_DIR / file_id):
            assert list(row) == [c for c in columns if c in row or c not in OPTIONAL_COLUMNS], f"{file_id}:{number}"


def test_dataset_properties_croissant_requires(metadata, manifest):
    assert metadata["conformsTo"] == "http://mlcommons.org/croissant/1.0"
    assert metadata["@type"] == "sc:Dataset"
    assert metadata["version"] == manifest["data_version"]
    for key in ("name", "description", "license", "distribution", "recordSet", "citeAs", "datePublished"):
        assert metadata[key], key


def test_built_croissant_file_is_current(manifest):
    if not croissant.CROISSANT_FILE.exists():
        pytest.fail("croissant.json is missing: `khabar build` writes it")
    assert croissant.CROISSANT_FILE.read_text(encoding="utf-8") == croissant.croissant(manifest)
