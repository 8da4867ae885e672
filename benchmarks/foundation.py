"""Headline numbers of the foundation and the chat, measured in one run.

    .venv/bin/python benchmarks/foundation.py [--xquad ../shared/bench/xquad/xquad.en.json]

Index time of the seeds and of the 240 XQuAD paragraphs (each its own file): cold, as a
new `qa index` process (start-up, imports and model load counted), and warm, in a process
whose model is already loaded; a cold `qa ask` (process start to printed answer); median
`Retriever.search` latency over 100 XQuAD questions, peak RSS of this process; then
`qa serve` start-up time to ready and the median reply time of 20 questions through
gradio_client. Writes docs/foundation.md.
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
    env = dict(os.environ, PYTHONPATH=str(ROOT))

    def cold(*args: str) -> float:
        """Seconds of a new `qa` process from start to exit: imports and model load counted."""
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "qa", *args], env=env, check=True, capture_output=True)
        return round(time.perf_counter() - t, 2)

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        docs = tmp / "xquad"
        docs.mkdir()
        questions = [q for q, _ in squad_to_files(Path(args.xquad), docs)]
        out["seeds_index_s_cold_process"] = cold("index", str(ROOT / "seeds"), "--index", str(tmp / "seeds-cold"))
        out["ask_s_cold_process"] = cold("ask", "Who filed most AI patents?", "--index", str(tmp / "seeds-cold"))
        out["xquad_en_240_index_s_cold_process"] = cold("index", str(docs), "--index", str(tmp / "xquad-cold"))
        build_index([ROOT / "seeds"], index=tmp / "warm-up", progress=False)  # loads the model in this process
        t = time.perf_counter()
        build_index([ROOT / "seeds"], index=tmp / "seeds-index2", progress=False)
        out["seeds_index_s_model_loaded"] = round(time.perf_counter() - t, 2)
        t = time.perf_counter()
        report = build_index([docs], index=tmp / "xquad-index", progress=False)
        out["xquad_en_240_index_s_model_loaded"] = round(time.perf_counter() - t, 2)
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
    (ROOT / "docs" / "foundation.md").write_text(render(out), encoding="utf-8")


def render(out: dict) -> str:
    import platform

    rows = [
        ("`qa index seeds` in a new process (imports and model load counted)", f"{out['seeds_index_s_cold_process']} s"),
        ("`qa ask` in a new process on the seed index (start to printed answer)", f"{out['ask_s_cold_process']} s"),
        ("`qa index` of the 240 English XQuAD paragraphs in a new process (model load counted)",
         f"{out['xquad_en_240_index_s_cold_process']} s"),
        ("the same 240 paragraphs, model already loaded", f"{out['xquad_en_240_index_s_model_loaded']} s "
         f"({out['xquad_en_passages']} passages)"),
        ("the seeds, model already loaded", f"{out['seeds_index_s_model_loaded']} s"),
        ("`Retriever.search`, 100 XQuAD questions", f"median {out['search_median_ms_100q']} ms, "
         f"p95 {out['search_p95_ms_100q']} ms"),
        ("peak RSS of the benchmark process", f"{out['peak_rss_mb']} MB"),
        ("`qa serve` start to ready", f"{out['serve_ready_s']} s"),
        ("reply through the Gradio API, 20 questions", f"median {out['serve_reply_median_ms_20q']} ms"),
    ]
    table = "\n".join(f"| {what} | {value} |" for what, value in rows)
    return f"""# Foundation numbers

Produced by `.venv/bin/python benchmarks/foundation.py` in one run on {platform.machine()},
{os.cpu_count()} cores, Python {platform.python_version()}. Every figure below is measured in that run.

| what | measured |
|---|---|
{table}
"""


if __name__ == "__main__":
    main()
