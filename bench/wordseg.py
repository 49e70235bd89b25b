"""repair_whitespace on the wordseg benchmark beside wordninja and wordsegment, in one run.

usage: python bench/wordseg.py [--split dev|heldout] [--benchmarks DIR] [--runs N] [--no-peers]

The peers split each space-separated token and a wrapper puts their cuts back into the
original characters (so punctuation and case are kept), as in the shared README's table.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections.abc import Callable
from pathlib import Path

from cleaner import repair_whitespace
from cleaner.textcache import clear_caches
from cleaner.wordseg import clear_cache
from common import DEFAULT_BENCHMARKS, median_time, read_jsonl, run_scorer, write_jsonl


def forget() -> None:
    """Empty the cut cache and the short-text answer caches before a timed pass."""
    clear_cache()
    clear_caches()


def realign(run: str, words: list[str]) -> str:
    """Insert a space in ``run`` before each word of ``words`` but the first (peers' wrapper)."""
    out: list[str] = []
    i = 0
    for n, word in enumerate(words):
        chars = [c for c in word if c.isalnum()]
        if not chars:
            continue
        if n and out:
            out.append(" ")
        for c in chars:
            while i < len(run) and run[i].lower() != c.lower():
                out.append(run[i])
                i += 1
            if i < len(run):
                out.append(run[i])
                i += 1
    out.append(run[i:])
    text = "".join(out)
    return text if text.replace(" ", "") == run else run


def per_token(split: Callable[[str], list[str]]) -> Callable[[str], str]:
    """A paragraph repairer that applies ``split`` to each space-separated token."""

    def repair(text: str) -> str:
        return " ".join(realign(tok, split(tok)) for tok in text.split(" "))

    return repair


def peers() -> dict[str, Callable[[str], str]]:
    import wordninja
    import wordsegment

    wordsegment.load()
    return {
        "wordninja 2.0.0": per_token(wordninja.split),
        "wordsegment 1.3.1": per_token(wordsegment.segment),
    }


def vietnamese_set(benchmarks: Path, split: str) -> list[str]:
    """Vietnamese sentences with diacritics: the langid split's and sample 003's teasers."""
    rows = read_jsonl(benchmarks / "langid" / f"{split}.jsonl")
    texts = [
        r["text"]
        for r in rows
        if r["lang"] == "vi" and "stripped" not in r.get("source", "") and len(r["text"].split()) >= 4
    ]
    sample = Path(__file__).resolve().parent.parent / "samples" / "003_a60153bfbc86ba90.txt"
    lines = sample.read_text(encoding="utf-8").splitlines()
    texts += [line.strip(" •") for line in lines if line.startswith("  ") and len(line.split()) >= 4]
    return sorted(set(texts))


def syllable_accuracy(texts: list[str]) -> tuple[float, int, int]:
    """Share of syllables restored exactly when every space of ``texts`` is removed."""
    import difflib

    right = total = exact = 0
    for text in texts:
        out = repair_whitespace(text.replace(" ", ""), lang="vi")
        want, got = text.split(), out.split()
        matcher = difflib.SequenceMatcher(None, got, want, autojunk=False)
        right += sum(block.size for block in matcher.get_matching_blocks())
        total += len(want)
        exact += got == want
    return right / total, exact, len(texts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", default="heldout", choices=["dev", "heldout"])
    parser.add_argument("--benchmarks", type=Path, default=DEFAULT_BENCHMARKS)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-peers", action="store_true")
    parser.add_argument("--by-src", action="store_true")
    args = parser.parse_args()
    vi_texts = vietnamese_set(args.benchmarks, args.split)
    accuracy, exact, count = syllable_accuracy(vi_texts)
    print(
        f"Vietnamese, all spaces removed ({count} sentences from langid/{args.split} and sample 003): "
        f"syllables right {accuracy:.4f}, sentences exact {exact}/{count}"
    )
    folder = args.benchmarks / "wordseg"
    gold_path = folder / f"{args.split}.jsonl"
    gold = read_jsonl(gold_path)
    tools: dict[str, Callable[[str], str]] = {"cleaner.repair_whitespace": repair_whitespace}
    if not args.no_peers:
        tools.update(peers())
    rates: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, fn in tools.items():
            preds = [{"id": g["id"], "variant": g["variant"], "output": fn(g["input"])} for g in gold]
            pred_path = Path(tmp) / "pred.jsonl"
            write_jsonl(pred_path, preds)
            print(f"## {name}")
            extra = ["--by-src"] if args.by_src else []
            scores_path = Path(tmp) / "scores.json"
            print(run_scorer(folder / "score.py", gold_path, pred_path, *extra, "--json", scores_path))
            if name == "cleaner.repair_whitespace":
                scores = json.loads(scores_path.read_text(encoding="utf-8"))
            rates[name] = {}
            for variant in "ac":
                texts = [g["input"] for g in gold if g["variant"] == variant]
                chars = sum(map(len, texts))
                seconds = median_time(
                    lambda fn=fn, texts=texts: [fn(t) for t in texts],
                    args.runs,
                    warmup=False,
                    before=forget,
                )
                rates[name][variant] = chars / seconds
    print(f"chars/s, median of {args.runs} passes (variant a / variant c):")
    for name, by in rates.items():
        print(f"  {name:28} {by['a']:>12,.0f} {by['c']:>12,.0f}")
    ours = rates["cleaner.repair_whitespace"]
    speed = None
    if "wordninja 2.0.0" in rates:
        ninja = rates["wordninja 2.0.0"]
        speed = ours["a"] / ninja["a"]
        print(f"ratio to wordninja: variant a {speed:.2f}x, variant c {ours['c'] / ninja['c']:.2f}x")
    print_targets(scores, accuracy, ours["c"], speed)


def print_targets(
    scores: dict[str, dict[str, float]], vietnamese: float, clean_rate: float, speed: float | None
) -> None:
    """Issue 5's targets, each with the figure measured and whether it is met (F1 to four places)."""
    a, b, c = scores["a"], scores["b"], scores["c"]
    altered = max(m["altered"] for m in (a, b, c))
    checks = [
        ("variant a boundary F1 >= 0.985", a["F1"], a["F1"] >= 0.985),
        ("variant a exact >= 0.60", a["exact"], a["exact"] >= 0.60),
        ("variant b boundary F1 >= 0.990", b["F1"], b["F1"] >= 0.990),
        ("variant b exact >= 0.60", b["exact"], b["exact"] >= 0.60),
        ("variant c changed tokens per 1k <= 1", c["tokerr_per_1k"], c["tokerr_per_1k"] <= 1),
        ("variant c untouched >= 0.97", c["exact"], c["exact"] >= 0.97),
        ("altered paragraphs = 0", altered, altered == 0),
        ("clean text >= 1,000,000 chars/s", clean_rate, clean_rate >= 1_000_000),
        ("Vietnamese syllables right >= 0.98", vietnamese, vietnamese >= 0.98),
    ]
    if speed is not None:
        checks.append(("variant a chars/s >= wordninja's", speed, speed >= 1))
    print("targets (issue 5):")
    for label, value, met in checks:
        print(f"  {'met    ' if met else 'NOT MET'}  {label}: {value:,.4f}")


if __name__ == "__main__":
    main()
