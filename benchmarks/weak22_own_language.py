"""What a cross-language question gets from its paragraph in its own language (docs/quality.md "Session 22",
(b)): XQuAD's pools are parallel, so for each cross run Q->P of benchmarks/weak18_dump.py's dump the same
question's Q->Q record holds its gold paragraph in Q. Per pair, of the cross gold the shipped rule flags:
its own-language dense score, whether it would be under the bar there, and what frees it there.

    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/weak22_own_language.py DUMP.pkl
"""
from __future__ import annotations

import pickle
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from qa.fusion import WEAK_DENSE, WEAK_LEXICAL  # noqa: E402
from quality import is_dev  # noqa: E402


def gold(q: dict) -> dict | None:
    return next((h for h in q["hits"] if h["gold"]), None)


def main() -> None:
    dump = pickle.loads(Path(sys.argv[1]).read_bytes())
    for run, recs in dump["runs"].items():
        qq, p = run.split("->")
        if qq == p:
            continue
        own = {q["question"]: q for q in dump["runs"][f"{qq}->{qq}"]}
        rows = []
        for q in recs:
            g, o = gold(q), own.get(q["question"])
            og = gold(o) if o is not None else None
            if g is not None and og is not None:
                rows.append((g["weak"], g["dense"], og["dense"], og["weak"], og["evidence"]))
        a = np.array(rows, dtype=float)
        fl, ok = a[a[:, 0] == 1], a[a[:, 0] == 0]
        print(f"{run:7s} {'dev' if is_dev(qq, p) else 'held-out'} ({len(a)} with gold shown in both); flagged "
              f"{len(fl)}: own-language dense median {np.median(fl[:, 2]):.3f} (across {np.median(fl[:, 1]):.3f}), "
              f"under the bar there {np.mean(fl[:, 2] < WEAK_DENSE):.2f}, flagged there {np.mean(fl[:, 3]):.2f}, "
              f"lexical evidence there >= {WEAK_LEXICAL} {np.mean(fl[:, 4] >= WEAK_LEXICAL):.2f} | not flagged: "
              f"own {np.median(ok[:, 2]):.3f}, across {np.median(ok[:, 1]):.3f}; "
              f"correlation {np.corrcoef(a[:, 1], a[:, 2])[0, 1]:.2f}")


if __name__ == "__main__":
    main()
