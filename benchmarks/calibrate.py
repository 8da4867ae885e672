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

Then the model's weak-match bar (`Calibration.weak_score`, qa.fusion.is_weak: dense score under
the bar and lexical evidence under WEAK_LEXICAL), with the hybrid at the chosen scale and the
criteria of docs/quality.md's weak-match section: development = questions whose paragraph has
an even index (every run) + benchmarks/off_topic.py's OFF_TOPIC_DEV, held out = odd paragraphs
+ OFF_TOPIC_HELD_OUT; a run's share = gold passages in the top 10 flagged weak among the gold
passages in the top 10 (<= 5% in every run is the goal); an off-topic question passes when its
top passage is not weak (0 may pass, against the en and the es pool). The bar chosen is the one
with the lowest worst-run share on dev among those that let no dev off-topic question pass.
Bulk features are cached in DIR/calibration-features-v2-<model>.pkl.
"""
from __future__ import annotations

import argparse
import pickle
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.lexical_plan import lexical_search  # noqa: E402
from qa.fusion import (LEXICAL_WEIGHT_CROSS, LEXICAL_WEIGHT_SAME, PASSAGE_SHARE, WEAK_LEXICAL,  # noqa: E402
                       lexical_evidence)
from qa.language import detect_language, query_tokens  # noqa: E402
from qa.retrieval import CANDIDATES, Retriever  # noqa: E402
from qa.squad import load_squad  # noqa: E402
from off_topic import OFF_TOPIC_DEV, OFF_TOPIC_HELD_OUT  # noqa: E402

DEV_MONO = ["en", "es", "de", "zh"]
HELD_MONO = ["ar", "ru", "vi"]
DEV_CROSS = [("en", "es"), ("de", "es"), ("zh", "es"), ("es", "en"), ("de", "en"), ("zh", "en")]
HELD_CROSS = [("ru", "es"), ("ar", "es"), ("ru", "en"), ("vi", "en"), ("vi", "es")]
SCALES = (1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 6.0, 7.0, 8.0, 10.0, 12.0, 16.0)
K = 10  # passages shown: the weak-match share counts gold passages among them


def features(data: Path, q: str, p: str, retriever: Retriever, cache: dict) -> dict:
    squad = load_squad(data / f"xquad.{p}.json", data / f"xquad.{q}.json")
    texts = [x.text for x in squad.questions]
    if q not in cache:
        cache[q] = (query_vectors(retriever, texts), [detect_language(t) for t in texts])
    f = features_for_vectors(retriever, texts, *cache[q])
    f["gold"] = np.array([squad.gold[x.id] for x in squad.questions])
    return f


def query_vectors(retriever: Retriever, texts: list[str]) -> np.ndarray:
    """The questions' vectors as `Encoder.encode_query` gives them (query prompt, normalised),
    in batches: one at a time, e5-small asks a few questions a second on two busy cores."""
    model = retriever.encoder.model
    return np.asarray(model.encode_query(texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True,
                                         show_progress_bar=False), dtype=np.float32)


def features_for_vectors(retriever: Retriever, texts: list[str], qv: np.ndarray, qlangs: list[str]) -> dict:
    """Per question x passage of the pool: cosine, best sentence cosine, raw BM25 (0 out of the
    lexical top-N), whether the passage is in the question's language; per passage its paragraph."""
    store, dim = retriever.store, retriever.encoder.dimension
    chunks = list(store.iter_vectors(dim))
    ids = np.concatenate([i for i, _ in chunks])
    cos = qv @ np.concatenate([v for _, v in chunks]).T
    rows = store.passages(ids.tolist())
    sentences = store.sentence_vectors(ids.tolist(), dim)
    smax = np.stack([(sentences[i][1] @ qv.T).max(0) if i in sentences and len(sentences[i][1]) else cos[:, j]
                     for j, i in enumerate(ids)], 1)
    pos = {int(i): j for j, i in enumerate(ids)}
    bm25 = np.zeros_like(cos)
    for n, (t, lang) in enumerate(zip(texts, qlangs)):
        for i, s in lexical_search(store, query_tokens(t, lang), CANDIDATES):
            bm25[n, pos[i]] = s
    same = np.array([[ql == rows[int(i)]["lang"] for i in ids] for ql in qlangs])
    para = np.array([int(rows[int(i)]["source"][1:6]) for i in ids])
    return {"cos": cos, "smax": smax, "bm25": bm25, "same": same, "para": para, "ids": ids}


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
    cache_file = out / f"calibration-features-v2-{model}.pkl"
    if cache_file.exists():
        return pickle.loads(cache_file.read_bytes())
    runs, cache = {}, {}
    for q, p in [(x, x) for x in DEV_MONO + HELD_MONO] + DEV_CROSS + HELD_CROSS:
        retriever = Retriever.open(out / f"index-{p}", model=model)
        runs[(q, p)] = features(data, q, p, retriever, cache)
        retriever.close()
        print("features", q, p, flush=True)
    for p in ("en", "es"):  # off-topic questions against the en and the es pool
        retriever = Retriever.open(out / f"index-{p}", model=model)
        for split, texts in (("dev", OFF_TOPIC_DEV), ("held-out", OFF_TOPIC_HELD_OUT)):
            qv = query_vectors(retriever, texts)
            runs[("off-topic", split, p)] = features_for_vectors(retriever, texts, qv,
                                                                 [detect_language(t) for t in texts])
        retriever.close()
    cache_file.write_bytes(pickle.dumps(runs))
    return runs


