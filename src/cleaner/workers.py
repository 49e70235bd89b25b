"""Worker processes of our own, for ``-j N``: results in input order, and pages that stay put.

``concurrent.futures.ProcessPoolExecutor`` cannot send a task to a chosen worker, so a page
prepared in pass one had to travel back to this process and out again for pass two. Here
each worker has its own pipe: an item may name the worker that must do it (the one holding
its data), and every other item goes wherever there is room, this process included. Work can
also be posted to one worker outside the ordered stream of a map (finishing the pages it
keeps), so that the stream never waits in line for it.

The driver moves bytes through the pipes without blocking, whenever it looks for finished
work, and unpickles an answer only when it needs the result (see :class:`_Worker` for why it
has no threads to do this).
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import os
import pickle
import select
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from cleaner import forking, heap
from cleaner.errors import CleanerError
from cleaner.forking import LONG_SIZE, SIZE, forks_by_itself, frame
from cleaner.ring import Ring

DEPTH = 2  # tasks a worker has at once: the one it runs and the next, already in its pipe

HERE = -1  # an item's owner when this process (the driver) must do it
Owner = Callable[[Any], "int | None"]  # the worker that must do an item (or HERE); None: any process
Weight = Callable[[Any], int]  # what an item will cost to do, roughly (its text's length)
STRETCH = 4  # how many times its usual read-ahead a map reads rather than leave this process idle

_index: int | None = None  # in a worker process: its number; None in the driver


def worker_index() -> int | None:
    """The number of this worker process in its pool; None in any other process."""
    return _index


class WorkerDied(CleanerError):
    """A worker process ended while it still had work (killed, or out of memory)."""


def loads_quietly(data: bytes | memoryview) -> Any:
    """Unpickle with the cycle collector paused.

    A result is many new objects and no cycles; the collections they set off would walk the
    driver's whole heap again and again (measured: four times the unpickling itself).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return pickle.loads(data)
    finally:
        if enabled:
            gc.enable()


def apply_chunk(fn: Callable[..., Any], chunk: list[Any], *args: Any) -> list[Any]:
    """``fn(item, *args)`` for every item of ``chunk`` (one task for a worker, here or on Dask)."""
    return [fn(item, *args) for item in chunk]


def _dumps(value: Any) -> bytes:
    return pickle.dumps(value, pickle.HIGHEST_PROTOCOL)


def _serve(tasks: Any, replies: Any, index: int, driver_ends: list[Any], ring: Ring | None) -> None:
    """A worker's loop: take the calling context or a task from ``tasks``, answer each on ``replies``.

    A large message comes as where it lies in ``ring``, the memory shared with the driver.
    """
    global _index
    _index = index
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the driver decides when a run stops
    for conn in driver_ends:  # inherited: held open here, they would hide the driver's end
        conn.close()
    heap.settle()  # what the worker inherited is never garbage: no collection walks (and copies) it
    fn: Callable[..., Any] | None = None
    args: tuple[Any, ...] = ()
    while True:
        try:
            message = loads_quietly(tasks.recv_bytes())
        except EOFError:
            return
        if message is None:
            return
        if message[0] == "ring" and ring is not None:
            with ring.read(message[1], message[2]) as view:
                message = loads_quietly(view)
        if message[0] == "call":
            _, fn, args = message
            continue
        try:
            assert fn is not None
            reply: tuple[bool, Any] = (True, apply_chunk(fn, message[1], *args))
        except BaseException as error:  # handed to the driver, which raises it
            reply = (False, error)
        try:
            data = _dumps(reply)
        except Exception as error:
            data = _dumps((False, CleanerError(f"a worker's answer could not be pickled: {error!r}")))
        replies.send_bytes(data)


@dataclass(eq=False)
class _Task:
    """Items going out to one worker together; ``reply`` is set by the receiving thread."""

    slots: list[_Slot]
    reply: bytes | None = None
    error: BaseException | None = None
    weight: int = 0  # its items' weight, while the worker has them

    @property
    def finished(self) -> bool:
        return self.reply is not None or self.error is not None


_UNSET: Any = object()


