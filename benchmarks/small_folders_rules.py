"""Weak rules for small folders, recomputed on benchmarks/small_folders.py's dump (docs/quality.md,
"Session 16: weak matches in small folders"). Each rule keeps `qa.fusion.is_weak` and replaces the
lexical evidence of a collection under N0 passages by the evidence counted among N0:

    scale,N0       each word's IDF and the unit among max(N, N0) passages, BM25's term-frequency part kept
    held,N0        the same, each word held counting 1 whatever its frequency and the passage's length
    scale-half,N0  as scale, but a word in half the folder's passages or more keeps its IDF among N (0)
    held-half,N0   as held, the same

    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/small_folders_rules.py DUMP --grid        # dev only
    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/small_folders_rules.py DUMP --rule scale,50  # held-out
"""
from __future__ import annotations

import argparse
import math
import pickle
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.fusion import is_weak  # noqa: E402
from small_folders import idf, summary, table  # noqa: E402


def evidence(rec: dict, j: int, family: str, floor: int) -> float:
    n, i = rec["passages"], rec["ids"][j]
    scale = max(n, floor)
    unit = math.log((max(scale - 0.5, 3.0)) / 1.5)
    total = 0.0
    for m, parts in rec["terms"].values():
        part = parts.get(i, 0.0)
        if part > 0:
            # "-half": a word in half the folder's passages or more stays common (FTS5's IDF there is 0)
            common = family.endswith("-half") and 2 * m >= n
            weight = idf(m, n if common else scale) if family != "now" else idf(m, n)
            total += weight * (part if not family.startswith("held") else 1.0)
    return total / unit


def flags(family: str, floor: int):
    def weak_of(rec: dict, j: int) -> bool:
        a = dict(rec["args"][j])
        if family != "now" and rec["passages"] < floor:
            # `now` rebuilds the search's evidence; the others only free (the larger evidence)
            a["evidence"] = max(a["evidence"], evidence(rec, j, family, floor))
        return is_weak(**a)
    return weak_of


def check(records: list[dict]) -> float:
    """The largest gap between the search's evidence and the one rebuilt from the words (N0 = 0)."""
    return max(abs(evidence(r, j, "now", 0) - r["args"][j]["evidence"]) for r in records for j in range(len(r["ids"])))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("dump", type=Path)
    parser.add_argument("--grid", action="store_true")
    parser.add_argument("--rule")
    parser.add_argument("--dev", default="dev", help="the splits the grid reads, comma-separated (round 2: "
                        "dev,held-out on the --extra dump)")
    args = parser.parse_args()
    records = pickle.loads(args.dump.read_bytes())
    print(f"evidence rebuilt from the words, largest gap: {check(records):.2e}")
    if args.grid:
        dev = [r for r in records if r["split"] in args.dev.split(",")]
        for family in ("scale", "held", "scale-half", "held-half"):
            for floor in (10, 20, 30, 50, 75, 100, 150, 240):
                s = summary(dev, flags(family, floor))
                tot = {k: sum(v[k] for name, v in s.items() if not name.endswith("-all"))
                       for k in ("shown_weak", "shown", "off_passing", "off")}
                al = s.get("dev-all", dict(shown_weak=0, shown=0, off_passing=0, off=0))
                rule = flags(family, floor)
                freed = sum(1 for r in dev if r["gold"] is None for j in range(len(r["ids"]))
                            if r["weak"][j] and not rule(r, j))
                print(f"{family},{floor}: folders gold weak {tot['shown_weak']}/{tot['shown']} off passing "
                      f"{tot['off_passing']}/{tot['off']}; dev-all {al['shown_weak']}/{al['shown']} "
                      f"{al['off_passing']}/{al['off']}; off-topic top-5 hits freed {freed}")
    if args.rule:
        family, floor = args.rule.split(",")
        print(table(summary(records)))
        print()
        print(table(summary(records, flags(family, int(floor)))))


if __name__ == "__main__":
    main()
