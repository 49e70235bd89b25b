"""Repeated segments: the first occurrence is kept, later ones are recorded as removals.

Exact repeats are found on the normalised text (white space, quotes and case folded), within a
page and, when a ``seen`` index is shared across a batch, across pages. Near repeats (the same
sentence with another opening or a changed number) are found with MinHash LSH (datasketch)
over word pairs, numbers folded, and flagged on the later segment with their similarity; an
option drops them instead.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
from collections.abc import Iterable, Iterator, MutableMapping
from dataclasses import replace

import regex

from cleaner.document import Document, Removal
from cleaner.stages.segment import text_key

STAGE = "dedup"


def drop_repeats(doc: Document, seen: MutableMapping[int, str] | None = None) -> Document:
    """The dedup stage: keep each segment once; record later repeats with ``duplicate_of``.

    ``seen`` maps the key of the normalised text (:func:`text_key`) to the id of the segment
    kept for it; pass the same mapping to every page of a batch to drop repeats across pages.
    """
    index: MutableMapping[int, str] = {} if seen is None else seen
    kept = []
    removals = []
    for seg in doc.segments:
        key = text_key(seg.text)
        first = index.get(key)
        if first is None:
            index[key] = seg.id
            kept.append(seg)
        else:
            removals.append(
                Removal(seg.text, "duplicate", STAGE, "exact", seg.start, seg.end, duplicate_of=first)
            )
    return doc.evolve(segments=tuple(kept), removals=doc.removals + tuple(removals))


NEAR_THRESHOLD = 0.7  # Jaccard similarity of word pairs (numbers folded) that counts as a near repeat
MIN_NEAR_WORDS = 6  # shorter segments are too short to call near repeats
NUM_PERM = 64
NEAR_WINDOW = 20_000  # near repeats are looked for among this many previous segments
MAX_SHINGLE_CHARS = 20_000  # a segment longer than this is compared on its beginning only
_TOKEN = regex.compile(r"\w+")
_DIGITS = regex.compile(r"\d+")


def shingles(text: str) -> set[str]:
    """Word pairs of ``text``, case folded, every number written as ``0``."""
    words = _TOKEN.findall(_DIGITS.sub("0", text[:MAX_SHINGLE_CHARS].casefold()))
    return {f"{a} {b}" for a, b in itertools.pairwise(words)}


@functools.lru_cache(maxsize=8)
def _lsh_params(threshold: float) -> tuple[int, int]:
    """The LSH bands and rows for ``threshold``, computed once.

    datasketch finds them by numerical integration, which costs more than indexing a page.
    """
    from datasketch.lsh import _optimal_param

    return _optimal_param(threshold, NUM_PERM, 0.5, 0.5)


@functools.lru_cache(maxsize=1)
def _template() -> object:
    """One MinHash's permutations and scheme, shared by every MinHash made here (same seed).

    Drawing the permutations is most of the cost of a new MinHash.
    """
    from datasketch import MinHash

    first = MinHash(num_perm=NUM_PERM, seed=1)
    return first.permutations, first.scheme


class NearRepeatIndex:
    """A MinHash LSH index of the last ``window`` segments seen (one page or a whole batch).

    LSH proposes candidates; the similarity reported is the exact Jaccard similarity of the
    two segments' word pairs, kept as 64-bit keys. At most ``window`` segments are kept, so
    memory stays bounded however long the batch.
    """

    def __init__(self, threshold: float = NEAR_THRESHOLD, window: int = NEAR_WINDOW) -> None:
        from datasketch import MinHashLSH

        self.threshold = threshold
        self.window = window
        self.lsh = MinHashLSH(num_perm=NUM_PERM, params=_lsh_params(threshold))
        self.sets: dict[str, frozenset[int]] = {}

    def match(self, seg_id: str, text: str) -> tuple[str, float] | None:
        """The earlier segment ``text`` nearly repeats (and the similarity), then index it."""
        from datasketch import MinHash

        grams = shingles(text)
        if len(text.split()) < MIN_NEAR_WORDS or not grams:
            return None
        permutations, scheme = _template()  # type: ignore[misc]
        sketch = MinHash(num_perm=NUM_PERM, seed=1, permutations=permutations, scheme=scheme)
        sketch.update_batch([g.encode("utf-8") for g in sorted(grams)])
        keys = frozenset(
            int.from_bytes(hashlib.blake2b(g.encode("utf-8"), digest_size=8).digest(), "big") for g in grams
        )
        best: tuple[str, float] | None = None
        for other in sorted(self.lsh.query(sketch)):
            theirs = self.sets[other]
            similarity = round(len(keys & theirs) / len(keys | theirs), 3)
            if similarity >= self.threshold and (best is None or similarity > best[1]):
                best = (other, similarity)
        if seg_id not in self.sets:
            self.lsh.insert(seg_id, sketch)
            self.sets[seg_id] = keys
            if len(self.sets) > self.window:
                oldest = next(iter(self.sets))
                self.lsh.remove(oldest)
                del self.sets[oldest]
        return best


def flag_near_repeats(doc: Document, index: NearRepeatIndex | None = None, drop: bool = False) -> Document:
    """Flag (or, with ``drop``, remove) segments that nearly repeat an earlier one."""
    index = index if index is not None else NearRepeatIndex()
    kept = []
    removals = []
    for seg in doc.segments:
        found = index.match(seg.id, seg.text)
        if found is None:
            kept.append(seg)
        elif drop:
            removals.append(
                Removal(seg.text, "near-duplicate", STAGE, "minhash", seg.start, seg.end, found[0], found[1])
            )
        else:
            kept.append(replace(seg, near_duplicate_of=found[0], similarity=found[1]))
    return doc.evolve(segments=tuple(kept), removals=doc.removals + tuple(removals))


def dedup_batch(docs: Iterable[Document], near: bool = True, drop_near: bool = False) -> Iterator[Document]:
    """Exact and near repeats across a batch, in input order (so the result is deterministic)."""
    seen: dict[int, str] = {}
    index = NearRepeatIndex() if near else None
    for doc in docs:
        doc = drop_repeats(doc, seen)
        if index is not None:
            doc = flag_near_repeats(doc, index, drop_near)
        yield doc
