"""The cost bound of entity matching on adversarial predictions: long spans overlapping most gold mentions.

A submission of N long predicted entities, each covering most of its document, overlaps every gold
mention it covers: N x (gold mentions) candidate pairs, which the matching would sort and walk, in
quadratic time and memory (issue 16: 50,000 such entities took 28 s and 1.76 GB). The scorer counts the
candidate pairs before building any (``khabar.scorers.core.overlapping_index_pairs``) and refuses a
submission past ``PAIRS_PER_ITEM`` pairs a span (beyond a fixed allowance) with one line naming the file.

For each N this script writes such a submission over this checkout's gold corpus (every split; the long
spans spread over the documents in turn), runs ``khabar score --task entities --layer nested --bootstrap 0`` on it in a
fresh process and prints the wall time, the peak memory (max RSS) and the outcome: scored (exit 0) or
refused (exit 2, the first line of the error). Near-linear: time and memory grow no faster than N.
A last row scores N short entities (one gold-sized span each) for comparison.

Usage: python benchmarks/overlap_bound.py [--sizes 500,5000,50000,100000] [--short 100000]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _gold() -> list[dict]:
    documents = []
    for split in ("dev", "test"):
        path = ROOT / "corpus" / "data" / split / "documents.jsonl"
        documents += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return documents


def _long_entities(documents: list[dict], n: int) -> list[dict]:
    """N distinct long spans, document by document in turn: starts in the first tenth of the text, ends
    in the last tenth, so that each covers most of its document's mentions."""
    per_doc: dict[str, list[dict]] = {doc["id"]: [] for doc in documents}
    for i in range(n):
        doc = documents[i % len(documents)]
        size, k = len(doc["text"]), i // len(documents)
        reach = max(size // 10, 1)
        start, end = k % reach, size - (k // reach) % reach
        per_doc[doc["id"]].append({"start": start, "end": max(end, start + 1), "type": "PERS"})
    return [{"id": doc_id, "entities": entities} for doc_id, entities in per_doc.items()]


def _short_entities(documents: list[dict], n: int) -> list[dict]:
    """N distinct short spans (one character, then two, ...), spread over the documents' characters."""
    per_doc: dict[str, list[dict]] = {doc["id"]: [] for doc in documents}
    for i in range(n):
        doc = documents[i % len(documents)]
        k, size = i // len(documents), len(doc["text"])
        start = k % size
        per_doc[doc["id"]].append({"start": start, "end": min(start + 1 + k // size, size), "type": "PERS"})
    return [{"id": doc_id, "entities": entities} for doc_id, entities in per_doc.items()]


def _run(records: list[dict], workdir: Path, name: str) -> tuple[float, float, int, str, int]:
    path = workdir / f"{name}.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    command = [sys.executable, "-m", "khabar.corpus.cli", "score", str(path), "--split", "all", "--task", "entities", "--layer", "nested", "--bootstrap", "0"]
    with open(workdir / "out", "w") as out, open(workdir / "err", "w") as err:
        before = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - before
    stderr = (workdir / "err").read_text(encoding="utf-8")
    first = stderr.splitlines()[0] if stderr.strip() else ""
    return seconds, usage.ru_maxrss / 1024, path.stat().st_size, first, os.waitstatus_to_exitcode(status)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="500,5000,50000,100000", help="numbers of long predicted entities")
    parser.add_argument("--short", type=int, default=100_000, help="number of short entities of the last row (0: none)")
    args = parser.parse_args()
    documents = _gold()
    mentions = sum(len(doc["entities"]) for doc in documents)
    print(f"gold: {len(documents)} documents, {mentions} mentions (this checkout's corpus, every split)")
    print(f"{'case':>28}  {'file MB':>8}  {'seconds':>8}  {'peak MB':>8}  outcome")
    with tempfile.TemporaryDirectory() as tmp:
        cases = [(f"{int(n):,} long entities", _long_entities, int(n)) for n in args.sizes.split(",")]
        if args.short:
            cases.append((f"{args.short:,} short entities", _short_entities, args.short))
        for number, (label, make, n) in enumerate(cases):
            # made just before its run: the peak memory of a child counts what it was forked from
            seconds, peak, size, first, code = _run(make(documents, n), Path(tmp), f"case{number}")
            outcome = "scored" if code == 0 else f"refused (exit {code}): {first.split(': ', 1)[-1][:110]}"
            print(f"{label:>28}  {size / 1e6:8.2f}  {seconds:8.2f}  {peak:8.0f}  {outcome}")


if __name__ == "__main__":
    main()
