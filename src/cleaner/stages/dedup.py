"""Repeated segments: the first occurrence is kept, later ones are recorded as removals.

Exact repeats are found on the normalised text (white space, quotes and case folded), within a
page and, when a ``seen`` index is shared across a batch, across pages. Near repeats (the same
sentence with another opening or a changed number) are found with bottom-k MinHash sketches
over word pairs, numbers folded, and flagged on the later segment with their exact Jaccard
similarity; an option drops them instead.
"""

from __future__ import annotations

import array
import itertools
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any, Union

from cleaner import regexcache
from cleaner.charsets import ReTwin
from cleaner.document import Document, Removal, evolve
from cleaner.stages.segment import text_key
from cleaner.wordcount import more_words_than

STAGE = "dedup"


@dataclass(frozen=True)
class Fingerprint:
    """What dedup compares of a segment: its text key, its near-repeat keys and their sketch.

    Computed where the page was processed (a worker process), so that the one process that
    sees the batch in order only looks keys up; a page's are kept packed (:class:`Fingerprints`).
    The near keys are a sorted 32-bit array: most segments (unique, or dropped as exact repeats)
    are never compared, so they never need the set a comparison uses.
    """

    key: int
    near: array.array[int]
    sketch: tuple[int, ...]


class Fingerprints(Mapping[str, Fingerprint]):
    """A page's fingerprints by segment id, in segment order, packed into arrays.

    Pickled, they are a few blocks of bytes instead of three objects a segment, since they
    cross from the process that made them to the one that judges repeats in input order.
    ``near[ends[i - 1]:ends[i]]`` are the ``i``-th segment's near keys, sorted.
    """

    def __init__(
        self,
        ids: tuple[str, ...],
        text_keys: array.array[int],
        near: array.array[int],
        ends: array.array[int],
    ) -> None:
        self.ids, self.text_keys, self.near, self.ends = ids, text_keys, near, ends
        self._places: dict[str, int] | None = None

    @classmethod
    def of(cls, doc: Document, compared: Callable[[int], bool]) -> Fingerprints:
        """The fingerprints of ``doc``'s segments; near keys for those ``compared(text key)`` wants."""
        keys, near, ends = array.array("Q"), array.array("I"), array.array("I")
        for seg in doc.segments:
            key = text_key(seg.text)
            keys.append(key)
            if compared(key):
                near.extend(sorted(near_keys(seg.text)))
            ends.append(len(near))
        return cls(tuple(seg.id for seg in doc.segments), keys, near, ends)

    def near_keys(self, i: int) -> array.array[int]:
        """The sorted near keys of the ``i``-th segment (none if it is not compared)."""
        return self.near[self.ends[i - 1] if i else 0 : self.ends[i]]

    def __reduce__(self) -> tuple[type[Fingerprints], tuple[Any, ...]]:
        return Fingerprints, (self.ids, self.text_keys, self.near, self.ends)

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids)

    def __getitem__(self, seg_id: str) -> Fingerprint:
        if self._places is None:
            self._places = {name: i for i, name in enumerate(self.ids)}
        i = self._places[seg_id]
        keys = self.near_keys(i)
        return Fingerprint(self.text_keys[i], keys, tuple(keys[:SKETCH_SIZE]))


def fingerprints(
    doc: Document, near: bool = True, earlier: Callable[[int], bool] | None = None
) -> Fingerprints:
    """Each segment's fingerprint, by segment id (near-repeat keys only when ``near``).

    A segment whose text key came earlier in the page, or for which ``earlier(key)`` says so
    (met on an earlier page of the batch), is an exact repeat: dedup drops it before any
    near-repeat comparison, so its near keys are not computed.
    """
    here: set[int] = set()

    def compared(key: int) -> bool:
        repeat = key in here or (earlier is not None and earlier(key))
        here.add(key)
        return near and not repeat

    return Fingerprints.of(doc, compared)


def drop_repeats(
    doc: Document,
    seen: MutableMapping[int, str] | None = None,
    prints: Fingerprints | None = None,
) -> Document:
    """The dedup stage: keep each segment once; record later repeats with ``duplicate_of``.

    ``seen`` maps the key of the normalised text (:func:`text_key`) to the id of the segment
    kept for it; pass the same mapping to every page of a batch to drop repeats across pages.
    ``prints`` are the segments' fingerprints when already computed.
    """
    if prints is None:
        prints = fingerprints(doc, near=False)
    return apply_repeats(doc, find_repeats(prints, {} if seen is None else seen))


