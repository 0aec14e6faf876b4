"""`khabar build`: deterministic output, a --check that names stale files, views faithful to the gold."""

from __future__ import annotations

import json

from khabar.corpus import format as fmt
from khabar.corpus.build import iob2_names, outermost

from conftest import run_khabar

BUILT = ["corpus/data/documents.jsonl", "corpus/data/entities.jsonl", "corpus/data/quotes.jsonl", "corpus/data/events.jsonl", "corpus/data/MANIFEST.json", "croissant.json", "README.md"]


def built_bytes(root):
    return {name: (root / name).read_bytes() for name in BUILT}


def test_build_is_byte_identical_whatever_the_hash_seed(repo_copy):
    for name in BUILT:
        (repo_copy / name).unlink()
    (repo_copy / "README.md").write_text("# Khabar\n\n<!-- stats:start -->\n<!-- stats:end -->\n", encoding="utf-8")
    outputs = []
    for seed in ("0", "1", "4242"):
        result = run_khabar("build", root=repo_copy, env={"PYTHONHASHSEED": seed})
        assert result.returncode == 0, result.stderr
        outputs.append(built_bytes(repo_copy))
    assert outputs[0] == outputs[1] == outputs[2]
    assert {k: v for k, v in outputs[0].items() if k != "README.md"} == {k: v for k, v in built_bytes(fmt.ROOT).items() if k != "README.md"}


def test_check_passes_on_this_checkout():
    result = run_khabar("build", "--check")
    assert result.returncode == 0, result.stderr


def test_check_names_a_stale_file_and_writes_nothing(repo_copy):
    stale = repo_copy / "corpus/data/entities.jsonl"
    stale.write_text(stale.read_text(encoding="utf-8").replace('"O"', '"X"', 1) + "\n", encoding="utf-8")
    before = stale.read_bytes()
    result = run_khabar("build", "--check", root=repo_copy)
    assert result.returncode == 1
    assert result.stderr.splitlines() == ["corpus/data/entities.jsonl: stale (run `khabar build`)"]
    assert stale.read_bytes() == before


def test_check_notices_a_gold_change(repo_copy):
    path = sorted((repo_copy / "corpus/annotations").glob("*.json"))[0]
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["entities"][0]["kind"] = "nominal" if doc["entities"][0]["kind"] != "nominal" else "name"
    path.write_text(fmt.dumps_annotation(fmt.document_from_json(doc)), encoding="utf-8")
    result = run_khabar("build", "--check", root=repo_copy)
    assert result.returncode == 1
    assert "corpus/data/documents.jsonl: stale (run `khabar build`)" in result.stderr.splitlines()


def test_manifest_hashes_the_built_files():
    manifest = json.loads((fmt.DATA_DIR / "MANIFEST.json").read_text(encoding="utf-8"))
    assert manifest["schema_version"] == fmt.schema_version()
    for name, entry in manifest["files"].items():
        assert fmt.sha256_file(fmt.DATA_DIR / name) == entry["sha256"]
        assert sum(1 for line in (fmt.DATA_DIR / name).open(encoding="utf-8")) == entry["rows"]


def decode_iob2(tags: list[str]) -> list[tuple[int, int, str]]:
    """Chunks of a strict IOB2 sequence, written independently of the build's encoder."""
    chunks, start, kind = [], None, None
    for i, tag in enumerate(tags + ["O"]):
        if start is not None and not (tag.startswith("I-") and tag[2:] == kind):
            chunks.append((start, i, kind))
            start = None
        if tag.startswith("B-"):
            start, kind = i, tag[2:]
        elif tag.startswith("I-"):
            assert start is not None, f"I- tag without B- at {i}"
    return chunks


def test_entity_view_iob2_decodes_to_the_outermost_mentions(corpus):
    names = iob2_names()
    rows = [json.loads(line) for line in (fmt.DATA_DIR / "entities.jsonl").open(encoding="utf-8")]
    by_document = {}
    for row in rows:
        for start, end, kind in decode_iob2([names[t] for t in row["ner_tags"]]):
            first = next(e for e in row["entities"] if e["token_start"] == start and e["token_end"] == end and e["type"] == kind)
            by_document.setdefault(row["document_id"], []).append((first["start"], first["end"], kind))
    for doc in corpus:
        expected = sorted((m.start, m.end, m.type) for m in outermost(fmt.ner_mentions(doc)))
        assert expected and sorted(by_document[doc.id]) == expected
        assert sum(len(r["entities"]) for r in rows if r["document_id"] == doc.id) == len(doc.entities)


def test_readme_shows_the_statistics_of_khabar_stats():
    stats = run_khabar("stats")
    assert stats.returncode == 0
    readme = (fmt.ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- stats:start -->\n", 1)[1].split("<!-- stats:end -->", 1)[0]
    assert block == stats.stdout
    assert "| mentions |" in block and "| 0 |" not in block.split("| mentions by type")[0]
