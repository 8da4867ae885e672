"""qa alone: `Retriever.search_many` against `search` one question after another.

    .venv/bin/python benchmarks/search_many.py [--index DIR] [--queries 300] [--rounds 5] [--mode hybrid]
                                               [--lang CODE]

The same XQuAD questions (all languages mixed) on an index (default: the 2k-passage index
of benchmarks/peer.py), in rounds that alternate which side goes first, each call new to
qa's caches; also the query encoding alone (`encode_queries` of all against `encode_query`
of each), to show where the batch saves. Prints one JSON object: medians and ratios.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from common import OUT, XQUAD_LANGS, load_xquad, machine  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, default=OUT / "peer" / "level-2000" / "index-qa")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--mode", default="hybrid", choices=("hybrid", "dense", "lexical"))
    parser.add_argument("-k", type=int, default=10)
    parser.add_argument("--lang", action="append", help="filter: only documents in this language (repeatable)")
    args = parser.parse_args()

    from qa.retrieval import Retriever
    from run_all import clear_caches

    xquad = load_xquad()
    pool = [text for lang in XQUAD_LANGS for text, _ in xquad[lang]["questions"]]
    questions = random.Random(5).sample(pool, args.queries)
    r = Retriever.open(args.index)
    where = {"langs": args.lang} if args.lang else None
    r.search_many(questions[:5], k=args.k, mode=args.mode, where=where)  # warm
    calls = {"search": lambda: [r.search(q, k=args.k, mode=args.mode, where=where) for q in questions],
             "search_many": lambda: r.search_many(questions, k=args.k, mode=args.mode, where=where),
             "encode_one_by_one": lambda: [r.encoder.encode_query(q) for q in questions],
             "encode_queries": lambda: r.encoder.encode_queries(questions)}
    seconds: dict[str, list[float]] = {name: [] for name in calls}
    names = list(calls)
    for round_ in range(args.rounds):
        order = names if round_ % 2 == 0 else names[::-1]
        for name in order:
            clear_caches(r)
            t = time.perf_counter()
            calls[name]()
            seconds[name].append(time.perf_counter() - t)
    median = {name: float(np.median(v)) for name, v in seconds.items()}
    out = {"index": str(args.index), "passages": r.stats()["passages"], "questions": len(questions),
           "mode": args.mode, "k": args.k, "where": where, "rounds": args.rounds,
           "load_average_at_start": machine().get("load_average_at_start"),
           "questions_per_s": {name: len(questions) / s for name, s in median.items()},
           "search_many_vs_search": median["search"] / median["search_many"],
           "encode_batch_vs_one_by_one": median["encode_one_by_one"] / median["encode_queries"],
           "encode_share_of_search": median["encode_one_by_one"] / median["search"],
           "seconds": seconds}
    r.close()
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
