"""The output contract: ``S.segments.jsonl``, ``S.<lang>.txt`` and ``S.removed.jsonl``."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from cleaner.document import Document
from cleaner.writers.atomic import write_atomic


def jsonl(records: Iterable[dict[str, Any]]) -> str:
    """One compact JSON object per line, keys in a fixed order, UTF-8 kept readable."""
    return "".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in records)


def segments_jsonl(doc: Document) -> str:
    """Every kept segment in document order."""
    return jsonl(seg.to_json() for seg in doc.segments)


def removed_jsonl(doc: Document) -> str:
    """Every removal and repair, ordered by stage position then offset."""
    records = [e.to_json() for e in doc.edits] + [
        r.to_json() for r in sorted(doc.removals, key=lambda r: (r.start, r.end))
    ]
    return jsonl(records)


def language_texts(doc: Document) -> dict[str, str]:
    """``{lang: text}``: the segments of each language, one per line (``und`` left out)."""
    out: dict[str, list[str]] = {}
    for seg in doc.segments:
        if seg.lang != "und":
            out.setdefault(seg.lang, []).append(seg.text)
    return {lang: "".join(t + "\n" for t in texts) for lang, texts in sorted(out.items())}


def write_contract(doc: Document, out_dir: Path, stem: str) -> list[Path]:
    """Write the three kinds of files for ``doc``; returns the paths that changed."""
    files = {
        out_dir / f"{stem}.segments.jsonl": segments_jsonl(doc),
        out_dir / f"{stem}.removed.jsonl": removed_jsonl(doc),
    }
    for lang, text in language_texts(doc).items():
        files[out_dir / f"{stem}.{lang}.txt"] = text
    return [path for path, data in files.items() if write_atomic(path, data)]
