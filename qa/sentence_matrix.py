"""Every passage's sentence vectors in one memory-mapped file, read instead of SQLite blobs.

A search reads the stored sentences (spans and vectors) of about a hundred candidates; from
SQLite that is a few hundred row fetches and a copy of every blob (about 1 ms of a 2.4k-passage
index's search). `qa index` also writes them into `sentences.matrix` beside the FAISS file,
one contiguous float32 matrix with the passages' ids, their first rows and the sentences'
spans, and a search takes views of it. Like the FAISS file it is a cache of the store: its
header carries the store generation and index identity it reflects, and it is written whole
to a temporary file, then renamed. A reader uses it only when it reflects the generation the
reader's view has; missing, stale, unreadable or of another index, it is ignored and the
sentences are read from SQLite as before. A passage it does not hold (added since) is read
from SQLite too: a passage's id is never reused, nor its sentences changed.
"""
from __future__ import annotations

import errno
import json
import mmap
import os
import sqlite3
from pathlib import Path
from typing import Sequence

import numpy as np

from .mapped import remember

MATRIX_NAME = "sentences.matrix"
MAGIC = b"QASENTM1"
ALIGN = 64
# Larger stores keep reading SQLite: the file is rewritten whole at every build that changes
# the store (about 2 KB a sentence with USE-m3: 100k sentences, ~200 MB, ~20k passages).
MAX_SENTENCES = 100_000
HEADER_BYTES = 4096  # the JSON header, padded with spaces: the arrays' offsets do not depend on it


def _aligned(n: int) -> int:
    return (n + ALIGN - 1) // ALIGN * ALIGN


def _layout(passages: int, sentences: int, dimension: int, start: int) -> dict[str, tuple[int, str, tuple]]:
    """Offset, dtype and shape of each array, from `start` (after the header)."""
    arrays = {"ids": ("<i8", (passages,)), "first": ("<i8", (passages + 1,)), "starts": ("<i8", (sentences,)),
              "ends": ("<i8", (sentences,)), "vectors": ("<f4", (sentences, dimension))}
    out, offset = {}, _aligned(start)
    for name, (dtype, shape) in arrays.items():
        out[name] = (offset, dtype, shape)
        offset = _aligned(offset + int(np.prod(shape, dtype=np.int64)) * np.dtype(dtype).itemsize)
    out["end"] = (offset, "", ())
    return out


