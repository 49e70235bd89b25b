"""Run stages in order over one Document, and over a batch of them.

A stage is any callable ``Document -> Document``. The default pipeline is built from named
stages so a configuration can switch stages off by name.
"""

from __future__ import annotations

import array
import functools
import os
import pickle
import zlib
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import PurePath
from typing import Any

from cleaner.document import Document
from cleaner.errors import CleanerError
from cleaner.spill import SpillDict, SpillStore
from cleaner.stages.blocks import split_blocks
from cleaner.stages.boilerplate import TEMPLATE_MAX_WORDS, boilerplate_stage
from cleaner.stages.decode import decode
from cleaner.stages.dedup import (
    Fingerprints,
    NearRepeatIndex,
    Repeat,
    apply_repeats,
    find_repeats,
    fingerprints,
)
from cleaner.stages.html import html_blocks
from cleaner.stages.language import label_languages
from cleaner.stages.segment import segment, text_key
from cleaner.stages.whitespace import repair_whitespace_stage
from cleaner.wordcount import more_words_than
from cleaner.workers import HERE, Owner, Posted, Weight, WorkerPool, worker_index

Stage = Callable[[Document], Document]
STAGE_NAMES = ("decode", "html", "blocks", "boilerplate", "whitespace", "language", "segment", "dedup")


@dataclass(frozen=True)
class Options:
    """What a run may change: stages switched off, extra rule-pack folders, template learning.

    ``template_min_pages`` and ``template_min_share``: in a batch, a line found in at least that
    many pages of one site, and in at least that share of the site's pages, is template.
    """

    disabled: frozenset[str] = frozenset()
    rule_folders: tuple[str, ...] = ()
    template_min_pages: int = 3
    template_min_share: float = 1 / 3
    near_duplicates: bool = True
    drop_near_duplicates: bool = False
    abbreviations: tuple[tuple[str, tuple[str, ...]], ...] = ()


PREPARE = ("decode", "html", "blocks")
# Pass one keeps the pages it prepared (decoded into blocks) for pass two: this many characters
# of page text in memory, the rest in a temporary file (cleaner.spill), so memory stays bounded.
KEEP_PREPARED_CHARS = 16_000_000


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


def dedup_page(
    doc: Document,
    near: bool = True,
    drop_near: bool = False,
    seen: dict[int, str] | None = None,
    index: NearRepeatIndex | None = None,
    prints: Fingerprints | None = None,
) -> Document:
    """The dedup stage: exact repeats dropped, near repeats flagged (or dropped).

    ``seen`` and ``index`` carry the repeat indexes across a batch; without them the page is
    compared with itself only. ``prints`` are the segments' fingerprints if computed already.
    """
    if prints is None:
        prints = fingerprints(doc, near)
    if near and index is None:
        index = NearRepeatIndex()
    repeats = find_repeats(prints, {} if seen is None else seen, index if near else None)
    return apply_repeats(doc, repeats, drop_near)


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


Source = Callable[[], Iterable[Document | Failure]]


@functools.lru_cache(maxsize=64)
def _stage_lists(
    options: Options, templates: frozenset[int]
) -> tuple[list[tuple[str, Stage]], list[tuple[str, Stage]]]:
    """(prepare stages, finishing stages without dedup) for ``options`` and a site template."""
    stages = build_stages(options, templates)
    prepare = [(n, f) for n, f in stages if n in PREPARE]
    finish = [(n, f) for n, f in stages if n not in PREPARE and n != "dedup"]
    return prepare, finish


def prepare_page(doc: Document | Failure, options: Options) -> Document | Failure:
    """Decode a page into blocks (the first pass)."""
    if isinstance(doc, Failure):
        return doc
    return _guarded(doc, _stage_lists(options, frozenset())[0])


Evidence = tuple[str, int, frozenset[int]]


@dataclass(frozen=True)
class Prepared:
    """A page that pass one already decoded into blocks (or a Failure it met doing so).

    ``here``: a worker kept it and handed it back, so that this process does its pass two.
    """

    page: Document | Failure
    here: bool = False


