"""Hybrid MRR@10 and ranked lists on XQuAD's development languages (en, es, de, zh: monolingual
and cross-lingual pairs among them), for checking that a speed change leaves retrieval as it was
(session 11). The held-out pairs (ru->es, ar->es, ru->en) are not run.

    PYTHONPATH=<checkout>:$PWD/benchmarks nice -n 10 .venv/bin/python benchmarks/dev_identity.py \
        --indexes benchmarks/out/q-index --out benchmarks/out/dev-<side>.json

`--indexes P`: P-en, P-es, P-de, P-zh are copies of benchmarks/out/index-<lang> (quality.py's).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.append(str(HERE.parent))

DEV = ["en", "es", "de", "zh"]
PAIRS = [(q, q) for q in DEV] + [("en", "es"), ("zh", "es"), ("de", "es"), ("es", "en"), ("de", "en"), ("zh", "en")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indexes", required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--mode", default="hybrid")
    args = parser.parse_args()

    from common import xquad_dir
    from qa.evaluate import _source
    from qa.retrieval import Retriever
    from qa.squad import load_squad

    data = xquad_dir()
    out = {}
    for q, p in PAIRS:
        squad = load_squad(data / f"xquad.{p}.json", data / f"xquad.{q}.json")
        by_source = {_source(i): i for i in range(len(squad.contexts))}
        r = Retriever.open(f"{args.indexes}-{p}")
        ranked, rr = [], []
        for question in squad.questions:
            hits = r.search(question.text, k=10, mode=args.mode)
            ranked.append([[by_source.get(h.source, -1), h.score] for h in hits])
            ids = [i for i, _ in ranked[-1]]
            gold = squad.gold[question.id]
            rr.append(1 / (ids.index(gold) + 1) if gold in ids else 0.0)
        r.close()
        out[f"{q}->{p}"] = {"mrr@10": sum(rr) / len(rr), "ranked": ranked}
        print(f"{q}->{p} mrr@10 {out[f'{q}->{p}']['mrr@10']:.4f}", flush=True)
    args.out.write_text(json.dumps(out))


if __name__ == "__main__":
    main()
