"""A question's encoding with its words, three ways (session 11, issue #14).

    PYTHONPATH=$PWD:$PWD/benchmarks nice -n 10 .venv/bin/python benchmarks/query_encode.py

On peer.py's 200 questions, each with its content words (`Query.of(q, "hybrid").content`, what a
hybrid search encodes with it when the index holds other languages):
1. identity: `qa.encoder._use_queries` against sentence-transformers' `encode_query`, bit for
   bit, on the batches below 8 texts (the others are encoded in one thread on purpose) and on
   XQuAD batches of 40 questions;
2. the batches of 8 or more texts split between the encoder's workers (`UseRunner.encode`,
   as before) or encoded in the calling thread (`encode_here`), alternating: wall and process CPU;
3. one call for the question and its words against the question alone plus its words through
   `encode_words` (the index-time path), alternating: process CPU.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.append(str(HERE.parent))


def main() -> None:
    from common import XQUAD_LANGS, load_xquad
    from hybrid_profile import peer_questions
    from qa.encoder import _use_queries, encoders
    from qa.retrieval import Query

    encoder = encoders.get(None)
    runner = encoder.model[0].runner
    batches = [list(dict.fromkeys([q] + Query.of(q, "hybrid").content)) for q in peer_questions(200)]
    xquad = load_xquad()
    pool = [t for lang in XQUAD_LANGS for t, _ in xquad[lang]["questions"][:120]]
    large = [pool[i:i + 40] for i in range(0, len(pool), 40)]

    def through(texts):
        return np.asarray(encoder.model.encode_query(texts, batch_size=256, normalize_embeddings=True,
                                                     convert_to_numpy=True, show_progress_bar=False), np.float32)
    checked = [b for b in batches if len(b) < 8] + large
    differ = sum(not np.array_equal(_use_queries(encoder.model, b), through(b)) for b in checked)
    print(f"1. identity: {len(checked)} batches, {differ} differ from sentence-transformers")

    big = [b for b in batches if len(b) >= 8]
    ways = {"split (before)": runner.encode, "one thread (after)": runner.encode_here}
    wall = {name: [] for name in ways}
    cpu = {name: [] for name in ways}
    for round_ in range(4):
        for b in big:
            for name in (list(ways) if round_ % 2 == 0 else list(ways)[::-1]):
                w, p = time.perf_counter(), time.process_time()
                ways[name](b)
                wall[name].append(time.perf_counter() - w)
                cpu[name].append(time.process_time() - p)
    print(f"2. {len(big)} of {len(batches)} questions with 8 or more texts, "
          f"{np.mean([sum(map(len, b)) for b in big]):.0f} characters on average:")
    for name in ways:
        print(f"   {name:20s} wall p50 {np.median(wall[name]) * 1000:.2f} ms, process CPU p50 "
              f"{np.median(cpu[name]) * 1000:.2f} ms")

    ways = {"one call": lambda b: runner.encode_here(b),
            "question + encode_words": lambda b: (runner.encode_here(b[:1]), runner.encode_words(b[1:]))}
    cpu = {name: [] for name in ways}
    with_words = [b for b in batches if len(b) > 1]
    for round_ in range(2):
        for b in with_words:
            for name in (list(ways) if round_ % 2 == 0 else list(ways)[::-1]):
                p = time.process_time()
                ways[name](b)
                cpu[name].append(time.process_time() - p)
    print(f"3. {len(with_words)} questions with words: " + ", ".join(
        f"{name} p50 {np.median(v) * 1000:.2f} ms" for name, v in cpu.items()))


if __name__ == "__main__":
    main()
