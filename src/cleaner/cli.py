"""The ``cleaner`` command: run, clean, explain.

Exit status: 0 when every page went well, 1 when some page failed, 2 for a usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from cleaner import __version__
from cleaner.document import Document
from cleaner.errors import CleanerError, UsageError
from cleaner.inputs import assign_stems, discover, guess_kind, load_document
from cleaner.pipeline import STAGE_NAMES, Failure, Options, build_stages, run, run_batch


def _options(args: argparse.Namespace) -> Options:
    disabled = frozenset(args.disable or ())
    unknown = disabled - set(STAGE_NAMES)
    if unknown:
        raise UsageError(f"unknown stage(s) for --disable: {', '.join(sorted(unknown))}")
    return Options(disabled=disabled, rule_folders=tuple(args.rules or ()))


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rules", action="append", metavar="DIR", help="extra rule-pack folder (repeatable)")
    parser.add_argument(
        "--disable",
        action="append",
        metavar="STAGE",
        choices=None,
        help=f"switch a stage off ({', '.join(STAGE_NAMES)})",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(
        prog="cleaner",
        description="Clean scraped web pages into bilingual segment files for translation.",
    )
    parser.add_argument("--version", action="version", version=f"cleaner {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    run_p = sub.add_parser(
        "run",
        help="clean pages into segment files",
        description="Clean pages (files or folders) into DIR: "
        "S.segments.jsonl, S.<lang>.txt, S.removed.jsonl.",
    )
    run_p.add_argument(
        "inputs", nargs="+", metavar="INPUT", help="page files or folders (*.txt, *.html, *.htm)"
    )
    run_p.add_argument("--out", required=True, metavar="DIR", help="output folder")
    run_p.add_argument(
        "--format",
        default="jsonl,txt",
        metavar="LIST",
        help="comma-separated output formats: jsonl, txt, xliff (1.2), xliff2 (2.1), tmx, moses, aligned "
        "(default: jsonl,txt; S.removed.jsonl is always written)",
    )
    run_p.add_argument(
        "--target-lang", metavar="LANG", help="target language of XLIFF files (default: en<->vi)"
    )
    _add_common(run_p)

    clean_p = sub.add_parser(
        "clean",
        help="one page on stdin, cleaned main-language text on stdout",
        description="Read one page on stdin and write its cleaned main-language text to stdout.",
    )
    clean_p.add_argument(
        "--html", action="store_true", help="the page is HTML (detected when it starts like HTML)"
    )
    _add_common(clean_p)

    stats_p = sub.add_parser(
        "stats",
        help="word and segment counts per language, for quoting",
        description="Clean pages (files or folders) and print words and segments per language, "
        "and how many segments repeated exactly or nearly.",
    )
    stats_p.add_argument("inputs", nargs="+", metavar="INPUT", help="page files or folders")
    stats_p.add_argument("--json", action="store_true", help="print the figures as JSON")
    _add_common(stats_p)

    explain_p = sub.add_parser(
        "explain",
        help="show each line of a page and what happened to it",
        description="Print every line of PAGE with its fate: "
        "kept (role, language) or removed (reason, rule).",
    )
    explain_p.add_argument("page", metavar="PAGE")
    _add_common(explain_p)
    return parser


def _error(message: str) -> None:
    print(f"cleaner: {message}", file=sys.stderr)


def cmd_run(args: argparse.Namespace) -> int:
    """Process every input page into ``--out``; count failures instead of stopping."""
    from cleaner.writers.contract import FORMATS, write_contract

    options = _options(args)
    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise UsageError(
            f"unknown format(s) for --format: {', '.join(unknown)} (known: {', '.join(FORMATS)})"
        )
    out_dir = Path(args.out)
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"{out_dir}: output path exists and is not a folder")
    found = list(discover(args.inputs))
    paths = [p for p in found if isinstance(p, Path)]
    stems = assign_stems(paths)
    inputs = {p.resolve() for p in paths}
    loaded = (load_document(p, stems[p]) if isinstance(p, Path) else p for p in found)
    failures = 0
    langs: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    pages = 0
    for result in run_batch(loaded, options):
        if isinstance(result, Failure):
            failures += 1
            _error(f"{result.source}: {result.message}")
            continue
        try:
            targets = [out_dir / f"{result.id}{suffix}" for suffix in (".segments.jsonl", ".removed.jsonl")]
            if any(t.resolve() in inputs for t in targets):
                raise UsageError(f"{result.source}: refusing to overwrite an input file in {out_dir}")
            write_contract(result, out_dir, result.id, formats, args.target_lang)
        except (OSError, CleanerError) as exc:
            failures += 1
            _error(f"{result.source}: cannot write output: {exc}")
            continue
        pages += 1
        langs.update(seg.lang for seg in result.segments)
        reasons.update(r.reason for r in result.removals)
    per_lang = ", ".join(f"{lang} {n}" for lang, n in sorted(langs.items()))
    per_reason = ", ".join(f"{r} {n}" for r, n in sorted(reasons.items()))
    print(
        f"cleaner: {pages} page(s) written, {sum(langs.values())} segments ({per_lang or 'none'}); "
        f"removed: {per_reason or 'nothing'}; {failures} failed",
        file=sys.stderr,
    )
    return 1 if failures else 0


def _stdin_document(args: argparse.Namespace) -> Document:
    data = sys.stdin.buffer.read()
    kind = "html" if args.html else guess_kind(None, data)
    return Document(id="stdin", source="<stdin>", kind=kind, raw=data)


def main_text(doc: Document) -> str:
    """The page's main-language text: its kept segments, a paragraph per block."""
    paragraphs: dict[int, list[str]] = {}
    for seg in doc.segments:
        if seg.lang == doc.main_lang and seg.role != "sidebar":
            paragraphs.setdefault(seg.block, []).append(seg.text)
    return (
        "".join(" ".join(parts) + "\n\n" for _block, parts in sorted(paragraphs.items())).rstrip("\n") + "\n"
    )


