"""The worker pool behind ``-j N``: order, each item once, items sent to the worker that owns
them, pages left in the worker that prepared them, and clear errors when a worker fails."""

from __future__ import annotations

import multiprocessing
import os
import threading
import zlib
from collections import deque
from pathlib import Path

import pytest

from cleaner import pipeline, spill, workers
from cleaner.document import Document
from cleaner.errors import CleanerError
from cleaner.pipeline import (
    Failure,
    Held,
    Mapper,
    Options,
    Prepared,
    first_pass_at,
    process_and_fingerprint,
    run_batch,
)
from cleaner.ring import RING_BYTES
from cleaner.workers import WorkerDied, WorkerPool, worker_index
from conftest import PAGE_000, PAGE_003


def _logged_square(item: tuple[str, int]) -> int:
    """Square the number, appending it to the log (one line per call, whichever process)."""
    log, number = item
    with open(log, "a") as handle:
        handle.write(f"{number}\n")
    return number * number


@pytest.mark.parametrize("jobs", [2, 3])
def test_worker_processes_and_this_one_share_items_each_once(tmp_path: Path, jobs: int) -> None:
    """Results in input order, and no item is done twice (each call is logged, by any process)."""
    items = [(str(tmp_path / "calls.log"), i) for i in range(60)]
    with Mapper(jobs, chunk=3) as mapper:
        results = list(mapper.map(_logged_square, items))
    assert results == [i * i for i in range(60)]
    logged = (tmp_path / "calls.log").read_text().split()
    assert sorted(map(int, logged)) == list(range(60))


def _spin(number: int) -> int:
    """A few milliseconds of CPU, then the number."""
    return sum(range(200_000)) + number


def _unit(item: object) -> int:
    return 1


def test_an_item_this_process_takes_is_not_also_sent_to_a_worker(tmp_path: Path) -> None:
    """Topping up a worker before this process does an item must not send that same item.

    The worker's two tasks are posted work (no weight), so it is topped up; the only item
    left is the one this process has taken, and it is done once.
    """
    log = str(tmp_path / "calls.log")
    pool = WorkerPool(1, chunk=2)
    try:
        posted = [pool.post(0, _spin, [n]) for n in range(workers.DEPTH)]
        results = list(pool.map(_logged_square, [(log, 7)], weight=_unit))
        assert [p.results() for p in posted] == [[_spin(n)] for n in range(workers.DEPTH)]
    finally:
        pool.close()
    assert results == [49]
    assert (tmp_path / "calls.log").read_text().split() == ["7"]


def _where(number: int, offset: int) -> tuple[int, int | None, int]:
    """The number plus ``offset``, which worker did it, and in which process."""
    return number + offset, worker_index(), os.getpid()


def _owner(number: int) -> int | None:
    """Multiples of 3 belong to worker 0, numbers ending in 3 to worker 1, the rest to nobody."""
    if number % 3 == 0:
        return 0
    return 1 if number % 10 == 3 else None


def test_owned_items_go_to_their_worker_and_the_rest_anywhere() -> None:
    pool = WorkerPool(2, chunk=4)
    try:
        results = list(pool.map(_where, range(100), (1000,), owner=_owner))
    finally:
        pool.close()
    assert [value for value, _, _ in results] == [n + 1000 for n in range(100)]
    for number, (_, worker, pid) in enumerate(results):
        if _owner(number) is not None:
            assert worker == _owner(number)
            assert pid != os.getpid()
    workers_pids = {pid for _, worker, pid in results if worker is not None}
    assert len(workers_pids) == 2  # both workers did work, each in a process of its own
    assert all(worker is None for _, worker, pid in results if pid == os.getpid())


def _fails_on_seven(number: int) -> int:
    if number == 7:
        raise ValueError("seven is not welcome")
    return number


def test_an_error_in_a_worker_is_raised_here_with_its_message() -> None:
    with Mapper(2, chunk=2) as mapper, pytest.raises(ValueError, match="seven is not welcome"):
        # item 7 belongs to the worker, so the error must cross the pipe
        list(mapper.map(_fails_on_seven, range(20), owner=lambda n: 0 if n == 7 else None))


