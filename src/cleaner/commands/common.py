"""What the subcommands share: settings from config and flags, errors on stderr, inputs."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cleaner.config import Config, load_config
from cleaner.document import Document
from cleaner.errors import UsageError
from cleaner.inputs import assign_stems, discover, guess_kind, load_document
from cleaner.pipeline import STAGE_NAMES, Failure, Options, Source
from cleaner.sources import Fields, is_container, read_container


@dataclass(frozen=True)
class Settings:
    """The config file's settings with the command line's flags applied over them."""

    config: Config
    options: Options


def settings_from(args: argparse.Namespace) -> Settings:
    """Load the config (``--config`` or the nearest pyproject.toml) and apply the flags."""
    config = load_config(getattr(args, "config", None))
    disabled = set(config.disable) | set(getattr(args, "disable", None) or ())
    unknown = disabled - set(STAGE_NAMES)
    if unknown:
        raise UsageError(f"unknown stage(s) for --disable: {', '.join(sorted(unknown))}")
    rules = tuple(config.rules) + tuple(getattr(args, "rules", None) or ())
    drop_near = config.drop_near_duplicates or bool(getattr(args, "drop_near_duplicates", False))
    options = Options(
        disabled=frozenset(disabled),
        rule_folders=rules,
        template_min_pages=config.template_min_pages,
        template_min_share=config.template_min_share,
        near_duplicates=config.near_duplicates,
        drop_near_duplicates=drop_near,
        abbreviations=tuple(sorted(config.abbreviations.items())),
    )
    return Settings(config, options)


def error(message: str) -> None:
    """One line on stderr, prefixed with the program's name."""
    print(f"cleaner: {message}", file=sys.stderr)


def load_inputs(paths: list[str], plain_stems: bool = False) -> list[Document | Failure]:
    """Every page under ``paths`` as an undecoded Document, or a Failure naming the problem."""
    return list(input_source(paths, plain_stems)())


def input_source(paths: list[str], plain_stems: bool = False, fields: Fields | None = None) -> Source:
    """A source of every page under ``paths`` (files, folders, JSONL and WARC containers).

    Calling it again reads the inputs again, lazily: one page in memory at a time. Two pages
    that would get the same output stem get ``-2``, ``-3`` ... in input order.
    """
    found = list(discover(paths, containers=True))
    files = [p for p in found if isinstance(p, Path) and not is_container(p)]
    stems = {p: p.stem for p in files} if plain_stems else assign_stems(files)

    def pages() -> Iterator[Document | Failure]:
        used: dict[str, int] = {}
        for item in found:
            if isinstance(item, Failure):
                yield item
                continue
            records = (
                read_container(item, fields or Fields())
                if is_container(item)
                else [load_document(item, stems[item])]
            )
            for record in records:
                if isinstance(record, Document):
                    used[record.id] = used.get(record.id, 0) + 1
                    if used[record.id] > 1:
                        record = record.evolve(id=f"{record.id}-{used[record.id]}")
                yield record

    return pages


def stdin_document(html: bool = False) -> Document:
    """The page on standard input as an undecoded Document."""
    data = sys.stdin.buffer.read()
    kind = "html" if html else guess_kind(None, data)
    return Document(id="stdin", source="<stdin>", kind=kind, raw=data)


def write_stdout(text: str) -> None:
    """Write UTF-8 text to stdout whatever the locale says."""
    sys.stdout.buffer.write(text.encode("utf-8", errors="surrogateescape"))
    sys.stdout.flush()
