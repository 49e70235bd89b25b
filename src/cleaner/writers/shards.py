"""Corpus-level sharded JSONL: segments and removals of many pages per file, for big runs."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

from cleaner.document import Document
from cleaner.writers.atomic import write_atomic
from cleaner.writers.contract import jsonl, removal_records


class ShardWriter:
    """Writes ``segments-NNNNN.jsonl`` and ``removed-NNNNN.jsonl``, ``pages`` pages a shard.

    Every removal carries the ``doc`` it came from; each shard is written atomically when it
    is full (and the last one on closing), so memory holds at most one shard.
    """

    def __init__(self, out_dir: Path, pages: int) -> None:
        self.out_dir = out_dir
        self.pages = pages
        self.number = 0
        self.count = 0
        self.segments: list[dict[str, object]] = []
        self.removed: list[dict[str, object]] = []

    def add(self, doc: Document) -> None:
        """Add one page's records; write the shard when it holds ``pages`` pages."""
        self.segments.extend(seg.to_json() for seg in doc.segments)
        self.removed.extend({"doc": doc.id, **record} for record in removal_records(doc))
        self.count += 1
        if self.count >= self.pages:
            self.flush()

    def flush(self) -> None:
        """Write the current shard (if it has any page) and start the next."""
        if not self.count:
            return
        write_atomic(self.out_dir / f"segments-{self.number:05d}.jsonl", jsonl(self.segments))
        write_atomic(self.out_dir / f"removed-{self.number:05d}.jsonl", jsonl(self.removed))
        self.number += 1
        self.count = 0
        self.segments, self.removed = [], []

    def __enter__(self) -> ShardWriter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if kind is None:
            self.flush()
