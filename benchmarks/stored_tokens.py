"""Stored sentence tokens (session 7, issue #14): per-stage CPU of one `Retriever.search`, two
checkouts in alternating processes on the same index, and whether they answer alike.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/stored_tokens.py --old /work/main [--questions 300] [--rounds 4]
        [--also tokens=benchmarks/out/at-83d1eec]

The index holds XQuAD's 1,680 paragraphs (7 languages), built once by this checkout into
benchmarks/out/stored/index (then `qa index` once more: nothing to do but what an index of
before would get); the other checkouts read the same files (ignoring what they do not know). A copy with the stored tokens removed (`sentence_tokens` NULL, version 1: an index of
before, as `qa index` would find it) is searched by this checkout for the identity check only.
`--also NAME=PATH` adds checkouts (e.g. a `git archive` of an intermediate commit). Each child times its stages with `time.thread_time` (CPU of the main thread: the lexical
search runs in a thread of its own, as in docs/performance.md's session 6), per question; a
stage's figure is the p50 over the questions, then the median over a side's processes. Each
search's wall time and process CPU (every thread) are recorded too (session 8); a stage that
runs in a pool thread is reported under its own label.
Writes benchmarks/out/stored_tokens.json.
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import os
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from common import OUT, XQUAD_LANGS, load_xquad, save_json  # noqa: E402

WORK = OUT / "stored"
K = 10

_CHILD = r"""
import dataclasses, json, sys, threading, time
import qa.retrieval as R
from qa.retrieval import Retriever
index, questions, answers_out = sys.argv[1], json.loads(open(sys.argv[2]).read()), sys.argv[3]
r = Retriever.open(index)
for q in ("warm up the path", "Wie geht das?", "comment ça marche"):
    r.search(q, k={k})

def clear():
    r.encoder._cache.clear(); r.encoder._sentences.clear()
    for module, name in (("qa.answer", "token_set"), ("qa.answer", "sentence_tokens"), ("qa.sentences", "_cached_spans"),
                         ("qa.language", "question_words")):
        fn = getattr(__import__(module, fromlist=[name]), name, None)
        if fn is not None:
            fn.cache_clear()

T = {{}}
local = threading.local()  # a wrapped call inside another counts in the outer one's stage only
main = threading.main_thread()
def wrap(obj, name, label):
    fn = getattr(obj, name, None)
    if fn is None:  # not in this checkout
        return
    def timed(*a, **kw):
        if getattr(local, "depth", 0):
            return fn(*a, **kw)
        local.depth = 1
        t = time.thread_time()
        try:
            return fn(*a, **kw)
        finally:
            key = label if threading.current_thread() is main else label + " (pool thread)"
            T[key] = T.get(key, 0.0) + time.thread_time() - t
            local.depth = 0
    setattr(obj, name, timed)

wrap(r.encoder, "encode_queries", "encoding")
wrap(r.vectors, "search_many", "FAISS")
for name in ("detect_language", "query_tokens", "candidate_words"):
    wrap(R, name, "query language and tokens")
for name in ("langs_and_vectors", "vectors_for", "context_vectors", "candidate_data"):
    wrap(r.store, name, "candidates' vectors and languages")
wrap(r.vectors, "stored_vectors", "candidates' vectors and languages")
wrap(r.store, "sentence_vectors", "candidates' sentence vectors")
if getattr(r._view, "sentences", None) is not None:  # the mapped file (qa/sentence_matrix.py)
    wrap(r._view.sentences, "sentence_vectors", "candidates' sentence vectors")
wrap(r.store, "passages", "hits' rows")
wrap(R, "add_hubs", "hits' rows")
wrap(R, "best_sentence", "answer sentences")
clear()
stages, totals, walls, processes = {{}}, [], [], []
for q in questions:
    T.clear()
    w, c, t = time.perf_counter(), time.process_time(), time.thread_time()
    r.search(q, k={k})
    totals.append(time.thread_time() - t)
    walls.append(time.perf_counter() - w)
    processes.append(time.process_time() - c)
    for label, seconds in T.items():
        stages.setdefault(label, []).append(seconds)
