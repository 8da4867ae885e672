"""Follow-up questions in a conversation (qa/followup.py): hand-written dialogues over hand-written
documents (en, fr, de, es) and the seed article, benchmarks/data/followup/. Each turn after the
first is asked alone and with the dialogue's earlier questions (`previous`); its gold passage is
the one holding its `gold` text. Reported per kind of turn: "followup" (leans on the earlier
question), "topic" (a new topic: must not be pulled back to the earlier one) and the first turns
(never read with anything): gold passage first (hit@1), MRR@10, and how many were read with the
earlier question. The dialogues were split dev / held-out (alternately, in the file's order)
before any measurement; the rule was chosen on dev. `--data followup20`: Session 20's dialogues
(benchmarks/data/followup20/: it, pt, nl, ru, zh, ja, ar, tr, pl and pronouns of people, each dialogue
in a "group", rows per kind and group), over their documents, Session 13's and the seed.
`--data followup21`: Session 21's Chinese and Japanese dialogues (benchmarks/data/followup21/: pronouns
that ICU glues to the next word, "她在哪里出生？"), over their documents, Session 20's, 13's and the seed.

    PYTHONPATH=$PWD:$PWD/benchmarks python benchmarks/followup_dev.py [--split heldout]
        [--data followup20|followup21] [--tag NAME] [--own N] [--cue N] [--weight W] [--lexical 0|1|topic] [--person who|always|never]   (the rule's settings, default qa.followup's)
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data" / "followup"
OUT = ROOT / "benchmarks" / "out" / "followup"
# Session 20's dialogues (--data followup20): 9 more languages and person pronouns, over their
# own documents with Session 13's and the seeds (more companies, more people: more to confuse)
DATA20 = ROOT / "benchmarks" / "data" / "followup20"
OUT20 = ROOT / "benchmarks" / "out" / "followup20"
DATA21 = ROOT / "benchmarks" / "data" / "followup21"
OUT21 = ROOT / "benchmarks" / "out" / "followup21"


def index_path(data: str = "followup") -> Path:
    """The index of the dialogues' documents and the seeds, built once under benchmarks/out."""
    from qa import build_index

    folders = {"followup": [DATA / "docs", ROOT / "seeds"],
               "followup20": [DATA20 / "docs", DATA / "docs", ROOT / "seeds"],
               "followup21": [DATA21 / "docs", DATA20 / "docs", DATA / "docs", ROOT / "seeds"]}[data]
    index = _out(data) / "index"
    build_index(folders, index=index, progress=False)  # unchanged files are skipped
    return index


def _out(data: str) -> Path:
    return {"followup": OUT, "followup20": OUT20, "followup21": OUT21}[data]


def gold_rank(hits, gold: str) -> int | None:
    return next((h.rank for h in hits if gold in h.text), None)


def measure(retriever, dialogues: list[dict], turns: list[dict] | None = None) -> dict[str, dict[str, float]]:
    """Per kind of turn (and per dialogue group, "kind/group", when the dialogues have groups);
    each turn's row is appended to `turns` when given."""
    rows: dict[str, list[tuple[int | None, int | None, bool]]] = {"first": [], "followup": [], "topic": []}
    for dialogue in dialogues:
        asked: list[str] = []
        for turn in dialogue["turns"]:
            alone = retriever.search(turn["q"], k=10)
            read = retriever.search(turn["q"], k=10, previous=list(asked))
            kind = turn.get("kind", "first")
            row = (gold_rank(alone, turn["gold"]), gold_rank(read, turn["gold"]), bool(read and read[0].followup_of))
            rows[kind].append(row)
            if "group" in dialogue:
                rows.setdefault(f"{kind}/{dialogue['group']}", []).append(row)
            if turns is not None:
                turns.append({"lang": dialogue["lang"], "group": dialogue.get("group"), "kind": kind, "q": turn["q"],
                              "previous": list(asked), "alone": row[0], "with": row[1], "read_with": row[2],
                              "alone_score": alone[0].score if alone else None,
                              "with_score": read[0].score if read else None})
            if kind != "first" and gold_rank(read, turn["gold"]) != 1:
                print(f"  {kind:8} alone {gold_rank(alone, turn['gold'])} with {gold_rank(read, turn['gold'])} "
                      f"{'read with' if read and read[0].followup_of else 'alone   '} {turn['q']!r}", file=sys.stderr)
            asked.append(turn["q"])
    out = {}
    for kind, got in rows.items():
        n = len(got)
        hit = lambda j: sum(1 for g in got if g[j] == 1) / n  # noqa: E731
        mrr = lambda j: sum(1 / g[j] for g in got if g[j] is not None) / n  # noqa: E731
        out[kind] = {"n": n, "alone_hit1": hit(0), "with_hit1": hit(1), "alone_mrr10": mrr(0), "with_mrr10": mrr(1),
                     "read_with": sum(g[2] for g in got)}
    return out


