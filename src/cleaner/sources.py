"""Record containers: JSONL (optionally gzipped) with a page per line, and WARC archives.

Each record becomes a Document whose id comes from the record's id or URL, made safe for a
file name. Records are read lazily, one at a time, so memory stays flat however large the
container; a bad record becomes a Failure naming the container and the record, and the rest
is still read.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from cleaner.document import Document
from cleaner.inputs import safe_stem
from cleaner.pipeline import Failure

JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")
WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")


@dataclass(frozen=True)
class Fields:
    """Which JSONL fields hold what (configurable: ``jsonl-fields`` in the config)."""

    text: str = "text"
    html: str = "html"
    id: str = "id"
    url: str = "url"


def is_container(path: Path) -> bool:
    """True for files that hold many pages (JSONL or WARC)."""
    name = path.name.lower()
    return name.endswith(JSONL_SUFFIXES) or name.endswith(WARC_SUFFIXES)


def record_stem(record_id: object, url: object, fallback: str) -> str:
    """A safe, short output stem for a record: its id, else its URL, else ``fallback``.

    >>> record_stem(None, "https://ictvietnam.vn/2020-year-of-digital-transformation.html?a=1", "x")
    'ictvietnam.vn_2020-year-of-digital-transformation.html_a_1'
    >>> record_stem("../../etc/passwd", None, "x")
    'etc_passwd'
    """
    raw = record_id if isinstance(record_id, (str, int)) and str(record_id).strip() else None
    if raw is None and isinstance(url, str) and url.strip():
        raw = url.split("://", 1)[-1]
    if raw is None:
        return fallback
    stem = safe_stem(str(raw).replace("/", "_"))
    if len(str(raw)) > 100:  # keep long URLs apart: a hash of the whole value
        stem = f"{stem[:80]}-{hashlib.sha1(str(raw).encode('utf-8')).hexdigest()[:10]}"
    return stem


def _open_text(path: Path) -> IO[str]:
    if path.name.lower().endswith(".gz"):
        import gzip

        return gzip.open(path, "rt", encoding="utf-8", errors="strict")
    return path.open("r", encoding="utf-8", errors="strict")


def read_jsonl(path: Path, fields: Fields = Fields()) -> Iterator[Document | Failure]:
    """Every line of a JSONL file as a Document (``text`` or ``html`` field), lazily."""
    base = safe_stem(path.name.split(".")[0])
    try:
        handle = _open_text(path)
    except OSError as exc:
        yield Failure(str(path), f"cannot read: {exc.strerror or exc}")
        return
    with handle:
        number = 0
        while True:
            number += 1
            try:
                line = handle.readline()
            except (UnicodeDecodeError, OSError, EOFError) as exc:
                yield Failure(
                    f"{path}:{number}", f"unreadable line ({type(exc).__name__}); stopped reading this file"
                )
                return
            if not line:
                return
            if not line.strip():
                continue
            source = f"{path}:{number}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield Failure(source, f"not valid JSON: {exc.msg}")
                continue
            if not isinstance(record, dict):
                yield Failure(source, "a JSONL record must be an object")
                continue
            html = record.get(fields.html)
            text = record.get(fields.text)
            body, kind = (html, "html") if isinstance(html, str) and html.strip() else (text, "text")
            if not isinstance(body, str):
                yield Failure(source, f"no '{fields.text}' or '{fields.html}' string field")
                continue
            url = record.get(fields.url)
            stem = record_stem(record.get(fields.id), url, f"{base}-{number:06d}")
            meta = {"url": url} if isinstance(url, str) else {}
            yield Document(id=stem, source=source, kind=kind, raw=body.encode("utf-8"), metadata=meta)


def read_warc(path: Path) -> Iterator[Document | Failure]:
    """Every HTML response of a WARC file as a Document (needs the ``warc`` extra: warcio)."""
    try:
        from warcio.archiveiterator import ArchiveIterator
    except ImportError:
        yield Failure(str(path), "reading WARC needs warcio: pip install 'cleaner[warc]'")
        return
    base = safe_stem(path.name.split(".")[0])
    try:
        with path.open("rb") as handle:
            for number, record in enumerate(ArchiveIterator(handle), start=1):
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                ctype = (record.http_headers.get_header("Content-Type") or "").lower()
                if "html" not in ctype:
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI") or ""
                record_id = record.rec_headers.get_header("WARC-Record-ID")
                data = record.content_stream().read()
                stem = (
                    record_stem(None, url, f"{base}-{number:06d}")
                    if url
                    else record_stem(record_id, None, f"{base}-{number:06d}")
                )
                yield Document(
                    id=stem,
                    source=f"{path}#{number}",
                    kind="html",
                    raw=data,
                    metadata={"url": url} if url else {},
                )
    except Exception as exc:
        yield Failure(str(path), f"corrupt WARC ({type(exc).__name__}: {exc}); stopped reading this file")


def read_container(path: Path, fields: Fields = Fields()) -> Iterator[Document | Failure]:
    """The records of a JSONL or WARC file."""
    if path.name.lower().endswith(WARC_SUFFIXES):
        return read_warc(path)
    return read_jsonl(path, fields)
