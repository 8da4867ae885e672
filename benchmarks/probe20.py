"""Session 20's probe: seven hand-written collections in languages no earlier probe wrote
documents in (benchmarks/data/probe20/: Danish, Latvian, Serbian in Cyrillic, Galician,
Azerbaijani, Nepali, Chinese in traditional characters), each indexed as its own folder the way a
user indexes one, and asked with the questions beside them (make_questions.py: the collection's
language, English and a third language; paraphrased, unmarked, with typos; two off-topic
questions per collection), split into dev and held-out before any run.

    PYTHONPATH=.:benchmarks python benchmarks/probe20.py [--split dev|heldout] [--rows] [--tag T] [--model e5-small]

Each question is asked (k=10) in hybrid mode (what `qa ask` does) and, to tell the halves apart,
in lexical and dense mode. Per mode and question kind (the document's language "mono", "en", or
"third"): MRR@10, gold first (hit@1), answer sentence right (of the questions whose gold passage is
in the top 10), gold flagged weak (of those), language notices; off-topic questions whose first
hit is not flagged weak ("passing"). Rows go to benchmarks/out/probe20-<split><tag>.json.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import probe_harness  # noqa: E402
from common import OUT  # noqa: E402

HERE = Path(__file__).resolve().parent / "data" / "probe20"
MODES = ("hybrid", "lexical", "dense")


def kind(row: dict) -> str:
    if row["lang"] == row["doc_lang"]:
        return "mono"
    return "en" if row["lang"] == "en" else "third"


def open_collection(collection: str, model: str | None = None, here: Path = HERE, name: str = "probe20"):
    """The collection's folder under `here` indexed as a user indexes it, under benchmarks/out/`name`."""
    from qa import Retriever, build_index

    work = OUT / (name if model is None else f"{name}-{model}") / collection
    build_index([here / collection], index=work / "index", model=model, progress=False)
    return Retriever.open(work / "index")


def run(questions: list[dict], model: str | None = None, here: Path = HERE, name: str = "probe20") -> list[dict]:
    rows: list[dict] = []
    by_collection: dict[str, list[dict]] = defaultdict(list)
    for q in questions:
        by_collection[q["collection"]].append(q)
    for collection, part in by_collection.items():
        retriever = open_collection(collection, model, here, name)
        answered = [q for q in part if q["doc"]]
        for mode in MODES:
            rows += [{**r, "kind": kind(r)} for r in probe_harness.ask(retriever, answered, mode)]
            for q in part:
                if q["doc"]:
                    continue
                hits = retriever.search(q["q"], k=10, mode=mode)
                rows.append({**q, "mode": mode, "kind": "off", "passing": bool(hits and not hits[0].weak),
                             "notice": hits[0].notice if hits else None,
                             "top": f"{Path(hits[0].source).stem}: {probe_harness.flat(hits[0].text)[:70]}" if hits else None})
        retriever.close()
    return rows


def report(rows: list[dict], split: str) -> None:
    answered = [r for r in rows if r["kind"] != "off"]
    off = [r for r in rows if r["kind"] == "off"]
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for r in answered:
        groups[(r["mode"], r["kind"])].append(r)
        # by the collection's language; an English collection by its name (not the English questions')
        lang = r["collection"][:2]
        groups[(r["mode"], r["collection"] if lang in ("mono", "en", "third") else lang)].append(r)
        groups[(r["mode"], "all")].append(r)
    print(f"split {split}: {len({r['q'] for r in answered})} questions, {len({r['q'] for r in off})} off-topic")
    print("| mode | questions | n | MRR@10 | hit@1 | answer sentence | gold weak | notices |")
    print("|---|---|---|---|---|---|---|---|")
    order = ["mono", "en", "third"]
    for (mode, name), part in sorted(groups.items(), key=lambda kv: (MODES.index(kv[0][0]), kv[0][1] == "all",
                                                                     kv[0][1] not in order, order.index(kv[0][1]) if kv[0][1] in order else 0, kv[0][1])):
        s = probe_harness.summary(part)
        found = sum(1 for r in part if r["rank"])
        print(f"| {mode} | {name} | {s['n']} | {s['mrr10']:.3f} | {s['first']:.3f} | {s['sentence']:.3f} | "
              f"{s['weak']}/{found} | {s['notices']} |")
    for mode in MODES:
        part = [r for r in off if r["mode"] == mode]
        print(f"off-topic passing ({mode}): {sum(r['passing'] for r in part)} of {len(part)}")


def print_rows(rows: list[dict]) -> None:
    """Every question that misses (not first, its sentence wrong, weak, or told the notice), and every
    off-topic question that passes."""
    for r in rows:
        if r["kind"] == "off":
            if r["passing"]:
                print(f"[{r['mode']}] off-topic passing {r['q']!r}: top {r['top']}")
            continue
        if r["rank"] != 1 or not r["sentence_hit"] or r["weak"] or r["notice"]:
            print(f"[{r['mode']}] [{r['lang']}>{r['doc_lang']}] {r['q']!r}: rank {r['rank']}{' weak' if r['weak'] else ''}"
                  f"{' sentence-miss' if r['rank'] and not r['sentence_hit'] else ''}"
                  f"{' notice' if r['notice'] else ''}\n    top: {r['top']}\n    sentence: {r['sentence'][:120]}")


def arguments(description: str) -> argparse.Namespace:
    """A probe's command line: the split, the rows printed, the rows file's tag, the model."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--split", default="dev", choices=["dev", "heldout"])
    ap.add_argument("--rows", action="store_true", help="print every question that misses")
    ap.add_argument("--tag", default="", help="suffix of the rows file under benchmarks/out")
    ap.add_argument("--model", default=None, help="the index's model (default: qa's, USE-m3)")
    return ap.parse_args()


def main() -> None:
    args = arguments(__doc__.splitlines()[0])
    rows = run(probe_harness.load(HERE, args.split), args.model)
    (OUT / f"probe20-{args.split}{args.tag}.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1))
    report(rows, args.split)
    if args.rows:
        print_rows(rows)


if __name__ == "__main__":
    main()
