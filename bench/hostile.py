"""A hostile batch at full size, timed input by input: every input must get a result or a
clear error within seconds.

usage: python bench/hostile.py [--keep DIR]

Then every built-in boilerplate rule is run on hostile chrome-shaped lines (long runs of
separators after a rule's opening word, random strings of chrome words and punctuation up to
the 3,000-character line limit). Built-in rules run without the regex timeout that user rule
packs get, so their slowest line must stay far below it.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def make_inputs(folder: Path, scale: float = 1.0) -> dict[str, str]:
    """Write the hostile inputs into ``folder``; returns ``{file name: what it is}``."""
    rng = random.Random(1)
    n = lambda size: max(1, int(size * scale))  # noqa: E731
    made = {
        "collapsed.txt": (
            "Thedevelopmentofinformationandcommunicationtechnology" * n(150_000),
            "8 MB single collapsed line",
        ),
        "dots.txt": ("." * n(2_000_000), "two million dots"),
        "deep.html": (
            "<html><body>" + "<div>" * n(50_000) + "<p>Deep text.</p>" + "</div>" * n(50_000),
            "50,000-deep nesting",
        ),
        "inline.html": (
            "<html><body><p>" + "<b>x</b> " * n(300_000) + "</p></body></html>",
            "300,000 inline tags",
        ),
        "words.txt": (" ".join(f"word{i}" for i in range(n(1_000_000))), "a 10 MB line of distinct words"),
    }
    for name, (text, _what) in made.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "nul.txt").write_bytes(b"Some text\x00with NUL bytes inside." * 100)
    (folder / "random.txt").write_bytes(bytes(rng.randrange(256) for _ in range(n(100_000))))
    chars = [
        chr(
            rng.choices(
                [rng.randrange(32, 0x2FFF), rng.randrange(0x300, 0x36F), rng.randrange(1, 32)], [90, 8, 2]
            )[0]
        )
        for _ in range(n(200_000))
    ]
    (folder / "unicode.txt").write_text("".join(chars), encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10)
    for sample in SAMPLES.glob("*.txt"):
        shutil.copy(sample, folder / f"good-{sample.name}")
    whats = {name: what for name, (_t, what) in made.items()}
    whats.update(
        {
            "nul.txt": "NUL bytes",
            "random.txt": "random bytes",
            "unicode.txt": "random Unicode with controls and combining marks",
            "empty.txt": "an empty file",
            "binary.html": "binary data named .html",
        }
    )
    return whats


_CHROME_WORDS = (
    "share on facebook , | : / by By posted Theo dõi ICTVietnam trên - Ảnh 1. 12/05/2020 10:30 "
    "© copyright cookies ( ) Tags: GMT +7 Đừng bỏ lỡ Nguồn source a A x . -"
)
CHROME_PIECES = [*_CHROME_WORDS.split(), " ", "  ", "\u00a0", ",", "|"]


def hostile_lines(count: int = 3000, seed: int = 0) -> list[str]:
    """Lines shaped like chrome to make rule patterns backtrack, none over the line limit."""
    from cleaner.rulepacks import MAX_RULE_CHARS

    rng = random.Random(seed)
    lines = [
        opening + char * (MAX_RULE_CHARS - 10) + "!" for opening in ("share", "by ") for char in ",| :/.-a"
    ]
    for _ in range(count):
        pieces = (rng.choice(CHROME_PIECES) for _ in range(rng.randrange(1, 400)))
        lines.append("".join(pieces)[:MAX_RULE_CHARS])
    return lines


def slowest_rules(lines: list[str]) -> list[tuple[float, str]]:
    """(seconds of its slowest line, pack/rule) for every built-in rule, slowest first."""
    from cleaner.rulepacks import builtin_packs

    worst = []
    for pack in builtin_packs():
        for rule in pack.rules:
            slowest = 0.0
            for line in lines:
                start = time.perf_counter()
                rule.pattern.fullmatch(line)
                slowest = max(slowest, time.perf_counter() - start)
            worst.append((slowest, f"{pack.id}/{rule.id}"))
    return sorted(worst, reverse=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keep", type=Path, help="make the inputs in DIR and keep them")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp) / "in"
        folder.mkdir(parents=True, exist_ok=True)
        whats = make_inputs(folder)
        print(f"{'input':22} {'what':48} {'status':>6} {'seconds':>8}  result")
        for path in sorted(folder.iterdir()):
            start = time.perf_counter()
            result = subprocess.run(
                [sys.executable, "-m", "cleaner.cli", "run", str(path), "--out", str(Path(tmp) / "out")],
                capture_output=True,
                text=True,
            )
            seconds = time.perf_counter() - start
            last = (result.stderr.strip().splitlines() or [""])[0][:70]
            traceback = "TRACEBACK " if "Traceback" in result.stderr else ""
            print(
                f"{path.name:22} {whats.get(path.name, 'a sample page'):48} "
                f"{result.returncode:>6} {seconds:8.1f}  {traceback}{last}"
            )
    from cleaner.rulepacks import MATCH_TIMEOUT

    worst = slowest_rules(hostile_lines())
    print(
        f"built-in rules on {len(hostile_lines())} hostile lines (user rules get {MATCH_TIMEOUT} s a line):"
    )
    for seconds, rule in worst[:3]:
        print(f"  slowest line for {rule}: {seconds * 1000:.1f} ms")


if __name__ == "__main__":
    main()
