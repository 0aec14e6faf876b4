"""`khabar new-document`: a seed listed in seeds/index.json becomes an annotation file with empty layers,
which validates and builds; nothing is overwritten."""

from __future__ import annotations

import hashlib
import json

from conftest import run_khabar

TEXT = "قال المتحدث: نعم.\n"


def add_seed(root, doc_id="001_test"):
    seed = root / "seeds" / f"{doc_id}.txt"
    seed.write_bytes(TEXT.encode("utf-8"))
    index = json.loads((root / "seeds/index.json").read_text(encoding="utf-8"))
    index["documents"].append(
        {"id": doc_id, "file": f"seeds/{doc_id}.txt", "sha256": hashlib.sha256(seed.read_bytes()).hexdigest(),
         "source": "wikinews", "publisher": "Test", "title": "قال المتحدث: نعم.", "published": "Monday 1 January 2024",
         "language": "ar", "licence": {"text": "CC-BY-2.5", "annotations": "CC-BY-4.0", "attribution": "Test"}, "split": "test"}
    )
    (root / "seeds/index.json").write_text(json.dumps(index, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def test_new_document_starts_an_empty_valid_annotation(repo_copy):
    add_seed(repo_copy)
    result = run_khabar("new-document", "001_test", root=repo_copy)
    assert result.returncode == 0, result.stderr
    created = json.loads((repo_copy / "corpus/annotations/001_test.json").read_text(encoding="utf-8"))
    assert created["text"] == TEXT and created["meta"]["publisher"] == "Test"
    assert (created["meta"]["source"], created["meta"]["split"], created["meta"]["licence"]["text"]) == ("wikinews", "test", "CC-BY-2.5")
    assert [created[k] for k in ("clusters", "entities", "quotes", "events")] == [[], [], [], []]
    annotated = len(list((repo_copy / "corpus/annotations").glob("*.json")))
    assert run_khabar("validate", root=repo_copy).stdout == f"{annotated} document(s) valid\n"


def test_new_document_refuses_unknown_ids_and_existing_files(repo_copy):
    unknown = run_khabar("new-document", "999_nope", root=repo_copy)
    assert (unknown.returncode, unknown.stderr) == (2, "seeds/index.json: no document '999_nope' (list the article there first)\n")
    path = repo_copy / "corpus/annotations/000_0d083f3321f654a4.json"
    before = path.read_bytes()
    existing = run_khabar("new-document", "000_0d083f3321f654a4", root=repo_copy)
    assert existing.returncode == 2
    assert existing.stderr == "corpus/annotations/000_0d083f3321f654a4.json: already exists; not overwriting it\n"
    assert path.read_bytes() == before


def test_a_listed_seed_without_annotation_is_not_in_the_corpus(repo_copy):
    """A seed enters the corpus when its gold exists: until then it validates and builds without it."""
    add_seed(repo_copy)
    annotated = len(list((repo_copy / "corpus/annotations").glob("*.json")))
    assert run_khabar("validate", root=repo_copy).stdout == f"{annotated} document(s) valid\n"
    assert run_khabar("build", "--check", root=repo_copy).returncode == 0


def test_an_annotated_seed_whose_index_entry_lacks_a_field_fails_validation(repo_copy):
    add_seed(repo_copy)
    assert run_khabar("new-document", "001_test", root=repo_copy).returncode == 0
    index = json.loads((repo_copy / "seeds/index.json").read_text(encoding="utf-8"))
    del index["documents"][-1]["split"]
    (repo_copy / "seeds/index.json").write_text(json.dumps(index, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    result = run_khabar("validate", root=repo_copy)
    assert result.returncode == 1
    assert result.stderr == "seeds/index.json: documents[001_test]: lacks split (docs/sources.md lists the fields)\n"
