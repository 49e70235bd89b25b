"""Word segmentation of collapsed runs: find where the spaces went.

A run (a string with no spaces) is cut into pieces (words, acronyms, numbers, punctuation,
URLs, e-mail addresses) by a Viterbi search over unigram costs from wordfreq (English, and
Vietnamese syllables), with case transitions as evidence; then spaces are put back between
pieces by typographic rules (a space after a comma but not before, around brackets, straight
quotes told apart by their order in the paragraph). Only spaces are ever inserted.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass

import regex

from cleaner.vietnamese import is_syllable

MAX_WORD = 18
COMMON_START_COST = 8.0  # -log freq of a short word after which an unknown chunk may end
MAX_CHUNK = 30  # the longest letter chunk the search considers as one piece
UNKNOWN_BASE = 17.0  # cost of a letter chunk no list knows, before its length
UNKNOWN_PER_CHAR = 2.2
UNKNOWN_PER_CHAR_VI = 6.0
ACRONYM_COST = 13.0  # an all-capitals chunk (ICT, MIC) that no list knows
CAMEL_PENALTY = 7.0  # a word with a capital inside (camel case) not seen on the page
CASE_BONUS = 4.0  # a cut where a lower-case letter meets a capital
SPLIT_CAPITALS_PENALTY = 6.0  # a one-letter capital word glued to another capital (A|I for AI)
PAGE_WORD_COST = 9.0  # a word the page itself spells with spaces around it
MIN_FREQ = 1e-9

_URL = regex.compile(
    r"(?:https?://|www\.)[\w-]{1,63}(?:\.[\w-]{1,63}){0,5}?\.(?:com|vn|org|net|gov|edu|io|ai|info|asia|co|uk|jp|sg|kr|cn|int)"
    r"(?:\.(?:vn|uk|jp|sg|kr|cn|au))?(?:/[\w./%?=&#-]{0,500}[\w/])?",
    regex.IGNORECASE,
)
_EMAIL_HOST = regex.compile(
    r"@[\w-]{1,63}(?:\.[\w-]{1,63}){0,5}?\.(?:com|vn|org|net|gov|edu|io|ai|info|asia|co)(?:\.(?:vn|uk|jp|sg))?",
    regex.IGNORECASE,
)
_NUMBER = regex.compile(r"\d+(?:[.,]\d+)*")
_UNIT = regex.compile(r"(?:%|GB|MB|TB|KB|MHz|GHz|km|kg|cm|mm|st|nd|rd|th|G|x)")
_CLITIC = regex.compile(r"['’](?:s|t|re|ve|ll|d|m)|n['’]t", regex.IGNORECASE)
_CAMEL = regex.compile(r"\p{Ll}\p{Lu}|\p{Lu}\p{Lu}\p{Ll}")
CURRENCY_CODES = frozenset({"VND", "USD", "EUR", "SGD", "JPY", "GBP", "AUD", "US", "S", "A", "HK", "NT"})
OPENERS = frozenset("([{“‘")
CLOSERS = frozenset(")]}”’")
TIGHT_AFTER = frozenset("-/@#€£¥")  # no space after these
TIGHT_BEFORE = frozenset(",.;:!?%)]}”’-/…")  # no space before these


@dataclass(frozen=True)
class Piece:
    """A piece of a run: its text and kind (word, acronym, number, punct, url, clitic)."""

    text: str
    kind: str


@functools.lru_cache(maxsize=2)
def english_costs() -> dict[str, float]:
    """-log frequency of every word in wordfreq's large English list."""
    import wordfreq

    return {w: -math.log(max(f, MIN_FREQ)) for w, f in wordfreq.get_frequency_dict("en", "large").items()}


@functools.lru_cache(maxsize=1)
def vietnamese_costs() -> dict[str, float]:
    """-log frequency of Vietnamese syllables (wordfreq's list, syllable-shaped entries only)."""
    import wordfreq

    return {
        w: -math.log(max(f, MIN_FREQ))
        for w, f in wordfreq.get_frequency_dict("vi", "small").items()
        if w.isalpha() and is_syllable(w)
    }


class Vocabulary(dict):  # type: ignore[type-arg]
    """A page's extra words (``{word: cost}``), hashed by identity so cuts can be cached."""

    __hash__ = object.__hash__

    def __eq__(self, other: object) -> bool:
        return self is other


EMPTY_VOCABULARY = Vocabulary()


