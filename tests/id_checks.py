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
