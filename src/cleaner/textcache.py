"""Memoise pure functions of a short text: lines, blocks and sentences recur from page to page.

A site repeats its teasers, bylines and captions on every page, a syndicated paragraph
appears on many sites, and a crawl holds the same page more than once. Functions whose answer
depends on the text alone (and on a few small arguments) remember their answers for texts up
to ``max_chars`` long; longer texts are worked out each time, so memory stays bounded.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

MAX_CHARS = 1_000  # the default: longer texts are seldom repeated word for word
_CLEARERS: list[Callable[[], None]] = []  # every cache made here, so that all can be forgotten


def clear_caches() -> None:
    """Forget every remembered answer (benchmarks call this so repeated passes measure real work)."""
    for clear in _CLEARERS:
        clear()


def short_text_cache(
    maxsize: int, max_chars: int = MAX_CHARS
) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Decorate ``fn(text, *args)`` to cache its answers for texts up to ``max_chars`` long.

    The arguments after the text must be hashable. The decorated function keeps
    ``cache_info`` and ``cache_clear`` of its cache, as ``functools.lru_cache`` gives them.
    """

    def decorate(fn: Callable[..., T]) -> Callable[..., T]:
        cached = functools.lru_cache(maxsize=maxsize)(fn)

        @functools.wraps(fn)
        def call(text: str, *args: Any) -> T:
            return cached(text, *args) if len(text) <= max_chars else fn(text, *args)

        call.cache_info = cached.cache_info  # type: ignore[attr-defined]
        call.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
        _CLEARERS.append(cached.cache_clear)
        return call

    return decorate
