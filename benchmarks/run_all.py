"""The speed-and-scale benchmark suite: one command, results in docs/performance.md.

    python benchmarks/run_all.py                      # everything, default sizes
    python benchmarks/run_all.py --sample 8000 --levels 10000 100000 1000000

Stages (each writes benchmarks/out/<stage>.json; `--only` reruns some, the report is
always rewritten from what is there):

  corpus      Debian man pages (fr, de, es, zh) + Python docs -> benchmarks/data/corpus
  throughput  build_index vs encode-only on the same paragraphs, interleaved rounds
  synth       passage stores at each level: real paragraphs, vectors = real embeddings + noise
  retune      the automatic nprobe tuning re-run on saved approximate indexes
  incremental unchanged / one file changed / 1% deleted, on the sample index and the levels
  latency     Retriever.search as shipped (k=5, answers), per level and index type, breakdown
  chosen      recall@10 of each saved (automatic) index on real questions
  memory      peak RSS of a process serving queries, per level
  cold        `qa ask` from process start to printed answer on the seed index (benchmarks/cold_start.py)
  peer        txtai with the same encoder, hybrid, same passages: build and query ratios, XQuAD recall
  ann         recall@10 vs latency of approximate settings, against exact search
  real        the real corpus embedded for real (~250k passages): the automatic IVF against exact search
              on XQuAD questions whose paragraphs it holds (benchmarks/real_ivf.py, ~30 min)

Everything is measured in one run on a shared machine: read the ratios, not the absolutes.
"""
from __future__ import annotations

import argparse
import dataclasses
import gc
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import DATA, OUT, ROOT, XQUAD_LANGS, load_xquad, loadavg, machine, percentiles, save_json  # noqa: E402

STAGES = ["corpus", "throughput", "synth", "retune", "incremental", "latency", "chosen", "memory", "cold", "peer",
          "ann", "real"]
MAN_LANG = {"man-fr": "fr", "man-de": "de", "man-es": "es", "man-zh": "zh", "python-doc": "en"}


