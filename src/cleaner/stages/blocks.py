"""Scraped text to Blocks: one block per line, hard-wrapped lines joined, list markers noted.

Scrapers write one paragraph per line, so a line is the natural unit; a line that continues
a sentence (the previous line has no closing punctuation and this one starts in lower case) is
joined to it. Bullets (``•``, ``-``, ``*``, ``·``) are markup, not text: they are recorded as
removals and the block gets the role ``item``.
"""

from __future__ import annotations

from cleaner import regexcache
from cleaner.document import Block, Document, Removal
from cleaner.wordcount import more_words_than

STAGE = "blocks"
_BULLET = regexcache.compile(r"^[•·▪►▸‣◦●○■□\-*–—]\s+")
_LONE_BULLET = regexcache.compile(r"[•·▪►▸‣◦●○■□*–—-]+")
_BULLET_CHARS = frozenset("•·▪►▸‣◦●○■□*–—-")  # what both patterns above start with
_CLOSED = regexcache.compile(r"""[.!?:;…"”’)\]]$""")
_TERMINAL = regexcache.compile(r"""[.!?…]["”’)\]]*$""")


def _spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line with surrounding whitespace trimmed."""
    spans = []
    pos = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            spans.append((pos + lead, pos + lead + len(stripped)))
        else:
            spans.append((-1, -1))
        pos += len(line) + 1
    return spans


def _continues(prev: str, line: str) -> bool:
    return bool(prev) and not _CLOSED.search(prev) and line[:1].islower()


def guess_role(text: str, index: int, item: bool) -> str:
    """A first structural role from the line alone: title, heading, item or body."""
    if item:
        return "item"
    if len(text) > 120 or _TERMINAL.search(text) or more_words_than(text, 14):
        return "body"
    return "title" if index == 0 else "heading"


def split_blocks(doc: Document) -> Document:
    """The blocks stage for text pages: lines (joined when wrapped) become Blocks."""
    if doc.blocks:
        return doc
    text = doc.text
    blocks: list[Block] = []
    removals: list[Removal] = []
    current: tuple[int, int, bool] | None = None
    previous_blank = True

    def flush() -> None:
        if current is not None:
            start, end, item = current
            chunk = text[start:end]
            blocks.append(Block(chunk, guess_role(chunk, len(blocks), item), start, end))

    for start, end in _spans(text):
        if start < 0:
            flush()
            current = None
            previous_blank = True
            continue
        line = text[start:end]
        marked = line[0] in _BULLET_CHARS  # most lines start with no bullet: both patterns skipped
        if marked and _LONE_BULLET.fullmatch(line):
            removals.append(Removal(line, "markup", STAGE, "list-marker", start, end))
            flush()
            current = None
            previous_blank = True
            continue
        bullet = _BULLET.match(line) if marked else None
        if bullet and end - start > bullet.end():
            removals.append(
                Removal(
                    bullet.group().strip(),
                    "markup",
                    STAGE,
                    "list-marker",
                    start,
                    start + len(bullet.group().rstrip()),
                )
            )
            start += bullet.end()
            line = text[start:end]
        if (
            current is not None
            and not previous_blank
            and not bullet
            and _continues(text[current[0] : current[1]], line)
        ):
            current = (current[0], end, current[2])
        else:
            flush()
            current = (start, end, bool(bullet))
        previous_blank = False
    flush()
    return doc.evolve(blocks=tuple(blocks), removals=doc.removals + tuple(removals))
