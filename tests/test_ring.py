"""The shared ring that carries large messages to a forked worker: room, order, reuse."""

from __future__ import annotations

import multiprocessing
import os

import pytest

from cleaner.ring import Ring


class Owner:
    def __init__(self) -> None:
        self.done = False


def _done(owner: Owner) -> bool:
    return owner.done


def test_messages_are_placed_in_order_and_read_back() -> None:
    ring = Ring(100)
    first, second = Owner(), Owner()
    assert ring.place(b"a" * 40, first) == 0
    assert ring.place(b"b" * 40, second) == 40
    with ring.read(40, 40) as view:
        assert bytes(view) == b"b" * 40
    ring.close()


def test_no_room_until_the_oldest_is_done_then_the_start_is_reused() -> None:
    ring = Ring(100)
    first, second, third = Owner(), Owner(), Owner()
    ring.place(b"a" * 40, first)
    ring.place(b"b" * 40, second)
    assert ring.place(b"c" * 40, third) is None  # 20 bytes left at the end, none at the start
    second.done = True
    ring.release(_done)  # the oldest is not done: nothing is freed, whatever comes after it
    assert ring.place(b"c" * 40, third) is None
    first.done = True
    ring.release(_done)
    assert ring.place(b"c" * 40, third) == 0  # everything answered: from the start again
    ring.close()


def test_after_wrapping_the_space_before_the_oldest_is_used() -> None:
    ring = Ring(100)
    owners = [Owner() for _ in range(4)]
    ring.place(b"a" * 30, owners[0])
    ring.place(b"b" * 30, owners[1])
    owners[0].done = True
    ring.release(_done)  # [30, 60) in use
    assert ring.place(b"c" * 30, owners[2]) == 0  # fits before the oldest: the start first
    assert ring.place(b"d" * 10, owners[3]) is None  # wrapped: nothing lies between [0, 30) and [30, 60)
    owners[1].done = True
    ring.release(_done)  # [0, 30) in use, now the oldest
    assert ring.place(b"d" * 10, owners[3]) == 30
    ring.close()


def test_a_message_larger_than_the_ring_does_not_go_in() -> None:
    ring = Ring(100)
    assert ring.place(b"x" * 101, Owner()) is None
    ring.close()


def _read_in_child(ring: Ring, offset: int, length: int, conn: object) -> None:
    with ring.read(offset, length) as view:
        conn.send_bytes(bytes(view))  # type: ignore[attr-defined]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the ring is shared by forking")
def test_a_forked_child_reads_what_the_parent_places_later() -> None:
    """The mapping is shared, not copied: bytes placed after the fork are seen by the child."""
    context = multiprocessing.get_context("fork")
    ring = Ring(1 << 16)
    reader, writer = context.Pipe(duplex=False)
    start, child_start = context.Pipe(duplex=False)
    payload = os.urandom(5000)

    def child() -> None:
        start.recv_bytes()  # placed by now
        _read_in_child(ring, 100, len(payload), writer)

    ring.place(b"z" * 100, Owner())
    process = context.Process(target=child)
    process.start()
    ring.place(payload, Owner())
    child_start.send_bytes(b"go")
    assert reader.recv_bytes() == payload
    process.join(timeout=10)
    assert process.exitcode == 0
    ring.close()
