"""How document context on the dense side was chosen (docs/quality.md, "Session 6"): kinds of
context vector and weights, scored in bulk on development data only.

    PYTHONPATH=. .venv/bin/python benchmarks/context_dev.py man [--model e5-small]
    PYTHONPATH=. .venv/bin/python benchmarks/context_dev.py xquad   # after benchmarks/quality.py's indexes

`man`: benchmarks/title_dev.py's 50 German-page questions (its index, benchmarks/out/de-man-<model>,
built by `title_dev.py --more`). `xquad`: XQuAD's development runs (mono en es de zh, cross
en/de/zh->es, es/de/zh->en) on benchmarks/out/index-<lang>, MRR@10 per paragraph.

Each question is scored as `Retriever.search` scores it (the dense top 50 and the BM25 top 50,
`qa.fusion.fuse`), with the passage's own dense score d mixed as (1 - w) d + w c, where c is
the question's cosine to a context vector of the passage's document (none for a document of
one passage):
  mean     the mean of the document's passage vectors
  neigh    the mean of the passage's neighbours' vectors (previous and next)
  title    the document's title embedded (documents with a real title only, as qa/titles.py)
  head300  its title and first 300 characters embedded (qa.context.document_head)
  head600  the same with 600 characters (shipped, w = 0.3)
  candmax  the best dense score among the question's candidates of the same document
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import OUT, xquad_dir  # noqa: E402

from qa.lexical_plan import lexical_search  # noqa: E402
from qa.context import document_head  # noqa: E402
from qa.fusion import PASSAGE_SHARE, fuse  # noqa: E402
from qa.language import detect_language, query_tokens  # noqa: E402
from qa.layout import current_data  # noqa: E402
from qa.store import DB_NAME, Store  # noqa: E402

HEADS = {"title": 0, "head300": 300, "head600": 600}
VARIANTS = ("mean", "neigh", "title", "head300", "head600", "candmax")
WEIGHTS = (0.1, 0.2, 0.3, 0.4, 0.5)
CANDIDATES = 50
DEV_XQUAD = [("en", "en"), ("es", "es"), ("de", "de"), ("zh", "zh"), ("en", "es"), ("de", "es"), ("zh", "es"),
             ("es", "en"), ("de", "en"), ("zh", "en")]


class Collection:
    """One index's passages with every question's ingredients of a search: passage and best
    sentence cosines, BM25 top 50, languages, and each kind of context vector's cosine."""

    def __init__(self, index: Path, questions: list[str], golds: list[set[str]], gold_of, encoder) -> None:
        store = Store(current_data(index) / DB_NAME)
        dim = encoder.dimension
        self.ids = np.concatenate([i for i, _ in store.iter_vectors(dim)])
        vecs = np.concatenate([v for _, v in store.iter_vectors(dim)])
        rows = store.passages(self.ids.tolist())
        sentences = store.sentence_vectors(self.ids.tolist(), dim)
        docs = store.connection().execute("SELECT id, title, source, lang, text FROM documents").fetchall()
        qv = encoder.encode_queries(questions)
        self.qlangs = [detect_language(q) for q in questions]
        self.cos = qv @ vecs.T
        smax = np.stack([(sentences[int(i)][1] @ qv.T).max(0) if int(i) in sentences else self.cos[:, j]
                         for j, i in enumerate(self.ids)], 1)
        self.dense = PASSAGE_SHARE * self.cos + (1 - PASSAGE_SHARE) * smax
        self.bm25 = [lexical_search(store, query_tokens(q, lang), CANDIDATES) for q, lang in zip(questions, self.qlangs)]
        self.pos = {int(i): j for j, i in enumerate(self.ids)}
        self.langs = [rows[int(i)]["lang"] for i in self.ids]
        self.doc = np.array([rows[int(i)]["doc_id"] for i in self.ids])
        self.single = np.array([(self.doc == d).sum() == 1 for d in self.doc])
        self.gold = [{j for j, i in enumerate(self.ids) if gold_of(rows[int(i)], g)} for g in golds]
        self.context = {name: qv @ vectors.T for name, vectors in self._contexts(vecs, rows, docs, encoder).items()}
        store.close()

    def _contexts(self, vecs: np.ndarray, rows: dict, docs: list, encoder) -> dict[str, np.ndarray]:
        out = {}
        mean = np.zeros_like(vecs)
        for d in np.unique(self.doc):
            m = self.doc == d
            total = vecs[m].sum(0)
            mean[m] = total / np.linalg.norm(total)
        out["mean"] = mean
        order = np.lexsort(([rows[int(i)]["start"] for i in self.ids], self.doc))
        neigh = vecs.copy()
        for k, j in enumerate(order):
            near = [order[m] for m in (k - 1, k + 1) if 0 <= m < len(order) and self.doc[order[m]] == self.doc[j]]
            if near:
                total = vecs[near].sum(0)
                neigh[j] = total / np.linalg.norm(total)
        out["neigh"] = neigh
        self.has: dict[str, np.ndarray] = {}
        for name, chars in HEADS.items():
            heads = {d: document_head(title, source, lang, text, chars).strip()
                     for d, title, source, lang, text in docs}
            keys = [d for d, h in heads.items() if h]
            vectors = dict(zip(keys, encoder.encode_documents([heads[d] for d in keys]))) if keys else {}
            out[name] = np.stack([vectors.get(int(d), vecs[j]) for j, d in enumerate(self.doc)])
            self.has[name] = np.array([int(d) in vectors for d in self.doc])
        return out

    def ranks(self, variant: str | None, weight: float, mode: str, dense_scale: float, by_document: bool) -> list:
        out = []
        for q in range(len(self.qlangs)):
            cand = sorted(set(np.argsort(-self.cos[q])[:CANDIDATES].tolist()) | {self.pos[i] for i, _ in self.bm25[q]})
            d = self.dense[q].copy()
            if variant == "candmax":
                best: dict[int, float] = {}
                for j in cand:
                    best[self.doc[j]] = max(best.get(self.doc[j], -1.0), d[j])
                mixed = np.array([best.get(self.doc[j], d[j]) for j in range(len(d))])
                d = np.where(self.single, d, (1 - weight) * d + weight * mixed)
            elif variant:
                keep = self.single | (~self.has[variant] if variant in self.has else False)
                d = np.where(keep, d, (1 - weight) * d + weight * self.context[variant][q])
            dense = {j: float(d[j]) for j in cand}
            if mode == "dense":
                order = sorted(dense, key=lambda j: (-dense[j], self.ids[j]))
            else:
                bm25 = [(self.pos[i], s) for i, s in self.bm25[q]]
                scored = fuse(dense, bm25, {j: self.langs[j] for j in cand}, self.qlangs[q], dense_scale)
                order = [j for _, _, j in sorted(scored, key=lambda t: (-t[0], self.ids[t[2]]))]
            out.append(gold_rank(order, self.gold[q], self.doc, by_document))
        return out