def main() -> int:
    from qa import followup
    from qa.retrieval import Retriever

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "heldout"), default="dev")
    parser.add_argument("--data", choices=("followup", "followup20", "followup21"), default="followup",
                        help="Session 13's dialogues, Session 20's (more languages, person pronouns) or Session 21's "
                             "(zh/ja pronouns glued to the next word)")
    parser.add_argument("--tag", default="", help="a name for this run's output file")
    parser.add_argument("--own", type=int, default=followup.MAX_OWN_WORDS)
    parser.add_argument("--cue", type=int, default=followup.MAX_WORDS_WITH_CUE)
    parser.add_argument("--weight", type=float, default=followup.PRIOR_WEIGHT)
    parser.add_argument("--lexical", choices=("0", "1", "topic"), default=str(followup.PRIOR_LEXICAL),
                        help="what joins a follow-up's lexical query: nothing, the earlier question's tokens, or the "
                             "title of the document the earlier question found (topic)")
    parser.add_argument("--person", choices=("who", "always", "never"), default="who",
                        help="when a person's pronoun (he, she, lui, 他) points back: after a question asking who "
                             "(the rule), always (as before Session 20), never")
    args = parser.parse_args()
    if args.person == "always":
        followup.WHO = type("Everything", (), {"__contains__": lambda self, word: True})()
    elif args.person == "never":
        followup._PERSON = {}
    followup.PRIOR_LEXICAL = "topic" if args.lexical == "topic" else bool(int(args.lexical))
    followup.MAX_OWN_WORDS, followup.MAX_WORDS_WITH_CUE, followup.PRIOR_WEIGHT = args.own, args.cue, args.weight
    data = {"followup": DATA, "followup20": DATA20, "followup21": DATA21}[args.data]
    dialogues = [d for d in json.loads((data / "dialogues.json").read_text(encoding="utf-8"))
                 if d["split"] == args.split]
    retriever = Retriever.open(index_path(args.data))
    turns: list[dict] = []
    result = measure(retriever, dialogues, turns)
    print(f"{args.data} {args.split}: {len(dialogues)} dialogues; own<={args.own}, cue<={args.cue}, weight {args.weight}, lexical {args.lexical}")
    print(f"{'turns':10}{'n':>4}{'read with':>10}{'hit@1 alone':>13}{'with':>7}{'MRR@10 alone':>14}{'with':>7}")
    for kind, r in result.items():
        print(f"{kind:10}{r['n']:>4}{r['read_with']:>10}{r['alone_hit1']:>13.3f}{r['with_hit1']:>7.3f}"
              f"{r['alone_mrr10']:>14.3f}{r['with_mrr10']:>7.3f}")
    out = _out(args.data)
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{args.split}{'-' + args.tag if args.tag else ''}.json").write_text(
        json.dumps({"args": vars(args), "result": result, "turns": turns}, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
