"""Weak matches outside the model's languages, Session 19 (docs/quality.md, "Session 19: ..."):
benchmarks/weak18.py's dump (each hit's flag without the coverage rule, `base`) plus every
passage's lexical tokens, so that benchmarks/outside19_rules.py can try word-form matches looser than
an exact token (a shared prefix) in the coverage.

Sets: weak17 and weak18 (Sessions 17's and 18's folders, both their splits: read before, dev here),
the probe17 index (dev), and outside19 (fresh folders, held-out: sk hr lt et id sl).

    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/outside19.py --set weak17 --dump benchmarks/out/outside19-dev17.pkl
"""
from __future__ import annotations

import argparse
import pickle
import sqlite3
from pathlib import Path

import qa.retrieval as retrieval
import weak17
from weak18 import ARGS

ROOT = Path(__file__).resolve().parent.parent


def passage_tokens(index: Path) -> dict[int, list[str]]:
    from qa.layout import current_data

    from qa.store import DB_NAME

    db = current_data(index) / DB_NAME
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return {i: tokens.split() for i, tokens in conn.execute("SELECT rowid, tokens FROM lexical")}
    finally:
        conn.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", choices=("weak17", "weak18", "outside19"), required=True)
    ap.add_argument("--dump", type=Path, required=True)
    ap.add_argument("--only", nargs="*")
    args = ap.parse_args()
    weak17.DATA = ROOT / "benchmarks" / args.set
    weak17.OUT = ROOT / "benchmarks" / "out" / args.set
    names = args.only or [n for n in weak17.collections() if args.set == "weak17" or not n.startswith("probe17")]
    records = weak17.run(names)
    tokens = {}
    for name in names:
        index = weak17.OUT / ("probe17" if name.startswith("probe17") else name) / "index"
        tokens[name] = passage_tokens(index)
    for r in records:
        r["set"] = args.set
        r["passage_tokens"] = tokens[r["collection"]]
        for h in r["hits"]:
            h["base"] = retrieval.is_weak(*(h[a] for a in ARGS))
    args.dump.parent.mkdir(parents=True, exist_ok=True)
    args.dump.write_bytes(pickle.dumps(records))
    for name in names:
        part = [r for r in records if r["collection"] == name]
        gold = [r for r in part if r["gold"] is not None and r["rank"]]
        off = [r for r in part if r["gold"] is None]
        print(f"{name}: passages {part[0]['passages']}, gold in top {weak17.K} {len(gold)}/"
              f"{sum(r['gold'] is not None for r in part)}, gold shown weak (shipped) "
              f"{sum(r['hits'][r['rank'] - 1]['weak'] for r in gold)}, off-topic passing (shipped) "
              f"{sum(bool(r['hits']) and not r['hits'][0]['weak'] for r in off)}/{len(off)}")


if __name__ == "__main__":
    main()
