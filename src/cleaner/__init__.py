"""cleaner: turn messy scraped web pages into clean, bilingual segment files.

The string-level conveniences below are the library's front door; every stage is also an
importable function over a :class:`cleaner.document.Document` (see ``cleaner.pipeline``).

>>> from cleaner import detect_language, split_sentences
>>> detect_language("Chuyển đổi số quốc gia")
'vi'
>>> split_sentences("It rained. Mr. Hung stayed home.", "en")
['It rained.', 'Mr. Hung stayed home.']
"""

from __future__ import annotations

__version__ = "0.1.0"

from cleaner.stages.html import extract_html
from cleaner.stages.language import detect_language
from cleaner.stages.segment import split_sentences
from cleaner.stages.whitespace import repair_whitespace

__all__ = ["__version__", "detect_language", "extract_html", "repair_whitespace", "split_sentences"]
