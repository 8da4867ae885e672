"""The cost of word translation (docs/performance.md, "Session 9: the cost of word translation").

One run, in one process with the `qa` on PYTHONPATH: per pool (XQuAD's es paragraphs; all 7
languages' 1,680 paragraphs, files written by build_overhead.py under benchmarks/out/overhead/):
the raw encoder on the passages (`encode_documents`, batches of 256), then `build_index` of the
pool, with process CPU of each and of `add_words` within the build; then CPU per question of
`Retriever.search` (hybrid, k=10) on that index of the first 200 questions in es and in en,
after the last 200 (other questions) warmed the caches, with the query-vector cache cleared. Alternate checkouts between runs to compare them:

    for qa in <base> $PWD <base> $PWD; do
      PYTHONPATH=$qa:$PWD/benchmarks python benchmarks/words_cost.py --json out/words_cost-N.json
    done
"""
from __future__ import annotations

import argparse
import json
import shutil
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    import qa
    import qa.indexer as indexer
    from build_overhead import DATA, write_xquad
    from common import load_xquad
    from qa import Retriever, build_index
    from qa.encoder import encoders

    parser = argparse.ArgumentParser()
    parser.add_argument("--pools", nargs="+", default=["xquad/es", "xquad"])
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--out", default=str(HERE / "out" / "words_cost"))
    parser.add_argument("--json", default=None)
    args = parser.parse_args()
    write_xquad(DATA)
    xq = load_xquad()
    encoder = encoders.get("use-m3")
    encoder.encode_documents(["warm up"] * 64)
    spent = {"add_words": 0.0}
    add_words = indexer.add_words

    def timed(*a, **k):
        c = time.process_time()
        try:
            return add_words(*a, **k)
        finally:
            spent["add_words"] += time.process_time() - c

    indexer.add_words = timed
    result = {"qa": str(Path(qa.__file__).parent), "pools": {}}
    for pool in args.pools:
        files = sorted((DATA / pool).rglob("*.txt"))
        texts = []
        for f in files:
            texts.extend(p.text for p in indexer._prepare(indexer._Prepared(f, str(f), 0, 0, None),
                                                           encoder.max_chars).passages)
        c, t = time.process_time(), time.perf_counter()
        for i in range(0, len(texts), 256):
            encoder.encode_documents(texts[i:i + 256])
        raw_cpu, raw_wall = time.process_time() - c, time.perf_counter() - t
        index = Path(args.out) / pool.replace("/", "-")
        shutil.rmtree(index, ignore_errors=True)
        spent["add_words"] = 0.0
        c, t = time.process_time(), time.perf_counter()
        report = build_index([DATA / pool], index=index, progress=False)
        build_cpu, build_wall = time.process_time() - c, time.perf_counter() - t
        row = {"passages": len(texts), "words": report.words, "raw_cpu": raw_cpu, "build_cpu": build_cpu,
               "add_words_cpu": spent["add_words"], "raw_pps_cpu": len(texts) / raw_cpu,
               "build_pps_cpu": len(texts) / build_cpu, "ratio_cpu": raw_cpu / build_cpu,
               "ratio_wall": raw_wall / build_wall}
        retriever = Retriever.open(index)
        for qlang in ("es", "en"):
            asked = [q for q, _ in xq[qlang]["questions"]]
            questions = asked[:args.questions]
            for q in asked[-args.questions:]:  # other questions warm the caches
                retriever.search(q, k=10)
            retriever.encoder.clear_cache()
            c = time.process_time()
            for q in questions:
                retriever.search(q, k=10)
            row[f"ms_per_question_{qlang}"] = 1000 * (time.process_time() - c) / len(questions)
        retriever.close()
        result["pools"][pool] = row
        print(pool, json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in row.items()}), flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
