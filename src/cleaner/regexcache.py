"""Compiled patterns kept on disk, so that a new process does not compile them again.

The ``regex`` module parses a pattern in Python: a rule-pack pattern takes about 0.45 ms, and
cleaner compiles some 120 patterns as it starts (its modules' and the built-in rule packs'),
35 ms of a 160 ms run on one page, paid again by every worker process. A compiled ``regex``
pattern pickles as the arguments of its C constructor (that is ``regex``'s own pickling), so
reading all of them back takes about a millisecond and runs none of the parser.

The table lives beside the word tables (:func:`cleaner.lexicon.cache_folder`), in a file named
by the Python version and where and when ``regex`` was installed: the compiled form belongs to
that ``regex``. A pattern is its own key, so an edited pattern is simply compiled and added.
The file is read with an unpickler that builds nothing but ``regex`` patterns, and any file
that cannot be read is ignored (and replaced).
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import io
import pickle
import sys
from pathlib import Path
from typing import Any, AnyStr

import regex

from cleaner.lexicon import cache_folder, drop_old_versions, installed, mark_used
from cleaner.writers.atomic import write_atomic

MAX_PATTERNS = 4096  # a table grown past this (patterns of old versions) starts again

Key = tuple[str | bytes, int]

_table: dict[Key, regex.Pattern[Any]] | None = None
_added = False  # whether this process compiled a pattern the file did not hold


def compile(pattern: AnyStr, flags: int = 0) -> regex.Pattern[AnyStr]:
    """``regex.compile(pattern, flags)``, from the disk cache when it holds the pattern."""
    global _added
    table = _loaded()
    key = (pattern, int(flags))
    found = table.get(key)
    if found is None:
        found = table[key] = regex.compile(pattern, flags)
        _added = True
    return found


def save() -> None:
    """Write the table if this process compiled patterns it did not hold.

    Run at exit, and by a caller that ends its process without running exit functions.
    """
    global _added
    path = _path()
    if not _added or _table is None or path is None:
        return
    # A folder we cannot write (or a pattern that would not pickle) costs speed, never a result.
    with contextlib.suppress(OSError, pickle.PicklingError, TypeError):
        write_atomic(path, pickle.dumps(_table, pickle.HIGHEST_PROTOCOL))
        drop_old_versions(path, "patterns-*.pickle")
    _added = False


class _PatternUnpickler(pickle.Unpickler):
    """Builds ``regex`` patterns and plain containers only: nothing else a file could name."""

    def find_class(self, module: str, name: str) -> object:
        if name == "compile" and module in ("regex._regex", "_regex"):  # regex's C constructor
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"not a pattern table: it names {module}.{name}")


def read_table(blob: bytes) -> dict[Key, regex.Pattern[Any]]:
    """A pattern table written by :func:`save`; ValueError when ``blob`` is not one."""
    try:
        table = _PatternUnpickler(io.BytesIO(blob)).load()
    except Exception as exc:  # a damaged or foreign file: any unpickling error
        raise ValueError(f"not a pattern table ({exc})") from exc
    if not isinstance(table, dict) or not all(isinstance(v, regex.Pattern) for v in table.values()):
        raise ValueError("not a pattern table")
    return table


def _path() -> Path | None:
    folder = cache_folder()
    if folder is None:
        return None
    made_by = f"{sys.version}|{installed('regex')}"
    return folder / f"patterns-{hashlib.sha256(made_by.encode()).hexdigest()[:16]}.pickle"


def _loaded() -> dict[Key, regex.Pattern[Any]]:
    global _table
    if _table is None:
        _table = {}
        path = _path()
        if path is not None:
            with contextlib.suppress(OSError, ValueError):
                table = read_table(path.read_bytes())
                mark_used(path)
                if len(table) <= MAX_PATTERNS:
                    _table = table
    return _table


atexit.register(save)
