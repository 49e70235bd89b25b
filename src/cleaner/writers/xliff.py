"""XLIFF 1.2 and XLIFF 2.1 files: one per page and source language, written with lxml.

Each segment is a unit whose id is the segment id and whose source is the segment text;
notes carry its role and offsets; URLs, e-mail addresses, handles and codes are marked
protected (``<mrk mtype="protected">`` in 1.2, ``<mrk translate="no">`` in 2.1).
"""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

from cleaner.document import Segment
from cleaner.writers.protect import protected_spans

XLIFF12 = "urn:oasis:names:tc:xliff:document:1.2"
XLIFF2 = "urn:oasis:names:tc:xliff:document:2.0"


def _fill(element: etree._Element, text: str, mark: str, ns: str, attrs: dict[str, str]) -> None:
    """Put ``text`` into ``element`` with protected spans wrapped in ``mark`` elements."""
    pos = 0
    last: etree._Element | None = None
    for n, (start, end) in enumerate(protected_spans(text), start=1):
        chunk = text[pos:start]
        if last is None:
            element.text = chunk
        else:
            last.tail = chunk
        last = etree.SubElement(element, f"{{{ns}}}{mark}", {k: v.format(n=n) for k, v in attrs.items()})
        last.text = text[start:end]
        pos = end
    if last is None:
        element.text = text[pos:]
    else:
        last.tail = text[pos:]


def _serialise(root: etree._Element) -> str:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True).decode("utf-8")


def xliff12(doc_id: str, segments: Sequence[Segment], source: str, target: str) -> str:
    """An XLIFF 1.2 document for ``segments`` (all of language ``source``)."""
    root = etree.Element(f"{{{XLIFF12}}}xliff", {"version": "1.2"}, nsmap={None: XLIFF12})
    file = etree.SubElement(
        root,
        f"{{{XLIFF12}}}file",
        {"original": doc_id, "source-language": source, "target-language": target, "datatype": "plaintext"},
    )
    body = etree.SubElement(file, f"{{{XLIFF12}}}body")
    for seg in segments:
        unit = etree.SubElement(body, f"{{{XLIFF12}}}trans-unit", {"id": seg.id})
        src = etree.SubElement(unit, f"{{{XLIFF12}}}source")
        _fill(src, seg.text, "mrk", XLIFF12, {"mtype": "protected"})
        etree.SubElement(unit, f"{{{XLIFF12}}}note", {"from": "cleaner:role"}).text = seg.role
        etree.SubElement(
            unit, f"{{{XLIFF12}}}note", {"from": "cleaner:offsets"}
        ).text = f"{seg.start}-{seg.end}"
    return _serialise(root)


def xliff2(doc_id: str, segments: Sequence[Segment], source: str, target: str) -> str:
    """An XLIFF 2.1 document (2.0 namespace, ``version="2.1"``) for ``segments``."""
    root = etree.Element(
        f"{{{XLIFF2}}}xliff", {"version": "2.1", "srcLang": source, "trgLang": target}, nsmap={None: XLIFF2}
    )
    file = etree.SubElement(root, f"{{{XLIFF2}}}file", {"id": "f1", "original": doc_id})
    for seg in segments:
        unit = etree.SubElement(file, f"{{{XLIFF2}}}unit", {"id": seg.id})
        notes = etree.SubElement(unit, f"{{{XLIFF2}}}notes")
        etree.SubElement(notes, f"{{{XLIFF2}}}note", {"category": "role"}).text = seg.role
        etree.SubElement(notes, f"{{{XLIFF2}}}note", {"category": "offsets"}).text = f"{seg.start}-{seg.end}"
        segment = etree.SubElement(unit, f"{{{XLIFF2}}}segment")
        src = etree.SubElement(segment, f"{{{XLIFF2}}}source")
        _fill(src, seg.text, "mrk", XLIFF2, {"id": "m{n}", "translate": "no"})
    return _serialise(root)
