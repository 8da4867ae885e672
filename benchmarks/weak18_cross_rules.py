"""Grid weak-match rules on benchmarks/weak18_dump.py's dump (issue #15, docs/quality.md "Session 18").

    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/weak18_cross_rules.py DUMP.pkl --grid          # dev only
    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/weak18_cross_rules.py DUMP.pkl --rule NAME,ARGS  # both splits

Split (quality.py's `is_dev`): dev = the runs among en es de zh (4 mono, 6 cross) and OFF_TOPIC_DEV +
OFF_TOPIC_DEV2 against the en es de zh pools; held-out = ar ru vi mono, ru->es ar->es ru->en, and
OFF_TOPIC_HELD_OUT (against the en and es pools, top 1, as quality.py counts; and all 7 pools).
Gold shown weak = of the questions whose gold paragraph is in the top 10, the share whose first gold
passage is flagged (qa.evaluate's `gold_shown_weak`). An off-topic question passes when its top hit
is not weak (quality.py; "top 5": when any of its top 5 is not weak).

Every rule keeps the shipped flag for a hit in the question's language (mono runs are unchanged by
construction) and changes it for a hit in another language only.
"""
from __future__ import annotations

import argparse
import pickle
import sys
from itertools import product
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from quality import is_dev  # noqa: E402

DEV_POOLS = ("en", "es", "de", "zh")


def shipped(h: dict, q: dict) -> bool:
    return h["weak"]


def rules() -> dict:
    """name -> (function of the grid's parameters returning a flag function, the parameter grid)."""
    def cross(rule):
        # only a hit in another language than the question's is judged anew
        def flag(h, q):
            return h["weak"] if h["plang"] == q["qlang"] else rule(h, q)
        return flag

    def words(t, f):  # translated words release with its own bar and floor
        return cross(lambda h, q: h["weak"] and not (h["words_evidence"] >= t and h["dense"] >= f))

    def names(t, f):
        return cross(lambda h, q: h["weak"] and not (h["names_evidence"] >= t and h["dense"] >= f))

    def lexany(t, f):  # all lexical evidence across languages together: own tokens, translated words, names
        return cross(lambda h, q: h["weak"] and not (h["evidence"] + h["words_evidence"] + h["names_evidence"] >= t
                                                    and h["dense"] >= f))

    def first(f, m):  # the question's best dense candidate, ahead of the next by m
        def rule(h, q):
            if not h["weak"]:
                return False
            top = q["qdense"]
            return not (h["dense_rank"] == 0 and h["dense"] >= f and len(top) > 1 and top[0] - top[1] >= m)
        return cross(rule)

    def agree(f, r):  # first by dense and among the first r of the translated words or names
        def rule(h, q):
            if not h["weak"]:
                return False
            ranks = [x for x in (h["words_rank"], h["names_rank"]) if x is not None]
            return not (h["dense_rank"] == 0 and ranks and min(ranks) < r and h["dense"] >= f)
        return cross(rule)

    def gap(f, m, n):  # above the question's n-th best dense candidate by m (its own distribution)
        def rule(h, q):
            if not h["weak"]:
                return False
            top = q["qdense"]
            return not (len(top) > n and h["dense"] >= f and h["dense"] - top[n] >= m)
        return cross(rule)

    def lin(a, b, bar):  # dense + a * words evidence + b * names evidence
        return cross(lambda h, q: h["weak"] and not (
            h["dense"] + a * min(h["words_evidence"], 4) + b * min(h["names_evidence"], 4) >= bar))

    def cluster(k, m, f):  # the question's own best k dense candidates sit high: it belongs to the collection
        return cross(lambda h, q: h["weak"] and not (h["dense"] >= f and sum(q["qdense"][:k]) / k >= m))

    def clin(k, a, bar):  # dense + a * the mean of the question's best k dense candidates
        return cross(lambda h, q: h["weak"] and not (h["dense"] + a * sum(q["qdense"][:k]) / k >= bar))

    def bar(b):  # a lower dense bar across languages
        return cross(lambda h, q: h["weak"] and not h["dense"] >= b)

    r = lambda a, b, s: [round(a + s * k, 4) for k in range(int(round((b - a) / s)) + 1)]  # noqa: E731
    return {
        "shipped": (lambda: shipped, [()]),
        "bar": (bar, list(product(r(0.15, 0.24, 0.005)))),
        "words": (words, list(product(r(0.5, 2.5, 0.25), r(0.12, 0.24, 0.01)))),
        "names": (names, list(product(r(0.25, 2.5, 0.25), r(0.10, 0.24, 0.01)))),
        "lexany": (lexany, list(product(r(0.5, 3.0, 0.25), r(0.12, 0.24, 0.01)))),
        "first": (first, list(product(r(0.10, 0.24, 0.01), r(0.0, 0.10, 0.01)))),
        "agree": (agree, list(product(r(0.10, 0.24, 0.01), [1, 2, 3, 5]))),
        "gap": (gap, list(product(r(0.10, 0.24, 0.01), r(0.02, 0.16, 0.01), [1, 2, 4, 9, 19, 49]))),
        "cluster": (cluster, list(product([3, 5, 10, 20], r(0.12, 0.24, 0.005), r(0.10, 0.24, 0.01)))),
        "clin": (clin, list(product([3, 5, 10, 20], r(0.25, 2.0, 0.25), r(0.30, 0.70, 0.005)))),
        "lin": (lin, list(product(r(0.0, 0.06, 0.005), r(0.0, 0.06, 0.005), [0.24]))),
    }


