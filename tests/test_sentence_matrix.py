"""The sentence vectors in one mapped file (qa/sentence_matrix.py): bit for bit the store's, and
never used when it does not reflect the store (added, removed, a build cut short, cut files)."""
from __future__ import annotations

import dataclasses
import shutil

import numpy as np

from qa import Retriever, build_index
from qa.indexer import remove_documents
from qa.layout import current_data
from qa.sentence_matrix import MATRIX_NAME, SentenceMatrix
from qa.shards import read_manifest
from qa.store import DB_NAME

from test_sentence_tokens import DOCS, QUESTIONS, _write


def _answers(retriever, many: bool = False) -> list[list[dict]]:
    found = retriever.search_many(QUESTIONS, k=6) if many else [retriever.search(q, k=6) for q in QUESTIONS]
    return [[dataclasses.asdict(h) for h in hits] for hits in found]


def _from_store(retriever: Retriever) -> Retriever:
    """The same index searched with its sentences read from SQLite."""
    plain = Retriever.__new__(Retriever)
    plain.__dict__.update(retriever.__dict__)
    plain._view = dataclasses.replace(retriever._view, sentences=None)
    return plain


def _same_as_store(retriever: Retriever) -> None:
    """The file is in use and gives the store's sentences and answers exactly."""
    view = retriever._view
    assert view.sentences is not None and view.sentences.generation == view.store.generation()
    ids = [r[0] for r in view.store.connection().execute("SELECT id FROM passages")]
    ours, theirs = view.sentences.sentence_vectors(ids, view.store, 512), view.store.sentence_vectors(ids, 512)
    assert ours.keys() == theirs.keys() and len(ours) == len(ids)
    q = np.random.default_rng(0).standard_normal(512).astype(np.float32)
    for i, (spans, vectors) in theirs.items():
        assert ours[i][0] == spans
        assert np.array_equal(ours[i][1], vectors) and np.array_equal(ours[i][1] @ q, vectors @ q)
    for many in (False, True):
        assert _answers(retriever, many) == _answers(_from_store(retriever), many)


def test_the_file_follows_additions_and_removals(tmp_path):
    docs, extra, index = tmp_path / "docs", tmp_path / "extra", tmp_path / "index"
    _write(docs, {k: v for k, v in DOCS.items() if not k.startswith("en/")})
    _write(extra, {k: v for k, v in DOCS.items() if k.startswith("en/")})
    build_index([docs], index=index, progress=False)
    retriever = Retriever.open(index)
    _same_as_store(retriever)
    before = _answers(retriever)

    build_index([extra], index=index, progress=False, add=True)
    # not refreshed yet: its file does not hold the new passages, read from the store instead
    assert _answers(retriever) == _answers(_from_store(retriever)) != before
    assert retriever.refresh()
    _same_as_store(retriever)

    remove_documents(index, ["zh/river.txt", "en/bread.txt"])
    assert retriever.refresh()
    _same_as_store(retriever)
    retriever.close()


