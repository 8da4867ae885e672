"""Grid weak-match rules relative to the question's own candidates on benchmarks/weak18_dump.py's dump
(issue #15, docs/quality.md "Session 19").

    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/weak19_rules.py DUMP.pkl --grid [FAMILY ...]   # dev only
    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/weak19_rules.py DUMP.pkl --rule NAME,ARGS --held-out

Split and measures are benchmarks/weak18_cross_rules.py's (quality.py's `is_dev`). Every rule keeps the
shipped flag (Session 18's rule included) of a hit in the question's language and of every hit of a
question with a passage in its language shown, and may only free a cross-language hit the shipped rule
flags: monolingual runs cannot move.

Features of a hit (h) of a question (q), from every candidate's dense score (`qdense_all`, the nearest
50 and the lexical, names and translated-word candidates):
- z: (dense - mean of the candidates) / their standard deviation (how far the hit stands out of the
  question's own pool);
- mu: the mean of every candidate's dense score; clos: Session 18's mean of the 10 best;
- logit: a logistic model of dense, clos, z, the best sentence's cosine, translated-word and names
  evidence, fitted on the development split only (cross-language gold hits the shipped rule flags
  against development off-topic questions' cross-language hits it flags).
"""
from __future__ import annotations

import argparse
import pickle
import sys
from itertools import product
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from quality import is_dev  # noqa: E402
from weak18_cross_rules import DEV_POOLS, measure, report, shipped  # noqa: E402

# chosen at 20; 50 (qa.fusion.WEAK_POOL_MIN) after the small folders: the same on XQuAD (50 or more there)
MIN_CANDIDATES = 50


def stats(q: dict) -> tuple[float, float, int]:
    if "_stats" not in q:
        a = np.asarray(q["qdense_all"], dtype=float)
        q["_stats"] = (float(a.mean()), float(a.std()), len(a)) if len(a) else (0.0, 0.0, 0)
    return q["_stats"]


def features(h: dict, q: dict) -> np.ndarray:
    mu, sd, _ = stats(q)
    top = q["qdense"][:10]
    return np.array([h["dense"], sum(top) / 10, (h["dense"] - mu) / (sd + 1e-9), h["sentence"] or 0.0,
                     min(h["words_evidence"], 4.0), min(h["names_evidence"], 4.0), mu])


NAMES = ["dense", "clos", "z", "sentence", "words", "names", "mu"]


def across(q: dict) -> bool:
    return all(h["plang"] != q["qlang"] for h in q["hits"])


def cross(free):
    """A flag function that frees a shipped-weak hit in another language than the question's (and no
    passage shown in the question's language) when `free(h, q)`."""
    def flag(h, q):
        if not h["weak"] or h["plang"] == q["qlang"] or not across(q) or stats(q)[2] < MIN_CANDIDATES:
            return h["weak"]
        return not free(h, q)
    return flag


