"""`Retriever.search`: the one retrieval function behind the API, the CLI and the web app."""
from __future__ import annotations

import os
import threading
import unicodedata
from pathlib import Path

import numpy as np

from .answer import best_sentence
from .encoder import encoders
from .errors import BadQuestion, IndexNotFound, QAError
from .indexer import check_model
from .language import detect_language, tokenize
from .records import Passage
from .sentences import sentence_spans
from .store import DB_NAME, Store
from .vectors import VectorIndex

MAX_K = 100
MAX_QUESTION_CHARS = 2000
CANDIDATES = 50
# Lexical evidence counts in full between a question and a passage in the same language,
# and barely across languages, where shared names and numbers pull wrong passages up.
LEXICAL_WEIGHT_SAME = 0.35
LEXICAL_WEIGHT_CROSS = 0.05
# Below this dense similarity a passage is shown as a weak match.
WEAK_SCORE = 0.30


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

    def search(self, question: str, k: int = 5) -> list[Passage]:
        """The `k` passages that best answer `question`, best first."""
        question = clean_question(question)
        k = check_k(k)
        qvec = self.encoder.encode_query(question)
        qlang = detect_language(question)
        n = max(CANDIDATES, k * 2)
        vectors = self.vectors
        dense = dict(vectors.search(qvec, n))
        lexical = self.store.lexical_search(tokenize(question, qlang), n)
        lex_max = max((s for _, s in lexical), default=0.0)
        lex = {i: s / lex_max for i, s in lexical} if lex_max > 0 else {}
        missing = [i for i in lex if i not in dense]
        for i, v in self.store.vectors_for(missing, self.encoder.dimension).items():
            dense[i] = float(v @ qvec)
        langs = self.store.passage_langs(list(lex)) if lex else {}
        scored = []
        for i, cos in dense.items():
            weight = LEXICAL_WEIGHT_SAME if langs.get(i) == qlang else LEXICAL_WEIGHT_CROSS
            scored.append((cos + weight * lex.get(i, 0.0), cos, i))
        scored.sort(key=lambda t: (-t[0], t[2]))
        top = scored[:k]
        rows = self.store.passages([i for _, _, i in top])
        hits = []
        for rank, (score, cos, i) in enumerate(top, start=1):
            row = rows.get(i)
            if row is None:
                continue  # removed by a concurrent build since the search
            hits.append(Passage(rank=len(hits) + 1, score=round(float(score), 4), text=row["text"],
                                source=row["source"], paragraph=row["paragraph"], start=row["start"],
                                end=row["end"], page=row["page"], title=row["title"], date=row["date"],
                                id=i, doc_id=row["doc_id"], lang=row["lang"], weak=cos < WEAK_SCORE))
        self._prefetch_answers(hits)
        for hit in hits:
            hit.answer = best_sentence(self.encoder, question, qvec, hit.text, hit.lang)
        return hits

    def _prefetch_answers(self, hits: list[Passage]) -> None:
        """Split the hits into sentences and embed them all in one batch (speed only:
        the answer is still chosen by `best_sentence`, which then finds them cached)."""
        sentences = []
        for hit in hits:
            spans = sentence_spans(hit.text, hit.lang)
            if len(spans) > 1:
                sentences.extend(hit.text[s:e] for s, e in spans)
        self.encoder.prefetch_sentences(sentences)

    def close(self) -> None:
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


def search(question: str, k: int = 5, index: str | os.PathLike = "index") -> list[Passage]:
    """Search the index at `index` (default `index/`) with a cached `Retriever`."""
    return retrievers.get(index).search(question, k)
