"""Two checkouts of qa measured in alternating processes on this machine (one run, medians):
the cold `qa ask`, the peak RSS of a process serving an index, and `Retriever.search`
latency per stage. For before/after comparisons on a shared machine, where only
interleaved runs are comparable.

    python benchmarks/compare_checkouts.py cold    --old ../main --index /tmp/seed-index -n 5
    python benchmarks/compare_checkouts.py memory  --old ../main --index benchmarks/out/level-100000/index
    python benchmarks/compare_checkouts.py latency --old ../main --index /tmp/xquad-en -n 210 --rounds 4

`--new` defaults to this checkout. Each child runs with PYTHONPATH set to its checkout.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import load_xquad  # noqa: E402

_MEMORY_CHILD = r"""
import json, sys
from qa.retrieval import Retriever
r = Retriever.open({index!r})
for q in json.loads({qs!r}):
    r.search(q, k=5)
status = dict(line.split(":", 1) for line in open("/proc/self/status") if ":" in line)
print(json.dumps({{"peak_rss_mb": int(status["VmHWM"].split()[0]) / 1024, "kind": r.vectors.kind}}))
"""

_LATENCY_CHILD = r"""
import json, time
import qa.retrieval as R
from qa.retrieval import Retriever
r = Retriever.open({index!r})
for q in ("warm up the path", "Wie geht das?", "comment ça marche"):
    r.search(q)
r.encoder._cache.clear(); r.encoder._sentences.clear()
for module, name in (("qa.answer", "token_set"), ("qa.sentences", "_cached_spans")):
    fn = getattr(__import__(module, fromlist=[name]), name, None)
    if fn is not None:
        fn.cache_clear()
T = {{}}
def wrap(obj, name, label):
    fn = getattr(obj, name, None)
    if fn is None:
        return
    def timed(*a, **k):
        t = time.perf_counter()
        try:
            return fn(*a, **k)
        finally:
            T[label] = T.get(label, 0.0) + time.perf_counter() - t
    setattr(obj, name, timed)
# a checkout with search_many embeds and searches through the batch calls, even for one question
wrap(r.encoder, "encode_queries" if hasattr(r.encoder, "encode_queries") else "encode_query", "encode query")
wrap(r.store, "lexical_search", "lexical (FTS5, in a thread)")  # checkouts before qa.lexical_plan
wrap(r.store, "bm25", "lexical (FTS5, in a thread)")
for n in ("vectors_for", "passage_langs", "langs_and_vectors", "passages"):
    wrap(r.store, n, "store fetch")
wrap(r.store, "sentence_vectors", "sentence vectors")
wrap(r.vectors, "search_many" if hasattr(r.vectors, "search_many") else "search", "dense (FAISS)")
wrap(R, "best_sentence", "answers")
wrap(R, "detect_language", "language id")
qs = json.loads({qs!r})
times = []
for q in qs:
    t = time.perf_counter()
    r.search(q, k=5)
    times.append(time.perf_counter() - t)
times.sort()
print(json.dumps({{"p50": times[len(times) // 2] * 1000, "mean": sum(times) / len(times) * 1000,
                  "stages": {{k: v / len(qs) * 1000 for k, v in T.items()}}}}))
"""


def questions(n: int) -> list[str]:
    """n XQuAD questions spread over its languages (fixed order)."""
    xq = load_xquad()
    qs = [q for d in xq.values() for q, _ in d["questions"][: n // max(1, len(xq)) + 1]]
    random.Random(7).shuffle(qs)
    return qs[:n]


def child(checkout: str, args: list[str], **kw) -> tuple[subprocess.CompletedProcess, float, float]:
    """Run `python args...` with `checkout` first on the path: (result, wall s, CPU s)."""
    env = {**os.environ, "PYTHONPATH": str(Path(checkout).resolve())}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    result = subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, cwd="/tmp", **kw)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return result, wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def alternate(rounds: int, old: str, new: str):
    """(name, checkout) pairs, old and new in alternating order round by round."""
    for i in range(rounds):
        pair = [("old", old), ("new", new)]
        yield from (pair if i % 2 == 0 else pair[::-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("cold", "memory", "latency"))
    parser.add_argument("--old", required=True, help="checkout measured as 'old'")
    parser.add_argument("--new", default=str(HERE.parent), help="checkout measured as 'new' (default: this one)")
    parser.add_argument("--index", required=True)
    parser.add_argument("-n", type=int, default=5, help="cold: runs of each; latency: questions (default 5)")
    parser.add_argument("--rounds", type=int, default=2, help="memory/latency: processes of each (default 2)")
    parser.add_argument("--question", default="Qui a appelé à une coopération internationale ?")
    args = parser.parse_args()
    readings: dict[str, list[dict]] = {"old": [], "new": []}
    if args.what == "cold":
        for name, checkout in alternate(args.n, args.old, args.new):
            res, wall, cpu = child(checkout, ["-m", "qa", "ask", args.question, "--index", args.index, "--json"])
            if res.returncode != 0:
                sys.exit(f"{name}: {res.stderr.strip()[-500:]}")
            readings[name].append({"wall_s": wall, "cpu_s": cpu})
    else:
        code = (_MEMORY_CHILD if args.what == "memory" else _LATENCY_CHILD).format(
            index=args.index, qs=json.dumps(questions(50 if args.what == "memory" else args.n)))
        for name, checkout in alternate(args.rounds, args.old, args.new):
            res, _, _ = child(checkout, ["-c", code])
            if res.returncode != 0:
                sys.exit(f"{name}: {res.stderr.strip()[-500:]}")
            readings[name].append(json.loads(res.stdout.strip().splitlines()[-1]))
    for name, rows in readings.items():
        print(name, json.dumps(rows))
    summary = {}
    for name, rows in readings.items():
        keys = [k for k, v in rows[0].items() if isinstance(v, (int, float))]
        summary[name] = {k: round(statistics.median(r[k] for r in rows), 2) for k in keys}
        if "stages" in rows[0]:
            summary[name]["stages_ms"] = {s: round(statistics.median(r["stages"].get(s, 0.0) for r in rows), 2)
                                          for s in rows[0]["stages"]}
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    first = next(k for k in summary["old"] if k != "stages_ms")
    print(f"new/old median {first}: {summary['new'][first] / summary['old'][first]:.3f}")


if __name__ == "__main__":
    main()
