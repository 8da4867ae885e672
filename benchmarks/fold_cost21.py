"""The cost of `qa.language.fold` and `tokenize` per XQuAD paragraph (ru, en), CPU time, best of 5:
a before/after check of a change to folding (session 21: a Cyrillic word's Latin look-alikes).

    PYTHONPATH=<checkout> python benchmarks/fold_cost21.py   # run once per checkout, from outside both
"""
from __future__ import annotations

import json
import time

import qa.language as L
from common import xquad_dir


def main() -> None:
    for lang in ("ru", "en"):
        data = json.loads((xquad_dir() / f"xquad.{lang}.json").read_text(encoding="utf-8"))
        texts = [p["context"] for a in data["data"] for p in a["paragraphs"]]
        L.tokenize(texts[0], lang)
        best_fold = best_tokens = float("inf")
        for _ in range(5):
            t0 = time.process_time()
            for t in texts:
                L.fold(t)
            best_fold = min(best_fold, time.process_time() - t0)
            t0 = time.process_time()
            for t in texts:
                L.tokenize(t, lang)
            best_tokens = min(best_tokens, time.process_time() - t0)
        print(f"{L.__file__} {lang}: {len(texts)} paragraphs, fold {best_fold / len(texts) * 1e6:.0f} us, "
              f"tokenize {best_tokens / len(texts) * 1e6:.0f} us a paragraph")


if __name__ == "__main__":
    main()
