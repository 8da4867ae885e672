"""CPU per search stage of one checkout, for before/after comparisons across checkouts (session 13, issue #14).

    PYTHONPATH=<checkout>:$PWD/benchmarks nice -n 10 .venv/bin/python benchmarks/search_cost.py \
        --index INDEX [--queries 300] [--mode hybrid] [--k 10] [--json out.json] [--dump hits.json]

benchmarks/peer.py's questions (XQuAD's 7 languages, `hybrid_profile.peer_questions`). Pass 1:
each question new to every cache of a question (`run_all.clear_caches` after a warm-up), the
model included, as `hybrid_profile.py` measures. Passes 2-3 (`--passes`): the question vectors
and word translations kept, the other caches of a question emptied before each pass, so that
what is left is the search path itself. Per stage: `time.thread_time` of the asking thread,
`pool:` the lexical threads' CPU, process CPU of all threads; p50 and mean ms. Works with older
checkouts: a stage their code does not have is not timed. `--dump`: every hit's id, unrounded
score, weak flag, answer, section and `also_in`, for identity checks.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.append(str(HERE.parent))  # after PYTHONPATH: another checkout can be measured


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--mode", default="hybrid")
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--dump", type=Path)
    args = parser.parse_args()

    import qa.retrieval as R
    from qa.retrieval import Retriever
    from common import StageTimes, time_pool_calls
    from hybrid_profile import peer_questions
    from run_all import clear_caches

    questions = peer_questions(args.queries)
    r = Retriever.open(args.index)
    # every question vector and word of the warm passes kept (300 questions and their words pass
    # the default 1,024 of an LRU cache, which would encode them all again)
    r.encoder._cache_size = 1 << 20
    for q in ("warm up the path", "Wie geht das?", "comment ça marche"):
        r.search(q, k=args.k, mode=args.mode)
    clear_caches(r)

    def clear_question_caches() -> None:  # all but the question vectors (and words' translations)
        from qa.answer import token_set
        from qa.sentences import _cached_spans
        import qa.answer
        token_set.cache_clear()
        _cached_spans.cache_clear()
        if hasattr(qa.answer, "sentence_tokens"):
            qa.answer.sentence_tokens.cache_clear()
        r.encoder._sentences.clear()

    timer = StageTimes()
    T, wrap = timer.times, timer.wrap
    store = r._view.store
    wrap(r.encoder, "encode_queries", "encoding")
    wrap(R.Query, "of", "query lang + tokens + words")
    wrap(R, "submit_lexical", "submit lexical/names/words")
    wrap(R, "vocabulary_of", "vocabulary")
    wrap(R.WordVocabulary, "recall", "words: recall + translate")
    wrap(R.WordVocabulary, "translate", "words: recall + translate")
    wrap(r._view.vectors, "search_many", "FAISS")
    wrap(R, "result_of", "waiting for lexical")
    wrap(R, "describe_candidates", "describe candidates")
    wrap(R, "rank_candidates", "fusion + ranking")
    for obj, name, label in ((store, "places", "spare places (texts, citations)"),
                             (R, "distinct_top", "distinct_top"),
                             (store, "passages", "hits' rows"), (R, "add_hubs", "hits' rows"),
                             (R, "make_passages", "Passage records + answers")):
        if hasattr(obj, name):
            wrap(obj, name, label)
    pooled = time_pool_calls(R, {"lexical_top": "pool: BM25 (lexical + words)", "names_search": "pool: names"})

    def p50(values):
        values = sorted(values)
        return values[len(values) // 2] * 1000

    result: dict = {"passages": r._view.vectors.size, "questions": len(questions), "mode": args.mode}
    dump = []
    for pass_ in range(args.passes):
        if pass_:
            clear_question_caches()
        stages: dict[str, list[float]] = {}
        totals, procs = [], []
        for q in questions:
            T.clear()
            p, t = time.process_time(), time.thread_time()
            hits = r.search(q, k=args.k, mode=args.mode)
            totals.append(time.thread_time() - t)
            procs.append(time.process_time() - p)
            T["(rest)"] = totals[-1] - sum(T.values())
            T.update(pooled)
            pooled.clear()
            for label, seconds in T.items():
                stages.setdefault(label, []).append(seconds)
            if args.dump and pass_ == 0:
                dump.append([[h.id, h.score, h.weak, str(h.answer), getattr(h, "section", None),
                              getattr(h, "also_in", None)] for h in hits])
        kind = "cold" if pass_ == 0 else "warm"
        out = result.setdefault(kind, {})
        for label, values in stages.items():
            values = values + [0.0] * (len(totals) - len(values))
            out.setdefault(label, []).append((p50(values), sum(values) / len(values) * 1000))
        for label, values in (("total (main thread)", totals), ("process CPU", procs)):
            out.setdefault(label, []).append((p50(values), sum(values) / len(values) * 1000))
    for kind in ("cold", "warm"):
        if kind not in result:
            continue
        print(f"{kind}: {args.mode} k={args.k}, {len(questions)} questions, {result['passages']} passages: "
              "CPU ms per search (p50 / mean; warm: median over passes)")
        for label, runs in result[kind].items():
            runs = sorted(runs)
            m = runs[len(runs) // 2]
            result[kind][label] = m
            print(f"  {label:34s} {m[0]:7.3f} {m[1]:7.3f}")
    from common import write_outputs

    write_outputs(args, result, questions, dump)
    r.close()


if __name__ == "__main__":
    main()
