"""Session 23's probe: nine hand-written collections (benchmarks/data/probe23/: Basque, Estonian,
Croatian, Bulgarian, Malay, Gujarati, Punjabi, Albanian, each in a genre of its own, and an English
router FAQ asked in those eight languages), each indexed as its own folder the way a user indexes
one, and asked with the questions beside them (make_questions.py), split into dev and held-out
before any run. Measured as benchmarks/probe21.py measures (its `main`, given this folder):
hybrid, lexical and dense MRR@10, hit@1, answer sentence, answer first, gold weak, notices,
off-topic passing, and the language the identifier gives each question and each passage.

    PYTHONPATH=.:benchmarks python benchmarks/probe23.py [--split dev|heldout] [--rows] [--tag T] [--model e5-small]

Rows go to benchmarks/out/probe23-<split><tag>.json.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import probe21  # noqa: E402

HERE = Path(__file__).resolve().parent / "data" / "probe23"

if __name__ == "__main__":
    probe21.main(HERE, "probe23", __doc__.splitlines()[0])
