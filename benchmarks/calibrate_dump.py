"""Dump, per XQuAD question, what the weak-match rule and the answer sentence are chosen from:
the hybrid candidates of `Retriever` (fused and dense scores), the gold paragraph, and the top
passages' sentences with their cosines and word overlaps. Off-topic questions too.

    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/calibrate_dump.py OUT.pkl [--data ../shared/bench/xquad] [--every 3] [--model e5-small]

Indexes are built in benchmarks/out/calib-<lang> (the 240 paragraphs of one language;
calib-<model>-<lang> for a model other than the default).
"""
from __future__ import annotations

import argparse
import pickle
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa import Retriever, build_index  # noqa: E402
from qa.answer import sentence_scores  # noqa: E402
from qa.evaluate import write_corpus  # noqa: E402
from qa.language import detect_language, query_tokens, tokenize  # noqa: E402
from qa.retrieval import CANDIDATES, clean_question, gather_candidates, rank_candidates  # noqa: E402
from qa.squad import load_squad  # noqa: E402

LANGS = ["en", "es", "de", "zh", "ar", "ru", "vi"]
CROSS = [("en", "es"), ("zh", "es"), ("de", "es"), ("ru", "es"), ("ar", "es"),
         ("es", "en"), ("de", "en"), ("zh", "en"), ("ru", "en")]
TOP_SENTENCES = 3  # passages per question whose sentences are dumped


def ask(retriever: Retriever, question: str) -> dict:
    question = clean_question(question)
    qlang = detect_language(question)
    qvec = retriever.encoder.encode_query(question)
    found = gather_candidates(retriever._view, qvec, query_tokens(question, qlang), CANDIDATES, "hybrid")
    scored = rank_candidates(found, qlang, "hybrid", retriever.encoder.calibration)
    sentences = found.sentences
    ids = [i for _, _, i in scored]
    rows = retriever.store.passages(ids)
    top = []
    for _, _, i in scored[:TOP_SENTENCES]:
        row = rows[i]
        spans, vectors = sentences.get(i, ([], np.zeros((0, 1))))
        texts = [row["text"][s:e] for s, e in spans]
        qtokens = set(tokenize(question, row["lang"]))
        top.append({"id": i, "text": row["text"], "lang": row["lang"], "spans": spans,
                    "cos": (vectors @ qvec).tolist() if len(spans) else [],
                    "overlap": [len(qtokens & set(tokenize(t, row["lang"]))) / len(qtokens) if qtokens else 0.0
                                for t in texts]})
    return {"qlang": qlang, "fused": [s for s, _, _ in scored], "dense": [d for _, d, _ in scored],
            "source": [rows[i]["source"] if i in rows else None for i in ids],
            "plang": [rows[i]["lang"] if i in rows else None for i in ids],
            "bm25": [s for _, s in found.lexical], "top": top}


def index_for(data: Path, out: Path, lang: str, model: str | None) -> Path:
    folder = out / (f"calib-{lang}" if model is None else f"calib-{model}-{lang}")
    squad = load_squad(data / f"xquad.{lang}.json")
    write_corpus(squad.contexts, folder / "corpus")
    build_index([folder / "corpus"], index=folder, model=model, progress=False)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "bench" / "xquad"))
    parser.add_argument("--work", default=str(ROOT / "benchmarks" / "out"))
    parser.add_argument("--every", type=int, default=1, help="ask every n-th question only (CPU)")
    parser.add_argument("--model", help="model of the indexes (default: use-m3)")
    args = parser.parse_args()
    data, work = Path(args.data), Path(args.work)
    from off_topic import OFF_TOPIC_DEV, OFF_TOPIC_HELD_OUT  # noqa: E402

    runs = [(lang, lang) for lang in LANGS] + CROSS
    dump: dict = {"runs": {}, "off_topic": {}}
    retrievers = {p: Retriever.open(index_for(data, work, p, args.model), model=args.model)
                  for p in sorted({p for _, p in runs})}
    # fused scores are dense_scale * dense + weight * lexical: calibrate_weak.py undoes it
    dump["dense_scale"] = next(iter(retrievers.values())).encoder.calibration.dense_scale
    for q, p in runs:
        squad = load_squad(data / f"xquad.{p}.json", data / f"xquad.{q}.json")
        dump["runs"][f"{q}->{p}"] = [dict(ask(retrievers[p], x.text), gold=f"p{squad.gold[x.id]:05d}.txt",
                                          answers=x.answers) for x in squad.questions]
        print(q, p, flush=True)
    for p in ("en", "es"):
        for split, questions in (("dev", OFF_TOPIC_DEV), ("held_out", OFF_TOPIC_HELD_OUT)):
            dump["off_topic"][f"{split}->{p}"] = [ask(retrievers[p], t) for t in questions]
    for r in retrievers.values():
        r.close()
    Path(args.out).write_bytes(pickle.dumps(dump))


if __name__ == "__main__":
    main()
