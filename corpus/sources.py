"""The seed texts of Khabar's Wikinews and SaudiNewsNet articles, derived from the raw files in seeds/sources/.

The raw files are kept exactly as their corpora give them (their sha256 is checked before use); each seed
text is derived from them by a fixed rule that changes only Arabic diacritics and white space
(``docs/sources.md``). ``khabar seeds --check`` reruns the derivation and compares every seed and index
entry byte for byte, so the texts can always be traced back to their sources.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from khabar.corpus import format as fmt

SOURCES_DIR = fmt.SEEDS_DIR / "sources"
WIKINEWS_FILE = SOURCES_DIR / "wikinews" / "WikiNewsTruth.txt"
SAUDINEWSNET_FILE = SOURCES_DIR / "saudinewsnet" / "articles.jsonl"
RAW_SHA256 = {
    WIKINEWS_FILE: "179718bbc88b348a22a9e925c49ce3b898d725682b6ab2539eb521d6f21319a1",
    SAUDINEWSNET_FILE: "3702d0a9246045f2ff5fd0de000597567c598f9da93a617be29fc588e1e08099",
}
"""The raw files as they were copied in; a derivation from anything else is refused."""

FIRST_ARTICLE = "000_0d083f3321f654a4"
"""Release 0.1's article: its text, id and metadata predate this derivation and stay as they are."""

DIACRITICS = re.compile("[\u064b-\u0652]")
"""Tanwin, harakat, shadda and sukun: QCRI's added vocalisation, absent from the published articles."""

WIKINEWS_TOPICS = {
    "ثقافة": "culture",
    "صحة": "health",
    "سياسة": "politics",
    "علوم": "science and technology",
    "رياضة": "sport",
    "فن": "art",
    "اقتصاد": "economy",
}
"""The topic lines (``# <topic>``) of WikiNewsTruth.txt, undiacritized, with their English names."""

WIKINEWS_HEADLINES = (
    2, 4, 13, 20, 25, 29, 31, 37, 44, 49,
    57, 62, 77, 83, 87, 92, 97, 102, 107, 111,
    117, 120, 122, 131, 140, 145, 152, 156, 158, 162,
    166, 176, 179, 185, 190, 200, 206, 213, 218, 224,
    230, 234, 241, 246, 254, 259, 263, 265, 267, 276,
    288, 291, 294, 300, 313, 319, 323, 327, 332, 354,
    357, 364, 372, 383, 388, 394, 399, 406, 411, 417,
)
"""The 1-based line numbers of the 70 headlines, chosen by reading the file: it marks topics but not
articles. Every other non-blank line is a paragraph of the article above it; this includes lines that
look like headlines but are not: quoted speech ending in a quotation mark (health, lines 69-73), a
sentence ending in a colon (art, line 303), and the three sub-headings of the Algerian league report
(sport, lines 269, 272 and 274)."""

SAUDINEWSNET_OUTLETS = {
    "3alyoum": "Ain Alyoum",
    "aawsat": "Al-Sharq Al-Awsat",
    "aleqtisadiya": "Al-Eqtisadiya",
    "aljazirah": "Al-Jazirah",
    "almadina": "Al-Madina",
    "alriyadh": "Al-Riyadh",
    "alwatan": "Al-Watan",
    "alweeam": "Al-Weeam",
    "alyaum": "Al-Yaum",
    "arreyadi": "Arreyadi",
    "arriyadiyah": "Arriyadiyah",
    "okaz": "Okaz",
    "sabq": "Sabq",
    "was": "Saudi Press Agency",
}
"""SaudiNewsNet's ``source`` identifiers and the newspapers they name (its README's table)."""

LICENCES = {
    "alalam": {
        "text": "LicenseRef-publisher-copyright",
        "annotations": "CC-BY-4.0",
        "attribution": "Text © Al-Alam News Network, redistributed unmodified for non-commercial research; annotations © Khabar developers, CC BY 4.0",
    },
    "wikinews": {
        "text": "CC-BY-2.5",
        "annotations": "CC-BY-4.0",
        "attribution": "Text from Arabic Wikinews, «{title}», CC BY 2.5 (diacritized by QCRI, diacritics removed by Khabar); annotations © Khabar developers, CC BY 4.0",
    },
    "saudinewsnet": {
        "text": "CC-BY-NC-SA-4.0",
        "annotations": "CC-BY-NC-SA-4.0",
        "attribution": "Text © {publisher}, from SaudiNewsNet (M. Alhagri, 2015), CC BY-NC-SA 4.0 for open scientific research only; annotations © Khabar developers, CC BY-NC-SA 4.0",
    },
}
"""Per source: the SPDX identifiers of the text's and the annotations' terms, and the attribution line
those terms ask for. SaudiNewsNet's ShareAlike term reaches the annotations of its articles."""

