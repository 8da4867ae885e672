"""A build stores its batches in the order of its files while the next batch is embedded:
small batches (each embedded while the previous one is stored, with unchanged and unreadable
files between them) give the rows of one batch stored at the end."""
from __future__ import annotations

import os
import sqlite3
import time

from qa import build_index
from qa.layout import current_data
from qa.store import DB_NAME

TEXTS = ["Le boulanger ouvre sa boutique avant l'aube, six jours par semaine.",
         "The harbour froze in the winter of 1709, and the ships stayed in port until March.",
         "Der Bäcker backt jeden Morgen Brot für das ganze Dorf.",
         "El puerto se cerró durante el invierno y los barcos esperaron hasta marzo.",
         "Il fabbro lavora il ferro nella sua bottega vicino al fiume.",
         "The library lends books, maps and records to everyone in the town.",
         "La bibliothèque prête des livres et des cartes à tous les habitants.",
         "Die Bibliothek leiht Bücher und Karten an alle Einwohner aus."]


def rows(index) -> tuple[list, list, list]:
    conn = sqlite3.connect(current_data(index) / DB_NAME)
    try:
        documents = conn.execute("SELECT id, source, hash, size, lang FROM documents ORDER BY id").fetchall()
        passages = conn.execute("SELECT id, doc_id, lang, text FROM passages ORDER BY id").fetchall()
        sentences = conn.execute('SELECT passage_id, start, "end" FROM sentences ORDER BY rowid').fetchall()
    finally:
        conn.close()
    return documents, passages, sentences


def test_small_batches_store_the_rows_of_one_batch(tmp_path):
    from qa.vectors import VectorIndex

    docs = tmp_path / "docs"
    docs.mkdir()
    for i, text in enumerate(TEXTS):
        (docs / f"{i}.txt").write_text(text + "\n", encoding="utf-8")
    small, large = tmp_path / "small", tmp_path / "large"
    reports = {}
    for index, size in ((small, 1), (large, 1000)):
        reports[index] = [build_index([docs], index=index, progress=False, batch_passages=size)]
    # between builds: files changed, one without text any more, one touched, one new
    for i in (0, 2, 3, 7):
        (docs / f"{i}.txt").write_text(TEXTS[(i + 1) % len(TEXTS)] + " " + TEXTS[i] + "\n", encoding="utf-8")
    (docs / "4.txt").write_text("   \n", encoding="utf-8")
    os.utime(docs / "5.txt", ns=(time.time_ns(), time.time_ns() + 10**9))
    (docs / "9.txt").write_text("Un nouveau fichier arrive entre deux constructions.\n", encoding="utf-8")
    for index, size in ((small, 2), (large, 1000)):  # the last batch of `small` is not full
        reports[index].append(build_index([docs], index=index, progress=False, batch_passages=size))
    for a, b in zip(reports[small], reports[large]):
        assert (a.added, a.updated, a.removed, a.unchanged, a.passages_embedded, a.skipped) == \
               (b.added, b.updated, b.removed, b.unchanged, b.passages_embedded, b.skipped)
    assert (reports[small][1].added, reports[small][1].updated, reports[small][1].removed) == (1, 4, 1)
    assert rows(small) == rows(large)
    ids = [VectorIndex.load(current_data(i), 512, VectorIndex.stamp(current_data(i))["generation"],
                            mmap=False).ids().tolist() for i in (small, large)]
    assert ids[0] == ids[1] == [p[0] for p in rows(small)[1]]
