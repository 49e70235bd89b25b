"""Two versions of cleaner, `-j 1` and `-j 2`, taking turns on the same corpus: an A/B.

usage: python bench/ab_jobs.py TREE_A TREE_B [--mb 4] [--runs 5] [--workdir DIR]

TREE_A and TREE_B are checkouts of cleaner (``git worktree add ../before <commit>``). Each
runs with its own source (``PYTHONPATH=TREE/src``) and its own word-table cache, warmed once
before timing. Runs alternate A1, A2, B1, B2, so a drift in the machine's speed weighs on
both alike; the medians of wall and CPU time are printed per version and `-j`.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import child_env
from throughput import build_corpus


def timed_run(tree: Path, cache: Path, corpus: Path, out: Path, jobs: int) -> tuple[float, float]:
    """Wall and CPU seconds (children included) of ``cleaner run`` from ``tree``.

    Bytecode is cached, as Python does by default (see ``common.child_env``).
    """
    env = dict(child_env(), PYTHONPATH=str(tree / "src"), CLEANER_CACHE_DIR=str(cache))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    command = [sys.executable, "-m", "cleaner.cli", "run", str(corpus), "--out", str(out), "-j", str(jobs)]
    subprocess.run(command, env=env, check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("trees", nargs=2, type=Path, help="two cleaner checkouts, A then B")
    parser.add_argument("--mb", type=float, default=4.0)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workdir", help="folder for the corpus, caches and outputs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        work = Path(tmp)
        corpus = work / "corpus.jsonl"
        size = build_corpus(corpus, args.mb)
        trees = dict(zip("AB", (tree.resolve() for tree in args.trees), strict=True))
        for tag, tree in trees.items():  # warm each version's word-table cache
            timed_run(tree, work / f"cache{tag}", corpus, work / f"warm{tag}", 1)
        times: dict[tuple[str, int], list[tuple[float, float]]] = {}
        for i in range(args.runs):
            for tag, tree in trees.items():
                for jobs in (1, 2):
                    run = timed_run(tree, work / f"cache{tag}", corpus, work / f"{tag}{jobs}-{i}", jobs)
                    times.setdefault((tag, jobs), []).append(run)
        print(f"corpus {size / 1e6:.1f} MB, median of {args.runs}")
        for tag, tree in trees.items():
            wall = {j: statistics.median(w for w, _ in times[tag, j]) for j in (1, 2)}
            cpu = {j: statistics.median(c for _, c in times[tag, j]) for j in (1, 2)}
            print(
                f"{tag} ({tree.name}): -j 1 {wall[1]:.2f} s wall {cpu[1]:.2f} s CPU; "
                f"-j 2 {wall[2]:.2f} s wall {cpu[2]:.2f} s CPU; ratio {wall[1] / wall[2]:.2f}x"
            )


if __name__ == "__main__":
    main()
