"""Session 17's probe: hand-written documents in languages and scripts not probed before.

Twelve small documents under benchmarks/probe17/docs/ (a water-cut notice in Thai, a clinic FAQ
in Hebrew, an electricity notice in Urdu, hospital information in Amharic, a museum page in
Georgian, a post-office FAQ in Armenian, a water utility FAQ in Swahili, barangay notices in
Tagalog, an ISP FAQ in Vietnamese, railway news in Bengali, ferry-strike news in Greek, a
recycling-centre FAQ in Catalan) and questions typed as people type them (marks left out, other
word forms, ASCII digits for native ones, Roman Urdu, English or French about a document, and an
off-topic question per document), split into dev and held-out before any run
(benchmarks/probe17/make_questions.py).

    PYTHONPATH=.:benchmarks python benchmarks/probe17.py [--split dev|heldout] [--rows] [--tag T]

Indexes the documents under benchmarks/out/probe17/ (USE-m3), asks each question (k=10) in
lexical, dense and hybrid mode; per document language (or "cross") MRR@10, gold first, answer
sentence (of questions whose gold passage is in the top 10), gold flagged weak, notices; and
off-topic questions whose first hit is not flagged weak ("passing").
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import probe_harness  # noqa: E402
from common import OUT  # noqa: E402

HERE = Path(__file__).resolve().parent / "probe17"
MODES = ("lexical", "dense", "hybrid")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="dev", choices=["dev", "heldout"])
    ap.add_argument("--rows", action="store_true", help="print every question that misses")
    ap.add_argument("--tag", default="", help="suffix of the rows file under benchmarks/out")
    args = ap.parse_args()
    questions = probe_harness.load(HERE, args.split)
    retriever = probe_harness.open_index(HERE, "probe17")
    answered = [q for q in questions if q["doc"]]
    off = [q for q in questions if not q["doc"]]
    rows = [r for mode in MODES for r in probe_harness.ask(retriever, answered, mode)]
    off_rows = []
    for mode in MODES:
        for q in off:
            hits = retriever.search(q["q"], k=10, mode=mode)
            off_rows.append({**q, "mode": mode, "passing": bool(hits and not hits[0].weak),
                             "top": f"{Path(hits[0].source).stem}: {probe_harness.flat(hits[0].text)[:60]}" if hits else None})
    retriever.close()
    (OUT / f"probe17-{args.split}{args.tag}.json").write_text(json.dumps(rows + off_rows, ensure_ascii=False, indent=1))
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for r in rows:
        groups[(r["mode"], r["doc_lang"] if r["lang"] == r["doc_lang"] else "cross")].append(r)
        groups[(r["mode"], "all")].append(r)
    print(f"split {args.split}: {len(answered)} questions, {len(off)} off-topic")
    print("| mode | lang | n | MRR@10 | first | answer sentence | gold weak | notices |")
    print("|---|---|---|---|---|---|---|---|")
    for (mode, lang), part in sorted(groups.items(), key=lambda kv: (MODES.index(kv[0][0]), kv[0][1] == "all", kv[0][1])):
        s = probe_harness.summary(part)
        print(f"| {mode} | {lang} | {s['n']} | {s['mrr10']:.3f} | {s['first']:.3f} | {s['sentence']:.3f} | "
              f"{s['weak']} | {s['notices']} |")
    for mode in MODES:
        part = [r for r in off_rows if r["mode"] == mode]
        print(f"off-topic passing ({mode}): {sum(r['passing'] for r in part)} of {len(part)}")
    if args.rows:
        for r in rows:
            if r["rank"] != 1 or not r["sentence_hit"] or r["weak"] or r["notice"]:
                print(f"[{r['mode']}] [{r['lang']}>{r['doc_lang']}] {r['q']!r}: rank {r['rank']}{' weak' if r['weak'] else ''}"
                      f"{' sentence-miss' if r['rank'] and not r['sentence_hit'] else ''}"
                      f"{' notice' if r['notice'] else ''}\n    top: {r['top']}\n    sentence: {r['sentence'][:120]}")
        for r in off_rows:
            if r["passing"]:
                print(f"[{r['mode']}] off-topic passing {r['q']!r}: top {r['top']}")


if __name__ == "__main__":
    main()
