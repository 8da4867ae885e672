"""XQuAD runs of `qa eval` (dense and hybrid, the 7 monolingual runs and the 9 cross pairs of
benchmarks/quality.py) with another model, on indexes built once with it; one JSON file per
run, so that an interrupted measurement resumes where it stopped.

    PYTHONPATH=. .venv/bin/python benchmarks/model_runs.py --model e5-small --out DIR [--modes hybrid dense]

DIR holds the indexes (`DIR/index-<lang>`, built here when missing, as `qa eval --index` does)
and the results (`DIR/eval-<model>-<q>-<p>-<mode>.json`). Each run is
`qa eval --squad xquad.<p>.json --questions xquad.<q>.json --model M --index DIR/index-<p>
--mode MODE --json`, through the same function.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.evaluate import evaluate  # noqa: E402
from quality import CROSS, LANGS  # noqa: E402

KEYS = ["mrr@10", "recall@1", "answer_hit@1", "gold_weak", "questions_per_s"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "bench" / "xquad")
    parser.add_argument("--modes", nargs="+", default=["hybrid", "dense"])
    args = parser.parse_args()
    runs = [(lang, lang) for lang in LANGS] + CROSS
    for mode in args.modes:
        for q, p in runs:
            path = args.out / f"eval-{args.model}-{q}-{p}-{mode}.json"
            if not path.exists():
                r = evaluate(args.data / f"xquad.{p}.json", args.data / f"xquad.{q}.json", model=args.model,
                             index=args.out / f"index-{p}", mode=mode)
                path.write_text(json.dumps(r, indent=1))
            r = json.loads(path.read_text())
            print(f"{q}->{p} {mode}: " + " ".join(f"{k} {r[k]:.3f}" for k in KEYS), flush=True)


if __name__ == "__main__":
    main()
