"""Language per block (and per line inside a mixed block); the page's main language.

A fast path decides Vietnamese and English from letters and words: letters only Vietnamese
uses, syllable shape, and English function words. Anything else goes to langdetect with a
fixed seed so the answer never changes between runs. Blocks in another language than the
page's main one become ``sidebar`` blocks so the writers route them to their own file.
"""

from __future__ import annotations

from dataclasses import replace

from cleaner.document import Block, Document
from cleaner.langid import identify

STAGE = "language"


def detect_language(text: str) -> str:
    """The ISO 639-1 code of ``text``'s language, ``und`` when it cannot tell.

    >>> detect_language("Chuyển đổi số quốc gia"), detect_language("The summit will feature")
    ('vi', 'en')
    """
    return identify(text)


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
