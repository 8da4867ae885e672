"""Word translation by the encoder (issue #15): a cross-lingual lexical channel. The index's
vocabulary words (surface words of the passages, in their language) are embedded once with the
default encoder (USE-m3, aligned across its 16 languages); each content word of a question is
embedded too and met with its k nearest vocabulary words above a cosine threshold; their stems
(as the passages' language tokenizes them) are a BM25 query whose normalised score is added, with
its own weight, to passages in another language than the question's.

    PYTHONPATH=$PWD:$PWD/benchmarks .venv/bin/python benchmarks/xling_words.py   # indexes in benchmarks/out/index-<lang>

Bulk scoring as benchmarks/xling_translit.py (the baseline is the shipped fusion: dense + BM25 +
the transliterated names query). Development split = pairs en/de/zh->es, es/de/zh->en; held-out
= ru->es, ar->es, ru->en, read once after the choice. Variants:
- iso: each question word embedded alone; ctx: the word's vector pooled from the question's own
  forward pass (its tokens' features, as sentence vectors are, qa/use.py);
- k nearest vocabulary words in {1, 2, 3}, cosine threshold, weight;
- flat (every matched stem once in an FTS5 OR query) or sim (per-stem BM25 weighted by cosine);
- names: adjacent question words embedded as one phrase and met with the passages' capitalised
  two-word phrases, added to the single words.
"""
from __future__ import annotations

import argparse
import itertools
import pickle
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from qa.encoder import encoders  # noqa: E402
from qa.language import _stopwords, tokenize, words  # noqa: E402
from qa.lexical_plan import lexical_search  # noqa: E402
from xling_translit import dense_only, features, fused, mrr10, normalised, skeleton_terms  # noqa: E402

DEV = [("en", "es"), ("de", "es"), ("zh", "es"), ("es", "en"), ("de", "en"), ("zh", "en")]
HELD = [("ru", "es"), ("ar", "es"), ("ru", "en")]
MONO = ["en", "es"]
LIMIT = 50


def content(ws: list[str], lang: str | None) -> list[str]:
    stop = _stopwords.get(lang)
    return [w for w in ws if w not in stop and any(ch.isalpha() for ch in w)]


class Pool:
    """A pool's vocabulary: surface content words, their stems, their vectors; capitalised
    two-word phrases too."""

    def __init__(self, store, ids, rows, lang: str, encoder) -> None:
        texts = [rows[int(i)]["text"] for i in ids]
        seen: dict[str, None] = {}
        phrases: dict[str, None] = {}
        for t in texts:
            for w in content(words(t), lang):
                seen.setdefault(w)
            raw = t.split()
            for a, b in zip(raw, raw[1:]):
                a, b = a.strip(".,;:()\"'"), b.strip(".,;:()\"'")
                if a[:1].isupper() and b[:1].isupper() and a.isalpha() and b.isalpha():
                    phrases.setdefault(f"{a} {b}")
        self.words = list(seen)
        self.stems = [tokenize(w, lang) for w in self.words]
        self.phrases = list(phrases)
        self.phrase_stems = [tokenize(p, lang) for p in self.phrases]
        t0 = time.process_time()
        self.vecs = encoder.encode_documents(self.words)
        self.encode_cpu = time.process_time() - t0
        self.phrase_vecs = encoder.encode_documents(self.phrases) if self.phrases else np.zeros((0, 512), np.float32)
        self.passages = len(texts)


def question_vectors(encoder, texts: list[str], qlangs: list[str]) -> tuple[list, list]:
    """Per question: its content words, their isolated vectors and their in-context vectors."""
    qwords = [list(dict.fromkeys(content(words(t), l))) for t, l in zip(texts, qlangs)]
    unique = sorted({w for ws in qwords for w in ws})
    t0 = time.process_time()
    iso = dict(zip(unique, encoder.encode_documents(unique))) if unique else {}
    per_word_ms = 1000 * (time.process_time() - t0) / max(len(unique), 1)
    ctx = []
    items, spans_of, found_of = [], [], []
    for t, ws in zip(texts, qwords):
        folded = t.casefold()
        cuts, found = {0}, {}
        if len(folded) == len(t):
            for w in ws:
                s = folded.find(w)
                if s >= 0:
                    found[w] = (s, s + len(w))
                    cuts.update((s, s + len(w)))
        cuts = sorted(c for c in cuts if c < len(t))
        items.append(t)
        spans_of.append([(a, b) for a, b in zip(cuts, cuts[1:] + [len(t)])])
        found_of.append(found)
    _, pieces = encoder.encode_passages(items, spans_of)
    for ws, spans, found, pv in zip(qwords, spans_of, found_of, pieces):
        starts = {a: j for j, (a, _) in enumerate(spans)}
        v = {}
        for w in ws:
            if w in found and found[w][0] in starts and len(pv):
                x = pv[starts[found[w][0]]]
                v[w] = x / max(np.linalg.norm(x), 1e-9)
            else:
                v[w] = iso[w]
        ctx.append(v)
    return qwords, [{w: iso[w] for w in ws} for ws in qwords], ctx, per_word_ms


