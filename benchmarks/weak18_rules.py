"""Coverage rules for questions and passages outside the model's languages, gridded on
benchmarks/weak18.py's dump (docs/quality.md, "Session 18: function words and the weak rule
outside the model's languages").

An "outside" hit (question language and hit language both outside USE-m3's) is flagged by a rule
on top of its flag without the coverage rule (`base`); every other hit keeps `base`.
Coverage = the share of the question's lexical tokens (function words already left out) that the
hit holds, each weighted by an IDF over the collection: `fts5` (FTS5's, floored at 1e-6: a token in
half or more of the passages weighs nothing, which in a folder of 4 passages is most of its words)
or `plus` (log(1 + (N - n + 0.5) / (n + 0.5)), Lucene's, always positive); a token the collection
lacks counts as one passage's. Tokens shorter than `--min-chars` are left out.
Families: or (base or cov < S), cov (cov < S alone), and (base or (ev < L and cov < S)).
Objective on dev: fewest off-topic passing, then fewest gold shown weak; ties listed.

    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/weak18_rules.py benchmarks/out/weak18-dev.pkl --grid
    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/weak18_rules.py DUMP --rule or,0.3 --idf plus --min-chars 1 --by [--split held-out]
    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/weak18_rules.py x --table START.pkl AFTER.pkl
"""
from __future__ import annotations

import argparse
import math
import pickle
from collections import defaultdict

MODEL = frozenset({"ar", "zh", "nl", "en", "de", "fr", "it", "pt", "es", "ja", "ko", "ru", "pl", "th", "tr"})


def idf(n: int, passages: int, kind: str) -> float:
    if kind == "plus":
        return math.log(1 + (passages - n + 0.5) / (n + 0.5))
    return max(math.log((passages - n + 0.5) / (n + 0.5)), 1e-6)


def coverage(record: dict, hit: dict, kind: str, min_chars: int) -> float:
    n = record["passages"]
    terms = {t: v for t, v in record["terms"].items() if len(t.lstrip("~")) >= min_chars}
    total = sum(idf(max(df, 1), n, kind) for df, _ in terms.values())
    held = sum(idf(df, n, kind) for df, ids in terms.values() if df and hit["id"] in ids)
    return held / total if total else 0.0


def outside(record: dict, hit: dict) -> bool:
    return record["qlang"] not in MODEL and (hit["lang"] or "") not in MODEL


def weak(record: dict, hit: dict, rule: tuple | None) -> bool:
    if rule is None or not outside(record, hit):
        return hit["base"]
    family, kind, min_chars, *bars = rule
    cov = coverage(record, hit, kind, min_chars)
    if family == "cov":
        return cov < bars[0]
    if family == "or":
        return hit["base"] or cov < bars[0]
    if family == "and":
        return hit["base"] or (hit["evidence"] < bars[0] and cov < bars[1])
    raise ValueError(family)


def score(records: list[dict], rule: tuple | None, shipped: bool = False) -> dict:
    out = defaultdict(int)
    flag = (lambda r, h: h["weak"]) if shipped else (lambda r, h: weak(r, h, rule))
    for r in records:
        if r["gold"] is None:
            if r["hits"]:
                out["off"] += 1
                out["passing"] += not flag(r, r["hits"][0])
        elif r["rank"]:
            h = r["hits"][r["rank"] - 1]
            out["gold"] += 1
            out["gold_weak"] += flag(r, h)
            if outside(r, h):
                out["gold_outside"] += 1
                out["gold_outside_weak"] += flag(r, h)
    return dict(out)


def line(name: str, s: dict) -> str:
    return (f"| {name} | {s.get('passing', 0)} of {s.get('off', 0)} | {s.get('gold_weak', 0)} of {s.get('gold', 0)} | "
            f"{s.get('gold_outside_weak', 0)} of {s.get('gold_outside', 0)} |")


def group(record: dict) -> str:
    if record["collection"].startswith("probe17"):
        return record["collection"]
    return f"{record.get('set', 'weak17')} {record['split']}"


