"""Run stages in order over one Document, and over a batch of them.

A stage is any callable ``Document -> Document``. The default pipeline is built from named
stages so a configuration can switch stages off by name.
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import PurePath

from cleaner.document import Document
from cleaner.errors import CleanerError
from cleaner.stages.blocks import split_blocks
from cleaner.stages.boilerplate import boilerplate_stage
from cleaner.stages.decode import decode
from cleaner.stages.dedup import NearRepeatIndex, drop_repeats, flag_near_repeats
from cleaner.stages.html import html_blocks
from cleaner.stages.language import label_languages
from cleaner.stages.segment import segment, text_key
from cleaner.stages.whitespace import repair_whitespace_stage

Stage = Callable[[Document], Document]
STAGE_NAMES = ("decode", "html", "blocks", "boilerplate", "whitespace", "language", "segment", "dedup")


@dataclass(frozen=True)
class Options:
    """What a run may change: stages switched off, extra rule-pack folders, template learning.

    ``template_min_pages`` and ``template_min_share``: in a batch, a line found in at least that
    many pages of one site, and in at least that share of the site's pages, is template.
    """

    disabled: frozenset[int] = frozenset()
    rule_folders: tuple[str, ...] = ()
    template_min_pages: int = 3
    template_min_share: float = 1 / 3
    near_duplicates: bool = True
    drop_near_duplicates: bool = False
    abbreviations: tuple[tuple[str, tuple[str, ...]], ...] = ()


PREPARE = ("decode", "html", "blocks")
TEMPLATE_MAX_WORDS = 40


def build_stages(
    options: Options = Options(), templates: frozenset[int] = frozenset()
) -> list[tuple[str, Stage]]:
    """The default stages, in order, less those ``options`` disables.

    ``decode``, ``html``, ``blocks`` and ``segment`` cannot be disabled: without them
    there is nothing to write. ``templates`` are normalised lines the boilerplate stage
    removes as the site's template (learnt from a batch).
    """
    stages: list[tuple[str, Stage]] = [
        ("decode", decode),
        ("html", html_blocks),
        ("blocks", split_blocks),
        ("boilerplate", boilerplate_stage(options.rule_folders, templates)),
        ("whitespace", repair_whitespace_stage),
        ("language", label_languages),
        ("segment", functools.partial(segment, abbreviations=dict(options.abbreviations))),
        (
            "dedup",
            functools.partial(
                dedup_page, near=options.near_duplicates, drop_near=options.drop_near_duplicates
            ),
        ),
    ]
    required = {"decode", "html", "blocks", "segment"}
    return [(name, fn) for name, fn in stages if name in required or name not in options.disabled]


def dedup_page(doc: Document, near: bool = True, drop_near: bool = False) -> Document:
    """The dedup stage for one page: exact repeats dropped, near repeats flagged (or dropped)."""
    doc = drop_repeats(doc)
    return flag_near_repeats(doc, drop=drop_near) if near else doc


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


def _guarded(doc: Document, stages: Sequence[tuple[str, Stage]]) -> Document | Failure:
    try:
        return run(doc, stages)
    except CleanerError as exc:
        return Failure(doc.source, str(exc).removeprefix(f"{doc.source}: "))
    except RecursionError:
        return Failure(doc.source, "input nested too deeply to process")
    except MemoryError:
        return Failure(doc.source, "input too large to process in memory")
    except Exception as exc:
        return Failure(doc.source, f"internal error ({type(exc).__name__}: {exc}); please report it")


def site_of(doc: Document) -> str:
    """The site a page belongs to: its URL's host when known, else its folder."""
    url = doc.metadata.get("url")
    if isinstance(url, str) and "://" in url:
        return url.split("://", 1)[1].split("/", 1)[0].lower()
    return str(PurePath(doc.source).parent)


