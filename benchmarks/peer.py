"""qa and txtai side by side, on equal terms (issue #14).

    .venv/bin/python benchmarks/peer.py [--levels 2000 20000 100000] [--questions 0] [--quick]
                                        [--only quality mixed speed batch]

Both sides use the same encoder (USE-m3 through qa's sentence-transformers module: txtai
gets it as its `transform`), the same questions, and the same kind of search and index:

- **quality**, per-language pools (one language's 240 XQuAD paragraphs, as in
  docs/quality.md), every shared language mono and the nine cross pairs, hybrid against
  hybrid and dense against dense (exact search on both sides: the pools are small). txtai
  indexes the passages qa cut. In the mixed pool (all 1,680 paragraphs) a hit counts two
  ways: the same-language paragraph, or any translation of the right paragraph.
- **speed**, at each level (passages: XQuAD's paragraphs plus corpus files from
  benchmarks/corpus.py): build time from the same files with model load counted (each
  build in a fresh process; txtai reads the files and splits them into paragraphs with its
  own `Segmentation`, as a user would), then single-question p50/p95 with questions
  interleaved (qa, txtai, qa, ...), hybrid and dense, and batch throughput (txtai's
  `batchsearch` against qa's `search_many` and qa one question after another). Below 50k
  passages both search exactly; from 50k qa uses its tuned IVF-SQ8 and txtai an IVF,SQ8
  whose nprobe is raised until its dense recall@10 against its own exact search reaches qa's.
- **batch** (`--only batch --levels 2000`: this stage alone), at each level: hybrid and dense
  throughput of txtai's `batchsearch`, qa's `search_many` and qa's `search` per question, in
  rounds that rotate which side goes first.

Writes benchmarks/out/peer.json; benchmarks/report.py renders it into docs/performance.md.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from common import OUT, XQUAD_LANGS, load_xquad, machine, percentiles, save_json  # noqa: E402

CROSS = [("en", "es"), ("zh", "es"), ("de", "es"), ("ru", "es"), ("ar", "es"),
         ("es", "en"), ("de", "en"), ("zh", "en"), ("ru", "en")]
WORK = OUT / "peer"
K = 10


def log(*args) -> None:
    print(time.strftime("%H:%M:%S"), *args, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- the two sides

class Txtai:
    """A txtai `Embeddings` over (id, text) rows with qa's encoder as its vectors.

    `known` maps passage texts to the vectors qa stored for them, so that the several
    txtai indexes of one level are not each embedded again (their build is timed apart,
    in `cold_build`); questions are always encoded, through the same model as qa's."""

    def __init__(self, encoder, hybrid: bool, components: str = "IDMap,Flat", nprobe: int | None = None,
                 known: dict[str, np.ndarray] | None = None) -> None:
        from txtai import Embeddings

        known = known or {}
        model = encoder.model

        def transform(texts):  # a plain function: txtai calls anything else to get one
            missing = [t for t in texts if t not in known]
            if missing:
                fresh = model.encode_query(missing, normalize_embeddings=True, convert_to_numpy=True,
                                           show_progress_bar=False)
                got = dict(zip(missing, fresh))
            return np.stack([known[t] if t in known else got[t] for t in texts]).astype(np.float32)

        faiss = {"components": components}
        if nprobe:
            faiss["nprobe"] = nprobe
        self.config = {"method": "external", "transform": transform, "content": True, "hybrid": hybrid,
                       "backend": "faiss", "faiss": faiss}
        self.embeddings = Embeddings(self.config)

    def index(self, rows: list[tuple[int, str]]) -> None:
        self.embeddings.index([(i, text, None) for i, text in rows])

    def search(self, question: str, k: int = K) -> list[int]:
        return [int(h["id"]) for h in self.embeddings.search(question, k)]

    def batch(self, questions: list[str], k: int = K) -> list[list[int]]:
        return [[int(h["id"]) for h in hits] for hits in self.embeddings.batchsearch(questions, k)]

    def describe(self) -> dict:
        return {k: v for k, v in self.config.items() if k != "transform"}


