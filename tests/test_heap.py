"""The cycle collector's set-up for a run: the heap frozen, the young generation batched."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from cleaner import heap
from cleaner.cli import main


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


def test_a_run_in_process_raises_the_thresholds_then_gives_the_callers_back(
    restored_collector: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = tmp_path / "page.txt"
    page.write_text("The Ministry of Information and Communications met on Monday.\n", encoding="utf-8")
    during: list[tuple[int, int, int]] = []
    settle = heap.settle

    def watched() -> None:
        settle()
        during.append(gc.get_threshold())

    monkeypatch.setattr(heap, "settle", watched)
    gc.set_threshold(700, 10, 10)
    assert main(["run", str(page), "--out", str(tmp_path / "out")]) == 0
    assert during == [(heap.YOUNG, heap.MIDDLE, heap.OLD)]
    assert gc.get_threshold() == (700, 10, 10)
    assert (tmp_path / "out" / "page.segments.jsonl").is_file()
