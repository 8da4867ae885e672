"""Questions about table rows (spreadsheets, CSV): is the row's passage found, and is the
highlighted answer the row itself? Hand-written tables and questions in benchmarks/tables/
(English products, French staff directory: development; Spanish timetable, German fares:
held-out), questions in their language and across languages.

    PYTHONPATH=. .venv/bin/python benchmarks/tables_dev.py [--split dev|held|all]

Per split: passage MRR@5, answer-hit (the top passage is the gold row's and its highlighted
answer holds the row), exact (the answer is that row and nothing more).
"""
from __future__ import annotations

import argparse
import csv
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "tables"


def gold_line(text: str, key: str) -> str | None:
    prefix = key.replace(",", " | ") + " |"
    return next((line for line in text.split("\n") if line.startswith(prefix)), None)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", default="all", choices=("dev", "held", "all"))
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from qa import Retriever, build_index

    with open(DATA / "questions.tsv", encoding="utf-8") as f:
        rows = [r for r in csv.reader(f, delimiter="\t")][1:]
    with tempfile.TemporaryDirectory() as index:
        build_index([DATA], index=index, progress=False)
        retriever = Retriever.open(index)
        for split in ("dev", "held"):
            if args.split not in (split, "all"):
                continue
            asked = [(q, key) for s, q, key in rows if s == split]
            rr = hit = exact = 0.0
            for question, key in asked:
                found = retriever.search(question, k=5)
                rank = next((i for i, p in enumerate(found) if gold_line(p.text, key)), None)
                rr += 1 / (rank + 1) if rank is not None else 0
                top = found[0]
                line = gold_line(top.text, key)
                answer = top.answer.text if top.answer else ""
                hit += bool(line and line in answer)
                exact += bool(line and answer.strip() == line)
                if args.verbose:
                    print(f"  {rank} {question!r} -> {answer!r}")
            n = len(asked)
            print(f"{split}: {n} questions, MRR@5 {rr / n:.3f}, answer-hit {hit / n:.3f}, exact row {exact / n:.3f}")
        retriever.close()


if __name__ == "__main__":
    main()
