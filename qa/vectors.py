"""The dense index: FAISS, inner product over normalised vectors, ids = passage ids.

Two index types, chosen by corpus size:

- ``flat`` (exact): ``IndexIDMap2(IndexFlatIP)``, below `APPROX_THRESHOLD` passages.
- ``ivf-sq8`` (approximate): ``IndexIVFScalarQuantizer`` (8-bit codes, a quarter of
  the memory of float32) with ``nlist`` ~ 2·sqrt(N) lists, trained on a sample of the
  corpus; ``nprobe`` is tuned at build time as the smallest value whose recall@10
  against exact search, on perturbed copies of stored vectors, reaches
  `TARGET_RECALL`. Both types take additions and removals by passage id, so
  incremental builds keep working; the index is retrained when the corpus has grown
  `RETRAIN_GROWTH` times past the size it was trained on, and goes back to exact
  search when it shrinks below half the threshold.

The FAISS file is a cache of the vectors held in the store. It is saved with the
identity of its index and the store generation it reflects, and its type and parameters
(``vectors.json``). `VectorIndex.load` tells the two ways it can fail to match apart:
a file saved for an older generation (a build is writing, or died before saving: None)
and a file that is broken or belongs to another index (`BrokenVectors`).
"""
from __future__ import annotations

import json
import math
import os
import threading
from pathlib import Path
from typing import Sequence

import numpy as np

FAISS_NAME = "vectors.faiss"
STAMP_NAME = "vectors.json"

FLAT = "flat"
IVF_SQ8 = "ivf-sq8"
# At and above this many passages the index is approximate (overridable for tests and
# benchmarks with QA_APPROX_THRESHOLD). Below it exact search costs a few ms per query.
APPROX_THRESHOLD = int(os.environ.get("QA_APPROX_THRESHOLD", "50000"))
# Tuned on perturbed stored vectors, which are easier than real questions: at 1M passages
# (benchmarks) the nprobe reaching 0.97 on them gave 0.947 on real questions; the margin
# to 0.98 keeps real questions at >= 0.95 (docs/performance.md, section 4).
TARGET_RECALL = 0.98
NPROBES = (1, 2, 4, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256)
RETRAIN_GROWTH = 4.0
TUNE_QUERIES = 300
TUNE_NOISE = 0.10             # per-dimension noise: queries at cosine ~0.4 from their source, like questions from passages


class BrokenVectors(Exception):
    """The saved FAISS file or its stamp cannot be used: unreadable, inconsistent, or
    made for another index. The message says which."""


def choose_kind(n: int, threshold: int | None = None) -> str:
    """The index type for a corpus of `n` passages."""
    return IVF_SQ8 if n >= (APPROX_THRESHOLD if threshold is None else threshold) else FLAT


def nlist_for(n: int) -> int:
    """Inverted lists for `n` vectors: ~2·sqrt(n), a power of two, within [16, 8192]."""
    return int(min(8192, max(16, 2 ** round(math.log2(max(1.0, 2 * math.sqrt(n)))))))


def _normalise(x: np.ndarray) -> np.ndarray:
    x = np.ascontiguousarray(x, dtype=np.float32)
    x /= np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
    return x


def tuning_queries(vectors: np.ndarray, n: int = TUNE_QUERIES, noise: float = TUNE_NOISE,
                   seed: int = 0) -> np.ndarray:
    """Query-like vectors: random stored vectors plus Gaussian noise, normalised."""
    rng = np.random.default_rng(seed)
    picks = rng.choice(len(vectors), size=min(n, len(vectors)), replace=False)
    q = vectors[np.sort(picks)] + rng.normal(0, noise, size=(len(picks), vectors.shape[1])).astype(np.float32)
    return _normalise(q)


def exact_topk(vectors: np.ndarray, ids: np.ndarray, queries: np.ndarray, k: int = 10) -> np.ndarray:
    """Ids of the exact top-k by inner product, for each query (brute force, in blocks)."""
    import faiss

    flat = faiss.IndexFlatIP(vectors.shape[1])
    flat.add(np.ascontiguousarray(vectors, dtype=np.float32))
    _, pos = flat.search(np.ascontiguousarray(queries, dtype=np.float32), min(k, len(vectors)))
    return np.where(pos >= 0, ids[np.clip(pos, 0, None)], -1)


