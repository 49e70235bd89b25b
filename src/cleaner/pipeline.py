"""Run stages in order over one Document, and over a batch of them.

A stage is any callable ``Document -> Document``. The default pipeline is built from named
stages so a configuration can switch stages off by name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from cleaner.document import Document
from cleaner.errors import CleanerError
from cleaner.stages.blocks import split_blocks
from cleaner.stages.boilerplate import boilerplate_stage
from cleaner.stages.decode import decode
from cleaner.stages.dedup import drop_repeats
from cleaner.stages.html import html_blocks
from cleaner.stages.language import label_languages
from cleaner.stages.segment import segment
from cleaner.stages.whitespace import repair_whitespace_stage

Stage = Callable[[Document], Document]
STAGE_NAMES = ("decode", "html", "blocks", "boilerplate", "whitespace", "language", "segment", "dedup")


@dataclass(frozen=True)
class Options:
    """What a run may change: stages switched off, extra rule-pack folders."""

    disabled: frozenset[str] = frozenset()
    rule_folders: tuple[str, ...] = ()
    templates: frozenset[str] = field(default_factory=frozenset)


def build_stages(options: Options = Options()) -> list[tuple[str, Stage]]:
    """The default stages, in order, less those ``options`` disables.

    ``decode``, ``html``, ``blocks`` and ``segment`` cannot be disabled: without them
    there is nothing to write.
    """
    stages: list[tuple[str, Stage]] = [
        ("decode", decode),
        ("html", html_blocks),
        ("blocks", split_blocks),
        ("boilerplate", boilerplate_stage(options.rule_folders, options.templates)),
        ("whitespace", repair_whitespace_stage),
        ("language", label_languages),
        ("segment", segment),
        ("dedup", drop_repeats),
    ]
    required = {"decode", "html", "blocks", "segment"}
    return [(name, fn) for name, fn in stages if name in required or name not in options.disabled]


def run(doc: Document, stages: Sequence[tuple[str, Stage]] | None = None) -> Document:
    """Run ``stages`` (the default pipeline when None) over one document."""
    for _name, stage in stages if stages is not None else build_stages():
        doc = stage(doc)
    return doc


@dataclass(frozen=True)
class Failure:
    """A page that could not be processed, and why (one line for the user)."""

    source: str
    message: str


def run_batch(
    docs: Iterable[Document | Failure], stages: Sequence[tuple[str, Stage]] | None = None
) -> Iterator[Document | Failure]:
    """Run the pipeline over many documents; a failing page becomes a Failure, never a crash."""
    chosen = list(stages) if stages is not None else build_stages()
    for doc in docs:
        if isinstance(doc, Failure):
            yield doc
            continue
        try:
            yield run(doc, chosen)
        except CleanerError as exc:
            yield Failure(doc.source, str(exc).removeprefix(f"{doc.source}: "))
        except RecursionError:
            yield Failure(doc.source, "input nested too deeply to process")
