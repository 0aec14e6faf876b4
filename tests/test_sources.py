"""The seed texts and seeds/index.json are what the documented derivation gives from the raw files kept
in seeds/sources/, and the derivation changes nothing but diacritics and white space."""

from __future__ import annotations

import collections
import json
import re

import pytest

from khabar.corpus import format as fmt
from khabar.corpus import sources

from conftest import run_khabar


@pytest.fixture(scope="module")
def seeds() -> list[sources.Seed]:
    return sources.derive()


def test_rerunning_the_derivation_reproduces_every_seed_and_the_index(seeds):
    assert len(seeds) == 99
    assert sources.stale_files(seeds) == []
    result = run_khabar("seeds", "--check")
    assert result.returncode == 0, result.stderr


def test_check_names_a_changed_seed(repo_copy):
    seed = sorted((repo_copy / "seeds").glob("0[1-9]*.txt"))[0]
    seed.write_text(seed.read_text(encoding="utf-8").replace("ال", "ا", 1), encoding="utf-8")
    result = run_khabar("seeds", "--check", root=repo_copy)
    assert result.returncode == 1
    assert result.stderr == f"seeds/{seed.name}: differs from its derivation (run `khabar seeds`)\n"


def test_a_changed_raw_file_is_refused(repo_copy):
    raw = repo_copy / "seeds/sources/saudinewsnet/articles.jsonl"
    raw.write_bytes(raw.read_bytes() + b"\n")
    result = run_khabar("seeds", "--check", root=repo_copy)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith("seeds/sources/saudinewsnet/articles.jsonl: sha256 ")


def test_the_first_article_is_kept_byte_for_byte(seeds):
    first = seeds[0]
    assert first.id == sources.FIRST_ARTICLE
    assert first.text.encode("utf-8") == (fmt.SEEDS_DIR / f"{first.id}.txt").read_bytes()
    assert first.entry["sha256"] == "f36ad5bd6216021b0876f2320bf3705cec6d31ddb3170cfaf3d711f9b1761630"


def _letters(text: str) -> str:
    """Everything that is not white space: what the derivation must never change."""
    return re.sub(r"\s", "", text)


def test_wikinews_texts_keep_every_letter_of_their_lines_without_diacritics(seeds):
    lines = sources.WIKINEWS_FILE.read_text(encoding="utf-8").split("\n")
    wikinews = [s for s in seeds if s.entry["source"] == "wikinews"]
    assert len(wikinews) == 70
    assert collections.Counter(s.entry["topic"] for s in wikinews) == {topic: 10 for topic in sources.WIKINEWS_TOPICS.values()}
    for seed in wikinews:
        first, last = map(int, seed.entry["derived_from"]["lines"].split("-"))
        raw = "".join(line for line in lines[first - 1 : last] if not line.startswith("#"))
        assert _letters(seed.text) == _letters(re.sub("[\u064b-\u0652]", "", raw)), seed.id
        assert not re.search("[\u064b-\u0652]", seed.text)
        assert seed.text.split("\n")[0] == seed.entry["title"] == re.sub("[\u064b-\u0652]", "", lines[first - 1]).strip()
        assert all(line and line == line.strip() for line in seed.text.split("\n")), seed.id


def test_saudinewsnet_texts_are_title_and_content_with_only_white_space_changed(seeds):
    records = [json.loads(line) for line in sources.SAUDINEWSNET_FILE.read_text(encoding="utf-8").splitlines()]
    saudi = [s for s in seeds if s.entry["source"] == "saudinewsnet"]
    assert len(saudi) == len(records) == 28
    for seed, record in zip(saudi, records):
        assert _letters(seed.text) == _letters(record["title"] + record["content"]), seed.id
        assert "\xa0" not in seed.text and "\n\n" not in seed.text
        assert seed.entry["url"] == record["url"] and seed.entry["date_extracted"] == record["date_extracted"]
        assert seed.entry["publisher"] == sources.SAUDINEWSNET_OUTLETS[record["source"]]
    assert collections.Counter(s.entry["publisher_id"] for s in saudi) == {outlet: 2 for outlet in sources.SAUDINEWSNET_OUTLETS}


def test_paragraphs_break_at_no_break_spaces_and_blank_lines_only():
    assert sources.paragraphs(" أ ب.\xa0 ج د.\n \n\n  هـ  و\n") == ["أ ب.", "ج د.", "هـ  و"]


def test_ids_are_a_serial_and_the_text_digest(seeds):
    assert [s.id[:3] for s in seeds] == [f"{n:03d}" for n in range(99)]
    for seed in seeds[1:]:
        assert seed.id == sources.text_id(int(seed.id[:3]), seed.text)
        assert seed.entry["sha256"].startswith(seed.id[4:])


def test_splits_are_stratified_with_about_a_fifth_in_dev(seeds):
    split = {s.id: s.entry["split"] for s in seeds}
    assert split[sources.FIRST_ARTICLE] == "dev"
    dev = [s for s in seeds if s.entry["split"] == "dev"]
    assert len(dev) == 21 and set(split.values()) == {"dev", "test"}
    per_topic = collections.Counter(s.entry["topic"] for s in dev if s.entry["source"] == "wikinews")
    assert per_topic == {topic: sources.DEV_PER_WIKINEWS_TOPIC for topic in sources.WIKINEWS_TOPICS.values()}
    per_outlet = collections.Counter(s.entry["publisher_id"] for s in dev if s.entry["source"] == "saudinewsnet")
    assert len(per_outlet) == sources.SAUDINEWSNET_DEV_OUTLETS and set(per_outlet.values()) == {1}


def test_splits_depend_on_the_ids_alone(seeds):
    # the same articles in another order get the same splits
    assert sources.assign_splits(seeds[::-1]) == sources.assign_splits(seeds)


def test_every_entry_names_its_source_terms_and_split(seeds):
    for seed in seeds:
        entry = seed.entry
        assert entry["licence"]["text"] and entry["licence"]["annotations"] and entry["licence"]["attribution"]
        assert entry["split"] in fmt.SPLITS and entry["language"] == "ar"
        assert (fmt.ROOT / entry["file"]).is_file()
    terms = {s.entry["source"]: (s.entry["licence"]["text"], s.entry["licence"]["annotations"]) for s in seeds}
    assert terms == {
        "alalam": ("LicenseRef-publisher-copyright", "CC-BY-4.0"),
        "wikinews": ("CC-BY-2.5", "CC-BY-4.0"),
        "saudinewsnet": ("CC-BY-NC-SA-4.0", "CC-BY-NC-SA-4.0"),
    }
