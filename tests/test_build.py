"""`khabar build`: deterministic output, a --check that names stale files, views faithful to the gold."""

from __future__ import annotations

import json

from khabar.corpus import format as fmt
from khabar.corpus.build import iob2_names, outermost, sentence_tokens, with_layout
from khabar.corpus.stats import projection_stats

from conftest import run_khabar

def built_files(root) -> list[str]:
    """Every file `khabar build` writes, as it stands in ``root``: each split's views and the rest."""
    views = sorted(path.relative_to(root).as_posix() for path in (root / "corpus/data").glob("*/*.jsonl"))
    assert views, f"no built view under {root}"
    return [*views, "corpus/data/MANIFEST.json", "croissant.json", "README.md"]


def built_bytes(root):
    return {name: (root / name).read_bytes() for name in built_files(root)}


def test_build_is_byte_identical_whatever_the_hash_seed(repo_copy):
    expected_files = built_files(repo_copy)
    for name in expected_files:
        (repo_copy / name).unlink()
    (repo_copy / "README.md").write_text("# Khabar\n\n<!-- stats:start -->\n<!-- stats:end -->\n", encoding="utf-8")
    outputs = []
    for seed in ("0", "1", "4242"):
        result = run_khabar("build", root=repo_copy, env={"PYTHONHASHSEED": seed})
        assert result.returncode == 0, result.stderr
        outputs.append(built_bytes(repo_copy))
    assert list(outputs[0]) == expected_files
    assert outputs[0] == outputs[1] == outputs[2]
    assert {k: v for k, v in outputs[0].items() if k != "README.md"} == {k: v for k, v in built_bytes(fmt.ROOT).items() if k != "README.md"}


def test_check_passes_on_this_checkout():
    result = run_khabar("build", "--check")
    assert result.returncode == 0, result.stderr


def test_check_names_a_stale_file_and_writes_nothing(repo_copy):
    stale = repo_copy / "corpus/data/dev/entities.jsonl"
    stale.write_text(stale.read_text(encoding="utf-8").replace('"O"', '"X"', 1) + "\n", encoding="utf-8")
    leftover = repo_copy / "corpus/data/documents.jsonl"
    leftover.write_text("{}\n", encoding="utf-8")
    before = stale.read_bytes()
    result = run_khabar("build", "--check", root=repo_copy)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "corpus/data/dev/entities.jsonl: stale (run `khabar build`)",
        "corpus/data/documents.jsonl: stale (run `khabar build`)",
    ]
    assert stale.read_bytes() == before and leftover.exists()


def test_build_removes_a_data_file_the_corpus_no_longer_gives(repo_copy):
    leftover = repo_copy / "corpus/data/documents.jsonl"
    leftover.write_text("{}\n", encoding="utf-8")
    result = run_khabar("build", root=repo_copy)
    assert result.returncode == 0, result.stderr
    assert "removed corpus/data/documents.jsonl" in result.stdout.splitlines()
    assert not leftover.exists()


def test_check_notices_a_gold_change(repo_copy):
    path = sorted((repo_copy / "corpus/annotations").glob("*.json"))[0]
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["entities"][0]["kind"] = "nominal" if doc["entities"][0]["kind"] != "nominal" else "name"
    path.write_text(fmt.dumps_annotation(fmt.document_from_json(doc)), encoding="utf-8")
    result = run_khabar("build", "--check", root=repo_copy)
    assert result.returncode == 1
    assert f"corpus/data/{doc['meta']['split']}/documents.jsonl: stale (run `khabar build`)" in result.stderr.splitlines()


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
    """Each ``ner_tags`` chunk is an outermost NER mention on the tokens it overlaps; an outermost mention
    is missing only when an earlier one of its sentence shares one of its tokens (the projection's loss)."""
    names = iob2_names()
    rows = [json.loads(line) for path in sorted(fmt.DATA_DIR.glob("*/entities.jsonl")) for line in path.open(encoding="utf-8")]
    by_document, lost = {}, {}
    for row in rows:
        for start, end, kind in decode_iob2([names[t] for t in row["ner_tags"]]):
            first = next(e for e in row["entities"] if e["token_start"] == start and e["token_end"] == end and e["type"] == kind)
            by_document.setdefault(row["document_id"], []).append((first["start"], first["end"], kind))
        flat = {(m.start, m.end, m.type) for m in outermost(fmt.ner_mentions(next(d for d in corpus if d.id == row["document_id"])))}
        held: set[int] = set()
        for e in sorted(row["entities"], key=lambda e: (e["start"], e["end"])):
            if (e["start"], e["end"], e["type"]) in flat and e["kind"] == "name":
                tokens = set(range(e["token_start"], e["token_end"]))
                if tokens & held:
                    lost.setdefault(row["document_id"], []).append((e["start"], e["end"], e["type"]))
                held |= tokens
    for doc in corpus:
        expected = sorted((m.start, m.end, m.type) for m in outermost(fmt.ner_mentions(doc)))
        assert expected and sorted(by_document[doc.id] + lost.get(doc.id, [])) == expected
        assert sum(len(r["entities"]) for r in rows if r["document_id"] == doc.id) == len(doc.entities)