def test_a_file_that_does_not_reflect_the_store_is_not_used(tmp_path):
    docs, extra, index = tmp_path / "docs", tmp_path / "extra", tmp_path / "index"
    _write(docs, {k: v for k, v in DOCS.items() if not k.startswith("en/")})
    _write(extra, {k: v for k, v in DOCS.items() if k.startswith("en/")})
    build_index([docs], index=index, progress=False)
    data = current_data(index)
    shutil.copy(data / MATRIX_NAME, tmp_path / "old.matrix")

    # a build that died between its store's commit and the file's write: the file of before
    build_index([extra], index=index, progress=False, add=True)
    shutil.copy(tmp_path / "old.matrix", data / MATRIX_NAME)
    retriever = Retriever.open(index)
    assert retriever._view.sentences is None
    stale = _answers(retriever)
    # the next `qa index`, even with nothing to do, writes it again
    report = build_index([extra], index=index, progress=False, add=True)
    assert report.passages_embedded == 0
    fresh = Retriever.open(index)
    _same_as_store(fresh)
    assert _answers(fresh) == stale
    assert not retriever.refresh()  # the same generation: only the file is taken up
    _same_as_store(retriever)

    # cut short, padded, or another index's: not used
    whole = (data / MATRIX_NAME).read_bytes()
    generation, identity = fresh.generation, fresh.identity
    for damaged in (whole[:-100], whole + b"\0" * 64):
        (data / MATRIX_NAME).write_bytes(damaged)
        assert SentenceMatrix.load(data, 512, generation, identity) is None
    (data / MATRIX_NAME).write_bytes(whole)
    assert SentenceMatrix.load(data, 512, generation, identity) is not None
    assert SentenceMatrix.load(data, 512, generation, "another") is None
    assert SentenceMatrix.load(data, 512, generation + 1, identity) is None
    fresh.close()
    retriever.close()


def test_a_sharded_index_reads_each_shards_file(tmp_path):
    docs, index = tmp_path / "docs", tmp_path / "index"
    _write(docs)
    build_index([docs], index=index, shards=3, progress=False)
    data = current_data(index)
    assert all((current_data(data / name) / MATRIX_NAME).exists() for name in read_manifest(data).shards)
    retriever = Retriever.open(index)
    for shard in retriever.shards:
        assert shard._view.sentences is not None
    for many in (False, True):
        with_files = _answers(retriever, many)
        views = [shard._view for shard in retriever.shards]
        for shard in retriever.shards:
            shard._view = dataclasses.replace(shard._view, sentences=None)
        assert _answers(retriever, many) == with_files
        for shard, view in zip(retriever.shards, views):
            shard._view = view
    retriever.close()


def test_rows_out_of_text_order_are_sorted_and_rows_of_no_passage_give_no_file(tmp_path):
    import sqlite3

    from qa import sentence_matrix
    from qa.store import Store

    docs, index = tmp_path / "docs", tmp_path / "index"
    _write(docs)
    build_index([docs], index=index, progress=False)
    data = current_data(index)
    written = (data / MATRIX_NAME).read_bytes()
    conn = sqlite3.connect(data / DB_NAME)
    several = [r[0] for r in conn.execute("SELECT passage_id FROM sentences GROUP BY passage_id "
                                          "HAVING COUNT(*) > 2 ORDER BY passage_id")]
    assert len(several) >= 2
    for k, pid in enumerate(several):  # as another program may have written them: rowids not in text order
        rows = conn.execute('SELECT passage_id, start, "end", vector FROM sentences WHERE passage_id=? '
                            "ORDER BY rowid", (pid,)).fetchall()
        conn.execute("DELETE FROM sentences WHERE passage_id=?", (pid,))
        conn.executemany("INSERT INTO sentences VALUES(?,?,?,?)", rows[::-1] if k % 2 else rows[1:] + rows[:1])
    conn.commit()
    store = Store(data / DB_NAME)
    identity, generation = store.identity(), store.generation()
    assert sentence_matrix.write(store, data, 512, identity)
    assert (data / MATRIX_NAME).read_bytes() == written  # sorted back: the file the build wrote
    matrix = SentenceMatrix.load(data, 512, generation, identity)
    ids = [r[0] for r in conn.execute("SELECT id FROM passages")]
    ours, theirs = matrix.sentence_vectors(ids, store, 512), store.sentence_vectors(ids, 512)
    assert all(ours[i][0] == theirs[i][0] and np.array_equal(ours[i][1], theirs[i][1]) for i in theirs)

    conn.execute("INSERT INTO sentences VALUES(?, 0, 1, zeroblob(2048))", (max(ids) + 1000,))
    conn.commit()
    assert not sentence_matrix.write(store, data, 512, identity)
    assert not (data / MATRIX_NAME).exists()
    store.close()
    conn.close()
