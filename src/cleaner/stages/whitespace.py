"""Collapsed-whitespace repair: put back the spaces a scraper lost, never change anything else.

This first version only detects: it leaves every block as it is. The repair itself (word
frequencies, page vocabulary, Vietnamese syllables) replaces ``repair_whitespace`` without
changing its contract: it only ever inserts spaces.
"""

from __future__ import annotations

from cleaner.document import Document


def repair_whitespace(text: str, lang: str = "en") -> str:
    """``text`` with lost spaces restored; only ever inserts spaces.

    >>> repair_whitespace("Clean text stays as it is.")
    'Clean text stays as it is.'
    """
    return text


def repair_whitespace_stage(doc: Document) -> Document:
    """The whitespace stage over a Document (records each insertion as an Edit)."""
    return doc