def log(*args) -> None:
    print(time.strftime("%H:%M:%S"), *args, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- corpus and sample

def stage_corpus(args) -> dict:
    import corpus

    stats = corpus.build(corpus.DEFAULT_OUT)
    log("corpus:", stats["files"], "files,", stats["paragraphs"], "paragraphs")
    return stats


def corpus_files() -> list[Path]:
    base = DATA / "corpus"
    return sorted(p for p in base.rglob("*") if p.suffix in (".txt", ".html"))


def count_passages(path: Path) -> int:
    from qa.passages import chunk_document
    from qa.readers import UnreadableDocument, read_document

    try:
        return len(chunk_document(read_document(path, path.name), 1500, None))
    except UnreadableDocument:
        return 0


def pick_files(files: list[Path], target: int, seed: int) -> list[tuple[Path, int]]:
    """Random files (all languages mixed) until `target` passages."""
    rng = random.Random(seed)
    files = files[:]
    rng.shuffle(files)
    picked, total = [], 0
    for f in files:
        if total >= target:
            break
        n = count_passages(f)
        if n:
            picked.append((f, n))
            total += n
    return picked


def xquad_files(folder: Path, xquad: dict) -> dict[str, tuple[str, int]]:
    """Write the XQuAD contexts as one file each; {source: (lang, context index)}."""
    mapping = {}
    for lang, d in xquad.items():
        sub = folder / "xquad" / lang
        sub.mkdir(parents=True, exist_ok=True)
        for i, ctx in enumerate(d["contexts"]):
            (sub / f"{i:03d}.txt").write_text(ctx.strip() + "\n", encoding="utf-8")
            mapping[f"xquad/{lang}/{i:03d}.txt"] = (lang, i)
    return mapping


# ---------------------------------------------------------------- throughput

def stage_throughput(args) -> dict:
    """build_index and encode-only on the same paragraphs, in interleaved rounds."""
    from qa import build_index
    from qa.encoder import encoders
    from qa.indexer import _prepare, _Prepared

    work = OUT / "sample"
    shutil.rmtree(work, ignore_errors=True)
    staged = work / "staged"
    docs = work / "docs"
    staged.mkdir(parents=True)
    docs.mkdir(parents=True)
    picked = pick_files(corpus_files(), args.sample, seed=1)
    for f, _ in picked:
        rel = f.relative_to(DATA / "corpus")
        (staged / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(f, staged / rel)
    xq = load_xquad()
    xquad_files(staged, xq)
    all_files = sorted(p for p in staged.rglob("*") if p.is_file())
    rng = random.Random(2)
    rng.shuffle(all_files)
    rounds = [all_files[i::args.rounds] for i in range(args.rounds)]

    encoder = encoders.get("use-m3")  # loaded once, outside every timing
    encoder.encode_documents(["warm up"] * 64)
    index = work / "index"
    raw_s = build_s = 0.0
    raw_n = build_n = 0
    per_round = []
    for r, files in enumerate(rounds):
        # the texts exactly as build_index will embed them (parsed outside the timing)
        texts = []
        for f in files:
            item = _prepare(_Prepared(f, str(f), 0, 0, None), encoder.max_chars)
            texts.extend(p.text for p in item.passages)
        t = time.perf_counter()
        for i in range(0, len(texts), 256):
            encoder.encode_documents(texts[i:i + 256])
        raw = time.perf_counter() - t
        for f in files:  # the round's files appear in the indexed folder
            dest = docs / f.relative_to(staged)
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.link(f, dest)
        t = time.perf_counter()
        report = build_index([docs], index=index, progress=False)
        build = time.perf_counter() - t
        assert report.passages_embedded == len(texts), (report.passages_embedded, len(texts))
        raw_s += raw
        build_s += build
        raw_n += len(texts)
        build_n += report.passages_embedded
        per_round.append({"passages": len(texts), "raw_pps": len(texts) / raw, "build_pps": len(texts) / build,
                          "load": loadavg()})
        log(f"throughput round {r + 1}/{args.rounds}: {len(texts)} passages, raw {len(texts) / raw:.0f}/s, "
            f"build {len(texts) / build:.0f}/s")
    result = {"files": len(all_files), "passages": build_n, "corpus_files": len(picked),
              "xquad_contexts": sum(len(d["contexts"]) for d in xq.values()),
              "raw_pps": raw_n / raw_s, "build_pps": build_n / build_s, "ratio": (build_n / build_s) / (raw_n / raw_s),
              "raw_seconds": raw_s, "build_seconds": build_s, "rounds": per_round,
              "encoder_workers": getattr(encoder.model[0], "threads", None), "encoder_backend": type(encoder.model).__name__}
    log(f"throughput: raw {result['raw_pps']:.0f}/s, build {result['build_pps']:.0f}/s, ratio {result['ratio']:.2f}")
    return result


# ---------------------------------------------------------------- incremental

def stage_incremental(args) -> dict:
    from qa import build_index

    work = OUT / "sample"
    docs, index = work / "docs", work / "index"
    out = {}
    report = build_index([docs], index=index, progress=False)
    out["unchanged"] = {"seconds": report.seconds, "passages": report.passages,
                        "embedded": report.passages_embedded,
                        "seconds_per_10k": report.seconds / report.passages * 10000}
    # one file changed: a paragraph appended to a corpus file
    files = sorted(p for p in docs.rglob("*.txt") if "xquad" not in p.parts)
    target = files[len(files) // 2]
    text = target.read_text(encoding="utf-8")
    target.unlink()  # it is a hard link to the staged copy: write a new file
    target.write_text(text + "\n\nA paragraph added for the incremental benchmark.\n", encoding="utf-8")
    from qa.layout import current_data
    from qa.store import DB_NAME, Store

    store = Store(current_data(index) / DB_NAME)
    source = target.relative_to(docs).as_posix()
    doc = next(d for d in store.documents() if d["source"] == source)
    store.close()
    report = build_index([docs], index=index, progress=False)
    out["one_changed"] = {"seconds": report.seconds, "embedded": report.passages_embedded,
                          "file_passages_after": doc["passages"] + 1, "updated": report.updated,
                          "passages": report.passages}
    # 1% of the files deleted
    every = sorted(p for p in docs.rglob("*") if p.is_file())
    # 1% of all files, taken among the corpus files (the XQuAD paragraphs stay for `peer`)
    corpus_docs = [p for p in every if "xquad" not in p.parts and p != target]
    victims = random.Random(3).sample(corpus_docs, min(len(corpus_docs), max(1, len(every) // 100)))
    for v in victims:
        v.unlink()
    report = build_index([docs], index=index, progress=False)
    out["one_percent_deleted"] = {"seconds": report.seconds, "removed": report.removed, "files_before": len(every),
                                  "embedded": report.passages_embedded, "passages": report.passages}
    # unchanged at the larger levels (stores made by `synth` from the real files)
    for level in args.levels:
        folder = OUT / f"level-{level}"
        if (folder / "docs").is_dir():
            # `synth` writes rows and vectors only: the first pass adds what `qa index` also makes
            # (document heads, the word vocabulary below 50k passages); the second is the unchanged one
            first = build_index([folder / "docs"], index=folder / "index", progress=False)
            report = build_index([folder / "docs"], index=folder / "index", progress=False)
            out[f"unchanged_{level}"] = {"seconds": report.seconds, "passages": report.passages,
                                         "embedded": report.passages_embedded,
                                         "seconds_per_10k": report.seconds / max(1, report.passages) * 10000,
                                         "completion_seconds": first.seconds,
                                         "completion_embedded": first.passages_embedded}
    log("incremental:", json.dumps(out))
    return out


# ---------------------------------------------------------------- synthetic stores

def _light_prepare(job):
    """A file cut into passages with tokens, one language per file (no per-passage language id)."""
    path, lang = job
    from qa.language import tokenize
    from qa.passages import chunk_document
    from qa.readers import UnreadableDocument, read_document
    from qa.sentences import sentence_spans

    data = Path(path).read_bytes()
    try:
        doc = read_document(Path(path), path, data)
    except UnreadableDocument:
        return None
    chunks = chunk_document(doc, 1500, lang)
    passages = [(c.paragraph, c.start, c.end, c.page, doc.text[c.start:c.end]) for c in chunks]
    return {"hash": hashlib.blake2b(data, digest_size=16).hexdigest(), "title": doc.title, "date": doc.date,
            "text": doc.text, "passages": passages,
            "tokens": [" ".join(tokenize(p[4], lang)) for p in passages],
            "sentences": [sentence_spans(p[4], lang) for p in passages]}


def real_vectors(limit: int = 50000) -> np.ndarray:
    from qa.layout import current_data
    from qa.store import DB_NAME, Store

    store = Store(current_data(OUT / "sample" / "index") / DB_NAME)
    _, vectors = store.all_vectors(512)
    store.close()
    return vectors[:limit]


def synthetic_vectors(pool: np.ndarray, n: int, rng: np.random.Generator, noise: float = 0.035) -> np.ndarray:
    """Real embeddings plus Gaussian noise (cosine ~0.8 to their source), normalised."""
    return noisy(pool[rng.integers(0, len(pool), n)], rng, noise)


def noisy(base: np.ndarray, rng: np.random.Generator, noise: float = 0.035) -> np.ndarray:
    out = base + rng.normal(0, noise, base.shape).astype(np.float32)
    out /= np.linalg.norm(out, axis=1, keepdims=True)
    return out


def make_level(level: int, parsed: list[tuple[Path, str, dict]], pool: np.ndarray, replicate: bool) -> dict:
    """A complete index folder of `level` passages: store rows from real files, synthetic vectors."""
    from qa.compat import VERSIONS, probe_record
    from qa.encoder import encoders
    from qa.indexer import READER_VERSIONS, write_manifest
    from qa.language import identifier_record
    from qa.layout import current_data
    from qa.store import DB_NAME, NewPassage, Store
    from qa.vectors import VectorIndex

    folder = OUT / f"level-{level}"
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "index").mkdir(parents=True)
    docs = folder / "docs"
    # the tokens and passages below are made by this qa: its versions, or search refuses the level
    store = Store(folder / "index" / DB_NAME, create=True, versions=VERSIONS)
    with store.transaction() as conn:
        # the readers of this qa made the rows: an unchanged re-index must not read the files again
        # the model's probe, as `qa index` records it: opening the level checks the model by it, not by
        # a stored passage embedded again (its vector here is another paragraph's, plus noise)
        # and the language identifier the rows' languages came from (`qa index` records it when it
        # makes a store, `Store.relabel`): without it opening a level said it "was made with another
        # language identifier"
        store.set_meta(conn, model="use-m3", dimension="512",
                       reader_versions=json.dumps(READER_VERSIONS, sort_keys=True),
                       model_probe=probe_record(encoders.get("use-m3").probe()), identifier=identifier_record())
    rng = np.random.default_rng(level)
    total, copy = 0, 0
    t = time.perf_counter()
    while total < level:
        batch_docs = 0
        conn = store.connection()
        conn.execute("BEGIN IMMEDIATE")
        for path, lang, item in parsed:
            if total >= level:
                break
            rel = path.relative_to(DATA / "corpus").as_posix()
            if copy == 0 and not replicate:
                dest = docs / rel  # a real folder: unchanged re-index can be measured on it
                dest.parent.mkdir(parents=True, exist_ok=True)
                os.link(path, dest)
                st = dest.stat()
                source, size, mtime = rel, st.st_size, st.st_mtime_ns
            else:
                source, size, mtime = f"copy{copy}/{rel}", 0, 0
            passages = item["passages"][: level - total]
            vectors = synthetic_vectors(pool, len(passages), rng)
            news = [NewPassage(p[0], p[1], p[2], p[3], lang, p[4], [tokens], spans)
                    for p, tokens, spans in zip(passages, item["tokens"], item["sentences"])]
            # each sentence: its passage's vector plus noise, as real sentence vectors sit
            # near their passage's (cosine ~0.8)
            counts = [len(n.sentences) for n in news]
            flat = noisy(np.repeat(vectors, counts, axis=0), rng)
            cuts = np.cumsum(counts)[:-1]
            store.insert_document(conn, source, item["hash"], size, mtime, item["title"], item["date"], lang,
                                  item["text"], news, vectors, np.split(flat, cuts))
            total += len(passages)
            batch_docs += 1
        store.bump_generation(conn)
        conn.execute("COMMIT")
        copy += 1
        if not replicate:
            break
    log(f"level {level}: store of {total} passages in {time.perf_counter() - t:.0f} s")
    ids, vectors = store.all_vectors(512)
    timings = {}
    t = time.perf_counter()
    index = VectorIndex.build(ids, vectors)  # the automatic choice
    timings["faiss_build_seconds"] = time.perf_counter() - t
    index.save(folder / "index", store.generation())
    write_manifest(folder / "index", store, "use-m3", 512, index.kind, index.params)
    store.close()
    log(f"level {level}: {index.describe()} in {timings['faiss_build_seconds']:.0f} s")
    return {"passages": int(total), "kind": index.kind, "params": index.params, "replicated": replicate,
            "copies": copy, **timings}


def stage_synth(args) -> dict:
    from concurrent.futures import ProcessPoolExecutor

    pool = real_vectors()
    files = corpus_files()
    random.Random(5).shuffle(files)
    jobs = [(str(f), MAN_LANG.get(f.relative_to(DATA / "corpus").parts[0], "en")) for f in files]
    t = time.perf_counter()
    with ProcessPoolExecutor(os.cpu_count() or 2) as ex:
        results = list(ex.map(_light_prepare, jobs, chunksize=8))
    parsed = [(Path(j[0]), j[1], r) for j, r in zip(jobs, results) if r and r["passages"]]
    n_real = sum(len(r["passages"]) for _, _, r in parsed)
    log(f"synth: parsed {len(parsed)} files, {n_real} passages in {time.perf_counter() - t:.0f} s")
    out = {"real_passages_available": n_real, "vector_pool": len(pool), "levels": {}}
    for level in args.levels:
        out["levels"][str(level)] = make_level(level, parsed, pool, replicate=level > n_real)
        gc.collect()
    return out


def stage_retune(args) -> dict:
    """Re-run only the automatic nprobe tuning of the saved approximate indexes (what a
    fresh build with the current qa.vectors gives: training and adding do not depend on it)."""
    from qa.layout import current_data
    from qa.store import DB_NAME, Store
    from qa.vectors import VectorIndex, exact_topk, tune_nprobe, tuning_queries

    out = {}
    synth_path = OUT / "synth.json"
    synth = json.loads(synth_path.read_text()) if synth_path.exists() else None
    for level in args.levels:
        folder = OUT / f"level-{level}" / "index"
        if not folder.exists():
            continue
        store = Store(current_data(folder) / DB_NAME)
        generation = store.generation()
        vi = VectorIndex.load(folder, 512, generation, mmap=False)
        if vi is None or vi.kind == "flat":
            store.close()
            continue
        ids, vectors = store.all_vectors(512)
        queries = tuning_queries(vectors)
        truth = exact_topk(vectors, ids, queries)
        nprobe, recall = tune_nprobe(vi.index, queries, truth)
        vi.params.update(nprobe=int(nprobe), recall_at_10=round(float(recall), 4))
        vi.save(folder, generation)
        from qa.indexer import write_manifest

        write_manifest(folder, store, "use-m3", 512, vi.kind, vi.params)
        store.close()
        out[str(level)] = vi.params
        if synth and str(level) in synth.get("levels", {}):
            synth["levels"][str(level)]["params"] = vi.params
        log(f"retune {level}: {vi.describe()}")
        del ids, vectors
    if synth:
        save_json(synth_path, synth)
    return out


def real_queries(args) -> np.ndarray:
    """XQuAD questions in every language, embedded as `qa` embeds questions."""
    from qa.encoder import encoders

    encoder = encoders.get("use-m3")
    qs = questions(args.ann_queries // len(XQUAD_LANGS) + 1)[: args.ann_queries]
    return np.stack([encoder.encode_query(q) for _, q, _ in qs]).astype(np.float32)


def levels_with_truth(levels, queries: np.ndarray):
    """(level, index folder, store generation, ids, vectors, exact top-10 ids per query) of each built level."""
    from qa.layout import current_data
    from qa.store import DB_NAME, Store
    from qa.vectors import exact_topk

    for level in levels:
        folder = OUT / f"level-{level}" / "index"
        if not folder.exists():
            continue
        store = Store(current_data(folder) / DB_NAME)
        ids, vectors = store.all_vectors(512)
        generation = store.generation()
        store.close()
        yield level, folder, generation, ids, vectors, exact_topk(vectors, ids, queries, 10)


def stage_chosen(args) -> dict:
    """Recall@10 of each saved (automatically chosen) index on real questions."""
    from qa.vectors import VectorIndex, recall_at_k

    queries = real_queries(args)
    out = {}
    for level, folder, generation, ids, vectors, truth in levels_with_truth(args.levels, queries):
        vi = VectorIndex.load(folder, 512, generation)
        _, found = vi.index.search(queries, 10)  # both index types return passage ids
        out[str(level)] = {"kind": vi.kind, **vi.params, "recall_at_10_real_queries": recall_at_k(found, truth),
                           "queries": int(len(queries))}
        log(f"chosen {level}: {out[str(level)]}")
        del ids, vectors
    return out


# ---------------------------------------------------------------- latency

def questions(n_per_lang: int, seed: int = 7) -> list[tuple[str, str, int]]:
    xq = load_xquad()
    out = []
    for lang, d in xq.items():
        qs = d["questions"][:]
        random.Random(seed).shuffle(qs)
        out.extend((lang, q, idx) for q, idx in qs[:n_per_lang])
    random.Random(seed).shuffle(out)
    return out


class Breakdown:
    """Wall time of each step of `Retriever.search`, by wrapping the objects it calls (the names
    `Retriever` calls today: `encode_queries`, `search_many`, `candidate_data`, the mapped
    sentence matrix; a name no longer called would leave its column empty without an error)."""

    def __init__(self, retriever) -> None:
        import qa.retrieval as R

        self.t: dict[str, float] = {}
        self.retriever = retriever
        self._R = R
        self._wrapped: list[tuple[object, str, bool, object]] = []
        self._local = threading.local()  # the steps under way in each thread
        view = retriever._view
        enc, store = view.encoder, view.store
        self._wrap(enc, "encode_queries", "encode query")
        for name in ("bm25", "bm25_with"):
            self._wrap(store, name, "lexical (FTS5)")
        for name in ("candidate_data", "vectors_for", "passages", "places"):
            self._wrap(store, name, "store fetch")
        self._wrap(store, "sentence_vectors", "sentence vectors")
        if getattr(view, "sentences", None) is not None:  # the mapped sentence matrix (qa.sentence_matrix)
            self._wrap(view.sentences, "sentence_vectors", "sentence vectors")
        orig_best = R.best_sentence

        def best(*a, **k):
            t = time.perf_counter()
            try:
                return orig_best(*a, **k)
            finally:
                self.t["answers"] = self.t.get("answers", 0.0) + time.perf_counter() - t

        R.best_sentence = best
        self._orig_best = orig_best

    def wrap_vectors(self) -> None:
        for name in ("search", "search_many"):
            self._wrap(self.retriever.vectors, name, "dense (FAISS)")

    def _wrap(self, obj, name: str, label: str) -> None:
        fn = getattr(obj, name, None)
        if fn is None:
            return
        local = self._local

        def timed(*a, **k):
            inside = local.__dict__.setdefault("labels", set())
            if label in inside:  # a step calling its own kind (the matrix reads the store): counted once
                return fn(*a, **k)
            inside.add(label)
            t = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                inside.discard(label)
                self.t[label] = self.t.get(label, 0.0) + time.perf_counter() - t

        self._wrapped.append((obj, name, name in vars(obj), vars(obj).get(name)))
        setattr(obj, name, timed)

    def undo(self) -> None:
        """The wrapped objects as they were (the encoder is shared by every `Retriever`)."""
        self._R.best_sentence = self._orig_best
        for obj, name, had, old in reversed(self._wrapped):
            if had:
                setattr(obj, name, old)
            else:
                delattr(obj, name)
        self._wrapped.clear()


def clear_caches(retriever) -> None:
    from qa.answer import token_set
    try:
        from qa.answer import sentence_tokens
    except ImportError:  # an older checkout (benchmarks/compare_checkouts.py)
        sentence_tokens = None
    from qa.sentences import _cached_spans

    retriever.encoder._cache.clear()
    retriever.encoder._sentences.clear()
    _cached_spans.cache_clear()
    token_set.cache_clear()
    if sentence_tokens is not None:
        sentence_tokens.cache_clear()


def use_vectors(retriever, index) -> None:
    """Search `retriever` with another vector index of the same passages (its view is one
    consistent record: replaced whole, as a reload does)."""
    retriever._view = dataclasses.replace(retriever._view, vectors=index)


def stage_latency(args) -> dict:
    from qa.retrieval import Retriever
    from qa.vectors import FLAT, IVF_SQ8, VectorIndex

    qs = questions(args.queries // len(XQUAD_LANGS) + 1)[: args.queries]
    out = {}
    for level in args.levels:
        folder = OUT / f"level-{level}" / "index"
        if not folder.exists():
            continue
        retriever = Retriever.open(folder)
        saved = retriever.vectors
        ids = vectors = None
        for kind in (FLAT, IVF_SQ8):
            if kind == saved.kind:
                use_vectors(retriever, saved)
            else:
                if ids is None:
                    ids, vectors = retriever.store.all_vectors(512)
                t = time.perf_counter()
                use_vectors(retriever, VectorIndex.build(ids, vectors, kind=kind))
                log(f"latency {level}: built {kind} in {time.perf_counter() - t:.0f} s")
            clear_caches(retriever)
            for q in ("warm up the path", "Wie geht das?", "comment ça marche"):
                retriever.search(q)
            clear_caches(retriever)
            bd = Breakdown(retriever)
            bd.wrap_vectors()
            times = []
            for _, q, _ in qs:
                t = time.perf_counter()
                retriever.search(q, k=5)
                times.append(time.perf_counter() - t)
            bd.undo()
            stats = percentiles(times)
            stats["breakdown_ms"] = {k: v / len(times) * 1000 for k, v in sorted(bd.t.items())}
            stats["index"] = retriever.vectors.info()
            stats["load"] = loadavg()
            out.setdefault(str(level), {})[kind] = stats
            log(f"latency {level} {kind}: p50 {stats['p50']:.1f} p95 {stats['p95']:.1f} p99 {stats['p99']:.1f} ms "
                f"{ {k: round(v, 1) for k, v in stats['breakdown_ms'].items()} }")
            if kind != saved.kind:
                use_vectors(retriever, saved)
        # repeated questions (query and sentence caches warm): the bounded caches at work
        times = []
        for _, q, _ in qs[:50]:
            t = time.perf_counter()
            retriever.search(q, k=5)
            times.append(time.perf_counter() - t)
        out[str(level)]["repeated"] = percentiles(times)
        retriever.close()
        del ids, vectors
        gc.collect()
    return out


# ---------------------------------------------------------------- approximate search settings

def stage_ann(args) -> dict:
    import faiss

    from qa.vectors import NPROBES, nlist_for, recall_at_k, train_ivf

    queries = real_queries(args)
    out = {}
    for level, folder, _, ids, vectors, truth in levels_with_truth(args.ann_levels, queries):
        results = []
        stamp = json.loads((folder / "vectors.json").read_text())

        def sweep(label, index, params_list, setter):
            for p in params_list:
                setter(index, p)
                _, pos = index.search(queries, 10)
                found = pos if label.startswith("IVF") else np.where(pos >= 0, ids[np.clip(pos, 0, None)], -1)
                recall = recall_at_k(found, truth)
                times = []
                for q in queries[:200]:
                    t = time.perf_counter()
                    index.search(q[None, :], 50)
                    times.append(time.perf_counter() - t)
                st = percentiles(times)
                results.append({"index": label, "param": p, "recall_at_10": recall, "p50_ms": st["p50"],
                                "p95_ms": st["p95"]})
                log(f"ann {level} {label} {p}: recall@10 {recall:.3f} p50 {st['p50']:.2f} ms")

        from qa.vectors import _all_cores_for_blas

        nlist = nlist_for(len(ids))
        t = time.perf_counter()
        with _all_cores_for_blas():
            sq8 = train_ivf(vectors, nlist, sq=True)
            sq8.add_with_ids(vectors, ids)
        log(f"ann {level}: IVF-SQ8 built in {time.perf_counter() - t:.0f} s")
        sweep(f"IVF{nlist},SQ8", sq8, [p for p in NPROBES if p <= nlist], lambda ix, p: setattr(ix, "nprobe", p))
        del sq8
        if len(ids) <= args.hnsw_max:  # the float variants only where they fit the time
            with _all_cores_for_blas():
                flat_ivf = train_ivf(vectors, nlist, sq=False)
                flat_ivf.add_with_ids(vectors, ids)
            sweep(f"IVF{nlist},Flat", flat_ivf, [p for p in NPROBES if p <= nlist],
                  lambda ix, p: setattr(ix, "nprobe", p))
            del flat_ivf
            t = time.perf_counter()
            hnsw = faiss.IndexHNSWFlat(512, 32, faiss.METRIC_INNER_PRODUCT)
            hnsw.hnsw.efConstruction = 80
            hnsw.add(vectors)
            log(f"ann {level}: HNSW32 built in {time.perf_counter() - t:.0f} s")
            sweep("HNSW32", hnsw, [16, 32, 64, 128, 256], lambda ix, p: setattr(ix.hnsw, "efSearch", p))
            del hnsw
        # the automatic choice saved in the index, checked on real questions
        chosen = None
        if stamp.get("kind") != "flat":
            from qa.vectors import VectorIndex

            vi = VectorIndex.load(folder, 512, stamp["generation"])
            _, found = vi.index.search(queries, 10)
            chosen = {"kind": vi.kind, **vi.params, "recall_at_10_real_queries": recall_at_k(found, truth)}
            log(f"ann {level}: chosen {chosen}")
        out[str(level)] = {"passages": int(len(ids)), "queries": int(len(queries)), "settings": results,
                           "chosen": chosen}
        del vectors, ids
        gc.collect()
    return out


# ---------------------------------------------------------------- memory

_MEMORY_CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, {root!r})
from qa.retrieval import Retriever
r = Retriever.open({index!r})
qs = json.loads({qs!r})
for q in qs:
    r.search(q, k=5)
# VmHWM, not ru_maxrss: the latter is inherited from the (large) parent across fork
status = dict(line.split(":", 1) for line in open("/proc/self/status") if ":" in line)
print(json.dumps({{"peak_rss_mb": int(status["VmHWM"].split()[0]) / 1024,
                  "rss_mb": int(status["VmRSS"].split()[0]) / 1024, "kind": r.vectors.kind,
                  "cpu_s": time.process_time()}}))
"""


def stage_memory(args) -> dict:
    qs = [q for _, q, _ in questions(10)][:50]
    out = {}
    for level in args.levels:
        folder = OUT / f"level-{level}" / "index"
        if not folder.exists():
            continue
        code = _MEMORY_CHILD.format(root=str(ROOT), index=str(folder), qs=json.dumps(qs))
        # the default (through sentence-transformers), then the opt-in numpy path
        for backend in ("sentence-transformers", "numpy"):
            env = {**os.environ, "QA_USE_BACKEND": backend}
            res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
            if res.returncode != 0:
                reading = {"error": res.stderr[-2000:]}
            else:
                reading = json.loads(res.stdout.strip().splitlines()[-1])
            if backend == "numpy":
                out[str(level)]["numpy"] = reading
            else:
                out[str(level)] = reading
            log(f"memory {level} {backend}: {reading}")
    return out


# ---------------------------------------------------------------- peer: txtai

# One cold run, started from a small process: the peak RSS Linux reports for a child (ru_maxrss)
# keeps the high-water mark of the process it was forked from, which here would be this one (GBs
# after the levels), not the `qa ask` child's own.
_COLD_CHILD = r"""
import json, sys
sys.path.insert(0, {bench!r})
import cold_start
result, wall, cpu, peak = cold_start.run(sys.executable, None, json.loads(sys.argv[1]))
print(json.dumps({{"returncode": result.returncode, "stderr": result.stderr[-800:], "wall_s": wall, "cpu_s": cpu,
                  "peak_mb": peak}}))
"""


def stage_cold(args) -> dict:
    """`qa ask` in a fresh process on the seed index, process start to printed answer: wall and CPU
    seconds and peak RSS, median of 5 after one unmeasured run (page cache warm)."""
    import statistics

    from qa import build_index

    index = OUT / "cold-seed-index"
    build_index([ROOT / "seeds"], index=index, progress=False)
    ask = ["-m", "qa", "ask", "Qui est le boulanger ?", "--index", str(index), "--json"]
    code = _COLD_CHILD.format(bench=str(Path(__file__).resolve().parent))
    runs = []
    for i in range(6):
        res = subprocess.run([sys.executable, "-c", code, json.dumps(ask)], capture_output=True, text=True)
        if res.returncode != 0:
            return {"error": res.stderr.strip()[-800:]}
        one = json.loads(res.stdout.strip().splitlines()[-1])
        if one["returncode"] != 0:
            return {"error": one["stderr"].strip()}
        if i:
            runs.append({k: one[k] for k in ("wall_s", "cpu_s", "peak_mb")})
    out = {k: statistics.median(r[k] for r in runs) for k in ("wall_s", "cpu_s", "peak_mb")}
    log(f"cold qa ask: wall {out['wall_s']:.2f} s, CPU {out['cpu_s']:.2f} s, peak {out['peak_mb']:.0f} MB")
    return {**out, "runs": runs}


def stage_peer(args) -> dict:
    """benchmarks/peer.py: the fair side-by-side (same encoder, passages, search and index kinds)."""
    import peer

    return peer.run(peer.parse_args(args.peer_args.split()))


# ---------------------------------------------------------------- main

def stage_real(args) -> dict:
    subprocess.run([sys.executable, str(Path(__file__).resolve().parent / "real_ivf.py"),
                    "--questions-per-lang", str(args.real_questions)], check=True, stdout=subprocess.DEVNULL)
    return json.loads((OUT / "real_ivf.json").read_text(encoding="utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description="qa speed-and-scale benchmarks")
    parser.add_argument("--only", nargs="*", choices=STAGES, help="run only these stages (default: all)")
    parser.add_argument("--skip", nargs="*", choices=STAGES, default=[], help="skip these stages")
    parser.add_argument("--sample", type=int, default=20000, help="corpus paragraphs in the real-encoder sample")
    parser.add_argument("--rounds", type=int, default=4, help="interleaved raw/build rounds")
    parser.add_argument("--levels", type=int, nargs="*", default=[10000, 100000, 1000000])
    parser.add_argument("--ann-levels", type=int, nargs="*", default=[100000, 1000000])
    parser.add_argument("--hnsw-max", type=int, default=200000,
                        help="largest level where IVF-Flat and HNSW are tried too")
    parser.add_argument("--queries", type=int, default=210, help="questions per latency run")
    parser.add_argument("--ann-queries", type=int, default=500)
    parser.add_argument("--real-questions", type=int, default=100, help="XQuAD questions per language (real stage)")
    parser.add_argument("--peer-args", default="", help="arguments of benchmarks/peer.py, e.g. '--quick'")
    parser.add_argument("--no-report", action="store_true")
    args = parser.parse_args()
    stages = args.only or [s for s in STAGES if s not in args.skip]
    OUT.mkdir(parents=True, exist_ok=True)
    save_json(OUT / "machine.json", machine())
    save_json(OUT / "args.json", vars(args))
    for stage in STAGES:
        if stage not in stages:
            continue
        log(f"== {stage}")
        t = time.perf_counter()
        result = globals()[f"stage_{stage}"](args)
        result = {"seconds": time.perf_counter() - t, "finished": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
                  **result}
        save_json(OUT / f"{stage}.json", result)
    if not args.no_report:
        import report

        report.write()


if __name__ == "__main__":
    main()
