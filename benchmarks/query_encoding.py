"""A question's encoding through sentence-transformers against qa's direct call (session 18, issue #14).

    PYTHONPATH=$PWD:$PWD/benchmarks nice -n 10 .venv/bin/python benchmarks/query_encoding.py \
        [--queries 200] [--rounds 3] [--identity 1500]

CPU (this thread) per call, p50 and mean over peer.py's questions (`hybrid_profile.peer_questions`),
the calls of a question interleaved: `SentenceTransformer.encode_query` as qa called it before
session 18 (and as benchmarks/peer.py's txtai side still does), `Encoder.encode_queries` (cache
emptied: `qa.encoder.direct_queries`), the USE runner alone (no second normalisation) and the
tokenizer alone. Then the identity: for `--identity` XQuAD questions (all languages) alone and
with their content words (as a hybrid search asks them), and for batches of more than
USE_BATCH texts, whether `direct_queries` gives sentence-transformers' vectors bit for bit.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--identity", type=int, default=1500)
    args = parser.parse_args()

    from common import XQUAD_LANGS, load_xquad
    from hybrid_profile import peer_questions
    from qa.encoder import USE_BATCH, direct_queries, encoders
    from qa.language import question_language
    from qa.retrieval import clean_question
    from qa.word_translation import content_words

    encoder = encoders.get("use-m3")
    runner = encoder._use_runner
    if runner is None:
        raise SystemExit("the default model is not served through sentence-transformers here (QA_USE_BACKEND?)")

    def through_st(texts: list[str]) -> np.ndarray:
        return encoder.model.encode_query(texts, batch_size=USE_BATCH, normalize_embeddings=True,
                                          convert_to_numpy=True, show_progress_bar=False)

    def direct(texts: list[str]) -> np.ndarray:
        encoder.clear_cache()
        return encoder.encode_queries(texts)

    calls = {"sentence-transformers encode_query": through_st, "Encoder.encode_queries (direct)": direct,
             "runner alone": runner.encode,
             "tokenizer alone": lambda texts: [runner.backend.sp.encode(t, out_type=int, add_bos=True, add_eos=True)
                                               for t in texts]}
    questions = [clean_question(q) for q in peer_questions(args.queries)]
    for q in questions[:10]:
        for call in calls.values():
            call([q])
    cpu: dict[str, list[float]] = {name: [] for name in calls}
    names = list(calls)
    for round_ in range(args.rounds):
        for j, q in enumerate(questions):
            shift = (j + round_) % len(names)
            for name in names[shift:] + names[:shift]:
                t = time.thread_time()
                calls[name]([q])
                cpu[name].append(time.thread_time() - t)
    print(f"{len(questions)} questions x {args.rounds} rounds: CPU ms per call (one question)")
    for name in names:
        print(f"{name:38s} p50 {np.median(cpu[name]) * 1000:6.3f}  mean {np.mean(cpu[name]) * 1000:6.3f}")

    xquad = load_xquad()
    pool = [text for lang in XQUAD_LANGS for text, _ in xquad[lang]["questions"]]
    rng = random.Random(1)
    checked = different = 0
    for q in rng.sample(pool, min(args.identity, len(pool))):
        q = clean_question(q)
        for texts in ([q], list(dict.fromkeys([q, *content_words(q, question_language(q))]))):
            checked += 1
            different += not np.array_equal(through_st(texts), direct_queries(runner, texts))
    for n in (USE_BATCH + 1, 600, 1000):
        texts = list(dict.fromkeys(rng.sample(pool, n) + ["", " ", "a", "x" * 3000]))
        checked += 1
        different += not np.array_equal(through_st(texts), direct_queries(runner, texts))
    print(f"identity: {checked} calls ({args.identity} XQuAD questions alone and with their content words, "
          f"3 batches over {USE_BATCH}): {different} not bit for bit equal")


if __name__ == "__main__":
    main()