def gold_rank(order: list[int], gold: set[int], doc, by_document: bool) -> int | None:
    """The rank (1-10) of the first gold passage in `order`, or None; `by_document` (XQuAD:
    one paragraph per document) ranks each document once, by its best passage."""
    if by_document:
        order = list(dict.fromkeys(doc[j] for j in order))
        gold = {doc[j] for j in gold}
    return next((r for r, j in enumerate(order[:10], 1) if j in gold), None)


def summary(ranks: list) -> tuple[float, float, float]:
    n = len(ranks)
    return (sum(1 / r for r in ranks if r) / n, sum(r == 1 for r in ranks) / n, sum(r is not None for r in ranks) / n)


def man(model: str | None) -> None:
    from title_dev import MORE_QUESTIONS, QUESTIONS

    from qa.encoder import encoders

    encoder = encoders.get(model or "use-m3")
    questions = QUESTIONS + MORE_QUESTIONS
    gold_of = lambda row, q: row["source"] == f"{q.page}.txt" and q.gold in " ".join(row["text"].split())  # noqa: E731
    c = Collection(OUT / f"de-man-{encoder.name}" / "index", [q.text for q in questions], questions, gold_of, encoder)
    scale = encoder.calibration.dense_scale
    print(f"{encoder.name}: {len(questions)} questions; MRR@10 / first / in top 10")
    print("| context | w | hybrid | dense |")
    print("|---|---|---|---|")
    for variant, weight in [(None, 0.0)] + [(v, w) for v in VARIANTS for w in WEIGHTS]:
        cells = [summary(c.ranks(variant, weight, mode, scale, False)) for mode in ("hybrid", "dense")]
        print(f"| {variant or 'none'} | {weight} | " + " | ".join("{:.3f} / {:.3f} / {:.3f}".format(*x) for x in cells)
              + " |", flush=True)


def xquad() -> None:
    from qa.encoder import encoders
    from qa.squad import load_squad

    encoder = encoders.get("use-m3")
    data = xquad_dir()
    runs = {}
    for q, p in DEV_XQUAD:
        squad = load_squad(data / f"xquad.{p}.json", data / f"xquad.{q}.json")
        gold_of = lambda row, g: row["source"] == f"p{g:05d}.txt"  # noqa: E731
        runs[(q, p)] = Collection(OUT / f"index-{p}", [x.text for x in squad.questions],
                                  [squad.gold[x.id] for x in squad.questions], gold_of, encoder)
    print("| context | w | mean | " + " | ".join(f"{q}->{p}" for q, p in DEV_XQUAD) + " |")
    print("|---|---|---|" + "---|" * len(DEV_XQUAD))
    for variant, weight in [(None, 0.0)] + [(v, w) for v in VARIANTS for w in (0.2, 0.3, 0.4)]:
        mrr = [summary(runs[key].ranks(variant, weight, "hybrid", 1.0, True))[0] for key in DEV_XQUAD]
        print(f"| {variant or 'none'} | {weight} | {np.mean(mrr):.4f} | " + " | ".join(f"{m:.3f}" for m in mrr) + " |",
              flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("collection", choices=("man", "xquad"))
    ap.add_argument("--model", default=None, help="man: the index's model (default: qa's default)")
    args = ap.parse_args()
    man(args.model) if args.collection == "man" else xquad()


if __name__ == "__main__":
    main()
