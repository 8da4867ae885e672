"""CharSplit's n-gram table (package `split-words`), prepared once per installation and then mapped.

split-words reads its 40 MB `ngram_probs.json` into three dicts (1.87 million n-grams) on the
first German text: 2-3 s CPU and ~360 MB resident in every process that meets German. The
splitter only ever calls `ngram_probs[table].get(ngram, default)`, so each table is kept in the
model cache (`~/.cache/qa/models`, or `$QA_MODEL_CACHE`) as a sorted array of the n-grams'
8-byte hashes and an array of their values, both memory-mapped; a lookup is a binary search.
Anything unreadable is rebuilt from the package's file.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from bisect import bisect_left
from functools import lru_cache
from pathlib import Path

import numpy as np

from .mapped import mapped

FORMAT = 1
TABLES = ("suffix", "prefix", "infix")


def _hash(ngram: str) -> int:
    return int.from_bytes(hashlib.blake2b(ngram.encode("utf-8"), digest_size=8).digest(), "little")


class MappedTable:
    """One of CharSplit's tables, answering `.get` as the dict it replaces."""

    def __init__(self, keys: np.ndarray, values: np.ndarray):
        self._keys = memoryview(keys)  # bisect over Python ints: exact for every uint64
        self._values = values
        self._n = len(keys)
        # the splitter asks for the same n-gram many times within one word (every longer slice
        # of a word's end is its end): 180 -> 105 µs a word on XQuAD de
        self._find = lru_cache(maxsize=1024)(self._search)

    def get(self, ngram: str, default: float | None = None) -> float | None:
        value = self._find(ngram)
        return default if value is None else value

    def _search(self, ngram: str) -> float | None:
        h = _hash(ngram)
        i = bisect_left(self._keys, h)
        if i < self._n and self._keys[i] == h:
            return float(self._values[i])
        return None

    def __len__(self) -> int:
        return self._n


def cache_dir() -> Path:
    import split_words
    from split_words.splitter import NGRAM_PATH

    from .e5small import cache_root

    stat = Path(NGRAM_PATH).stat()
    key = repr((FORMAT, getattr(split_words, "__version__", ""), str(NGRAM_PATH), stat.st_size, stat.st_mtime_ns,
                np.__version__))
    return cache_root() / f"charsplit-{hashlib.sha256(key.encode()).hexdigest()[:16]}"


def load_tables() -> dict[str, MappedTable]:
    """CharSplit's tables by name, mapped from the model cache (built there on first use, in a
    child process: reading the JSON takes ~390 MB, which a long-lived server would keep)."""
    folder = cache_dir()
    try:
        return _read(folder)
    except (OSError, ValueError, KeyError):
        pass
    # the child imports this very package (the cache key depends on nothing else)
    here = str(Path(__file__).resolve().parent.parent)
    path = os.pathsep.join(filter(None, [here, os.environ.get("PYTHONPATH")]))
    try:
        subprocess.run([sys.executable, "-c", "from qa.compound_table import build; build()"],
                       check=True, timeout=600, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       env={**os.environ, "PYTHONPATH": path})
        return _read(folder)
    except (OSError, ValueError, KeyError, subprocess.SubprocessError):
        return build()


def build() -> dict[str, MappedTable]:
    """Read the package's JSON table, save it to the model cache and map it (this process
    keeps the arrays when the cache cannot be written)."""
    folder = cache_dir()
    from split_words.splitter import NGRAM_PATH

    with open(NGRAM_PATH, encoding="utf-8") as f:
        probs = json.load(f)
    arrays = {name: _arrays(probs[name]) for name in TABLES}
    del probs
    _save(folder, arrays)
    try:
        return _read(folder)
    except (OSError, ValueError, KeyError):  # not saved (read-only, full): this process keeps the arrays
        return {name: MappedTable(*arrays[name]) for name in TABLES}


def _arrays(table: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
    keys = np.fromiter((_hash(k) for k in table), dtype=np.uint64, count=len(table))
    values = np.fromiter(table.values(), dtype=np.float64, count=len(table))
    order = np.argsort(keys, kind="stable")
    keys, values = keys[order], values[order]
    if len(keys) > 1 and bool((keys[1:] == keys[:-1]).any()):
        raise ValueError("two n-grams share a hash")  # 1 in ~10^7 for this table; would change splits
    return keys, values


def _read(folder: Path) -> dict[str, MappedTable]:
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    tables = {}
    for name in TABLES:
        keys, values = mapped(folder / f"{name}.keys.npy"), mapped(folder / f"{name}.values.npy")
        if keys.dtype != np.uint64 or values.dtype != np.float64 or not len(keys) == len(values) == meta[name]:
            raise ValueError(f"{name}: unexpected arrays")
        tables[name] = MappedTable(keys, values)
    return tables


def _save(folder: Path, arrays: dict[str, tuple[np.ndarray, np.ndarray]]) -> None:
    tmp = folder.with_name(f"{folder.name}.{os.getpid()}.tmp")
    try:
        tmp.mkdir(parents=True, exist_ok=True)
        for name, (keys, values) in arrays.items():
            np.save(tmp / f"{name}.keys.npy", keys, allow_pickle=False)
            np.save(tmp / f"{name}.values.npy", values, allow_pickle=False)
        (tmp / "meta.json").write_text(json.dumps({name: len(k) for name, (k, _) in arrays.items()}),
                                       encoding="utf-8")
        shutil.rmtree(folder, ignore_errors=True)
        os.replace(tmp, folder)
    except OSError:
        pass  # read-only or full: the package's file is read at each start, as without the cache
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
