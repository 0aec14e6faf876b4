"""The ``khabar`` command: one entry point, a subcommand per job.

The corpus subcommands live here; the scorer's and the baselines' live beside their code and are added
through each module's ``register(subparsers)``. Every handler returns an exit code; user errors
(:class:`~khabar.corpus.format.KhabarError`) become one-line messages on stderr, never tracebacks.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path
from typing import Sequence

from khabar.corpus import format as fmt
from khabar.corpus.commands import MissingExtra, add_command, missing_extra
from khabar.corpus.version import DATA_VERSION, __version__

COMMAND_MODULES = {
    "khabar.scorers.cli": ("score", "compare"),
    "khabar.baselines.cli": ("baseline",),
    "khabar.corpus.results": ("results",),
    "khabar.corpus.agreement": ("agreement",),
    "khabar.corpus.exchange": ("export", "import", "from-tags"),
    "khabar.corpus.viewer": ("view",),
    "khabar.corpus.releases": ("record-release",),
    "khabar.corpus.sources": ("seeds",),
    "khabar.corpus.audit": ("audit",),
}
"""Each module that adds subcommands, with their names. ``khabar COMMAND`` imports only the module of
COMMAND, so that ``khabar score --conll`` does not load the baselines (a test checks the names)."""


def validate_command(args: argparse.Namespace) -> int:
    from khabar.corpus.build import gold_problems, read_corpus_sources, with_layout

    if args.paths:
        unreadable = [path for path in args.paths if not path.is_file()]
        if unreadable:
            raise fmt.InputError(
                [f"{fmt.display_path(path)}: {'is a directory, not a file' if path.is_dir() else 'no such file'}" for path in unreadable]
            )
        problems, count = [], 0
        for path in args.paths:
            try:
                if path.suffix == ".jsonl":
                    count += len(fmt.load_corpus(path))
                else:
                    problems.extend(gold_problems(with_layout(fmt.read_annotation(path)), fmt.display_path(path)))
                    count += 1
            except fmt.InputError as error:
                problems.extend(error.problems)
        if problems:
            raise fmt.ValidationFailed(problems)
    else:
        count = len(read_corpus_sources())
    print(f"{count} document(s) valid")
    return 0


def build_command(args: argparse.Namespace) -> int:
    from khabar.corpus.build import build

    stale = build(check=args.check)
    if args.check:
        for path in stale:
            print(f"{path}: stale (run `khabar build`)", file=sys.stderr)
        if not stale:
            print("built files are up to date")
        return 1 if stale else 0
    print("\n".join(f"{'wrote' if (fmt.ROOT / path).exists() else 'removed'} {path}" for path in stale) or "built files were already up to date")
    return 0


def stats_command(args: argparse.Namespace) -> int:
    from khabar.corpus.stats import stats_by_split, stats_markdown

    stats = stats_by_split(fmt.load_corpus(args.data))
    sys.stdout.write(json.dumps(stats, ensure_ascii=False, indent=2) + "\n" if args.json else stats_markdown(stats))
    return 0


def new_document_command(args: argparse.Namespace) -> int:
    """Start the annotation file of a seed listed in seeds/index.json, with every layer empty."""
    meta = fmt.seed_meta(args.id)
    target = fmt.ANNOTATIONS_DIR / f"{args.id}.json"
    if target.exists():
        raise fmt.InputError(f"{fmt.display_path(target)}: already exists; not overwriting it")
    text = (fmt.ROOT / meta["source_file"]).read_bytes().decode("utf-8")
    fmt.write_annotation(fmt.Document(id=args.id, text=text, meta=meta), target)
    print(f"wrote {fmt.display_path(target)}")
    return 0


def evaluate_command(args: argparse.Namespace) -> int:
    """Build, validate, then run and score every baseline (or, before any exists, print statistics)."""
    from khabar.corpus.build import build
    from khabar.corpus.stats import stats_by_split, stats_markdown

    fmt.output_directory(args.out, "--out")
    for path in build():
        print(f"wrote {path}", file=sys.stderr)
    try:
        results = importlib.import_module("khabar.corpus.results")
    except ModuleNotFoundError:
        sys.stdout.write(stats_markdown(stats_by_split(fmt.load_corpus())))
        return 0
    return results.evaluate(out_dir=args.out)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The ``khabar`` parser; with ``command``, only that command's module is loaded besides the corpus
    commands (every module otherwise)."""
    parser = argparse.ArgumentParser(
        prog="khabar",
        description="Khabar: an annotated corpus and evaluation benchmark for Arabic news (entities, quotes, events).\n\n"
        "example:\n  khabar validate && khabar build && khabar score predictions.jsonl",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--version", action="version", version=f"khabar {__version__} (data {DATA_VERSION}, schema {fmt.schema_version()})"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = add_command(
        subparsers,
        "validate",
        help="check annotation files against the schema and the rules a schema cannot express",
        example="khabar validate corpus/annotations/000_0d083f3321f654a4.json",
        description="Check gold annotation files (default: the whole corpus, with the seed index) against "
        "schema/document.schema.json and the rules a schema cannot express: offsets inside the text, span texts, "
        "unique ids, resolving references, roles allowed per event subtype, nesting, the seed's sha256. "
        "Every problem is one line naming the file and JSON path; exit 1 if any.",
    )
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="annotation .json files or built .jsonl files")
    p.set_defaults(func=validate_command)

    p = add_command(
        subparsers,
        "build",
        help="derive corpus/data/ (documents and task views), MANIFEST.json and the card's front matter",
        example="khabar build --check",
    )
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 naming every stale built file")
    p.set_defaults(func=build_command)

    p = add_command(subparsers, "stats", help="print counts per layer and label of the built corpus", example="khabar stats --json")
    p.add_argument("--data", type=Path, default=None, help="a built documents.jsonl (default: this checkout's)")
    p.add_argument("--json", action="store_true", help="JSON instead of Markdown tables")
    p.set_defaults(func=stats_command)

    p = add_command(
        subparsers,
        "new-document",
        help="start an empty annotation file for a seed listed in seeds/index.json",
        example="khabar new-document 000_0d083f3321f654a4",
    )
    p.add_argument("id", help="the document id in seeds/index.json")
    p.set_defaults(func=new_document_command)

    p = add_command(
        subparsers,
        "evaluate",
        help="build the corpus, run and score every baseline, print the results table",
        example="khabar evaluate --out results",
    )
    p.add_argument("--out", type=Path, default=fmt.ROOT / "results", help="where the full reports go (default: results/)")
    p.set_defaults(func=evaluate_command)

    for name, commands in COMMAND_MODULES.items():
        if command is not None and command not in commands:
            continue
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            extra = missing_extra(error)
            if error.name != name and extra is None:
                raise
            if extra is not None:
                for missing in commands:
                    _needs_extra(subparsers, missing, extra)
            continue
        module.register(subparsers)
    return parser


