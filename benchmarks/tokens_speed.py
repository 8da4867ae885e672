"""Speed of the lexical tokenizer (`qa.language.tokenize`) on XQuAD's paragraphs, per language.

    PYTHONPATH=. .venv/bin/python benchmarks/tokens_speed.py [--data ../shared/bench/xquad]
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from qa.language import tokenize

LANGS = ["en", "es", "de", "zh", "ar", "ru", "vi"]


def contexts(path: Path) -> list[str]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [p["context"] for article in data["data"] for p in article["paragraphs"]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(Path(__file__).resolve().parents[2] / "shared" / "bench" / "xquad"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    for lang in LANGS:
        texts = contexts(Path(args.data) / f"xquad.{lang}.json")
        tokenize(texts[0], lang)  # load the stemmer and the segmenter
        best = float("inf")
        for _ in range(args.repeat):
            started = time.perf_counter()
            n = sum(len(tokenize(t, lang)) for t in texts)
            best = min(best, time.perf_counter() - started)
        print(f"{lang}: {n} tokens, {n / best:,.0f} tokens/s, {len(texts) / best:,.0f} passages/s")


if __name__ == "__main__":
    main()
