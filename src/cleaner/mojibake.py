"""A fast necessary condition for ftfy's mojibake test, so that clean lines skip it.

``ftfy.badness.is_bad`` searches a line with one regex of some forty alternatives, each a
short run of characters typical of mojibake. Python's ``re`` tries every alternative at every
position: about 30 us for a line of Vietnamese text, the largest single cost of decoding. Every
alternative needs two adjacent characters from two known sets (or, for a few, one character
from a set), so a line without any such pair or character cannot be bad. That test is one
small regex derived from ftfy's own pattern, its pairs merged into one pair of sets, and a hit
on a merged pair that no single alternative has ("đã": everyday Vietnamese) is passed over.
It never decides that a line is bad, it only lets the clean ones skip the full search.

Importing ftfy takes 22 ms, a fifth of cleaner's start, and most pages need none of it. What
cleaner must know of ftfy to tell (its mojibake pattern, the shortcut derived from it, the
characters its fixers act on) is read from the disk cache beside the word tables
(:func:`ftfy_facts`), made again whenever ftfy is installed anew; ftfy itself is imported the
first time a line needs it.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
from dataclasses import dataclass
from typing import Any

from cleaner.lexicon import cached

try:  # the parser behind ``re``: ``re._parser`` since Python 3.11, ``sre_parse`` before
    import re._parser as _sre_parse  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse as _sre_parse  # type: ignore[no-redef]


_ASCII = frozenset(map(chr, range(128)))


def _single_characters(item: tuple[Any, Any]) -> frozenset[str] | None:
    """The characters a pattern item matches, if it matches exactly one of a plain set."""
    op, argument = item
    if str(op) == "LITERAL":
        return frozenset(chr(argument))
    if str(op) != "IN":
        return None
    chars: set[str] = set()
    for kind, value in argument:
        if str(kind) == "LITERAL":
            chars.add(chr(value))
        elif str(kind) == "RANGE":
            chars.update(map(chr, range(value[0], value[1] + 1)))
        else:  # a negated set or a category (\s, \w): not a plain set
            return None
    return frozenset(chars)


def _has_ascii(pair: tuple[frozenset[str], frozenset[str]]) -> bool:
    return not (pair[0] | pair[1]).isdisjoint(_ASCII)


def _character_class(chars: set[str]) -> str:
    return "[" + "".join(re.escape(c) for c in sorted(chars)) + "]"


Pairs = tuple[tuple[str, str], ...]  # (first characters, second characters) of alternatives


def _alternatives(pattern: re.Pattern[str]) -> tuple[set[str], Pairs] | None:
    """What each alternative of ``pattern`` needs: (its single characters, its pairs).

    From each alternative, two adjacent items that each match one character of a plain set
    (preferring sets without ASCII, which are rarer in text), or failing that one such item.
    None when ``pattern`` is not such an alternation. The pairs come sorted (a set's order
    follows the hash seed), so that every process derives the same quick test.
    """
    if pattern.flags & re.IGNORECASE:
        return None
    try:
        tree = _sre_parse.parse(pattern.pattern, pattern.flags)
    except Exception:  # an unexpected parser change: no shortcut, never a wrong answer
        return None
    if len(tree) != 1 or str(tree[0][0]) != "BRANCH":
        return None
    singles: set[str] = set()
    pairs: set[tuple[str, str]] = set()
    for alternative in tree[0][1][1]:
        sets = [_single_characters(item) for item in alternative]
        adjacent = [(a, b) for a, b in itertools.pairwise(sets) if a is not None and b is not None]
        if adjacent:
            first, second = min(adjacent, key=lambda p: (_has_ascii(p), len(p[0] | p[1])))
            pairs.add(("".join(sorted(first)), "".join(sorted(second))))
            continue
        single = next((s for s in sets if s is not None), None)
        if single is None:
            return None
        singles |= single
    return singles, tuple(sorted(pairs))


def necessary_condition(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """A regex that finds a match wherever ``pattern`` does (and more), or None if unsure.

    ``pattern`` must be an alternation. The result looks for a character of the alternatives'
    single items, or a pair from the first and second sets of their pairs (see
    :func:`_alternatives`), merged over the alternatives, except pairs with ASCII in them,
    which keep their own alternative (merged, a space would pair with everything). So a hit
    of two characters may be a pair that no alternative has (:func:`alternative_pairs`).

    >>> bool(necessary_condition(re.compile("ab|c[de]")).search("xcdx"))
    True
    >>> bool(necessary_condition(re.compile("ab|c[de]")).search("a c e"))
    False
    """
    found = _alternatives(pattern)
    if found is None:
        return None
    singles, pairs = found
    merged: list[tuple[set[str], set[str]]] = []
    apart: list[tuple[set[str], set[str]]] = []
    for a, b in pairs:
        (apart if _has_ascii((frozenset(a), frozenset(b))) else merged).append((set(a), set(b)))
    parts: list[tuple[set[str], set[str] | None]] = [(singles, None)] if singles else []
    if merged:
        parts.append((set().union(*(a for a, _ in merged)), set().union(*(b for _, b in merged))))
    parts.extend(apart)
    if not parts:
        return None
    # One class of every first character, then a look back at which it was: ``re`` scans for
    # a pattern that starts with a class in C, and skipped ASCII text five times as fast as
    # when it tried each alternative at every position (the same matches, the same spans).
    starts = set().union(*(first for first, _ in parts))
    tails = [
        f"(?<={_character_class(first)})" + (_character_class(second) if second else "")
        for first, second in parts
    ]
    return re.compile(_character_class(starts) + "(?:" + "|".join(tails) + ")")


def alternative_pairs(pattern: re.Pattern[str]) -> Pairs:
    """The pair each alternative of ``pattern`` needs (see :func:`_alternatives`), sorted."""
    found = _alternatives(pattern)
    return found[1] if found is not None else ()


def longest_match(pattern: re.Pattern[str]) -> int | None:
    """The longest text ``pattern`` can match, or None when it has no bound (or is unsure).

    Parsing ftfy's pattern for this took 1 to 3 ms of every process that met a line needing
    the full search; it is worked out once, with the rest of :class:`FtfyFacts`.
    """
    try:
        longest = _sre_parse.parse(pattern.pattern, pattern.flags).getwidth()[1]
    except Exception:  # an unexpected parser change: search whole lines, never a wrong answer
        return None
    return longest if longest < _sre_parse.MAXREPEAT else None


@dataclass(frozen=True)
class FtfyFacts:
    """What cleaner needs of ftfy to decide whether a line needs ftfy at all."""

    fixers: tuple[str, ...]  # ftfy.FIXERS: the steps ftfy knows, in its order
    acted_on: frozenset[str]  # every character one of its character fixers looks for
    badness: tuple[str, int]  # its mojibake pattern (``is_bad``): source and flags
    maybe_bad: str | None  # :func:`necessary_condition` of that pattern, as a source
    badness_width: int | None  # :func:`longest_match` of that pattern
    pairs: Pairs  # :func:`alternative_pairs` of that pattern

    @classmethod
    def from_ftfy(cls) -> FtfyFacts:
        """The facts, read from ftfy itself (importing it)."""
        import ftfy
        from ftfy import chardata
        from ftfy.badness import BADNESS_RE

        codes = {*chardata.WIDTH_MAP, *chardata.LIGATURES, *chardata.CONTROL_CHARS}
        codes |= {0x1B, *range(0x80, 0xA0), *range(0xD800, 0xE000)}  # escapes, C1, surrogates
        shortcut = necessary_condition(BADNESS_RE)
        return cls(
            tuple(ftfy.FIXERS),
            frozenset(map(chr, codes)),
            (BADNESS_RE.pattern, BADNESS_RE.flags),
            shortcut.pattern if shortcut is not None else None,
            longest_match(BADNESS_RE),
            alternative_pairs(BADNESS_RE),
        )

    def to_bytes(self) -> bytes:
        """The facts as JSON, for the disk cache."""
        acted_on = sorted(map(ord, self.acted_on))
        pairs = [list(pair) for pair in self.pairs]
        fields = [list(self.fixers), acted_on, list(self.badness), self.maybe_bad, self.badness_width, pairs]
        return json.dumps(fields).encode()

    @classmethod
    def from_bytes(cls, blob: bytes) -> FtfyFacts:
        """Read back :meth:`to_bytes`; ValueError when ``blob`` is not that."""
        try:
            fixers, acted_on, (pattern, flags), maybe_bad, width, pairs = json.loads(blob)
            acted = frozenset(map(chr, acted_on))
            read = tuple((first, second) for first, second in pairs)
            return cls(tuple(fixers), acted, (pattern, flags), maybe_bad, width, read)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"not ftfy's facts ({exc})") from exc


@functools.lru_cache(maxsize=1)
def ftfy_facts() -> FtfyFacts:
    """:class:`FtfyFacts` from the disk cache, made from ftfy when missing."""
    return cached("ftfy", FtfyFacts.from_ftfy, FtfyFacts.to_bytes, FtfyFacts.from_bytes, "", ("ftfy",))


class QuickTest:
    """A pattern's quick test (:func:`necessary_condition`) and the pairs of its alternatives.

    The quick test merges the alternatives' pairs, so it pairs any first character with any
    second, and everyday Vietnamese makes such pairs that no alternative has: "đã", "đà", "đá".
    :meth:`first_hit` passes those over; on the 181 real pages they were 182 of the 187 lines
    sent to the full search (each about 30 us, after compiling ftfy's pattern in every
    process, 6 to 9 ms).
    """

    def __init__(self, source: str, pairs: Pairs) -> None:
        self.pattern = re.compile(source)
        self.pairs = pairs
        self._after: dict[str, frozenset[str]] = {}

    @classmethod
    def of(cls, pattern: re.Pattern[str]) -> QuickTest | None:
        """The quick test of ``pattern``, or None when it has none."""
        shortcut = necessary_condition(pattern)
        return cls(shortcut.pattern, alternative_pairs(pattern)) if shortcut is not None else None

    def first_hit(self, text: str) -> re.Match[str] | None:
        """The first hit where some alternative may start to match (None: the text is clean).

        A pair no alternative has is passed over, and the search goes on from its second
        character, which may start a hit of its own.
        """
        hit = self.pattern.search(text)
        while hit is not None and hit.end() - hit.start() == 2:  # a pair (else a single character)
            pair = hit.group()
            if pair[1] in self._seconds_after(pair[0]):
                return hit
            hit = self.pattern.search(text, hit.start() + 1)
        return hit

    def _seconds_after(self, first: str) -> frozenset[str]:
        """Every character some alternative pairs after ``first``, worked out when first asked.

        Only a few characters start hits; a table of all of them took 8 ms to build.
        """
        after = self._after.get(first)
        if after is None:
            after = self._after[first] = frozenset().union(
                *(seconds for firsts, seconds in self.pairs if first in firsts)
            )
        return after


_FACTS = ftfy_facts()
_QUICK = QuickTest(_FACTS.maybe_bad, _FACTS.pairs) if _FACTS.maybe_bad is not None else None


@functools.lru_cache(maxsize=1)
def _badness() -> re.Pattern[str]:
    """The mojibake pattern of ftfy, compiled as ftfy compiles it (3.5 ms, when first needed)."""
    pattern, flags = ftfy_facts().badness
    return re.compile(pattern, flags)


def _badness_width() -> int | None:
    """The longest text ftfy's mojibake pattern can match (None: no bound), from the facts."""
    return ftfy_facts().badness_width


