"""Data versions never change silently: the file hashes of every released data version are recorded.

``corpus/releases.json`` maps each released data version to the sha256 of each built data file, as
``corpus/data/MANIFEST.json`` gave them at release time. While ``DATA_VERSION`` names a recorded release,
the built files must hash to exactly what was recorded; changing the data means bumping the version
first. ``khabar record-release`` adds the current version's entry when releasing (see CHANGELOG.md).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Mapping

from khabar.corpus import format as fmt

RELEASES_FILE = fmt.ROOT / "corpus" / "releases.json"
MANIFEST_FILE = fmt.DATA_DIR / "MANIFEST.json"

Hashes = dict[str, str]
"""File name -> sha256 hex digest."""


def manifest_hashes(manifest: Mapping) -> tuple[str, Hashes]:
    """The data version and the per-file hashes a MANIFEST declares, file names sorted."""
    return manifest["data_version"], {name: manifest["files"][name]["sha256"] for name in sorted(manifest["files"])}


def drift(recorded: Hashes, current: Hashes) -> list[str]:
    """How ``current`` differs from a recorded release: one line per changed, added or removed file."""
    lines = []
    for name in sorted(set(recorded) | set(current)):
        if name not in current:
            lines.append(f"{name}: removed since the release")
        elif name not in recorded:
            lines.append(f"{name}: added since the release")
        elif recorded[name] != current[name]:
            lines.append(f"{name}: sha256 {current[name]} differs from the released {recorded[name]}")
    return lines


def version_key(version: str) -> tuple[int, ...]:
    """``"1.10.0"`` -> ``(1, 10, 0)``, so that versions compare numerically."""
    try:
        return tuple(int(part) for part in version.split("."))
    except ValueError:
        raise fmt.InputError(f"{fmt.display_path(RELEASES_FILE)}: {version!r} is not a version like 1.2.0") from None


def _is_hashes(obj: object) -> bool:
    return isinstance(obj, dict) and all(isinstance(name, str) and isinstance(digest, str) for name, digest in obj.items())


def read_releases(path: Path = RELEASES_FILE) -> dict[str, Hashes]:
    if not Path(path).exists():
        return {}
    releases = fmt.read_json_file(Path(path))
    if not isinstance(releases, dict) or not all(_is_hashes(hashes) for hashes in releases.values()):
        raise fmt.InputError(f"{fmt.display_path(path)}: expected an object of data version -> {{file name: sha256}}")
    return releases


def read_manifest(path: Path = MANIFEST_FILE) -> tuple[str, Hashes]:
    """The data version and file hashes of a build manifest, checked to have the shape `khabar build` writes."""
    manifest = fmt.read_json_file(Path(path))
    shaped = (
        isinstance(manifest, dict)
        and isinstance(manifest.get("data_version"), str)
        and isinstance(manifest.get("files"), dict)
        and all(isinstance(entry, dict) and isinstance(entry.get("sha256"), str) for entry in manifest["files"].values())
    )
    if not shaped:
        raise fmt.InputError(f"{fmt.display_path(path)}: not a build manifest (data_version, files with their sha256); run `khabar build`")
    return manifest_hashes(manifest)


def dumps_releases(releases: Mapping[str, Hashes]) -> str:
    ordered = {version: dict(sorted(releases[version].items())) for version in sorted(releases, key=version_key)}
    return json.dumps(ordered, indent=2) + "\n"


def record_release(manifest_path: Path = MANIFEST_FILE, releases_path: Path = RELEASES_FILE) -> tuple[str, bool]:
    """Record the MANIFEST's hashes under its data version; returns ``(version, newly recorded)``.

    Recording the same hashes again changes nothing. Recording different hashes for a version already
    recorded is refused: a released version is never rewritten, the data version must be bumped.
    """
    version, hashes = read_manifest(manifest_path)
    releases = read_releases(releases_path)
    if version in releases:
        changed = drift(releases[version], hashes)
        if changed:
            raise fmt.InputError(
                f"{fmt.display_path(releases_path)}: data {version} is already released with other files "
                f"({changed[0]}); bump DATA_VERSION in corpus/version.py and rebuild"
            )
        return version, False
    later = [v for v in releases if version_key(v) > version_key(version)]
    if later:
        raise fmt.InputError(f"{fmt.display_path(releases_path)}: data {version} is older than the released {max(later, key=version_key)}")
    releases[version] = hashes
    fmt.write_text(Path(releases_path), dumps_releases(releases))
    return version, True


def record_release_command(args: argparse.Namespace) -> int:
    version, recorded = record_release()
    print(f"recorded data {version} in {fmt.display_path(RELEASES_FILE)}" if recorded else f"data {version} was already recorded with these files")
    return 0


def register(subparsers) -> None:
    from khabar.corpus.cli import add_command

    p = add_command(
        subparsers,
        "record-release",
        help="record the built data files' hashes as the release of the current data version",
        example="khabar build && khabar record-release",
        description="Add the current data version's file hashes (from corpus/data/MANIFEST.json) to "
        "corpus/releases.json. From then on the tests fail if the built data changes without a data version "
        "bump. Refuses to rewrite a version already recorded with other hashes.",
    )
    p.set_defaults(func=record_release_command)
