"""Commands for unix pipes: one page (or text) on stdin, text on stdout.

``cleaner strip < page | cleaner respace | cleaner langsplit --lang en`` composes: each
command reads paragraphs separated by blank lines (or a raw page) and writes paragraphs
separated by blank lines, so the next one can read them.
"""

from __future__ import annotations

import argparse
import sys

from cleaner.commands.common import Settings, stdin_document, write_stdout
from cleaner.document import Document
from cleaner.pipeline import build_stages, run
from cleaner.stages.segment import normalize_for_id
from cleaner.stages.whitespace import page_vocabulary, repair_with_positions


def _paragraphs(texts: list[str]) -> str:
    return "".join(t + "\n\n" for t in texts).rstrip("\n") + "\n" if texts else ""


def _run_until(doc: Document, settings: Settings, last: str) -> Document:
    """Run the default stages up to and including ``last`` (disabled stages skipped)."""
    stages = []
    for name, fn in build_stages(settings.options):
        stages.append((name, fn))
        if name == last:
            break
    return run(doc, stages)


def main_text(doc: Document) -> str:
    """The page's main-language text: its kept segments, a paragraph per block."""
    paragraphs: dict[int, list[str]] = {}
    for seg in doc.segments:
        if seg.lang == doc.main_lang and seg.role != "sidebar":
            paragraphs.setdefault(seg.block, []).append(seg.text)
    return _paragraphs([" ".join(parts) for _block, parts in sorted(paragraphs.items())])


def cmd_clean(args: argparse.Namespace, settings: Settings) -> int:
    """Stdin to stdout: the cleaned main-language text of one page."""
    doc = run(stdin_document(args.html), build_stages(settings.options))
    write_stdout(main_text(doc))
    return 0


def cmd_strip(args: argparse.Namespace, settings: Settings) -> int:
    """Stdin to stdout: the page without its boilerplate, a paragraph per block."""
    doc = _run_until(stdin_document(args.html), settings, "boilerplate")
    write_stdout(_paragraphs([b.text for b in doc.blocks]))
    return 0


def cmd_respace(args: argparse.Namespace, settings: Settings) -> int:
    """Stdin to stdout: collapsed words given their spaces back, line by line."""
    text = sys.stdin.buffer.read().decode("utf-8", errors="surrogateescape")
    lines = text.split("\n")
    vocab = page_vocabulary(lines)
    out = [repair_with_positions(line, args.lang, vocab)[0] for line in lines]
    write_stdout("\n".join(out))
    return 0


def cmd_langsplit(args: argparse.Namespace, settings: Settings) -> int:
    """Stdin to stdout: only the paragraphs (or sentences, in mixed blocks) of one language."""
    doc = _run_until(stdin_document(), settings, "segment")
    paragraphs: dict[int, list[str]] = {}
    for seg in doc.segments:
        if seg.lang == args.lang:
            paragraphs.setdefault(seg.block, []).append(seg.text)
    write_stdout(_paragraphs([" ".join(parts) for _block, parts in sorted(paragraphs.items())]))
    return 0


def cmd_segment(args: argparse.Namespace, settings: Settings) -> int:
    """Stdin to stdout: one sentence per line."""
    doc = _run_until(stdin_document(), settings, "segment")
    write_stdout("".join(seg.text + "\n" for seg in doc.segments))
    return 0


def cmd_dedup(args: argparse.Namespace, settings: Settings) -> int:
    """Stdin to stdout: every line once (white space, quotes and case folded to compare)."""
    seen: set[str] = set()
    out = []
    for line in sys.stdin.buffer.read().decode("utf-8", errors="surrogateescape").split("\n"):
        key = normalize_for_id(line)
        if key and key in seen:
            continue
        seen.add(key)
        out.append(line)
    write_stdout("\n".join(out))
    return 0