def channel(f: dict, pool: Pool, store, pos: dict, qwords, qvecs, k: int, thr: float, mode: str,
            names: bool, phrase_vecs_q=None, stem_cache: dict | None = None) -> np.ndarray:
    """BM25 of the translated words' stems for every question x passage (top LIMIT kept)."""
    out = np.zeros_like(f["cos"])

    def stem_scores(stem: str) -> np.ndarray:
        if stem not in stem_cache:
            v = np.zeros(out.shape[1])
            for i, s in lexical_search(store, [stem], pool.passages):
                v[pos[i]] = s
            stem_cache[stem] = v
        return stem_cache[stem]

    for n, (ws, vecs) in enumerate(zip(qwords, qvecs)):
        weights: dict[str, float] = {}
        for idx, sims in vecs:  # per question word: its nearest vocabulary words, best first
            for c, sim in zip(idx[:k], sims[:k]):
                if sim >= thr:
                    for s in pool.stems[c]:
                        weights[s] = max(weights.get(s, 0.0), float(sim))
        if names and phrase_vecs_q is not None and len(phrase_vecs_q[n]) and len(pool.phrases):
            m = phrase_vecs_q[n] @ pool.phrase_vecs.T
            for r in range(m.shape[0]):
                c = int(m[r].argmax())
                if m[r, c] >= thr:
                    for s in pool.phrase_stems[c]:
                        weights[s] = max(weights.get(s, 0.0), float(m[r, c]))
        if not weights:
            continue
        if mode == "flat":
            for i, s in lexical_search(store, list(weights), LIMIT):
                out[n, pos[i]] = s
        else:
            row = sum(w * stem_scores(s) for s, w in weights.items())
            if np.count_nonzero(row) > LIMIT:
                row = np.where(row >= np.sort(row)[-LIMIT], row, 0.0)
            out[n] = row
    return out


def nearest(ws: list[str], vecs: dict, pool_vecs: np.ndarray, k: int = 3) -> list:
    if not ws:
        return []
    m = np.stack([vecs[w] for w in ws]) @ pool_vecs.T
    top = np.argpartition(-m, k, 1)[:, :k]
    out = []
    for r in range(len(ws)):
        idx = top[r][np.argsort(-m[r, top[r]])]
        out.append((idx, m[r, idx]))
    return out


