"""Write files atomically: a temporary file in the same folder, then a rename."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: str | bytes) -> bool:
    """Write ``data`` (text as UTF-8, ``\\n`` line ends) to ``path``; False when it already held it.

    A crash never leaves half a file: readers see the old content or the new, nothing between.
    Unchanged files are not rewritten, so a second identical run touches nothing.
    """
    encoded = data.encode("utf-8") if isinstance(data, str) else data
    try:
        if path.read_bytes() == encoded:
            return False
    except OSError:
        pass
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except FileNotFoundError:  # the folder is made once, not checked for every file
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(encoded)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return True
