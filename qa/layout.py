"""Where an index keeps its files, and how a new one replaces the old one atomically.

An index folder holds a pointer file, ``CURRENT``, naming the data folder in use
(``data-<identity>``: the store, the FAISS file, its stamp and the manifest). A
rebuild writes a whole new data folder beside the old one and then replaces the pointer
with one rename, so a reader sees either the old index or the new one, never a mix; the
random identity, recorded in the store and in the FAISS stamp, keeps a reader from
pairing one index's vectors with another's passages. Older indexes kept their files in
the index folder itself: without a pointer, that folder is the data folder.

Both the write path (`indexer`) and the read path (`retrieval`) use this module.
"""
from __future__ import annotations

import os
import re
import secrets
import shutil
from pathlib import Path

from .errors import BrokenIndex, IndexBusy, QAError
from .store import DB_NAME

POINTER = "CURRENT"
DATA_PREFIX = "data-"
LOCK_NAME = ".lock"
_DATA_NAME = re.compile(r"^data-[0-9a-f]{8,64}$")
_SHARD_NAME = re.compile(r"^shard-\d{3,}$")


def new_identity() -> str:
    return secrets.token_hex(8)


def data_name(identity: str) -> str:
    return DATA_PREFIX + identity


def current_data(index: str | os.PathLike) -> Path:
    """The data folder the index at `index` points to now (the folder itself for an older index)."""
    index = Path(index)
    try:
        name = (index / POINTER).read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return index
    except (OSError, UnicodeDecodeError) as exc:
        raise QAError(f"cannot read {index / POINTER} ({exc}); rebuild the index with `qa index --rebuild`") from None
    if not _DATA_NAME.match(name):
        raise QAError(f"{index / POINTER} names no data folder ({name[:40]!r}); "
                      "rebuild the index with `qa index --rebuild`")
    return index / name


def named_index(directory: str | os.PathLike) -> Path:
    """The index folder a user names for `directory`: the folder itself, or for a shard of a
    sharded index (`INDEX/data-…/shard-000`), which the shard's own checks are given, INDEX.
    A command told to a user names it: `qa index --index` on a shard's folder would update that
    shard alone as an index of its own, with every file given (the other shards' too)."""
    directory = Path(directory)
    if _SHARD_NAME.match(directory.name) and _DATA_NAME.match(directory.parent.name):
        return directory.parent.parent
    return directory


def lost_pointer(index: str | os.PathLike) -> list[Path]:
    """The data folders, not empty, of an index folder whose pointer is gone (deleted by hand)
    while no older index's store is there: an index not to be taken for none, nor its data
    folders for leftovers (a first build killed before its pointer was written leaves an empty one)."""
    index = Path(index)
    if (index / POINTER).exists() or (index / DB_NAME).exists():
        return []
    try:
        return sorted(p for p in index.iterdir() if p.is_dir() and _DATA_NAME.match(p.name) and any(p.iterdir()))
    except OSError:
        return []


def pointer_error(index: str | os.PathLike) -> BrokenIndex | None:
    """The one-line error for an index folder that lost its pointer (`lost_pointer`)."""
    folders = lost_pointer(index)
    if not folders:
        return None
    use = f"write {folders[0].name} into {Path(index) / POINTER} to use it again, or " if len(folders) == 1 else ""
    shards = max(sum(p.is_dir() and p.name.startswith("shard-") for p in folder.iterdir()) for folder in folders)
    return BrokenIndex(f"the index at {index} lacks its {POINTER} file, which names its data folder (deleted?): "
                       f"{use}build it again with `qa index PATH --index {index}"
                       f"{f' --shards {shards}' if shards else ''} --rebuild`")


def is_index(folder: Path) -> bool:
    """Whether `folder` is an index folder: a pointer naming a data folder beside it (a file
    named CURRENT alone, as LevelDB's, is not one), or an older index's store."""
    try:
        name = (folder / POINTER).read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        try:
            return (folder / DB_NAME).is_file()
        except OSError:  # a folder this user cannot search (permissions): no index seen in it
            return False
    return bool(_DATA_NAME.match(name)) and (folder / name).is_dir()


def publish(index: Path, data: Path) -> None:
    """Make `data` the index's data folder: one atomic rename of the pointer file."""
    tmp = index / (POINTER + ".tmp")
    with open(tmp, "w", encoding="ascii") as fh:
        fh.write(data.name + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, index / POINTER)
    _fsync_dir(index)


def leftover_data(index: Path) -> list[Path]:
    """Data folders that the pointer does not name: replaced indexes and unfinished rebuilds."""
    current = current_data(index)
    return sorted(p for p in index.iterdir() if p.is_dir() and _DATA_NAME.match(p.name) and p != current)


def remove_leftovers(index: Path) -> None:
    """Delete replaced and unfinished data folders (under the build lock). A server still
    reading a replaced one keeps its open files until it moves to the new index."""
    for path in leftover_data(index):
        shutil.rmtree(path, ignore_errors=True)


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class BuildLock:
    """The exclusive lock of an index folder: one writer at a time (builds, removals, and a
    reader saving a repaired FAISS file)."""

    def __init__(self, index: Path) -> None:
        from filelock import FileLock

        self._lock = FileLock(str(Path(index) / LOCK_NAME))
        self.index = Path(index)

    def try_acquire(self) -> bool:
        from filelock import Timeout

        try:
            self._lock.acquire(timeout=0)
            return True
        except Timeout:
            return False
        except OSError as exc:  # e.g. an index on read-only storage
            raise QAError(f"cannot write to the index folder {self.index} ({exc.strerror or exc})") from None

    def release(self) -> None:
        self._lock.release()

    def held_elsewhere(self) -> bool:
        """True while another process (or open lock) holds the lock. An index nobody can
        lock (read-only storage) has no build running."""
        try:
            acquired = self.try_acquire()
        except QAError:
            return False
        if acquired:
            self.release()
            return False
        return True

    def __enter__(self) -> "BuildLock":
        if not self.try_acquire():
            raise IndexBusy(f"another `qa index` is writing {self.index}; wait for it to finish", "busy")
        return self

    def __exit__(self, *exc) -> None:
        self.release()
