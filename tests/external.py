"""External programs some tests need (a browser, a validator): found, or the test is skipped, except in CI.

CI (the environment variable ``CI`` set) installs them through ``.ci/install-*``, so there a missing
program is a failure, never a silent skip.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest


def require_program(candidates: tuple[str | Path, ...], install_hint: str) -> str:
    """The first candidate that exists (a path, or a name looked up on PATH); otherwise skip, or fail in CI."""
    for candidate in candidates:
        found = str(candidate) if isinstance(candidate, Path) and candidate.is_file() else None
        found = found or (shutil.which(candidate) if isinstance(candidate, str) else None)
        if found:
            return found
    names = ", ".join(str(c) for c in candidates)
    message = f"none of {names} found: {install_hint}"
    if os.environ.get("CI"):
        pytest.fail(f"{message} (in CI this test must run)")
    pytest.skip(message)
