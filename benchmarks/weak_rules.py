"""Choose a collection-relative weak-match rule on development data and read it on held-out
data, from a dump of benchmarks/weak_dump.py (docs/quality.md, "Session 6").

    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/weak_rules.py DUMP.pkl [--grid] [--rule M,MARGIN,MARGIN_X,FLOOR]
    ... weak_rules.py DUMP.pkl --context-grid | --context-rule KIND,MIX,OWN,HEAD   (Session 7, the weak bar with the document context)

Development: XQuAD questions of even paragraphs (every run), the German man pages' questions
(title_dev.py), OFF_TOPIC_DEV against every XQuAD pool and the German man pages. Held-out:
XQuAD odd paragraphs, the French man pages (questions, and all 40 off-topic questions, as
french_manpages.py counts them), OFF_TOPIC_HELD_OUT against the en and es pools (and every
other collection), the seed article's questions (tests/test_seed_questions.py).

A gold passage counts when it is in the top 10 (share flagged weak of those); an off-topic
question "passes" when one of its top 5 passages is not weak (french_manpages.py's count;
calibrate_weak.py counted the top passage only, `top1` below).
"""
from __future__ import annotations

import argparse
import pickle
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.encoder import CALIBRATIONS, Calibration  # noqa: E402
from qa.fusion import WEAK_DENSE, WEAK_LEXICAL  # noqa: E402
from qa.weakbar import HUB_MARGIN, HUB_PROBES  # noqa: E402


def hub_of(c: dict, m: int) -> dict[int, float]:
    top = c["probe_top"][:, :m].mean(axis=1)
    return dict(zip(c["ids"].tolist(), top.tolist()))


class Rule:
    """weak iff evidence < lexical and dense < max(floor, hub_m(p) + margin) (cross: margin_x)."""

    def __init__(self, floor: float, m: int | None, margin: float, margin_x: float | None = None,
                 lexical: float = WEAK_LEXICAL, bar: tuple[float, float] | None = None,
                 floor_x: float | None = None) -> None:
        self.floor, self.m, self.margin, self.lexical = floor, m, margin, lexical
        self.floor_x = floor if floor_x is None else floor_x
        self.margin_x = margin if margin_x is None else margin_x
        self.bar = bar  # collection bar: (quantile of the probes' best, added margin)

    def label(self) -> str:
        if self.bar:
            return f"coll q{self.bar[0]}+{self.bar[1]:.2f}, floor {self.floor}"
        if self.m is None:
            return f"dense < {self.floor} (across languages {self.floor_x}), evidence < {self.lexical}"
        return f"hub{self.m}+{self.margin:.3f}/x{self.margin_x:.3f}, floor {self.floor}"

    def prepare(self, c: dict) -> None:
        self.hub = hub_of(c, self.m) if self.m else {}
        self.cbar = float(np.quantile(c["probe_best"], self.bar[0])) + self.bar[1] if self.bar else -1.0

    def weak(self, h: dict, qlang: str) -> bool:
        if h["evidence"] >= self.lexical:
            return False
        bar = max(self.floor if h["plang"] == qlang else self.floor_x, self.cbar)
        if self.m:
            margin = self.margin if h["plang"] == qlang else self.margin_x
            bar = max(bar, self.hub[h["id"]] + margin)
        return h["dense"] < bar


