"""Stand-alone questions read as follow-ups (qa.followup.read_with): the questions of probes 14,
15 and 17 (typed as people type them, in many languages, none a follow-up), each asked after
"What is the capital of Canada?". Lists those read with it.

    PYTHONPATH=$PWD python benchmarks/followup_standalone.py [--split heldout]
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EARLIER = "What is the capital of Canada?"


def main() -> int:
    from qa.followup import read_with

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "heldout"), default="dev")
    args = parser.parse_args()
    questions = []
    for probe in ("probe14", "probe15", "probe17"):
        with open(ROOT / "benchmarks" / probe / f"questions_{args.split}.jsonl", encoding="utf-8") as lines:
            for line in lines:
                row = json.loads(line)
                questions.append((probe, row.get("lang"), row.get("question") or row["q"]))
    read = [q for q in questions if read_with(q[2], [EARLIER]) is not None]
    print(f"{args.split}: {len(read)} of {len(questions)} stand-alone questions read as follow-ups")
    for probe, lang, question in read:
        print(f"  {probe} {lang} {question!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
