"""Word translation by the encoder end to end: MRR@10 through `Retriever.search` (hybrid, k=10)
on XQuAD's nine cross-lingual pairs and the monolingual en and es runs, without the channel
(the index's vocabulary not read: the search as before) and with it (qa/word_translation.py),
all questions, with the CPU time per question of each (alternating, one process).

    PYTHONPATH=. .venv/bin/python benchmarks/xling_words_eval.py   # indexes in benchmarks/out/index-<lang>,
                                                                  # their words stored by `qa index`
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.evaluate import score_run  # noqa: E402
from qa.retrieval import Retriever  # noqa: E402
from qa.squad import load_squad  # noqa: E402
from qa.store import Store  # noqa: E402

DEV = [("en", "es"), ("de", "es"), ("zh", "es"), ("es", "en"), ("de", "en"), ("zh", "en")]
HELD = [("ru", "es"), ("ar", "es"), ("ru", "en")]
MONO = [("en", "en"), ("es", "es")]


def run(retriever: Retriever, questions: list[str], golds: list[int]) -> tuple[float, float]:
    t0 = time.process_time()
    ranked = [[int(h.source[1:6]) for h in retriever.search(q, k=10)] for q in questions]
    cpu = 1000 * (time.process_time() - t0) / len(questions)
    return score_run(ranked, [None] * len(golds), golds, [[] for _ in golds])["mrr@10"], cpu


def main() -> None:
    data, out = ROOT.parent / "shared" / "bench" / "xquad", ROOT / "benchmarks" / "out"
    with_words = Store.word_vocabulary
    retrievers = {p: Retriever.open(out / f"index-{p}") for p in ("es", "en")}
    for r in retrievers.values():
        r.search("warm up", k=10)
    print("| run | without | with | ms CPU/question without | with |")
    print("|---|---|---|---|---|")
    means: dict[str, list] = {"dev": [], "held": []}
    for q, p in DEV + HELD + MONO:
        squad = load_squad(data / f"xquad.{p}.json", data / f"xquad.{q}.json")
        texts = [x.text for x in squad.questions]
        golds = [squad.gold[x.id] for x in squad.questions]
        Store.word_vocabulary = lambda self, version, dim: None
        before, cpu0 = run(retrievers[p], texts, golds)
        Store.word_vocabulary = with_words
        after, cpu1 = run(retrievers[p], texts, golds)
        print(f"| {q}->{p} | {before:.3f} | {after:.3f} | {cpu0:.1f} | {cpu1:.1f} |", flush=True)
        if (q, p) in DEV:
            means["dev"].append((before, after))
        elif (q, p) in HELD:
            means["held"].append((before, after))
    for name, vals in means.items():
        b, a = np.mean(vals, 0)
        print(f"| {name} mean | {b:.3f} | {a:.3f} | | |")
    b, a = np.mean(means["dev"] + means["held"], 0)
    print(f"| 9-pair mean | {b:.3f} | {a:.3f} | | |")


if __name__ == "__main__":
    main()
