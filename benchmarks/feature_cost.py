"""What the search features of sessions 9-13 cost one hybrid question, each switched off in turn (session 16, issue #14).

    PYTHONPATH=$PWD:$PWD/benchmarks nice -n 10 .venv/bin/python benchmarks/feature_cost.py \
        --index benchmarks/out/ix2k [--queries 200] [--rounds 2]

The questions of `benchmarks/peer.py --only speed`, each searched (hybrid, k=10) once per
variant, the variants in an order that rotates from question to question, every cache of a
question emptied before each search (query vectors, word translations, token caches), so each
search does the whole work: `all` as shipped; `no words` without word translation (no
vocabulary: the question's words neither embedded nor met, no third BM25); `no context` without
the documents' heads (`qa.context`); `no answers` without the answer sentence
(`qa.answer.best_sentence`); `dense` the dense mode. Each variant but `all` changes the results:
this measures cost, nothing else. Thread CPU of the asking thread, process CPU (all threads:
the lexical searches run in a pool), wall: p50 and mean, ms.
"""
from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.append(str(HERE.parent))

VARIANTS = ("all", "no words", "no context", "no answers", "dense")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=HERE / "out" / "ix2k")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()

    import qa.retrieval as R
    from hybrid_profile import peer_questions
    from qa.language import _question_words
    from run_all import clear_caches

    questions = peer_questions(args.queries)
    r = R.Retriever.open(args.index)
    for q in questions[:5]:
        r.search(q, k=10)
    vocabulary = R.vocabulary_of(r._view)
    shipped = r._view
    vocabulary_of, best_sentence = R.vocabulary_of, R.best_sentence

    def variant(name: str) -> str:
        r._view = dataclasses.replace(shipped, context=False) if name == "no context" else shipped
        R.vocabulary_of = (lambda *a, **kw: None) if name == "no words" else vocabulary_of
        R.best_sentence = (lambda *a, **kw: None) if name == "no answers" else best_sentence
        return "dense" if name == "dense" else "hybrid"

    times = {name: {"thread": [], "process": [], "wall": []} for name in VARIANTS}
    for round_ in range(args.rounds):
        for j, q in enumerate(questions):
            shift = (j + round_) % len(VARIANTS)
            for name in VARIANTS[shift:] + VARIANTS[:shift]:
                mode = variant(name)
                clear_caches(r)
                _question_words.cache_clear()
                if vocabulary is not None:
                    vocabulary._memo.clear()
                w, p, t = time.perf_counter(), time.process_time(), time.thread_time()
                r.search(q, k=10, mode=mode)
                times[name]["thread"].append(time.thread_time() - t)
                times[name]["process"].append(time.process_time() - p)
                times[name]["wall"].append(time.perf_counter() - w)
    variant("all")
    print(f"{len(questions)} questions x {args.rounds} rounds, {r.vectors.size} passages, hybrid k=10: ms per search")
    base = {kind: float(np.median(v)) for kind, v in times["all"].items()}
    for name, kinds in times.items():
        cells = []
        for kind, v in kinds.items():
            p50 = float(np.median(v))
            cells.append(f"{kind} p50 {p50 * 1000:6.2f} (saves {1000 * (base[kind] - p50):+6.2f}) mean {np.mean(v) * 1000:6.2f}")
        print(f"{name:11s} " + "  ".join(cells))
    r.close()


if __name__ == "__main__":
    main()
