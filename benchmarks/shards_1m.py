"""Sharded vs one index at a synthetic level (issue #13: 1M passages in 4 shards, p95 within
1.2x of one index of 1M), in one process and one run.

    PYTHONPATH=. nice -n 5 .venv/bin/python benchmarks/shards_1m.py --level 1000000 [--shards 4]

1. build: the same passages written twice, as one qa index and as a sharded index (each
   document in the shard `qa.shards.shard_of` gives its source; each shard a complete qa
   index with its manifest; `shards.json` as `qa.sharded_build` writes it). Rows are the
   corpus's real paragraphs (as `run_all.py make_level`: repeated under other paths past the
   corpus size), vectors real USE-m3 embeddings plus noise; the same vectors on both sides.
   Each FAISS index is `VectorIndex.build`'s automatic choice for its size, nprobe tuned.
2. measure: `Retriever.open` on both (the sharded one is a `ShardedRetriever`), a warm-up,
   then the same real XQuAD questions, one on each in turn (which goes first alternates),
   query caches cleared before every search; hybrid then dense; p50/p95, the p95 ratio
   sharded/one and top-10 agreement.

Other steps on a built level (`--only`): `retrain` trains a sharded folder's FAISS files as
`qa index --shards` trains them now; `equal` tunes the one index and each sharded folder to the
same recall@10 on the same queries; `measure --sharded a,b --rounds R` asks each in turn.

Writes benchmarks/out/shards_1m.json (and intermediate files under benchmarks/out/shards-<level>/).
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import pickle
import random
import shutil
import sys
import time
from pathlib import Path
from typing import Sequence

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import DATA, OUT, ROOT, load_xquad, loadavg, machine, percentiles, save_json  # noqa: E402
from run_all import (MAN_LANG, _light_prepare, clear_caches, corpus_files, log, noisy, questions,  # noqa: E402
                     synthetic_vectors)


def parsed_corpus(work: Path) -> list[tuple[Path, str, dict]]:
    """The corpus files cut into passages with tokens (cached in `work`)."""
    cache = work / "parsed.pkl"
    if cache.exists():
        with open(cache, "rb") as fh:
            return pickle.load(fh)
    from concurrent.futures import ProcessPoolExecutor

    files = corpus_files()
    if not files:
        sys.exit(f"no corpus under {DATA / 'corpus'}: run `benchmarks/run_all.py --only corpus` first")
    random.Random(5).shuffle(files)
    jobs = [(str(f), MAN_LANG.get(f.relative_to(DATA / "corpus").parts[0], "en")) for f in files]
    t = time.perf_counter()
    with ProcessPoolExecutor(2) as ex:
        results = list(ex.map(_light_prepare, jobs, chunksize=8))
    parsed = [(Path(j[0]), j[1], r) for j, r in zip(jobs, results) if r and r["passages"]]
    log(f"parsed {len(parsed)} files, {sum(len(r['passages']) for _, _, r in parsed)} passages "
        f"in {time.perf_counter() - t:.0f} s")
    with open(cache, "wb") as fh:
        pickle.dump(parsed, fh, protocol=pickle.HIGHEST_PROTOCOL)
    return parsed


def vector_pool(work: Path, parsed, n: int) -> np.ndarray:
    """Real USE-m3 embeddings of `n` corpus passages and XQuAD paragraphs (cached in `work`):
    the synthetic vectors are these plus noise."""
    cache = work / f"pool-{n}.npy"
    if cache.exists():
        return np.load(cache)
    sample = OUT / "sample" / "index"
    if sample.exists():  # run_all.py's real-encoder sample, when it is there
        from run_all import real_vectors

        pool = real_vectors()
    else:
        from qa.encoder import encoders

        rng = random.Random(11)
        every = [p[4] for _, _, item in parsed for p in item["passages"]]
        texts = rng.sample(every, min(len(every), n))
        texts += [c for d in load_xquad().values() for c in d["contexts"][:n // 20]]
        encoder = encoders.get("use-m3")
        t = time.perf_counter()
        pool = np.concatenate([encoder.encode_documents(texts[i:i + 128]) for i in range(0, len(texts), 128)])
        log(f"pool: {len(pool)} real embeddings in {time.perf_counter() - t:.0f} s")
    pool = np.ascontiguousarray(pool, dtype=np.float32)
    np.save(cache, pool)
    return pool


def finish_index(folder: Path, store) -> dict:
    """The FAISS index `qa` chooses for this store's size (nprobe tuned), saved with the manifest."""
    from qa.indexer import write_manifest
    from qa.vectors import VectorIndex

    ids, vectors = store.all_vectors(512)
    t = time.perf_counter()
    index = VectorIndex.build(ids, vectors)  # the automatic choice, tuned as `qa index` tunes it
    seconds = time.perf_counter() - t
    index.save(folder, store.generation())
    write_manifest(folder, store, "use-m3", 512, index.kind, index.params)
    log(f"{folder.name}: {len(ids)} passages, {index.describe()} in {seconds:.0f} s")
    out = {"passages": int(len(ids)), "kind": index.kind, "params": index.params, "faiss_build_seconds": seconds}
    del ids, vectors, index
    gc.collect()
    return out


