"""Where one `Retriever.search` spends its CPU besides encoding the question (session 8, issue #14).

    PYTHONPATH=$PWD .venv/bin/python benchmarks/search_profile.py [--index benchmarks/out/stored/index]
        [--k 10] [--questions 300] [--cprofile 40]

On the index `benchmarks/stored_tokens.py` builds (XQuAD's 1,680 paragraphs), the questions it
samples: warm-up, then each question searched once per pass (query vectors cached beforehand,
so the model's time is out of the figures; the other caches of a question emptied before each pass) with every function of the read path's modules timed by
cProfile (`--cprofile N`: the N costliest by own time and by cumulative time), or with
`time.thread_time` around the steps of `search_many` (default): CPU p50 and mean per step.
"""
from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.append(str(HERE.parent))  # after PYTHONPATH: another checkout can be measured


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=HERE / "out" / "stored" / "index")
    parser.add_argument("--questions-file", type=Path, default=HERE / "out" / "stored" / "questions.json")
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--questions", type=int, default=300)
    parser.add_argument("--cprofile", type=int, default=0, help="print the N costliest functions (cProfile)")
    parser.add_argument("--passes", type=int, default=3, help="times each question is searched (timing)")
    args = parser.parse_args()

    import qa.retrieval as R
    from qa.retrieval import Retriever

    questions = [R.clean_question(q) for q in json.loads(args.questions_file.read_text())[:args.questions]]
    r = Retriever.open(args.index)
    for q in ("warm up the path", "Wie geht das?", "comment ça marche"):
        r.search(q, k=args.k)

    def clear() -> None:
        """Forget what a search caches of its question (as benchmarks/stored_tokens.py does);
        the query vectors stay cached: the model is not what is measured here."""
        r.encoder._sentences.clear()
        for module, name in (("qa.answer", "token_set"), ("qa.answer", "sentence_tokens"),
                             ("qa.sentences", "_cached_spans"), ("qa.language", "question_words")):
            fn = getattr(__import__(module, fromlist=[name]), name, None)
            if fn is not None:
                fn.cache_clear()

    r.encoder.encode_queries(questions)

    if args.cprofile:
        clear()
        prof = cProfile.Profile()
        prof.enable()
        for q in questions:
            r.search(q, k=args.k)
        prof.disable()
        stats = pstats.Stats(prof)
        print(f"{len(questions)} searches, k={args.k}; per search: total {stats.total_tt / len(questions) * 1000:.3f} ms "
              "(with cProfile's overhead)")
        stats.sort_stats("tottime").print_stats(args.cprofile)
        stats.sort_stats("cumulative").print_stats(args.cprofile)
        return

    from common import StageTimes

    timer = StageTimes()
    T, wrap = timer.times, timer.wrap

    wrap(r.encoder, "encode_queries", "encoding (cached)")
    wrap(R.Query, "of", "query language + tokens")
    wrap(R, "submit_lexical", "lexical submit")
    wrap(r.vectors, "search_many", "FAISS")
    wrap(R, "result_of", "waiting for lexical")
    wrap(R, "describe_candidates", "describe candidates")
    wrap(R, "rank_candidates", "fusion + ranking")
    wrap(r.store, "passages", "hits' rows")
    wrap(R, "add_hubs", "hits' rows")
    wrap(R, "make_passages", "Passage records + answers")
    totals: list[float] = []
    stages: dict[str, list[float]] = {}
    for _ in range(args.passes):
        clear()
        for q in questions:
            T.clear()
            t = time.thread_time()
            r.search(q, k=args.k)
            totals.append(time.thread_time() - t)
            T["(unwrapped)"] = totals[-1] - sum(T.values())
            for label, seconds in T.items():
                stages.setdefault(label, []).append(seconds)

    def p50(values):
        values = sorted(values)
        return values[len(values) // 2] * 1000

    print(f"k={args.k}, {len(questions)} questions x {args.passes}: CPU ms per search (main thread)")
    print(f"{'step':32s} {'p50':>7s} {'mean':>7s}")
    for label, values in stages.items():
        values = values + [0.0] * (len(totals) - len(values))
        print(f"{label:32s} {p50(values):7.3f} {sum(values) / len(values) * 1000:7.3f}")
    print(f"{'total':32s} {p50(totals):7.3f} {sum(totals) / len(totals) * 1000:7.3f}")


if __name__ == "__main__":
    main()
