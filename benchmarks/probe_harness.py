"""The shape shared by the hand-written probes (benchmarks/probe14.py, probe15.py): a folder
with docs/, questions_dev.jsonl, questions_heldout.jsonl and citations.json. A question's gold
passage is the one of document `doc` holding its `gold` text; its answer sentence is right when
the passage's highlighted sentence holds `answer`. Each split is asked (k=10) in lexical and
hybrid mode; per question language (or "cross" when it is not the document's) MRR@10, gold
first, answer sentence (of the questions whose gold passage is in the top 10), gold flagged
weak, language notices; and each document's citation (title, date) against citations.json.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import OUT  # noqa: E402


def load(folder: Path, split: str) -> list[dict]:
    name = {"dev": "questions_dev.jsonl", "heldout": "questions_heldout.jsonl"}[split]
    return [json.loads(line) for line in (folder / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def write_questions(questions: dict[str, tuple[str, list[tuple]]], folder: Path) -> dict[str, list[dict]]:
    """A probe's hand-written questions (collection -> (its documents' language, [(lang, question,
    doc, gold, answer)])) into `folder`'s questions_dev.jsonl and questions_heldout.jsonl: within a
    collection they alternate dev, held-out, dev... in the order written."""
    splits: dict[str, list[dict]] = {"dev": [], "heldout": []}
    for collection, (doc_lang, rows) in questions.items():
        for i, (lang, q, doc, gold, answer) in enumerate(rows):
            splits["dev" if i % 2 == 0 else "heldout"].append(
                {"collection": collection, "lang": lang, "q": q, "doc": doc, "gold": gold, "answer": answer,
                 "doc_lang": doc_lang})
    for split, rows in splits.items():
        (folder / f"questions_{split}.jsonl").write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return splits


def flat(text: str) -> str:
    return " ".join(text.split())


def open_index(folder: Path, name: str, model: str | None = None):
    from qa import Retriever, build_index

    work = OUT / name
    build_index([folder / "docs"], index=work / "index", model=model, progress=False)
    return Retriever.open(work / "index")


def ask(retriever, questions: list[dict], mode: str) -> list[dict]:
    rows = []
    for q in questions:
        hits = retriever.search(q["q"], k=10, mode=mode)
        rank = next((i for i, h in enumerate(hits, 1)
                     if Path(h.source).stem == q["doc"] and q["gold"] in flat(h.text)), None)
        gold = hits[rank - 1] if rank else None
        sentence = flat(gold.answer.text) if gold and gold.answer else ""
        rows.append({**q, "mode": mode, "rank": rank, "weak": bool(gold and gold.weak),
                     "sentence_hit": bool(gold) and q["answer"] in sentence, "sentence": sentence,
                     "notice": hits[0].notice if hits else None,
                     "top": f"{Path(hits[0].source).stem}: {flat(hits[0].text)[:80]}" if hits else None})
    return rows


def summary(rows: list[dict]) -> dict:
    n = len(rows)
    found = [r for r in rows if r["rank"]]
    return {"n": n, "mrr10": sum(1 / r["rank"] for r in found) / n, "first": sum(r["rank"] == 1 for r in found) / n,
            "sentence": sum(r["sentence_hit"] for r in found) / len(found) if found else 0.0,
            "weak": sum(r["weak"] for r in found), "notices": sum(bool(r["notice"]) for r in rows)}


def citations(folder: Path, retriever) -> list[str]:
    """Documents whose cited title or date differs from citations.json."""
    want = json.loads((folder / "citations.json").read_text(encoding="utf-8"))
    seen: dict[str, tuple] = {}
    for doc in want:
        for h in retriever.search(doc.split("_", 1)[1].replace("_", " "), k=20, mode="lexical"):
            seen.setdefault(Path(h.source).stem, (h.title, h.date))
    bad = []
    for doc, w in want.items():
        got = seen.get(doc)
        if got is None:
            for h in retriever.search(w["title"], k=20):
                seen.setdefault(Path(h.source).stem, (h.title, h.date))
            got = seen.get(doc)
        if got != (w["title"], w["date"]):
            bad.append(f"{doc}: cited {got}, expected {(w['title'], w['date'])}")
    return bad


def main(folder: Path, name: str, description: str) -> None:
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--split", default="dev", choices=["dev", "heldout"])
    ap.add_argument("--rows", action="store_true", help="print every question that misses")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--tag", default="", help="suffix of the rows file under benchmarks/out")
    args = ap.parse_args()
    questions = load(folder, args.split)
    retriever = open_index(folder, name)
    rows = [r for mode in ("lexical", "hybrid") for r in ask(retriever, questions, mode)]
    bad = citations(folder, retriever)
    retriever.close()
    (OUT / f"{name}-{args.split}{args.tag}.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1))
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for r in rows:
        groups[(r["mode"], r["lang"] if r["lang"] == r["doc"][:2] else "cross")].append(r)
        groups[(r["mode"], "all")].append(r)
    print(f"split {args.split}: {len(questions)} questions")
    print("| mode | lang | n | MRR@10 | first | answer sentence | gold weak | notices |")
    print("|---|---|---|---|---|---|---|---|")
    for (mode, lang), part in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1] == "all", kv[0][1])):
        s = summary(part)
        print(f"| {mode} | {lang} | {s['n']} | {s['mrr10']:.3f} | {s['first']:.3f} | {s['sentence']:.3f} | "
              f"{s['weak']} | {s['notices']} |")
    print(f"citations differing: {len(bad)}")
    for line in bad:
        print("  " + line)
    if args.rows:
        for r in rows:
            if r["rank"] != 1 or not r["sentence_hit"] or r["weak"] or r["notice"]:
                print(f"[{r['mode']}] [{r['lang']}] {r['q']!r}: rank {r['rank']}{' weak' if r['weak'] else ''}"
                      f"{' sentence-miss' if r['rank'] and not r['sentence_hit'] else ''}"
                      f"{' notice' if r['notice'] else ''}\n    top: {r['top']}\n    sentence: {r['sentence'][:120]}")
