"""CPU of one hybrid question in the checkout on `PYTHONPATH` (session 16, issue #14: word
translation where it pays), to run in alternating processes of two checkouts or variants.

    PYTHONPATH=<checkout>:$PWD/benchmarks nice -n 10 .venv/bin/python benchmarks/word_skip_cpu.py \
        --index benchmarks/out/ix2k [--queries 200] [--rounds 2] [--keep-memo] [--cap N] [--stored] [--label L]

The questions of `benchmarks/peer.py --only speed` (hybrid, k=10), each searched once per round
after a warm-up of 5, every cache of a question emptied before each search (query vectors, token
caches, and the word translations a vocabulary remembers unless `--keep-memo`), as
benchmarks/feature_cost.py does. Prints process CPU (all threads) and main-thread CPU, p50 and
mean, ms, and the share of questions whose words were translated.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=HERE / "out" / "ix2k")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--keep-memo", action="store_true")
    parser.add_argument("--label", default="")
    parser.add_argument("--stored", action="store_true", help="`word_skip.words_from_store` (prototype)")
    parser.add_argument("--cap", type=int, help="translate only each question's N longest content words (`word_skip.cap_question_words`)")
    args = parser.parse_args()

    import qa.retrieval as R
    from hybrid_profile import peer_questions
    from qa.language import _question_words
    from run_all import clear_caches

    if args.cap:
        from word_skip import cap_question_words

        cap_question_words(args.cap)
    questions = peer_questions(args.queries)
    r = R.Retriever.open(args.index)
    if args.stored:
        from word_skip import words_from_store

        words_from_store(r.store)
    for q in questions[:5]:
        r.search(q, k=10)
    vocabulary = R.vocabulary_of(r._view)
    translated = [0]
    recall = type(vocabulary).recall if vocabulary is not None else None

    def counting(self, words):
        translated[0] += bool(words)
        return recall(self, words)

    process, thread = [], []
    for _ in range(args.rounds):
        for q in questions:
            clear_caches(r)
            _question_words.cache_clear()
            if vocabulary is not None and not args.keep_memo:
                vocabulary._memo.clear()
            p, t = time.process_time(), time.thread_time()
            r.search(q, k=10)
            thread.append(time.thread_time() - t)
            process.append(time.process_time() - p)
    # which questions translate their words: one more pass, those with words to translate counted
    if vocabulary is not None:
        type(vocabulary).recall = counting
        for q in questions:
            vocabulary._memo.clear()
            r.search(q, k=10)
        type(vocabulary).recall = recall
    ms = lambda v: round(1000 * float(v), 3)  # noqa: E731
    print(json.dumps({"label": args.label, "questions": len(questions), "rounds": args.rounds,
                      "process_p50": ms(np.median(process)), "process_mean": ms(np.mean(process)),
                      "thread_p50": ms(np.median(thread)), "thread_mean": ms(np.mean(thread)),
                      "translated": translated[0] / len(questions), "keep_memo": args.keep_memo,
                      "cap": args.cap, "stored": args.stored}), flush=True)
    r.close()


if __name__ == "__main__":
    main()
