"""Approximate word translation against exact (docs/performance.md, "Session 9: approximate
word translation"; since Session 10 the approximate side is the inverted file `qa index` saved,
`words.ivf`, as a search loads it: run `qa index` on the index first).

On an index of more than `ANN_FROM` vocabulary words (default: a copy of peer.py's mixed
2.4k-passage pool, all 7 XQuAD languages plus corpus files, 51,633 words), for held-out XQuAD
questions (per language, questions 50..149; the first 50 were the development questions on
which ANN_NPROBE was chosen):
(1) per question word, whether the IVF's tokens equal the exact product's, strictly and up to
    ties (the same word in several languages has one vector: which of the tied rows the exact
    argpartition keeps is itself arbitrary), and per question whether its translated terms are
    the same set;
(2) process CPU per hybrid `Retriever.search` (k=10) of those questions, exact and approximate
    in alternating rounds (memo and query cache cleared before each), and the IVF's training;
(3) MRR@10 of both, the gold paragraph in the question's language or any translation of it.

    PYTHONPATH=$PWD:$PWD/benchmarks nice -n 10 .venv/bin/python benchmarks/words_ann.py \\
        --index benchmarks/out/mixed-index --json benchmarks/out/words_ann.json
"""
from __future__ import annotations

import argparse
import json
import time

import numpy as np

K = 10


def main() -> None:
    import qa.retrieval as retrieval
    import qa.word_translation as wt
    from common import gold_rr, xquad_sample
    from qa import word_index
    from qa.retrieval import Retriever, vocabulary_of

    parser = argparse.ArgumentParser()
    parser.add_argument("--index", default="benchmarks/out/mixed-index")
    parser.add_argument("--first", type=int, default=50)
    parser.add_argument("--per-lang", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--json", default=None)
    args = parser.parse_args()
    asked = xquad_sample(args.first, args.per_lang)
    retriever = Retriever.open(args.index)
    c, t = time.process_time(), time.perf_counter()
    voc = vocabulary_of(retriever._view)
    result: dict = {"index": args.index, "words": len(voc.tokens), "questions": len(asked),
                    "ann_from": word_index.ANN_FROM, "nprobe": word_index.NPROBE, "codec": word_index.CODEC}
    result["read_cpu_s"], result["read_wall_s"] = time.process_time() - c, time.perf_counter() - t
    assert voc._ann is not None and voc.vectors is None, "no saved inverted file: run `qa index` on the index"
    # the exact side: the same words with their vectors, met by the product
    full = retriever.store.word_vocabulary(wt.WORDS_VERSION, retriever.encoder.dimension, vectors=True)
    exact_voc = wt.WordVocabulary(full.tokens, full.vectors, full.langs, full.keys)
    assert exact_voc.keys == voc.keys
    print("words", len(voc.tokens), "read cpu %.2f s" % result["read_cpu_s"], flush=True)

    # (1) agreement per question word and per question
    per_q = [wt.content_words(q, lang) for lang, q, _ in asked]
    unique = list(dict.fromkeys(w for ws in per_q for w in ws))
    vecs = retriever.encoder.encode_queries(unique).astype(np.float32)
    exact_scores, _ = exact_voc._top(vecs)
    exact = dict(zip(unique, exact_voc._nearest(vecs)))
    _, ann_rows = voc._top(vecs)
    ann_scores = np.where(ann_rows >= 0, np.einsum("ij,ikj->ik", vecs, full.vectors[np.clip(ann_rows, 0, None)]), -1.0)
    ann_scores = np.where(voc._top(vecs)[0] >= wt.THRESHOLD, ann_scores, -1.0)  # exact cosines of the words met
    ann = dict(zip(unique, voc._nearest(vecs)))
    strict = np.mean([set(exact[w]) == set(ann[w]) for w in unique])
    key = lambda row: sorted(round(float(s), 4) for s in row if s >= wt.THRESHOLD)
    ties = np.mean([key(e) == key(a) for e, a in zip(exact_scores, ann_scores)])
    same_q = np.mean([{t for w in ws for t in exact[w]} == {t for w in ws for t in ann[w]} for ws in per_q])
    result["agreement"] = {"question_words": len(unique), "strict": float(strict), "up_to_ties": float(ties),
                           "questions_same_terms": float(same_q)}
    print("agreement", json.dumps(result["agreement"]), flush=True)

    # (2) CPU per hybrid question, alternating; (3) MRR@10 of each
    cpu: dict[str, list[float]] = {"exact": [], "ann": []}
    mrr: dict[str, dict] = {}
    for _ in range(args.rounds):
        for name in ("exact", "ann"):
            chosen = exact_voc if name == "exact" else voc
            retrieval.vocabulary_of = lambda view, vectors=False, chosen=chosen: chosen
            chosen._memo.clear()
            retriever.encoder.clear_cache()
            same, anyone = [], []
            c = time.process_time()
            hits = [[h.source for h in retriever.search(q, k=K)] for _, q, _ in asked]
            cpu[name].append(1000 * (time.process_time() - c) / len(asked))
            for (lang, _, idx), found in zip(asked, hits):
                same.append(gold_rr(found, lang, idx))
                anyone.append(gold_rr(found, lang, idx, any_translation=True))
            mrr[name] = {"same_language": float(np.mean(same)), "any_translation": float(np.mean(anyone))}
            print(name, "ms cpu/question %.1f" % cpu[name][-1], json.dumps(mrr[name]), flush=True)
    result["ms_cpu_per_question"] = cpu
    result["mrr_at_10"] = mrr
    retriever.close()
    if args.json:
        from pathlib import Path
        Path(args.json).write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
