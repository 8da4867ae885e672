"""Calibrate the chat's "strong / fair / weak match" labels on XQuAD.

Paragraphs of one XQuAD file are indexed; its questions (and, cross-lingually, those of
another language) are asked. Questions are split by id: even hash = development, where the
"strong" threshold is chosen as the lowest top-1 score whose top-1 precision (the top passage
is the gold paragraph) reaches TARGET; odd = held-out, where each label's precision is
reported. "weak" is the retriever's own `weak` flag (calibrated in docs/quality.md).

    python benchmarks/score_labels.py [--bench ../shared/bench/xquad] [--json]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import tempfile
from pathlib import Path

from qa import Retriever, build_index
from qa.evaluate import write_corpus
from qa.squad import load_squad

TARGET = 0.90


def run(bench: Path, pairs: list[tuple[str, str]]) -> list[tuple[str, float, bool, bool]]:
    rows = []
    for para_lang, q_lang in pairs:
        data = load_squad(bench / f"xquad.{para_lang}.json", bench / f"xquad.{q_lang}.json")
        with tempfile.TemporaryDirectory(prefix="qa-labels-") as tmp:
            corpus = Path(tmp) / "corpus"
            write_corpus(data.contexts, corpus)
            build_index([corpus], index=Path(tmp) / "index", progress=False)
            r = Retriever.open(Path(tmp) / "index")
            for q in data.questions:
                hit = r.search(q.text, k=1)[0]
                correct = hit.source == f"p{data.gold[q.id]:05d}.txt"
                rows.append((q.id + q_lang, hit.score, hit.weak, correct))
            r.close()
    return rows


def split(rows):
    dev = [r for r in rows if int(hashlib.sha1(r[0].encode()).hexdigest(), 16) % 2 == 0]
    held = [r for r in rows if int(hashlib.sha1(r[0].encode()).hexdigest(), 16) % 2 == 1]
    return dev, held


def choose_strong(dev) -> float:
    ranked = sorted(((s, c) for _, s, w, c in dev if not w), reverse=True)
    best, good = ranked[0][0], 0
    for n, (s, c) in enumerate(ranked, 1):
        good += c
        if good / n >= TARGET:
            best = s
    return round(best, 3)


def precision(rows, strong: float) -> dict:
    out = {}
    for label, keep in (("strong", lambda s, w: not w and s >= strong), ("fair", lambda s, w: not w and s < strong),
                        ("weak", lambda s, w: w)):
        chosen = [c for _, s, w, c in rows if keep(s, w)]
        out[label] = {"questions": len(chosen), "top1_correct": round(sum(chosen) / len(chosen), 3) if chosen else None}
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", default=str(Path(__file__).resolve().parents[2] / "shared" / "bench" / "xquad"))
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    rows = run(Path(args.bench), [("en", "en"), ("en", "de"), ("es", "zh")])
    dev, held = split(rows)
    strong = choose_strong(dev)
    result = {"target_precision": TARGET, "strong_from": strong, "dev_questions": len(dev),
              "held_out_questions": len(held), "held_out": precision(held, strong)}
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
