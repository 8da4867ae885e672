"""What a search reads about its candidates without SQLite row lookups (session 8, issue #14):
languages and document heads kept in memory once read (`Store.candidate_data`), passage vectors
from the flat FAISS index (`VectorIndex.stored_vectors`), sentences from the mapped file. Each
is checked bit for bit against the store's own reads, and the dense scores built from them
against `qa.fusion.dense_score` on the store's data, on a real index with and without heads."""
from __future__ import annotations

import numpy as np

from qa import Retriever, build_index
from qa.fusion import dense_score
from qa.retrieval import describe_candidates, lexical_top
from qa.vectors import VectorIndex

from test_context import QUESTION, _pages, _singles


def _index(tmp_path) -> Retriever:
    docs, index = tmp_path / "docs", tmp_path / "index"
    _pages(docs)  # documents of several passages: with heads
    _singles(docs)  # of one passage: without
    build_index([docs], index=index, progress=False)
    return Retriever.open(index)


def test_candidate_data_is_the_stores_and_is_read_again_after_a_refresh(tmp_path):
    retriever = _index(tmp_path)
    store, dim = retriever.store, retriever.encoder.dimension
    ids = [r[0] for r in store.connection().execute("SELECT id FROM passages")]
    absent = max(ids) + 1000
    langs, heads = store.passage_langs(ids), store.context_vectors(ids, dim)
    assert heads and len(heads) < len(ids)  # some passages have a head, some none
    half = set(ids[::2])
    for _ in range(2):  # read from SQLite, then from memory
        got_langs, got_heads = store.candidate_data([*ids, absent], half, True, dim)
        assert got_langs == {i: langs[i] for i in ids if i in half}
        assert got_heads.keys() == heads.keys()
        assert all(np.array_equal(got_heads[i], heads[i]) for i in heads)
        # without heads only the languages asked for are read
        assert store.candidate_data(ids, half, False, dim) == (got_langs, {})
    assert store._known[0]
    store.forget_columns()  # what `Retriever.refresh` does when the store changed
    assert store._known == ({}, {})
    again = store.candidate_data(ids, half, True, dim)
    assert again[0] == got_langs and again[1].keys() == heads.keys()
    retriever.close()


def test_flat_vectors_are_the_stores_bit_for_bit(tmp_path):
    retriever = _index(tmp_path)
    store, vectors, dim = retriever.store, retriever.vectors, retriever.encoder.dimension
    assert vectors.kind == "flat"
    ids = [r[0] for r in store.connection().execute("SELECT id FROM passages")]
    ours, theirs = vectors.stored_vectors([*ids, max(ids) + 1000]), store.vectors_for(ids, dim)
    assert ours.keys() == theirs.keys() == set(ids)
    q = np.random.default_rng(0).standard_normal(dim).astype(np.float32)
    for i in ids:
        assert np.array_equal(ours[i].view(np.int32), theirs[i].view(np.int32))
        assert float(ours[i].dot(q)) == float(theirs[i] @ q)
    # a passage the index no longer holds is not given (an index in memory: the view's is mapped read-only)
    held = VectorIndex.from_store(store, dim)
    assert set(held.stored_vectors(ids)) == set(ids)
    held.remove(np.asarray(ids[:2]))
    assert set(held.stored_vectors(ids)) == set(ids[2:])
    approximate = VectorIndex.build(np.asarray(ids, dtype=np.int64), np.stack([theirs[i] for i in ids]),
                                    kind="ivf-sq8", nlist=2)
    assert approximate.stored_vectors(ids) == {}  # its codes are not the stored vectors
    retriever.close()


def test_dense_scores_are_dense_score_on_the_stores_data(tmp_path):
    retriever = _index(tmp_path)
    view, store, dim = retriever._view, retriever.store, retriever.encoder.dimension
    assert view.context and view.sentences is not None
    weight = retriever.encoder.calibration.context_weight
    qvec = retriever.encoder.encode_queries([QUESTION])[0]
    lexical = lexical_top(store, ["verbos", "tar", "file"], 10)
    nearest = view.vectors.search(qvec, 3)  # few: most lexical candidates need their vector
    for mode in ("hybrid", "dense"):
        found = describe_candidates(view, qvec, mode, nearest, lexical)
        ids = list(found.dense)
        assert set(ids) == {i for i, _ in nearest} | {i for i, _ in lexical}
        cosines = {**{i: float(v @ qvec) for i, v in store.vectors_for(ids, dim).items()}, **dict(nearest)}
        sentences, heads = store.sentence_vectors(ids, dim), store.context_vectors(ids, dim)
        for i in ids:
            expected = dense_score(cosines[i], sentences[i][1] @ qvec if i in sentences else None,
                                   float(heads[i] @ qvec) if i in heads else None, weight)
            assert found.dense[i] == expected
            assert np.array_equal(found.sentence_cosines[i], sentences[i][1] @ qvec)
        assert found.langs == ({i: store.passage_langs([i])[i] for i, _ in lexical} if mode == "hybrid" else {})
    retriever.close()
