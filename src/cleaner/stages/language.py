"""Language per block (and per line inside a mixed block); the page's main language.

A fast path decides Vietnamese and English from letters and words: letters only Vietnamese
uses, syllable shape, and English function words. Anything else goes to langdetect with a
fixed seed so the answer never changes between runs. Blocks in another language than the
page's main one become ``sidebar`` blocks so the writers route them to their own file.
"""

from __future__ import annotations

import functools
from dataclasses import replace

import regex

from cleaner.document import Block, Document
from cleaner.vietnamese import SPECIFIC, SPECIFIC_UPPER, is_syllable

STAGE = "language"
_WORD = regex.compile(r"\p{L}[\p{L}\p{M}'’]*")
_HAN = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]")
# Caption and brand tokens that say nothing about the language of a line.
_NEUTRAL = regex.compile(r"\s-\s+Ảnh\s+\d+\.?$|\(Ảnh:[^)]*\)")
EN_FUNCTION_WORDS: frozenset[str] = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "and",
        "or",
        "to",
        "in",
        "on",
        "at",
        "for",
        "from",
        "by",
        "with",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "has",
        "have",
        "had",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "which",
        "who",
        "whom",
        "whose",
        "what",
        "when",
        "where",
        "why",
        "how",
        "not",
        "no",
        "but",
        "if",
        "than",
        "then",
        "so",
        "such",
        "there",
        "their",
        "they",
        "them",
        "he",
        "she",
        "his",
        "her",
        "we",
        "our",
        "you",
        "your",
        "i",
        "my",
        "me",
        "will",
        "would",
        "can",
        "could",
        "should",
        "may",
        "might",
        "must",
        "do",
        "does",
        "did",
        "about",
        "into",
        "over",
        "after",
        "before",
        "under",
        "between",
        "through",
        "during",
        "also",
        "only",
        "more",
        "most",
        "other",
        "some",
        "any",
        "all",
        "each",
        "both",
        "very",
        "just",
        "new",
        "said",
        "says",
        "up",
        "out",
        "one",
        "two",
        "three",
        "many",
        "much",
        "well",
    ]
)
_SPECIFIC_ALL = SPECIFIC | SPECIFIC_UPPER


@functools.lru_cache(maxsize=1)
def _langdetect() -> object:
    from langdetect import DetectorFactory

    factory = DetectorFactory()
    factory.load_profile(_profiles_dir())
    factory.set_seed(0)
    return factory


def _profiles_dir() -> str:
    import os

    import langdetect

    return os.path.join(os.path.dirname(langdetect.__file__), "profiles")


def _fallback(text: str) -> str:
    factory = _langdetect()
    try:
        detector = factory.create()  # type: ignore[attr-defined]
        detector.append(text)
        lang = detector.detect()
    except Exception:
        return "und"
    return {"zh-cn": "zh", "zh-tw": "zh"}.get(lang, lang)


def detect_language(text: str) -> str:
    """The ISO 639-1 code of ``text``'s language, ``und`` when it cannot tell.

    >>> detect_language("Chuyển đổi số quốc gia"), detect_language("The summit will feature")
    ('vi', 'en')
    >>> detect_language("2020 - 31/12"), detect_language("Nguyễn Mạnh Hùng said on Monday.")
    ('und', 'en')
    """
    text = _NEUTRAL.sub("", text)
    words = _WORD.findall(text)
    if not words:
        han = _HAN.findall(text)
        return _fallback(text) if han else "und"
    if _HAN.search(text) and len(_HAN.findall(text)) > len(words):
        return _fallback(text)
    # Capitalised words are often names (Nguyễn Mạnh Hùng in an English sentence): when the
    # line has enough lower-case words, those decide.
    common = [w for w in words if w[:1].islower()]
    if len(common) >= 2:
        words = common
    lower = [w.lower().strip("'’") for w in words]
    n = len(lower)
    vi_marked = sum(1 for w in words if any(c in _SPECIFIC_ALL for c in w))
    english = sum(1 for w in lower if w in EN_FUNCTION_WORDS)
    syllables = sum(1 for w in lower if is_syllable(w))
    if vi_marked and vi_marked * 3 >= n and english * 4 < n:
        return "vi"
    if english and english * 8 >= n and vi_marked * 3 < n:
        return "en"
    if n <= 3 and vi_marked:
        return "vi"
    if syllables == n and n >= 2 and not english and vi_marked:
        return "vi"
    if n <= 2 and all(w[:1].isupper() for w in words):
        return "und"
    return _fallback(text)


def _main_language(blocks: list[Block]) -> str:
    weight: dict[str, int] = {}
    for block in blocks:
        if block.lang != "und" and block.role in ("body", "title", "heading", "item"):
            weight[block.lang] = weight.get(block.lang, 0) + len(block.text)
    if not weight:
        return "und"
    return max(sorted(weight), key=lambda lang: weight[lang])


def label_languages(doc: Document) -> Document:
    """The language stage: label blocks, pick the main language, mark foreign blocks sidebar."""
    labelled = [replace(b, lang=detect_language(b.text)) for b in doc.blocks]
    main = _main_language(labelled)
    # A block that cannot tell (a name, a number) takes the language of its neighbours.
    for i, block in enumerate(labelled):
        if block.lang == "und":
            near = [labelled[j].lang for j in (i - 1, i + 1) if 0 <= j < len(labelled)]
            known = [lang for lang in near if lang != "und"]
            lang = known[0] if known and all(k == known[0] for k in known) else main
            labelled[i] = replace(block, lang=lang)
    out = []
    for block in labelled:
        role = block.role
        if main != "und" and block.lang not in (main, "und") and role in ("body", "heading", "item", "title"):
            role = "sidebar"
        out.append(replace(block, role=role))
    return doc.evolve(blocks=tuple(out), main_lang=main)
