"""Read-only arrays over `.npy` files' pages, for the model tables of qa/use_cache.py,
qa/langid_cache.py and qa/compound_table.py, and a way to give back the pages of those and
of the sentence matrix (qa/sentence_matrix.py) and of the IVF lists FAISS maps itself (qa/vectors.py).

A page of a map that a read touches stays counted in the process's memory (RSS) until the map
is closed, and the kernel maps more than that page: the 16 around it (fault-around, 64 KB a
row read) or the whole large folio that holds it (up to 2 MB), whatever `madvise` says. Rows
read at random over a long run bring in most of a table: ~90 MB of language-identifier,
tokenizer and compound tables after 50 questions, and most of a sentence matrix
(docs/performance.md, "Session 10"). `release` drops them from the process: they stay in the
page cache, clean, and a later read maps them again without reading the disk. `Rows` reads the
few rows a question needs of a table with `pread`, which maps nothing.
"""
from __future__ import annotations

import itertools
import mmap
import os
import threading
import weakref
from pathlib import Path

import numpy as np

# Questions answered between two `release`s of a serving process (`answered`): the pages that
# 8 questions touch stay (up to ~40 MB of tables at 100k passages). The question after a
# release maps its pages again: +6-8% of its CPU when it is encoded afresh (paired medians),
# so under 1% a question at 8.
RELEASE_EVERY = 8

_maps: "weakref.WeakSet[mmap.mmap]" = weakref.WeakSet()
# Files a library maps read-only and does not hand the map out (FAISS's IO_FLAG_MMAP): the objects
# that own a map of each, by the file's absolute path (`remember_file`).
_files: "dict[str, weakref.WeakSet[object]]" = {}
_lock = threading.Lock()
_answered = itertools.count(1)
# Bumped by every `remember_file`: with the owners alive, the key of the file maps' ranges kept
# (`_ranges`: the key they were read for, and the (start, length) of each)
_generation = 0
_ranges: tuple[object, list[tuple[int, int]]] = (None, [])


def mapped(path: Path) -> np.ndarray:
    """The array of a `.npy` file, memory-mapped read-only. Pages are read as rows are used,
    without the kernel's read-ahead (the tables are read at scattered rows: read-ahead would
    bring in, and count in the process's memory, pages that are never used). A plain ndarray,
    not an np.memmap, so that operations on it cost what they cost on any array."""
    array = np.load(path, mmap_mode="r", allow_pickle=False)
    raw = getattr(array, "_mmap", None)
    if raw is not None:
        if hasattr(mmap, "MADV_RANDOM"):
            raw.madvise(mmap.MADV_RANDOM)
        remember(raw)
    return np.asarray(array)


# Rows a `Rows` lookup reads with pread, one call each, rather than from the map: a question's
# (tens to a few hundred); a batch of passages reads many more, cheaper from the map.
FEW_ROWS = 512


class Rows:
    """The rows of a 2-D `.npy` file, `rows[ids]` as `mapped(path)[ids]` gives them. A lookup of
    at most FEW_ROWS rows reads them with `os.pread` into the process's own memory and maps
    nothing: a row touched through a map brings the whole large folio of the page cache that
    holds it into the process (up to 2 MB), until `release`: 56 MB of USE's 64 MB embedding table
    after 47 questions of ~16 rows each (docs/performance.md, "Session 22: mapped tables").
    More rows, or anything but a 1-D array of integers in range, are read from the map."""

    def __init__(self, path: Path) -> None:
        self.array = mapped(path)
        if self.array.ndim != 2:
            raise ValueError(f"{path} holds a {self.array.ndim}-D array, not rows")
        with open(path, "rb") as f:
            version = np.lib.format.read_magic(f)
            header = {(1, 0): np.lib.format.read_array_header_1_0, (2, 0): np.lib.format.read_array_header_2_0}
            if version not in header:
                raise ValueError(f"{path}: .npy format {version} is not read here")
            header[version](f)
            self._offset = f.tell()
        self.shape, self.dtype = self.array.shape, self.array.dtype
        self._row_bytes = self.array.strides[0]
        self._rows_in_file = self.array.flags.c_contiguous  # row i at offset + i * row bytes
        self._path = path
        self._fd = os.open(path, os.O_RDONLY)
        self._closer = weakref.finalize(self, os.close, self._fd)

    def __len__(self) -> int:
        return self.shape[0]

    def __getitem__(self, ids):
        few = np.asarray(ids) if isinstance(ids, (np.ndarray, list)) else None
        if (few is None or few.ndim != 1 or few.dtype.kind not in "iu" or not 0 < len(few) <= FEW_ROWS
                or not self._rows_in_file or few.min() < 0 or few.max() >= len(self)):
            return self.array[ids]
        size, base, fd, pread = self._row_bytes, self._offset, self._fd, os.pread
        # one pread a row asked, in the order asked (a repeated row is read again: cheaper than
        # finding the repeats; ~1.3 us a row)
        data = bytearray().join([pread(fd, size, base + row * size) for row in few.tolist()])
        if len(data) != size * len(few):
            raise OSError(f"{self._path} is shorter than its header says: delete it to have it made again")
        return np.frombuffer(data, self.dtype).reshape(len(few), *self.shape[1:])


