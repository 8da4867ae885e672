"""Whether a cited file is still the file the index read.

A passage is quoted from the index, not from the disk: after the file is edited or deleted,
and until `qa index` runs, the quote no longer matches what the user opens. Each answer says
so per passage (`Passage.source_changed`): "changed" or "removed", None when the file is as
indexed, or when it cannot be told (no path recorded, or the index was made on another
machine or its folder moved: the file's folder is gone too, so nothing is claimed).
A file touched but not edited is not "changed": as `qa index` does, the content decides.
"""
from __future__ import annotations

import hashlib
import os
import threading
import time
from collections import OrderedDict
from typing import Iterable

from .records import Passage

CHANGED = "changed"
REMOVED = "removed"

# A file modified less than this before it was read may be written again within the same tick
# of its file system's clock, keeping its size and times with other content: its times are not
# trusted (git's "racy clean" files). Times in whole seconds: FAT's tick is 2 s, ext3's, HFS+'s and
# those of ext4 with small inodes 1 s. Finer times: a clock of a few milliseconds at most (the
# kernel's tick, exFAT's 10 ms).
RACY_NS = 3 * 10**9
RACY_FINE_NS = 10**8


def racy(time_ns: int, now_ns: int | None = None) -> bool:
    """Whether a file of this modification (or change) time, read now, may yet be written again
    with its size and times kept (`RACY_NS`)."""
    now_ns = time.time_ns() if now_ns is None else now_ns
    return now_ns - time_ns < (RACY_NS if time_ns % 10**9 == 0 else RACY_FINE_NS)


class SourceCheck:
    """Compares cited files with the index's record of them (`Store.passages` rows: origin,
    size, mtime_ns, hash). Holds the hashes of touched files by (path, size, times), bounded,
    so a file touched since indexing is read once, not at every question."""

    def __init__(self, size: int = 256) -> None:
        self._hashes: OrderedDict[tuple[str, int, int], str] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def state(self, row: dict) -> str | None:
        origin = row.get("origin")
        if not origin or row.get("file_size") is None:
            return None
        try:
            st = os.stat(origin)
        except FileNotFoundError:
            return REMOVED if os.path.isdir(os.path.dirname(origin)) else None
        except OSError:
            return None
        if st.st_size != row["file_size"]:
            return CHANGED
        # the change time too (`FileState.same_file`); unknown in an index made before it was kept
        if st.st_mtime_ns == row["file_mtime_ns"] and row.get("file_ctime_ns") in (None, st.st_ctime_ns):
            return None
        digest = self._digest(origin, st)
        return None if digest is None or digest == row["file_hash"] else CHANGED

    def outdated(self, row: dict | None) -> bool:
        """Whether the file of a row (`Store.passages`, `Store.places`) is known to have changed or
        been deleted since it was indexed (`state`)."""
        return row is not None and self.state(row) is not None

    def mark(self, hits: Iterable[Passage], rows: dict[int, dict]) -> None:
        """Set `source_changed` on each hit from its row (keyed by passage id); one check per file."""
        seen: dict[str, str | None] = {}
        for hit in hits:
            row = rows.get(hit.id)
            if row is None:
                continue
            origin = row.get("origin") or ""
            if origin not in seen:
                seen[origin] = self.state(row)
            hit.source_changed = seen[origin]

    def _digest(self, path: str, st: os.stat_result) -> str | None:
        key = (path, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
        # a hash read within the file's clock tick of its last write is not kept: a write in that
        # tick would keep the key, and the hash would answer for content it is not of
        keep = not racy(max(st.st_mtime_ns, st.st_ctime_ns))
        with self._lock:
            if key in self._hashes:
                self._hashes.move_to_end(key)
                return self._hashes[key]
        try:
            with open(path, "rb") as f:
                digest = hashlib.file_digest(f, lambda: hashlib.blake2b(digest_size=16)).hexdigest()
        except OSError:
            return None
        if not keep:
            return digest
        with self._lock:
            self._hashes[key] = digest
            while len(self._hashes) > self._size:
                self._hashes.popitem(last=False)
        return digest
