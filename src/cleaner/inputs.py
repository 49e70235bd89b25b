"""Find the pages a command was given and turn each into a Document (or a Failure)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from pathlib import Path

import regex

from cleaner import regexcache
from cleaner.document import Document
from cleaner.pipeline import Failure

PAGE_SUFFIXES = (".txt", ".html", ".htm")
_OUTPUT_TXT = regexcache.compile(r"^(?P<stem>.+)\.[a-z]{2,3}(?:-[A-Za-z]{2,4})?\.txt$")
_UNSAFE = regexcache.compile(r"[^\w.-]+")
_HTML_START = regexcache.compile(
    rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", regex.IGNORECASE | regex.DOTALL
)


def is_own_output(path: Path) -> bool:
    """True for a ``S.<lang>.txt`` that cleaner wrote (its ``S.segments.jsonl`` is beside it)."""
    match = _OUTPUT_TXT.match(path.name)
    return bool(match) and (path.parent / f"{match.group('stem')}.segments.jsonl").exists()


def safe_stem(name: str) -> str:
    """A file-name stem with no path separators, no leading dot and no odd characters."""
    stem = _UNSAFE.sub("_", name).strip("._") or "page"
    return stem[:120]


def discover(paths: Iterable[str], containers: bool = False) -> Iterator[Path | Failure]:
    """Expand files and folders (recursively ``*.txt``, ``*.html``, ``*.htm``), in sorted order.

    With ``containers``, folders also yield JSONL and WARC files (``*.jsonl[.gz]``,
    ``*.warc[.gz]``), each holding many pages.
    """
    from cleaner.sources import is_container

    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and (
                    (p.suffix.lower() in PAGE_SUFFIXES and not is_own_output(p))
                    or (containers and is_container(p))
                )
            )
            if not found:
                yield Failure(raw, "no pages (*.txt, *.html, *.htm, *.jsonl, *.warc) in this folder")
            yield from found
        elif path.is_file():
            yield path
        elif path.exists():
            yield Failure(raw, "not a regular file")
        else:
            yield Failure(raw, "no such file or folder")


def assign_stems(paths: list[Path]) -> dict[Path, str]:
    """Output stems for ``paths``; pages that share a stem get a short hash of their path."""
    stems = {p: safe_stem(p.stem) for p in paths}
    counts: dict[str, int] = {}
    for stem in stems.values():
        counts[stem] = counts.get(stem, 0) + 1
    for path, stem in stems.items():
        if counts[stem] > 1:
            digest = hashlib.sha1(str(path).encode("utf-8")).hexdigest()[:8]
            stems[path] = f"{stem}-{digest}"
    return stems


def guess_kind(path: Path | None, data: bytes) -> str:
    """``html`` for ``.html``/``.htm`` files or bytes that open like an HTML document."""
    if path is not None and path.suffix.lower() in (".html", ".htm"):
        return "html"
    head = data[:2048].lstrip(b"\xef\xbb\xbf")
    return "html" if _HTML_START.match(head) else "text"


def load_document(path: Path, stem: str) -> Document | Failure:
    """Read ``path`` into an undecoded Document; unreadable files become Failures."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Failure(str(path), f"cannot read: {exc.strerror or exc}")
    return Document(id=stem, source=str(path), kind=guess_kind(path, data), raw=data)
