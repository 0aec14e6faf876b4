"""What maximum matching costs over greedy pairing, where it matters: a corpus in which most entities
overlap two of the other side (nested gold, noisy nested predictions), every schema scored.

Scores the same synthetic corpus twice in one process, with :func:`khabar.scorers.core.maximum_match`
(the scorer's) and with plain greedy pairing put in its place, and prints the best of three times and
the full-credit pairs each finds (maximum matching finds at least as many, on every schema).

Usage: python benchmarks/matching.py [--documents 4000]
"""

from __future__ import annotations

import argparse
import random
import time

from khabar.scorers import core, entities

TYPES = ["PERS", "ORG", "GPE", "LOC", "DATE"]


def nested_document(rng: random.Random, length: int) -> list[tuple[int, int, str]]:
    spans, position = [], 0
    while True:
        position += rng.randint(1, 6)
        if position >= length - 1:
            return spans
        end = min(length, position + rng.randint(1, 8))
        spans.append((position, end, rng.choice(TYPES)))
        if end - position > 2 and rng.random() < 0.3:
            spans.append((position, position + rng.randint(1, end - position - 1), rng.choice(TYPES)))
        position = end


def noisy(rng: random.Random, gold, length: int):
    """Most entities kept, some retyped, many shifted by a character or two, a few dropped or invented."""
    out = []
    for start, end, kind in gold:
        roll = rng.random()
        if roll < 0.5:
            out.append((start, end, kind))
        elif roll < 0.6:
            out.append((start, end, rng.choice(TYPES)))
        elif roll < 0.9:
            new_start = min(length - 1, max(0, start + rng.randint(-2, 2)))
            out.append((new_start, min(length, max(new_start + 1, end + rng.randint(-2, 2))), kind))
    start = rng.randrange(length - 1)
    return out + [(start, min(length, start + rng.randint(1, 5)), rng.choice(TYPES))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=4000)
    args = parser.parse_args()
    rng = random.Random(5)
    gold = {f"d{i:06d}": nested_document(rng, 400) for i in range(args.documents)}
    predicted = {doc: noisy(rng, spans, 400) for doc, spans in gold.items()}
    print(f"{args.documents} documents, {sum(map(len, gold.values()))} gold and {sum(map(len, predicted.values()))} predicted entities, nested")
    pairings = {"maximum": core.maximum_match, "greedy": lambda candidates, grown=None: core.greedy_match(candidates)}
    for name, pairing in pairings.items():
        entities.maximum_match = pairing
        times = []
        for _ in range(3):
            started = time.perf_counter()
            report = entities.score_entity_spans(gold=gold, predictions=predicted, layer="nested", bootstrap=0)
            times.append(time.perf_counter() - started)
        full_credit = ", ".join(f"{m} {report.counts(m).tp}" for m in entities.SCHEMAS)
        print(f"{name:8} best {min(times):.2f} s; full-credit pairs: {full_credit}")
    entities.maximum_match = pairings["maximum"]


if __name__ == "__main__":
    main()