def known_vectors(index: Path, rows) -> dict[str, np.ndarray]:
    """Passage text -> the vector qa stored for it."""
    from qa.layout import current_data
    from qa.store import DB_NAME, Store

    store = Store(current_data(index) / DB_NAME)
    ids, vectors = store.all_vectors(int(store.meta()["dimension"]))
    store.close()
    text_of = {i: t for i, t, _ in rows}
    return {text_of[int(i)]: v for i, v in zip(ids, vectors)}


def qa_rows(index: Path) -> list[tuple[int, str, str]]:
    """(passage id, text, source) of every passage of a qa index, in id order."""
    from qa.layout import current_data
    from qa.store import DB_NAME, Store

    store = Store(current_data(index) / DB_NAME)
    rows = store.connection().execute(
        "SELECT p.id, p.text, d.source FROM passages p JOIN documents d ON d.id = p.doc_id ORDER BY p.id").fetchall()
    store.close()
    return [(int(i), t, s) for i, t, s in rows]


def write_pool(folder: Path, contexts: list[str], prefix: str = "") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i, text in enumerate(contexts):
        (folder / f"{prefix}{i:03d}.txt").write_text(text.strip() + "\n", encoding="utf-8")


def ranks(hits: list[str], gold) -> float:
    """Reciprocal rank of the first hit that `gold` accepts within K, else 0."""
    for r, h in enumerate(hits[:K], 1):
        if gold(h):
            return 1.0 / r
    return 0.0


def summary(rr: list[float]) -> dict:
    a = np.asarray(rr)
    return {"mrr_at_10": float(a.mean()), "recall_at_1": float((a == 1).mean()), "n": int(len(a))}


# ---------------------------------------------------------------- quality

def stage_quality(args, encoder, xquad) -> dict:
    """Per-language pools, mono and cross, hybrid and dense, both sides."""
    from qa import build_index
    from qa.retrieval import Retriever

    pools = {}
    for lang in XQUAD_LANGS:
        folder = WORK / "pools" / lang
        shutil.rmtree(folder, ignore_errors=True)
        write_pool(folder / "docs", xquad[lang]["contexts"])
        build_index([folder / "docs"], index=folder / "index", progress=False)
        rows = qa_rows(folder / "index")
        known = known_vectors(folder / "index", rows)
        txt = {mode: Txtai(encoder, hybrid=mode == "hybrid", known=known) for mode in ("hybrid", "dense")}
        for side in txt.values():
            side.index([(i, t) for i, t, _ in rows])
        pools[lang] = (Retriever.open(folder / "index"), txt, {i: s for i, _, s in rows})
    runs = [(lang, lang) for lang in XQUAD_LANGS] + CROSS
    out = {}
    rng = random.Random(7)
    for q, p in runs:
        retriever, txt, source_of = pools[p]
        questions = xquad[q]["questions"]
        if args.questions:
            questions = rng.sample(questions, min(args.questions, len(questions)))
        res = {}
        for mode in ("hybrid", "dense"):
            qa_rr, tx_rr = [], []
            for text, idx in questions:
                want = f"{idx:03d}.txt"
                qa_rr.append(ranks([h.source for h in retriever.search(text, k=K, mode=mode)], want.__eq__))
                tx_rr.append(ranks([source_of[i] for i in txt[mode].search(text)], want.__eq__))
            res[mode] = {"qa": summary(qa_rr), "txtai": summary(tx_rr)}
        out[f"{q}->{p}"] = res
        log(f"quality {q}->{p}: " + ", ".join(f"{m} qa {r['qa']['mrr_at_10']:.3f} txtai {r['txtai']['mrr_at_10']:.3f}"
                                             for m, r in res.items()))
    for retriever, _, _ in pools.values():
        retriever.close()
    return out


