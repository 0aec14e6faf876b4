"""The Hugging Face dataset card's front matter: configs, features and split sizes.

README.md is the dataset card. Its YAML front matter is generated here by ``khabar build`` (the prose
below it is written by hand), so that the declared features always match the built files and the split
sizes change whenever a data file does (``datasets`` would otherwise serve a stale cache).
"""

from __future__ import annotations

from typing import Any, Mapping

import yaml

from khabar.corpus import format as fmt


CARD_METADATA: dict[str, Any] = {
    "pretty_name": "Khabar",
    "language": ["ar"],
    "license": "other",
    "license_name": "khabar-mixed",
    "license_link": "LICENSE",
    "task_categories": ["token-classification"],
    "task_ids": ["named-entity-recognition"],
    "tags": ["arabic", "news", "named-entity-recognition", "nested-ner", "quotation-attribution", "event-extraction", "ace2005", "wojood"],
    "size_categories": ["n<1K"],
    "annotations_creators": ["expert-generated"],
    "language_creators": ["found"],
    "multilinguality": ["monolingual"],
    "source_datasets": ["original"],
}


def features() -> dict[str, Any]:
    """The ``datasets.Features`` of each config, in config order. They do not depend on the data: a
    documents row without ``values`` (the optional layer) loads with ``values`` null, an argument
    without ``value`` with it null."""
    import datasets
    from datasets import ClassLabel, List, Value

    from khabar.corpus.build import iob2_names

    string, int32 = Value("string"), Value("int32")
    bare = {"start": int32, "end": int32}
    span = {"start": int32, "end": int32, "text": string}
    attributes = {name: string for name in ("modality", "polarity", "genericity", "tense")}
    return {
        "documents": datasets.Features(
            {
                "id": string,
                "text": string,
                "meta": {
                    **{key: string for key, _ in fmt.META_FROM_INDEX if key != "licence"},
                    "licence": {key: string for key in ("text", "annotations", "attribution")},
                },
                "sentences": List(bare),
                "tokens": List(bare),
                "clusters": List({"id": string, "type": string, "canonical": string}),
                "entities": List({"id": string, **span, "type": string, "kind": string, "entity": string}),
                "values": List({"id": string, "type": string, **span}),
                "quotes": List({"id": string, "type": string, "content": span, "cue": span, "source": string, "speaker": string}),
                "events": List(
                    {
                        "id": string,
                        "type": string,
                        "trigger": span,
                        "arguments": List({"role": string, "mention": string, "value": string}),
                        **attributes,
                        "coref": string,
                    }
                ),
            }
        ),
        "entities": datasets.Features(
            {
                "id": string,
                "document_id": string,
                "sentence": int32,
                "start": int32,
                "end": int32,
                "tokens": List(string),
                "ner_tags": List(ClassLabel(names=iob2_names())),
                "entities": List(
                    {
                        "id": string,
                        "start": int32,
                        "end": int32,
                        "token_start": int32,
                        "token_end": int32,
                        "text": string,
                        "type": string,
                        "kind": string,
                        "entity": string,
                    }
                ),
            }
        ),
        "quotes": datasets.Features(
            {
                "id": string,
                "text": string,
                "quotes": List(
                    {
                        "id": string,
                        "type": string,
                        "content": span,
                        "cue": span,
                        "source": span,
                        "speaker": string,
                        "speaker_name": string,
                    }
                ),
            }
        ),
        "events": datasets.Features(
            {
                "id": string,
                "text": string,
                "events": List(
                    {
                        "id": string,
                        "type": string,
                        "trigger": span,
                        "arguments": List({"role": string, **span, "entity": string}),
                        **attributes,
                        "coref": string,
                    }
                ),
            }
        ),
    }


def front_matter(manifest: Mapping[str, Any]) -> str:
    from datasets import DatasetInfo, SplitDict, SplitInfo

    infos, configs = [], []
    for name, feats in features().items():
        present = [split for split in fmt.SPLITS if f"{split}/{name}.jsonl" in manifest["files"]]
        splits = SplitDict()
        for split in present:
            stats = manifest["files"][f"{split}/{name}.jsonl"]
            splits.add(SplitInfo(name=split, num_bytes=stats["bytes"], num_examples=stats["rows"]))
        infos.append({"config_name": name, **DatasetInfo(features=feats, splits=splits)._to_yaml_dict()})
        config = {"config_name": name, "data_files": [{"split": split, "path": f"corpus/data/{split}/{name}.jsonl"} for split in present]}
        if name == "documents":
            config["default"] = True
        configs.append(config)
    metadata = {**CARD_METADATA, "configs": configs, "dataset_info": infos}
    return yaml.safe_dump(metadata, sort_keys=False, allow_unicode=True, width=1000)


def replace_block(text: str, name: str, content: str) -> str:
    """Replace what stands between ``<!-- NAME:start -->`` and ``<!-- NAME:end -->`` (markers kept);
    a text without the markers is returned unchanged."""
    start, end = f"<!-- {name}:start -->\n", f"<!-- {name}:end -->"
    head, found, rest = text.partition(start)
    if not found or end not in rest:
        return text
    return head + start + content + end + rest.split(end, 1)[1]


def with_front_matter(readme: str, matter: str) -> str:
    """README text with its front matter replaced (or added)."""
    body = readme
    if readme.startswith("---\n"):
        end = readme.find("\n---\n", 4)
        body = readme[end + 5 :] if end != -1 else readme
    return f"---\n{matter}---\n{body}"
