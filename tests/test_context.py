"""A passage's document context on the dense side (qa/context.py): with the real model and
real indexes of small hand-written documents."""
from __future__ import annotations

import dataclasses
import logging
import sqlite3

import numpy as np

from qa import Retriever, build_index
from qa.indexer import remove_documents
from qa.context import document_head
from qa.layout import current_data
from qa.store import DB_NAME

# Two manual pages whose option paragraphs are word for word the same: only their heads (title,
# NAME line) tell which program they belong to.
OPTIONS = ("-v, --verbose\n    list each file as it is processed\n\n"
           "-k, --keep\n    keep the input files instead of deleting them\n")
PAGES = {"a.txt": ("GZIP(1) User Commands GZIP(1)", "gzip - compress or expand files"),
         "b.txt": ("TAR(1) User Commands TAR(1)", "tar - an archiving utility that stores many files in one tarball")}
# Documents of one paragraph each: their passage is their whole context.
SINGLES = {"c.txt": "Tomatoes need sun and water every day, and a stake once they grow tall.",
           "d.txt": "The first train to the coast leaves at six in the morning from platform two.",
           "e.txt": "Bake the bread for forty minutes, until the crust sounds hollow when tapped."}
QUESTION = "With tar, how do I list every file as it is processed?"


def _pages(folder, pages=PAGES) -> None:
    folder.mkdir(exist_ok=True)
    for name, (title, line) in pages.items():
        (folder / name).write_text(f"{title}\n\nNAME\n    {line}\n\n{OPTIONS}", encoding="utf-8")


def _singles(folder) -> None:
    folder.mkdir(exist_ok=True)
    for name, text in SINGLES.items():
        (folder / name).write_text(text + "\n", encoding="utf-8")


def _without_context(retriever: Retriever) -> Retriever:
    """The same index and model searched without document context: the dense score as it was."""
    plain = Retriever.__new__(Retriever)
    plain.__dict__.update(retriever.__dict__)
    plain._view = dataclasses.replace(retriever._view, context=False)
    return plain


def _verbose(hits) -> list[str]:
    """The documents of the --verbose passages, best first; the same words in another document
    are a place of the better hit (`also_in`), right after it."""
    return [source for h in hits if "--verbose" in h.text
            for source in (h.source, *(place.split(" §")[0] for place in h.also_in))]


def test_the_documents_head_ranks_the_passage_that_needs_it_first(tmp_path):
    _pages(tmp_path / "docs")
    build_index([tmp_path / "docs"], index=tmp_path / "index", progress=False)
    retriever = Retriever.open(tmp_path / "index")
    plain = _without_context(retriever)
    before = plain.search(QUESTION, k=10, mode="dense")
    # without context the two --verbose passages are the same vector: the lower id (gzip's) wins the
    # tie, and tar's, the same words, is a place of that hit
    assert before[0].source == "a.txt" and _verbose(before)[:2] == ["a.txt", "b.txt"]
    assert [p.split(" §")[0] for p in before[0].also_in] == ["b.txt"]
    for mode in ("dense", "hybrid"):  # (hybrid: the title's tokens found it already, see test_titles.py)
        top = retriever.search(QUESTION, k=1, mode=mode)[0]
        assert top.source == "b.txt" and "--verbose" in top.text, (mode, top)
    retriever.close()


def test_documents_of_one_paragraph_score_as_before(tmp_path):
    _singles(tmp_path / "docs")
    build_index([tmp_path / "docs"], index=tmp_path / "index", progress=False)
    retriever = Retriever.open(tmp_path / "index")
    assert retriever.store.context_vectors(list(range(1, 10)), retriever.encoder.dimension) == {}
    plain = _without_context(retriever)
    for question in ("When does the train leave?", "How long do I bake bread?", "¿Qué necesitan los tomates?"):
        for mode in ("dense", "hybrid"):
            got = [(h.source, h.score, h.weak) for h in retriever.search(question, k=3, mode=mode)]
            assert got == [(h.source, h.score, h.weak) for h in plain.search(question, k=3, mode=mode)]
    retriever.close()


def _contexts(index) -> dict[str, np.ndarray | None]:
    with sqlite3.connect(current_data(index) / DB_NAME) as conn:
        return {s: None if v is None else np.frombuffer(v, dtype=np.float32)
                for s, v in conn.execute("SELECT source, context FROM documents")}


