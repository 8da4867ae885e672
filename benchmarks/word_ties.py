"""Ties among a question word's nearest index words broken by (word, language) instead of the
vocabulary's row order (the index's history): do one index's answers get worse?

    PYTHONPATH=. nice -n 10 .venv/bin/python benchmarks/word_ties.py [--per-lang N]

The one index of benchmarks/shard_parity.py (the 960 XQuAD paragraphs of en, de, es and zh,
one file each; run that first), its 27,617 words met by the exact product (as every
vocabulary under `word_index.ANN_FROM` words is: its saved inverted file is not read here).
The first `--per-lang` questions of each of the 7 languages (all: 1,190), hybrid, k=10, asked
twice in one process: with the rule before (`argpartition` of the product: row order) and
the rule now (`WordVocabulary._top`: ties within `TIE_GAP`, ranked by (word, language)), and a
rule tried (the tie reaching the last place kept whole).
MRR@10 (gold: the question's paragraph in any language) on the development split (en, de, es,
zh questions, asked in their own language and across) and the held-out split (ar, ru, vi
questions: across languages only), and how many questions translate into other index words
and get another top 10. Writes benchmarks/out/word_ties.json.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from common import OUT, XQUAD_LANGS, load_xquad, machine, save_json  # noqa: E402

DEV = {"en", "de", "es", "zh"}


def row_order_top(self, word_vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The exact product's `_top` before this change: ties broken by `argpartition` (row order)."""
    sims = word_vectors @ self.vectors.T
    k = min(2, sims.shape[1])
    top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
    return np.take_along_axis(sims, top, axis=1), top


def all_tied_untie(self, scores: np.ndarray, found: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A rule tried: the tie that reaches the last place kept whole (no word of it chosen)."""
    from qa.word_translation import NEAREST, TIE_GAP

    rows = []
    for row_scores, row in zip(scores.tolist(), found.tolist()):
        ranked = sorted(((s, c) for s, c in zip(row_scores, row) if c >= 0), key=lambda sc: -sc[0])
        chosen: list[tuple[float, int]] = []
        while ranked and len(chosen) < NEAREST:
            tie = [sc for sc in ranked if sc[0] >= ranked[0][0] - TIE_GAP]
            ranked = ranked[len(tie):]
            chosen.extend(sorted(tie, key=lambda sc: self.keys[sc[1]]))
        rows.append(chosen)
    width = max(NEAREST, max(map(len, rows), default=0))
    top_scores = np.full((len(rows), width), -np.inf, dtype=np.float32)
    top = np.full((len(rows), width), -1, dtype=np.int64)
    for i, chosen in enumerate(rows):
        for j, (s, c) in enumerate(chosen):
            top_scores[i, j], top[i, j] = s, c
    return top_scores, top


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--per-lang", type=int, default=1190)
    args = ap.parse_args()
    from qa import Retriever, word_index
    from qa.retrieval import Query, question_terms, vocabulary_of
    from qa.word_translation import NEAREST, WordVocabulary

    assert NEAREST == 2
    word_index.ANN_FROM = 10 ** 9  # the exact product, as under 20,000 words
    xquad = load_xquad()
    index = OUT / "shard_parity" / "one"
    if not index.exists():
        sys.exit(f"no index at {index}: run benchmarks/shard_parity.py first")
    questions = [(lang, q, gold) for lang in XQUAD_LANGS for q, gold in xquad[lang]["questions"][:args.per_lang]]
    r = Retriever.open(index)
    vocabulary = vocabulary_of(r._view)
    assert vocabulary is not None and vocabulary.vectors is not None and not vocabulary.approximate
    now_top, now_untie = WordVocabulary._top, WordVocabulary._untie
    runs: dict[str, dict] = {}
    for rule, top, untie in (("row order", row_order_top, now_untie), ("(word, language)", now_top, now_untie),
                             ("all tied", now_top, all_tied_untie)):
        WordVocabulary._top, WordVocabulary._untie = top, untie
        vocabulary._memo.clear()
        words = [question_terms(r.encoder, [Query.of(q, "hybrid")], vocabulary, r.store.stored_word_vectors)[1][0]
                 for _, q, _ in questions]
        vocabulary._memo.clear()
        hits = [[(h.source, h.paragraph) for h in r.search(q, k=10)] for _, q, _ in questions]
        runs[rule] = {"words": words, "hits": hits}
        print(f"{rule}: asked", flush=True)
    WordVocabulary._top, WordVocabulary._untie = now_top, now_untie
    r.close()

    def rr(hits, gold: int) -> float:
        return next((1.0 / rank for rank, (source, _) in enumerate(hits, 1) if int(Path(source).stem[1:]) == gold),
                    0.0)

    result: dict = {"machine": machine(), "command": "benchmarks/word_ties.py " + " ".join(sys.argv[1:]),
                    "vocabulary": len(vocabulary.tokens)}
    before = runs["row order"]
    for split in ("dev", "held-out", "all"):
        chosen = [j for j, (lang, _, _) in enumerate(questions)
                  if split == "all" or (lang in DEV) == (split == "dev")]
        result[split] = {"questions": len(chosen)}
        for rule, after in runs.items():
            result[split][rule] = {
                "mrr10": sum(rr(after["hits"][j], questions[j][2]) for j in chosen) / len(chosen),
                # against the row order: other translated words (as sets), another top 10, top 1
                "other_words": sum(set(before["words"][j]) != set(after["words"][j]) for j in chosen),
                "other_top10": sum(before["hits"][j] != after["hits"][j] for j in chosen),
                "other_top1": sum(before["hits"][j][:1] != after["hits"][j][:1] for j in chosen),
            }
        print(split, json.dumps(result[split]), flush=True)
    save_json(OUT / "word_ties.json", result)


if __name__ == "__main__":
    main()
