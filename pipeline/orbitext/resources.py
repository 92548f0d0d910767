"""Where the pattern files are: inside the installed wheel, or the source tree's ``patterns/``."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE_PATTERNS = Path(__file__).resolve().parent / "patterns"
_SOURCE_PATTERNS = Path(__file__).resolve().parents[2] / "patterns"


class ResourceError(RuntimeError):
    """The pattern files cannot be found."""


def patterns_dir() -> Path:
    """The folder holding orbitext's pattern files.

    ``ORBITEXT_PATTERNS`` wins when set; else the copy shipped inside the wheel;
    else the source tree's top-level ``patterns/`` (editable installs and checkouts).
    """
    env = os.environ.get("ORBITEXT_PATTERNS")
    candidates = [Path(env)] if env else [_PACKAGE_PATTERNS, _SOURCE_PATTERNS]
    for path in candidates:
        if path.is_dir():
            return path
    tried = ", ".join(str(p) for p in candidates)
    raise ResourceError(f"no patterns folder found (tried {tried})")