class _Run:
    """A run prepared for the search: its lower-case form and camel-case transition counts."""

    def __init__(self, run: str, vietnamese: bool = False) -> None:
        self.text = run
        self.low = run.lower()
        self.ascii = run.isascii()
        n = len(run)
        two = [0] * (n + 1)
        three = [0] * (n + 1)
        for m in range(n):
            a = run[m]
            two[m + 1] = two[m] + (m + 1 < n and a.islower() and run[m + 1].isupper())
            three[m + 1] = three[m] + (
                m + 2 < n and a.isupper() and run[m + 1].isupper() and run[m + 2].islower()
            )
        self.two = two
        self.three = three
        self.camel = bool(two[n] or three[n])
        # Where an unknown chunk may end: before a non-lower-case character, or where a
        # common short word starts (so "Zacianand" can end before "and").
        lists = [english_costs()] + ([vietnamese_costs()] if vietnamese else [])
        self.stop = [
            j == n
            or not run[j].islower()
            or any(
                costs.get(self.low[j : j + k], 99.0) < COMMON_START_COST
                for costs in lists
                for k in range(1, 5)
            )
            for j in range(n + 1)
        ]

    def humps(self, i: int, j: int) -> int:
        """Camel-case transitions wholly inside ``text[i:j]``."""
        if not self.camel:
            return 0
        count = 0
        if j - i >= 2:
            count += self.two[j - 1] - self.two[i]
        if j - i >= 3:
            count += self.three[j - 2] - self.three[i]
        return count


def _add_match(
    out: list[tuple[int, float, str]], pattern: regex.Pattern[str], run: str, i: int, kind: str
) -> None:
    """Add a free piece of ``kind`` where ``pattern`` matches ``run`` at ``i``."""
    match = pattern.match(run, i)
    if match:
        out.append((match.end(), 0.0, kind))


def _candidates(
    prepared: _Run, i: int, page: Mapping[str, float], vietnamese: bool
) -> list[tuple[int, float, str]]:
    """(end, cost, kind) of every piece that may start at ``i``."""
    run, low = prepared.text, prepared.low
    char = run[i]
    out: list[tuple[int, float, str]] = []
    if char.isalpha():
        _add_match(out, _URL, run, i, "url")
        if char in "nN":
            _add_match(out, _CLITIC, run, i, "clitic")
        english_get = english_costs().get
        vi_costs = vietnamese_costs()
        # Vietnamese syllables are looked up only where they can occur: in Vietnamese text, or
        # in a run with letters outside ASCII.
        vi_get = vi_costs.get if vietnamese or not prepared.ascii else None
        page_get = page.get if page else None
        stop = prepared.stop
        camel = prepared.camel
        end = i
        n = len(run)
        while end < n and run[end].isalpha() and end - i < MAX_CHUNK:
            end += 1
        for j in range(i + 1, end + 1):
            piece = low[i:j]
            cost = english_get(piece) if j - i <= MAX_WORD else None
            if page_get is not None:
                other = page_get(piece)
                if other is None:
                    other = page_get(run[i:j])
                if other is not None and (cost is None or other < cost):
                    cost = other
            if vi_get is not None and (vietnamese or not piece.isascii()):
                vi = vi_get(piece)
                if vi is not None and (cost is None or vi < cost):
                    cost = vi
            if cost is not None:
                if camel and (page_get is None or run[i:j] not in page):
                    cost += CAMEL_PENALTY * prepared.humps(i, j)
                if j - i == 1 and char.isupper() and j < n and run[j].isupper():
                    cost += SPLIT_CAPITALS_PENALTY
                out.append((j, cost, "word"))
                continue
            if not stop[j]:
                continue
            if j - i >= 2 and run[i:j].isupper():
                out.append((j, ACRONYM_COST, "acronym"))
                continue
            accented = vietnamese and not piece.isascii()
            if accented and is_syllable(piece):
                out.append((j, UNKNOWN_BASE, "word"))
                continue
            # Vietnamese is written in syllables from a closed set: a long chunk with its
            # letters that is no syllable is almost certainly several glued together.
            per_char = UNKNOWN_PER_CHAR_VI if accented else UNKNOWN_PER_CHAR
            humps = prepared.humps(i, j) if camel else 0
            out.append((j, UNKNOWN_BASE + per_char * (j - i) + CAMEL_PENALTY * humps, "unknown"))
        return out
    number = _NUMBER.match(run, i) if char.isdigit() else None
    if number is not None:
        end = number.end()
        if end < len(run) and run[end - 1] in ".,":
            end -= 1
        out.append((end, 1.0, "number"))
        unit = _UNIT.match(run, end)
        if unit:
            out.append((unit.end(), 0.5, "number"))
        return out
    if char == "@":
        _add_match(out, _EMAIL_HOST, run, i, "email-host")
    if char in "'’":
        _add_match(out, _CLITIC, run, i, "clitic")
    out.append((i + 1, 0.0, "punct"))
    return out


