"""Where a build's CPU goes outside the encoder, and build/raw in interleaved rounds (issue #14).

Data (written once under benchmarks/out/overhead/): XQuAD's 1,680 paragraphs as one file each
(`xquad/<lang>/NNN.txt`) and, if present, man pages rendered with `mandoc -T utf8`
(`man/<lang>/*.txt`, see the session 8 note in docs/performance.md).

In each round the same paragraphs are first encoded alone (`Encoder.encode_documents`, batches
of 256, model loaded), then `build_index` makes a fresh index of their files. CPU is taken per
thread with `time.thread_time`: the encoder's worker threads (the `UseRunner` calls that run
the model), the parse thread (`indexer._prepare`), the main thread, and the process.
"outside the encoder" = process CPU of the build less the CPU inside those worker calls.

    PYTHONPATH=<checkout>:$PWD/benchmarks python benchmarks/build_overhead.py --rounds 3 [--profile]
    PYTHONPATH=<checkout>:$PWD/benchmarks python benchmarks/build_overhead.py --dirs FOLDER... --rounds 2

`--dirs` indexes any folders (e.g. a copy of peer.py's level-2000 docs) instead of `--parts`.
`add_words` is metered too: its main-thread CPU and its model's (`UseRunner._encode_words`
in the encoder's workers); "outside the encoder" excludes the word model's CPU as well.

`--profile` adds one build under cProfile (thread CPU clock) of the parse and main threads
and prints the functions that cost most. The `qa` imported is the one on PYTHONPATH: run
it once with the main checkout and once with a branch to compare them.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import shutil
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = Path(os.environ.get("QA_OVERHEAD_DATA", HERE / "out" / "overhead"))


def write_xquad(folder: Path) -> None:
    from common import load_xquad

    if (folder / "xquad").exists():
        return
    for lang, d in load_xquad().items():
        sub = folder / "xquad" / lang
        sub.mkdir(parents=True, exist_ok=True)
        for i, ctx in enumerate(d["contexts"]):
            (sub / f"{i:03d}.txt").write_text(ctx.strip() + "\n", encoding="utf-8")


class CpuMeter:
    """CPU seconds of the calls wrapped with `wrap`, summed over the threads that run them."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.by_thread: dict[str, float] = {}
        self._lock = threading.Lock()

    def wrap(self, fn):
        def timed(*args, **kwargs):
            t = time.thread_time()
            try:
                return fn(*args, **kwargs)
            finally:
                spent = time.thread_time() - t
                name = threading.current_thread().name
                with self._lock:
                    self.seconds += spent
                    self.by_thread[name] = self.by_thread.get(name, 0.0) + spent
        return timed


class Profiles:
    """One cProfile (thread CPU clock) per thread that calls a wrapped function."""

    def __init__(self) -> None:
        self.local = threading.local()
        self.all: list[tuple[str, cProfile.Profile]] = []

    def wrap(self, fn):
        def profiled(*args, **kwargs):
            prof = getattr(self.local, "prof", None)
            if prof is None:
                prof = self.local.prof = cProfile.Profile(time.thread_time)
                self.all.append((threading.current_thread().name, prof))
            return prof.runcall(fn, *args, **kwargs)
        return profiled


def top(prof: cProfile.Profile, n: int, sort: str) -> str:
    out = io.StringIO()
    pstats.Stats(prof, stream=out).strip_dirs().sort_stats(sort).print_stats(n)
    return "\n".join(line for line in out.getvalue().splitlines()[6:] if line.strip())


def parse_only(args) -> None:
    import qa
    from qa import indexer

    write_xquad(DATA)
    files = sorted(p for part in args.parts for p in (DATA / part).rglob("*.txt"))
    indexer._prepare(indexer._Prepared(files[0], "warm", 0, 0, None), 1500)  # identifier and stemmers loaded
    best, passages = float("inf"), 0
    for _ in range(args.parse_only):
        started = time.thread_time()
        passages = sum(len(indexer._prepare(indexer._Prepared(f, f.relative_to(DATA).as_posix(), 0, 0, None), 1500).passages) for f in files)
        best = min(best, time.thread_time() - started)
    print(f"parse only, qa from {Path(qa.__file__).parent}: {len(files)} files, {passages} passages, "
          f"{1000 * best / passages:.3f} s CPU per 1000 passages (least of {args.parse_only}); "
          f"load {os.getloadavg()[0]:.2f}", flush=True)
    write_only(args, files)


