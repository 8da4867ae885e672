"""Read-only arrays over `.npy` files' pages, for the model tables of qa/use_cache.py and
qa/langid_cache.py."""
from __future__ import annotations

import mmap
from pathlib import Path

import numpy as np


def mapped(path: Path) -> np.ndarray:
    """The array of a `.npy` file, memory-mapped read-only. Pages are read as rows are used,
    without the kernel's read-ahead (the tables are read at scattered rows: read-ahead would
    bring in, and count in the process's memory, pages that are never used). A plain ndarray,
    not an np.memmap, so that operations on it cost what they cost on any array."""
    array = np.load(path, mmap_mode="r", allow_pickle=False)
    raw = getattr(array, "_mmap", None)
    if raw is not None and hasattr(mmap, "MADV_RANDOM"):
        raw.madvise(mmap.MADV_RANDOM)
    return np.asarray(array)
