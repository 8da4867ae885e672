"""XQuAD monolingual runs of a few languages and modes, without writing docs/quality.md
(benchmarks/quality.py runs everything and rewrites it): a before/after check of a change.

    PYTHONPATH=. python benchmarks/xquad_subset.py [--langs en es zh ar] [--modes lexical hybrid] [--tag before]

Indexes under benchmarks/out/index-<lang> (as quality.py); results to benchmarks/out/xquad-subset-<tag>.json.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import OUT, xquad_dir  # noqa: E402
from qa.evaluate import evaluate  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--langs", nargs="+", default=["en", "es", "zh", "ar"])
    ap.add_argument("--modes", nargs="+", default=["lexical", "hybrid"])
    ap.add_argument("--tag", default="run")
    args = ap.parse_args()
    data = xquad_dir()
    results: dict = {}
    for lang in args.langs:
        for mode in args.modes:
            r = evaluate(data / f"xquad.{lang}.json", index=OUT / f"index-{lang}", mode=mode)
            results[f"{lang} {mode}"] = {k: r[k] for k in ("mrr@10", "recall@1", "answer_hit@1", "gold_weak")}
            print(f"{lang} {mode}: mrr@10 {r['mrr@10']:.4f} r@1 {r['recall@1']:.4f} "
                  f"hit {r['answer_hit@1']:.4f} weak {r['gold_weak']:.4f}", flush=True)
    (OUT / f"xquad-subset-{args.tag}.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
