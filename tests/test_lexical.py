"""The lexical half: pruning of common terms on large stores, and searching beside the encoder."""
from __future__ import annotations

import threading

import numpy as np

import qa.lexical_plan as plan_module
import qa.store as store_module
from qa import Retriever
from qa.lexical_plan import lexical_search, plan_terms
from qa.store import DB_NAME, NewPassage, Store

from conftest import mapped_kb


def _store(tmp_path, passages: list[list[str]]) -> Store:
    store = Store(tmp_path / DB_NAME, create=True)
    news = [NewPassage(i + 1, 0, 1, None, "en", "x", tokens) for i, tokens in enumerate(passages)]
    vectors = np.zeros((len(news), 4), np.float32)
    with store.transaction() as conn:
        store.insert_document(conn, "doc.txt", "h", 1, 1, None, None, "en", "x", news, vectors)
        store.bump_generation(conn)
    return store


def test_common_terms_are_left_out_on_large_stores(tmp_path, monkeypatch):
    # 400 passages: "common" in every one, "mid" in 40 (10%), "rare" in 2, "odd" in 1
    passages = [["common"] + (["mid"] if i % 10 == 0 else []) + (["rare"] if i in (3, 5) else [])
                + (["odd"] if i == 7 else []) for i in range(400)]
    store = _store(tmp_path, passages)
    question = ["common", "mid", "rare", "odd"]
    exact = {i for i, _ in lexical_search(store, question, 1000)}
    assert len(exact) == 400  # small store: the exact OR query
    monkeypatch.setattr(store_module, "PRUNE_FROM_PASSAGES", 100)
    store._term_stats = None
    # the two rarest are kept whatever; "mid" and "common" are in more than 5% of passages
    assert plan_terms(question, store.term_stats()) == ["odd", "rare"]
    pruned = {i for i, _ in lexical_search(store, question, 1000)}
    assert len(pruned) == 3 and pruned < exact
    # a question of common words only still asks its two rarest (not nothing)
    assert plan_terms(["common", "mid"], store.term_stats()) == ["mid", "common"]
    assert len(lexical_search(store, ["common", "mid"], 1000)) == 400
    # the postings budget: terms are taken rarest first while their passages fit
    monkeypatch.setattr(plan_module, "COMMON_TERM_SHARE", 1.0)
    monkeypatch.setattr(plan_module, "POSTINGS_BUDGET", 50)
    assert plan_terms(question, store.term_stats()) == ["odd", "rare", "mid"]
    store.close()


def test_searches_from_many_threads_agree_and_close_closes_every_connection(seed_index):
    retriever = Retriever.open(seed_index)
    questions = ["Où Li Qiang a-t-il parlé ?", "Who filed the most AI patents?", "芯片出口",
                 "Welche Produkte wurden vorgestellt?"]
    expected = {q: [(h.id, h.score) for h in retriever.search(q, k=5)] for q in questions}
    got: dict[str, list] = {}
    errors: list[BaseException] = []

    def ask(q: str) -> None:
        try:
            for _ in range(5):
                got.setdefault(q, []).append([(h.id, h.score) for h in retriever.search(q, k=5)])
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=ask, args=(q,)) for q in questions for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    for q in questions:
        assert len(got[q]) == 10 and all(run == expected[q] for run in got[q])
    assert len(retriever.store._open) >= 2  # the caller's and the lexical threads' connections
    retriever.close()
    assert retriever.store._open == {}


def test_connections_of_finished_threads_are_closed(seed_index):
    retriever = Retriever.open(seed_index)
    store = retriever.store
    for _ in range(5):  # five short-lived threads, one connection each
        t = threading.Thread(target=store.counts)
        t.start()
        t.join()
    store.counts()  # a new connection here prunes those of the finished threads
    assert len(store._open) <= 2
    assert store.counts() == retriever.store.counts()
    retriever.close()