def evidence_of(prepared: Document | Failure) -> Evidence | None:
    """What a prepared page tells the template learner: its site, fingerprint and line keys."""
    if not isinstance(prepared, Document):
        return None
    keys = frozenset(
        text_key(b.text) for b in prepared.blocks if not more_words_than(b.text, TEMPLATE_MAX_WORDS)
    )
    return site_of(prepared), text_key(prepared.text), keys


@dataclass(frozen=True)
class Held:
    """Stands in for a page that worker process ``worker`` prepared (or processed) and kept.

    ``chars`` is the length of its text: roughly what its pass two will cost.
    """

    worker: int
    chars: int = field(default=0, compare=False)


def text_chars(page: Document | Failure | None) -> int:
    """The length of a page's text (0 for a failure): what budgets and weights count."""
    return len(page.text) if isinstance(page, Document) else 0


class _HeldPages:
    """The pages this worker process prepared in pass one of a batch, until pass two takes them.

    Like the driver's own store, the first pages stay in memory and the rest go to a
    temporary file (``cleaner.spill.SpillDict``), so a worker's memory is bounded too.
    """

    def __init__(self) -> None:
        self.batch: str | None = None
        self.pages: SpillDict[int, Document | Failure] = SpillDict(0)
        self.sources: dict[int, str] = {}

    def hold(self, batch: str, position: int, page: Document | Failure, room: int) -> Held | None:
        """Keep ``page`` if this is a worker (None if not, or if it could not be kept)."""
        worker = worker_index()
        if worker is None:
            return None
        if batch != self.batch:  # one batch at a time: an earlier batch's pages are not coming back
            self.pages.close()
            self.batch, self.pages, self.sources = batch, SpillDict(room), {}
        chars = text_chars(page)
        if not self.pages.add(position, page, chars):
            return None  # the temporary file failed: the driver keeps this page
        self.sources[position] = page.source
        return Held(worker, chars)

    def take(self, batch: str | None, position: int) -> Document | Failure:
        """Hand back (and let go of) the page held for ``position``."""
        source = self.sources.pop(position, None) if batch == self.batch else None
        if source is None:
            raise CleanerError(f"page {position} is not held by this process (worker {worker_index()})")
        try:
            return self.pages.take(position)
        except (OSError, EOFError, ValueError, zlib.error, pickle.UnpicklingError) as exc:
            return Failure(source, f"the worker process could not read back the page it kept ({exc})")


_held = _HeldPages()  # pages prepared in pass one, until pass two
_finished = _HeldPages()  # pages through pass two, until they are judged for repeats and written


def first_pass_at(
    item: tuple[int, Document | Failure], options: Options, batch: str, hold_chars: int = 0
) -> tuple[Evidence | None, Prepared | Held]:
    """Pass one for the page at a position in ``batch``: its evidence and its prepared page.

    In a worker process the prepared page stays in the worker (in memory up to
    ``hold_chars`` of page text per worker and batch, the rest in the worker's temporary
    file), and only a stand-in goes back, so that pass two can send the page's position
    instead of the page, both ways.
    """
    position, doc = item
    prepared = prepare_page(doc, options)
    held = _held.hold(batch, position, prepared, hold_chars) if hold_chars else None
    return evidence_of(prepared), held or Prepared(prepared)


def input_weight(item: tuple[int, Document | Failure]) -> int:
    """What pass one of a page will cost, roughly: the length of its input."""
    page = item[1]
    return len(page.raw or "") if isinstance(page, Document) else 0


def page_weight(item: tuple[int, Any]) -> int:
    """What pass two of a page will cost, roughly: the length of its text (or its input)."""
    page = item[1]
    if isinstance(page, Held):
        return page.chars
    if isinstance(page, Prepared):
        page = page.page
    if isinstance(page, Document):
        return len(page.text) or len(page.raw or "")
    return 0


def step_weight(item: Step) -> int:
    """:func:`page_weight` of a pass-two step."""
    return page_weight(item[1]) if not item[0] else 0


def held_by(item: tuple[int, Any]) -> int | None:
    """The process that must do a pass-two item, if one must.

    The worker holding its page; HERE for a page a worker handed back; None for the others.
    """
    page = item[1]
    if isinstance(page, Held):
        return page.worker
    return HERE if isinstance(page, Prepared) and page.here else None