def build(level: int, shards: int, work: Path, parsed, pool: np.ndarray) -> dict:
    from qa.compat import VERSIONS
    from qa.layout import BuildLock, new_identity
    from qa.sharded_build import prepare_sharded
    from qa.shards import shard_of
    from qa.store import DB_NAME, NewPassage, Store

    one_dir, sharded_dir = work / "one", work / "sharded"
    for d in (one_dir, sharded_dir):
        shutil.rmtree(d, ignore_errors=True)
    one_dir.mkdir(parents=True)
    sharded_dir.mkdir(parents=True)
    with BuildLock(sharded_dir):  # the folder layout and shards.json exactly as `qa index --shards` makes them
        data, manifest, _, _ = prepare_sharded(sharded_dir, shards, "use-m3", rebuild=False)
    shard_dirs = [data / name for name in manifest.shards]
    folders = [one_dir, *shard_dirs]
    stores = []
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
        # stamped with this qa's tokens and passages versions, as `build_index` stamps a new index
        store = Store(folder / DB_NAME, create=True, identity=new_identity(), versions=VERSIONS)
        with store.transaction() as conn:
            store.set_meta(conn, model="use-m3", dimension="512")
        stores.append(store)
    rng = np.random.default_rng(level)
    total, copy, per_shard = 0, 0, [0] * shards
    t = time.perf_counter()
    while total < level:
        conns = [s.connection() for s in stores]
        for c in conns:
            c.execute("BEGIN IMMEDIATE")
        for path, lang, item in parsed:
            if total >= level:
                break
            rel = path.relative_to(DATA / "corpus").as_posix()
            source = rel if copy == 0 else f"copy{copy}/{rel}"
            passages = item["passages"][: level - total]
            vectors = synthetic_vectors(pool, len(passages), rng)
            news = [NewPassage(p[0], p[1], p[2], p[3], lang, p[4], tokens.split(), spans)
                    for p, tokens, spans in zip(passages, item["tokens"], item["sentences"])]
            counts = [len(n.sentences) for n in news]
            flat = noisy(np.repeat(vectors, counts, axis=0), rng)
            sentence_vectors = np.split(flat, np.cumsum(counts)[:-1])
            shard = shard_of(source, shards)
            for i in (0, 1 + shard):  # the same rows and vectors in the one index and in its shard
                stores[i].insert_document(conns[i], source, item["hash"], 0, 0, item["title"], item["date"], lang,
                                          item["text"], news, vectors, sentence_vectors)
            per_shard[shard] += len(passages)
            total += len(passages)
        for s, c in zip(stores, conns):
            s.bump_generation(c)
            c.execute("COMMIT")
        copy += 1
        log(f"stores: {total} passages, {time.perf_counter() - t:.0f} s")
    store_seconds = time.perf_counter() - t
    out = {"level": level, "shards": shards, "store_seconds": store_seconds, "copies": copy,
           "passages_per_shard": per_shard}
    results = []
    for folder, store in zip(folders, stores):
        results.append(finish_index(folder, store))
        store.close()
    out["one"], out["shard_indexes"] = results[0], results[1:]
    out["shards_tuned_together"] = tune(work)  # as `qa index --shards` ends (qa.sharded_build.sharded_update)
    out["disk_bytes"] = {"one": sum(f.stat().st_size for f in one_dir.rglob("*") if f.is_file()),
                         "sharded": sum(f.stat().st_size for f in sharded_dir.rglob("*") if f.is_file())}
    return out


