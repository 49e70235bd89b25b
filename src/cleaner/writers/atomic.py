"""Write files atomically: a temporary file in the same folder, then a rename."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path


def _umask() -> int:
    """The process's umask (reading it means setting it, so it is put back at once)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _mode_for(path: Path) -> int:
    """The permissions a new ``path`` gets: those of the file it replaces, else as ``open`` would.

    The temporary file is readable by its owner only (:func:`new_temporary`); an output file
    should not be.
    """
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def new_temporary(path: Path) -> tuple[int, str]:
    """A new hidden file beside ``path``, open for writing, and its name; as ``tempfile.mkstemp``.

    Readable by its owner only, made with ``O_EXCL`` under a random name, so that no other
    process can have it. Not ``tempfile`` itself: importing it (with ``shutil``, ``random`` and
    the compression modules they bring) was 3 ms of every start, for this one call.
    """
    for _ in range(100):
        name = str(path.parent / f".{path.name}.{os.urandom(6).hex()}.tmp")
        try:
            return os.open(name, _CREATE, 0o600), name
        except FileExistsError:  # 2**48 names: only a flood of leftovers gets here
            continue
    raise FileExistsError(f"{path.parent}: no free temporary name for {path.name}")


def write_atomic(path: Path, data: str | bytes, new: bool = False) -> bool:
    """Write ``data`` (text as UTF-8, ``\\n`` line ends) to ``path``; False when it already held it.

    A crash never leaves half a file: readers see the old content or the new, nothing between.
    Unchanged files are not rewritten, so a second identical run touches nothing. ``new`` says
    the caller knows no file was there (it writes into a folder that was empty): then there is
    nothing to compare with and no permissions to keep, and asking costs two failed lookups.
    """
    encoded = data.encode("utf-8") if isinstance(data, str) else data
    if not new:
        try:
            if path.read_bytes() == encoded:
                return False
        except OSError:
            pass
    try:
        fd, tmp = new_temporary(path)
    except FileNotFoundError:  # the folder is made once, not checked for every file
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = new_temporary(path)
    try:
        try:
            os.fchmod(fd, 0o666 & ~_umask() if new else _mode_for(path))
            write_all(fd, encoded)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return True


def write_all(fd: int, data: bytes) -> None:
    """Write all of ``data`` to ``fd``: plain ``os.write`` calls, no buffered file object.

    A file object would ask the descriptor whether it is a terminal and where it stands, two
    system calls per output file for nothing.
    """
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
