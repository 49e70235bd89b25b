"""The ``cleaner`` command line.

Batch commands (run, emit, stats, check, explain) take files and folders; pipe commands
(clean, strip, respace, langsplit, segment, dedup) read stdin and write stdout. Settings come
from ``[tool.cleaner]`` in the nearest pyproject.toml (or ``--config FILE``), flags override.

Exit status: 0 when all went well, 1 when a page failed or ``check`` found problems, 2 for a
usage or configuration error.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from cleaner import __version__
from cleaner.commands.common import Settings, error, settings_from
from cleaner.errors import CleanerError, UsageError
from cleaner.pipeline import STAGE_NAMES

Command = Callable[[argparse.Namespace, Settings], int]


def terminal_columns() -> int:
    """The terminal's width as ``shutil.get_terminal_size`` finds it: ``$COLUMNS``, the terminal, 80."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


class HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, given the terminal's width so that it does not import ``shutil``.

    argparse makes a formatter for every argument added and asks ``shutil`` for the width;
    importing ``shutil`` (with ``bz2`` and ``lzma``) took 2 ms of every start.
    """

    def __init__(
        self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None
    ) -> None:
        super().__init__(
            prog, indent_increment, max_help_position, terminal_columns() - 2 if width is None else width
        )


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        metavar="FILE",
        help="a TOML file with a [tool.cleaner] table (default: the nearest pyproject.toml)",
    )
    parser.add_argument("--rules", action="append", metavar="DIR", help="extra rule-pack folder (repeatable)")
    parser.add_argument(
        "--disable", action="append", metavar="STAGE", help=f"switch a stage off ({', '.join(STAGE_NAMES)})"
    )


def _batch(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help="page files or folders (*.txt, *.html, *.htm), JSONL (*.jsonl[.gz]) or WARC (*.warc[.gz])",
    )
    _common(parser)


def _jobs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=1,
        metavar="N",
        help="processes sharing the page work (same output as -j 1)",
    )


def _formats(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        metavar="LIST",
        help="comma-separated formats: jsonl, txt, xliff (1.2), xliff2 (2.1), tmx, moses, aligned "
        "(default: the config's formats, else jsonl,txt; S.removed.jsonl is always written)",
    )
    parser.add_argument(
        "--target-lang", metavar="LANG", help="target language of XLIFF files (default: en<->vi)"
    )


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, Command]]:
    """The argument parser and the function behind each subcommand."""
    from cleaner.commands import batch, check, pipes

    parser = argparse.ArgumentParser(
        prog="cleaner",
        description="Clean scraped web pages into bilingual segment files for translation.",
        formatter_class=HelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"cleaner {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands: dict[str, Command] = {}

    def add(name: str, fn: Command, help_text: str) -> argparse.ArgumentParser:
        commands[name] = fn
        description = help_text[:1].upper() + help_text[1:] + "."
        return sub.add_parser(name, help=help_text, description=description, formatter_class=HelpFormatter)

    p = add("run", batch.cmd_run, "clean pages into segment files in --out DIR")
    _batch(p)
    p.add_argument("--out", required=True, metavar="DIR", help="output folder")
    _formats(p)
    _jobs(p)
    p.add_argument(
        "--drop-near-duplicates", action="store_true", help="remove near repeats instead of flagging them"
    )
    p.add_argument(
        "--shard-size",
        type=int,
        metavar="PAGES",
        help="write corpus-level segments-NNNNN.jsonl / removed-NNNNN.jsonl shards of PAGES pages "
        "instead of files per page",
    )
    p.add_argument("--engine", default="local", choices=["local", "dask"], help="where pages are processed")
    p.add_argument(
        "--scheduler", metavar="ADDRESS", help="a dask.distributed scheduler (default: a local cluster)"
    )

    p = add("emit", batch.cmd_emit, "write or refresh each page's segment files beside it (pre-commit)")
    _batch(p)
    p.add_argument("--out", metavar="DIR", help="write into DIR instead of beside each page")
    p.add_argument(
        "--fail-on-change",
        action="store_true",
        help="exit 1 when a file was written or changed (for pre-commit)",
    )
    _formats(p)

    p = add("stats", batch.cmd_stats, "word and segment counts per language, for quoting")
    _batch(p)
    _jobs(p)
    p.add_argument("--json", action="store_true", help="print the figures as JSON")

    p = add(
        "check",
        check.cmd_check,
        "report boilerplate, collapsed whitespace, mojibake and mixed-language blocks",
    )
    _batch(p)

    p = add(
        "explain", check.cmd_explain, "print every line of a page with its fate and the rule that decided"
    )
    p.add_argument("page", metavar="PAGE")
    _common(p)

    p = add("clean", pipes.cmd_clean, "one page on stdin, its cleaned main-language text on stdout")
    p.add_argument("--html", action="store_true", help="the page is HTML (detected when it starts like HTML)")
    _common(p)

    p = add("strip", pipes.cmd_strip, "stdin to stdout without site boilerplate")
    p.add_argument("--html", action="store_true", help="the page is HTML (detected when it starts like HTML)")
    _common(p)

    p = add("respace", pipes.cmd_respace, "stdin to stdout with collapsed whitespace repaired")
    p.add_argument("--lang", default="en", help="language of the text (en or vi; default en)")
    _common(p)

    p = add("langsplit", pipes.cmd_langsplit, "stdin to stdout keeping the text of one language")
    p.add_argument("--lang", required=True, help="the language to keep (ISO 639-1, e.g. en, vi)")
    _common(p)

    p = add("segment", pipes.cmd_segment, "stdin to stdout, one sentence per line")
    _common(p)

    p = add("dedup", pipes.cmd_dedup, "stdin to stdout with repeated lines dropped")
    _common(p)
    return parser, commands


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status."""
    parser, commands = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help(sys.stderr)
        return 2
    try:
        if getattr(args, "jobs", 1) < 1:
            raise UsageError("-j/--jobs must be 1 or more")
        return commands[args.command](args, settings_from(args))
    except UsageError as exc:
        error(str(exc))
        return 2
    except CleanerError as exc:
        error(str(exc))
        return 1
    except KeyboardInterrupt:
        error("interrupted")
        return 130
    except BrokenPipeError:
        return 1


def script() -> NoReturn:
    """The console script: :func:`main`, then an exit that does not free every object first.

    Python frees each object at exit; after a run over real pages that took 0.3 s (the
    tables, rules and langdetect's profiles are millions of objects), as long as writing
    them. Every output file is written and closed by the time :func:`main` returns, so, as
    mypy does, the script flushes what it printed and ends the process at once.
    """
    status = main()
    from cleaner import regexcache

    regexcache.save()  # its exit function will not run
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe or stream
            stream.flush()
    os._exit(status)


if __name__ == "__main__":
    script()
