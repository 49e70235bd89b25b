"""TOML, read by the standard library's ``tomllib`` (``tomli`` before Python 3.11), imported on first use.

Importing it (and the ``datetime`` it needs) took 3 ms of every start, and most runs read
no TOML: the built-in rule packs come from the disk cache (see :mod:`cleaner.rulepacks`).
"""

from __future__ import annotations

import sys
from typing import Any


def loads(text: str) -> dict[str, Any]:
    """The table ``text`` holds; ValueError (tomllib's ``TOMLDecodeError``) when it is not TOML."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    return tomllib.loads(text)
