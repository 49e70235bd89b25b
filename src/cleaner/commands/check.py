"""Commands that report rather than write: check (for pre-commit) and explain."""

from __future__ import annotations

import argparse
from pathlib import Path

from cleaner.commands.common import Settings, error, load_inputs
from cleaner.document import Document
from cleaner.explain import explain_lines, shorten
from cleaner.inputs import is_own_output, load_document
from cleaner.pipeline import Failure, build_stages, run

_OWN_SUFFIXES = (".segments.jsonl", ".removed.jsonl", ".aligned.jsonl", ".xlf", ".tmx")
_ENCODING_STEPS = (
    "ftfy:fix_encoding",
    "ftfy:decode",
    "ftfy:sloppy",
    "ftfy:utf-8",
    "ftfy:latin-1",
    "ftfy:cp1252",
)


def _line_of(doc: Document, offset: int) -> int:
    """The 1-based line of ``offset`` in a text page.

    HTML pages report line 1: their offsets are in the extracted text, not in the markup.
    """
    return doc.text.count("\n", 0, max(0, offset)) + 1 if doc.kind == "text" else 1


def problems(doc: Document) -> list[tuple[int, str]]:
    """(line, problem) for each thing a clean scrape would not have, in line order."""
    found: list[tuple[int, str]] = []
    for removal in doc.removals:
        if removal.stage == "boilerplate":
            found.append(
                (
                    _line_of(doc, removal.start),
                    f"boilerplate ({removal.reason}, {removal.rule}): {shorten(removal.text, 60)}",
                )
            )
    for edit in doc.edits:
        if edit.stage == "whitespace":
            found.append((_line_of(doc, edit.start), f"collapsed whitespace: {shorten(edit.before, 60)}"))
        elif edit.stage == "decode" and any(step in edit.rule for step in _ENCODING_STEPS):
            found.append((_line_of(doc, edit.start), f"mojibake ({edit.rule}): {shorten(edit.before, 60)}"))
    by_block: dict[int, set[str]] = {}
    for seg in doc.segments:
        by_block.setdefault(seg.block, set()).add(seg.lang)
    for index, langs in sorted(by_block.items()):
        if len(langs - {"und"}) > 1:
            block = doc.blocks[index]
            found.append(
                (
                    _line_of(doc, block.start),
                    f"mixed-language block ({'+'.join(sorted(langs))}): {shorten(block.text, 60)}",
                )
            )
    return sorted(found, key=lambda item: item[0])


def is_output_file(path: Path) -> bool:
    """True for files cleaner writes, which pre-commit may pass back to it among the staged files."""
    return path.name.endswith(_OWN_SUFFIXES) or is_own_output(path)


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    """Report problems in the given scrapes, one ``file:line: problem`` a line; exit 1 if any."""
    stages = build_stages(settings.options)
    paths = [p for p in args.inputs if not (Path(p).is_file() and is_output_file(Path(p)))]
    status = 0
    for item in load_inputs(paths, plain_stems=True):
        if isinstance(item, Failure):
            error(f"{item.source}: {item.message}")
            status = 1
            continue
        try:
            doc = run(item, stages)
        except Exception as exc:
            error(f"{item.source}: {exc}")
            status = 1
            continue
        for line, problem in problems(doc):
            print(f"{item.source}:{line}: {problem}")
            status = 1
    return status


def cmd_explain(args: argparse.Namespace, settings: Settings) -> int:
    """Print each block or removed piece of PAGE in order with what happened to it."""
    path = Path(args.page)
    loaded = load_document(path, path.stem) if path.is_file() else Failure(args.page, "no such file")
    if isinstance(loaded, Failure):
        error(f"{loaded.source}: {loaded.message}")
        return 1
    doc = run(loaded, build_stages(settings.options))
    for line in explain_lines(doc):
        print(line)
    return 0
