"""Dump what a collection-relative weak-match rule is chosen from (issue #15, docs/quality.md
"Session 6"): per collection, each passage's dense scores against the probe questions
(qa/probes.py, sorted, best first), and per question the top 10 hybrid candidates as
`Retriever.search` ranks them, with dense score, lexical evidence, language and whether it is
the gold passage, and the two terms of that dense score: the passage's own score and the
question's cosine to its document's head (None without one); the own score's terms (session
12): passage cosine, best sentence cosine, sentence count, the best sentence's length; each question's vector and each
collection's passage vectors and languages (session 14, for benchmarks/weak_null.py).

    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/weak_dump.py OUT.pkl [--model e5-small] [--every 1]

Collections: the XQuAD pools (benchmarks/out/calib-<lang>, as calibrate_dump.py builds them),
XQuAD's articles as documents (xquad_articles.py; even articles dev, odd held-out), the German
man pages (title_dev.py, dev), the Spanish man pages (es_manpages.py, dev), the French man
pages (french_manpages.py, held-out), the seed article (tests' fixture). Off-topic sets against
each: off_dev (OFF_TOPIC_DEV), off_dev2 (OFF_TOPIC_DEV2, session 8), off_held.
"""
from __future__ import annotations

import argparse
import pickle
import shutil
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from qa import Retriever, build_index  # noqa: E402
from qa.fusion import dense_score, lexical_evidence  # noqa: E402
from qa.weakbar import probe_scores as weakbar_scores, probe_vectors  # noqa: E402
from qa.retrieval import (CANDIDATES, Query, clean_question, gather_candidates, question_terms,  # noqa: E402
                          rank_candidates, vocabulary_of)

K = 10
TOP_PROBES = 20


