"""Instructions a `cleaner run` executes, per version: a speed comparison a busy machine cannot blur.

usage: python bench/instructions.py TREE [TREE ...] [--mb 1] [--jobs 1] [--workdir DIR]

Each TREE is a checkout of cleaner (``git worktree add ../before <commit>``), run with its own
source (``PYTHONPATH=TREE/src``) and its own word-table cache, warmed by one run first. The
run is counted by valgrind's cachegrind without its cache simulation: the count is the same
to within a few parts in ten thousand from one run to the next, whatever else the machine is
doing, where wall time on a shared machine moves by 10 to 15% within minutes. Instructions are
not seconds (a cache miss costs more than an add), so a change is confirmed in wall time too
(``ab_jobs.py``); this tells whether the code does less work. Needs ``valgrind`` on the PATH.

With ``--jobs`` above 1 the count is the sum over the processes, and valgrind carries the
instructions a process ran into every child it forks: each worker's count includes the
driver's start before the fork (about 0.44 G, as much as a run of one short page). Compare
versions at the same ``--jobs``, not ``-j 1`` against ``-j 2``; for what ``-j 2`` adds, count
with callgrind's ``--dump-before=PyOS_AfterFork_Child``, which starts the worker's own count at
the fork.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from common import child_env
from throughput import build_corpus

_REFS = re.compile(r"I\s+refs:\s+([\d,]+)")


COUNT = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"]


def run(tree: Path, cache: Path, corpus: Path, out: Path, jobs: int, prefix: list[str]) -> str:
    """Run ``cleaner run`` from ``tree`` behind ``prefix``; what it wrote to stderr."""
    env = dict(child_env(), PYTHONPATH=str(tree / "src"), CLEANER_CACHE_DIR=str(cache))
    command = [*prefix, sys.executable, "-m", "cleaner.cli", "run", str(corpus), "--out", str(out)]
    result = subprocess.run([*command, "-j", str(jobs)], env=env, capture_output=True, text=True, check=True)
    shutil.rmtree(out)
    return result.stderr


def instructions(tree: Path, cache: Path, corpus: Path, out: Path, jobs: int) -> int:
    """Instructions of ``cleaner run`` from ``tree`` (every process of the run, summed)."""
    stderr = run(tree, cache, corpus, out, jobs, COUNT)
    counts = [int(found.replace(",", "")) for found in _REFS.findall(stderr)]
    if not counts:
        raise SystemExit(f"no instruction count in valgrind's output:\n{stderr[-2000:]}")
    return sum(counts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("trees", nargs="+", type=Path, help="cleaner checkouts to count")
    parser.add_argument("--mb", type=float, default=1.0)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--workdir", help="folder for the corpus, caches and outputs")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not on the PATH")
    for tree in args.trees:  # else the installed cleaner would run, and be counted under its name
        if not (tree / "src" / "cleaner").is_dir():
            raise SystemExit(f"{tree}: not a checkout of cleaner (no src/cleaner)")
    if args.workdir:
        Path(args.workdir).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        work = Path(tmp)
        corpus = work / "corpus.jsonl"
        size = build_corpus(corpus, args.mb)
        print(f"corpus: {size / 1e6:.1f} MB of page text (JSONL), -j {args.jobs}")
        first = None
        for i, tree in enumerate(tree.resolve() for tree in args.trees):
            cache = work / f"cache{i}"
            run(tree, cache, corpus, work / "warm", args.jobs, [])  # fills the caches, uncounted
            count = instructions(tree, cache, corpus, work / "out", args.jobs)
            first = first or count
            print(
                f"{tree.name}: {count / 1e9:.3f} G instructions, {count / size:,.0f} per byte, "
                f"{count / first:.3f} of the first"
            )


if __name__ == "__main__":
    main()
