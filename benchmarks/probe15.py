"""Session 15's probe: questions typed as people type them, on a collection nobody tuned for.

Twelve hand-written documents under benchmarks/probe15/docs/ of the kinds a support team, an
analyst or a journalist has (a router's help centre and a quarterly report in English, a returns
and warranty policy and a product committee's minutes by e-mail in French, release notes in
Spanish, project minutes by e-mail in German, quarterly results in Chinese, a metro news item in
Arabic, washing-machine warranty terms in Russian (.docx), flood news in Italian, a labour-market
bulletin in Portuguese, a shipping FAQ in Turkish; .md .txt .html .docx .eml) and 124 questions
with typos, marks and accents left out, ALL CAPS, keywords only, numbers written otherwise
(4.90 / 4,90, 15000 / 15 000, thirty / 30), versions (v2.3.1, 3.2.0), product codes (VM800 /
ВМ-800), abbreviations, Cyrillic letters for Latin ones, traditional for simplified Chinese,
code-mixed and cross-language questions; split dev / held-out before any run
(benchmarks/probe15/make_questions.py).

    PYTHONPATH=.:benchmarks python benchmarks/probe15.py [--split dev|heldout] [--rows] [--json] [--tag X]

Indexes the documents under benchmarks/out/probe15/ (USE-m3); see benchmarks/probe_harness.py.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import probe_harness  # noqa: E402

HERE = Path(__file__).resolve().parent / "probe15"

if __name__ == "__main__":
    probe_harness.main(HERE, "probe15", __doc__.splitlines()[0])
