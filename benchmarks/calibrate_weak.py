"""Choose the weak-match rule on a development split and read it on the held-out split, from
a dump of benchmarks/calibrate_dump.py.

    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/calibrate_weak.py DUMP.pkl

Split: XQuAD questions whose paragraph has an even index are the development split, odd ones
held out (every run, mono and cross); off-topic questions: OFF_TOPIC_DEV to choose,
OFF_TOPIC_HELD_OUT to check (benchmarks/off_topic.py). A question's gold passage counts as
flagged when it is weak or not in the top 10 (as `qa eval`'s gold_weak).
"""
from __future__ import annotations

import pickle
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.fusion import LEXICAL_WEIGHT_CROSS, LEXICAL_WEIGHT_SAME, WEAK_DENSE, WEAK_LEXICAL, lexical_evidence  # noqa: E402

K = 10
PASSAGES = 250  # XQuAD pools: 240 paragraphs, 240-255 passages


def candidate(q: dict, i: int, scale: float = 1.0) -> tuple[float, float]:
    """(dense score, lexical evidence) of candidate i, as Retriever computes them: the raw
    BM25 is recovered from the fused score (fusion.fuse scales the dense score by the model's
    calibration and divides BM25 by the question's best)."""
    dense = q["dense"][i]
    weight = LEXICAL_WEIGHT_SAME if q["plang"][i] == q["qlang"] else LEXICAL_WEIGHT_CROSS
    bm25 = (q["fused"][i] - scale * dense) / weight * (q["bm25"][0] if q["bm25"] else 0.0)
    return dense, lexical_evidence(bm25, PASSAGES)


def gold_flagged(q: dict, rule, scale: float = 1.0) -> bool | None:
    """Whether the gold passage is flagged weak; None when it is not in the top 10."""
    seen = q["source"][:K]
    if q["gold"] not in seen:
        return None
    return rule(*candidate(q, seen.index(q["gold"]), scale))


def split(questions: list[dict], held_out: bool) -> list[dict]:
    return [q for q in questions if (int(q["gold"][1:6]) % 2 == 1) == held_out]


def shares(dump: dict, rule, held_out: bool) -> tuple[dict, dict]:
    flagged, scale = {}, dump.get("dense_scale", 1.0)
    for run, qs in dump["runs"].items():
        marks = [gold_flagged(q, rule, scale) for q in split(qs, held_out)]
        found = [m for m in marks if m is not None]
        flagged[run] = (sum(found) / len(found), sum(m is not False for m in marks) / len(marks))
    prefix = "held_out" if held_out else "dev"
    passing = {k: sum(not rule(*candidate(q, 0, scale)) for q in v) for k, v in dump["off_topic"].items() if k.startswith(prefix)}
    return flagged, passing


def worst(flagged: dict, cross: bool) -> float:
    return max(v[0] for r, v in flagged.items() if (r.split("->")[0] != r.split("->")[1]) == cross)


def report(dump: dict, rule, label: str) -> None:
    print(f"== {label}")
    for held_out in (False, True):
        flagged, passing = shares(dump, rule, held_out)
        print(f"{'held-out' if held_out else 'dev'}: off-topic passing {passing}; gold flagged weak "
              f"(of gold in the top 10) max mono {worst(flagged, False):.3f}, max cross {worst(flagged, True):.3f}")
        print("   " + " ".join(f"{r} {v[0]:.3f}/{v[1]:.3f}" for r, v in flagged.items()))


def main() -> None:
    dump = pickle.loads(Path(sys.argv[1]).read_bytes())
    print("per run: gold flagged weak among gold in the top 10 / flagged or not in the top 10")
    report(dump, lambda d, e: d < 0.20, "before: dense < 0.20")
    grid = []
    for dense in np.arange(0.18, 0.27, 0.01):
        for lexical in (0.5, 1.0, 1.5, 2.0, 3.0, float("inf")):
            rule = lambda d, e, t=dense, l=lexical: d < t and e < l  # noqa: E731
            flagged, passing = shares(dump, rule, held_out=False)
            if any(passing.values()):
                continue
            grid.append((worst(flagged, False), worst(flagged, True), round(dense, 2), lexical))
    grid.sort()
    print("dev grid (no dev off-topic question passing), best by the worst monolingual run:")
    for row in grid[:8]:
        print(f"   mono max {row[0]:.3f} cross max {row[1]:.3f}: dense < {row[2]} and evidence < {row[3]}")
    report(dump, lambda d, e: d < WEAK_DENSE and e < WEAK_LEXICAL,
           f"chosen (qa.fusion): dense < {WEAK_DENSE} and evidence < {WEAK_LEXICAL}")


if __name__ == "__main__":
    main()
