"""How the fusion weights were settled: a grid over qa/fusion.py's constants on XQuAD, tuned on
the development split (en es de zh monolingual, en/de/zh->es and es/de/zh->en) and read off on
the held-out split (ar ru vi monolingual, ru/ar->es, ru->en). All 1190 questions per run.

    .venv/bin/python benchmarks/tune_fusion.py   # after benchmarks/quality.py built the indexes

It scores every passage of the pool with the same ingredients as `Retriever.search` (passage
and sentence vectors from the index, `query_tokens` + FTS5 BM25 from the index, the question's
detected language), but in bulk, so a grid of weights takes seconds. Ranking only: answer
sentences are measured by benchmarks/quality.py.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.lexical_plan import lexical_search  # noqa: E402
from qa.encoder import encoders  # noqa: E402
from qa.language import detect_language, query_tokens  # noqa: E402
from qa.squad import load_squad  # noqa: E402
from qa.layout import current_data  # noqa: E402
from qa.store import DB_NAME, Store  # noqa: E402

DEV_MONO = ["en", "es", "de", "zh"]
HELD_MONO = ["ar", "ru", "vi"]
DEV_CROSS = [("en", "es"), ("de", "es"), ("zh", "es"), ("es", "en"), ("de", "en"), ("zh", "en")]
HELD_CROSS = [("ru", "es"), ("ar", "es"), ("ru", "en")]


class Pair:
    """Questions of language `q` against the stored index of paragraphs in language `p`
    (`out/index-p`): the passages' vectors and rows, the questions' vectors (cached per
    language in `cache`), their cosines and best-sentence cosines to every passage."""

    def __init__(self, data: Path, out: Path, q: str, p: str, encoder, cache: dict) -> None:
        self.squad = load_squad(data / f"xquad.{p}.json", data / f"xquad.{q}.json")
        self.store = Store(current_data(out / f"index-{p}") / DB_NAME)
        self.ids = np.concatenate([i for i, _ in self.store.iter_vectors(encoder.dimension)])
        self.vecs = np.concatenate([v for _, v in self.store.iter_vectors(encoder.dimension)])
        self.rows = self.store.passages(self.ids.tolist())
        self.sentences = self.store.sentence_vectors(self.ids.tolist(), encoder.dimension)
        self.texts = [x.text for x in self.squad.questions]
        if q not in cache:
            cache[q] = (encoder.encode_documents(self.texts), [detect_language(t) for t in self.texts])
        qv, self.qlangs = cache[q]
        self.cos = qv @ self.vecs.T
        self.smax = np.stack([(self.sentences[i][1] @ qv.T).max(0) if i in self.sentences else self.cos[:, j]
                              for j, i in enumerate(self.ids)], 1)
        self.pos = {int(i): j for j, i in enumerate(self.ids)}


def features(data: Path, out: Path, q: str, p: str, encoder, cache: dict) -> dict:
    pair = Pair(data, out, q, p, encoder, cache)
    squad, store, ids, rows, texts, qlangs = pair.squad, pair.store, pair.ids, pair.rows, pair.texts, pair.qlangs
    cos, smax, pos = pair.cos, pair.smax, pair.pos
    bm25 = np.zeros_like(cos)
    for n, (t, lang) in enumerate(zip(texts, qlangs)):
        for i, s in lexical_search(store, query_tokens(t, lang), 50):
            bm25[n, pos[i]] = s
    same = np.array([[ql == rows[i]["lang"] for i in ids] for ql in qlangs])
    para = np.array([int(rows[i]["source"][1:6]) for i in ids])
    store.close()
    return {"cos": cos, "smax": smax, "bm25": bm25, "same": same, "para": para,
            "gold": np.array([squad.gold[x.id] for x in squad.questions])}


def mrr10(score: np.ndarray, f: dict) -> float:
    para, gold = f["para"], f["gold"]
    best = np.full((score.shape[0], para.max() + 1), -np.inf)
    for j, p in enumerate(para):
        best[:, p] = np.maximum(best[:, p], score[:, j])
    g = best[np.arange(len(gold)), gold][:, None]
    order = np.arange(best.shape[1])[None, :]
    rank = (best > g).sum(1) + ((best == g) & (order < gold[:, None])).sum(1) + 1  # ties: lower id first
    return float(np.where(rank <= 10, 1.0 / rank, 0.0).mean())


def fused(f: dict, share: float, same: float, cross: float) -> np.ndarray:
    dense = share * f["cos"] + (1 - share) * f["smax"]
    top = f["bm25"].max(1, keepdims=True)
    lex = f["bm25"] / np.where(top > 0, top, 1)
    return dense + np.where(f["same"], same, cross) * lex


def main() -> None:
    data, out = ROOT.parent / "shared" / "bench" / "xquad", ROOT / "benchmarks" / "out"
    encoder = encoders.get("use-m3")
    cache: dict = {}
    runs = {(l, l): features(data, out, l, l, encoder, cache) for l in DEV_MONO + HELD_MONO}
    runs.update({pair: features(data, out, *pair, encoder, cache) for pair in DEV_CROSS + HELD_CROSS})
    mean = lambda keys, fn: np.mean([mrr10(fn(runs[k]), runs[k]) for k in keys])  # noqa: E731
    dm, hm = [(l, l) for l in DEV_MONO], [(l, l) for l in HELD_MONO]
    print("| passage share | same-lang w | cross w | dev mono | dev cross | held-out mono | held-out cross |")
    print("|---|---|---|---|---|---|---|")
    grid = [(s, w, c) for s in (1.0, 0.5) for w in (0.0, 0.2, 0.5, 1.0) for c in (0.0, 0.1, 0.2)]
    best = None
    for s, w, c in grid:
        fn = lambda f: fused(f, s, w, c)  # noqa: E731
        row = (mean(dm, fn), mean(DEV_CROSS, fn), mean(hm, fn), mean(HELD_CROSS, fn))
        print(f"| {s} | {w} | {c} | " + " | ".join(f"{x:.3f}" for x in row) + " |", flush=True)
        if best is None or row[0] + row[1] > best[0][0] + best[0][1]:
            best = (row, (s, w, c))
    print("best on dev (mono + cross):", best[1], "->", " ".join(f"{x:.3f}" for x in best[0]))
    print("\nper run, chosen vs dense-only (passage cosine) vs dense (passage + sentence):")
    for key, f in runs.items():
        print(f"{key[0]}->{key[1]}: fused {mrr10(fused(f, *best[1]), f):.3f}  cosine {mrr10(f['cos'], f):.3f}  "
              f"dense {mrr10(fused(f, best[1][0], 0, 0), f):.3f}")


if __name__ == "__main__":
    main()
