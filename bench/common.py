"""Helpers shared by the bench scripts: locating the shared benchmarks, timing, tables."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

DEFAULT_BENCHMARKS = Path(__file__).resolve().parent.parent.parent / "shared" / "benchmarks"


def child_env(bytecode: bool = True) -> dict[str, str]:
    """The environment for a timed child process: Python's default bytecode caching, or none.

    Some machines set ``PYTHONDONTWRITEBYTECODE`` (container images often do; this project's
    do), and then a checkout installed in editable mode compiles every module of cleaner from
    source at every start: about 30 ms before the first page, and again in each worker for a
    module first imported after the fork. A wheel's modules are compiled when it is installed,
    and Python's default is to cache bytecode (in ``__pycache__``, which git ignores), so the
    bench measures that case; the first, untimed run writes the cache. ``bytecode=False``
    gives the environment as it is, to measure the other case.
    """
    env = dict(os.environ)
    if bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Every JSON object of a ``.jsonl`` file."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> None:
    """Write ``rows`` one JSON object per line."""
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def median_time(
    fn: Callable[[], object], runs: int = 5, warmup: bool = True, before: Callable[[], object] | None = None
) -> float:
    """Median wall time of ``runs`` calls of ``fn`` (after one warm-up call unless told not to).

    ``before`` runs ahead of each timed call, outside the timing (to clear a cache, say).
    """
    if warmup:
        fn()
    times = []
    for _ in range(runs):
        if before is not None:
            before()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run_scorer(scorer: Path, *args: str | Path) -> str:
    """Run a benchmark's own scorer and return what it prints."""
    result = subprocess.run(
        [sys.executable, str(scorer), *map(str, args)], capture_output=True, text=True, check=True
    )
    return result.stdout