# What dedup says of a segment: (the id of the kept segment it repeats, the similarity), the
# similarity None for an exact repeat. A plain pair, not a record: the verdicts on a page
# cross to the worker process keeping it, and a page's pairs pickle and unpickle in a fifth
# of the time a record per repeat took (measured: 60 repeats, 13 us against 62 us).
Repeat = tuple[str, float | None]


def find_repeats(
    prints: Fingerprints,
    seen: MutableMapping[int, str] | None = None,
    index: NearRepeatIndex | None = None,
) -> dict[str, Repeat]:
    """Which segments of a page repeat an earlier one, from their fingerprints alone.

    ``prints`` are the page's fingerprints in segment order. With ``seen``, exact repeats
    (see :func:`drop_repeats`); then, with ``index``, near repeats among the segments left
    (see :func:`flag_near_repeats`). Only fingerprints are needed, so the one process that
    sees the batch in order can judge a page that another process holds and will write.
    """
    repeats: dict[str, Repeat] = {}
    kept: Iterable[int] = range(len(prints))
    if seen is not None:
        kept = []
        for i, (seg_id, key) in enumerate(zip(prints.ids, prints.text_keys, strict=True)):
            first = seen.get(key)
            if first is None:
                seen[key] = seg_id
                kept.append(i)
            else:
                repeats[seg_id] = (first, None)
    if index is not None:
        for i in kept:
            keys = prints.near_keys(i)
            found = index.match(prints.ids[i], "", keys, tuple(keys[:SKETCH_SIZE]))
            if found is not None:
                repeats[prints.ids[i]] = found
    return repeats


def apply_repeats(doc: Document, repeats: Mapping[str, Repeat], drop_near: bool = False) -> Document:
    """``doc`` less the ``repeats`` that :func:`find_repeats` found.

    Exact repeats become removals; near repeats are flagged (with ``drop_near``, removed too).
    """
    if not repeats:
        return doc
    kept = []
    exact = []
    near = []
    for seg in doc.segments:
        repeat = repeats.get(seg.id)
        if repeat is None:
            kept.append(seg)
            continue
        of, similarity = repeat
        if similarity is None:
            exact.append(Removal(seg.text, "duplicate", STAGE, "exact", seg.start, seg.end, duplicate_of=of))
        elif drop_near:
            rule = ("near-duplicate", STAGE, "minhash")
            near.append(Removal(seg.text, *rule, seg.start, seg.end, of, similarity))
        else:
            kept.append(evolve(seg, near_duplicate_of=of, similarity=similarity))
    return doc.evolve(segments=tuple(kept), removals=doc.removals + tuple(exact) + tuple(near))


NEAR_THRESHOLD = 0.7  # Jaccard similarity of word pairs (numbers folded) that counts as a near repeat
MIN_NEAR_WORDS = 6  # shorter segments are too short to call near repeats
SKETCH_SIZE = 4  # smallest keys kept per segment: candidates share at least one
MAX_POSTING = 64  # a sketch key shared by more segments than this finds no candidates (bounded work)
NEAR_WINDOW = 20_000  # near repeats are looked for among this many previous segments
MAX_SHINGLE_CHARS = 20_000  # a segment longer than this is compared on its beginning only
_TOKEN = regexcache.compile(r"\w+")
_DIGITS = regexcache.compile(r"\d+")
_WORDS = ReTwin(_TOKEN, r"[A-Za-z0-9_]+")
_NUMBERS = ReTwin(_DIGITS, r"[0-9]+")


def _word_pairs(text: str) -> Iterator[str]:
    """Each word pair of ``text`` in order (repeats too), case folded, numbers written as ``0``."""
    folded = text[:MAX_SHINGLE_CHARS].casefold()
    numbered = _NUMBERS.on(folded).sub("0", folded)
    return map(" ".join, itertools.pairwise(_WORDS.on(numbered).findall(numbered)))


def shingles(text: str) -> set[str]:
    """Word pairs of ``text``, case folded, every number written as ``0``."""
    return set(_word_pairs(text))


def near_keys(text: str) -> frozenset[int]:
    """The 32-bit keys of ``text``'s word pairs; none for a segment too short to compare.

    The pairs go straight to their keys: the set of keys drops a repeated pair as a set of
    the pairs would (the same pair, the same key), without hashing each pair's text.
    """
    if not more_words_than(text, MIN_NEAR_WORDS - 1):
        return frozenset()
    return frozenset(map(zlib.crc32, map(str.encode, _word_pairs(text))))


def sketch_of(keys: Iterable[int], k: int = SKETCH_SIZE) -> tuple[int, ...]:
    """The bottom-k MinHash sketch of a segment's keys: its ``k`` smallest."""
    return tuple(sorted(keys)[:k])


