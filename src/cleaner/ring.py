"""Shared memory between the driver and one forked worker, for messages too large for a pipe.

A pipe holds 1 MB at most (Linux's limit for a user), and the driver writes to it only
between the pages it does itself, since it has no threads. A task of eight HTML pages is
often larger: the worker read half of it and waited for the rest while the driver did a page
(on the 181 real pages, the worker waited 0.20 s in pass one instead of 0.08 s). So large
messages are copied into memory both processes map (an anonymous shared mapping made before
the fork), and the pipe carries only where they are. The copy happens at once, however busy
the worker is.

The space is used as a ring, in the order messages are sent: a message's space is free again
once the worker has answered the task it belongs to (it has read the message by then).
"""

from __future__ import annotations

import mmap
from collections import deque
from collections.abc import Callable
from typing import Any

RING_BYTES = 8 << 20  # per worker: its pages are touched only as far as messages in flight need


class Ring:
    """Space in a shared mapping, handed out in order and given back in the same order."""

    def __init__(self, size: int = RING_BYTES) -> None:
        self.size = size
        self.memory = mmap.mmap(-1, size)  # anonymous and shared: a forked child sees the same bytes
        self._used: deque[tuple[int, Any]] = deque()  # (start, owner) of each message, oldest first
        self._head = 0  # where the next message goes, if it fits

    def place(self, data: bytes, owner: Any) -> int | None:
        """Copy ``data`` in and return its offset, or None if there is no room for it now.

        The space stays taken until :meth:`release` finds ``owner`` done.
        """
        start = self._room(len(data))
        if start is None:
            return None
        end = start + len(data)
        self.memory[start:end] = data
        self._used.append((start, owner))
        self._head = end
        return start

    def read(self, offset: int, length: int) -> memoryview:
        """The bytes of a message (in the worker); the view must be released before the ring is closed."""
        return memoryview(self.memory)[offset : offset + length]

    def release(self, done: Callable[[Any], bool]) -> None:
        """Free the space of the oldest messages whose owner is ``done``, up to the first that is not."""
        while self._used and done(self._used[0][1]):
            self._used.popleft()

    def close(self) -> None:
        """Unmap the memory (in the driver, once its worker has ended)."""
        self.memory.close()

    def _room(self, size: int) -> int | None:
        if not self._used:  # empty: from the beginning again, so that the same pages serve
            return 0 if size <= self.size else None
        oldest = self._used[0][0]
        wrapped = self._used[-1][0] < oldest  # the newest message lies before the oldest
        if not wrapped:  # free: the start, before the oldest, and the end, after the newest
            if size <= oldest:
                return 0  # the start first, so that the pages already touched serve again
            return self._head if self._head + size <= self.size else None
        return self._head if self._head + size <= oldest else None
