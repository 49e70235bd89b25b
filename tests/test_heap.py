"""The cycle collector's set-up for a run: the heap frozen, the young generation batched."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from cleaner import heap


@pytest.fixture
def restored_collector() -> Iterator[None]:
    """Put Python's thresholds back and unfreeze after the test, for the tests that follow."""
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


def test_settle_freezes_the_heap_and_raises_the_thresholds(restored_collector: None) -> None:
    heap.settle()
    assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == (heap.YOUNG, heap.MIDDLE, heap.OLD)
    assert heap.YOUNG > 700  # fewer young collections than Python's default


def test_cycles_made_after_settle_are_still_collected(restored_collector: None) -> None:
    heap.settle()
    cycle: list[object] = []
    cycle.append(cycle)
    del cycle
    assert gc.collect() >= 1  # a raised threshold delays collection, never stops it