def _needs_extra(subparsers, command: str, module: str) -> None:
    """A stand-in for a command whose module needs an optional dependency that is not installed."""
    p = add_command(subparsers, command, help=f"(not installed: {MissingExtra(command, module)})", example=f"khabar {command} --help")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=lambda args: _raise(MissingExtra(command, module)))


def _raise(error: Exception):
    raise error


CHECKOUT_COMMANDS = ("build", "new-document", "evaluate", "seeds", "record-release", "audit", "agreement", "results")
"""Commands that read or write the clone's sources (seeds, annotations, the card), not only a corpus."""


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    named = next((arg for arg in argv if not arg.startswith("-")), None)
    try:
        parser = build_parser(named if any(named in commands for commands in COMMAND_MODULES.values()) else None)
        args = parser.parse_args(argv)
        if not fmt.IS_CHECKOUT and (args.command in CHECKOUT_COMMANDS or (args.command == "validate" and not args.paths)):
            raise fmt.KhabarError(
                f"khabar {args.command}: works on a clone of the Khabar repository, and {fmt.ROOT} is an installed "
                "package (clone it, or set KHABAR_ROOT to a clone)"
            )
        try:
            return args.func(args)
        except ModuleNotFoundError as error:
            module = missing_extra(error)
            if module is None:
                raise
            raise MissingExtra(args.command, module) from None
    except fmt.KhabarError as error:
        print(str(error), file=sys.stderr)
        return error.exit_code
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
