"""The words' inverted file's nprobe across languages, on mixed pools above `ANN_FROM` words
(docs/performance.md, "Session 23: a question's CPU, round 2").

A pool is a copy of peer.py's level-2000 documents keeping one XQuAD language (`p`) and the
corpus files (~970 passages, ~28,000 vocabulary words: the words' inverted file is searched),
`qa index`ed. Questions in other languages (`q`) ask it; the gold is the paragraph in `p`.
Pairs as benchmarks/quality.py splits them: dev en/de/zh->es, es/de/zh->en; held-out ru/ar->es,
ru->en. Per nprobe (alternating in one process, the vocabulary's memo emptied between them):
hybrid MRR@10, questions whose top-10 differs from the first nprobe's, thread CPU of the
inverted file's search per question word.

    PYTHONPATH=$PWD:$PWD/benchmarks nice -n 10 python benchmarks/xling_nprobe.py \\
        --pool es=/tmp/speed23-pool-es/index-qa --pool en=/tmp/speed23-pool-en/index-qa --split dev
"""
from __future__ import annotations

import argparse
import json
import time

import numpy as np

K = 10
PAIRS = {"dev": [("en", "es"), ("de", "es"), ("zh", "es"), ("es", "en"), ("de", "en"), ("zh", "en")],
         "held-out": [("ru", "es"), ("ar", "es"), ("ru", "en")]}


def main() -> None:
    import qa.retrieval as retrieval
    import qa.word_index as word_index
    from common import gold_rr, load_xquad
    from qa.retrieval import Retriever

    parser = argparse.ArgumentParser()
    parser.add_argument("--pool", action="append", required=True, help="LANG=INDEX")
    parser.add_argument("--split", choices=list(PAIRS), default="dev")
    parser.add_argument("--nprobes", default="16,8")
    parser.add_argument("--first", type=int, default=0, help="first question of each language")
    parser.add_argument("--limit", type=int, default=None, help="questions per language")
    parser.add_argument("--json", default=None)
    args = parser.parse_args()
    nprobes = [int(p) for p in args.nprobes.split(",")]
    pools = dict(p.split("=", 1) for p in args.pool)
    xq = load_xquad()

    now = {"nprobe": nprobes[0], "cpu": 0.0, "words": 0}
    search = word_index.search

    def probed(index, vectors, k):
        index.nprobe = now["nprobe"]
        c = time.thread_time()
        try:
            return search(index, vectors, k)
        finally:
            now["cpu"] += time.thread_time() - c
            now["words"] += len(vectors)

    word_index.search = probed
    met = []
    vocabulary_of = retrieval.vocabulary_of

    def remembered(view, vectors=False):
        voc = vocabulary_of(view, vectors)
        if voc is not None and all(v is not voc for v in met):
            met.append(voc)
        return voc

    retrieval.vocabulary_of = remembered
    result: dict = {"split": args.split, "pairs": {}}
    for q, p in PAIRS[args.split]:
        if p not in pools:
            continue
        retriever = Retriever.open(pools[p])
        asked = xq[q]["questions"][args.first:None if args.limit is None else args.first + args.limit]
        ranked: dict[int, list[list[str]]] = {}
        cpu: dict[int, tuple[float, int]] = {}
        for nprobe in nprobes:
            now.update(nprobe=nprobe, cpu=0.0, words=0)
            for voc in met:
                voc._memo.clear()
            retriever.encoder.clear_cache()
            ranked[nprobe] = [[h.source for h in retriever.search(text, k=K)] for text, _ in asked]
            cpu[nprobe] = (now["cpu"], now["words"])
            assert any(v.approximate for v in met), "the pool's words are not searched through the inverted file"
        retriever.close()
        met.clear()
        row = {}
        for nprobe in nprobes:
            rr = [gold_rr(found, p, idx) for found, (_, idx) in zip(ranked[nprobe], asked)]
            row[str(nprobe)] = {"mrr@10": float(np.mean(rr)),
                                "changed": sum(a != b for a, b in zip(ranked[nprobe], ranked[nprobes[0]])),
                                "ms_per_word": 1000 * cpu[nprobe][0] / max(cpu[nprobe][1], 1)}
        result["pairs"][f"{q}->{p}"] = row
        print(f"{q}->{p}", len(asked), " ".join(f"nprobe {n}: MRR@10 {r['mrr@10']:.4f} changed {r['changed']} "
                                                f"{r['ms_per_word']:.3f} ms/word" for n, r in row.items()), flush=True)
    for nprobe in nprobes:
        print(f"mean nprobe {nprobe}: MRR@10 "
              f"{np.mean([r[str(nprobe)]['mrr@10'] for r in result['pairs'].values()]):.4f}", flush=True)
    if args.json:
        from pathlib import Path
        Path(args.json).write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
