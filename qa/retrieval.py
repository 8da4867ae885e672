"""`Retriever.search`: the one retrieval function behind the API, the CLI and the web app."""
from __future__ import annotations

import os
import threading
import unicodedata
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import numpy as np

from .answer import best_sentence
from .encoder import encoders
from .errors import BadQuestion, IndexNotFound, QAError
from .fusion import dense_score, fuse
from .indexer import check_model
from .language import detect_language, query_tokens
from .records import Passage
from .store import DB_NAME, Store
from .vectors import VectorIndex

MAX_K = 100
MAX_QUESTION_CHARS = 2000
CANDIDATES = 50
MODES = ("hybrid", "dense", "lexical")
# Below this dense score (passage + best sentence, see fusion.py) a passage is shown as a weak
# match; calibrated on XQuAD and off-topic questions in docs/quality.md.
WEAK_SCORE = 0.20
# The lexical search needs no query vector: it runs in one of these threads while the
# question is embedded and FAISS searched (SQLite and FAISS both release the GIL), which
# takes its time (up to ~13 ms at a million passages) off the query's.
LEXICAL_THREADS = 4


def clean_question(question: str) -> str:
    if not isinstance(question, str):
        raise BadQuestion("the question must be text")
    cleaned = "".join(ch if unicodedata.category(ch)[0] != "C" or ch in "\n\t" else " " for ch in question)
    cleaned = " ".join(cleaned.split())
    if not cleaned:
        raise BadQuestion("the question is empty: type a question")
    return cleaned[:MAX_QUESTION_CHARS]


def check_k(k: int) -> int:
    try:
        k = int(k)
    except (TypeError, ValueError):
        raise BadQuestion(f"k must be a whole number, not {k!r}") from None
    if k < 1:
        raise BadQuestion(f"k must be at least 1 (got {k})")
    return min(k, MAX_K)


