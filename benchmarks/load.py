"""Load on the chat's HTTP API: concurrent gradio clients, every reply checked.

    .venv/bin/python benchmarks/load.py [--clients 32] [--questions 25] [--soak 2000]

Index: the seeds plus the 240 English XQuAD paragraphs (if ../shared is there).
Phase 1: `--clients` clients ask `--questions` questions each, at once; errors, wrong
replies (vs the Python API), p50/p95 latency, server RSS before and after.
Phase 2 (soak): `--soak` more questions from 8 clients; RSS growth after warm-up.
Loopback only; bounded in count.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT  # noqa: E402
from serving import XQUAD, percentile, rss_mb, squad_to_files, start_server  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--questions", type=int, default=25)
    ap.add_argument("--soak", type=int, default=2000)
    ap.add_argument("--out", help="also write the results as JSON to this file")
    args = ap.parse_args()
    from gradio_client import Client

    from qa import Retriever, build_index

    out: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        docs = tmp / "docs"
        shutil.copytree(ROOT / "seeds", docs)
        pairs = squad_to_files(XQUAD / "xquad.en.json", docs / "xquad") if XQUAD.exists() else []
        questions = [q for q, _ in pairs] or ["brevets", "Who filed most generative AI patents?"]
        build_index([docs], index=tmp / "index", progress=False)
        proc, url, ready = start_server(tmp / "index", tmp)
        out["serve_ready_s"] = round(ready, 2)
        try:
            need = args.clients * args.questions
            asked = [questions[i % len(questions)] for i in range(need)]
            retriever = Retriever.open(tmp / "index")
            expected = {q: [h.to_dict() for h in retriever.search(q, 5)] for q in set(asked)}
            Client(url, verbose=False).predict("warm up", 5, api_name="/ask")
            out["rss_before_mb"] = round(rss_mb(proc.pid), 1)

            def client_run(n: int, count: int, pool_questions: list[str]) -> tuple[int, int, list[float]]:
                c = Client(url, verbose=False)
                errors = wrong = 0
                times = []
                for i in range(count):
                    q = pool_questions[(n * count + i) % len(pool_questions)]
                    t = time.perf_counter()
                    try:
                        got = c.predict(q, 5, api_name="/ask")
                    except Exception:
                        errors += 1
                        continue
                    times.append(time.perf_counter() - t)
                    if q in expected and got != expected[q]:
                        wrong += 1
                return errors, wrong, times

            t = time.perf_counter()
            with ThreadPoolExecutor(args.clients) as pool:
                results = list(pool.map(lambda n: client_run(n, args.questions, asked), range(args.clients)))
            wall = time.perf_counter() - t
            times = [x for r in results for x in r[2]]
            out["load"] = {"clients": args.clients, "questions": need, "errors": sum(r[0] for r in results),
                           "wrong_replies": sum(r[1] for r in results),
                           "p50_ms": round(percentile(times, 50) * 1000), "p95_ms": round(percentile(times, 95) * 1000),
                           "throughput_qps": round(need / wall, 1), "rss_after_mb": round(rss_mb(proc.pid), 1)}
            print(json.dumps(out, indent=1), flush=True)

            if args.soak:
                clients = 8
                per = args.soak // clients
                soak_questions = questions  # mostly new questions: no help from the query cache
                warm = round(rss_mb(proc.pid), 1)
                with ThreadPoolExecutor(clients) as pool:
                    results = list(pool.map(lambda n: client_run(n, per, soak_questions), range(clients)))
                after = round(rss_mb(proc.pid), 1)
                out["soak"] = {"questions": per * clients, "errors": sum(r[0] for r in results),
                               "wrong_replies": sum(r[1] for r in results), "rss_start_mb": warm,
                               "rss_end_mb": after, "growth_pct": round((after - warm) / warm * 100, 1)}
        finally:
            proc.terminate()
            proc.wait()
    print(json.dumps(out, indent=1))
    if args.out:
        Path(args.out).write_text(json.dumps(out, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
