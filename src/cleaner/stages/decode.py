"""Bytes to clean Unicode: BOM, charset, mojibake, NFC, invisible characters, line endings.

The order is fixed and documented (as in ftfy): line endings first, so that every later fix
can work line by line and record its change against exact line offsets; then per line ftfy's
mojibake repair with NFC, then invisible characters, then unusual spaces. A line that comes out
different from what went in is recorded as one Edit naming every rule that touched it.
"""

from __future__ import annotations

import codecs
import functools
import unicodedata
from typing import Any

import regex

from cleaner import regexcache, viscii
from cleaner.charsets import finder
from cleaner.document import Document, Edit
from cleaner.errors import InputError
from cleaner.mojibake import ftfy_facts, looks_bad
from cleaner.textcache import short_text_cache
from cleaner.vietnamese import is_syllable

STAGE = "decode"
viscii.register()

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "a PNG image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x7fELF", "an executable"),
)
# Text with more C0 control bytes than this share (tab, line breaks, escape excepted) is binary.
MAX_CONTROL_SHARE = 0.10
# Legacy encodings tried, in order of preference on a tie, when the bytes are not UTF-8.
LEGACY_ENCODINGS = ("windows-1252", "windows-1258", "viscii", "iso-8859-1")
# Below this share of plausible words a legacy decoding is rejected as a guess.
MIN_PLAUSIBILITY = 0.6
_META_CHARSET = regexcache.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", regex.IGNORECASE
)
_WORD = regexcache.compile(r"\p{L}+")


def _span(first: int, last: int) -> str:
    """The characters from ``first`` to ``last``, both included."""
    return "".join(map(chr, range(first, last + 1)))


# Characters that are never content: zero-width space, word joiner, soft hyphen, BOM, and the
# Mongolian vowel separator. ZWJ/ZWNJ are kept: scripts and emoji need them.
_INVISIBLE_CHARS = "\u200b\u2060\u00ad\ufeff\u180e"
_CONTROL_CHARS = _span(0x00, 0x08) + _span(0x0B, 0x1F) + _span(0x7F, 0x9F)
_ODD_SPACE_CHARS = "\u00a0" + _span(0x2000, 0x200A) + "\u202f\u205f\u3000"
_INVISIBLE = regexcache.compile(f"[{regex.escape(_INVISIBLE_CHARS)}]")
_CONTROL = regexcache.compile(f"[{regex.escape(_CONTROL_CHARS)}]")
_ODD_SPACE = regexcache.compile(f"[{regex.escape(_ODD_SPACE_CHARS)}]")
_LINE_BREAK = regexcache.compile(r"\r\n?|[\u2028\u2029\x85\x0b\x0c]")
_FIND_LINE_BREAK = finder("\r\u2028\u2029\x85\x0b\x0c")  # every character _LINE_BREAK starts with
# The steps of ftfy whose characters :class:`cleaner.mojibake.FtfyFacts` knows. Should an ftfy
# release bring another, lines take the full path (and a test fails, so that the new step is
# reviewed).
FTFY_STEPS_CHECKED = (
    "unescape_html",
    "remove_terminal_escapes",
    "restore_byte_a0",
    "replace_lossy_sequences",
    "decode_inconsistent_utf8",
    "fix_c1_controls",
    "fix_latin_ligatures",
    "fix_character_width",
    "uncurl_quotes",
    "fix_line_breaks",
    "fix_surrogates",
    "remove_control_chars",
)
# What ftfy's character fixers act on (its tables, C1 controls, surrogates, terminal escapes),
# or None when ftfy has steps we have not checked. A line with none of these, already NFC and
# not ``is_bad`` comes out of ftfy unchanged (its encoding fixes start with ``is_bad``), so it
# does not go through ftfy; our own steps act on ``_OURS``.
_FTFY_ACTS_ON = ftfy_facts().acted_on if ftfy_facts().fixers == FTFY_STEPS_CHECKED else None
_OURS = frozenset(_INVISIBLE_CHARS + _CONTROL_CHARS + _ODD_SPACE_CHARS)
_ACTED_ON = _FTFY_ACTS_ON | _OURS if _FTFY_ACTS_ON is not None else None


