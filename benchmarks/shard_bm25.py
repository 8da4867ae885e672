"""The sharded BM25's cost at a larger size: one index against 4 shards of `--level` passages.

    PYTHONPATH=. nice -n 10 .venv/bin/python benchmarks/shard_bm25.py [--level 100000] [--shards 4]
                                                                      [--questions 300] [--tag NAME]

Build (once, kept in benchmarks/out/shard_bm25-<level>/): the 1,680 XQuAD paragraphs of the 7
languages (one file each, cut and tokenized in their language) written again under other
paths until `--level` passages (`copy<i>/...`), as `benchmarks/shards_1m.py` builds its levels:
the same rows in one index and in the shard `qa.shards.shard_of` gives each file; the vectors
are the stored USE-m3 vectors of `benchmarks/shard_parity.py`'s one index plus noise (no model
call). Above 50,000 passages the lexical search prunes common terms (`qa.lexical_plan`) and
words are not translated: what is left is BM25 of the question's tokens.

Measure: the first `--questions` XQuAD questions spread over the 7 languages, asked of both in
lexical and hybrid mode (k=10), two passes (the second timed: process CPU of all threads); the
top-10 of both compared (passages, order, scores); and, in isolation per shard, FTS5's `bm25()`
of one index against `Store.lexical_stats` + `Store.bm25_with` summed over the shards, for the
same questions' planned terms (`--isolated`: only that, best of 3 rounds). Writes benchmarks/out/shard_bm25[-TAG].json.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from common import OUT, XQUAD_LANGS, load_xquad, loadavg, machine, save_json  # noqa: E402


def parsed_xquad(base: Path, xquad: dict) -> list:
    """XQuAD's paragraphs as files under `base` / corpus, cut into passages (`run_all._light_prepare`)."""
    from run_all import _light_prepare

    corpus, out = base / "corpus", []
    for lang in XQUAD_LANGS:
        (corpus / lang).mkdir(parents=True, exist_ok=True)
        for i, text in enumerate(xquad[lang]["contexts"]):
            path = corpus / lang / f"p{i:04d}.txt"
            if not path.exists():
                path.write_text(text, encoding="utf-8")
            item = _light_prepare((str(path), lang))
            if item is not None:
                out.append((path, lang, item))
    return out


def build(work: Path, level: int, shards: int) -> None:
    import shards_1m
    from qa.layout import current_data
    from qa.store import DB_NAME, Store

    if (work / "build.json").exists():
        return
    parsed = parsed_xquad(work, load_xquad())
    store = Store(current_data(OUT / "shard_parity" / "one") / DB_NAME)
    _, pool = store.all_vectors(512)
    store.close()
    shards_1m.DATA = work  # rows' sources relative to work / corpus
    t = time.perf_counter()
    out = shards_1m.build(level, shards, work, parsed, np.ascontiguousarray(pool, dtype=np.float32))
    out["build_seconds"] = time.perf_counter() - t
    save_json(work / "build.json", out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--level", type=int, default=100_000)
    ap.add_argument("--shards", type=int, default=4)
    ap.add_argument("--questions", type=int, default=300)
    ap.add_argument("--tag", default="")
    ap.add_argument("--isolated", action="store_true", help="only the shards' BM25 in isolation (best of 3 rounds)")
    args = ap.parse_args()
    work = OUT / f"shard_bm25-{args.level}"
    build(work, args.level, args.shards)

    from qa import Retriever
    from qa.retrieval import Query
    from qa.sharded import collection_stats

    xquad = load_xquad()
    per = -(-args.questions // len(XQUAD_LANGS))
    questions = [q for lang in XQUAD_LANGS for q, _ in xquad[lang]["questions"][:per]][:args.questions]
    sides = {"one": Retriever.open(work / "one"), "sharded": Retriever.open(work / "sharded")}
    result: dict = {"machine": machine(), "load_start": loadavg(), "questions": len(questions),
                    "command": "benchmarks/shard_bm25.py " + " ".join(sys.argv[1:]),
                    "build": json.loads((work / "build.json").read_text()),
                    "passages": {s: r.stats()["passages"] for s, r in sides.items()}}
    for q in questions[:20]:
        for r in sides.values():
            r.search(q, k=10, mode="hybrid")
    for mode in () if args.isolated else ("lexical", "hybrid"):
        hits = {s: [r.search(q, k=10, mode=mode) for q in questions] for s, r in sides.items()}
        cpu = {}
        for s, r in sides.items():
            t = time.process_time()
            for q in questions:
                r.search(q, k=10, mode=mode)
            cpu[s] = (time.process_time() - t) / len(questions) * 1000
        a, b = hits["one"], hits["sharded"]
        result[mode] = {
            "cpu_ms_per_question": cpu,
            "top10_identical": sum([(h.source, h.paragraph) for h in x] == [(h.source, h.paragraph) for h in y]
                                   for x, y in zip(a, b)) / len(questions),
            "max_score_diff": max((abs(x.score - y.score) for p, q in zip(a, b) for x, y in zip(p, q)), default=0.0),
        }
        print(mode, json.dumps(result[mode]), flush=True)
    # in isolation: FTS5's bm25() of one index against the statistics and `bm25_with` of every shard
    from qa.lexical_plan import PRUNE_FROM_PASSAGES, lexical_search, plan_terms

    one, shards = sides["one"]._view, [s._view for s in sides["sharded"].shards]
    tokens = [list(dict.fromkeys(Query.of(q, "lexical").tokens or ())) for q in questions]
    rounds = []
    postings = 0
    for rnd in range(4 if args.isolated else 2):
        timings = {"fts5_one": 0.0, "stats_shards": 0.0, "bm25_with_shards": 0.0}
        for terms in tokens:
            if not terms:
                continue
            t = time.process_time()
            lexical_search(one.store, terms, 50)
            t1 = time.process_time()
            stats = collection_stats(shards, terms)
            t2 = time.process_time()
            for v in shards:
                lexical_search(v.store, terms, 50, stats=stats)
            t3 = time.process_time()
            timings["fts5_one"] += t1 - t
            timings["stats_shards"] += t2 - t1
            timings["bm25_with_shards"] += t3 - t2
            if rnd == 0:
                kept = plan_terms(terms, stats.shares() if stats.rows >= PRUNE_FROM_PASSAGES else None)
                postings += sum(stats.df.get(x, 0) for x in kept)
        if rnd:  # the first round warms up
            rounds.append(timings)
    timings = {k: min(r[k] for r in rounds) for k in rounds[0]}  # best of the rounds
    result["isolated_ms_per_question"] = {k: v / len(questions) * 1000 for k, v in timings.items()}
    result["postings_per_question"] = postings / len(questions)
    print(json.dumps(result["isolated_ms_per_question"]), result["postings_per_question"], flush=True)
    result["load_end"] = loadavg()
    for r in sides.values():
        r.close()
    save_json(OUT / f"shard_bm25{'-' + args.tag if args.tag else ''}.json", result)


if __name__ == "__main__":
    main()