def hand_back(position: int, batch: str) -> Document | Failure:
    """The page a worker kept in pass one at ``position`` of ``batch``, let go of (in a worker)."""
    return _held.take(batch, position)


def release_plan(owners: Sequence[int], sizes: Sequence[int]) -> dict[int, list[int]]:
    """The positions of the pages each worker should hand back to this process before pass two.

    Pass two of a page runs where pass one kept it, and pass one shares the pages by what
    pass one costs, not by what pass two will (HTML pages with little text, pages with
    much). ``owners`` holds, for each position, the worker keeping the page, or a negative
    number for a page this process has; ``sizes`` the length of its text. Going through the
    pages in input order, a worker's page comes to this process when the text that worker
    keeps so far exceeds this process's by more than the page, so that the two stay level
    all along the line, not only in total.

    >>> release_plan([0, 0, 0, -1, 0, 0], [10, 10, 10, 5, 10, 10])
    {0: [2, 5]}
    """
    plan: dict[int, list[int]] = defaultdict(list)
    kept: dict[int, int] = defaultdict(int)
    mine = 0
    for position, (owner, size) in enumerate(zip(owners, sizes, strict=True)):
        if owner < 0:
            mine += size
        elif kept[owner] - mine > size:
            plan[owner].append(position)
            mine += size
        else:
            kept[owner] += size
    return dict(plan)


def _handed_back(
    mapper: Mapper, owners: Sequence[int], sizes: Sequence[int], batch: str
) -> dict[int, Prepared]:
    """The pages the workers hand back by :func:`release_plan`, by position.

    They are fetched at once: between the passes the workers have nothing else to do.
    """
    plan = release_plan(owners, sizes)
    posted = [(where, mapper.post(worker, hand_back, where, batch)) for worker, where in plan.items()]
    return {
        position: Prepared(page, here=True)
        for where, handle in posted
        for position, page in zip(where, handle.results(), strict=True)
    }


def process_page(
    doc: Document | Failure | Prepared, options: Options, templates: Mapping[str, frozenset[int]]
) -> Document | Failure:
    """Every page stage but dedup, with the page's site template (the second pass)."""
    prepared = doc.page if isinstance(doc, Prepared) else prepare_page(doc, options)
    if isinstance(prepared, Failure):
        return prepared
    site_template = templates.get(site_of(prepared), frozenset())
    return _guarded(prepared, _stage_lists(options, site_template)[1])


# Most text keys one process remembers for skipping exact repeats' near keys; past it, it
# starts again (fewer skips, same output).
MAX_KEYS_MET = 250_000  # about 25 MB of dict
_keys_met: dict[str, dict[int, int]] = {}


def _met_in(batch: str) -> dict[int, int]:
    """The text keys met in ``batch`` by this process, each with the first page position seen."""
    met = _keys_met.get(batch)
    if met is None or len(met) > MAX_KEYS_MET:
        _keys_met.clear()  # one batch at a time: an earlier batch's keys say nothing here
        met = _keys_met[batch] = {}
    return met


def process_and_fingerprint(
    item: tuple[int, Document | Failure | Prepared | Held],
    options: Options,
    templates: Mapping[str, frozenset[int]],
    batch: str | None = None,
    keep: bool = False,
) -> tuple[Document | Failure | Held, Fingerprints | None]:
    """``process_page`` of a page at a position in the batch, plus the fingerprints dedup needs.

    They are computed in the same (worker) process. A segment whose text this process met on
    an earlier page of ``batch`` is an exact repeat wherever the first copy was, so its
    near-repeat keys are skipped (pages reach a process in any order, hence the positions).
    Without a ``batch`` nothing is remembered from page to page. With ``keep``, a worker
    process keeps the page it processed and returns a stand-in: :func:`finish_at` takes it.
    """
    position, doc = item
    if isinstance(doc, Held):
        doc = Prepared(_held.take(batch, position))
    result = process_page(doc, options, templates)
    if not isinstance(result, Document):
        return result, None
    prints = None
    if "dedup" not in options.disabled:
        prints = _fingerprints_in(batch, position, result, options.near_duplicates)
    held = _finished.hold(batch, position, result, KEEP_FINISHED_CHARS) if keep and batch else None
    return held or result, prints


