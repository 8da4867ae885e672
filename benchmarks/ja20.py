"""Session 20's Japanese check: a hand-written collection (benchmarks/data/ja20/ja_docs: a company
notice, a product FAQ, a news piece, a health-check notice) indexed as a user indexes a folder, and
asked with make_questions.py's questions (Japanese, English, Chinese; split into dev and held-out
before any run), in hybrid, lexical and dense mode, reported as benchmarks/probe20.py does.

    PYTHONPATH=.:benchmarks python benchmarks/ja20.py [--split dev|heldout] [--rows] [--tag T]

Rows go to benchmarks/out/ja20-<split><tag>.json; the index to benchmarks/out/ja20/.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import probe20  # noqa: E402
import probe_harness  # noqa: E402
from common import OUT  # noqa: E402

HERE = Path(__file__).resolve().parent / "data" / "ja20"


def run(questions: list[dict]) -> list[dict]:
    from qa import Retriever, build_index

    rows: list[dict] = []
    by_collection: dict[str, list[dict]] = defaultdict(list)
    for q in questions:
        by_collection[q["collection"]].append(q)
    for collection, part in by_collection.items():
        index = OUT / "ja20" / collection / "index"
        build_index([HERE / collection], index=index, progress=False)
        retriever = Retriever.open(index)
        answered = [q for q in part if q["doc"]]
        for mode in probe20.MODES:
            rows += [{**r, "kind": probe20.kind(r)} for r in probe_harness.ask(retriever, answered, mode)]
            for q in part:
                if not q["doc"]:
                    hits = retriever.search(q["q"], k=10, mode=mode)
                    rows.append({**q, "mode": mode, "kind": "off", "passing": bool(hits and not hits[0].weak),
                                 "notice": hits[0].notice if hits else None,
                                 "top": f"{Path(hits[0].source).stem}: {probe_harness.flat(hits[0].text)[:70]}"
                                 if hits else None})
        retriever.close()
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="dev", choices=["dev", "heldout"])
    ap.add_argument("--rows", action="store_true", help="print every question that misses")
    ap.add_argument("--tag", default="", help="suffix of the rows file under benchmarks/out")
    args = ap.parse_args()
    rows = run(probe_harness.load(HERE, args.split))
    (OUT / f"ja20-{args.split}{args.tag}.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1))
    probe20.report(rows, args.split)
    if args.rows:
        for r in rows:
            if r["kind"] != "off" and r["rank"] != 1:
                print(f"[{r['mode']}] [{r['lang']}] {r['q']!r}: rank {r['rank']}{' weak' if r['weak'] else ''}"
                      f"\n    top: {r['top']}")


if __name__ == "__main__":
    main()
