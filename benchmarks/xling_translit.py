"""Names and numbers across scripts (issue #15): does adding the question's words, transliterated
to Latin, to the lexical side help when the question's script differs from the paragraphs'?

    PYTHONPATH=. .venv/bin/python benchmarks/xling_translit.py   # indexes in benchmarks/out/index-<lang>

Scores every passage of a pool in bulk with `Retriever`'s ingredients (as benchmarks/tune_fusion.py:
passage + best-sentence cosine, FTS5 BM25 of `query_tokens`, fused with qa/fusion.py's weights),
then adds a second BM25 query made of the transliterated terms, with its own weight. Weights are
chosen on the development split (questions whose paragraph index is even) and read off on the
held-out split (odd paragraphs). Variants of how a transliterated word meets the index:
- exact: the word in Latin-ASCII, tokenised as the paragraphs' language;
- skeleton: the index's vocabulary terms whose consonant skeleton (`qa.transliterate.skeleton`)
  equals the word's (as shipped: Chinese words left out, `qa.transliterate.HAN`);
- skeleton_with_han: the same with Chinese words in pinyin;
- one query: the skeleton terms added to the question's own BM25 query, no weight of their own.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.lexical_plan import lexical_search  # noqa: E402
from qa.encoder import encoders  # noqa: E402
from qa.fusion import LEXICAL_WEIGHT_CROSS, LEXICAL_WEIGHT_SAME, PASSAGE_SHARE  # noqa: E402
from qa.language import query_tokens  # noqa: E402
from qa import transliterate as tr  # noqa: E402

CROSS = [("en", "es"), ("zh", "es"), ("de", "es"), ("ru", "es"), ("ar", "es"),
         ("es", "en"), ("de", "en"), ("zh", "en"), ("ru", "en")]
MONO = ["en", "es", "ru", "ar", "zh"]
LIMIT = 50  # lexical candidates, as Retriever (CANDIDATES)


def features(data: Path, out: Path, q: str, p: str, encoder, cache: dict, variants: dict) -> dict:
    from tune_fusion import Pair

    pair = Pair(data, out, q, p, encoder, cache)
    squad, store, ids, vecs, rows, sentences = pair.squad, pair.store, pair.ids, pair.vecs, pair.rows, pair.sentences
    texts, qlangs, cos, smax, pos = pair.texts, pair.qlangs, pair.cos, pair.smax, pair.pos
    vocabulary = tr.Vocabulary(store.vocabulary())
    plangs = sorted({rows[int(i)]["lang"] for i in ids if rows[int(i)]["lang"]})

    def bm25_of(term_lists) -> np.ndarray:
        m = np.zeros_like(cos)
        for n, terms in enumerate(term_lists):
            for i, s in lexical_search(store, terms, LIMIT):
                m[n, pos[i]] = s
        return m

    f = {"cos": cos, "smax": smax, "vecs": vecs, "sent": [sentences[int(i)][1] if int(i) in sentences else None for i in ids],
         "bm25": bm25_of([query_tokens(t, lang) for t, lang in zip(texts, qlangs)]),
         "same": np.array([[ql == rows[int(i)]["lang"] for i in ids] for ql in qlangs]),
         "para": np.array([int(rows[int(i)]["source"][1:6]) for i in ids]),
         "gold": np.array([squad.gold[x.id] for x in squad.questions])}
    for name, make in variants.items():
        f[name] = bm25_of([make(t, lang, plangs, vocabulary) for t, lang in zip(texts, qlangs)])
    store.close()
    return f


def sentence_max(f: dict, qv: np.ndarray) -> np.ndarray:
    """Best sentence cosine of every passage for question vectors `qv` (the passage's own without sentences)."""
    cos = qv @ f["vecs"].T
    return np.stack([(s @ qv.T).max(0) if s is not None else cos[:, j] for j, s in enumerate(f["sent"])], 1)


def mrr10(score: np.ndarray, f: dict, rows: np.ndarray) -> float:
    para, gold = f["para"], f["gold"][rows]
    score = score[rows]
    best = np.full((score.shape[0], para.max() + 1), -np.inf)
    for j, p in enumerate(para):
        best[:, p] = np.maximum(best[:, p], score[:, j])
    g = best[np.arange(len(gold)), gold][:, None]
    order = np.arange(best.shape[1])[None, :]
    rank = (best > g).sum(1) + ((best == g) & (order < gold[:, None])).sum(1) + 1
    return float(np.where(rank <= 10, 1.0 / rank, 0.0).mean())


def normalised(m: np.ndarray) -> np.ndarray:
    top = m.max(1, keepdims=True)
    return m / np.where(top > 0, top, 1)


def fused(f: dict, extra: str | None = None, w: float = 0.0) -> np.ndarray:
    dense = PASSAGE_SHARE * f["cos"] + (1 - PASSAGE_SHARE) * f["smax"]
    score = dense + np.where(f["same"], LEXICAL_WEIGHT_SAME, LEXICAL_WEIGHT_CROSS) * normalised(f["bm25"])
    if extra is not None and w:  # in passages of another language than the question's, as qa/fusion.py
        score = score + w * np.where(f["same"], 0.0, 1.0) * normalised(f[extra])
    return score


def one_query(f: dict) -> np.ndarray:
    """The skeleton terms in the same BM25 query as the question's tokens: no new weight."""
    return fused({**f, "bm25": f["combined"]})


def dense_only(f: dict) -> np.ndarray:
    return PASSAGE_SHARE * f["cos"] + (1 - PASSAGE_SHARE) * f["smax"]


def exact_terms(text: str, qlang: str, plangs: list[str], vocabulary) -> list[str]:
    return [t for lang in plangs for t in tr.latin_tokens(text, qlang, lang)]


def skeleton_terms(text: str, qlang: str, plangs: list[str], vocabulary) -> list[str]:
    return vocabulary.matches(tr.candidate_words(text, qlang))


def skeleton_han(text: str, qlang: str, plangs: list[str], vocabulary) -> list[str]:
    han, tr.HAN = tr.HAN, True
    try:
        return skeleton_terms(text, qlang, plangs, vocabulary)
    finally:
        tr.HAN = han


def combined_terms(text: str, qlang: str, plangs: list[str], vocabulary) -> list[str]:
    return query_tokens(text, qlang) + skeleton_terms(text, qlang, plangs, vocabulary)


VARIANTS = {"exact": exact_terms, "skeleton": skeleton_terms, "skeleton_with_han": skeleton_han}
WEIGHTS = [0.0, 0.02, 0.05, 0.08, 0.1, 0.15, 0.2, 0.3]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "bench" / "xquad"))
    parser.add_argument("--work", default=str(ROOT / "benchmarks" / "out"))
    args = parser.parse_args()
    data, out = Path(args.data), Path(args.work)
    encoder = encoders.get("use-m3")
    cache: dict = {}
    every = {**VARIANTS, "combined": combined_terms}
    runs = {(q, p): features(data, out, q, p, encoder, cache, every) for q, p in CROSS}
    runs.update({(l, l): features(data, out, l, l, encoder, cache, every) for l in MONO})
    split = {k: (f["gold"] % 2 == 0, f["gold"] % 2 == 1) for k, f in runs.items()}
    cross_keys = list(CROSS)
    chosen = {}
    for name in VARIANTS:
        print(f"\n## {name}: dev mean over the 9 pairs (and dev mono mean) by weight")
        best = None
        for w in WEIGHTS:
            dc = np.mean([mrr10(fused(runs[k], name, w), runs[k], split[k][0]) for k in cross_keys])
            dm = np.mean([mrr10(fused(runs[(l, l)], name, w), runs[(l, l)], split[(l, l)][0]) for l in MONO])
            print(f"w={w}: dev cross {dc:.4f}  dev mono {dm:.4f}", flush=True)
            if best is None or dc > best[0] + 1e-9:
                best = (dc, w)
        chosen[name] = best[1]
        print(f"chosen on dev: w={best[1]}")
    dev_one = np.mean([mrr10(one_query(runs[k]), runs[k], split[k][0]) for k in cross_keys])
    print(f"\n## one query (no weight to choose): dev cross {dev_one:.4f}")
    print("\n## held-out (odd paragraphs): baseline (shipped fusion) | dense-only | each variant at its dev weight")
    head = "| run | dense | baseline | " + " | ".join(f"{n} (w={chosen[n]})" for n in VARIANTS) + " | one query |"
    print(head)
    print("|" + "---|" * (head.count("|") - 1))
    names = ["dense", "base", *VARIANTS, "one"]
    cols = {n: [] for n in names}
    for k, f in runs.items():
        held = split[k][1]
        vals = {"dense": mrr10(dense_only(f), f, held), "base": mrr10(fused(f), f, held)}
        vals.update({n: mrr10(fused(f, n, chosen[n]), f, held) for n in VARIANTS})
        vals["one"] = mrr10(one_query(f), f, held)
        if k[0] != k[1]:
            for n, v in vals.items():
                cols[n].append(v)
        print(f"| {k[0]}->{k[1]} | " + " | ".join(f"{vals[n]:.3f}" for n in names) + " |")
    print("| cross mean | " + " | ".join(f"{np.mean(cols[n]):.3f}" for n in names) + " |")


if __name__ == "__main__":
    main()