def _dies_on_five(number: int) -> int:
    if number == 5 and worker_index() is not None:
        os._exit(3)
    return number


def test_a_worker_that_dies_gives_a_clear_error_not_a_hang() -> None:
    with Mapper(2, chunk=2) as mapper, pytest.raises(WorkerDied, match="exit code 3"):
        list(mapper.map(_dies_on_five, range(40), owner=lambda n: 0 if n == 5 else None))


def _echo_doubled(text: str) -> str:
    return text + text


def test_tasks_and_answers_larger_than_a_pipe_get_through_whole() -> None:
    """Items and answers of megabytes get through whole (tasks by the shared ring, or the pipe)."""
    items = [chr(ord("a") + n) * (workers.PIPE_BYTES + 12_345 * n) for n in range(4)]
    items.append("z" * (RING_BYTES + 1))  # too large for the shared ring too: through the pipe
    with Mapper(2, chunk=1) as mapper:
        results = list(mapper.map(_echo_doubled, items, weight=len))
    assert results == [item + item for item in items]


def test_workers_started_without_fork_use_the_pipes_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the spawn start method (macOS's default) there is no shared ring: large tasks and
    answers go through the pipes in parts, and come back the same."""
    spawn = multiprocessing.get_context("spawn")
    monkeypatch.setattr(multiprocessing, "get_context", lambda *method: spawn)
    pool = WorkerPool(1, chunk=1)
    try:
        assert pool.workers[0].ring is None
        items = ["x" * (3 * workers.PIPE_BYTES), "y" * 10]
        assert list(pool.map(_echo_doubled, items, weight=len)) == [item + item for item in items]
    finally:
        pool.close()


def test_the_driver_starts_no_thread() -> None:
    """Pipes are read and written by the driver's one thread: a second thread would make every
    lock of the process an atomic operation (the ``regex`` module takes one at each match)."""
    before = threading.active_count()
    with Mapper(3, chunk=2) as mapper:
        for _ in mapper.map(_where, range(50), 0):
            assert threading.active_count() == before


def test_a_worker_ends_when_the_driver_is_gone() -> None:
    """The worker keeps no copy of the driver's ends: when they close, it reads the end and exits."""
    pool = WorkerPool(2)
    try:
        for worker in pool.workers:
            worker.tasks.close()  # as a driver that died would: no word to stop
        for worker in pool.workers:
            worker.process.join(timeout=10)
            assert worker.process.exitcode == 0
    finally:
        for worker in pool.workers:
            if worker.process.is_alive():
                worker.process.kill()
            worker.replies.close()


def _page(name: str, text: str) -> Document:
    return Document(id=name, source=f"{name}.txt", raw=text.encode())


TEXT_000, TEXT_003 = PAGE_000.read_text(encoding="utf-8"), PAGE_003.read_text(encoding="utf-8")


def test_a_worker_keeps_the_pages_it_prepared_until_pass_two_takes_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """In a worker, pass one answers with a stand-in; pass two there gives what a whole page gives."""
    options = Options()
    page = _page("p", TEXT_000)
    _, whole = first_pass_at((4, page), options, "batch-a", 10**6)  # not a worker: the page itself
    assert isinstance(whole, Prepared)
    expected = process_and_fingerprint((4, whole), options, {}, "batch-a")

    monkeypatch.setattr(workers, "_index", 1)  # as if in worker 1
    evidence, stand_in = first_pass_at((4, page), options, "batch-b", 10**6)
    assert stand_in == Held(1)
    assert evidence == first_pass_at((4, page), options, "batch-c", 0)[0]  # same evidence
    assert process_and_fingerprint((4, stand_in), options, {}, "batch-b") == expected
    with pytest.raises(CleanerError, match="page 4 is not held"):  # taken once, then let go
        process_and_fingerprint((4, stand_in), options, {}, "batch-b")


def test_a_worker_keeps_pages_beyond_its_share_in_a_temporary_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past its memory share a worker still keeps its pages (on disk); they come back whole, in any order."""
    monkeypatch.setattr(workers, "_index", 0)
    options = Options()
    pages = [_page("s", "A short page about the weather.\n"), _page("l", TEXT_003), _page("m", TEXT_000)]
    prepared = [first_pass_at((i, page), options, "batch-d", 0)[1] for i, page in enumerate(pages)]
    held = [first_pass_at((i, page), options, "batch-e", 500)[1] for i, page in enumerate(pages)]
    assert held == [Held(0)] * 3
    assert len(pipeline._held.pages.places) == 2  # the two long pages went to the file
    for position, page in reversed(list(enumerate(prepared))):
        assert isinstance(page, Prepared)
        expected = process_and_fingerprint((position, page), options, {}, "batch-x")
        assert process_and_fingerprint((position, Held(0)), options, {}, "batch-e") == expected


def test_a_worker_whose_file_fails_hands_its_pages_back(monkeypatch: pytest.MonkeyPatch) -> None:
    """No room and no temporary file: the page goes back to the driver instead of being lost."""
    monkeypatch.setattr(workers, "_index", 0)

    def no_file(*args: object, **kwargs: object) -> None:
        raise OSError("no space left on device")

    monkeypatch.setattr(spill, "_temporary_file", no_file)
    _, kept = first_pass_at((0, _page("l", TEXT_003)), Options(), "batch-f", 10)
    assert isinstance(kept, Prepared) and isinstance(kept.page, Document)


def test_a_page_a_worker_cannot_read_back_is_a_failure_named_by_its_source(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(workers, "_index", 0)
    options = Options()
    for position, page in enumerate([_page("a", TEXT_000), _page("b", TEXT_003)]):
        assert first_pass_at((position, page), options, "batch-g", 10)[1] == Held(0)

    def damaged(data: bytes) -> bytes:
        raise zlib.error("invalid stored block lengths")

    monkeypatch.setattr(spill.zlib, "decompress", damaged)
    result, prints = process_and_fingerprint((0, Held(0)), options, {}, "batch-g")
    assert isinstance(result, Failure) and result.source == "a.txt"
    assert result.message.startswith("the worker process could not read back the page it kept")
    assert prints is None


@pytest.mark.parametrize("jobs", [2, 3])
def test_pages_left_in_workers_give_the_same_documents(jobs: int) -> None:
    """Pass two in the worker that kept the page gives what one process gives, page for page."""
    pages = [
        _page(f"p{i}", (TEXT_000, TEXT_003)[i % 2] + f"\nThis is page {i} of the series.\n")
        for i in range(30)
    ]
    assert list(run_batch(pages, jobs=jobs)) == list(run_batch(pages))


def test_posted_work_runs_in_the_named_worker_while_maps_go_on() -> None:
    pool = WorkerPool(2, chunk=4)
    try:
        posted = pool.post(1, _where, [1, 2, 3], (100,))
        mapped = list(pool.map(_where, range(40), (0,)))
        later = pool.post(0, _where, [7], (100,))
        results = posted.results()
        assert later.results()[0][:2] == (107, 0)
    finally:
        pool.close()
    assert [(value, worker) for value, worker, _ in results] == [(101, 1), (102, 1), (103, 1)]
    assert [value for value, _, _ in mapped] == list(range(40))
    assert posted.done


class _CountedArgument:
    """An argument that counts how often this process pickles it (to send it to a worker)."""

    pickled = 0

    def __reduce__(self) -> tuple[type, tuple[()]]:
        _CountedArgument.pickled += 1
        return _CountedArgument, ()


def _add_one(number: int, argument: _CountedArgument) -> int:
    return number + 1


def test_a_worker_is_sent_the_same_function_and_arguments_once() -> None:
    """Maps over the parts of a stream, and work posted with the same arguments, do not resend them."""
    argument = _CountedArgument()
    _CountedArgument.pickled = 0
    with Mapper(2, chunk=2) as mapper:
        for part in range(3):
            numbers = range(part * 20, part * 20 + 20)
            assert list(mapper.map(_add_one, numbers, argument, owner=lambda n: 0)) == [
                n + 1 for n in numbers
            ]
        assert mapper.post(0, _add_one, [5], argument).results() == [6]
        assert _CountedArgument.pickled == 1
        assert list(mapper.map(_add_one, range(4), _CountedArgument(), owner=lambda n: 0)) == [1, 2, 3, 4]
        assert _CountedArgument.pickled == 2  # a new argument object is sent


def _finished_page(doc: Document) -> tuple[str, tuple[str, ...], tuple[str, ...], int | None]:
    """What a test's finishing step sees of a page, and the worker it ran in (None: the driver)."""
    return doc.id, tuple(s.text for s in doc.segments), tuple(r.reason for r in doc.removals), worker_index()


@pytest.mark.parametrize("jobs", [2, 3])
def test_pages_are_finished_in_the_process_that_made_them(jobs: int) -> None:
    """With a finishing step, repeats across the batch are taken out as in one process, and the
    workers finish (here, would write) the pages they processed instead of sending them back."""
    pages = [
        _page(f"p{i}", (TEXT_000, TEXT_003)[i % 2] + f"\nThis is page {i} of the series.\n")
        for i in range(30)
    ]
    alone = list(pipeline.run_stream(lambda: pages, Options(), Mapper(1), _finished_page))
    with Mapper(jobs, chunk=2) as mapper:
        shared = list(pipeline.run_stream(lambda: pages, Options(), mapper, _finished_page))
    assert [page[:3] for page in shared] == [page[:3] for page in alone]
    assert {page[3] for page in alone} == {None}
    assert {page[3] for page in shared} >= {None, 0}  # both the driver and a worker finished pages
    assert any("duplicate" in page[2] for page in shared[1:])  # the repeats were found across pages


def _here_or_zero(number: int) -> int | None:
    """Even numbers belong to this process (HERE), multiples of 5 to worker 0, the rest to nobody."""
    if number % 2 == 0:
        return workers.HERE
    return 0 if number % 5 == 0 else None


def test_items_owned_here_are_done_here_and_never_sent() -> None:
    with Mapper(2, chunk=2) as mapper:
        results = list(mapper.map(_where, range(40), 0, owner=_here_or_zero))
    assert [number for number, _, _ in results] == list(range(40))
    for number, worker, pid in results:
        if number % 2 == 0:
            assert (worker, pid) == (None, os.getpid()), number
        elif number % 5 == 0:
            assert worker == 0, number


def test_a_worker_gets_as_much_to_do_as_the_heavy_item_this_process_takes() -> None:
    """Before the driver does an item of weight w itself, each worker has items of weight >= w."""
    pool = WorkerPool(1, chunk=2)
    try:
        slots = deque(workers._Slot(i, None, weight=10) for i in range(40))
        pool._top_up(slots, _where, (0,), False, need=95)
        sent = [slot for slot in slots if slot.task is not None]
        assert len(pool.workers[0].sent) == 5 > workers.DEPTH  # five chunks of two items of 10
        assert pool.workers[0].weight == 100 >= 95
        assert [slot.item for slot in sent] == list(range(30, 40))  # from the far end, as usual
        for task in list(pool.workers[0].sent):
            pool._wait_for(task)
        assert [slot.result[0] for slot in sent] == list(range(30, 40))
    finally:
        pool.close()


def test_once_the_stream_has_ended_a_worker_gets_the_items_next_in_line() -> None:
    """At the end, a worker's chunk comes from the head, so its results are not the last wanted.

    A caller finishing results in order would otherwise get the far end's all at once, at the
    very end, with the worker still to finish them while this process waits.
    """
    pool = WorkerPool(1, chunk=8)
    try:
        slots = deque(workers._Slot(i, None, weight=10) for i in range(40))
        slots[0].owner = workers.HERE  # taken by this process: never sent
        assert pool._send_chunk(pool.workers[0], slots, _where, (0,), exhausted=True)
        sent = [slot.item for slot in slots if slot.task is not None]
        assert sent == list(range(1, 9))  # the open items next in line (a whole chunk: 39 are left)
        assert pool._send_chunk(pool.workers[0], slots, _where, (0,), exhausted=False)
        assert [slot.item for slot in slots if slot.task is not None][8:] == list(range(32, 40))
        for task in list(pool.workers[0].sent):
            pool._wait_for(task)
    finally:
        pool.close()


_YIELDED = [0]  # results the test has taken so far (read in this process only)


def _busy_or_noted(number: int) -> tuple[int, int | None, int]:
    """The number, the worker that did it, and (here) how many results had been taken by then.

    Worker 0's items take a few milliseconds of CPU each.
    """
    if worker_index() == 0:
        sum(range(100_000))
    return number, worker_index(), _YIELDED[0]


def _first_sixty_to_worker_zero(number: int) -> int | None:
    return 0 if number < 60 else None


def test_with_nothing_to_do_this_process_reads_further_ahead() -> None:
    """The first 60 items are worker 0's: rather than wait, this process does later ones."""
    _YIELDED[0] = 0
    results = []
    with Mapper(2, chunk=4) as mapper:
        assert mapper._pool is not None
        span = mapper._pool.span
        assert span < 60 < workers.STRETCH * span
        for result in mapper.map(_busy_or_noted, range(200), owner=_first_sixty_to_worker_zero):
            results.append(result)
            _YIELDED[0] += 1
    assert [number for number, _, _ in results] == list(range(200))
    assert all(worker == 0 for _, worker, _ in results[:60])
    first_here = next(result for result in results if result[1] is None)
    assert first_here[0] == 60
    assert first_here[2] < 60 - span  # done when the usual read-ahead could not have reached it


_DONE_HERE = [0]  # items this process (each worker process its own copy) has done so far


def _counted(number: int) -> tuple[int, int | None, int]:
    """The number, the worker that did it, and how many items that process had done before."""
    _DONE_HERE[0] += 1
    return number, worker_index(), _DONE_HERE[0]


def _sixty_to_eighty_to_worker_zero(number: int) -> int | None:
    return 0 if 60 <= number < 80 else None


def test_a_worker_gets_its_own_items_from_further_ahead_before_anyone_elses() -> None:
    """Items 60-79 are worker 0's, beyond the usual read-ahead: it does them before any other."""
    with Mapper(2, chunk=4) as mapper:
        assert mapper._pool is not None
        span = mapper._pool.span
        assert span < 60 and workers.STRETCH * span >= 80
        results = list(mapper.map(_counted, range(200), owner=_sixty_to_eighty_to_worker_zero))
    assert [number for number, _, _ in results] == list(range(200))
    by_worker = sorted((count, number) for number, worker, count in results if worker == 0)
    assert [number for _, number in by_worker[:20]] == list(range(60, 80))


def test_release_plan_keeps_this_process_level_with_each_worker() -> None:
    sizes = [100] * 40
    owners = [0 if i % 4 else -1 for i in range(40)]  # the worker kept three pages in four
    plan = pipeline.release_plan(owners, sizes)
    handed = set(plan[0])
    mine = sum(100 for i in range(40) if owners[i] < 0 or i in handed)
    assert abs(2 * mine - sum(sizes)) <= 2 * 100  # level in total, within a page...
    for end in range(4, 41, 4):  # ...and all along the line, within a page
        here = sum(100 for i in range(end) if owners[i] < 0 or i in handed)
        assert abs(2 * here - 100 * end) <= 200, end
    assert pipeline.release_plan([-1, -1, 0], [5, 5, 100]) == {}  # this process is ahead: nothing moves
    assert pipeline.release_plan([0, 1, 0, 1], [10, 10, 10, 10]) == {}  # two workers, each level


def test_pages_handed_back_come_out_as_with_one_process(tmp_path: Path) -> None:
    """Uneven pages (one long, many short): some held pages come back; the output is the same."""
    long_page = PAGE_003.read_text(encoding="utf-8") * 6
    short = PAGE_000.read_text(encoding="utf-8")
    texts = [long_page if i % 7 == 0 else short.replace("ICT", f"ICT{i}") for i in range(30)]
    docs = [Document(id=f"p{i}", source=f"p{i}.txt", raw=t.encode()) for i, t in enumerate(texts)]
    one = list(run_batch(docs, Options(), jobs=1))
    two = list(run_batch(docs, Options(), jobs=2))
    assert [d.segments for d in two] == [d.segments for d in one]
    assert [d.removals for d in two] == [d.removals for d in one]
