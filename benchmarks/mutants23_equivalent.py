"""The measurements behind mutants23's equivalent mutants (docs/reliability.md, "Session 23: checks
that cannot fail, round 7"): what would have to differ for the mutant to behave otherwise, counted.

    PYTHONPATH=$PWD python benchmarks/mutants23_equivalent.py

stops-clause-unsorted (`qa.script_stops.class_of` without `sorted`): each mark is escaped
(`re.escape`), so no order of them makes a range or a negation; the class matches the same
characters in any order. Counted over all of Unicode for 20 shuffled orders of the heading test's
marks and of the PDF and subtitle readers'.

ranges-writable (`qa.mapped.file_ranges` without `"w" not in` the permissions): the files remembered
are FAISS indexes read with IO_FLAG_MMAP, which maps them read-only; a writable map of one would
have to exist. Counted: the maps of an IVF index's file after loading it and searching, writable ones.
"""
from __future__ import annotations

import random
import re
import tempfile
from pathlib import Path

import numpy as np

from qa.script_stops import CLAUSE_MARKS, SENTENCE_STOPS, class_of


def _matched(pattern: str) -> frozenset[str]:
    compiled = re.compile(pattern)
    return frozenset(c for c in map(chr, range(0x110000)) if compiled.fullmatch(c))


def main() -> None:
    rng = random.Random(23)
    differ = 0
    for marks in (SENTENCE_STOPS | CLAUSE_MARKS, SENTENCE_STOPS | frozenset(":;»\"”’)"), SENTENCE_STOPS):
        sorted_class = _matched(class_of(marks))
        assert sorted_class == marks
        for _ in range(20):
            order = list(marks)
            rng.shuffle(order)
            differ += _matched("[" + "".join(re.escape(m) for m in order) + "]") != sorted_class
    print(f"stops-clause-unsorted: 60 shuffled classes, {differ} match other characters than the sorted one "
          f"-> {'equivalent' if differ == 0 else 'NOT equivalent'}")


def writable_maps() -> None:
    from qa.vectors import IVF_SQ8, VectorIndex

    rng = np.random.default_rng(23)
    vectors = rng.standard_normal((20000, 512)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    with tempfile.TemporaryDirectory(prefix="mutants23-eq-") as tmp:
        VectorIndex.build(np.arange(20000, dtype=np.int64), vectors, kind=IVF_SQ8).save(Path(tmp), 1)
        loaded = VectorIndex.load(Path(tmp), 512, 1)
        loaded.index.search(vectors[:50], 10)
        path = str((Path(tmp) / "vectors.faiss").resolve())
        maps = [line.split() for line in open("/proc/self/maps") if line.rstrip().endswith(path)]
        writable = [m for m in maps if "w" in m[1]]
        print(f"ranges-writable: {len(maps)} map(s) of the FAISS file, {len(writable)} writable "
              f"-> {'equivalent for these files' if maps and not writable else 'NOT equivalent'}")
        del loaded


if __name__ == "__main__":
    main()
    writable_maps()
