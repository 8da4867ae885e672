"""One cold build in this process (imports and model load counted, as peer.py's builds), with the
CPU of every thread of the process read from /proc: the Python threads by name (the encoder's
`qa-encode` workers, `qa-parse`, `qa-words`, `qa-embed`, the main thread) and the threads Python
does not know (`native`: the OpenMP pools of PyTorch and FAISS, OpenBLAS). Threads are polled
every 0.2 s, so one that ends between two polls keeps the CPU of the last poll (at most 0.2 s).

    PYTHONPATH=<checkout> python benchmarks/build_threads.py FOLDER INDEX [--json FILE]

Run it alternately with two checkouts on PYTHONPATH to compare them (docs/performance.md,
"Session 11: build time").
"""
from __future__ import annotations

import os
import sys
import time

STARTED = time.perf_counter(), time.process_time()

import argparse  # noqa: E402
import json  # noqa: E402
import shutil  # noqa: E402
import threading  # noqa: E402
from pathlib import Path  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def thread_cpu() -> dict[str, float]:
    """CPU seconds (user + system) of each live thread of this process, by thread id."""
    cpu = {}
    for tid in os.listdir("/proc/self/task"):
        try:
            stat = Path(f"/proc/self/task/{tid}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        cpu[tid] = (int(fields[11]) + int(fields[12])) / TICK
    return cpu


class Poller:
    def __init__(self) -> None:
        self.cpu: dict[str, float] = {}
        self.names: dict[str, str] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="poll", daemon=True)

    def _poll(self) -> None:
        for t in threading.enumerate():
            self.names[str(t.native_id)] = t.name
        self.cpu.update(thread_cpu())

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            self._poll()

    def __enter__(self) -> "Poller":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self._poll()

    def by_name(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for tid, cpu in self.cpu.items():
            name = self.names.get(tid, "native")
            if name.startswith(("qa-encode", "qa-parse", "qa-words", "qa-embed", "qa-load")):
                name = name.rsplit("_", 1)[0]
            out[name] = out.get(name, 0.0) + cpu
        return dict(sorted(out.items(), key=lambda kv: -kv[1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder")
    parser.add_argument("index")
    parser.add_argument("--json", help="append one line of results to this file")
    args = parser.parse_args()
    shutil.rmtree(args.index, ignore_errors=True)
    with Poller() as poller:
        import qa
        from qa import build_index

        report = build_index([args.folder], index=args.index, progress=False)
    wall, cpu = time.perf_counter() - STARTED[0], time.process_time() - STARTED[1]
    row = {"qa": str(Path(qa.__file__).parent), "passages": report.passages_embedded, "words": report.words,
           "wall": round(wall, 2), "cpu": round(cpu, 2),
           "threads": {k: round(v, 2) for k, v in poller.by_name().items()}, "load": os.getloadavg()[0]}
    print(json.dumps(row), flush=True)
    if args.json:
        with open(args.json, "a") as f:
            f.write(json.dumps(row) + "\n")


if __name__ == "__main__":
    main()
