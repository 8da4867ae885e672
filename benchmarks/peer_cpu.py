"""qa and txtai side by side in CPU time per question, not wall (session 16, issue #14).

    PYTHONPATH=$PWD:$PWD/benchmarks nice -n 10 .venv/bin/python benchmarks/peer_cpu.py \
        [--index benchmarks/out/peer/level-2000/index-qa] [--queries 200] [--rounds 2]

benchmarks/peer.py's latency comparison (its questions, its txtai set-up over the passages qa
cut, every question new to qa's caches) measured as process CPU (all threads) and wall, the
four searches of a question (qa hybrid, qa dense, txtai hybrid, txtai dense) in an order that
rotates from question to question. On a machine shared with other work the wall time of a
search is mostly waiting for a core (peer.py's ratios moved 0.85-1.46 between runs minutes
apart): its CPU time is what the two sides' own work costs.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=HERE / "out" / "peer" / "level-2000" / "index-qa")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()

    # qa first, from PYTHONPATH (another checkout can be measured): peer.py puts this one's first
    import qa
    from qa.encoder import encoders
    from qa.language import _question_words
    from qa.retrieval import Retriever, vocabulary_of

    from hybrid_profile import peer_questions
    from peer import K, Txtai, known_vectors, qa_rows
    from run_all import clear_caches

    questions = peer_questions(args.queries)
    encoder = encoders.get("use-m3")
    rows = qa_rows(args.index)
    retriever = Retriever.open(args.index)
    known = known_vectors(args.index, rows)
    txt = {mode: Txtai(encoder, hybrid=mode == "hybrid", known=known) for mode in ("hybrid", "dense")}
    for side in txt.values():
        side.index([(i, t) for i, t, _ in rows])
    for text in questions[:5]:  # warm every path
        for mode in ("hybrid", "dense"):
            retriever.search(text, k=K, mode=mode)
            txt[mode].search(text)
    calls = {"qa hybrid": lambda q: retriever.search(q, k=K, mode="hybrid"),
             "qa dense": lambda q: retriever.search(q, k=K, mode="dense"),
             "txtai hybrid": txt["hybrid"].search, "txtai dense": txt["dense"].search}
    names = list(calls)
    cpu: dict[str, list[float]] = {name: [] for name in names}
    wall: dict[str, list[float]] = {name: [] for name in names}
    vocabulary = vocabulary_of(retriever._view)
    for round_ in range(args.rounds):
        # each round as peer.py's one pass: the words translated and the questions' word breaks
        # kept from question to question, not from an earlier round
        if vocabulary is not None:
            vocabulary._memo.clear()
        _question_words.cache_clear()
        for j, q in enumerate(questions):
            shift = (j + round_) % len(names)
            for name in names[shift:] + names[:shift]:
                clear_caches(retriever)  # as peer.py: the question's vector is new to qa
                w, p = time.perf_counter(), time.process_time()
                calls[name](q)
                cpu[name].append(time.process_time() - p)
                wall[name].append(time.perf_counter() - w)
    p50 = {name: float(np.median(v)) * 1000 for name, v in cpu.items()}
    print(f"qa from {Path(qa.__file__).parent}; {len(questions)} questions x {args.rounds} rounds, "
          f"{len(rows)} passages, k={K}: ms per search")
    for name in names:
        print(f"{name:13s} process CPU p50 {p50[name]:6.2f} mean {np.mean(cpu[name]) * 1000:6.2f}   "
              f"wall p50 {np.median(wall[name]) * 1000:6.2f}")
    print(f"CPU p50 ratios: hybrid qa/txtai {p50['qa hybrid'] / p50['txtai hybrid']:.2f} (goal <= 0.8), "
          f"dense qa/txtai {p50['qa dense'] / p50['txtai dense']:.2f}, "
          f"qa hybrid / txtai dense {p50['qa hybrid'] / p50['txtai dense']:.2f} (goal <= 1)")
    retriever.close()


if __name__ == "__main__":
    main()
