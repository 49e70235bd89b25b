"""Where the page stages run: in this process, in worker processes, or on a Dask cluster.

Every engine maps the same functions over the same stream of pages and hands the results
back in input order, so the output is byte-identical whichever engine ran it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

from cleaner.errors import UsageError
from cleaner.pipeline import Mapper
from cleaner.workers import Owner, Weight, apply_chunk


class DaskMapper(Mapper):
    """Runs the page stages on a ``dask.distributed`` cluster, in record ranges of ``chunk``.

    Without a scheduler address a local cluster of ``jobs`` single-threaded worker processes
    is started for the run and stopped after it.
    """

    def __init__(self, scheduler: str | None = None, jobs: int = 2, chunk: int = 16) -> None:
        super().__init__(1)
        self.scheduler = scheduler
        self.workers = max(1, jobs)
        self.chunk = chunk
        self._client: Any = None
        self._cluster: Any = None

    def __enter__(self) -> DaskMapper:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:
            raise UsageError("the Dask engine needs dask.distributed: pip install 'cleaner[dask]'") from None
        if self.scheduler:
            self._client = Client(self.scheduler)
        else:
            self._cluster = LocalCluster(
                n_workers=self.workers, threads_per_worker=1, processes=True, dashboard_address=None
            )
            self._client = Client(self._cluster)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._client is not None:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()

    def map(
        self,
        fn: Callable[..., Any],
        items: Iterable[Any],
        *args: Any,
        owner: Owner | None = None,
        weight: Weight | None = None,
    ) -> Iterator[Any]:
        """``fn(item, *args)`` for each item, in order, computed on the cluster.

        Dask workers keep no pages between tasks, so no item has an ``owner`` here; the
        scheduler balances the chunks, so ``weight`` is not needed either.
        """
        shared = [self._client.scatter(arg, broadcast=True) if isinstance(arg, dict) else arg for arg in args]

        def submit(chunk: list[Any]) -> Any:
            return self._client.submit(apply_chunk, fn, chunk, *shared, pure=False)

        for results in ordered_window(submit, chunks(items, self.chunk), max(4, 2 * self.workers)):
            yield from results


def make_mapper(engine: str, jobs: int, scheduler: str | None) -> Mapper:
    """The mapper for ``--engine`` (``local`` or ``dask``)."""
    if engine == "dask":
        return DaskMapper(scheduler, jobs)
    if engine != "local":
        raise UsageError(f"unknown engine '{engine}' (known: local, dask)")
    if scheduler:
        raise UsageError("--scheduler goes with --engine dask")
    return Mapper(jobs)


def chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """``items`` in lists of ``size`` (the last one shorter)."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def ordered_window(submit: Callable[[Any], Any], items: Iterable[Any], ahead: int) -> Iterator[Any]:
    """Results of futures made by ``submit``, in order, with at most ``ahead`` in flight."""
    pending: deque[Any] = deque()
    for item in items:
        pending.append(submit(item))
        if len(pending) >= ahead:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()
