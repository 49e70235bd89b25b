"""Time spent in the cycle collector during one `cleaner run`, per set of thresholds.

usage: python bench/collector.py [--mb 4] [--thresholds 700,10,10 50000,20,10] [--workdir DIR]

Each set of thresholds runs `cleaner run` once in a child process of its own (on the varied
samples, as ``throughput.py`` builds them), with ``gc.callbacks`` timing every collection.
``heap.settle`` is made to keep the thresholds given, so that Python's defaults (700, 10, 10)
can be measured beside cleaner's own. Collection time is CPU work the machine's noise hardly
moves, unlike the run's wall time, which is printed only as a guide.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from common import child_env
from throughput import build_corpus

_CHILD = """
import gc, sys, time
from collections import Counter
seconds, counts, started = Counter(), Counter(), []
def timer(phase, info):
    if phase == "start":
        started.append(time.perf_counter())
    else:
        seconds[info["generation"]] += time.perf_counter() - started.pop()
        counts[info["generation"]] += 1
young, middle, old = map(int, sys.argv[3].split(","))
from cleaner import heap
heap.YOUNG, heap.MIDDLE, heap.OLD = young, middle, old
gc.callbacks.append(timer)
from cleaner import cli
begin = time.perf_counter()
try:
    cli.main(["run", sys.argv[1], "--out", sys.argv[2]])
except SystemExit:
    pass
wall = time.perf_counter() - begin
names = ("young", "middle", "full")
parts = ", ".join(f"{counts[g]} {names[g]} {seconds[g]:.3f} s" for g in range(3) if counts[g])
print(f"{sys.argv[3]}: {sum(seconds.values()):.3f} s collecting ({parts or 'none'}) in a run of {wall:.2f} s")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=float, default=4.0)
    parser.add_argument("--thresholds", nargs="+", default=["700,10,10", "50000,20,10"])
    parser.add_argument("--workdir", help="folder for the corpus and outputs")
    args = parser.parse_args()
    if args.workdir:
        Path(args.workdir).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        size = build_corpus(corpus, args.mb)
        print(f"corpus: {size / 1e6:.1f} MB of page text (JSONL), -j 1")
        env = child_env()
        for i, thresholds in enumerate(args.thresholds):
            out = Path(tmp) / f"out{i}"
            command = [sys.executable, "-c", _CHILD, str(corpus), str(out), thresholds]
            print(subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout.strip())


if __name__ == "__main__":
    main()
