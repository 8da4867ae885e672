"""How document context (qa/context.py) moves dense scores, the input of the weak-match rule:
on one index, each question's gold passage and each off-topic question's best passage are
scored with and without context (the same index, model and candidates).

    PYTHONPATH=. .venv/bin/python benchmarks/context_scores.py [de|fr]

`de`: benchmarks/title_dev.py's 50 questions (development); `fr`: benchmarks/french_manpages.py's
49 (held-out). Off-topic questions: benchmarks/off_topic.py's 40. The indexes are those the two
benchmarks build under benchmarks/out/.
"""
from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import OUT  # noqa: E402
from french_manpages import gold_passage  # noqa: E402


def dense_scores(retriever, questions: list, off_topic: list[str]) -> dict:
    """Gold passages' dense scores (when in the dense top 10) and off-topic questions' best."""
    gold = []
    for q in questions:
        hits = retriever.search(q.text, k=10, mode="dense")
        rank = gold_passage(hits, q)
        gold.append(hits[rank - 1].score if rank else None)
    best = [retriever.search(q, k=1, mode="dense")[0].score for q in off_topic]
    return {"gold": gold, "off_topic": best}


def main() -> None:
    from off_topic import OFF_TOPIC_DEV, OFF_TOPIC_HELD_OUT

    from qa import Retriever

    which = sys.argv[1] if len(sys.argv) > 1 else "de"
    if which == "de":
        from title_dev import MORE_QUESTIONS, QUESTIONS
        questions, folder = QUESTIONS + MORE_QUESTIONS, OUT / "de-man-use-m3"
    else:
        from french_manpages import QUESTIONS
        questions, folder = QUESTIONS, OUT / "fr-man-use-m3"
    retriever = Retriever.open(folder / "index")
    with_context = dense_scores(retriever, questions, OFF_TOPIC_DEV + OFF_TOPIC_HELD_OUT)
    plain = Retriever.__new__(Retriever)
    plain.__dict__.update(retriever.__dict__)
    plain._view = dataclasses.replace(retriever._view, context=False)
    without = dense_scores(plain, questions, OFF_TOPIC_DEV + OFF_TOPIC_HELD_OUT)
    both = [(a, b) for a, b in zip(without["gold"], with_context["gold"]) if a is not None and b is not None]
    print(f"{which}: {len(questions)} questions, gold in the dense top 10 both ways: {len(both)}")
    print("| dense score | without context | with context |")
    print("|---|---|---|")
    for name, values in (("gold passage, median", [np.median([a for a, _ in both]), np.median([b for _, b in both])]),
                         ("gold passage, 10th percentile",
                          [np.percentile([a for a, _ in both], 10), np.percentile([b for _, b in both], 10)]),
                         ("off-topic best passage, median", [np.median(without["off_topic"]),
                                                             np.median(with_context["off_topic"])]),
                         ("off-topic best passage, max", [max(without["off_topic"]), max(with_context["off_topic"])]),
                         ("off-topic questions at or above 0.24 (WEAK_DENSE)",
                          [int(sum(s >= 0.24 for s in without["off_topic"])),
                           int(sum(s >= 0.24 for s in with_context["off_topic"]))])):
        print(f"| {name} | " + " | ".join(str(v) if isinstance(v, int) else f"{v:.3f}" for v in values) + " |")
    retriever.close()


if __name__ == "__main__":
    main()