def table(dumps: dict[str, str], rules: list[tuple[str, tuple | None]]) -> None:
    """One line per (rule, set and split) of the dumps: `dumps` maps a label ("start", "after") to
    a dump; a rule of None is the dump's own flag."""
    print("| rule | set, split | off-topic passing | gold shown weak | of them outside hits |")
    print("|---|---|---|---|---|")
    for label, rule in rules:
        records = pickle.load(open(dumps[label], "rb"))
        for g in dict.fromkeys(group(r) for r in records):
            part = [r for r in records if group(r) == g]
            print(line(f"{label}: {rule or 'as it ran'} | {g}", score(part, rule, shipped=rule is None)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dump", nargs="+")
    ap.add_argument("--split", default="dev")
    ap.add_argument("--grid", action="store_true")
    ap.add_argument("--rule", help="family,bar[,bar]")
    ap.add_argument("--idf", default="plus", choices=("fts5", "plus"))
    ap.add_argument("--min-chars", type=int, default=1)
    ap.add_argument("--by", action="store_true", help="per collection, and the questions that fail")
    ap.add_argument("--table", nargs=2, metavar=("START", "AFTER"),
                    help="two dumps (the session's start, after): the rules side by side per set and split")
    args = ap.parse_args()
    if args.table:
        table(dict(start=args.table[0], after=args.table[1]),
              [("start", None), ("after", ("or", "fts5", 4, 0.25)), ("after", None), ("after", ("or", "plus", 1, 0.3))])
        return
    records = [r for d in args.dump for r in pickle.load(open(d, "rb")) if r["split"] == args.split]
    print("| rule | off-topic passing | gold shown weak | of them outside hits |")
    print("|---|---|---|---|")
    print(line("shipped (or, fts5, 4+ chars, 0.25)", score(records, None, shipped=True)))
    print(line("base (no coverage rule)", score(records, None)))
    if args.grid:
        steps = [round(0.05 * i, 2) for i in range(1, 21)]
        lex = [round(0.25 * i, 2) for i in range(1, 17)]
        rules = []
        for kind in ("fts5", "plus"):
            for m in (1, 2, 3, 4):
                rules += [("or", kind, m, s) for s in steps] + [("cov", kind, m, s) for s in steps]
                rules += [("and", kind, m, b, s) for b in lex for s in steps]
        scored = [(rule, score(records, rule)) for rule in rules]
        best = defaultdict(list)
        for rule, s in scored:
            best[rule[:3]].append(((s.get("passing", 0), s.get("gold_weak", 0)), rule, s))
        for fam in sorted(best, key=lambda f: min(k for k, _, _ in best[f])):
            top = min(k for k, _, _ in best[fam])
            ties = [rule for k, rule, _ in best[fam] if k == top]
            s = next(s for k, _, s in best[fam] if k == top)
            bars = sorted({rule[3:] for rule in ties})
            print(line(f"best {fam}: {len(ties)} ties, bars {bars[0]}..{bars[-1]}", s))
        for rule, s in scored:
            if rule[0] == "or" and rule[2] in (1, 4):
                print(line(str(rule), s))
    if args.rule:
        family, *bars = args.rule.split(",")
        rule = (family, args.idf, args.min_chars, *map(float, bars))
        print(line(str(rule), score(records, rule)))
        if args.by:
            for name in dict.fromkeys(r["collection"] for r in records):
                part = [r for r in records if r["collection"] == name]
                print(line(f"{name}: shipped", score(part, None, shipped=True)), line("rule", score(part, rule)))
            for r in records:
                if r["gold"] is None and r["hits"] and not weak(r, r["hits"][0], rule):
                    print("  passing:", r["collection"], r["qlang"], r["question"])
                if r["gold"] is not None and r["rank"] and weak(r, r["hits"][r["rank"] - 1], rule):
                    h = r["hits"][r["rank"] - 1]
                    print("  gold weak:", r["collection"], r["qlang"], r["question"], "base" if h["base"] else
                          f"cov {coverage(r, h, args.idf, args.min_chars):.2f}")


if __name__ == "__main__":
    main()
