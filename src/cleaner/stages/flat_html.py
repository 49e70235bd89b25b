"""Blocks of a page too deeply nested for lxml's tree, read by the standard library's HTML parser.

Kept apart from :mod:`cleaner.stages.html` so that ``html.parser`` (2 ms) is imported only for
such a page.
"""

from __future__ import annotations

from html.parser import HTMLParser

from cleaner import regexcache
from cleaner.stages.html import BLOCK_TAGS, SKIP_TAGS, RawBlock

_SPACE = regexcache.compile(r"\s+")


class _FlatReader(HTMLParser):
    """A streaming reader that turns tags into block boundaries without building a tree."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[RawBlock] = []
        self.parts: list[str] = []
        self.tag = "body"
        self.skip = 0

    def _flush(self) -> None:
        text = _SPACE.sub(" ", "".join(self.parts)).strip()
        if text:
            from lxml import etree

            self.blocks.append(RawBlock(text, self.tag, (), etree.Element(self.tag), 0))
        self.parts = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIP_TAGS:
            self.skip += 1
        elif tag in BLOCK_TAGS:
            self._flush()
            self.tag = tag

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag in BLOCK_TAGS:
            self._flush()
            self.tag = "body"

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def flat_blocks(html: str) -> list[RawBlock]:
    """Blocks of a page too deeply nested for a tree: every text run between block tags."""
    reader = _FlatReader()
    reader.feed(html)
    reader.close()
    reader._flush()
    return reader.blocks