def shown(f: dict, scale: float) -> np.ndarray:
    """Per question, the passages (columns) of the top K by the hybrid at `scale`, best first."""
    score = hybrid(f, scale)
    return np.argsort(-score, axis=1, kind="stable")[:, :K]


def weak_marks(f: dict, bar: float, cross_bar: float | None = None, lexical_bar: float = WEAK_LEXICAL) -> np.ndarray:
    """Per question x passage of the pool: flagged weak by `is_weak` with this dense bar
    (`cross_bar` for passages in another language than the question's, when given)."""
    evidence = lexical_evidence(1.0, len(f["para"])) * f["bm25"]
    bars = bar if cross_bar is None else np.where(f["same"], bar, cross_bar)
    return (dense(f) < bars) & (evidence < lexical_bar)


def gold_weak_share(f: dict, scale: float, bar: float, rows: np.ndarray, cross_bar: float | None = None) -> float:
    """Among questions `rows` whose gold paragraph has a passage in the top K: the share whose
    gold passages there are all flagged weak (as `qa eval`'s gold_weak)."""
    top = shown(f, scale)[rows]
    weak = weak_marks(f, bar, cross_bar)[rows]
    gold = f["gold"][rows][:, None]
    is_gold = f["para"][top] == gold
    found = is_gold.any(1)
    all_weak = (~is_gold | np.take_along_axis(weak, top, 1)).all(1)
    return float(all_weak[found].mean()) if found.any() else 0.0


def eval_gold_weak(f: dict, score: np.ndarray, weak: np.ndarray) -> float:
    """`qa eval`'s gold_weak over all questions: the gold paragraph has no passage in the top K
    by `score`, or all of its passages there are flagged weak."""
    top = np.argsort(-score, axis=1, kind="stable")[:, :K]
    is_gold = f["para"][top] == f["gold"][:, None]
    return float((~is_gold | np.take_along_axis(weak, top, 1)).all(1).mean())


def off_topic_passing(f: dict, scale: float, bar: float, cross_bar: float | None = None) -> int:
    """Off-topic questions whose top passage is not flagged weak."""
    top = shown(f, scale)[:, 0]
    weak = weak_marks(f, bar, cross_bar)
    return int((~weak[np.arange(len(top)), top]).sum())