@functools.lru_cache(maxsize=1)
def _ftfy() -> tuple[Any, Any]:
    """The ``fix_and_explain`` of ftfy and our configuration of it (ftfy imported on first use)."""
    import ftfy

    config = ftfy.TextFixerConfig(
        unescape_html=False,
        uncurl_quotes=False,
        fix_line_breaks=False,
        normalization="NFC",
        explain=True,
    )
    return ftfy.fix_and_explain, config


def _needs_ftfy(line: str, present: frozenset[str] | None) -> bool:
    """Whether ftfy could change ``line`` (a line that is not ASCII).

    ``present``: the characters of ``line`` that some step acts on (``_ACTED_ON``), found in
    the one pass over the line that both this and the quiet-line test need.
    """
    return (
        present is None
        or _FTFY_ACTS_ON is None
        or not _FTFY_ACTS_ON.isdisjoint(present)
        or not unicodedata.is_normalized("NFC", line)
        or looks_bad(line)
    )


# Every byte but the control bytes text does not use (tab, newline, form feed, return, escape
# are text's): deleting these from a page's head leaves the ones that count against it.
_NOT_CONTROL = bytes(b for b in range(256) if not (b < 32 and b not in (9, 10, 12, 13, 27)))


def sniff_binary(data: bytes) -> str | None:
    """Name the kind of binary data ``data`` is, or None when it may be text."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return what
    head = data[:8192]
    if b"\x00" in head:
        return "binary data (NUL bytes)"
    controls = len(head.translate(None, _NOT_CONTROL))  # at C speed: 0.3 ms a page in a loop
    if head and controls / len(head) > MAX_CONTROL_SHARE:
        return "binary data (control bytes)"
    return None


def _plausibility(text: str) -> float:
    """How much ``text`` looks like real words: 1.0 for ASCII or Vietnamese syllables.

    Only words with non-ASCII letters are scored, since every candidate encoding agrees on
    ASCII. A Vietnamese syllable scores 1, another single-script word 0.5, a word that mixes
    scripts or stacks accents (what a wrong decoding produces) 0.
    """
    total = 0.0
    count = 0
    for word in _WORD.findall(unicodedata.normalize("NFC", text)):
        if word.isascii():
            continue
        count += 1
        if is_syllable(word):
            total += 1.0
        elif len({_script(c) for c in word}) == 1 and not _too_accented(word):
            total += 0.5
    bad = sum(1 for c in text if unicodedata.category(c) in ("Cc", "Co", "Cn") and c not in "\t\n\r\f")
    return (total + 1.0) / (count + 1.0) - bad / max(len(text), 1) * 10


def _script(char: str) -> str:
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0]


def _too_accented(word: str) -> bool:
    non_ascii = sum(1 for c in word if not c.isascii())
    return non_ascii * 2 > len(word)


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML ``<meta>`` tag declares in the first 4 KB, if Python knows it."""
    match = _META_CHARSET.search(data[:4096])
    if not match:
        return None
    name = match.group(1).decode("ascii", "replace").lower()
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_bytes(data: bytes, source: str = "<input>", html: bool = False) -> tuple[str, str]:
    """Decode ``data`` to text, returning ``(text, encoding)``; raise InputError if it is not text.

    Order: a byte-order mark wins; then an HTML ``<meta charset>``; then strict UTF-8; then
    the legacy encoding (windows-1252, windows-1258, VISCII, or charset-normalizer's guess)
    whose decoding looks most like real words.

    >>> decode_bytes("Việt Nam".encode("utf-16"))
    ('Việt Nam', 'utf-16-le')
    """
    if not data:
        raise InputError(source, "empty file")
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(name), name
            except UnicodeDecodeError as exc:
                raise InputError(
                    source, f"invalid {name} after its byte-order mark at byte {exc.start + len(bom)}"
                ) from None
    what = sniff_binary(data)
    if what:
        raise InputError(source, f"not a text page: {what}")
    if html:
        declared = declared_charset(data)
        if declared:
            try:
                return data.decode(declared), declared
            except UnicodeDecodeError:
                pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    best: tuple[float, str, str] | None = None
    for name in _candidates(data):
        try:
            text = data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
        score = _plausibility(text)
        if best is None or score > best[0] + 1e-9:
            best = (score, name, text)
    if best is None or best[0] < MIN_PLAUSIBILITY:
        raise InputError(
            source,
            f"invalid UTF-8 at byte {utf8_error.start} and no legacy encoding gives plausible text",
        )
    return best[2], codecs.lookup(best[1]).name


