"""The built data never changes under a released data version."""

from __future__ import annotations

import json

import pytest

from khabar.corpus import format as fmt
from khabar.corpus import releases
from khabar.corpus.version import DATA_VERSION


def test_built_data_is_what_its_version_released():
    version, current = releases.manifest_hashes(fmt.read_json_file(releases.MANIFEST_FILE))
    assert version == DATA_VERSION, "corpus/data/MANIFEST.json is stale: run `khabar build`"
    recorded = releases.read_releases()
    if version in recorded:
        problems = releases.drift(recorded[version], current)
        assert not problems, f"data {version} was released with other files; bump DATA_VERSION:\n" + "\n".join(problems)
    else:
        later = [v for v in recorded if releases.version_key(v) > releases.version_key(version)]
        assert not later, f"DATA_VERSION {version} is not above the released {later}"


def test_releases_file_is_in_canonical_form():
    text = releases.RELEASES_FILE.read_text(encoding="utf-8")
    assert releases.dumps_releases(json.loads(text)) == text


def manifest(version: str, **hashes: str) -> dict:
    return {"data_version": version, "files": {f"{name}.jsonl": {"sha256": h, "bytes": 1, "rows": 1} for name, h in hashes.items()}}


def test_drift_names_changed_added_and_removed_files():
    recorded = {"documents.jsonl": "aa", "quotes.jsonl": "bb", "events.jsonl": "cc"}
    current = {"documents.jsonl": "aa", "quotes.jsonl": "b2", "entities.jsonl": "dd"}
    assert releases.drift(recorded, current) == [
        "entities.jsonl: added since the release",
        "events.jsonl: removed since the release",
        "quotes.jsonl: sha256 b2 differs from the released bb",
    ]
    assert releases.drift(recorded, dict(recorded)) == []


def test_record_release_records_once_and_refuses_to_rewrite(tmp_path):
    manifest_path, releases_path = tmp_path / "MANIFEST.json", tmp_path / "releases.json"
    manifest_path.write_text(json.dumps(manifest("0.2.0", documents="aa", quotes="bb")), encoding="utf-8")
    assert releases.record_release(manifest_path, releases_path) == ("0.2.0", True)
    assert json.loads(releases_path.read_text()) == {"0.2.0": {"documents.jsonl": "aa", "quotes.jsonl": "bb"}}
    assert releases.record_release(manifest_path, releases_path) == ("0.2.0", False)

    manifest_path.write_text(json.dumps(manifest("0.2.0", documents="aa", quotes="changed")), encoding="utf-8")
    before = releases_path.read_bytes()
    with pytest.raises(fmt.InputError, match="already released"):
        releases.record_release(manifest_path, releases_path)
    assert releases_path.read_bytes() == before

    manifest_path.write_text(json.dumps(manifest("0.10.0", documents="a3")), encoding="utf-8")
    assert releases.record_release(manifest_path, releases_path) == ("0.10.0", True)
    manifest_path.write_text(json.dumps(manifest("0.9.0", documents="a4")), encoding="utf-8")
    with pytest.raises(fmt.InputError, match="older than the released 0.10.0"):
        releases.record_release(manifest_path, releases_path)
    assert list(json.loads(releases_path.read_text())) == ["0.2.0", "0.10.0"]
