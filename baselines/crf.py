"""The learned entity baseline: a linear-chain CRF over word features, trained on the WojoodNER sample.

**Data.** ``baselines/wojood/train.txt`` (its README: provenance, licence, format). The target is the
outermost layer (the first tag column); the ``$#$`` segment marks are dropped. Each sentence's words are
joined with spaces and tokenized by Khabar's tokenizer, a word that splits into several tokens giving
its tag to the first and ``I-`` to the others, so that training sees the tokens that tagging a text
sees. ``val.txt`` is never read by training: ``benchmarks/crf_wojood.py`` reports on it.

**Features** of a token (:func:`sentence_features`), all on matching keys (:mod:`khabar.baselines.arabic`):
the word; its first and last one to three letters; every clitic-stripped form (the word without
proclitics و ف ب ل ك, and without the article ال); its shape (letters, digits and punctuation in
classes, runs collapsed) and length; whether it is a number and of how many digits; the word, stripped
form and shape of the tokens one and two either side (or the sentence's start and end), and the
previous word with this one; and the gazetteer of the ``rules`` baseline
(:func:`khabar.baselines.entities.gazetteer`): the ``B-``/``I-`` type of the longest gazetteer match
covering this token and each neighbour.

**Model.** CRFsuite through python-crfsuite (pinned in ``pyproject.toml``), L-BFGS with the parameters
in ``PARAMS``. L-BFGS draws no random number and the items are built in file order from lists, never
sets, so training is deterministic: the same items, parameters and library version give the same model
file, byte for byte, whatever ``PYTHONHASHSEED`` is.

**Cache.** A trained model is kept as ``.cache/crf/<key>.crfsuite`` under the checkout (git-ignored),
where the key is the sha256 of the library version, the parameters and every training item (features
and tags). Any change to the data, the feature code, the lexicons or the library gives a new key, so a
cached model is always the model training would give: the cache saves time and changes no output.

**Spans.** Tags are decoded per sentence as strict IOB2 (seqeval's ``mode="strict"``: a chunk opens
at ``B-X`` and goes on over ``I-X``; a stray ``I-X`` is dropped), and a chunk covers its tokens. Wojood
tags whole words, Khabar keeps the proclitics و ف ب ل ك outside a span (``docs/guidelines.md``,
section 0), so a chunk starts after the longest proclitic whose remainder is a known first word of an
entity (a training mention's or a gazetteer name's) or begins with the article (``وبالعراق`` gives
``العراق``, ``ولبنان`` gives ``لبنان``, ``للأمم`` gives ``لأمم``); otherwise the word is taken whole
(``بلدية``, ``وزير``).
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import importlib.metadata
import json
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Sequence

import pycrfsuite

from khabar.baselines.arabic import Tokens
from khabar.baselines.entities import gazetteer
from khabar.corpus import format as fmt

WOJOOD_DIR = Path(__file__).resolve().parent / "wojood"
TRAIN_FILE = WOJOOD_DIR / "train.txt"
VAL_FILE = WOJOOD_DIR / "val.txt"
CACHE_DIR = Path(__file__).resolve().parents[1] / ".cache" / "crf"
"""Under the checkout the code runs from (git-ignored)."""
SEGMENT_MARK = "$#$"
LIBRARY = "python-crfsuite"
PARAMS = {"c1": 0.1, "c2": 0.1, "max_iterations": 200, "feature.possible_transitions": True}
"""L1 and L2 penalties (the usual 0.1, not tuned on val.txt) and the iteration cap of L-BFGS."""

Items = list[tuple[list[list[str]], list[str]]]


@dataclass(frozen=True)
class TaggedSentence:
    """A training or validation sentence: its tokens as the baselines see them, and one tag per token."""

    tokens: Tokens
    tags: tuple[str, ...]


# --------------------------------------------------------------------------------------------------
# WojoodNER files


def read_wojood(path: Path) -> list[TaggedSentence]:
    """The sentences of a WojoodNER file, outermost layer only, re-tokenized (module docstring)."""
    sentences: list[TaggedSentence] = []
    words: list[tuple[str, str]] = []
    for number, line in fmt.text_lines(Path(path), "a WojoodNER file"):
        fields = line.split()
        if not fields:
            if words:
                sentences.append(_sentence(words))
                words = []
            continue
        if len(fields) < 2:
            raise fmt.InputError(f"{fmt.display_path(path)}:{number}: expected a token and its tags")
        if fields[0] != SEGMENT_MARK:
            words.append((fields[0], fields[1]))
    if words:
        sentences.append(_sentence(words))
    return sentences


def _sentence(words: Sequence[tuple[str, str]]) -> TaggedSentence:
    text = " ".join(word for word, _ in words)
    tokens = Tokens.of(text)
    word_starts, offset = [], 0
    for word, _ in words:
        word_starts.append(offset)
        offset += len(word) + 1
    tags, previous = [], -1
    for start in tokens.starts:
        word = bisect.bisect_right(word_starts, start) - 1
        tag = words[word][1]
        tags.append(tag if word != previous or tag == "O" else "I-" + tag[2:])
        previous = word
    return TaggedSentence(tokens, tuple(tags))


# --------------------------------------------------------------------------------------------------
# Features


def _shape(word: str) -> str:
    classes = []
    for char in word:
        if char.isdigit():
            cls = "d"
        elif char.isalpha():
            cls = "a" if "\u0600" <= char <= "\u06ff" else "X" if char.isupper() else "x"
        else:
            cls = char
        if not classes or classes[-1] != cls:
            classes.append(cls)
    return "".join(classes)


def _stripped(readings: Sequence[tuple[int, str]]) -> list[str]:
    """The word's clitic-stripped forms: without proclitics, and without the article, in reading order."""
    forms = [rest for _, rest in readings[1:]]
    forms += [rest[2:] for _, rest in readings if rest.startswith("ال") and len(rest) > 3]
    return list(dict.fromkeys(forms))