def segment_run(run: str, page: Vocabulary | None = None, vietnamese: bool = False) -> list[Piece]:
    """The cheapest cut of ``run`` into pieces (Viterbi over piece costs), cached.

    >>> [p.text for p in segment_run("Thedevelopmentofinformationtechnology(ICT)inVietnam")]
    ['The', 'development', 'of', 'information', 'technology', '(', 'ICT', ')', 'in', 'Vietnam']
    """
    return list(_segment_cached(run, page if page is not None else EMPTY_VOCABULARY, vietnamese))


@functools.lru_cache(maxsize=32768)
def _segment_cached(run: str, page: Vocabulary, vietnamese: bool) -> tuple[Piece, ...]:
    prepared = _Run(run, vietnamese and not run.isascii())
    n = len(run)
    best = [math.inf] * (n + 1)
    back: list[tuple[int, str]] = [(0, "")] * (n + 1)
    best[0] = 0.0
    for i in range(n):
        if best[i] == math.inf:
            continue
        base = best[i]
        for j, cost, kind in _candidates(prepared, i, page, vietnamese):
            total = base + cost
            if j < n and run[j - 1].islower() and run[j].isupper():
                total -= CASE_BONUS
            if total < best[j]:
                best[j] = total
                back[j] = (i, kind)
    pieces: list[Piece] = []
    j = n
    while j > 0:
        i, kind = back[j]
        pieces.append(Piece(run[i:j], kind))
        j = i
    pieces.reverse()
    return tuple(_merge_emails(pieces))


def clear_cache() -> None:
    """Forget cached cuts (benchmarks call this so repeated passes measure real work)."""
    _segment_cached.cache_clear()


def _merge_emails(pieces: list[Piece]) -> list[Piece]:
    """Join an e-mail address's local part (the word before ``@host``) to its host."""
    out: list[Piece] = []
    for piece in pieces:
        if piece.kind == "email-host" and out and out[-1].kind in ("word", "unknown", "acronym"):
            out[-1] = Piece(out[-1].text + piece.text, "url")
        elif piece.kind == "email-host":
            out.append(Piece(piece.text, "url"))
        else:
            out.append(piece)
    return out


WORDISH = frozenset({"word", "acronym", "number", "unknown", "url"})


def join_pieces(pieces: list[Piece], quotes_open: bool = False) -> tuple[str, bool]:
    """Put spaces back between ``pieces``; returns the text and whether a ``"`` is left open.

    >>> join_pieces([Piece("He", "word"), Piece("said", "word"), Piece(",", "punct"), Piece('"', "punct"),
    ...              Piece("go", "word"), Piece('"', "punct"), Piece(".", "punct")])
    ('He said, "go".', False)
    """
    out: list[str] = []
    prev: Piece | None = None
    before_prev: Piece | None = None
    for piece in pieces:
        if prev is not None and _space_between(before_prev, prev, piece, quotes_open):
            out.append(" ")
        if piece.text == '"':
            quotes_open = not quotes_open
        out.append(piece.text)
        before_prev, prev = prev, piece
    return "".join(out), quotes_open


def _space_between(before: Piece | None, prev: Piece, nxt: Piece, quotes_open: bool) -> bool:
    p, n = prev.text, nxt.text
    if nxt.kind == "clitic":
        return False
    if n == '"':
        return not quotes_open and (prev.kind in WORDISH or p in ",;:")
    if p == '"':
        return quotes_open is False and nxt.kind in WORDISH
    if n in TIGHT_BEFORE or p in TIGHT_AFTER:
        return n in "–—" or p in "–—"
    if n in "–—&" or p in "–—&":
        return True
    if p in OPENERS:
        return False
    if n in OPENERS:
        return prev.kind in WORDISH or prev.kind == "clitic" or p in CLOSERS or p in ",;:.!?"
    if p == ".":
        if before is not None and nxt.kind in WORDISH:
            tight = (before.kind == "number" and nxt.kind == "number") or (
                before.kind == "acronym" and nxt.kind == "acronym"
            )
            return not tight and not (len(before.text) == 1 and before.text.isalpha())
        return nxt.kind in WORDISH
    if p in ",;:!?)]}”’…":
        return nxt.kind in WORDISH
    if p in CURRENCY_CODES and nxt.kind == "number":
        return False
    if n == "$":
        return p not in CURRENCY_CODES and prev.kind in WORDISH
    if p == "$":
        return False
    return prev.kind in WORDISH | {"clitic"} and nxt.kind in WORDISH
