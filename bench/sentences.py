"""split_sentences on the sentence benchmarks beside pysbd, in the same run.

usage: python bench/sentences.py [--benchmarks DIR] [--runs N] [--no-peer] [--show-misses]
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Callable
from pathlib import Path

from cleaner import split_sentences
from common import DEFAULT_BENCHMARKS, median_time, read_jsonl, run_scorer, write_jsonl

SETS = {"golden_en.jsonl": "en", "golden_en_ps52.jsonl": "en", "news_en.jsonl": "en", "golden_vi.jsonl": "vi"}


def pysbd_splitter() -> Callable[[str, str], list[str]]:
    import pysbd

    segs = {"en": pysbd.Segmenter(language="en", clean=False)}

    def split(text: str, lang: str) -> list[str]:
        return [s.strip() for s in segs["en"].segment(text) if s.strip()]

    return split


SCALING = {
    "news prose": "Mr. Smith went to the U.S. in 2020. It rained. ",
    "dots": ".",
    "glued words": "word.Word",
    "spaced dots": ". ",
    "list items": "1. a ",
    "lines": "a\n",
}


def timed(text: str) -> float:
    """Median seconds of three splits of ``text``."""
    return median_time(lambda: split_sentences(text), 3, warmup=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--benchmarks", type=Path, default=DEFAULT_BENCHMARKS)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-peer", action="store_true")
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    folder = args.benchmarks / "sentences"
    tools: dict[str, Callable[[str, str], list[str]]] = {"cleaner.split_sentences": split_sentences}
    if not args.no_peer:
        tools["pysbd 0.3.4"] = pysbd_splitter()
    texts: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, fn in tools.items():
            print(f"## {name}")
            for filename, lang in SETS.items():
                gold = read_jsonl(folder / filename)
                if name.startswith("pysbd") and lang != "en":
                    print(f"  {filename}: (no Vietnamese model)")
                    continue
                preds = [{"id": g["id"], "sentences": fn(g["text"], lang)} for g in gold]
                pred_path = Path(tmp) / "pred.jsonl"
                write_jsonl(pred_path, preds)
                print(
                    f"  {filename}: " + run_scorer(folder / "score.py", folder / filename, pred_path).strip()
                )
                if args.show_misses and fn is split_sentences:
                    for g, p in zip(gold, preds, strict=True):
                        if [s.strip() for s in p["sentences"]] != [s.strip() for s in g["expected"]]:
                            print(f"    MISS {g['id']}: {p['sentences']}")
                if lang == "en" and not texts:
                    pass
        corpus = [g["text"] for f in SETS for g in read_jsonl(folder / f)] * 20
        chars = sum(map(len, corpus))
        rates = {}
        for name, fn in tools.items():
            seconds = median_time(lambda fn=fn: [fn(text, "en") for text in corpus], args.runs, warmup=False)
            rates[name] = chars / seconds
    print(f"chars/s, median of {args.runs} passes over all four sets x20 ({chars:,} chars):")
    for name, rate in rates.items():
        print(f"  {name:26} {rate:>12,.0f}")
    if len(rates) == 2:
        ours, peer = rates.values()
        print(f"ratio: {ours / peer:.1f}x pysbd")
    print("linear time: seconds for n and 10n characters (ratio should stay near 10):")
    for name, unit in SCALING.items():
        small, large = (timed(unit * (size // len(unit))) for size in (100_000, 1_000_000))
        print(f"  {name:28} {small:8.3f} {large:8.3f}  ratio {large / small:5.1f}")


if __name__ == "__main__":
    main()