def weak_report(runs: dict, scale: float, bar: float, held_out: bool,
                cross_bar: float | None = None) -> tuple[dict, dict]:
    shares = {}
    for key, f in runs.items():
        if key[0] == "off-topic":
            continue
        rows = np.flatnonzero((f["gold"] % 2 == 1) == held_out)
        shares[key] = gold_weak_share(f, scale, bar, rows, cross_bar)
    split = "held-out" if held_out else "dev"
    passing = {p: off_topic_passing(runs[("off-topic", split, p)], scale, bar, cross_bar) for p in ("en", "es")}
    return shares, passing


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
    print("| dense scale | " + " | ".join(groups) + " | runs below dense-only (dev, held-out) |")
    print("|---|" + "---|" * (len(groups) + 1))
    print("| dense only | " + " | ".join(f"{mean(v, dense):.3f}" for v in groups.values()) + " | |")
    dense_mrr = {k: mrr10(dense(f), f) for k, f in runs.items() if k[0] != "off-topic"}
    best = None
    for scale in SCALES:
        row = [mean(v, lambda f: hybrid(f, scale)) for v in groups.values()]
        below = [sum(mrr10(hybrid(runs[k], scale), runs[k]) < dense_mrr[k] for k in groups[a] + groups[b])
                 for a, b in (("dev mono", "dev cross"), ("held-out mono", "held-out cross"))]
        print(f"| {scale} | " + " | ".join(f"{x:.3f}" for x in row) + f" | {below[0]}, {below[1]} |", flush=True)
        if best is None or row[0] + row[1] > best[0][0] + best[0][1]:
            best = (row, scale)
    print(f"\nchosen on dev (mono + cross): scale {best[1]}")
    print("\nper run: dense | hybrid scale 1 | hybrid chosen")
    for key, f in runs.items():
        if key[0] == "off-topic":
            continue
        print(f"{key[0]}->{key[1]}: {mrr10(dense(f), f):.3f} | {mrr10(hybrid(f, 1.0), f):.3f} | "
              f"{mrr10(hybrid(f, best[1]), f):.3f}")
    print("\ngold passage's dense score, quantiles:")
    for name in groups:
        g = np.concatenate([gold_dense(runs[k]) for k in groups[name]])
        print(name, " ".join(f"q{int(q * 100)} {np.quantile(g, q):.3f}" for q in (0.01, 0.03, 0.05, 0.1, 0.5)))
    for split in ("dev", "held-out"):
        off = np.concatenate([dense(runs[("off-topic", split, p)]).max(1) for p in ("en", "es")])
        print(f"off-topic questions ({split}), best dense score in the en and es pools: max {off.max():.3f}, "
              f"median {np.median(off):.3f}")

    scale = best[1]
    print(f"\nweak-match bar at scale {scale} (dense < bar and evidence < {WEAK_LEXICAL}); dev = even paragraphs "
          "+ OFF_TOPIC_DEV; share of gold passages in the top 10 flagged weak, worst mono / worst cross run")
    print("| bar | dev worst mono | dev worst cross | dev off-topic passing (en, es) | held-out worst mono | "
          "held-out worst cross | held-out off-topic passing (en, es) |")
    print("|---|---|---|---|---|---|---|")
    chosen = None
    for bar in np.round(np.arange(0.70, 0.901, 0.01), 2):
        row = []
        for held_out in (False, True):
            shares, passing = weak_report(runs, scale, bar, held_out)
            row.append((max(v for k, v in shares.items() if k[0] == k[1]),
                        max(v for k, v in shares.items() if k[0] != k[1]), passing))
        (dm, dc, dp), (hm, hc, hp) = row
        print(f"| {bar:.2f} | {dm:.3f} | {dc:.3f} | {dp['en']}, {dp['es']} | {hm:.3f} | {hc:.3f} | "
              f"{hp['en']}, {hp['es']} |", flush=True)
        if not any(dp.values()) and (chosen is None or max(dm, dc) < chosen[1]):
            chosen = (bar, max(dm, dc))
    if chosen is None:
        print("no bar lets every dev off-topic question be flagged")
        return
    bar = chosen[0]
    print(f"\nthen a bar of its own for passages in another language than the question's, the same-language bar "
          f"kept at {bar}: the lowest that lets no dev off-topic question pass")
    print("| cross bar | dev worst mono | dev worst cross | dev off-topic passing (en, es) | held-out worst mono | "
          "held-out worst cross | held-out off-topic passing (en, es) |")
    print("|---|---|---|---|---|---|---|")
    cross_bar = bar
    for candidate in np.round(np.arange(0.70, bar + 0.001, 0.01), 2):
        row = []
        for held_out in (False, True):
            shares, passing = weak_report(runs, scale, bar, held_out, candidate)
            row.append((max(v for k, v in shares.items() if k[0] == k[1]),
                        max(v for k, v in shares.items() if k[0] != k[1]), passing))
        (dm, dc, dp), (hm, hc, hp) = row
        print(f"| {candidate:.2f} | {dm:.3f} | {dc:.3f} | {dp['en']}, {dp['es']} | {hm:.3f} | {hc:.3f} | "
              f"{hp['en']}, {hp['es']} |", flush=True)
        if not any(dp.values()) and candidate < cross_bar:
            cross_bar = candidate
    print(f"\nchosen on dev: scale {scale}, weak bar {bar}, across languages {cross_bar}")
    for held_out in (False, True):
        shares, passing = weak_report(runs, scale, bar, held_out, cross_bar)
        print(f"{'held-out' if held_out else 'dev'}: off-topic passing {passing}; per run: "
              + ", ".join(f"{q}->{p} {v:.3f}" for (q, p), v in shares.items()))
    print(f"\nper run, all questions, at scale {scale} and bars {bar} / {cross_bar} (dense: the model's dense score alone; "
          "gold_weak as qa eval's: gold passage not in the top 10 or flagged weak)")
    print("| run | MRR@10 dense | MRR@10 hybrid | gold_weak dense | gold_weak hybrid |")
    print("|---|---|---|---|---|")
    for key, f in runs.items():
        if key[0] == "off-topic":
            continue
        no_lexical = weak_marks({**f, "bm25": np.zeros_like(f["bm25"])}, bar, cross_bar)  # dense mode: no BM25
        print(f"| {key[0]}->{key[1]} | {mrr10(dense(f), f):.3f} | {mrr10(hybrid(f, scale), f):.3f} | "
              f"{eval_gold_weak(f, dense(f), no_lexical):.3f} | "
              f"{eval_gold_weak(f, hybrid(f, scale), weak_marks(f, bar, cross_bar)):.3f} |")

if __name__ == "__main__":
    main()
