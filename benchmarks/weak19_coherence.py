"""How alike a question's top hits are to each other, on the development split only (docs/quality.md
"Session 19"): an observation, not a shipped rule. For each question of the development cross runs
whose gold the shipped rule flags, and each development off-topic question whose top hit (in another
language) it flags: the mean pairwise cosine of the stored vectors of its top 10 hits, and whether a
logistic model (benchmarks/weak19_rules.py's) with that figure added frees more gold before it frees
one off-topic question's top hit.

    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/weak19_coherence.py benchmarks/out/weak19.pkl
"""
from __future__ import annotations

import pickle
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import weak19_rules as rules  # noqa: E402
from qa import Retriever  # noqa: E402


def pool_vectors(lang: str) -> dict[int, np.ndarray]:
    r = Retriever.open(ROOT / "benchmarks" / "out" / f"index-{lang}")
    try:
        ids = [i for (i,) in r.store.connection().execute("SELECT id FROM passages")]
        return r.store.vectors_for(ids, r.encoder.dimension)
    finally:
        r.close()


def coherence(q: dict, vectors: dict[int, np.ndarray], k: int = 10) -> float:
    v = np.stack([vectors[h["id"]] for h in q["hits"][:k]])
    n = len(v)
    return float(((v @ v.T).sum() - n) / (n * (n - 1)))


def main() -> None:
    dump = pickle.loads(Path(sys.argv[1]).read_bytes())
    vectors = {p: pool_vectors(p) for p in rules.DEV_POOLS}
    gold, off = [], []
    for key, v in dump["runs"].items():
        q_, p = key.split("->")
        if q_ == p or not rules.is_dev(q_, p):
            continue
        for q in v:
            g = [h for h in q["hits"] if h["gold"]]
            if g and g[0]["weak"] and rules.across(q):
                gold.append(np.append(rules.features(g[0], q), coherence(q, vectors[p])))
    x, y = rules.dev_training(dump)
    cohs = []
    for key, v in dump["off"].items():
        s, p = key.split("@")
        if s not in ("off_dev", "off_dev2") or p not in rules.DEV_POOLS:
            continue
        for q in v:
            h = q["hits"][0]
            if h["weak"] and h["plang"] != q["qlang"] and rules.across(q):
                off.append(np.append(rules.features(h, q), coherence(q, vectors[p])))
            for hit in q["hits"]:
                if hit["weak"] and hit["plang"] != q["qlang"] and rules.across(q):
                    cohs.append(coherence(q, vectors[p]))
    gold, off = np.array(gold), np.array(off)
    print(f"coherence of the top 10, 10/50/90th pct: gold flagged {np.percentile(gold[:, -1], [10, 50, 90]).round(3)}, "
          f"off-topic top hits flagged {np.percentile(off[:, -1], [10, 50, 90]).round(3)}")
    # the training rows of weak19_rules.dev_training with coherence added (gold rows first, as built there)
    train = np.vstack([gold, np.array([np.append(f, c) for f, c in zip(x[y == 0], cohs)])])
    labels = np.concatenate([np.ones(len(gold)), np.zeros(len(cohs))])
    for cols in ([0, 1, 2, 3], [0, 1, 2, 3, 7]):
        mean, scale, w = rules.fit_logistic(train, labels, cols)
        score = lambda f: ((f[cols] - mean) / scale) @ w[:-1] + w[-1]  # noqa: E731
        worst = max(score(f) for f in off)
        freed = sum(score(f) > worst for f in gold)
        print(f"{[(rules.NAMES + ['coherence'])[c] for c in cols]}: gold freed above every off-topic top hit "
              f"{freed} of {len(gold)}")


if __name__ == "__main__":
    main()