def learn_templates(docs: Sequence[Document], options: Options = Options()) -> dict[str, frozenset[int]]:
    """Per site, the normalised lines that recur in enough of its pages to be its template.

    Pages with identical text count once (the same page scraped twice is not a template),
    and only lines of site-chrome length (at most ``TEMPLATE_MAX_WORDS`` words) can be template:
    a whole paragraph found on many pages is a repeat, which dedup handles and records.
    """
    pages: dict[str, int] = Counter()
    seen: dict[str, Counter[int]] = defaultdict(Counter)
    texts: set[tuple[str, int]] = set()
    for doc in docs:
        site = site_of(doc)
        fingerprint = (site, text_key(doc.text))
        if fingerprint in texts:
            continue
        texts.add(fingerprint)
        pages[site] += 1
        seen[site].update({text_key(b.text) for b in doc.blocks if len(b.text.split()) <= TEMPLATE_MAX_WORDS})
    out = {}
    for site, counts in seen.items():
        need = max(options.template_min_pages, options.template_min_share * pages[site])
        out[site] = frozenset(line for line, n in counts.items() if n >= need)
    return out


_WORKER: dict[str, object] = {}


def _init_worker(options: Options) -> None:
    _WORKER["options"] = options


@functools.lru_cache(maxsize=64)
def _stage_lists(
    options: Options, templates: frozenset[int]
) -> tuple[list[tuple[str, Stage]], list[tuple[str, Stage]]]:
    """(prepare stages, finishing stages without dedup) for ``options`` and a site template."""
    stages = build_stages(options, templates)
    prepare = [(n, f) for n, f in stages if n in PREPARE]
    finish = [(n, f) for n, f in stages if n not in PREPARE and n != "dedup"]
    return prepare, finish


def _prepare_one(doc: Document | Failure, options: Options | None = None) -> Document | Failure:
    if isinstance(doc, Failure):
        return doc
    opts = options if options is not None else _WORKER["options"]
    assert isinstance(opts, Options)
    return _guarded(doc, _stage_lists(opts, frozenset())[0])


def _finish_one(
    item: tuple[Document | Failure, frozenset[int]], options: Options | None = None
) -> Document | Failure:
    doc, templates = item
    if isinstance(doc, Failure):
        return doc
    opts = options if options is not None else _WORKER["options"]
    assert isinstance(opts, Options)
    return _guarded(doc, _stage_lists(opts, templates)[1])


def run_batch(
    docs: Iterable[Document | Failure], options: Options = Options(), jobs: int = 1
) -> Iterator[Document | Failure]:
    """Run the pipeline over many pages; a failing page becomes a Failure, never a crash.

    Three passes: the first decodes every page into blocks and learns each site's template
    lines; the second runs the page stages with them; the third drops repeats across the
    batch, in input order. With ``jobs > 1`` the first two passes run in worker processes;
    results come back in input order, so the output is the same as with one process.
    """
    items = list(docs)
    if jobs > 1 and len(items) > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=(options,)) as pool:
            prepared = list(pool.map(_prepare_one, items, chunksize=1))
            templates = learn_templates([d for d in prepared if isinstance(d, Document)], options)
            work = [
                (d, templates.get(site_of(d), frozenset()) if isinstance(d, Document) else frozenset())
                for d in prepared
            ]
            finished = pool.map(_finish_one, work, chunksize=1)
            yield from _dedup_in_order(finished, options)
        return
    prepared = [_prepare_one(d, options) for d in items]
    templates = learn_templates([d for d in prepared if isinstance(d, Document)], options)
    finished_iter = (
        _finish_one(
            (d, templates.get(site_of(d), frozenset()) if isinstance(d, Document) else frozenset()), options
        )
        for d in prepared
    )
    yield from _dedup_in_order(finished_iter, options)


def _dedup_in_order(results: Iterable[Document | Failure], options: Options) -> Iterator[Document | Failure]:
    """Drop exact repeats and flag near repeats across the batch, page by page in order."""
    seen: dict[int, str] = {}
    index = NearRepeatIndex() if options.near_duplicates else None
    for result in results:
        if isinstance(result, Document) and "dedup" not in options.disabled:
            result = drop_repeats(result, seen)
            if index is not None:
                result = flag_near_repeats(result, index, options.drop_near_duplicates)
        yield result
