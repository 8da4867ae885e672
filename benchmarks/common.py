"""Shared helpers of the benchmark suite: timing, percentiles, XQuAD, machine description."""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"
OUT = Path(os.environ.get("QA_BENCH_OUT", HERE / "out"))
XQUAD_DIRS = [ROOT.parent / "shared" / "bench" / "xquad", Path("/work/shared/bench/xquad")]
XQUAD_LANGS = ["en", "de", "es", "zh", "ru", "ar", "vi"]


def percentiles(seconds: list[float]) -> dict[str, float]:
    a = np.asarray(seconds) * 1000
    return {"p50": float(np.percentile(a, 50)), "p95": float(np.percentile(a, 95)),
            "p99": float(np.percentile(a, 99)), "mean": float(a.mean()), "n": int(len(a))}


@contextmanager
def timer(out: dict, key: str):
    t = time.perf_counter()
    try:
        yield
    finally:
        out[key] = out.get(key, 0.0) + time.perf_counter() - t


def xquad_dir() -> Path | None:
    for d in XQUAD_DIRS:
        if (d / "xquad.en.json").exists():
            return d
    return None


def load_xquad(langs=XQUAD_LANGS) -> dict[str, dict]:
    """{lang: {"contexts": [text...], "questions": [(question, context index)...]}} (parallel across langs)."""
    d = xquad_dir()
    if d is None:
        return {}
    out = {}
    for lang in langs:
        path = d / f"xquad.{lang}.json"
        if not path.exists():
            continue
        data = json.loads(path.read_text(encoding="utf-8"))["data"]
        contexts, questions = [], []
        for article in data:
            for para in article["paragraphs"]:
                idx = len(contexts)
                contexts.append(para["context"])
                questions.extend((qa["question"], idx) for qa in para["qas"])
        out[lang] = {"contexts": contexts, "questions": questions}
    return out


def machine() -> dict:
    info = {"python": platform.python_version(), "platform": platform.platform(), "cores": os.cpu_count()}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        mem = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
        info["memory_gib"] = round(int(mem) / 2**20, 1)
        info["load_average_at_start"] = Path("/proc/loadavg").read_text().split()[:3]
    except OSError:
        pass
    try:
        import faiss
        import numpy

        info["faiss"] = faiss.__version__
        info["numpy"] = numpy.__version__
    except ImportError:
        pass
    try:
        info["commit"] = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                        text=True).stdout.strip()
    except OSError:
        pass
    return info


def loadavg() -> list[str]:
    try:
        return Path("/proc/loadavg").read_text().split()[:3]
    except OSError:
        return []


def save_json(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=1, ensure_ascii=False, default=str))
    os.replace(tmp, path)


class StageTimes:
    """Thread CPU seconds per stage (`clock`: another, e.g. `time.perf_counter` for wall time):
    `wrap(obj, name, label)` replaces `obj.name` by a timed call; a wrapped call inside another
    wrapped call counts for the outer one only."""

    def __init__(self, clock=None) -> None:
        import time

        self.times: dict[str, float] = {}
        self._depth = 0
        self._clock = clock or time.thread_time

    def wrap(self, obj, name: str, label: str) -> None:
        fn = getattr(obj, name)
        clock = self._clock

        def timed(*a, **kw):
            if self._depth:
                return fn(*a, **kw)
            self._depth += 1
            t = clock()
            try:
                return fn(*a, **kw)
            finally:
                self.times[label] = self.times.get(label, 0.0) + clock() - t
                self._depth -= 1
        setattr(obj, name, timed)


def xquad_sample(first: int, per_lang: int) -> list[tuple[str, str, int]]:
    """(language, question, paragraph index) of questions `first` to `first + per_lang` of each
    XQuAD language, as the mixed pool's benchmarks ask them."""
    xq = load_xquad()
    return [(lang, q, idx) for lang in XQUAD_LANGS for q, idx in xq[lang]["questions"][first:first + per_lang]]


def gold_rr(sources: list[str], lang: str, idx: int, any_translation: bool = False) -> float:
    """Reciprocal rank of XQuAD paragraph `idx` among ranked `sources` of the mixed pool (files
    `xquad/<lang>/<idx>.txt`): in the question's language, or in any with `any_translation`."""
    for rank, source in enumerate(sources, 1):
        if source.endswith(f"xquad/{lang}/{idx:03d}.txt") or (
                any_translation and "xquad/" in source and source.endswith(f"/{idx:03d}.txt")):
            return 1 / rank
    return 0.0


def time_pool_calls(module, labels: dict[str, str]) -> dict[str, float]:
    """Wrap `module`'s functions named in `labels` (the calls the lexical threads run) so that
    each adds its thread CPU time (the outermost call only) under its label in the dict returned;
    the caller reads and clears it between passes."""
    pooled: dict[str, float] = {}
    inside = threading.local()
    for name, label in labels.items():
        def timed(*a, _fn=getattr(module, name), _label=label, **kw):
            if getattr(inside, "on", False):
                return _fn(*a, **kw)
            inside.on = True
            t = time.thread_time()
            try:
                return _fn(*a, **kw)
            finally:
                pooled[_label] = pooled.get(_label, 0.0) + time.thread_time() - t
                inside.on = False
        setattr(module, name, timed)
    return pooled


def write_outputs(args, result: dict, questions: list, hits: list) -> None:
    """A profiling run's `--json` (its result) and `--dump` (its questions and hits), when asked."""
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))
    if args.dump:
        args.dump.write_text(json.dumps({"questions": questions, "hits": hits}, ensure_ascii=False))


def warmed_retriever(description: str):
    """For the scripts that compare two arms of one process question by question (faiss_release_cost,
    release_ranges_cost, rows_cost): `--index` and `--questions` from the command line, a `Retriever`
    open on the index and as many XQuAD questions of each language, each asked once so that what a
    question leaves cached is cached alike for both arms."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--index", required=True)
    parser.add_argument("--questions", type=int, default=280)
    args = parser.parse_args()
    from qa.retrieval import Retriever

    retriever = Retriever.open(args.index)
    n = args.questions
    questions = [q for d in load_xquad().values() for q, _ in d["questions"][:n // 7 + 1]][:n]
    for q in questions:
        retriever.search(q, k=5)
    return retriever, questions