def _fingerprints_in(batch: str | None, position: int, doc: Document, near: bool) -> Fingerprints:
    """The page's fingerprints, skipping near keys of texts this process met earlier in ``batch``."""
    if batch is None:
        return fingerprints(doc, near)
    met = _met_in(batch)
    prints = fingerprints(doc, near, lambda key: met.get(key, position) < position)
    for key in prints.text_keys:
        met[key] = min(met.get(key, position), position)
    return prints


# A worker keeps the pages it processed until the driver has judged them for repeats: only as
# many as the driver reads ahead, so about a megabyte of text; past this, they go to its file.
KEEP_FINISHED_CHARS = 4_000_000
Judged = tuple[int, Document | Failure | Held, Mapping[str, Repeat] | None]


def finish_at(item: Judged, options: Options, finish: Callable[[Document], Any], batch: str) -> Any:
    """``finish`` of a page at a position in ``batch``, after its repeats were taken out.

    The page is the one pass two made, or the stand-in for it that a worker process kept;
    a Failure is handed on unchanged.
    """
    position, page, repeats = item
    if isinstance(page, Held):
        page = _finished.take(batch, position)
    if isinstance(page, Failure):
        return page
    if repeats is not None:
        page = apply_repeats(page, repeats, options.drop_near_duplicates)
    return finish(page)


Step = tuple[bool, Any]  # (False, a page for pass two) or (True, a Judged page to finish)


def pass_two_step(
    item: Step,
    options: Options,
    templates: Mapping[str, frozenset[int]],
    batch: str,
    finish: Callable[[Document], Any],
) -> Any:
    """One step of pass two with finishing: process (and keep) a page, or finish a judged one.

    Both kinds of step take the same arguments, so a worker is sent them once for both.
    """
    finishing, payload = item
    if finishing:
        return finish_at(payload, options, finish, batch)
    return process_and_fingerprint(payload, options, templates, batch, keep=True)


def step_owner(item: Step) -> int | None:
    """The worker that must do a pass-two step: the one keeping its page, if any."""
    return held_by(item[1])


FINISH_CHUNK = 8  # judged pages of one worker sent to it to finish at once


@dataclass
class _Place:
    """A page's place in the line of finished pages: its value, or where it will come from."""

    value: Any = None
    worker: int | None = None  # the worker finishing it, until its value is here
    posted: Posted | None = None
    index: int = 0


class _Finishing:
    """Finished pages in input order: done here, or posted to the worker keeping them."""

    def __init__(self, mapper: Mapper, args: tuple[Any, ...]) -> None:
        self.mapper = mapper
        self.args = args
        self.line: deque[_Place] = deque()
        self.unposted: dict[int, list[tuple[Judged, _Place]]] = defaultdict(list)

    def add(self, judged: Judged) -> None:
        """Finish a judged page here, or queue it for the worker that keeps it."""
        page = judged[1]
        if not isinstance(page, Held):
            self.line.append(_Place(pass_two_step((True, judged), *self.args)))
            return
        place = _Place(worker=page.worker)
        self.line.append(place)
        self.unposted[page.worker].append((judged, place))
        if len(self.unposted[page.worker]) >= FINISH_CHUNK:
            self._post(page.worker)

    def _post(self, worker: int) -> None:
        waiting = self.unposted.pop(worker, [])
        if waiting:
            steps = [(True, judged) for judged, _ in waiting]
            posted = self.mapper.post(worker, pass_two_step, steps, *self.args)
            for index, (_, place) in enumerate(waiting):
                place.posted, place.index = posted, index

    def ready(self, wait: bool = False) -> Iterator[Any]:
        """The finished pages at the front of the line (with ``wait``, all, waiting for them)."""
        if wait:  # nothing more is coming: every worker may finish what it has
            for worker in list(self.unposted):
                self._post(worker)
        while self.line:
            place = self.line[0]
            if place.worker is not None:
                if place.posted is None:  # the first page in line is not posted yet: post it now
                    self._post(place.worker)
                assert place.posted is not None
                if not (wait or place.posted.done):
                    return
                place.value, place.worker = place.posted.results()[place.index], None
            self.line.popleft()
            yield place.value


