"""The FAISS part alone of a 1M-level comparison (benchmarks/shards_1m.py's level): CPU time
per question of one index's vector search and of every shard's in turn (one thread, as a
search runs them), for each sharded folder given, interleaved question by question, on real
XQuAD questions embedded once.

    PYTHONPATH=. .venv/bin/python benchmarks/shards_faiss.py --sharded sharded-nl2048,sharded
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import OUT, loadavg  # noqa: E402
from run_all import questions  # noqa: E402

from qa.vectors import _ivf_search  # noqa: E402


def main() -> None:
    import faiss

    from qa.retrieval import Retriever

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--level", type=int, default=1_000_000)
    ap.add_argument("--sharded", default="sharded")
    ap.add_argument("--questions", type=int, default=300)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--faiss-search", action="store_true",
                    help="FAISS's IndexIVF.search instead of qa's two steps (qa.vectors._ivf_search)")
    ap.add_argument("--n", type=int, default=50, help="neighbours asked (qa asks max(50, 2k))")
    args = ap.parse_args()
    work = OUT / f"shards-{args.level}"
    names = [n for n in args.sharded.split(",") if n]
    sides = {"one": Retriever.open(work / "one"), **{n: Retriever.open(work / n) for n in names}}
    indexes = {"one": [sides["one"].vectors.index],
               **{n: [s.vectors.index for s in sides[n].shards] for n in names}}
    for name, idx in indexes.items():
        print(name, [(faiss.extract_index_ivf(i).nlist, faiss.extract_index_ivf(i).nprobe) for i in idx])
    qs = [q for _, q, _ in questions(args.questions // 7 + 1)][:args.questions]
    qvecs = np.ascontiguousarray(sides["one"].encoder.encode_queries(qs), dtype=np.float32)
    faiss.omp_set_num_threads(1)
    cpu = {name: [] for name in indexes}
    print("load before", loadavg())
    for r in range(args.rounds):
        for i, v in enumerate(qvecs):
            order = list(indexes)
            turn = (i + r) % len(order)
            for name in order[turn:] + order[:turn]:
                c = time.process_time()
                for index in indexes[name]:
                    if args.faiss_search:
                        index.search(v.reshape(1, -1), args.n)
                    else:  # as qa.vectors.VectorIndex.search_many calls it
                        _ivf_search(index, v.reshape(1, -1), args.n)
                cpu[name].append(time.process_time() - c)
    print("load after", loadavg())
    one = np.mean(cpu["one"]) * 1000
    for name, values in cpu.items():
        a = np.asarray(values) * 1000
        print(f"{name}: CPU per question mean {a.mean():.2f} ms, p50 {np.percentile(a, 50):.2f}, "
              f"p95 {np.percentile(a, 95):.2f}; mean / one {a.mean() / one:.2f}x")
    for side in sides.values():
        side.close()


if __name__ == "__main__":
    main()
