"""What a Ray build (`qa.cluster.index.build_on_ray`) of a sharded index does when it reads
files again: a fresh build, then the `.txt` reader's version bumped in every shard (every file
read again, same text), then one paragraph of one file edited, then nothing changed.

On a local two-node cluster (one CPU each, as tests/test_cluster.py), over XQuAD articles as
text files (one per article, its contexts as paragraphs). Per step: passages and heads the
embedding actors embedded, the build report's counts, wall time, and the CPU time of this
process and every process it started (Ray's and their workers, sampled: `TreeCpu`).
To compare two checkouts, run it once per checkout (alternating), from each checkout's folder
(Ray's workers import `qa` from the driver's working directory) with PYTHONPATH set to it:

    cd <checkout> && PYTHONPATH=$PWD nice -n 10 .venv/bin/python <this file> --label mine
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

XQUAD = Path(__file__).resolve().parent.parent.parent / "shared" / "bench" / "xquad"


def make_docs(folder: Path, langs: list[str], articles: int, xquad: Path = XQUAD) -> list[Path]:
    files = []
    for lang in langs:
        data = json.loads((xquad / f"xquad.{lang}.json").read_text(encoding="utf-8"))["data"][:articles]
        (folder / lang).mkdir(parents=True)
        for i, article in enumerate(data):
            path = folder / lang / f"{lang}-{i:02d}.txt"
            path.write_text("\n\n".join(p["context"] for p in article["paragraphs"]) + "\n", encoding="utf-8")
            files.append(path)
    return files


class TreeCpu:
    """CPU seconds (user + system) of this process and its descendants over a span, sampled
    every `every` seconds: Ray's workers come and go (an actor pool's end), and a process that
    exits between samples loses at most its last `every` seconds."""

    def __init__(self, every: float = 0.2) -> None:
        self.every = every

    def _sample(self) -> dict[tuple[int, float], float]:
        me = psutil.Process()
        out = {}
        for proc in [me, *me.children(recursive=True)]:
            try:
                with proc.oneshot():
                    t = proc.cpu_times()
                    out[(proc.pid, proc.create_time())] = t.user + t.system
            except psutil.Error:
                continue
        return out

    def __enter__(self) -> "TreeCpu":
        self._start = self._sample()
        self._last = dict(self._start)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self._last.update(self._sample())

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self._last.update(self._sample())
        self.seconds = sum(v - self._start.get(k, 0.0) for k, v in self._last.items())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--label", required=True)
    parser.add_argument("--langs", default="en,de,es")
    parser.add_argument("--articles", type=int, default=16, help="per language")
    parser.add_argument("--shards", type=int, default=2)
    parser.add_argument("--xquad", type=Path, default=XQUAD)
    args = parser.parse_args()

    from ray.cluster_utils import Cluster

    import qa
    from qa import Retriever
    from qa.cluster import index as on_ray
    from qa.readers import READER_VERSIONS
    from qa.store import Store

    embedded: list[int] = []
    embed = on_ray._embed

    def counted(*a, **kw):
        parts = embed(*a, **kw)
        embedded.append(sum(len(p["text"]) for p in parts.values()))
        return parts

    on_ray._embed = counted
    work = Path(tempfile.mkdtemp(prefix="ray-reread-"))
    docs, index = work / "docs", work / "index"
    files = make_docs(docs, args.langs.split(","), args.articles, args.xquad)
    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 1, "include_dashboard": False})
    cluster.add_node(num_cpus=1)
    cluster.wait_for_nodes()
    rows = []
    try:
        def step(name: str, **kw) -> None:
            wall = time.perf_counter()
            with TreeCpu() as cpu:
                report = on_ray.build_on_ray([docs], index, address=cluster.address, progress=False, **kw)
            wall = time.perf_counter() - wall
            rows.append({"step": name, "actors_embedded": embedded.pop() if embedded else 0,
                         "passages_embedded": report.passages_embedded, "passages_kept": report.passages_kept,
                         "updated": report.updated, "unchanged": report.unchanged, "passages": report.passages,
                         "wall_s": round(wall, 1), "cpu_s": round(cpu.seconds, 1), "load": round(os.getloadavg()[0], 1)})
            print(json.dumps(rows[-1]), flush=True)

        step("fresh", shards=args.shards)
        r = Retriever.open(index)
        paths = [s.store.path for s in r.shards]
        r.close()
        for path in paths:
            store = Store(path)
            with store.transaction() as conn:
                store.set_meta(conn, reader_versions=json.dumps({**READER_VERSIONS, ".txt": -1}))
            store.close()
        step("txt reader bumped")
        target = files[0]
        paragraphs = target.read_text(encoding="utf-8").rstrip("\n").split("\n\n")
        paragraphs[-1] += " This sentence was added to the last paragraph."
        target.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
        step("one paragraph edited")
        step("nothing changed")
    finally:
        import ray

        ray.shutdown()
        cluster.shutdown()
        shutil.rmtree(work, ignore_errors=True)
    out = Path(__file__).resolve().parent / "out"
    out.mkdir(exist_ok=True)
    (out / f"ray_reread-{args.label}-{int(time.time())}.json").write_text(
        json.dumps({"label": args.label, "qa": str(Path(qa.__file__).parent), "files": len(files), "rows": rows},
                   indent=1))


if __name__ == "__main__":
    sys.exit(main())
