"""A serving process's cost of word translation (docs/performance.md, "Session 10: word
vocabulary from index time"): run once per code version (PYTHONPATH picks it), alternating.

In a fresh process on `--index` (a copy of peer.py's mixed 2.4k-passage pool): the first hybrid
question after opening (wall and process CPU: the vocabulary read, and before Session 10 the
vocabulary IVF's training), then XQuAD questions `--first`..`--first + --per-lang` of each
language (default: the development questions 0..49), hybrid `Retriever.search` k=10, with
process CPU per question (and the
asking thread's alone), the thread CPU of `WordVocabulary.translate` per translated word,
and the process's RSS (VmRSS, VmHWM) at the end.

    PYTHONPATH=$CODE:$PWD/benchmarks nice -n 10 /work/main/.venv/bin/python benchmarks/words_serving.py \\
        --index benchmarks/out/mixed-index --label after --json benchmarks/out/serving-after-1.json
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

K = 10


def rss() -> dict[str, float]:
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0]) / 1024
    return fields


def main() -> None:
    import qa
    import qa.word_translation as wt
    from common import gold_rr, xquad_sample
    from qa.retrieval import Retriever

    parser = argparse.ArgumentParser()
    parser.add_argument("--index", default="benchmarks/out/mixed-index")
    parser.add_argument("--first", type=int, default=0)
    parser.add_argument("--per-lang", type=int, default=50)
    parser.add_argument("--label", default="")
    parser.add_argument("--json", default=None)
    args = parser.parse_args()
    asked = xquad_sample(args.first, args.per_lang)
    spent = {"cpu": 0.0, "words": 0}
    translate = wt.WordVocabulary.translate

    def timed(self, words, vectors):
        c = time.thread_time()
        try:
            return translate(self, words, vectors)
        finally:
            spent["cpu"] += time.thread_time() - c
            spent["words"] += len(words)

    wt.WordVocabulary.translate = timed
    retriever = Retriever.open(args.index)
    opened = rss()
    c, t = time.process_time(), time.perf_counter()
    retriever.search("Wann wurde die Kirche gebaut?", k=K)  # a question with words to translate
    first = {"cpu_s": time.process_time() - c, "wall_s": time.perf_counter() - t}
    spent.update(cpu=0.0, words=0)
    c, th = time.process_time(), time.thread_time()
    found = [[h.source for h in retriever.search(q, k=K)] for _, q, _ in asked]
    per_question = 1000 * (time.process_time() - c) / len(asked)
    per_question_thread = 1000 * (time.thread_time() - th) / len(asked)
    mrr = sum(gold_rr(f, lang, idx) for (lang, _, idx), f in zip(asked, found)) / len(asked)
    result = {"label": args.label, "code": qa.__file__, "questions": len(asked), "first_question": first,
              "ms_cpu_per_question": per_question,
              "ms_thread_cpu_per_question": per_question_thread, "translate_ms_per_word": 1000 * spent["cpu"] / max(1, spent["words"]),
              "translated_words": spent["words"], "translate_ms_per_question": 1000 * spent["cpu"] / len(asked),
              "mrr_at_10_same_language": mrr, "rss_mb_opened": opened, "rss_mb_end": rss()}
    print(json.dumps(result), flush=True)
    retriever.close()
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