class ContextRule:
    """The weak rule for passages whose dense score mixes in their document's head (Session 7,
    "the weak bar with the document context"); passages of a document of one passage keep the
    shipped rule (dense < `base`). Kinds, for a passage with a head:
    "mix": dense (mixed) < mix;  "both": own < own_bar and dense (mixed) < mix;
    "own+head": own < own_bar and head cosine < head_bar. Always evidence < lexical too."""

    def __init__(self, kind: str, mix: float = 0.0, own: float = 0.0, head: float = 0.0,
                 base: float = WEAK_DENSE, lexical: float = WEAK_LEXICAL) -> None:
        self.kind, self.mix, self.own, self.head, self.base, self.lexical = kind, mix, own, head, base, lexical

    def label(self) -> str:
        return {"mix": f"with head: mixed < {self.mix:.2f}",
                "both": f"with head: own < {self.own:.2f} and mixed < {self.mix:.2f}",
                "own+head": f"with head: own < {self.own:.2f} and head < {self.head:.2f}"}[self.kind]

    def prepare(self, c: dict) -> None:
        pass

    def weak(self, h: dict, qlang: str) -> bool:
        if h["evidence"] >= self.lexical:
            return False
        if h.get("head") is None:
            return h["dense"] < self.base
        if self.kind == "mix":
            return h["dense"] < self.mix
        if self.kind == "both":
            return h["own"] < self.own and h["dense"] < self.mix
        return h["own"] < self.own and h["head"] < self.head


def gold_marks(c: dict, name: str, rule: Rule, parity: int | None) -> list[bool]:
    out = []
    for n, q in enumerate(c["sets"][name]):
        if parity is not None and int(c["paras"][name][n][1:]) % 2 != parity:
            continue
        for h in q["hits"]:
            if h["gold"]:
                out.append(rule.weak(h, q["qlang"]))
    return out


def passing(c: dict, name: str, rule: Rule, top: int = 5) -> int:
    return sum(any(not rule.weak(h, q["qlang"]) for h in q["hits"][:top]) for q in c["sets"][name])


def evaluate(dump: dict, rule: Rule) -> dict:
    res: dict = {"dev_runs": {}, "held_runs": {}, "dev_off": {}, "held_off": {}, "held_off_top1": {}}
    for cname, c in dump["collections"].items():
        rule.prepare(c)
        if cname.startswith("xquad"):
            for name in c["sets"]:
                if "->" in name:
                    for parity, key in ((0, "dev_runs"), (1, "held_runs")):
                        m = gold_marks(c, name, rule, parity)
                        res[key][name] = (float(np.mean(m)) if m else 0.0, len(m))
            res["dev_off"][cname] = passing(c, "off_dev", rule)
            res["held_off"][cname] = passing(c, "off_held", rule)
            res["held_off_top1"][cname] = passing(c, "off_held", rule, 1)
        elif cname == "de-man":
            m = gold_marks(c, "questions", rule, None)
            res["dev_de_man"] = (sum(m), len(m))
            res["dev_off"][cname] = passing(c, "off_dev", rule)
        elif cname == "fr-man":
            m = gold_marks(c, "questions", rule, None)
            res["fr_man"] = (sum(m), len(m))
            res["fr_man_off"] = passing(c, "off_dev", rule) + passing(c, "off_held", rule)
        elif cname == "seed":
            m = gold_marks(c, "questions", rule, None)
            res["seed"] = (sum(m), len(m))
            res["seed_off"] = passing(c, "off_dev", rule) + passing(c, "off_held", rule)
    return res


def worst(runs: dict, cross: bool) -> tuple[str, float]:
    items = [(r, v[0]) for r, v in runs.items() if (r.split("->")[0] != r.split("->")[1]) == cross]
    return max(items, key=lambda t: t[1]) if items else ("-", 0.0)


def show(dump: dict, rule: Rule) -> dict:
    res = evaluate(dump, rule)
    print(f"== {rule.label()}")
    for split in ("dev", "held"):
        runs = res[f"{split}_runs"]
        print(f"  {split}: worst mono {worst(runs, False)}, worst cross {worst(runs, True)}")
        print("    " + " ".join(f"{r} {v[0]:.3f}" for r, v in runs.items()))
    print(f"  dev off-topic passing (top 5): {res['dev_off']}; de-man gold weak {res.get('dev_de_man')}")
    print(f"  held off-topic passing (top 5): {res['held_off']}; top 1: {res['held_off_top1']}")
    print(f"  fr-man gold weak {res.get('fr_man')}, off-topic passing {res.get('fr_man_off')} of 40; "
          f"seed gold weak {res.get('seed')}, seed off-topic passing {res.get('seed_off')} of 40")
    return res


