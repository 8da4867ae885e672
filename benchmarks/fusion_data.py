"""Collect, per XQuAD run, what fusion needs (question vectors and languages, every passage's
cosine, the BM25 candidates), so that fusion rules can be compared in seconds.

Used by `benchmarks/tune_fusion.py`; indexes are built with qa itself (`benchmarks/out/index-<lang>`).
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.lexical_plan import lexical_search  # noqa: E402
from qa.evaluate import write_corpus  # noqa: E402
from qa.indexer import build_index  # noqa: E402
from qa.language import detect_language, tokenize  # noqa: E402
from qa.squad import load_squad  # noqa: E402
from qa.layout import current_data  # noqa: E402
from qa.store import DB_NAME, Store  # noqa: E402

LANGS = ["en", "es", "de", "zh", "ar", "ru", "vi"]
CROSS = [("en", "es"), ("zh", "es"), ("de", "es"), ("ru", "es"), ("ar", "es"),
         ("es", "en"), ("de", "en"), ("zh", "en"), ("ru", "en")]  # (question language, paragraph language)


def xquad(data: Path, lang: str) -> Path:
    return data / f"xquad.{lang}.json"


def index_dir(out: Path, lang: str) -> Path:
    return out / f"index-{lang}"


def ensure_index(data: Path, out: Path, lang: str) -> Path:
    directory = index_dir(out, lang)
    write_corpus(load_squad(xquad(data, lang)).contexts, directory / "corpus")
    build_index([directory / "corpus"], index=directory, progress=False)
    return directory


def collect(data: Path, out: Path, qlang: str, plang: str, encoder, cache: dict) -> dict:
    squad = load_squad(xquad(data, plang), xquad(data, qlang))
    store = Store(current_data(index_dir(out, plang)) / DB_NAME)
    ids, vecs = [], []
    for i, v in store.iter_vectors(encoder.dimension):
        ids.append(i)
        vecs.append(v)
    ids = np.concatenate(ids)
    vecs = np.concatenate(vecs)
    rows = store.passages(ids.tolist())
    para = np.array([int(rows[i]["source"][1:6]) for i in ids])
    plangs = [rows[i]["lang"] for i in ids]
    texts = [q.text for q in squad.questions]
    if qlang not in cache:
        cache[qlang] = (encoder.encode_documents(texts), [detect_language(t) for t in texts])
    qvecs, qlangs = cache[qlang]
    cos = qvecs @ vecs.T
    pos = {int(i): j for j, i in enumerate(ids)}
    bm25 = np.zeros_like(cos)
    for qi, (t, ql) in enumerate(zip(texts, qlangs)):
        for i, s in lexical_search(store, tokenize(t, ql), 50):
            bm25[qi, pos[i]] = s
    gold = np.array([squad.gold[q.id] for q in squad.questions])
    store.close()
    return {"cos": cos, "bm25": bm25, "para": para, "plangs": plangs, "qlangs": qlangs, "gold": gold,
            "texts": texts, "ptexts": [rows[i]["text"] for i in ids]}


def main() -> None:
    import pickle

    from qa.encoder import encoders

    data = ROOT.parent / "shared" / "bench" / "xquad"
    out = ROOT / "benchmarks" / "out"
    for lang in LANGS:
        ensure_index(data, out, lang)
        print("indexed", lang, flush=True)
    encoder = encoders.get("use-m3")
    cache: dict = {}
    runs = {}
    for lang in LANGS:
        runs[(lang, lang)] = collect(data, out, lang, lang, encoder, cache)
        print("collected", lang, flush=True)
    for q, p in CROSS:
        runs[(q, p)] = collect(data, out, q, p, encoder, cache)
        print("collected", q, p, flush=True)
    with open(out / "fusion_data.pkl", "wb") as fh:
        pickle.dump(runs, fh)


if __name__ == "__main__":
    main()