def stage_mixed(args, encoder, xquad) -> dict:
    """All 1,680 paragraphs in one pool: a hit is the same-language paragraph, or any translation."""
    from qa import build_index
    from qa.retrieval import Retriever

    folder = WORK / "mixed"
    shutil.rmtree(folder, ignore_errors=True)
    for lang in XQUAD_LANGS:
        write_pool(folder / "docs" / lang, xquad[lang]["contexts"])
    build_index([folder / "docs"], index=folder / "index", progress=False)
    rows = qa_rows(folder / "index")
    source_of = {i: s for i, _, s in rows}
    retriever = Retriever.open(folder / "index")
    known = known_vectors(folder / "index", rows)
    txt = {mode: Txtai(encoder, hybrid=mode == "hybrid", known=known) for mode in ("hybrid", "dense")}
    for side in txt.values():
        side.index([(i, t) for i, t, _ in rows])
    rng = random.Random(11)
    per_lang = args.questions or 170
    out = {}
    for mode in ("hybrid", "dense"):
        scores = {name: {"same_language": [], "any_translation": []} for name in ("qa", "txtai")}
        for lang in XQUAD_LANGS:
            for text, idx in rng.sample(xquad[lang]["questions"], min(per_lang, len(xquad[lang]["questions"]))):
                same = f"{lang}/{idx:03d}.txt"
                anyone = f"/{idx:03d}.txt"
                for name, hits in (("qa", [h.source for h in retriever.search(text, k=K, mode=mode)]),
                                   ("txtai", [source_of[i] for i in txt[mode].search(text)])):
                    scores[name]["same_language"].append(ranks(hits, same.__eq__))
                    scores[name]["any_translation"].append(ranks(hits, lambda s: s.endswith(anyone)))
        out[mode] = {name: {k: summary(v) for k, v in s.items()} for name, s in scores.items()}
        log(f"mixed {mode}: " + json.dumps({n: {k: round(v['mrr_at_10'], 3) for k, v in s.items()}
                                            for n, s in out[mode].items()}))
    retriever.close()
    return out


# ---------------------------------------------------------------- speed

def level_docs(level: int, xquad) -> tuple[Path, int]:
    """A folder of XQuAD's paragraphs plus corpus files up to about `level` passages."""
    folder = WORK / f"level-{level}" / "docs"
    marker = folder.parent / "docs.json"
    if marker.exists():
        return folder, json.loads(marker.read_text())["passages"]
    shutil.rmtree(folder, ignore_errors=True)
    total = 0
    for lang in XQUAD_LANGS:
        write_pool(folder / "xquad" / lang, xquad[lang]["contexts"])
        total += len(xquad[lang]["contexts"])
    if level > total:
        import corpus
        from run_all import corpus_files, pick_files

        if not any(corpus.DEFAULT_OUT.rglob("*.txt")):
            corpus.build(corpus.DEFAULT_OUT)
        for path, n in pick_files(corpus_files(), level - total, seed=level):
            target = folder / "corpus" / path.relative_to(corpus.DEFAULT_OUT)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
            total += n
    marker.write_text(json.dumps({"passages": total}))
    return folder, total


_BUILD_TXTAI = r"""
import json, sys, time
t = time.perf_counter()
from pathlib import Path
from qa.encoder import encoders
from qa.readers import read_document, UnreadableDocument
from txtai import Embeddings
from txtai.pipeline import Segmentation
docs, out, components = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
encoder = encoders.get("use-m3")
split = Segmentation(paragraphs=True)
def rows():
    n = 0
    for path in sorted(p for p in docs.rglob("*") if p.is_file()):
        try:
            text = read_document(path, path.name).text  # txtai has no reader of its own for these files
        except UnreadableDocument:
            continue
        for part in split(text):
            yield (n, part, json.dumps({"source": str(path.relative_to(docs))}))
            n += 1
emb = Embeddings({"method": "external", "transform": lambda t: encoder.encode_documents(list(t)),
                  "content": True, "hybrid": True, "backend": "faiss", "faiss": {"components": components}})
emb.index(rows())
emb.save(out)
print(json.dumps({"seconds": time.perf_counter() - t, "cpu": time.process_time(), "rows": emb.count()}))
"""

_BUILD_QA = r"""
import json, sys, time
t = time.perf_counter()
from qa import build_index
report = build_index([sys.argv[1]], index=sys.argv[2], progress=False)
print(json.dumps({"seconds": time.perf_counter() - t, "cpu": time.process_time(), "rows": report.passages}))
"""