def tune(work: Path, sharded: str = "sharded") -> dict | None:
    """The shards' joint nprobe (`qa.sharded_build.tune_shards`); idempotent (`--only tune`
    applies it to a level built before it existed)."""
    from qa.layout import current_data
    from qa.sharded_build import tune_shards
    from qa.shards import read_manifest
    from qa.vectors import VectorIndex

    data = current_data(work / sharded)
    manifest = read_manifest(data)
    before = [VectorIndex.stamp(current_data(data / name)).get("params") for name in manifest.shards]
    t = time.perf_counter()
    tuned = tune_shards(data, manifest, force=True)
    if tuned is None:
        return None
    seconds = time.perf_counter() - t
    log(f"shards tuned together: nprobe {tuned[0]}, merged recall@10 {tuned[1]:.4f} in {seconds:.0f} s")
    return {"nprobe": tuned[0], "recall_at_10": round(tuned[1], 4), "seconds": round(seconds, 1),
            "params_before": before}


def retrain(work: Path, sharded: str) -> dict:
    """Each shard's FAISS index of the sharded folder `sharded` trained anew as `qa index
    --shards` now trains it (`--only retrain`): with the inverted lists of the whole collection
    (`nlist_scale` = the number of shards), then the shards' joint nprobe. Only the FAISS files
    and stamps are written (new files, replaced by rename: a hard-linked copy of a level keeps
    its stores shared with the original and its FAISS files its own)."""
    from qa.indexer import write_manifest
    from qa.layout import current_data
    from qa.shards import read_manifest
    from qa.store import DB_NAME, Store
    from qa.vectors import VectorIndex

    data = current_data(work / sharded)
    manifest = read_manifest(data)
    out = {}
    for name in manifest.shards:
        folder = current_data(data / name)
        identity = VectorIndex.stamp(folder).get("identity")
        store = Store(folder / DB_NAME)
        try:
            t = time.perf_counter()
            index = VectorIndex.from_store(store, int(store.meta()["dimension"]), nlist_scale=manifest.count)
            seconds = time.perf_counter() - t
            index.save(folder, store.generation(), identity)
            write_manifest(folder, store, "use-m3", 512, index.kind, index.params)
        finally:
            store.close()
        log(f"{sharded}/{name}: {index.describe()} in {seconds:.0f} s")
        out[name] = {"params": index.params, "seconds": round(seconds, 1)}
        del index
        gc.collect()
    return out


# nprobe values tried by `equal_recall`: qa's own (up to 256) and beyond, for the one index
# of 1M (2,048 lists), which stops at 0.972 at 256
EQUAL_NPROBES = (16, 24, 32, 48, 64, 96, 128, 160, 192, 224, 256, 320, 384, 512, 768, 1024)


