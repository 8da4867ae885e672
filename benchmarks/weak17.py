"""Weak matches in languages the model does not know (docs/quality.md, "Session 17: weak matches in
languages the model does not know").

Collections: the eight folders of benchmarks/weak17/ (one index each; split by language, fixed
before any run by benchmarks/weak17/make_folders.py: dev el hi sw uk, held-out fa bn ka tl) and
Session 17's probe (benchmarks/probe17/, one index of 12 documents, both of its splits: extra dev,
its held-out having been read). Every question is asked with k=5, hybrid, as `Retriever.search`
ranks and flags; per hit the inputs of the weak rule (`qa.fusion.is_weak`'s arguments, recorded
as the search calls it), the hit's language, the share of the question's lexical tokens the hit
holds, and the question's cosines to the collection's passages (their mean and deviation, over
the passages in the hit's language), for rules gridded on dev (benchmarks/weak17_rules.py).

    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/weak17.py --dump benchmarks/out/weak17.pkl
        [--only COLLECTION ...]
"""
from __future__ import annotations

import argparse
import json
import pickle
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import qa.retrieval as retrieval  # noqa: E402
import small_folders  # noqa: E402
from qa import Retriever, build_index  # noqa: E402
from qa.notices import model_languages  # noqa: E402
from qa.retrieval import Query  # noqa: E402

DATA = ROOT / "benchmarks" / "weak17"
PROBE = ROOT / "benchmarks" / "probe17"
OUT = ROOT / "benchmarks" / "out" / "weak17"
K = 5


def flat(text: str) -> str:
    return " ".join(text.split())


def collections() -> dict[str, dict]:
    """name -> {split, index builder, asked: [(question, gold test or None, question language)]}."""
    out = {}
    for path in sorted(DATA.glob("*.json")):
        f = json.loads(path.read_text(encoding="utf-8"))
        asked = [(q["q"], q["gold"], f["lang"]) for q in f["questions"]] + [(q, None, f["lang"]) for q in f["off_topic"]]
        out[path.stem] = dict(split=f["split"], docs=f["docs"], asked=asked, lang=f["lang"])
    for split in ("dev", "heldout"):
        rows = [json.loads(line) for line in (PROBE / f"questions_{split}.jsonl").read_text(encoding="utf-8").splitlines()
                if line.strip()]
        out[f"probe17-{split}"] = dict(split="dev", probe=True, lang="probe17",
                                       asked=[(r["q"], (r["doc"], r["gold"]) if r["doc"] else None, r["lang"]) for r in rows])
    return out


def index_of(name: str, c: dict) -> Path:
    if c.get("probe"):
        build_index([PROBE / "docs"], index=OUT / "probe17" / "index", progress=False)
        return OUT / "probe17" / "index"
    docs = OUT / name / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    for file, text in c["docs"].items():
        (docs / file).write_text(text + "\n", encoding="utf-8")
    build_index([docs], index=OUT / name / "index", progress=False)
    return OUT / name / "index"


def is_gold(hit, gold) -> bool:
    if isinstance(gold, tuple):
        return Path(hit.source).stem == gold[0] and gold[1] in flat(hit.text)
    return gold in hit.text


def run(names: list[str]) -> list[dict]:
    cols = collections()
    recorder = small_folders.Recorder()
    retrieval.is_weak = recorder
    records = []
    try:
        for name in names:
            c = cols[name]
            r = Retriever.open(index_of(name, c))
            view = r._view
            known = model_languages(view.encoder)
            n = r.stats()["passages"]
            ids, vectors = view.store.all_vectors(view.encoder.dimension)
            rows = view.store.passage_langs([int(i) for i in ids])
            for question, gold, lang in c["asked"]:
                recorder.calls.clear()
                hits = r.search(question, k=K)
                query = Query.of(question, "hybrid", languages=r.store.languages)
                tokens = list(dict.fromkeys(query.tokens or []))
                terms = small_folders.term_weights(r.store, tokens, n)
                qvec = view.encoder.encode_query(question)
                cos = vectors @ qvec
                langs_all = [h.lang for h in hits]
                per_hit = []
                for h, args in zip(hits, recorder.calls):
                    same = np.array([rows.get(int(i)) == h.lang for i in ids]) if rows else np.ones(len(ids), bool)
                    pool = cos[same] if same.sum() >= 3 else cos
                    met = sum(1 for t in tokens if t in terms and h.id in terms[t][1])
                    per_hit.append(dict(args, lang=h.lang, id=h.id, weak=h.weak, met=met, mu=float(pool.mean()),
                                        sd=float(pool.std()), top_cos=float(pool.max())))
                rank = next((h.rank for h in hits if gold is not None and is_gold(h, gold)), None)
                records.append(dict(collection=name, split=c["split"], folder_lang=c["lang"], question=question,
                                    lang=lang, qlang=query.lang, known=bool(known) and query.lang in known,
                                    gold=gold, passages=n, rank=rank, tokens=len(tokens), hits=per_hit,
                                    terms={t: (terms[t][0], sorted(terms[t][1])) if t in terms else (0, []) for t in tokens}))
            r.close()
    finally:
        retrieval.is_weak = recorder.original
    return records


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dump", type=Path, required=True)
    ap.add_argument("--only", nargs="*")
    args = ap.parse_args()
    names = args.only or list(collections())
    records = run(names)
    args.dump.parent.mkdir(parents=True, exist_ok=True)
    args.dump.write_bytes(pickle.dumps(records))
    for name in names:
        part = [r for r in records if r["collection"] == name]
        gold = [r for r in part if r["gold"] is not None and r["rank"]]
        off = [r for r in part if r["gold"] is None]
        print(f"{name}: passages {part[0]['passages']}, gold in top {K} {len(gold)}/{sum(r['gold'] is not None for r in part)}, "
              f"gold shown weak {sum(r['hits'][r['rank'] - 1]['weak'] for r in gold)}, "
              f"off-topic passing {sum(bool(r['hits']) and not r['hits'][0]['weak'] for r in off)}/{len(off)}")


if __name__ == "__main__":
    main()
