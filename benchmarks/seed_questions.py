"""How many seed questions (tests/test_seed_questions.py: the passing list, the known misses
and the paraphrased ones) rank their answering paragraph first, with the `qa` on the path.

    PYTHONPATH=. .venv/bin/python benchmarks/seed_questions.py
"""
from __future__ import annotations

import importlib.util
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def seed_module():
    """tests/test_seed_questions.py as a module (its lists of questions)."""
    sys.path.insert(0, str(ROOT / "tests"))
    spec = importlib.util.spec_from_file_location("seed_questions", ROOT / "tests" / "test_seed_questions.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    from qa import Retriever, build_index

    module = seed_module()
    with tempfile.TemporaryDirectory() as index:
        build_index([ROOT / "seeds"], index=index, progress=False)
        retriever = Retriever.open(index)
        for name in ("QUESTIONS", "KNOWN_MISSES", "PARAPHRASED"):
            questions = getattr(module, name, [])
            if name == "PARAPHRASED":
                # the misses are listed among them too (a set, marking their xfail), older lists apart
                questions = questions + [q for q in getattr(module, "PARAPHRASED_MISSES", []) if q not in questions]
            first = [q for q in questions if retriever.search(q[1], k=3)[0].paragraph == q[2]]
            print(f"{name}: {len(first)} of {len(questions)} first")
            for q in questions:
                if q not in first:
                    print("   miss:", q)
        retriever.close()


if __name__ == "__main__":
    main()