def _finish_where_kept(
    pages: Iterable[tuple[int, Any]],
    options: Options,
    templates: Mapping[str, frozenset[int]],
    batch: str,
    mapper: Mapper,
    finish: Callable[[Document], Any],
) -> Iterator[Any]:
    """Pass two, judging and ``finish``, each page finished in the process that made it.

    The pages go through pass two as a map whose results are fingerprints and stand-ins for
    the pages workers keep. This process judges each page for repeats in input order, then
    finishes it if it has it, or posts the verdicts to the worker keeping it, a few pages at
    a time; the map never waits for those. Only fingerprints, verdicts and what ``finish``
    returns cross between processes.
    """
    seen: dict[int, str] = {}
    index = NearRepeatIndex() if options.near_duplicates else None
    args = (options, templates, batch, finish)
    finishing = _Finishing(mapper, args)
    positions: deque[int] = deque()

    def steps() -> Iterator[Step]:
        for position, page in pages:
            positions.append(position)
            yield False, (position, page)

    for page, prints in mapper.map(pass_two_step, steps(), *args, owner=step_owner, weight=step_weight):
        repeats = find_repeats(prints, seen, index) if prints is not None else None
        finishing.add((positions.popleft(), page, repeats))
        yield from finishing.ready()
    yield from finishing.ready(wait=True)


class TemplateLearner:
    """Counts, per site, in how many distinct pages each short line occurs (as 64-bit keys)."""

    def __init__(self, options: Options) -> None:
        self.options = options
        self.pages: Counter[str] = Counter()
        self.counts: dict[str, Counter[int]] = defaultdict(Counter)
        self.fingerprints: set[tuple[str, int]] = set()

    def add(self, evidence: Evidence | None) -> None:
        """Count one page's evidence (pages with identical text count once)."""
        if evidence is None:
            return
        site, fingerprint, keys = evidence
        if (site, fingerprint) in self.fingerprints:
            return
        self.fingerprints.add((site, fingerprint))
        self.pages[site] += 1
        self.counts[site].update(keys)

    def templates(self) -> dict[str, frozenset[int]]:
        """Per site, the line keys found in enough of its pages."""
        out = {}
        for site, counts in self.counts.items():
            need = max(self.options.template_min_pages, self.options.template_min_share * self.pages[site])
            out[site] = frozenset(key for key, n in counts.items() if n >= need)
        return out


class Mapper:
    """Applies a function to a stream of items in order, locally or with worker processes.

    With ``jobs`` above one, ``jobs - 1`` worker processes of our own (cleaner.workers) take
    chunks of ``chunk`` items and this process works too, taking single items whenever the
    next result is not ready. An item may have to go to one worker (``owner``): pass two
    sends a page back to the worker that prepared it, so the page never crosses a pipe.
    Results always come back in input order, and only a bounded window of items is read
    ahead, so memory stays bounded however long the stream.
    """

    def __init__(self, jobs: int = 1, ahead: int = 0, chunk: int = 8) -> None:
        self.jobs = jobs
        self.chunk = chunk
        self.ahead = ahead
        self._pool: WorkerPool | None = None

    def __enter__(self) -> Mapper:
        if self.jobs > 1:
            self._pool = WorkerPool(self.jobs - 1, self.chunk, self.ahead)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    @property
    def keeps_pages(self) -> bool:
        """Whether items may stay in worker processes of this machine between calls."""
        return self._pool is not None

    def post(self, worker: int, fn: Callable[..., Any], items: list[Any], *args: Any) -> Posted:
        """Have worker process ``worker`` do ``fn(item, *args)`` for ``items``, outside any map."""
        if self._pool is None:
            raise CleanerError("only a mapper with worker processes can post work to one")
        return self._pool.post(worker, fn, items, args)

    def map(
        self,
        fn: Callable[..., Any],
        items: Iterable[Any],
        *args: Any,
        owner: Owner | None = None,
        weight: Weight | None = None,
    ) -> Iterator[Any]:
        """``fn(item, *args)`` for each item, in order; ``owner(item)`` names a worker that must do it.

        ``weight(item)`` says roughly what an item costs, so that workers are kept busy while
        this process does a heavy one.
        """
        if self._pool is None:
            for item in items:
                yield fn(item, *args)
            return
        yield from self._pool.map(fn, items, args, owner, weight)


