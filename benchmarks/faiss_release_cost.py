"""CPU of searches when the mapped IVF index's pages are given back with the model tables
(qa/mapped.py, `remember_file`) against when they are kept: one process, one `Retriever`, the same
questions asked in blocks of `mapped.RELEASE_EVERY`, each block twice in turn (with, without; then
without, with), the process's CPU per question compared block by block, and every hit of both arms
compared (`to_dict`).

    python benchmarks/faiss_release_cost.py --index benchmarks/out/level-100000/index --questions 280
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
    files = dict(mapped._files)
    every = mapped.RELEASE_EVERY
    ratios, arms = [], {"with": [], "without": []}
    hits: dict[str, list] = {"with": [], "without": []}
    for b, first in enumerate(range(0, len(qs) - every + 1, every)):
        block = qs[first:first + every]
        cpu = {}
        for arm in (("with", "without") if b % 2 == 0 else ("without", "with")):
            mapped._files.clear()
            if arm == "with":
                mapped._files.update(files)
            mapped.release()  # the block starts after a release, as every 8th question's successor does
            p = time.process_time()
            found = [r.search(q, k=5) for q in block]
            cpu[arm] = (time.process_time() - p) / len(block) * 1000
            arms[arm].append(cpu[arm])
            hits[arm] += [[h.to_dict() for h in hs] for hs in found]
        ratios.append(cpu["with"] / cpu["without"])
    print(f"{len(ratios)} blocks of {every} questions; process CPU per question, median ms: with release "
          f"{statistics.median(arms['with']):.2f}, without {statistics.median(arms['without']):.2f}; "
          f"with/without per block: median {statistics.median(ratios):.3f}, mean {statistics.mean(ratios):.3f}; "
          f"hits the same in both arms: {hits['with'] == hits['without']}")


if __name__ == "__main__":
    main()
