"""Weak rules for questions in languages the model does not know, gridded on benchmarks/weak17.py's
dump (docs/quality.md, "Session 17: weak matches in languages the model does not know").

A rule replaces the weak decision of a hit whose question language and own language are both
outside the model's languages ("outside" hits); every other hit keeps the shipped decision.
Features of an outside hit: the shipped flag, its lexical evidence `ev` and its *coverage* `cov`:
the share of the question's lexical tokens it holds, each token weighted by its IDF in the
collection (FTS5's, a token the collection lacks counting as a word in one passage).
Families: ev (weak iff ev < L), cov (weak iff cov < S), or (shipped flag or cov < S), and
(ev < L and cov < S). Objective on dev: fewest off-topic questions passing (top hit not weak),
then fewest gold shown weak (gold in the top 5 and flagged), ties to the smallest bars.

    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/weak17_rules.py benchmarks/out/weak17.pkl --grid [--split dev]
    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/weak17_rules.py benchmarks/out/weak17.pkl --rule cov,0.3 --split held-out
"""
from __future__ import annotations

import argparse
import math
import pickle
from collections import defaultdict

MODEL = frozenset({"ar", "zh", "nl", "en", "de", "fr", "it", "pt", "es", "ja", "ko", "ru", "pl", "th", "tr"})


def idf(n: int, passages: int) -> float:
    return max(math.log((passages - n + 0.5) / (n + 0.5)), 1e-6)


MIN_CHARS = 1


def coverage(record: dict, hit: dict) -> float:
    n = record["passages"]
    terms = {t: v for t, v in record["terms"].items() if len(t.lstrip("~")) >= MIN_CHARS}
    total = sum(idf(max(df, 1), n) for df, _ in terms.values())
    held = sum(idf(df, n) for df, ids in terms.values() if hit["id"] in ids)
    return held / total if total else 0.0


def outside(record: dict, hit: dict) -> bool:
    return record["qlang"] not in MODEL and (hit["lang"] or "") not in MODEL


def weak(record: dict, hit: dict, rule: tuple | None) -> bool:
    if rule is None or not outside(record, hit):
        return hit["weak"]
    family, *bars = rule
    if family == "ev":
        return hit["evidence"] < bars[0]
    if family == "cov":
        return coverage(record, hit) < bars[0]
    if family == "or":
        return hit["weak"] or coverage(record, hit) < bars[0]
    if family == "and":
        return hit["evidence"] < bars[0] and coverage(record, hit) < bars[1]
    raise ValueError(family)


def score(records: list[dict], rule: tuple | None) -> dict:
    out = defaultdict(int)
    for r in records:
        if r["gold"] is None:
            if r["hits"]:
                out["off"] += 1
                out["passing"] += not weak(r, r["hits"][0], rule)
                out["off_outside"] += outside(r, r["hits"][0])
        elif r["rank"]:
            h = r["hits"][r["rank"] - 1]
            out["gold"] += 1
            out["gold_weak"] += weak(r, h, rule)
            if outside(r, h):
                out["gold_outside"] += 1
                out["gold_outside_weak"] += weak(r, h, rule)
    return dict(out)


def line(name: str, s: dict) -> str:
    return (f"| {name} | {s.get('passing', 0)} of {s.get('off', 0)} | {s.get('gold_weak', 0)} of {s.get('gold', 0)} | "
            f"{s.get('gold_outside_weak', 0)} of {s.get('gold_outside', 0)} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dump")
    ap.add_argument("--split", default="dev")
    ap.add_argument("--grid", action="store_true")
    ap.add_argument("--rule", help="family,bar[,bar]")
    ap.add_argument("--by", action="store_true", help="per collection")
    ap.add_argument("--min-chars", type=int, default=1, help="tokens shorter than this are left out of the coverage")
    args = ap.parse_args()
    global MIN_CHARS
    MIN_CHARS = args.min_chars
    records = [r for r in pickle.load(open(args.dump, "rb")) if r["split"] == args.split]
    print("| rule | off-topic passing | gold shown weak | of them outside hits |")
    print("|---|---|---|---|")
    print(line("shipped", score(records, None)))
    if args.grid:
        steps = [round(0.05 * i, 2) for i in range(1, 21)]
        lex = [round(0.25 * i, 2) for i in range(1, 17)]
        rules = [("ev", b) for b in lex] + [("cov", s) for s in steps] + [("or", s) for s in steps]
        rules += [("and", b, s) for b in lex for s in steps]
        scored = [(rule, score(records, rule)) for rule in rules]
        best = {}
        for rule, s in scored:
            key = (s.get("passing", 0), s.get("gold_weak", 0), rule[1:])
            if rule[0] not in best or key < best[rule[0]][0]:
                best[rule[0]] = (key, rule, s)
        for family, (_, rule, s) in sorted(best.items(), key=lambda kv: kv[1][0]):
            print(line(f"best {family}: {rule}", s))
        for rule, s in scored:
            if rule[0] == "cov":
                print(line(str(rule), s))
    if args.rule:
        family, *bars = args.rule.split(",")
        rule = (family, *map(float, bars))
        print(line(str(rule), score(records, rule)))
        if args.by:
            for name in dict.fromkeys(r["collection"] for r in records):
                part = [r for r in records if r["collection"] == name]
                print(line(f"{name}: shipped", score(part, None)), line("rule", score(part, rule)))
            for r in records:
                if r["gold"] is None and r["hits"] and not weak(r, r["hits"][0], rule):
                    print("  passing:", r["collection"], r["question"])
                if r["gold"] is not None and r["rank"] and weak(r, r["hits"][r["rank"] - 1], rule):
                    print("  gold weak:", r["collection"], r["question"])


if __name__ == "__main__":
    main()
