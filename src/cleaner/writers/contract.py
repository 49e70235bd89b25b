"""The output contract: ``S.segments.jsonl``, ``S.<lang>.txt`` and ``S.removed.jsonl``."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Collection, Iterable, Sequence
from pathlib import Path
from typing import Any

from cleaner.document import Document, Removal, Segment
from cleaner.writers.atomic import write_atomic


def _record_encoder() -> Callable[[Any], str]:
    """``JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode``, made once.

    ``encode`` builds the C encoder (``json.encoder.c_make_encoder``) anew for every call: a
    third of the time of a segment's line. The one built here is the one ``encode`` builds,
    without the check for circular references (a record is a flat dict of strings and
    numbers), so the text is the same. Where the C encoder is missing, ``encode`` itself.
    """
    encoder = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return encoder.encode
    c_encode = make(None, encoder.default, json.encoder.encode_basestring, None, ":", ",", False, False, True)
    return lambda record: "".join(c_encode(record, 0))


_ENCODE = _record_encoder()


def jsonl(records: Iterable[dict[str, Any]]) -> str:
    """One compact JSON object per line, keys in a fixed order, UTF-8 kept readable."""
    return "".join([_ENCODE(r) + "\n" for r in records])


# A segment's or a removal's line, written field by field: the same text as encoding its
# ``to_json`` dict (the same string escaping, ``int``'s repr for offsets, the same order), for
# half the time or less (the bench's corpus: a segment 3.0 to 1.7 us, a removal 1.9 to 0.75 us,
# and a 4 MB run writes 25,000 of them). tests/test_properties.py holds the two to each other.
_STRING = json.encoder.encode_basestring  # what the record encoder quotes strings with


def segment_line(seg: Segment) -> str:
    """``seg.to_json()`` as one line of ``S.segments.jsonl``."""
    line = (
        f'{{"id":{_STRING(seg.id)},"doc":{_STRING(seg.doc)},"lang":{_STRING(seg.lang)},'
        f'"role":{_STRING(seg.role)},"text":{_STRING(seg.text)},"start":{seg.start!r},"end":{seg.end!r}'
    )
    if seg.near_duplicate_of is not None:
        line += (
            f',"near_duplicate_of":{_STRING(seg.near_duplicate_of)},"similarity":{_ENCODE(seg.similarity)}'
        )
    return line + "}\n"


def removal_line(removal: Removal) -> str:
    """``removal.to_json()`` as one line of ``S.removed.jsonl``."""
    line = (
        f'{{"text":{_STRING(removal.text)},"reason":{_STRING(removal.reason)},"stage":{_STRING(removal.stage)},'
        f'"rule":{_STRING(removal.rule)},"start":{removal.start!r},"end":{removal.end!r}'
    )
    if removal.duplicate_of is not None:
        line += f',"duplicate_of":{_STRING(removal.duplicate_of)}'
    if removal.similarity is not None:
        line += f',"similarity":{_ENCODE(removal.similarity)}'
    return line + "}\n"


def segments_jsonl(doc: Document) -> str:
    """Every kept segment in document order."""
    return "".join(map(segment_line, doc.segments))


def _by_offset(doc: Document) -> list[Removal]:
    return sorted(doc.removals, key=lambda r: (r.start, r.end))


def removal_records(doc: Document) -> list[dict[str, Any]]:
    """Every repair (in stage order), then every removal (by offset), as written out."""
    return [e.to_json() for e in doc.edits] + [r.to_json() for r in _by_offset(doc)]


def removed_jsonl(doc: Document) -> str:
    """The content of ``S.removed.jsonl``: the lines of :func:`removal_records`."""
    return jsonl(e.to_json() for e in doc.edits) + "".join(map(removal_line, _by_offset(doc)))


def language_texts(doc: Document) -> dict[str, str]:
    """``{lang: text}``: the segments of each language, one per line (``und`` left out)."""
    out: dict[str, list[str]] = {}
    for seg in doc.segments:
        if seg.lang != "und":
            out.setdefault(seg.lang, []).append(seg.text)
    return {lang: "".join(t + "\n" for t in texts) for lang, texts in sorted(out.items())}


FORMATS = ("jsonl", "txt", "xliff", "xliff2", "tmx", "moses", "aligned")
DEFAULT_FORMATS = ("jsonl", "txt")
_PAIRED_FORMATS = frozenset({"tmx", "moses", "aligned"})  # made from aligned segment pairs


def default_target(source: str) -> str:
    """The language a page's segments are translated into when no target is given."""
    return "vi" if source != "vi" else "en"