def remember(buffer: mmap.mmap) -> None:
    """Let `release` drop the pages of this read-only map (it is not kept alive by this)."""
    with _lock:
        _maps.add(buffer)


def remember_file(owner: object, path: Path) -> None:
    """Let `release` drop the pages of the read-only maps of `path` while `owner`, which holds one
    (a FAISS index read with IO_FLAG_MMAP: its inverted lists), is alive. It is not kept alive by this."""
    global _generation
    with _lock:
        _files.setdefault(str(Path(path).resolve()), weakref.WeakSet()).add(owner)
        _generation += 1


def release() -> None:
    """Take the pages of every remembered map out of the process's memory (MADV_DONTNEED: on a
    read-only map of a file that only unmaps them; a later read, in any thread, maps them again
    from the page cache). A closed map is skipped."""
    if not hasattr(mmap, "MADV_DONTNEED"):
        return
    with _lock:
        maps = list(_maps)
        # the owners held until the end: none of their maps can be unmapped (and its addresses
        # reused) while its pages are dropped
        files = {path: list(owners) for path, owners in _files.items() if len(owners)}
        generation = _generation
    for buffer in maps:
        try:
            buffer.madvise(mmap.MADV_DONTNEED)
        except (ValueError, OSError):  # closed meanwhile
            pass
    if files:
        _release_files(files, generation)


def _release_files(files: dict[str, list[object]], generation: int) -> None:
    """MADV_DONTNEED on every map of these files without write permission, at the addresses
    /proc/self/maps gave when the owners alive were last these (`_ranges`): reading it again at
    every release was 2.5-5% of a search's CPU (docs/performance.md, "Session 22")."""
    global _ranges
    madvise = _madvise()
    if madvise is None:
        return
    # the owners are alive while this runs (`release` holds them), so their maps are where they
    # were: a key with the same owners (and no owner remembered since) means the same ranges
    key = (generation, frozenset((path, id(owner)) for path, owners in files.items() for owner in owners))
    known, ranges = _ranges
    if key != known:
        found = file_ranges(set(files))
        if found is None:  # not Linux
            return
        ranges = found
        _ranges = (key, ranges)
    for start, length in ranges:
        madvise(start, length, mmap.MADV_DONTNEED)


def file_ranges(paths: set[str]) -> list[tuple[int, int]] | None:
    """(start, length) of every map of these files (absolute paths) without write permission, as
    /proc/self/maps lists them now (None: not Linux)."""
    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return None
    ranges = []
    for line in lines:
        fields = line.split(maxsplit=5)
        if len(fields) == 6 and fields[5] in paths and "w" not in fields[1]:
            start, end = (int(x, 16) for x in fields[0].split("-"))
            ranges.append((start, end - start))
    return ranges


_libc_madvise: list = []


def _madvise():
    """libc's madvise (None: not there)."""
    if not _libc_madvise:
        import ctypes

        try:
            madvise = ctypes.CDLL(None, use_errno=True).madvise
            madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
        except (OSError, AttributeError):
            madvise = None
        _libc_madvise.append(madvise)
    return _libc_madvise[0]


def answered(questions: int = 1) -> None:
    """Count questions answered; `release` after every RELEASE_EVERY of them (0: never)."""
    if RELEASE_EVERY <= 0:
        return
    # next() is atomic in CPython: threads that answer at once count each question once
    if any([next(_answered) % RELEASE_EVERY == 0 for _ in range(questions)]):
        release()
