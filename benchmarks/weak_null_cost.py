"""CPU per question of the terms the evidence rule of benchmarks/weak_null.py adds to a search
(docs/quality.md "Session 14: the weak bar over several kinds of evidence"): the question's
null (its cosines to a sample of up to 1024 of the collection's passages, averaged per
language) and the hubness of the k shown passages (qa/weakbar.py), next to the search itself,
on the French man pages (2,152 passages; benchmarks/out/fr-man-use-m3, as weak_dump.py builds it).

    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/weak_null_cost.py
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from qa import Retriever  # noqa: E402
from qa.weakbar import passage_hubs, probe_vectors  # noqa: E402
from french_manpages import QUESTIONS  # noqa: E402

SAMPLE = 1024


def main() -> None:
    r = Retriever.open(ROOT / "benchmarks" / "out" / "fr-man-use-m3" / "index")
    view, enc = r._view, r._view.encoder
    qs = [q.text for q in QUESTIONS]
    r.search(qs[0], k=5)
    t = time.thread_time()
    probe_vectors(enc)
    probes = time.thread_time() - t
    t = time.thread_time()  # the sample: evenly spaced ids, read once per loaded index
    ids, _ = view.store.all_vectors(enc.dimension)
    pick = ids[np.linspace(0, len(ids) - 1, min(SAMPLE, len(ids))).astype(int)].tolist()
    vecs, rows = view.store.vectors_for(pick, enc.dimension), view.store.passages(pick)
    sample = np.stack([vecs[i] for i in pick])
    langs = np.array([rows[i]["lang"] or "" for i in pick])
    groups = {lang: np.flatnonzero(langs == lang) for lang in set(langs.tolist())}
    once = time.thread_time() - t
    qv = enc.encode_queries(qs)
    times: dict[str, list[float]] = {"search k=5": [], "null (sample product, means per language)": [],
                                     "hubness of the 5 shown": []}
    for _ in range(3):
        for n, q in enumerate(qs):
            t = time.thread_time()
            hits = r.search(q, k=5)
            times["search k=5"].append(time.thread_time() - t)
            t = time.thread_time()
            cos = sample @ qv[n]
            {lang: float(cos[g].mean()) for lang, g in groups.items()}
            times["null (sample product, means per language)"].append(time.thread_time() - t)
            t = time.thread_time()
            passage_hubs(view.store, enc, [h.id for h in hits], view.context)
            times["hubness of the 5 shown"].append(time.thread_time() - t)
    print(f"passages {len(ids)}, sample {len(pick)}: sample read once {once * 1000:.1f} ms CPU, "
          f"probes embedded once {probes * 1000:.0f} ms CPU")
    for name, v in times.items():
        print(f"{name}: median {np.median(v) * 1000:.3f} ms CPU per question (n={len(v)})")
    r.close()


if __name__ == "__main__":
    main()
