"""Language per block (and per line inside a mixed block); the page's main language.

A fast path decides Vietnamese and English from letters and words: letters only Vietnamese
uses, syllable shape, and English function words. Anything else goes to langdetect with a
fixed seed so the answer never changes between runs; the blocks wholly in a script several
languages share (Cyrillic, Arabic...) go to it together, once a page. Blocks in another
language than the page's main one become ``sidebar`` blocks so the writers route them to
their own file.
"""

from __future__ import annotations

from collections.abc import Sequence

from cleaner.document import Block, Document, evolve
from cleaner.langid import identify, shared_script

STAGE = "language"


def detect_language(text: str) -> str:
    """The ISO 639-1 code of ``text``'s language, ``und`` when it cannot tell.

    >>> detect_language("Chuyển đổi số quốc gia"), detect_language("The summit will feature")
    ('vi', 'en')
    """
    return identify(text)


def _block_languages(blocks: Sequence[Block]) -> list[str]:
    """Each block's language, the blocks wholly in one script several languages share together.

    Only langdetect tells Russian from Bulgarian, or Arabic from Persian, and on one short
    block (a name, a heading) it guesses: on the real pages, Russian headings and names came
    out Bulgarian, Macedonian or Ukrainian. Such blocks are placed on their joined text, once.
    """
    langs = [""] * len(blocks)
    shared: dict[str, list[int]] = {}
    for i, block in enumerate(blocks):
        script = shared_script(block.text)
        if script is None:
            langs[i] = detect_language(block.text)
        else:
            shared.setdefault(script, []).append(i)
    for members in shared.values():
        lang = detect_language("\n".join(blocks[i].text for i in members))
        for i in members:
            langs[i] = lang
    return langs


def _main_language(blocks: Sequence[Block], langs: Sequence[str]) -> str:
    weight: dict[str, int] = {}
    for block, lang in zip(blocks, langs, strict=True):
        if lang != "und" and block.role in ("body", "title", "heading", "item"):
            weight[lang] = weight.get(lang, 0) + len(block.text)
    if not weight:
        return "und"
    return max(sorted(weight), key=lambda lang: weight[lang])


def label_languages(doc: Document) -> Document:
    """The language stage: label blocks, pick the main language, mark foreign blocks sidebar."""
    found = _block_languages(doc.blocks)
    main = _main_language(doc.blocks, found)
    langs = list(found)
    # A block that cannot tell (a name, a number) takes the language of its neighbours (the
    # one before as already settled).
    for i, lang in enumerate(found):
        if lang == "und":
            near = [langs[j] for j in (i - 1, i + 1) if 0 <= j < len(langs)]
            known = [other for other in near if other != "und"]
            langs[i] = known[0] if known and all(k == known[0] for k in known) else main
    out = []
    for block, lang in zip(doc.blocks, langs, strict=True):
        role = block.role
        if main != "und" and lang not in (main, "und") and role in ("body", "heading", "item", "title"):
            role = "sidebar"
        out.append(evolve(block, lang=lang, role=role))
    return doc.evolve(blocks=tuple(out), main_lang=main)