def _own_features(key: str, readings: Sequence[tuple[int, str]]) -> list[str]:
    features = [f"w={key}", f"shape={_shape(key)}", f"len={min(len(key), 8)}"]
    for n in (1, 2, 3):
        if len(key) > n:
            features += [f"p{n}={key[:n]}", f"s{n}={key[-n:]}"]
    features += [f"st={form}" for form in _stripped(readings)]
    if key.isdigit():
        features.append(f"digits={min(len(key), 5)}")
    elif any(char.isdigit() for char in key):
        features.append("has_digit")
    return features


def lexicon_marks(tokens: Tokens) -> list[str]:
    """Per token, ``B-TYPE`` or ``I-TYPE`` of the gazetteer match covering it, or ``O``."""
    marks = ["O"] * len(tokens)
    for found in gazetteer().find_all(tokens):
        marks[found.first] = "B-" + found.value
        for i in range(found.first + 1, found.last + 1):
            marks[i] = "I-" + found.value
    return marks


def sentence_features(tokens: Tokens, indices: range, marks: Sequence[str]) -> list[list[str]]:
    """The features of each token of ``indices`` (one sentence of ``tokens``; module docstring)."""
    keys = [tokens.keys[i] for i in indices]
    stripped = [_stripped(tokens.readings[i])[:1] for i in indices]
    shapes = [_shape(k) for k in keys]
    gaz = [marks[i] for i in indices]
    size = len(keys)
    out = []
    for j, i in enumerate(indices):
        features = ["bias", *_own_features(keys[j], tokens.readings[i]), f"g={gaz[j]}"]
        for offset in (-2, -1, 1, 2):
            k = j + offset
            if 0 <= k < size:
                features += [f"{offset}:w={keys[k]}", f"{offset}:shape={shapes[k]}", f"{offset}:g={gaz[k]}"]
                features += [f"{offset}:st={form}" for form in stripped[k]]
            elif k == -1 or k == size:
                features.append(f"{offset}:edge")
        features.append(f"-1:w|w={keys[j - 1] if j else '<s>'}|{keys[j]}")
        out.append(features)
    return out


def training_items(sentences: Iterable[TaggedSentence]) -> Items:
    """(features, tags) of each sentence, in order: what the trainer is given."""
    items = []
    for sentence in sentences:
        tokens = sentence.tokens
        items.append((sentence_features(tokens, range(len(tokens)), lexicon_marks(tokens)), list(sentence.tags)))
    return items


# --------------------------------------------------------------------------------------------------
# Training and the cache


def library_version() -> str:
    return importlib.metadata.version(LIBRARY)


