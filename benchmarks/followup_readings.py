"""How a follow-up is read with its earlier question (qa.followup.PRIOR_LEXICAL), on the dev
dialogues of Session 13 and Session 20: the earlier question's tokens joined to its lexical query
("tokens", before Session 20), the title of the document the earlier question found ("topic",
`qa.followup.reads_topic`), or, per follow-up, whichever of the two gives the higher first score
("pick": a measured signal of which reading is surer). Follow-up turns only: gold passage first
(hit@1), MRR@10, and the CPU time of a follow-up's search, asked a second time so that both
readings meet warm caches (the topic reading searches the earlier question too).

    PYTHONPATH=$PWD:$PWD/benchmarks python benchmarks/followup_readings.py [--split dev]
"""
from __future__ import annotations

import argparse
import json
import sys
import time

from followup_dev import DATA, DATA20, gold_rank, index_path


def main() -> int:
    from qa import followup
    from qa.retrieval import Retriever

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "heldout"), default="dev")
    args = parser.parse_args()
    for name, data in (("followup", DATA), ("followup20", DATA20)):
        retriever = Retriever.open(index_path(name))
        rows, cpu = [], {True: 0.0, "topic": 0.0}
        for dialogue in json.loads((data / "dialogues.json").read_text(encoding="utf-8")):
            if dialogue["split"] != args.split:
                continue
            asked: list[str] = []
            for turn in dialogue["turns"]:
                if turn.get("kind") == "followup":
                    got = {}
                    for reading in (True, "topic"):
                        followup.PRIOR_LEXICAL = reading
                        retriever.search(turn["q"], k=10, previous=list(asked))  # warm: caches of either reading
                        started = time.process_time()
                        hits = retriever.search(turn["q"], k=10, previous=list(asked))
                        cpu[reading] += time.process_time() - started
                        got[reading] = (gold_rank(hits, turn["gold"]), hits[0].score if hits else 0.0)
                    rows.append((got[True][0], got["topic"][0], max(got.values(), key=lambda g: g[1])[0]))
                asked.append(turn["q"])
        n = len(rows)
        for j, label in enumerate(("tokens", "topic", "pick")):
            hit1 = sum(1 for r in rows if r[j] == 1) / n
            mrr = sum(1 / r[j] for r in rows if r[j]) / n
            ms = f"  {1000 * cpu[True if label == 'tokens' else 'topic'] / n:.1f} ms CPU a follow-up" if label != "pick" else ""
            print(f"{name:11}{args.split:8}{label:8} n {n}  hit@1 {hit1:.3f}  MRR@10 {mrr:.3f}{ms}")
        retriever.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