def write_only(args, files: list[Path]) -> None:
    """The store's side of a build without the model: every document inserted as
    `_write_batch` does (one transaction per 256 passages), with fixed random vectors, then
    `sentences.matrix` written."""
    import numpy as np

    from qa import indexer, sentence_matrix
    from qa.store import Store

    items = [indexer._prepare(indexer._Prepared(f, f.relative_to(DATA).as_posix(), 0, 0, None), 1500) for f in files]
    rng = np.random.default_rng(0)
    vectors = [(rng.standard_normal((len(i.passages), 512), dtype=np.float32),
                [rng.standard_normal((len(p.sentences), 512), dtype=np.float32) for p in i.passages]) for i in items]
    n = sum(len(i.passages) for i in items)
    best = {"store": float("inf"), "matrix": float("inf")}
    for rep in range(args.parse_only):
        folder = Path(args.out) / f"write-{rep}"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        store = Store(folder / "passages.sqlite", create=True, identity="x")
        started = time.thread_time()
        batch = 0
        conn = None
        for item, (vecs, per) in zip(items, vectors):
            if conn is None:
                tx = store.transaction()
                conn = tx.__enter__()
            store.insert_document(conn, item.source, item.hash, item.size, item.mtime_ns, item.title, item.date,
                                  item.lang, item.text, item.passages, vecs, per, origin=str(item.path))
            batch += len(item.passages)
            if batch >= 256:
                tx.__exit__(None, None, None)
                conn, batch = None, 0
        if conn is not None:
            tx.__exit__(None, None, None)
        stored = time.thread_time()
        sentence_matrix.write(store, folder, 512, "x")
        best["store"] = min(best["store"], stored - started)
        best["matrix"] = min(best["matrix"], time.thread_time() - stored)
        store.close()
        shutil.rmtree(folder, ignore_errors=True)
    print(f"write only: {n} passages, store inserts {1000 * best['store'] / n:.3f}, sentences.matrix "
          f"{1000 * best['matrix'] / n:.3f} s CPU per 1000 passages (least of {args.parse_only})", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--parts", nargs="+", default=["xquad", "man"])
    parser.add_argument("--dirs", nargs="+", default=None,
                        help="folders to index instead of --parts under the data folder (e.g. a copy of peer.py's docs)")
    parser.add_argument("--out", default=str(HERE / "out" / "overhead" / "run"))
    parser.add_argument("--json", default=None)
    parser.add_argument("--parse-only", type=int, default=0, metavar="REPS",
                        help="only the parse step (`indexer._prepare` of every file, one thread, no model), "
                             "REPS times: the least CPU per 1000 passages")
    args = parser.parse_args()
    if args.parse_only:
        return parse_only(args)

    import qa
    from qa import build_index, indexer
    from qa.encoder import encoders

    write_xquad(DATA)
    roots = [Path(d) for d in args.dirs] if args.dirs else [DATA / part for part in args.parts]
    files = sorted(p for root in roots for p in root.rglob("*") if p.is_file())
    work = Path(args.out)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    encoder = encoders.get("use-m3")
    encoder.encode_documents(["warm up"] * 64)
    runner = encoder.model[0].runner
    meter = CpuMeter()
    runner._encode = meter.wrap(runner._encode)
    runner._encode_pieces = meter.wrap(runner._encode_pieces)
    texts = []
    for f in files:  # the texts as build_index embeds them, parsed outside any timing
        item = indexer._prepare(indexer._Prepared(f, str(f), 0, 0, None), encoder.max_chars)
        texts.extend(p.text for p in item.passages)
    parse_meter = CpuMeter()
    prepare = indexer._prepare
    indexer._prepare = parse_meter.wrap(prepare)
    words_meter = CpuMeter()  # add_words, its encoder calls included
    indexer.add_words = words_meter.wrap(indexer.add_words)
    words_model = CpuMeter()  # the model's share of add_words (`UseRunner._encode_words` in its workers)
    runner._encode_words = words_model.wrap(runner._encode_words)
    print(f"qa from {Path(qa.__file__).parent}; {len(files)} files, {len(texts)} passages; "
          f"load {os.getloadavg()}", flush=True)

    rounds = []
    for r in range(args.rounds):
        meter.seconds = 0.0
        c, t = time.process_time(), time.perf_counter()
        for i in range(0, len(texts), 256):
            encoder.encode_documents(texts[i:i + 256])
        raw = {"wall": time.perf_counter() - t, "cpu": time.process_time() - c, "encoder_cpu": meter.seconds}
        meter.seconds, meter.by_thread, parse_meter.seconds, words_meter.seconds = 0.0, {}, 0.0, 0.0
        words_model.seconds, words_model.by_thread = 0.0, {}
        index = work / f"index-{r}"
        main0 = time.thread_time()
        c, t = time.process_time(), time.perf_counter()
        report = build_index(roots, index=index, progress=False)
        build = {"wall": time.perf_counter() - t, "cpu": time.process_time() - c, "encoder_cpu": meter.seconds,
                 "words_cpu": words_meter.seconds, "words_model_cpu": words_model.seconds,
                 "main_cpu": time.thread_time() - main0 - meter.by_thread.get("MainThread", 0.0)
                 - words_model.by_thread.get("MainThread", 0.0),
                 "parse_cpu": parse_meter.seconds}
        assert report.passages_embedded == len(texts), (report.passages_embedded, len(texts))
        n = len(texts)
        build["outside_cpu"] = build["cpu"] - build["encoder_cpu"] - build["words_model_cpu"]
        row = {"round": r + 1, "passages": n, "raw_pps": n / raw["wall"], "build_pps": n / build["wall"],
               "ratio": raw["wall"] / build["wall"], "raw": raw, "build": build, "load": os.getloadavg(),
               "outside_cpu_per_1000": 1000 * build["outside_cpu"] / n,
               "parse_cpu_per_1000": 1000 * build["parse_cpu"] / n, "main_cpu_per_1000": 1000 * build["main_cpu"] / n,
               "words_cpu_per_1000": 1000 * build["words_cpu"] / n,
               "words_model_cpu_per_1000": 1000 * build["words_model_cpu"] / n,
               "raw_outside_per_1000": 1000 * (raw["cpu"] - raw["encoder_cpu"]) / n}
        rounds.append(row)
        print(f"round {r + 1}: raw {row['raw_pps']:.0f}/s build {row['build_pps']:.0f}/s ratio {row['ratio']:.3f} | "
              f"CPU s/1000 passages: build outside encoder {row['outside_cpu_per_1000']:.3f} "
              f"(parse {row['parse_cpu_per_1000']:.3f}, main {row['main_cpu_per_1000']:.3f}), "
              f"add_words {row['words_cpu_per_1000']:.3f} (its model {row['words_model_cpu_per_1000']:.3f}), "
              f"raw outside {row['raw_outside_per_1000']:.3f}; encoder CPU raw {raw['encoder_cpu']:.2f} "
              f"build {build['encoder_cpu']:.2f} | load {row['load'][0]:.2f}", flush=True)
        shutil.rmtree(index, ignore_errors=True)

    if not rounds:
        rounds = [{"raw": {"wall": 0.0}, "build": {"wall": 1.0}, "outside_cpu_per_1000": 0.0,
                   "parse_cpu_per_1000": 0.0, "main_cpu_per_1000": 0.0}]  # --rounds 0: the profile only
    total_raw = sum(r["raw"]["wall"] for r in rounds)
    total_build = sum(r["build"]["wall"] for r in rounds)
    summary = {"qa": str(Path(qa.__file__).parent), "passages": len(texts), "files": len(files),
               "ratio": total_raw / total_build,
               "outside_cpu_per_1000": sum(r["outside_cpu_per_1000"] for r in rounds) / len(rounds),
               "parse_cpu_per_1000": sum(r["parse_cpu_per_1000"] for r in rounds) / len(rounds),
               "main_cpu_per_1000": sum(r["main_cpu_per_1000"] for r in rounds) / len(rounds),
               "words_cpu_per_1000": sum(r.get("words_cpu_per_1000", 0.0) for r in rounds) / len(rounds),
               "rounds": rounds}
    print(f"summary: ratio {summary['ratio']:.3f}; CPU s/1000 passages outside encoder "
          f"{summary['outside_cpu_per_1000']:.3f} (parse {summary['parse_cpu_per_1000']:.3f}, "
          f"main {summary['main_cpu_per_1000']:.3f}; add_words {summary['words_cpu_per_1000']:.3f})", flush=True)

    if args.profile:
        profiles = Profiles()
        indexer._prepare = profiles.wrap(prepare)
        main_prof = cProfile.Profile(time.thread_time)
        index = work / "index-profiled"
        main_prof.runcall(build_index, roots, index=index, progress=False)
        for name, prof in profiles.all:
            print(f"\n=== parse thread {name}: by own time ===\n{top(prof, 30, 'tottime')}")
            print(f"\n=== parse thread {name}: cumulative ===\n{top(prof, 40, 'cumulative')}")
        print(f"\n=== main thread: cumulative ===\n{top(main_prof, 45, 'cumulative')}")
        print(f"\n=== main thread: by own time ===\n{top(main_prof, 25, 'tottime')}")
        summary["profile_dir"] = str(index)
    if args.json:
        Path(args.json).write_text(json.dumps(summary, indent=1))


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    main()
