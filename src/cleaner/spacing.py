"""Spaces put back between the pieces of a cut run, by the rules of typography.

:mod:`cleaner.wordseg` finds the pieces (words, numbers, punctuation, addresses); this module
decides where a space goes between two of them: after ``.,;:!?`` before a word, around
brackets, straight double quotes told apart by their order in the paragraph, curly apostrophes
told from closing quotes, dashes set off by spaces, and none inside ``U.S.``, ``FPT.AI``,
``1,000.5``, ``RAV4``, ``64GB``, ``4:25``, ``S&P`` or ``AT&T``.
"""

from __future__ import annotations

from cleaner.wordseg import Piece

CURRENCY_CODES = frozenset({"VND", "USD", "EUR", "SGD", "JPY", "GBP", "AUD", "US", "S", "A", "HK", "NT"})
OPENERS = frozenset("([{“‘<")
ELLIPSES = frozenset({"...", "…"})
SPACED_DASHES = frozenset({"–", "—", "--"})  # dashes set off by spaces in collapsed runs
CLOSERS = frozenset(")]}”’>")
TIGHT_AFTER = frozenset("-/@#€£¥")  # no space after these
TIGHT_BEFORE = frozenset(",.;:!?%)]}”’>-/…")  # no space before these

WORDISH = frozenset({"word", "acronym", "number", "unknown", "url", "handle", "code"})


def join_pieces(
    pieces: list[Piece], quotes_open: bool = False, single_open: bool = False
) -> tuple[str, bool]:
    """Put spaces back between ``pieces``; returns the text and whether a ``"`` is left open.

    ``single_open`` says whether a ‘ opened before the run is still open: only then can a ’
    between two words close it (the ‘best’ way); otherwise it is an apostrophe (O’Brien).

    >>> join_pieces([Piece("He", "word"), Piece("said", "word"), Piece(",", "punct"), Piece('"', "punct"),
    ...              Piece("go", "word"), Piece('"', "punct"), Piece(".", "punct")])
    ('He said, "go".', False)
    """
    out: list[str] = []
    prev: Piece | None = None
    before_prev: Piece | None = None
    closed_quote = False  # whether the last ’ closed a ‘
    # An ampersand between short capitals is tight (S&P, AT&T, R&D), between words spaced.
    tight = {
        k
        for k in range(1, len(pieces) - 1)
        if pieces[k].text == "&" and _short_capitals(pieces[k - 1]) and _short_capitals(pieces[k + 1])
    }
    for k, piece in enumerate(pieces):
        closes_outside = False
        if piece.text == '"' and not quotes_open and prev is not None:
            # A quote with no word after it closes one opened before this run: nhé!".
            following = pieces[k + 1] if k + 1 < len(pieces) else None
            closes_outside = following is None or following.kind not in WORDISH
        apostrophe = (
            prev is not None
            and prev.text == "’"
            and not closed_quote
            and before_prev is not None
            and before_prev.kind in WORDISH
            and piece.kind in WORDISH
            and _inner_apostrophe(before_prev.text, piece.text)
        )
        if (
            prev is not None
            and not apostrophe
            and k not in tight
            and k - 1 not in tight
            and _space_between(before_prev, prev, piece, quotes_open or closes_outside)
        ):
            out.append(" ")
        if piece.text == '"' and not closes_outside:
            quotes_open = not quotes_open
        elif piece.text == "‘":
            single_open = True
        elif piece.text == "’":
            closed_quote, single_open = single_open, False
        out.append(piece.text)
        before_prev, prev = prev, piece
    return "".join(out), quotes_open


def _short_capitals(piece: Piece) -> bool:
    return len(piece.text) <= 3 and piece.text.isalpha() and piece.text.isupper()


def _inner_apostrophe(before: str, after: str) -> bool:
    """Whether a ’ between ``before`` and ``after`` is inside a word: O’Brien, y’all, ma’am.

    Not after a plural (the teams’ coach) or a dropped g (Takin’ It To The Streets).
    """
    if len(before) == 1:
        return before.isupper() or after[:1].islower()
    return (
        after[:1].islower()
        and before[-1:].isalpha()
        and before[-1:] not in "sS"
        and not before.endswith("in")
    )


def _space_between(before: Piece | None, prev: Piece, nxt: Piece, quotes_open: bool) -> bool:
    p, n = prev.text, nxt.text
    if nxt.kind == "clitic":
        return False
    if n == '"':
        return not quotes_open and (prev.kind in WORDISH or p in ",;:.!?")
    if p == '"':
        return quotes_open is False and (nxt.kind in WORDISH or n in OPENERS)  # "bang" (của
    if p in "'’" and before is not None and before.text[-1:] in "sS" and before.kind in WORDISH:
        return nxt.kind in WORDISH  # a plural possessive: the teams' coach
    if n in ELLIPSES:
        return p == "."  # "dollars. ..." but "wait..."
    if nxt.kind == "dash" or prev.kind == "dash":
        return True
    if n in TIGHT_BEFORE or p in TIGHT_AFTER:
        return n in SPACED_DASHES or p in SPACED_DASHES
    if n == "&" or p == "&":
        return True
    if n in SPACED_DASHES or p in SPACED_DASHES:
        return True
    if p in OPENERS:
        return False
    if n in OPENERS:
        return prev.kind in WORDISH or prev.kind == "clitic" or p in CLOSERS or p in ",;:.!?"
    if p == ".":
        if before is not None and nxt.kind in WORDISH:
            tight = (before.kind == "number" and nxt.kind == "number") or (
                len(before.text) > 1 and before.text.isupper() and n.isupper()  # FPT.AI
            )
            initial = len(before.text) == 1 and before.text.isalpha()
            # U.S. Securities, p.m. start, A. Zoghlin: a word after an initial's dot; U.S.A: none.
            return not tight and (not initial or (len(nxt.text) > 1 and nxt.kind != "number"))
        return nxt.kind in WORDISH
    if p == ":" and before is not None and before.kind == "number" and nxt.kind == "number":
        return False  # 4:25, 3:1
    if p in ",;:!?)]}”’>…" or p == "...":
        return nxt.kind in WORDISH
    if p in CURRENCY_CODES and nxt.kind == "number":
        return False
    if nxt.kind == "number" and p.isupper() and prev.kind != "punct" and p not in ("A", "I"):
        return False  # model codes: RAV4, TNG50, MP3, Q3
    if prev.kind == "number" and len(n) == 1 and n.isupper():
        return False  # B2C, Map4D, 4K
    if n == "$":
        return p not in CURRENCY_CODES and prev.kind in WORDISH
    if p == "$":
        return False
    return prev.kind in WORDISH | {"clitic"} and nxt.kind in WORDISH