def score(f: dict, extra: np.ndarray | None, w: float) -> np.ndarray:
    s = fused(f, "skeleton", 0.1)  # as shipped: names query weight NAMES_WEIGHT = 0.1
    if extra is not None and w:
        s = s + w * np.where(f["same"], 0.0, 1.0) * normalised(extra)
    return s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "bench" / "xquad"))
    parser.add_argument("--work", default=str(ROOT / "benchmarks" / "out"))
    parser.add_argument("--held-out", action="store_true", help="read the held-out pairs (once, after choosing)")
    parser.add_argument("--k", type=int, default=None)
    parser.add_argument("--threshold", type=float, default=None)
    parser.add_argument("--weight", type=float, default=None)
    parser.add_argument("--vectors", default=None)
    parser.add_argument("--mode", default=None)
    parser.add_argument("--names", action="store_true")
    parser.add_argument("--wide", action="store_true", help="the second development grid")
    args = parser.parse_args()
    data, out = Path(args.data), Path(args.work)
    from qa.store import DB_NAME, Store
    from qa.layout import current_data
    from tune_fusion import Pair

    encoder = encoders.get("use-m3")
    cache: dict = {}
    keys = DEV + [(l, l) for l in MONO] + (HELD if args.held_out else [])
    pools: dict[str, Pool] = {}
    runs, stores = {}, {}
    for q, p in keys:
        f = features(data, out, q, p, encoder, cache, {"skeleton": skeleton_terms})
        pair = Pair(data, out, q, p, encoder, cache)
        if p not in pools:
            pools[p] = Pool(pair.store, pair.ids, pair.rows, p, encoder)
            print(f"pool {p}: {len(pools[p].words)} words, {len(pools[p].phrases)} phrases, "
                  f"{pools[p].encode_cpu:.1f} s CPU to embed the words "
                  f"({1000 * pools[p].encode_cpu / pools[p].passages:.0f} s per 1,000 passages)", flush=True)
        qwords, iso, ctx, ms = question_vectors(encoder, pair.texts, pair.qlangs)
        phr = []
        for ws in qwords:
            grams = [f"{a} {b}" for a, b in zip(ws, ws[1:])]
            phr.append(encoder.encode_documents(grams) if grams else np.zeros((0, 512), np.float32))
        runs[(q, p)] = (f, pair, qwords, iso, ctx, phr)
        print(f"{q}->{p}: {ms:.2f} ms CPU per question word embedded alone", flush=True)
    split = {k: f["gold"] % 2 == 0 for k, (f, *_) in runs.items()}  # only for the question-split view

    grid = list(itertools.product(["iso", "ctx"], [1, 2, 3], [0.5, 0.6, 0.7, 0.8], ["flat", "sim"], [False]))
    grid += [(v, k, t, m, True) for v in ["iso"] for k in [1, 2] for t in [0.6, 0.7] for m in ["flat", "sim"]]
    if args.wide:  # second dev grid: the first one's best threshold (0.5) was its lowest
        grid = list(itertools.product(["iso"], [1, 2, 3], [0.3, 0.4, 0.45, 0.5], ["flat", "sim"], [False]))
    if args.vectors:
        grid = [(args.vectors, args.k, args.threshold, args.mode, args.names)]
    weights = [0.05, 0.1, 0.15, 0.2, 0.3] if args.weight is None else [args.weight]
    chans: dict = {}
    t_start = time.process_time()
    for (q, p) in keys:
        f, pair, qwords, iso, ctx, phr = runs[(q, p)]
        stem_cache: dict = {}
        t0 = time.process_time()
        near = {}
        for name, vecs in (("iso", iso), ("ctx", ctx)):
            near[name] = [nearest(ws, v, pools[p].vecs) for ws, v in zip(qwords, vecs)]
            if name == "iso":
                print(f"{q}->{p}: nearest words {1000 * (time.process_time() - t0) / len(qwords):.2f} ms CPU per question",
                      flush=True)
        iso, ctx = near["iso"], near["ctx"]
        for v, k, t, m, nm in grid:
            t0 = time.process_time()
            chans[(q, p, v, k, t, m, nm)] = channel(f, pools[p], pair.store, pair.pos, qwords,
                                                   iso if v == "iso" else ctx, k, t, m, nm, phr, stem_cache)
            if (v, k, t, m, nm) == grid[0]:
                print(f"{q}->{p}: channel {1000 * (time.process_time() - t0) / len(qwords):.2f} ms CPU per question "
                      f"(matching + BM25, word vectors already made)", flush=True)
    print(f"channels computed in {time.process_time() - t_start:.0f} s CPU", flush=True)

    base = {key: mrr10(score(runs[key][0], None, 0), runs[key][0], np.ones(len(runs[key][0]["gold"]), bool))
            for key in keys}
    dense = {key: mrr10(dense_only(runs[key][0]), runs[key][0], np.ones(len(runs[key][0]["gold"]), bool)) for key in keys}
    dev_base = np.mean([base[k] for k in DEV])
    print(f"\nbaseline (shipped fusion) dev mean {dev_base:.4f}; dense-only dev mean {np.mean([dense[k] for k in DEV]):.4f}")
    results = []
    for v, k, t, m, nm in grid:
        for w in weights:
            per = {key: mrr10(score(runs[key][0], chans[(*key, v, k, t, m, nm)], w), runs[key][0],
                              np.ones(len(runs[key][0]["gold"]), bool)) for key in keys}
            dm = np.mean([per[x] for x in DEV])
            results.append((dm, (v, k, t, m, nm, w), per))
    results.sort(key=lambda r: -r[0])
    print("\n## dev (all questions of the six dev pairs): top 25 settings")
    print("| vectors | k | threshold | mode | names | weight | dev mean | " + " | ".join(f"{a}->{b}" for a, b in DEV) + " | mono en | mono es |")
    for dm, cfg, per in results[:25]:
        print("| " + " | ".join(str(c) for c in cfg) + f" | {dm:.4f} | " + " | ".join(f"{per[x]:.3f}" for x in DEV)
              + f" | {per[('en', 'en')]:.3f} | {per[('es', 'es')]:.3f} |")
    print("\n## best per variant family (dev mean)")
    fam: dict = {}
    for dm, cfg, per in results:
        key = (cfg[0], cfg[3], cfg[4])
        if key not in fam:
            fam[key] = (dm, cfg)
    for key, (dm, cfg) in fam.items():
        print(key, f"{dm:.4f}", cfg)
    best = results[0]
    print(f"\nchosen on dev: {best[1]}  dev mean {best[0]:.4f} vs baseline {dev_base:.4f}")
    print("| run | dense-only | baseline | new |")
    for key in keys:
        if key in HELD:
            continue
        print(f"| {key[0]}->{key[1]} | {dense[key]:.3f} | {base[key]:.3f} | {best[2][key]:.3f} |")
    if args.held_out:
        print("\n## held-out, read once at the dev choice")
        for key in HELD:
            print(f"| {key[0]}->{key[1]} | {dense[key]:.3f} | {base[key]:.3f} | {best[2][key]:.3f} |")
        print(f"| held-out mean | {np.mean([dense[k] for k in HELD]):.3f} | {np.mean([base[k] for k in HELD]):.3f} | "
              f"{np.mean([best[2][k] for k in HELD]):.3f} |")
        nine = DEV + HELD
        print(f"| 9-pair mean | {np.mean([dense[k] for k in nine]):.3f} | {np.mean([base[k] for k in nine]):.3f} | "
              f"{np.mean([best[2][k] for k in nine]):.3f} |")
    with open(out / "xling_words.pkl", "wb") as fh:
        pickle.dump([(r[0], r[1], r[2]) for r in results], fh)


if __name__ == "__main__":
    main()