def _candidates(data: bytes) -> list[str]:
    names = list(LEGACY_ENCODINGS)
    try:
        from charset_normalizer import from_bytes

        guess = from_bytes(data[:65536]).best()
    except Exception:
        guess = None
    if guess is not None and guess.encoding not in names:
        names.append(guess.encoding)
    return names


def normalize_line_endings(text: str) -> tuple[str, int]:
    """CRLF, CR, form feeds and Unicode line separators become LF; returns the count changed."""
    if _FIND_LINE_BREAK(text) is None:
        return text, 0  # most pages: one scan at C speed instead of the pattern's
    count = 0

    def _sub(match: regex.Match[str]) -> str:
        nonlocal count
        count += 1
        return "\n"

    return _LINE_BREAK.sub(_sub, text), count


def repair_line(line: str) -> tuple[str, list[str]]:
    """Repair one line: mojibake and NFC (ftfy), invisible characters, unusual spaces.

    Returns the new line and the names of the rules that changed it.

    >>> repair_line("Vietnamâ€™s\\u00a0e\\u00adcommerce")
    ('Vietnam’s ecommerce', ['ftfy:decode_inconsistent_utf8', 'invisible', 'space'])
    """
    rules: list[str] = []
    out = line
    if not out.isascii():
        present = _ACTED_ON.intersection(out) if _ACTED_ON is not None else None
        if _needs_ftfy(out, present):
            fix_and_explain, config = _ftfy()
            fixed, explanation = fix_and_explain(out, config=config)
            if fixed != out:
                steps = [step for _kind, step in (explanation or [])] or ["normalize"]
                rules.extend(f"ftfy:{step}" for step in dict.fromkeys(steps))
                out = fixed
        elif not present:
            return out, rules  # most lines: nothing any step looks for
        stripped = _INVISIBLE.sub("", out)
        if stripped != out:
            rules.append("invisible")
            out = stripped
        spaced = _ODD_SPACE.sub(" ", out)
        if spaced != out:
            rules.append("space")
            out = spaced
    # Controls are unprintable: a printable line (most) has none, known at C speed.
    cleaned = _CONTROL.sub("", out) if not out.isprintable() and _CONTROL.search(out) else out
    if cleaned != out:
        rules.append("control")
        out = cleaned
    return out, rules


@short_text_cache(maxsize=8192)
def _repair_line_cached(line: str) -> tuple[str, tuple[str, ...]]:
    """:func:`repair_line`, cached for short lines (a site's chrome lines recur on every page)."""
    fixed, rules = repair_line(line)
    return fixed, tuple(rules)


def repair_text(text: str) -> tuple[str, list[Edit]]:
    """Repair ``text`` line by line, returning it with one Edit per changed line.

    Edit offsets point into the returned text, so a reader can always see what each line was.
    """
    text, newlines = normalize_line_endings(text)
    edits: list[Edit] = []
    if newlines:
        edits.append(Edit(STAGE, "line-endings", 0, 0, f"{newlines} line breaks", "\n"))
    pieces: list[str] = []
    pos = 0
    for line in text.split("\n"):
        fixed, rules = _repair_line_cached(line)
        if rules:
            edits.append(Edit(STAGE, "+".join(rules), pos, pos + len(fixed), line, fixed))
        pieces.append(fixed)
        pos += len(fixed) + 1
    return "\n".join(pieces), edits


def decode(doc: Document) -> Document:
    """The decode stage: ``doc.raw`` (or ``doc.text`` if already a string) to repaired text."""
    if doc.raw is not None:
        text, encoding = decode_bytes(doc.raw, doc.source, html=doc.kind == "html")
    else:
        text, encoding = doc.text, doc.metadata.get("encoding", "str")
    repaired, edits = repair_text(text)
    return doc.evolve(raw=None, text=repaired, edits=doc.edits + tuple(edits)).with_metadata(
        encoding=encoding
    )
