"""Weak matches outside the model's languages, Session 18 (docs/quality.md, "Session 18: function
words and the weak rule outside the model's languages"): benchmarks/weak17.py's dump, for either
Session 18's fresh folders (benchmarks/weak18/: split by language before any run, dev ro cs vi he
bg ta, held-out hu fi ca el hi uk) or Session 17's (benchmarks/weak17/ and the probe17 index), with
each hit's flag *without* the coverage rule (`base`: `qa.fusion.is_weak` as the search called it),
so that benchmarks/weak18_rules.py can grid coverage rules on top of it.

    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/weak18.py --set weak18 --dump benchmarks/out/weak18-dev.pkl \
        --only ro_sala cs_odpad vi_tiemchung he_chania bg_vlak ta_kalloori
"""
from __future__ import annotations

import argparse
import pickle
from pathlib import Path

import qa.retrieval as retrieval
import weak17

ROOT = Path(__file__).resolve().parent.parent
ARGS = ("dense", "evidence", "dense_bar", "hub", "hub_margin", "words", "sentence", "sentence_chars", "sentence_bar")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", choices=("weak17", "weak18"), required=True)
    ap.add_argument("--dump", type=Path, required=True)
    ap.add_argument("--only", nargs="*")
    args = ap.parse_args()
    weak17.DATA = ROOT / "benchmarks" / args.set
    weak17.OUT = ROOT / "benchmarks" / "out" / args.set
    names = args.only or [n for n in weak17.collections() if args.set == "weak17" or not n.startswith("probe17")]
    records = weak17.run(names)
    for r in records:
        r["set"] = args.set
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