def run_stream(
    source: Source,
    options: Options = Options(),
    mapper: Mapper | None = None,
    finish: Callable[[Document], Any] | None = None,
) -> Iterator[Any]:
    """Run the pipeline over a stream of pages that ``source()`` can produce twice.

    Pass one reads every page into blocks and learns each site's template lines (as keys);
    pass two runs the page stages; repeats across the batch are dropped in input order. Pass
    two takes the pages pass one prepared instead of decoding them again: the first
    ``KEEP_PREPARED_CHARS`` of text from memory, the rest from a temporary file (should that
    file fail, it reads and decodes the rest of the input again). Memory holds those first
    pages, the template counts and the repeat index, so it stays flat however large the input.

    With ``finish`` (a picklable function of a finished page, such as one writing its files),
    what it returns comes out instead of each page; with worker processes each page is
    finished in the process that made it, so pages never travel back.
    """
    owned = mapper is None
    mapper = mapper or Mapper()
    store: SpillStore[Prepared | Held] = SpillStore(KEEP_PREPARED_CHARS)
    try:
        if owned:
            mapper.__enter__()
        batch = os.urandom(16).hex()  # names this batch in each process's held pages and keys met
        hold_chars = KEEP_PREPARED_CHARS // max(1, mapper.jobs)
        learner = TemplateLearner(options)
        owners, sizes = array.array("i"), array.array("q")  # who keeps each page, its text
        pages_in = enumerate(source())
        for evidence, prepared in mapper.map(
            first_pass_at, pages_in, options, batch, hold_chars, weight=input_weight
        ):
            learner.add(evidence)
            chars = text_chars(prepared.page) if isinstance(prepared, Prepared) else 0
            store.add(prepared, chars)
            owners.append(prepared.worker if isinstance(prepared, Held) else -1)
            sizes.append(prepared.chars if isinstance(prepared, Held) else chars)
        templates = learner.templates()
        handed = _handed_back(mapper, owners, sizes, batch) if mapper.keeps_pages else {}
        del owners, sizes
        pages = _second_pass_pages(store, source, handed)
        if finish is not None and mapper.keeps_pages:
            yield from _finish_where_kept(enumerate(pages), options, templates, batch, mapper, finish)
            return
        results = mapper.map(
            process_and_fingerprint,
            enumerate(pages),
            options,
            templates,
            batch,
            owner=held_by,
            weight=page_weight,
        )
        for result in _dedup_in_order(results, options):
            yield result if finish is None or isinstance(result, Failure) else finish(result)
    finally:
        store.close()
        if owned:
            mapper.__exit__(None, None, None)


def _second_pass_pages(
    store: SpillStore[Prepared | Held], source: Source, handed_back: dict[int, Prepared]
) -> Iterator[Document | Failure | Prepared | Held]:
    """The pages for pass two: those the store kept, then (only if it lacks some) the input again.

    A page a worker handed back (by position) takes the place of its stand-in.
    """
    complete = not store.full
    total = len(store)
    handed = 0
    for prepared in store.drain():
        yield handed_back.pop(handed, prepared)
        handed += 1
    if not (complete and handed == total):
        for page in islice(source(), handed, None):
            yield handed_back.pop(handed, page)
            handed += 1


def run_batch(
    docs: Iterable[Document | Failure], options: Options = Options(), jobs: int = 1
) -> Iterator[Document | Failure]:
    """Run the pipeline over many pages; a failing page becomes a Failure, never a crash.

    With ``jobs > 1`` the page stages run in worker processes; results come back in input
    order, so the output is the same as with one process.
    """
    items = list(docs)
    with Mapper(jobs if len(items) > 1 else 1) as mapper:
        yield from run_stream(lambda: items, options, mapper)


def _dedup_in_order(
    results: Iterable[tuple[Document | Failure, Fingerprints | None]], options: Options
) -> Iterator[Document | Failure]:
    """Drop exact repeats and flag near repeats across the batch, page by page in order."""
    seen: dict[int, str] = {}
    index = NearRepeatIndex() if options.near_duplicates else None
    for result, prints in results:
        if isinstance(result, Document) and prints is not None:
            result = dedup_page(
                result, options.near_duplicates, options.drop_near_duplicates, seen, index, prints
            )
        yield result
