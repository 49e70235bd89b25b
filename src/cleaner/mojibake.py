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


def _alternatives(
    pattern: re.Pattern[str],
) -> tuple[set[str], Pairs, list[tuple[frozenset[str], frozenset[str]]]] | None:
    """What each alternative of ``pattern`` needs: (single characters, pairs, pairs with ASCII).

    From each alternative, two adjacent items that each match one character of a plain set
    (preferring sets without ASCII, which are rarer in text), or failing that one such item.
    None when ``pattern`` is not such an alternation. Pairs come in a fixed order (a set's
    order follows the hash seed), so that every process derives the same quick test.
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
    with_ascii: set[tuple[frozenset[str], frozenset[str]]] = set()
    for alternative in tree[0][1][1]:
        sets = [_single_characters(item) for item in alternative]
        adjacent = [(a, b) for a, b in itertools.pairwise(sets) if a is not None and b is not None]
        if adjacent:
            first, second = min(adjacent, key=lambda p: (_has_ascii(p), len(p[0] | p[1])))
            if _has_ascii((first, second)):
                with_ascii.add((first, second))
            else:
                pairs.add(("".join(sorted(first)), "".join(sorted(second))))
            continue
        single = next((s for s in sets if s is not None), None)
        if single is None:
            return None
        singles |= single
    ordered = sorted(with_ascii, key=lambda pair: (sorted(pair[0]), sorted(pair[1])))
    return singles, tuple(sorted(pairs)), ordered


def necessary_condition(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """A regex that finds a match wherever ``pattern`` does (and more), or None if unsure.

    ``pattern`` must be an alternation. The result looks for a character of the alternatives'
    single items (see :func:`_alternatives`), or one of their pairs: pairs with ASCII in them
    each as their own alternative (merged, a space would pair with everything), the others
    merged into one last alternative, group 1, a first character of any followed by a second
    of any. A hit in group 1 means that nothing else matched where it starts, and
    :func:`merged_pairs` tells whether some alternative has that very pair.

    >>> bool(necessary_condition(re.compile("ab|c[de]")).search("xcdx"))
    True
    >>> bool(necessary_condition(re.compile("ab|c[de]")).search("a c e"))
    False
    """
    found = _alternatives(pattern)
    if found is None:
        return None
    singles, pairs, with_ascii = found
    parts = [_character_class(singles)] if singles else []
    parts.extend(_character_class(set(a)) + _character_class(set(b)) for a, b in with_ascii)
    if pairs:
        firsts = set().union(*(first for first, _ in pairs))
        seconds = set().union(*(second for _, second in pairs))
        parts.append("(" + _character_class(firsts) + _character_class(seconds) + ")")
    return re.compile("|".join(parts)) if parts else None


def merged_pairs(pattern: re.Pattern[str]) -> Pairs:
    """The pairs :func:`necessary_condition` merges into its group 1, one per alternative."""
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
    pairs: Pairs  # :func:`merged_pairs` of that pattern

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
            merged_pairs(BADNESS_RE),
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
            merged = tuple((first, second) for first, second in pairs)
            acted = frozenset(map(chr, acted_on))
            return cls(tuple(fixers), acted, (pattern, flags), maybe_bad, width, merged)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"not ftfy's facts ({exc})") from exc


@functools.lru_cache(maxsize=1)
def ftfy_facts() -> FtfyFacts:
    """:class:`FtfyFacts` from the disk cache, made from ftfy when missing."""
    return cached("ftfy", FtfyFacts.from_ftfy, FtfyFacts.to_bytes, FtfyFacts.from_bytes, "", ("ftfy",))


_SHORTCUT = ftfy_facts().maybe_bad
_MAYBE_BAD = re.compile(_SHORTCUT) if _SHORTCUT is not None else None


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
    if _MAYBE_BAD is None:
        return _badness().search(text) is not None
    hit = _first_hit(text)
    if hit is None:
        return False
    width = _badness_width()
    if width is None or len(text) < SEARCH_NEAR_FROM:
        return _badness().search(text) is not None
    return _bad_near(text, hit, width)


@functools.lru_cache(maxsize=1024)
def _seconds_after(first: str) -> frozenset[str]:
    """Every character that some alternative of ftfy's pattern pairs after ``first``.

    Asked of the few characters that start hits (a table of all of them took 8 ms to build).
    """
    return frozenset().union(*(seconds for firsts, seconds in ftfy_facts().pairs if first in firsts))


def _first_hit(text: str) -> re.Match[str] | None:
    """The quick test's first hit where some alternative of ftfy's pattern may start to match.

    The merged pairs (group 1) pair any first character with any second, and everyday
    Vietnamese makes such pairs that no alternative has: "đã", "đà", "đá". Those hits are
    passed over, the search going on from the next character; on the 181 real pages they were
    182 of the 187 lines sent to the full search (each about 30 us, after compiling ftfy's
    pattern in every process, 6 to 9 ms).
    """
    assert _MAYBE_BAD is not None
    hit = _MAYBE_BAD.search(text)
    while hit is not None and hit.lastindex == 1:
        pair = hit.group(1)
        if pair[1] in _seconds_after(pair[0]):
            return hit
        hit = _MAYBE_BAD.search(text, hit.start() + 1)
    return hit


def _bad_near(text: str, first: re.Match[str], width: int) -> bool:
    """Whether ftfy's pattern matches ``text`` within ``width`` characters of a quick-test hit.

    Each window is searched with room past its hits for a whole match; a match found in one
    is confirmed on the whole line (a window's end could pass for the end of the text).
    """
    assert _MAYBE_BAD is not None
    bad = _badness()
    covered = 0  # match starts below this were searched with room for the whole match
    for hit in itertools.chain((first,), _MAYBE_BAD.finditer(text, first.end())):
        start = max(hit.start() - width, covered)
        end = min(len(text), hit.end() + 2 * width)
        found = bad.search(text, start, end)
        while found is not None:
            if bad.match(text, found.start()) is not None:
                return True
            found = bad.search(text, found.start() + 1, end)
        covered = max(covered, end - 2 * width if end < len(text) else end)
    return False
