"""Session 21's probe: eight hand-written collections (benchmarks/data/probe21/: Ukrainian,
Slovak, Lithuanian, Tamil, Khmer, Welsh, Icelandic, and a larger French support collection of a
knowledge base, meeting minutes and a contract), each indexed as its own folder the way a user
indexes one, and asked with the questions beside them (make_questions.py), split into dev and
held-out before any run. Measured the way benchmarks/probe20.py measures (its `run` and
`report`): hybrid, lexical and dense MRR@10, hit@1, answer sentence, gold weak, notices, off-topic
passing; besides, the answer shown first (gold passage first with its answer sentence right), and
the language the identifier gives each question and each document's passages.

    PYTHONPATH=.:benchmarks python benchmarks/probe21.py [--split dev|heldout] [--rows] [--tag T] [--model e5-small]

Rows go to benchmarks/out/probe21-<split><tag>.json.
"""
from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import probe20  # noqa: E402
import probe_harness  # noqa: E402
from common import OUT  # noqa: E402

HERE = Path(__file__).resolve().parent / "data" / "probe21"


def passage_labels(collection: str, model: str | None, here: Path = HERE, name: str = "probe21") -> dict[str, Counter]:
    """Per document of the folder, how many of its passages the identifier labelled with each language."""
    retriever = probe20.open_collection(collection, model, here, name)
    try:
        seen = {}
        for h in retriever.search("a", k=500, mode="dense"):
            seen[(h.source, h.paragraph, h.part)] = (Path(h.source).stem, h.lang)
    finally:
        retriever.close()
    labels: dict[str, Counter] = defaultdict(Counter)
    for doc, lang in seen.values():
        labels[doc][lang] += 1
    return labels


def main(here: Path = HERE, name: str = "probe21", description: str = __doc__.splitlines()[0]) -> None:
    """Ask a probe folder's split (here: its collections and questions_<split>.jsonl) and report."""
    from qa.language import question_language

    args = probe20.arguments(description)
    questions = probe_harness.load(here, args.split)
    rows = probe20.run(questions, args.model, here, name)
    for r in rows:
        r["read_as"] = question_language(r["q"])
    (OUT / f"{name}-{args.split}{args.tag}.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1))
    probe20.report(rows, args.split)
    # MRR@10 counts a passage holding the gold text: a whole document read as one passage is
    # "found" by every question about it; the answer shown first is what a reader gets
    for mode in probe20.MODES:
        part = [r for r in rows if r["mode"] == mode and r["kind"] != "off"]
        first = sum(1 for r in part if r["rank"] == 1 and r["sentence_hit"])
        print(f"answer first (gold passage first, its answer sentence right) ({mode}): {first} of {len(part)}")
    print("\npassages' languages by document:")
    for collection in sorted({q["collection"] for q in questions}):
        for doc, counts in sorted(passage_labels(collection, args.model, here, name).items()):
            print(f"  {collection}/{doc}: {dict(counts)}")
    asked = {r["q"]: r for r in rows if r["mode"] == "hybrid"}
    misread = [r for r in asked.values() if r["read_as"] != r["lang"]]
    print(f"\nquestions read as another language than written: {len(misread)} of {len(asked)}")
    for r in misread:
        print(f"  [{r['lang']} read as {r['read_as']}] {r['q']!r}")
    if args.rows:
        probe20.print_rows(rows)


if __name__ == "__main__":
    main()
