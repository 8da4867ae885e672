"""Per-model score calibration (`qa.encoder.Calibration`): how much a model's dense score
counts against the lexical evidence in the hybrid, and where its weak-match threshold lies.

    .venv/bin/python benchmarks/calibrate.py --model e5-small --out DIR

DIR holds XQuAD indexes built with the model (`DIR/index-<lang>`, e.g. by `qa eval --index`).
Like benchmarks/tune_fusion.py it scores every passage of a pool with the ingredients of
`Retriever.search` (stored passage and sentence vectors, the question's vector through the
model's query prompt, `query_tokens` + FTS5 BM25, detected languages), in bulk; qa/fusion.py's
weights are kept and only the model's dense scale varies. Chosen on the development split
(mono en es de zh; en/de/zh->es, es/de/zh->en), read on the held-out split (mono ar ru vi;
ru/ar->es, ru->en, plus vi->en / vi->es, a language outside the default model's 16).
"""
from __future__ import annotations

import argparse
import pickle
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.fusion import LEXICAL_WEIGHT_CROSS, LEXICAL_WEIGHT_SAME, PASSAGE_SHARE  # noqa: E402
from qa.language import detect_language, query_tokens  # noqa: E402
from qa.retrieval import CANDIDATES, Retriever  # noqa: E402
from qa.squad import load_squad  # noqa: E402
from quality import OFF_TOPIC  # noqa: E402

DEV_MONO = ["en", "es", "de", "zh"]
HELD_MONO = ["ar", "ru", "vi"]
DEV_CROSS = [("en", "es"), ("de", "es"), ("zh", "es"), ("es", "en"), ("de", "en"), ("zh", "en")]
HELD_CROSS = [("ru", "es"), ("ar", "es"), ("ru", "en"), ("vi", "en"), ("vi", "es")]
SCALES = (1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)


def features(data: Path, out: Path, q: str, p: str, retriever: Retriever, cache: dict) -> dict:
    squad = load_squad(data / f"xquad.{p}.json", data / f"xquad.{q}.json")
    store, encoder = retriever.store, retriever.encoder
    chunks = list(store.iter_vectors(encoder.dimension))
    ids = np.concatenate([i for i, _ in chunks])
    vecs = np.concatenate([v for _, v in chunks])
    rows = store.passages(ids.tolist())
    sentences = store.sentence_vectors(ids.tolist(), encoder.dimension)
    texts = [x.text for x in squad.questions]
    if q not in cache:
        cache[q] = (np.stack([encoder.encode_query(t) for t in texts]), [detect_language(t) for t in texts])
    qv, qlangs = cache[q]
    cos = qv @ vecs.T
    smax = np.stack([(sentences[i][1] @ qv.T).max(0) if i in sentences and len(sentences[i][1]) else cos[:, j]
                     for j, i in enumerate(ids)], 1)
    pos = {int(i): j for j, i in enumerate(ids)}
    bm25 = np.zeros_like(cos)
    for n, (t, lang) in enumerate(zip(texts, qlangs)):
        for i, s in store.lexical_search(query_tokens(t, lang), CANDIDATES):
            bm25[n, pos[i]] = s
    same = np.array([[ql == rows[i]["lang"] for i in ids] for ql in qlangs])
    para = np.array([int(rows[i]["source"][1:6]) for i in ids])
    return {"cos": cos, "smax": smax, "bm25": bm25, "same": same, "para": para,
            "gold": np.array([squad.gold[x.id] for x in squad.questions])}


def mrr10(score: np.ndarray, f: dict) -> float:
    para, gold = f["para"], f["gold"]
    best = np.full((score.shape[0], para.max() + 1), -np.inf)
    for j, p in enumerate(para):
        best[:, p] = np.maximum(best[:, p], score[:, j])
    g = best[np.arange(len(gold)), gold][:, None]
    order = np.arange(best.shape[1])[None, :]
    rank = (best > g).sum(1) + ((best == g) & (order < gold[:, None])).sum(1) + 1
    return float(np.where(rank <= 10, 1.0 / rank, 0.0).mean())


def dense(f: dict) -> np.ndarray:
    return PASSAGE_SHARE * f["cos"] + (1 - PASSAGE_SHARE) * f["smax"]


def candidates(f: dict) -> np.ndarray:
    """The passages `Retriever.search` scores: dense top-N and the BM25 hits."""
    keep = f["bm25"] > 0
    top = np.argsort(-f["cos"], axis=1)[:, :CANDIDATES]
    np.put_along_axis(keep, top, True, axis=1)
    return np.where(keep, 0.0, -np.inf)


def hybrid(f: dict, scale: float) -> np.ndarray:
    top = f["bm25"].max(1, keepdims=True)
    lex = f["bm25"] / np.where(top > 0, top, 1)
    weight = np.where(f["same"], LEXICAL_WEIGHT_SAME, LEXICAL_WEIGHT_CROSS)
    return scale * dense(f) + weight * lex + candidates(f)


