"""Lexical mode's cost at `benchmarks/shard_bm25.py`'s level (issue #14), one index, and its answers.

    PYTHONPATH=. nice -n 10 .venv/bin/python benchmarks/lexical_level.py [--level 100000] [--questions 105]
                                                                        [--modes lexical,hybrid] [--tag NAME]

Opens benchmarks/out/shard_bm25-<level>/one (built by `shard_bm25.py`), asks its first
`--questions` XQuAD questions (spread over the 7 languages, as `shard_bm25.py` asks them) in each
mode, k=10, one warm-up pass then a timed one (process CPU, all threads); counts how many
candidates each question's searches took (`widen_short`'s passes) and dumps every hit (passage,
score, weak flag, answer span) to benchmarks/out/lexical_level[-TAG]-<mode>.json, to compare two
checkouts' answers with `cmp`. The summary goes to benchmarks/out/lexical_level[-TAG].json.
`--passes`: only the CPU a question of one lexical search pass of 50, 200 and 800 candidates.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from common import OUT, XQUAD_LANGS, load_xquad, loadavg, machine, save_json  # noqa: E402


def hit_record(h) -> dict:
    """Every field of a hit (its answer too), as JSON can hold it."""
    return json.loads(json.dumps(asdict(h), default=str))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--level", type=int, default=100_000)
    ap.add_argument("--questions", type=int, default=105)
    ap.add_argument("--modes", default="lexical,hybrid")
    ap.add_argument("--tag", default="")
    ap.add_argument("--passes", action="store_true",
                    help="only: lexical mode's CPU a question of one search pass of 50, 200 and 800 candidates")
    args = ap.parse_args()

    import qa.retrieval as retrieval
    from qa import Retriever

    xquad = load_xquad()
    per = -(-args.questions // len(XQUAD_LANGS))
    questions = [q for lang in XQUAD_LANGS for q, _ in xquad[lang]["questions"][:per]][:args.questions]
    r = Retriever.open(OUT / f"shard_bm25-{args.level}" / "one")
    passes: list[int] = []
    widen = retrieval.widen_short

    def counted(qs, priors, k, passages, search):  # candidates asked for, per pass
        def each(q, p, n):
            passes.append(n)
            return search(q, p, n)
        return widen(qs, priors, k, passages, each)

    if args.passes:  # the searcher's pass with that many candidates, as `widen_short` asks it
        view = r._view
        for q in questions:
            r.search(q, k=10, mode="lexical")
        for n in (50, 200, 800):
            t = time.process_time()
            for q in questions:
                r._search_with(view, [q], [None], 10, "lexical", None, n)
            print(n, round((time.process_time() - t) / len(questions) * 1000, 1), flush=True)
        r.close()
        return
    retrieval.widen_short = counted
    tag = f"-{args.tag}" if args.tag else ""
    result: dict = {"machine": machine(), "load_start": loadavg(), "questions": len(questions),
                    "command": "benchmarks/lexical_level.py " + " ".join(sys.argv[1:])}
    for mode in args.modes.split(","):
        hits = [r.search(q, k=10, mode=mode) for q in questions]  # warm-up
        passes.clear()
        t, w = time.process_time(), time.perf_counter()
        for q in questions:
            r.search(q, k=10, mode=mode)
        cpu = (time.process_time() - t) / len(questions) * 1000
        wall = (time.perf_counter() - w) / len(questions) * 1000
        result[mode] = {"cpu_ms_per_question": cpu, "wall_ms_per_question": wall,
                        "passes": {str(n): passes.count(n) for n in sorted(set(passes))}}
        print(mode, json.dumps(result[mode]), flush=True)
        (OUT / f"lexical_level{tag}-{mode}.json").write_text(
            json.dumps([[hit_record(h) for h in hs] for hs in hits], ensure_ascii=False))
    result["load_end"] = loadavg()
    r.close()
    save_json(OUT / f"lexical_level{tag}.json", result)


if __name__ == "__main__":
    main()
