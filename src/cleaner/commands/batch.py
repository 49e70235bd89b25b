"""Commands over many pages: run, emit, stats."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from cleaner import heap
from cleaner.commands.common import Settings, error, input_source, load_inputs
from cleaner.document import Document
from cleaner.errors import CleanerError, UsageError
from cleaner.pipeline import Failure, build_stages, run, run_batch
from cleaner.writers.atomic import new_temporary
from cleaner.writers.contract import FORMATS, write_contract


def _formats(args: argparse.Namespace, settings: Settings) -> list[str]:
    raw = getattr(args, "format", None)
    formats = [f.strip() for f in raw.split(",") if f.strip()] if raw else list(settings.config.formats)
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise UsageError(f"unknown format(s): {', '.join(unknown)} (known: {', '.join(FORMATS)})")
    return formats


def ensure_writable(folder: Path) -> None:
    """Create ``folder`` if needed and make sure files can be written there, or fail clearly."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder}: output path exists and is not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, name = new_temporary(folder / "write-test")
        os.close(fd)
        os.unlink(name)
    except OSError as exc:
        raise CleanerError(f"{folder}: output folder cannot be written: {exc.strerror or exc}") from None


class Progress:
    """A one-line progress count on stderr, shown only when stderr is a terminal."""

    def __init__(self) -> None:
        self.done = 0
        self.live = sys.stderr.isatty()

    def step(self) -> None:
        """Count one page."""
        self.done += 1
        if self.live:
            print(f"\rcleaner: {self.done} pages", end="", file=sys.stderr, flush=True)

    def close(self) -> None:
        """End the progress line."""
        if self.live:
            print(file=sys.stderr)


@dataclass(frozen=True)
class Written:
    """What writing one page's files gave: its segments per language, its removals per reason."""

    langs: Counter[str]
    reasons: Counter[str]

    @classmethod
    def of(cls, doc: Document) -> Written:
        """The counts of a page as written."""
        return cls(Counter(seg.lang for seg in doc.segments), Counter(r.reason for r in doc.removals))


@dataclass(frozen=True)
class ContractWriter:
    """Writes a finished page's output files; with ``-j N``, in the process that made the page."""

    out_dir: Path
    formats: tuple[str, ...]
    target: str | None
    languages: tuple[str, ...]
    protect: frozenset[Path]
    fresh: bool

    def __call__(self, doc: Document) -> Written | Failure:
        """Write ``doc``'s files; a file that cannot be written makes the page a Failure."""
        try:
            write_contract(
                doc, self.out_dir, doc.id, self.formats, self.target, self.languages, self.protect, self.fresh
            )
        except (OSError, CleanerError) as exc:
            return Failure(doc.source, f"cannot write output: {exc}")
        return Written.of(doc)


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    """Process every input page into ``--out``; count failures instead of stopping."""
    from cleaner.engines import make_mapper
    from cleaner.inputs import discover
    from cleaner.pipeline import run_stream
    from cleaner.writers.shards import ShardWriter

    formats = _formats(args, settings)
    target = args.target_lang or settings.config.target_lang
    out_dir = Path(args.out)
    ensure_writable(out_dir)
    with os.scandir(out_dir) as entries:
        fresh = next(entries, None) is None  # an empty folder: no output replaces anything
    if args.shard_size is not None and args.shard_size < 1:
        raise UsageError("--shard-size must be 1 or more")
    source = input_source(args.inputs, fields=settings.config.jsonl_fields)
    inputs = frozenset(p.resolve() for p in discover(args.inputs, containers=True) if isinstance(p, Path))
    failures = 0
    langs: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    pages = 0
    progress = Progress()
    shards = ShardWriter(out_dir, args.shard_size) if args.shard_size else None
    languages = tuple(settings.config.languages)
    writer = None if shards else ContractWriter(out_dir, tuple(formats), target, languages, inputs, fresh)
    # What is alive now (modules, tables, lexicons) lives as long as the run: the cycle
    # collector need not walk it at every full collection, nor a worker copy it by doing so;
    # and young objects are collected in batches (see cleaner/heap.py).
    with heap.settled(), make_mapper(args.engine, args.jobs, args.scheduler) as mapper:
        for result in run_stream(source, settings.options, mapper, writer):
            progress.step()
            if shards is not None and isinstance(result, Document):
                try:
                    shards.add(result)
                except (OSError, CleanerError) as exc:
                    result = Failure(result.source, f"cannot write output: {exc}")
                else:
                    result = Written.of(result)
            if isinstance(result, Failure):
                failures += 1
                error(f"{result.source}: {result.message}")
                continue
            pages += 1
            langs.update(result.langs)
            reasons.update(result.reasons)
    if shards is not None:
        shards.flush()
    progress.close()
    per_lang = ", ".join(f"{lang} {n}" for lang, n in sorted(langs.items()))
    per_reason = ", ".join(f"{r} {n}" for r, n in sorted(reasons.items()))
    print(
        f"cleaner: {pages} page(s) written, {sum(langs.values())} segments ({per_lang or 'none'}); "
        f"removed: {per_reason or 'nothing'}; {failures} failed",
        file=sys.stderr,
    )
    return 1 if failures else 0