SPLIT_SEED = "khabar-0.2-splits"
DEV_PER_WIKINEWS_TOPIC = 2
SAUDINEWSNET_DEV_OUTLETS = 6
"""With the first article: 1 + 7 x 2 + 6 = 21 of 99 articles in dev (21%)."""


@dataclass(frozen=True)
class Seed:
    """One derived article: its id, its text and its seeds/index.json entry."""

    id: str
    text: str
    entry: dict[str, Any]


def strip_diacritics(line: str) -> str:
    return DIACRITICS.sub("", line)


def paragraphs(content: str) -> list[str]:
    """SaudiNewsNet content as paragraphs: a no-break space or a line break ends a paragraph, lines are
    trimmed and blank ones dropped. Nothing but white space changes."""
    return [line.strip() for line in content.replace("\xa0", "\n").split("\n") if line.strip()]


def text_id(serial: int, text: str) -> str:
    """``NNN_`` + the first 16 hex digits of the text's sha256: a serial number that orders the corpus and
    a digest that pins the text."""
    return f"{serial:03d}_{_sha256(text)[:16]}"


def _raw_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != RAW_SHA256[path]:
        raise fmt.InputError(f"{fmt.display_path(path)}: sha256 {digest} is not the recorded {RAW_SHA256[path]} (the raw file changed)")
    return data


def wikinews_seeds(first_serial: int) -> list[Seed]:
    lines = _raw_bytes(WIKINEWS_FILE).decode("utf-8").split("\n")
    relative = str(WIKINEWS_FILE.relative_to(fmt.ROOT))
    topic_of_line, topic = {}, None
    for number, line in enumerate(lines, 1):
        if line.startswith("#"):
            topic = strip_diacritics(line[1:]).strip()
        topic_of_line[number] = topic
    ends = [*WIKINEWS_HEADLINES[1:], len(lines) + 1]
    seeds = []
    for k, (head, end) in enumerate(zip(WIKINEWS_HEADLINES, ends)):
        block = [n for n in range(head, end) if lines[n - 1].strip() and not lines[n - 1].startswith("#")]
        text = "\n".join(strip_diacritics(lines[n - 1]).strip() for n in block)
        title = text.split("\n", 1)[0]
        topic = topic_of_line[head]
        serial = first_serial + k
        doc_id = text_id(serial, text)
        seeds.append(
            Seed(
                doc_id,
                text,
                {
                    "id": doc_id,
                    "file": f"seeds/{doc_id}.txt",
                    "sha256": _sha256(text),
                    "source": "wikinews",
                    "publisher": "Arabic Wikinews",
                    "title": title,
                    "topic": WIKINEWS_TOPICS[topic],
                    "topic_as_printed": topic,
                    "language": "ar",
                    "licence": _licence("wikinews", title=title),
                    "derived_from": {"file": relative, "lines": f"{block[0]}-{block[-1]}"},
                },
            )
        )
    return seeds


def saudinewsnet_seeds(first_serial: int) -> list[Seed]:
    relative = str(SAUDINEWSNET_FILE.relative_to(fmt.ROOT))
    records = [json.loads(line) for line in _raw_bytes(SAUDINEWSNET_FILE).decode("utf-8").splitlines()]
    seeds = []
    for k, record in enumerate(records):
        title = record["title"].strip()
        text = "\n".join([title, *paragraphs(record["content"])])
        doc_id = text_id(first_serial + k, text)
        publisher = SAUDINEWSNET_OUTLETS[record["source"]]
        entry = {
            "id": doc_id,
            "file": f"seeds/{doc_id}.txt",
            "sha256": _sha256(text),
            "source": "saudinewsnet",
            "publisher": publisher,
            "publisher_id": record["source"],
            "title": title,
            "url": record["url"],
            "date_extracted": record["date_extracted"],
            "language": "ar",
            "licence": _licence("saudinewsnet", publisher=publisher),
            "derived_from": {"file": relative, "line": k + 1, "dataset_file": record["dataset_file"]},
        }
        if record["author"].strip():
            entry["author_as_printed"] = record["author"].strip()
        seeds.append(Seed(doc_id, text, entry))
    return seeds


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _licence(source: str, **fields: str) -> dict[str, str]:
    terms = dict(LICENCES[source])
    terms["attribution"] = terms["attribution"].format(**fields)
    return terms


def _rank(*parts: str) -> str:
    return hashlib.sha256(":".join((SPLIT_SEED, *parts)).encode("utf-8")).hexdigest()


