"""Repeated segments: the first occurrence is kept, later ones are recorded as removals.

Repeats are found on the normalised text (white space, quotes and case folded), within a page
and, when a ``seen`` index is shared across a batch, across pages.
"""

from __future__ import annotations

from collections.abc import MutableMapping

from cleaner.document import Document, Removal
from cleaner.stages.segment import normalize_for_id

STAGE = "dedup"


def drop_repeats(doc: Document, seen: MutableMapping[str, str] | None = None) -> Document:
    """The dedup stage: keep each segment once; record later repeats with ``duplicate_of``.

    ``seen`` maps normalised text to the id of the segment kept for it; pass the same mapping
    to every page of a batch to drop repeats across pages.
    """
    index: MutableMapping[str, str] = {} if seen is None else seen
    kept = []
    removals = []
    for seg in doc.segments:
        key = normalize_for_id(seg.text)
        first = index.get(key)
        if first is None:
            index[key] = seg.id
            kept.append(seg)
        else:
            removals.append(
                Removal(seg.text, "duplicate", STAGE, "exact", seg.start, seg.end, duplicate_of=first)
            )
    return doc.evolve(segments=tuple(kept), removals=doc.removals + tuple(removals))