def gold_share(recs: list[dict], flag) -> tuple[float, int, int]:
    shown = flagged = 0
    for q in recs:
        golds = [h for h in q["hits"] if h["gold"]]
        if golds:
            shown += 1
            flagged += flag(golds[0], q)
    return (flagged / shown if shown else 0.0), flagged, shown


def passing(recs: list[dict], flag, top: int = 1) -> int:
    return sum(any(not flag(h, q) for h in q["hits"][:top]) for q in recs)


def measure(dump: dict, flag, dev: bool) -> dict:
    runs = {k: v for k, v in dump["runs"].items() if is_dev(*k.split("->")) == dev}
    shares = {k: gold_share(v, flag) for k, v in runs.items()}
    if dev:
        off = {k: v for k, v in dump["off"].items() if k.split("@")[0] in ("off_dev", "off_dev2")
               and k.split("@")[1] in DEV_POOLS}
    else:
        off = {k: v for k, v in dump["off"].items() if k.startswith("off_held@")}
    mono = {k: s for k, s in shares.items() if k.split("->")[0] == k.split("->")[1]}
    cross = {k: s for k, s in shares.items() if k not in mono}
    return {"mono": mono, "cross": cross,
            "worst_mono": max(s[0] for s in mono.values()), "worst_cross": max(s[0] for s in cross.values()),
            "flagged": sum(s[1] for s in shares.values()),
            "off1": {k: passing(v, flag, 1) for k, v in off.items()},
            "off5": {k: passing(v, flag, 5) for k, v in off.items()}}


def grid(dump: dict, families: list[str]) -> None:
    base = measure(dump, shipped, True)
    base_leaks = {(k, n) for k, v in dump["off"].items() if k.split("@")[1] in DEV_POOLS and not k.startswith("off_held")
                  for n, q in enumerate(v) if not shipped(q["hits"][0], q)}
    print(f"shipped dev: worst mono {base['worst_mono']:.3f}, worst cross {base['worst_cross']:.3f}, "
          f"flagged {base['flagged']}, off-topic passing top1 {sum(base['off1'].values())}, "
          f"top5 {sum(base['off5'].values())}")
    for fam in families:
        make, params = rules()[fam]
        best = []
        for p in params:
            flag = make(*p)
            m = measure(dump, flag, True)
            leaks = {(k, n) for k, v in dump["off"].items() if k.split("@")[1] in DEV_POOLS
                     and not k.startswith("off_held") for n, q in enumerate(v) if not flag(q["hits"][0], q)}
            new = len(leaks - base_leaks)
            top5 = sum(m["off5"].values())
            best.append((new, top5 > sum(base["off5"].values()), m["worst_cross"], m["flagged"], p, top5))
        best.sort(key=lambda x: x[:4])
        for new, _, worst, flagged, p, top5 in best[:5]:
            print(f"{fam}{p}: new top-1 leaks {new}, top-5 passing {top5}, worst dev cross {worst:.3f}, "
                  f"dev gold flagged {flagged}")


def report(dump: dict, flag, label: str, held_out: bool) -> None:
    for dev in (True, False) if held_out else (True,):
        m = measure(dump, flag, dev)
        print(f"{label} {'dev' if dev else 'held-out'}: worst mono {m['worst_mono']:.3f}, "
              f"worst cross {m['worst_cross']:.3f}, gold flagged {m['flagged']}")
        print("  " + ", ".join(f"{k} {s[0]:.3f} ({s[1]}/{s[2]})" for k, s in {**m["mono"], **m["cross"]}.items()))
        print("  off-topic passing top 1: " + ", ".join(f"{k} {v}" for k, v in m["off1"].items() if v))
        print(f"  total top 1 {sum(m['off1'].values())}, top 5 {sum(m['off5'].values())}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dump")
    ap.add_argument("--grid", nargs="*")
    ap.add_argument("--rule")
    ap.add_argument("--held-out", action="store_true", help="also read the held-out split (once, after choosing)")
    args = ap.parse_args()
    dump = pickle.loads(Path(args.dump).read_bytes())
    if args.grid is not None:
        grid(dump, args.grid or [f for f in rules() if f != "shipped"])
    if args.rule:
        name, *values = args.rule.split(",")
        report(dump, shipped, "shipped", args.held_out)
        make = rules()[name][0]
        report(dump, make(*[float(v) if "." in v else int(v) for v in values]), args.rule, args.held_out)


if __name__ == "__main__":
    main()
