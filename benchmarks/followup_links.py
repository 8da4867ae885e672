"""A follow-up's link opened elsewhere (a new tab, a colleague): does it show the conversation's
passages? Over Session 13's hand-written dialogues (benchmarks/data/followup/, both splits: nothing is
chosen here), each turn the conversation read with its earlier questions is asked three ways: in the
conversation (`previous` = the dialogue's earlier questions), by its link as the chat made it before
session 22 (its words alone), and by its link now (`qa.web_app.parse_link` of `qa.render.share_query`
with `after`, read with `qa.web_app.asked_before`, in a tab with no conversation). Counted: the same
passage [1], and the same five passages in order.

    PYTHONPATH=$PWD:$PWD/benchmarks python benchmarks/followup_links.py [--data followup20]
"""
from __future__ import annotations

import argparse
import json

from followup_dev import DATA, DATA20, DATA21, index_path


def main() -> int:
    from qa.render import share_query
    from qa.retrieval import Retriever
    from qa.web_app import asked_before, parse_link

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", choices=("followup", "followup20", "followup21"), default="followup")
    args = parser.parse_args()
    data = {"followup": DATA, "followup20": DATA20, "followup21": DATA21}[args.data]
    dialogues = json.loads((data / "dialogues.json").read_text(encoding="utf-8"))
    retriever = Retriever.open(index_path(args.data))
    ids = lambda hits: [h.id for h in hits]  # noqa: E731
    read = first_old = first_new = five_old = five_new = 0
    for dialogue in dialogues:
        asked: list[str] = []
        for turn in dialogue["turns"]:
            here = retriever.search(turn["q"], k=5, previous=list(asked) or None)
            if here and here[0].followup_of:
                read += 1
                link = parse_link(share_query(turn["q"], 5, None, here[0].followup_of))
                old = retriever.search(turn["q"], k=5)
                new = retriever.search(link["q"], k=5, previous=asked_before(link, []) or None)
                first_old += ids(old)[:1] == ids(here)[:1]
                first_new += ids(new)[:1] == ids(here)[:1]
                five_old += ids(old) == ids(here)
                five_new += ids(new) == ids(here)
            asked.append(turn["q"])
    print(f"{args.data}: {len(dialogues)} dialogues, {read} turns read with earlier questions")
    print(f"  link before (words alone): passage [1] the same {first_old}/{read}, five passages the same {five_old}/{read}")
    print(f"  link now (after=):         passage [1] the same {first_new}/{read}, five passages the same {five_new}/{read}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
