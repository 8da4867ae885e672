"""The vector index type: exact below a size threshold, approximate (tuned IVF) above it.

Real FAISS, real indexes on disk; the threshold is made small so that a few files cross it.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from qa.layout import current_data
from qa import Retriever, build_index
from qa.vectors import FLAT, IVF_SQ8, VectorIndex, choose_kind, exact_topk, nlist_for, recall_at_k, tuning_queries

from conftest import mapped_kb


def _clustered(n: int, dim: int = 512, clusters: int = 50, seed: int = 0) -> np.ndarray:
    """Unit vectors around a few centres, like embeddings of topical text."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(clusters, dim)).astype(np.float32)
    x = centres[rng.integers(0, clusters, n)] + rng.normal(0, 0.7, (n, dim)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_kind_follows_the_threshold():
    assert choose_kind(99, threshold=100) == FLAT
    assert choose_kind(100, threshold=100) == IVF_SQ8


def test_approximate_recall_at_10_on_synthetic_vectors(tmp_path):
    vectors = _clustered(20000)
    ids = np.arange(1000, 21000, dtype=np.int64)
    index = VectorIndex.build(ids, vectors, kind=IVF_SQ8)
    assert index.kind == IVF_SQ8 and index.size == 20000
    assert index.params["nprobe"] < index.params["nlist"]  # tuned, not exhaustive
    # fresh queries (another seed than tuning): recall@10 against exact search
    queries = tuning_queries(vectors, n=200, seed=7)
    truth = exact_topk(vectors, ids, queries, 10)
    _, found = index.index.search(queries, 10)
    assert recall_at_k(found, truth) >= 0.95
    # the parameters survive saving and loading (memory-mapped)
    index.save(tmp_path, 1)
    loaded = VectorIndex.load(tmp_path, 512, 1)
    assert loaded.kind == IVF_SQ8 and loaded.params == index.params
    _, again = loaded.index.search(queries, 10)
    assert recall_at_k(again, truth) >= 0.95


def test_a_shard_gets_the_inverted_lists_of_the_whole_collection():
    """`nlist_scale`: a shard of 4 is trained with the lists of 4 times its vectors, so that
    the share of lists it probes is the share of the collection one index would probe."""
    vectors = _clustered(20000, seed=3)
    ids = np.arange(20000, dtype=np.int64)
    alone = VectorIndex.build(ids, vectors, kind=IVF_SQ8)
    shard = VectorIndex.build(ids, vectors, kind=IVF_SQ8, nlist_scale=4)
    assert alone.params["nlist"] == nlist_for(20000) == 256 and "nlist_scale" not in alone.params
    assert shard.params["nlist"] == nlist_for(80000) == 512 and shard.params["nlist_scale"] == 4
    assert shard.params["recall_at_10"] >= 0.98 and shard.size == 20000


def test_ivf_search_in_two_steps_equals_faiss_search():
    """`search_many` on an IVF index calls the coarse search and the list scan itself
    (`qa.vectors._ivf_search`, less CPU than FAISS's own `search`): the same ids and scores."""
    vectors = _clustered(20000, seed=4)
    index = VectorIndex.build(np.arange(5, 20005, dtype=np.int64), vectors, kind=IVF_SQ8)
    queries = tuning_queries(vectors, n=50, seed=9)
    scores, ids = index.index.search(queries, 50)
    found = index.search_many(queries, 50)
    assert [[i for i, _ in row] for row in found] == ids.tolist()
    assert np.allclose([[s for _, s in row] for row in found], scores, atol=1e-6)


def _write_docs(folder, start: int, count: int) -> None:
    for i in range(start, start + count):
        paragraphs = [f"Document {i}, paragraph {j}: the river number {i * 7 + j} flows past town {j}."
                      for j in range(6)]
        (folder / f"doc{i:03d}.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")


def test_index_type_switches_with_size_and_survives_updates(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    index = tmp_path / "index"
    _write_docs(docs, 0, 3)  # 18 passages: exact
    small = build_index([docs], index=index, progress=False, approx_threshold=40)
    manifest = json.loads((current_data(index) / "manifest.json").read_text())
    assert manifest["index_type"] == FLAT and small.index_type.startswith("flat")
    assert Retriever.open(index).vectors.kind == FLAT

    _write_docs(docs, 3, 6)  # 54 passages: approximate
    grown = build_index([docs], index=index, progress=False, approx_threshold=40)
    assert grown.passages == 54 and grown.passages_embedded == 36
    manifest = json.loads((current_data(index) / "manifest.json").read_text())
    assert manifest["index_type"] == IVF_SQ8 and manifest["index_params"]["nprobe"] >= 1
    assert grown.index_type.startswith(IVF_SQ8)
    retriever = Retriever.open(index)
    assert retriever.vectors.kind == IVF_SQ8 and retriever.vectors.size == 54
    hit = retriever.search("river number 37 town 2", k=1)[0]  # doc005 paragraph 3 (7*5+2)
    assert hit.source == "doc005.txt"

    # incremental update and removal on the approximate index: ids stay in step with the store
    (docs / "doc004.txt").write_text("A changed file about mountains.\n\nSecond paragraph.\n", encoding="utf-8")
    (docs / "doc000.txt").unlink()
    updated = build_index([docs], index=index, progress=False, approx_threshold=40)
    assert (updated.updated, updated.removed, updated.passages_embedded) == (1, 1, 2)
    assert updated.passages == 44
    retriever = Retriever.open(index)
    assert retriever.vectors.kind == IVF_SQ8 and retriever.vectors.size == 44
    hits = retriever.search("Document 0, paragraph 1", k=10)
    assert len(hits) == 10 and "doc000.txt" not in {h.source for h in hits}
    assert retriever.search("mountains", k=1)[0].source == "doc004.txt"

    # unchanged: nothing embedded, type kept
    again = build_index([docs], index=index, progress=False, approx_threshold=40)
    assert again.passages_embedded == 0 and json.loads((current_data(index) / "manifest.json").read_text())["index_type"] == IVF_SQ8

    # shrinking below half the threshold goes back to exact search
    for name in sorted(p.name for p in docs.iterdir())[:6]:
        (docs / name).unlink()
    shrunk = build_index([docs], index=index, progress=False, approx_threshold=40)
    assert shrunk.passages < 20
    assert json.loads((current_data(index) / "manifest.json").read_text())["index_type"] == FLAT
    assert Retriever.open(index).vectors.size == shrunk.passages


def test_a_search_in_any_thread_runs_faiss_on_one_openmp_thread():
    """OpenMP's thread count is per thread: a sharded search's pool threads and a server's
    workers must get one each, not only the first thread that searched (else 4 shard
    threads each start 2 OpenMP threads on a 2-core machine)."""
    import os
    import threading

    import faiss

    if (os.cpu_count() or 1) < 2:
        return  # one core: OpenMP's default is one thread already, nothing to tell apart
    index = VectorIndex.build(np.arange(200, dtype=np.int64), _clustered(200), kind=FLAT)
    index.search(_clustered(1, seed=3)[0], 5)  # this thread first
    seen = []

    def search_in_a_new_thread():
        before = faiss.omp_get_max_threads()
        index.search(_clustered(1, seed=4)[0], 5)
        seen.append((before, faiss.omp_get_max_threads()))

    thread = threading.Thread(target=search_in_a_new_thread)
    thread.start()
    thread.join()
    assert seen[0][0] > 1 and seen[0][1] == 1, seen


def test_shards_tuned_together_reach_the_recall_with_fewer_lists():
    """`tune_together`: one nprobe for 4 approximate shards, tuned on their merged top 10;
    the merged results keep the target recall on fresh queries, with fewer lists per shard
    than each shard's own tuning (which asks every shard for its own top 10)."""
    from qa.vectors import TARGET_RECALL, tune_together

    vectors = _clustered(24000, clusters=2000, seed=1)  # hard enough that shards need many lists
    ids = np.arange(24000, dtype=np.int64)
    parts = [(VectorIndex.build(ids[s::4], vectors[s::4], kind=IVF_SQ8), ids[s::4], vectors[s::4]) for s in range(4)]
    own = [index.params["nprobe"] for index, _, _ in parts]
    nprobe, recall = tune_together(parts)
    assert recall >= TARGET_RECALL and nprobe < max(own), (nprobe, recall, own)
    assert all(index.params["nprobe"] == nprobe and index.params["sharded_recall_at_10"] == round(recall, 4)
               for index, _, _ in parts)
    queries = tuning_queries(vectors, n=300, seed=7)  # not the tuning's queries
    truth = exact_topk(vectors, ids, queries, 10)
    found = []
    for q in queries:
        hits = [hit for index, _, _ in parts for hit in index.search(q, 10)]
        found.append([i for i, _ in sorted(hits, key=lambda h: -h[1])[:10]])
    assert recall_at_k(np.asarray(found), truth) >= 0.95


@pytest.mark.parametrize("given", ["absolute", "relative"])
def test_the_mapped_inverted_lists_are_given_back_with_the_tables(tmp_path, monkeypatch, given):
    """A mapped IVF index's pages that searches touched leave the process at `mapped.release` (they
    stayed until the index was closed: ~40 MB at 100k passages after 50 questions), and the same
    searches give the same results after it (docs/performance.md, "Session 21"). An index opened by
    a relative path (`qa ask --index index`) too: /proc/self/maps names its file by its full path
    (mutants22)."""
    from qa import mapped

    vectors = _clustered(20000)
    VectorIndex.build(np.arange(20000, dtype=np.int64), vectors, kind=IVF_SQ8).save(tmp_path, 1)
    monkeypatch.chdir(tmp_path.parent)
    loaded = VectorIndex.load(tmp_path if given == "absolute" else Path(tmp_path.name), 512, 1)
    faiss_file = (tmp_path / "vectors.faiss").resolve()
    queries = tuning_queries(vectors, n=100, seed=3)
    found = loaded.index.search(queries, 10)
    touched = mapped_kb(faiss_file)
    assert touched > 1000
    mapped.release()
    assert mapped_kb(faiss_file) < touched / 10
    again = loaded.index.search(queries, 10)
    assert all(np.array_equal(a, b) for a, b in zip(found, again))
    del loaded  # a closed index: nothing of it is released any more, nothing fails
    mapped.release()


def test_the_mapped_lists_addresses_are_read_once_while_the_same_indexes_are_open(tmp_path, monkeypatch):
    """`mapped.release` reads /proc/self/maps for the addresses of the mapped IVF indexes once, then
    again only when an index is opened or closed (it read them at every release: 2.5-5% of a
    search's CPU, docs/performance.md "Session 22"), and gives back the same pages: its ranges are
    those a fresh read finds, and the touched pages leave at every release."""
    import gc

    from qa import mapped

    reads = []

    def counting_open(file, *args, **kwargs):
        if str(file) == "/proc/self/maps":
            reads.append(file)
        return open(file, *args, **kwargs)

    def release() -> int:
        """/proc/self/maps reads of one release."""
        monkeypatch.setattr(mapped, "open", counting_open, raising=False)
        reads.clear()
        mapped.release()
        monkeypatch.delattr(mapped, "open")
        return len(reads)

    vectors = _clustered(20000)
    folders = [tmp_path / "a", tmp_path / "b"]
    for folder in folders:
        folder.mkdir()
        VectorIndex.build(np.arange(20000, dtype=np.int64), vectors, kind=IVF_SQ8).save(folder, 1)
    files = [str((folder / "vectors.faiss").resolve()) for folder in folders]
    queries = tuning_queries(vectors, n=100, seed=3)
    first = VectorIndex.load(folders[0], 512, 1)
    for n in range(3):
        first.index.search(queries, 10)
        touched = mapped_kb(files[0])
        assert touched > 1000
        assert release() == (1 if n == 0 else 0)
        assert mapped_kb(files[0]) < touched / 10
    assert mapped._ranges[1] == mapped.file_ranges({files[0]}) != []
    second = VectorIndex.load(folders[1], 512, 1)  # an index opened: read again
    second.index.search(queries, 10)
    assert (release(), release()) == (1, 0)
    assert mapped_kb(files[1]) < 100
    both = mapped.file_ranges(set(files))
    assert mapped._ranges[1] == both and len(both) > len(mapped.file_ranges({files[0]}))
    del first  # an index closed: its addresses are no longer used
    gc.collect()
    second.index.search(queries, 10)
    assert release() == 1
    assert mapped._ranges[1] == mapped.file_ranges(set(files)) == mapped.file_ranges({files[1]})
    assert mapped_kb(files[1]) < 100


def test_the_addresses_kept_follow_an_index_closed_while_another_maps_the_same_file(tmp_path):
    """Two readers of one index (`qa serve` opening the index anew while an older reader still
    answers): the file is mapped twice. When one is closed its map goes, though the file is still
    mapped by the other: the ranges kept must be read again, not the closed one's kept (whose
    addresses may since hold another map, which MADV_DONTNEED would empty)."""
    import gc

    from qa import mapped

    vectors = _clustered(20000)
    VectorIndex.build(np.arange(20000, dtype=np.int64), vectors, kind=IVF_SQ8).save(tmp_path, 1)
    faiss_file = str((tmp_path / "vectors.faiss").resolve())
    queries = tuning_queries(vectors, n=100, seed=3)
    older, newer = VectorIndex.load(tmp_path, 512, 1), VectorIndex.load(tmp_path, 512, 1)
    older.index.search(queries, 10)
    newer.index.search(queries, 10)
    mapped.release()
    both = mapped.file_ranges({faiss_file})
    assert mapped._ranges[1] == both and mapped_kb(faiss_file) < 100
    del older
    gc.collect()
    one = mapped.file_ranges({faiss_file})
    assert one != both
    found = newer.index.search(queries, 10)
    mapped.release()
    assert mapped._ranges[1] == one and mapped_kb(faiss_file) < 100
    assert all(np.array_equal(a, b) for a, b in zip(found, newer.index.search(queries, 10)))