def test_each_mention_covers_the_tokens_it_shares_a_character_with(corpus):
    by_id = {doc.id: doc for doc in corpus}
    lines = [line for path in sorted(fmt.DATA_DIR.glob("*/entities.jsonl")) for line in path.open(encoding="utf-8")]
    assert lines
    for line in lines:
        row = json.loads(line)
        tokens = [t for t in by_id[row["document_id"]].tokens if row["start"] <= t.start and t.end <= row["end"]]
        for e in row["entities"]:
            sharing = [i for i, t in enumerate(tokens) if t.start < e["end"] and e["start"] < t.end]
            assert (e["token_start"], e["token_end"]) == (sharing[0], sharing[-1] + 1), (row["id"], e["id"])


# --------------------------------------------------------------------------------------------------
# The projection on hand-made sentences

def projected(text: str, *mentions: tuple[str, str, str]) -> list:
    """The one sentence of ``text`` with NER mentions ``(id, needle, type)``, each at the first
    occurrence of its needle after the previous mention's start."""
    found, at = [], 0
    for mention_id, needle, kind in mentions:
        start = text.index(needle, at)
        found.append(fmt.Mention(mention_id, start, start + len(needle), needle, kind, "name", f"C{mention_id}"))
        at = start
    (sentence,) = sentence_tokens(with_layout(fmt.Document("d", text, {}, entities=tuple(found))))
    return sentence


def test_a_proclitic_stays_inside_the_token_of_its_mention():
    # tokens: زار 0:3, وأذربيجان 4:13, . 13:14; the mention أذربيجان is 5:13, inside the second token,
    # which it shares characters with: that token is B-GPE, and the gold span does not move.
    sentence = projected("زار وأذربيجان.", ("T1", "أذربيجان", "GPE"))
    assert sentence.columns == (("O", "B-GPE", "O"),)
    assert sentence.ranges == ((1, 2),) and (sentence.mentions[0].start, sentence.mentions[0].end) == (5, 13)
    assert projection_stats([with_layout(fmt.Document("d", "زار وأذربيجان.", {}, entities=sentence.mentions))]) == {
        "NER mentions": 1, "NER mentions inside wider tokens": 1,
        "NER mentions lost in the flat IOB2 view": 0, "NER mentions lost in the nested CoNLL view": 0,
    }


def test_two_mentions_inside_one_token_lose_the_second():
    # one token مصرولبنان (0:9) holds مصر 0:3 and لبنان 4:9, both outermost: the first keeps the token
    # (B-GPE), the second is lost in the flat view and so in the nested one: 1 and 1.
    sentence = projected("مصرولبنان", ("T1", "مصر", "GPE"), ("T2", "لبنان", "GPE"))
    assert sentence.columns == (("B-GPE",),)
    assert [(level, m.id) for level, m in sentence.lost] == [(0, "T2")]


def test_a_nested_loss_keeps_the_flat_layer():
    # اتحاد مصرولبنان: ORG 0:15 over both tokens (level 0), then مصر and لبنان (level 1) inside the one
    # token مصرولبنان: level 0 is complete, level 1 keeps مصر and loses لبنان: flat 0 lost, nested 1.
    sentence = projected("اتحاد مصرولبنان", ("T1", "اتحاد مصرولبنان", "ORG"), ("T2", "مصر", "GPE"), ("T3", "لبنان", "GPE"))
    assert sentence.columns == (("B-ORG", "I-ORG"), ("O", "B-GPE"))
    assert [(level, m.id) for level, m in sentence.lost] == [(1, "T3")]
    doc = with_layout(fmt.Document("d", "اتحاد مصرولبنان", {}, entities=sentence.mentions))
    stats = projection_stats([doc])
    assert (stats["NER mentions lost in the flat IOB2 view"], stats["NER mentions lost in the nested CoNLL view"]) == (0, 1)


