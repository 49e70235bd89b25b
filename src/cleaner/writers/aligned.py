"""Aligned pairs, TMX 1.4b, Moses plain text and translation JSONL.

A page "has pairs" when its blocks alternate between two languages with the same number of
sentences on each side (bilingual pages that give each paragraph in both languages); then the
sentences are paired in order. Pages that do not alternate so have no pairs: their segments
still go to the TMX as single-language translation units (a translation-memory export).
"""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

from cleaner import __version__
from cleaner.document import Document, Segment

MIN_ALTERNATIONS = 2  # block pairs in a row before a page counts as bilingual
MAX_LENGTH_RATIO = 3.0


def aligned_pairs(doc: Document) -> list[tuple[Segment, Segment]]:
    """Sentence pairs of a bilingual page, in document order (empty for other pages)."""
    by_block: dict[int, list[Segment]] = {}
    for seg in doc.segments:
        by_block.setdefault(seg.block, []).append(seg)
    blocks = [by_block[k] for k in sorted(by_block)]
    pairs: list[tuple[Segment, Segment]] = []
    run: list[tuple[Segment, Segment]] = []
    run_blocks = 0
    i = 0
    while i + 1 < len(blocks):
        left, right = blocks[i], blocks[i + 1]
        if _matches(left, right):
            run.extend(zip(left, right, strict=True))
            run_blocks += 1
            i += 2
            continue
        if run_blocks >= MIN_ALTERNATIONS:
            pairs.extend(run)
        run, run_blocks = [], 0
        i += 1
    if run_blocks >= MIN_ALTERNATIONS:
        pairs.extend(run)
    return pairs


def _matches(left: list[Segment], right: list[Segment]) -> bool:
    langs_left = {s.lang for s in left}
    langs_right = {s.lang for s in right}
    if len(langs_left) != 1 or len(langs_right) != 1 or langs_left == langs_right or len(left) != len(right):
        return False
    for a, b in zip(left, right, strict=True):
        ratio = max(len(a.text), len(b.text)) / max(1, min(len(a.text), len(b.text)))
        if ratio > MAX_LENGTH_RATIO:
            return False
    return True


def tmx(doc: Document, pairs: Sequence[tuple[Segment, Segment]]) -> str:
    """A TMX 1.4b document: aligned pairs as two-variant units, other segments as one."""
    root = etree.Element("tmx", {"version": "1.4"})
    source_lang = doc.main_lang if doc.main_lang != "und" else "en"
    etree.SubElement(
        root,
        "header",
        {
            "creationtool": "cleaner",
            "creationtoolversion": __version__,
            "segtype": "sentence",
            "o-tmf": "cleaner-jsonl",
            "adminlang": "en",
            "srclang": source_lang,
            "datatype": "plaintext",
        },
    )
    body = etree.SubElement(root, "body")
    paired = {s.id for pair in pairs for s in pair}
    units: list[tuple[int, list[Segment]]] = [(a.start, [a, b]) for a, b in pairs]
    units += [(s.start, [s]) for s in doc.segments if s.id not in paired]
    for _start, segs in sorted(units, key=lambda u: u[0]):
        tu = etree.SubElement(body, "tu", {"tuid": segs[0].id})
        etree.SubElement(tu, "prop", {"type": "x-role"}).text = segs[0].role
        for seg in segs:
            tuv = etree.SubElement(tu, "tuv", {"{http://www.w3.org/XML/1998/namespace}lang": seg.lang})
            etree.SubElement(tuv, "seg").text = seg.text
    doctype = '<!DOCTYPE tmx SYSTEM "tmx14.dtd">'
    return etree.tostring(
        root, xml_declaration=True, encoding="UTF-8", pretty_print=True, doctype=doctype
    ).decode("utf-8")


def moses(pairs: Sequence[tuple[Segment, Segment]]) -> dict[str, str]:
    """Moses-style parallel text: ``{lang: lines}``, line n of each file a translation pair."""
    if not pairs:
        return {}
    first, second = pairs[0][0].lang, pairs[0][1].lang
    out: dict[str, list[str]] = {first: [], second: []}
    for a, b in pairs:
        out[a.lang].append(a.text)
        out[b.lang].append(b.text)
    return {lang: "".join(line + "\n" for line in lines) for lang, lines in out.items()}


def translation_records(pairs: Sequence[tuple[Segment, Segment]]) -> list[dict[str, object]]:
    """``{"id", "translation": {lang: text, ...}}`` for each pair (the Hugging Face shape)."""
    return [{"id": a.id, "translation": {a.lang: a.text, b.lang: b.text}} for a, b in pairs]
