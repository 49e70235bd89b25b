"""Worker processes started with ``os.fork``, without importing ``multiprocessing``.

Where ``multiprocessing`` would fork anyway (its default on Linux before Python 3.14), the pool
forks by itself: ``multiprocessing`` brings ``socket``, ``selectors``, ``tempfile`` and more,
and starting one worker through it took 14 to 19 ms of the driver's start, which nothing else
can overlap at ``-j 2`` (a bare fork: under 1 ms). :class:`ForkedProcess` offers what the pool
uses of ``multiprocessing.Process``, and :class:`PipeEnd` what it uses of a ``Connection``,
with the same framing, so either end may be one or the other. Where fork is not the start
method (macOS, Windows, a program that chose another), ``multiprocessing`` is used as before.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import struct
import sys
from collections.abc import Callable
from typing import Any, Protocol

from cleaner.writers.atomic import write_all

SIZE = struct.Struct("!i")  # ``Connection``'s framing: a signed length, or -1 then a long one
LONG_SIZE = struct.Struct("!Q")
_MAX_SHORT = 0x7FFFFFFF

# multiprocessing's default start method is "fork" on POSIX systems other than macOS, up to
# Python 3.13 (3.14 made it "forkserver").
_FORK_BY_DEFAULT = os.name == "posix" and sys.platform != "darwin" and sys.version_info < (3, 14)


class Process(Protocol):
    """What the pool uses of a worker process: a :class:`ForkedProcess` or a ``multiprocessing`` one."""

    @property
    def exitcode(self) -> int | None:
        """The exit code once it has ended and been joined (negative: the signal that ended it)."""

    def join(self, timeout: float | None = None) -> None:
        """Wait for it to end, at most ``timeout`` seconds."""

    def is_alive(self) -> bool:
        """Whether it is still running."""

    def terminate(self) -> None:
        """Ask it to end (SIGTERM)."""

    def kill(self) -> None:
        """End it (SIGKILL)."""


def forks_by_itself() -> bool:
    """Whether workers start here by ``os.fork``: where ``multiprocessing`` would fork them.

    A program that imported ``multiprocessing`` may have chosen another start method, so then
    ``multiprocessing`` is asked; otherwise nobody chose, and the platform's default decides.
    """
    imported = sys.modules.get("multiprocessing")
    if imported is not None:
        return bool(imported.get_context().get_start_method() == "fork")
    return _FORK_BY_DEFAULT


def frame(data: bytes) -> bytes:
    """The header ``Connection.send_bytes`` puts before ``data``."""
    size = len(data)
    return SIZE.pack(size) if size <= _MAX_SHORT else SIZE.pack(-1) + LONG_SIZE.pack(size)


class PipeEnd:
    """One end of a pipe, read or written whole messages at a time as a ``Connection`` does.

    Blocking, for the worker's side; the driver reads and writes its ends by their descriptors.
    """

    def __init__(self, fd: int) -> None:
        self.fd: int | None = fd

    def fileno(self) -> int:
        """The descriptor (ValueError once closed, as a closed ``Connection``)."""
        if self.fd is None:
            raise ValueError("the pipe end is closed")
        return self.fd

    def close(self) -> None:
        """Close the descriptor (again: nothing)."""
        if self.fd is not None:
            fd, self.fd = self.fd, None
            os.close(fd)

    def send_bytes(self, data: bytes) -> None:
        """Write ``data`` as one message, whole (waiting for room as needed)."""
        write_all(self.fileno(), frame(data) + data)

    def recv_bytes(self) -> bytes:
        """The next whole message; EOFError when the other end has closed."""
        (size,) = SIZE.unpack(self._read(SIZE.size))
        if size == -1:
            (size,) = LONG_SIZE.unpack(self._read(LONG_SIZE.size))
        return self._read(size)

    def _read(self, size: int) -> bytes:
        data = bytearray()
        while len(data) < size:
            chunk = os.read(self.fileno(), size - len(data))
            if not chunk:
                raise EOFError("the pipe was closed")
            data += chunk
        return bytes(data)


def pipe() -> tuple[PipeEnd, PipeEnd]:
    """A one-way pipe: (the reading end, the writing end), as ``Pipe(duplex=False)`` gives them."""
    read_fd, write_fd = os.pipe()
    return PipeEnd(read_fd), PipeEnd(write_fd)


class ForkedProcess:
    """A child process running ``target(*args)``, forked at once, with what the pool uses of ``Process``.

    The child ends with ``os._exit``: 0 when ``target`` returns, 1 (its traceback on stderr)
    when it raises, never returning into the caller's code. As ``multiprocessing`` does, it
    reads nothing of the parent's stdin. The parent learns of its end through a sentinel pipe
    only the child holds open, so :meth:`join` can wait with a timeout.
    """

    def __init__(
        self, target: Callable[..., Any], args: tuple[Any, ...], close_in_child: tuple[int, ...] = ()
    ) -> None:
        sentinel, child_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child
            code = 1
            try:
                os.close(sentinel)
                for fd in close_in_child:
                    os.close(fd)
                with contextlib.suppress(OSError, ValueError):
                    sys.stdin.close()
                    sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115  (for the process's life)
                target(*args)
                code = 0
            except SystemExit as stop:  # as multiprocessing reads it: None is 0, a message is 1
                code = stop.code if isinstance(stop.code, int) else 0 if stop.code is None else 1
            except BaseException:
                import traceback  # only here: with what it brings, 2 ms of every start

                traceback.print_exc()
            finally:
                for stream in (sys.stdout, sys.stderr):
                    with contextlib.suppress(OSError, ValueError):
                        stream.flush()
                os._exit(code)
        os.close(child_end)
        self.pid = pid
        self.sentinel: int | None = sentinel
        self.exitcode: int | None = None

    def join(self, timeout: float | None = None) -> None:
        """Wait for the child to end (at most ``timeout`` seconds), and collect its exit code."""
        if self.exitcode is not None or self.sentinel is None:
            return
        if timeout is not None:
            waiting = select.poll()
            waiting.register(self.sentinel, select.POLLIN)
            if not waiting.poll(max(0, int(timeout * 1000))):
                return
        self._reap(0)

    def is_alive(self) -> bool:
        """Whether the child is still running."""
        if self.exitcode is None:
            self._reap(os.WNOHANG)
        return self.exitcode is None

    def terminate(self) -> None:
        """Ask the child to end now (SIGTERM)."""
        self._signal(signal.SIGTERM)

    def kill(self) -> None:
        """End the child now (SIGKILL)."""
        self._signal(signal.SIGKILL)

    def _signal(self, number: int) -> None:
        if self.exitcode is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, number)

    def _reap(self, options: int) -> None:
        pid, status = os.waitpid(self.pid, options)
        if pid == 0:  # still running (WNOHANG)
            return
        self.exitcode = os.waitstatus_to_exitcode(status)
        if self.sentinel is not None:
            os.close(self.sentinel)
            self.sentinel = None