def cmd_emit(args: argparse.Namespace, settings: Settings) -> int:
    """Write or refresh the segment files of each page, beside it or in ``--out``.

    Each page is cleaned on its own (no batch templates or cross-page repeats), so a page's
    files do not depend on which other files a commit touches; unchanged files are not
    rewritten, so a second run over the same scrapes changes nothing.
    """
    from cleaner.commands.check import is_output_file

    formats = _formats(args, settings)
    out = args.out or settings.config.emit_dir
    stages = build_stages(settings.options)
    failures = 0
    changed = 0
    paths = [p for p in args.inputs if not (Path(p).is_file() and is_output_file(Path(p)))]
    for item in load_inputs(paths, plain_stems=True):
        if isinstance(item, Failure):
            failures += 1
            error(f"{item.source}: {item.message}")
            continue
        try:
            doc = run(item, stages)
            folder = Path(out) if out else Path(item.source).parent
            written = write_contract(
                doc, folder, doc.id, formats, settings.config.target_lang, settings.config.languages
            )
        except (OSError, CleanerError) as exc:
            failures += 1
            error(f"{item.source}: {exc}")
            continue
        for path in written:
            print(f"cleaner: wrote {path}", file=sys.stderr)
        changed += len(written)
    return 1 if failures or (changed and args.fail_on_change) else 0


def collect_stats(docs: list[Document]) -> dict[str, object]:
    """Pages, and per language the segments and words a translator would get; repeats."""
    per_lang: dict[str, dict[str, int]] = {}
    for doc in docs:
        for seg in doc.segments:
            entry = per_lang.setdefault(seg.lang, {"segments": 0, "words": 0, "near_repeats": 0})
            entry["segments"] += 1
            entry["words"] += len(seg.text.split())
            entry["near_repeats"] += seg.near_duplicate_of is not None
    repeats = sum(1 for doc in docs for r in doc.removals if r.reason == "duplicate")
    return {"pages": len(docs), "languages": dict(sorted(per_lang.items())), "exact_repeats_removed": repeats}


def cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    """Print counts per language for the given pages (failures named on stderr, exit 1)."""
    docs: list[Document] = []
    failures = 0
    for result in run_batch(load_inputs(args.inputs), settings.options, jobs=args.jobs):
        if isinstance(result, Failure):
            failures += 1
            error(f"{result.source}: {result.message}")
        else:
            docs.append(result)
    stats = collect_stats(docs)
    if args.json:
        print(json.dumps(stats, ensure_ascii=False, indent=2))
    else:
        print(f"pages: {stats['pages']}")
        print(f"{'lang':<6}{'segments':>10}{'words':>10}{'near repeats':>14}")
        languages = stats["languages"]
        assert isinstance(languages, dict)
        for lang, entry in languages.items():
            print(f"{lang:<6}{entry['segments']:>10}{entry['words']:>10}{entry['near_repeats']:>14}")
        print(f"exact repeats removed: {stats['exact_repeats_removed']}")
    return 1 if failures else 0
