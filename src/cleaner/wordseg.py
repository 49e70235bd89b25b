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

MAX_WORD = 24
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
    r"(?:https?://|www\.)[\w-]+(?:\.[\w-]+)*?\.(?:com|vn|org|net|gov|edu|io|ai|info|asia|co|uk|jp|sg|kr|cn|int)"
    r"(?:\.(?:vn|uk|jp|sg|kr|cn|au))?(?:/[\w./%?=&#-]*[\w/])?",
    regex.IGNORECASE,
)
_EMAIL_HOST = regex.compile(
    r"@[\w-]+(?:\.[\w-]+)*?\.(?:com|vn|org|net|gov|edu|io|ai|info|asia|co)(?:\.(?:vn|uk|jp|sg))?",
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


def word_cost(word: str, page: Mapping[str, float], vietnamese: bool) -> float | None:
    """The cost of ``word`` as one word, or None when no list knows it."""
    low = word.lower()
    costs = [c for c in (english_costs().get(low), page.get(low)) if c is not None]
    if vietnamese or not low.isascii():
        vi = vietnamese_costs().get(low)
        if vi is not None:
            costs.append(vi)
    if not costs:
        return None
    cost = min(costs)
    if word not in page:
        cost += CAMEL_PENALTY * len(_CAMEL.findall(word))
    return cost


def _candidates(
    run: str, i: int, page: Mapping[str, float], vietnamese: bool
) -> list[tuple[int, float, str]]:
    """(end, cost, kind) of every piece that may start at ``i``."""
    char = run[i]
    out: list[tuple[int, float, str]] = []
    if char.isalpha():
        url = _URL.match(run, i)
        if url:
            out.append((url.end(), 0.0, "url"))
        if char in "nN":
            clitic = _CLITIC.match(run, i)
            if clitic:
                out.append((clitic.end(), 0.0, "clitic"))
        end = i
        while end < len(run) and run[end].isalpha() and end - i < 40:
            end += 1
        for j in range(i + 1, end + 1):
            word = run[i:j]
            if j - i <= MAX_WORD:
                cost = word_cost(word, page, vietnamese)
                if cost is not None:
                    if j - i == 1 and word.isupper() and j < len(run) and run[j].isupper():
                        cost += SPLIT_CAPITALS_PENALTY
                    out.append((j, cost, "word"))
                    continue
            if word.isupper() and j - i >= 2:
                out.append((j, ACRONYM_COST, "acronym"))
            elif vietnamese and is_syllable(word):
                out.append((j, UNKNOWN_BASE, "word"))
            else:
                camel = CAMEL_PENALTY * len(_CAMEL.findall(word))
                # Vietnamese is written in syllables from a closed set: a long chunk with its
                # letters that is no syllable is almost certainly several glued together.
                per_char = UNKNOWN_PER_CHAR_VI if vietnamese and not word.isascii() else UNKNOWN_PER_CHAR
                out.append((j, UNKNOWN_BASE + per_char * (j - i) + camel, "unknown"))
        return out
    if char.isdigit():
        number = _NUMBER.match(run, i)
        assert number is not None
        end = number.end()
        if end < len(run) and run[end - 1] in ".,":
            end -= 1
        out.append((end, 1.0, "number"))
        unit = _UNIT.match(run, end)
        if unit:
            out.append((unit.end(), 0.5, "number"))
        return out
    if char == "@":
        host = _EMAIL_HOST.match(run, i)
        if host:
            out.append((host.end(), 0.0, "email-host"))
    if char in "'’":
        clitic = _CLITIC.match(run, i)
        if clitic:
            out.append((clitic.end(), 0.0, "clitic"))
    out.append((i + 1, 0.0, "punct"))
    return out


def segment_run(run: str, page: Mapping[str, float] | None = None, vietnamese: bool = False) -> list[Piece]:
    """The cheapest cut of ``run`` into pieces (Viterbi over piece costs).

    >>> [p.text for p in segment_run("Thedevelopmentofinformationtechnology(ICT)inVietnam")]
    ['The', 'development', 'of', 'information', 'technology', '(', 'ICT', ')', 'in', 'Vietnam']
    """
    page = page or {}
    n = len(run)
    best = [math.inf] * (n + 1)
    back: list[tuple[int, str]] = [(0, "")] * (n + 1)
    best[0] = 0.0
    for i in range(n):
        if best[i] == math.inf:
            continue
        for j, cost, kind in _candidates(run, i, page, vietnamese):
            total = best[i] + cost
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
    return _merge_emails(pieces)


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
