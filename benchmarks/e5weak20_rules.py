"""Weak rules for e5-small in small folders, gridded on benchmarks/e5weak20.py's dev dump
(docs/quality.md, "Session 20: e5-small's weak matches in small folders").

    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/e5weak20_rules.py benchmarks/out/e5weak20-dev.pkl --grid
    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/e5weak20_rules.py DUMP --rule median,0.02   # one rule
    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/e5weak20_rules.py DUMP --explain          # feature spread

A rule only adds weak flags to the shipped ones (`qa.fusion.is_weak` as the search gave them, the
dump's `weak`) unless said otherwise: a hit is also weak when its dense score stands less than a
margin above the question's own candidates (their median: `median`; their mean: `mean`; in standard
deviations: `z`), or under its hubness plus a margin (`hub`); `-lex` variants let the hit's lexical
evidence free it as the shipped rule does (evidence >= qa.fusion.WEAK_LEXICAL).
"""
from __future__ import annotations

import argparse
import pickle
import statistics
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from e5weak20 import summary  # noqa: E402
from qa.fusion import WEAK_LEXICAL, lexical_evidence  # noqa: E402


def evidence(rec: dict, j: int) -> float:
    """The hit's lexical evidence from the question's BM25 candidates (what the search computes
    before a rule that lets it free nothing passes 0 to `is_weak`)."""
    return lexical_evidence(dict(rec["lexical"]).get(rec["ids"][j], 0.0), rec["passages"])


def feature(rec: dict, j: int, kind: str) -> float | None:
    a = rec["args"][j]
    scores = list(rec["pool"].values())
    if kind == "median":
        return a["dense"] - statistics.median(scores)
    if kind == "mean":
        return a["dense"] - statistics.fmean(scores)
    if kind == "z":
        sd = statistics.pstdev(scores)
        return (a["dense"] - statistics.fmean(scores)) / (sd + 1e-9)
    if kind == "hub":
        return None if rec["hubs"][j] is None else a["dense"] - rec["hubs"][j]
    if kind == "dense":
        return a["dense"]
    raise ValueError(kind)


def rule(kind: str, margin: float, lex: bool, max_pool: int | None = None, scope: str = "all",
         replace: bool = False):
    """`scope`: "same" (hits in the question's language only) or "all"; `replace`: in scope, the
    rule's bar replaces the shipped dense bar (lexical evidence, when `lex`, still frees)."""
    def weak_of(rec: dict, j: int) -> bool:
        in_scope = scope == "all" or rec["langs"][j] == rec["qlang"]
        if replace and in_scope:
            if lex and rec["args"][j]["evidence"] >= WEAK_LEXICAL:
                return False
            f = feature(rec, j, kind)
            return rec["weak"][j] if f is None else f < margin
        if rec["weak"][j]:
            return True
        if not in_scope:
            return False
        if max_pool is not None and len(rec["pool"]) >= max_pool:
            return False
        if lex and rec["args"][j]["evidence"] >= WEAK_LEXICAL:
            return False
        f = feature(rec, j, kind)
        return f is not None and f < margin
    return weak_of


def line(records: list[dict], weak_of, label: str) -> str:
    s = summary(records, weak_of)
    parts = [f"{label:22}"]
    for key in [k for k in s if k != "all"] + ["all"]:
        v = s[key]
        parts.append(f"{key} {v['shown_weak']}/{v['shown']} off {v['off_passing']}/{v['off']}"
                     + (f" x {v['extra_passing']}/{v['extra']}" if v["extra"] else ""))
    return " | ".join(parts)


