"""What telling the parts of a long paragraph apart (`Store._add_parts`, qa/citations.py) costs.

    python benchmarks/citation_parts.py [INDEX]

Without INDEX: the parts query alone for a passage in the middle of one paragraph cut in 3, 100
and 2,000 passages (SQLite in memory). With INDEX: `Store.passages` of 20 passages (a reply's
rows), CPU time with the parts and without them, over the whole index.
"""
from __future__ import annotations

import sqlite3
import sys
import time
from pathlib import Path

from qa.layout import current_data
from qa.store import _PART_SQL, DB_NAME, Store


def query_alone() -> None:
    c = sqlite3.connect(":memory:")
    c.executescript("CREATE TABLE passages(id INTEGER PRIMARY KEY, doc_id INT, paragraph INT, text TEXT);"
                    "CREATE INDEX passages_doc ON passages(doc_id);")
    for n in (3, 100, 2000):
        c.execute("DELETE FROM passages")
        c.executemany("INSERT INTO passages VALUES (?,?,?,?)", [(i, 1, 1, "x" * 1000) for i in range(1, n + 1)]
                      + [(n + 1, 1, 2, "y")])
        t = time.process_time()
        for _ in range(200):
            part = c.execute(_PART_SQL, {"i": n // 2 + 1, "d": 1, "p": 1}).fetchone()
        print(f"paragraph of {n} passages: {(time.process_time() - t) / 200 * 1000:.3f} ms CPU a passage, "
              f"part {part}")


def rows_of_a_reply(index: Path, k: int = 20, n: int = 200) -> None:
    store = Store(current_data(index) / DB_NAME)
    ids = [r[0] for r in store.connection().execute("SELECT id FROM passages")]

    def run() -> float:
        t = time.process_time()
        for j in range(n):
            store.passages(ids[(j * k) % max(1, len(ids) - k):][:k])
        return (time.process_time() - t) / n * 1000

    with_parts = min(run() for _ in range(3))
    real = Store._add_parts
    Store._add_parts = lambda self, rows: None
    try:
        without = min(run() for _ in range(3))
    finally:
        Store._add_parts = real
    print(f"{len(ids)} passages; Store.passages of {k}: {with_parts:.2f} ms CPU with parts, {without:.2f} ms without")


if __name__ == "__main__":
    query_alone()
    if len(sys.argv) > 1:
        rows_of_a_reply(Path(sys.argv[1]))
