"""The dense index: FAISS, inner product over normalised vectors, ids = passage ids.

The FAISS file is a cache of the vectors held in the store. It is saved with the
store generation it reflects; when they differ (a crash mid-build, an interrupted
save) it is rebuilt from the store instead of being trusted.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

FAISS_NAME = "vectors.faiss"
STAMP_NAME = "vectors.json"


class VectorIndex:
    def __init__(self, dimension: int, index=None) -> None:
        import faiss

        self.dimension = dimension
        self.index = index if index is not None else faiss.IndexIDMap2(faiss.IndexFlatIP(dimension))

    @property
    def size(self) -> int:
        return int(self.index.ntotal)

    @property
    def kind(self) -> str:
        return "flat"

    def ids(self) -> np.ndarray:
        """The passage ids held, for consistency checks."""
        import faiss

        return faiss.vector_to_array(self.index.id_map).astype(np.int64)

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        if len(ids):
            self.index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32),
                                    np.ascontiguousarray(ids, dtype=np.int64))

    def remove(self, ids: list[int] | np.ndarray) -> None:
        if len(ids):
            self.index.remove_ids(np.asarray(ids, dtype=np.int64))

    def search(self, vector: np.ndarray, n: int) -> list[tuple[int, float]]:
        if self.size == 0 or n <= 0:
            return []
        scores, ids = self.index.search(vector.reshape(1, -1).astype(np.float32, copy=False), min(n, self.size))
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i >= 0]

    # ------------------------------------------------------------ persistence

    def save(self, directory: Path, generation: int) -> None:
        import faiss

        directory = Path(directory)
        tmp = directory / (FAISS_NAME + ".tmp")
        faiss.write_index(self.index, str(tmp))
        _fsync(tmp)
        os.replace(tmp, directory / FAISS_NAME)
        _write_json(directory / STAMP_NAME, {"generation": generation, "ntotal": self.size, "kind": self.kind})

    @classmethod
    def load(cls, directory: Path, dimension: int, generation: int, mmap: bool = True) -> "VectorIndex | None":
        """The saved index if it reflects `generation` of the store, else None."""
        import faiss

        directory = Path(directory)
        try:
            stamp = json.loads((directory / STAMP_NAME).read_text())
            if stamp.get("generation") != generation:
                return None
            flags = faiss.IO_FLAG_MMAP | faiss.IO_FLAG_READ_ONLY if mmap else 0
            index = faiss.read_index(str(directory / FAISS_NAME), flags)
        except (OSError, ValueError, RuntimeError):
            return None
        if index.d != dimension or index.ntotal != stamp.get("ntotal"):
            return None
        return cls(dimension, index)

    @classmethod
    def from_store(cls, store, dimension: int) -> "VectorIndex":
        index = cls(dimension)
        for ids, vectors in store.iter_vectors(dimension):
            index.add(ids, vectors)
        return index


def _fsync(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def _write_json(path: Path, data: dict) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, indent=1, ensure_ascii=False))
    _fsync(tmp)
    os.replace(tmp, path)
