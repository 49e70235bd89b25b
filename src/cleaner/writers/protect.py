"""Spans a translator must not translate: URLs, e-mail addresses, handles, codes."""

from __future__ import annotations

import regex

from cleaner import regexcache
from cleaner.patterns import EMAIL, URL

_PROTECTED = regexcache.compile(
    rf"{URL}|{EMAIL}"
    r"|(?<![\w@])[@#]\w+"
    r"|(?<![\w-])(?=[\w-]*\d)(?=[\w-]*\p{L})[\p{L}\d]+(?:[-.][\p{L}\d]+)*(?![\w-])",
    regex.IGNORECASE,
)


def protected_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each span of ``text`` that must stay as it is.

    >>> text = "Write to support@bluezone.vn about Map4D and VOV-Doctor24."
    >>> [text[s:e] for s, e in protected_spans(text)]
    ['support@bluezone.vn', 'Map4D', 'VOV-Doctor24']
    """
    return [m.span() for m in _PROTECTED.finditer(text)]
