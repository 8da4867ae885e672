"""Headline numbers of the foundation and the chat, measured in one run.

    .venv/bin/python benchmarks/foundation.py [--xquad ../shared/bench/xquad/xquad.en.json]

Index time of the seeds and of the 240 XQuAD paragraphs (each its own file), median
`Retriever.search` latency over 100 XQuAD questions, peak RSS of this process; then
`qa serve` start-up time to ready and the median reply time of 20 questions through
gradio_client.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from serving import squad_to_files  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--xquad", default=str(ROOT.parent / "shared/bench/xquad/xquad.en.json"))
    args = ap.parse_args()
    from qa import Retriever, build_index

    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        t = time.perf_counter()
        report = build_index([ROOT / "seeds"], index=tmp / "seeds-index", progress=False)
        out["seeds_index_s_including_model_load"] = round(time.perf_counter() - t, 2)
        t = time.perf_counter()
        build_index([ROOT / "seeds"], index=tmp / "seeds-index2", progress=False)
        out["seeds_index_s_model_loaded"] = round(time.perf_counter() - t, 2)

        docs = tmp / "xquad"
        docs.mkdir()
        questions = [q for q, _ in squad_to_files(Path(args.xquad), docs)]
        t = time.perf_counter()
        report = build_index([docs], index=tmp / "xquad-index", progress=False)
        out["xquad_en_240_index_s"] = round(time.perf_counter() - t, 2)
        out["xquad_en_passages"] = report.passages
        r = Retriever.open(tmp / "xquad-index")
        r.search("warm up")
        times = []
        for q in questions[:100]:
            t = time.perf_counter()
            r.search(q, k=5)
            times.append(time.perf_counter() - t)
        out["search_median_ms_100q"] = round(statistics.median(times) * 1000, 1)
        out["search_p95_ms_100q"] = round(sorted(times)[94] * 1000, 1)
        out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)

        # the chat: start-up to ready, then 20 questions through the Gradio API
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        t = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "qa", "serve", "--index", str(tmp / "xquad-index"),
                                 "--port", str(port)], cwd=tmp, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
        while True:
            try:
                urllib.request.urlopen(url, timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        out["serve_ready_s"] = round(time.perf_counter() - t, 2)
        try:
            from gradio_client import Client

            client = Client(url, verbose=False)
            times = []
            for q in questions[200:220]:
                t = time.perf_counter()
                client.predict(q, 5, api_name="/ask")
                times.append(time.perf_counter() - t)
            out["serve_reply_median_ms_20q"] = round(statistics.median(times) * 1000, 1)
        finally:
            proc.terminate()
            proc.wait()
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
