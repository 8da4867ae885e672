"""Session 14's probe: hand-written collections in languages outside the repository's data.

Twelve small documents under benchmarks/probe14/docs/ (a FAQ, help page, news items, rules:
it nl pl pt sv ja ko fa fi hu cs id; .md, .txt, .html) and questions typed as people type
them (lower case, marks left out, keywords, inflected forms, compounds, Arabic-keyboard
Persian, a few asked in English, German or Spanish), split into dev and held-out before any
run (benchmarks/probe14/questions_*.jsonl). A question's gold passage is the one holding its
`gold` text; its answer sentence is right when the passage's highlighted sentence holds
`answer`.

    PYTHONPATH=.:benchmarks python benchmarks/probe14.py [--split dev|heldout] [--rows] [--json]

Indexes the documents under benchmarks/out/probe14/ (USE-m3), asks each question (k=10) in
lexical and hybrid mode, prints per question language MRR@10, how often the gold passage is
first, how often its highlighted sentence is the answering one (of the questions whose gold
passage is found), gold flagged weak, questions told a language notice; and each document's
citation (title, date) against benchmarks/probe14/citations.json.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import probe_harness  # noqa: E402

HERE = Path(__file__).resolve().parent / "probe14"

if __name__ == "__main__":
    probe_harness.main(HERE, "probe14", __doc__.splitlines()[0])