def cold_build(script: str, *argv: str) -> dict:
    env = dict(os.environ, PYTHONPATH=f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}")
    result = subprocess.run([sys.executable, "-c", script, *argv], capture_output=True, text=True, env=env)
    if result.returncode:
        raise RuntimeError(result.stderr[-2000:])
    return json.loads(result.stdout.strip().splitlines()[-1])


def interleaved(questions: list[str], sides: dict) -> dict[str, dict]:
    """Single-question latencies, the sides taking turns on each question."""
    times = {name: [] for name in sides}
    for text in questions:
        for name, call in sides.items():
            t = time.perf_counter()
            call(text)
            times[name].append(time.perf_counter() - t)
    return {name: percentiles(v) for name, v in times.items()}


def stage_speed(args, encoder, xquad) -> dict:
    from qa.retrieval import Retriever
    from qa.vectors import APPROX_THRESHOLD
    from run_all import clear_caches

    out = {}
    rng = random.Random(5)
    pool = [text for lang in XQUAD_LANGS for text, _ in xquad[lang]["questions"]]
    questions = rng.sample(pool, args.queries)
    for level in args.levels:
        docs, _ = level_docs(level, xquad)
        base = WORK / f"level-{level}"
        approx = level >= APPROX_THRESHOLD
        builds = {"qa": [], "txtai": []}
        for round_ in range(args.build_rounds):  # alternate which side builds first
            order = ("qa", "txtai") if round_ % 2 == 0 else ("txtai", "qa")
            for name in order:
                target = base / f"index-{name}"
                shutil.rmtree(target, ignore_errors=True)
                if name == "qa":
                    builds["qa"].append(cold_build(_BUILD_QA, str(docs), str(target)))
                else:
                    builds["txtai"].append(cold_build(_BUILD_TXTAI, str(docs), str(target),
                                                      "IDMap,Flat" if not approx else "IVF,SQ8"))
            log(f"level {level} build round {round_}: " + json.dumps(builds))
        res = {"build": {name: {"seconds": [b["seconds"] for b in runs], "cpu": [b["cpu"] for b in runs],
                                "rows": runs[-1]["rows"]}
                         for name, runs in builds.items()}}
        res["build_ratio"] = float(np.median(res["build"]["qa"]["seconds"]) / np.median(res["build"]["txtai"]["seconds"]))
        # search: txtai over the passages qa cut, the same index kind as qa's
        rows = qa_rows(base / "index-qa")
        res["passages"] = len(rows)
        retriever = Retriever.open(base / "index-qa")
        known = known_vectors(base / "index-qa", rows)
        txt = {}
        for mode in ("hybrid", "dense"):
            if approx:
                txt[mode] = tuned_ivf(encoder, rows, mode == "hybrid", retriever, questions[:100], known)
            else:
                txt[mode] = Txtai(encoder, hybrid=mode == "hybrid", known=known)
                txt[mode].index([(i, t) for i, t, _ in rows])
        res["txtai_config"] = {mode: side.describe() for mode, side in txt.items()}
        res["qa_index"] = retriever.vectors.describe()
        for text in questions[:5]:  # warm both
            retriever.search(text)
            txt["hybrid"].search(text)
        for mode in ("hybrid", "dense"):
            clear_caches(retriever)  # qa keeps question vectors: every timed question is new to both
            res[mode] = interleaved(questions, {"qa": lambda q, m=mode: retriever.search(q, k=K, mode=m),
                                                "txtai": txt[mode].search})
            res[mode]["ratio_p50"] = res[mode]["qa"]["p50"] / res[mode]["txtai"]["p50"]
        res["qa_hybrid_vs_txtai_dense_p50"] = res["hybrid"]["qa"]["p50"] / res["dense"]["txtai"]["p50"]
        res["batch"] = batch_rates(retriever, txt["hybrid"], questions, "hybrid")
        retriever.close()
        out[str(level)] = res
        log(f"level {level}: " + json.dumps({k: v for k, v in res.items() if k in ("build_ratio", "passages")}),
            {m: round(res[m]["ratio_p50"], 2) for m in ("hybrid", "dense")})
    return out


