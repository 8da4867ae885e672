"""Dump the weak rule's inputs for every XQuAD run of benchmarks/quality.py (issue #15, docs/quality.md
"Session 18"; Session 19's weak19_rules.py reads its every candidate's dense score, `qdense_all`, and
each hit's passage cosine), as `Retriever.search` computes them: the search itself runs, and `make_passages` is
wrapped to record, per question, each shown hit's dense score, lexical evidence, translated-word and
names evidence, best sentence, language, its ranks in the channels, the flag the shipped rule gave,
and question-level figures (the best dense scores among all candidates, the fused scores of the top).

    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/weak18_dump.py OUT.pkl [--every 1]

Indexes: benchmarks/out/index-<lang>, built as `qa.evaluate.evaluate` builds them (quality.py's).
Runs: the 7 monolingual and 9 cross-lingual runs of quality.py (k = 10), and the off-topic sets
(OFF_TOPIC_DEV, OFF_TOPIC_DEV2, OFF_TOPIC_HELD_OUT) against each of the 7 pools.
"""
from __future__ import annotations

import argparse
import pickle
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import qa.retrieval as retrieval  # noqa: E402
from qa import Retriever, build_index  # noqa: E402
from qa.evaluate import _source, write_corpus  # noqa: E402
from qa.fusion import lexical_evidence  # noqa: E402
from qa.squad import load_squad  # noqa: E402

from off_topic import OFF_TOPIC_DEV, OFF_TOPIC_DEV2, OFF_TOPIC_HELD_OUT  # noqa: E402
from quality import CROSS, LANGS  # noqa: E402

K = 10
_record: list[dict] = []
_original = retrieval.make_passages


def _recording(top, rows, encoder, question, qvec, found, passages, qlang, *args, **kwargs):
    hits = _original(top, rows, encoder, question, qvec, found, passages, qlang, *args, **kwargs)
    bm25, words, names = dict(found.lexical), dict(found.words), dict(found.names)
    dense_order = sorted(found.dense.items(), key=lambda x: -x[1])
    dense_rank = {i: r for r, (i, _) in enumerate(dense_order[:50])}
    words_rank = {i: r for r, (i, _) in enumerate(found.words)}
    names_rank = {i: r for r, (i, _) in enumerate(found.names)}
    lex_rank = {i: r for r, (i, _) in enumerate(found.lexical)}
    dims = {d: dv for _, dv, d in top}
    fused = {i: s for s, _, i in top}
    out = []
    for h in hits:
        i = h.id
        sent = retrieval.scored_sentences(found, i, qvec)
        best = int(np.argmax(sent.dense)) if sent is not None and len(sent.dense) else None
        out.append({"id": i, "source": h.source, "plang": h.lang, "weak": h.weak, "fused": fused.get(i),
                    "dense": dims.get(i), "cosine": dict(found.nearest).get(i),
                    "evidence": lexical_evidence(bm25.get(i, 0.0), passages),
                    "words_evidence": lexical_evidence(words.get(i, 0.0), passages),
                    "names_evidence": lexical_evidence(names.get(i, 0.0), passages),
                    "sentence": None if best is None else float(sent.dense[best]),
                    "sentence_chars": 0 if best is None else sent.spans[best][1] - sent.spans[best][0],
                    "dense_rank": dense_rank.get(i), "words_rank": words_rank.get(i),
                    "names_rank": names_rank.get(i), "lex_rank": lex_rank.get(i)})
    _record.append({"qlang": qlang, "hits": out, "qdense": [d for _, d in dense_order[:50]],
                    "qdense_all": [d for _, d in dense_order],
                    "nwords": len(found.words), "nnames": len(found.names), "passages": passages,
                    "qvec": np.asarray(qvec, dtype=np.float32).ravel()})
    return hits


retrieval.make_passages = _recording


def index_for(data: Path, out: Path, lang: str) -> Path:
    index = out / f"index-{lang}"
    squad = load_squad(data / f"xquad.{lang}.json")
    write_corpus(squad.contexts, index / "corpus")
    build_index([index / "corpus"], index=index, progress=False)
    return index


def ask(retriever: Retriever, questions: list[str], golds: list[str] | None) -> list[dict]:
    out = []
    for n, q in enumerate(questions):
        _record.clear()
        hits = retriever.search(q, k=K)
        (rec,) = _record
        assert [h.id for h in hits] == [h["id"] for h in rec["hits"]]
        rec["question"] = q
        for h in rec["hits"]:
            h["gold"] = golds is not None and h["source"] == golds[n]
        out.append(rec)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--every", type=int, default=1)
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "bench" / "xquad"))
    ap.add_argument("--langs", default=",".join(LANGS))
    args = ap.parse_args()
    data, work = Path(args.data), ROOT / "benchmarks" / "out"
    dump: dict = {"runs": {}, "off": {}}
    started = time.process_time()
    for p in args.langs.split(","):
        r = Retriever.open(index_for(data, work, p))
        r.search("warm up", k=K)
        for name, qs in (("off_dev", OFF_TOPIC_DEV), ("off_dev2", OFF_TOPIC_DEV2), ("off_held", OFF_TOPIC_HELD_OUT)):
            dump["off"][f"{name}@{p}"] = ask(r, qs, None)
        for q in [p, *[q for q, pp in CROSS if pp == p]]:
            squad = load_squad(data / f"xquad.{p}.json", data / f"xquad.{q}.json")
            qs = squad.questions[::args.every]
            dump["runs"][f"{q}->{p}"] = ask(r, [x.text for x in qs], [_source(squad.gold[x.id]) for x in qs])
            print(f"{q}->{p} {len(qs)} questions, {time.process_time() - started:.0f} s CPU", flush=True)
        r.close()
        Path(args.out).write_bytes(pickle.dumps(dump))  # after each pool: the first pools are usable early


if __name__ == "__main__":
    main()
