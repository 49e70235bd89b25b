"""The store that keeps pass one's pages for pass two: order, the spill file, and its failures."""

from __future__ import annotations

import pytest

from cleaner import spill
from cleaner.spill import SpillDict, SpillStore

PAGES = [{"id": f"p{i}", "text": f"Page {i}: Chuyển đổi số quốc gia. " * (i + 1)} for i in range(8)]


def test_items_come_back_in_order_from_memory_then_the_file() -> None:
    store: SpillStore[dict[str, str]] = SpillStore(memory_chars=100)
    for page in PAGES:
        store.add(page, len(page["text"]))
    assert len(store.memory) == 2 and store.spilled == 6 and len(store) == 8
    assert list(store.drain()) == PAGES
    assert store.file is None  # the temporary file is closed (and so deleted) once read


def test_a_full_disk_leaves_a_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_space(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(spill, "_temporary_file", no_space)
    store: SpillStore[dict[str, str]] = SpillStore(memory_chars=100)
    for page in PAGES:
        store.add(page, len(page["text"]))
    assert store.full and len(store) == 2
    assert list(store.drain()) == PAGES[:2]


def test_a_damaged_file_is_read_up_to_the_damage() -> None:
    store: SpillStore[dict[str, str]] = SpillStore(memory_chars=0)
    for page in PAGES:
        store.add(page, len(page["text"]))
    assert store.file is not None
    store.file.flush()
    size = store.file.tell()
    store.file.seek(size // 2)
    store.file.write(b"\xff" * 16)  # overwrite part of a record in the middle
    got = list(store.drain())
    assert 0 < len(got) < len(PAGES) and got == PAGES[: len(got)]


def test_an_item_taken_back_gives_its_room_back() -> None:
    """A keyed store taken from as it is added to stays in memory (no file) while it holds little."""
    store: SpillDict[int, str] = SpillDict(memory_chars=100)
    for key in range(50):
        assert store.add(key, "x" * 60, 60)
        assert store.take(key) == "x" * 60
    assert store.file is None and store.room == 100
    assert store.add(50, "a" * 60, 60) and store.add(51, "b" * 60, 60)
    assert store.file is not None  # the second did not fit beside the first
    assert store.take(51) == "b" * 60 and store.take(50) == "a" * 60
