"""Sharded index vs one index on XQuAD (7 languages, 1,680 paragraphs), in one run.

    PYTHONPATH=. .venv/bin/python benchmarks/shards.py [--shards 4] [--questions-per-lang N] [--ray] [--level 1000000]

1. Quality does not depend on the split: the 1,680 paragraphs of the seven XQuAD files
   (one file each) indexed as one index and as a sharded index; every question of every
   language asked of both, in dense and hybrid mode: dense top-10 identical (same
   passages, same order, scores to 1e-4), hybrid top-1 agreement.
2. Latency: `search` p50/p95 of the same questions on both (this corpus size: the machine
   is 2 shared cores; see docs/scale.md for what that measures and what it does not).
3. With `--ray` (the `cluster` extra): indexing passages/s on a local two-node Ray cluster
   vs one process, and the Ray Serve overhead per question.

Writes benchmarks/out/shards.json and docs/scale.md.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from common import OUT, load_xquad, machine, percentiles, save_json  # noqa: E402


def write_corpus(xquad: dict, folder: Path) -> dict[tuple[str, int], str]:
    """One file per paragraph, `<lang>/p<i>.txt`; returns {(lang, i): source}."""
    sources = {}
    for lang, data in xquad.items():
        (folder / lang).mkdir(parents=True, exist_ok=True)
        for i, text in enumerate(data["contexts"]):
            (folder / lang / f"p{i:04d}.txt").write_text(text, encoding="utf-8")
            sources[(lang, i)] = f"{lang}/p{i:04d}.txt"
    return sources


def compare(one, sharded, questions: list[str], k: int = 10) -> dict:
    """Dense identity and hybrid top-1 agreement of two retrievers over `questions`,
    with the latency of each."""
    dense_same = hybrid_top1 = hybrid_top10 = 0
    worst_score_gap = 0.0
    times = {"one": [], "sharded": []}
    for q in questions:
        a = one.search(q, k=k, mode="dense")
        b = sharded.search(q, k=k, mode="dense")
        if [(h.source, h.paragraph) for h in a] == [(h.source, h.paragraph) for h in b]:
            dense_same += 1
        worst_score_gap = max([worst_score_gap, *(abs(x.score - y.score) for x, y in zip(a, b))])
        t = time.perf_counter()
        a = one.search(q, k=k)
        times["one"].append(time.perf_counter() - t)
        t = time.perf_counter()
        b = sharded.search(q, k=k)
        times["sharded"].append(time.perf_counter() - t)
        hybrid_top1 += (a[0].source, a[0].paragraph) == (b[0].source, b[0].paragraph)
        hybrid_top10 += [h.source for h in a] == [h.source for h in b]
    n = len(questions)
    return {"questions": n, "dense_identical": dense_same / n, "dense_worst_score_gap": worst_score_gap,
            "hybrid_top1_agreement": hybrid_top1 / n, "hybrid_top10_identical": hybrid_top10 / n,
            "latency_one_ms": percentiles(times["one"]), "latency_sharded_ms": percentiles(times["sharded"])}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shards", type=int, default=4)
    ap.add_argument("--questions-per-lang", type=int, default=None, help="default: all 1,190 per language")
    ap.add_argument("--ray", action="store_true", help="also measure on a local two-node Ray cluster")
    ap.add_argument("--ray-copies", type=int, default=4,
                    help="the Ray indexing comparison indexes this many copies of the XQuAD files (each copy "
                         "under its own folder), so that throughput, not start-up, is measured")
    ap.add_argument("--level", type=int, default=None,
                    help="also measure this synthetic level (built by benchmarks/shards_1m.py) in the same run")
    ap.add_argument("--out", default=str(ROOT / "docs" / "scale.md"))
    args = ap.parse_args()
    from qa import Retriever, build_index

    xquad = load_xquad()
    if len(xquad) < 7:
        sys.exit("XQuAD not found (../shared/bench/xquad)")
    result: dict = {"machine": machine(), "shards": args.shards,
                    "command": "benchmarks/shards.py " + " ".join(sys.argv[1:])}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        write_corpus(xquad, tmp / "docs")
        t = time.perf_counter()
        one_report = build_index([tmp / "docs"], index=tmp / "one", progress=False)
        result["index_one_s"] = time.perf_counter() - t
        t = time.perf_counter()
        sh_report = build_index([tmp / "docs"], index=tmp / "sharded", shards=args.shards, progress=False)
        result["index_sharded_s"] = time.perf_counter() - t
        result["passages"] = one_report.passages
        assert sh_report.passages == one_report.passages, (sh_report.passages, one_report.passages)
        one, sharded = Retriever.open(tmp / "one"), Retriever.open(tmp / "sharded")
        result["passages_per_shard"] = [s.stats()["passages"] for s in sharded.shards]
        questions = [q for data in xquad.values() for q, _ in data["questions"][:args.questions_per_lang]]
        for q in questions[:20]:  # warm caches
            one.search(q), sharded.search(q)
        result["compare"] = compare(one, sharded, questions)
        print(result["compare"], flush=True)
        result["disk_bytes_per_passage"] = sum(f.stat().st_size for f in (tmp / "sharded").rglob("*")
                                               if f.is_file()) / sh_report.passages
        one.close(), sharded.close()
        if args.ray:
            from ray_bench import measure_ray

            copies = tmp / "copies"
            for c in range(args.ray_copies):
                shutil.copytree(tmp / "docs", copies / f"copy-{c}")
            result["ray"] = measure_ray(copies, tmp, questions[::40], shards=args.shards)
            result["ray"]["copies"] = args.ray_copies
            print(result["ray"], flush=True)
    if args.level:
        from shards_1m import measured_level

        result["synthetic"] = measured_level(args.level, args.shards)
        save_json(OUT / "shards_1m.json", result["synthetic"])
    save_json(OUT / "shards.json", result)
    Path(args.out).write_text(render(result), encoding="utf-8")
    print(f"wrote {args.out}")


def render(r: dict) -> str:
    import json

    from scale_doc import render_doc

    if "synthetic" in r:  # measured in this run (--level)
        return render_doc(r, r["synthetic"])
    synthetic = OUT / "shards_1m.json"  # benchmarks/shards_1m.py's last run, when there is one
    return render_doc(r, json.loads(synthetic.read_text()) if synthetic.exists() else None)


if __name__ == "__main__":
    main()
