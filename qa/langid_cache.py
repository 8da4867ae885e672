"""The language identifier (py3langid), prepared once per installation and then mapped.

py3langid decompresses its model (LZMA, 4.5 MB into 70 MB) when it is first used: about
0.5 s of a cold `qa ask`, and 86 MB of a serving process's memory, for the few hundred
table rows a question reads. The model, restricted to qa's languages as `set_languages`
does, is kept in the model cache (`~/.cache/qa/models`, or `$QA_MODEL_CACHE`) as `.npy`
files and memory-mapped, and given to py3langid's own constructor; anything unreadable is
rebuilt from py3langid's file.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from array import array
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from .mapped import Rows, mapped

FORMAT = 1


def cache_dir(languages: Sequence[str]) -> Path:
    import py3langid
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    from .e5small import cache_root

    model = MODEL_DIR / MODEL_FILE
    stat = model.stat()
    key = repr((FORMAT, getattr(py3langid, "__version__", ""), str(model), stat.st_size, stat.st_mtime_ns,
                np.__version__, sorted(languages)))
    return cache_root() / f"langid-{hashlib.sha256(key.encode()).hexdigest()[:16]}"


@lru_cache(maxsize=8)
def fingerprint(languages: tuple[str, ...]) -> str:
    """What makes the identifier's answers, short: py3langid's version and model file and the
    `languages` it is restricted to. An index records it (`qa.language.identifier_record`)."""
    import py3langid
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    model = MODEL_DIR / MODEL_FILE
    key = repr((getattr(py3langid, "__version__", ""), MODEL_FILE, model.stat().st_size, sorted(languages)))
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def load_identifier(languages: Sequence[str]) -> Any:
    """py3langid's `LanguageIdentifier` restricted to `languages`."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    folder = cache_dir(languages)
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        ptc = Rows(folder / "ptc.npy")  # a text's features' rows, read as `table[features]`
        nextmove = memoryview(mapped(folder / "nextmove.npy"))  # indexed per byte of text, as py3langid's array
        row = array(meta["row_typecode"], np.load(folder / "row.npy", allow_pickle=False).tobytes())
        output = array("q", np.load(folder / "output.npy", allow_pickle=False).astype(np.int64).tobytes())
        pc = np.load(folder / "pc.npy", allow_pickle=False)
        return _compact(LanguageIdentifier(ptc, pc, meta["classes"], nextmove, output, tk_row=row))
    except (OSError, ValueError, TypeError, KeyError):
        pass
    model = LanguageIdentifier.from_model_file(MODEL_FILE)
    model.set_languages(list(languages))
    _save(folder, model)
    return model


def _compact(model: Any) -> Any:
    """`model` with its DFA walk's per-state tables (`visit_counts`: row offsets, output feature) as
    arrays of 8-byte integers rather than lists of int objects: the same numbers read by index, about
    7 MB less in every process (docs/performance.md, "Session 21")."""
    rowbase = getattr(model, "_rowbase", None)
    if isinstance(rowbase, list):  # py3langid's own pre-shifted row offsets
        model._rowbase = array("q", rowbase)
    return model


def _save(folder: Path, model: Any) -> None:
    if not (isinstance(model.tk_nextmove, array) and isinstance(model.tk_row, array)):
        return  # another py3langid: not cached
    tmp = folder.with_name(f"{folder.name}.{os.getpid()}.tmp")
    try:
        tmp.mkdir(parents=True, exist_ok=True)
        np.save(tmp / "ptc.npy", np.ascontiguousarray(model.nb_ptc), allow_pickle=False)
        np.save(tmp / "pc.npy", np.asarray(model.nb_pc), allow_pickle=False)
        np.save(tmp / "nextmove.npy", np.frombuffer(model.tk_nextmove, dtype=f"u{model.tk_nextmove.itemsize}"),
                allow_pickle=False)
        np.save(tmp / "row.npy", np.frombuffer(model.tk_row, dtype=f"u{model.tk_row.itemsize}"), allow_pickle=False)
        np.save(tmp / "output.npy", np.asarray(model.tk_output, dtype=np.int64), allow_pickle=False)
        (tmp / "meta.json").write_text(json.dumps({"classes": list(model.nb_classes),
                                                   "row_typecode": model.tk_row.typecode}), encoding="utf-8")
        shutil.rmtree(folder, ignore_errors=True)
        os.replace(tmp, folder)
    except OSError:
        pass  # read-only or full: py3langid's file is read at each start, as without the cache
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
