"""Word translation in a collection of several languages (issue #15): which vocabulary words a
question's words may meet.

XQuAD's word-translation choice (benchmarks/xling_words.py) was made on one-language pools, where
every vocabulary word is in another language than the question's. In a mixed collection a
question word's nearest vocabulary words are mostly itself and its own language's forms (on
peer.py's 2.4k mixed pool: 84% of the nearest, 52% of the second nearest), whose tokens then
count only in passages of other languages: little to translate with. Variant `other`: a
question word meets its nearest words among those of the other languages only.

The collection: XQuAD's 240 paragraphs, even articles in Spanish, odd articles in English (one
index, `qa index`); questions in every XQuAD language, gold = the paragraph in whichever language
it is. Development: questions in en, es, de, zh (the languages of xling_words.py's dev pairs);
held-out: ru, ar (read once, after the choice). MRR@10 through `Retriever.search` (hybrid, k=10)
with the channel off, as shipped (`all`) and `other`; CPU per question, alternating.

    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/xling_mixed.py [--held-out]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.evaluate import score_run, write_corpus  # noqa: E402
from qa.indexer import build_index  # noqa: E402
from qa.retrieval import Retriever  # noqa: E402
from qa.store import Store  # noqa: E402
import qa.word_translation as wt  # noqa: E402

DEV = ["en", "es", "de", "zh"]
HELD = ["ru", "ar"]
DATA = ROOT.parent / "shared" / "bench" / "xquad"


def collection() -> tuple[list[str], list[str], dict[str, int]]:
    """Paragraph texts (even articles es, odd en), their languages, question id -> paragraph."""
    docs = {lang: json.loads((DATA / f"xquad.{lang}.json").read_text(encoding="utf-8"))["data"] for lang in ("en", "es")}
    texts, langs, gold = [], [], {}
    for a, (en, es) in enumerate(zip(docs["en"], docs["es"])):
        lang, article = ("es", es) if a % 2 == 0 else ("en", en)
        for para in article["paragraphs"]:
            for q in para["qas"]:
                gold[q["id"]] = len(texts)
            texts.append(para["context"])
            langs.append(lang)
    return texts, langs, gold


def questions(lang: str, gold: dict[str, int]) -> list[tuple[str, int]]:
    data = json.loads((DATA / f"xquad.{lang}.json").read_text(encoding="utf-8"))["data"]
    return [(q["question"], gold[q["id"]]) for a in data for p in a["paragraphs"] for q in p["qas"] if q["id"] in gold]


def run(retriever: Retriever, asked: list[tuple[str, int]]) -> tuple[float, float]:
    t0 = time.process_time()
    ranked = [[int(h.source[1:6]) for h in retriever.search(q, k=10)] for q, _ in asked]
    cpu = 1000 * (time.process_time() - t0) / len(asked)
    golds = [g for _, g in asked]
    return score_run(ranked, [None] * len(golds), golds, [[] for _ in golds])["mrr@10"], cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=ROOT / "benchmarks" / "out" / "index-mixed-enes")
    parser.add_argument("--held-out", action="store_true", help="read the held-out languages (once, after the choice)")
    args = parser.parse_args()
    texts, langs, gold = collection()
    write_corpus(texts, args.index / "corpus")
    build_index([args.index / "corpus"], index=args.index, progress=False)
    retriever = Retriever.open(args.index)
    retriever.search("warm up", k=10)
    with_words = Store.word_vocabulary
    variants = {"off": None, "all": False, "other": True}
    print(f"{len(texts)} paragraphs ({langs.count('es')} es, {langs.count('en')} en)")
    print("| questions | " + " | ".join(variants) + " | CPU ms/q " + " / ".join(variants) + " |")
    print("|---|" + "---:|" * len(variants) + "---|")
    table: dict[str, dict[str, float]] = {}
    for lang in (HELD if args.held_out else DEV):
        asked = questions(lang, gold)
        scores, cpus = {}, {}
        for name, other in variants.items():
            Store.word_vocabulary = (lambda self, version, dim: None) if other is None else with_words
            if other is not None:
                wt.OTHER_LANGUAGES_ONLY = other
            retriever.search("warm up again", k=10)  # a vocabulary read again, memo empty
            vocabulary = retriever.store.word_vocabulary(wt.WORDS_VERSION, retriever.encoder.dimension)
            if vocabulary is not None:
                vocabulary._memo.clear()
            scores[name], cpus[name] = run(retriever, asked)
        Store.word_vocabulary = with_words
        table[lang] = scores
        print(f"| {lang} ({len(asked)}) | " + " | ".join(f"{scores[v]:.3f}" for v in variants) + " | "
              + " / ".join(f"{cpus[v]:.1f}" for v in variants) + " |", flush=True)
    means = {v: float(np.mean([table[lang][v] for lang in table])) for v in variants}
    print("| mean | " + " | ".join(f"{means[v]:.3f}" for v in variants) + " | |")


if __name__ == "__main__":
    main()
