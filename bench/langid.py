"""Score ``detect_language`` on the langid benchmark beside langdetect, in the same run.

usage: python bench/langid.py [--split dev|heldout] [--benchmarks DIR] [--runs N]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from cleaner import detect_language
from cleaner.textcache import clear_caches
from common import DEFAULT_BENCHMARKS, median_time, read_jsonl, run_scorer, write_jsonl


def stock_langdetect(text: str) -> str:
    """langdetect as users call it: ``detect`` with ``DetectorFactory.seed = 0``."""
    import langdetect

    langdetect.DetectorFactory.seed = 0
    try:
        lang = langdetect.detect(text)
    except langdetect.LangDetectException:
        return "und"
    return {"zh-cn": "zh", "zh-tw": "zh"}.get(lang, lang)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", default="heldout", choices=["dev", "heldout"])
    parser.add_argument("--benchmarks", type=Path, default=DEFAULT_BENCHMARKS)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args()
    folder = args.benchmarks / "langid"
    gold = read_jsonl(folder / f"{args.split}.jsonl")
    texts = [row["text"] for row in gold]
    tools = {"cleaner.detect_language": detect_language, "langdetect 1.0.9 (seed 0)": stock_langdetect}
    speeds = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, fn in tools.items():
            preds = [{"id": row["id"], "lang": fn(row["text"])} for row in gold]
            pred_path = Path(tmp) / "pred.jsonl"
            write_jsonl(pred_path, preds)
            print(f"## {name}")
            print(run_scorer(folder / "score.py", folder / f"{args.split}.jsonl", pred_path))
            short = [
                (g, p)
                for g, p in zip(gold, preds, strict=True)
                if g["bucket"] == "<=3" and g["lang"] not in ("mixed", "und")
            ]
            hits = sum((g["lang"] == "vi") == (p["lang"] == "vi") for g, p in short)
            print(
                f"  is-vi accuracy, segments of 3 words or fewer: {hits / len(short):.4f} "
                f"({hits}/{len(short)})\n"
            )
            # Each timed pass starts with cleaner's answer caches empty: every segment is worked
            # out, as on text never seen before (its per-word table stays warm, as in any run).
            speeds[name] = len(texts) / median_time(
                lambda fn=fn: [fn(t) for t in texts], args.runs, before=clear_caches
            )
            if args.show_errors and fn is detect_language:
                for row, pred in zip(gold, preds, strict=True):
                    if row["lang"] not in ("mixed", "und") and (
                        (row["lang"] == "vi") != (pred["lang"] == "vi")
                        or (row["lang"] in ("en", "vi") and pred["lang"] != row["lang"])
                        or (row["lang"] not in ("en", "vi") and pred["lang"] in ("en", "vi"))
                    ):
                        print(f"  ERR gold={row['lang']} pred={pred['lang']} {row['text'][:90]!r}")
    ours, peer = speeds["cleaner.detect_language"], speeds["langdetect 1.0.9 (seed 0)"]
    print(
        f"segments/s (median of {args.runs}): cleaner {ours:,.0f}, langdetect {peer:,.0f}, "
        f"ratio {ours / peer:.1f}x"
    )


if __name__ == "__main__":
    main()
