"""Every hit of a set of searches, written out to check that a change to the search path leaves
the results as they were (session 13: `distinct_top`, `read_shown`).

    PYTHONPATH=<checkout>:$PWD/benchmarks nice -n 10 .venv/bin/python benchmarks/distinct_identity.py \
        --index INDEX --out hits.json [--queries 300] [--repeats 100]

The questions: benchmarks/peer.py's (`hybrid_profile.peer_questions`), and the first words of
passages whose text another passage repeats (so that `also_in` is exercised). Each is searched
one by one in hybrid and dense mode, and all of them again with `search_many` (hybrid; the
candidates of 32 questions read together). Per hit: all of it (`Passage.to_dict`).
"""
from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.append(str(HERE.parent))


def repeated_questions(index: Path, n: int) -> list[str]:
    """The first 12 words of `n` passages whose text (whitespace aside) another passage holds."""
    db = next(index.glob("data-*/passages.sqlite"))
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    seen: dict[str, int] = {}
    out = []
    for (text,) in conn.execute("SELECT text FROM passages ORDER BY id"):
        key = " ".join(text.split())
        seen[key] = seen.get(key, 0) + 1
        if seen[key] == 2 and len(out) < n:
            out.append(" ".join(key.split()[:12]))
    conn.close()
    return out


def seed_questions() -> list[str]:
    """The questions of tests/test_seed_questions.py's lists (passing, known misses, paraphrased)."""
    from seed_questions import seed_module

    module = seed_module()
    listed = [q for name in ("QUESTIONS", "KNOWN_MISSES", "PARAPHRASED", "PARAPHRASED_MISSES")
              for q in getattr(module, name, [])]
    return list(dict.fromkeys(q[1] for q in listed))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=100)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--seeds", action="store_true",
                        help="the seed questions of tests/test_seed_questions.py instead (an index of seeds/)")
    args = parser.parse_args()

    from hybrid_profile import peer_questions
    from qa.retrieval import Retriever

    questions = (seed_questions() if args.seeds
                 else peer_questions(args.queries) + repeated_questions(args.index, args.repeats))
    r = Retriever.open(args.index)

    def hits(found):
        return [h.to_dict() for h in found]

    out = {"questions": questions}
    for mode in ("hybrid", "dense"):
        out[mode] = [hits(r.search(q, k=args.k, mode=mode)) for q in questions]
    out["search_many"] = [hits(found) for found in r.search_many(questions, k=args.k)]
    shown_elsewhere = sum(bool(h["also_in"]) for found in out["hybrid"] for h in found)
    print(f"{len(questions)} questions; hybrid hits with also_in: {shown_elsewhere}")
    args.out.write_text(json.dumps(out, ensure_ascii=False))
    r.close()


if __name__ == "__main__":
    main()
