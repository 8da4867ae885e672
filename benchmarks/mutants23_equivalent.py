"""The measurements behind mutants23's equivalent mutants (docs/reliability.md, "Session 23: checks
that cannot fail, round 7"): what would have to differ for the mutant to behave otherwise, counted.

    PYTHONPATH=$PWD python benchmarks/mutants23_equivalent.py

stops-clause-unsorted (`qa.script_stops.class_of` without `sorted`): each mark is escaped
(`re.escape`), so no order of them makes a range or a negation; the class matches the same
characters in any order. Counted over all of Unicode for 20 shuffled orders of the heading test's
marks and of the PDF and subtitle readers'.
"""
from __future__ import annotations

import random
import re

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


if __name__ == "__main__":
    main()
