"""Approximate search on the real corpus embedded for real (issue #14).

The 1M benchmark level repeats the real paragraphs with noise-perturbed vectors, so its
recall figures rest on synthetic neighbours. This run indexes the real corpus itself (Debian's
man pages in fr/de/es/zh and the Python docs, `benchmarks/corpus.py`) plus the 1,680 XQuAD
paragraphs (7 languages, one file each) with `build_index`, as a user would: the automatic
choice of index (IVF-SQ8 from 50,000 passages, nprobe tuned at build time). Then XQuAD
questions in every language, whose answers are in the collection, are asked twice, through the
saved approximate index and through exact search over the same stored vectors:

- recall@10 of the approximate dense top-10 against the exact one;
- the share of questions whose gold paragraph is in the dense top-10, approximate and exact;
- `Retriever.search` (hybrid, k=10) with each: gold in the top 10, MRR@10, top-1 agreement.

    PYTHONPATH=. .venv/bin/python benchmarks/real_ivf.py [--questions-per-lang 100]

Embedding ~272k passages takes 12-15 minutes on 2 free cores; the index is kept in
benchmarks/out/real-ivf and reused (incremental) by later runs.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import random
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import OUT, XQUAD_LANGS, load_xquad, loadavg, machine, save_json  # noqa: E402


def log(*args) -> None:
    print(time.strftime("%H:%M:%S"), *args, file=sys.stderr, flush=True)


def questions(xq: dict, per_lang: int, seed: int = 7) -> list[tuple[str, str, int]]:
    out = []
    for lang in XQUAD_LANGS:
        qs = xq[lang]["questions"][:]
        random.Random(seed).shuffle(qs)
        out.extend((lang, q, idx) for q, idx in qs[:per_lang])
    return out


def gold_ids(store, folder: str) -> dict[tuple[str, int], set[int]]:
    """(lang, paragraph index) -> passage ids of that XQuAD paragraph's file (folder/LANG/pNNNNN.txt)."""
    out: dict[tuple[str, int], set[int]] = {}
    rows = store.connection().execute(
        "SELECT p.id, d.source FROM passages p JOIN documents d ON d.id = p.doc_id WHERE d.source LIKE ?",
        (f"%{folder}/%",))
    for pid, source in rows:
        *_, lang, name = Path(source).parts
        out.setdefault((lang, int(name[1:6])), set()).add(int(pid))
    return out


def ranked_metrics(ranked: list[list[int]], golds: list[set[int]]) -> dict:
    in10 = [bool(set(r[:10]) & g) for r, g in zip(ranked, golds)]
    rr = [next((1.0 / (i + 1) for i, p in enumerate(r[:10]) if p in g), 0.0) for r, g in zip(ranked, golds)]
    return {"gold_in_top10": round(float(np.mean(in10)), 4), "mrr@10": round(float(np.mean(rr)), 4)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--questions-per-lang", type=int, default=100)
    ap.add_argument("--out", default=str(OUT / "real-ivf"))
    args = ap.parse_args()

    import corpus
    from qa.evaluate import write_corpus
    from qa.indexer import build_index
    from qa.retrieval import Retriever
    from qa.vectors import FLAT, VectorIndex, exact_topk, recall_at_k

    started = time.perf_counter()
    out = Path(args.out)
    stats = corpus.build(corpus.DEFAULT_OUT)
    log("corpus:", stats["files"], "files,", stats["paragraphs"], "paragraphs")
    xq = load_xquad()
    xq_dir = out / "docs" / "xquad"
    for lang in XQUAD_LANGS:
        write_corpus(xq[lang]["contexts"], xq_dir / lang)
    index = out / "index"
    t = time.perf_counter()
    report = build_index([corpus.DEFAULT_OUT, xq_dir], index=index, progress=True)
    build_s = time.perf_counter() - t
    log(f"index: {report}")

    retriever = Retriever.open(index)
    view = retriever._view
    store, approx = view.store, view.vectors
    log("index kind:", approx.describe())
    ids, vectors = store.all_vectors(512)
    qs = questions(xq, args.questions_per_lang)
    golds_by = gold_ids(store, "xquad")
    golds = [golds_by.get((lang, idx), set()) for lang, _, idx in qs]
    missing = sum(1 for g in golds if not g)
    qvecs = np.asarray(retriever.encoder.encode_queries([q for _, q, _ in qs]), dtype=np.float32)

    truth = exact_topk(vectors, ids, qvecs, 10)
    _, found = approx.index.search(qvecs, 10)
    dense = {"recall@10_vs_exact": round(recall_at_k(found, truth), 4),
             "approximate": ranked_metrics([list(map(int, r)) for r in found], golds),
             "exact": ranked_metrics([list(map(int, r)) for r in truth], golds)}
    per_lang = {}
    for lang in XQUAD_LANGS:
        rows = [i for i, (lg, _, _) in enumerate(qs) if lg == lang]
        per_lang[lang] = round(recall_at_k(found[rows], truth[rows]), 4)
    dense["recall@10_vs_exact_per_lang"] = per_lang
    log("dense:", dense)

    flat = VectorIndex(512)
    flat.add(ids, vectors)
    del vectors
    hybrid = {}
    ranked_by = {}
    for name, vi in (("approximate", approx), ("exact", flat)):
        retriever._view = dataclasses.replace(view, vectors=vi)
        ranked = [[p.id for p in retriever.search(q, k=10)] for _, q, _ in qs]
        ranked_by[name] = ranked
        hybrid[name] = ranked_metrics(ranked, golds)
    retriever._view = view
    hybrid["top1_agreement"] = round(float(np.mean(
        [bool(a) and bool(b) and a[0] == b[0] for a, b in zip(ranked_by["approximate"], ranked_by["exact"])])), 4)
    log("hybrid:", hybrid)

    result = {"machine": machine(), "load_average": loadavg(), "corpus": stats,
              "passages": int(len(ids)), "index": approx.describe(), "params": approx.params,
              "build_seconds": round(build_s, 1), "questions": len(qs), "questions_without_gold": missing,
              "dense": dense, "hybrid": hybrid, "seconds": round(time.perf_counter() - started, 1),
              "flat_kind": FLAT}
    save_json(OUT / "real_ivf.json", result)
    print(json.dumps(result, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