def equal_recall(work: Path, sharded: list[str], target: float, n_queries: int = 1000, k: int = 10) -> dict:
    """The one index and each sharded index tuned to the same recall@10 against exact search,
    on the same query vectors (`--only equal`): the smallest nprobe (one for all shards of an
    index, as `qa.vectors.tune_together`) whose top 10 (merged over the shards) reaches `target`,
    up to nprobe 1024. The queries are `qa.vectors.tuning_queries` drawn from every shard in
    proportion to its size (as the joint tuning draws them), `n_queries` of them; the truth is
    exact search over the same 1M vectors on either side. The nprobe found is written into the
    saved stamps (the FAISS files are unchanged), with the recall and the curve in build.json."""
    import faiss

    from qa.layout import current_data
    from qa.shards import read_manifest
    from qa.store import DB_NAME, Store
    from qa.vectors import FLAT, VectorIndex, _all_cores_for_blas, exact_topk, recall_at_k, set_params, tuning_queries

    def opened(folder: Path):
        store = Store(folder / DB_NAME)
        try:
            index = VectorIndex.load(folder, 512, store.generation(), None, mmap=False)
            ids, vectors = store.all_vectors(512)
            return index, np.asarray(ids, dtype=np.int64), vectors, (store.identity(), store.generation())
        finally:
            store.close()

    def ladder(ivfs, search, truth) -> tuple[int, float, dict]:
        curve = {}
        for nprobe in EQUAL_NPROBES:
            for ivf in ivfs:
                ivf.nprobe = min(nprobe, ivf.nlist)
            curve[nprobe] = round(recall_at_k(search(), truth), 4)
            if curve[nprobe] >= target or all(nprobe >= ivf.nlist for ivf in ivfs):
                return nprobe, curve[nprobe], curve
        return nprobe, curve[nprobe], curve

    out: dict = {"target": target, "queries": n_queries, "sharded": {}}
    cache: dict = {}  # shards' rows by (identity, generation): a hard-linked variant reads them once
    q = None
    with _all_cores_for_blas():
        for name in sharded:
            folders = [current_data(current_data(work / name) / s)
                       for s in read_manifest(current_data(work / name)).shards]
            parts = []
            for folder in folders:
                store = Store(folder / DB_NAME)
                key = (store.identity(), store.generation())
                store.close()
                if key not in cache:
                    _, ids, vectors, _ = opened(folder)
                    cache[key] = (ids, vectors)
                index = VectorIndex.load(folder, 512, key[1], None, mmap=False)
                parts.append((folder, index, *cache[key]))
            count, total = len(parts), sum(len(ids) for _, _, ids, _ in parts)
            if q is None:
                q = np.ascontiguousarray(np.concatenate(
                    [tuning_queries(vectors, n=max(1, round(n_queries * len(ids) / total)), seed=100 + s)
                     for s, (_, _, ids, vectors) in enumerate(parts)]), dtype=np.float32)

            def merged(search, parts=parts, count=count):
                scores, keys = [], []
                for s, (_, index, ids, vectors) in enumerate(parts):
                    d, i = search(index, ids, vectors)
                    scores.append(np.where(i >= 0, d, -np.inf))
                    keys.append(np.where(i >= 0, i * count + s, -1))
                d, i = np.concatenate(scores, axis=1), np.concatenate(keys, axis=1)
                order = np.argsort(-d, axis=1, kind="stable")[:, :k]
                return np.take_along_axis(i, order, axis=1), np.take_along_axis(d, order, axis=1)

            def exact(index, ids, vectors):
                flat = faiss.IndexFlatIP(vectors.shape[1])
                flat.add(np.ascontiguousarray(vectors, dtype=np.float32))
                d, pos = flat.search(q, k)
                return d, np.where(pos >= 0, ids[np.clip(pos, 0, None)], -1)

            truth, truth_scores = merged(exact)
            ivfs = [faiss.extract_index_ivf(index.index) for _, index, _, _ in parts]
            nprobe, recall, curve = ladder(ivfs, lambda: merged(lambda index, ids, vectors: index.index.search(q, k))[0],
                                           truth)
            for folder, index, _, _ in parts:
                set_params(folder, {**index.params, "nprobe": nprobe, "equal_recall_at_10": recall,
                                    "equal_target": target})
            out["sharded"][name] = {"nprobe": nprobe, "recall_at_10": recall, "curve": curve,
                                    "nlist": [int(ivf.nlist) for ivf in ivfs]}
            log(f"{name}: nprobe {nprobe}, merged recall@10 {recall:.4f} ({curve})")
            del parts, ivfs
            gc.collect()
        cache.clear()
        gc.collect()
        index, ids, vectors, _ = opened(work / "one")
        flat = faiss.IndexFlatIP(vectors.shape[1])
        flat.add(np.ascontiguousarray(vectors, dtype=np.float32))
        d, pos = flat.search(q, k)
        del flat, vectors
        gc.collect()
        # the same vectors on both sides: the exact top-10 scores must agree
        out["exact_scores_max_difference"] = float(np.abs(np.sort(d, axis=1) - np.sort(truth_scores, axis=1)).max())
        ivf = faiss.extract_index_ivf(index.index)
        nprobe, recall, curve = ladder([ivf], lambda: index.index.search(q, k)[1], ids[pos])
        set_params(work / "one", {**index.params, "nprobe": nprobe, "equal_recall_at_10": recall,
                                  "equal_target": target})
        out["one"] = {"nprobe": nprobe, "recall_at_10": recall, "curve": curve, "nlist": int(ivf.nlist)}
        log(f"one: nprobe {nprobe}, recall@10 {recall:.4f} ({curve}); exact scores agree within "
            f"{out['exact_scores_max_difference']:.1e}")
    return out