def test_readme_shows_the_statistics_of_khabar_stats():
    stats = run_khabar("stats")
    assert stats.returncode == 0
    readme = (fmt.ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- stats:start -->\n", 1)[1].split("<!-- stats:end -->", 1)[0]
    assert block == stats.stdout
    corpus_rows = block.split("| corpus |")[1].split("\n\n")[0].splitlines()[2:]
    assert any(row.startswith("| mentions |") for row in corpus_rows)
    assert all(not row.endswith("| 0 |") for row in corpus_rows), "a layer of the whole corpus is empty"


def test_stats_count_each_split_and_the_whole(corpus):
    # two copies of a document, one in dev and one in test: each column counts its own, "all" both
    doc = corpus[0]
    dev = fmt.Document(id="a", text=doc.text, meta={**doc.meta, "split": "dev"}, entities=doc.entities[:3], sentences=doc.sentences)
    test = fmt.Document(id="b", text=doc.text, meta={**doc.meta, "split": "test", "source": "wikinews"}, entities=doc.entities[:1], sentences=doc.sentences)
    from khabar.corpus.stats import stats_by_split, stats_markdown

    columns = stats_by_split([dev, test])
    assert list(columns) == ["dev", "test", "all"]
    assert [columns[c]["corpus"]["mentions"] for c in columns] == [3, 1, 4]
    assert columns["all"]["documents by source"] == {doc.meta["source"]: 1, "wikinews": 1} if doc.meta["source"] != "wikinews" else {"wikinews": 2}
    table = stats_markdown(columns)
    assert "| mentions | 3 | 1 | 4 |" in table.splitlines()
    assert "| sentences | dev | test | all |" not in table and "| corpus | dev | test | all |" in table
    # the entity types of the labels that none of the 3 mentions has are named under the type table,
    # in inventory order; these documents have no events, so all 33 subtypes are named
    used = {m.type for m in dev.entities}
    absent = [t for t in fmt.labels()["entity_types"] if t not in used]
    type_block = table.split("| mentions by type |")[1].split("\n\n| ")[0]
    assert type_block.splitlines()[-1] == f"Never in the corpus ({len(absent)}): " + ", ".join(f"`{t}`" for t in absent) + "."
    assert "Never in the corpus (33): `Life:Be-Born`" in table


def test_each_split_file_holds_the_documents_its_meta_names(corpus):
    for split in fmt.SPLITS:
        path = fmt.split_file("documents", split)
        expected = sorted(doc.id for doc in corpus if doc.meta["split"] == split)
        found = sorted(json.loads(line)["id"] for line in path.open(encoding="utf-8")) if path.exists() else []
        assert found == expected, split


def test_stats_count_values_by_type_per_split():
    from dataclasses import replace

    from values_case import document_json

    from khabar.corpus.stats import stats_by_split, stats_markdown

    doc = fmt.document_from_json(document_json())
    dev = replace(doc, id="a", meta={**doc.meta, "split": "dev"})
    test = replace(doc, id="b", meta={**doc.meta, "split": "test"}, values=doc.values[:1], events=())
    columns = stats_by_split([dev, test])
    assert {split: stats["values by type"] for split, stats in columns.items()} == {
        "dev": {"Crime": 2, "Sentence": 1}, "test": {"Crime": 1}, "all": {"Crime": 3, "Sentence": 1}
    }
    table = stats_markdown(columns).split("| values by type | dev | test | all |\n|---|---:|---:|---:|\n")[1].split("\n\n")[0]
    assert table == "| Crime | 2 | 1 | 3 |\n| Sentence | 1 | 0 | 1 |"
    none = stats_markdown(stats_by_split([replace(dev, values=())]))
    assert "| values by type | dev | all |\n|---|---:|---:|\n| (none) | 0 | 0 |\n" in none
