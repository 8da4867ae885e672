"""A search's question and words encoded in the calling thread, on and off in one process, question by question (session 11).

    PYTHONPATH=$PWD:$PWD/benchmarks nice -n 10 .venv/bin/python benchmarks/query_ab.py --index benchmarks/out/ix2k

`before`: a search's texts split between the USE module's two workers (batches of 8 or more
texts, as until session 11); `after`: under `qa.use.HERE_CHARS` characters, in the calling
thread. Both go through sentence-transformers' `encode_query`. Each of
benchmarks/peer.py's 200 questions is searched by both, in alternating order, every cache of a
question emptied before each search (query vectors, the words' translations, token caches), so
both sides do the whole work. Process CPU (all threads), main thread CPU, wall: p50 and mean.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.append(str(HERE.parent))


def main() -> None:
    import qa.use

    here = qa.use.HERE_CHARS
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=HERE / "out" / "ix2k")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--mode", default="hybrid")
    args = parser.parse_args()

    from hybrid_profile import peer_questions
    from qa.language import question_words
    from qa.retrieval import Retriever, vocabulary_of
    from run_all import clear_caches

    questions = peer_questions(args.queries)
    r = Retriever.open(args.index)
    for q in questions[:5]:
        r.search(q, k=10, mode=args.mode)
    vocabulary = vocabulary_of(r._view)
    times = {side: {"process": [], "thread": [], "wall": [], "encoding (process)": []} for side in ("before", "after")}
    encoding = [0.0]
    encode = r.encoder.encode_queries

    def timed(texts):  # the encoder's CPU in every thread (its workers' too)
        p = time.process_time()
        try:
            return encode(texts)
        finally:
            encoding[0] += time.process_time() - p
    r.encoder.encode_queries = timed
    for round_ in range(args.rounds):
        for j, q in enumerate(questions):
            sides = ("before", "after") if (j + round_) % 2 == 0 else ("after", "before")
            for side in sides:
                clear_caches(r)
                question_words.cache_clear()
                if vocabulary is not None:
                    vocabulary._memo.clear()
                qa.use.HERE_CHARS = here if side == "after" else 0
                encoding[0] = 0.0
                w, p, t = time.perf_counter(), time.process_time(), time.thread_time()
                r.search(q, k=10, mode=args.mode)
                times[side]["thread"].append(time.thread_time() - t)
                times[side]["process"].append(time.process_time() - p)
                times[side]["wall"].append(time.perf_counter() - w)
                times[side]["encoding (process)"].append(encoding[0])
    print(f"{args.mode}, {len(questions)} questions x {args.rounds} rounds, {r.vectors.size} passages: ms per search")
    for side, kinds in times.items():
        print(side, "  ".join(f"{kind} p50 {np.median(v) * 1000:.2f} mean {np.mean(v) * 1000:.2f}"
                              for kind, v in kinds.items()))
    r.close()


if __name__ == "__main__":
    main()