def recall_at_k(found: np.ndarray, truth: np.ndarray) -> float:
    """Mean share of each query's true top-k found in its returned top-k."""
    k = truth.shape[1]
    hits = sum(len(set(f[f >= 0].tolist()) & set(t[t >= 0].tolist())) for f, t in zip(found, truth))
    return hits / max(1, sum(int((t >= 0).sum()) for t in truth)) if k else 1.0


def train_ivf(vectors: np.ndarray, nlist: int, sq: bool = True, seed: int = 0, max_train: int | None = None):
    """A trained, empty IVF index (IVF-SQ8 by default, IVF-Flat with sq=False)."""
    import faiss

    d = vectors.shape[1]
    nlist = max(1, min(nlist, len(vectors) // 4 or 1))
    quantizer = faiss.IndexFlatIP(d)
    if sq:
        index = faiss.IndexIVFScalarQuantizer(quantizer, d, nlist, faiss.ScalarQuantizer.QT_8bit,
                                              faiss.METRIC_INNER_PRODUCT)
    else:
        index = faiss.IndexIVFFlat(quantizer, d, nlist, faiss.METRIC_INNER_PRODUCT)
    index.own_fields = True
    quantizer.this.disown()
    limit = max_train or max(40 * nlist, 20000)
    if len(vectors) > limit:
        rng = np.random.default_rng(seed)
        sample = vectors[np.sort(rng.choice(len(vectors), size=limit, replace=False))]
    else:
        sample = vectors
    index.cp.seed = seed
    index.cp.niter = 12
    index.train(np.ascontiguousarray(sample, dtype=np.float32))
    return index


def tune_nprobe(index, queries: np.ndarray, truth: np.ndarray, target: float = TARGET_RECALL,
                k: int = 10) -> tuple[int, float]:
    """Smallest nprobe reaching `target` recall@k (else the best tried), and its recall."""
    best = (NPROBES[0], 0.0)
    for nprobe in NPROBES:
        if nprobe > index.nlist:
            break
        index.nprobe = nprobe
        _, found = index.search(queries, k)
        recall = recall_at_k(found, truth)
        best = (nprobe, recall)
        if recall >= target:
            break
    index.nprobe = best[0]
    return best


def tune_together(parts: Sequence[tuple["VectorIndex", np.ndarray, np.ndarray]], target: float = TARGET_RECALL,
                  k: int = 10, queries: int = TUNE_QUERIES) -> tuple[int, float] | None:
    """One nprobe for the approximate indexes of the shards of one index, given as (index,
    ids, vectors): the smallest whose merged top-k (the best k over all shards, as a sharded
    search merges) reaches `target` recall@k against exact search over all shards, on
    queries drawn from every shard in proportion to its size. Set on the indexes and in their
    params; returns (nprobe, recall), or None when no shard is approximate. Each shard's own
    tuning asks for its own top-k, while the merged top-k holds only the best few of each:
    fewer lists may do (benchmarks, 4 shards of 50k: 96 instead of 256), or more for some
    shard (4 of 250k: 256 for all, where one shard had 192 by itself)."""
    import faiss

    ivfs = [faiss.extract_index_ivf(index.index) if index.kind != FLAT else None for index, _, _ in parts]
    if all(ivf is None for ivf in ivfs):
        return None
    count, total = len(parts), sum(len(ids) for _, ids, _ in parts)
    picked = [tuning_queries(vectors, n=max(1, round(queries * len(ids) / total)), seed=s)
              for s, (_, ids, vectors) in enumerate(parts) if len(ids)]
    q = np.ascontiguousarray(np.concatenate(picked), dtype=np.float32)

    def merged(search) -> np.ndarray:
        scores, keys = [], []
        for s, (index, ids, vectors) in enumerate(parts):
            if not len(ids):
                continue
            d, i = search(s, index, ids, vectors)
            scores.append(np.where(i >= 0, d, -np.inf))
            keys.append(np.where(i >= 0, i * count + s, -1))  # unique over the shards
        d, i = np.concatenate(scores, axis=1), np.concatenate(keys, axis=1)
        return np.take_along_axis(i, np.argsort(-d, axis=1, kind="stable")[:, :k], axis=1)

    def exact(s, index, ids, vectors):
        flat = faiss.IndexFlatIP(vectors.shape[1])
        flat.add(np.ascontiguousarray(vectors, dtype=np.float32))
        d, pos = flat.search(q, min(k, len(ids)))
        return d, np.where(pos >= 0, np.asarray(ids, dtype=np.int64)[np.clip(pos, 0, None)], -1)

    with _all_cores_for_blas():
        truth = merged(exact)
        best = (NPROBES[0], 0.0)
        for nprobe in NPROBES:
            for ivf in ivfs:
                if ivf is not None:
                    ivf.nprobe = min(nprobe, ivf.nlist)
            best = (nprobe, recall_at_k(merged(lambda s, index, ids, vectors: index.index.search(q, k)), truth))
            if best[1] >= target or all(ivf is None or nprobe >= ivf.nlist for ivf in ivfs):
                break
    for (index, _, _), ivf in zip(parts, ivfs):
        if ivf is not None:
            index.params = {**index.params, "nprobe": int(ivf.nprobe), "sharded_recall_at_10": round(float(best[1]), 4)}
    return best


class VectorIndex:
    def __init__(self, dimension: int, index=None, kind: str = FLAT, params: dict | None = None) -> None:
        import faiss

        self.dimension = dimension
        self.index = index if index is not None else faiss.IndexIDMap2(faiss.IndexFlatIP(dimension))
        self._kind = kind
        self.params: dict = dict(params or {})
        self._held: np.ndarray | None = None  # the ids held, sorted (`stored_vectors`)

    @property
    def size(self) -> int:
        return int(self.index.ntotal)

    @property
    def kind(self) -> str:
        return self._kind

    def describe(self) -> str:
        """The type and its parameters, as shown by `qa index`."""
        return self.describe_kind(self.kind, self.params)

    @staticmethod
    def describe_kind(kind: str, p: dict) -> str:
        if kind == FLAT:
            return "flat (exact)"
        return (f"{kind} (approximate: nlist={p.get('nlist')}, nprobe={p.get('nprobe')}, "
                f"tuned recall@10={p.get('recall_at_10')})")

    @staticmethod
    def stamp(directory: Path) -> dict:
        """What `vectors.json` says about the saved index ({} if missing or unreadable)."""
        try:
            data = json.loads((Path(directory) / STAMP_NAME).read_text())
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def info(self) -> dict:
        return {"kind": self.kind, **self.params}

    def ids(self) -> np.ndarray:
        """The passage ids held, for consistency checks."""
        import faiss

        return faiss.vector_to_array(self.index.id_map).astype(np.int64)

    def stored_vectors(self, ids: Sequence[int]) -> dict[int, np.ndarray]:
        """The vectors of those of `ids` this index holds as they were added (a flat index:
        the same float32 values as the store's rows), by id; {} for an approximate index."""
        if self.kind != FLAT or not len(ids) or self.size == 0:
            return {}
        held = self._held
        if held is None:
            try:
                held = self._held = np.sort(self.ids())
            except AttributeError:  # an index without an id map: the caller reads the store
                return {}
        wanted = np.asarray(ids, dtype=np.int64)
        pos = np.minimum(np.searchsorted(held, wanted), len(held) - 1)
        keep = wanted[held[pos] == wanted]
        if not len(keep):
            return {}
        try:
            rows = self.index.reconstruct_batch(keep)
        except RuntimeError:  # an index that cannot give its vectors by id: the caller reads the store
            return {}
        return dict(zip(keep.tolist(), rows))

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        self._held = None
        if len(ids):
            self.index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32),
                                    np.ascontiguousarray(ids, dtype=np.int64))

    def remove(self, ids: list[int] | np.ndarray) -> None:
        self._held = None
        if len(ids):
            self.index.remove_ids(np.asarray(ids, dtype=np.int64))

    def search(self, vector: np.ndarray, n: int) -> list[tuple[int, float]]:
        return self.search_many(vector.reshape(1, -1), n)[0]

    def search_many(self, vectors: np.ndarray, n: int) -> list[list[tuple[int, float]]]:
        """The `n` nearest (id, score) of each row of `vectors`, best first: one FAISS call."""
        if self.size == 0 or n <= 0 or not len(vectors):
            return [[] for _ in range(len(vectors))]
        _single_query_threads()
        x, k = np.ascontiguousarray(vectors, dtype=np.float32), min(n, self.size)
        scores, ids = self.index.search(x, k) if self.kind == FLAT else _ivf_search(self.index, x, k)
        return [[(i, s) for i, s in zip(row_ids, row_scores) if i >= 0]
                for row_ids, row_scores in zip(ids.tolist(), scores.tolist())]

    # ------------------------------------------------------------ index type

    @classmethod
    def build(cls, ids: np.ndarray, vectors: np.ndarray, kind: str | None = None, nlist: int | None = None,
              threshold: int | None = None, nlist_scale: int = 1) -> "VectorIndex":
        """An index of these vectors, of the type their number calls for (or `kind`). An
        approximate index gets the inverted lists of `nlist_scale` times its vectors: a shard
        of N is given those of the whole collection (`nlist_scale=N`; the hash split makes
        shards all but equal in size), so that probing the same share of its lists finds the
        same share of its true neighbours as one index of every shard's vectors would (1M in
        4 shards: with 1,024 lists each instead of 2,048, the shards needed nprobe 256 of 1,024
        for merged recall@10 0.98, twice the share of vectors scanned by one index)."""
        dimension = vectors.shape[1]
        kind = kind or choose_kind(len(ids), threshold)
        if kind == FLAT:
            index = cls(dimension)
            index.add(ids, vectors)
            return index
        if kind != IVF_SQ8:
            raise ValueError(f"unknown index type {kind!r}")
        scale = max(1, int(nlist_scale))
        nlist = nlist or nlist_for(len(ids) * scale)
        with _all_cores_for_blas():  # big GEMMs (k-means, assignment): threads pay off here
            ivf = train_ivf(vectors, nlist)
            ivf.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32),
                             np.ascontiguousarray(ids, dtype=np.int64))
            queries = tuning_queries(vectors)
            truth = exact_topk(vectors, np.asarray(ids, dtype=np.int64), queries)
            nprobe, recall = tune_nprobe(ivf, queries, truth)
        params = {"nlist": int(ivf.nlist), "nprobe": int(nprobe), "recall_at_10": round(float(recall), 4),
                  "trained_on": int(len(ids))}
        if scale > 1:
            params["nlist_scale"] = scale
        return cls(dimension, ivf, IVF_SQ8, params)

    def needs_rebuild(self, threshold: int | None = None) -> bool:
        """True when the corpus size calls for another index type, or for retraining."""
        threshold = APPROX_THRESHOLD if threshold is None else threshold
        if self.kind == FLAT:
            return self.size >= threshold
        if self.size < threshold // 2:
            return True
        return self.size > RETRAIN_GROWTH * max(1, int(self.params.get("trained_on", self.size)))

    def vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """All (ids, vectors) of a flat index (for switching type without reading the store)."""
        import faiss

        if self.kind != FLAT:
            raise ValueError("only a flat index holds the exact vectors")
        ids = faiss.vector_to_array(self.index.id_map).astype(np.int64)
        inner = faiss.downcast_index(self.index.index)
        vectors = faiss.rev_swig_ptr(inner.get_xb(), self.size * self.dimension).reshape(self.size, self.dimension)
        return ids, np.array(vectors, dtype=np.float32)

    # ------------------------------------------------------------ persistence

    def save(self, directory: Path, generation: int, identity: str | None = None) -> None:
        import faiss

        directory = Path(directory)
        tmp = directory / (FAISS_NAME + ".tmp")
        try:
            faiss.write_index(self.index, str(tmp))
            _fsync(tmp)
        except BaseException:  # a full disk: the half-written file would keep its room taken
            tmp.unlink(missing_ok=True)
            raise
        os.replace(tmp, directory / FAISS_NAME)
        _write_json(directory / STAMP_NAME, {"identity": identity, "generation": generation, "ntotal": self.size,
                                             "kind": self.kind, "params": self.params})

    @classmethod
    def load(cls, directory: Path, dimension: int, generation: int, identity: str | None = None,
             mmap: bool = True) -> "VectorIndex | None":
        """The saved index if it reflects `generation` of the store of index `identity`.

        None when no file was saved for this generation yet (a build is writing or died
        before saving); `BrokenVectors` when the file or its stamp is unreadable, does not
        match its stamp, or was made for another index. With `mmap`, the vectors of a flat
        index are memory-mapped from the file (read only, paged in by the OS, shared between
        processes) instead of read into memory.
        """
        import faiss

        directory = Path(directory)
        try:
            stamp = json.loads((directory / STAMP_NAME).read_text())
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise BrokenVectors(f"{STAMP_NAME} is unreadable ({type(exc).__name__})") from None
        if not isinstance(stamp, dict):
            raise BrokenVectors(f"{STAMP_NAME} is not a stamp")
        if identity is not None and stamp.get("identity") not in (None, identity):
            raise BrokenVectors(f"{FAISS_NAME} belongs to another index")
        if stamp.get("generation") != generation:
            return None
        kind = stamp.get("kind", FLAT)
        flags = 0
        if mmap:
            flags = faiss.IO_FLAG_READ_ONLY | (faiss.IO_FLAG_MMAP_IFC if kind == FLAT else faiss.IO_FLAG_MMAP)
        try:
            try:
                index = faiss.read_index(str(directory / FAISS_NAME), flags)
            except RuntimeError:
                if not flags:
                    raise
                index = faiss.read_index(str(directory / FAISS_NAME))  # this type cannot be mapped
        except (OSError, RuntimeError) as exc:
            raise BrokenVectors(f"{FAISS_NAME} is unreadable ({str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__})") from None
        if index.d != dimension:
            raise BrokenVectors(f"{FAISS_NAME} holds {index.d}-d vectors, the model gives {dimension}-d")
        if index.ntotal != stamp.get("ntotal"):
            raise BrokenVectors(f"{FAISS_NAME} holds {index.ntotal} vectors, its stamp says {stamp.get('ntotal')}")
        params = stamp.get("params") or {}
        if kind != FLAT and "nprobe" in params:
            faiss.extract_index_ivf(index).nprobe = int(params["nprobe"])
        if flags and kind != FLAT:
            # a search reads a few lists: their pages are given back with the model tables'
            # (a flat index's are all read by every search)
            from .mapped import remember_file

            remember_file(index, directory / FAISS_NAME)
        return cls(dimension, index, kind, params)

    @classmethod
    def from_store(cls, store, dimension: int, kind: str | None = None,
                   threshold: int | None = None, nlist_scale: int = 1) -> "VectorIndex":
        n = store.counts()[1]
        kind = kind or choose_kind(n, threshold)
        if kind == FLAT:
            index = cls(dimension)
            for ids, vectors in store.iter_vectors(dimension):
                index.add(ids, vectors)
            return index
        ids, vectors = store.all_vectors(dimension)
        return cls.build(ids, vectors, kind, nlist_scale=nlist_scale)


