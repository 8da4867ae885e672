"""Sections of long documents (docs/quality.md, "Session 13"): help pages, FAQs and manuals cut
by headings, with questions about a section's second and third paragraphs.

    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/sections_dev.py [--heldout] [--json]
    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/sections_dev.py --explore   # dev only
    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/sections_dev.py --format html|docx|pdf [--heldout]

The collection (benchmarks/data/sections_docs): hand-written help pages in English (2), French,
Spanish and German, Node.js's SECURITY.md and three more Node.js documents with no question.
The 90 questions (benchmarks/data/sections_{dev,heldout}.jsonl) were written by hand from the
pages, and split (alternating within each document) before anything was measured.

Default: indexes the collection with the checked-out code under benchmarks/out/sections-index
(rebuilt) and asks each question with `Retriever.search` (k=10) in dense and hybrid mode:
MRR@10, first, in top 10, and how many gold passages found in the top 10 are flagged weak.

`--format html|docx|pdf`: the same pages written as web pages or .docx files (benchmarks/
sections_formats.py: h1-h6, "Heading N" styles), indexed under benchmarks/out/sections-index-FORMAT,
the same questions and gold strings.

`--explore` scores variants in bulk on the dev half (as benchmarks/context_dev.py does): the
section's heading path embedded with the passage, a section head vector mixed into the dense
score instead of or besides the document head, the heading path's words in the lexical side.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import OUT  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"
DOCS = DATA / "sections_docs"
INDEX = OUT / "sections-index"


def questions(split: str, fmt: str = "md") -> list[dict]:
    found = [json.loads(line) for line in (DATA / f"sections_{split}.jsonl").read_text(encoding="utf-8").splitlines()]
    return [{**q, "source": q["source"].removesuffix(".md") + "." + fmt} for q in found]


def is_gold(row: dict, q: dict) -> bool:
    return Path(row["source"]).name == q["source"] and q["gold"] in " ".join(row["text"].split())


def build(index: Path = INDEX, docs: Path = DOCS) -> None:
    from qa.indexer import build_index

    if index.exists():
        shutil.rmtree(index)
    print(build_index([str(docs)], str(index), progress=False).summary(), file=sys.stderr)


def run(split: str, index: Path = INDEX, fmt: str = "md") -> dict:
    from qa.retrieval import Retriever

    retriever = Retriever.open(index)
    out = {}
    for mode in ("dense", "hybrid"):
        ranks, weak, cited = [], 0, 0
        for q in questions(split, fmt):
            hits = retriever.search(q["question"], k=10, mode=mode)
            rank = next((h.rank for h in hits if is_gold({"source": h.source, "text": h.text}, q)), None)
            ranks.append(rank)
            if rank is not None:
                hit = hits[rank - 1]
                weak += hit.weak
                cited += bool(getattr(hit, "section", None))  # None before sections existed
        n = len(ranks)
        out[mode] = {"questions": n, "mrr10": round(sum(1 / r for r in ranks if r) / n, 3),
                     "first": round(sum(r == 1 for r in ranks) / n, 3),
                     "top10": round(sum(r is not None for r in ranks) / n, 3),
                     "gold_weak": weak, "gold_with_section": cited}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--heldout", action="store_true", help="the held-out half (read once, after choosing on dev)")
    ap.add_argument("--explore", action="store_true", help="bulk variants on the dev half")
    ap.add_argument("--no-build", action="store_true", help="reuse benchmarks/out/sections-index")
    ap.add_argument("--format", choices=("md", "html", "docx", "pdf"), default="md",
                    help="the pages as written (md) or converted to web pages / .docx")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    index, docs = INDEX, DOCS
    if args.format != "md":
        from sections_formats import convert

        index = OUT / f"sections-index-{args.format}"
        if not args.no_build:
            docs = convert(DOCS, OUT / f"sections-docs-{args.format}", args.format)
    if not args.no_build:
        build(index, docs)
    if args.explore:
        from sections_explore import explore
        explore(index, questions("dev", args.format), is_gold)
        return
    result = run("heldout" if args.heldout else "dev", index, args.format)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{'held-out' if args.heldout else 'dev'} ({args.format}): MRR@10 / first / in top 10 / gold weak")
    for mode, r in result.items():
        print(f"{mode:7s} {r['mrr10']:.3f} / {r['first']:.3f} / {r['top10']:.3f} / {r['gold_weak']} of "
              f"{r['questions']} (gold cited with a section: {r['gold_with_section']})")


if __name__ == "__main__":
    main()
