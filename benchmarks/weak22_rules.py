"""Grid weak-match rules across languages against a null from the question's own language (issue #15,
docs/quality.md "Session 22"), on benchmarks/weak18_dump.py's dump and weak22_probe_dump.py's probes.

    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/weak22_rules.py DUMP.pkl PROBES.pkl --grid [FAMILY ...]  # dev
    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/weak22_rules.py DUMP.pkl PROBES.pkl --rule NAME,ARGS --held-out
    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/weak22_rules.py DUMP.pkl PROBES.pkl --features  # dev only

The null of a question in language Q against a collection: what qa/probes.py's probe questions
identified as Q (everyday questions no collection answers, 2-8 a language, never tuned) get from the
same collection through the same search: the best dense score of each (`top1`), and Session 18's
closeness (the mean of its 10 best candidates). It is the collection's and the language pair's, not the
question's: a collection that answers nothing in Q gives its probes low scores too, and a language pair
the encoder aligns poorly (ar->es) lowers the probes' scores as it lowers the gold's. Computed at search
time it would cost the probes' searches once per loaded index and question language.

Split, measures, objective and scope as benchmarks/weak19_rules.py (quality.py's `is_dev`; only a
cross-language hit the shipped rule flags, of a question with no passage in its language shown, can be
freed: monolingual runs cannot move).
"""
from __future__ import annotations

import argparse
import functools
import pickle
import sys
from itertools import product
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from weak18_cross_rules import DEV_POOLS, measure, report, shipped  # noqa: E402
from weak19_rules import MIN_CANDIDATES, cross, dev_training, features, fit_logistic, grid, stats  # noqa: E402

from qa.fusion import WEAK_LEXICAL  # noqa: E402
from qa.notices import MODEL_LANGUAGES  # noqa: E402

MIN_PROBES = 2
FLAGGING = ("monoclos",)
KNOWN = MODEL_LANGUAGES["use-m3"]
NULL: dict[tuple[str, str], dict[str, float]] = {}


def clos(q: dict) -> float:
    return sum(q["qdense"][:10]) / 10


def build_null(probes: dict) -> None:
    """NULL[(question language, pool)]: statistics of the probes identified as that language."""
    for pool, recs in probes["probes"].items():
        by: dict[str, list[dict]] = {}
        for q in recs:
            by.setdefault(q["qlang"], []).append(q)
        for lang, qs in by.items():
            if len(qs) < MIN_PROBES:
                continue
            top1 = np.array([q["qdense"][0] if q["qdense"] else 0.0 for q in qs])
            c = np.array([clos(q) for q in qs])
            NULL[(lang, pool)] = {"max": float(top1.max()), "mean": float(top1.mean()), "cmax": float(c.max()),
                                  "cmean": float(c.mean()), "n": len(qs)}


def pool_of(q: dict) -> str:
    return q["_pool"]


def null(q: dict) -> dict | None:
    return NULL.get((q["qlang"], pool_of(q)))


def tag(dump: dict) -> None:
    for k, v in dump["runs"].items():
        for q in v:
            q["_pool"] = k.split("->")[1]
    for k, v in dump["off"].items():
        for q in v:
            q["_pool"] = k.split("@")[1]


