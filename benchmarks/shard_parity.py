"""Does a sharded index answer like one index over the same documents?

    PYTHONPATH=. nice -n 10 .venv/bin/python benchmarks/shard_parity.py [--per-lang 50] [--rebuild] [--tag NAME]
                                                                        [--exact-words]

The 960 XQuAD paragraphs of en, de, es and zh (one file each) indexed three times: as one
index, as 2 shards and as 4 shards (`qa index --shards N`, exact search: this size stays
flat). Questions: the first `--per-lang` of each of the 7 languages, so en/de/es/zh questions
are asked in their own language (mono) and ar/ru/vi questions only across languages (cross).
Each is asked of all three in hybrid, lexical and dense mode (k=10); reported per mode and
split: top-1 and top-10 identity with the one index (passages and order), the largest score
difference, weak-flag agreement of the top 10, MRR@10 of each side (gold: the question's
paragraph in any language), in hybrid mode the share of questions whose words translate into
the same index words on both sides and the top-10 identity among those, and the process CPU
per question of each side (a second pass over the questions, every side warm).

The indexes stay in benchmarks/out/shard_parity/ (rebuilt with `--rebuild`); results go to
benchmarks/out/shard_parity[-TAG].json, the one index's hits to shard_parity_one[-TAG].json
(to check that a change leaves one index's answers byte-identical: `--check-one OTHER.json`).
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from common import OUT, XQUAD_LANGS, load_xquad, loadavg, machine, save_json  # noqa: E402

INDEXED = ["en", "de", "es", "zh"]
MODES = ("hybrid", "lexical", "dense")
SIDES = ("one", "shards2", "shards4")


def write_corpus(xquad: dict, folder: Path) -> None:
    for lang in INDEXED:
        (folder / lang).mkdir(parents=True, exist_ok=True)
        for i, text in enumerate(xquad[lang]["contexts"]):
            (folder / lang / f"p{i:04d}.txt").write_text(text, encoding="utf-8")


def build(base: Path, xquad: dict, rebuild: bool) -> None:
    from qa import build_index

    if rebuild and base.exists():
        shutil.rmtree(base)
    if not (base / "docs").exists():
        write_corpus(xquad, base / "docs")
    for side, shards in (("one", None), ("shards2", 2), ("shards4", 4)):
        if not (base / side).exists():
            t = time.perf_counter()
            build_index([base / "docs"], index=base / side, progress=False, shards=shards)
            print(f"built {side} in {time.perf_counter() - t:.1f} s", flush=True)


def paragraph(source: str) -> int:
    return int(Path(source).stem[1:])


def rr(hits, gold: int) -> float:
    for rank, h in enumerate(hits, 1):
        if paragraph(h.source) == gold:
            return 1.0 / rank
    return 0.0


def key(hits) -> list[tuple[str, int]]:
    return [(h.source, h.paragraph) for h in hits]


def translated(r, questions: list[str]) -> list[list[str]]:
    """Each question's words translated into the index's words (`qa.retrieval.question_terms`)."""
    from qa.retrieval import Query, question_terms, vocabulary_of
    from qa.sharded import ShardedRetriever

    if isinstance(r, ShardedRetriever):
        views = [s._view for s in r.shards]
        vocabulary, stored = r._vocabulary(views), lambda w: r._stored_words(views, w)
    else:
        vocabulary, stored = vocabulary_of(r._view), r.store.stored_word_vectors
    return [question_terms(r.encoder, [Query.of(q, "hybrid")], vocabulary, stored)[1][0] for q in questions]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--per-lang", type=int, default=50)
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--tag", default="")
    ap.add_argument("--check-one", default=None, help="a shard_parity_one JSON to compare the one index's hits with")
    ap.add_argument("--exact-words", action="store_true",
                    help="meet the words by the exact product (as under word_index.ANN_FROM words), not an inverted file")
    args = ap.parse_args()
    from qa import Retriever

    if args.exact_words:
        from qa import word_index

        word_index.ANN_FROM = 10 ** 9  # the saved inverted file is not read, none is trained

    xquad = load_xquad()
    if len(xquad) < 7:
        sys.exit("XQuAD not found (../shared/bench/xquad)")
    base = OUT / "shard_parity"
    build(base, xquad, args.rebuild)
    questions = [(lang, q, idx) for lang in XQUAD_LANGS for q, idx in xquad[lang]["questions"][:args.per_lang]]
    retrievers = {side: Retriever.open(base / side) for side in SIDES}
    for _, q, _ in questions[:10]:  # warm up: model, caches, vocabularies
        for r in retrievers.values():
            r.search(q, k=10)
    result: dict = {"machine": machine(), "load_start": loadavg(), "questions": len(questions),
                    "command": "benchmarks/shard_parity.py " + " ".join(sys.argv[1:]),
                    "passages": {side: r.stats()["passages"] for side, r in retrievers.items()}}
    words = {side: translated(r, [q for _, q, _ in questions]) for side, r in retrievers.items()}
    one_dump: dict = {}
    for mode in MODES:
        hits: dict[str, list] = {}
        cpu: dict[str, float] = {}
        for side, r in retrievers.items():
            hits[side] = [r.search(q, k=10, mode=mode) for _, q, _ in questions]
        for side, r in retrievers.items():  # CPU on a second pass: every side as warm as the others
            t = time.process_time()
            for _, q, _ in questions:
                r.search(q, k=10, mode=mode)
            cpu[side] = (time.process_time() - t) / len(questions) * 1000
        one_dump[mode] = [[(h.source, h.paragraph, h.score, h.weak) for h in hs] for hs in hits["one"]]
        per_mode: dict = {"cpu_ms_per_question": cpu}
        for split in ("all", "mono", "cross"):
            chosen = [j for j, (lang, _, _) in enumerate(questions)
                      if split == "all" or (lang in INDEXED) == (split == "mono")]
            row: dict = {"questions": len(chosen),
                         "mrr10": {side: sum(rr(hits[side][j], questions[j][2]) for j in chosen) / len(chosen)
                                   for side in SIDES}}
            for side in SIDES[1:]:
                a, b = hits["one"], hits[side]
                gaps = [abs(x.score - y.score) for j in chosen for x, y in zip(a[j], b[j])]
                weak_pairs = [(x.weak, y.weak) for j in chosen for x, y in zip(a[j], b[j])
                              if (x.source, x.paragraph) == (y.source, y.paragraph)]
                row[side] = {
                    "top1_same": sum(key(a[j][:1]) == key(b[j][:1]) for j in chosen) / len(chosen),
                    "top10_identical": sum(key(a[j]) == key(b[j]) for j in chosen) / len(chosen),
                    "top10_overlap": sum(len(set(key(a[j])) & set(key(b[j]))) / max(1, len(a[j])) for j in chosen)
                    / len(chosen),
                    "max_score_diff": max(gaps, default=0.0),
                    "weak_agreement": sum(x == y for x, y in weak_pairs) / max(1, len(weak_pairs)),
                    "weak_top1_agreement": sum(a[j][0].weak == b[j][0].weak for j in chosen if a[j] and b[j])
                    / len(chosen),
                }
                if mode == "hybrid":  # the word translation's nearest words: the same on both sides?
                    same = [j for j in chosen if words["one"][j] == words[side][j]]
                    row[side]["same_words"] = len(same) / len(chosen)
                    row[side]["top10_identical_same_words"] = (sum(key(a[j]) == key(b[j]) for j in same)
                                                               / max(1, len(same)))
            per_mode[split] = row
        result[mode] = per_mode
        print(mode, json.dumps(per_mode, indent=1), flush=True)
    result["load_end"] = loadavg()
    for r in retrievers.values():
        r.close()
    suffix = f"-{args.tag}" if args.tag else ""
    save_json(OUT / f"shard_parity{suffix}.json", result)
    (OUT / f"shard_parity_one{suffix}.json").write_text(json.dumps(one_dump), encoding="utf-8")
    if args.check_one:
        other = json.loads(Path(args.check_one).read_text(encoding="utf-8"))
        same = json.dumps(other) == json.dumps(json.loads(json.dumps(one_dump)))
        print(f"one index's hits identical to {args.check_one}: {same}")


if __name__ == "__main__":
    main()
