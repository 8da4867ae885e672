"""The hybrid in collections of several languages (issue #15): `Calibration.cross_offset`.

qa's fusion (qa/fusion.py) gives a passage in the question's language its full lexical weight
and one in another language a tenth of it (plus translated names and words): chosen on XQuAD
pools of one language each, where the two kinds never compete. In a collection of several
languages they do, and a question whose answer is written in another language loses it to
same-language passages that share its words. An offset added to passages of another language
changes nothing in a one-language collection (all or no passages get it) and is chosen here.

Collections (each one index through `qa index`, XQuAD's 240 paragraphs, each paragraph once,
in the language of its article's parity):
- A: even articles es, odd en. Development questions: en, es, de, zh (as xling_words.py's dev
  pairs); held-out: ru, ar.
- B (held-out only): even articles de, odd zh; questions in every XQuAD language.
- C (guard): all 1,680 paragraphs, every paragraph in all 7 languages; MRR@10 of the
  same-language paragraph and of any translation (what peer.py's mixed pool reports).
  Development questions en, es, de, zh; held-out ru, ar.
Each question is searched once (`Retriever.search`'s candidates captured), then ranked under each
offset as `rank_candidates` ranks. Choose on the development questions: the best mean MRR@10 on
A among the offsets that keep C's same-language MRR@10 within 0.01 of no offset's (a user asking
in a language prefers the answer in it when it is there), then `--held-out` reads the rest once.

    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/mixed_offset.py [--held-out] [--model e5-small]
"""
from __future__ import annotations

import argparse
import json
import sys
from operator import itemgetter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import qa.retrieval as R  # noqa: E402
from qa.evaluate import write_corpus  # noqa: E402
from qa.fusion import fuse  # noqa: E402
from qa.indexer import build_index  # noqa: E402

DATA = ROOT.parent / "shared" / "bench" / "xquad"
LANGS = ["en", "es", "de", "zh", "ru", "ar", "vi"]
DEV = ["en", "es", "de", "zh"]
HELD = ["ru", "ar"]
OFFSETS = [round(x, 3) for x in np.arange(0.0, 0.601, 0.04)]


def xquad(lang: str) -> list:
    return json.loads((DATA / f"xquad.{lang}.json").read_text(encoding="utf-8"))["data"]


def collection(parity: tuple[str, ...]) -> tuple[list[str], list[str], dict[str, list[int]]]:
    """Paragraphs (article a in parity[a % len(parity)], or every language when parity is all
    of them: every paragraph once per language), their languages, question id -> gold rows."""
    docs = {lang: xquad(lang) for lang in set(parity)}
    texts, langs, gold = [], [], {}
    every = len(parity) == len(LANGS)
    for a in range(len(docs[parity[0]])):
        for lang in (parity if every else [parity[a % len(parity)]]):
            for para in docs[lang][a]["paragraphs"]:
                for q in para["qas"]:
                    gold.setdefault(q["id"], []).append(len(texts))
                texts.append(para["context"])
                langs.append(lang)
    return texts, langs, gold


def capture(index: Path, texts: list[str], asked: list[str], model: str | None = None) -> list[tuple]:
    """Per question: its candidates (`Candidates`) and language, as `Retriever.search` ranks them."""
    write_corpus(texts, index / "corpus")
    build_index([index / "corpus"], index=index, model=model, progress=False)
    retriever = R.Retriever.open(index)
    retriever.search("warm up", k=10)
    seen: list[tuple] = []
    original = R.rank_candidates

    def keep(found, qlang, mode, *calibration):
        seen.append((found, qlang))
        return original(found, qlang, mode, *calibration)

    R.rank_candidates = keep
    try:
        for q in asked:
            retriever.search(q, k=10)
    finally:
        R.rank_candidates = original
        retriever.close()
    return seen


def ranked(found, qlang: str, offset: float, dense_scale: float = 1.0) -> list[int]:
    scored = fuse(found.dense, found.lexical, found.langs, qlang, dense_scale, found.names, found.words,
                  cross_offset=offset)
    scored.sort(key=itemgetter(2))
    scored.sort(key=itemgetter(0), reverse=True)
    return [i for _, _, i in scored[:10]]


def mrr(rankings: list[list[int]], golds: list[set[int]]) -> float:
    total = 0.0
    for ids, gold in zip(rankings, golds):
        total += next((1.0 / (r + 1) for r, i in enumerate(ids) if i in gold), 0.0)
    return total / len(golds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--held-out", action="store_true")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out")
    parser.add_argument("--model", help="another model than the default (its own indexes)")
    args = parser.parse_args()
    runs = [("A", ("es", "en"), HELD if args.held_out else DEV), ("C", tuple(LANGS), HELD if args.held_out else DEV)]
    if args.held_out:
        runs.insert(1, ("B", ("de", "zh"), LANGS))
    for name, parity, qlangs in runs:
        texts, langs, gold = collection(parity)
        # passage ids are 1-based rows in file order (p00000.txt ...): map them back through sources
        asked = [(lang, q["question"], q["id"]) for lang in qlangs for a in xquad(lang) for p in a["paragraphs"]
                 for q in p["qas"] if q["id"] in gold]
        folder = args.out / f"index-mixed-{''.join(parity)}{'-' + args.model if args.model else ''}"
        seen = capture(folder, texts, [q for _, q, _ in asked], args.model)
        opened = R.Retriever.open(folder)
        store, scale = opened.store, opened.encoder.calibration.dense_scale
        row_of = {pid: int(src[1:6]) for pid, src in store.connection().execute(
            "SELECT p.id, d.source FROM passages p JOIN documents d ON d.id = p.doc_id").fetchall()
            for src in [Path(src).name]}
        print(f"\n## collection {name}: {len(texts)} paragraphs, languages {sorted(set(langs))}")
        print("| offset | " + " | ".join(qlangs) + " | mean |" + (" same-language mean |" if name == "C" else ""))
        print("|---:|" + "---:|" * (len(qlangs) + 1 + (name == "C")))
        for offset in OFFSETS:
            per_lang, same = {}, {}
            for qlang in qlangs:
                rows = [(s, g) for s, (lang, _, g) in zip(seen, asked) if lang == qlang]
                rankings = [[row_of[i] for i in ranked(found, fl, offset, scale)] for (found, fl), _ in rows]
                per_lang[qlang] = mrr(rankings, [set(gold[g]) for _, g in rows])
                if name == "C":
                    same[qlang] = mrr(rankings, [{j for j in gold[g] if langs[j] == qlang} for _, g in rows])
            line = f"| {offset:.2f} | " + " | ".join(f"{per_lang[x]:.3f}" for x in qlangs) + \
                f" | {np.mean(list(per_lang.values())):.4f} |"
            if name == "C":
                line += f" {np.mean(list(same.values())):.4f} |"
            print(line, flush=True)


if __name__ == "__main__":
    main()
