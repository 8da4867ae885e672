"""Where one hybrid `Retriever.search` spends its CPU, the model included (session 11, issue #14).

    PYTHONPATH=$PWD:$PWD/benchmarks nice -n 10 .venv/bin/python benchmarks/hybrid_profile.py \
        --index benchmarks/out/ix2k [--queries 200] [--mode hybrid] [--cprofile 40] [--dump out.json] [--wall]

The questions of `benchmarks/peer.py --only speed` (its seed, drawn from XQuAD's 7 languages),
each new to the question caches as there (`run_all.clear_caches` after a warm-up of 5; the
word translations a vocabulary remembers are kept, as there). Per stage: CPU of the main
thread (`time.thread_time`; `--wall`: wall time), and per search the process CPU (all threads: the lexical
searches run in a pool). `--dump`: every hit's id, score, answer and weak flag, to check
that a change leaves the results as they were.
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.append(str(HERE.parent))


def peer_questions(n: int) -> list[str]:
    from common import XQUAD_LANGS, load_xquad

    xquad = load_xquad()
    pool = [text for lang in XQUAD_LANGS for text, _ in xquad[lang]["questions"]]
    return random.Random(5).sample(pool, n)  # as benchmarks/peer.py's stage_speed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=HERE / "out" / "ix2k")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--mode", default="hybrid")
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--cprofile", type=int, default=0)
    parser.add_argument("--dump", type=Path)
    parser.add_argument("--json", type=Path, help="write the per-stage p50/mean here")
    parser.add_argument("--wall", action="store_true", help="stages in wall time, not the main thread's CPU")
    parser.add_argument("--rest", action="store_true",
                        help="split the rest too (read_shown, coverages, stored word vectors, files' check, release)")
    args = parser.parse_args()

    import qa.retrieval as R
    from qa.retrieval import Retriever
    from run_all import clear_caches

    questions = peer_questions(args.queries)
    r = Retriever.open(args.index)
    for q in questions[:5]:
        r.search(q, k=args.k, mode=args.mode)
    clear_caches(r)

    if args.cprofile:
        prof = cProfile.Profile()
        prof.enable()
        for q in questions:
            r.search(q, k=args.k, mode=args.mode)
        prof.disable()
        stats = pstats.Stats(prof)
        print(f"{len(questions)} searches; per search {stats.total_tt / len(questions) * 1000:.3f} ms (profiled)")
        stats.sort_stats("tottime").print_stats(args.cprofile)
        stats.sort_stats("cumulative").print_stats(args.cprofile)
        return

    from common import StageTimes, time_pool_calls

    timer = StageTimes(time.perf_counter if args.wall else None)
    T, wrap = timer.times, timer.wrap

    wrap(r.encoder, "encode_queries", "encoding")
    wrap(R.Query, "of", "query lang + tokens + words")
    wrap(R, "submit_lexical", "submit lexical/names/words")
    wrap(R, "vocabulary_of", "vocabulary")
    wrap(R.WordVocabulary, "recall", "words: recall + translate")
    wrap(R.WordVocabulary, "translate", "words: recall + translate")
    wrap(r.vectors, "search_many", "FAISS")
    wrap(R, "result_of", "waiting for lexical")
    wrap(R, "describe_candidates", "describe candidates")
    wrap(R, "rank_candidates", "fusion + ranking")
    pooled = time_pool_calls(R, {"lexical_top": "pool: BM25 (lexical + words)", "names_search": "pool: names (BM25 incl.)"})
    ranked: list = []
    if args.dump:  # every candidate's fused and dense score, unrounded
        rank = R.rank_candidates
        R.rank_candidates = lambda *a, **kw: ranked.append(rank(*a, **kw)) or ranked[-1]
    wrap(r.store, "passages", "hits' rows")
    wrap(R, "add_hubs", "hits' rows")
    wrap(R, "make_passages", "Passage records + answers")
    if args.rest:  # session 22: what "(rest)" held
        import qa.mapped

        wrap(R, "read_shown", "read_shown (shown rows, places)")
        wrap(R, "outside_coverages", "outside coverages")
        wrap(r.store, "stored_word_vectors", "stored word vectors")
        wrap(r._sources, "mark", "cited files checked")
        wrap(R, "answered", "mapped pages' release")
        wrap(R, "clean_questions", "clean + checks")
        wrap(R, "topics_of", "clean + checks")
        wrap(R, "prior_questions", "clean + checks")
    totals: list[float] = []
    procs: list[float] = []
    walls: list[float] = []
    stages: dict[str, list[float]] = {}
    dump = []
    for q in questions:
        T.clear()
        ranked.clear()
        w, p, t = time.perf_counter(), time.process_time(), time.thread_time()
        hits = r.search(q, k=args.k, mode=args.mode)
        totals.append(time.thread_time() - t)
        if args.wall:  # the stages are wall time: so is what they leave
            T["(rest)"] = time.perf_counter() - w - sum(T.values())
        walls.append(time.perf_counter() - w)
        procs.append(time.process_time() - p)
        T.setdefault("(rest)", totals[-1] - sum(T.values()))
        T.update(pooled)
        pooled.clear()
        for label, seconds in T.items():
            stages.setdefault(label, []).append(seconds)
        if args.dump:
            dump.append([[h.id, h.score, h.weak, h.answer and [h.answer.text, h.answer.start, h.answer.end]]
                         if hasattr(h.answer, "start") else [h.id, h.score, h.weak, str(h.answer)] for h in hits]
                        + [[list(t) for t in top] for top in ranked])

    def p50(values):
        values = sorted(values)
        return values[len(values) // 2] * 1000

    result = {}
    print(f"{args.mode} k={args.k}, {len(questions)} questions, {r.vectors.size} passages: CPU ms per search")
    print(f"{'step':32s} {'p50':>7s} {'mean':>7s}")
    for label, values in stages.items():
        values = values + [0.0] * (len(totals) - len(values))
        result[label] = (p50(values), sum(values) / len(values) * 1000)
        print(f"{label:32s} {result[label][0]:7.3f} {result[label][1]:7.3f}")
    for label, values in (("total (main thread)", totals), ("process CPU", procs), ("wall", walls)):
        result[label] = (p50(values), sum(values) / len(values) * 1000)
        print(f"{label:32s} {result[label][0]:7.3f} {result[label][1]:7.3f}")
    from common import write_outputs

    write_outputs(args, result, questions, dump)
    r.close()


if __name__ == "__main__":
    main()
