"""Workers forked without multiprocessing: exit codes, waiting, and the pipes' framing."""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from cleaner import forking
from cleaner.forking import ForkedProcess, PipeEnd, pipe
from conftest import PAGE_000, SAMPLES

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="os.fork is POSIX only")


def _raise() -> None:
    raise RuntimeError("broken in the child")


def _exit_with(code: object) -> None:
    sys.exit(code)


def _wait_for_word(end: PipeEnd) -> None:
    end.recv_bytes()


@pytest.mark.parametrize(
    ("target", "args", "code"),
    [
        (print, (), 0),
        (_raise, (), 1),
        (_exit_with, (3,), 3),
        (_exit_with, (None,), 0),
        (_exit_with, ("why",), 1),
    ],
)
def test_a_forked_child_ends_with_the_code_multiprocessing_would_give(
    target: object, args: tuple[object, ...], code: int
) -> None:
    child = ForkedProcess(target, args)  # type: ignore[arg-type]
    child.join(timeout=30)
    assert child.exitcode == code
    assert not child.is_alive()


def test_join_with_a_timeout_returns_while_the_child_runs_and_kill_ends_it() -> None:
    reading, writing = pipe()
    child = ForkedProcess(_wait_for_word, (reading,))
    reading.close()
    child.join(timeout=0.05)  # the child waits for a word that does not come
    assert child.exitcode is None and child.is_alive()
    child.kill()
    child.join(timeout=30)
    assert child.exitcode == -signal.SIGKILL
    writing.close()


def test_a_child_whose_pipe_closes_reads_the_end_and_exits() -> None:
    reading, writing = pipe()
    child = ForkedProcess(_wait_for_word, (reading,), close_in_child=(writing.fileno(),))
    reading.close()
    writing.close()  # recv_bytes raises EOFError in the child: its traceback, exit code 1
    child.join(timeout=30)
    assert child.exitcode == 1


def test_pipe_ends_frame_messages_as_multiprocessing_connections_do() -> None:
    """Either end may be a Connection: the worker's side and the driver's must agree on framing."""
    read_fd, write_fd = os.pipe()
    ours_writes = PipeEnd(write_fd)
    theirs = multiprocessing.connection.Connection(read_fd, writable=False)
    for message in (b"", b"x", "Vĩnh Phúc".encode() * 1000):
        ours_writes.send_bytes(message)
        assert theirs.recv_bytes() == message
    ours_writes.close()
    theirs.close()

    their_read, their_write = multiprocessing.Pipe(duplex=False)
    ours_reads = PipeEnd(os.dup(their_read.fileno()))
    their_read.close()
    their_write.send_bytes(b"a page")
    assert ours_reads.recv_bytes() == b"a page"
    their_write.close()
    with pytest.raises(EOFError):
        ours_reads.recv_bytes()
    ours_reads.close()
    ours_reads.close()  # closing twice does nothing
    with pytest.raises(ValueError):
        ours_reads.fileno()


def test_workers_fork_by_themselves_where_multiprocessing_would_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    spawn = multiprocessing.get_context("spawn")
    monkeypatch.setattr(multiprocessing, "get_context", lambda *method: spawn)
    assert not forking.forks_by_itself()  # a program that chose spawn is heard
    monkeypatch.undo()
    assert forking.forks_by_itself() == (multiprocessing.get_context().get_start_method() == "fork")


@pytest.mark.parametrize(
    ("inputs", "jobs", "forks"),
    [
        ("page", 1, 0),  # multiprocessing (socket, selectors...) is for the pool alone: 8 ms of every start
        pytest.param(
            "samples",
            2,
            1,  # starting the worker through multiprocessing took 14 to 19 ms of the serial start
            marks=pytest.mark.skipif(
                not forking._FORK_BY_DEFAULT, reason="multiprocessing does not fork here"
            ),
        ),
    ],
)
def test_a_run_never_imports_multiprocessing_where_it_would_fork(
    tmp_path: Path, inputs: str, jobs: int, forks: int
) -> None:
    source = PAGE_000 if inputs == "page" else SAMPLES
    code = (
        "import sys\n"
        "from cleaner import cli, forking\n"
        "started = []\n"
        "start = forking.ForkedProcess.__init__\n"
        "def counted(self, *args, **kwargs):\n"
        "    started.append(1)\n"
        "    start(self, *args, **kwargs)\n"
        "forking.ForkedProcess.__init__ = counted\n"
        f"status = cli.main(['run', {str(source)!r}, '--out', {str(tmp_path / 'out')!r}, '-j', '{jobs}'])\n"
        "print(status, len(started), 'multiprocessing' in sys.modules)\n"
    )
    env = dict(os.environ, CLEANER_CACHE_DIR=str(tmp_path / "cache"))
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["0", str(forks), "False"]
    pages = [PAGE_000] if inputs == "page" else list(SAMPLES.glob("*.txt"))
    assert len(list((tmp_path / "out").glob("*.segments.jsonl"))) == len(pages)