CONSTRAINT = ("xquad-en", "xquad-es", "de-man")  # no dev off-topic question may pass against these


def score(res: dict) -> tuple:
    """Dev objective: no dev off-topic question passing against CONSTRAINT's collections (the
    others hold off-topic questions that pass on lexical evidence alone, which no dense bar
    changes), then the worst dev share (mono, cross, the German man pages' gold passages)."""
    off = sum(res["dev_off"][c] for c in CONSTRAINT)
    de = res["dev_de_man"][0] / max(res["dev_de_man"][1], 1)
    return (off, max(worst(res["dev_runs"], False)[1], worst(res["dev_runs"], True)[1], de))


def dev_context_data(dump: dict) -> dict:
    """Dev hits whose score has a head, as arrays (own, mixed, head, evidence), with what the
    rest contributes: gold passages without a head flagged by the shipped bar, and off-topic
    questions that pass on a passage without a head. Dev: XQuAD even paragraphs and OFF_TOPIC_DEV
    against the pools, the German pages' questions and OFF_TOPIC_DEV against them."""
    base = ContextRule("mix", mix=WEAK_DENSE)
    gold, fixed_gold, off, off_q, fixed_off, n_off = [], 0, [], [], 0, 0
    for cname, c in dump["collections"].items():
        if not (cname.startswith("xquad") or cname == "de-man"):
            continue
        names = [n for n in c["sets"] if "->" in n] if cname.startswith("xquad") else ["questions"]
        for name in names:
            for n, q in enumerate(c["sets"][name]):
                if cname.startswith("xquad") and int(c["paras"][name][n][1:]) % 2:
                    continue
                for h in q["hits"]:
                    if h["gold"]:
                        if h.get("head") is None:
                            fixed_gold += base.weak(h, q["qlang"])
                        else:
                            gold.append((h["own"], h["dense"], h["head"], h["evidence"]))
        for q in c["sets"]["off_dev"]:
            hits = q["hits"][:5]
            if any(h.get("head") is None and not base.weak(h, q["qlang"]) for h in hits):
                fixed_off += 1
                continue
            for h in hits:
                if h.get("head") is not None:
                    off.append((h["own"], h["dense"], h["head"], h["evidence"]))
                    off_q.append(n_off)
            n_off += 1
    return {"gold": np.array(gold).reshape(-1, 4), "fixed_gold": fixed_gold, "off": np.array(off).reshape(-1, 4),
            "off_q": np.array(off_q, dtype=int), "n_off": n_off, "fixed_off": fixed_off}


def vector_weak(kind: str, a: np.ndarray, mix: float, own: float, head: float) -> np.ndarray:
    low = a[:, 3] < WEAK_LEXICAL
    if kind == "mix":
        return low & (a[:, 1] < mix)
    if kind == "both":
        return low & (a[:, 0] < own) & (a[:, 1] < mix)
    return low & (a[:, 0] < own) & (a[:, 2] < head)


def dev_context_score(d: dict, kind: str, mix: float = 0.0, own: float = 0.0, head: float = 0.0) -> tuple[int, int]:
    """(dev off-topic questions passing, dev gold passages flagged), both over every dev collection."""
    gold = d["fixed_gold"] + int(vector_weak(kind, d["gold"], mix, own, head).sum())
    passes = np.bincount(d["off_q"], weights=~vector_weak(kind, d["off"], mix, own, head), minlength=d["n_off"])
    return (d["fixed_off"] + int((passes > 0).sum()), gold)