def batch_rates(retriever, side: Txtai, questions: list[str], mode: str) -> dict:
    """Questions per second of qa one question after another, qa's `search_many` and txtai's
    `batchsearch` over the same questions, each call new to qa's caches."""
    from run_all import clear_caches

    calls = {"qa": lambda: [retriever.search(q, k=K, mode=mode) for q in questions],
             "qa_search_many": lambda: retriever.search_many(questions, k=K, mode=mode),
             "txtai": lambda: side.batch(questions)}
    out = {}
    for name, call in calls.items():
        clear_caches(retriever)
        t = time.perf_counter()
        call()
        out[f"{name}_questions_per_s"] = len(questions) / (time.perf_counter() - t)
    return out


def stage_batch(args, encoder, xquad) -> dict:
    """Batch throughput at each level, hybrid and dense: txtai's `batchsearch` against qa's
    `search_many` and qa one question after another, the same questions on the same passages
    (the qa index of the speed stage, built here if missing, and txtai over the passages it
    cut), in `--batch-rounds` rounds whose order of sides rotates; each call new to qa's caches."""
    from qa import build_index
    from qa.retrieval import Retriever
    from qa.vectors import APPROX_THRESHOLD
    from run_all import clear_caches

    out = {}
    rng = random.Random(5)
    pool = [text for lang in XQUAD_LANGS for text, _ in xquad[lang]["questions"]]
    questions = rng.sample(pool, args.queries)
    for level in args.levels:
        docs, _ = level_docs(level, xquad)
        index = WORK / f"level-{level}" / "index-qa"
        build_index([docs], index=index, progress=False)  # incremental: nothing to do when the speed stage built it
        rows = qa_rows(index)
        retriever = Retriever.open(index)
        known = known_vectors(index, rows)
        txt = {}
        for mode in ("hybrid", "dense"):
            if level >= APPROX_THRESHOLD:
                txt[mode] = tuned_ivf(encoder, rows, mode == "hybrid", retriever, questions[:100], known)
            else:
                txt[mode] = Txtai(encoder, hybrid=mode == "hybrid", known=known)
                txt[mode].index([(i, t) for i, t, _ in rows])
        for mode in ("hybrid", "dense"):  # warm every path
            retriever.search_many(questions[:5], k=K, mode=mode)
            txt[mode].batch(questions[:5])
        res: dict = {"passages": len(rows), "questions": len(questions), "qa_index": retriever.vectors.describe(),
                     "txtai_config": {mode: side.describe() for mode, side in txt.items()}}
        seconds: dict[str, dict[str, list[float]]] = {m: {} for m in ("hybrid", "dense")}
        for round_ in range(args.batch_rounds):
            for mode in ("hybrid", "dense"):
                calls = [("qa", lambda m=mode: [retriever.search(q, k=K, mode=m) for q in questions]),
                         ("qa_search_many", lambda m=mode: retriever.search_many(questions, k=K, mode=m)),
                         ("txtai", lambda m=mode: txt[m].batch(questions))]
                calls = calls[round_ % 3:] + calls[:round_ % 3]  # each side first in turn
                for name, call in calls:
                    clear_caches(retriever)
                    t = time.perf_counter()
                    call()
                    seconds[mode].setdefault(name, []).append(time.perf_counter() - t)
        for mode, times in seconds.items():
            qps = {name: len(questions) / float(np.median(v)) for name, v in times.items()}
            res[mode] = {"seconds": times, **{f"{name}_questions_per_s": v for name, v in qps.items()},
                         "search_many_vs_search": qps["qa_search_many"] / qps["qa"],
                         "search_many_vs_txtai": qps["qa_search_many"] / qps["txtai"]}
        retriever.close()
        out[str(level)] = res
        log(f"batch level {level}: " + json.dumps({m: {k: round(v, 2) for k, v in res[m].items() if k != "seconds"}
                                                   for m in ("hybrid", "dense")}))
    return out