@dataclass(eq=False)
class _Slot:
    """One item in input order: who must do it (None: anyone), and its result once known."""

    item: Any
    owner: int | None
    task: _Task | None = None
    result: Any = field(default=_UNSET)
    weight: int = 0

    @property
    def open(self) -> bool:
        """Nobody owns it, no worker has it, and it has no result yet: any process may take it."""
        return self.owner is None and self.task is None and self.result is _UNSET

    @property
    def local(self) -> bool:
        """Whether this process may do it now: it is open, or this process's and not done yet."""
        return self.open or (self.owner == HERE and self.result is _UNSET)


class _Worker:
    """One worker process and the driver's ends of its two pipes, read and written without blocking.

    The driver has no threads: a process that ever started one pays for it in every later
    lock. The interpreter lock is let go and taken back around each match of the ``regex``
    module, and with a second thread alive each of those became an atomic operation: 1.5% more
    CPU for the whole run. So the driver writes what a pipe takes now, keeps the rest, and reads
    what has come, whenever it looks (:meth:`WorkerPool._pump`); the pipes are made large
    enough that a task or an answer seldom waits for room.
    """

    def __init__(self, index: int, earlier: list[_Worker]) -> None:
        self.index = index
        forked = forks_by_itself()
        context: Any = None
        if forked:
            task_end, self.tasks = forking.pipe()  # (reading end, writing end)
            self.replies, reply_end = forking.pipe()
        else:
            import multiprocessing  # only here: it brings socket and more (see cleaner.forking)

            context = multiprocessing.get_context()
            task_end, self.tasks = context.Pipe(duplex=False)
            self.replies, reply_end = context.Pipe(duplex=False)
        for conn in (self.tasks, self.replies):
            _widen(conn.fileno())
        self.ring = Ring() if forked else None  # shared by forking
        self.process: forking.Process
        if forked:
            # A forked worker closes the driver's ends it inherits (its own pipes' and the
            # workers' before it), so that it reads the end of its tasks when the driver is
            # gone; and the earlier workers' sentinels, which only the driver waits on.
            driver_ends = [self.tasks, self.replies] + [c for w in earlier for c in (w.tasks, w.replies)]
            sentinels = tuple(s for w in earlier if (s := getattr(w.process, "sentinel", None)) is not None)
            serve_args = (task_end, reply_end, index, driver_ends, self.ring)
            self.process = forking.ForkedProcess(_serve, serve_args, close_in_child=sentinels)
        else:
            process = context.Process(target=_serve, args=(task_end, reply_end, index, [], None), daemon=True)
            process.start()
            self.process = process
        task_end.close()
        reply_end.close()
        os.set_blocking(self.tasks.fileno(), False)
        os.set_blocking(self.replies.fileno(), False)
        self.pending: deque[memoryview] = deque()  # framed messages the pipe has not taken yet
        self.inbox = bytearray()  # what has come of the next answers
        self.sent: deque[_Task] = deque()  # in the pipe or being run, oldest first
        self.dead = False
        self.lost: WorkerDied | None = None  # why its tasks in hand failed, if it ended with some
        self.context: tuple[Callable[..., Any], tuple[Any, ...]] | None = None  # what the worker has

    @property
    def room(self) -> bool:
        """Whether the worker may take another task (of a map, or posted: it counts both)."""
        return not self.dead and len(self.sent) < DEPTH

    @property
    def weight(self) -> int:
        """The weight of the items the worker has (running or waiting in its pipe)."""
        return sum(task.weight for task in self.sent)

    def send(self, fn: Callable[..., Any], args: tuple[Any, ...], task: _Task) -> None:
        """Queue ``task`` for the worker (with the function and arguments if new to it).

        The function and arguments go once for as long as the same objects come (kept here,
        so that they cannot be freed and others take their place): a caller mapping over a
        stream in parts sends its tables once, not once per part.
        """
        if self.dead:
            task.error = WorkerDied(f"worker process {self.index} had stopped")
            return
        if not self._has(fn, args):
            self._queue(_dumps(("call", fn, args)), task)
            self.context = (fn, args)
        self.sent.append(task)
        self._queue(_dumps(("run", [slot.item for slot in task.slots])), task)

    def _has(self, fn: Callable[..., Any], args: tuple[Any, ...]) -> bool:
        if self.context is None:
            return False
        had_fn, had_args = self.context
        same = len(had_args) == len(args) and all(a is b for a, b in zip(had_args, args, strict=True))
        return had_fn is fn and same

    def _queue(self, data: bytes, task: _Task | None = None) -> None:
        """Frame ``data`` as ``Connection.send_bytes`` does, and write what the pipe takes.

        A large message for ``task`` goes into the shared ring when there is room, and the pipe
        carries where it lies; its space is free again once the task is answered.
        """
        if self.ring is not None and task is not None and len(data) >= RING_FROM:
            offset = self.ring.place(data, task)
            if offset is not None:
                data = _dumps(("ring", offset, len(data)))
        self.pending.append(memoryview(frame(data) + data))
        self.flush()

    def flush(self) -> None:
        """Write what waits, as far as the pipe takes it now."""
        while self.pending and not self.dead:
            chunk = self.pending[0]
            try:
                written = os.write(self.tasks.fileno(), chunk)
            except BlockingIOError:
                return
            except OSError:  # the worker has ended: its pipe is closed
                self.pending.clear()
                return
            if written < len(chunk):
                self.pending[0] = chunk[written:]
                return
            self.pending.popleft()

    def receive(self) -> bool:
        """Read what has come; each whole answer finishes the oldest task. True if any did."""
        ended = False
        while True:
            try:
                data = os.read(self.replies.fileno(), _READ_SIZE)
            except BlockingIOError:
                break
            except OSError:
                data = b""
            if not data:
                ended = True
                break
            self.inbox += data
        finished = False
        while (reply := self._next_answer()) is not None:
            self.sent.popleft().reply = reply
            finished = True
        if finished and self.ring is not None:
            self.ring.release(_answered)
        if ended:
            self._ended()
            return True
        return finished

    def _next_answer(self) -> bytes | None:
        inbox = self.inbox
        if len(inbox) < SIZE.size:
            return None
        (size,) = SIZE.unpack_from(inbox)
        start = SIZE.size
        if size == -1:
            if len(inbox) < start + LONG_SIZE.size:
                return None
            (size,) = LONG_SIZE.unpack_from(inbox, start)
            start += LONG_SIZE.size
        if len(inbox) < start + size:
            return None
        answer = bytes(inbox[start : start + size])
        del inbox[: start + size]
        return answer

    def _ended(self) -> None:
        """The worker's pipe closed: it has ended, or is ending. Its tasks in hand fail."""
        self.dead = True
        self.pending.clear()
        self.process.join(timeout=5)
        code = self.process.exitcode
        if self.sent:
            self.lost = WorkerDied(f"worker process {self.index} ended (exit code {code}) with work in hand")
        for task in self.sent:
            task.error = self.lost
        self.sent.clear()

    def stop(self, at_once: bool) -> None:
        """Tell the worker to end: when it has read what it was sent, or (``at_once``) now."""
        if at_once:
            self.process.terminate()
        elif not self.dead:
            self._queue(_dumps(None))
            os.set_blocking(self.tasks.fileno(), True)
            self.flush()

    def join(self) -> None:
        """Wait for the worker to end (killing it after 5 s), then let go of its pipes and ring."""
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.tasks.close()
        self.replies.close()
        if self.ring is not None:
            self.ring.close()


