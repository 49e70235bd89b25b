"""How a run of ``cleaner run`` (and each of its workers) sets up the cycle collector.

A run makes many short-lived objects and few cycles: a page's records die by reference
counting, and what outlives a page (word tables, caches of answers) lives as long as the run.
Python's default thresholds (700, 10, 10) collect the young generation every 700 new
objects and walk the older ones again and again as the caches grow: 4% of a 40 MB run, most
of it in full collections whose cost grows with the heap. Here the heap alive at the start
is frozen (no collection walks it) and the young generation is collected in larger batches,
so each object is walked about once (measured on the bench's 40 MB corpus by
``bench/collector.py``: 0.68 s of collecting down to 0.16 s, peak memory unchanged).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

YOUNG = 50_000  # new container objects between two collections of the young generation
MIDDLE = 20  # young collections between two of the middle generation
OLD = 10  # middle collections between two full ones (and only once the heap grew by a quarter)


def settle() -> None:
    """Freeze what is alive now (it lives as long as the run) and collect in larger batches.

    For a process that runs a batch to its end (a worker); ``cleaner run`` itself uses
    :func:`settled`. A library caller keeps Python's defaults.
    """
    gc.freeze()
    gc.set_threshold(YOUNG, MIDDLE, OLD)


@contextlib.contextmanager
def settled() -> Iterator[None]:
    """:func:`settle` for the length of a run, then the thresholds the caller had.

    ``cleaner run`` called in-process (a script, a test) leaves the caller's collector as it was
    found, but for the heap frozen at the start, which stays frozen as it always has.
    """
    before = gc.get_threshold()
    settle()
    try:
        yield
    finally:
        gc.set_threshold(*before)