def retokenize(work: Path) -> dict:
    """Bring a level built by an older qa to this qa's tokens (`--only retokenize`), as the next
    `qa index` would: the lexical index rebuilt from the stored passages, nothing re-embedded,
    the saved FAISS files kept (their vectors did not change) and stamped with the new generation."""
    from qa.indexer import passage_tokens
    from qa.language import TOKENS_VERSION
    from qa.layout import current_data
    from qa.shards import read_manifest
    from qa.store import DB_NAME, Store
    from qa.vectors import STAMP_NAME

    data = current_data(work / "sharded")
    folders = [work / "one", *(current_data(data / name) for name in read_manifest(data).shards)]
    out = {}
    for folder in folders:
        store = Store(folder / DB_NAME)
        try:
            if int(store.meta().get("tokens_version", 1)) == TOKENS_VERSION:
                continue
            t = time.perf_counter()
            n = store.retokenize(passage_tokens, TOKENS_VERSION)
            stamp = json.loads((folder / STAMP_NAME).read_text())
            stamp["generation"] = store.generation()
            (folder / STAMP_NAME).write_text(json.dumps(stamp))
            out[folder.name] = {"passages": n, "seconds": round(time.perf_counter() - t, 1)}
            log(f"{folder.name}: {n} passages re-tokenized (tokens version {TOKENS_VERSION})")
        finally:
            store.close()
    return out


def measured_level(level: int, shards: int = 4, questions: int = 300, warmup: int = 30) -> dict:
    """The measurement of an already built level, as `main` saves it (for benchmarks/shards.py
    to put the 1M comparison into the same run as the rest of docs/scale.md)."""
    work = OUT / f"shards-{level}"
    if not (work / "build.json").exists():
        sys.exit(f"level {level} is not built: run `benchmarks/shards_1m.py --level {level} --only build` first")
    started = machine()
    t = time.perf_counter()
    measured = measure(work, questions, warmup)
    measured["seconds"] = time.perf_counter() - t
    commit = os.popen(f"git -C {Path(__file__).resolve().parent} rev-parse --short HEAD").read().strip()
    return {"machine": started, "load_at_end": loadavg(), "commit": commit, "level": level, "shards": shards,
            "finished": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
            "command": f"benchmarks/shards.py --ray --level {level}",
            "build": json.loads((work / "build.json").read_text()), **measured}


def timed_search(retriever, q: str, mode: str, k: int):
    clear_caches(retriever)  # both sides embed the question: the encoder (and its cache) is shared
    c, t = time.process_time(), time.perf_counter()
    hits = retriever.search(q, k=k, mode=mode)
    return hits, time.perf_counter() - t, time.process_time() - c