def assign_splits(seeds: Iterable[Seed]) -> dict[str, str]:
    """The fixed dev/test split: stratified by source and by topic or newspaper, ranked by a seeded hash
    of the id so that it depends on nothing but the ids. The first article is dev: the guidelines use its
    cases as their examples."""
    seeds = list(seeds)
    split = {seed.id: "test" for seed in seeds}
    split[FIRST_ARTICLE] = "dev"
    by_stratum: dict[tuple[str, str], list[str]] = {}
    for seed in seeds:
        if seed.entry["source"] == "wikinews":
            by_stratum.setdefault(("wikinews", seed.entry["topic"]), []).append(seed.id)
        elif seed.entry["source"] == "saudinewsnet":
            by_stratum.setdefault(("saudinewsnet", seed.entry["publisher_id"]), []).append(seed.id)
    for (source, stratum), ids in by_stratum.items():
        if source == "wikinews":
            for doc_id in sorted(ids, key=lambda i: _rank(i))[:DEV_PER_WIKINEWS_TOPIC]:
                split[doc_id] = "dev"
    outlets = sorted({s for src, s in by_stratum if src == "saudinewsnet"}, key=lambda s: _rank(s))
    for outlet in outlets[:SAUDINEWSNET_DEV_OUTLETS]:
        split[min(by_stratum[("saudinewsnet", outlet)], key=lambda i: _rank(i))] = "dev"
    return split


def derive() -> list[Seed]:
    """Every seed of the corpus in id order, the first article as it stands, each entry with its split."""
    first = fmt.seed_index()[FIRST_ARTICLE]
    text = (fmt.ROOT / first["file"]).read_bytes().decode("utf-8")
    wikinews = wikinews_seeds(1)
    seeds = [Seed(FIRST_ARTICLE, text, _first_entry(first, text)), *wikinews, *saudinewsnet_seeds(1 + len(wikinews))]
    split = assign_splits(seeds)
    return [Seed(s.id, s.text, {**s.entry, "split": split[s.id]}) for s in seeds]


def _first_entry(entry: dict[str, Any], text: str) -> dict[str, Any]:
    keys = ("id", "file", "sha256", "source", "publisher", "publisher_as_printed", "title", "published", "published_as_printed", "language", "licence")
    derived = {**entry, "source": "alalam", "title": entry.get("title") or text.split("\n", 1)[0], "licence": _licence("alalam")}
    return {key: derived[key] for key in keys}


INDEX_COMMENT = (
    "Metadata of every source article, as its source states it; nothing here is invented. "
    "Written by `khabar seeds` (corpus/sources.py, docs/sources.md); `khabar seeds --check` verifies it."
)


def index_json(seeds: Iterable[Seed]) -> str:
    return json.dumps({"$comment": INDEX_COMMENT, "documents": [s.entry for s in seeds]}, ensure_ascii=False, indent=2) + "\n"


def stale_files(seeds: list[Seed]) -> list[tuple[Path, bytes]]:
    """The seed files and index that differ from what the derivation gives, with the bytes they should hold."""
    wanted = [(fmt.ROOT / s.entry["file"], s.text.encode("utf-8")) for s in seeds]
    wanted.append((fmt.SEED_INDEX, index_json(seeds).encode("utf-8")))
    return [(path, data) for path, data in wanted if not path.is_file() or path.read_bytes() != data]


def seeds_command(args: argparse.Namespace) -> int:
    seeds = derive()
    stale = stale_files(seeds)
    if args.check:
        for path, _ in stale:
            print(f"{fmt.display_path(path)}: differs from its derivation (run `khabar seeds`)", file=sys.stderr)
        if not stale:
            print(f"{len(seeds)} seeds and seeds/index.json match their derivation")
        return 1 if stale else 0
    for path, data in stale:
        path.write_bytes(data)
        print(f"wrote {fmt.display_path(path)}")
    if not stale:
        print("seeds were already up to date")
    return 0


def register(subparsers) -> None:
    from khabar.corpus.cli import add_command

    p = add_command(
        subparsers,
        "seeds",
        help="derive seeds/<id>.txt and seeds/index.json from the raw source files in seeds/sources/",
        example="khabar seeds --check",
        description="Derive every Wikinews and SaudiNewsNet seed text and the whole seeds/index.json (ids, "
        "metadata, licences, dev/test splits) from the raw files in seeds/sources/, by the rule of docs/sources.md. "
        "The first article is kept as it is.",
    )
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 naming every file that differs from its derivation")
    p.set_defaults(func=seeds_command)