class SentenceMatrix:
    """A loaded `sentences.matrix`: `sentence_vectors` as `Store.sentence_vectors` gives them."""

    def __init__(self, path: Path, header: dict, buffer, arrays: dict[str, np.ndarray]) -> None:
        self.path, self.header, self._buffer = path, header, buffer
        self.ids, self.first = arrays["ids"], arrays["first"]
        self.starts, self.ends, self.vectors = arrays["starts"], arrays["ends"], arrays["vectors"]
        # a search takes the spans of about a hundred passages: numpy slices and `tolist` per
        # passage were most of its reading them; each passage's spans and vectors (a view of
        # the file) are made once, when first asked for, and shared by the searches that ask
        # again (never changed by them)
        self._position = dict(zip(self.ids.tolist(), range(len(self.ids))))
        self._spans: dict[int, tuple[list[tuple[int, int]], np.ndarray]] = {}  # by position

    @property
    def generation(self) -> int:
        return self.header["generation"]

    @staticmethod
    def stamp(directory: Path) -> dict:
        """The header of the saved file ({} if missing or unreadable)."""
        try:
            with open(Path(directory) / MATRIX_NAME, "rb") as fh:
                return _read_header(fh)[0]
        except (OSError, ValueError):
            return {}

    @classmethod
    def load(cls, directory: Path, dimension: int, generation: int, identity: str | None) -> "SentenceMatrix | None":
        """The saved matrix if it reflects `generation` of the store of index `identity` and is
        whole, else None."""
        path = Path(directory) / MATRIX_NAME
        try:
            with open(path, "rb") as fh:
                header, start = _read_header(fh)
                if header.get("generation") != generation or header.get("identity") != identity \
                        or header.get("dimension") != dimension:
                    return None
                layout = _layout(header["passages"], header["sentences"], dimension, start)
                size = os.fstat(fh.fileno()).st_size
                if size != layout["end"][0] or size != header.get("size"):
                    return None  # cut short or padded: not what was written
                buffer = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
                remember(buffer)
        except (OSError, ValueError, KeyError, TypeError):
            return None
        arrays = {name: np.frombuffer(buffer, dtype=dtype, count=int(np.prod(shape, dtype=np.int64)),
                                      offset=offset).reshape(shape)
                  for name, (offset, dtype, shape) in layout.items() if name != "end"}
        first = arrays["first"]
        if len(first) and (first[0] != 0 or first[-1] != header["sentences"] or np.any(np.diff(first) < 0)
                           or np.any(np.diff(arrays["ids"]) <= 0)):
            return None
        return cls(path, header, buffer, arrays)

    def sentence_vectors(self, ids: Sequence[int], store, dim: int
                         ) -> dict[int, tuple[list[tuple[int, int]], np.ndarray]]:
        """Per passage id: its sentences' spans and vectors, as `store.sentence_vectors` gives
        them; the passages this file does not hold are read from `store`."""
        if not ids:
            return {}
        out: dict[int, tuple[list[tuple[int, int]], np.ndarray]] = {}
        position, made, vectors = self._position, self._spans, self.vectors
        missing = []
        for pid in ids:
            p = position.get(pid)
            if p is None:
                missing.append(pid)
                continue
            known = made.get(p)
            if known is None:
                a, b = int(self.first[p]), int(self.first[p + 1])
                known = made[p] = (list(zip(self.starts[a:b].tolist(), self.ends[a:b].tolist())), vectors[a:b])
            if known[0]:
                out[pid] = known
        if missing:
            out.update(store.sentence_vectors(missing, dim))
        return out


def _read_header(fh) -> tuple[dict, int]:
    magic = fh.read(len(MAGIC))
    if magic != MAGIC:
        raise ValueError("not a sentence matrix")
    length = int.from_bytes(fh.read(8), "little")
    if length != HEADER_BYTES:
        raise ValueError("not a header")
    header = json.loads(fh.read(length))
    if not isinstance(header, dict):
        raise ValueError("not a header")
    return header, len(MAGIC) + 8 + length


def reserve(fh, size: int, path: Path) -> None:
    """Give the open file `fh` its `size` bytes on the disk before it is written through a
    memory map: a sparse file's pages get their blocks only when written, and on a full disk that
    write kills the process (SIGBUS) where a write call fails with ENOSPC. A full disk here is that
    OSError (the file removed); a file system that cannot reserve gets the sparse file as before."""
    try:
        os.posix_fallocate(fh.fileno(), 0, size)
    except OSError as exc:
        if exc.errno not in (errno.EOPNOTSUPP, errno.EINVAL, errno.ENOSYS):
            fh.close()
            path.unlink(missing_ok=True)
            raise
        fh.truncate(size)
    except AttributeError:  # no posix_fallocate (macOS)
        fh.truncate(size)


