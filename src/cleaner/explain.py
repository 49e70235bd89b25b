"""Explain a processed page: every piece of its text with its fate and the rule that decided."""

from __future__ import annotations

from collections.abc import Iterator

from cleaner.document import Document


def explain_lines(doc: Document) -> Iterator[str]:
    """One line per kept block and per removal, in the order they stand in the page.

    Kept blocks read ``keep    role/lang  text``; removals read ``drop    reason  rule  text``;
    repairs read ``repair  rule  before -> after``.
    """
    rows: list[tuple[int, int, str]] = []
    for block in doc.blocks:
        rows.append((block.start, 1, f"keep    {block.role}/{block.lang:<3} {shorten(block.text)}"))
    for removal in doc.removals:
        extra = f" (= {removal.duplicate_of})" if removal.duplicate_of else ""
        rows.append(
            (
                removal.start,
                0,
                f"drop    {removal.reason:<14} {removal.rule:<32} {shorten(removal.text)}{extra}",
            )
        )
    for edit in doc.edits:
        if edit.stage != "decode":
            rows.append(
                (edit.start, 2, f"repair  {edit.rule:<14} {shorten(edit.before)} -> {shorten(edit.after)}")
            )
    for _start, _order, text in sorted(rows, key=lambda r: (r[0], r[1])):
        yield text
    for edit in doc.edits:
        if edit.stage == "decode":
            yield f"decode  {edit.rule}: {shorten(edit.before)} -> {shorten(edit.after)}"


def shorten(text: str, width: int = 100) -> str:
    """``text`` on one line, cut to ``width`` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"