def probe_scores(retriever: Retriever) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(passage ids, their TOP_PROBES best probe dense scores (desc), each probe's best score);
    the dense score includes the document head as the search weighs it (qa.weakbar)."""
    view = retriever._view
    dim = view.encoder.dimension
    ids, vectors = view.store.all_vectors(dim)
    pvecs = probe_vectors(view.encoder)
    sentences = view.store.sentence_vectors(ids.tolist(), dim)
    weight = view.encoder.calibration.context_weight if view.context else 0.0
    heads = view.store.context_vectors(ids.tolist(), dim) if weight else {}
    order = ids.tolist()
    scores = weakbar_scores(vectors, [sentences[i][1] if i in sentences else None for i in order], pvecs,
                            [heads.get(i) for i in order], weight)
    top = -np.sort(-scores, axis=1)[:, :TOP_PROBES]
    return ids, top, scores.max(axis=0)


def own_and_head(view, qvec: np.ndarray, found, ids: list[int]
                 ) -> tuple[dict[int, float], dict[int, float], dict[int, dict]]:
    """Each passage's own dense score (passage + best sentence) and the question's cosine to its
    document's head (absent for a document of one passage or an index without context): the
    two terms that `dense_score` mixes; and the terms of the own score (session 12): the
    passage's cosine, its best sentence's (None without stored sentences), its number of
    sentences and the best one's length in characters."""
    dim = view.encoder.dimension
    vectors = view.store.vectors_for(ids, dim)
    own, parts = {}, {}
    for i in ids:
        passage = float(vectors[i] @ qvec)
        spans, svecs = found.sentences[i] if i in found.sentences else ([], None)
        cosines = svecs @ qvec if svecs is not None and len(svecs) else None
        own[i] = dense_score(passage, cosines)
        best = None if cosines is None else int(np.argmax(cosines))
        parts[i] = {"passage_cos": passage, "sentence_cos": None if best is None else float(cosines[best]),
                    "sentences": len(spans), "sentence_chars": None if best is None else spans[best][1] - spans[best][0]}
    weight = view.encoder.calibration.context_weight if view.context else 0.0
    heads = view.store.context_vectors(ids, dim) if weight else {}
    return own, {i: float(heads[i] @ qvec) for i in ids if i in heads}, parts


def word_cosines(view, queries: list[Query], vocabulary) -> list[list[float]]:
    """Per question, each content word's cosine to its nearest vocabulary word (empty when the
    word channel does not act for the question: no vocabulary, or all passages in its language)."""
    out = []
    for q in queries:
        if vocabulary is None or not vocabulary.acts_for(q.lang) or not q.content or not len(vocabulary.tokens):
            out.append([])
            continue
        vecs = view.encoder.encode_queries(q.content)
        # the product's best (the same as before) or, a vocabulary met through its saved
        # inverted file (no vectors held, Session 10), the best score it gives
        out.append([float(x) for x in vocabulary._top(vecs)[0].max(axis=1)])
    return out


def ask(retriever: Retriever, questions: list[str], gold=None) -> list[dict]:
    """As `Retriever.search` ranks (names and translated words included, session 9): per hit its
    dense terms, its lexical evidence from the question's tokens ("evidence") and from its
    translated words ("words_evidence", the same units), per question the words' cosines."""
    view = retriever._view
    out = []
    queries = [Query.of(clean_question(q), "hybrid") for q in questions]
    vocabulary = vocabulary_of(view)
    qvecs, terms = question_terms(view.encoder, queries, vocabulary)
    cosines = word_cosines(view, queries, vocabulary)
    for n, (q, qvec) in enumerate(zip(queries, qvecs)):
        qlang = q.lang
        found = gather_candidates(view, qvec, q.tokens, CANDIDATES, "hybrid", words=q.words, translated=terms[n])
        top = rank_candidates(found, qlang, "hybrid", view.encoder.calibration)[:K]
        rows = view.store.passages([i for _, _, i in top])
        bm25, wbm25 = dict(found.lexical), dict(found.words)
        own, head, parts = own_and_head(view, qvec, found, [i for _, _, i in top])
        hits = []
        weight = view.encoder.calibration.context_weight if view.context else 0.0
        for _, d, i in top:
            row = rows[i]
            mixed = own[i] if i not in head else (1 - weight) * own[i] + weight * head[i]
            assert abs(mixed - d) < 1e-4, (mixed, d)  # the two terms give the search's score
            hits.append({"id": i, "dense": d, "evidence": lexical_evidence(bm25.get(i, 0.0), view.vectors.size),
                         "words_evidence": lexical_evidence(wbm25.get(i, 0.0), view.vectors.size),
                         "own": own[i], "head": head.get(i), **parts[i],
                         "plang": row["lang"], "gold": bool(gold and gold(n, row))})
        out.append({"qlang": qlang, "hits": hits, "qdense": sorted(found.dense.values(), reverse=True),
                    "terms": len(terms[n]), "word_cosines": cosines[n],
                    "qvec": np.asarray(qvec, dtype=np.float16)})  # session 14: per-question nulls
    return out


def collection(retriever: Retriever, sets: dict) -> dict:
    ids, top, best = probe_scores(retriever)
    view = retriever._view
    # session 14: every passage's vector and language, for a question's scores against its
    # collection at large (a per-question null) computed after the dump
    _, allvecs = view.store.all_vectors(view.encoder.dimension)
    langs = view.store.passages(ids.tolist())
    extra = {"pvecs": allvecs.astype(np.float16), "plangs": [langs[i]["lang"] for i in ids.tolist()]}
    return {"context_weight": view.encoder.calibration.context_weight if view.context else 0.0, "ids": ids, "probe_top": top, "probe_best": best, "passages": retriever._view.vectors.size, **extra,
            "sets": {name: ask(retriever, qs, gold) for name, (qs, gold) in sets.items()}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--model")
    ap.add_argument("--every", type=int, default=1)
    ap.add_argument("--langs", default="en,es,de,zh,ar,ru,vi")
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "bench" / "xquad"))
    args = ap.parse_args()
    from calibrate_dump import CROSS, index_for
    from common import OUT
    from french_manpages import MAN as FR_MAN, PAGES as FR_PAGES, QUESTIONS as FR_QUESTIONS
    from off_topic import OFF_TOPIC_DEV, OFF_TOPIC_DEV2, OFF_TOPIC_HELD_OUT
    import es_manpages
    import xquad_articles
    from qa.squad import load_squad
    from title_dev import MAN as DE_MAN, MORE_QUESTIONS, PAGES as DE_PAGES, QUESTIONS as DE_QUESTIONS
    import french_manpages

    model, name = args.model, args.model or "use-m3"
    off = {"off_dev": (OFF_TOPIC_DEV, None), "off_dev2": (OFF_TOPIC_DEV2, None),
           "off_held": (OFF_TOPIC_HELD_OUT, None)}
    dump: dict = {"model": name, "collections": {}}
    data = Path(args.data)
    langs = args.langs.split(",")
    for p in langs:
        r = Retriever.open(index_for(data, OUT, p, model), model=model)
        sets = dict(off)
        for q in [p, *[q for q, pp in CROSS if pp == p and q in langs + ["ru", "ar"]]]:
            squad = load_squad(data / f"xquad.{p}.json", data / f"xquad.{q}.json")
            qs = squad.questions[::args.every]
            golds = [f"p{squad.gold[x.id]:05d}" for x in qs]
            sets[f"{q}->{p}"] = ([x.text for x in qs],
                                 lambda n, row, g=golds: Path(row["source"]).stem == g[n])
            sets[f"{q}->{p}:para"] = (golds, None)  # paragraph of each question (split)
        c = collection(r, {k: v for k, v in sets.items() if not k.endswith(":para")})
        c["paras"] = {k[:-5]: v[0] for k, v in sets.items() if k.endswith(":para")}
        dump["collections"][f"xquad-{p}"] = c
        r.close()
        print(p, flush=True)
    for p in langs:  # the same questions on the articles as documents (gold: article file, paragraph number)
        r = Retriever.open(xquad_articles.index_for(data, OUT, p, model), model=model)
        sets = dict(off)
        paras = {}
        for q in [p, *[q for q, pp in CROSS if pp == p and q in langs + ["ru", "ar"]]]:
            squad = load_squad(data / f"xquad.{p}.json", data / f"xquad.{q}.json")
            qs = squad.questions[::args.every]
            golds = [xquad_articles.gold_of(squad.gold[x.id]) for x in qs]
            sets[f"{q}->{p}"] = ([x.text for x in qs], lambda n, row, g=golds: (
                Path(row["source"]).stem, row["paragraph"]) == g[n])
            paras[f"{q}->{p}"] = [f"p{squad.gold[x.id]:05d}" for x in qs]
        c = collection(r, sets)
        c["paras"] = paras
        dump["collections"][f"xart-{p}"] = c
        r.close()
        print("articles", p, flush=True)
    for label, pages, man, questions in (("de-man", DE_PAGES, DE_MAN, DE_QUESTIONS + MORE_QUESTIONS),
                                         ("es-man", es_manpages.PAGES, es_manpages.MAN, es_manpages.QUESTIONS),
                                         ("fr-man", FR_PAGES, FR_MAN, FR_QUESTIONS)):
        r, _ = french_manpages.open_collection(OUT / f"{label}-{name}", pages, man, questions, model)
        def gold(n: int, row: dict, qs=questions) -> bool:
            return Path(row["source"]).stem == qs[n].page and qs[n].gold in " ".join(row["text"].split())
        dump["collections"][label] = collection(r, {"questions": ([q.text for q in questions], gold), **off})
        r.close()
        print(label, flush=True)
    seed = OUT / f"seed-{name}"
    if not (seed / "index").exists():
        shutil.copytree(ROOT / "seeds", seed / "docs", dirs_exist_ok=True)
    build_index([seed / "docs"], index=seed / "index", model=model, progress=False)
    sys.path.insert(0, str(ROOT / "tests"))
    from test_seed_questions import PARAPHRASED, QUESTIONS as SEED_QUESTIONS
    sq = SEED_QUESTIONS + PARAPHRASED
    r = Retriever.open(seed / "index", model=model)
    gold = lambda n, row: row["paragraph"] == sq[n][2]  # noqa: E731
    dump["collections"]["seed"] = collection(r, {"questions": ([q for _, q, _ in sq], gold), **off})
    r.close()
    Path(args.out).write_bytes(pickle.dumps(dump))


if __name__ == "__main__":
    main()
