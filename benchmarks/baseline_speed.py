"""Throughput of each baseline on a large synthetic Arabic news-like input, streaming, on one core.

    python benchmarks/baseline_speed.py [--tokens 1000000] [--seed 13]

The input is generated here, deterministically, from a small grammar of news sentences (reporting
verbs, titles, names, countries, cities, dates, numbers, event words) and a Zipf-distributed
vocabulary of made-up words, so that the token mix and the share of unseen words look like news rather
than a repeated sentence. Documents of about 300 tokens are processed one at a time, their predictions
serialised and dropped, as ``khabar baseline run`` does. Prints tokens per second for the tokenizer (the
floor), for the entity layer alone (the goal: at least 100,000 tokens/s per core for the rules tagger)
and for each full baseline (``crf`` has the entity layer only). One untimed pass first fills the memo of
token readings, as the first part of any long stream does, and each baseline runs once untimed (which
loads the crf model).
"""

from __future__ import annotations

import argparse
import itertools
import random
import time
from typing import Callable

from khabar.baselines import BASELINES
from khabar.baselines.arabic import Tokens
from khabar.baselines.entities import tag_gazetteer, tag_rules
from khabar.corpus.format import dumps_line
from khabar.corpus.tokenize import tokenize

CUES = ["قال", "وقال", "أكد", "وأكد", "أشار", "أضاف", "أعلن", "وأوضح", "صرح", "شدد"]
TITLES = ["الرئيس", "وزير الخارجية", "رئيس الوزراء", "المتحدث باسم الحكومة", "السفير", "وزير الدفاع", "الأمين العام"]
NISBAS = ["الفرنسي", "الروسي", "المصري", "التركي", "الصيني", "الأمريكي", "الياباني", "البرازيلي", "الكندي"]
FIRST = ["أحمد", "محمد", "علي", "سامي", "ليلى", "كريم", "يوسف", "هالة", "نادر", "سلمى", "جون", "ماريا"]
LAST = ["حداد", "الخطيب", "منصور", "سالم", "نصار", "عيسى", "سميث", "بيرنار", "يلدز", "تشانغ"]
PLACES = ["باريس", "القاهرة", "موسكو", "أنقرة", "بكين", "طوكيو", "البرازيل", "كندا", "المكسيك", "الهند", "إسبانيا"]
WEEKDAYS = ["الأحد", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت"]
MONTHS = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "تموز", "آب", "أيلول", "تشرين الأول"]
EVENTS = ["زيارة", "زار", "اجتماع", "التقى", "محادثات", "هجوم", "قصف", "مظاهرة", "انتخابات", "اعتقال"]
ORGS = ["وزارة الخارجية", "منظمة الصحة العالمية", "الأمم المتحدة", "حركة السلام", "مجلس الأمن"]
FUNCTION = ["في", "من", "إلى", "على", "عن", "مع", "أن", "الذي", "التي", "هذا", "كما", "بعد", "قبل", "خلال", "و"]
LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهويةءأإ"


def _made_up_vocabulary(rng: random.Random, size: int) -> list[str]:
    words = set()
    while len(words) < size:
        stem = "".join(rng.choice(LETTERS) for _ in range(rng.randint(3, 7)))
        words.add(rng.choice(["", "", "ال", "و", "وال", "ب", "لل"]) + stem)
    return sorted(words)


def _sentence(rng: random.Random, vocabulary: list[str], cumulative: list[float]) -> str:
    def filler(n: int) -> str:
        picked = rng.choices(vocabulary, cum_weights=cumulative, k=n)
        return " ".join(w if rng.random() > 0.25 else rng.choice(FUNCTION) for w in picked)

    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    date = f"يوم {rng.choice(WEEKDAYS)} {rng.randint(1, 28)} {rng.choice(MONTHS)} {rng.randint(1990, 2030)}"
    templates = [
        f"{rng.choice(CUES)} {rng.choice(TITLES)} {rng.choice(NISBAS)} {name} أن {rng.choice(PLACES)} {filler(8)}.",
        f"{rng.choice(CUES)} {rng.choice(ORGS)} في بيان: «{filler(10)}».",
        f"{rng.choice(EVENTS)} {name} {filler(3)} في {rng.choice(PLACES)} {date} {filler(5)}.",
        f"{filler(6)} {rng.randint(2, 900)} مليون دولار {filler(4)} {rng.randint(1, 99)} في المئة.",
        f"{filler(12)} الساعة {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d} {filler(4)}، {filler(6)}.",
        f"{filler(rng.randint(8, 20))}.",
    ]
    return rng.choice(templates)


def synthetic_documents(total_tokens: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    vocabulary = _made_up_vocabulary(rng, 40_000)
    cumulative = list(itertools.accumulate(1.0 / rank for rank in range(1, len(vocabulary) + 1)))
    documents, count = [], 0
    while count < total_tokens:
        text = "\n".join(_sentence(rng, vocabulary, cumulative) for _ in range(rng.randint(12, 20)))
        documents.append(text)
        count += len(tokenize(text))
    return documents


def _rate(documents: list[str], tokens: int, run: Callable[[str], object]) -> tuple[float, float]:
    start = time.perf_counter()
    for text in documents:
        dumps_line(run(text))
    seconds = time.perf_counter() - start
    return tokens / seconds, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tokens", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()

    documents = synthetic_documents(args.tokens, args.seed)
    tokens = sum(len(tokenize(text)) for text in documents)
    print(f"input: {len(documents)} documents, {tokens} tokens, {sum(map(len, documents))} characters (seed {args.seed})")
    for text in documents:
        Tokens.of(text)
    layers = {name: ", ".join(baseline.predict(documents[0])) for name, baseline in BASELINES.items()}
    print("(each token's readings are memoised and the crf model loaded: the timings below are for a warm cache, the steady state of a long stream)")
    runs: list[tuple[str, Callable[[str], object]]] = [
        ("tokenize only (floor)", tokenize),
        ("entities: gazetteer", lambda text: tag_gazetteer(Tokens.of(text))),
        ("entities: rules", lambda text: tag_rules(Tokens.of(text))),
        *((f"baseline {name} ({layers[name]})", baseline.predict) for name, baseline in sorted(BASELINES.items())),
    ]
    for label, run in runs:
        rate, seconds = _rate(documents, tokens, run)
        print(f"{label:<44} {rate:>12,.0f} tokens/s  ({seconds:.2f} s)")


if __name__ == "__main__":
    main()