def test_shards_share_the_postings_budget_and_keep_the_terms_of_one_index(tmp_path, monkeypatch):
    """Each of 4 shards prunes with a quarter of the budget (`shard_budget`): together they
    scan what one index would, and keep its terms; with the whole budget each would keep more."""
    from qa.sharded import shard_budget

    def tokens(i: int) -> list[str]:
        # few: 8 passages, some: 16, mid: 80, big: 160, common: all 400 (spread over the shards)
        return (["common"] + (["few"] if i % 50 == 0 else []) + (["some"] if i % 25 == 0 else [])
                + (["mid"] if i % 5 == 0 else []) + (["big"] if i % 5 in (1, 2) else []))

    monkeypatch.setattr(store_module, "PRUNE_FROM_PASSAGES", 50)
    monkeypatch.setattr(plan_module, "COMMON_TERM_SHARE", 1.0)
    monkeypatch.setattr(plan_module, "POSTINGS_BUDGET", 120)
    (tmp_path / "one").mkdir()
    whole = _store(tmp_path / "one", [tokens(i) for i in range(400)])
    question = ["common", "few", "some", "mid", "big"]
    assert set(plan_terms(question, whole.term_stats())) == {"few", "some", "mid"}  # 104 postings; + big: 264 > 120
    for s in range(4):
        (tmp_path / f"s{s}").mkdir()
        shard = _store(tmp_path / f"s{s}", [tokens(i) for i in range(s, 400, 4)])
        assert set(plan_terms(question, shard.term_stats(), shard_budget(4))) == {"few", "some", "mid"}
        assert "big" in plan_terms(question, shard.term_stats())  # the whole budget in each shard: 4x the work
        shard.close()
    whole.close()


def test_the_term_sample_reads_around_the_memory_map(tmp_path, monkeypatch):
    # the sample reads rows scattered over the whole file: through a map, their pages
    # would stay in the process's RSS (docs/performance.md, "Session 9"); the store's
    # connections map nothing by default (Session 10), the sample's never
    monkeypatch.setattr(store_module, "MMAP_BYTES", 1 << 30)
    words = [f"w{i}" for i in range(300)]
    passages = [[words[(i * 7 + j) % 300] for j in range(60)] for i in range(3000)]
    _store(tmp_path, passages).close()
    path = tmp_path / DB_NAME
    monkeypatch.setattr(store_module, "PRUNE_FROM_PASSAGES", 100)
    store = Store(path)
    store.builds()
    before = mapped_kb(path)
    stats = store.term_stats()
    assert stats is not None and stats[0] == 3000
    unmapped = mapped_kb(path) - before
    assert unmapped == 0
    # the same statistics as read through the mapped connection, which maps what it reads
    assert store._term_sample(store.connection(), store.builds()) == stats
    mapped = mapped_kb(path) - before
    assert mapped > 256  # what the sample would have kept mapped
    store.close()


def test_a_removed_document_leaves_the_lexical_index(tmp_path):
    """Its words no longer match: BM25's best would otherwise be passages that are gone, and
    a lexical search would come back short (their rows cannot be shown)."""
    from qa import build_index

    docs = tmp_path / "docs"
    docs.mkdir()
    kept = "\n\n".join(f"Le phare numéro {n} éclaire la côte bretonne depuis {1850 + n}." for n in range(3))
    gone = "\n\n".join(f"Le phare de Zanzibar, tour {n}, veille sur le port de Zanzibar." for n in range(3))
    (docs / "bretagne.txt").write_text(kept, encoding="utf-8")
    (docs / "zanzibar.txt").write_text(gone, encoding="utf-8")
    index = tmp_path / "index"
    build_index([docs], index=index, progress=False)
    (docs / "zanzibar.txt").unlink()
    build_index([docs], index=index, progress=False)
    retriever = Retriever.open(index)
    try:
        hits = retriever.search("le phare de Zanzibar", k=3, mode="lexical")
        assert [h.source for h in hits] == ["bretagne.txt"] * 3
    finally:
        retriever.close()


def test_a_question_of_function_words_only_still_searches_them(tmp_path):
    """"To be or not to be" is all stopwords: with none left, they are searched rather than nothing."""
    from qa import build_index

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "hamlet.txt").write_text("To be, or not to be, that is the question.\n\n"
                                     "Denmark's prince speaks these words alone on the stage.", encoding="utf-8")
    (docs / "theatre.txt").write_text("The theatre of Elsinore seats four hundred people.", encoding="utf-8")
    index = tmp_path / "index"
    build_index([docs], index=index, progress=False)
    retriever = Retriever.open(index)
    try:
        hits = retriever.search("to be or not to be", k=1, mode="lexical")
        assert [(h.source, h.paragraph) for h in hits] == [("hamlet.txt", 1)]
    finally:
        retriever.close()