def _answered(task: _Task) -> bool:
    return task.finished


_READ_SIZE = 1 << 20
RING_FROM = 256 << 10  # messages this large go through the shared ring (when forked): a pipe holds 1 MB
PIPE_BYTES = 1 << 20  # asked of the system for each pipe (Linux; elsewhere the size it has)


def _widen(fd: int) -> None:
    """Make a pipe hold ``PIPE_BYTES`` where the system lets us (Linux caps what a user may ask)."""
    setter = getattr(fcntl, "F_SETPIPE_SZ", None)
    if setter is not None:
        with contextlib.suppress(OSError):
            fcntl.fcntl(fd, setter, PIPE_BYTES)


class WorkerPool:
    """``workers`` processes sharing a stream of items with this one (see :meth:`map`)."""

    def __init__(self, workers: int, chunk: int = 8, ahead: int = 0) -> None:
        self.chunk = chunk
        self.span = (ahead or max(4, 2 * (workers + 1))) * chunk + 2 * chunk  # items read ahead
        self.workers: list[_Worker] = []
        for index in range(workers):
            self.workers.append(_Worker(index, self.workers))

    def close(self) -> None:
        """Stop the workers: at once if they still have work (a run given up), else when idle."""
        busy = any(worker.sent for worker in self.workers)
        for worker in self.workers:  # every worker told first, so that they end side by side
            worker.stop(at_once=busy)
        for worker in self.workers:
            worker.join()

    def map(
        self,
        fn: Callable[..., Any],
        items: Iterable[Any],
        args: tuple[Any, ...] = (),
        owner: Owner | None = None,
        weight: Weight | None = None,
    ) -> Iterator[Any]:
        """``fn(item, *args)`` for each item, in input order.

        ``owner(item)`` names the worker that must do an item (None: any process may; HERE:
        this process must). Items are read ahead; workers get chunks, their own items first,
        then items nobody owns from the far end of what was read, while this process takes
        its own items and items nobody owns from the near end whenever the next result is
        not ready yet. As the stream ends, chunks shrink, so no process is left long waiting
        for another, and workers take the items next in line instead: a caller that finishes
        each result in order (pass two posting judged pages back to the workers keeping them)
        would otherwise get the far end's results all at once, at the very end, and leave the
        workers a run of finishing to do while this process waits (measured on the bench's
        4 MB corpus: this process's wait at the end halved, about 24 to 11 ms).

        Pages differ: one may take a hundred times another. With ``weight(item)`` (its text's
        length, say), before this process does an item itself it first gives each worker
        enough to do meanwhile, past its usual two tasks. And when this process has nothing
        it may do while it waits for a worker, it reads further ahead, up to ``STRETCH``
        times the usual, for an item it may do. Likewise for a worker with room and none of
        its own items in sight: it is given its own from further ahead before anyone else's,
        which this process would do without sending them through a pipe (measured on the
        bench's 4 MB corpus: fewer pages cross, and this process waits less at the end).
        """
        slots: deque[_Slot] = deque()
        source = iter(items)
        exhausted = False
        span = self.span
        while True:
            while not exhausted and len(slots) < span:
                item = next(source, _UNSET)
                if item is _UNSET:
                    exhausted = True
                    break
                slots.append(
                    _Slot(item, owner(item) if owner else None, weight=weight(item) if weight else 0)
                )
            self._pump()
            further = owner is not None and not exhausted and span < STRETCH * self.span
            self._dispatch(slots, fn, args, exhausted, share=not further)
            if further and self._short_of_own(slots):
                span += self.chunk  # read on for a worker's own items before it takes others'
                continue
            if not slots:
                return
            head = slots[0]
            if head.result is _UNSET:
                if head.task is None and head.owner not in (None, HERE) and self.workers[head.owner].dead:
                    raise WorkerDied(f"worker process {head.owner} ended holding an item")
                if head.task is not None and head.task.finished:
                    self._unpack(head.task)
                else:
                    mine = head if head.local else next((slot for slot in slots if slot.local), None)
                    if mine is None:
                        if not exhausted and span < STRETCH * self.span:
                            span += self.chunk  # read on: an item this process may do may come
                        else:
                            self._wait()
                        continue
                    mine.owner = HERE  # taken: topping up the workers must not send it too
                    if weight is not None:
                        self._top_up(slots, fn, args, exhausted, mine.weight)
                    mine.result = fn(mine.item, *args)
                    span = self.span
                    continue
            slots.popleft()
            yield head.result

    def post(
        self, worker: int, fn: Callable[..., Any], items: list[Any], args: tuple[Any, ...] = ()
    ) -> Posted:
        """Have worker ``worker`` do ``fn(item, *args)`` for each of ``items``, outside any map.

        For work that must happen where some data was kept, and whose results are wanted
        later: maps go on meanwhile, never waiting for it in line. The results come from the
        handle returned.
        """
        slots = [_Slot(item, worker) for item in items]
        task = _Task(list(slots))
        for slot in slots:
            slot.task = task
        self.workers[worker].send(fn, args, task)
        return Posted(self, task, slots)

    def _dispatch(
        self,
        slots: deque[_Slot],
        fn: Callable[..., Any],
        args: tuple[Any, ...],
        exhausted: bool,
        share: bool = True,
    ) -> None:
        """Give each worker with room a chunk: its own items first, else (with ``share``) anyone's."""
        for worker in self.workers:
            while worker.room and self._send_chunk(worker, slots, fn, args, exhausted, share):
                pass

    def _short_of_own(self, slots: deque[_Slot]) -> bool:
        """Whether some worker has room but no item of its own waiting among ``slots``."""
        hungry = {worker.index for worker in self.workers if worker.room}
        if hungry:  # most of the time every worker has its two tasks
            hungry -= {slot.owner for slot in slots if slot.task is None}
        return bool(hungry)

    def _top_up(
        self, slots: deque[_Slot], fn: Callable[..., Any], args: tuple[Any, ...], exhausted: bool, need: int
    ) -> None:
        """Before this process does an item of weight ``need``: give each worker at least as much."""
        for worker in self.workers:
            while not worker.dead and worker.weight < need:
                if not self._send_chunk(worker, slots, fn, args, exhausted):
                    break

    def _send_chunk(
        self,
        worker: _Worker,
        slots: deque[_Slot],
        fn: Callable[..., Any],
        args: tuple[Any, ...],
        exhausted: bool,
        share: bool = True,
    ) -> bool:
        """Send ``worker`` a chunk, items it owns first, else (with ``share``) items nobody owns.

        False if there was none to send.
        """
        mine = [s for s in slots if s.owner == worker.index and s.task is None][: self.chunk]
        if not mine and share:
            free = [slot for slot in slots if slot.open]
            shares = 2 * (len(self.workers) + 1)  # as the stream ends, chunks of this share of what is left
            size = self.chunk if not exhausted else max(1, min(self.chunk, len(free) // shares))
            # From the far end while the stream lasts, so that this process finds items of its
            # own near the head; once it has ended, the items next in line (see :meth:`map`).
            mine = (free[:size] if exhausted else free[-size:]) if free else []
        if not mine:
            return False
        task = _Task(mine, weight=sum(slot.weight for slot in mine))
        for slot in mine:
            slot.task = task
        worker.send(fn, args, task)
        return True

    def _pump(self) -> bool:
        """Write to each worker what its pipe takes and read what it sent; True if a task finished.

        Never waits; replies stay packed until needed. A worker that has ended fails its tasks
        in hand, and the error is raised here.
        """
        finished = False
        for worker in self.workers:
            if worker.dead:
                continue
            worker.flush()
            if worker.receive():
                finished = True
                if worker.lost is not None:
                    raise worker.lost
        return finished

    def _wait(self) -> None:
        """Wait until some worker finishes a task (or dies)."""
        while not self._pump():
            live = [worker for worker in self.workers if not worker.dead]
            if not live:
                raise WorkerDied("every worker process has ended")
            readers = [worker.replies.fileno() for worker in live]
            writers = [worker.tasks.fileno() for worker in live if worker.pending]
            select.select(readers, writers, [])

    def _wait_for(self, task: _Task) -> None:
        """Wait until ``task`` is finished, then unpack its results into its slots."""
        while not task.finished:
            self._wait()
        self._unpack(task)

    @staticmethod
    def _unpack(task: _Task) -> None:
        if task.error is not None:
            raise task.error
        assert task.reply is not None
        ok, value = loads_quietly(task.reply)
        task.reply = b""
        if not ok:
            raise value
        for slot, result in zip(task.slots, value, strict=True):
            slot.result = result
        task.slots = []  # a slot names its task: without this, each chunk would be a cycle


class Posted:
    """The results of :meth:`WorkerPool.post`, once the worker has sent them."""

    def __init__(self, pool: WorkerPool, task: _Task, slots: list[_Slot]) -> None:
        self._pool = pool
        self._task = task
        self._slots = slots

    @property
    def done(self) -> bool:
        """Whether the results are here (or the worker failed): :meth:`results` will not wait."""
        if self._task.slots and not self._task.finished:
            self._pool._pump()
        return self._task.finished or not self._task.slots

    def results(self) -> list[Any]:
        """``fn(item, *args)`` for each item, in order; waits for them if need be."""
        if self._task.slots:  # not unpacked yet
            self._pool._wait_for(self._task)
        return [slot.result for slot in self._slots]