def model_key(items: Items, params: dict = PARAMS) -> str:
    """The sha256 that names a model: library version, parameters and every training item."""
    digest = hashlib.sha256(json.dumps([LIBRARY, library_version(), params], sort_keys=True).encode("utf-8"))
    for features, tags in items:
        digest.update(json.dumps([features, tags], ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()


def train(items: Items, params: dict = PARAMS) -> bytes:
    """Train a CRF on the items and return the model file's bytes (deterministic, module docstring)."""
    trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=False)
    for features, tags in items:
        trainer.append(features, tags)
    trainer.set_params(params)
    with tempfile.TemporaryDirectory(prefix="khabar-crf-") as directory:
        path = Path(directory) / "model.crfsuite"
        trainer.train(str(path))
        return path.read_bytes()


def cached_model(
    items: Items, cache_dir: Path | None = CACHE_DIR, params: dict = PARAMS, on_training: Callable[[], None] | None = None
) -> bytes:
    """The model of these items: read from the cache when there, else trained (``on_training`` is
    called first) and cached when ``cache_dir`` is not None; a cache that cannot be written is skipped."""
    path = None if cache_dir is None else Path(cache_dir) / f"{model_key(items, params)}.crfsuite"
    if path is not None and path.is_file():
        return path.read_bytes()
    if on_training is not None:
        on_training()
    model = train(items, params)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", delete=False) as handle:
                handle.write(model)
            os.replace(handle.name, path)
        except OSError:
            pass
    return model


# --------------------------------------------------------------------------------------------------
# Tagging


class CrfTagger:
    """A trained model and the first words of entities it uses to place proclitics outside spans."""

    def __init__(self, model: bytes, first_words: Iterable[str]):
        self.model = model
        """The model file's bytes; CRFsuite reads them in place, so they must live as long as the tagger."""
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open_inmemory(self.model)
        self.first_words = frozenset(first_words)

    @classmethod
    def of(
        cls,
        sentences: Sequence[TaggedSentence],
        cache_dir: Path | None = CACHE_DIR,
        params: dict = PARAMS,
        on_training: Callable[[], None] | None = None,
    ) -> "CrfTagger":
        """The tagger trained on ``sentences`` (or its cached model)."""
        model = cached_model(training_items(sentences), cache_dir, params, on_training)
        return cls(model, entity_first_words(sentences))

    def tag_sentence(self, tokens: Tokens, indices: range, marks: Sequence[str]) -> list[str]:
        return self._tagger.tag(sentence_features(tokens, indices, marks)) if len(indices) else []

    def tag(self, tokens: Tokens) -> list[str]:
        """One tag per token of a document, sentence by sentence."""
        marks = lexicon_marks(tokens)
        tags: list[str] = []
        for indices in tokens.sentence_token_ranges():
            tags += self.tag_sentence(tokens, indices, marks)
        return tags

    def entities(self, tokens: Tokens) -> list[dict]:
        """The predicted mentions as character spans (module docstring), sorted by start."""
        found = []
        for first, end, type_ in chunks(self.tag(tokens)):
            start = tokens.starts[first] + proclitic_length(tokens.readings[first], self.first_words)
            found.append({"start": start, "end": tokens.ends[end - 1], "type": type_})
        return found


def proclitic_length(readings: Sequence[tuple[int, str]], first_words: frozenset[str]) -> int:
    """How many characters of a chunk's first word lie before the span: the longest proclitic whose
    remainder is one of ``first_words`` or begins with the article (module docstring)."""
    known = [n for n, rest in readings[1:] if rest in first_words or (rest.startswith("ال") and len(rest) > 3)]
    return max(known, default=0)


def entity_first_words(sentences: Iterable[TaggedSentence]) -> set[str]:
    """Keys of the first tokens of the training mentions, and first words of gazetteer names."""
    words = set(gazetteer().first_keys())
    for sentence in sentences:
        words.update(sentence.tokens.keys[first] for first, _, _ in chunks(sentence.tags))
    return words


def chunks(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """``(first token, end token, type)`` of each strict IOB2 chunk (module docstring)."""
    found: list[tuple[int, int, str]] = []
    start, current = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        if start >= 0 and tag != "I-" + current:
            found.append((start, i, current))
            start = -1
        if tag.startswith("B-"):
            start, current = i, tag[2:]
    return found


@functools.cache
def default_tagger() -> CrfTagger:
    """The ``crf`` baseline's tagger: trained on ``train.txt`` (saying so on stderr, since it takes a
    while), or read from the cache."""
    return CrfTagger.of(read_wojood(TRAIN_FILE), on_training=_announce_training)


def _announce_training() -> None:
    print(f"crf: training on {fmt.display_path(TRAIN_FILE)} (about 20 s), cached in {fmt.display_path(CACHE_DIR)}", file=sys.stderr)


def tag_crf(tokens: Tokens) -> list[dict]:
    """The ``crf`` baseline's entities."""
    return default_tagger().entities(tokens)
