"""The vocabulary IVF's codec and nprobe, chosen on development questions (docs/performance.md,
"Session 10: word vocabulary from index time").

On an index of more than `ANN_FROM` vocabulary words (a copy of peer.py's mixed 2.4k-passage
pool), for XQuAD questions `--first`..`--first + --per-lang` of each language (dev: 0..49; the
held-out questions are 50..149, read once with `--first 50 --per-lang 100`), per candidate
(codec, nprobe), all trained on the same sample as `qa.word_index.train`:
(1) per question word, whether its top-2 cosines >= THRESHOLD equal the exact product's (up to
    ties, as benchmarks/words_ann.py counts them);
(2) thread CPU per question word, each question's new words searched in one call (as
    `WordVocabulary.translate` does), one OpenMP thread, alternating candidates over `--rounds`;
(3) MRR@10 of hybrid `Retriever.search` (k=10), the gold paragraph in the question's language.

    PYTHONPATH=$PWD:$PWD/benchmarks nice -n 10 /work/main/.venv/bin/python benchmarks/words_codec.py \\
        --index benchmarks/out/mixed-index --json benchmarks/out/words_codec.json
"""
from __future__ import annotations

import argparse
import json
import time

import numpy as np

K = 10


def main() -> None:
    import faiss

    import qa.word_translation as wt
    from common import gold_rr, xquad_sample
    from qa.retrieval import Retriever

    parser = argparse.ArgumentParser()
    parser.add_argument("--index", default="benchmarks/out/mixed-index")
    parser.add_argument("--first", type=int, default=0)
    parser.add_argument("--per-lang", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--codecs", default="flat,fp16,8bit,8bit_uniform")
    parser.add_argument("--nprobes", default="8,12,16,24")
    parser.add_argument("--mrr", action="store_true", help="end-to-end MRR@10 of every candidate too")
    parser.add_argument("--json", default=None)
    args = parser.parse_args()
    asked = xquad_sample(args.first, args.per_lang)
    retriever = Retriever.open(args.index)
    store = retriever.store
    rows = store.connection().execute("SELECT tokens, vector, lang, word FROM words WHERE uses > 0").fetchall()
    dim = retriever.encoder.dimension
    vectors = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float16).reshape(len(rows), dim).astype(np.float32)
    voc = wt.WordVocabulary([r[0].split() for r in rows], vectors, frozenset(r[2] for r in rows),
                            [(r[3], r[2]) for r in rows])
    print("words", len(rows), flush=True)

    per_q = [wt.content_words(q, lang) for lang, q, _ in asked]
    unique = list(dict.fromkeys(w for ws in per_q for w in ws))
    vecs = np.ascontiguousarray(retriever.encoder.encode_queries(unique), dtype=np.float32)
    row_of = {w: i for i, w in enumerate(unique)}
    exact_scores, _ = voc._top(vecs)  # no inverted file given: the exact product
    key = lambda row: sorted(round(float(s), 4) for s in row if s >= wt.THRESHOLD)
    exact_keys = [key(r) for r in exact_scores]

    from qa import word_index

    lists = word_index.lists_for(len(vectors))
    sample = vectors[word_index.sample_rows(len(vectors), lists)]
    built = {}
    for name in args.codecs.split(","):
        faiss.omp_set_num_threads(2)
        c = time.process_time()
        index = word_index.train(sample, lists, codec=name)  # as `qa index` trains it, with this codec
        index.add(vectors)
        built[name] = (index, time.process_time() - c)
    faiss.omp_set_num_threads(1)
    candidates = [(name, int(p)) for name in built for p in args.nprobes.split(",")]
    result: dict = {"index": args.index, "words": len(rows), "questions": len(asked), "question_words": len(unique),
                    "first": args.first, "per_lang": args.per_lang, "lists": lists, "candidates": {}}
    for name, nprobe in candidates:
        index = built[name][0]
        index.nprobe = nprobe
        scores, found = index.search(vecs, wt.NEAREST)
        # the exact cosines of the words met (approximate score >= THRESHOLD), as the exact top-2's
        cos = np.where(found >= 0, np.einsum("ij,ikj->ik", vecs, vectors[np.clip(found, 0, None)]), -1.0)
        agree = float(np.mean([sorted(round(float(c), 4) for c, s in zip(cr, sr) if s >= wt.THRESHOLD) == e
                               for cr, sr, e in zip(cos, scores, exact_keys)]))
        result["candidates"][f"{name}/{nprobe}"] = {"agreement_up_to_ties": agree, "ms_per_word": [],
                                                    "mb": index.sa_code_size() * len(rows) / 2**20 if name != "flat"
                                                    else 4 * dim * len(rows) / 2**20}
    batches = [vecs[[row_of[w] for w in ws]] for ws in per_q if ws]
    words = sum(len(b) for b in batches)
    exact_cpu = []
    for _ in range(args.rounds):
        c = time.thread_time()
        for b in batches:
            voc._top(b)
        exact_cpu.append(1000 * (time.thread_time() - c) / words)
        for name, nprobe in candidates:
            index = built[name][0]
            index.nprobe = nprobe
            c = time.thread_time()
            for b in batches:
                coarse, assigned = index.quantizer.search(b, nprobe)
                index.search_preassigned(b, wt.NEAREST, assigned, coarse)
            result["candidates"][f"{name}/{nprobe}"]["ms_per_word"].append(1000 * (time.thread_time() - c) / words)
    result["exact_ms_per_word"] = exact_cpu
    for label, found in result["candidates"].items():
        print(label, "agree %.4f" % found["agreement_up_to_ties"], "ms/word",
              " ".join("%.3f" % x for x in found["ms_per_word"]), "MB %.0f" % found["mb"], flush=True)
    print("exact ms/word", " ".join("%.3f" % x for x in exact_cpu), flush=True)

    def mrr(ann) -> float:
        voc._ann, voc._memo = ann, {}
        retriever.encoder.clear_cache()
        found = [[h.source for h in retriever.search(q, k=K)] for _, q, _ in asked]
        return float(np.mean([gold_rr(f, lang, idx) for (lang, _, idx), f in zip(asked, found)]))

    import qa.retrieval as retrieval

    retrieval.vocabulary_of = lambda view: voc  # the candidates' vocabulary for every search
    result["mrr_exact"] = mrr(None)
    print("exact MRR@10 %.4f" % result["mrr_exact"], flush=True)
    if args.mrr:
        for name, nprobe in candidates:
            index = built[name][0]
            index.nprobe = nprobe
            result["candidates"][f"{name}/{nprobe}"]["mrr"] = m = mrr(index)
            print(name, nprobe, "MRR@10 %.4f" % m, flush=True)
    retriever.close()
    if args.json:
        from pathlib import Path
        Path(args.json).write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