@functools.cache
def rules() -> dict:
    r = lambda a, b, s: [round(a + s * k, 4) for k in range(int(round((b - a) / s)) + 1)]  # noqa: E731

    def pnull(stat, m, f):  # the hit over the probes' best scores in the question's language
        def free(h, q):
            n = null(q)
            return n is not None and h["dense"] >= f and h["dense"] - n[stat] >= m
        return cross(free)

    def pclos(stat, m, f):  # the question's closeness over the probes' in its language
        def free(h, q):
            n = null(q)
            return n is not None and h["dense"] >= f and clos(q) - n[stat] >= m
        return cross(free)

    def pclosm(stat, m, f):  # pclos, for a question and passages in the model's languages only
        def free(h, q):
            n = null(q)
            return (n is not None and q["qlang"] in KNOWN and h["plang"] in KNOWN and h["dense"] >= f
                    and clos(q) - n[stat] >= m)
        return cross(free)

    def pclosa(stat, m, f, c):  # pclos with Session 18's absolute closeness as a floor too
        def free(h, q):
            n = null(q)
            return n is not None and h["dense"] >= f and clos(q) >= c and clos(q) - n[stat] >= m
        return cross(free)

    def pboth(m1, m2, f):
        def free(h, q):
            n = null(q)
            return n is not None and h["dense"] >= f and h["dense"] - n["max"] >= m1 and clos(q) - n["cmax"] >= m2
        return cross(free)

    def sentrel(a, f):  # (c) the best sentence over the passage's own score
        return cross(lambda h, q: h["sentence"] is not None and h["dense"] >= f and h["sentence"] - h["dense"] >= a)

    def monoclos(c, top, same):  # (a) a hit freed by its dense score alone, of a question far from the collection
        def flag(h, q):
            if h["weak"] or (same and h["plang"] != q["qlang"]) or stats(q)[2] < MIN_CANDIDATES:
                return h["weak"]
            return h["evidence"] < WEAK_LEXICAL and h["dense"] < top and clos(q) < c
        return flag

    fitted = plogit_models(DUMP[0])

    def plogit(name, bar, f):  # a logistic model of Session 19's features and the null's (fitted on dev)
        cols, (mean, scale, w) = fitted[name]

        def free(h, q):
            n = null(q)
            if n is None or h["dense"] < f:
                return False
            v = (np.asarray(pfeat(h, q, n))[cols] - mean) / scale
            return float(v @ w[:-1] + w[-1]) >= bar
        return cross(free)

    return {
        "shipped": (lambda: shipped, [()]),
        "plogit": (plogit, list(product(PMODELS, r(-1.0, 4.0, 0.1), r(0.10, 0.20, 0.02)))),
        "monoclos": (monoclos, list(product(r(0.13, 0.18, 0.005), [0.27, 0.30, 0.35, 1.0], [True, False]))),
        "pnull": (pnull, list(product(["max", "mean"], r(-0.06, 0.12, 0.005), r(0.10, 0.20, 0.02)))),
        "pclos": (pclos, list(product(["cmax", "cmean"], r(-0.04, 0.08, 0.0025), r(0.10, 0.20, 0.02)))),
        "pclosm": (pclosm, list(product(["cmean"], r(-0.04, 0.08, 0.0025), r(0.10, 0.20, 0.02)))),
        "pclosa": (pclosa, list(product(["cmean"], r(0.0, 0.08, 0.0025), [0.12], r(0.13, 0.18, 0.005)))),
        "pboth": (pboth, list(product(r(-0.06, 0.06, 0.01), r(-0.04, 0.06, 0.01), r(0.10, 0.20, 0.02)))),
        "sentrel": (sentrel, list(product(r(-0.02, 0.20, 0.01), r(0.10, 0.22, 0.02)))),
    }


# dense, clos, z, best sentence (Session 19's chosen model), then dense - null max, clos - null cmax
PNAMES = ["dense", "clos", "z", "sentence", "dense-max", "clos-cmax", "dense-mean"]
PMODELS = {"dzcs": [0, 1, 2, 3], "dzcsN": [0, 1, 2, 3, 4, 5], "dzcsNm": [0, 1, 2, 3, 6, 5], "N": [4, 5, 2, 3]}
DUMP: list[dict] = []


def pfeat(h: dict, q: dict, n: dict) -> list[float]:
    f = features(h, q)
    return [f[0], f[1], f[2], f[3], h["dense"] - n["max"], clos(q) - n["cmax"], h["dense"] - n["mean"]]


def plogit_models(dump: dict) -> dict:
    x, y = dev_training(dump, lambda h, q: pfeat(h, q, n) if (n := null(q)) else None)
    out = {name: (cols, fit_logistic(x, y, cols)) for name, cols in PMODELS.items()}
    for name, (cols, (_, _, w)) in out.items():
        print(f"plogit {name}: " + ", ".join(f"{PNAMES[c]} {wi:+.2f}" for c, wi in zip(cols, w))
              + f", intercept {w[-1]:+.2f} ({int(y.sum())} gold, {int(len(y) - y.sum())} off-topic hits)")
    return out


