"""Corpus statistics: counts per layer and label, as printed by ``khabar stats`` and shown in the card."""

from __future__ import annotations

from collections import Counter
from typing import Sequence

from khabar.corpus import format as fmt


SOURCES = ("alalam", "wikinews", "saudinewsnet")


def corpus_stats(documents: Sequence[fmt.Document]) -> dict[str, dict[str, int]]:
    """Section name -> label -> count; labels in inventory order, zero counts left out (except in the
    token projection, whose zeros are the news)."""
    inventory = fmt.labels()
    mentions = [m for d in documents for m in d.entities]
    events = [e for d in documents for e in d.events]
    quotes = [q for d in documents for q in d.quotes]
    values = [v for d in documents for v in d.values]
    roles = Counter(a.role for e in events for a in e.arguments)

    def ordered(counter: Counter, order: Sequence[str]) -> dict[str, int]:
        return {label: counter[label] for label in order if counter[label]}

    return {
        "documents by source": ordered(Counter(d.meta.get("source", "other") for d in documents), (*SOURCES, "other")),
        "corpus": {
            "documents": len(documents),
            "sentences": sum(len(d.sentences) for d in documents),
            "tokens": sum(len(d.tokens) for d in documents),
            "mentions": len(mentions),
            "clusters": sum(len(d.clusters) for d in documents),
            "quotes": len(quotes),
            "events": len(events),
            "event clusters": sum(len({e.coref for e in d.events}) for d in documents),
            "arguments": sum(roles.values()),
        },
        "mentions by type": ordered(Counter(m.type for m in mentions), inventory["entity_types"]),
        "mentions by kind": ordered(Counter(m.kind for m in mentions), inventory["mention_kinds"]),
        "quotes by type": ordered(Counter(q.type for q in quotes), inventory["quote_types"]),
        "events by subtype": ordered(Counter(e.type for e in events), inventory["event_types"]),
        "arguments by role": dict(sorted(roles.items())),
        "values by type": ordered(Counter(v.type for v in values), inventory["value_types"]),
        "token projection": projection_stats(documents),
    }


def projection_stats(documents: Sequence[fmt.Document]) -> dict[str, int]:
    """What projecting the named-entity layer onto the tokens changes (docs/tokenization.md): mentions
    whose tokens hold more characters than the mention (a proclitic, usually), and mentions a tag
    column cannot hold because another mention of their nesting level shares one of their tokens, in
    the flat IOB2 view (``ner_tags``, the flat CoNLL file) and in the nested CoNLL file. Zeros are
    shown: they are the point."""
    from khabar.corpus.build import sentence_tokens

    ner = wider = lost_flat = lost_nested = 0
    for doc in documents:
        layer = {m.id for m in fmt.ner_mentions(doc)}
        for sentence in sentence_tokens(doc):
            for mention, (first, last) in zip(sentence.mentions, sentence.ranges):
                if mention.id in layer:
                    ner += 1
                    wider += first < last and (sentence.tokens[first].start, sentence.tokens[last - 1].end) != (mention.start, mention.end)
            lost_flat += sum(1 for level, _ in sentence.lost if level == 0)
            lost_nested += len(sentence.lost)
    return {
        "NER mentions": ner,
        "NER mentions inside wider tokens": wider,
        "NER mentions lost in the flat IOB2 view": lost_flat,
        "NER mentions lost in the nested CoNLL view": lost_nested,
    }


def stats_by_split(documents: Sequence[fmt.Document]) -> dict[str, dict[str, dict[str, int]]]:
    """``corpus_stats`` of each split that has documents, then of the whole corpus (``all``)."""
    columns = {split: corpus_stats(members) for split, members in fmt.documents_by_split(documents).items()}
    columns["all"] = corpus_stats(documents)
    return columns


def inventories() -> dict[str, tuple[str, ...]]:
    """Section -> every label the schema allows in it, so that a label the gold never uses is named."""
    labels = fmt.labels()
    roles = sorted({role for allowed in labels["event_roles"].values() for role in allowed})
    return {
        "mentions by type": labels["entity_types"],
        "mentions by kind": labels["mention_kinds"],
        "quotes by type": labels["quote_types"],
        "events by subtype": labels["event_types"],
        "arguments by role": tuple(roles),
        "values by type": labels["value_types"],
    }


def stats_markdown(columns: dict[str, dict[str, dict[str, int]]]) -> str:
    """One Markdown table per section, a count column per split and one for the whole corpus; under a
    labelled section, the labels of the inventory that never occur."""
    names = list(columns)
    allowed = inventories()
    blocks = []
    for section, totals in columns["all"].items():
        lines = [f"| {section} | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
        lines += [f"| {label} | " + " | ".join(str(columns[n][section].get(label, 0)) for n in names) + " |" for label in totals]
        if not totals:
            lines.append("| (none) | " + " | ".join("0" for _ in names) + " |")
        absent = [label for label in allowed.get(section, ()) if label not in totals]
        if absent:
            lines += ["", f"Never in the corpus ({len(absent)}): " + ", ".join(f"`{label}`" for label in absent) + "."]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"