def p50(values):
    values = sorted(values)
    return values[len(values) // 2] * 1000
out = {{"total": p50(totals), "mean": sum(totals) / len(totals) * 1000, "wall": p50(walls), "process": p50(processes),
       "stages": {{label: p50(v + [0.0] * (len(totals) - len(v))) for label, v in stages.items()}}}}
if answers_out != "-":
    clear()
    found = {{"search": [[dataclasses.asdict(h) for h in r.search(q, k={k})] for q in questions]}}
    for mode in ("hybrid", "dense", "lexical"):
        clear()
        found[mode] = [[dataclasses.asdict(h) for h in hits] for hits in r.search_many(questions, k={k}, mode=mode)]
    open(answers_out, "w").write(json.dumps(found, ensure_ascii=False))
print(json.dumps(out))
"""


def build(docs: Path, index: Path) -> None:
    from qa import build_index
    from qa.layout import current_data
    from qa.store import DB_NAME

    if not (index / "built.json").exists():
        shutil.rmtree(index, ignore_errors=True)
        report = build_index([docs], index=index, progress=False)
        (index / "built.json").write_text(json.dumps(report.to_dict(), default=str))
    build_index([docs], index=index, progress=False)  # what an existing index gets from this qa
    old = index.parent / "index-old"
    if not old.exists():
        shutil.copytree(index, old)
        with sqlite3.connect(current_data(old) / DB_NAME) as conn:
            conn.execute("UPDATE passages SET sentence_tokens = NULL")
            conn.execute("UPDATE meta SET value = '1' WHERE key = 'sentence_tokens_version'")


def child(checkout: Path, index: Path, qfile: Path, answers: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(checkout.resolve())}
    result = subprocess.run([sys.executable, "-c", _CHILD.format(k=K), str(index), str(qfile), answers],
                            capture_output=True, text=True, env=env, cwd="/tmp")
    if result.returncode != 0:
        sys.exit(f"{checkout}: {result.stderr.strip()[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", required=True, type=Path, help="checkout measured as 'old' (its own PYTHONPATH)")
    parser.add_argument("--new", default=ROOT, type=Path, help="checkout measured as 'new' (default: this one)")
    parser.add_argument("--also", nargs="*", default=[], metavar="NAME=PATH", help="more checkouts")
    parser.add_argument("--questions", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=4, help="processes of each side, alternating")
    args = parser.parse_args()
    xquad = load_xquad()
    docs = WORK / "docs"
    if not docs.exists():
        for lang in XQUAD_LANGS:
            (docs / lang).mkdir(parents=True)
            for i, text in enumerate(xquad[lang]["contexts"]):
                (docs / lang / f"{i:03d}.txt").write_text(text.strip() + "\n", encoding="utf-8")
    index = WORK / "index"
    build(docs, index)
    pool = [text for lang in XQUAD_LANGS for text, _ in xquad[lang]["questions"]]
    questions = random.Random(5).sample(pool, args.questions)
    qfile = WORK / "questions.json"
    qfile.write_text(json.dumps(questions, ensure_ascii=False))

    sides = {"old": args.old, **{a.split("=", 1)[0]: Path(a.split("=", 1)[1]) for a in args.also}, "new": args.new}
    # identity: every checkout, and this one on the index without stored tokens
    answers = {}
    for name, checkout, folder in [*((n, c, index) for n, c in sides.items()),
                                   ("new, index of before", args.new, WORK / "index-old")]:
        path = WORK / f"answers-{name.replace(' ', '_').replace(',', '')}.json"
        child(checkout, folder, qfile, str(path))
        answers[name] = json.loads(path.read_text())
    identical = {name: {kind: found[kind] == answers["old"][kind] for kind in found}
                 for name, found in answers.items() if name != "old"}
    print("identical to old:", json.dumps(identical), file=sys.stderr)

    readings: dict[str, list[dict]] = {name: [] for name in sides}
    for i in range(args.rounds):
        order = list(sides.items())
        order = order[i % len(order):] + order[:i % len(order)]  # each side first in turn
        for name, checkout in (order if i % 2 == 0 else order[::-1]):
            readings[name].append(child(checkout, index, qfile, "-"))
            print(name, json.dumps(readings[name][-1]), file=sys.stderr)
    summary = {}
    for name, rows in readings.items():
        labels = dict.fromkeys(label for row in rows for label in row["stages"])
        summary[name] = {"total": statistics.median(r["total"] for r in rows),
                         **{key: statistics.median(r[key] for r in rows) for key in ("wall", "process") if key in rows[0]},
                         "stages": {label: statistics.median(r["stages"].get(label, 0.0) for r in rows)
                                    for label in labels}}
    result = {"questions": args.questions, "k": K, "rounds": args.rounds, "old": str(args.old),
              "identical": identical, "summary": summary, "readings": readings}
    save_json(OUT / "stored_tokens.json", result)
    print(json.dumps({"identical": identical, "summary": summary}, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
