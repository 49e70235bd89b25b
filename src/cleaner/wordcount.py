"""Word-count thresholds without splitting a whole text.

Stages ask whether a line or sentence has more than a handful of words (a title, a nav item,
a sentence long enough to compare). ``len(text.split())`` makes a string of every word of a
long paragraph to answer that; splitting at most ``n + 1`` times answers it the same.
"""

from __future__ import annotations


def more_words_than(text: str, n: int) -> bool:
    """Whether ``text`` has more than ``n`` words (runs between white space), for ``n >= 0``.

    The same answer as ``len(text.split()) > n``, from at most ``n + 1`` pieces.

    >>> more_words_than("Theo dõi ICTVietnam trên", 3), more_words_than("  Theo dõi  ", 2)
    (True, False)
    """
    return len(text.split(None, n)) > n