def render(
    doc: Document,
    stem: str,
    formats: Sequence[str] = DEFAULT_FORMATS,
    target: str | None = None,
    languages: Sequence[str] = (),
) -> dict[str, str]:
    """``{file name: content}`` of every output file of ``doc`` in ``formats``.

    ``S.removed.jsonl`` is always written: nothing the user gave disappears without a record.
    ``languages``, when given, limits the per-language files (text, XLIFF) to those languages;
    every segment still goes to ``S.segments.jsonl``.
    """
    files: dict[str, str] = {f"{stem}.removed.jsonl": removed_jsonl(doc)}
    if "jsonl" in formats:
        files[f"{stem}.segments.jsonl"] = segments_jsonl(doc)
    if "txt" in formats:
        for lang, text in language_texts(doc).items():
            if not languages or lang in languages:
                files[f"{stem}.{lang}.txt"] = text
    if set(formats) <= {"jsonl", "txt"}:
        return files  # the XML and pair writers (and lxml) are loaded only when asked for
    from cleaner.writers import aligned, xliff

    by_lang: dict[str, list[Segment]] = {}
    for seg in doc.segments:
        if seg.lang != "und" and (not languages or seg.lang in languages):
            by_lang.setdefault(seg.lang, []).append(seg)
    for lang, segs in sorted(by_lang.items()):
        goal = target if target and target != lang else default_target(lang)
        if "xliff" in formats:
            files[f"{stem}.{lang}.xlf"] = xliff.xliff12(doc.id, segs, lang, goal)
        if "xliff2" in formats:
            files[f"{stem}.{lang}.v2.xlf"] = xliff.xliff2(doc.id, segs, lang, goal)
    pairs = aligned.aligned_pairs(doc) if _PAIRED_FORMATS & set(formats) else []
    if "tmx" in formats:
        files[f"{stem}.tmx"] = aligned.tmx(doc, pairs)
    if pairs and "moses" in formats:
        sides = aligned.moses(pairs)
        for lang, text in sides.items():
            files[f"{stem}.{'-'.join(sorted(sides))}.{lang}"] = text
    if pairs and "aligned" in formats:
        files[f"{stem}.aligned.jsonl"] = jsonl(aligned.translation_records(pairs))
    return files


def write_contract(
    doc: Document,
    out_dir: Path,
    stem: str,
    formats: Sequence[str] = DEFAULT_FORMATS,
    target: str | None = None,
    languages: Sequence[str] = (),
    protect: Collection[Path] = (),
    fresh: bool = False,
) -> list[Path]:
    """Write the output files of ``doc`` into ``out_dir``; returns the paths that changed.

    Refuses (OSError) before writing anything when an output would replace a file in
    ``protect`` (the run's inputs, resolved). ``fresh`` says ``out_dir`` was empty when the run
    began, so no output can be an input or replace a file other than one this run wrote: the
    per-file checks are skipped (on some disks each failed lookup costs tens of microseconds).
    """
    files = render(doc, stem, formats, target, languages)
    clash = [name for name in files if _final_path(out_dir, name) in protect] if protect and not fresh else []
    if clash:
        raise FileExistsError(f"refusing to overwrite input file {out_dir / clash[0]}")
    changed = []
    for name, data in files.items():
        path = out_dir / name
        if write_atomic(path, data, new=fresh):
            changed.append(path)
    return changed


@functools.lru_cache(maxsize=64)
def _resolved(folder: Path) -> Path:
    return folder.resolve()


def _final_path(folder: Path, name: str) -> Path:
    """Where writing ``folder / name`` would land: the folder resolved once, the file if a link."""
    path = _resolved(folder) / name
    return path.resolve() if path.is_symlink() else path
