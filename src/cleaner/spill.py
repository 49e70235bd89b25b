"""Pass one's prepared pages, kept for pass two: in memory, then in a temporary file.

Pass one decodes every page into blocks to learn the site templates, and pass two needs the
same pages again. Keeping them saves decoding every page twice, which made a big batch cost
more per byte than a small one. The first pages, up to a memory budget, stay in memory; the
rest are pickled, compressed and appended to an unnamed temporary file (in ``$TMPDIR``; the
system deletes it when it is closed, even after a crash), so memory stays flat however large
the batch. Writing and reading a page back costs about a tenth of decoding it again.

The store always holds a prefix of the batch. When the file cannot be written (a full disk)
the store stops taking pages, and when it cannot be read back it stops handing them out; in
both cases pass two reads the rest of the pages from the input again: slower, never different.
A worker process keeps its own pages in a ``SpillDict`` (by position, read back in any
order); should its file fail, the page goes back to the driver's store instead.
"""

from __future__ import annotations

import pickle
import struct
import zlib
from collections import deque
from collections.abc import Iterator
from typing import IO, Any, Generic, TypeVar

from cleaner.writers.atomic import write_all

Item = TypeVar("Item")
_LENGTH = struct.Struct("<Q")  # each record: its length, then the compressed pickle
COMPRESS_LEVEL = 1  # fast: the file only has to be smaller than the pickles, not small


def _temporary_file() -> IO[bytes]:
    """An unnamed temporary file (in ``$TMPDIR``), open for its store's life, without a buffer.

    Records are written and read whole, so a buffer saves nothing; and a process forked while
    a store was open (a worker) holds the same file: closing a buffered copy there would first
    flush it, seeking the file the parent is reading (seen: ``EINVAL`` as the two raced).
    """
    import tempfile  # here: most runs never spill, and the import is 2 ms of every start

    return tempfile.TemporaryFile(prefix="cleaner-spill-", buffering=0)


def _packed(item: object) -> bytes:
    """An item as one record: pickled, then compressed."""
    return zlib.compress(pickle.dumps(item, pickle.HIGHEST_PROTOCOL), COMPRESS_LEVEL)


def _unpacked(blob: bytes) -> Any:
    """The item a record holds (zlib.error or pickle.UnpicklingError if it is damaged)."""
    return pickle.loads(zlib.decompress(blob))


class SpillStore(Generic[Item]):
    """Items in order: the first in memory up to ``memory_chars``, the rest in a temporary file."""

    def __init__(self, memory_chars: int) -> None:
        self.room = memory_chars  # characters the memory part may still take
        self.memory: deque[Item] = deque()
        self.file: IO[bytes] | None = None
        self.spilled = 0
        self.full = False  # set once an item could not be stored: later ones are not taken

    def __len__(self) -> int:
        """How many items the store holds: the first ``len`` items of the batch."""
        return len(self.memory) + self.spilled

    def add(self, item: Item, chars: int) -> None:
        """Keep ``item`` (``chars`` long), or stop keeping anything once one cannot be kept."""
        if self.full:
            return
        if self.file is None and chars <= self.room:
            self.room -= chars
            self.memory.append(item)
            return
        try:
            self.file = self.file or _temporary_file()  # closed by close() or at the end of drain()
            blob = _packed(item)
            write_all(self.file.fileno(), _LENGTH.pack(len(blob)) + blob)
            self.spilled += 1
        except (OSError, pickle.PicklingError):
            self.full = True

    def drain(self) -> Iterator[Item]:
        """The items in order, letting go of each as it is handed on.

        Stops early if the file cannot be read back; the caller counts what it got.
        """
        while self.memory:
            yield self.memory.popleft()
        if self.file is None:
            return
        try:
            size = self.file.seek(0, 2)
            self.file.seek(0)
            for _ in range(self.spilled):
                (length,) = _LENGTH.unpack(self.file.read(_LENGTH.size))
                if length > size - self.file.tell():
                    return  # a damaged length: what follows cannot be trusted
                yield _unpacked(self.file.read(length))
        except (OSError, EOFError, ValueError, struct.error, zlib.error, pickle.UnpicklingError):
            return
        finally:
            self.close()

    def close(self) -> None:
        """Delete the temporary file (the memory part goes with the store)."""
        if self.file is not None:
            self.file.close()
            self.file = None


Key = TypeVar("Key")


class SpillDict(Generic[Key, Item]):
    """Items by key, each taken back once and in any order: some in memory, the rest on disk.

    Items go to memory while those held there come to at most ``memory_chars`` (an item taken
    gives its room back), the rest to a temporary file whose record places are remembered, so
    each is read back directly. A worker process keeps the pages
    it prepared this way: pass two asks for them by input position, which is not the order
    the worker met them in.
    """

    def __init__(self, memory_chars: int) -> None:
        self.room = memory_chars
        self.memory: dict[Key, tuple[Item, int]] = {}  # key: (item, its characters)
        self.file: IO[bytes] | None = None
        self.places: dict[Key, tuple[int, int]] = {}  # key: (offset, length) in the file
        self.full = False  # set once the file failed: later items that need it are not taken

    def __len__(self) -> int:
        return len(self.memory) + len(self.places)

    def add(self, key: Key, item: Item, chars: int) -> bool:
        """Keep ``item`` (``chars`` long) under ``key``; False if it could not be kept."""
        if chars <= self.room:
            self.room -= chars
            self.memory[key] = (item, chars)
            return True
        if self.full:
            return False
        try:
            self.file = self.file or _temporary_file()  # closed by close()
            blob = _packed(item)
            offset = self.file.seek(0, 2)
            write_all(self.file.fileno(), blob)
            self.places[key] = (offset, len(blob))
            return True
        except (OSError, pickle.PicklingError):
            self.full = True
            return False

    def take(self, key: Key) -> Item:
        """The item kept under ``key``, let go of.

        KeyError if there is none; OSError, or a decoding error (ValueError, zlib.error,
        pickle.UnpicklingError), if it cannot be read back.
        """
        if key in self.memory:
            kept, chars = self.memory.pop(key)
            self.room += chars
            return kept
        offset, length = self.places.pop(key)
        assert self.file is not None
        self.file.seek(offset)
        blob = self.file.read(length)
        if len(blob) != length:
            raise OSError(f"the temporary file ended {length - len(blob)} bytes early")
        item: Item = _unpacked(blob)
        return item

    def close(self) -> None:
        """Delete the temporary file and forget every item."""
        self.memory.clear()
        self.places.clear()
        if self.file is not None:
            self.file.close()
            self.file = None
