"""Process CPU and minor page faults per question when a question's rows of USE's embedding table
and of the language identifier's feature table are read through their maps (session 21's code)
against read with `pread` (`qa.mapped.Rows`, session 22): one process, one `Retriever`, the same
questions asked in blocks of `mapped.RELEASE_EVERY`, each block twice in turn (map, rows; then
rows, map), its query vectors forgotten before each arm and each arm ending with the release a
serving process makes at every 8th question. Every hit of both arms is compared (`to_dict`).

    python benchmarks/rows_cost.py --index benchmarks/out/level-100000/index --questions 280
"""
from __future__ import annotations

import resource
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
    from qa.language import detect_language

    r, qs = warmed_retriever(__doc__.splitlines()[0])
    backend, identifier = r.encoder._use_runner.backend, detect_language._loaded()
    rows = {"table": backend.table, "ptc": identifier.nb_ptc}
    assert all(isinstance(t, mapped.Rows) for t in rows.values()), "this qa reads no rows with pread"

    def arm(name: str) -> None:
        backend.table = rows["table"] if name == "rows" else rows["table"].array
        identifier.nb_ptc = rows["ptc"] if name == "rows" else rows["ptc"].array

    every = mapped.RELEASE_EVERY
    cpu: dict[str, list[float]] = {"map": [], "rows": []}
    faults: dict[str, list[float]] = {"map": [], "rows": []}
    hits: dict[str, list] = {"map": [], "rows": []}
    ratios = []
    mapped.release()
    for b, first in enumerate(range(0, len(qs) - every + 1, every)):
        block = qs[first:first + every]
        ms = {}
        for name in (("map", "rows") if b % 2 == 0 else ("rows", "map")):
            arm(name)
            r.encoder.clear_cache()
            f, p = resource.getrusage(resource.RUSAGE_SELF).ru_minflt, time.process_time()
            found = [r.search(q, k=5) for q in block]
            mapped.release()
            ms[name] = (time.process_time() - p) / len(block) * 1000
            cpu[name].append(ms[name])
            faults[name].append((resource.getrusage(resource.RUSAGE_SELF).ru_minflt - f) / len(block))
            hits[name] += [[h.to_dict() for h in hs] for hs in found]
        ratios.append(ms["rows"] / ms["map"])
    print(f"{len(ratios)} blocks of {every} questions; process CPU per question, median ms: "
          f"map {statistics.median(cpu['map']):.2f}, rows {statistics.median(cpu['rows']):.2f}; "
          f"rows/map per block: median {statistics.median(ratios):.3f}, mean {statistics.mean(ratios):.3f}; "
          f"minor faults per question, median: map {statistics.median(faults['map']):.1f}, "
          f"rows {statistics.median(faults['rows']):.1f}; hits the same in both arms: {hits['map'] == hits['rows']}")


if __name__ == "__main__":
    main()
