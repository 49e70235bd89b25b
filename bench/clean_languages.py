"""Whitespace repair must leave clean text alone, in any language: the clean sentences of the
langid sets, each repaired alone, and how many come out altered, per language.

usage: python bench/clean_languages.py [--benchmarks DIR]

Variant c of the wordseg set is English only; the langid sets add clean Vietnamese, French,
Portuguese, Indonesian and Chinese sentences (and a few collapsed English seed lines, which
are rightly repaired).
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from common import DEFAULT_BENCHMARKS, read_jsonl


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--benchmarks", type=Path, default=DEFAULT_BENCHMARKS)
    args = parser.parse_args()
    from cleaner import repair_whitespace

    seen: Counter[str] = Counter()
    altered: Counter[str] = Counter()
    examples: dict[str, tuple[str, str]] = {}
    for split in ("dev", "heldout"):
        for row in read_jsonl(args.benchmarks / "langid" / f"{split}.jsonl"):
            lang, text = row["lang"], row["text"]
            seen[lang] += 1
            out = repair_whitespace(text, "vi" if lang == "vi" else "en")
            if out != text:
                altered[lang] += 1
                examples.setdefault(lang, (text, out))
    print(f"{'language':10} {'sentences':>9} {'altered':>8}")
    for lang in sorted(seen):
        print(f"{lang:10} {seen[lang]:>9} {altered[lang]:>8}")
    for lang, (text, out) in sorted(examples.items()):
        print(f"\n{lang}: {text[:100]}\n -> {out[:100]}")


if __name__ == "__main__":
    main()
