"""Finding any of a few plain characters in a text, at the standard library's speed.

``regex`` tests a character class character by character through its property machinery:
on a 450-character paragraph a class of Vietnamese letters took 16 us with it, 4 us as a
set test over the paragraph's characters, and 1.5 us with the standard ``re`` engine, whose
classes of plain characters are bitmaps. For a class of plain characters (no ``\\s``, ``\\w``
or property, where the two engines' Unicode tables could differ) both engines find the same.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

Finder = Callable[[str], "re.Match[str] | None"]


def finder(chars: Iterable[str]) -> Finder:
    """``search(text)``: the first of ``chars`` in ``text`` (a match), or None.

    >>> find = finder("ăđơ")
    >>> find("Hà Nội") is None, find("Cơm tấm đây").group()
    (True, 'ơ')
    """
    unique = "".join(sorted(set(chars)))
    if not unique or any(len(c) != 1 for c in unique):
        raise ValueError("finder needs one or more single characters")
    return re.compile(f"[{re.escape(unique)}]").search
