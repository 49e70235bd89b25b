"""The segment stage: blocks become sentences with offsets, languages and stable ids.

Sentence boundaries come from :mod:`cleaner.sentences`; this module turns them into Segments.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
from collections.abc import Mapping, Sequence

from cleaner import regexcache
from cleaner.charsets import finder
from cleaner.document import Block, Document, Segment
from cleaner.sentences import Segmenter, sentence_spans
from cleaner.textcache import short_text_cache
from cleaner.wordcount import more_words_than, squeeze

STAGE = "segment"
_SPACES = regexcache.compile(r"\s+")
# Every character ``_SPACES`` matches but the plain space (a test checks every code point; a
# literal, since finding them at import took 3 ms of every start): a sentence with none of
# them and no double space is left as it is.
_OTHER_SPACES = frozenset(
    "\t\n\x0b\x0c\r\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000"
)
_FIND_OTHER_SPACE = finder(_OTHER_SPACES)
MIN_WORDS_OWN_LANGUAGE = 4


def split_sentences(text: str, lang: str = "en") -> list[str]:
    """Split ``text`` into sentences.

    >>> split_sentences("Mr. Hung spoke at 9 a.m. on Monday. It rained.", "en")
    ['Mr. Hung spoke at 9 a.m. on Monday.', 'It rained.']
    """
    return [text[s:e] for s, e in sentence_spans(text, lang)]


@short_text_cache(maxsize=16384)
def normalize_for_id(text: str) -> str:
    """The form of a segment that its id and repeat detection are based on.

    Curly quotes become straight, each run of whitespace one space (none at the ends), and
    the text is case-folded. Cached for short texts: a segment is normalised for its id, its
    repeat key and its fingerprint, one after the other (a whole page's text, normalised once
    for its page key, is not kept).

    >>> print(normalize_for_id("  “Việt Nam’s”\u00a0 ECONOMY "))
    "việt nam's" economy
    """
    text = text.replace("“", '"').replace("”", '"').replace("‘", "'").replace("’", "'")
    return squeeze(text).casefold()


@short_text_cache(maxsize=16384)
def text_key(text: str) -> int:
    """A 64-bit key of the normalised text: what repeat and template indexes store.

    Keys instead of strings keep a batch's indexes small (eight bytes a line), and blake2b
    keeps them the same in every process and every run (unlike ``hash``). Short texts' keys
    are cached: lines and sentences recur from page to page.
    """
    digest = hashlib.blake2b(normalize_for_id(text).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def segment_id(doc_id: str, digest: str, occurrence: int) -> str:
    """A stable id from the page id and the segment's :func:`content_digest`.

    The same sentence gets the same id however the page around it changes; a real repeat of
    it in the same page gets ``-2``, ``-3``... in document order.
    """
    return f"{doc_id}:{digest}" + (f"-{occurrence}" if occurrence > 1 else "")


@short_text_cache(maxsize=16384)
def content_digest(text: str) -> str:
    """The 12 hex digits of a segment id that come from its content (sha1 of the normal form)."""
    return hashlib.sha1(normalize_for_id(text).encode("utf-8")).hexdigest()[:12]


@functools.lru_cache(maxsize=64)
def _segmenter(lang: str, extra: tuple[str, ...]) -> Segmenter:
    return Segmenter(lang, extra)


# A sentence of a block: its span in the block, its text (white space made plain), the
# content digest of its id, and its own language.
Sentence = tuple[int, int, str, str, str]


@short_text_cache(maxsize=8192)
def _block_sentences(text: str, lang: str, extra: tuple[str, ...]) -> tuple[Sentence, ...]:
    """The sentences of a block in language ``lang``, cached for short blocks.

    All of it depends on the block's text and language alone, and blocks recur across pages
    (a syndicated paragraph, a teaser, a repeated page): a block seen before costs one lookup
    instead of a digest and a language check per sentence.
    """
    spans = _segmenter(lang, extra).spans(text)
    sentences = []
    for start, end in spans:
        sentence = text[start:end]
        if "  " in sentence or _FIND_OTHER_SPACE(sentence):
            sentence = _SPACES.sub(" ", sentence)
        own = sentence_language(sentence, lang) if len(spans) > 1 else lang
        sentences.append((start, end, sentence, content_digest(sentence), own))
    return tuple(sentences)


def segment(doc: Document, abbreviations: Mapping[str, Sequence[str]] | None = None) -> Document:
    """The segment stage: every block becomes sentences with ids and offsets.

    ``abbreviations`` adds, per language, abbreviations after which no sentence ends.
    """
    seen: dict[str, int] = {}
    segments: list[Segment] = []
    extra = abbreviations or {}
    doc_id, main = doc.id, doc.main_lang
    for index, block in enumerate(doc.blocks):
        lang = block.lang if block.lang != "und" else main
        shift = None if block.inserts else block.start  # most blocks: offsets shift by the start
        for start, end, text, key, own in _block_sentences(block.text, lang, tuple(extra.get(lang, ()))):
            n = seen[key] = seen.get(key, 0) + 1  # repeats counted by what the id is made of: ids stay unique
            role = block.role
            if own != lang:
                if own == main and role == "sidebar":
                    role = "body"
                elif own != main and role in ("body", "item", "heading"):
                    role = "sidebar"
            if shift is None:
                first, last = source_offset(block, start), source_offset(block, end)
            else:
                first, last = shift + start, shift + end
            segments.append(Segment(segment_id(doc_id, key, n), doc_id, own, role, text, first, last, index))
    return doc.evolve(segments=tuple(segments))


def sentence_language(text: str, block_lang: str) -> str:
    """A sentence's own language inside a mixed block, else the block's.

    Only a sentence of four or more words that the detector places in another language
    leaves its block's language: short sentences ("Yes.", a name) follow their block. So
    does a sentence wholly in the script of its block's language when that script serves
    several (Cyrillic, Arabic): only langdetect could place it elsewhere, at about a
    millisecond a sentence (a Russian page took 0.6 s, four fifths of it in langdetect).
    """
    from cleaner.langid import identify, written_as

    if not more_words_than(text, MIN_WORDS_OWN_LANGUAGE - 1):
        return block_lang
    if block_lang == "en" and text.isascii():
        return block_lang  # plain ASCII in an English block: nothing points elsewhere (cheap path)
    if written_as(text, block_lang):
        return block_lang
    own = identify(text)
    return own if own not in ("und", block_lang) else block_lang


def source_offset(block: Block, offset: int) -> int:
    """Map an offset in ``block.text`` back to ``Document.text``.

    Blocks only ever gain inserted spaces (recorded in ``block.inserts``), so the source
    offset is the block offset less the insertions before it.
    """
    if not block.inserts:  # most blocks: nothing was inserted
        return block.start + offset
    return block.start + offset - bisect.bisect_left(block.inserts, offset)