def tuned_ivf(encoder, rows, hybrid: bool, retriever, questions: list[str], known) -> Txtai:
    """txtai's IVF,SQ8 with the smallest nprobe whose dense recall@10 against txtai's exact
    search reaches the recall qa's tuned index has against qa's exact search."""
    from qa.vectors import FLAT, VectorIndex

    qvecs = np.stack([encoder.encode_query(q) for q in questions]).astype(np.float32)
    # the exact vectors from the store: qa's index at this size is approximate (IVF-SQ8)
    ids, array = retriever._view.store.all_vectors(encoder.dimension)
    exact = VectorIndex.build(ids, array, kind=FLAT)
    truth = [{i for i, _ in exact.search(v, K)} for v in qvecs]
    got = [{i for i, _ in retriever.vectors.search(v, K)} for v in qvecs]
    target = float(np.mean([len(a & b) / K for a, b in zip(truth, got)]))
    flat = Txtai(encoder, hybrid=False, known=known)
    flat.index([(i, t) for i, t, _ in rows])
    txt_truth = [set(flat.search(q)) for q in questions]
    cells = max(min(round(4 * np.sqrt(len(rows))), len(rows) // 39), 1)
    for nprobe in (8, 16, 32, 64, 128, 256, 512):
        side = Txtai(encoder, hybrid=False, components=f"IVF{cells},SQ8", nprobe=nprobe, known=known)
        side.index([(i, t) for i, t, _ in rows])
        recall = float(np.mean([len(set(side.search(q)) & t) / K for q, t in zip(questions, txt_truth)]))
        log(f"txtai IVF{cells},SQ8 nprobe {nprobe}: recall@10 {recall:.3f} (qa's {target:.3f})")
        if recall >= target or nprobe >= cells:
            break
    side = Txtai(encoder, hybrid=hybrid, components=f"IVF{cells},SQ8", nprobe=nprobe, known=known)
    side.index([(i, t) for i, t, _ in rows])
    side.config["recall_at_10"], side.config["qa_recall_at_10"] = recall, target
    return side


# ---------------------------------------------------------------- report

def render(result: dict) -> tuple[list[str], list[tuple[str, str, bool]], str]:
    """Markdown lines for docs/performance.md, the goals (name, measured, met) and a headline."""
    L: list[str] = ["## 6. Side by side with txtai", "",
                    "`benchmarks/peer.py` (the `peer` stage of `make bench`): txtai with the same encoder "
                    "(USE-m3 through qa's sentence-transformers module as its `transform`), the same passages qa "
                    "cut, the same questions, hybrid against hybrid and dense against dense, exact against exact "
                    "below 50k passages and IVF-SQ8 against IVF-SQ8 tuned to the same recall@10 from 50k. "
                    "qa's dense mode scores a passage by its vector and its best sentence; txtai's by its vector.", ""]
    goals: list[tuple[str, str, bool]] = []
    quality = result.get("quality") or {}
    runs = {k: v for k, v in quality.items() if "->" in k}
    if runs:
        L += ["### Quality, per-language pools (240 XQuAD paragraphs each), MRR@10", "",
              "| run | qa hybrid | txtai hybrid | qa dense | txtai dense |", "|---|---:|---:|---:|---:|"]
        for run, r in runs.items():
            L.append(f"| {run} | {r['hybrid']['qa']['mrr_at_10']:.3f} | {r['hybrid']['txtai']['mrr_at_10']:.3f} | "
                     f"{r['dense']['qa']['mrr_at_10']:.3f} | {r['dense']['txtai']['mrr_at_10']:.3f} |")
        n = next(iter(runs.values()))["hybrid"]["qa"]["n"]
        for mode in ("hybrid", "dense"):
            worse = [run for run, r in runs.items() if r[mode]["qa"]["mrr_at_10"] < r[mode]["txtai"]["mrr_at_10"]]
            qa_mean = float(np.mean([r[mode]["qa"]["mrr_at_10"] for r in runs.values()]))
            tx_mean = float(np.mean([r[mode]["txtai"]["mrr_at_10"] for r in runs.values()]))
            L.append("")
            L.append(f"{mode}: mean qa {qa_mean:.3f}, txtai {tx_mean:.3f}; runs where txtai is ahead: "
                     f"{', '.join(worse) or 'none'} ({n} questions per run).")
            goals.append((f"txtai: quality lead, {mode}, every pool run", f"mean {qa_mean:.3f} vs {tx_mean:.3f}; "
                          f"behind in {len(worse)} of {len(runs)}", not worse))
        L.append("")
    mixed = result.get("mixed") or {}
    if "hybrid" in mixed:
        L += ["### Quality, mixed pool (all 1,680 paragraphs, 7 languages), MRR@10", "",
              "| mode | qa same-language | txtai same-language | qa any translation | txtai any translation |",
              "|---|---:|---:|---:|---:|"]
        for mode in ("hybrid", "dense"):
            m = mixed[mode]
            L.append(f"| {mode} | {m['qa']['same_language']['mrr_at_10']:.3f} | "
                     f"{m['txtai']['same_language']['mrr_at_10']:.3f} | {m['qa']['any_translation']['mrr_at_10']:.3f} | "
                     f"{m['txtai']['any_translation']['mrr_at_10']:.3f} |")
        L.append("")
    speed = {k: v for k, v in (result.get("speed") or {}).items() if isinstance(v, dict) and "hybrid" in v}
    head = []
    if speed:
        L += ["### Speed", "",
              "Questions interleaved (qa, txtai, qa, ...), each new to both sides; builds from the same files in a "
              "fresh process each, model load counted (txtai reads the files through qa's readers and splits them "
              "with its `Segmentation(paragraphs=True)`); batch, hybrid: qa's `search_many`, qa one question after "
              "another, txtai's `batchsearch`.", "",
              "| passages | index | build s qa / txtai (ratio) | hybrid p50 ms qa / txtai (ratio) | hybrid p95 | "
              "dense p50 ms qa / txtai (ratio) | batch q/s qa many / qa one by one / txtai |",
              "|---:|---|---|---|---|---|---|"]
        for level, r in speed.items():
            b = r["build"]
            L.append(f"| {r['passages']:,} | {r['qa_index']} | {np.median(b['qa']['seconds']):.1f} / "
                     f"{np.median(b['txtai']['seconds']):.1f} ({r['build_ratio']:.2f}) | {r['hybrid']['qa']['p50']:.1f} / "
                     f"{r['hybrid']['txtai']['p50']:.1f} ({r['hybrid']['ratio_p50']:.2f}) | "
                     f"{r['hybrid']['qa']['p95']:.1f} / {r['hybrid']['txtai']['p95']:.1f} | {r['dense']['qa']['p50']:.1f} / "
                     f"{r['dense']['txtai']['p50']:.1f} ({r['dense']['ratio_p50']:.2f}) | "
                     f"{r['batch'].get('qa_search_many_questions_per_s', float('nan')):.0f} / "
                     f"{r['batch']['qa_questions_per_s']:.0f} / {r['batch']['txtai_questions_per_s']:.0f} |")
            goals.append((f"txtai: hybrid p50 <= 0.8x at {r['passages']:,}", f"{r['hybrid']['ratio_p50']:.2f}",
                          r["hybrid"]["ratio_p50"] <= 0.8))
            goals.append((f"txtai: qa hybrid p50 <= txtai dense p50 at {r['passages']:,}",
                          f"{r['qa_hybrid_vs_txtai_dense_p50']:.2f}", r["qa_hybrid_vs_txtai_dense_p50"] <= 1))
            goals.append((f"txtai: build <= 0.9x from the same files at {r['passages']:,}", f"{r['build_ratio']:.2f}",
                          r["build_ratio"] <= 0.9))
            head.append(f"{r['passages']:,} passages: hybrid p50 ratio {r['hybrid']['ratio_p50']:.2f}, "
                        f"build ratio {r['build_ratio']:.2f}")
        L.append("")
    batch = {k: v for k, v in (result.get("batch") or {}).items() if isinstance(v, dict) and "hybrid" in v}
    if batch:
        L += ["### Batch throughput", "",
              "The same questions as one batch: qa's `search_many` (questions embedded in model calls of up to "
              "256, one FAISS search per such batch, then per question the lexical search, fusion and answer), "
              "qa's `search` one question after another, txtai's `batchsearch`; rounds rotate which side goes "
              "first, each call new to qa's caches; medians of the rounds.", "",
              "| passages | mode | questions | qa search_many q/s | qa search q/s | txtai batchsearch q/s | "
              "many / search | many / txtai |", "|---:|---|---:|---:|---:|---:|---:|---:|"]
        for level, r in batch.items():
            for mode in ("hybrid", "dense"):
                m = r[mode]
                L.append(f"| {r['passages']:,} | {mode} | {r['questions']} | "
                         f"{m['qa_search_many_questions_per_s']:.0f} | {m['qa_questions_per_s']:.0f} | "
                         f"{m['txtai_questions_per_s']:.0f} | "
                         f"{m['search_many_vs_search']:.2f} | {m['search_many_vs_txtai']:.2f} |")
        L.append("")
    return L, goals, "; ".join(head)


# ---------------------------------------------------------------- main

def run(args) -> dict:
    """Every stage of `args.only` (default: all) into benchmarks/out/peer.json."""
    from qa.encoder import encoders

    encoder = encoders.get("use-m3")
    xquad = load_xquad()
    result = json.loads((OUT / "peer.json").read_text()) if (OUT / "peer.json").exists() and args.only else {}
    result.pop("error", None)
    result.update(machine=machine(), args=vars(args))
    try:
        import txtai  # noqa: F401
    except ImportError as exc:
        return {"error": f"txtai not installed ({exc}); pip install -e '.[bench]'"}
    for stage in args.only or ["quality", "mixed", "speed"]:
        log(f"== peer {stage}")
        t = time.perf_counter()
        result[stage] = globals()[f"stage_{stage}"](args, encoder, xquad)
        result[stage]["seconds"] = time.perf_counter() - t
        save_json(OUT / "peer.json", result)
    return result


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--levels", type=int, nargs="*", default=[2000, 20000, 100000])
    parser.add_argument("--questions", type=int, default=0, help="questions per quality run (0: all)")
    parser.add_argument("--queries", type=int, default=300, help="questions per latency run")
    parser.add_argument("--build-rounds", type=int, default=2)
    parser.add_argument("--batch-rounds", type=int, default=3, help="timed rounds of each side in the batch stage")
    parser.add_argument("--only", nargs="*", choices=["quality", "mixed", "speed", "batch"])
    parser.add_argument("--quick", action="store_true", help="a smoke run: 2k level, 40 questions")
    args = parser.parse_args(argv)
    if args.quick:
        args.levels, args.questions, args.queries, args.build_rounds = [2000], 40, 60, 1
    return args


def write_doc(result: dict, path: Path = ROOT / "docs" / "peer.md") -> Path:
    """docs/peer.md from one run of this script alone (make bench renders the same section
    into docs/performance.md)."""
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    lines, goals, head = render(result)
    m, a = result.get("machine", {}), result.get("args", {})
    intro = ["# qa and txtai side by side", "",
             f"One run of `.venv/bin/python benchmarks/peer.py {' '.join(sys.argv[1:])}` at commit {commit} "
             f"({m.get('cpu', '?')}, {m.get('cores', '?')} cores, load average at start "
             f"{' '.join(m.get('load_average_at_start', []))}; other jobs shared the machine, so absolute times "
             "are inflated and the ratios, measured interleaved, are what counts). "
             f"Quality runs: {a.get('questions') or 'all'} questions each; latency: {a.get('queries')} questions.", ""]
    table = ["## Goals of issue #14 measured here", "", "| goal | measured | met? |", "|---|---|---|"]
    table += [f"| {g} | {v} | {'yes' if ok else '**no**'} |" for g, v, ok in goals]
    path.write_text("\n".join(intro + [l.replace("## 6. ", "## ") for l in lines] + table + [""]), encoding="utf-8")
    return path


def main() -> None:
    result = run(parse_args())
    if "error" not in result:
        print(write_doc(result))


if __name__ == "__main__":
    main()