def context_grid(dump: dict) -> None:
    """Grid the three context rules on dev (bars 0.14-0.34 by 0.01). Objective as the hub
    grid's (`score`: no dev off-topic question passing against CONSTRAINT, then the worst dev
    share), ties by the smaller bars; each row also gives the counts over every dev collection
    (`dev_context_score`: off-topic questions passing, gold passages flagged)."""
    d = dev_context_data(dump)
    print(f"dev passages with a head: {len(d['gold'])} gold, {len(d['off'])} off-topic hits "
          f"({d['n_off']} questions not passing on a passage without one)")
    steps = np.round(np.arange(0.14, 0.345, 0.01), 2)
    shipped = ContextRule("mix", mix=WEAK_DENSE)
    print(f"context grid: (off-topic passing against {'/'.join(CONSTRAINT)}, worst dev share), "
          "(dev off-topic passing, dev gold flagged, all dev collections)")
    print(f"  shipped: {score(evaluate(dump, shipped))}, {dev_context_score(d, 'mix', mix=WEAK_DENSE)}")
    rules = [ContextRule("mix", mix=m) for m in steps]
    rules += [ContextRule(kind, mix=x, own=o, head=x) for kind in ("both", "own+head") for o in steps for x in steps]
    rows = []
    for r in rules:
        sc = score(evaluate(dump, r))
        rows.append(((sc[0], round(sc[1], 6), r.own, r.mix if r.kind != "own+head" else r.head), r))
    rows.sort(key=lambda t: t[0])
    for kind in ("mix", "both", "own+head"):
        print(f"  {kind}, best 8:")
        for key, r in [t for t in rows if t[1].kind == kind][:8]:
            print(f"     ({key[0]}, {key[1]:.4f}) {dev_context_score(d, r.kind, r.mix, r.own, r.head)}  {r.label()}")
    print("  mix by bar (all dev counts):", " ".join(f"{m:.2f}:{dev_context_score(d, 'mix', mix=m)}" for m in steps))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dump")
    ap.add_argument("--grid", action="store_true")
    ap.add_argument("--margin", type=float, help="also show the hub rule with this margin (another model's)")
    ap.add_argument("--margins", help="the grid's margins START,STOP,STEP (default 0,0.15,0.01; the cross "
                    "margins then run over the same values up to the margin, not -0.06..margin by 0.02)")
    ap.add_argument("--context-grid", action="store_true", help="grid the rules for passages with a head")
    ap.add_argument("--context-rule", help="also show KIND,MIX,OWN,HEAD (a ContextRule; KIND mix|both|own+head)")
    ap.add_argument("--rule", help="also show this hub rule: M,MARGIN,MARGIN_X,FLOOR (a row of --grid)")
    args = ap.parse_args()
    dump = pickle.loads(Path(args.dump).read_bytes())
    calibration = CALIBRATIONS.get(dump["model"], Calibration())
    show(dump, Rule(calibration.weak_threshold(WEAK_DENSE), None, 0.0,
                    floor_x=calibration.weak_threshold(WEAK_DENSE, same_language=False)))
    if args.margin is not None:
        show(dump, Rule(0.0, HUB_PROBES, args.margin))
    if args.rule:
        m, margin, margin_x, floor = args.rule.split(",")
        show(dump, Rule(float(floor), int(m), float(margin), float(margin_x)))
    if args.context_grid:
        context_grid(dump)
    if args.context_rule:
        kind, mix, own, head = args.context_rule.split(",")
        show(dump, ContextRule(kind, float(mix), float(own), float(head)))
        return
    if args.grid:
        grid = []
        if args.margins:
            start, stop, step = (float(x) for x in args.margins.split(","))
            margins = np.round(np.arange(start, stop + step / 2, step), 4)
        else:
            margins = np.arange(0.0, 0.155, 0.01)
        for m in (1, 2, 3, 5, 10):
            for margin in margins:
                crosses = [x for x in margins if x <= margin] if args.margins else np.arange(-0.06, margin + 0.001, 0.02)
                for mx in crosses:
                    for fl in (0.0, 0.20, WEAK_DENSE):
                        r = Rule(fl, m, float(margin), float(mx))
                        grid.append((score(evaluate(dump, r)), r.label()))
        grid.sort()
        print("dev grid, best first: (dev off-topic passing, worst dev share), rule")
        for row in grid[:15]:
            print("  ", row)
    show(dump, Rule(0.0, HUB_PROBES, HUB_MARGIN))


if __name__ == "__main__":
    main()