class Retriever:
    """A loaded index and its model. Thread-safe for searching; open once, ask many times."""

    def __init__(self, directory: Path, store: Store, encoder, vectors: VectorIndex, generation: int) -> None:
        self.directory = directory
        self.store = store
        self.encoder = encoder
        self.vectors = vectors
        self.generation = generation
        self._reload_lock = threading.Lock()
        self._lexical_pool: ThreadPoolExecutor | None = None

    @classmethod
    def open(cls, index: str | os.PathLike = "index", model: str | None = None) -> "Retriever":
        directory = Path(index)
        db = directory / DB_NAME
        if not db.exists():
            raise IndexNotFound(f"no index at {directory}: build one with `qa index PATH --index {directory}`")
        try:
            store = Store(db)
            meta = store.meta()
        except Exception as exc:
            raise QAError(f"cannot read the index at {directory} ({type(exc).__name__}); "
                          f"rebuild it with `qa index PATH --index {directory} --rebuild`") from None
        if "model" not in meta:
            raise IndexNotFound(f"the index at {directory} is empty: build it with `qa index PATH --index {directory}`")
        model_name = check_model(meta, model, directory)
        encoder = encoders.get(model_name)
        generation = store.generation()
        vectors = cls._load_vectors(directory, store, encoder.dimension, generation)
        return cls(directory, store, encoder, vectors, generation)

    @staticmethod
    def _load_vectors(directory: Path, store: Store, dimension: int, generation: int) -> VectorIndex:
        vectors = VectorIndex.load(directory, dimension, generation)
        # a build that is running or died before saving: rebuild from the store
        return vectors if vectors is not None else VectorIndex.from_store(store, dimension)

    def refresh(self) -> bool:
        """Pick up a newer complete index written by `qa index`. True if it changed."""
        generation = self.store.generation()
        if generation == self.generation:
            return False
        vectors = VectorIndex.load(self.directory, self.encoder.dimension, generation)
        if vectors is None:
            return False  # a build is still writing: keep answering from what we have
        with self._reload_lock:
            self.vectors, self.generation = vectors, generation
        return True

    def stats(self) -> dict:
        documents, passages = self.store.counts()
        return {"documents": documents, "passages": passages, "model": self.encoder.name,
                "index_type": self.vectors.kind, "index": str(self.directory)}

    def document(self, doc_id: int) -> dict | None:
        """An indexed document by its id in the index (never by a path)."""
        return self.store.document(int(doc_id))

    def context(self, passage_id: int, before: int = 1, after: int = 1) -> list[dict]:
        """A passage with its neighbouring passages in the same document, in order."""
        return self.store.neighbours(int(passage_id), before, after)

    def search(self, question: str, k: int = 5, mode: str = "hybrid") -> list[Passage]:
        """The `k` passages that best answer `question`, best first.

        `mode` is "hybrid" (the default: dense and lexical evidence fused by language),
        "dense" (the sentence encoder alone) or "lexical" (BM25 alone); the last two are
        for measuring what each half brings.
        """
        question = clean_question(question)
        k = check_k(k)
        if mode not in MODES:
            raise BadQuestion(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
        qlang = detect_language(question)
        n = max(CANDIDATES, k * 2)
        lexical = (self._lexical_threads().submit(self.store.lexical_search, query_tokens(question, qlang), n)
                   if mode != "dense" else None)
        qvec = self.encoder.encode_query(question)
        scored, sentences = self._rank(qvec, qlang, n, mode, lexical)
        top = scored[:k]
        weak_score = self.encoder.calibration.weak_threshold(WEAK_SCORE)
        rows = self.store.passages([i for _, _, i in top])
        hits = []
        for score, dense, i in top:
            row = rows.get(i)
            if row is None:
                continue  # removed by a concurrent build since the search
            hits.append(Passage(rank=len(hits) + 1, score=round(float(score), 4), text=row["text"],
                                source=row["source"], paragraph=row["paragraph"], start=row["start"],
                                end=row["end"], page=row["page"], title=row["title"], date=row["date"],
                                id=i, doc_id=row["doc_id"], lang=row["lang"], weak=dense < weak_score))
        for hit in hits:
            hit.answer = best_sentence(self.encoder, question, qvec, hit.text, hit.lang, sentences.get(hit.id))
        return hits

    def _lexical_threads(self) -> ThreadPoolExecutor:
        with self._reload_lock:
            if self._lexical_pool is None:
                self._lexical_pool = ThreadPoolExecutor(LEXICAL_THREADS, thread_name_prefix="qa-lexical")
            return self._lexical_pool

    def _rank(self, qvec: np.ndarray, qlang: str, n: int, mode: str, lexical_hits: Future | None):
        """Candidates as (score, dense score, passage id), best first, and the candidates'
        stored sentences (spans, vectors)."""
        cosines = dict(self.vectors.search(qvec, n)) if mode != "lexical" else {}
        lexical = lexical_hits.result() if lexical_hits is not None else []
        missing = [i for i, _ in lexical if i not in cosines]
        for i, v in self.store.vectors_for(missing, self.encoder.dimension).items():
            cosines[i] = float(v @ qvec)
        sentences = self.store.sentence_vectors(list(cosines), self.encoder.dimension)
        dense = {i: dense_score(cos, sentences[i][1] @ qvec if i in sentences else None)
                 for i, cos in cosines.items()}
        if mode == "dense":
            scored = [(d, d, i) for i, d in dense.items()]
        elif mode == "lexical":
            scored = [(bm25, dense.get(i, 0.0), i) for i, bm25 in lexical]
        else:
            langs = self.store.passage_langs([i for i, _ in lexical]) if lexical else {}
            scored = fuse(dense, lexical, langs, qlang, self.encoder.calibration.dense_scale)
        scored.sort(key=lambda t: (-t[0], t[2]))
        return scored, sentences

    def close(self) -> None:
        if self._lexical_pool is not None:
            self._lexical_pool.shutdown(wait=True)
            self._lexical_pool = None
        self.store.close()


class RetrieverCache:
    """Open retrievers by index folder, so that module-level `search` loads each once."""

    def __init__(self) -> None:
        self._open: dict[str, Retriever] = {}
        self._lock = threading.Lock()

    def get(self, index: str | os.PathLike = "index") -> Retriever:
        key = str(Path(index).resolve())
        with self._lock:
            if key not in self._open:
                self._open[key] = Retriever.open(index)
            return self._open[key]

    def clear(self) -> None:
        with self._lock:
            for retriever in self._open.values():
                retriever.close()
            self._open.clear()


retrievers = RetrieverCache()


def search(question: str, k: int = 5, index: str | os.PathLike = "index", mode: str = "hybrid") -> list[Passage]:
    """Search the index at `index` (default `index/`) with a cached `Retriever`."""
    return retrievers.get(index).search(question, k, mode=mode)