def gold_dense(f: dict) -> np.ndarray:
    """Per question, the best dense score of a passage of its gold paragraph."""
    d = dense(f)
    return np.array([d[n, f["para"] == g].max() for n, g in enumerate(f["gold"])])


def load_runs(data: Path, out: Path, model: str) -> dict:
    cache_file = out / f"calibration-features-{model}.pkl"
    if cache_file.exists():
        return pickle.loads(cache_file.read_bytes())
    runs, cache = {}, {}
    for q, p in [(x, x) for x in DEV_MONO + HELD_MONO] + DEV_CROSS + HELD_CROSS:
        retriever = Retriever.open(out / f"index-{p}", model=model)
        runs[(q, p)] = features(data, out, q, p, retriever, cache)
        retriever.close()
        print("features", q, p, flush=True)
    for p in ("en", "es"):  # off-topic questions: the best dense score each reaches in a pool
        retriever = Retriever.open(out / f"index-{p}", model=model)
        qv = np.stack([retriever.encoder.encode_query(t) for t in OFF_TOPIC])
        f = features_for_vectors(retriever, qv)
        runs[("off-topic", p)] = dense(f).max(1)
        retriever.close()
    cache_file.write_bytes(pickle.dumps(runs))
    return runs


def features_for_vectors(retriever: Retriever, qv: np.ndarray) -> dict:
    store, dim = retriever.store, retriever.encoder.dimension
    chunks = list(store.iter_vectors(dim))
    ids = np.concatenate([i for i, _ in chunks])
    cos = qv @ np.concatenate([v for _, v in chunks]).T
    sentences = store.sentence_vectors(ids.tolist(), dim)
    smax = np.stack([(sentences[i][1] @ qv.T).max(0) if i in sentences and len(sentences[i][1]) else cos[:, j]
                     for j, i in enumerate(ids)], 1)
    return {"cos": cos, "smax": smax}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--out", type=Path, required=True, help="folder of index-<lang> built with the model")
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "bench" / "xquad")
    args = parser.parse_args()
    runs = load_runs(args.data, args.out, args.model)
    groups = {"dev mono": [(x, x) for x in DEV_MONO], "dev cross": DEV_CROSS,
              "held-out mono": [(x, x) for x in HELD_MONO], "held-out cross": HELD_CROSS}
    groups = {k: [r for r in v if r in runs] for k, v in groups.items()}
    mean = lambda keys, fn: float(np.mean([mrr10(fn(runs[k]), runs[k]) for k in keys]))  # noqa: E731
    print(f"model {args.model}: MRR@10 means (XQuAD, all questions), fusion weights of qa/fusion.py\n")
    print("| dense scale | " + " | ".join(groups) + " |")
    print("|---|" + "---|" * len(groups))
    print("| dense only | " + " | ".join(f"{mean(v, dense):.3f}" for v in groups.values()) + " |")
    best = None
    for scale in SCALES:
        row = [mean(v, lambda f: hybrid(f, scale)) for v in groups.values()]
        print(f"| {scale} | " + " | ".join(f"{x:.3f}" for x in row) + " |", flush=True)
        if best is None or row[0] + row[1] > best[0][0] + best[0][1]:
            best = (row, scale)
    print(f"\nchosen on dev (mono + cross): scale {best[1]}")
    print("\nper run: dense | hybrid scale 1 | hybrid chosen")
    for key, f in runs.items():
        if key[0] == "off-topic":
            continue
        print(f"{key[0]}->{key[1]}: {mrr10(dense(f), f):.3f} | {mrr10(hybrid(f, 1.0), f):.3f} | "
              f"{mrr10(hybrid(f, best[1]), f):.3f}")
    print("\ngold passage's dense score, quantiles (dev mono | dev cross):")
    for name in ("dev mono", "dev cross", "held-out mono", "held-out cross"):
        g = np.concatenate([gold_dense(runs[k]) for k in groups[name]])
        print(name, " ".join(f"q{int(q * 100)} {np.quantile(g, q):.3f}" for q in (0.01, 0.03, 0.05, 0.1, 0.5)))
    off = np.concatenate([runs[("off-topic", p)] for p in ("en", "es")])
    print(f"off-topic questions' best dense score ({len(off)} = {len(OFF_TOPIC)} x en, es pools): "
          f"max {off.max():.3f}, median {np.median(off):.3f}")
    print("\nweak threshold t: share of gold passages under t | off-topic questions at or over t")
    for t in np.round(np.arange(np.floor(off.max() * 100) / 100 - 0.03, off.max() + 0.03, 0.01), 2):
        shares = {name: float(np.mean(np.concatenate([gold_dense(runs[k]) for k in groups[name]]) < t))
                  for name in groups}
        print(f"t={t:.2f}: " + ", ".join(f"{k} {v:.3f}" for k, v in shares.items()) + f" | off-topic {(off >= t).sum()}")


if __name__ == "__main__":
    main()
