"""langdetect's n-gram table, packed: read from the disk cache in milliseconds, not 0.2 s.

langdetect keeps, for each of its 87,598 n-grams, a list of 55 probabilities (one a language),
built from 55 JSON profiles every time a process first needs it: 0.2 s and 64 MB of small
objects, in every process that meets a line only langdetect can place (real crawls do), and
freed again one by one at exit. Only 4% of those probabilities are not zero, so the table is
kept sparse (:mod:`cleaner.lexicon`'s disk cache) and a row is made the first time langdetect
asks for it. The rows hold the same floats in the same order, so langdetect's answers do not
change.
"""

from __future__ import annotations

import array
import json
import marshal
import os
from collections.abc import Sequence

from cleaner.lexicon import cached

_MAGIC = b"cleaner-ngrams-1\n"


class NgramTable(dict):  # type: ignore[type-arg]
    """langdetect's ``word_lang_prob_map``: ``gram in table`` and ``table[gram]`` (its row).

    A dict of each n-gram's place, so that ``in``, which langdetect asks of every n-gram of a
    text, stays the dict's own; only ``table[gram]`` is ours, making the row on first use
    (the dict's other methods see places, not rows: langdetect uses only these two).
    """

    def __init__(
        self,
        langs: Sequence[str],
        grams: Sequence[str],
        columns: bytes,
        probs: array.array[float],
        ends: array.array[int],
    ) -> None:
        if len(grams) != len(ends) or len(columns) != len(probs):
            raise ValueError("an n-gram table whose parts do not match")
        super().__init__({gram: i for i, gram in enumerate(grams)})
        self.langs = list(langs)
        self._columns, self._probs, self._ends = columns, probs, ends
        self._rows: dict[str, list[float]] = {}

    @classmethod
    def from_profiles(cls, folder: str) -> NgramTable:
        """The table langdetect's ``load_profile(folder)`` makes, packed (languages in its order)."""
        from langdetect import DetectorFactory

        factory = DetectorFactory()
        factory.load_profile(folder)
        grams = list(factory.word_lang_prob_map)
        columns, probs, ends = bytearray(), array.array("d"), array.array("I")
        for gram in grams:
            for column, prob in enumerate(factory.word_lang_prob_map[gram]):
                if prob:
                    columns.append(column)
                    probs.append(prob)
            ends.append(len(probs))
        return cls(factory.langlist, grams, bytes(columns), probs, ends)

    def __getitem__(self, gram: str) -> list[float]:
        row = self._rows.get(gram)
        if row is None:
            i = super().__getitem__(gram)
            row = [0.0] * len(self.langs)
            for k in range(self._ends[i - 1] if i else 0, self._ends[i]):
                row[self._columns[k]] = self._probs[k]
            self._rows[gram] = row
        return row

    def to_bytes(self) -> bytes:
        """The table as one blob for the disk cache."""
        parts = (
            json.dumps(self.langs),
            tuple(self),  # the n-grams, in their places' order
            self._columns,
            self._probs.tobytes(),
            self._ends.tobytes(),
        )
        return _MAGIC + marshal.dumps(parts)

    @classmethod
    def from_bytes(cls, blob: bytes) -> NgramTable:
        """Read back :meth:`to_bytes`; ValueError when the blob is not one."""
        if not blob.startswith(_MAGIC):
            raise ValueError("not a cleaner n-gram table")
        try:
            langs, grams, columns, probs, ends = marshal.loads(blob[len(_MAGIC) :])
            return cls(json.loads(langs), grams, columns, _floats(probs), _counts(ends))
        except (EOFError, TypeError, ValueError) as exc:
            raise ValueError(f"damaged n-gram table ({exc})") from exc


def _floats(data: bytes) -> array.array[float]:
    values = array.array("d")
    values.frombytes(data)
    return values


def _counts(data: bytes) -> array.array[int]:
    values = array.array("I")
    values.frombytes(data)
    return values


def langdetect_table() -> NgramTable:
    """Langdetect's own profiles as an :class:`NgramTable`, from the disk cache when there."""
    import langdetect

    folder = os.path.join(os.path.dirname(langdetect.__file__), "profiles")
    names = ",".join(sorted(os.listdir(folder)))
    return cached(
        "langdetect",
        lambda: NgramTable.from_profiles(folder),
        NgramTable.to_bytes,
        NgramTable.from_bytes,
        names,
        ("langdetect",),
    )