def measure(work: Path, n_questions: int, warmup: int, k: int = 10, sharded: Sequence[str] = ("sharded",),
            rounds: int = 1) -> dict:
    """Every question asked of the one index and of each sharded index in turn (the order
    rotates question by question), hybrid then dense, `rounds` times; p50/p95 per round and
    over all rounds. The first sharded index's numbers are the result (top-level keys), every
    one's under "variants"."""
    from qa.retrieval import Retriever
    from qa.sharded import ShardedRetriever

    sides = {"one": Retriever.open(work / "one")}
    for name in sharded:
        sides[name] = Retriever.open(work / name)
        assert isinstance(sides[name], ShardedRetriever), type(sides[name])
    names = list(sides)
    qs = [q for _, q, _ in questions(n_questions // 7 + 1)][:n_questions]
    warm = [q for _, q, _ in questions(warmup // 7 + 1, seed=99)][:warmup]
    out = {"questions": len(qs), "warmup": len(warm), "k": k, "rounds": rounds, "one_index": sides["one"].vectors.info(),
           "shard_indexes": [s.vectors.info() for s in sides[sharded[0]].shards],
           "variant_indexes": {name: [s.vectors.info() for s in sides[name].shards] for name in sharded},
           "load_before": loadavg(), "variants": {name: {} for name in sharded}}
    times = {(mode, name): [] for mode in ("hybrid", "dense") for name in names}
    # CPU time of the process (every thread) per search: the work done, which the load
    # of a shared machine does not inflate as it does wall time
    cpu = {key: [] for key in times}
    agree = {(mode, name): [0, 0, 0.0] for mode in ("hybrid", "dense") for name in sharded}
    per_round: list[dict] = []
    for r in range(rounds):
        this_round = {}
        for mode in ("hybrid", "dense"):
            for q in warm:
                for name in names:
                    timed_search(sides[name], q, mode, k)
            first = {name: len(times[(mode, name)]) for name in names}
            for i, q in enumerate(qs):
                turn = (i + r) % len(names)
                hits = {}
                for name in names[turn:] + names[:turn]:
                    hits[name], t, c = timed_search(sides[name], q, mode, k)
                    times[(mode, name)].append(t)
                    cpu[(mode, name)].append(c)
                a = [(h.source, h.paragraph) for h in hits["one"]]
                for name in sharded:
                    b = [(h.source, h.paragraph) for h in hits[name]]
                    tally = agree[(mode, name)]
                    tally[0] += bool(a) and bool(b) and a[0] == b[0]
                    tally[1] += a == b
                    tally[2] += len(set(a) & set(b)) / max(1, len(a))
            p95 = {name: percentiles(times[(mode, name)][first[name]:]) for name in names}
            this_round[mode] = {"load": loadavg(), **{f"{name}_ms": p95[name] for name in names},
                                **{f"{name}_p95_ratio": p95[name]["p95"] / p95["one"]["p95"] for name in sharded},
                                **{f"{name}_p50_ratio": p95[name]["p50"] / p95["one"]["p50"] for name in sharded},
                                **{f"{name}_cpu_ratio": sum(cpu[(mode, name)][first[name]:])
                                   / max(1e-9, sum(cpu[(mode, "one")][first["one"]:])) for name in sharded}}
            log(f"round {r + 1} {mode}: one p50 {p95['one']['p50']:.1f} p95 {p95['one']['p95']:.1f} ms; "
                + "; ".join(f"{name} p50 {p95[name]['p50']:.1f} p95 {p95[name]['p95']:.1f} ms (p95 "
                            f"{this_round[mode][name + '_p95_ratio']:.2f}x, p50 {this_round[mode][name + '_p50_ratio']:.2f}x, "
                            f"CPU {this_round[mode][name + '_cpu_ratio']:.2f}x)" for name in sharded)
                + f"; load {this_round[mode]['load']}")
        per_round.append(this_round)
    out["per_round"] = per_round
    n = len(qs) * rounds
    for mode in ("hybrid", "dense"):
        for name in sharded:
            top1, same10, overlap = agree[(mode, name)]
            res = {"one_ms": percentiles(times[(mode, "one")]), "sharded_ms": percentiles(times[(mode, name)]),
                   "top1_agreement": top1 / n, "top10_identical": same10 / n, "top10_overlap": overlap / n,
                   "load": per_round[-1][mode]["load"],
                   "one_cpu_ms": percentiles(cpu[(mode, "one")]), "sharded_cpu_ms": percentiles(cpu[(mode, name)]),
                   "cpu_mean_ratio": sum(cpu[(mode, name)]) / max(1e-9, sum(cpu[(mode, "one")]))}
            res["p95_ratio"] = res["sharded_ms"]["p95"] / res["one_ms"]["p95"]
            res["p50_ratio"] = res["sharded_ms"]["p50"] / res["one_ms"]["p50"]
            res["p95_ratio_rounds"] = [rd[mode][f"{name}_p95_ratio"] for rd in per_round]
            out["variants"][name][mode] = res
            log(f"{mode} {name}, all rounds: one p50 {res['one_ms']['p50']:.1f} p95 {res['one_ms']['p95']:.1f} ms; "
                f"sharded p50 {res['sharded_ms']['p50']:.1f} p95 {res['sharded_ms']['p95']:.1f} ms; p95 ratio "
                f"{res['p95_ratio']:.2f} (rounds {', '.join(f'{x:.2f}' for x in res['p95_ratio_rounds'])}), p50 ratio "
                f"{res['p50_ratio']:.2f}; top-1 {res['top1_agreement']:.3f}, top-10 identical "
                f"{res['top10_identical']:.3f}, overlap {res['top10_overlap']:.3f}; CPU per search sharded/one "
                f"{res['cpu_mean_ratio']:.2f}")
        out[mode] = out["variants"][sharded[0]][mode]
    for side in sides.values():
        side.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--level", type=int, default=1_000_000)
    ap.add_argument("--shards", type=int, default=4)
    ap.add_argument("--questions", type=int, default=300)
    ap.add_argument("--warmup", type=int, default=30)
    ap.add_argument("--pool", type=int, default=20000, help="real passages embedded for the vector pool")
    ap.add_argument("--sharded", default="sharded",
                    help="the sharded index(es) under the level's folder, comma-separated (tune, retrain: each; "
                         "measure: each interleaved with the one index, the first reported as the result)")
    ap.add_argument("--rounds", type=int, default=1, help="measure: times every question is asked of each side")
    ap.add_argument("--target", type=float, default=0.98, help="equal: the recall@10 both sides are tuned to")
    ap.add_argument("--equal-queries", type=int, default=2000, help="equal: query vectors the recall is measured on")
    ap.add_argument("--only", choices=["build", "tune", "retrain", "equal", "retokenize", "measure"],
                    help="one step (default: build and measure; tune: the shards' joint nprobe on a built level; "
                         "retokenize: a level built by an older qa brought to this one's tokens)")
    ap.add_argument("--doc", default=str(ROOT / "docs" / "scale.md"),
                    help="put the result's section into this file ('' : do not)")
    args = ap.parse_args()
    started = machine()  # the load average before the run
    work = OUT / f"shards-{args.level}"
    work.mkdir(parents=True, exist_ok=True)
    result_path = OUT / "shards_1m.json"
    if args.only == "retokenize":
        retokenize(work)
        return
    sharded = [name for name in args.sharded.split(",") if name]
    if args.only == "retrain":
        built = json.loads((work / "build.json").read_text())
        for name in sharded:
            built.setdefault("retrained", {})[name] = {"shards": retrain(work, name), "tuned_together": tune(work, name)}
        save_json(work / "build.json", built)
        return
    if args.only == "equal":
        built = json.loads((work / "build.json").read_text())
        built["equal_recall"] = equal_recall(work, sharded, args.target, args.equal_queries)
        save_json(work / "build.json", built)
        return
    if args.only == "tune":
        built = json.loads((work / "build.json").read_text())
        for name in sharded:
            built.setdefault("tuned", {})[name] = tune(work, name)
        if "sharded" in sharded:
            built["shards_tuned_together"] = built["tuned"]["sharded"]
        save_json(work / "build.json", built)
        return
    if args.only not in ("measure", "tune"):
        cache = OUT / "shards-cache"  # parsed corpus and vector pool, shared by the levels
        cache.mkdir(exist_ok=True)
        parsed = parsed_corpus(cache)
        pool = vector_pool(cache, parsed, args.pool)
        built = build(args.level, args.shards, work, parsed, pool)
        built["vector_pool"] = int(len(pool))
        del parsed
        gc.collect()
        save_json(work / "build.json", built)
    if args.only != "build":
        t = time.perf_counter()
        measured = measure(work, args.questions, args.warmup, sharded=sharded, rounds=args.rounds)
        measured["seconds"] = time.perf_counter() - t
        built = json.loads((work / "build.json").read_text())
        commit = os.popen(f"git -C {Path(__file__).resolve().parent} rev-parse --short HEAD").read().strip()
        result = {"machine": started, "load_at_end": loadavg(), "commit": commit, "level": args.level, "shards": args.shards,
                  "finished": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
                  "command": "benchmarks/shards_1m.py " + " ".join(sys.argv[1:]), "build": built, **measured}
        save_json(result_path, result)
        log(f"wrote {result_path}")
    if args.doc:
        from scale_doc import replace_synthetic

        doc = Path(args.doc)
        doc.write_text(replace_synthetic(doc.read_text(encoding="utf-8"), json.loads(result_path.read_text())),
                       encoding="utf-8")
        log(f"wrote {doc}")


if __name__ == "__main__":
    main()
