"""Coverage rules with word forms matched by a shared prefix, on benchmarks/outside19.py's dumps
(docs/quality.md, "Session 19: ...").

Session 18 found the right passages the coverage rule flags sharing one word form or none with their
question: an inflection no stemmer joins (Finnish verikoetta / verikokeeseen, Hungarian táskámat /
táskát, Ukrainian посилка / посилку, Georgian). Here a question token is held by a passage when the
passage has the same token or, with `prefix` P, a token of P characters or more beginning with the
same P characters as the question's (the token itself having P or more). The IDF of a question token
counts the passages holding it so. `prefix` None: exact tokens (the shipped rule with fts5, 4, 0.25).
Families: or (base or cov < S). Objective on dev: fewest off-topic passing, then fewest gold weak.

    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/outside19_rules.py DEV.pkl ... --grid
    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/outside19_rules.py DUMP ... --rule 5,plus,1,0.25 --by
"""
from __future__ import annotations

import argparse
import pickle
from collections import defaultdict

from weak18_rules import MODEL, idf

SHIPPED = (None, "fts5", 4, 0.25)


def outside(record: dict, hit: dict) -> bool:
    return record["qlang"] not in MODEL and (hit["lang"] or "") not in MODEL


def key(token: str, prefix: int | None) -> str | None:
    token = token.lstrip("~")
    return token[:prefix] if prefix and len(token) >= prefix else None


_held_cache: dict = {}


def holders(record: dict, prefix: int | None) -> dict[str, set[int]]:
    """Each question token's passages (ids) holding it, exactly or by its prefix."""
    cache_key = (id(record), prefix)
    if cache_key in _held_cache:
        return _held_cache[cache_key]
    passages = record["passage_tokens"]
    out = {}
    for t in record["terms"]:
        k = key(t, prefix)
        out[t] = {i for i, tokens in passages.items()
                  if t in tokens or (k is not None and any(key(w, prefix) == k for w in tokens))}
    _held_cache[cache_key] = out
    return out


def coverage(record: dict, hit: dict, prefix: int | None, kind: str, min_chars: int) -> float:
    n = record["passages"]
    held = holders(record, prefix)
    terms = [t for t in record["terms"] if len(t.lstrip("~")) >= min_chars]
    total = sum(idf(max(len(held[t]), 1), n, kind) for t in terms)
    got = sum(idf(len(held[t]), n, kind) for t in terms if hit["id"] in held[t])
    return got / total if total else 0.0


def weak(record: dict, hit: dict, rule: tuple | None) -> bool:
    if rule is None or not outside(record, hit):
        return hit["base"]
    prefix, kind, min_chars, bar = rule
    return hit["base"] or coverage(record, hit, prefix, kind, min_chars) < bar


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
    return dict(out)


def line(name: str, s: dict) -> str:
    return f"| {name} | {s.get('passing', 0)} of {s.get('off', 0)} | {s.get('gold_weak', 0)} of {s.get('gold', 0)} |"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dump", nargs="+")
    ap.add_argument("--grid", action="store_true")
    ap.add_argument("--rule", help="prefix|none,idf,min_chars,bar")
    ap.add_argument("--by", action="store_true")
    args = ap.parse_args()
    records = [r for d in args.dump for r in pickle.load(open(d, "rb"))]
    print("| rule | off-topic passing | gold shown weak |")
    print("|---|---|---|")
    print(line("as it ran", score(records, None, shipped=True)))
    print(line("base (no coverage rule)", score(records, None)))
    print(line(f"shipped {SHIPPED}", score(records, SHIPPED)))
    if args.grid:
        bars = [round(0.05 * i, 2) for i in range(1, 11)]
        best = []
        for prefix in (None, 3, 4, 5, 6, 7):
            for kind in ("fts5", "plus"):
                for m in (1, 2, 3, 4):
                    scored = [((s.get("passing", 0), s.get("gold_weak", 0), abs(bar - 0.25)), (prefix, kind, m, bar), s)
                              for bar in bars for s in [score(records, (prefix, kind, m, bar))]]
                    top = min(scored, key=lambda x: x[0])
                    best.append(top)
                    print(line(f"best with prefix {prefix}, {kind}, {m}+ chars: {top[1]}", top[2]))
        overall = min(best, key=lambda x: x[0])
        print(line(f"**best** {overall[1]}", overall[2]))
    if args.rule:
        p, kind, m, bar = args.rule.split(",")
        rule = (None if p == "none" else int(p), kind, int(m), float(bar))
        print(line(str(rule), score(records, rule)))
        if args.by:
            for name in dict.fromkeys(r["collection"] for r in records):
                part = [r for r in records if r["collection"] == name]
                print(line(f"{name}: shipped", score(part, SHIPPED)), line("rule", score(part, rule)))
            for r in records:
                if r["gold"] is None and r["hits"] and not weak(r, r["hits"][0], rule):
                    print("  passing:", r["collection"], r["qlang"], r["question"])
                if r["gold"] is not None and r["rank"] and weak(r, r["hits"][r["rank"] - 1], rule):
                    h = r["hits"][r["rank"] - 1]
                    print("  gold weak:", r["collection"], r["qlang"], r["question"], "base" if h["base"] else
                          f"cov {coverage(r, h, rule[0], rule[1], rule[2]):.2f}")


if __name__ == "__main__":
    main()