def write(store, directory: Path, dimension: int, identity: str | None) -> bool:
    """Write the store's sentences into `directory/sentences.matrix`, stamped with the
    generation they were read at (one read transaction). Stores of more than MAX_SENTENCES
    get none (an older file is removed). Returns whether a file was written."""
    path = Path(directory) / MATRIX_NAME
    conn = sqlite3.connect(store.path, timeout=60, isolation_level=None)
    try:
        conn.execute("BEGIN")  # one snapshot: the generation and the rows it stamps
        generation = int(conn.execute("SELECT value FROM meta WHERE key='generation'").fetchone()[0])
        sentences = conn.execute("SELECT COUNT(*) FROM sentences").fetchone()[0]
        if sentences > MAX_SENTENCES:
            path.unlink(missing_ok=True)
            return False
        ids = np.fromiter((r[0] for r in conn.execute("SELECT id FROM passages ORDER BY id")), dtype=np.int64)
        layout = _layout(len(ids), sentences, dimension, len(MAGIC) + 8 + HEADER_BYTES)
        size = layout["end"][0]
        text = json.dumps({"identity": identity, "generation": generation, "dimension": dimension,
                           "passages": len(ids), "sentences": sentences, "size": size}).encode().ljust(HEADER_BYTES)
        tmp = path.with_suffix(".tmp")
        with open(tmp, "wb") as fh:
            reserve(fh, size, tmp)
            fh.write(MAGIC + len(text).to_bytes(8, "little") + text)
        arrays = {name: np.memmap(tmp, dtype=dtype, mode="r+", offset=offset, shape=shape)
                  for name, (offset, dtype, shape) in layout.items() if name != "end" and np.prod(shape)}
        try:
            _fill(conn, ids, sentences, dimension, arrays)
        except ValueError:  # rows the passages do not explain: no file rather than a wrong one
            tmp.unlink(missing_ok=True)
            path.unlink(missing_ok=True)
            return False
        for array in arrays.values():
            array.flush()
        del arrays
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        return True
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        conn.close()


def _fill(conn: sqlite3.Connection, ids: np.ndarray, sentences: int, dimension: int,
          arrays: dict[str, np.ndarray], batch: int = 4096) -> None:
    """Rows in the order `Store.sentence_vectors` gives them: by passage, then rowid (text
    order), a passage's rows sorted by start when they are not (written by another program)."""
    owners, starts, ends = (np.empty(sentences, dtype=np.int64) for _ in range(3))
    row = 0
    cur = conn.execute('SELECT passage_id, start, "end", vector FROM sentences ORDER BY passage_id, rowid')
    # copied a batch at a time, then grouped by passage with numpy: a Python step per
    # passage was most of this file's cost
    while rows := cur.fetchmany(batch):
        n = len(rows)
        if row + n > sentences:
            raise ValueError("the sentences changed while they were read")
        owner, start, end, blobs = zip(*rows)
        owners[row:row + n], starts[row:row + n], ends[row:row + n] = owner, start, end
        arrays["vectors"][row:row + n] = np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(n, dimension)
        row += n
    if row != sentences:
        raise ValueError("the sentences changed while they were read")
    counts = np.zeros(len(ids), dtype=np.int64)
    if sentences:
        firsts = np.flatnonzero(np.diff(owners, prepend=owners[0] - 1))  # each passage's first row
        pids = owners[firsts]
        at = np.searchsorted(ids, pids)
        if (at >= len(ids)).any() or (ids[np.minimum(at, len(ids) - 1)] != pids).any():
            raise ValueError("sentences of no passage")
        sizes = np.diff(np.append(firsts, sentences))
        counts[at] = sizes
        # rows that start before the previous row of their passage: sort those passages
        later = np.ones(sentences, dtype=bool)
        later[firsts] = False
        back = np.flatnonzero(later[1:] & (starts[1:] < starts[:-1])) + 1
        for g in np.unique(np.searchsorted(firsts, back, side="right") - 1):
            a, b = int(firsts[g]), int(firsts[g] + sizes[g])
            order = a + np.argsort(starts[a:b], kind="stable")
            starts[a:b], ends[a:b] = starts[order], ends[order]
            arrays["vectors"][a:b] = arrays["vectors"][order]
        arrays["starts"][:] = starts
        arrays["ends"][:] = ends
    if "ids" in arrays:
        arrays["ids"][:] = ids
    first = np.zeros(len(ids) + 1, dtype=np.int64)
    np.cumsum(counts, out=first[1:])
    arrays["first"][:] = first