def dev_training(dump: dict, feats=None, off_top: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Dev cross-language gold the shipped rule flags (1) against dev off-topic questions' cross-language
    hits it flags (0; their first `off_top` hits, all by default), as `feats(h, q)` (`features` by
    default; None leaves the hit out)."""
    feats = feats or features
    xs, ys = [], []

    def add(h, q, y):
        x = feats(h, q)
        if x is not None:
            xs.append(x)
            ys.append(y)
    for k, v in dump["runs"].items():
        qq, p = k.split("->")
        if qq == p or not is_dev(qq, p):
            continue
        for q in v:
            for h in q["hits"]:
                if h["gold"] and h["weak"] and across(q):
                    add(h, q, 1)
    for k, v in dump["off"].items():
        s, p = k.split("@")
        if s not in ("off_dev", "off_dev2") or p not in DEV_POOLS:
            continue
        for q in v:
            for h in q["hits"][:off_top]:
                if h["weak"] and h["plang"] != q["qlang"] and across(q):
                    add(h, q, 0)
    return np.array(xs), np.array(ys, dtype=float)


def fit_logistic(x: np.ndarray, y: np.ndarray, cols: list[int],
                 l2: float = 1e-3) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Standardised features, Newton's method; returns (mean, scale, weights with intercept last)."""
    x = x[:, cols]
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    a = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    w = np.zeros(a.shape[1])
    # the two classes weighed alike (306 gold against 841 off-topic hits on dev)
    sw = np.where(y == 1, 0.5 / y.sum(), 0.5 / (1 - y).sum())
    for _ in range(50):
        p = 1 / (1 + np.exp(-a @ w))
        g = a.T @ (sw * (p - y)) + l2 * w
        hess = (a * (sw * p * (1 - p))[:, None]).T @ a + l2 * np.eye(len(w))
        w -= np.linalg.solve(hess, g)
    return mean, scale, w


def rules(dump: dict) -> dict:
    r = lambda a, b, s: [round(a + s * k, 4) for k in range(int(round((b - a) / s)) + 1)]  # noqa: E731

    def z(f, bar):
        return cross(lambda h, q: h["dense"] >= f and features(h, q)[2] >= bar)

    def mu(f, bar):
        return cross(lambda h, q: h["dense"] >= f and stats(q)[0] >= bar)

    def zclos(f, zbar, cbar):
        return cross(lambda h, q: h["dense"] >= f and features(h, q)[2] >= zbar and sum(q["qdense"][:10]) / 10 >= cbar)

    x, y = dev_training(dump)
    models = {"all": list(range(len(NAMES))), "dzc": [0, 1, 2], "dzcs": [0, 1, 2, 3], "dzcw": [0, 1, 2, 4],
              "dzcsw": [0, 1, 2, 3, 4], "dcw": [0, 1, 4], "dmz": [0, 6, 2], "dmzw": [0, 6, 2, 4]}
    fitted = {name: (cols, fit_logistic(x, y, cols)) for name, cols in models.items()}

    def logit(name, bar, f):
        cols, (mean, scale, w) = fitted[name]

        def free(h, q):
            v = (features(h, q)[cols] - mean) / scale
            return h["dense"] >= f and float(v @ w[:-1] + w[-1]) >= bar
        return cross(free)

    return {
        "shipped": (lambda: shipped, [()]),
        "z": (z, list(product(r(0.10, 0.22, 0.01), r(1.0, 4.0, 0.1)))),
        "mu": (mu, list(product(r(0.10, 0.22, 0.01), r(0.06, 0.14, 0.0025)))),
        "zclos": (zclos, list(product(r(0.12, 0.20, 0.01), r(1.0, 3.5, 0.25), r(0.13, 0.18, 0.005)))),
        "logit": (logit, list(product(models, r(-1.0, 4.0, 0.1), r(0.10, 0.20, 0.02)))),
    }, fitted


def leaks(dump: dict, flag) -> set:
    return {(k, n) for k, v in dump["off"].items() if k.split("@")[1] in DEV_POOLS and not k.startswith("off_held")
            for n, q in enumerate(v) if not flag(q["hits"][0], q)}


def grid(dump: dict, families: list[str], table: dict | None = None) -> None:
    """`table`: another script's rules (weak22_rules.py), in place of these."""
    table, fitted = (table, {}) if table is not None else rules(dump)
    for name, (cols, (_, _, w)) in fitted.items():
        print(f"logit {name}: " + ", ".join(f"{NAMES[c]} {wi:+.2f}" for c, wi in zip(cols, w))
              + f", intercept {w[-1]:+.2f}")
    base = measure(dump, shipped, True)
    base_leaks, base5 = leaks(dump, shipped), sum(base["off5"].values())
    print(f"shipped dev: worst mono {base['worst_mono']:.3f}, worst cross {base['worst_cross']:.3f}, "
          f"flagged {base['flagged']}, off-topic passing top1 {sum(base['off1'].values())}, top5 {base5}")
    for fam in families:
        make, params = table[fam]
        best = []
        for p in params:
            flag = make(*p)
            m = measure(dump, flag, True)
            new = len(leaks(dump, flag) - base_leaks)
            top5 = sum(m["off5"].values())
            best.append((new, top5 > base5, m["worst_cross"], m["flagged"], p, top5))
        best.sort(key=lambda x: x[:4])
        for new, _, worst, flagged, p, top5 in best[:6]:
            print(f"{fam}{p}: new top-1 leaks {new}, top-5 passing {top5}, worst dev cross {worst:.3f}, "
                  f"dev gold flagged {flagged}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dump")
    ap.add_argument("--grid", nargs="*")
    ap.add_argument("--rule")
    ap.add_argument("--held-out", action="store_true", help="also read the held-out split (once, after choosing)")
    args = ap.parse_args()
    dump = pickle.loads(Path(args.dump).read_bytes())
    if args.grid is not None:
        grid(dump, args.grid or ["z", "mu", "zclos", "logit"])
    if args.rule:
        name, *values = args.rule.split(",")
        report(dump, shipped, "shipped", args.held_out)
        make = rules(dump)[0][name][0]
        report(dump, make(*[v if v.isalpha() else float(v) if "." in v else int(v) for v in values]),
               args.rule, args.held_out)


if __name__ == "__main__":
    main()