def grid_flagging(dump: dict, families: list[str]) -> None:
    """Rules that flag more (monoclos): dev off-topic questions passing against dev gold flagged."""
    base = measure(dump, shipped, True)
    print(f"shipped dev: off-topic passing top1 {sum(base['off1'].values())}, top5 {sum(base['off5'].values())}, "
          f"gold flagged {base['flagged']}, worst mono {base['worst_mono']:.3f}, worst cross {base['worst_cross']:.3f}")
    for fam in families:
        make, params = rules()[fam]
        for p in params:
            m = measure(dump, make(*p), True)
            print(f"{fam}{p}: off-topic passing top1 {sum(m['off1'].values())}, top5 {sum(m['off5'].values())}, "
                  f"gold flagged {m['flagged']}, worst mono {m['worst_mono']:.3f}, worst cross {m['worst_cross']:.3f}")


def show_features(dump: dict) -> None:
    """Dev: cross-language gold the shipped rule flags against dev off-topic questions' cross-language
    top hits it flags, 10th / 50th / 90th percentile (and the off-topic maximum) of each feature."""
    x, y = dev_training(dump, lambda h, q: feat(h, q, n) if (n := null(q)) else None, off_top=1)
    rows = {"gold": x[y == 1].tolist(), "off": x[y == 0].tolist()}
    names = ["dense", "dense-max", "dense-mean", "clos", "clos-cmax", "clos-cmean", "sent-dense", "null max"]
    for c, name in enumerate(names):
        g = np.percentile([x[c] for x in rows["gold"]], [10, 50, 90])
        o = np.percentile([x[c] for x in rows["off"]], [10, 50, 90, 100])
        print(f"{name:11s} gold ({len(rows['gold'])}) {g[0]:.3f} / {g[1]:.3f} / {g[2]:.3f}   "
              f"off-topic top hits ({len(rows['off'])}) {o[0]:.3f} / {o[1]:.3f} / {o[2]:.3f} / max {o[3]:.3f}")


def feat(h: dict, q: dict, n: dict) -> list[float]:
    return [h["dense"], h["dense"] - n["max"], h["dense"] - n["mean"], clos(q), clos(q) - n["cmax"],
            clos(q) - n["cmean"], (h["sentence"] or 0.0) - h["dense"], n["max"]]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dump")
    ap.add_argument("probes")
    ap.add_argument("--grid", nargs="*")
    ap.add_argument("--rule")
    ap.add_argument("--features", action="store_true")
    ap.add_argument("--held-out", action="store_true", help="also read the held-out split (once, after choosing)")
    args = ap.parse_args()
    dump = pickle.loads(Path(args.dump).read_bytes())
    build_null(pickle.loads(Path(args.probes).read_bytes()))
    tag(dump)
    DUMP.append(dump)
    if args.features:
        show_features(dump)
    if args.grid is not None:
        fams = args.grid or [f for f in rules() if f != "shipped"]
        grid(dump, [f for f in fams if f not in FLAGGING], rules())
        grid_flagging(dump, [f for f in fams if f in FLAGGING])
    if args.rule:
        name, *values = args.rule.split(",")
        report(dump, shipped, "shipped", args.held_out)
        make = rules()[name][0]
        flag = make(*[v if v.isalpha() else float(v) if "." in v else int(v) for v in values])
        report(dump, flag, args.rule, args.held_out)
        for label, f in (("shipped", shipped), (args.rule, flag)):
            other = {k: sum(not f(q["hits"][0], q) for q in v) for k, v in dump["off"].items()
                     if not k.startswith("off_held") and k.split("@")[1] not in DEV_POOLS}
            print(f"{label}: development off-topic lists against the held-out pools, passing top 1: "
                  + ", ".join(f"{k} {n}" for k, n in other.items() if n) + f" (total {sum(other.values())})")


if __name__ == "__main__":
    main()
