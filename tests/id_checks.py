"""Checks that an index never gives out an id twice (tests/test_shards.py, tests/test_integrity.py)."""
from __future__ import annotations

import sqlite3
from pathlib import Path


def assert_numbered_after(store_file: Path, given: dict[str, int], count: int | None = None) -> None:
    """Every document and passage of the store at `store_file` has an id above `given` (the
    highest ids given out before, `qa.store.last_ids`): none reused; `count`: how many of each
    it must hold (else at least one)."""
    conn = sqlite3.connect(store_file)
    try:
        lowest = {table: conn.execute(f"SELECT MIN(id), COUNT(*) FROM {table}").fetchone()
                  for table in ("documents", "passages")}
    finally:
        conn.close()
    for table, (low, held) in lowest.items():
        assert (held == count if count is not None else held > 0) and low > given[table], (table, low, held, given[table])


def store_generation(store_file: Path) -> int:
    """The generation a store's last commit wrote (`meta.generation`), read without waiting on a
    writer; -1 while the store cannot be read (a writer creating it, a shard being swapped)."""
    try:
        conn = sqlite3.connect(f"file:{store_file}?mode=ro", uri=True, timeout=0.2)
        try:
            return int(conn.execute("SELECT value FROM meta WHERE key='generation'").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return -1


def sharded_ids(index: Path, shards: int) -> dict[str, list[int]]:
    """The global ids of every document and passage a sharded index's shards hold."""
    from qa.shards import databases, global_id

    found: dict[str, list[int]] = {"documents": [], "passages": []}
    for shard, db in enumerate(databases(index)):
        conn = sqlite3.connect(db)
        try:
            for table in found:
                found[table] += [global_id(i, shard, shards) for (i,) in conn.execute(f"SELECT id FROM {table}")]
        finally:
            conn.close()
    return found