def test_updates_removals_and_older_indexes_keep_contexts_consistent(tmp_path, caplog):
    docs, index = tmp_path / "docs", tmp_path / "index"
    _pages(docs)
    _singles(docs)
    build_index([docs], index=index, progress=False)
    retriever = Retriever.open(index)
    encoder = retriever.encoder
    first = _contexts(index)
    assert all(first[s] is None for s in SINGLES) and all(first[s] is not None for s in PAGES)
    head = document_head(PAGES["b.txt"][0], "b.txt", "en", (docs / "b.txt").read_text())
    np.testing.assert_allclose(first["b.txt"], encoder.encode_documents([head])[0], atol=1e-5)

    # a page changes: its head is embedded again, the other's stays
    _pages(docs, {"b.txt": ("BZIP2(1) User Commands BZIP2(1)", "bzip2 - a block-sorting file compressor")})
    report = build_index([docs], index=index, progress=False)
    assert report.updated == 1
    second = _contexts(index)
    np.testing.assert_array_equal(second["a.txt"], first["a.txt"])
    head = document_head("BZIP2(1) User Commands BZIP2(1)", "b.txt", "en", (docs / "b.txt").read_text())
    np.testing.assert_allclose(second["b.txt"], encoder.encode_documents([head])[0], atol=1e-5)
    retriever.refresh()
    assert _verbose(retriever.search(QUESTION, k=10, mode="dense"))[0] == "a.txt"  # no tar page any more

    remove_documents(index, ["a.txt"])
    assert set(_contexts(index)) == {"b.txt", *SINGLES}

    # an index made before contexts: searched without any (no mix of old and new scores)...
    _pages(docs)
    build_index([docs], index=index, progress=False)
    retriever.refresh()
    with_context = [(h.source, h.score) for h in retriever.search(QUESTION, k=5, mode="dense")]
    without = [(h.source, h.score) for h in _without_context(retriever).search(QUESTION, k=5, mode="dense")]
    assert with_context != without
    with sqlite3.connect(current_data(index) / DB_NAME) as conn:
        conn.execute("UPDATE documents SET context = NULL")
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'context_version'")
    with caplog.at_level(logging.WARNING, logger="qa"):
        old = Retriever.open(index)
    assert "no document context vectors" in caplog.text
    assert [(h.source, h.score) for h in old.search(QUESTION, k=5, mode="dense")] == without
    # ... until the next `qa index` embeds the heads, and nothing else
    report = build_index([docs], index=index, progress=False)
    assert report.contexts == 2 and report.passages_embedded == 0
    assert old.refresh()
    assert [(h.source, h.score) for h in old.search(QUESTION, k=5, mode="dense")] == with_context
    for source, vector in _contexts(index).items():
        assert (vector is None) == (source in SINGLES)
    old.close()
    retriever.close()


def test_a_sharded_index_scores_contexts_as_one_index(tmp_path):
    docs = tmp_path / "docs"
    _pages(docs)
    _singles(docs)
    build_index([docs], index=tmp_path / "one", progress=False)
    build_index([docs], index=tmp_path / "three", shards=3, progress=False)
    one, three = Retriever.open(tmp_path / "one"), Retriever.open(tmp_path / "three")
    for question in (QUESTION, "How do I keep the original files when compressing?", "When does the train leave?"):
        a = [(h.source, h.paragraph, h.score) for h in one.search(question, k=8, mode="dense")]
        b = [(h.source, h.paragraph, h.score) for h in three.search(question, k=8, mode="dense")]
        assert a == b, question
        # hybrid: BM25's statistics are each shard's (test_shards.py), so two close passages may
        # swap ("keep", searched since session 14's function words: gzip's NAME 0.91 and its
        # --keep 0.83 in one index, 0.80 and 0.89 in three); each top is the other's first or second
        tops = [[h.text for h in r.search(question, k=2)] for r in (one, three)]
        assert tops[0][0] in tops[1] and tops[1][0] in tops[0], question
    one.close()
    three.close()


def test_a_server_of_an_index_made_before_the_context_column_takes_the_heads_up_at_its_refresh(tmp_path):
    """An index older than the documents' context column, served while `qa index` adds the column
    and embeds the heads: the server had looked for the column once and kept searching without
    heads after its refresh (the tar question answered with the gzip page) until restarted."""
    docs, index = tmp_path / "docs", tmp_path / "index"
    docs.mkdir()
    _pages(docs)
    _singles(docs)
    build_index([docs], index=index, progress=False)
    with sqlite3.connect(current_data(index) / DB_NAME) as conn:  # as qa made it before contexts
        conn.execute("ALTER TABLE documents DROP COLUMN context")
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'context_version'")
    served = Retriever.open(index)
    try:
        assert served.search(QUESTION, k=3)  # the store has looked for the column (candidates' languages)
        report = build_index([docs], index=index, progress=False)
        assert report.contexts == 2 and report.passages_embedded == 0
        assert served.refresh()
        opened_after = Retriever.open(index)
        try:
            for mode in ("dense", "hybrid"):
                expected = [(h.id, h.score, h.weak) for h in opened_after.search(QUESTION, k=5, mode=mode)]
                assert [(h.id, h.score, h.weak) for h in served.search(QUESTION, k=5, mode=mode)] == expected
            assert _verbose(served.search(QUESTION, k=10, mode="dense"))[0] == "b.txt"
        finally:
            opened_after.close()
    finally:
        served.close()
