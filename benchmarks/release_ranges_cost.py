"""Process CPU per question when `mapped.release` reads /proc/self/maps at every release (session
21's code) against when it keeps the mapped files' ranges while the same indexes are open (session
22): one process, one `Retriever`, the same questions asked in blocks of `mapped.RELEASE_EVERY`,
each block twice in turn (re-read, kept; then kept, re-read), each block ending with its release
as a serving process's every 8th question does. The re-read arm forgets the kept ranges before
its release, which then reads and parses /proc/self/maps as the old code did. Every hit of both
arms is compared (`to_dict`).

    python benchmarks/release_ranges_cost.py --index benchmarks/out/level-100000/index --questions 280
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from common import warmed_retriever  # noqa: E402


def main() -> None:
    from qa import mapped

    r, qs = warmed_retriever(__doc__.splitlines()[0])
    assert mapped._files, "no mapped IVF index here: nothing to compare"
    every = mapped.RELEASE_EVERY
    arms: dict[str, list[float]] = {"re-read": [], "kept": []}
    release_ms: dict[str, list[float]] = {"re-read": [], "kept": []}
    hits: dict[str, list] = {"re-read": [], "kept": []}
    ratios = []
    mapped.release()
    for b, first in enumerate(range(0, len(qs) - every + 1, every)):
        block = qs[first:first + every]
        cpu = {}
        for arm in (("re-read", "kept") if b % 2 == 0 else ("kept", "re-read")):
            p = time.process_time()
            found = [r.search(q, k=5) for q in block]
            if arm == "re-read":
                mapped._ranges = (None, [])
            t = time.process_time()
            mapped.release()
            release_ms[arm].append((time.process_time() - t) * 1000)
            cpu[arm] = (time.process_time() - p) / len(block) * 1000
            arms[arm].append(cpu[arm])
            hits[arm] += [[h.to_dict() for h in hs] for hs in found]
        ratios.append(cpu["kept"] / cpu["re-read"])
    maps = sum(1 for _ in open("/proc/self/maps"))
    print(f"{len(ratios)} blocks of {every} questions, {maps} maps in the process; process CPU per question, "
          f"median ms: re-read {statistics.median(arms['re-read']):.2f}, kept {statistics.median(arms['kept']):.2f}; "
          f"kept/re-read per block: median {statistics.median(ratios):.3f}, mean {statistics.mean(ratios):.3f}; "
          f"one release, median ms of process CPU: re-read {statistics.median(release_ms['re-read']):.2f}, "
          f"kept {statistics.median(release_ms['kept']):.2f}; hits the same in both arms: {hits['re-read'] == hits['kept']}")


if __name__ == "__main__":
    main()