def explain(records: list[dict]) -> None:
    """Per feature: the gold hits' and the off-topic top hits' spread (same / other language)."""
    for kind in ("dense", "median", "mean", "z", "hub"):
        for same in (True, False):
            gold = [feature(r, r["rank"] - 1, kind) for r in records if r["kind"] == "answered" and r["rank"]
                    and (r["langs"][r["rank"] - 1] == r["qlang"]) == same]
            off = [feature(r, 0, kind) for r in records if r["kind"] != "answered" and r["weak"]
                   and (r["langs"][0] == r["qlang"]) == same]
            gold, off = sorted(g for g in gold if g is not None), sorted(o for o in off if o is not None)
            if not gold or not off:
                continue
            q = lambda xs, p: xs[min(len(xs) - 1, int(p * len(xs)))]  # noqa: E731
            print(f"{kind:6} {'same' if same else 'cross'}: gold n={len(gold)} p5 {q(gold, .05):.3f} p10 {q(gold, .10):.3f} "
                  f"median {q(gold, .5):.3f} | off n={len(off)} median {q(off, .5):.3f} p90 {q(off, .9):.3f} "
                  f"p99 {q(off, .99):.3f} max {off[-1]:.3f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dump", type=Path, nargs="+")
    ap.add_argument("--grid", action="store_true")
    ap.add_argument("--rule", help="KIND[-lex],MARGIN[,SCOPE[,repl]]")
    ap.add_argument("--explain", action="store_true")
    ap.add_argument("--combined", action="append", default=[],
                    help="LEXMODE,BAR_SAME,BAR_CROSS[,MARGIN]: `combined`'s rule (e.g. free,0.83,0.81: the bars of XQuAD)")
    ap.add_argument("--grid2", action="store_true", help="`combined`'s grid")
    ap.add_argument("--passing", action="store_true", help="list the off-topic questions passing (shipped or --rule)")
    args = ap.parse_args()
    # dumps of the same folders (one with --extra) hold their own questions once each
    seen = {}
    for d in args.dump:
        for r in pickle.loads(d.read_bytes()):
            seen.setdefault((r["collection"], r["question"], r["kind"]), r)
    records = list(seen.values())
    print(line(records, None, "shipped"))
    weak_of = None
    if args.explain:
        explain(records)
    for spec in args.combined:
        lexmode, bs, bc, *m = spec.split(",")
        print(line(records, combined(float(bs), float(bc), float(m[0]) if m else -1.0, lexmode), spec))
    if args.grid2:
        grid2(records)
    if args.grid:
        margins = {"median": [0.0, 0.005, 0.01, 0.015, 0.02, 0.025, 0.03, 0.035, 0.04],
                   "mean": [0.0, 0.005, 0.01, 0.015, 0.02, 0.025, 0.03, 0.035, 0.04],
                   "z": [0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0],
                   "hub": [-0.01, 0.0, 0.005, 0.01, 0.015, 0.02, 0.025, 0.03]}
        for kind, ms in margins.items():
            for scope in ("same", "all"):
                for replace in (False, True):
                    for m in ms:
                        print(line(records, rule(kind, m, True, None, scope, replace),
                                   f"{kind}-lex {scope}{' repl' if replace else ''} {m}"))
    if args.rule:
        kind, *rest = args.rule.split(",")
        lex = kind.endswith("-lex")
        weak_of = rule(kind.removesuffix("-lex"), float(rest[0]), lex, None, rest[1] if len(rest) > 1 else "all",
                       len(rest) > 2 and rest[2] == "repl")
        print(line(records, weak_of, args.rule))
    if args.passing or args.rule:
        w = weak_of or (lambda rec, j: rec["weak"][j])
        for r in records:
            if r["kind"] != "answered" and r["weak"] and not w(r, 0):
                a = r["args"][0]
                print(f"  passing [{r['collection']}] {r['question']!r} -> {r['texts'][0]!r} dense {a['dense']:.3f} "
                      f"ev {a['evidence']:.2f} bar {a['dense_bar']:.2f} median+{feature(r, 0, 'median'):.3f}")
            if r["kind"] == "answered" and r["rank"] and w(r, r["rank"] - 1):
                j = r["rank"] - 1
                a = r["args"][j]
                print(f"  gold weak [{r['collection']}] {r['question']!r} rank {r['rank']} dense {a['dense']:.3f} "
                      f"ev {a['evidence']:.2f} bar {a['dense_bar']:.2f} median+{feature(r, j, 'median'):.3f}")



def combined(bar_same: float, bar_cross: float, margin: float, lexmode: str):
    """The search's rule with e5's bars (`bar_same` in the question's language, `bar_cross` across)
    and a margin over the median of the question's candidates: a hit is weak when its dense score is
    under its bar or stands less than `margin` above that median; `lexmode` "free": lexical evidence
    (>= WEAK_LEXICAL) frees either, "bar": it frees the bar only, "none": it frees nothing."""
    def weak_of(rec: dict, j: int) -> bool:
        a = rec["args"][j]
        lexical = evidence(rec, j) >= WEAK_LEXICAL
        bar = bar_same if rec["langs"][j] == rec["qlang"] else bar_cross
        under_bar = a["dense"] < bar and not (lexical and lexmode != "none")
        under_margin = feature(rec, j, "median") < margin and not (lexical and lexmode == "free")
        return under_bar or under_margin
    return weak_of


def grid2(records: list[dict]) -> None:
    """`combined` over its grid; then the choice: the fewest gold flagged among the rules that let
    no development off-topic question of the folders' own pass (and, second, none of the extra lists)."""
    found = []
    for lexmode in ("free", "bar", "none"):
        for bar_same in (0.83, 0.835, 0.84, 0.845, 0.85, 0.855, 0.86, 0.865, 0.87):
            for bar_cross in (0.80, 0.805, 0.81, 0.815, 0.82, 0.825, 0.83, 0.835, 0.84):
                for margin in (-1.0, 0.01, 0.02, 0.03, 0.04):
                    weak_of = combined(bar_same, bar_cross, margin, lexmode)
                    label = f"{lexmode} {bar_same} {bar_cross} m{margin}"
                    print(line(records, weak_of, label))
                    s = summary(records, weak_of)["all"]
                    found.append((s["off_passing"], s["shown_weak"], s["extra_passing"], label))
    own = sorted((g, x, label) for off, g, x, label in found if off == 0)
    both = sorted((g, label) for off, g, x, label in found if off == 0 and x == 0)
    print("fewest gold flagged, no own off-topic passing (gold, extra passing, rule):", own[:3])
    print("fewest gold flagged, no off-topic passing at all (gold, rule):", both[:3])


if __name__ == "__main__":
    main()
