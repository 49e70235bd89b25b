"""The store that keeps pass one's pages for pass two: order, the spill file, and its failures."""

from __future__ import annotations

import os

import pytest

from cleaner import forking, spill
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


def _close_when_told(store: SpillDict[int, str], word: forking.PipeEnd) -> None:
    word.recv_bytes()
    store.close()  # a buffered copy would flush first: seek the file back by what it read ahead


@pytest.mark.skipif(not hasattr(os, "fork"), reason="os.fork is POSIX only")
def test_a_forked_process_closing_an_inherited_store_leaves_the_parent_file_alone() -> None:
    """A worker forked while a store's file was open holds that file too; closing its copy must
    neither fail nor move the parent's reading (seen: EINVAL, with a buffer that read ahead)."""
    store: SpillDict[int, str] = SpillDict(0)
    for key in range(3):  # pages that do not compress: a buffer would read ahead into the next
        assert store.add(key, f"page {key} " + os.urandom(6000).hex(), 12_000)
    assert store.take(0).startswith("page 0")  # a buffer would now hold part of the next page
    reading, writing = forking.pipe()
    child = forking.ForkedProcess(_close_when_told, (store, reading), close_in_child=(writing.fileno(),))
    reading.close()
    assert store.file is not None
    store.file.seek(0)  # the file's offset, shared with the child, moves back (as reading does)
    writing.send_bytes(b"close")
    child.join(timeout=30)
    assert child.exitcode == 0
    assert store.take(2).startswith("page 2") and store.take(1).startswith("page 1")
    store.close()
    writing.close()