def cmd_clean(args: argparse.Namespace) -> int:
    """Stdin to stdout: the cleaned main-language text of one page."""
    doc = run(_stdin_document(args), build_stages(_options(args)))
    sys.stdout.write(main_text(doc))
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    """Print each block or removed piece of PAGE in order with what happened to it."""
    from cleaner.explain import explain_lines

    path = Path(args.page)
    loaded = load_document(path, path.stem) if path.is_file() else Failure(args.page, "no such file")
    if isinstance(loaded, Failure):
        _error(f"{loaded.source}: {loaded.message}")
        return 1
    doc = run(loaded, build_stages(_options(args)))
    for line in explain_lines(doc):
        print(line)
    return 0


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


def cmd_stats(args: argparse.Namespace) -> int:
    """Print counts per language for the given pages (failures named on stderr, exit 1)."""
    import json

    options = _options(args)
    found = list(discover(args.inputs))
    paths = [p for p in found if isinstance(p, Path)]
    stems = assign_stems(paths)
    loaded = (load_document(p, stems[p]) if isinstance(p, Path) else p for p in found)
    docs: list[Document] = []
    failures = 0
    for result in run_batch(loaded, options):
        if isinstance(result, Failure):
            failures += 1
            _error(f"{result.source}: {result.message}")
        else:
            docs.append(result)
    stats = collect_stats(docs)
    if args.json:
        print(json.dumps(stats, ensure_ascii=False, indent=2))
    else:
        print(f"pages: {stats['pages']}")
        print(f"{'lang':<6}{'segments':>10}{'words':>10}{'near repeats':>14}")
        for lang, entry in stats["languages"].items():  # type: ignore[union-attr]
            print(f"{lang:<6}{entry['segments']:>10}{entry['words']:>10}{entry['near_repeats']:>14}")
        print(f"exact repeats removed: {stats['exact_repeats_removed']}")
    return 1 if failures else 0


COMMANDS = {"run": cmd_run, "clean": cmd_clean, "explain": cmd_explain, "stats": cmd_stats}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help(sys.stderr)
        return 2
    try:
        return COMMANDS[args.command](args)
    except UsageError as exc:
        _error(str(exc))
        return 2
    except CleanerError as exc:
        _error(str(exc))
        return 1
    except KeyboardInterrupt:
        _error("interrupted")
        return 130
    except BrokenPipeError:
        return 1


if __name__ == "__main__":
    sys.exit(main())
