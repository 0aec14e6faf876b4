"""``khabar baseline list`` and ``khabar baseline run``: the baselines as command-line extractors.

``run`` reads the built corpus documents by default (their ``id`` and ``text`` only, never a gold
layer), or any UTF-8 file: JSON Lines of ``{"id", "text"}`` (other fields ignored), or plain Arabic text
taken as one document named after the file. It writes one prediction record per document, in input
order, to ``--out`` or standard output.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import IO, Iterator

from khabar.baselines import BASELINES, Baseline, predict_record
from khabar.corpus import format as fmt

LARGE_INPUT = 10_000_000
"""Input size in bytes above which progress is shown even when stderr is not a terminal."""


def register(subparsers) -> None:
    from khabar.corpus.cli import add_command

    parser = add_command(
        subparsers,
        "baseline",
        help="list or run the baseline systems",
        example="khabar baseline run rules --out predictions.jsonl",
    )
    commands = parser.add_subparsers(dest="baseline_command", metavar="ACTION", required=True)
    listing = add_command(commands, "list", help="name each baseline with a one-line description", example="khabar baseline list")
    listing.set_defaults(func=list_command)
    run = add_command(
        commands,
        "run",
        help="run one baseline and write its predictions as JSON Lines",
        description="run one baseline on the corpus documents (text only), a JSON Lines file of {id, text}, "
        "or a plain Arabic text file, and write its predictions as JSON Lines",
        example="khabar baseline run rules --input article.txt --out article.predictions.jsonl",
    )
    run.add_argument("name", choices=sorted(BASELINES), help="the baseline to run")
    run.add_argument("--input", type=Path, help="input file (default: every split of the built corpus, corpus/data/*/documents.jsonl)")
    run.add_argument("--out", type=Path, help="output file (default: standard output)")
    run.set_defaults(func=run_command)


def list_command(args: argparse.Namespace) -> int:
    width = max(map(len, BASELINES))
    for name in sorted(BASELINES):
        print(f"{name:<{width}}  {BASELINES[name].description}")
    return 0


def run_command(args: argparse.Namespace) -> int:
    sources = [Path(args.input)] if args.input is not None else fmt.gold_files(None, "all")
    if args.out is not None and any(source.exists() and Path(args.out).resolve() == source.resolve() for source in sources):
        raise fmt.InputError(f"{fmt.display_path(args.out)}: --out would overwrite the input")
    baseline = BASELINES[args.name]
    size = sum(source.stat().st_size for source in sources if source.is_file())
    progress = Progress(baseline.name, size) if sys.stderr.isatty() or size > LARGE_INPUT else None
    if args.out is None:
        _write(baseline, sources, sys.stdout, progress)
        return 0
    out = fmt.output_file(Path(args.out), "--out")
    handle = tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=out.parent, prefix=f".{out.name}.", delete=False)
    try:
        with handle:
            _write(baseline, sources, handle, progress)
        os.replace(handle.name, out)
    finally:
        if os.path.exists(handle.name):
            os.unlink(handle.name)
    return 0


def _write(baseline: Baseline, sources: list[Path], out: IO[str], progress: "Progress | None") -> None:
    done = 0
    for source in sources:
        for doc_id, text, consumed in read_documents(source):
            out.write(fmt.dumps_line(predict_record(baseline, doc_id, text)) + "\n")
            if progress is not None:
                progress.update(done + consumed)
        done += source.stat().st_size
    if progress is not None:
        progress.close()


def read_documents(path: Path) -> Iterator[tuple[str, str, int]]:
    """Yield ``(id, text, bytes read so far)`` for each document of a JSON Lines file of ``{id, text}``
    (any other field is ignored, never read as gold) or of a plain text file (one document)."""
    where = fmt.display_path(path)
    kind = "a text or JSON Lines file"
    if not path.exists():
        hint = " (run `khabar build`)" if fmt.DATA_DIR in path.parents else ""
        raise fmt.InputError(f"{where}: no such file{hint}")
    if path.is_dir():
        raise fmt.InputError(f"{where}: is a directory, not {kind}")
    if path.suffix in (".jsonl", ".json") or _starts_like_json(path, kind):
        yield from _json_lines(path, where, kind)
        return
    text = fmt.read_text(path, kind)
    if not text.strip():
        raise fmt.InputError(f"{where}: no text to run the baseline on (the file is empty)")
    yield path.stem, text, path.stat().st_size


def _starts_like_json(path: Path, kind: str) -> bool:
    for _, line in fmt.text_lines(path, kind):
        if line.strip():
            return line.lstrip().startswith("{")
    return False


def _json_lines(path: Path, where: str, kind: str) -> Iterator[tuple[str, str, int]]:
    seen: dict[str, int] = {}
    consumed = 0
    for number, line in fmt.text_lines(path, kind):
        consumed += len(line.encode("utf-8"))
        if not line.strip():
            continue
        record = fmt.parse_json(line, fmt.location(where, number))
        if isinstance(record, fmt.Problem):
            raise fmt.InputError([record])
        if not isinstance(record, dict):
            raise fmt.InputError(f"{where}:{number}: expected an object with id and text")
        for field in ("id", "text"):
            if not isinstance(record.get(field), str):
                raise fmt.InputError(f"{where}:{number}: {field}: missing or not a string")
        doc_id = record["id"]
        if doc_id in seen:
            raise fmt.InputError([fmt.Problem(fmt.location(where, number), "id", f"duplicate document {doc_id!r} (first on line {seen[doc_id]})")])
        seen[doc_id] = number
        yield doc_id, record["text"], consumed
    if not seen:
        raise fmt.InputError(f"{where}: no document in the file (expected one {{\"id\", \"text\"}} object per line)")


class Progress:
    """A one-line progress indicator on stderr, redrawn at most five times a second."""

    def __init__(self, label: str, total_bytes: int):
        self.label, self.total, self.documents, self.shown = label, max(total_bytes, 1), 0, 0.0

    def update(self, consumed: int) -> None:
        self.documents += 1
        now = time.monotonic()
        if now - self.shown >= 0.2:
            self.shown = now
            percent = min(100, 100 * consumed // self.total)
            sys.stderr.write(f"\rbaseline {self.label}: {percent:3d}% ({self.documents} documents)")
            sys.stderr.flush()

    def close(self) -> None:
        sys.stderr.write(f"\rbaseline {self.label}: 100% ({self.documents} documents)\n")
        sys.stderr.flush()