def _ivf_search(index, x: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """`index.search` of an IVF index as its two steps called from here (the nearest lists,
    then those lists scanned): the same results for less CPU. FAISS 1.15's `IndexIVF.search`
    kept other threads busy even at one OpenMP thread per caller: at 1M passages (nprobe 192
    of 2,048), 8.4 ms of process CPU per question against 4.7 ms, 5.9 against 4.8 ms in the
    searching thread (benchmarks/shards_faiss.py); a sharded search makes one call per shard."""
    import faiss

    if not isinstance(index, faiss.IndexIVF):  # wrapped (not an index `build` makes): FAISS's own search
        return index.search(x, k)
    coarse, lists = index.quantizer.search(x, min(index.nprobe, index.nlist))
    return index.search_preassigned(x, k, lists, coarse)


_query_threads = threading.local()


def _single_query_threads() -> None:
    """One OpenMP thread for FAISS: a single query gains nothing from a second thread on
    a busy machine and lost 2x to spinning (flat search over 100k: 35 ms with one
    thread, 78-90 ms with two, load average 7 on 2 cores). Builds raise it again.
    OpenMP's thread count is a per-thread setting: set in every thread that searches
    (a sharded search's pool, a server's workers), not once per process."""
    if not getattr(_query_threads, "set", False):
        import faiss

        faiss.omp_set_num_threads(1)
        _query_threads.set = True


class _all_cores_for_blas:
    """BLAS threads = cores for the duration (the encoder keeps BLAS single-threaded
    for its small matrices; FAISS training and batch assignment are large GEMMs)."""

    def __enter__(self):
        self._limits = None
        try:
            from threadpoolctl import threadpool_limits

            from .encoder import cpu_count

            import faiss

            self._omp = faiss.omp_get_max_threads()
            faiss.omp_set_num_threads(cpu_count())
            self._limits = threadpool_limits(cpu_count(), user_api="blas")
        except Exception:
            pass
        return self

    def __exit__(self, *exc) -> None:
        if self._limits is not None:
            import faiss

            faiss.omp_set_num_threads(self._omp)
            self._limits.restore_original_limits()


def set_params(directory: Path, params: dict) -> None:
    """Replace the params (nprobe...) of a saved index in its stamp; its FAISS file is unchanged."""
    stamp = VectorIndex.stamp(directory)
    if not stamp:
        raise BrokenVectors(f"{STAMP_NAME} is missing or unreadable in {directory}")
    _write_json(Path(directory) / STAMP_NAME, {**stamp, "params": params})


def _fsync(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def _write_json(path: Path, data: dict) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, indent=1, ensure_ascii=False))
    _fsync(tmp)
    os.replace(tmp, path)