# A segment's near-repeat keys: a set, or the sorted array a fingerprint carries.
Keys = Union[frozenset[int], "array.array[int]"]


class NearRepeatIndex:
    """Near repeats among the last ``window`` segments, found with bottom-k MinHash sketches.

    Each segment's word pairs become 32-bit keys (crc32: fast and the same in every process);
    its sketch is the ``k`` smallest keys. Two segments with Jaccard similarity J share their
    smallest key with probability J, so segments sharing any sketch key are the candidates
    (the LSH step), and the exact Jaccard similarity of their key sets decides. At most
    ``window`` segments are kept, so memory stays bounded however long the batch.
    """

    def __init__(
        self, threshold: float = NEAR_THRESHOLD, window: int = NEAR_WINDOW, k: int = SKETCH_SIZE
    ) -> None:
        self.threshold = threshold
        self.window = window
        self.k = k
        self.postings: dict[int, set[str]] = {}
        self.entries: dict[str, tuple[Keys, tuple[int, ...]]] = {}

    def match(
        self, seg_id: str, text: str, keys: Keys | None = None, sketch: tuple[int, ...] = ()
    ) -> tuple[str, float] | None:
        """The earlier segment ``text`` nearly repeats (and the similarity), then index it.

        ``keys`` are ``near_keys(text)`` (as a set, or a fingerprint's sorted array) and
        ``sketch`` its sketch, when already computed. Keys become a set only for a comparison.
        """
        keys = near_keys(text) if keys is None else keys
        if not keys:
            return None
        if not sketch or self.k != SKETCH_SIZE:  # a fingerprint's sketch has SKETCH_SIZE keys
            sketch = sketch_of(keys, self.k)
        postings = self.postings
        found = [postings.get(key) for key in sketch]  # looked up once: indexing reuses them
        candidates: set[str] = set()
        for posting in found:
            if posting is not None and len(posting) <= MAX_POSTING:  # more: a stop word pair
                candidates.update(posting)
        best: tuple[str, float] | None = None
        if candidates:
            # Candidates are tried in id order and the first with the best similarity wins.
            # Most often the first is a copy (similarity 1.0, which nothing beats): it is
            # tried before sorting the rest (the bench's 4 MB corpus: 9.4 to 6.7 us a segment).
            first = min(candidates)
            similarity = self._similarity(keys, first)
            if similarity == 1.0 and similarity >= self.threshold:
                best = (first, similarity)
            else:
                for other in sorted(candidates):
                    similarity = self._similarity(keys, other)
                    if similarity >= self.threshold and (best is None or similarity > best[1]):
                        best = (other, similarity)
                        if similarity == 1.0:
                            break  # nothing later can beat it: the first exact match wins
        if seg_id not in self.entries:
            self.entries[seg_id] = (keys, sketch)
            for key, posting in zip(sketch, found, strict=True):  # a sketch's keys are distinct
                if posting is None:
                    postings[key] = {seg_id}
                elif len(posting) <= MAX_POSTING:
                    posting.add(seg_id)
            if len(self.entries) > self.window:
                oldest = next(iter(self.entries))
                for key in self.entries.pop(oldest)[1]:
                    held = self.postings.get(key)
                    if held is None:
                        continue
                    held.discard(oldest)
                    if not held:
                        del self.postings[key]
        return best

    def _similarity(self, keys: Keys, other: str) -> float:
        """The Jaccard similarity of ``keys`` and an indexed segment's, to three decimals.

        Only the indexed segment's keys need be a set: the intersection walks ``keys`` as
        they are, and the union's size follows from the three sizes.
        """
        theirs = self._keys_of(other)
        shared = len(theirs.intersection(keys))
        return round(shared / (len(keys) + len(theirs) - shared), 3)

    def _keys_of(self, seg_id: str) -> frozenset[int]:
        """An indexed segment's keys as a set (made from its array the first time it is compared)."""
        keys, sketch = self.entries[seg_id]
        if not isinstance(keys, frozenset):
            keys = frozenset(keys)
            self.entries[seg_id] = (keys, sketch)  # same key: its place in the window is kept
        return keys


def flag_near_repeats(
    doc: Document,
    index: NearRepeatIndex | None = None,
    drop: bool = False,
    prints: Fingerprints | None = None,
) -> Document:
    """Flag (or, with ``drop``, remove) segments that nearly repeat an earlier one."""
    if prints is None:
        prints = Fingerprints.of(doc, lambda key: True)
    return apply_repeats(doc, find_repeats(prints, None, NearRepeatIndex() if index is None else index), drop)