SEARCH_NEAR_FROM = 256  # a line this long or longer is searched only near the quick test's hits


def looks_bad(text: str) -> bool:
    """The answer of ftfy's ``is_bad(text)``, clean text answered by the quick test alone.

    Every match of ftfy's pattern holds a hit of the quick test, and is at most a few
    characters long, so a long line is searched only near those hits: a line of raw HTML
    runs to thousands of characters, and searching all of it took 0.12 s of decoding the
    181 real pages for 207 lines (6 of them bad).
    """
    if _QUICK is None:
        return _badness().search(text) is not None
    hit = _QUICK.first_hit(text)
    if hit is None:
        return False
    width = _badness_width()
    if width is None or len(text) < SEARCH_NEAR_FROM:
        return _badness().search(text) is not None
    return _bad_near(_QUICK.pattern, text, hit, width)


def _bad_near(quick: re.Pattern[str], text: str, first: re.Match[str], width: int) -> bool:
    """Whether ftfy's pattern matches ``text`` within ``width`` characters of a ``quick`` hit.

    Each window is searched with room past its hits for a whole match; a match found in one
    is confirmed on the whole line (a window's end could pass for the end of the text).
    """
    bad = _badness()
    covered = 0  # match starts below this were searched with room for the whole match
    for hit in itertools.chain((first,), quick.finditer(text, first.end())):
        start = max(hit.start() - width, covered)
        end = min(len(text), hit.end() + 2 * width)
        found = bad.search(text, start, end)
        while found is not None:
            if bad.match(text, found.start()) is not None:
                return True
            found = bad.search(text, found.start() + 1, end)
        covered = max(covered, end - 2 * width if end < len(text) else end)
    return False
